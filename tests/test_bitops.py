# SPDX-License-Identifier: BSD-3-Clause
"""BITORDER, PACKINTS, FLOAT24 and BFLOAT16 codecs.

Results are compared with NumPy and exact rational models written from the
formats' definitions, and with values worked out by hand.
"""

import math
from fractions import Fraction

import numpy
import pytest

from imagecodecs import (
    BFLOAT16, FLOAT24, Bfloat16Error, BitorderError, Float24Error,
    PackintsError, bfloat16_check, bfloat16_decode, bfloat16_encode,
    bfloat16_version, bitorder_decode, bitorder_encode, float24_decode,
    float24_encode, packints_decode, packints_encode,
)
from harness import (
    SHAPES, check_corrupt, check_inputs, check_out, random_array, require,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    for codec in ('bitorder', 'packints', 'float24', 'bfloat16'):
        require(codec)


# Bit order

REVERSED = bytes(int(f'{i:08b}'[::-1], 2) for i in range(256))


def test_bitorder_table():
    assert bitorder_decode(bytes(range(256))) == REVERSED
    assert bitorder_encode(REVERSED) == bytes(range(256))
    assert bitorder_decode(b'\x01\x02\x03') == b'\x80\x40\xc0'


def test_bitorder_samples(samples):
    data = (samples / 'bytes.bin').read_bytes()
    assert data == bytes(range(256))
    expected = (samples / 'bytes.bitorder.bin').read_bytes()
    assert expected == REVERSED
    assert bitorder_decode(data) == expected
    assert bitorder_encode(expected) == data


@pytest.mark.parametrize('dtype', ['u1', 'u2', '>u4', 'f8', '?', 'c8', 'V3'])
@pytest.mark.parametrize('shape', SHAPES + ((), (4, 0)), ids=str)
def test_bitorder_arrays(dtype, shape):
    data = numpy.frombuffer(
        random_array((int(numpy.prod(shape)) * numpy.dtype(dtype).itemsize,),
                     'u1').tobytes(), dtype).reshape(shape)
    result = bitorder_encode(data)
    assert result.dtype == data.dtype and result.shape == data.shape
    assert result.tobytes() == data.tobytes().translate(REVERSED)
    assert bitorder_decode(result).tobytes() == data.tobytes()


def test_bitorder_out_and_inputs():
    data = random_array((1001,), 'u1').tobytes()
    expected = data.translate(REVERSED)
    check_out(bitorder_decode, data, expected, BitorderError)
    check_inputs(bitorder_decode, data, expected)
    # in place, bytes-like and arrays
    work = bytearray(data)
    assert bitorder_decode(work, out=work) is work and work == expected
    array = numpy.frombuffer(data, 'u1').reshape(7, 143).copy()
    result = bitorder_decode(array, out=array)
    assert numpy.shares_memory(result, array)
    assert array.tobytes() == expected
    # non-contiguous arrays
    array = numpy.frombuffer(data, 'u1')[::3]
    assert bitorder_decode(array).tobytes() == array.tobytes().translate(
        REVERSED)
    with pytest.raises(BitorderError):
        bitorder_decode(numpy.zeros(4, 'u2'), out=numpy.zeros(3, 'u2'))
    with pytest.raises(ValueError):
        bitorder_decode(numpy.zeros(4, 'O'))
    with pytest.raises(TypeError):
        bitorder_decode('text')


# Packed integers


def unpack_model(data, dtype, bps, runlen=0):
    """Big-endian bit fields, rows padded to bytes, from numpy bits."""
    bits = numpy.unpackbits(numpy.frombuffer(data, 'u1'))
    if runlen == 0:
        rows = [bits[: len(bits) // bps * bps]]
    else:
        rowbytes = (runlen * bps + 7) // 8
        rows = [bits[i * rowbytes * 8:][:runlen * bps]
                for i in range(len(data) // rowbytes)]
    weights = numpy.uint64(1) << numpy.arange(bps - 1, -1, -1, dtype='u8')
    values = [(row.reshape(-1, bps).astype('u8') * weights).sum(
        axis=1, dtype='u8') for row in rows]
    values = numpy.concatenate(values) if values else numpy.zeros(0, 'u8')
    dtype = numpy.dtype(dtype)
    uint = numpy.dtype(f'u{dtype.itemsize}')
    return values.astype(uint).astype(uint.newbyteorder(
        dtype.byteorder)).view(dtype)


def pack_model(values, bps, runlen=0):
    """The inverse of unpack_model for integers that fit bps bits."""
    values = values.astype(values.dtype.newbyteorder('=')).view(
        f'u{values.itemsize}').astype('u8').ravel()
    runlen = runlen or len(values)
    shifts = numpy.arange(bps - 1, -1, -1, dtype='u8')
    out = b''
    for start in range(0, len(values), runlen):
        row = values[start:start + runlen]
        bits = ((row[:, None] >> shifts) & numpy.uint64(1)).astype('u1')
        out += numpy.packbits(bits.ravel()).tobytes()
    return out


def fit(bps):
    return 'u1' if bps <= 8 else 'u2' if bps <= 16 else (
        'u4' if bps <= 32 else 'u8')


def test_packints_examples():
    data = bytes.fromhex('12 34 56 78 9a bc de f0')
    assert packints_decode(data, 'u1', 4).tolist() == list(range(1, 16)) + [0]
    assert packints_decode(data, 'u2', 12).tolist() == [
        0x123, 0x456, 0x789, 0xABC, 0xDEF]
    assert packints_decode(data, 'u4', 24).tolist() == [0x123456, 0x789ABC]
    assert packints_decode(data, 'u1', 1)[:8].tolist() == [0, 0, 0, 1,
                                                           0, 0, 1, 0]
    # rows of 3 items of 4 bits take 2 bytes: 1 2 3 (4) 5 6 7 (8) ...
    assert packints_decode(data, 'u1', 4, runlen=3).tolist() == [
        1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15]
    # incomplete rows and items are dropped
    assert packints_decode(data, 'u1', 4, runlen=5).tolist() == [
        1, 2, 3, 4, 5, 7, 8, 9, 10, 11]
    assert packints_decode(data[:7], 'u2', 12).tolist() == [
        0x123, 0x456, 0x789, 0xABC]
    # the result has the byte order of dtype
    result = packints_decode(data, '>u2', 12)
    assert result.dtype == '>u2' and result.tolist()[:2] == [0x123, 0x456]
    # 8, 16, 32, 64 bits only reinterpret the bytes
    assert packints_decode(data, '<u2', 16).tolist() == [
        0x3412, 0x7856, 0xBC9A, 0xF0DE]
    assert packints_decode(data, '>u2', 16).tolist() == [
        0x1234, 0x5678, 0x9ABC, 0xDEF0]
    assert packints_decode(data, '<u8', 64).tolist() == [0xF0DEBC9A78563412]
    assert packints_decode(data, 'u1', 8, runlen=3).tobytes() == data[:6]
    # signed and float dtypes take the bit patterns
    assert packints_decode(data, 'i2', 12).tolist()[4] == 0xDEF
    assert packints_decode(b'\x3f\x80\x00\x00', '>f4', 32).tolist() == [1.0]
    assert packints_encode(numpy.array([0x123, 0x456, 0x789], 'u2'),
                           12) == bytes.fromhex('12 34 56 78 90')


@pytest.mark.parametrize('bps', list(range(1, 65)))
def test_packints_model(bps):
    rng = numpy.random.default_rng(bps)
    data = rng.integers(0, 256, 203, 'u1').tobytes()
    dtype = fit(bps)
    for runlen in (0, 1, 3, 8, 13, 64):
        for size in (0, 1, 9, 10, 100, 203):
            for byteorder in ('<', '>'):
                dt = numpy.dtype(dtype).newbyteorder(byteorder)
                result = packints_decode(data[:size], dt, bps, runlen=runlen)
                assert result.dtype == dt
                if bps == 8 * dt.itemsize:
                    rowsize = runlen * dt.itemsize or dt.itemsize
                    expected = numpy.frombuffer(
                        data[:size // rowsize * rowsize], dt)
                else:
                    expected = unpack_model(data[:size], dt, bps, runlen)
                assert result.tobytes() == expected.tobytes(), (runlen, size)


@pytest.mark.parametrize('bps', list(range(1, 65)))
def test_packints_encode(bps):
    dtype = numpy.dtype(fit(bps))
    high = 2**bps - 1
    values = numpy.random.default_rng(bps).integers(
        0, high, (3, 5, 7), 'u8', endpoint=True).astype(dtype)
    # rows of runlen items start on a byte; 0 or none: the shape does not
    # matter, all items are one row; a last shorter row is padded too
    for runlen in (0, 7, 35, 105, 10):
        packed = packints_encode(values, bps, runlen=runlen)
        assert isinstance(packed, bytes)
        if bps == 8 * dtype.itemsize:
            assert packed == values.tobytes()
            continue
        assert packed == pack_model(values, bps, runlen)
        if 105 % (runlen or 105) == 0:
            # with one row, padding bits may make another item
            decoded = packints_decode(packed, dtype, bps, runlen=runlen)
            numpy.testing.assert_array_equal(decoded[:105], values.ravel())
            assert decoded.size == (105 if runlen else len(packed) * 8 // bps)
        big = values.astype(dtype.newbyteorder('>'))
        assert packints_encode(big, bps, runlen=runlen) == packed
    # the 2024 positional form (axis, out): one row, whatever the axis
    assert packints_encode(values, bps, -1, None) == packints_encode(
        values.ravel(), bps)
    assert packints_encode(values, bps, 0) == packints_encode(values, bps)
    # high bits are dropped
    if bps < 8 * dtype.itemsize:
        more = values | numpy.array(~high & (2**(8 * dtype.itemsize) - 1),
                                    dtype)
        assert packints_encode(more, bps) == packints_encode(values, bps)


def test_packints_encode_inputs_and_out():
    values = numpy.arange(100, dtype='u1') % 8
    packed = packints_encode(values, 3)
    assert len(packed) == 38
    numpy.testing.assert_array_equal(packints_decode(packed, 'u1', 3)[:100],
                                     values)
    assert packints_encode(values.tobytes(), 3) == packed
    assert packints_encode(bytearray(values.tobytes()), 3) == packed
    assert packints_encode(values[::-1][::-1], 3) == packed
    assert packints_encode(values.tolist(), 64) == values.astype(
        'i8').tobytes()
    check_out(lambda d, **k: packints_encode(d, 3, **k), values, packed,
              PackintsError)
    with pytest.raises(ValueError):  # as the reference raises
        packints_encode(values, 3, out=37)
    assert packints_encode(numpy.zeros((4, 0), 'u1'), 5) == b''
    assert packints_encode(numpy.array(5, 'u1'), 3) == b'\xa0'
    ones = numpy.ones((2, 3), 'u1')
    assert packints_encode(ones, 1) == b'\xfc'
    assert packints_encode(ones, 1, runlen=3) == b'\xe0\xe0'
    assert packints_encode(ones, 1, runlen=2) == b'\xc0\xc0\xc0'
    # the low bits of any 8-bit item, bit patterns of floats and times
    assert packints_encode(numpy.array([True, False, True]), 1) == b'\xa0'
    assert packints_encode(numpy.array([-1, 0], 'i1'), 4) == b'\xf0'
    assert packints_encode(numpy.array([1.0], 'f4'), 32) == numpy.array(
        [1.0], 'f4').tobytes()
    assert packints_encode(numpy.array([1.5], '>f4'), 24) == bytes.fromhex(
        'c00000')


def test_packints_decode_inputs_and_out():
    data = bytes(random_array((300,), 'u1'))
    expected = unpack_model(data, 'u2', 12)
    check_inputs(lambda d: packints_decode(d, 'u2', 12), data,
                 expected.tobytes())
    array = numpy.frombuffer(data, 'u1').reshape(20, 15)
    assert packints_decode(array, 'u2', 12).tobytes() == expected.tobytes()
    # every byte string is valid: damage changes values, nothing else
    check_corrupt(lambda d: packints_decode(d, 'u2', 12), data,
                  PackintsError, truncations=())
    out = numpy.zeros(200, 'u2')
    result = packints_decode(data, 'u2', 12, out=out)
    assert numpy.shares_memory(result, out)
    assert out.tobytes() == expected.tobytes()
    out = bytearray(400)
    packints_decode(data, 'u2', 12, out=out)
    assert bytes(out) == expected.tobytes()
    with pytest.raises(PackintsError):
        packints_decode(data, 'u2', 12, out=numpy.zeros(199, 'u2'))
    with pytest.raises(ValueError):
        packints_decode(data, 'u2', 12, out=numpy.zeros(200, 'i2'))


def test_packints_other_dtypes():
    data = bytes(range(1, 17))
    # any plain dtype of the size takes the bytes of 8 to 64 bits
    for dtype, bps in (('S1', 8), ('V2', 16), ('M8[s]', 64), ('c8', 64),
                       ('m8[ms]', 64), ('f2', 16)):
        result = packints_decode(data, dtype, bps)
        assert result.dtype == dtype
        assert result.tobytes() == data
        assert packints_encode(result, bps) == data
    # and the values of narrower fields
    result = packints_decode(data, 'M8[s]', 33)
    assert result.view('u8').tolist() == unpack_model(data, 'u8', 33).tolist()
    assert packints_encode(result, 33) == data[:12] + b'\0'


def test_packints_2024_and_2026_calls():
    data = bytes(random_array((101,), 'u1', seed=8))
    expected = unpack_model(data, 'u2', 11, 9)
    for result in (packints_decode(data, 'u2', 11, 9),
                   packints_decode(data, 'u2', 11, 9, None),
                   packints_decode(data, 'u2', 11, runlen=9),
                   packints_decode(data, 'u2', 11, runlen=9, bitorder=None),
                   packints_decode(data, 'u2', 11.0, 9.0)):
        assert result.tobytes() == expected.tobytes()
    values = packints_decode(data, 'u2', 11, 9)
    packed = pack_model(values, 11, 9)
    assert packints_encode(values, 11, runlen=9) == packed
    assert packints_encode(values, 11, -1, None, runlen=9) == packed
    assert packints_encode(values, 11, bitorder=None, runlen=9) == packed


def test_packints_invalid():
    # bad arguments raise what the reference raises, and PackintsError
    for bps in (0, 65, -1):
        with pytest.raises(ValueError):
            packints_decode(b'\0' * 8, 'u1', bps)
        with pytest.raises(PackintsError):
            packints_encode(numpy.zeros(8, 'u1'), bps)
    for bps in (2.5, '4', None):
        with pytest.raises(TypeError):
            packints_decode(b'\0' * 8, 'u1', bps)
        with pytest.raises(PackintsError):
            packints_encode(numpy.zeros(8, 'u1'), bps)
    for dtype, bps in (('u2', 8), ('u1', 9), ('u4', 16), ('u8', 32),
                       ('O', 64), ('c8', 40), ('U1', 32), ('V3', 24),
                       ([('a', 'u1')], 8), (('u1', 2), 16)):
        with pytest.raises(ValueError):
            packints_decode(b'\0' * 8, dtype, bps)
        with pytest.raises(PackintsError):
            packints_encode(numpy.zeros(8, dtype), bps)
    for runlen in (-1, 2.5, 'x'):
        with pytest.raises((ValueError, TypeError)) as error:
            packints_decode(b'\0' * 8, 'u1', 4, runlen=runlen)
        assert isinstance(error.value, PackintsError)
        with pytest.raises((ValueError, TypeError)) as error:
            packints_encode(numpy.zeros(8, 'u1'), 4, runlen=runlen)
        assert isinstance(error.value, PackintsError)
    with pytest.raises(TypeError):
        packints_encode(numpy.zeros(8, 'u1'), 4, axis='x')
    with pytest.raises(ValueError):
        packints_decode(b'\0' * 8, None, 4)  # float64
    for bitorder in ('=', '', 'big', 1, b'<'):
        with pytest.raises(ValueError):
            packints_decode(b'\0' * 8, 'u2', 12, bitorder=bitorder)
        with pytest.raises(PackintsError):
            packints_encode(numpy.zeros(8, 'u2'), 12, bitorder=bitorder)


def test_packints_fuzz():
    """Any bytes, sizes and parameters: exact sizes, no crash."""
    rng = numpy.random.default_rng(3)
    for _ in range(2000):
        bps = int(rng.integers(1, 65))
        runlen = int(rng.choice([0, 1, 2, 7, 100, 2**40]))
        data = rng.integers(0, 256, int(rng.integers(0, 40)), 'u1').tobytes()
        result = packints_decode(data, fit(bps), bps, runlen=runlen)
        if runlen:
            rowsize = (runlen * bps + 7) // 8
            assert result.size == len(data) // rowsize * runlen
        else:
            assert result.size == len(data) * 8 // bps


def lsb_model(data, bps):
    """GenICam p formats: little-endian bit fields from numpy bits."""
    bits = numpy.unpackbits(numpy.frombuffer(data, 'u1'), bitorder='little')
    bits = bits[: len(bits) // bps * bps].reshape(-1, bps).astype('u4')
    return (bits << numpy.arange(bps, dtype='u4')).sum(axis=1).astype('u2')


def pairs_model(data, bps):
    """GigE Vision Packed formats, from the format's byte layout."""
    low = bps - 8
    values = []
    for i in range(0, len(data) - 2, 3):
        b0, b1, b2 = data[i:i + 3]
        values += [b0 << low | b1 & (1 << low) - 1,
                   b2 << low | b1 >> 4 & (1 << low) - 1]
    return numpy.array(values, 'u2')


def test_packints_camera_examples():
    data = bytes.fromhex('12 34 56 78 9a bc')
    # Mono12p: 0x412 is the low 12 bits of the little-endian 0x563412
    assert packints_decode(data, 'u2', 12, bitorder='<').tolist() == [
        0x412, 0x563, 0xA78, 0xBC9]
    # Mono12Packed: 0x12 and the low nibble 4, 0x56 and the high nibble 3
    assert packints_decode(data, 'u2', 12, bitorder='>').tolist() == [
        0x124, 0x563, 0x78A, 0xBC9]
    # Mono10Packed: the 2 low bits in bits 0-1 and 4-5 of the middle byte
    assert packints_decode(data, 'u2', 10, bitorder='>').tolist() == [
        0x12 << 2, 0x56 << 2 | 3, 0x78 << 2 | 2, 0xBC << 2 | 1]
    values = numpy.array([0x412, 0x563, 0xA78, 0xBC9], 'u2')
    assert packints_encode(values, 12, bitorder='<') == data
    assert packints_encode(values[:3], 12, bitorder='<') == data[:4] + b'\x0a'
    assert packints_encode(numpy.array([0x124, 0x563, 0x78A, 0xBC9], 'u2'),
                           12, bitorder='>') == data


@pytest.mark.parametrize('bps', range(9, 15))
def test_packints_lsb_model(bps):
    rng = numpy.random.default_rng(bps)
    for size in (0, 1, 2, 3, 7, 64, 301):
        data = rng.integers(0, 256, size, 'u1').tobytes()
        result = packints_decode(data, 'u2', bps, bitorder='<')
        assert result.dtype == numpy.uint16
        numpy.testing.assert_array_equal(result, lsb_model(data, bps))
        values = rng.integers(0, 2**16, size, 'u2')
        packed = packints_encode(values, bps, bitorder='<')
        bits = (values[:, None] >> numpy.arange(bps)) & 1
        assert packed == numpy.packbits(bits.astype('u1').ravel(),
                                        bitorder='little').tobytes()
        decoded = packints_decode(packed, 'u2', bps, bitorder='<')
        numpy.testing.assert_array_equal(decoded[:size],
                                         values & (1 << bps) - 1)
        # other 16-bit types and buffers give their values
        assert packints_encode(values.astype('>u2'), bps,
                               bitorder='<') == packed
        assert packints_encode(values.view('i2'), bps, bitorder='<') == packed
        assert packints_encode(values.tobytes(), bps, bitorder='<') == packed


@pytest.mark.parametrize('bps', [10, 12])
def test_packints_pairs_model(bps):
    rng = numpy.random.default_rng(bps)
    for size in (0, 3, 6, 300):
        data = rng.integers(0, 256, size, 'u1').tobytes()
        result = packints_decode(data, 'u2', bps, bitorder='>')
        numpy.testing.assert_array_equal(result, pairs_model(data, bps))
        values = rng.integers(0, 2**bps, size // 3 * 2, 'u2')
        packed = packints_encode(values, bps, bitorder='>')
        assert len(packed) == size
        numpy.testing.assert_array_equal(
            packints_decode(packed, 'u2', bps, bitorder='>'), values)
        assert packints_encode(values | 0xF000, bps, bitorder='>') == packed


def test_packints_camera_out():
    data = bytes(random_array((30,), 'u1', seed=9))
    for bitorder in ('<', '>'):
        expected = packints_decode(data, 'u2', 12, bitorder=bitorder)
        out = numpy.zeros(20, 'u2')
        result = packints_decode(data, 'u2', 12, out=out, bitorder=bitorder)
        assert numpy.shares_memory(result, out)
        numpy.testing.assert_array_equal(out, expected)
        with pytest.raises(ValueError):
            packints_decode(data, 'u2', 12, out=numpy.zeros(19, 'u2'),
                            bitorder=bitorder)
        check_out(lambda d, **k: packints_encode(d, 12, bitorder=bitorder,
                                                 **k),
                  expected, data, PackintsError)


@pytest.mark.parametrize('bitorder, bps, dtype, runlen, size', [
    ('<', 8, 'u2', 0, 8),     # 9 to 14 bits
    ('<', 15, 'u2', 0, 8),
    ('<', 12, 'u1', 0, 8),    # native uint16 only
    ('<', 12, '>u2', 0, 8),
    ('<', 12, 'i2', 0, 8),
    ('<', 12, 'u2', 4, 8),    # no runlen
    ('>', 11, 'u2', 0, 9),    # 10 or 12 bits
    ('>', 12, 'u4', 0, 9),
    ('>', 12, 'u2', 2, 9),
    ('>', 12, 'u2', 0, 8),    # whole pairs
])
def test_packints_camera_invalid(bitorder, bps, dtype, runlen, size):
    with pytest.raises(ValueError) as error:
        packints_decode(b'\0' * size, dtype, bps, runlen=runlen,
                        bitorder=bitorder)
    assert isinstance(error.value, PackintsError)
    values = numpy.zeros(size // 3 * 2 if size % 3 else 5, 'u2')
    if dtype == 'u2' and bps in (10, 12) and not runlen:
        values = numpy.zeros(3, 'u2')  # an odd number of items
    elif dtype != 'u2':
        values = values.astype('u1' if dtype == 'u2' else 'u4')
    if dtype in ('>u2', 'i2'):
        return  # valid to encode: 16-bit values
    with pytest.raises(ValueError) as error:
        packints_encode(values, bps, runlen=runlen, bitorder=bitorder)
    assert isinstance(error.value, PackintsError)


# 24-bit floats

F24_MAX = (2 - 2**-16) * 2.0**63
F24_MIN_NORMAL = 2.0**-62
F24_MIN_SUBNORMAL = 2.0**-78

ROUNDINGS = list(FLOAT24.ROUND)


def f24_value(code):
    """Return the value of a 24-bit float code as float or Fraction."""
    sign = -1 if code >> 23 else 1
    exponent = (code >> 16) & 0x7F
    mantissa = code & 0xFFFF
    if exponent == 0x7F:
        return math.nan if mantissa else sign * math.inf
    if exponent == 0:
        return sign * Fraction(mantissa) * Fraction(2)**-78
    return sign * (1 + Fraction(mantissa, 65536)) * Fraction(2)**(
        exponent - 63)


def f24_round_model(value, rounding):
    """Return the 24-bit code of a float32 value, rounded exactly."""
    negative = math.copysign(1, value) < 0
    sign = 0x800000 if negative else 0
    if math.isnan(value):
        return sign | 0x7F8000
    if math.isinf(value):
        return sign | 0x7F0000
    magnitude = abs(Fraction(float(value)))
    if magnitude == 0:
        return sign
    exponent = max(math.floor(math.log2(magnitude)), -62)
    while Fraction(2)**(exponent + 1) <= magnitude:
        exponent += 1
    while exponent > -62 and Fraction(2)**exponent > magnitude:
        exponent -= 1
    quantum = Fraction(2)**(exponent - 16)
    steps, rest = divmod(magnitude, quantum)
    steps = int(steps)
    if rounding == FLOAT24.ROUND.TONEAREST:
        steps += rest > quantum / 2 or (rest == quantum / 2 and steps % 2)
    elif rounding == FLOAT24.ROUND.UPWARD:
        steps += rest > 0 and not negative
    elif rounding == FLOAT24.ROUND.DOWNWARD:
        steps += rest > 0 and negative
    result = steps * quantum
    if result > F24_MAX:
        infinite = rounding == FLOAT24.ROUND.TONEAREST or (
            rounding == FLOAT24.ROUND.UPWARD and not negative) or (
            rounding == FLOAT24.ROUND.DOWNWARD and negative)
        return sign | (0x7F0000 if infinite else 0x7EFFFF)
    if result < F24_MIN_NORMAL:
        return sign | int(result / Fraction(2)**-78)
    exponent = math.floor(math.log2(result))
    return sign | ((exponent + 63) << 16) | int(
        result / Fraction(2)**(exponent - 16) - 65536)


def codes_of(encoded, byteorder='<'):
    raw = numpy.frombuffer(encoded, 'u1').reshape(-1, 3).astype('u4')
    if byteorder == '>':
        raw = raw[:, ::-1]
    return raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)


def all_codes(byteorder='<'):
    codes = numpy.arange(2**24, dtype='<u4')
    data = codes.view('u1').reshape(-1, 4)[:, :3]
    if byteorder == '>':
        data = data[:, ::-1]
    return codes, numpy.ascontiguousarray(data).tobytes()


def test_float24_examples():
    data = numpy.array([1.0, 2.0, -1.5, 0.0, -0.0, numpy.inf, -numpy.inf,
                        F24_MAX, F24_MIN_NORMAL, F24_MIN_SUBNORMAL], 'f4')
    encoded = bytes.fromhex('00003f 000040 0080bf 000000 000080 00007f 0000ff'
                            'ffff7e 000001 010000')
    assert float24_encode(data) == encoded
    assert float24_encode(data, byteorder='<') == encoded
    big = float24_encode(data, byteorder='>')
    assert big == bytes(b for i in range(0, len(encoded), 3)
                        for b in encoded[i:i + 3][::-1])
    decoded = float24_decode(encoded, byteorder='<')
    assert decoded.dtype == numpy.float32 and decoded.shape == (10,)
    assert decoded.tobytes() == data.tobytes()
    assert float24_decode(big, byteorder='>').tobytes() == data.tobytes()
    # NaN keeps its sign and becomes the quiet NaN
    encoded = float24_encode(numpy.array([numpy.nan, -numpy.nan], 'f4'))
    assert encoded == bytes.fromhex('00807f 0080ff')
    assert float24_decode(bytes.fromhex('01007f 0000ff 01807f')).view(
        'u4').tolist() == [0x7FC00000, 0xFF800000, 0x7FC00000]


def test_float24_decode_all_codes():
    """Every code decodes exactly, in both byte orders."""
    codes, data = all_codes('<')
    decoded = float24_decode(data, byteorder='<')
    assert decoded.tobytes() == float24_decode(
        all_codes('>')[1], byteorder='>').tobytes()
    sign = numpy.where(codes >> 23, -1.0, 1.0)
    exponent = ((codes >> 16) & 0x7F).astype('f8')
    mantissa = (codes & 0xFFFF).astype('f8')
    with numpy.errstate(over='ignore'):
        expected = sign * numpy.where(
            exponent == 0, mantissa * 2.0**-78,
            (1 + mantissa / 65536) * 2.0**(exponent - 63))
    special = exponent == 127
    expected[special] = numpy.where(mantissa[special] == 0,
                                    sign[special] * numpy.inf, numpy.nan)
    numpy.testing.assert_array_equal(decoded, expected.astype('f4'))
    assert numpy.array_equal(numpy.signbit(decoded), codes >> 23 == 1)


@pytest.mark.parametrize('rounding', ROUNDINGS)
def test_float24_roundtrip_all_codes(rounding):
    """Values that are float24 encode to their code in every direction."""
    codes, data = all_codes('>')
    decoded = float24_decode(data, byteorder='>')
    encoded = codes_of(float24_encode(decoded, byteorder='>',
                                      rounding=rounding), '>')
    nan = ((codes >> 16) & 0x7F == 0x7F) & (codes & 0xFFFF != 0)
    numpy.testing.assert_array_equal(encoded[~nan], codes[~nan])
    assert numpy.all(encoded[nan] & 0x7FFFFF == 0x7F8000)


def rounding_cases():
    """float32 bit patterns around every rounding decision."""
    rng = numpy.random.default_rng(0)
    cases = [rng.integers(0, 2**32, 2000, 'u8').astype('u4')]
    low = [0, 1, 0x3F, 0x40, 0x41, 0x7F, 0xBF, 0xC0, 0xC1, 0x7FFFFF, 0x7FFFC0,
           0x7FFFBF, 0x7FFF80, 0x7FFFFF - 0x40, 0x400000]
    for exponent in list(range(0, 72)) + list(range(120, 130)) + list(
            range(186, 256)):
        cases.append((numpy.uint32(exponent) << 23) | numpy.array(low, 'u4'))
    bits = numpy.concatenate(cases)
    return numpy.concatenate([bits, bits | numpy.uint32(0x80000000)])


@pytest.mark.parametrize('rounding', ROUNDINGS)
def test_float24_rounding_model(rounding):
    """IEEE 754 rounding including carries, overflow and subnormals.

    The reference implementation differs here in places: it does not
    carry a rounded-up mantissa into the exponent (0.015624999 became
    0.0078125), garbles values below the smallest subnormal, flushes them
    to zero when rounding away from zero, and overflows to infinity in
    every direction.
    """
    bits = rounding_cases()
    values = bits.view('f4')
    encoded = codes_of(float24_encode(values, rounding=rounding))
    for bit, value, code in zip(bits, values, encoded):
        assert code == f24_round_model(float(value), rounding), hex(bit)


def test_float24_rounding_directions():
    one_plus = numpy.array([1 + 2**-17 + 2**-20], 'f4')  # just above a tie
    tie = numpy.array([1 + 2**-17, 1 + 3 * 2**-17], 'f4')
    results = {
        rounding: codes_of(float24_encode(numpy.concatenate(
            [one_plus, -one_plus, tie]), rounding=rounding)).tolist()
        for rounding in ROUNDINGS}
    one = 0x3F0000
    assert results[FLOAT24.ROUND.TONEAREST] == [
        one + 1, 0x800000 | (one + 1), one, one + 2]
    assert results[FLOAT24.ROUND.UPWARD] == [
        one + 1, 0x800000 | one, one + 1, one + 2]
    assert results[FLOAT24.ROUND.DOWNWARD] == [
        one, 0x800000 | (one + 1), one, one + 1]
    assert results[FLOAT24.ROUND.TOWARDZERO] == [
        one, 0x800000 | one, one, one + 1]
    # just below a power of two the carry reaches the exponent
    below = numpy.array([numpy.nextafter(numpy.float32(2**-6), 0)], 'f4')
    assert float24_decode(float24_encode(below)).tolist() == [2**-6]
    # overflow and underflow
    huge = numpy.array([3e38, -3e38, 1e-30, -1e-30], 'f4')
    assert codes_of(float24_encode(huge, rounding=0)).tolist() == [
        0x7F0000, 0xFF0000, 0, 0x800000]
    assert codes_of(float24_encode(huge, rounding=3072)).tolist() == [
        0x7EFFFF, 0xFEFFFF, 0, 0x800000]
    assert codes_of(float24_encode(huge, rounding=2048)).tolist() == [
        0x7F0000, 0xFEFFFF, 1, 0x800000]
    assert codes_of(float24_encode(huge, rounding=1024)).tolist() == [
        0x7EFFFF, 0xFF0000, 0, 0x800001]


def test_float24_inputs_and_out():
    data = random_array((7, 11), 'f4')
    encoded = float24_encode(data)
    assert len(encoded) == 231
    check_out(float24_encode, data, encoded, Float24Error)
    check_inputs(float24_decode, encoded,
                 float24_decode(encoded).tobytes())
    # float16 and big-endian float32 are converted exactly
    assert float24_encode(data.astype('>f4')) == encoded
    half = data.astype('f2')
    assert float24_encode(half) == float24_encode(half.astype('f4'))
    assert float24_encode(data[:, ::2]) == float24_encode(
        numpy.ascontiguousarray(data[:, ::2]))
    out = numpy.zeros(77, 'f4')
    result = float24_decode(encoded, out=out)
    assert numpy.shares_memory(result, out)
    out = bytearray(308)
    float24_decode(encoded, out=out)
    assert bytes(out) == float24_decode(encoded).tobytes()
    with pytest.raises(Float24Error):
        float24_decode(encoded, out=numpy.zeros(76, 'f4'))
    with pytest.raises(ValueError):
        float24_decode(encoded, out=numpy.zeros(77, 'f8'))
    assert float24_encode(numpy.zeros((0, 3), 'f4')) == b''
    assert float24_decode(b'').shape == (0,)


def test_float24_invalid():
    data = numpy.ones(4, 'f4')
    for bad in (numpy.ones(4, 'f8'), numpy.ones(4, 'u4'), b'\0' * 16,
                [1.0, 2.0]):
        with pytest.raises(ValueError):
            float24_encode(bad)
    for byteorder in ('|', 'little', 'x', 1):
        with pytest.raises(ValueError):
            float24_encode(data, byteorder=byteorder)
        with pytest.raises(ValueError):
            float24_decode(b'\0' * 3, byteorder=byteorder)
    for rounding in (1, 5, -1, 4096):
        with pytest.raises(ValueError):
            float24_encode(data, rounding=rounding)
    with pytest.raises(Float24Error):
        float24_decode(b'\0' * 7)
    encoded = float24_encode(random_array((100,), 'f4'))
    check_corrupt(float24_decode, encoded, Float24Error,
                  truncations=(299, 298, 1))


# bfloat16

BF16_ROUNDINGS = list(BFLOAT16.ROUND)


def bf16_round_model(x, rounding):
    """Return the bfloat16 codes of float32 `x` from the rounded values.

    The two neighbours of each value among bfloat16 numbers are its high
    half (toward zero) and the next code away from zero, whose value is
    2**128 past the largest finite number, as IEEE 754 rounds with an
    unbounded exponent; the direction picks one by comparing the float64
    values exactly. NaNs are the quiet NaN of their sign.
    """
    with numpy.errstate(invalid='ignore'):  # signalling NaNs
        return _bf16_round_model(x, rounding)


def _bf16_round_model(x, rounding):
    bits = x.view('u4').astype('u8')
    toward = bits >> 16
    away = toward + 1
    low = (toward << 16).astype('u4').view('f4').astype('f8')
    high = numpy.where(
        (away & 0x7FFF) == 0x7F80, numpy.copysign(2.0**128, low),
        (away << 16).astype('u4').view('f4').astype('f8'))
    value = x.astype('f8')
    negative = numpy.signbit(value)
    exact = value == low
    if rounding == BFLOAT16.ROUND.TONEAREST:
        below, above = abs(value - low), abs(high - value)
        pick = (above < below) | ((above == below) & (toward & 1 == 1))
    elif rounding == BFLOAT16.ROUND.UPWARD:
        pick = ~exact & ~negative
    elif rounding == BFLOAT16.ROUND.DOWNWARD:
        pick = ~exact & negative
    else:
        pick = numpy.zeros(x.shape, bool)
    codes = numpy.where(pick, away, toward)
    nan = numpy.isnan(x)
    codes[nan] = (toward[nan] & 0x8000) | 0x7FC0
    return codes.astype('u2')


def test_bfloat16_constants():
    assert BFLOAT16.available
    assert BFLOAT16.ROUND.TONEAREST == 0 and BFLOAT16.ROUND.UPWARD == 2048
    assert BFLOAT16.ROUND.DOWNWARD == 1024
    assert BFLOAT16.ROUND.TOWARDZERO == 3072
    assert bfloat16_check(b'\0\0') is None
    assert bfloat16_version().startswith('imcd')


def test_bfloat16_examples():
    values = numpy.array([1.0, -2.5, numpy.pi, numpy.inf, -0.0, 1 / 3], 'f4')
    encoded = bfloat16_encode(values)
    assert encoded == bytes.fromhex('803f 20c0 4940 807f 0080 ab3e')
    assert bfloat16_encode(values, byteorder='>') == bytes.fromhex(
        '3f80 c020 4049 7f80 8000 3eab')
    assert bfloat16_encode(values, rounding=BFLOAT16.ROUND.UPWARD)[4:6] == (
        b'\x4a\x40')
    decoded = bfloat16_decode(encoded)
    assert decoded.dtype == numpy.float32 and decoded.shape == (6,)
    assert decoded.tolist()[:5] == [1.0, -2.5, 3.140625, numpy.inf, -0.0]
    assert numpy.signbit(decoded[4])


def test_bfloat16_decode_all_codes():
    codes = numpy.arange(2**16, dtype='u2')
    expected = (codes.astype('u4') << 16).view('f4')
    for byteorder in ('<', '>'):
        data = codes.astype(codes.dtype.newbyteorder(byteorder)).tobytes()
        result = bfloat16_decode(data, byteorder=byteorder)
        assert result.view('u4').tolist() == expected.view('u4').tolist()
    # every code but NaNs survives a round trip in every direction
    finite = expected[~numpy.isnan(expected)]
    for rounding in BF16_ROUNDINGS:
        assert bfloat16_decode(bfloat16_encode(
            finite, rounding=rounding)).tobytes() == finite.tobytes()


@pytest.mark.parametrize('rounding', BF16_ROUNDINGS)
def test_bfloat16_rounding_model(rounding):
    rng = numpy.random.default_rng(int(rounding))
    bits = numpy.concatenate([
        rng.integers(0, 2**32, 100000, 'u8'),
        # ties, neighbours of ties, the largest finite values, NaNs,
        # infinities and subnormals of both signs
        [0x3F808000, 0x3F818000, 0x3F807FFF, 0x3F808001, 0x7F7FFFFF,
         0x7F7F8000, 0x7F7F7FFF, 0x7F800001, 0x7FBFFFFF, 0x7FC00000,
         0x7F800000, 0x00000001, 0x00008000, 0x00018000, 0x0000FFFF, 0],
    ]).astype('u4')
    bits = numpy.concatenate([bits, bits | 0x80000000])
    values = bits.view('f4')
    result = numpy.frombuffer(bfloat16_encode(values, rounding=rounding),
                              '<u2')
    expected = bf16_round_model(values, rounding)
    assert result.tolist() == expected.tolist()
    big = bfloat16_encode(values, rounding=int(rounding), byteorder='>')
    assert numpy.frombuffer(big, '>u2').tolist() == expected.tolist()


def test_bfloat16_inputs_and_out():
    values = random_array((7, 9), 'f4', seed=10)
    encoded = bfloat16_encode(values)
    check_out(lambda d, **k: bfloat16_encode(d, **k), values, encoded,
              Bfloat16Error)
    # any byte order and float16 convert exactly; views are copied
    assert bfloat16_encode(values.astype('>f4')) == encoded
    half = values.astype('f2')
    assert bfloat16_encode(half) == bfloat16_encode(half.astype('f4'))
    assert bfloat16_encode(values[:, ::2]) == bfloat16_encode(
        numpy.ascontiguousarray(values[:, ::2]))
    expected = bfloat16_decode(encoded)
    check_inputs(bfloat16_decode, encoded, expected.tobytes())
    out = numpy.zeros(63, 'f4')
    result = bfloat16_decode(encoded, out=out)
    assert numpy.shares_memory(result, out)
    assert out.tobytes() == expected.tobytes()
    assert bfloat16_decode(b'').shape == (0,)
    with pytest.raises(ValueError) as error:
        bfloat16_decode(encoded, out=numpy.zeros(62, 'f4'))
    assert isinstance(error.value, Bfloat16Error)


def test_bfloat16_invalid():
    values = numpy.ones(4, 'f4')
    calls = [
        lambda: bfloat16_decode(b'\0\0\0'),
        lambda: bfloat16_decode(b'\0\0', byteorder='|'),
        lambda: bfloat16_encode(values, byteorder='big'),
        lambda: bfloat16_encode(values, rounding=1),
        lambda: bfloat16_encode(values.astype('f8')),
        lambda: bfloat16_encode(values.astype('u2')),
        lambda: bfloat16_encode(values.tobytes()),
    ]
    for call in calls:
        with pytest.raises(ValueError) as error:
            call()
        assert isinstance(error.value, Bfloat16Error)
    with pytest.raises(TypeError) as error:
        bfloat16_encode(values, rounding='TONEAREST')
    assert isinstance(error.value, Bfloat16Error)
    with pytest.raises(TypeError):
        bfloat16_encode(values, None)  # keyword-only, as the reference
