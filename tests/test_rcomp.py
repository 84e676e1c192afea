# SPDX-License-Identifier: BSD-3-Clause
"""RCOMP codec: Rice compression of the FITS tiled image convention."""

import hashlib

import numpy
import pytest

from imagecodecs import (
    RcompError, rcomp_check, rcomp_decode, rcomp_encode, rcomp_version,
)
from harness import (
    SHAPES, check_corrupt, check_inputs, check_out, check_roundtrip,
    random_array, require,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('rcomp')


DTYPES = ('u1', 'i1', 'u2', 'i2', 'u4', 'i4')


def sample(dtype, kind, n=1000, seed=0):
    """Return data that exercises the raw, zero and Rice coded blocks."""
    rng = numpy.random.default_rng(seed)
    info = numpy.iinfo(dtype)
    if kind == 'full':
        return rng.integers(info.min, info.max, n, dtype, endpoint=True)
    if kind == 'smooth':
        walk = numpy.cumsum(rng.integers(-3, 4, n)) + 100
        return walk.clip(info.min, info.max).astype(dtype)
    if kind == 'spiky':
        data = rng.integers(0, 4, n).astype(dtype)
        data[::17] = info.max
        return data
    assert kind == 'steps'
    return (numpy.arange(n) // 50 * 3).astype(dtype)


def test_version_and_check():
    assert 'imcd' in rcomp_version()
    assert rcomp_check(b'\0\0\0') is None


@pytest.mark.parametrize('data, encoded', [
    # first value 0, one block of 4: mapped differences 0, 255, 255, 255
    # give FS 7 >= 6, so code 7 (3 bits) and the raw 8-bit values
    (numpy.array([0, 128, 0, 128], 'u1'), '00 e0 1f ff ff e0'),
    # first value 5, mapped differences 0, 0, 0, 2 (sum 2): FS 0, code 1
    # (5 bits 00001), Rice codes 1 1 1 001, zero padded
    (numpy.array([5, 5, 5, 6], 'u4'), '00000005 0f 20'),
    # differences 0, 2, -3, 4 map to 0, 4, 5, 8: mean (17 - 3) / 4 -> 3,
    # FS = bit length of 3 >> 1 = 1, code 2 (0010), then 10 0010 0011 000010
    (numpy.array([-1, 1, -2, 2], 'i2'), 'ffff 28 8c 20'),
    # 0, then differences 0, 1, 1, ... (mapped 0, 2, 2, ...): FS 0, code 1
    # (3 bits 001), Rice codes 1 001 001 ...
    (numpy.arange(10, dtype='u1'), '00 32 49 24 92'),
    # equal values: a 4-bit code 0 for each block of 32
    (numpy.zeros(100, 'u2'), '0000 0000'),
    (numpy.array([7], 'u2'), '0007 00'),
    (numpy.zeros((3, 4), 'u2'), '0000 00'),
])
def test_specification_vectors(data, encoded):
    encoded = bytes.fromhex(encoded)
    assert rcomp_encode(data) == encoded
    decoded = rcomp_decode(encoded, shape=data.shape, dtype=data.dtype)
    numpy.testing.assert_array_equal(decoded, data)


# sha256 of the reference encoder's (cfitsio) streams of all kinds and
# block sizes, per dtype
PINNED = {
    'u1': '33809460e00c9c1a7ba0b1f40f6b507d55d4555417c63b6be76baf7dcb7c7ace',
    'i1': 'cc02f3aa893bf02816258eba3b94193eda09fc303df38dc40804536cb9db0302',
    'u2': 'c9a757a4889c015d2a28c5217e7e8862c6e788e54243c2456e15ef4d2b94a7fe',
    'i2': '607eaa8e9b07bfc2a4b8f99a0a0deb2a8894dc6a8956790ada5e89918985687d',
    'u4': 'bc232ce8149fc08f97a12ee67b8e2b997f9f4e783cac77642f96c4da040a24ee',
    'i4': '591169ca5c88cdde1c6d98dc1fdabea3ba7b3b1d6d7f95ea7bf6e0d89148e530',
}


@pytest.mark.parametrize('dtype', DTYPES)
def test_pinned_streams(dtype):
    digest = hashlib.sha256()
    for kind in ('full', 'smooth', 'spiky', 'steps'):
        for nblock in (16, 32, 33, 100):
            data = sample(dtype, kind)
            encoded = rcomp_encode(data, nblock=nblock)
            digest.update(encoded)
            decoded = rcomp_decode(encoded, shape=data.shape, dtype=dtype,
                                   nblock=nblock)
            numpy.testing.assert_array_equal(decoded, data)
    assert digest.hexdigest() == PINNED[dtype]


def test_pinned_image():
    y, x = numpy.mgrid[:64, :64]
    image = (1000 + 300 * numpy.sin(x / 9.0) * numpy.cos(y / 7.0))
    image = image.astype('u2')
    encoded = rcomp_encode(image)
    assert len(encoded) == 3170
    assert hashlib.sha256(encoded).hexdigest()[:16] == '87edcbbabf3db16e'
    decoded = rcomp_decode(encoded, shape=image.shape, dtype=image.dtype)
    numpy.testing.assert_array_equal(decoded, image)


@pytest.mark.parametrize('nblock', [None, 1, 2, 16, 31, 32, 33, 300, 5000])
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', SHAPES, ids=str)
def test_roundtrip(shape, dtype, nblock):
    for low, high in ((None, None), (0, 3)):
        data = random_array(shape, dtype, low=low, high=high)
        check_roundtrip(rcomp_encode, rcomp_decode, data,
                        encode_kwargs={'nblock': nblock},
                        decode_kwargs={'shape': shape, 'dtype': dtype,
                                       'nblock': nblock})


def test_extremes():
    for dtype in DTYPES:
        info = numpy.iinfo(dtype)
        data = numpy.array([info.min, info.max] * 50 + [0, info.max] * 50,
                           dtype)
        for nblock in (1, 32, 1000):
            encoded = rcomp_encode(data, nblock=nblock)
            decoded = rcomp_decode(encoded, shape=data.shape, dtype=dtype,
                                   nblock=nblock)
            numpy.testing.assert_array_equal(decoded, data)


def test_byteorder_is_memory_order():
    # values are taken as native integers of the array's bytes
    data = sample('u2', 'smooth').astype('>u2')
    encoded = rcomp_encode(data)
    assert encoded == rcomp_encode(numpy.frombuffer(data.tobytes(), '=u2'))
    decoded = rcomp_decode(encoded, shape=data.shape, dtype=data.dtype)
    assert decoded.dtype == data.dtype
    assert decoded.tobytes() == data.tobytes()


def test_noncontiguous_input():
    data = sample('i2', 'smooth').reshape(20, 50)[:, ::3]
    assert rcomp_encode(data) == rcomp_encode(data.copy())


def test_empty():
    assert rcomp_encode(numpy.zeros((0,), 'u2')) == b''
    assert rcomp_encode(numpy.zeros((3, 0), 'i4')) == b''
    decoded = rcomp_decode(b'', shape=(0,), dtype='u2')
    assert decoded.shape == (0,) and decoded.dtype == 'u2'


@pytest.mark.parametrize('dtype', ['u8', 'i8', 'f2', 'f4', 'f8', '?', 'c8'])
def test_unsupported_dtype(dtype):
    with pytest.raises(ValueError):
        rcomp_encode(numpy.zeros(10, dtype))
    with pytest.raises(ValueError):
        rcomp_decode(b'\0' * 8, shape=10, dtype=dtype)


def test_bytes_input_is_not_an_integer_array():
    with pytest.raises(ValueError):
        rcomp_encode(b'abcd')


def test_parameters():
    data = sample('u2', 'smooth', 100)
    encoded = rcomp_encode(data)
    for nblock in (0, -1):
        with pytest.raises(RcompError):
            rcomp_encode(data, nblock=nblock)
        with pytest.raises(RcompError):
            rcomp_decode(encoded, shape=100, dtype='u2', nblock=nblock)
    with pytest.raises(TypeError):
        rcomp_decode(encoded)
    with pytest.raises(TypeError):
        rcomp_decode(encoded, dtype='u2')
    with pytest.raises(TypeError):
        rcomp_decode(encoded, shape=100)
    # shape as int or tuple, fewer pixels than encoded
    numpy.testing.assert_array_equal(
        rcomp_decode(encoded, shape=100, dtype='u2'), data)
    numpy.testing.assert_array_equal(
        rcomp_decode(encoded, shape=(10, 10), dtype='u2'),
        data.reshape(10, 10))
    numpy.testing.assert_array_equal(
        rcomp_decode(encoded, shape=50, dtype='u2'), data[:50])
    # trailing bytes are ignored
    numpy.testing.assert_array_equal(
        rcomp_decode(encoded + b'xxxx', shape=100, dtype='u2'), data)
    # a different block size does not decode the same
    other = rcomp_encode(data, nblock=16)
    assert other != encoded
    numpy.testing.assert_array_equal(
        rcomp_decode(other, shape=100, dtype='u2', nblock=16), data)


def test_encode_out():
    data = sample('i2', 'smooth', 2000)
    check_out(rcomp_encode, data, rcomp_encode(data), RcompError)


def test_decode_out():
    data = sample('u2', 'smooth', 600).reshape(20, 30)
    encoded = rcomp_encode(data)
    out = numpy.zeros_like(data)
    result = rcomp_decode(encoded, out=out)
    assert result is out or numpy.shares_memory(result, out)
    numpy.testing.assert_array_equal(out, data)
    # a flat out array takes the given shape
    out = numpy.zeros(600, 'u2')
    result = rcomp_decode(encoded, shape=(20, 30), out=out)
    assert result.shape == (20, 30)
    numpy.testing.assert_array_equal(out.reshape(20, 30), data)
    # a byte buffer of the right size
    buffer = bytearray(data.nbytes)
    rcomp_decode(encoded, shape=data.shape, dtype='u2', out=buffer)
    assert bytes(buffer) == data.tobytes()
    with pytest.raises(RcompError):
        rcomp_decode(encoded, shape=data.shape, dtype='u2',
                     out=bytearray(data.nbytes - 1))
    with pytest.raises(ValueError):
        rcomp_decode(encoded, shape=data.shape, dtype='u2',
                     out=numpy.zeros(600, 'i4'))
    # more pixels than encoded
    with pytest.raises(RcompError):
        rcomp_decode(encoded, out=numpy.zeros(601, 'u2'))


def test_decode_inputs():
    data = sample('i4', 'smooth', 500)
    encoded = rcomp_encode(data)
    check_inputs(rcomp_decode, encoded, data.tobytes(), shape=data.shape,
                 dtype=data.dtype)


@pytest.mark.parametrize('dtype', DTYPES)
def test_corrupt(dtype):
    data = sample(dtype, 'smooth', 3000)
    encoded = rcomp_encode(data)
    kwargs = {'shape': data.shape, 'dtype': dtype}
    check_corrupt(rcomp_decode, encoded, RcompError,
                  truncations=(0, 1, 3, len(encoded) // 2,
                               len(encoded) - 1), **kwargs)
    # claimed sizes far beyond the stream
    for shape in (4000, 10**6):
        with pytest.raises(RcompError):
            rcomp_decode(encoded, shape=shape, dtype=dtype)


def test_random_bytes():
    rng = numpy.random.default_rng(3)
    for trial in range(300):
        size = int(rng.integers(0, 64))
        data = rng.integers(0, 256, size, 'u1')
        data[rng.random(size) < 0.3] = 0  # long zero runs: long unary codes
        dtype = DTYPES[trial % len(DTYPES)]
        shape = int(rng.integers(1, 2000))
        try:
            rcomp_decode(data.tobytes(), shape=shape, dtype=dtype,
                         nblock=int(rng.integers(1, 64)))
        except RcompError:
            pass


def test_zero_run_at_end():
    # a Rice code whose zeros run to the end of the stream
    with pytest.raises(RcompError):
        rcomp_decode(b'\0\0\x10' + b'\0' * 100, shape=2, dtype='u2')


def test_invalid_fs_code():
    # 32-bit FS codes above 26 (raw) are written by no encoder
    stream = b'\0\0\0\0' + bytes([0b11111000]) + b'\xff' * 8
    with pytest.raises(RcompError):
        rcomp_decode(stream, shape=4, dtype='u4')
    # for 8 and 16-bit all codes are valid: the largest is a raw block,
    # here of the mapped differences 0 and 2
    numpy.testing.assert_array_equal(
        rcomp_decode(b'\0' + bytes([0b11100000, 0, 0b01000000]), shape=2,
                     dtype='u1'), [0, 1])
