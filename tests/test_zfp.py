# SPDX-License-Identifier: BSD-3-Clause
"""ZFP codec: reversible and lossy modes of 1-D to 4-D arrays."""

import hashlib
import struct

import numpy
import pytest

from imagecodecs import (
    ZFP, ZfpError, zfp_check, zfp_decode, zfp_encode, zfp_version,
)
from harness import (
    check_array_out, check_corrupt, check_inputs, check_out, random_array,
    require,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('zfp')


DTYPES = ('f4', 'f8', 'i4', 'i8')
SHAPES = ((1,), (31,), (7, 33), (3, 5, 17), (2, 3, 4, 5), (4, 4, 4, 4))
FIELD = random_array((5, 6, 7), 'f8', seed=1)


def sha(data) -> str:
    return hashlib.sha256(bytes(memoryview(data).cast('B'))).hexdigest()[:16]


def sample(shape, dtype, seed=0):
    data = random_array(shape, 'f8', seed=seed) * 1000
    return data.astype(dtype)


def test_version_and_check():
    assert zfp_version() == 'zfp 1.0.1'
    assert zfp_check(zfp_encode(FIELD))
    assert zfp_check(zfp_encode(FIELD, header=False))
    assert not zfp_check(b'zf') and not zfp_check(b'')


def test_constants():
    assert ZFP.available
    assert dict(ZFP.MODE.__members__) == {
        'NONE': 0, 'EXPERT': 1, 'FIXED_RATE': 2, 'FIXED_PRECISION': 3,
        'FIXED_ACCURACY': 4, 'REVERSIBLE': 5}
    assert dict(ZFP.EXEC.__members__) == {'SERIAL': 0, 'OMP': 1, 'CUDA': 2}
    assert dict(ZFP.HEADER.__members__) == {
        'MAGIC': 1, 'META': 2, 'MODE': 4, 'FULL': 7}


# -- reference streams --------------------------------------------------------

# the reference package's streams
REFERENCE = [
    (numpy.arange(12, dtype='f4').reshape(3, 4), {},
     '7a66700536000020000000880d9600021000080400010000'),
    ((numpy.arange(20, dtype='f8') ** 1.5).reshape(4, 5),
     {'level': 0.25, 'mode': 'a'},
     '7a66700547000030000010cb0d482a202546a275b56ed8978b4214755703920a0a'
     '29440a0051880244a2100100000000'),
    ((numpy.arange(20, dtype='f8') ** 1.5).reshape(4, 5),
     {'level': 8, 'mode': 'r'},
     '7a667005470000300000f0070d482a202546a275b56ed8978b4214750d482a28a4'
     '10290044210a10894214a000000000'),
    (numpy.arange(6, dtype='i4'), {'header': False},
     '7a66700580f801000000f5010000c0940100000000000000'),
]


@pytest.mark.parametrize('data, kwargs, encoded', REFERENCE)
def test_reference_streams(data, kwargs, encoded):
    encoded = bytes.fromhex(encoded)
    assert zfp_encode(data, **kwargs) == encoded
    if kwargs.get('header', True):
        decoded = zfp_decode(encoded)
    else:
        decoded = zfp_decode(encoded, shape=data.shape, dtype=data.dtype)
    assert decoded.dtype == data.dtype and decoded.shape == data.shape
    if kwargs.get('mode') == 'a':
        assert numpy.abs(decoded - data).max() <= 0.25
    elif kwargs.get('mode') is None:
        numpy.testing.assert_array_equal(decoded, data)


@pytest.mark.parametrize('mode, level, size, encoded, decoded', [
    # the reference package's streams of FIELD and their decoding
    (None, None, 3256, '4ed97091158ceda9', '8ece8815e199cdb7'),
    ('a', 1e-3, 920, '37bf03b1341a94cc', '925ae91082f716ce'),
    ('p', 20, 920, '92d55c2f591d21d2', 'afa3dfa01b228932'),
    ('r', 12, 784, 'f28bdb94e6f7110f', 'ed4c1f9d8cfd60cf'),
])
def test_reference_digests(mode, level, size, encoded, decoded):
    stream = zfp_encode(FIELD, level=level, mode=mode)
    assert len(stream) == size and sha(stream) == encoded
    assert sha(zfp_decode(stream)) == decoded


# -- round trips --------------------------------------------------------------

@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', SHAPES, ids=str)
def test_reversible(shape, dtype):
    for data in (sample(shape, dtype), random_array(shape, dtype, seed=2)):
        for mode in (None, 'R', 'reversible', ZFP.MODE.REVERSIBLE,
                     ZFP.MODE.NONE):
            encoded = zfp_encode(data, mode=mode)
            decoded = zfp_decode(encoded)
            assert decoded.dtype == dtype and decoded.shape == shape
            numpy.testing.assert_array_equal(decoded, data)
        encoded = zfp_encode(data, header=False)
        decoded = zfp_decode(encoded, shape=shape, dtype=dtype)
        numpy.testing.assert_array_equal(decoded, data)


@pytest.mark.parametrize('dtype', ('f4', 'f8'))
@pytest.mark.parametrize('shape', SHAPES[1:], ids=str)
def test_accuracy(shape, dtype):
    data = sample(shape, dtype, seed=3)
    previous = None
    for tolerance in (100.0, 1.0, 1e-2):
        for mode in ('a', 'accuracy', ZFP.MODE.FIXED_ACCURACY):
            encoded = zfp_encode(data, level=tolerance, mode=mode)
            error = numpy.abs(zfp_decode(encoded) - data.astype('f8'))
            assert error.max() <= tolerance
        if previous is not None:
            assert len(encoded) >= previous
        previous = len(encoded)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', SHAPES[1:], ids=str)
def test_rate(shape, dtype):
    data = sample(shape, dtype, seed=4)
    ndim = len(shape)
    blocks = numpy.prod([(n + 3) // 4 for n in shape])
    for rate in (4, 16):
        for mode in ('r', 'rate', ZFP.MODE.FIXED_RATE):
            encoded = zfp_encode(data, level=rate, mode=mode, header=False)
            # fixed rate: every block takes rate * 4**ndim bits after the
            # 32-bit magic and the 12 or 64-bit mode, in 64-bit words
            bits = blocks * max(rate * 4 ** ndim,
                                {'f4': 9, 'f8': 12}.get(dtype, 0))
            assert len(encoded) in (-(-(bits + 44) // 64) * 8,
                                    -(-(bits + 96) // 64) * 8)
            decoded = zfp_decode(encoded, shape=shape, dtype=dtype)
            assert decoded.shape == shape and decoded.dtype == dtype


@pytest.mark.parametrize('dtype', DTYPES)
def test_precision(dtype):
    data = sample((16, 17), dtype, seed=5)
    errors = []
    for precision in (4, 12, 24):
        encoded = zfp_encode(data, level=precision, mode='p')
        errors.append(numpy.abs(zfp_decode(encoded).astype('f8')
                                - data.astype('f8')).max())
    assert errors[0] >= errors[1] >= errors[2]
    assert zfp_encode(data, mode='p') == zfp_encode(data, mode='precision',
                                                    level=64)


def test_expert():
    data = sample((8, 9), 'f8', seed=6)
    encoded = zfp_encode(data, level=(1, 1000, 20, -100), mode='c')
    error = numpy.abs(zfp_decode(encoded) - data).max()
    assert 0 < error < 1
    for level in (None, (1, 2, 3), (10, 5, 20, 0), (1, 100000, 20, 0),
                  (0, 100, 0, 0)):
        with pytest.raises(ValueError):
            zfp_encode(data, level=level, mode='expert')


def test_execution():
    data = sample((64, 65), 'f4')
    expected = zfp_encode(data)
    for kwargs in ({'numthreads': 4}, {'execution': 'omp', 'numthreads': 2,
                                       'chunksize': 3},
                   {'execution': 'serial'}, {'execution': ZFP.EXEC.SERIAL}):
        assert zfp_encode(data, **kwargs) == expected
    with pytest.raises(ZfpError):
        zfp_encode(data, execution='cuda')
    with pytest.raises(ValueError):
        zfp_encode(data, execution='gpu')
    numpy.testing.assert_array_equal(zfp_decode(expected, numthreads=4),
                                     data)


def test_input_layouts():
    data = sample((9, 11), 'f8')
    expected = zfp_encode(data)
    assert zfp_encode(data.astype('>f8')) == expected
    assert zfp_encode(numpy.asfortranarray(data)) == expected
    strided = sample((18, 33), 'f8')[::2, ::3]
    numpy.testing.assert_array_equal(zfp_decode(zfp_encode(strided)),
                                     strided)
    numpy.testing.assert_array_equal(zfp_decode(zfp_encode(data[::-1])),
                                     data[::-1])
    check_inputs(zfp_decode, expected, data.tobytes())


def test_decode_shape_dtype():
    data = sample((6, 10), 'i4')
    encoded = zfp_encode(data, header=False)
    for dtype in ('i4', numpy.int32, 'int32'):
        numpy.testing.assert_array_equal(
            zfp_decode(encoded, shape=(6, 10), dtype=dtype), data)
    # with a full header, shape or dtype alone override it
    encoded = zfp_encode(data)
    assert zfp_decode(encoded, shape=(60,)).shape == (60,)
    assert zfp_decode(encoded, dtype='i4').shape == (6, 10)
    with pytest.raises(ValueError):
        zfp_decode(encoded, dtype='u2')


def test_strides():
    data = sample((5, 7), 'f8')
    encoded = zfp_encode(data)
    # Fortran layout in the output buffer
    decoded = zfp_decode(encoded, shape=(5, 7), strides=(1, 5))
    numpy.testing.assert_array_equal(decoded.reshape(-1),
                                     data.T.reshape(-1))
    for strides in ((7, 2), (1, 6), (-7, 1), (7,)):
        with pytest.raises(ValueError):
            zfp_decode(encoded, shape=(5, 7), strides=strides)


def test_invalid_arguments():
    for dtype in ('u1', 'u2', 'i2', 'u4', 'f2', 'c8'):
        with pytest.raises(ValueError):
            zfp_encode(numpy.zeros((4, 4), dtype))
    for shape in ((), (0,), (3, 0), (1, 2, 3, 4, 5)):
        with pytest.raises(ValueError):
            zfp_encode(numpy.zeros(shape, 'f4'))
    for mode, level in (('x', None), ('r', None), ('a', None), ('r', 0),
                        ('r', -2), ('a', -1.0), ('a', float('nan'))):
        with pytest.raises(ValueError):
            zfp_encode(FIELD, level=level, mode=mode)
    # the header holds at most 2**16 values along each of three axes
    long = numpy.zeros((1, 2, 1 << 16 | 1), 'f4')
    with pytest.raises(ZfpError):
        zfp_encode(long)
    numpy.testing.assert_array_equal(
        zfp_decode(zfp_encode(long, header=False), shape=long.shape,
                   dtype='f4'), long)


# -- out= ---------------------------------------------------------------------

@pytest.mark.parametrize('kwargs', [{}, {'level': 0.1, 'mode': 'a'},
                                    {'level': 8, 'mode': 'r'}], ids=str)
def test_encode_out(kwargs):
    check_out(lambda data, **kw: zfp_encode(data, **kwargs, **kw), FIELD,
              zfp_encode(FIELD, **kwargs), ZfpError)


def test_decode_out():
    check_array_out(zfp_decode, zfp_encode(FIELD), FIELD, ZfpError)
    data = sample((2, 3, 4, 5), 'i8')
    check_array_out(zfp_decode, zfp_encode(data), data, ZfpError)
    check_array_out(zfp_decode, zfp_encode(data, header=False), data,
                    ZfpError, shape=data.shape, dtype=data.dtype)
    with pytest.raises(ValueError):
        stream = bytearray(zfp_encode(FIELD))
        zfp_decode(stream, out=stream)


# -- damaged input ------------------------------------------------------------

@pytest.mark.parametrize('kwargs', [
    {}, {'level': 1e-3, 'mode': 'a'}, {'level': 16, 'mode': 'p'},
    {'level': 8, 'mode': 'r'}, {'level': (8, 200, 30, -30), 'mode': 'c'},
], ids=str)
@pytest.mark.parametrize('dtype', DTYPES)
def test_corrupt(kwargs, dtype):
    data = sample((6, 7, 9), dtype)
    if dtype[0] == 'i' and kwargs.get('mode') == 'a':
        kwargs = {}
    encoded = zfp_encode(data, **kwargs)
    check_corrupt(zfp_decode, encoded, ZfpError, trials=100)
    encoded = zfp_encode(data, header=False, **kwargs)
    check_corrupt(zfp_decode, encoded, ZfpError, trials=50,
                  shape=data.shape, dtype=dtype)


def test_random_input():
    rng = numpy.random.default_rng(7)
    for size in range(0, 80, 3):
        data = rng.bytes(size)
        for head in (b'', b'zfp\x05'):
            try:
                zfp_decode(head + data)
            except ZfpError:
                pass


def test_hostile_header():
    # the header's 52-bit field: type float, 1-D, 2**48 values
    stream = bytearray(zfp_encode(numpy.zeros(4, 'f4')))
    meta = struct.unpack_from('<Q', stream, 4)[0]
    meta = (meta & ~(((1 << 48) - 1) << 4)) | (((1 << 48) - 1) << 4)
    struct.pack_into('<Q', stream, 4, meta)
    with pytest.raises(ZfpError):
        zfp_decode(bytes(stream))


@pytest.mark.parametrize('data', [b'', b'z', b'zfp', b'zfp\x05', bytes(32),
                                  b'zfp\x04' + bytes(28)], ids=repr)
def test_invalid(data):
    with pytest.raises(ZfpError):
        zfp_decode(data)


# -- numcodecs ----------------------------------------------------------------

def test_numcodecs():
    numcodecs = pytest.importorskip('numcodecs')
    from imagecodecs.numcodecs import Zfp, register_codecs

    register_codecs(force=True, verbose=False)
    data = sample((16, 40), 'f4')
    for kwargs, tolerance in (({}, 0), ({'mode': 'a', 'level': 0.5}, 0.5),
                              ({'header': False, 'shape': data.shape,
                                'dtype': data.dtype}, 0)):
        codec = numcodecs.get_codec(Zfp(**kwargs).get_config())
        assert isinstance(codec, Zfp)
        out = numpy.zeros_like(data)
        codec.decode(codec.encode(data), out=out)
        assert numpy.abs(out - data).max() <= tolerance


@pytest.mark.slow
def test_large():
    data = sample((256, 256, 256), 'f4')  # 64 MB
    numpy.testing.assert_array_equal(zfp_decode(zfp_encode(data)), data)
    decoded = zfp_decode(zfp_encode(data, level=0.1, mode='a'))
    assert numpy.abs(decoded - data).max() <= 0.1
