# SPDX-License-Identifier: BSD-3-Clause
"""BLOSC and BLOSC2 codecs, checked against python-blosc, python-blosc2
and numcodecs' own Blosc codec where they are installed."""

import concurrent.futures
import struct
import threading

import numpy
import pytest

from imagecodecs import (
    BLOSC, BLOSC2, Blosc2Error, BloscError, blosc2_check, blosc2_decode,
    blosc2_encode, blosc2_version, blosc_check, blosc_decode, blosc_encode,
    blosc_version,
)
from harness import (
    FLOAT_DTYPES, INT_DTYPES, PAYLOADS, check_compressor, check_corrupt,
    check_out, random_array, require,
)

DATA = PAYLOADS['text']
WORDS = random_array((257, 129), 'u2', low=0, high=999)

# name, encode, decode, error, constants, shuffle enum, default typesize of
# plain bytes, default level and compressor (those of the reference)
CODECS = {
    'blosc': (blosc_encode, blosc_decode, BloscError, BLOSC,
              BLOSC.SHUFFLE, 1, 9, BLOSC.COMPRESSOR.BLOSCLZ),
    'blosc2': (blosc2_encode, blosc2_decode, Blosc2Error, BLOSC2,
               BLOSC2.FILTER, 8, 1, BLOSC2.COMPRESSOR.ZSTD),
}


@pytest.fixture(params=list(CODECS))
def codec(request):
    require(request.param)
    return request.param


def header(chunk):
    """Return the fields of the first 16 header bytes of a blosc chunk."""
    version, _, flags, typesize, nbytes, blocksize, cbytes = struct.unpack(
        '<BBBBiii', bytes(chunk[:16]))
    return {'version': version, 'flags': flags, 'typesize': typesize,
            'nbytes': nbytes, 'blocksize': blocksize, 'cbytes': cbytes}


# the format of each blosc compressor code in bits 5 to 7 of the flags
FORMATS = {0: 0, 1: 1, 2: 1, 3: 2, 4: 3, 5: 4}


def compressor_of(codec, chunk):
    """Return the compressor (format) recorded in a chunk's header."""
    if codec == 'blosc2':
        return chunk[22]  # the blosc2 header has the code itself
    return header(chunk)['flags'] >> 5


def recorded(codec, compressor):
    return compressor if codec == 'blosc2' else FORMATS[compressor]


def test_version_check():
    require('blosc')
    require('blosc2')
    assert blosc_version().startswith('c-blosc 1.')
    assert blosc2_version().startswith('c-blosc2 ')
    assert blosc_check(blosc_encode(DATA)) is None
    assert blosc2_check(blosc2_encode(DATA)) is None


def test_enums():
    assert dict(BLOSC.COMPRESSOR.__members__) == {
        'BLOSCLZ': 0, 'LZ4': 1, 'LZ4HC': 2, 'SNAPPY': 3, 'ZLIB': 4,
        'ZSTD': 5}
    assert dict(BLOSC.SHUFFLE.__members__) == {
        'NOSHUFFLE': 0, 'SHUFFLE': 1, 'BITSHUFFLE': 2}
    assert [(m.name, m.value) for m in BLOSC2.COMPRESSOR] == [
        ('BLOSCLZ', 0), ('LZ4', 1), ('LZ4HC', 2), ('ZLIB', 4), ('ZSTD', 5)]
    assert [(m.name, m.value) for m in BLOSC2.FILTER] == [
        ('NOFILTER', 0), ('SHUFFLE', 1), ('BITSHUFFLE', 2), ('DELTA', 3),
        ('TRUNC_PREC', 4)]
    assert BLOSC2.FILTER.NOSHUFFLE is BLOSC2.FILTER.NOFILTER
    assert [(m.name, m.value) for m in BLOSC2.SPLIT] == [
        ('ALWAYS', 1), ('NEVER', 2), ('AUTO', 3), ('FORWARD_COMPAT', 4)]


def test_compressor_contract(codec):
    encode, decode, error, *_ = CODECS[codec]
    check_compressor(encode, decode, error, levels=(None, 0, 1, 5, 9))


def test_every_compressor_shuffle_level(codec):
    encode, decode, _, constants, shuffles, *_ = CODECS[codec]
    for compressor in constants.COMPRESSOR:
        for shuffle in shuffles:
            if shuffle.name == 'TRUNC_PREC':
                continue  # lossy, see test_blosc2_trunc_prec
            for level in (0, 1, 5, 9):
                for data in (WORDS[:100], DATA[:30_000]):
                    encoded = encode(data, level=level, compressor=compressor,
                                     shuffle=shuffle)
                    assert decode(encoded) == numpy.asarray(data).tobytes(), (
                        compressor, shuffle, level)
                    if level:
                        assert compressor_of(codec, encoded) == recorded(
                            codec, compressor)
                    if level and codec == 'blosc2':
                        assert encoded[21] == shuffle  # last filter slot


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES)
def test_dtypes(codec, dtype):
    encode, decode, _, _, _, bytes_typesize, *_ = CODECS[codec]
    data = random_array((67, 45), dtype, low=0, high=100)
    encoded = encode(data)
    # unsigned bytes count as untyped, like bytes
    assert header(encoded)['typesize'] == (
        bytes_typesize if dtype == 'u1' else data.itemsize)
    decoded = numpy.frombuffer(decode(encoded), dtype).reshape(data.shape)
    numpy.testing.assert_array_equal(decoded, data)
    # non-contiguous arrays are compressed in C order
    assert decode(encode(data[:, ::3])) == data[:, ::3].tobytes()


def test_defaults(codec):
    """Defaults of the reference: level, compressor, shuffle, typesize."""
    encode, decode, _, _, shuffles, bytes_typesize, level, compressor = (
        CODECS[codec])
    assert header(encode(DATA))['typesize'] == bytes_typesize
    assert header(encode(numpy.frombuffer(DATA, 'u1')))['typesize'] == (
        bytes_typesize)
    assert header(encode(numpy.frombuffer(DATA, 'i1')))['typesize'] == 1
    assert header(encode(WORDS))['typesize'] == 2
    assert compressor_of(codec, encode(DATA)) == recorded(codec, compressor)
    assert encode(DATA) == encode(DATA, level=level, compressor=compressor,
                                  shuffle=shuffles.SHUFFLE, numthreads=1)
    assert encode(WORDS, level=-3) == encode(WORDS, level=0)
    assert encode(WORDS, level=99) == encode(WORDS, level=9)
    # a stored chunk: the header and the data
    assert len(encode(DATA, level=0)) == len(DATA) + (
        16 if codec == 'blosc' else 32)


def test_blosc_pinned():
    """c-blosc 1.21.6 chunks as the reference package writes them."""
    require('blosc')
    assert blosc_encode(b'') == bytes.fromhex(
        '02011301000000000100000010000000')
    assert blosc_encode(b'x') == bytes.fromhex(
        '0201130101000000010000001100000078')
    data = numpy.arange(1000, dtype='u4')
    assert blosc_encode(data)[:16] == bytes.fromhex(
        '02010104a00f0000a00f000048040000')
    assert len(blosc_encode(data)) == 1096


def test_names(codec):
    encode, _, _, constants, shuffles, *_ = CODECS[codec]
    for member in constants.COMPRESSOR:
        expected = encode(WORDS, level=1, compressor=member)
        for name in (member.name.lower(), member.name, int(member)):
            assert encode(WORDS, level=1, compressor=name) == expected
    for member in shuffles:
        if member.name != 'TRUNC_PREC':
            expected = encode(WORDS, shuffle=member)
            assert encode(WORDS, shuffle=member.name.lower()) == expected
            assert encode(WORDS, shuffle=int(member)) == expected
    assert encode(WORDS, shuffle=False) == encode(WORDS, shuffle=0)
    assert encode(WORDS, shuffle=True) == encode(WORDS, shuffle=1)
    unknown = {'blosc': ('lzma', 'lz5', 6, -1),
               'blosc2': ('lzma', 'snappy', 3, 6, -1)}[codec]
    for bad in unknown:
        with pytest.raises(ValueError):
            encode(WORDS, compressor=bad)
    for bad in ('bytes', 7, -1):
        with pytest.raises(ValueError):
            encode(WORDS, shuffle=bad)


def test_blosc2_splitmode():
    require('blosc2')
    never = blosc2_encode(WORDS, splitmode='never')
    assert header(never)['flags'] & 0x10  # streams not split
    assert not header(blosc2_encode(WORDS, splitmode='always'))['flags'] & (
        0x10)
    assert blosc2_encode(WORDS) == blosc2_encode(WORDS, splitmode=1)
    assert blosc2_encode(WORDS, splitmode=False) == never
    assert blosc2_encode(WORDS, splitmode=BLOSC2.SPLIT.NEVER) == never
    assert blosc2_encode(WORDS, splitmode='forward') == blosc2_encode(
        WORDS, splitmode='FORWARD_COMPAT')
    for mode in BLOSC2.SPLIT:
        assert blosc2_decode(blosc2_encode(WORDS, splitmode=mode)) == (
            WORDS.tobytes())
    with pytest.raises(ValueError):
        blosc2_encode(WORDS, splitmode='sometimes')


def test_blosc2_trunc_prec():
    """TRUNC_PREC needs a precision the interface does not pass."""
    require('blosc2')
    with pytest.raises(Blosc2Error):
        blosc2_encode(numpy.ones(1000, 'f4'), shuffle='trunc_prec')


def test_typesize_blocksize(codec):
    encode, decode, *_ = CODECS[codec]
    for typesize in (1, 2, 3, 4, 8, 16, 255):
        encoded = encode(DATA, typesize=typesize)
        assert header(encoded)['typesize'] == typesize
        assert decode(encoded) == DATA
    for blocksize in (0, 4096, 65536, 1 << 20):
        encoded = encode(DATA, blocksize=blocksize)
        assert decode(encoded) == DATA
        if blocksize == 65536:
            assert header(encoded)['blocksize'] == blocksize
    for bad in {'typesize': (0, 256, -1), 'blocksize': (-1,)}.items():
        for value in bad[1]:
            with pytest.raises(ValueError):
                encode(DATA, **{bad[0]: value})


@pytest.mark.parametrize('numthreads', [None, 0, 1, 2, 4])
def test_numthreads(codec, numthreads):
    encode, decode, *_ = CODECS[codec]
    data = random_array((1 << 20,), 'u2', low=0, high=50)
    serial = encode(data, blocksize=1 << 16)
    encoded = encode(data, numthreads=numthreads, blocksize=1 << 16)
    # threads store the blocks in the order they finish them
    assert len(encoded) == len(serial)
    assert decode(encoded, numthreads=numthreads) == data.tobytes()
    assert decode(serial, numthreads=numthreads) == data.tobytes()


def test_python_threads(codec):
    """The context API: concurrent calls from Python threads are safe."""
    encode, decode, *_ = CODECS[codec]
    chunks = [random_array((100_000,), 'u2', seed=i, low=0, high=100 * i + 1)
              for i in range(8)]
    expected = [encode(c) for c in chunks]

    def roundtrip(i):
        encoded = encode(chunks[i])
        return encoded, decode(encoded, numthreads=2)

    work = list(range(len(chunks))) * 3
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(roundtrip, work))
    for i, (encoded, decoded) in zip(work, results):
        assert encoded == expected[i]
        assert decoded == chunks[i].tobytes()


def test_out(codec):
    encode, decode, error, *_ = CODECS[codec]
    encoded = encode(WORDS)
    check_out(decode, encoded, WORDS.tobytes(), error)
    check_out(encode, WORDS, encoded, error)
    out = numpy.zeros_like(WORDS)
    decode(encoded, out=out)
    numpy.testing.assert_array_equal(out, WORDS)


def test_corrupt(codec):
    encode, decode, error, *_ = CODECS[codec]
    for kwargs in ({}, {'compressor': 'lz4', 'shuffle': 'bitshuffle'},
                   {'compressor': 'zlib', 'level': 1},
                   {'compressor': 'blosclz', 'shuffle': 'noshuffle'}):
        encoded = encode(WORDS, **kwargs)
        check_corrupt(decode, encoded, error,
                      truncations=(0, 1, 15, 16, 31, len(encoded) // 2,
                                   len(encoded) - 1), trials=200)
    # damaged headers and streams only, many times
    encoded = bytearray(encode(DATA, compressor='lz4'))
    rng = numpy.random.default_rng(1)
    for _ in range(500):
        damaged = bytearray(encoded)
        for pos in rng.integers(0, 40, 2):
            damaged[pos] = int(rng.integers(0, 256))
        try:
            decode(damaged)
        except error:
            pass
    with pytest.raises(error):
        decode(b'not a blosc chunk at all')


@pytest.mark.parametrize('field', ['nbytes', 'nbytes+blocksize'])
def test_huge_claims(codec, field):
    """Headers claiming gigabytes fail before allocating them."""
    encode, decode, error, *_ = CODECS[codec]
    encoded = bytearray(encode(DATA, compressor='lz4'))
    encoded[4:8] = struct.pack('<i', 0x7FFF0000)
    if field == 'nbytes+blocksize':
        encoded[8:12] = struct.pack('<i', 0x1FFF0000)
    with pytest.raises(error):
        decode(encoded)
    with pytest.raises(error):
        decode(encoded, out=bytearray(1000))


def test_blosc2_damaged_delta_threads():
    """A damaged DELTA chunk fails with threads, too (no deadlock)."""
    require('blosc2')
    chunk = bytes.fromhex(
        '05012d04204e00000020000063000000000000000003010000000000000000002c'
        '0000004f0000005f000000130300002f01000100ffffffffffffffed5000000000'
        '000000000000000000000000000000000000000000000000000000000000000000')
    outcome = []

    def decode():
        try:
            blosc2_decode(chunk, numthreads=4)
        except Blosc2Error as exc:
            outcome.append(exc)

    for _ in range(10):
        thread = threading.Thread(target=decode, daemon=True)
        thread.start()
        thread.join(30)
        assert not thread.is_alive(), 'blosc2_decode hangs'
    assert len(outcome) == 10
    data = numpy.ones(5000, 'u4')
    encoded = blosc2_encode(data, shuffle='delta', blocksize=8192,
                            numthreads=3)
    assert blosc2_decode(encoded, numthreads=3) == data.tobytes()


def test_truncated_and_trailing(codec):
    encode, decode, error, *_ = CODECS[codec]
    encoded = encode(DATA)
    assert decode(encoded + b'trailing bytes') == DATA
    for cut in (0, 5, 16, 32, len(encoded) - 1):
        with pytest.raises(error, match='truncated|not a blosc|invalid'):
            decode(encoded[:cut])


def test_blosc2_special_chunks():
    """Runs of zeros become 32-byte chunks of any decompressed size."""
    require('blosc2')
    zeros = bytes(3_000_000)
    encoded = blosc2_encode(zeros)
    assert len(encoded) == 32 and encoded[31] >> 4 == 1
    assert blosc2_decode(encoded) == zeros
    chunk = bytearray(encoded)
    chunk[12:16] = struct.pack('<i', 33)  # a special chunk has no payload
    with pytest.raises(Blosc2Error):
        blosc2_decode(bytes(chunk) + b'x')


def test_blosc2_special_chunk_bound():
    """A special chunk claiming more than 128 MiB needs out= to decode."""
    require('blosc2')
    chunk = bytearray(blosc2_encode(bytes(1 << 20)))
    chunk[4:8] = struct.pack('<i', 1 << 29)
    with pytest.raises(Blosc2Error, match='out='):
        blosc2_decode(chunk)


@pytest.mark.slow
def test_blosc2_special_chunk_beyond_bound():
    require('blosc2')
    chunk = bytearray(blosc2_encode(bytes(1 << 20)))
    chunk[4:8] = struct.pack('<i', 1 << 29)
    decoded = blosc2_decode(chunk, out=1 << 29)
    assert len(decoded) == 1 << 29 and not any(decoded[:: 1 << 16])


def test_blosc2_decodes_blosc1():
    require('blosc')
    require('blosc2')
    for compressor in ('blosclz', 'lz4', 'zlib', 'zstd'):
        assert blosc2_decode(blosc_encode(WORDS, compressor=compressor)) == (
            WORDS.tobytes())


def test_python_blosc():
    require('blosc')
    blosc = pytest.importorskip('blosc')
    for cname in blosc.compressor_list():
        for shuffle in (blosc.NOSHUFFLE, blosc.SHUFFLE, blosc.BITSHUFFLE):
            for clevel in (1, 7):
                theirs = blosc.compress(WORDS.tobytes(), typesize=2,
                                        clevel=clevel, shuffle=shuffle,
                                        cname=cname)
                assert blosc_decode(theirs) == WORDS.tobytes()
                ours = blosc_encode(WORDS, level=clevel, shuffle=shuffle,
                                    compressor=cname)
                assert blosc.decompress(ours) == WORDS.tobytes()
                # one c-blosc version on both sides: the same bytes, but
                # for zstd, whose version differs between the two builds
                if cname != 'zstd':
                    assert ours == theirs, (cname, shuffle, clevel)
    assert blosc.decompress(blosc_encode(b'')) == b''


def test_numcodecs_blosc():
    """numcodecs' own Blosc codec reads ours and writes what we read."""
    require('blosc')
    numcodecs = pytest.importorskip('numcodecs')
    for cname in ('blosclz', 'lz4', 'lz4hc', 'zlib', 'zstd'):
        for shuffle in (0, 1, 2):
            theirs = numcodecs.Blosc(cname=cname, clevel=5, shuffle=shuffle)
            assert blosc_decode(theirs.encode(WORDS)) == WORDS.tobytes()
            ours = blosc_encode(WORDS, level=5, compressor=cname,
                                shuffle=shuffle)
            assert theirs.decode(ours) == WORDS.tobytes()


def test_python_blosc2():
    require('blosc2')
    blosc2 = pytest.importorskip('blosc2')
    data = WORDS.tobytes()
    for codec in (blosc2.Codec.BLOSCLZ, blosc2.Codec.LZ4, blosc2.Codec.LZ4HC,
                  blosc2.Codec.ZLIB, blosc2.Codec.ZSTD):
        for filter in (blosc2.Filter.NOFILTER, blosc2.Filter.SHUFFLE,
                       blosc2.Filter.BITSHUFFLE, blosc2.Filter.DELTA):
            for clevel in (1, 9):
                theirs = blosc2.compress2(data, codec=codec, clevel=clevel,
                                          filters=[filter], typesize=2)
                assert blosc2_decode(theirs) == data
                ours = blosc2_encode(WORDS, level=clevel,
                                     compressor=codec.value,
                                     shuffle=filter.value)
                assert blosc2.decompress(ours) == data
    zeros = blosc2.compress2(bytes(1 << 20), typesize=4)
    assert blosc2_decode(zeros) == bytes(1 << 20)
    assert blosc2.decompress(blosc2_encode(bytes(1 << 20))) == bytes(1 << 20)
    assert blosc2.decompress(blosc2_encode(b'')) == b''


@pytest.mark.slow
@pytest.mark.parametrize('numthreads', [1, 4])
def test_large(codec, numthreads):
    encode, decode, *_ = CODECS[codec]
    data = numpy.random.default_rng(3).integers(0, 4, 40 << 20, 'u1')
    # (blosc 1 turns zstd level 9 into zstd's slowest level 22)
    for compressor, level in (('lz4', None), ('zstd', 5)):
        encoded = encode(data, compressor=compressor, level=level,
                         numthreads=numthreads)
        assert decode(encoded, numthreads=numthreads) == data.tobytes()
    random = numpy.random.default_rng(4).bytes(32 << 20)
    assert decode(encode(random, numthreads=numthreads)) == random


def test_numcodecs_classes(codec):
    numcodecs = pytest.importorskip('numcodecs')
    from imagecodecs import numcodecs as ours
    ours.register_codecs(force=True, verbose=False)
    cls = getattr(ours, codec.capitalize())
    for kwargs in ({}, {'level': 3, 'compressor': 'lz4', 'shuffle': 2,
                        'typesize': 2, 'blocksize': 8192, 'numthreads': 2}):
        instance = cls(**kwargs)
        config = instance.get_config()
        assert config['id'] == f'imagecodecs_{codec}'
        again = numcodecs.get_codec(config)
        assert isinstance(again, cls) and again.get_config() == config
        encoded = again.encode(WORDS)
        out = numpy.zeros_like(WORDS)
        again.decode(encoded, out=out)
        numpy.testing.assert_array_equal(out, WORDS)
        assert bytes(again.decode(encoded)) == WORDS.tobytes()
