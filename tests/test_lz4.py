# SPDX-License-Identifier: BSD-3-Clause
"""LZ4 block, LZ4H5 (HDF5 filter) and LZ4F (frame) codecs.

Checked against values pinned from the reference package, the layouts
parsed field by field, the lz4 command line tool and, if installed, the
Python lz4 package.
"""

import functools
import os
import pathlib
import re
import shutil
import struct
import subprocess

import numpy
import pytest

import imagecodecs
from imagecodecs import (
    LZ4, LZ4F, LZ4H5, Lz4Error, Lz4fError, Lz4h5Error, lz4_check,
    lz4_decode, lz4_encode, lz4_version, lz4f_check, lz4f_decode,
    lz4f_encode, lz4f_version, lz4h5_check, lz4h5_decode, lz4h5_encode,
    lz4h5_version,
)
from harness import (
    FLOAT_DTYPES, INT_DTYPES, PAYLOADS, check_compressor, check_corrupt,
    random_array, require,
)


@pytest.fixture(autouse=True)
def available():
    require('lz4')
    require('lz4h5')
    require('lz4f')


DATA = PAYLOADS['text']  # LZ4 without HC hardly shrinks it
WORDS = b' '.join(numpy.random.default_rng(1).choice(
    b'pixel tile chunk stripe frame block lz4 header'.split(), 40_000))
# values pinned once from the reference package (lz4 1.10.0)
SHORT = b'hello world ' * 10
RAMP = bytes(range(32)) * 40 + b'tail'
RAMP_BLOCK = (
    'ff11000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'
    '2000ffffffffd0501f7461696c'
)


def _python_lz4(module):
    return pytest.importorskip(f'lz4.{module}')


def _tool(*args, data):
    return subprocess.run(['lz4', *args], input=data, check=True,
                          capture_output=True).stdout


needs_tool = pytest.mark.skipif(shutil.which('lz4') is None,
                                reason='no lz4 command line tool')


def test_versions_and_constants():
    assert lz4_version().startswith('lz4 1.')
    assert lz4f_version() == lz4h5_version() == lz4_version()
    assert LZ4F.VERSION == 100
    assert dict(LZ4.CLEVEL.__members__) == {
        'DEFAULT': 9, 'MIN': 3, 'MAX': 12, 'OPT_MIN': 10}
    assert LZ4H5.CLEVEL is LZ4.CLEVEL


def test_check():
    assert lz4_check(lz4_encode(DATA)) is None
    assert lz4f_check(lz4f_encode(b''))
    assert not lz4f_check(lz4_encode(DATA)) and not lz4f_check(b'\x04"M')
    assert lz4h5_check(b'\x00' * 11) is False
    assert lz4h5_check(lz4h5_encode(b'')) is None


# LZ4 block ##################################################################

def test_lz4_compressor():
    # hc=False: level is the acceleration
    check_compressor(lz4_encode, lz4_decode, Lz4Error,
                     levels=(None, 1, 4, 100, 70000))


def test_lz4hc_compressor():
    check_compressor(functools.partial(lz4_encode, hc=True), lz4_decode,
                     Lz4Error, levels=(None, 1, 3, 10, 12))


def test_lz4_header_compressor():
    encode = functools.partial(lz4_encode, header=True)
    decode = functools.partial(lz4_decode, header=True)
    check_compressor(encode, decode, Lz4Error, levels=(None, 2))


def test_lz4_pinned():
    block = bytes.fromhex('cf68656c6c6f20776f726c64200c0054506f726c6420')
    assert lz4_encode(SHORT) == block
    assert lz4_encode(SHORT, hc=True, level=12) == block
    assert lz4_encode(RAMP, level=8) == bytes.fromhex(RAMP_BLOCK)
    assert lz4_encode(b'') == b'\x00' and lz4_encode(b'x') == b'\x10x'
    assert lz4_decode(b'\x00') == b''


def test_lz4_header_layout():
    # the uncompressed size as uint32, little-endian, then the block
    for data in (b'', b'x', SHORT, DATA):
        for hc in (False, True):
            encoded = lz4_encode(data, hc=hc, header=True)
            assert encoded[:4] == struct.pack('<I', len(data))
            assert encoded[4:] == lz4_encode(data, hc=hc)
            assert lz4_decode(encoded, header=True) == data


def test_lz4_levels():
    data = WORDS[:50_000]
    sizes = [len(lz4_encode(data, level=level)) for level in (1, 8, 64)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert lz4_encode(data, level=0) == lz4_encode(data)
    sizes = [len(lz4_encode(data, hc=True, level=level))
             for level in (3, 9, 12)]
    assert sizes == sorted(sizes, reverse=True)
    assert len(lz4_encode(data, hc=True)) < len(lz4_encode(data))
    assert lz4_encode(data, hc=True, level=None) == lz4_encode(
        data, hc=True, level=LZ4.CLEVEL.DEFAULT)
    assert lz4_encode(data, hc=True, level=100) == lz4_encode(
        data, hc=True, level=LZ4.CLEVEL.MAX)


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES)
def test_lz4_dtypes(dtype):
    data = random_array((7, 33, 5), dtype, seed=1)
    for encode, decode in ((lz4_encode, lz4_decode),
                           (lz4h5_encode, lz4h5_decode),
                           (lz4f_encode, lz4f_decode)):
        assert decode(encode(data)) == data.tobytes()
        assert decode(encode(data[:, ::2])) == data[:, ::2].tobytes()


def test_lz4_decode_sizes_output():
    # without header the size is the given capacity, else scanned exactly
    encoded = lz4_encode(WORDS)
    assert lz4_decode(encoded, out=len(WORDS) * 3) == WORDS
    out = bytearray(len(WORDS) + 100)
    assert lz4_decode(encoded, out=out) == WORDS
    highly = b'\x00' * 1_000_000
    assert lz4_decode(lz4_encode(highly)) == highly


def test_lz4_corrupt():
    for data in (b'', b'\x10', b'\xf0', b'\x1fx\x01', b'\x00\x00'):
        with pytest.raises(Lz4Error):
            lz4_decode(data)
    for data in (b'', b'\x01\x00\x00'):
        with pytest.raises(Lz4Error):
            lz4_decode(data, header=True)
    encoded = lz4_encode(WORDS, header=True)
    # a size header beyond what the block can expand to is not allocated
    with pytest.raises(Lz4Error, match='size header'):
        lz4_decode(b'\xff\xff\xff\x7f' + encoded[4:], header=True)
    with pytest.raises(Lz4Error):  # header and content disagree
        lz4_decode(struct.pack('<I', len(WORDS) - 1) + encoded[4:],
                   header=True)
    with pytest.raises(Lz4Error):
        lz4_decode(struct.pack('<I', len(WORDS) + 1) + encoded[4:],
                   header=True)
    check_corrupt(functools.partial(lz4_decode, header=True), encoded,
                  Lz4Error)
    with pytest.raises(Lz4Error):  # offset before the output start
        lz4_decode(bytes.fromhex('1461ff0f60' + '61' * 6))


def test_lz4_python_package():
    block = _python_lz4('block')
    for data in (b'x', SHORT, DATA, PAYLOADS['random']):
        # its stored size is our header
        assert lz4_decode(block.compress(data), header=True) == data
        assert block.decompress(lz4_encode(data, header=True)) == data
        assert lz4_decode(block.compress(data, store_size=False)) == data
        assert block.decompress(lz4_encode(data, hc=True),
                                uncompressed_size=len(data)) == data


@pytest.mark.slow
def test_lz4_large():
    data = numpy.random.default_rng(3).integers(0, 4, 64 << 20, 'u1')
    for hc in (False, True):
        encoded = lz4_encode(data, hc=hc, level=3 if hc else None)
        assert lz4_decode(encoded) == data.tobytes()
        assert lz4_decode(lz4_encode(data, header=True),
                          header=True) == data.tobytes()


# LZ4H5 ######################################################################

def _h5_blocks(encoded):
    """Return total size, block size and stored blocks of an LZ4H5 stream."""
    total, blocksize = struct.unpack('>QI', encoded[:12])
    blocks, pos = [], 12
    while pos < len(encoded):
        (size,) = struct.unpack('>I', encoded[pos:pos + 4])
        blocks.append(encoded[pos + 4:pos + 4 + size])
        assert len(blocks[-1]) == size
        pos += 4 + size
    return total, blocksize, blocks


def test_lz4h5_compressor():
    check_compressor(lz4h5_encode, lz4h5_decode, Lz4h5Error,
                     levels=(None, 1, 8, 65537))


@pytest.mark.parametrize('blocksize', [None, 1, 7, 1000, 65536, 1 << 20])
def test_lz4h5_blocksizes(blocksize):
    for data in (b'', b'x', DATA[:70_001], WORDS, PAYLOADS['random']):
        if blocksize is not None and blocksize < 100:
            data = data[:3001]  # keep the number of blocks small
        encoded = lz4h5_encode(data, blocksize=blocksize)
        assert lz4h5_decode(encoded) == data
        total, stored, blocks = _h5_blocks(encoded)
        expected = min(max(len(data), 1), 1073741823) \
            if blocksize is None else blocksize
        assert (total, stored) == (len(data), expected)
        assert len(blocks) == -(-len(data) // expected)
        for i, block in enumerate(blocks):
            raw = data[i * expected:(i + 1) * expected]
            if len(block) == len(raw):  # stored raw: did not shrink
                assert block == raw
            else:
                assert len(block) < len(raw)
                assert lz4_decode(block) == raw


def test_lz4h5_pinned():
    assert lz4h5_encode(b'') == bytes.fromhex('000000000000000000000001')
    assert lz4h5_encode(b'x') == bytes.fromhex(
        '0000000000000001000000010000000178')
    assert lz4h5_encode(b'x' * 65, blocksize=20) == bytes.fromhex(
        '0000000000000041000000140000000a1a780100507878787878'
        '0000000a1a7801005078787878780000000a1a780100507878787878'
        '000000057878787878')
    assert lz4h5_encode(RAMP) == bytes.fromhex(
        '00000000000005040000050400' '00002f' + RAMP_BLOCK)
    encoded = lz4h5_encode(RAMP, blocksize=512)
    assert encoded == bytes.fromhex(
        '0000000000000504000002000000002cff11000102030405060708090a0b0c0d'
        '0e0f101112131415161718191a1b1c1d1e1f2000ffc9501b1c1d1e1f0000002c'
        'ff11000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d'
        '1e1f2000ffc9501b1c1d1e1f0000002bff11000102030405060708090a0b0c0d'
        '0e0f101112131415161718191a1b1c1d1e1f2000cc501f7461696c')
    assert lz4h5_decode(encoded) == RAMP
    # level is the acceleration, as for lz4_encode(hc=False)
    assert _h5_blocks(lz4h5_encode(WORDS, level=9))[2] == [
        lz4_encode(WORDS, level=9)]


def test_lz4h5_decode_foreign_layout():
    # raw and compressed blocks as another writer may mix them, followed
    # by an empty terminating block as older writers add
    first, second = DATA[:1000], WORDS[:700]
    stream = (struct.pack('>QI', 1700, 1000)
              + struct.pack('>I', 1000) + first
              + struct.pack('>I', len(lz4_encode(second)))
              + lz4_encode(second))
    assert lz4h5_decode(stream) == first + second
    assert lz4h5_decode(stream + b'\x00' * 4) == first + second
    assert lz4h5_decode(struct.pack('>QII', 0, 1, 0)) == b''


def test_lz4h5_corrupt():
    encoded = lz4h5_encode(WORDS, blocksize=4096)
    check_corrupt(lz4h5_decode, encoded, Lz4h5Error,
                  truncations=(0, 11, 12, 15, 16, len(encoded) // 2,
                               len(encoded) - 1))
    with pytest.raises(Lz4h5Error, match='total size'):
        lz4h5_decode(struct.pack('>QI', 1 << 60, 4096) + encoded[12:])
    with pytest.raises(Lz4h5Error, match='block size'):
        lz4h5_decode(struct.pack('>QI', len(WORDS), 0) + encoded[12:])
    with pytest.raises(Lz4h5Error):  # blocks hold less than the header
        lz4h5_decode(struct.pack('>QI', len(WORDS) + 1, 4096) + encoded[12:])
    with pytest.raises(Lz4h5Error):  # block sizes disagree with the content
        lz4h5_decode(struct.pack('>QI', len(WORDS), 4000) + encoded[12:])
    with pytest.raises(ValueError):
        lz4h5_encode(WORDS, blocksize=0)


def test_lz4h5_python_package():
    block = _python_lz4('block')
    data = WORDS[:50_000]
    payload = block.compress(data, store_size=False)
    stream = struct.pack('>QII', len(data), len(data), len(payload)) + payload
    assert lz4h5_decode(stream) == data
    _, _, blocks = _h5_blocks(lz4h5_encode(data, blocksize=8192))
    assert all(len(b) < 8192 for b in blocks)  # all compressed
    joined = b''.join(block.decompress(b, uncompressed_size=8192)
                      for b in blocks)
    assert joined == data


@pytest.mark.slow
def test_lz4h5_large():
    data = numpy.random.default_rng(4).integers(0, 4, 48 << 20, 'u1')
    for blocksize in (None, 1 << 20):
        encoded = lz4h5_encode(data, blocksize=blocksize)
        assert lz4h5_decode(encoded) == data.tobytes()


# LZ4F #######################################################################

def test_lz4f_compressor():
    check_compressor(lz4f_encode, lz4f_decode, Lz4fError,
                     levels=(None, -1, 0, 3, 9, 12), partial=True)


@pytest.mark.parametrize('blocksizeid', [None, 0, 4, 5, 6, 7])
def test_lz4f_options(blocksizeid):
    data = WORDS * 4
    for contentchecksum in (None, True):
        for blockchecksum in (None, True):
            encoded = lz4f_encode(data, blocksizeid=blocksizeid,
                                  contentchecksum=contentchecksum,
                                  blockchecksum=blockchecksum)
            assert lz4f_decode(encoded) == data
            flg, bd = encoded[4], encoded[5]
            assert flg >> 6 == 1  # version 01
            assert bool(flg & 0x04) == bool(contentchecksum)
            assert bool(flg & 0x10) == bool(blockchecksum)
            assert flg & 0x08  # content size
            assert struct.unpack('<Q', encoded[6:14])[0] == len(data)
            # the library takes no larger blocks than the input needs
            assert bd >> 4 == min(blocksizeid or 4, 6)
    with pytest.raises(ValueError):
        lz4f_encode(data, blocksizeid=3)


def test_lz4f_pinned():
    assert lz4f_encode(b'') == bytes.fromhex('04224d1860408200000000')
    assert lz4f_encode(RAMP) == bytes.fromhex(
        '04224d1868400405000000000000442f000000' + RAMP_BLOCK + '00000000')
    assert lz4f_encode(RAMP, level=9, blocksizeid=5, contentchecksum=True,
                       blockchecksum=True) == bytes.fromhex(
        '04224d187c400405000000000000922f000000' + RAMP_BLOCK
        + '8d1552b6000000001d76e16b')


def test_lz4f_frames():
    frame = lz4f_encode(WORDS)
    # a skippable frame: magic 0x184D2A5?, size, payload
    skippable = struct.pack('<II', 0x184D2A53, 5) + b'skip!'
    assert lz4f_decode(frame + lz4f_encode(b'tail')) == WORDS + b'tail'
    assert lz4f_decode(skippable + frame + skippable + frame) == WORDS * 2
    assert lz4f_decode(frame + lz4f_encode(b'')) == WORDS
    assert lz4f_decode(skippable) == b''
    for out in (bytearray, len(WORDS) * 2 + 4):
        assert lz4f_decode(frame + frame, out=out) == WORDS * 2
    # a smaller given output gets the first bytes, across frames too
    assert lz4f_decode(frame, out=len(WORDS) - 1) == WORDS[:-1]
    for size in (len(WORDS) + 3, 2 * len(WORDS) - 1):
        assert lz4f_decode(frame + frame, out=size) == (WORDS * 2)[:size]
    with pytest.raises(Lz4fError):
        lz4f_decode(frame + b'\x00' * 8)


def test_lz4f_corrupt():
    encoded = lz4f_encode(WORDS, contentchecksum=True)
    check_corrupt(lz4f_decode, encoded, Lz4fError,
                  truncations=(0, 3, 6, 18, len(encoded) // 2,
                               len(encoded) - 4, len(encoded) - 1))
    damaged = bytearray(encoded)
    damaged[len(damaged) // 2] ^= 1
    with pytest.raises(Lz4fError):
        lz4f_decode(bytes(damaged))
    # a frame claiming a huge content size fails before allocating it
    huge = bytearray(encoded)
    huge[6:14] = struct.pack('<Q', 1 << 50)
    with pytest.raises(Lz4fError, match='content size'):
        lz4f_decode(bytes(huge))
    small = bytearray(encoded)  # plausible but wrong: the library notices
    small[6:14] = struct.pack('<Q', len(WORDS) - 1)
    with pytest.raises(Lz4fError):
        lz4f_decode(bytes(small))


def test_lz4f_python_package():
    frame = _python_lz4('frame')
    data = WORDS
    for kwargs in ({}, {'store_size': False}, {'block_linked': False},
                   {'store_size': False, 'compression_level': 9,
                    'content_checksum': True,
                    'block_size': frame.BLOCKSIZE_MAX4MB}):
        encoded = frame.compress(data, **kwargs)
        assert lz4f_decode(encoded) == data, kwargs
        assert lz4f_decode(encoded + encoded) == data * 2, kwargs
    for level in (None, 3, 12):
        assert frame.decompress(lz4f_encode(data, level=level)) == data


@needs_tool
def test_lz4f_command_line_tool():
    data = WORDS * 3
    # our frames decode with lz4 -d
    for kwargs in ({}, {'level': 9, 'blocksizeid': 7,
                        'contentchecksum': True, 'blockchecksum': True}):
        assert _tool('-d', '-c', data=lz4f_encode(data, **kwargs)) == data
    # its frames: linked (-BD) or independent blocks, with and without
    # content size; without it our output grows while blocks refer back
    for args in ((), ('--content-size',), ('-BD',), ('-BD', '-9', '-B4'),
                 ('-BD', '--content-size', '-BX')):
        encoded = _tool('-c', *args, data=data)
        assert lz4f_check(encoded)
        assert lz4f_decode(encoded) == data, args
        assert lz4f_decode(encoded, out=bytearray) == data, args
    highly = b'\x00' * 1_000_000 + data
    assert lz4f_decode(_tool('-c', '-BD', data=highly)) == highly


@pytest.mark.slow
def test_lz4f_large():
    data = numpy.random.default_rng(5).integers(0, 4, 48 << 20, 'u1')
    encoded = lz4f_encode(data, blocksizeid=7)
    assert lz4f_decode(encoded) == data.tobytes()
    if shutil.which('lz4'):
        encoded = _tool('-c', '-BD', data=data.tobytes())
        assert lz4f_decode(encoded) == data.tobytes()


def test_large_out_buffer_tail_intact():
    # the decoders never write past the result, even with room to spare
    # (the LZ4 block decoder may scribble over all the room it is given)
    data = WORDS + bytes(100_000) + DATA[:50_000]
    for decode, encoded in (
            (lz4_decode, lz4_encode(data)),
            (lz4_decode, lz4_encode(data, hc=True)),
            (functools.partial(lz4_decode, header=True),
             lz4_encode(data, header=True)),
            (lz4h5_decode, lz4h5_encode(data, blocksize=50_000)),
            (lz4f_decode, lz4f_encode(data) + lz4f_encode(data[:1000]))):
        expected = data if decode is not lz4f_decode else data + data[:1000]
        out = bytearray(b'\xa5' * (len(expected) + 300_000))
        assert decode(encoded, out=out) == expected
        assert out[len(expected):] == b'\xa5' * 300_000


# numcodecs ##################################################################

def _reference_parameters(name):
    path = pathlib.Path(os.environ.get(
        'IMAGECODECS_API_REFERENCE',
        pathlib.Path(__file__).resolve().parent.parent.parent
        / 'shared/reference/api-2024.txt'))
    if not path.is_file():
        pytest.skip(f'{path} not found')
    for line in path.read_text().splitlines():
        if line.startswith(f'{name} codec_id='):
            return dict(re.findall(r"(\w+): '[^']*' = (\w+)", line))
    pytest.fail(f'{name} not in {path}')


@pytest.mark.parametrize('name, kwargs', [
    ('Lz4', {}), ('Lz4', {'hc': True, 'level': 10, 'header': True}),
    ('Lz4f', {}), ('Lz4f', {'level': 12, 'blocksizeid': 6,
                            'contentchecksum': True, 'blockchecksum': True}),
    ('Lz4h5', {}), ('Lz4h5', {'level': 3, 'blocksize': 1000}),
])
def test_numcodecs(name, kwargs):
    numcodecs = pytest.importorskip('numcodecs')
    from imagecodecs import numcodecs as ours

    cls = getattr(ours, name)
    assert {k: repr(v) for k, v in cls.parameters.items()} == \
        _reference_parameters(name)
    codec = cls(**kwargs)
    config = codec.get_config()
    assert config['id'] == f'imagecodecs_{name.lower()}'
    ours.register_codecs(force=True, verbose=False)
    codec = numcodecs.get_codec(config)
    chunk = random_array((64, 48), 'u2', low=0, high=999)
    encoded = codec.encode(chunk)
    decode = getattr(imagecodecs, f'{name.lower()}_decode')
    if name == 'Lz4':
        assert decode(encoded, header=kwargs.get('header', False)) == \
            chunk.tobytes()
    else:
        assert decode(encoded) == chunk.tobytes()
    out = numpy.zeros_like(chunk)
    codec.decode(encoded, out=out)
    numpy.testing.assert_array_equal(out, chunk)
