# SPDX-License-Identifier: BSD-3-Clause
"""JPEGXL codec: lossless and lossy images, animations, extra channels,
JPEG transcoding; djxl, cjxl and the Pillow plugin as other decoders."""

import io
import re
import shutil
import subprocess

import numpy
import pytest

from imagecodecs import (
    JPEGXL, JpegxlError, jpegxl_check, jpegxl_decode, jpegxl_decode_jpeg,
    jpegxl_encode, jpegxl_encode_jpeg, jpegxl_version,
)
from harness import (
    check_array_out, check_bounded_allocation, check_corrupt, check_inputs,
    check_numcodecs, check_out, random_array, require, run_isolated,
    smooth_image,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('jpegxl')


CONTAINER = b'\0\0\0\x0cJXL \r\n\x87\n'
RGB = smooth_image((40, 50, 3), 'u1', noise=0.05)
JPEGS = ('rgb.u1.jpg', 'gray.u1.jpg')


def image(shape, dtype, seed=0):
    """Return a noisy image of the dtype; floats in [0, 1]."""
    if numpy.dtype(dtype).kind == 'f':
        return numpy.random.default_rng(seed).random(shape).astype(dtype)
    return random_array(shape, dtype, seed=seed)


def psnr(a, b, peak=255) -> float:
    mse = numpy.mean((a.astype('f8') - b.astype('f8')) ** 2)
    return float('inf') if mse == 0 else 10 * numpy.log10(peak**2 / mse)


def test_version_check_constants():
    assert re.fullmatch(r'libjxl \d+\.\d+\.\d+', jpegxl_version())
    assert jpegxl_check(jpegxl_encode(RGB))
    assert jpegxl_check(b'\xff\x0a')
    assert jpegxl_check(CONTAINER)
    assert not jpegxl_check(b'\xff\xd8\xff')
    assert not jpegxl_check(b'')
    assert JPEGXL.COLOR_SPACE.GRAY == 1 and JPEGXL.COLOR_SPACE.XYB == 2
    assert JPEGXL.CHANNEL.ALPHA == 0 and JPEGXL.CHANNEL.OPTIONAL == 16


# -- lossless round trips -------------------------------------------------------

@pytest.mark.parametrize('dtype', ['u1', 'u2', 'f2', 'f4'])
@pytest.mark.parametrize('shape', [(17, 23), (17, 23, 2), (17, 23, 3),
                                   (17, 23, 4), (1, 1), (1, 1, 3)])
def test_lossless(dtype, shape):
    data = image(shape, dtype)
    encoded = jpegxl_encode(data)
    assert bytes(encoded[:2]) == b'\xff\x0a' or bytes(
        encoded[:12]) == CONTAINER
    decoded = jpegxl_decode(encoded)
    assert decoded.dtype == data.dtype
    numpy.testing.assert_array_equal(decoded, data)


def test_single_sample_and_frame_axes_are_dropped():
    data = image((9, 8, 1), 'u1')
    numpy.testing.assert_array_equal(jpegxl_decode(jpegxl_encode(data)),
                                     data[..., 0])
    data = image((1, 9, 8, 3), 'u2')
    numpy.testing.assert_array_equal(jpegxl_decode(jpegxl_encode(data)),
                                     data[0])


def test_degenerate_inputs():
    data = image((30, 20, 3), 'u2')
    view = data[::2, ::-1]  # not contiguous
    numpy.testing.assert_array_equal(jpegxl_decode(jpegxl_encode(view)),
                                     view)
    swapped = data.astype('>u2')
    numpy.testing.assert_array_equal(jpegxl_decode(jpegxl_encode(swapped)),
                                     data)


@pytest.mark.parametrize('data', [
    numpy.zeros((8, 8, 3), 'i2'),
    numpy.zeros((8, 8, 3), 'u4'),
    numpy.zeros((8, 8, 3), 'f8'),
    numpy.zeros((8, 8, 3), bool),
    numpy.zeros((8,), 'u1'),
    numpy.zeros((), 'u1'),
    numpy.zeros((0, 8, 3), 'u1'),
    numpy.zeros((8, 0), 'u1'),
    numpy.zeros((2, 3, 8, 8, 3), 'u1'),
    numpy.zeros((2, 8, 8, 5), 'u1'),
], ids=lambda a: f'{a.dtype}{a.shape}')
def test_encode_invalid(data):
    with pytest.raises(JpegxlError) as info:
        jpegxl_encode(data)
    assert isinstance(info.value, ValueError)


# -- lossy ------------------------------------------------------------------------

def quality_distance(quality: float) -> float:
    """libjxl's documented mapping of a JPEG-like quality to a distance."""
    if quality >= 100:
        return 0.0
    if quality >= 30:
        return 0.1 + (100 - quality) * 0.09
    return 53 / 3000 * quality**2 - 23 / 20 * quality + 25


@pytest.mark.parametrize('channels', [1, 3, 4])
def test_lossy(channels):
    data = smooth_image((64, 96, channels), 'u1', noise=0.02)[..., :channels]
    data = data[..., 0] if channels == 1 else data
    sizes = []
    for level in (10, 50, 90, 100):
        encoded = jpegxl_encode(data, level=level)
        decoded = jpegxl_decode(encoded)
        assert decoded.shape == data.shape and decoded.dtype == data.dtype
        sizes.append(len(encoded))
        if level >= 90:
            assert psnr(decoded, data) >= 35
    assert sizes == sorted(sizes)
    assert len(jpegxl_encode(data)) > sizes[2]  # lossless is larger


def test_level_distance_lossless():
    lossless = jpegxl_encode(RGB)
    numpy.testing.assert_array_equal(jpegxl_decode(lossless), RGB)
    # above 100 is lossless, lossless=True wins over a level
    assert jpegxl_encode(RGB, level=101) == lossless
    assert jpegxl_encode(RGB, level=90, lossless=True) == lossless
    assert jpegxl_encode(RGB, distance=2.0, lossless=True) == lossless
    # a level is a distance as libjxl maps qualities
    for quality in (0, 10, 50, 90, 100):
        assert jpegxl_encode(RGB, level=quality) == jpegxl_encode(
            RGB, distance=quality_distance(quality)), quality
    # lossy without level or distance: distance 1; distance is clamped
    assert jpegxl_encode(RGB, lossless=False) == jpegxl_encode(
        RGB, distance=1.0)
    assert jpegxl_encode(RGB, distance=30) == jpegxl_encode(RGB, distance=25)
    assert jpegxl_encode(RGB, distance=-1) == jpegxl_encode(RGB, distance=0)
    # a level and a distance together are lossless unless lossless=False,
    # when the distance counts
    assert jpegxl_encode(RGB, level=50, distance=2.0) == lossless
    assert jpegxl_encode(RGB, level=50, distance=2.0,
                         lossless=False) == jpegxl_encode(RGB, distance=2.0)
    decoded = jpegxl_decode(jpegxl_encode(RGB, distance=1.0))
    assert 35 <= psnr(decoded, RGB) < float('inf')


def test_effort_and_decodingspeed_are_clamped():
    assert jpegxl_encode(RGB) == jpegxl_encode(RGB, effort=5)
    assert jpegxl_encode(RGB, effort=11) == jpegxl_encode(RGB, effort=10)
    assert jpegxl_encode(RGB, effort=0) == jpegxl_encode(RGB, effort=1)
    assert jpegxl_encode(RGB, effort=1) != jpegxl_encode(RGB, effort=3)
    for effort in (1, 3, 7, 9):
        numpy.testing.assert_array_equal(
            jpegxl_decode(jpegxl_encode(RGB, effort=effort)), RGB)
    lossy = jpegxl_encode(RGB, lossless=False)
    assert lossy == jpegxl_encode(RGB, lossless=False, decodingspeed=0)
    assert jpegxl_encode(RGB, lossless=False, decodingspeed=9) == (
        jpegxl_encode(RGB, lossless=False, decodingspeed=4))
    assert jpegxl_encode(RGB, lossless=False, decodingspeed=4) != lossy


@pytest.mark.parametrize('dtype', ['f2', 'f4', 'u2'])
def test_lossy_other_dtypes(dtype):
    data = smooth_image((48, 64, 3), 'u1', noise=0.02)
    peak = 1.0 if dtype[0] == 'f' else 65535
    data = (data / 255 * peak).astype(dtype)
    decoded = jpegxl_decode(jpegxl_encode(data, level=95))
    assert decoded.dtype == data.dtype
    assert psnr(decoded, data, peak) >= 35


# -- bits, animations, extra channels ----------------------------------------------

@pytest.mark.parametrize('dtype,bits', [('u1', 1), ('u1', 4), ('u2', 10),
                                        ('u2', 12), ('u2', 9)])
def test_bitspersample(dtype, bits):
    data = random_array((13, 17, 3), dtype, high=(1 << bits) - 1)
    decoded = jpegxl_decode(jpegxl_encode(data, bitspersample=bits))
    assert decoded.dtype == (numpy.uint8 if bits <= 8 else numpy.uint16)
    numpy.testing.assert_array_equal(decoded, data)


@pytest.mark.parametrize('bits', [0, 9, -1])
def test_bitspersample_invalid(bits):
    with pytest.raises(JpegxlError):
        jpegxl_encode(RGB, bitspersample=bits)


def test_animation():
    frames = numpy.stack([RGB, RGB[::-1], RGB // 2, RGB[:, ::-1]])
    encoded = jpegxl_encode(frames)
    numpy.testing.assert_array_equal(jpegxl_decode(encoded), frames)
    for index in range(-4, 4):
        numpy.testing.assert_array_equal(
            jpegxl_decode(encoded, index=index), frames[index])
    for index in (4, -5):
        with pytest.raises(JpegxlError) as info:
            jpegxl_decode(encoded, index=index)
        assert isinstance(info.value, IndexError)
    # 3-dimensional arrays of more than 4 samples are gray frames
    gray = image((3, 8, 9), 'u1')
    assert jpegxl_decode(jpegxl_encode(gray), index=2).shape == (8, 9)
    numpy.testing.assert_array_equal(jpegxl_decode(jpegxl_encode(gray)), gray)
    gray = image((5, 8, 3), 'u2')
    numpy.testing.assert_array_equal(
        jpegxl_decode(jpegxl_encode(gray, photometric='gray'), index=4),
        gray[4])


@pytest.mark.parametrize('dtype', ['u1', 'u2', 'f4'])
@pytest.mark.parametrize('shape,photometric', [
    ((2, 9, 7), None), ((5, 9, 7), 'gray'), ((4, 9, 7), 'rgb'),
    ((6, 9, 7), JPEGXL.COLOR_SPACE.RGB), ((3, 2, 9, 7), None),
    ((2, 5, 9, 7), 'rgb'),
])
def test_planar_extra_channels(dtype, shape, photometric):
    data = image(shape, dtype)
    encoded = jpegxl_encode(data, planar=True, photometric=photometric)
    decoded = jpegxl_decode(encoded)
    assert decoded.dtype == data.dtype
    numpy.testing.assert_array_equal(decoded, data)
    if len(shape) == 4:
        numpy.testing.assert_array_equal(jpegxl_decode(encoded, index=-1),
                                         data[-1])


def test_planar_rgb_needs_three_channels():
    with pytest.raises(JpegxlError):
        jpegxl_encode(image((2, 8, 8), 'u1'), planar=True, photometric='rgb')
    with pytest.raises(JpegxlError):
        jpegxl_encode(RGB, photometric='cmyk')


# -- threads, container, out= ----------------------------------------------------------

def test_numthreads():
    data = smooth_image((300, 280, 3), 'u2', noise=0.3)
    encoded = jpegxl_encode(data)
    for numthreads in (2, 0):
        assert jpegxl_encode(data, numthreads=numthreads) == encoded
        numpy.testing.assert_array_equal(
            jpegxl_decode(encoded, numthreads=numthreads), data)
    with pytest.raises(ValueError):
        jpegxl_encode(data, numthreads=-1)


def test_usecontainer():
    encoded = jpegxl_encode(RGB, usecontainer=True)
    assert bytes(encoded[:12]) == CONTAINER and jpegxl_check(encoded)
    numpy.testing.assert_array_equal(jpegxl_decode(encoded), RGB)
    assert bytes(jpegxl_encode(RGB, usecontainer=False)[:2]) == b'\xff\x0a'


def test_out_and_inputs():
    encoded = jpegxl_encode(RGB)
    check_out(jpegxl_encode, RGB, encoded, JpegxlError)
    check_array_out(jpegxl_decode, encoded, RGB, JpegxlError)
    check_inputs(jpegxl_decode, encoded, RGB.tobytes())


def test_numcodecs():
    check_numcodecs('Jpegxl', {
        'level': None, 'effort': None, 'distance': None, 'lossless': None,
        'decodingspeed': None, 'photometric': None, 'bitspersample': None,
        'planar': None, 'usecontainer': None, 'squeeze': None,
        'index': None, 'keeporientation': None, 'numthreads': None,
    }, jpegxl_encode, effort=3)


# -- bad input ------------------------------------------------------------------------

def header(height: int, width: int) -> bytes:
    """Return a codestream that states a size and nothing else valid."""
    fields = [(0, 1), (3, 2), (height - 1, 30), (0, 3), (3, 2),
              (width - 1, 30), (1, 1)]  # SizeHeader, default metadata
    value, shift = 0, 0
    for field, bits in fields:
        value |= field << shift
        shift += bits
    return b'\xff\x0a' + value.to_bytes((shift + 7) // 8, 'little') + bytes(
        64)


def test_decode_not_jpegxl():
    for data in (b'', b'\xff', b'\xff\xd8\xff\xe0' + bytes(20)):
        with pytest.raises(JpegxlError) as info:
            jpegxl_decode(data)
        assert isinstance(info.value, ValueError)
    with pytest.raises(JpegxlError):
        jpegxl_decode(header(3, 4))  # no frame


@pytest.mark.parametrize('size', [(1 << 16, 1 << 16), (1 << 30, 1 << 30)])
def test_implausible_size_is_refused(size):
    check_bounded_allocation(jpegxl_decode, header(*size), JpegxlError)
    check_bounded_allocation(jpegxl_decode_jpeg, header(*size), JpegxlError)


def test_corrupt():
    frames = numpy.stack([RGB, RGB[::-1]])
    for encoded in (jpegxl_encode(RGB), jpegxl_encode(frames),
                    jpegxl_encode(RGB, lossless=False, usecontainer=True)):
        check_corrupt(jpegxl_decode, encoded, JpegxlError,
                      truncations=range(0, len(encoded), 7))


def test_corrupt_isolated():
    """Damaged files never abort libjxl (a child process would die)."""
    code = '''
import numpy, imagecodecs
rng = numpy.random.default_rng(5)
data = numpy.indices((48, 40, 4)).sum(0).astype('u1')
for encoded in (imagecodecs.jpegxl_encode(data),
                imagecodecs.jpegxl_encode(data, level=80),
                imagecodecs.jpegxl_encode(numpy.stack([data, data[::-1]]))):
    for _ in range(150):
        damaged = bytearray(encoded)
        for pos in rng.integers(2, len(damaged), 4):
            damaged[pos] ^= int(rng.integers(1, 256))
        for func in (imagecodecs.jpegxl_decode,
                     imagecodecs.jpegxl_decode_jpeg):
            try:
                func(bytes(damaged))
            except (imagecodecs.JpegxlError, MemoryError):
                pass
print('ok')
'''
    assert run_isolated(code).stdout.strip() == b'ok'


# -- JPEG transcoding ---------------------------------------------------------------

@pytest.mark.parametrize('name', JPEGS)
def test_jpeg_transcoding(samples, name):
    jpeg = (samples / name).read_bytes()
    encoded = jpegxl_encode_jpeg(jpeg)
    assert bytes(encoded[:12]) == CONTAINER
    assert jpegxl_decode_jpeg(encoded) == jpeg
    assert jpegxl_decode_jpeg(encoded, numthreads=2) == jpeg
    assert jpegxl_encode_jpeg(jpeg, usecontainer=True) == encoded
    check_out(jpegxl_decode_jpeg, encoded, jpeg, JpegxlError)
    # the pixels are those of the JPEG, up to rounding of the IDCT
    image_ = pytest.importorskip('PIL.Image')
    pixels = numpy.asarray(image_.open(io.BytesIO(jpeg)))
    decoded = jpegxl_decode(encoded)
    assert decoded.shape == pixels.shape
    assert numpy.abs(decoded.astype(int) - pixels).max() <= 3


def test_jpeg_transcoding_invalid(samples):
    with pytest.raises(JpegxlError):
        jpegxl_encode_jpeg(b'not a JPEG file' * 10)
    with pytest.raises(JpegxlError):  # 12-bit JPEG: not transcodable
        jpegxl_encode_jpeg((samples / 'gray.u2.jpg').read_bytes())
    with pytest.raises(JpegxlError) as info:
        jpegxl_decode_jpeg(jpegxl_encode(RGB))
    assert isinstance(info.value, ValueError)
    jpeg = (samples / JPEGS[0]).read_bytes()
    encoded = jpegxl_encode_jpeg(jpeg)
    with pytest.raises(JpegxlError):
        jpegxl_decode_jpeg(encoded[:len(encoded) // 2])


def test_keeporientation():
    pil = pytest.importorskip('PIL.Image')
    data = numpy.zeros((16, 24, 3), 'u1')
    data[:8, :8] = 255
    exif = pil.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    buffer = io.BytesIO()
    pil.fromarray(data).save(buffer, 'JPEG', exif=exif, quality=95)
    encoded = jpegxl_encode_jpeg(buffer.getvalue())
    kept = jpegxl_decode(encoded, keeporientation=True)
    shown = jpegxl_decode(encoded)
    assert kept.shape == (16, 24, 3) and shown.shape == (24, 16, 3)
    numpy.testing.assert_array_equal(numpy.rot90(kept, -1), shown)
    assert numpy.abs(kept.astype(int) - data).max() <= 8


# -- other implementations ----------------------------------------------------------

def write_pnm(data) -> bytes:
    """Return a PGM or PPM file of a uint8 or uint16 image."""
    magic = b'P5' if data.ndim == 2 else b'P6'
    maxval = 255 if data.dtype == numpy.uint8 else 65535
    head = b'%s\n%d %d\n%d\n' % (magic, data.shape[1], data.shape[0], maxval)
    return head + data.astype('>' + data.dtype.str[1:]).tobytes()


def read_pnm(blob: bytes) -> numpy.ndarray:
    """Return the image of a binary PGM or PPM file."""
    fields, pos = [], 0
    while len(fields) < 4:
        match = re.compile(rb'\s*(#[^\n]*\n\s*)*(\S+)').match(blob, pos)
        fields.append(match[2])
        pos = match.end()
    magic, width, height, maxval = fields[0], *map(int, fields[1:])
    dtype = '>u2' if maxval > 255 else 'u1'
    shape = (height, width) if magic == b'P5' else (height, width, 3)
    count = height * width * (1 if magic == b'P5' else 3)
    return numpy.frombuffer(blob, dtype, count, pos + 1).reshape(shape)


def tool(name):
    exe = shutil.which(name)
    if exe is None:
        pytest.skip(f'{name} (Debian package libjxl-tools) is not installed')
    return exe


@pytest.mark.parametrize('dtype', ['u1', 'u2'])
@pytest.mark.parametrize('channels', [1, 3])
def test_djxl_decodes_ours(tmp_path, dtype, channels):
    djxl = tool('djxl')
    data = smooth_image((31, 45, channels), dtype, noise=0.2)
    data = data[..., 0] if channels == 1 else data
    (tmp_path / 'a.jxl').write_bytes(jpegxl_encode(data))
    suffix = 'pgm' if channels == 1 else 'ppm'
    subprocess.run([djxl, tmp_path / 'a.jxl', tmp_path / f'a.{suffix}'],
                   check=True, capture_output=True, timeout=60)
    decoded = read_pnm((tmp_path / f'a.{suffix}').read_bytes())
    numpy.testing.assert_array_equal(decoded, data)


@pytest.mark.parametrize('dtype', ['u1', 'u2'])
@pytest.mark.parametrize('channels', [1, 3])
def test_cjxl_decoded_by_ours(tmp_path, dtype, channels):
    cjxl = tool('cjxl')
    data = smooth_image((29, 37, channels), dtype, noise=0.02)
    data = data[..., 0] if channels == 1 else data
    suffix = 'pgm' if channels == 1 else 'ppm'
    (tmp_path / f'a.{suffix}').write_bytes(write_pnm(data))
    subprocess.run([cjxl, tmp_path / f'a.{suffix}', tmp_path / 'a.jxl',
                    '-d', '0'], check=True, capture_output=True, timeout=60)
    numpy.testing.assert_array_equal(
        jpegxl_decode((tmp_path / 'a.jxl').read_bytes()), data)
    subprocess.run([cjxl, tmp_path / f'a.{suffix}', tmp_path / 'b.jxl',
                    '-d', '1'], check=True, capture_output=True, timeout=60)
    decoded = jpegxl_decode((tmp_path / 'b.jxl').read_bytes())
    assert decoded.dtype == data.dtype and decoded.shape == data.shape
    assert psnr(decoded, data, 255 if dtype == 'u1' else 65535) >= 30


@pytest.mark.parametrize('name', JPEGS)
def test_cjxl_jpeg_transcoding(tmp_path, samples, name):
    """cjxl's lossless JPEG transcodings give back the JPEG with ours, and
    ours with djxl."""
    cjxl, djxl = tool('cjxl'), tool('djxl')
    jpeg = (samples / name).read_bytes()
    subprocess.run([cjxl, samples / name, tmp_path / 'a.jxl'], check=True,
                   capture_output=True, timeout=60)
    assert jpegxl_decode_jpeg((tmp_path / 'a.jxl').read_bytes()) == jpeg
    (tmp_path / 'b.jxl').write_bytes(jpegxl_encode_jpeg(jpeg))
    subprocess.run([djxl, tmp_path / 'b.jxl', tmp_path / 'b.jpg'],
                   check=True, capture_output=True, timeout=60)
    assert (tmp_path / 'b.jpg').read_bytes() == jpeg


@pytest.mark.parametrize('shape', [(21, 30), (21, 30, 3), (21, 30, 4)])
def test_pillow_plugin_reads_ours(shape):
    pil = pytest.importorskip('PIL.Image')
    pytest.importorskip('pillow_jxl')
    data = image(shape, 'u1')
    decoded = numpy.asarray(pil.open(io.BytesIO(jpegxl_encode(data))))
    numpy.testing.assert_array_equal(decoded, data)
