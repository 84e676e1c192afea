# SPDX-License-Identifier: BSD-3-Clause
"""APNG codec over libpng with the APNG patch."""

import io
import struct

import numpy
import pytest

import imagecodecs
from imagecodecs import (
    APNG, ApngError, apng_check, apng_decode, apng_encode, png_encode,
)
from harness import (
    check_array_out, check_bounded_allocation, check_corrupt, check_inputs,
    check_out, random_array, require, smooth_image,
)
from pngfiles import (
    SIGNATURE, chunk, chunks, composite, expand, make_apng, make_png,
    read_frames,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('apng')


def stack(shape, dtype, seed=0):
    return smooth_image(shape, dtype, seed=seed, noise=0.3)


def controls(encoded):
    return [struct.unpack('>IIIIIHHBB', body)
            for kind, body in chunks(encoded) if kind == b'fcTL']


def test_version_check():
    assert imagecodecs.apng_version().startswith('libpng_apng 1.6.')
    assert apng_check(SIGNATURE)
    assert apng_check(png_encode(numpy.zeros((2, 2), 'u1')))
    assert not apng_check(b'GIF89a')
    assert APNG.FILTER.SUB == 16 and APNG.COLOR_TYPE.GRAY_ALPHA == 4


@pytest.mark.parametrize('dtype', ['u1', 'u2', '>u2'])
@pytest.mark.parametrize('shape', [
    (3, 7, 9), (2, 7, 9, 1), (2, 7, 9, 2), (4, 7, 9, 3), (2, 7, 9, 4),
    (5, 1, 1, 3), (2, 40, 1),
])
def test_roundtrip_frames(shape, dtype):
    data = stack(shape, dtype)
    if len(shape) == 3:
        encoded = apng_encode(data, photometric='minisblack')
    else:
        encoded = apng_encode(data)
    decoded = apng_decode(encoded)
    assert decoded.dtype == numpy.dtype(dtype).newbyteorder('=')
    numpy.testing.assert_array_equal(decoded.reshape(shape), data)
    header, frames = read_frames(encoded)
    assert header['frames'] == shape[0] and header['plays'] == 0
    assert len(frames) == shape[0]
    for i, (control, samples) in enumerate(frames):
        numpy.testing.assert_array_equal(samples.reshape(shape[1:3] + (-1,)),
                                         data[i].reshape(shape[1:3] + (-1,)))
        assert control['sequence'] == (2 * i - 1 if i else 0)
        assert (control['x'], control['y'], control['dispose'],
                control['blend']) == (0, 0, 0, 0)
    for i in range(shape[0]):
        numpy.testing.assert_array_equal(
            apng_decode(encoded, index=i).reshape(shape[1:]), data[i])


@pytest.mark.parametrize('shape, photometric, frames', [
    ((7, 9), None, 1),
    ((7, 9, 1), None, 1), ((7, 9, 2), None, 1), ((7, 9, 3), None, 1),
    ((7, 9, 4), None, 1), ((7, 9, 5), None, 7), ((7, 9, 4), 0, 7),
    ((7, 9, 4), 'gray', 7), ((7, 9, 4), 'MinIsBlack', 7),
    ((7, 9, 4), APNG.COLOR_TYPE.RGB, 1), ((7, 9, 4), 'rgb', 1),
    ((7, 9, 4), -1, 1), ((1, 7, 9, 3), None, 1), ((2, 7, 9, 3), 0, 2),
])
def test_shapes(shape, photometric, frames):
    data = stack(shape, 'u1')
    encoded = apng_encode(data, photometric=photometric)
    kinds = [kind for kind, _ in chunks(encoded)]
    assert (b'acTL' in kinds) == (frames > 1)
    assert kinds.count(b'fcTL') == (frames if frames > 1 else 0)
    decoded = apng_decode(encoded)
    numpy.testing.assert_array_equal(decoded.reshape(data.shape), data)


@pytest.mark.parametrize('photometric', [1, 3, 5, 7, 'palette', True, 2.0])
def test_photometric_invalid(photometric):
    with pytest.raises(ApngError) as info:
        apng_encode(stack((2, 3, 4), 'u1'), photometric=photometric)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize('delay, expected', [
    (None, 1000), (40, 40), (12.7, 12), (0, 1), (-5, 1), (65535, 65535),
])
def test_delay(delay, expected):
    encoded = apng_encode(stack((3, 4, 5, 3), 'u1'), delay=delay)
    assert [c[5:7] for c in controls(encoded)] == [(expected, 1000)] * 3


def test_delay_too_large():
    with pytest.raises(OverflowError):
        apng_encode(stack((3, 4, 5, 3), 'u1'), delay=65536)


def test_settings():
    data = stack((3, 30, 40, 3), 'u1')
    encoded = apng_encode(data, level=1, strategy=APNG.STRATEGY.RLE,
                          filter=APNG.FILTER.SUB)
    numpy.testing.assert_array_equal(apng_decode(encoded), data)
    assert len(apng_encode(data, level=0)) > data.nbytes


@pytest.mark.parametrize('shape', [(3, 20, 30, 3), (3, 20, 30, 4)])
def test_pillow_reads_ours(shape):
    Image = pytest.importorskip('PIL.Image')
    data = stack(shape, 'u1')
    with Image.open(io.BytesIO(apng_encode(data, delay=70))) as im:
        assert im.n_frames == shape[0]
        for i in range(shape[0]):
            im.seek(i)
            assert im.info['duration'] == 70
            numpy.testing.assert_array_equal(
                numpy.asarray(im.convert(im.mode)), data[i])


def random_frame(rng, shape, colortype, depth):
    samples = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colortype]
    top = 2**depth - 1
    data = rng.integers(0, top + 1, shape + (samples,))
    if samples in (2, 4):
        # opaque, transparent, half and nearly transparent pixels
        data[..., -1] = rng.choice([0, top, top // 2 + 1, 3], shape)
    return data[..., 0] if samples == 1 else data


def random_animation(seed, colortype, depth, hidden, width=11, height=8):
    rng = numpy.random.default_rng(seed)
    frames = []
    for i in range(int(rng.integers(2, 7))):
        if i == 0 and not hidden:
            h, w, x, y = height, width, 0, 0
        else:
            h, w = int(rng.integers(1, height + 1)), int(
                rng.integers(1, width + 1))
            y, x = int(rng.integers(0, height - h + 1)), int(
                rng.integers(0, width - w + 1))
        frames.append((random_frame(rng, (h, w), colortype, depth), x, y,
                       int(rng.integers(0, 500)), int(rng.integers(0, 100)),
                       int(rng.integers(0, 3)), int(rng.integers(0, 2))))
    default = random_frame(rng, (height, width), colortype,
                           depth) if hidden else None
    palette = trns = None
    if colortype == 3:
        palette = rng.integers(0, 256, (2**depth, 3))
        if seed % 2:
            trns = bytes(rng.integers(0, 256, 2**depth - 1).astype('u1'))
    return frames, default, palette, trns


@pytest.mark.parametrize('colortype, depth', [
    (6, 8), (6, 16), (4, 8), (4, 16), (2, 8), (2, 16), (0, 8), (0, 1),
    (3, 4), (3, 8),
])
@pytest.mark.parametrize('hidden', [False, True])
@pytest.mark.parametrize('seed', range(8))
def test_decode_composited(colortype, depth, hidden, seed):
    width, height = 11, 8
    frames, default, palette, trns = random_animation(
        seed, colortype, depth, hidden, width, height)
    encoded = make_apng(width, height, frames, colortype=colortype,
                        depth=depth, default=default, palette=palette,
                        trns=trns)

    def samples(image):
        return expand(image, colortype, depth, palette=palette, trns=trns)

    expected = composite(
        width, height,
        [(samples(f[0]), f[1], f[2], f[5], f[6]) for f in frames],
        None if default is None else samples(default),
        top=65535 if depth == 16 else 255)
    decoded = apng_decode(encoded)
    assert decoded.dtype == ('u2' if depth == 16 else 'u1')
    numpy.testing.assert_array_equal(decoded, expected)
    # one image alone: its region on a zero canvas, nothing blended
    images = ([(default, 0, 0)] if hidden else []) + [
        (f[0], f[1], f[2]) for f in frames]
    for index, (image, x, y) in enumerate(images):
        alone = numpy.zeros_like(expected[0])
        image = samples(image)
        alone[y:y + image.shape[0], x:x + image.shape[1]] = image
        numpy.testing.assert_array_equal(apng_decode(encoded, index=index),
                                         alone)
    with pytest.raises(ApngError) as info:
        apng_decode(encoded, index=len(images))
    assert isinstance(info.value, IndexError)


def test_dispose_previous_model():
    # opaque gray frames: the values say which frame a pixel came from
    frames = [
        (numpy.full((4, 6), 10), 0, 0, 1, 1, 0, 0),  # stays
        (numpy.full((2, 2), 20), 0, 0, 1, 1, 2, 0),  # undone afterwards
        (numpy.full((2, 2), 30), 4, 2, 1, 1, 1, 0),  # cleared afterwards
        (numpy.full((1, 1), 40), 2, 1, 1, 1, 2, 0),  # undone afterwards
        (numpy.full((1, 1), 50), 5, 0, 1, 1, 0, 0),
    ]
    decoded = apng_decode(make_apng(6, 4, frames, colortype=0))
    assert decoded[1, 0, 0] == 20 and decoded[2, 0, 0] == 10
    assert decoded[2, 2, 4] == 30 and decoded[3, 2, 4] == 0
    assert decoded[3, 1, 2] == 40 and decoded[4, 1, 2] == 10
    assert decoded[4, 0, 5] == 50
    # as with the reference, PREVIOUS returns to the image shown before
    # the frame, which undoes the clearing of the frame before it too (the
    # APNG specification would keep that region clear)
    assert decoded[4, 2, 4] == 30


def test_pillow_agrees_without_previous():
    """Pillow composites like us when no frame restores a previous one."""
    Image = pytest.importorskip('PIL.Image')
    rng = numpy.random.default_rng(11)
    frames = [(random_frame(rng, (8, 11), 6, 8), 0, 0, 1, 10, 1, 0)]
    for dispose, blend, (h, w, y, x) in [(0, 1, (4, 5, 2, 3)),
                                         (1, 1, (8, 4, 0, 7)),
                                         (0, 0, (3, 11, 5, 0)),
                                         (0, 1, (8, 11, 0, 0))]:
        frames.append((random_frame(rng, (h, w), 6, 8), x, y, 1, 10,
                       dispose, blend))
    encoded = make_apng(11, 8, frames)
    decoded = apng_decode(encoded)
    with Image.open(io.BytesIO(encoded)) as im:
        for i in range(len(frames)):
            im.seek(i)
            numpy.testing.assert_array_equal(
                numpy.asarray(im.convert('RGBA')), decoded[i])


def test_plain_png():
    data = stack((6, 7, 3), 'u2')
    encoded = png_encode(data)
    numpy.testing.assert_array_equal(apng_decode(encoded), data)
    numpy.testing.assert_array_equal(apng_decode(encoded, index=0), data)
    numpy.testing.assert_array_equal(apng_decode(encoded, index=-1), data)
    with pytest.raises(IndexError):
        apng_decode(encoded, index=1)


def test_single_frame():
    frames = [(stack((5, 6, 4), 'u1'), 0, 0, 1, 1, 0, 1)]
    decoded = apng_decode(make_apng(6, 5, frames))
    numpy.testing.assert_array_equal(decoded, frames[0][0])


def test_decode_out():
    data = stack((3, 6, 7, 4), 'u2')
    encoded = apng_encode(data)
    check_array_out(apng_decode, encoded, data, ApngError)
    check_array_out(apng_decode, encoded, data[1], ApngError, index=1)
    check_inputs(apng_decode, encoded, data.tobytes())


def test_encode_out():
    data = stack((3, 6, 7, 3), 'u1')
    check_out(apng_encode, data, apng_encode(data), ApngError)


@pytest.mark.parametrize('data', [
    numpy.zeros((3, 4, 5), 'i2'), numpy.zeros((3, 4, 5), 'f8'),
    numpy.zeros(5, 'u1'), numpy.zeros((), 'u1'),
    numpy.zeros((2, 3, 4, 5), 'u1'), numpy.zeros((1, 2, 3, 4, 3), 'u1'),
    numpy.zeros((0, 3, 4, 3), 'u1'), numpy.zeros((2, 0, 4), 'u1'),
])
def test_encode_invalid(data):
    with pytest.raises(ApngError) as info:
        apng_encode(data)
    assert isinstance(info.value, ValueError)


def test_not_png():
    with pytest.raises(ApngError) as info:
        apng_decode(b'')
    assert isinstance(info.value, ValueError)


def test_corrupt():
    data = stack((4, 20, 21, 3), 'u1')
    encoded = apng_encode(data)
    cuts = [8, 30, 50, 80, len(encoded) // 3, len(encoded) // 2,
            len(encoded) - 40]
    check_corrupt(apng_decode, encoded, ApngError, truncations=cuts,
                  trials=200)
    # frame 2 ends in the second half
    check_corrupt(apng_decode, encoded, ApngError, truncations=cuts[:-1],
                  trials=50, index=2)


def test_crc_mismatch():
    encoded = bytearray(apng_encode(stack((3, 10, 10, 3), 'u1')))
    pos = encoded.rindex(b'fdAT') + 9
    encoded[pos] ^= 1
    with pytest.raises(ApngError):
        apng_decode(bytes(encoded))


def test_more_frames_claimed():
    frames = [(stack((5, 6, 4), 'u1', seed=i), 0, 0, 1, 1, 0, 0)
              for i in range(2)]
    encoded = make_apng(6, 5, frames)
    pos = encoded.index(b'acTL')
    body = struct.pack('>II', 1 << 30, 0)
    damaged = encoded[:pos - 4] + chunk(b'acTL', body) + encoded[pos + 12:]
    check_bounded_allocation(apng_decode, damaged, ApngError)


@pytest.mark.parametrize('x, y, w, h', [(3, 0, 4, 5), (0, 1, 6, 5),
                                        (0, 0, 0, 2), (7, 0, 1, 1)])
def test_frame_outside_canvas(x, y, w, h):
    frames = [(stack((5, 6, 4), 'u1'), 0, 0, 1, 1, 0, 0),
              (stack((max(h, 1), max(w, 1), 4), 'u1'), 0, 0, 1, 1, 0, 0)]
    encoded = make_apng(6, 5, frames)
    pos = encoded.rindex(b'fcTL')
    body = struct.pack('>IIIIIHHBB', 1, w, h, x, y, 1, 1, 0, 0)
    damaged = encoded[:pos - 4] + chunk(b'fcTL', body) + encoded[pos + 30:]
    with pytest.raises(ApngError):
        apng_decode(damaged)


def test_bomb():
    header = struct.pack('>IIBBBBB', 1000000, 1000000, 16, 6, 0, 0, 0)
    data = (SIGNATURE + chunk(b'IHDR', header)
            + chunk(b'acTL', struct.pack('>II', 1, 0))
            + chunk(b'fcTL', struct.pack('>IIIIIHHBB', 0, 1000000, 1000000,
                                         0, 0, 1, 1, 0, 0))
            + chunk(b'IDAT', bytes(300)) + chunk(b'IEND', b''))
    check_bounded_allocation(apng_decode, data, ApngError)


def test_palette_stack_roundtrip_via_png():
    # a palette file decodes to RGB frames of the palette colors
    indices = random_array((5, 6), 'u1', low=0, high=3)
    palette = numpy.array([[1, 2, 3], [40, 50, 60], [7, 8, 9], [0, 0, 255]])
    decoded = apng_decode(make_png(indices, 3, 2, palette=palette))
    numpy.testing.assert_array_equal(decoded, palette[indices])


@pytest.mark.parametrize('mode, samples', [('RGB', 3), ('RGBA', 4)])
def test_ours_reads_pillow(mode, samples):
    # Pillow writes changed regions only: the frames must come back whole
    Image = pytest.importorskip('PIL.Image')
    frames = numpy.repeat(stack((1, 30, 40, samples), 'u1'), 5, axis=0)
    frames[1, 5:9, 3:20] = 200
    frames[2, 10:20, 5:15] = 7
    frames[3] = stack((30, 40, samples), 'u1', seed=3)
    frames[4, :3, :3] = 1
    buffer = io.BytesIO()
    images = [Image.fromarray(frame, mode) for frame in frames]
    images[0].save(buffer, 'PNG', save_all=True, append_images=images[1:],
                   duration=50)
    encoded = buffer.getvalue()
    assert b'acTL' in encoded
    kinds = [kind for kind, _ in chunks(encoded)]
    assert kinds.count(b'fcTL') == 5
    numpy.testing.assert_array_equal(apng_decode(encoded), frames)
    # regions: Pillow wrote some frames smaller than the canvas
    assert any(c[1:3] != (40, 30) for c in controls(encoded))
