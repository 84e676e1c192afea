# SPDX-License-Identifier: BSD-3-Clause
"""QUANTIZE codec: BitGroom, Granular BitRound, BitRound and Scale.

Every expected value is derived here: BitRound and Scale are compared bit
for bit with numcodecs' BitRound and Quantize filters (independent
implementations) and with NumPy models of their definitions; BitGroom and
GBR with models of netCDF's formulas; error bounds check what nsd promises
in each mode.

Where we differ from the reference package on purpose:
- BitRound rounds halfway cases to even and rounds the netCDF fill value
  like any other, as numcodecs does; the reference rounds them away from
  zero and keeps the fill value. nsd above the mantissa width is a
  ValueError, as in numcodecs.
- Scale computes in the precision of the data and rounds halfway cases to
  even, as numcodecs does (float32 values beyond 2**127 / 2**b become
  infinities there); the reference computes in double precision and
  rounds halfway cases away from zero.
- BitGroom and GBR leave NaN, infinities and -0 alone, as later netCDF
  versions do (except for infinities, which they still mangle); the
  reference grooms NaN payloads, turns infinities at odd indices into NaN
  and GBR's NaN and infinities into zeros. Values that would keep all
  their mantissa bits or more are left alone, as NCO does; the reference
  shifts by negative counts and returns garbage. GBR with nsd 0 is a
  ValueError (netCDF requires nsd >= 1).
"""

import concurrent.futures
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
FILL = 9.9692099683868690e+36  # netCDF's default fill value
# loge(10) and loge(2) as netCDF writes them
LN10 = 2.30258509299404568402
LN2 = 0.69314718055994530942


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
    """Return NaNs, infinities, zeros, extremes, subnormals, fill values,
    powers of ten and two and their neighbours, and all-ones mantissas
    (rounding carries into the exponent), each at an even and an odd
    index."""
    dtype = numpy.dtype(dtype)
    uint = UINT[dtype.itemsize]
    mant = MANT[dtype.itemsize]
    info = numpy.finfo(dtype)
    base = numpy.array(
        [0.0, -0.0, numpy.inf, -numpy.inf, numpy.nan, -numpy.nan,
         info.smallest_subnormal, -info.smallest_subnormal, info.tiny,
         -info.tiny, info.max, -info.max, FILL, -FILL, 0.5, 1.0, 2.0, 0.1],
        dtype)
    top = uint((1 << 8 * dtype.itemsize) - 1)
    exponent = uint(((1 << 8 * dtype.itemsize - 1) - 1) >> mant << mant)
    ones = uint((1 << mant) - 1)  # all mantissa bits
    patterns = numpy.array(
        [exponent | 1, exponent | ones, exponent | uint(1 << mant - 1),
         exponent | uint(1 << mant - 1) | 1, top, top >> uint(1),
         ones, ones >> uint(1), uint(1 << mant - 1), uint(3),
         uint(1 << mant) | ones, uint(5 << mant) | ones], uint)
    patterns = numpy.concatenate([patterns, patterns | ~(top >> uint(1))])
    top10 = 38 if dtype.itemsize == 4 else 308
    tens = numpy.array([float(f'1e{k}') for k in range(-top10, top10 + 1)],
                       dtype)
    near = [(tens.view(uint) + uint(d)).view(dtype) for d in (1, 2)]
    near += [(tens.view(uint) - uint(d)).view(dtype) for d in (1, 2)]
    twos = numpy.ldexp(numpy.ones(60), numpy.arange(-30, 30)).astype(dtype)
    data = numpy.concatenate(
        [base, patterns.view(dtype), tens, *near, twos, -twos])
    if data.size % 2 == 0:
        data = numpy.concatenate([data, data[:1]])
    return numpy.concatenate([data, data])  # the copy at an odd offset


def dataset(dtype):
    """Return finite values of all magnitudes, random bit patterns (NaN
    payloads and subnormals included) and the special values."""
    dtype = numpy.dtype(dtype)
    return numpy.concatenate([
        values(3000, dtype, 1, 40 if dtype.itemsize == 4 else 300),
        values(3001, dtype, 2, 6),
        words(2000, dtype.itemsize, 3).view(dtype),
        specials(dtype),
    ])


def bitround_ties(dtype):
    """Return for every kept width values whose dropped bits are exactly
    half a unit, with even and odd last kept bits."""
    dtype = numpy.dtype(dtype)
    uint = UINT[dtype.itemsize]
    mant = MANT[dtype.itemsize]
    base = words(40, dtype.itemsize, 4)
    ties = []
    for zero in range(1, mant + 1):
        cleared = base >> uint(zero) << uint(zero)
        ties.append(cleared | uint(1 << zero - 1))
    return numpy.concatenate(ties).view(dtype)


def scale_ties(dtype):
    """Return n + 1/2 and n + 1/4 units of 2**-b for b up to 40."""
    n = (words(50, 8, 5) % numpy.uint64(2**20)).astype(numpy.float64)
    n = numpy.concatenate([n, -n, [0.0, 1.0, 2.0, -1.0]])
    data = [numpy.ldexp(n + f, -b) for b in range(41) for f in (0.5, 0.25)]
    return numpy.concatenate(data).astype(dtype)


def bits(data):
    return numpy.ascontiguousarray(data).view(UINT[data.dtype.itemsize])


def encode(data, mode, nsd, **kwargs):
    with numpy.errstate(all='ignore'):
        return quantize_encode(data, mode, nsd, **kwargs)


def changed_by_netcdf(data):
    """Return where BitGroom and GBR may change values: finite, nonzero,
    not the fill value."""
    return numpy.isfinite(data) & (data != 0) & (data != data.dtype.type(FILL))


def bitgroom_model(data, nsd):
    """Shave even, set odd items to keep ceil(nsd log2(10)) + 1 bits."""
    keep = math.ceil(nsd * (LN10 / LN2)) + 1
    zero = MANT[data.itemsize] - keep
    x = bits(data)
    if zero <= 0:
        return x.copy().view(data.dtype)
    uint = UINT[data.itemsize]
    low = uint((1 << zero) - 1)
    odd = numpy.arange(x.size) % 2 == 1
    result = numpy.where(odd, x | low, x & ~low)
    return numpy.where(changed_by_netcdf(data), result, x).view(data.dtype)


def gbr_keep(v, nsd):
    """Return the mantissa bits GBR keeps of v, netCDF's formula step by
    step (one bit less than Delaunay et al. 2019 give)."""
    m, e = math.frexp(v)
    lg = math.log10(abs(m))
    digits = math.floor(e * (LN2 / LN10) + lg) + 1
    power = math.floor((LN10 / LN2) * (digits - nsd))
    return abs(math.floor(e - (LN10 / LN2) * lg) - power) - 1


def gbr_model(data, nsd):
    """Round each value to nearest, halfway away from zero, at its bit."""
    mant = MANT[data.itemsize]
    size = 1 << 8 * data.itemsize
    result = bits(data).copy()
    changes = changed_by_netcdf(data)
    for i, v in enumerate(data.tolist()):
        if not changes[i]:
            continue
        zero = min(mant - gbr_keep(v, nsd), mant)
        if zero > 0:
            w = int(result[i]) + (1 << zero - 1)
            result[i] = (w >> zero << zero) % size
    return result.view(data.dtype)


def bitround_model(data, keepbits):
    """Round the bit patterns to keepbits mantissa bits, ties to even."""
    zero = MANT[data.itemsize] - keepbits
    x = bits(data)
    if zero == 0:
        return x.copy().view(data.dtype)
    uint = UINT[data.itemsize]
    q = x >> uint(zero)
    r = x & uint((1 << zero) - 1)
    half = uint(1 << zero - 1)
    up = (r > half) | ((r == half) & (q & uint(1) == 1))
    return ((q + up.astype(uint)) << uint(zero)).view(data.dtype)


def scale_bits(nsd):
    """Return the least b with 2**b >= 10**nsd."""
    return (10**nsd - 1).bit_length()


def scale_model(data, nsd):
    """Round to multiples of 2**-b in the precision of data, ties to even."""
    factor = data.dtype.type(2.0 ** scale_bits(nsd))
    with numpy.errstate(all='ignore'):
        return numpy.rint(data * factor) / factor


def assert_bits_equal(result, expected, msg=''):
    assert result.dtype == expected.dtype
    mismatch = numpy.nonzero(bits(result) != bits(expected))[0]
    assert mismatch.size == 0, (
        f'{msg}: {mismatch.size} differ, first at {mismatch[:3]}')


@pytest.fixture
def numcodecs():
    return pytest.importorskip('numcodecs')


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_bitround_numcodecs(numcodecs, dtype):
    """BitRound equals numcodecs.BitRound for every keepbits."""
    data = numpy.concatenate([dataset(dtype), bitround_ties(dtype)])
    for keepbits in range(MANT[data.itemsize] + 1):
        expected = numcodecs.BitRound(keepbits=keepbits).encode(data)
        expected = numpy.asarray(expected).view(data.dtype)
        assert_bits_equal(encode(data, 'bitround', keepbits), expected,
                          keepbits)


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_bitround_model(dtype):
    data = numpy.concatenate([dataset(dtype), bitround_ties(dtype)])
    for keepbits in range(MANT[data.itemsize] + 1):
        assert_bits_equal(encode(data, 'bitround', keepbits),
                          bitround_model(data, keepbits), keepbits)


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_scale_numcodecs(numcodecs, dtype):
    """Scale equals numcodecs.Quantize(digits=nsd) for every nsd."""
    data = numpy.concatenate([dataset(dtype), scale_ties(dtype)])
    for nsd in range(8 * data.itemsize):
        with numpy.errstate(all='ignore'):
            expected = numcodecs.Quantize(digits=nsd, dtype=dtype).encode(data)
        assert_bits_equal(encode(data, 'scale', nsd), expected, nsd)


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_scale_model(dtype):
    data = numpy.concatenate([dataset(dtype), scale_ties(dtype)])
    for nsd in range(8 * data.itemsize):
        assert_bits_equal(encode(data, 'scale', nsd), scale_model(data, nsd),
                          nsd)


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_bitgroom_model(dtype):
    data = dataset(dtype)
    for nsd in range(8 * data.itemsize):
        assert_bits_equal(encode(data, 'bitgroom', nsd),
                          bitgroom_model(data, nsd), nsd)


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_gbr_model(dtype):
    data = numpy.concatenate([dataset(dtype)[::3], specials(dtype)])
    for nsd in range(1, 8 * data.itemsize, 1 if dtype == 'f4' else 3):
        assert_bits_equal(encode(data, 'granularbr', nsd),
                          gbr_model(data, nsd), nsd)


def exponents(x, dtype):
    """Return floor(log2(|x|)), at least the least normal exponent."""
    e = numpy.frexp(x)[1].astype(numpy.int64) - 1
    return numpy.maximum(e, numpy.finfo(dtype).minexp)


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_bitround_bounds(dtype):
    """Round to nearest: |x - q| <= 2**(e - keepbits - 1), same sign."""
    data = numpy.concatenate([values(20000, dtype, 7, 30),
                              words(5000, numpy.dtype(dtype).itemsize, 8)
                              .view(dtype)])
    data = data[numpy.isfinite(data)]
    x = data.astype(numpy.float64)
    e = exponents(x, dtype)
    for keepbits in range(MANT[data.itemsize]):
        q = encode(data, 'bitround', keepbits)
        finite = numpy.isfinite(q)  # the largest values may round up to inf
        assert finite.mean() > 0.99
        error = numpy.abs(x - q.astype(numpy.float64))[finite]
        bound = numpy.ldexp(1.0, e - keepbits - 1)[finite]
        assert (error <= bound).all(), keepbits
        assert (error > bound / 4).any(), keepbits  # and it is lossy
        assert (numpy.signbit(q) == numpy.signbit(data)).all()


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_scale_bounds(dtype):
    """Multiples of 2**-b <= 10**-nsd, at most half of one away."""
    data = values(20000, dtype, 7, 30)
    x = data.astype(numpy.float64)
    for nsd in range(0, 7 if dtype == 'f4' else 16):
        b = scale_bits(nsd)
        assert 2.0**-b <= 10.0**-nsd < 2.0 ** (1 - b)
        q = encode(data, 'scale', nsd).astype(numpy.float64)
        scaled = numpy.ldexp(q, b)
        assert (scaled == numpy.round(scaled)).all(), nsd
        error = numpy.abs(x - q)
        assert (error <= 2.0 ** (-b - 1)).all(), nsd
        assert error.max() > 2.0 ** (-b - 2), nsd


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_bitgroom_bounds(dtype):
    """Less than a unit of the last kept bit, <= 10**-nsd / 2 relative;
    even items shrink, odd ones grow."""
    data = values(20001, dtype, 7, 30)
    x = data.astype(numpy.float64)
    e = exponents(x, dtype)
    odd = numpy.arange(data.size) % 2 == 1
    for nsd in range(7 if dtype == 'f4' else 16):
        keep = math.ceil(nsd * math.log2(10)) + 1
        if keep >= MANT[data.itemsize]:
            assert numpy.array_equal(encode(data, 'bitgroom', nsd), data)
            continue
        q = encode(data, 'bitgroom', nsd).astype(numpy.float64)
        unit = numpy.ldexp(1.0, e - keep)
        assert (unit <= numpy.abs(x) * 0.5 * 10.0**-nsd).all()
        assert (numpy.abs(x - q) < unit).all(), nsd
        assert (numpy.abs(q[odd]) >= numpy.abs(x[odd])).all()
        assert (numpy.abs(q[~odd]) <= numpy.abs(x[~odd])).all()
        assert (numpy.abs(x - q) > unit / 4).any()


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_gbr_bounds(dtype):
    """Half a unit of the nsd-th significant digit."""
    data = values(20000, dtype, 7, 30)
    x = data.astype(numpy.float64)
    digits = numpy.floor(numpy.log10(numpy.abs(x)))
    for nsd in range(1, 7 if dtype == 'f4' else 16):
        error = numpy.abs(encode(data, 'granularbr', nsd) - x)
        bound = 0.5 * 10.0 ** (digits - nsd + 1) * (1 + 1e-12)
        assert (error <= bound).all(), nsd
        assert (error > 0.1 * bound).any(), nsd  # and it is lossy


@pytest.mark.parametrize('mode', ['bitgroom', 'granularbr'])
@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_netcdf_keeps_specials(dtype, mode):
    """NaN (any payload), infinities, zeros and the fill value are kept at
    even and odd indices."""
    data = specials(dtype)
    kept = ~changed_by_netcdf(data)
    assert kept.sum() > 30 and numpy.isnan(data).sum() > 10
    for nsd in range(1, 8 * data.itemsize):
        result = encode(data, mode, nsd)
        assert bits(result)[kept].tolist() == bits(data)[kept].tolist()
    # all other values change at some nsd
    assert not numpy.array_equal(encode(data, mode, 1)[~kept], data[~kept])


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_beyond_mantissa(dtype):
    """Keeping all bits or more changes nothing; BitRound refuses."""
    data = dataset(dtype)
    mant = MANT[data.itemsize]
    top = 8 * data.itemsize
    # BitGroom keeps ceil(nsd log2(10)) + 1 bits
    first = next(n for n in range(top)
                 if math.ceil(n * math.log2(10)) + 1 >= mant)
    assert first == (7 if dtype == 'f4' else 16)
    for nsd in range(first, top):
        assert bits(encode(data, 'bitgroom', nsd)).tobytes() == \
            data.tobytes()
    # GBR keeps about nsd log2(10) bits, more for the values beyond
    assert bits(encode(data, 'granularbr', first + 1)).tobytes() == \
        data.tobytes()
    assert bits(encode(data, 'bitround', mant)).tobytes() == data.tobytes()
    for nsd in range(mant + 1, top):
        with pytest.raises(ValueError, match='significant bits'):
            encode(data, 'bitround', nsd)


def test_bitround_cases():
    """Halfway cases go to even, carries reach the exponent."""
    one = numpy.float32(1.0)
    step = numpy.float32(2.0**-4)  # half a unit of 3 kept bits
    data = numpy.array([one + step, one + 3 * step, -(one + 3 * step),
                        numpy.nextafter(one + step, 2), 2 - 2.0**-23,
                        numpy.finfo('f4').max], 'f4')
    result = encode(data, 'bitround', 3)
    assert result.tolist() == [1.0, 1.25, -1.25, 1.125, 2.0, numpy.inf]


def test_scale_cases():
    """Halfway cases go to even in the precision of the data."""
    data = numpy.array([0.5, 1.5, 2.5, -0.5, -2.5, -0.25, 0.0, -0.0,
                        numpy.inf, -numpy.inf, numpy.nan], 'f8')
    result = encode(data, 'scale', 0)
    assert bits(result).tolist() == bits(numpy.array(
        [0.0, 2.0, 2.0, -0.0, -2.0, -0.0, 0.0, -0.0, numpy.inf, -numpy.inf,
         numpy.nan])).tolist()
    # nsd 1: sixteenths
    data = numpy.array([1 / 32, 3 / 32, 0.1, 0.15], 'f4')
    assert encode(data, 'scale', 1).tolist() == [0.0, 0.125, 0.125, 0.125]
    # float32 overflows where float64 does not
    big = numpy.array([2.0**120, -(2.0**120), 2.0**100], 'f4')
    assert encode(big, 'scale', 3).tolist() == [numpy.inf, -numpy.inf,
                                                2.0**100]
    assert encode(big.astype('f8'), 'scale', 3).tolist() == \
        big.astype('f8').tolist()


@pytest.mark.parametrize('mode', ['bitgroom', 'granularbr'])
@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_fill_value_is_kept(dtype, mode):
    fill = numpy.array(FILL, dtype)
    data = numpy.array([fill, fill, numpy.nextafter(fill, 0),
                        numpy.nextafter(fill, numpy.inf), 1.1], dtype)
    result = encode(data, mode, 1)
    assert result[0] == result[1] == fill
    # only the exact value
    assert (result[2:] != data[2:]).all()


@pytest.mark.parametrize('mode', ['bitgroom', 'bitround', 'scale'])
@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_idempotent(dtype, mode):
    data = dataset(dtype)
    for nsd in range(1, MANT[data.itemsize], 3):
        once = encode(data, mode, nsd)
        assert bits(encode(once, mode, nsd)).tolist() == bits(once).tolist()


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
        if value:
            assert not numpy.array_equal(expected, data), names
    assert numpy.array_equal(encode(data, 'noquantize', 5), data)


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
        encode(data, mode, MANT[data.itemsize])
        for nsd in (-1, top, 100):
            with pytest.raises(ValueError, match='significant digits'):
                encode(data, mode, nsd)
            with pytest.raises(ValueError):
                encode(data[:0], mode, nsd)
    for mode in ('bitgroom', 'scale', 'noquantize'):
        encode(data, mode, top - 1)
        encode(data, mode, 0)
    with pytest.raises(ValueError, match='significant bits'):
        encode(data, 'bitround', MANT[data.itemsize] + 1)
    for mode in ('granularbr', 'gbr', 2):
        with pytest.raises(ValueError, match='GBR'):
            encode(data, mode, 0)
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
