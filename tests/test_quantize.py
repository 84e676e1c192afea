# SPDX-License-Identifier: BSD-3-Clause
"""QUANTIZE codec: BitGroom, Granular BitRound, BitRound and Scale.

Expected results were computed with the reference implementation
(netCDF-C 4.9.2's nc4var.c as imagecodecs 2024 wraps it) and pinned:
SHA-256 digests of quantized reproducible data for every valid nsd, and
exact words of small vectors. NumPy models written from the definitions
check BitGroom, BitRound and Scale independently; error bounds check what
nsd promises.
"""

import concurrent.futures
import hashlib
import math

import numpy
import pytest

from imagecodecs import (
    QUANTIZE, QuantizeError, quantize_check, quantize_decode,
    quantize_encode, quantize_version,
)
from harness import (
    FLOAT_DTYPES, INT_DTYPES, SHAPES, check_inputs, check_out, require,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('quantize')


MODES = ('bitgroom', 'granularbr', 'bitround', 'scale')
UINT = {4: numpy.uint32, 8: numpy.uint64}
MANT = {4: 23, 8: 52}  # explicit mantissa bits
FILL = 9.9692099683868690e+36  # netCDF's default fill value, kept as is


def words(n, itemsize, seed=1):
    """Return reproducible pseudo-random words (SplitMix64, no RNG)."""
    x = numpy.arange(n, dtype=numpy.uint64) + numpy.uint64(seed)
    x *= numpy.uint64(0x9E3779B97F4A7C15)
    x ^= x >> numpy.uint64(30)
    x *= numpy.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> numpy.uint64(27)
    x *= numpy.uint64(0x94D049BB133111EB)
    x ^= x >> numpy.uint64(31)
    if itemsize == 4:
        return (x >> numpy.uint64(32)).astype(numpy.uint32)
    return x


def values(n, dtype, seed=1, spread=40):
    """Return reproducible finite floats of both signs in 2**+-spread."""
    w = words(n, 8, seed)
    mantissa = 1.0 + (w >> numpy.uint64(12)).astype(numpy.float64) / 2.0**52
    exponent = (w % numpy.uint64(2 * spread)).astype(numpy.int64) - spread
    sign = numpy.where(w & numpy.uint64(1 << 11), -1.0, 1.0)
    return numpy.ldexp(sign * mantissa, exponent).astype(dtype)


def specials(dtype):
    """Return NaNs, infinities, zeros, extremes, fill values, powers of ten
    and two, and neighbours of the powers of ten, each at an even and an
    odd index."""
    dtype = numpy.dtype(dtype)
    uint = UINT[dtype.itemsize]
    info = numpy.finfo(dtype)
    base = numpy.array(
        [0.0, -0.0, numpy.inf, -numpy.inf, numpy.nan, -numpy.nan,
         info.smallest_subnormal, -info.smallest_subnormal, info.tiny,
         info.max, -info.max, FILL, -FILL, 0.5, 1.0, 2.0, 0.1], dtype)
    nans = numpy.array(
        [0x7FC00001, 0x7F800001, 0xFFC12345, 0x7FFFFFFF]
        if dtype.itemsize == 4 else
        [0x7FF8000000000001, 0x7FF0000000000001, 0xFFF8123456789ABC,
         0x7FFFFFFFFFFFFFFF], uint).view(dtype)
    top = 38 if dtype.itemsize == 4 else 308
    tens = numpy.array([float(f'1e{k}') for k in range(-top, top + 1)],
                       dtype)
    near = [(tens.view(uint) + uint(d)).view(dtype) for d in (1, 2)]
    near += [(tens.view(uint) - uint(d)).view(dtype) for d in (1, 2)]
    twos = numpy.ldexp(numpy.ones(60), numpy.arange(-30, 30)).astype(dtype)
    data = numpy.concatenate([base, nans, tens, *near, twos, -twos])
    return numpy.concatenate([data, data[1:]])


def dataset(dtype):
    """Return the data of the pinned digests."""
    dtype = numpy.dtype(dtype)
    return numpy.concatenate([
        values(3000, dtype, 1, 40 if dtype.itemsize == 4 else 300),
        values(3001, dtype, 2, 6),
        words(2000, dtype.itemsize, 3).view(dtype),
        specials(dtype),
    ])


def bits(data):
    return numpy.ascontiguousarray(data).view(UINT[data.dtype.itemsize])


def masks(dtype, zero):
    """Return the BitShave mask zeroing `zero` bits and the BitRound half."""
    itemsize = numpy.dtype(dtype).itemsize
    shave = ((1 << 8 * itemsize) - 1) >> zero << zero
    return UINT[itemsize](shave), UINT[itemsize](~shave & (shave >> 1))


def bitgroom_model(data, nsd):
    keep = math.ceil(nsd * math.log2(10)) + 1
    shave, _ = masks(data.dtype, MANT[data.itemsize] - keep)
    x = bits(data)
    odd = numpy.arange(x.size) % 2 == 1
    result = numpy.where(odd, numpy.where(x != 0, x | ~shave, x), x & shave)
    result = numpy.where(data == FILL, x, result)
    return result.view(data.dtype)


def bitround_model(data, nsd):
    shave, half = masks(data.dtype, MANT[data.itemsize] - nsd)
    x = bits(data)
    result = numpy.where(data == FILL, x, (x + half) & shave)
    return result.view(data.dtype)


def scale_model(data, nsd):
    """Round to multiples of 2**-b, 2**b >= 10**nsd, halfway away from 0."""
    factor = 2.0 ** (10**nsd - 1).bit_length()
    with numpy.errstate(all='ignore'):
        y = data.astype(numpy.float64) * factor
        rounded = numpy.trunc(y)
        rounded += numpy.copysign(numpy.abs(y - rounded) >= 0.5, y)
        return (rounded / factor).astype(data.dtype)


def encode(data, mode, nsd, **kwargs):
    with numpy.errstate(all='ignore'):
        return quantize_encode(data, mode, nsd, **kwargs)


# SHA-256 of the reference's results for dataset(dtype), every nsd from 0
# to the bits of the type, nsd outside the mantissa included.
DIGESTS = {
    ('f4', 'bitgroom'):
        '9d0917bfd5fec090c28c391efe92dfaa0ab4e8a6a66188232df8aed7718689fd',
    ('f4', 'granularbr'):
        '3be7bf55a6c8e531ffe7066d7b3a934111864ee14d6a5b4855ea6ec8bb7faf36',
    ('f4', 'bitround'):
        '277cf3431b0ede878895d053f390754d3643e81e0b7c1a8ce28bd28c404b0143',
    ('f4', 'scale'):
        '75569718c2f1e3bef2109224fa78de309f72ea14b496fcbbe3e63497642e6cae',
    ('f8', 'bitgroom'):
        '0a7027f24a2d4f8f75615881dc102b8f3f0ca54c7df9ab06b73b17be09523530',
    ('f8', 'granularbr'):
        'e2dd9b290c6ca200d0b316db286182c87487acf505d6f4b06ab5d6c80628f631',
    ('f8', 'bitround'):
        'f0a33c3f283bb29cf9ace265a8c9ffcc955ea3979db9605fb767ec7c6d4f1a37',
    ('f8', 'scale'):
        '1209bed514b02adb1413088565fa2e9b7af4b8f08c2ace373f1a4018b8512403',
}
DATASET_DIGESTS = {
    'f4': '37a5958cfdbdc62e0d4fbb107ff20e448a0becf422f4a9a3d3fc0dd9caaf193a',
    'f8': '1a8898962d10264af07b565fd6a2469d28d92bb0201583cdbb1ada143cfe3ff8',
}


@pytest.mark.parametrize('mode', MODES)
@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_reference_digests(dtype, mode):
    data = dataset(dtype)
    assert hashlib.sha256(data.tobytes()).hexdigest() == \
        DATASET_DIGESTS[dtype]
    digest = hashlib.sha256()
    for nsd in range(8 * data.itemsize):
        digest.update(encode(data, mode, nsd).tobytes())
    assert digest.hexdigest() == DIGESTS[(dtype, mode)]


VECTOR = [1.2345678, -3.14159265, 100.5, 1e-5, -0.0, 0.0, numpy.inf,
          -numpy.inf, numpy.nan, FILL]

# the reference's words for VECTOR
VECTOR_WORDS = {
    ('f4', 'bitgroom', 3): [
        0x3F9E0000, 0xC0490FFF, 0x42C90000, 0x3727CFFF, 0x80000000, 0x0,
        0x7F800000, 0xFF800FFF, 0x7FC00000, 0x7CF00000],
    ('f4', 'granularbr', 3): [
        0x3F9E0000, 0xC0490000, 0x42CA0000, 0x3727C000, 0x80000000, 0x0,
        0x80000000, 0x0, 0x80000000, 0x7CF00000],
    ('f4', 'bitround', 10): [
        0x3F9E0000, 0xC0490000, 0x42C90000, 0x3727C000, 0x80000000, 0x0,
        0x7F800000, 0xFF800000, 0x7FC00000, 0x7CF00000],
    ('f4', 'scale', 3): [
        0x3F9E0000, 0xC0491000, 0x42C90000, 0x0, 0x80000000, 0x0,
        0x7F800000, 0xFF800000, 0x7FC00000, 0x7CF00000],
    ('f8', 'bitgroom', 3): [
        0x3FF3C00000000000, 0xC00921FFFFFFFFFF, 0x4059200000000000,
        0x3EE4F9FFFFFFFFFF, 0x8000000000000000, 0x0, 0x7FF0000000000000,
        0xFFF001FFFFFFFFFF, 0x7FF8000000000000, 0x479E000000000000],
    ('f8', 'granularbr', 3): [
        0x3FF3C00000000000, 0xC009200000000000, 0x4059400000000000,
        0x3EE5000000000000, 0x8000000000000000, 0x0, 0x8000000000000000,
        0x0, 0x8000000000000000, 0x479E000000000000],
    ('f8', 'bitround', 10): [
        0x3FF3C00000000000, 0xC009200000000000, 0x4059200000000000,
        0x3EE4F80000000000, 0x8000000000000000, 0x0, 0x7FF0000000000000,
        0xFFF0000000000000, 0x7FF8000000000000, 0x479E000000000000],
    ('f8', 'scale', 3): [
        0x3FF3C00000000000, 0xC009220000000000, 0x4059200000000000, 0x0,
        0x8000000000000000, 0x0, 0x7FF0000000000000, 0xFFF0000000000000,
        0x7FF8000000000000, 0x479E000000000000],
}


@pytest.mark.parametrize('key', VECTOR_WORDS, ids=str)
def test_reference_vectors(key):
    dtype, mode, nsd = key
    data = numpy.array(VECTOR, dtype)
    result = encode(data, mode, nsd)
    assert result.dtype == data.dtype and result.shape == data.shape
    assert bits(result).tolist() == VECTOR_WORDS[key]
    # the input is not changed
    assert numpy.array_equal(data, numpy.array(VECTOR, dtype),
                             equal_nan=True)


def test_special_values():
    """NaN, infinities and zeros as netCDF-C 4.9.2 treats them."""
    data = numpy.array([numpy.nan, numpy.nan, numpy.inf, numpy.inf,
                        -numpy.inf, -numpy.inf, -0.0, -0.0, 0.0, 0.0], 'f4')
    # BitRound and Scale keep them (NaN payloads may change)
    for mode, nsd in (('bitround', 5), ('scale', 2)):
        result = encode(data, mode, nsd)
        assert numpy.array_equal(result, data, equal_nan=True)
        assert numpy.array_equal(numpy.signbit(result), numpy.signbit(data))
    # BitGroom sets the low bits of odd items: infinities become NaN
    result = encode(data, 'bitgroom', 2)
    assert numpy.isnan(result[[0, 1, 3, 5]]).all()
    assert result[2] == numpy.inf and result[4] == -numpy.inf
    assert result[6] == 0 and result[7] < 0 and result[7] > -1e-35
    assert bits(result)[8:].tolist() == [0, 0]
    # GBR turns NaN and infinities into zeros, keeps +-0
    result = encode(data, 'granularbr', 2)
    assert bits(result).tolist() == [
        0x80000000, 0x80000000, 0x80000000, 0x80000000, 0, 0,
        0x80000000, 0x80000000, 0, 0]


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_fill_value_is_kept(dtype):
    data = numpy.array([FILL, FILL, 1.1, 1.1], dtype)
    for mode in MODES:
        result = encode(data, mode, 1)
        assert result[0] == result[1] == data[0]
        assert result[2] != data[2], mode


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_bitgroom_model(dtype):
    data = dataset(dtype)
    # nsd whose bits fit the mantissa
    for nsd in range(7 if dtype == 'f4' else 16):
        assert bits(encode(data, 'bitgroom', nsd)).tolist() == \
            bits(bitgroom_model(data, nsd)).tolist(), nsd


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_bitround_model(dtype):
    data = dataset(dtype)
    for nsd in range(MANT[data.itemsize] + 1):
        assert bits(encode(data, 'bitround', nsd)).tolist() == \
            bits(bitround_model(data, nsd)).tolist(), nsd


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_scale_model(dtype):
    data = dataset(dtype)
    for nsd in range(8 * data.itemsize):
        numpy.testing.assert_array_equal(
            encode(data, 'scale', nsd), scale_model(data, nsd),
            err_msg=str(nsd))


@pytest.mark.parametrize('mode', MODES)
@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_error_bounds(dtype, mode):
    data = values(20000, dtype, 7, 30)
    x = data.astype(numpy.float64)
    digits = numpy.floor(numpy.log10(numpy.abs(x)))
    for nsd in range(1, 7 if dtype == 'f4' else 16):
        error = numpy.abs(encode(data, mode, nsd).astype(numpy.float64) - x)
        if mode == 'bitround':
            # round to nsd bits: half a unit of the last kept bit
            bound = numpy.abs(x) * 2.0 ** -(nsd + 1)
        elif mode == 'bitgroom':
            # within a unit of the last kept bit: 2**-keep <= 10**-nsd / 2
            bound = numpy.abs(x) * 0.5 * 10.0 ** -nsd
        elif mode == 'granularbr':
            # half a unit of the nsd-th significant digit
            bound = 0.5 * 10.0 ** (digits - nsd + 1) * (1 + 1e-12)
        else:
            # half a unit of the scale, 2**-b <= 10**-nsd
            bound = numpy.full_like(x, 0.5 * 10.0 ** -nsd)
        assert (error <= bound).all(), nsd
        assert error.max() > 0.1 * bound.max(), nsd  # and it is lossy


@pytest.mark.parametrize('mode', ['bitgroom', 'bitround', 'scale'])
@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_idempotent(dtype, mode):
    data = dataset(dtype)
    for nsd in range(0, 8 * data.itemsize, 3):
        once = encode(data, mode, nsd)
        assert bits(encode(once, mode, nsd)).tolist() == bits(once).tolist()


def test_nsd_beyond_mantissa():
    """The reference accepts nsd up to the word size; shifts wrap."""
    data = numpy.array([1.2345678, -3.1415927, 100.5, 1e-5], 'f4')
    # BitGroom keeps 25 > 23 bits: the masks shift by 30 (-2 mod 32)
    assert bits(encode(data, 'bitgroom', 7)).tolist() == [
        0x0, 0xFFFFFFFF, 0x40000000, 0x3FFFFFFF]
    # BitRound keeps 24 bits: the masks shift by 31 (-1 mod 32)
    assert bits(encode(data, 'bitround', 24)).tolist() == [
        0x0, 0x0, 0x80000000, 0x0]
    # keeping all bits changes nothing
    assert numpy.array_equal(encode(data, 'bitround', 23), data)
    assert numpy.array_equal(encode(data.astype('f8'), 'bitround', 52),
                             data.astype('f8'))


def test_modes():
    assert QUANTIZE.available
    assert {m.name: int(m) for m in QUANTIZE.MODE} == {
        'NOQUANTIZE': 0, 'BITGROOM': 1, 'GRANULARBR': 2, 'BITROUND': 3,
        'SCALE': 100}
    data = values(999, 'f4')
    for names, value in ((('bitgroom',), 1), (('granularbr', 'gbr'), 2),
                         (('bitround',), 3), (('scale',), 100),
                         (('noquantize',), 0)):
        expected = encode(data, QUANTIZE.MODE(value), 5)
        for mode in names + (value, float(value), numpy.int64(value)):
            assert bits(encode(data, mode, 5)).tolist() == \
                bits(expected).tolist(), mode
    assert not numpy.array_equal(encode(data, 'gbr', 5), data)


@pytest.mark.parametrize('mode', [
    'BITGROOM', 'GBR', 'none', '', 'foo', '1', 4, -1, 99, None, 2.5, [1]])
def test_invalid_mode(mode):
    with pytest.raises(ValueError, match='mode'):
        encode(numpy.ones(3, 'f4'), mode, 3)


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_nsd(dtype):
    data = values(100, dtype)
    top = 8 * numpy.dtype(dtype).itemsize
    for mode in MODES + ('noquantize',):
        encode(data, mode, top - 1)
        for nsd in (-1, top, 100):
            with pytest.raises(ValueError, match='significant digits'):
                encode(data, mode, nsd)
            with pytest.raises(ValueError):
                encode(data[:0], mode, nsd)
    for nsd in ('3', b'3', None):
        with pytest.raises(TypeError):
            encode(data, 'bitgroom', nsd)
    # as the reference: nsd is truncated to an integer
    assert numpy.array_equal(encode(data, 'bitgroom', 3.7),
                             encode(data, 'bitgroom', 3))
    assert numpy.array_equal(encode(data, 'bitround', numpy.int8(9)),
                             encode(data, 'bitround', 9))


@pytest.mark.parametrize('dtype', INT_DTYPES + ('f2', 'g', 'c8', 'c16', '?',
                                                'O', 'S4', 'V8'))
def test_invalid_dtype(dtype):
    data = numpy.zeros(4, dtype)
    for mode in MODES + ('noquantize',):
        with pytest.raises(ValueError, match='float32 or float64'):
            encode(data, mode, 3)
    with pytest.raises(ValueError):
        encode(b'\0' * 16, 'bitgroom', 3)  # bytes carry no dtype


def test_float_dtypes_of_harness():
    for dtype in FLOAT_DTYPES:
        data = values(10, dtype, spread=4)
        if dtype == 'f2':
            with pytest.raises(ValueError):
                encode(data, 'bitround', 3)
        else:
            assert encode(data, 'bitround', 3).dtype == dtype


@pytest.mark.parametrize('mode', MODES)
@pytest.mark.parametrize('dtype', ['f4', 'f8'])
@pytest.mark.parametrize('shape', ((),) + SHAPES + ((3, 0, 2),), ids=str)
def test_shapes(shape, dtype, mode):
    size = int(numpy.prod(shape))
    flat = values(size, dtype, 11, 10)
    data = flat.reshape(shape)
    result = encode(data, mode, 4)
    assert result.shape == shape and result.dtype == data.dtype
    assert result.flags.c_contiguous and result.flags.writeable
    assert bits(result).tobytes() == bits(encode(flat, mode, 4)).tobytes()


@pytest.mark.parametrize('mode', MODES)
def test_layouts(mode):
    """Non-contiguous, Fortran-order, big-endian and list input."""
    data = values(30 * 40, 'f8', 5, 8).reshape(30, 40)
    expected = encode(data, mode, 6)
    for variant in (numpy.asfortranarray(data), data.astype('>f8')):
        result = encode(variant, mode, 6)
        assert result.dtype == variant.dtype and result.shape == data.shape
        assert numpy.array_equal(result, expected)
    strided = numpy.zeros((30, 80))
    strided[:, ::2] = data
    assert numpy.array_equal(encode(strided[:, ::2], mode, 6), expected)
    assert numpy.array_equal(encode(data.tolist(), mode, 6), expected)
    assert numpy.array_equal(encode(memoryview(data), mode, 6), expected)
    # the reversed array groom alternates the other way
    if mode != 'bitgroom':
        assert numpy.array_equal(encode(data[::-1], mode, 6), expected[::-1])


@pytest.mark.parametrize('mode', MODES + ('noquantize',))
def test_out(mode):
    data = values(6 * 7, 'f4', 9).reshape(6, 7)
    expected = encode(data, mode, 3)
    out = numpy.zeros_like(data)
    result = encode(data, mode, 3, out=out)
    assert numpy.shares_memory(result, out)
    assert bits(out).tolist() == bits(expected).tolist()
    # in place
    copy = data.copy()
    result = encode(copy, mode, 3, out=copy)
    assert numpy.shares_memory(result, copy)
    assert bits(copy).tolist() == bits(expected).tolist()
    # any writable buffer of the same size
    buffer = bytearray(data.nbytes)
    result = encode(data, mode, 3, out=buffer)
    assert result.shape == data.shape
    assert bytes(buffer) == expected.tobytes()
    # an out overlapping the input in part
    both = numpy.zeros(data.size + 5, 'f4')
    both[5:] = data.ravel()
    result = encode(both[5:].reshape(6, 7), mode, 3, out=both[:-5])
    assert bits(result).tolist() == bits(expected).tolist()
    # wrong size, dtype or layout, read-only
    with pytest.raises(QuantizeError):
        encode(data, mode, 3, out=numpy.zeros(43, 'f4'))
    with pytest.raises(QuantizeError):
        encode(data, mode, 3, out=bytearray(data.nbytes - 1))
    with pytest.raises(ValueError):
        encode(data, mode, 3, out=numpy.zeros((6, 7), 'f8'))
    with pytest.raises(ValueError):
        encode(data, mode, 3, out=numpy.zeros((6, 7), 'i4'))
    with pytest.raises(ValueError):
        encode(data, mode, 3, out=numpy.zeros((6, 14), 'f4')[:, ::2])
    readonly = numpy.zeros_like(data)
    readonly.flags.writeable = False
    with pytest.raises(ValueError):
        encode(data, mode, 3, out=readonly)
    assert not readonly.any()


def test_noquantize_copies():
    data = specials('f8')
    result = encode(data, 'noquantize', 10)
    assert result is not data and not numpy.shares_memory(result, data)
    assert result.tobytes() == data.tobytes()


def test_decode():
    data = values(20, 'f8')
    for mode in (0, QUANTIZE.MODE.NOQUANTIZE, 'noquantize', 0.0):
        assert quantize_decode(data, mode, 3) is data
        assert quantize_decode(data, mode, -7) is data  # nsd is not used
    out = numpy.zeros_like(data)
    result = quantize_decode(data, 0, 3, out=out)
    assert numpy.shares_memory(result, out) and numpy.array_equal(out, data)
    raw = data.tobytes()
    check_inputs(quantize_decode, raw, raw, mode=0, nsd=0)
    check_out(quantize_decode, raw, raw, QuantizeError, mode=0, nsd=0)
    for mode in MODES + ('gbr', 1, 2, 3, 100, QUANTIZE.MODE.SCALE, 7,
                         'foo', None):
        with pytest.raises(QuantizeError, match='lossy'):
            quantize_decode(data, mode, 3)


def test_check_and_version():
    for arg in (b'', b'\0\0\0\0', values(4, 'f4'), 'text', None):
        assert quantize_check(arg) is None
    assert quantize_version().startswith('imcd')


def test_threads():
    """Calls run in parallel without the GIL and do not interfere."""
    arrays = [values(100_000, dtype, seed, 20)
              for seed, dtype in enumerate(['f4', 'f8'] * 3)]
    jobs = [(a, mode, 5) for a in arrays for mode in MODES]
    expected = [encode(*job).tobytes() for job in jobs]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda job: encode(*job).tobytes(), jobs))
    assert results == expected
