# SPDX-License-Identifier: BSD-3-Clause
"""AVIF codec: lossless and lossy images, depths, sequences, Pillow."""

import io
import re
import struct

import numpy
import pytest

from imagecodecs import (
    AVIF, AvifError, avif_check, avif_decode, avif_encode, avif_version,
)
from harness import (
    check_array_out, check_bounded_allocation, check_corrupt, check_inputs,
    IMAGE_VIEWS, check_numcodecs, check_out, image_view, random_array,
    require, smooth_image,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('avif')


def pillow():
    """Return PIL.Image if Pillow can read and write AVIF, else skip."""
    image = pytest.importorskip('PIL.Image')
    features = pytest.importorskip('PIL.features')
    if not features.check('avif'):
        pytest.skip('Pillow was built without AVIF support')
    return image


# small images: aom's default speed is slow
RGB = smooth_image((24, 40, 3), 'u1', noise=0.05)
RGBA = numpy.concatenate([RGB, smooth_image((24, 40, 1), 'u1', seed=1)],
                         axis=-1)
GRAY = RGB[..., 1].copy()


def psnr(a, b, peak=255) -> float:
    mse = numpy.mean((a.astype('f8') - b.astype('f8')) ** 2)
    return float('inf') if mse == 0 else 10 * numpy.log10(peak**2 / mse)


def boxes(data: bytes) -> dict:
    """Return the payloads of the boxes our tests read, by type (a flat
    search: the box types looked for occur once in our small files)."""
    found = {}
    for name in (b'colr', b'av1C', b'ispe', b'pixi'):
        pos = data.find(name)
        if pos >= 4:
            size = struct.unpack('>I', data[pos - 4:pos])[0]
            found[name.decode()] = data[pos + 4:pos - 4 + size]
    return found


def nclx(data: bytes) -> tuple:
    """Return primaries, transfer, matrix and full range of the colr box."""
    payload = boxes(data)['colr']
    assert payload[:4] == b'nclx'
    primaries, transfer, matrix = struct.unpack('>HHH', payload[4:10])
    return primaries, transfer, matrix, payload[10] >> 7


def subsampling(data: bytes) -> str:
    """Return the chroma format the av1C box states."""
    flags = boxes(data)['av1C'][2]
    if flags & 0x10:
        return 'yuv400'
    return {(0, 0): 'yuv444', (1, 0): 'yuv422', (1, 1): 'yuv420'}[
        (flags >> 3) & 1, (flags >> 2) & 1]


def test_version_and_check():
    assert re.fullmatch(r'libavif \d+\.\d+\.\d+', avif_version())
    assert avif_check(avif_encode(RGB)) is True
    assert avif_check(avif_encode(numpy.stack([RGB, RGB]))) is True
    assert avif_check(b'\0\0\0\x18ftypavif') is True
    # an ISO BMFF file of another brand may be anything
    assert avif_check(b'\0\0\0\x18ftypheic\0\0\0\0mif1heic') is None
    assert avif_check(b'\0\0\0\x18ftypmif1\0\0\0\0mif1avif') is True
    assert avif_check(b'ftypavif') is False
    assert avif_check(b'') is False
    assert avif_check(b'\x89PNG\r\n\x1a\n\0\0\0\0') is False


def test_constants():
    assert AVIF.QUALITY.LOSSLESS == 100 and AVIF.SPEED.FASTEST == 10
    assert AVIF.PIXEL_FORMAT.YUV400 == 4 and AVIF.CODEC_CHOICE.SVT == 5
    assert AVIF.MATRIX_COEFFICIENTS.IDENTITY == 0
    assert AVIF.TRANSFER_CHARACTERISTICS.SRGB == 13


# -- lossless -----------------------------------------------------------------

@pytest.mark.parametrize('samples_', [1, 2, 3, 4])
@pytest.mark.parametrize('bits', [8, 10, 12])
def test_lossless(samples_, bits):
    dtype = 'u1' if bits == 8 else 'u2'
    data = smooth_image((24, 40, samples_), dtype, high=(1 << bits) - 1,
                        noise=0.3, seed=bits)
    if samples_ == 1:
        data = data[..., 0]
    kwargs = {} if bits == 8 else {'bitspersample': bits}
    encoded = avif_encode(data, **kwargs)
    assert avif_encode(data, level=100, **kwargs) == encoded
    decoded = avif_decode(encoded)
    assert decoded.dtype == data.dtype
    numpy.testing.assert_array_equal(decoded, data)
    # the bit depth the file states
    assert boxes(encoded)['pixi'][5] == bits


def test_lossless_metadata():
    """Colour is 4:4:4 with the identity matrix, gray monochrome."""
    encoded = avif_encode(RGB, pixelformat='yuv420')
    assert subsampling(encoded) == 'yuv444'
    assert nclx(encoded) == (2, 2, 0, 1)
    encoded = avif_encode(GRAY)
    assert subsampling(encoded) == 'yuv400'
    assert nclx(encoded) == (2, 2, 2, 1)


@pytest.mark.parametrize('kwargs', [
    {'speed': 0}, {'speed': 10}, {'numthreads': 2}, {'tilelog2': (1, 1)},
    {'tilelog2': (0, 2)}, {'codec': 'aom'}, {'codec': AVIF.CODEC_CHOICE.AOM},
    {'level': 101}, {'speed': 99},
], ids=str)
def test_lossless_options(kwargs):
    data = random_array((24, 40, 3), 'u1', seed=2)
    numpy.testing.assert_array_equal(
        avif_decode(avif_encode(data, **kwargs)), data)


def test_defaults():
    """AUTO picks aom, the only encoder besides SVT-AV1; output is
    reproducible; over-range levels and speeds are clamped."""
    encoded = avif_encode(RGB)
    assert encoded == avif_encode(RGB, codec='aom')
    assert encoded == avif_encode(RGB, level=None, speed=None, codec=None)
    assert avif_encode(RGB, speed=11) == avif_encode(RGB, speed=10)
    assert avif_encode(RGB, level=-7) == avif_encode(RGB, level=-1)
    assert avif_encode(RGB, speed=-5) == avif_encode(RGB, speed=-1)


def test_upscaled_depth():
    """uint8 data encoded at 10 or 12 bits decode scaled to that range."""
    for bits in (10, 12):
        decoded = avif_decode(avif_encode(RGB, bitspersample=bits))
        assert decoded.dtype == numpy.uint16
        expected = numpy.rint(RGB.astype('f8') * ((1 << bits) - 1) / 255)
        numpy.testing.assert_array_equal(decoded, expected)


def test_values_above_depth_are_clipped():
    data = numpy.array([[0, 1023, 1024, 4095, 65535, 500]] * 4, 'u2')
    for image in (data, numpy.stack([data] * 3, axis=-1)):
        decoded = avif_decode(avif_encode(image, bitspersample=10))
        numpy.testing.assert_array_equal(decoded, numpy.minimum(image, 1023))


# -- lossy --------------------------------------------------------------------

def test_pixelformat_names():
    """Names, bare numbers ('420', as the reference takes them) and codes."""
    data = smooth_image((32, 48, 3), 'u1')
    for pixelformat in ('yuv420', 'YUV420', '420', AVIF.PIXEL_FORMAT.YUV420,
                        3):
        encoded = avif_encode(data, level=50, pixelformat=pixelformat)
        assert subsampling(encoded) == 'yuv420', pixelformat


@pytest.mark.parametrize('pixelformat', ['yuv444', 'yuv422', 'yuv420'])
def test_lossy(pixelformat):
    data = smooth_image((32, 48, 4), 'u1', noise=0.02)
    sizes = []
    for level in (0, 50, 90):
        encoded = avif_encode(data, level=level, pixelformat=pixelformat)
        assert subsampling(encoded) == pixelformat
        assert nclx(encoded) == (2, 2, 6, 1)  # BT.601 full range
        decoded = avif_decode(encoded)
        assert decoded.shape == data.shape and decoded.dtype == data.dtype
        # alpha is lossless at every level
        numpy.testing.assert_array_equal(decoded[..., 3], data[..., 3])
        sizes.append(len(encoded))
        if level == 90:
            assert psnr(decoded[..., :3], data[..., :3]) >= 35
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]


@pytest.mark.parametrize('bits', [10, 12])
def test_lossy_high_depth(bits):
    peak = (1 << bits) - 1
    data = smooth_image((32, 48, 3), 'u2', high=peak, noise=0.02)
    decoded = avif_decode(avif_encode(data, level=90, bitspersample=bits))
    assert decoded.dtype == numpy.uint16 and decoded.max() <= peak
    assert psnr(decoded, data, peak) >= 35


def test_lossy_gray():
    """Gray honours the level (the reference encodes it lossless)."""
    data = smooth_image((32, 48), 'u1', noise=0.02)
    encoded = avif_encode(data, level=60)
    assert subsampling(encoded) == 'yuv400'
    decoded = avif_decode(encoded)
    assert decoded.shape == data.shape
    assert 30 <= psnr(decoded, data) < float('inf')
    assert len(encoded) < len(avif_encode(data))


def test_rgb_as_yuv400():
    """RGB encoded monochrome decodes to gray: the BT.601 luma."""
    data = smooth_image((32, 48, 3), 'u1', noise=0.02)
    decoded = avif_decode(avif_encode(data, level=95, pixelformat='yuv400'))
    luma = data @ numpy.array([0.299, 0.587, 0.114])
    assert decoded.shape == data.shape[:2]
    assert psnr(decoded, luma) >= 35


def test_colour_metadata():
    encoded = avif_encode(RGB, level=80, primaries=9, transfer=16, matrix=9)
    assert nclx(encoded) == (9, 16, 9, 1)
    encoded = avif_encode(RGB, level=80, primaries='bt709',
                          transfer=AVIF.TRANSFER_CHARACTERISTICS.SRGB,
                          matrix='bt709')
    assert nclx(encoded) == (1, 13, 1, 1)
    # a lossless level with another matrix is no longer exact
    encoded = avif_encode(RGB, level=100, matrix=1)
    assert nclx(encoded)[2] == 1
    assert psnr(avif_decode(encoded), RGB) >= 40
    # the identity matrix only exists for 4:4:4
    with pytest.raises(AvifError):
        avif_encode(RGB, level=80, matrix=0, pixelformat='yuv420')


def test_svt():
    data = smooth_image((64, 66, 3), 'u1', noise=0.02)
    encoded = avif_encode(data, level=90, codec='svt')
    assert subsampling(encoded) == 'yuv420'
    decoded = avif_decode(encoded)
    assert psnr(decoded, data) >= 35
    frames = numpy.stack([data, data[::-1]])
    assert psnr(avif_decode(avif_encode(frames, level=90, codec='svt')),
                frames) >= 35


@pytest.mark.parametrize('data,kwargs', [
    (RGB, {'level': 90}),  # smaller than 64 pixels
    (numpy.zeros((65, 64, 3), 'u1'), {'level': 90}),  # odd
    (numpy.zeros((64, 64, 3), 'u1'), {}),  # lossless
    (numpy.zeros((64, 64, 3), 'u1'), {'level': 90, 'pixelformat': 'yuv444'}),
    (numpy.zeros((64, 64), 'u1'), {'level': 90}),  # gray
], ids=['small', 'odd', 'lossless', 'yuv444', 'gray'])
def test_svt_refused(data, kwargs):
    """What SVT-AV1 cannot encode is refused before it logs errors."""
    with pytest.raises(AvifError) as info:
        avif_encode(data, codec='svt', **kwargs)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize('codec', ['dav1d', 'rav1e', 'libgav1'])
def test_codec_not_available(codec):
    with pytest.raises(AvifError, match='No codec available'):
        avif_encode(RGB, codec=codec)


# -- sequences ----------------------------------------------------------------

@pytest.mark.parametrize('shape', [(3, 24, 40, 3), (3, 24, 40, 4),
                                   (4, 24, 40), (2, 24, 40, 2),
                                   (2, 24, 40, 1)], ids=str)
def test_sequence(shape):
    data = random_array(shape, 'u1', seed=len(shape))
    encoded = avif_encode(data)
    assert bytes(encoded[8:12]) == b'avis'
    expected = data[..., 0] if shape[-1] == 1 else data
    numpy.testing.assert_array_equal(avif_decode(encoded), expected)
    numpy.testing.assert_array_equal(avif_decode(encoded, index=None),
                                     expected)
    numpy.testing.assert_array_equal(avif_decode(encoded, index=-1),
                                     expected)
    for index in range(shape[0]):
        numpy.testing.assert_array_equal(
            avif_decode(encoded, index=index), expected[index])
    with pytest.raises(AvifError) as info:
        avif_decode(encoded, index=shape[0])
    assert isinstance(info.value, IndexError)


def test_sequence_high_depth():
    data = random_array((3, 16, 24, 3), 'u2', seed=5, high=4095)
    encoded = avif_encode(data, bitspersample=12)
    numpy.testing.assert_array_equal(avif_decode(encoded), data)
    numpy.testing.assert_array_equal(avif_decode(encoded, index=2), data[2])


def test_one_frame_stack_is_a_still_image():
    encoded = avif_encode(RGB[None])
    assert bytes(encoded[8:12]) == b'avif'
    numpy.testing.assert_array_equal(avif_decode(encoded), RGB)


def test_still_index():
    encoded = avif_encode(RGB)
    numpy.testing.assert_array_equal(avif_decode(encoded, index=0), RGB)
    numpy.testing.assert_array_equal(avif_decode(encoded, index=-1), RGB)
    with pytest.raises(IndexError):
        avif_decode(encoded, index=1)


# -- threads, arrays, out= ----------------------------------------------------

def test_decode_threads_identical():
    data = smooth_image((96, 128, 3), 'u1', noise=0.05)
    for kwargs in ({'level': 70, 'pixelformat': 'yuv420'},
                   {'level': 80, 'tilelog2': (1, 1)}):
        encoded = avif_encode(data, **kwargs)
        single = avif_decode(encoded, numthreads=1)
        for numthreads in (2, 4, 0):
            numpy.testing.assert_array_equal(
                avif_decode(encoded, numthreads=numthreads), single)
    frames = numpy.stack([data, data[::-1], data[:, ::-1]])
    encoded = avif_encode(frames, level=70)
    numpy.testing.assert_array_equal(avif_decode(encoded, numthreads=3),
                                     avif_decode(encoded))


@pytest.mark.parametrize('data', [
    numpy.zeros((4, 4), 'i1'),
    numpy.zeros((4, 4, 3), 'f4'),
    numpy.zeros((4, 4, 3), bool),
    numpy.zeros((4, 4, 3), 'u4'),
    numpy.zeros((12,), 'u1'),
    numpy.zeros((), 'u1'),
    numpy.zeros((0, 4, 3), 'u1'),
    numpy.zeros((4, 0), 'u1'),
    numpy.zeros((0, 4, 8), 'u1'),
    numpy.zeros((0, 4, 4, 3), 'u1'),
    numpy.zeros((2, 4, 4, 5), 'u1'),
    numpy.zeros((2, 2, 4, 4, 3), 'u1'),
    numpy.zeros((4, 4, 3), 'u2'),  # uint16 needs bitspersample
    b'\0' * 48,
], ids=lambda a: f'{getattr(a, "dtype", "bytes")}{getattr(a, "shape", "")}')
def test_encode_invalid(data):
    with pytest.raises(AvifError) as info:
        avif_encode(data)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize('kwargs', [
    {'bitspersample': 9}, {'bitspersample': 16}, {'pixelformat': 'none'},
    {'pixelformat': 'xyz'}, {'pixelformat': 9}, {'tilelog2': (7, 0)},
    {'tilelog2': (-1, 0)}, {'codec': 'x264'}, {'matrix': 99},
    {'primaries': 3}, {'transfer': 'gamma'},
], ids=str)
def test_encode_invalid_options(kwargs):
    with pytest.raises(AvifError) as info:
        avif_encode(RGB, level=50, **kwargs)
    assert isinstance(info.value, ValueError)
    with pytest.raises(ValueError):
        avif_encode(RGB.astype('u2'), bitspersample=8)


@pytest.mark.parametrize('shape', [(1, 1), (1, 1, 3), (1, 1, 4), (1, 129, 3),
                                   (67, 1, 2), (2, 1, 1, 3)], ids=str)
def test_small_and_thin(shape):
    data = random_array(shape, 'u1', seed=3)
    numpy.testing.assert_array_equal(avif_decode(avif_encode(data)), data)


@pytest.mark.parametrize('view', IMAGE_VIEWS + ('bigendian',))
def test_non_contiguous(view):
    base = random_array((20, 30, 4), 'u1', seed=4)
    data = (base.astype('u2') * 4).astype('>u2') if view == 'bigendian' \
        else image_view(view, base)
    kwargs = {'bitspersample': 10} if view == 'bigendian' else {}
    numpy.testing.assert_array_equal(
        avif_decode(avif_encode(data, **kwargs)), data)


def test_out():
    encoded = avif_encode(RGB)
    check_out(avif_encode, RGB, encoded, AvifError)
    decoded = avif_decode(encoded)
    check_array_out(avif_decode, encoded, decoded, AvifError)
    check_inputs(avif_decode, encoded, decoded.tobytes())
    frames = numpy.stack([RGBA, RGBA[::-1]])
    encoded = avif_encode(frames)
    check_array_out(avif_decode, encoded, frames, AvifError)
    check_array_out(avif_decode, encoded, frames[1], AvifError, index=1)
    out = numpy.zeros((24, 40, 4), 'u2')
    with pytest.raises(ValueError):
        avif_decode(encoded, index=0, out=out)


def test_decode_in_place_refused():
    buffer = bytearray(1 << 16)
    encoded = avif_encode(RGB)
    buffer[:len(encoded)] = encoded
    with pytest.raises(AvifError) as info:
        avif_decode(buffer, out=buffer)
    assert isinstance(info.value, ValueError)


def test_numcodecs():
    check_numcodecs(
        'Avif', {'level': None, 'speed': None, 'tilelog2': None,
                 'bitspersample': None, 'pixelformat': None, 'codec': None,
                 'primaries': None, 'transfer': None, 'matrix': None,
                 'numthreads': None, 'index': None, 'squeeze': None},
        avif_encode, bitspersample=10)


# -- Pillow -------------------------------------------------------------------

@pytest.mark.parametrize('data', [RGB, RGBA, GRAY], ids=['rgb', 'rgba', 'l'])
def test_pillow_reads_lossless(data):
    Image = pillow()
    with Image.open(io.BytesIO(avif_encode(data))) as image:
        assert image.format == 'AVIF'
        numpy.testing.assert_array_equal(numpy.asarray(image), data)


@pytest.mark.parametrize('pixelformat', ['yuv444', 'yuv420'])
def test_pillow_reads_lossy(pixelformat):
    Image = pillow()
    data = smooth_image((32, 48, 4), 'u1', noise=0.02)
    encoded = avif_encode(data, level=90, pixelformat=pixelformat)
    with Image.open(io.BytesIO(encoded)) as image:
        theirs = numpy.asarray(image)
    ours = avif_decode(encoded)
    # libyuv (Pillow's libavif) and libavif's own conversion round apart
    assert numpy.abs(theirs.astype(int) - ours).max() <= 3
    assert psnr(theirs, data) >= 35


def test_pillow_reads_sequence():
    Image = pillow()
    frames = random_array((3, 16, 24, 3), 'u1', seed=6)
    with Image.open(io.BytesIO(avif_encode(frames))) as image:
        assert image.n_frames == 3
        for index in range(3):
            image.seek(index)
            numpy.testing.assert_array_equal(
                numpy.asarray(image.convert('RGB')), frames[index])


@pytest.mark.parametrize('subsampling_', ['4:4:4', '4:2:0'])
@pytest.mark.parametrize('mode', ['RGB', 'RGBA'])
def test_ours_reads_pillow(mode, subsampling_):
    Image = pillow()
    data = smooth_image((32, 48, len(mode)), 'u1', noise=0.02)
    buffer = io.BytesIO()
    Image.fromarray(data).save(buffer, 'AVIF', quality=90,
                               subsampling=subsampling_)
    encoded = buffer.getvalue()
    assert avif_check(encoded)
    ours = avif_decode(encoded)
    assert ours.shape == data.shape and ours.dtype == numpy.uint8
    with Image.open(io.BytesIO(encoded)) as image:
        theirs = numpy.asarray(image)
    assert numpy.abs(theirs.astype(int) - ours).max() <= 3
    assert psnr(ours[..., :3], data[..., :3]) >= 30


def test_ours_reads_pillow_sequence():
    Image = pillow()
    frames = [Image.fromarray(image) for image in
              smooth_image((3, 32, 48, 3), 'u1', noise=0.02)]
    buffer = io.BytesIO()
    frames[0].save(buffer, 'AVIF', save_all=True, append_images=frames[1:],
                   quality=90, duration=40)
    encoded = buffer.getvalue()
    ours = avif_decode(encoded)
    assert ours.shape == (3, 32, 48, 3)
    with Image.open(io.BytesIO(encoded)) as image:
        for index in range(3):
            image.seek(index)
            theirs = numpy.asarray(image.convert('RGB'))
            numpy.testing.assert_array_equal(
                avif_decode(encoded, index=index), ours[index])
            assert numpy.abs(theirs.astype(int) - ours[index]).max() <= 3


# -- samples ------------------------------------------------------------------

def test_sample(samples):
    """A 4:2:0 file without the pixi box the specification requires, which
    libavif's strict mode refuses: decoded as the reference does."""
    path = samples / 'rgba.u1.strict_disabled.avif'
    data = path.read_bytes()
    assert avif_check(data)
    assert 'pixi' not in boxes(data)
    decoded = avif_decode(data)
    assert decoded.shape == (32, 31, 4) and decoded.dtype == numpy.uint8
    raw = numpy.fromfile(samples / 'rgba.u1.bin', 'u1').reshape(32, 31, 4)
    assert psnr(decoded[..., :3], raw[..., :3]) >= 25
    assert numpy.abs(decoded.astype(int) - raw).max() <= 48
    Image = pillow()
    with Image.open(path) as image:
        assert image.mode == 'RGBA'
        theirs = numpy.asarray(image)
    # Pillow's libavif upsamples chroma with libyuv, ours with its own
    # filter: they differ slightly at colour edges, alpha not at all
    numpy.testing.assert_array_equal(decoded[..., 3], theirs[..., 3])
    assert numpy.abs(decoded.astype(int) - theirs).max() <= 12
    assert psnr(decoded, theirs) >= 40


# -- bad input ----------------------------------------------------------------

@pytest.mark.parametrize('kind', ['rgb', 'alpha', 'lossy', 'sequence'])
def test_corrupt(kind):
    kwargs = {}
    if kind == 'sequence':
        encoded = avif_encode(numpy.stack([RGB, RGB[::-1]]), level=80)
        kwargs = {'index': 1}
    elif kind == 'lossy':
        encoded = avif_encode(RGB, level=60, pixelformat='yuv420')
    else:
        encoded = avif_encode(RGBA if kind == 'alpha' else RGB)
    check_corrupt(avif_decode, encoded, AvifError,
                  truncations=(0, 4, 12, 40, len(encoded) // 2,
                               len(encoded) - 1), trials=150, **kwargs)


@pytest.mark.parametrize('data', [b'', b'\0\0\0\x18ftypavif', b'x' * 100,
                                  bytes(64)], ids=repr)
def test_decode_invalid(data):
    with pytest.raises(AvifError):
        avif_decode(data)


def test_error_message():
    encoded = avif_encode(RGB)
    with pytest.raises(AvifError, match=r"returned 'Truncated data'"):
        avif_decode(encoded[:-1])


def with_ispe(encoded, width, height) -> bytes:
    """Return encoded with the size its ispe box states replaced."""
    encoded = bytearray(encoded)
    pos = encoded.find(b'ispe') + 8
    encoded[pos:pos + 8] = struct.pack('>II', width, height)
    return bytes(encoded)


@pytest.mark.parametrize('width,height', [(1 << 16, 1 << 16), (65536, 8),
                                          (8, 40000), (16385, 16385)])
def test_huge_size_refused(width, height):
    """An ispe box claiming more than libavif's size limits is refused
    before anything is allocated."""
    encoded = with_ispe(avif_encode(GRAY[:8, :8]), width, height)
    check_bounded_allocation(avif_decode, encoded, AvifError)


def test_ispe_scales():
    """libavif scales a frame to the size its ispe box states (within
    the limits above): a 8x8 gray frame stated 16 wide and 12 high."""
    data = numpy.arange(64, dtype='u1').reshape(8, 8) * 3
    decoded = avif_decode(with_ispe(avif_encode(data), 16, 12))
    assert decoded.shape == (12, 16)
    assert decoded[0, 0] == 0 and decoded[-1, -1] == data[-1, -1]
    assert (numpy.diff(decoded.astype(int), axis=1) >= 0).all()
