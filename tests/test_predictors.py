# SPDX-License-Identifier: BSD-3-Clause
"""DELTA, XOR, FLOATPRED and BYTESHUFFLE filters.

Results are compared with small NumPy models of each filter written from
its definition, and with values worked out by hand.
"""

import numpy
import pytest

from imagecodecs import (
    ByteshuffleError, DeltaError, FloatpredError, XorError,
    byteshuffle_decode, byteshuffle_encode, delta_decode, delta_encode,
    float24_decode, float24_encode, floatpred_decode, floatpred_encode,
    xor_decode, xor_encode,
)
from harness import (
    FLOAT_DTYPES, INT_DTYPES, SHAPES, check_corrupt, check_inputs, check_out,
    random_array, require,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    for codec in ('delta', 'xor', 'floatpred', 'byteshuffle'):
        require(codec)


DTYPES = INT_DTYPES + FLOAT_DTYPES + ('>u2', '>i4', '>u8', '>f4', '>f8')
ALL_SHAPES = SHAPES + ((3, 0, 2), (33, 31, 3))

ENCODERS = {
    'delta': (delta_encode, delta_decode, DeltaError),
    'xor': (xor_encode, xor_decode, XorError),
    'floatpred': (floatpred_encode, floatpred_decode, FloatpredError),
    'byteshuffle': (byteshuffle_encode, byteshuffle_decode,
                    ByteshuffleError),
}


def sample(shape, dtype, seed=0):
    """Return random data of dtype, with all bits used for integers."""
    dtype = numpy.dtype(dtype)
    data = random_array(shape, dtype.newbyteorder('='), seed)
    return data.astype(dtype)


def lagged(data, axis, dist):
    """Return (later, earlier) views of data along axis, dist apart."""
    index = [slice(None)] * data.ndim
    later, earlier = list(index), list(index)
    later[axis] = slice(dist, None)
    earlier[axis] = slice(None, -dist)
    return tuple(later), tuple(earlier)


def as_native_uint(data):
    """Return the bit patterns of data as native unsigned integers."""
    uint = numpy.dtype(f'u{data.itemsize}').newbyteorder(data.dtype.byteorder)
    return data.view(uint).astype(uint.newbyteorder('='))


def delta_model(data, axis=-1, dist=1, op=numpy.subtract):
    """Differences (or XOR) of the bit patterns along axis."""
    bits = as_native_uint(data)
    result = bits.copy()
    later, earlier = lagged(bits, axis, dist)
    result[later] = op(bits[later], bits[earlier])
    uint = numpy.dtype(f'u{data.itemsize}').newbyteorder(data.dtype.byteorder)
    return result.astype(uint).view(data.dtype)


def shuffle_model(data, axis=-1, dist=1, delta=False, reorder=False):
    """Byte planes of each block from axis on, optionally differenced."""
    if data.size == 0:
        return data.copy()
    axis %= data.ndim
    blocks = int(numpy.prod(data.shape[:axis]))
    inner = int(numpy.prod(data.shape[axis + 1:]))
    items = data.reshape(blocks, -1)
    count, size = items.shape[1], data.itemsize
    planes = items.view(numpy.uint8).reshape(blocks, count, size)
    bigendian = data.dtype.byteorder == '>' or (
        data.dtype.byteorder == '=' and numpy.little_endian is False)
    if reorder and not bigendian:
        planes = planes[:, :, ::-1]
    planes = planes.transpose(0, 2, 1).reshape(blocks, count * size)
    if delta:
        lag = min(dist, data.shape[axis]) * inner
        diff = planes.copy()
        diff[:, lag:] = planes[:, lag:] - planes[:, :-lag]
        planes = diff
    return numpy.ascontiguousarray(planes).view(data.dtype).reshape(
        data.shape)


def floatpred_model(data, axis=-1, dist=1):
    return shuffle_model(data, axis, dist, delta=True, reorder=True)


MODELS = {
    'delta': lambda data, axis, dist: delta_model(data, axis, dist),
    'xor': lambda data, axis, dist: delta_model(data, axis, 1,
                                                numpy.bitwise_xor),
    'floatpred': floatpred_model,
    'byteshuffle': lambda data, axis, dist: shuffle_model(data, axis, dist),
}


def call(name, func, data, axis=-1, dist=1, **kwargs):
    if name == 'xor':
        return func(data, axis=axis, **kwargs)
    return func(data, axis=axis, dist=dist, **kwargs)


def encoded_by(name, data, axis, dist):
    """Return data filtered, by the encoder or, for the lags the DELTA
    encoder refuses as the reference does (only its decoder takes them),
    by the model."""
    if name == 'delta' and dist != 1:
        with pytest.raises(NotImplementedError, match='not implemented'):
            delta_encode(data, axis=axis, dist=dist)
        return MODELS['delta'](data, axis, dist)
    return call(name, ENCODERS[name][0], data, axis, dist)


@pytest.mark.parametrize('name', ENCODERS)
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', ALL_SHAPES, ids=str)
def test_model_and_roundtrip(name, dtype, shape):
    """Every axis and some distances: the model's result, exact inverse."""
    encode, decode, _ = ENCODERS[name]
    data = sample(shape, dtype)
    for axis in range(-len(shape), len(shape)):
        for dist in (1, 2, 3) if name != 'xor' else (1,):
            expected = MODELS[name](data, axis, dist)
            encoded = encoded_by(name, data, axis, dist)
            assert encoded.dtype == data.dtype
            assert encoded.shape == data.shape
            assert encoded.tobytes() == expected.tobytes(), (axis, dist)
            decoded = call(name, decode, encoded, axis, dist)
            assert decoded.dtype == data.dtype
            assert decoded.tobytes() == data.tobytes(), (axis, dist)


@pytest.mark.parametrize('delta', [False, True])
@pytest.mark.parametrize('reorder', [False, True])
@pytest.mark.parametrize('dtype', ['u2', '>u2', 'f4', '>f4', 'i8', 'u1'])
def test_byteshuffle_options(delta, reorder, dtype):
    data = sample((5, 9, 3), dtype)
    for axis, dist in ((-1, 1), (-2, 1), (-2, 2), (0, 4)):
        kwargs = dict(axis=axis, dist=dist, delta=delta, reorder=reorder)
        encoded = byteshuffle_encode(data, **kwargs)
        assert encoded.tobytes() == shuffle_model(data, **kwargs).tobytes()
        assert byteshuffle_decode(encoded, **kwargs).tobytes() == \
            data.tobytes()


@pytest.mark.parametrize('delta', [False, True])
@pytest.mark.parametrize('reorder', [False, True])
@pytest.mark.parametrize('dtype', ['V3', 'S3', 'V2', 'c8', 'M8[s]', '>m8[s]',
                                   'U1', '?', 'S1', [('a', 'u1'), ('b', 'u2')]])
def test_byteshuffle_records(delta, reorder, dtype):
    """Items of any type of 1, 2, 3, 4 or 8 bytes are byte records."""
    dtype = numpy.dtype(dtype)
    raw = random_array((7, 6, dtype.itemsize * 5), 'u1', seed=11)
    data = raw.view(dtype).reshape(7, 6, 5)
    for axis, dist in ((-1, 1), (-2, 1), (-2, 2), (0, 3), (1, 6)):
        kwargs = dict(axis=axis, dist=dist, delta=delta, reorder=reorder)
        encoded = byteshuffle_encode(data, **kwargs)
        assert encoded.dtype == dtype and encoded.shape == data.shape
        assert encoded.tobytes() == shuffle_model(data, **kwargs).tobytes()
        decoded = byteshuffle_decode(encoded, **kwargs)
        assert decoded.tobytes() == data.tobytes()


def test_byteshuffle_float24():
    """24-bit floats as a void dtype, as TIFF stores them."""
    # values that 24-bit floats hold exactly
    values = (numpy.arange(40, dtype='f4') / 8 - 3).reshape(4, 10)
    for byteorder in ('<', '>'):
        data = numpy.frombuffer(float24_encode(values, byteorder=byteorder),
                                'V3').reshape(4, 10)
        bytes3 = data.view('u1').reshape(4, 10, 3)
        # planes from the first byte in memory, or from the last (reorder)
        encoded = byteshuffle_encode(data)
        assert encoded.dtype == 'V3'
        assert encoded.tobytes() == bytes3.transpose(0, 2, 1).tobytes()
        encoded = byteshuffle_encode(data, reorder=True, delta=True)
        planes = bytes3[:, :, ::-1].transpose(0, 2, 1).reshape(4, 30)
        expected = numpy.diff(planes, axis=1, prepend=0).astype('u1')
        assert encoded.tobytes() == expected.tobytes()
        decoded = byteshuffle_decode(encoded, reorder=True, delta=True)
        numpy.testing.assert_array_equal(
            float24_decode(decoded.tobytes(), byteorder=byteorder),
            values.ravel())


def test_byteshuffle_2024_and_2026_calls():
    data = sample((6, 8), '<u4')
    expected = shuffle_model(data, 0, 2, True, True)
    for encoded in (byteshuffle_encode(data, 0, 2, True, True),
                    byteshuffle_encode(data, 0, 2, True, True, None),
                    byteshuffle_encode(data, axis=0, dist=2, delta=True,
                                       reorder=True, out=None)):
        assert encoded.tobytes() == expected.tobytes()
    assert byteshuffle_decode(expected, 0, 2, True, True).tobytes() == \
        data.tobytes()
    assert byteshuffle_decode(expected, axis=0, dist=2, delta=True,
                              reorder=True).tobytes() == data.tobytes()


def test_byteshuffle_argument_errors():
    """The reference's exception types, and ByteshuffleError."""
    data = numpy.zeros((4, 5), 'V3')
    for dist in (0, -1):
        for func in (byteshuffle_encode, byteshuffle_decode):
            with pytest.raises(NotImplementedError) as exc:
                func(data, dist=dist)
            assert isinstance(exc.value, (ByteshuffleError, ValueError))
    for out in (numpy.zeros((4, 4), 'V3'), bytearray(59)):
        with pytest.raises(ValueError) as exc:
            byteshuffle_encode(data, out=out)
        assert isinstance(exc.value, ByteshuffleError)
    with pytest.raises(ValueError):
        byteshuffle_encode(data, out=numpy.zeros((4, 5), 'S3'))


def test_floatpred_is_byteshuffle_with_delta_and_reorder():
    data = sample((4, 7, 2), '<f8')
    for axis in (-1, -2):
        assert floatpred_encode(data, axis=axis).tobytes() == \
            byteshuffle_encode(data, axis=axis, delta=True,
                               reorder=True).tobytes()


def test_delta_examples():
    data = numpy.array([[1, 3, 6, 10], [2, 4, 8, 16]], 'u2')
    numpy.testing.assert_array_equal(delta_encode(data),
                                     [[1, 2, 3, 4], [2, 2, 4, 8]])
    numpy.testing.assert_array_equal(delta_encode(data, axis=0),
                                     [[1, 3, 6, 10], [1, 1, 2, 6]])
    numpy.testing.assert_array_equal(
        delta_decode(numpy.array([[1, 3, 5, 7], [2, 4, 6, 12]], 'u2'),
                     dist=2), data)
    # integers wrap around
    numpy.testing.assert_array_equal(
        delta_encode(numpy.array([1, 300, 2], 'u2')), [1, 299, 65238])
    numpy.testing.assert_array_equal(
        delta_decode(numpy.array([100, 100, 100], 'i1')), [100, -56, 44])
    # big-endian arrays are differenced by value and stay big-endian
    result = delta_encode(numpy.array([1, 300, 2], '>u2'))
    assert result.dtype == '>u2'
    assert result.tobytes() == bytes.fromhex('0001 012b fed6')
    # floats are differenced by their bit patterns: 2.5 - 1.5 in float32
    result = delta_encode(numpy.array([1.5, 2.5], 'f4'))
    assert result.view('u4').tolist() == [0x3FC00000, 0x00600000]
    # bytes are uint8
    assert delta_encode(b'\x01\x03\x06\x0a') == b'\x01\x02\x03\x04'
    assert delta_decode(b'\x01\x02\x03\x04\xff') == b'\x01\x03\x06\x0a\x09'
    assert delta_decode(b'\x01\x02\x03\x04', dist=2) == b'\x01\x02\x04\x06'


def test_xor_examples():
    data = numpy.array([[1, 3, 6, 10], [2, 4, 8, 16]], 'u2')
    numpy.testing.assert_array_equal(xor_encode(data),
                                     [[1, 2, 5, 12], [2, 6, 12, 24]])
    numpy.testing.assert_array_equal(xor_encode(data, axis=0),
                                     [[1, 3, 6, 10], [3, 7, 14, 26]])
    result = xor_encode(numpy.array([1.5, 2.5, 4.0], 'f4'))
    assert result.view('u4').tolist() == [0x3FC00000, 0x7FE00000, 0x00A00000]
    assert xor_decode(b'\x01\x02\x05\x0c') == b'\x01\x03\x06\x0a'


def test_floatpred_example():
    """TIFF Technical Note 3 worked by hand for a row of two floats."""
    data = numpy.array([1.0, 2.0], '<f4')  # 3f800000 40000000
    # most significant bytes first: 3f 40 80 00 00 00 00 00, differenced
    expected = bytes.fromhex('3f 01 40 80 00 00 00 00')
    assert floatpred_encode(data).tobytes() == expected
    assert floatpred_encode(data.astype('>f4')).tobytes() == expected
    encoded = numpy.frombuffer(expected, '>f4')
    numpy.testing.assert_array_equal(floatpred_decode(encoded), [1.0, 2.0])
    # chunky samples (axis=-2): bytes of the same sample are differenced;
    # planes 3f 40 40 41, 80 80 00 00, 00 00 00 00, 00 00 00 00
    data = numpy.array([[1.0, 4.0], [2.0, 8.0]], 'f4')
    expected = bytes.fromhex('3f 40 01 01 40 3f 80 80 00 00 00 00 00 00 00 00')
    assert floatpred_encode(data, axis=-2).tobytes() == expected


def test_floatpred_samples(samples):
    """Encoded by the reference package from rgb.bin (float32, 33x31x3).

    Both byte orders give the same byte stream; decoded they equal rgb.bin,
    a float32 ramp of i / 3069, the sample values below.
    """
    rgb = numpy.fromfile(samples / 'rgb.bin', '<f4').reshape(33, 31, 3)
    numpy.testing.assert_array_equal(
        rgb.ravel(), (numpy.arange(3069) / 3069).astype('f4'))
    assert rgb[0, 1].view('u4').tolist() == [981475336, 984274272, 987073208]
    assert rgb[16, 15].view('u4').tolist() == [
        1056948208, 1056959141, 1056967341]
    for byteorder in '<>':
        dtype = numpy.dtype('f4').newbyteorder(byteorder)
        for name, shape, axis, expected in (
            ('rgb', (33, 31, 3), -2, rgb),
            ('rrggbb', (3, 33, 31), -1, rgb.transpose(2, 0, 1)),
        ):
            for suffix in ('le', 'be'):
                path = samples / f'{name}.floatpred_{suffix}.bin'
                encoded = numpy.fromfile(path, dtype).reshape(shape)
                decoded = floatpred_decode(encoded, axis=axis)
                assert decoded.dtype == dtype
                numpy.testing.assert_array_equal(decoded, expected)
                assert floatpred_encode(
                    numpy.ascontiguousarray(expected, dtype),
                    axis=axis).tobytes() == path.read_bytes()


@pytest.mark.parametrize('name', ENCODERS)
def test_out(name):
    encode, decode, error = ENCODERS[name]
    data = sample((6, 35), 'u2')
    encoded = call(name, encode, data)
    # a given array is filled and returned
    out = numpy.zeros_like(data)
    result = call(name, encode, data, out=out)
    assert numpy.shares_memory(result, out)
    assert out.tobytes() == encoded.tobytes()
    out = numpy.zeros_like(data)
    call(name, decode, encoded, out=out)
    assert out.tobytes() == data.tobytes()
    # any writable buffer of the same size
    buffer = bytearray(data.nbytes)
    result = call(name, decode, encoded, out=buffer)
    assert result.shape == data.shape and bytes(buffer) == data.tobytes()
    # in place
    work = data.copy()
    result = call(name, encode, work, out=work)
    assert numpy.shares_memory(result, work)
    assert work.tobytes() == encoded.tobytes()
    result = call(name, decode, work, out=work)
    assert work.tobytes() == data.tobytes()
    # wrong size, dtype, layout
    with pytest.raises(error):
        call(name, encode, data, out=numpy.zeros((6, 34), 'u2'))
    with pytest.raises(error):
        call(name, encode, data, out=bytearray(data.nbytes - 1))
    with pytest.raises(ValueError):
        call(name, encode, data, out=numpy.zeros((6, 35), 'i2'))
    with pytest.raises(ValueError):
        call(name, encode, data, out=numpy.zeros((6, 35), '>u2'))
    with pytest.raises(ValueError):
        call(name, encode, data, out=numpy.zeros((35, 12), 'u2')[:, ::2])
    readonly = numpy.zeros_like(data)
    readonly.flags.writeable = False
    with pytest.raises(TypeError):
        call(name, encode, data, out=readonly)
    assert not readonly.any()
    # tifffile decodes a strip viewed read-only from bytes "in place" and
    # uses the returned array: it gets a new one, the bytes stay immutable
    frozen = numpy.frombuffer(encoded.tobytes(), data.dtype).reshape(
        data.shape)
    result = call(name, decode, frozen, out=frozen)
    assert not numpy.shares_memory(result, frozen)
    assert result.tobytes() == data.tobytes()
    assert frozen.tobytes() == encoded.tobytes()
    unaligned = numpy.frombuffer(bytearray(data.nbytes + 1), 'u1')[1:]
    with pytest.raises(ValueError):
        call(name, encode, data, out=unaligned.view('u2'))


@pytest.mark.parametrize('name', ENCODERS)
@pytest.mark.parametrize('dist', [1, 3])
def test_inplace_all_lags(name, dist):
    """In-place filtering of lags 1 to 40 items (all code paths)."""
    encode, decode, _ = ENCODERS[name]
    for inner in (1, 2, 3, 4, 5, 8, 13, 40):
        for dtype in ('u1', 'u2', '>u4', 'f8'):
            data = sample((3, 19, inner), dtype, seed=inner)
            expected = encoded_by(name, data, -2, dist)
            work = data.copy()
            if name == 'delta' and dist != 1:
                work[...] = expected
            else:
                call(name, encode, work, -2, dist, out=work)
            assert work.tobytes() == expected.tobytes(), (inner, dtype)
            call(name, decode, work, -2, dist, out=work)
            assert work.tobytes() == data.tobytes(), (inner, dtype)


@pytest.mark.parametrize('name', ENCODERS)
def test_bytes_input(name):
    encode, decode, error = ENCODERS[name]
    data = bytes(random_array((1000,), 'u1'))
    array = numpy.frombuffer(data, 'u1')
    encoded = call(name, encode, data)
    assert isinstance(encoded, bytes)
    assert encoded == call(name, encode, array).tobytes()
    check_inputs(lambda d, **k: call(name, decode, d, **k), encoded, data)
    check_out(lambda d, **k: call(name, decode, d, **k), encoded, data,
              error)
    check_out(lambda d, **k: call(name, encode, d, **k), data, encoded,
              error)
    # every byte string is valid: damage changes values, nothing else
    check_corrupt(lambda d, **k: call(name, decode, d, **k), encoded, error,
                  truncations=())
    # in place in a bytearray
    work = bytearray(encoded)
    call(name, decode, work, out=work)
    assert work == data
    assert call(name, encode, b'') == b''


@pytest.mark.parametrize('name', ENCODERS)
def test_noncontiguous_input(name):
    encode, decode, _ = ENCODERS[name]
    data = sample((8, 20, 3), 'f4')
    view = data[::2, 1::3]
    encoded = call(name, encode, view, -2)
    assert encoded.flags.c_contiguous
    assert encoded.tobytes() == call(
        name, encode, numpy.ascontiguousarray(view), -2).tobytes()
    assert call(name, decode, encoded, -2).tobytes() == view.tobytes()
    unaligned = numpy.frombuffer(b'\0' + data.tobytes(), 'u1')[1:].view('f4')
    assert not unaligned.flags.aligned
    assert call(name, encode, unaligned).tobytes() == call(
        name, encode, data.ravel()).tobytes()


@pytest.mark.parametrize('name', ENCODERS)
def test_invalid_arguments(name):
    encode, decode, error = ENCODERS[name]
    data = sample((4, 5), 'u2')
    for axis in (2, -3):
        with pytest.raises(ValueError):
            call(name, encode, data, axis=axis)
        with pytest.raises(IndexError):  # numpy.exceptions.AxisError
            call(name, decode, data, axis=axis)
    with pytest.raises(ValueError):
        call(name, encode, numpy.array(1, 'u2'))
    if name == 'byteshuffle':  # records of other sizes
        invalid = ('O', 'V5', 'V7', 'c16', 'V12', [('a', 'O')])
    else:
        invalid = ('?', 'c8', 'V2', 'M8[s]', 'O', 'U1')
    for dtype in invalid:
        with pytest.raises(ValueError) as exc:
            call(name, encode, numpy.zeros(3, dtype))
        assert name != 'byteshuffle' or isinstance(exc.value, error)
    if name != 'xor':
        for dist in (0, -1):
            with pytest.raises(ValueError):
                call(name, encode, data, dist=dist)
        with pytest.raises(TypeError):
            call(name, encode, data, dist=1.5)
    with pytest.raises(TypeError):
        call(name, encode, 'text')


def test_large_dist():
    data = sample((3, 4), 'u4')
    numpy.testing.assert_array_equal(delta_decode(data, dist=4), data)
    numpy.testing.assert_array_equal(delta_decode(data, dist=10**9), data)
    numpy.testing.assert_array_equal(
        floatpred_decode(floatpred_encode(data, dist=7), dist=7), data)


def test_numpy_cumsum():
    """delta_decode of integers is numpy.cumsum with wrap around."""
    data = random_array((50, 60), 'i2')
    for axis in (0, 1):
        numpy.testing.assert_array_equal(
            delta_decode(data, axis=axis),
            numpy.cumsum(data, axis=axis, dtype='i2'))
