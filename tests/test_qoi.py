# SPDX-License-Identifier: BSD-3-Clause
"""QOI codec: Quite OK Image format."""

import io
import struct

import numpy
import pytest

import imagecodecs
from imagecodecs import QoiError, qoi_check, qoi_decode, qoi_encode
from harness import (
    check_array_out, check_bounded_allocation, check_corrupt, check_inputs,
    check_out, random_array, require, smooth_image,
)

pytestmark = pytest.mark.usefixtures('available')

PADDING = bytes(7) + b'\x01'


@pytest.fixture
def available():
    require('qoi')


def header(width, height, channels=3, colorspace=0):
    return b'qoif' + struct.pack('>IIBB', width, height, channels,
                                 colorspace)


def pillow_qoi():
    Image = pytest.importorskip('PIL.Image')
    if 'QOI' not in Image.registered_extensions().values():
        pytest.skip('this Pillow does not read QOI')
    return Image


def test_version_check_constants():
    assert imagecodecs.qoi_version().startswith('qoi ')
    assert qoi_check(b'qoif....')
    assert not qoi_check(b'\x89PNG')
    assert imagecodecs.QOI.COLORSPACE.SRGB == 0
    assert imagecodecs.QOI.COLORSPACE.LINEAR == 1


def test_pinned_stream():
    # QOI_OP_RGB, a run of 2, QOI_OP_INDEX of the initial hash slot of
    # (0, 0, 0, 0), never written: pixel (0, 0, 0), per the specification
    stream = (header(4, 1) + bytes.fromhex('fe102030') + b'\xc1'
              + bytes([0x00]) + PADDING)
    numpy.testing.assert_array_equal(
        qoi_decode(stream),
        [[[0x10, 0x20, 0x30], [0x10, 0x20, 0x30], [0x10, 0x20, 0x30],
          [0, 0, 0]]])
    # QOI_OP_RGBA, then QOI_OP_DIFF -1, 0, +1 on each channel
    stream = (header(2, 1, 4) + bytes.fromhex('ff0a141e28')
              + bytes([0x40 | (1 << 4) | (2 << 2) | 3]) + PADDING)
    numpy.testing.assert_array_equal(
        qoi_decode(stream), [[[10, 20, 30, 40], [9, 20, 31, 40]]])


@pytest.mark.parametrize('shape', [(5, 7, 3), (5, 7, 4), (1, 1, 3),
                                   (1, 1, 4), (1, 300, 3), (64, 1, 4)])
def test_roundtrip(shape):
    for data in (random_array(shape, 'u1', seed=1),
                 smooth_image(shape, 'u1', noise=0.02),
                 numpy.full(shape, 7, numpy.uint8)):
        encoded = qoi_encode(data)
        assert encoded[:14] == header(shape[1], shape[0], shape[2])
        assert encoded.endswith(PADDING)
        numpy.testing.assert_array_equal(qoi_decode(encoded), data)


def test_roundtrip_noncontiguous():
    data = random_array((20, 30, 4), 'u1')[::3, 1::2]
    numpy.testing.assert_array_equal(qoi_decode(qoi_encode(data)), data)


@pytest.mark.parametrize('data', [
    numpy.zeros((5, 7), numpy.uint8), numpy.zeros((5, 7, 1), numpy.uint8),
    numpy.zeros((5, 7, 2), numpy.uint8), numpy.zeros((5, 7, 3), numpy.uint16),
    numpy.zeros((2, 5, 7, 3), numpy.uint8), numpy.zeros((3,), numpy.uint8),
    numpy.zeros((), numpy.uint8),
])
def test_encode_refuses(data):
    with pytest.raises(QoiError) as info:
        qoi_encode(data)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize('shape', [(0, 7, 3), (7, 0, 4)])
def test_encode_empty(shape):
    with pytest.raises(QoiError):
        qoi_encode(numpy.zeros(shape, numpy.uint8))


def test_out():
    data = smooth_image((9, 11, 3), 'u1')
    encoded = qoi_encode(data)
    check_out(qoi_encode, data, encoded, QoiError)
    check_array_out(qoi_decode, encoded, data, QoiError)
    check_inputs(qoi_decode, encoded, data.tobytes())


def test_corrupt_and_truncated():
    encoded = qoi_encode(smooth_image((30, 40, 4), 'u1', noise=0.3))
    # qoi.h decodes cut streams by repeating a pixel: every cut is caught
    check_corrupt(qoi_decode, encoded, QoiError,
                  truncations=range(0, len(encoded), 7))
    check_corrupt(qoi_decode, encoded, QoiError,
                  truncations=range(len(encoded) - 9, len(encoded)))
    assert qoi_decode(encoded + b'tail').shape == (30, 40, 4)


@pytest.mark.parametrize('stream', [
    header(2, 1, 2) + b'\xc1' + PADDING,  # two channels
    header(2, 1, 5) + b'\xc1' + PADDING,
    header(2, 1, 3, 2) + b'\xc1' + PADDING,  # colorspace 2
    header(0, 1) + PADDING,
    header(2, 1) + b'\xc1' + bytes(8),  # no end marker
    header(3, 1) + b'\xc1' + PADDING,  # too few pixels
    b'qoix' + header(2, 1)[4:] + b'\xc1' + PADDING,
])
def test_invalid_streams(stream):
    with pytest.raises(QoiError):
        qoi_decode(stream)


def test_hostile_header_bounded():
    # 20000 x 20000 RGBA from a few bytes: refused before allocation
    stream = header(20000, 20000, 4) + b'\xfd' * 16 + PADDING
    check_bounded_allocation(qoi_decode, stream, QoiError)
    stream = header(0xFFFFFFFF, 0xFFFFFFFF, 4) + b'\xfd' * 16 + PADDING
    check_bounded_allocation(qoi_decode, stream, QoiError)


@pytest.mark.parametrize('channels', [3, 4])
def test_pillow_both_ways(channels):
    Image = pillow_qoi()
    data = smooth_image((23, 31, channels), 'u1', noise=0.2)
    image = Image.open(io.BytesIO(qoi_encode(data)))
    assert image.format == 'QOI'
    numpy.testing.assert_array_equal(numpy.asarray(image), data)
    buffer = io.BytesIO()
    try:
        Image.fromarray(data).save(buffer, 'QOI')
    except (KeyError, OSError):
        pytest.skip('this Pillow does not write QOI')
    numpy.testing.assert_array_equal(qoi_decode(buffer.getvalue()), data)


def test_numcodecs():
    numcodecs = pytest.importorskip('numcodecs')
    from imagecodecs.numcodecs import Qoi, register_codecs

    register_codecs(force=True, verbose=False)
    codec = numcodecs.get_codec({'id': 'imagecodecs_qoi'})
    assert type(codec) is Qoi and codec.get_config() == {
        'id': 'imagecodecs_qoi', 'squeeze': None}
    # zarr hands an image format chunks with a length-one first axis
    chunk = smooth_image((1, 16, 24, 4), 'u1')
    encoded = codec.encode(chunk)
    assert bytes(encoded) == qoi_encode(chunk[0])
    numpy.testing.assert_array_equal(codec.decode(encoded), chunk[0])
    out = numpy.zeros_like(chunk)
    codec.decode(encoded, out=out)
    numpy.testing.assert_array_equal(out, chunk)
