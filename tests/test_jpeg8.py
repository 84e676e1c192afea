# SPDX-License-Identifier: BSD-3-Clause
"""JPEG8 and JPEG codecs over libjpeg-turbo: 8 and 12-bit DCT, 2 to 16-bit
lossless, abbreviated streams with separate tables, colour spaces.

Sample files are compared with Pillow (an independent libjpeg build) and
with our own lossless decoder; encodings are read back by Pillow.
"""

import io
import math

import numpy
import pytest

from imagecodecs import (
    JPEG, JPEG8, Jpeg8Error, JpegError, jpeg8_check, jpeg8_decode,
    jpeg8_encode, jpeg8_version, jpeg_check, jpeg_decode, jpeg_encode,
    jpeg_version,
)
from harness import (
    check_array_out, check_corrupt, check_inputs, random_array, require,
    smooth_image,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('jpeg8')


def psnr(a, b, maxval):
    mse = numpy.mean((a.astype(float) - b.astype(float)) ** 2)
    return math.inf if mse == 0 else 10 * math.log10(maxval**2 / mse)


def pillow_decode(data):
    image = pytest.importorskip('PIL.Image')
    return numpy.asarray(image.open(io.BytesIO(data)))


def test_constants_and_aliases():
    assert JPEG is JPEG8 and JpegError is Jpeg8Error
    assert JPEG8.all_precisions is True and JPEG8.legacy is False
    assert JPEG8.CS.YCbCr == 3 and JPEG8.CS.RGB565 == 16
    assert jpeg8_version().startswith('libjpeg_turbo 3.')
    assert jpeg_version() == jpeg8_version()
    assert issubclass(Jpeg8Error, RuntimeError)


@pytest.mark.parametrize('head, expected', [
    (b'\xff\xd8\xff\xdb\x00C', True),
    (b'\xff\xd8\xff\xc4', True),
    (b'\xff\xd8\xff\xee\x00\x0eAdobe', True),
    (b'\xff\xd8\xff\xe0\x00\x10JFIF\x00', True),
    (b'\xff\xd8\xff\xe1\x00\x10Exif\x00', True),
    (b'\xff\xd8\xff\xe0\x00\x10JFXX', False),
    (b'\xff\xd8', False),
    (b'', False),
    (b'\x89PNG\r\n\x1a\n', False),
])
def test_check(head, expected):
    assert jpeg8_check(head) is expected
    assert jpeg_check(head) is expected


@pytest.mark.parametrize('name', ['gray.u1.jpg', 'rgb.u1.jpg'])
def test_samples_8bit_like_pillow(samples, name):
    data = (samples / name).read_bytes()
    assert jpeg8_check(data)
    decoded = jpeg8_decode(data)
    expected = pillow_decode(data)
    assert decoded.dtype == 'uint8' and decoded.shape == expected.shape
    # the same IDCT (islow) and upsampling: identical
    numpy.testing.assert_array_equal(decoded, expected)
    numpy.testing.assert_array_equal(jpeg_decode(data), decoded)


def test_sample_4_samples_like_pillow(samples):
    # a 4-component stream without Adobe marker: libjpeg takes it as CMYK
    # and returns the stored values; Pillow returns them inverted
    data = (samples / 'rgba.u1.jpg').read_bytes()
    decoded = jpeg8_decode(data)
    assert decoded.shape == (32, 31, 4)
    numpy.testing.assert_array_equal(decoded, 255 - pillow_decode(data))


@pytest.mark.parametrize('name', ['gray', 'rgb', 'rgba'])
def test_samples_12bit_match_8bit_sibling(samples, name):
    # the 12-bit files hold their 8-bit siblings' images times 16
    data = (samples / f'{name}.u2.jpg').read_bytes()
    decoded = jpeg8_decode(data)
    sibling = jpeg8_decode((samples / f'{name}.u1.jpg').read_bytes())
    assert decoded.dtype == 'uint16' and decoded.shape == sibling.shape
    assert decoded.max() < 4096
    assert psnr(decoded / 16, sibling, 255) > 30


def test_sample_tables_8bit(samples):
    data = (samples / 'bytes.jpeg8.bin').read_bytes()
    tables = (samples / 'bytes.jpeg8_tables.bin').read_bytes()
    with pytest.raises(Jpeg8Error):
        jpeg8_decode(data)  # abbreviated: no quantization tables
    decoded = jpeg8_decode(data, tables=tables)
    # bytes.bin, 0 to 255 in 16 rows: kept exactly at this quality
    numpy.testing.assert_array_equal(
        decoded, numpy.arange(256, dtype='u1').reshape(16, 16))
    numpy.testing.assert_array_equal(jpeg_decode(data, tables=tables),
                                     decoded)


def test_sample_12bit_with_and_without_tables(samples):
    data = (samples / 'words.jpeg12.bin').read_bytes()
    tables = (samples / 'words.jpeg12_tables.bin').read_bytes()
    decoded = jpeg8_decode(data)
    expected = numpy.arange(3888).reshape(36, 36, 3)  # words.bin
    assert decoded.dtype == 'uint16' and decoded.shape == (36, 36, 3)
    assert psnr(decoded, expected, 4095) > 40
    numpy.testing.assert_array_equal(jpeg8_decode(data, tables=tables),
                                     decoded)


LJPEG = ['1px', '2dht', '3dht', 'gray8', 'gray16', 'rgb24', 'linearraw'] + [
    f'dng{i}' for i in range(8)]


@pytest.mark.parametrize('name', LJPEG)
def test_samples_lossless_like_ljpeg(samples, name):
    ljpeg_decode = pytest.importorskip('imagecodecs').ljpeg_decode
    require('ljpeg')
    data = (samples / 'ljpeg' / f'{name}.ljp').read_bytes()
    decoded = jpeg8_decode(data)
    expected = ljpeg_decode(data)
    assert decoded.dtype == expected.dtype
    numpy.testing.assert_array_equal(decoded, expected)
    numpy.testing.assert_array_equal(jpeg_decode(data), expected)


def test_decode_out_and_inputs(samples):
    data = (samples / 'rgb.u1.jpg').read_bytes()
    expected = jpeg8_decode(data)
    check_array_out(jpeg8_decode, data, expected, Jpeg8Error)
    check_inputs(jpeg8_decode, data, expected.tobytes())


@pytest.mark.parametrize('level', [90, 95])
def test_roundtrip_lossy_psnr(level):
    data = smooth_image((96, 80, 3), 'u1', noise=0.02)
    encoded = jpeg8_encode(data, level=level)
    assert jpeg8_check(encoded)
    decoded = jpeg8_decode(encoded)
    assert decoded.shape == data.shape and decoded.dtype == 'uint8'
    assert psnr(decoded, data, 255) >= 35
    # an independent decoder reads it the same
    numpy.testing.assert_array_equal(pillow_decode(encoded), decoded)


def test_level_changes_size():
    data = smooth_image((64, 64), 'u1', noise=0.5)
    sizes = [len(jpeg8_encode(data, level=q)) for q in (10, 50, 95)]
    assert sizes[0] < sizes[1] < sizes[2]
    assert len(jpeg8_encode(data, level=95, optimize=True)) < sizes[2]
    smoothed = jpeg8_encode(data, level=95, smoothing=50)
    assert psnr(jpeg8_decode(smoothed), data, 255) > 20
    assert jpeg8_encode(data) == jpeg8_encode(data, level=95)


SUBSAMPLING = {'444': (1, 1), '422': (2, 1), '420': (2, 2), '411': (4, 1),
               '440': (1, 2)}


@pytest.mark.parametrize('subsampling', [*SUBSAMPLING, (2, 2), (1, 2)])
def test_subsampling(subsampling):
    data = smooth_image((48, 64, 3), 'u1', noise=0.02)
    encoded = jpeg8_encode(data, subsampling=subsampling)
    factors = SUBSAMPLING.get(subsampling, subsampling)
    # frame header: component 1 sampling factors, then 1x1 chroma
    sof = encoded.index(b'\xff\xc0')
    assert encoded[sof + 11] == factors[0] << 4 | factors[1]
    assert encoded[sof + 14] == 0x11 and encoded[sof + 17] == 0x11
    decoded = jpeg8_decode(encoded)
    assert psnr(decoded, data, 255) >= 35
    assert numpy.abs(pillow_decode(encoded).astype(int) - decoded).max() <= 2


@pytest.mark.parametrize('subsampling', ['bad', (3, 1), (2,), 5])
def test_invalid_subsampling(subsampling):
    with pytest.raises(ValueError):
        jpeg8_encode(numpy.zeros((8, 8, 3), 'u1'), subsampling=subsampling)


@pytest.mark.parametrize('shape', [(1, 1), (17, 9), (16, 16, 1), (8, 9, 3),
                                   (9, 8, 2), (5, 7, 4)], ids=str)
@pytest.mark.parametrize('bits', [2, 5, 8, 9, 12, 13, 16])
def test_roundtrip_lossless(shape, bits):
    dtype = 'u1' if bits <= 8 else 'u2'
    data = random_array(shape, dtype, low=0, high=2**bits - 1)
    encoded = jpeg8_encode(data, lossless=True, bitspersample=bits)
    assert encoded[encoded.index(b'\xff\xc3') + 4] == bits
    decoded = jpeg8_decode(encoded)
    assert decoded.dtype == dtype
    numpy.testing.assert_array_equal(decoded.reshape(data.shape), data)


@pytest.mark.parametrize('predictor', range(1, 8))
def test_lossless_predictors(predictor):
    data = smooth_image((20, 30, 3), 'u2', high=65535, noise=0.02)
    encoded = jpeg_encode(data, lossless=True, predictor=predictor)
    sos = encoded.index(b'\xff\xda')
    assert encoded[sos + 5 + 2 * 3] == predictor  # Ss
    numpy.testing.assert_array_equal(jpeg_decode(encoded), data)
    require('ljpeg')
    import imagecodecs
    numpy.testing.assert_array_equal(imagecodecs.ljpeg_decode(encoded), data)


def test_roundtrip_12bit():
    data = smooth_image((40, 56, 3), 'u2', high=4095, noise=0.02)
    encoded = jpeg8_encode(data, level=95)
    assert encoded[encoded.index(b'\xff\xc1') + 4] == 12  # SOF1
    decoded = jpeg8_decode(encoded)
    assert decoded.dtype == 'uint16' and decoded.max() < 4096
    assert psnr(decoded, data, 4095) >= 35


def test_12bit_clips_samples_above_range():
    data = numpy.full((8, 8), 5000, 'u2')
    decoded = jpeg8_decode(jpeg8_encode(data, level=100))
    assert numpy.abs(decoded.astype(int) - 4095).max() <= 1


@pytest.mark.parametrize('dtype, kwargs', [
    ('u1', {'bitspersample': 12}),
    ('u2', {'bitspersample': 8}),
    ('u2', {'bitspersample': 16}),
    ('u1', {'lossless': True, 'bitspersample': 12}),
    ('u2', {'lossless': True, 'bitspersample': 1}),
    ('u2', {'lossless': True, 'bitspersample': 17}),
])
def test_invalid_bitspersample(dtype, kwargs):
    with pytest.raises(ValueError):
        jpeg8_encode(numpy.zeros((8, 8), dtype), **kwargs)


def test_gray_from_rgb_and_colorspace_outputs():
    data = smooth_image((16, 24, 3), 'u1', noise=0.02)
    gray = jpeg8_decode(jpeg8_encode(data, outcolorspace='GRAYSCALE'))
    assert gray.shape == (16, 24)
    luma = data @ numpy.array([0.299, 0.587, 0.114])
    assert psnr(gray, luma, 255) > 35
    encoded = jpeg8_encode(data)
    ycbcr = jpeg8_decode(encoded, outcolorspace='YCbCr')
    assert psnr(ycbcr[..., 0], luma, 255) > 35
    rgba = jpeg8_decode(encoded, outcolorspace=JPEG8.CS.EXT_RGBA)
    assert rgba.shape == (16, 24, 4) and (rgba[..., 3] == 255).all()
    numpy.testing.assert_array_equal(rgba[..., :3], jpeg8_decode(encoded))
    assert jpeg8_decode(encoded, outcolorspace='minisblack').ndim == 2
    numpy.testing.assert_array_equal(
        jpeg8_decode(encoded, outcolorspace='rgba'), rgba)
    # unknown names select the default, as in the reference
    numpy.testing.assert_array_equal(
        jpeg8_decode(encoded, outcolorspace='PALETTE'), jpeg8_decode(encoded))
    with pytest.raises(ValueError):
        jpeg8_decode(encoded, outcolorspace='RGB565')


def test_rgb_stored_as_rgb():
    # an Adobe marker says RGB; TIFF writers tell with colorspace=RGB
    data = smooth_image((16, 16, 3), 'u1', noise=0.02)
    encoded = jpeg8_encode(data, colorspace='RGB', outcolorspace='RGB')
    assert b'Adobe' in encoded[:40]
    decoded = jpeg8_decode(encoded, colorspace='RGB', outcolorspace='RGB')
    assert psnr(decoded, data, 255) > 35
    numpy.testing.assert_array_equal(jpeg8_decode(encoded), decoded)


def test_cmyk_roundtrip_and_pillow_inverted():
    data = smooth_image((16, 16, 4), 'u1', noise=0.02)
    encoded = jpeg8_encode(data, colorspace='CMYK', level=100)
    decoded = jpeg8_decode(encoded)
    assert decoded.shape == data.shape
    assert psnr(decoded, data, 255) > 40
    # Pillow takes Adobe CMYK as inverted, we return what is stored
    image = pytest.importorskip('PIL.Image')
    buffer = io.BytesIO()
    image.fromarray(data, 'CMYK').save(buffer, 'JPEG', quality=100)
    theirs = jpeg8_decode(buffer.getvalue(), colorspace='CMYK')
    assert psnr(255 - theirs, data, 255) > 40
    ycck = jpeg8_encode(data, colorspace='CMYK', outcolorspace='YCCK')
    assert psnr(jpeg8_decode(ycck), data, 255) > 35


def test_tables_split_from_own_stream():
    """A stream cut into an abbreviated image and its tables decodes as the
    whole stream does (TIFF JPEGTables)."""
    data = smooth_image((32, 32), 'u1', noise=0.02)
    whole = jpeg8_encode(data)
    markers = _segments(whole)
    tables = b'\xff\xd8' + b''.join(
        s for m, s in markers if m in (0xDB, 0xC4)) + b'\xff\xd9'
    image = b'\xff\xd8' + b''.join(
        s for m, s in markers if m not in (0xDB, 0xC4, 0xE0))
    numpy.testing.assert_array_equal(
        jpeg8_decode(image, tables=tables), jpeg8_decode(whole))
    # a TIFF tile with its header apart, as tifffile passes it
    head, tail = image[:-2][:len(image) // 3], image[:-2][len(image) // 3:]
    numpy.testing.assert_array_equal(
        jpeg_decode(tail, header=head, tables=tables), jpeg8_decode(whole))


def _segments(stream):
    """Return (marker, bytes) of the segments up to SOS; SOS onward last."""
    result = []
    pos = 2
    while True:
        marker = stream[pos + 1]
        if marker == 0xDA:
            result.append((marker, stream[pos:]))
            return result
        length = int.from_bytes(stream[pos + 2:pos + 4], 'big')
        result.append((marker, stream[pos:pos + 2 + length]))
        pos += 2 + length


@pytest.mark.parametrize('lossless', [False, True])
@pytest.mark.parametrize('offset', [5, 7])
def test_zero_dimension_patched_from_shape(lossless, offset):
    data = smooth_image((24, 40, 3), 'u1', noise=0.02)
    encoded = jpeg8_encode(data, lossless=lossless)
    sof = max(encoded.find(b'\xff\xc0'), encoded.find(b'\xff\xc3'))
    zero = bytearray(encoded)
    zero[sof + offset:sof + offset + 2] = b'\0\0'
    with pytest.raises(Jpeg8Error):
        jpeg8_decode(bytes(zero))
    numpy.testing.assert_array_equal(
        jpeg8_decode(bytes(zero), shape=(24, 40)), jpeg8_decode(encoded))
    # a shape does not override dimensions the stream has
    assert jpeg8_decode(encoded, shape=(8, 8)).shape == (24, 40, 3)


def test_restart_intervals_and_progressive_from_pillow():
    image = pytest.importorskip('PIL.Image')
    data = smooth_image((40, 48, 3), 'u1', noise=0.3)
    for kwargs in ({'progressive': True}, {'restart_marker_rows': 1},
                   {'restart_marker_blocks': 3}):
        buffer = io.BytesIO()
        image.fromarray(data).save(buffer, 'JPEG', quality=90, **kwargs)
        encoded = buffer.getvalue()
        numpy.testing.assert_array_equal(jpeg8_decode(encoded),
                                         pillow_decode(encoded))


def test_big_endian_and_noncontiguous_input():
    data = smooth_image((20, 30, 3), 'u2', high=65535, noise=0.02)
    swapped = data.astype('>u2')
    numpy.testing.assert_array_equal(
        jpeg8_decode(jpeg8_encode(swapped, lossless=True)), data)
    view = smooth_image((40, 60, 3), 'u1', noise=0.02)[::2, ::2]
    assert not view.flags.c_contiguous
    numpy.testing.assert_array_equal(
        jpeg8_decode(jpeg8_encode(view, lossless=True)), view)
    assert jpeg8_encode(view) == jpeg8_encode(numpy.ascontiguousarray(view))


@pytest.mark.parametrize('data', [
    numpy.uint8(5), numpy.zeros((0, 4), 'u1'), numpy.zeros((4, 0, 3), 'u1'),
    numpy.zeros((4, 4), 'i1'), numpy.zeros((4, 4), 'f4'),
    numpy.zeros((4, 4, 5), 'u1'), numpy.zeros((2, 4, 4, 3), 'u1'),
    numpy.zeros((65501, 1), 'u1'),
], ids=lambda a: f'{a.shape}{a.dtype}')
def test_encode_rejects(data):
    with pytest.raises(Jpeg8Error):
        jpeg8_encode(data)


def test_encode_out():
    data = smooth_image((16, 16), 'u1', noise=0.02)
    encoded = jpeg8_encode(data)
    assert jpeg8_encode(data, out=bytearray) == bytearray(encoded)
    buffer = bytearray(len(encoded) + 10)
    result = jpeg8_encode(data, out=buffer)
    assert bytes(result) == encoded
    with pytest.raises(Jpeg8Error):
        jpeg8_encode(data, out=bytearray(10))


def test_corrupt_and_truncated():
    data = smooth_image((32, 40, 3), 'u1', noise=0.5)
    encoded = jpeg8_encode(data)
    header = encoded.index(b'\xff\xda')
    # cut inside the headers: an error; cut inside the entropy-coded data:
    # an image, with libjpeg's warning ignored as in the reference
    check_corrupt(jpeg8_decode, encoded, Jpeg8Error,
                  truncations=(0, 1, 2, 3, 20, header - 1, header + 4))
    assert jpeg8_decode(encoded[:len(encoded) * 3 // 4]).shape == data.shape
    for bad in (b'', b'\xff\xd8', b'abc', b'\xff\xd8\xff\xe0' + bytes(10)):
        with pytest.raises(Jpeg8Error):
            jpeg8_decode(bad)
    lossless = jpeg8_encode(data, lossless=True)
    check_corrupt(jpeg8_decode, lossless, Jpeg8Error,
                  truncations=(2, 10, lossless.index(b'\xff\xda') + 4))


def test_implausible_size_refused():
    # a valid header of a 65500 x 65500 x 3 image with almost no data
    data = bytearray(jpeg8_encode(numpy.zeros((8, 8, 3), 'u1')))
    sof = data.index(b'\xff\xc0')
    data[sof + 5:sof + 9] = (65500).to_bytes(2, 'big') * 2
    with pytest.raises(Jpeg8Error):
        jpeg8_decode(bytes(data))
