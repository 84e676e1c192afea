# SPDX-License-Identifier: BSD-3-Clause
"""Lossless JPEG (ITU-T T.81 Annex H): LJPEG and the JPEGSOF3 decoder.

Sample streams come from cameras (DNG tiles) and other encoders; their
decoded values were cross-checked with an independent decoder and pinned
here as SHA-256 digests of the decoded bytes.
"""

import hashlib

import numpy
import pytest

from imagecodecs import (
    Jpegsof3Error, LjpegError, jpegsof3_check, jpegsof3_decode,
    jpegsof3_encode, ljpeg_check, ljpeg_decode, ljpeg_encode,
)
from harness import (
    check_array_out, check_corrupt, check_inputs, random_array, require,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('ljpeg')
    require('jpegsof3')


DNG = ((256, 256), 'u2', 'd043f77ba2a02d89', (0, 54976, 21280, 55312))

# file: (shape, dtype, sha256 prefix of the decoded bytes, first values)
SAMPLES = {
    '1px.ljp': ((1, 1), 'u2', '96a296d224f285c6', (0,)),
    '2dht.ljp': ((288, 384, 3), 'u1', '02cacae337852b54', (93, 137, 125)),
    '3dht.ljp': ((240, 320, 3), 'u1', '9f06b43c8506e05f', (7, 0, 14)),
    'gray8.ljp': ((535, 800), 'u1', '3d14cb26df194a55', (222, 222, 222)),
    'gray16.ljp': ((535, 800), 'u2', '958eea569c0ca6f7',
                   (57054, 57054, 57054)),
    'rgb24.ljp': ((535, 800, 3), 'u1', '45d596eca5536d1a', (227, 221, 217)),
    'linearraw.ljp': ((378, 504, 3), 'u2', '224fb599025e664f',
                      (104, 190, 83)),
    **{f'dng{i}.ljp': DNG for i in range(8)},
}


def digest(array) -> str:
    return hashlib.sha256(array.tobytes()).hexdigest()[:16]


@pytest.mark.parametrize('name', sorted(SAMPLES))
def test_samples(samples, name):
    shape, dtype, sha, first = SAMPLES[name]
    data = (samples / 'ljpeg' / name).read_bytes()
    # like the reference, the checks do not claim to recognize streams
    assert ljpeg_check(data) is None and jpegsof3_check(data) is None
    decoded = ljpeg_decode(data)
    assert decoded.shape == shape and decoded.dtype == dtype
    assert tuple(decoded.ravel()[:len(first)]) == first
    assert digest(decoded) == sha
    if name != 'dng0.ljp':
        assert digest(jpegsof3_decode(data)) == sha


def test_jpegsof3_reads_predictor_zero_as_one(samples):
    # dng0 is coded with predictor selection value 0, which T.81 reserves
    # for hierarchical mode: ljpeg decodes it as no prediction (matching
    # the other DNG tiles of the same image), jpegsof3 as predictor 1.
    data = (samples / 'ljpeg' / 'dng0.ljp').read_bytes()
    assert digest(jpegsof3_decode(data)) == '9b125c88892fbdfb'
    assert not numpy.array_equal(jpegsof3_decode(data), ljpeg_decode(data))


@pytest.mark.parametrize('bits', [2, 5, 8, 12, 16])
@pytest.mark.parametrize('shape', [(1, 1), (7, 13), (64, 33), (16, 17, 3),
                                   (9, 8, 2), (5, 6, 4)], ids=str)
def test_roundtrip(bits, shape):
    dtype = 'u1' if bits <= 8 else 'u2'
    data = random_array(shape, dtype, low=0, high=2**bits - 1)
    encoded = ljpeg_encode(data, bitspersample=bits)
    decoded = ljpeg_decode(encoded)
    assert decoded.dtype == dtype
    numpy.testing.assert_array_equal(decoded, data)
    numpy.testing.assert_array_equal(jpegsof3_decode(encoded), data)


def test_smooth_image_compresses():
    y, x = numpy.mgrid[0:256, 0:256]
    data = ((x * 13 + y * 7) % 4096).astype('u2')
    encoded = ljpeg_encode(data, bitspersample=12)
    assert len(encoded) < data.nbytes // 3
    numpy.testing.assert_array_equal(ljpeg_decode(encoded), data)


def test_default_precision_and_too_many_bits():
    data = numpy.array([[0, 65535], [1, 2]], 'u2')
    numpy.testing.assert_array_equal(ljpeg_decode(ljpeg_encode(data)), data)
    with pytest.raises(ValueError):
        ljpeg_encode(data, bitspersample=12)
    with pytest.raises(ValueError):
        ljpeg_encode(numpy.zeros((4, 4), 'f4'))
    with pytest.raises(ValueError):
        ljpeg_encode(numpy.zeros((4, 4, 5), 'u1'))


def test_linearize_tables():
    data = random_array((20, 30), 'u2', low=0, high=255)
    table = (numpy.arange(256, dtype='u2') ** 2)
    # decoding through a table maps every code
    encoded = ljpeg_encode(data.astype('u1'))
    linear = ljpeg_decode(encoded, linearize=table)
    numpy.testing.assert_array_equal(linear, table[data])
    # encoding through the inverse table restores the values
    inverse = numpy.zeros(65536, 'u2')
    inverse[table] = numpy.arange(256, dtype='u2')
    encoded = ljpeg_encode(table[data], delinearize=inverse)
    numpy.testing.assert_array_equal(
        ljpeg_decode(encoded, linearize=table), table[data])
    with pytest.raises(LjpegError):
        ljpeg_decode(ljpeg_encode(data), linearize=table[:10])


def test_out_and_inputs():
    data = random_array((31, 17, 3), 'u2', low=0, high=4095)
    encoded = ljpeg_encode(data, bitspersample=12)
    check_array_out(ljpeg_decode, encoded, data, LjpegError)
    check_inputs(ljpeg_decode, encoded, data.tobytes())
    size = len(encoded)
    assert ljpeg_encode(data, bitspersample=12, out=size + 5) == encoded
    with pytest.raises(LjpegError):
        ljpeg_encode(data, bitspersample=12, out=size - 1)
    buffer = bytearray(size + 3)
    result = ljpeg_encode(data, bitspersample=12, out=buffer)
    assert bytes(result) == encoded and buffer[size:] == b'\0\0\0'


def test_corrupt(samples):
    data = (samples / 'ljpeg' / 'rgb24.ljp').read_bytes()
    # the file ends in zero padding: cut into the entropy-coded data
    cuts = (len(data) // 2, len(data) * 3 // 4)
    check_corrupt(ljpeg_decode, data, LjpegError, cuts, trials=32)
    check_corrupt(jpegsof3_decode, data, Jpegsof3Error, cuts, trials=32)
    for junk in (b'', b'\xff\xd8', b'\xff\xd8\xff\xc3\x00\x0b', b'x' * 100):
        with pytest.raises(LjpegError):
            ljpeg_decode(junk)


def test_jpegsof3_is_decode_only():
    with pytest.raises(NotImplementedError):
        jpegsof3_encode(numpy.zeros((2, 2), 'u1'))
