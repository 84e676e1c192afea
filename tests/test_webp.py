# SPDX-License-Identifier: BSD-3-Clause
"""WEBP codec: lossless and lossy still images, animations, Pillow."""

import io
import re
import struct

import numpy
import pytest

from imagecodecs import (
    WebpError, webp_check, webp_decode, webp_encode, webp_version,
)
from harness import (
    check_array_out, check_bounded_allocation, check_corrupt, check_inputs,
    IMAGE_VIEWS, check_out, image_view, random_array, require, smooth_image,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('webp')


def pillow():
    return pytest.importorskip('PIL.Image')


RGB = smooth_image((40, 50, 3), 'u1', noise=0.05)
RGBA = numpy.concatenate([RGB, smooth_image((40, 50, 1), 'u1', seed=1)],
                         axis=-1)


def psnr(a, b) -> float:
    mse = numpy.mean((a.astype('f8') - b.astype('f8')) ** 2)
    return float('inf') if mse == 0 else 10 * numpy.log10(255**2 / mse)


def fourcc(encoded) -> bytes:
    """Return the first chunk's name: VP8L lossless, VP8 lossy, VP8X."""
    return bytes(encoded[12:16])


def test_version_and_check():
    assert re.fullmatch(r'libwebp \d+\.\d+\.\d+', webp_version())
    assert webp_check(webp_encode(RGB))
    assert webp_check(b'RIFF\0\0\0\0WEBP')
    assert not webp_check(b'RIFF\0\0\0\0WAVE')
    assert not webp_check(b'RIFF')
    assert not webp_check(b'')


# -- round trips --------------------------------------------------------------

@pytest.mark.parametrize('channels', [3, 4])
@pytest.mark.parametrize('kwargs', [
    {}, {'lossless': True}, {'level': 0}, {'level': 100}, {'method': 0},
    {'method': 6}, {'numthreads': 2}, {'lossless': False, 'level': -1},
], ids=str)
def test_lossless(channels, kwargs):
    for data in (RGBA[..., :channels],
                 random_array((33, 17, channels), 'u1', seed=channels)):
        encoded = webp_encode(data, **kwargs)
        assert fourcc(encoded) in (b'VP8L', b'VP8X')
        decoded = webp_decode(encoded)
        assert decoded.dtype == numpy.uint8
        numpy.testing.assert_array_equal(decoded, data)


def test_lossless_keeps_transparent_colours():
    data = RGBA.copy()
    data[::2, ..., 3] = 0  # libwebp may discard colours under alpha 0
    numpy.testing.assert_array_equal(webp_decode(webp_encode(data)), data)


def test_opaque_alpha_is_dropped():
    """libwebp writes no alpha channel if all alpha values are 255."""
    data = RGBA.copy()
    data[..., 3] = 255
    decoded = webp_decode(webp_encode(data))
    numpy.testing.assert_array_equal(decoded, data[..., :3])
    numpy.testing.assert_array_equal(
        webp_decode(webp_encode(data), hasalpha=True), data)


def test_hasalpha():
    encoded = webp_encode(RGBA)
    numpy.testing.assert_array_equal(webp_decode(encoded, hasalpha=False),
                                     RGBA[..., :3])
    numpy.testing.assert_array_equal(webp_decode(encoded, hasalpha=True),
                                     RGBA)
    decoded = webp_decode(webp_encode(RGB), hasalpha=True)
    numpy.testing.assert_array_equal(decoded[..., :3], RGB)
    assert (decoded[..., 3] == 255).all()


@pytest.mark.parametrize('channels', [3, 4])
def test_lossy(channels):
    data = smooth_image((64, 96, channels), 'u1', noise=0.02)
    sizes = []
    for level in (0, 50, 90, 100):
        encoded = webp_encode(data, level=level, lossless=False)
        assert fourcc(encoded) == (b'VP8 ' if channels == 3 else b'VP8X')
        decoded = webp_decode(encoded)
        assert decoded.shape == data.shape
        sizes.append(len(encoded))
        if level == 90:
            assert psnr(decoded, data) >= 30
            if channels == 4:  # alpha is lossless by default
                numpy.testing.assert_array_equal(decoded[..., 3],
                                                 data[..., 3])
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert webp_encode(data, lossless=False) == webp_encode(
        data, lossless=False, level=75)


def test_level_and_method_are_clamped():
    assert webp_encode(RGB, level=101) == webp_encode(RGB, level=100)
    assert webp_encode(RGB, level=-5) == webp_encode(RGB)
    assert webp_encode(RGB, method=9) == webp_encode(RGB, method=6)
    assert webp_encode(RGB, method=-1) == webp_encode(RGB, method=0)
    assert webp_encode(RGB, lossless=False, method=9) == webp_encode(
        RGB, lossless=False, method=6)
    # threads change the speed, not the result
    assert webp_encode(RGB, lossless=False, numthreads=2) == webp_encode(
        RGB, lossless=False)
    assert webp_encode(RGB, level=50) != webp_encode(RGB, level=0)


@pytest.mark.parametrize('data', [
    numpy.zeros((4, 4), 'u1'),  # gray: WebP holds RGB(A) only
    numpy.zeros((4, 4, 1), 'u1'),
    numpy.zeros((4, 4, 2), 'u1'),
    numpy.zeros((4, 4, 5), 'u1'),
    numpy.zeros((2, 4, 4, 3), 'u1'),
    numpy.zeros((12,), 'u1'),
    numpy.zeros((), 'u1'),
    numpy.zeros((0, 4, 3), 'u1'),
    numpy.zeros((4, 0, 3), 'u1'),
    numpy.zeros((4, 4, 3), 'u2'),
    numpy.zeros((4, 4, 3), 'f4'),
    numpy.zeros((4, 4, 3), bool),
    numpy.zeros((16384, 1, 3), 'u1'),
    b'\0' * 48,
], ids=lambda a: f'{getattr(a, "dtype", "bytes")}{getattr(a, "shape", "")}')
def test_encode_invalid(data):
    with pytest.raises(WebpError) as info:
        webp_encode(data)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize('shape', [(1, 1, 3), (1, 1, 4), (1, 16383, 3),
                                   (3, 1, 4)], ids=str)
def test_small_and_thin(shape):
    data = random_array(shape, 'u1', seed=3)
    numpy.testing.assert_array_equal(
        webp_decode(webp_encode(data), hasalpha=shape[2] == 4), data)


@pytest.mark.parametrize('view', IMAGE_VIEWS)
def test_non_contiguous(view):
    data = image_view(view, random_array((20, 30, 4), 'u1', seed=4))
    numpy.testing.assert_array_equal(webp_decode(webp_encode(data)), data)


def test_out():
    encoded = webp_encode(RGB)
    check_out(webp_encode, RGB, encoded, WebpError)
    decoded = webp_decode(encoded)
    check_array_out(webp_decode, encoded, decoded, WebpError)
    check_inputs(webp_decode, encoded, decoded.tobytes())
    # the shape of out= follows hasalpha
    out = numpy.zeros((40, 50, 4), 'u1')
    assert webp_decode(encoded, hasalpha=True, out=out) is out
    assert (out[..., 3] == 255).all()
    with pytest.raises(ValueError):
        webp_decode(encoded, out=numpy.zeros((40, 50, 4), 'u1'))


def test_decode_in_place_refused():
    buffer = bytearray(1 << 16)
    encoded = webp_encode(RGB)
    buffer[:len(encoded)] = encoded
    with pytest.raises(WebpError) as info:
        webp_decode(buffer, out=buffer)
    assert isinstance(info.value, ValueError)


# -- animations ---------------------------------------------------------------

def chunk(name: bytes, payload: bytes) -> bytes:
    return name + struct.pack('<I', len(payload)) + payload + (
        b'\0' if len(payload) % 2 else b'')


def u24(value: int) -> bytes:
    return struct.pack('<I', value)[:3]


def riff(*chunks: bytes) -> bytes:
    body = b'WEBP' + b''.join(chunks)
    return b'RIFF' + struct.pack('<I', len(body)) + body


def vp8x(width, height, alpha=True, animation=True) -> bytes:
    flags = 0x10 * alpha | 0x02 * animation
    return chunk(b'VP8X', bytes([flags, 0, 0, 0]) + u24(width - 1)
                 + u24(height - 1))


def anmf(image, x, y, blend=True, dispose=False) -> bytes:
    """Return an ANMF chunk of a lossless frame at canvas offset x, y."""
    encoded = webp_encode(image, lossless=True)
    assert fourcc(encoded) == b'VP8L'
    height, width = image.shape[:2]
    flags = (0 if blend else 2) | (1 if dispose else 0)
    return chunk(b'ANMF', u24(x // 2) + u24(y // 2) + u24(width - 1)
                 + u24(height - 1) + u24(100) + bytes([flags])
                 + bytes(encoded[12:]))


def compose(canvas_shape, frames):
    """Model of how a viewer shows each frame: the canvas starts
    transparent; a frame is drawn at its offset, over the canvas where
    blended (alpha is 0 or 255 here) or replacing it; a disposed frame's
    area is transparent again before the next frame is drawn."""
    canvas = numpy.zeros(canvas_shape + (4,), 'u1')
    shown = []
    for image, x, y, blend, dispose in frames:
        height, width = image.shape[:2]
        area = canvas[y:y + height, x:x + width]
        if blend:
            area[:] = numpy.where(image[..., 3:] == 255, image, area)
        else:
            area[:] = image
        shown.append(canvas.copy())
        if dispose:
            area[:] = 0
    return shown


def animation():
    """Return an animation on an 8 x 12 canvas and its composed frames."""
    rng = numpy.random.default_rng(5)

    def image(height, width, transparent=0.0):
        data = rng.integers(0, 256, (height, width, 4), 'u1')
        data[..., 3] = numpy.where(rng.random((height, width)) < transparent,
                                   0, 255)
        return data

    frames = [
        (image(8, 12), 0, 0, True, False),
        (image(4, 6, 0.5), 2, 2, True, True),  # blended, then disposed
        (image(2, 4), 4, 4, False, False),
        (image(6, 4, 0.5), 8, 0, False, False),  # transparent holes
        (image(8, 12, 0.3), 0, 0, True, False),
    ]
    data = riff(vp8x(12, 8), chunk(b'ANIM', b'\0\0\0\0\0\0'),
                *(anmf(*frame) for frame in frames))
    return data, compose((8, 12), frames)


def test_animation_composed():
    data, expected = animation()
    assert webp_check(data)
    for index, frame in enumerate(expected):
        numpy.testing.assert_array_equal(webp_decode(data, index=index),
                                         frame)
        numpy.testing.assert_array_equal(
            webp_decode(data, index=index - len(expected)), frame)
        numpy.testing.assert_array_equal(
            webp_decode(data, index=index, hasalpha=False), frame[..., :3])
    numpy.testing.assert_array_equal(webp_decode(data), expected[0])
    numpy.testing.assert_array_equal(webp_decode(data, index=None),
                                     expected[0])
    check_array_out(webp_decode, data, expected[2], WebpError, index=2)


def test_animation_pillow():
    """Pillow's decoder (libwebp's animation decoder too) agrees."""
    Image = pillow()
    data, expected = animation()
    with Image.open(io.BytesIO(data)) as image:
        assert image.n_frames == len(expected)
        for index in range(image.n_frames):
            image.seek(index)
            numpy.testing.assert_array_equal(
                numpy.asarray(image.convert('RGBA')),
                webp_decode(data, index=index))


@pytest.mark.parametrize('index', [5, 6, 100, -6])
def test_index_out_of_range(index):
    data, _ = animation()
    with pytest.raises(WebpError) as info:
        webp_decode(data, index=index)
    assert isinstance(info.value, IndexError)
    for still in (webp_encode(RGB), webp_encode(RGB, lossless=False)):
        with pytest.raises(IndexError):
            webp_decode(still, index=index)
    numpy.testing.assert_array_equal(
        webp_decode(webp_encode(RGB), index=-1), RGB)


# -- Pillow -------------------------------------------------------------------

@pytest.mark.parametrize('kwargs', [{}, {'lossless': False, 'level': 90}],
                         ids=str)
@pytest.mark.parametrize('channels', [3, 4])
def test_pillow_reads_ours(channels, kwargs):
    Image = pillow()
    data = RGBA[..., :channels]
    encoded = webp_encode(data, **kwargs)
    with Image.open(io.BytesIO(encoded)) as image:
        assert image.format == 'WEBP'
        assert image.mode == ('RGB', 'RGBA')[channels - 3]
        theirs = numpy.asarray(image)
    ours = webp_decode(encoded)
    if kwargs:
        assert numpy.abs(theirs.astype(int) - ours).max() <= 1
        assert psnr(theirs, data) >= 30
    else:
        numpy.testing.assert_array_equal(theirs, data)
        numpy.testing.assert_array_equal(ours, data)


@pytest.mark.parametrize('lossless', [True, False])
@pytest.mark.parametrize('mode', ['RGB', 'RGBA'])
def test_ours_reads_pillow(mode, lossless):
    Image = pillow()
    data = RGBA[..., :len(mode)]
    buffer = io.BytesIO()
    Image.fromarray(data).save(buffer, 'WEBP', lossless=lossless,
                               quality=90)
    encoded = buffer.getvalue()
    ours = webp_decode(encoded)
    assert ours.shape == data.shape
    if lossless:
        numpy.testing.assert_array_equal(ours, data)
    else:
        with Image.open(io.BytesIO(encoded)) as image:
            theirs = numpy.asarray(image)
        assert numpy.abs(theirs.astype(int) - ours).max() <= 1
        assert psnr(ours, data) >= 30


@pytest.mark.parametrize('lossless', [True, False])
def test_ours_reads_pillow_animation(lossless):
    """Pillow writes changed regions of later frames as sub-frames."""
    Image = pillow()
    frames = []
    for k in range(5):
        frame = RGB.copy()
        frame[10 + k:20 + k, 5 + 2 * k:15 + 2 * k] = (200, 40 * k, 30)
        frames.append(Image.fromarray(frame))
    buffer = io.BytesIO()
    frames[0].save(buffer, 'WEBP', save_all=True, append_images=frames[1:],
                   lossless=lossless, duration=50)
    encoded = buffer.getvalue()
    with Image.open(io.BytesIO(encoded)) as image:
        assert image.n_frames == 5
        for index in range(5):
            image.seek(index)
            theirs = numpy.asarray(image.convert('RGBA'))
            ours = webp_decode(encoded, index=index, hasalpha=True)
            numpy.testing.assert_array_equal(ours, theirs)
            if lossless:
                numpy.testing.assert_array_equal(ours[..., :3],
                                                 numpy.asarray(frames[index]))


# -- samples ------------------------------------------------------------------

def test_sample_still(samples):
    Image = pillow()
    path = samples / 'rgba.u1.webp'
    data = path.read_bytes()
    decoded = webp_decode(data)
    assert decoded.shape == (32, 31, 4) and decoded.dtype == numpy.uint8
    with Image.open(path) as image:
        assert image.mode == 'RGBA'
        numpy.testing.assert_array_equal(decoded, numpy.asarray(image))
    numpy.testing.assert_array_equal(webp_decode(data, hasalpha=False),
                                     decoded[..., :3])
    # a lossy encoding of the raw sample beside it (its alpha lossy too)
    raw = numpy.fromfile(samples / 'rgba.u1.bin', 'u1').reshape(32, 31, 4)
    assert psnr(decoded[..., :3], raw[..., :3]) >= 30
    assert numpy.abs(decoded.astype(int) - raw).max() <= 32


def test_sample_animation(samples):
    Image = pillow()
    path = samples / 'frames.webp'
    data = path.read_bytes()
    with Image.open(path) as image:
        assert image.mode == 'RGB'
        count = image.n_frames
        assert count == 11
        for index in range(count):
            image.seek(index)
            theirs = numpy.asarray(image.convert('RGB'))
            ours = webp_decode(data, index=index)
            assert ours.shape == (32, 31, 3)
            numpy.testing.assert_array_equal(ours, theirs)
    numpy.testing.assert_array_equal(webp_decode(data, index=-1),
                                     webp_decode(data, index=count - 1))
    assert not numpy.array_equal(webp_decode(data, index=0),
                                 webp_decode(data, index=1))
    with pytest.raises(IndexError):
        webp_decode(data, index=count)


# -- bad input ----------------------------------------------------------------

@pytest.mark.parametrize('kind', ['lossless', 'lossy', 'alpha', 'animation'])
def test_corrupt(kind):
    if kind == 'animation':
        encoded, _ = animation()
        kwargs = {'index': 4}
    else:
        encoded = webp_encode(RGBA if kind == 'alpha' else RGB,
                              lossless=kind == 'lossless')
        kwargs = {}
    check_corrupt(webp_decode, encoded, WebpError,
                  truncations=(0, 8, 12, 20, 30, len(encoded) // 2,
                               len(encoded) - 1), trials=200, **kwargs)


@pytest.mark.parametrize('data', [b'', b'RIFF', b'RIFF\0\0\0\0WEBPVP8 ',
                                  b'x' * 100, bytes(64)], ids=repr)
def test_decode_invalid(data):
    with pytest.raises(WebpError):
        webp_decode(data)


def test_huge_canvas_refused():
    """A canvas larger than any WebP bitstream states is refused before
    the animation decoder allocates it."""
    data = riff(vp8x(1 << 15, 1 << 10), chunk(b'ANIM', bytes(6)),
                anmf(RGBA[:2, :2], 0, 0))
    check_bounded_allocation(webp_decode, data, WebpError)


def test_canvas_work_bounded():
    """Composing many frames of a large canvas is refused up front."""
    frames = [anmf(RGBA[:2, :2], 0, 0) for _ in range(80)]
    data = riff(vp8x(16384, 16384), chunk(b'ANIM', bytes(6)), *frames)
    with pytest.raises(WebpError):
        webp_decode(data, index=79)
    check_bounded_allocation(lambda d: webp_decode(d, index=-1), data,
                             WebpError)
