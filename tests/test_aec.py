# SPDX-License-Identifier: BSD-3-Clause
"""AEC (CCSDS 121.0-B-3 Adaptive Entropy Coding) and SZIP codecs.

The decoder must reproduce the sources of the CCSDS conformance test data
and the encoder their compressed streams (with FLAG.MIN_K, the tie rule of
the encoder that made them). By default the encoder chooses as libaec does:
its output is pinned from the reference package (libaec 1.1.6) and, where
Debian's libaec0 is installed, compared with that library through ctypes.
"""

import ctypes
import ctypes.util
import hashlib
import re

import numpy
import pytest

from imagecodecs import (
    AEC, SZIP, AecError, SzipError, aec_check, aec_decode, aec_encode,
    aec_version, szip_check, szip_decode, szip_encode, szip_params,
    szip_version,
)
from conftest import SAMPLES
from harness import check_corrupt, check_inputs, check_out, require

pytestmark = pytest.mark.usefixtures('available')

FLAG = AEC.FLAG
PRE = FLAG.DATA_PREPROCESS
DTYPES = ('u1', 'u2', 'u4', 'i1', 'i2', 'i4')


@pytest.fixture
def available():
    require('aec')
    require('szip')


def smooth(n, dtype, scale, seed, offset=None):
    """Return a clipped random walk of step at most scale."""
    rng = numpy.random.default_rng(seed)
    info = numpy.iinfo(dtype)
    walk = numpy.cumsum(rng.integers(-scale, scale + 1, n))
    mid = (int(info.max) + int(info.min)) // 2 if offset is None else offset
    return numpy.clip(walk + mid, info.min, info.max).astype(dtype)


def noise(n, dtype, seed, high=None):
    """Return uniform random integers, in [0, high] if given."""
    rng = numpy.random.default_rng(seed)
    info = numpy.iinfo(dtype)
    low = info.min if high is None else 0
    high = info.max if high is None else high
    return rng.integers(low, high, n, dtype, endpoint=True)


def sparse(n, dtype, seed):
    """Return zeros with a few small values: runs of zero blocks."""
    data = numpy.zeros(n, dtype)
    rng = numpy.random.default_rng(seed)
    data[rng.integers(0, n, n // 97)] = rng.integers(1, 100, n // 97)
    return data


def digest(data):
    return len(data), hashlib.sha256(data).hexdigest()


# ---- the CCSDS conformance test data (README121BTest.txt) ----

VECTORS = SAMPLES / 'libaec' / '121B2TestData'


def vector_files():
    """Return the compressed files of the test data, by folder name."""
    if not VECTORS.is_dir():
        return []
    files = sorted(VECTORS.glob('AllOptions/*.rz'))
    files += sorted(VECTORS.glob('ExtendedParameters/*.rz'))
    files += sorted(p for p in VECTORS.glob('LowEntropyOptions/*.dat')
                    if '.n' in p.name)
    return [str(p.relative_to(VECTORS)) for p in files]


def vector_params(name):
    """Return (source, bits, flags, blocksize, rsi candidates) of a file.

    AllOptions/test_pLLLnXX[-basic|-restricted].rz: LLL samples of XX bits,
    J=16, preprocessed, one RSI. ExtendedParameters/sar32bit.jJ.rR.rz:
    32-bit samples, each RSI padded to a byte. LowEntropyOptions/
    LowsetI_8bit.nXX[-basic|-restricted].dat: 8-bit sources of 0 and 1
    coded with XX bits, J=16, preprocessed; the README gives no RSI.
    """
    restricted = FLAG.RESTRICTED if name.endswith('-restricted.rz') or (
        name.endswith('-restricted.dat')) else 0
    match = re.match(r'AllOptions/(test_p(\d+)n(\d+))', name)
    if match:
        samples = int(match.group(2))
        return (f'AllOptions/{match.group(1)}.dat', int(match.group(3)),
                PRE | restricted, 16, [samples // 16])
    match = re.match(r'ExtendedParameters/(\w+)\.j(\d+)\.r(\d+)\.rz', name)
    if match:
        return (f'ExtendedParameters/{match.group(1)}.dat', 32,
                PRE | FLAG.PAD_RSI, int(match.group(2)),
                [int(match.group(3))])
    match = re.match(r'LowEntropyOptions/(\w+)\.n(\d+)', name)
    return (f'LowEntropyOptions/{match.group(1)}.dat', int(match.group(2)),
            PRE | restricted, 16, [16, 32, 64, 128, 256, 4096])


def source_samples(path, bits):
    """Return the source samples as bytes of the codec's sample size."""
    data = path.read_bytes()
    if path.name.startswith('Lowset'):
        values = numpy.frombuffer(data, 'u1')  # 0 and 1, any bit depth
    else:
        itemsize = 1 if bits <= 8 else 2 if bits <= 16 else 4
        values = numpy.frombuffer(data, f'<u{itemsize}')
    itemsize = 1 if bits <= 8 else 2 if bits <= 16 else 4
    return values.astype(f'<u{itemsize}').tobytes()


def find_vector(name):
    """Return (source, compressed, kwargs) of a file; the RSI decodes it."""
    if not VECTORS.is_dir():
        pytest.skip(f'{VECTORS} not found')
    source, bits, flags, blocksize, candidates = vector_params(name)
    expected = source_samples(VECTORS / source, bits)
    compressed = (VECTORS / name).read_bytes()
    for rsi in candidates:
        kwargs = dict(bitspersample=bits, flags=flags, blocksize=blocksize,
                      rsi=rsi)
        decoded = aec_decode(compressed, **kwargs)
        if decoded[:len(expected)] == expected:
            return expected, compressed, kwargs
    pytest.fail(f'{name} does not decode to {source}')


VECTOR_FILES = vector_files() or ['AllOptions/missing.rz']

# Our default encoding of the AllOptions sources, which equals libaec's
# (sha256 prefixes from the reference package). It differs from the test
# data only in the choice among split options of equal length.
LIBAEC_VECTORS = {
    'test_p256n01-basic': '3f98ebb411dd1e84',
    'test_p256n01-restricted': 'c7edc76a4c7a71fc',
    'test_p256n02-basic': '5756b4aa50dd54aa',
}


def test_vectors_present():
    if not VECTORS.is_dir():
        pytest.skip(f'{VECTORS} not found')
    # the sample set holds at least the 36 files of the AllOptions folder
    assert len([f for f in vector_files() if f.startswith('All')]) == 36


@pytest.mark.parametrize('name', VECTOR_FILES)
def test_vector_decode(name):
    expected, compressed, kwargs = find_vector(name)
    decoded = aec_decode(compressed, **kwargs)
    # whole blocks; the last run of zero blocks may reach the segment end
    assert decoded[:len(expected)] == expected
    assert aec_decode(compressed, out=len(expected), **kwargs) == expected


@pytest.mark.parametrize('name', VECTOR_FILES)
def test_vector_encode(name):
    expected, compressed, kwargs = find_vector(name)
    flags = kwargs.pop('flags')
    assert aec_encode(expected, flags=flags | FLAG.MIN_K,
                      **kwargs) == compressed
    # libaec's choices code to the same length
    encoded = aec_encode(expected, flags=flags, **kwargs)
    assert len(encoded) == len(compressed)
    assert aec_decode(encoded, flags=flags, out=len(expected),
                      **kwargs) == expected
    stem = name.split('/')[-1][:-3]
    if stem in LIBAEC_VECTORS:
        assert hashlib.sha256(encoded).hexdigest()[:16] == \
            LIBAEC_VECTORS[stem]


def test_vector_ties():
    """The tie rules differ on the AllOptions data, n >= 5."""
    name = 'AllOptions/test_p256n08.rz'
    if name not in vector_files():
        pytest.skip(f'{name} not found')
    expected, compressed, kwargs = find_vector(name)
    assert aec_encode(expected, **kwargs) != compressed


# ---- examples worked out from the specification ----

@pytest.mark.parametrize('data, kwargs, encoded', [
    # preprocessed, J=8: ID 001 (k=0, FS), reference 00000101, mapped
    # residuals 2 2 and five 0 of the padding: 001 001 1 1 1 1 1, pad 00
    (numpy.array([5, 6, 7], 'u1'), {}, '20a4fc'),
    # 16 bits: ID 0000 + 0 (zero block), reference 16 zeros, a run of two
    # blocks at the end of the RSI (FS 1: 01), pad 0
    (numpy.zeros((3, 4), 'u2'), {}, '000002'),
    # second extension: pairs (0,0) (0,1) (0,0) (0,0) give 0 2 0 0:
    # 000 1, 1 001 1 1, pad; shorter than FS (3 + 9 bits)
    (bytes([0, 0, 0, 1, 0, 0, 0, 0]), dict(flags=0), '19c0'),
    # ten zero blocks to the end of the data: ROS, FS 4: 000 0 00001
    (bytes(80), dict(flags=0, rsi=16), '0080'),
    # no compression: ID 111, eight samples of 8 bits
    (bytes(range(200, 208)), dict(flags=0), 'f91939597999b9d9e0'),
    # restricted 2-bit: 1-bit ID, 1 is no compression
    (bytes([0, 1, 2, 3] * 2), dict(bitspersample=2, flags=FLAG.RESTRICTED,
                                   rsi=1), '8d8d80'),
])
def test_specification_examples(data, kwargs, encoded):
    assert aec_encode(data, **kwargs).hex() == encoded
    if isinstance(data, numpy.ndarray):
        decoded = aec_decode(bytes.fromhex(encoded), out=numpy.empty_like(
            data), **kwargs)
        numpy.testing.assert_array_equal(decoded, data)
    else:
        assert aec_decode(bytes.fromhex(encoded), **kwargs)[:len(data)] == \
            data


def bits_to_bytes(bits):
    """Return a string of bits, zero padded, as bytes."""
    bits = bits.replace(' ', '')
    bits += '0' * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, 'big')


def test_zero_runs():
    """Runs end at the 64-block segments (ROS) or at a non-zero block."""
    data = numpy.zeros(8 * 128, 'u1')
    data[1] = 7
    kwargs = dict(flags=0, rsi=128)
    # ID 001 (FS), 0 7 0 0 0 0 0 0; 63 zero blocks to the segment end: ROS;
    # 64 zero blocks to the RSI end: ROS
    expected = bits_to_bytes('001 1 00000001 111111 0000 00001 0000 00001')
    assert aec_encode(data, **kwargs) == expected
    assert aec_decode(expected, **kwargs) == data.tobytes()
    data[8 * 70] = 1
    # ... ROS; 6 zero blocks before block 70: FS 6; 1 0 0 0 0 0 0 0 as the
    # second extension of the pairs (1, 0) (0, 0)...: 000 1, 01 1 1 1; 57
    # zero blocks to the end: ROS
    expected = bits_to_bytes('001 1 00000001 111111 0000 00001 0000 0000001'
                             ' 000 1 01 1 1 1 0000 00001')
    assert aec_encode(data, **kwargs) == expected
    assert aec_decode(expected, **kwargs) == data.tobytes()


# ---- round trips ----

def make(kind, dtype, n=1031, seed=0):
    if kind == 'random':
        return noise(n, dtype, seed)
    if kind == 'smooth':
        return smooth(n, dtype, 50 if numpy.dtype(dtype).itemsize > 1 else 3,
                      seed)
    return sparse(n, dtype, seed)


@pytest.mark.parametrize('blocksize', [8, 16, 32, 64])
@pytest.mark.parametrize('flags', [0, PRE, PRE | FLAG.PAD_RSI, FLAG.PAD_RSI,
                                   PRE | FLAG.MIN_K])
@pytest.mark.parametrize('kind', ['random', 'smooth', 'sparse'])
@pytest.mark.parametrize('dtype', DTYPES)
def test_roundtrip(dtype, kind, flags, blocksize):
    data = make(kind, dtype)
    kwargs = dict(flags=flags, blocksize=blocksize, rsi=3)
    encoded = aec_encode(data, **kwargs)
    decoded = aec_decode(encoded, out=numpy.empty_like(data), **kwargs)
    numpy.testing.assert_array_equal(decoded, data)
    # a new output holds whole blocks, padded with the last sample
    signed = FLAG.DATA_SIGNED if data.dtype.kind == 'i' else 0
    decoded = aec_decode(encoded, bitspersample=data.itemsize * 8,
                         flags=flags | signed, blocksize=blocksize, rsi=3)
    assert len(decoded) == -(-data.size // blocksize) * blocksize * \
        data.itemsize
    assert decoded[:data.nbytes] == data.tobytes()


@pytest.mark.parametrize('dtype', ['>u2', '>i2', '>u4', '>i4', '<i2'])
def test_roundtrip_byteorder(dtype):
    data = smooth(999, dtype, 300, 1)
    encoded = aec_encode(data, blocksize=16, rsi=8)
    # the dtype gives DATA_SIGNED and DATA_MSB: the samples are the same
    assert encoded == aec_encode(data.astype(data.dtype.newbyteorder('=')),
                                 blocksize=16, rsi=8)
    decoded = aec_decode(encoded, blocksize=16, rsi=8,
                         out=numpy.empty_like(data))
    numpy.testing.assert_array_equal(decoded, data)


@pytest.mark.parametrize('bits, dtype, flags', [
    (1, 'u1', 0), (1, 'u1', FLAG.RESTRICTED), (2, 'u1', 0),
    (2, 'u1', FLAG.RESTRICTED), (3, 'u1', FLAG.RESTRICTED),
    (4, 'u1', FLAG.RESTRICTED), (4, 'i1', FLAG.RESTRICTED), (5, 'u1', 0),
    (7, 'i1', 0), (9, 'u2', 0), (12, 'i2', 0), (15, 'u2', 0), (17, 'u4', 0),
    (20, 'i4', 0), (24, 'u4', FLAG.DATA_3BYTE), (23, 'i4', FLAG.DATA_3BYTE),
    (25, 'u4', 0), (31, 'i4', 0), (32, 'u4', 0),
])
@pytest.mark.parametrize('kind', ['random', 'smooth', 'sparse'])
@pytest.mark.parametrize('pre', [0, PRE])
def test_roundtrip_bits(bits, dtype, flags, kind, pre):
    """Samples narrower than their storage, negative ones too."""
    signed = numpy.dtype(dtype).kind == 'i'
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (
        0, (1 << bits) - 1)
    rng = numpy.random.default_rng(bits)
    if kind == 'random':
        values = rng.integers(low, high, 2000, endpoint=True)
    elif kind == 'smooth':
        values = numpy.clip(numpy.cumsum(rng.integers(-2, 3, 2000)) + (
            low + high) // 2, low, high)
    else:
        values = numpy.full(2000, high // 2)
        values[::300] = low
    data = values.astype(dtype)
    kwargs = dict(bitspersample=bits, flags=flags | pre, blocksize=16, rsi=5)
    if flags & FLAG.DATA_3BYTE:
        # three little-endian bytes; signed samples come out sign extended
        raw = (values & 0xFFFFFF).astype('<u4').view('u1').reshape(-1, 4)
        raw = raw[:, :3].tobytes()
        kwargs['flags'] |= FLAG.DATA_SIGNED if signed else 0
        encoded = aec_encode(raw, **kwargs)
        assert aec_decode(encoded, out=len(raw), **kwargs) == raw
        return
    encoded = aec_encode(data, **kwargs)
    decoded = aec_decode(encoded, out=numpy.empty_like(data), **kwargs)
    numpy.testing.assert_array_equal(decoded, data)


@pytest.mark.parametrize('blocksize', [2, 4, 6, 10, 62])
def test_not_enforce(blocksize):
    data = smooth(1000, 'u2', 20, 3)
    with pytest.raises(ValueError):
        aec_encode(data, blocksize=blocksize)
    flags = PRE | FLAG.NOT_ENFORCE
    encoded = aec_encode(data, flags=flags, blocksize=blocksize, rsi=9)
    decoded = aec_decode(encoded, flags=flags, blocksize=blocksize, rsi=9,
                         out=numpy.empty_like(data))
    numpy.testing.assert_array_equal(decoded, data)


def test_large_rsi_and_segments():
    data = sparse(64 * 4096 + 5, 'u1', 3)
    for rsi in (1, 63, 64, 65, 4096):
        encoded = aec_encode(data, blocksize=64, rsi=rsi)
        assert aec_decode(encoded, blocksize=64, rsi=rsi,
                          out=data.size) == data.tobytes()


def test_decode_grows():
    # 2 MB from some 100 bytes: the new output grows many times
    data = numpy.zeros(1 << 20, 'u2')
    data[::50000] = 7
    encoded = aec_encode(data, blocksize=64, rsi=4096)
    assert len(encoded) < 1000
    assert aec_decode(encoded, bitspersample=16, blocksize=64,
                      rsi=4096) == data.tobytes()


def test_defaults():
    data = smooth(2000, 'i2', 100, 4)
    # blocksize 8, rsi 2, DATA_PREPROCESS, the sign and order of the dtype
    assert aec_encode(data) == aec_encode(
        data.tobytes(), bitspersample=16, flags=PRE | FLAG.DATA_SIGNED,
        blocksize=8, rsi=2)
    # flags are combined with the dtype's
    assert aec_encode(data, flags=PRE) == aec_encode(data)
    assert aec_encode(data.view('u1')) == aec_encode(data.tobytes())
    numpy.testing.assert_array_equal(
        aec_decode(aec_encode(data), out=numpy.empty_like(data)), data)


def test_empty():
    assert aec_encode(b'') == b'\x00'  # as libaec
    assert aec_decode(b'') == b''
    assert aec_decode(b'\x00') == b''
    assert aec_decode(b'\x00\x00', out=4) == b''


# ---- cross-checks with libaec ----

# name: (data, kwargs) -> (size, sha256) of libaec 1.1.6 (the reference
# package); int8 gets DATA_SIGNED explicitly, which the reference omits.
REFERENCE = {
    'u2-smooth-default': (
        lambda: smooth(10000, 'u2', 40, 1), {}, 9831,
        'fccd735295d2bbfce355a4b48548d28fb7234ea87e2bb30dce357f67fd7b0cdb'),
    'u1-noise-default': (
        lambda: noise(3001, 'u1', 2), {}, 3142,
        'a0d0686abea494a57593b7b344982a6dcb2ed0e6494c2732161ba051bc31ea11'),
    'i2-smooth-j16': (
        lambda: smooth(5000, 'i2', 300, 3), dict(blocksize=16, rsi=32), 6239,
        '2f875fe4421e8cd84229bbf493894fe0238096e014b376e1fe8cda8a411c7064'),
    'u4-noise-j32': (
        lambda: noise(2000, 'u4', 4), dict(blocksize=32, rsi=64), 8104,
        '18b843f667919fcfd745d268778ec03af736c055588b9149644f57ea6553380e'),
    'u2-12bit-j64': (
        lambda: smooth(7777, 'u2', 9, 5, 2048) & 4095,
        dict(bitspersample=12, blocksize=64, rsi=4096), 4689,
        'd24a2c36429cc27ea38c3f18a973917738cf14b39995f62d50448dd0272776dc'),
    'u1-3bit-restricted': (
        lambda: noise(4000, 'u1', 6, 1),
        dict(bitspersample=3, flags=PRE | FLAG.RESTRICTED, blocksize=16,
             rsi=16), 763,
        'f89d6f134141010b6690bb68ff3d5337987c53bdd452df9d4dea066cfd323e50'),
    'u4-24bit-3byte-msb-pad': (
        lambda: smooth(3000, 'u4', 1000, 7, 1 << 23).astype('>u4').view(
            'u1').reshape(-1, 4)[:, 1:].tobytes(),
        dict(bitspersample=24, flags=FLAG.DATA_3BYTE | FLAG.DATA_MSB | PRE
             | FLAG.PAD_RSI, blocksize=8, rsi=5), 4649,
        'b00c0f628be649c53dfee57b769b8821244056601d7ebceeb24857fae3fe525d'),
    'u2-sparse-rsi100': (
        lambda: sparse(20000, 'u2', 8), dict(blocksize=8, rsi=100), 1782,
        '6d8b0d54c6e2003c2b72a905bccf80c4a87b3624bb395da4c6b326bb64f5cb97'),
    'u2-raw-j16': (
        lambda: smooth(4096, 'u2', 4, 9, 3), dict(flags=0, blocksize=16,
                                                   rsi=16), 4180,
        'ba86523f28b9d8506047d701c540bf717465039f60db5deae9294376f34f1055'),
    'i4-smooth': (
        lambda: smooth(3000, 'i4', 1 << 20, 10), dict(blocksize=16, rsi=128),
        8183,
        '2e54a04d1ad5471edd809e6331425b67349681d9742cce0128dece2ba4f90762'),
    'u2-notenforce-j10': (
        lambda: smooth(3000, 'u2', 30, 11),
        dict(flags=PRE | FLAG.NOT_ENFORCE, blocksize=10, rsi=7), 2589,
        '5a570f81c1af8d495b7e5b3d6326663f7945842d26ca5f01c721a4af35cf674b'),
    'i1-smooth-j8': (
        lambda: smooth(999, 'i1', 3, 12),
        dict(flags=PRE | FLAG.DATA_SIGNED, blocksize=8, rsi=3), 483,
        'b245f720f1716403883a85776d689831fd1eedf52c62d01f5f26656fe1f9f5c9'),
}


@pytest.mark.parametrize('name', REFERENCE)
def test_reference_encodings(name):
    make_data, kwargs, size, sha256 = REFERENCE[name]
    data = make_data()
    encoded = aec_encode(data, **kwargs)
    assert digest(encoded) == (size, sha256)
    if isinstance(data, numpy.ndarray):
        decoded = aec_decode(encoded, out=numpy.empty_like(data), **kwargs)
        numpy.testing.assert_array_equal(decoded, data)
    else:
        assert aec_decode(encoded, out=len(data), **kwargs) == data


class _Stream(ctypes.Structure):
    """libaec's struct aec_stream."""

    _fields_ = [
        ('next_in', ctypes.c_void_p), ('avail_in', ctypes.c_size_t),
        ('total_in', ctypes.c_size_t), ('next_out', ctypes.c_void_p),
        ('avail_out', ctypes.c_size_t), ('total_out', ctypes.c_size_t),
        ('bits_per_sample', ctypes.c_uint), ('block_size', ctypes.c_uint),
        ('rsi', ctypes.c_uint), ('flags', ctypes.c_uint),
        ('state', ctypes.c_void_p),
    ]


@pytest.fixture(scope='module')
def libaec():
    """Debian's libaec0 through ctypes, if installed."""
    name = ctypes.util.find_library('aec')
    if name is None:
        pytest.skip('libaec is not installed')
    return ctypes.CDLL(name)


def _libaec_call(function, src, dstsize, bits, flags, blocksize, rsi):
    src = numpy.frombuffer(src, 'u1')
    dst = numpy.zeros(dstsize, 'u1')
    stream = _Stream(src.ctypes.data, src.size, 0, dst.ctypes.data,
                     dst.size, 0, bits, blocksize, rsi, flags, None)
    assert function(ctypes.byref(stream)) == 0
    return dst[:stream.total_out].tobytes()


@pytest.mark.parametrize('bits, flags, blocksize, rsi', [
    (8, PRE, 8, 2), (16, PRE, 16, 64), (16, 0, 32, 128),
    (12, PRE | FLAG.PAD_RSI, 64, 7), (32, PRE, 16, 4096),
    (24, PRE | FLAG.DATA_3BYTE | FLAG.DATA_MSB, 8, 3),
    (3, PRE | FLAG.RESTRICTED, 8, 16), (16, PRE | FLAG.DATA_SIGNED, 32, 9),
])
@pytest.mark.parametrize('kind', ['random', 'smooth', 'sparse'])
def test_libaec_ctypes(libaec, bits, flags, blocksize, rsi, kind):
    width = 1 if bits <= 8 else 2 if bits <= 16 else (
        3 if flags & FLAG.DATA_3BYTE else 4)
    values = make(kind, 'i4' if flags & FLAG.DATA_SIGNED else 'u4', 5000,
                  bits)
    values = values.astype('i8') & ((1 << bits) - 1)
    if flags & FLAG.DATA_SIGNED:  # full width: libaec's signed samples
        values = values.astype(f'u{width}').astype(f'i{width}')
    order = '>' if flags & FLAG.DATA_MSB else '<'
    raw = values.astype(f'{order}u4').view('u1').reshape(-1, 4)
    raw = (raw[:, 4 - width:] if order == '>' else raw[:, :width]).tobytes()
    kwargs = dict(bitspersample=bits, flags=flags, blocksize=blocksize,
                  rsi=rsi)
    encoded = aec_encode(raw, **kwargs)
    if not flags & FLAG.PAD_RSI:  # libaec 1.0 pads the last RSI otherwise
        assert _libaec_call(libaec.aec_buffer_encode, raw, 2 * len(raw) + 64,
                            bits, flags, blocksize, rsi) == encoded
    assert _libaec_call(libaec.aec_buffer_decode, encoded, len(raw), bits,
                        flags, blocksize, rsi) == raw


# ---- the out= rules, input buffers, bad parameters, hostile input ----

def test_encode_out():
    data = smooth(3000, 'u2', 30, 5)
    check_out(aec_encode, data, aec_encode(data, blocksize=16), AecError,
              blocksize=16)


def test_decode_out():
    data = smooth(1001, 'u2', 30, 6)  # 126 blocks of 8, the last padded
    encoded = aec_encode(data)
    check_inputs(aec_decode, encoded, aec_decode(encoded, bitspersample=16),
                 bitspersample=16)
    full = aec_decode(encoded, bitspersample=16)
    assert len(full) == 1008 * 2 and full[:2002] == data.tobytes()
    assert aec_decode(encoded, bitspersample=16, out=bytearray) == full
    # a given output may cut the last block short
    out = numpy.empty_like(data)
    assert aec_decode(encoded, out=out) is out
    numpy.testing.assert_array_equal(out, data)
    assert aec_decode(encoded, bitspersample=16, out=2002) == data.tobytes()
    assert bytes(aec_decode(encoded, bitspersample=16,
                            out=bytearray(5000))) == full
    # but not a block before it
    with pytest.raises(AecError):
        aec_decode(encoded, bitspersample=16, out=2000)
    guard = bytearray(b'\x5a' * 3000)
    with pytest.raises(AecError):
        aec_decode(encoded, bitspersample=16, out=memoryview(guard)[:1500])
    assert guard[1500:] == b'\x5a' * 1500


@pytest.mark.parametrize('kwargs', [
    dict(bitspersample=0), dict(bitspersample=33), dict(blocksize=12),
    dict(blocksize=128), dict(rsi=0), dict(rsi=4097),
    dict(blocksize=7, flags=PRE | FLAG.NOT_ENFORCE),
])
def test_invalid_parameters(kwargs):
    with pytest.raises(ValueError):
        aec_encode(b'\x00' * 64, **kwargs)
    with pytest.raises(ValueError):
        aec_decode(b'\x00' * 64, **kwargs)


def test_invalid_data():
    with pytest.raises(ValueError):
        aec_encode(numpy.zeros(8, 'u8'))
    with pytest.raises(ValueError):
        aec_encode(b'abc', bitspersample=16)  # not whole samples
    with pytest.raises(TypeError):
        aec_encode('text')


def test_truncated_and_corrupt():
    data = noise(5000, 'u1', 7)  # blocks of no compression
    encoded = aec_encode(data, flags=0)
    check_corrupt(aec_decode, encoded, AecError, flags=0,
                  truncations=(len(encoded) // 2, len(encoded) - 1, 5))
    data = smooth(5000, 'u2', 200, 8)
    encoded = aec_encode(data, blocksize=16, rsi=5)
    check_corrupt(aec_decode, encoded, AecError, bitspersample=16,
                  blocksize=16, rsi=5, truncations=(len(encoded) // 3,))
    # a run of more than 64 zero blocks
    with pytest.raises(AecError):
        aec_decode(b'\x00' * 9 + b'\x80', flags=0, rsi=4096)
    # a run longer than the RSI
    with pytest.raises(AecError):
        aec_decode(bytes([0b00000000, 0b00000100]), flags=0, rsi=3)


def test_hostile():
    """Random streams never crash nor write past the output."""
    rng = numpy.random.default_rng(9)
    for trial in range(300):
        bits = int(rng.integers(1, 33))
        flags = int(rng.choice([0, PRE, PRE | FLAG.PAD_RSI,
                                PRE | FLAG.DATA_SIGNED])) | int(
            rng.choice([0, FLAG.RESTRICTED]))
        kwargs = dict(bitspersample=bits, flags=flags,
                      blocksize=int(rng.choice([8, 16, 32, 64])),
                      rsi=int(rng.choice([1, 3, 64, 4096])))
        data = rng.bytes(int(rng.integers(0, 200)))
        for out in (None, 64):
            try:
                aec_decode(data, out=out, **kwargs)
            except AecError:
                pass
        guard = bytearray(200)
        try:
            aec_decode(data, out=memoryview(guard)[:100], **kwargs)
        except AecError:
            pass
        assert guard[100:] == bytes(100)


def test_check_version():
    assert aec_check(b'\x00') is None
    assert szip_check(b'\x00') is None
    assert isinstance(aec_version(), str)
    assert isinstance(szip_version(), str)
    assert FLAG.DATA_PREPROCESS == 8 and FLAG.NOT_ENFORCE == 64
    assert SZIP.OPTION_MASK.NN == 32 and SZIP.OPTION_MASK.RAW == 128


# ---- SZIP ----

NN, EC, LSB, MSB = 32, 4, 8, 16

# name: (data, (options_mask, pixels_per_block, bits_per_pixel,
# pixels_per_scanline), header) -> (size, sha256) of the reference package
SZIP_REFERENCE = {
    'u2-nn-lsb-header': (
        lambda: smooth(5000, 'u2', 40, 21), (NN | LSB, 32, 16, 100), True,
        5075,
        '495d9283fb081d19e8101531ee209f29674682e459124f31336ca4a7b9bf4fdf'),
    'u1-ec': (
        lambda: noise(2000, 'u1', 22, 15), (EC | LSB, 8, 8, 33), False, 1288,
        '6690a6e63cea8d28c66e584cdf8cd045ff62cc1241d0851b86c97ae00bd9c140'),
    'f4-nn-interleave': (
        lambda: (numpy.sin(numpy.arange(3000) / 50) * 100).astype('f4'),
        (NN | LSB, 16, 32, 64), True, 8303,
        '01993741effa121334edae748661e72282d312cbceedbad456b867fdb41818d6'),
    'u8-ec-interleave': (
        lambda: smooth(1500, 'i8', 1000, 23).astype('u8'),
        (EC | LSB, 32, 64, 256), True, 12146,
        '520223539235852f4ec804c4a77c642e8e007305a74a6deb0a721b131fb68934'),
    'u2-12bit-msb-ppb4': (
        lambda: (smooth(2000, 'u2', 9, 24, 2048) & 4095).astype('>u2'),
        (NN | MSB, 4, 12, 50), False, 1485,
        '5c06e5ccfb32938d6f612874fbe4fe497405af533d941b112a92366616352bd2'),
    'u4-20bit-nn': (
        lambda: smooth(2500, 'u4', 100, 25, 1 << 19) & 0xFFFFF,
        (NN | LSB | 1 | 128, 10, 20, 777), True, 2704,
        '166438b73aa0e32043deb70d0a356a4ba92e0aa47a266d28e1aca7de09e57a48'),
}


@pytest.mark.parametrize('name', SZIP_REFERENCE)
def test_szip_reference(name):
    make_data, args, header, size, sha256 = SZIP_REFERENCE[name]
    data = make_data()
    encoded = szip_encode(data, *args, header=header)
    assert digest(encoded) == (size, sha256)
    if header:
        assert encoded[:4] == data.nbytes.to_bytes(4, 'little')
        assert szip_decode(encoded, *args, header=True) == data.tobytes()
    else:
        assert szip_decode(encoded, *args, out=data.nbytes) == \
            data.tobytes()


def test_szip_is_aec_of_padded_scanlines():
    data = smooth(1000, 'u2', 30, 26)
    # scanlines of 100 pixels padded to 4 blocks of 32 with the last one
    padded = numpy.concatenate([numpy.pad(line, (0, 28), 'edge')
                                for line in data.reshape(10, 100)])
    assert szip_encode(data, NN | LSB, 32, 16, 100) == aec_encode(
        padded, flags=PRE | FLAG.NOT_ENFORCE, blocksize=32, rsi=4)
    # without preprocessing, padded with zeros
    padded = numpy.concatenate([numpy.pad(line, (0, 28))
                                for line in data.reshape(10, 100)])
    assert szip_encode(data, EC | LSB, 32, 16, 100) == aec_encode(
        padded, flags=FLAG.NOT_ENFORCE, blocksize=32, rsi=4)


@pytest.mark.parametrize('bits, dtype', [(1, 'u1'), (8, 'u1'), (12, 'u2'),
                                         (16, 'u2'), (24, 'u4'), (31, 'u4'),
                                         (32, 'u4'), (32, 'f4'), (64, 'u8'),
                                         (64, 'f8')])
@pytest.mark.parametrize('mask', [NN | LSB, EC | LSB, NN | MSB, EC | MSB])
@pytest.mark.parametrize('ppb, pps', [(32, 100), (8, 8), (2, 33), (16, 4096),
                                      (10, 1)])
def test_szip_roundtrip(bits, dtype, mask, ppb, pps):
    rng = numpy.random.default_rng(bits + ppb)
    if dtype[0] == 'f':
        data = numpy.cumsum(rng.normal(size=1234)).astype(dtype)
    else:
        data = rng.integers(0, 1 << min(bits, 62), 1234, 'u8').astype(dtype)
    if mask & MSB:
        data = data.astype(data.dtype.newbyteorder('>'))
    args = (mask, ppb, bits, pps)
    encoded = szip_encode(data, *args, header=True)
    assert szip_decode(encoded, *args, header=True) == data.tobytes()
    encoded = szip_encode(data, *args)
    assert szip_decode(encoded, *args, out=data.nbytes) == data.tobytes()
    if bits < 32:  # without size, all scanlines in full
        decoded = szip_decode(encoded, *args)
        assert len(decoded) == -(-data.size // pps) * pps * data.itemsize
        assert decoded[:data.nbytes] == data.tobytes()


def test_szip_errors():
    data = smooth(1000, 'u2', 30, 27)
    encoded = szip_encode(data, NN | LSB, 32, 16, 100, header=True)
    with pytest.raises(SzipError):
        szip_decode(encoded[:len(encoded) // 2], NN | LSB, 32, 16, 100,
                    header=True)
    with pytest.raises(SzipError):
        szip_decode(encoded[:3], NN | LSB, 32, 16, 100, header=True)
    with pytest.raises(SzipError):
        szip_decode(encoded, NN | LSB, 32, 16, 100, header=True, out=100)
    with pytest.raises(SzipError):  # more than the stream can hold
        szip_decode(b'\xff\xff\xff\x7f' + encoded[4:100], NN | LSB, 32, 16,
                    100, header=True)
    check_out(szip_encode, data, szip_encode(data, NN | LSB, 32, 16, 100),
              SzipError, options_mask=NN | LSB, pixels_per_block=32,
              bits_per_pixel=16, pixels_per_scanline=100)
    check_corrupt(szip_decode, encoded, SzipError, options_mask=NN | LSB,
                  pixels_per_block=32, bits_per_pixel=16,
                  pixels_per_scanline=100, header=True)
    for args in ((NN, 33, 16, 100), (NN, 0, 16, 100), (NN, 32, 0, 100),
                 (NN, 32, 40, 100), (NN, 32, 16, 0), (NN, 32, 16, 4097)):
        with pytest.raises(ValueError):
            szip_encode(data, *args)
        with pytest.raises(ValueError):
            szip_decode(encoded, *args)
    with pytest.raises(ValueError):
        szip_encode(b'abc', NN, 32, 16, 100)


@pytest.mark.parametrize('shape, dtype, mask, ppb, expected', [
    ((100,), 'u2', 4, 32, (12, 32, 16, 100)),
    ((10, 30), 'u1', 4, 32, (12, 32, 8, 32)),
    ((5, 7, 300), 'i4', 32, 16, (40, 16, 32, 300)),
    ((3, 2000), 'f8', 4, 32, (12, 32, 64, 2000)),
    ((4, 33), '>f4', 4, 8, (20, 8, 32, 33)),
    ((2, 3, 4), 'u8', 4, 32, (12, 24, 64, 24)),
    ((5000,), 'u1', 4, 32, (12, 32, 8, 4096)),
    ((1,), 'i2', 4, 32, (12, 2, 16, 2)),
    ((7, 9000), 'u2', 4, 16, (12, 16, 16, 2048)),
    ((10, 2), 'u2', 36, 8, (44, 8, 32, 10)),
    ((6, 4), 'u1', 4, 2, (12, 2, 32, 6)),
    ((0,), 'u2', 4, 32, (12, 2, 16, 2)),
])
def test_szip_params(shape, dtype, mask, ppb, expected):
    """As the reference package (values from it)."""
    params = szip_params(numpy.zeros(shape, dtype), mask, ppb)
    assert params == dict(zip(('options_mask', 'pixels_per_block',
                               'bits_per_pixel', 'pixels_per_scanline'),
                              expected))
    with pytest.raises(ValueError):
        szip_params(numpy.zeros(shape, dtype), mask, 7)


@pytest.mark.slow
def test_speed():
    """16 MB of smooth uint16 samples; prints MB/s."""
    import time
    rng = numpy.random.default_rng(42)
    i = numpy.arange(8 * 1024 * 1024)
    data = (30000 + 10000 * numpy.sin(i / 5000.0)
            + rng.normal(0, 30, i.size)).astype('u2')
    out = numpy.empty_like(data)
    for kwargs in ({}, dict(blocksize=32, rsi=128)):
        start = time.process_time()
        encoded = aec_encode(data, **kwargs)
        middle = time.process_time()
        aec_decode(encoded, out=out, **kwargs)
        end = time.process_time()
        numpy.testing.assert_array_equal(out, data)
        print(kwargs, f'encode {data.nbytes / 1e6 / (middle - start):.0f}',
              f'decode {data.nbytes / 1e6 / (end - middle):.0f} MB/s')
