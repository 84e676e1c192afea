# SPDX-License-Identifier: BSD-3-Clause
"""GIF codec over giflib: frames, palettes, transparency and disposal."""

import io
import struct

import numpy
import pytest

import imagecodecs
from imagecodecs import GifError, gif_check, gif_decode, gif_encode
from harness import (
    check_array_out, check_bounded_allocation, check_corrupt, check_inputs,
    check_out, random_array, require,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('gif')


# -- an independent GIF writer and compositor, from the GIF89a spec -----------

def lzw(indices, mincode=8) -> bytes:
    """Return LZW image data that only ever sends literal codes, with a
    clear code before the table would widen the codes."""
    clear, end = 1 << mincode, (1 << mincode) + 1
    width = mincode + 1
    run = (1 << mincode) - 2
    values = [int(v) for v in numpy.asarray(indices, numpy.uint8).ravel()]
    codes = []
    for i in range(0, len(values), run):
        codes += [clear] + values[i:i + run]
    codes.append(end)
    acc = nbits = 0
    packed = bytearray()
    for code in codes:
        acc |= code << nbits
        nbits += width
        while nbits >= 8:
            packed.append(acc & 255)
            acc >>= 8
            nbits -= 8
    if nbits:
        packed.append(acc)
    blocks = b''.join(bytes([len(packed[i:i + 255])]) + packed[i:i + 255]
                      for i in range(0, len(packed), 255))
    return bytes([mincode]) + blocks + b'\0'


def padded(colors):
    """Return a color table padded with black to a power of two."""
    colors = numpy.asarray(colors, numpy.uint8).reshape(-1, 3)
    size = 2
    while size < len(colors):
        size *= 2
    table = numpy.zeros((size, 3), numpy.uint8)
    table[:len(colors)] = colors
    return table


def table_flags(colors):
    table = padded(colors)
    return (len(table).bit_length() - 2), table.tobytes()


def make_gif(width, height, frames, palette=None, background=0):
    """Return a GIF89a file; frames are dicts of 'data' (indices), optional
    'left', 'top', 'palette', 'disposal', 'transparent', 'interlace'."""
    out = bytearray(b'GIF89a')
    flags, table = 0, b''
    if palette is not None:
        bits, table = table_flags(palette)
        flags = 0xF0 | bits
    out += struct.pack('<HHBBB', width, height, flags, background, 0)
    out += table
    for frame in frames:
        data = numpy.asarray(frame['data'], numpy.uint8)
        h, w = data.shape
        transparent = frame.get('transparent')
        if 'disposal' in frame or transparent is not None:
            packed = (frame.get('disposal', 0) << 2) | (transparent
                                                        is not None)
            out += b'\x21\xf9\x04' + struct.pack('<BHB', packed, 0,
                                                 transparent or 0) + b'\0'
        flags, table = 0, b''
        if frame.get('palette') is not None:
            bits, table = table_flags(frame['palette'])
            flags = 0x80 | bits
        if frame.get('interlace'):
            flags |= 0x40
            order = [y for start, step in ((0, 8), (4, 8), (2, 4), (1, 2))
                     for y in range(start, h, step)]
            data = data[order]
        out += b'\x2c' + struct.pack('<HHHHB', frame.get('left', 0),
                                     frame.get('top', 0), w, h, flags)
        out += table + lzw(data)
    return bytes(out + b'\x3b')


def compose(width, height, frames, palette, index=None):
    """Return the frames as the GIF89a disposal methods show them, on a
    black canvas (transparent if the first frame has transparency)."""
    height = max([height] + [f.get('top', 0) + f['data'].shape[0]
                             for f in frames])
    width = max([width] + [f.get('left', 0) + f['data'].shape[1]
                           for f in frames])
    channels = 3 if frames[0].get('transparent') is None else 4
    canvas = numpy.zeros((height, width, channels), numpy.uint8)
    result = []
    for i, frame in enumerate(frames):
        if index is not None:
            if i != index:
                continue
            canvas[:] = 0
        previous = canvas.copy()
        data = numpy.asarray(frame['data'])
        colors = padded(frame.get('palette', palette))
        top, left = frame.get('top', 0), frame.get('left', 0)
        region = canvas[top:top + data.shape[0], left:left + data.shape[1]]
        painted = (data != frame.get('transparent', -1)) & (data
                                                            < len(colors))
        region[painted, :3] = colors[data[painted]]
        if channels == 4:
            region[painted, 3] = 255
        result.append(canvas.copy())
        if frame.get('disposal') == 2:
            region[:] = 0
        elif frame.get('disposal') == 3:
            canvas = previous
    return result[0] if len(result) == 1 else numpy.stack(result)


PALETTE = random_array((256, 3), 'u1', seed=11)
FRAME0 = random_array((6, 8), 'u1', seed=12, low=0, high=40)
SMALL = numpy.array([[1, 2, 3], [4, 1, 5]], numpy.uint8)


def animation(disposal, transparent):
    return [
        dict(data=FRAME0, disposal=1, transparent=transparent),
        dict(data=SMALL, left=2, top=3, disposal=disposal,
             transparent=transparent),
        dict(data=SMALL[:1, :2] + 10, left=5, top=1, disposal=disposal),
        dict(data=SMALL, left=0, top=0, palette=PALETTE[::-1][:8]),
        dict(data=SMALL + 100, left=6, top=5),  # outside the screen
    ]


# -- decoding --------------------------------------------------------------

def test_version_check():
    assert imagecodecs.gif_version().startswith('giflib ')
    assert gif_check(b'GIF87a..') and gif_check(b'GIF89a..')
    assert not gif_check(b'\x89PNG\r\n')


@pytest.mark.parametrize('transparent', [None, 1])
@pytest.mark.parametrize('disposal', [0, 1, 2, 3])
def test_compose(disposal, transparent):
    frames = animation(disposal, transparent)
    data = make_gif(8, 6, frames, PALETTE)
    decoded = gif_decode(data)
    expected = compose(8, 6, frames, PALETTE)
    assert decoded.shape == (5, 7, 9, 3 if transparent is None else 4)
    numpy.testing.assert_array_equal(decoded, expected)
    for index in range(len(frames)):
        numpy.testing.assert_array_equal(
            gif_decode(data, index=index),
            compose(8, 6, frames, PALETTE, index=index))
    numpy.testing.assert_array_equal(gif_decode(data, index=-1),
                                     gif_decode(data, index=4))
    # indices of each frame on zeros, nothing composed
    indices = gif_decode(data, asrgb=False)
    assert indices.shape == (5, 7, 9)
    for frame, result in zip(frames, indices):
        top, left = frame.get('top', 0), frame.get('left', 0)
        h, w = frame['data'].shape
        numpy.testing.assert_array_equal(
            result[top:top + h, left:left + w], frame['data'])
        assert result.sum() == frame['data'].sum()
    numpy.testing.assert_array_equal(
        gif_decode(data, index=1, asrgb=False), indices[1])


def test_single_frame_has_no_frames_axis():
    frames = [dict(data=SMALL, left=1, top=2)]
    data = make_gif(4, 5, frames, PALETTE[:4], background=3)
    # indices past the 4 colors are not painted; the background field is
    # ignored: black
    expected = numpy.zeros((5, 4, 3), numpy.uint8)
    colors = padded(PALETTE[:4])
    for y, x in numpy.ndindex(SMALL.shape):
        if SMALL[y, x] < 4:
            expected[2 + y, 1 + x] = colors[SMALL[y, x]]
    numpy.testing.assert_array_equal(gif_decode(data), expected)
    assert gif_decode(data, asrgb=False).shape == (5, 4)


def test_interlaced():
    data = random_array((19, 5), 'u1', seed=3)
    frames = [dict(data=data, interlace=True)]
    numpy.testing.assert_array_equal(
        gif_decode(make_gif(5, 19, frames, PALETTE), asrgb=False), data)


def test_local_palette_only():
    frames = [dict(data=SMALL, palette=PALETTE[:8])]
    data = make_gif(3, 2, frames)
    numpy.testing.assert_array_equal(gif_decode(data), PALETTE[SMALL])
    # no color table at all: indices only
    data = make_gif(3, 2, [dict(data=SMALL)])
    with pytest.raises(GifError):
        gif_decode(data)
    numpy.testing.assert_array_equal(gif_decode(data, asrgb=False), SMALL)


@pytest.mark.parametrize('index', [2, -3, 100])
def test_index_out_of_range(index):
    data = make_gif(3, 2, [dict(data=SMALL), dict(data=SMALL)], PALETTE)
    with pytest.raises(GifError) as info:
        gif_decode(data, index=index)
    assert isinstance(info.value, IndexError)


def test_corrupt_and_truncated():
    frames = animation(2, 1)
    data = make_gif(8, 6, frames, PALETTE)
    check_corrupt(gif_decode, data, GifError,
                  truncations=range(0, len(data), 5))
    check_corrupt(gif_decode, data, GifError,
                  truncations=range(len(data) - 4, len(data)))
    check_corrupt(gif_decode, data, GifError, asrgb=False, trials=32)
    encoded = gif_encode(random_array((3, 20, 30), 'u1'))
    check_corrupt(gif_decode, encoded, GifError)
    with pytest.raises(GifError):
        gif_decode(b'GIF89a')
    with pytest.raises(GifError):
        gif_decode(b'\x89PNG\r\n\x1a\n' + bytes(40))
    # a record that is neither extension, image nor trailer
    with pytest.raises(GifError):
        gif_decode(data[:-1] + b'\x99\x3b')


def test_hostile_sizes_bounded():
    # a frame of 65535 x 65535 pixels with a few bytes of data
    data = make_gif(4, 4, [dict(data=SMALL)], PALETTE)
    start = 13 + 768  # after the header and global color table
    assert data[start] == 0x2C
    hostile = (data[:start + 5] + struct.pack('<HH', 65535, 65535)
               + data[start + 9:])
    check_bounded_allocation(gif_decode, hostile, GifError)
    # a screen of 65535 x 65535 pixels around a tiny frame
    hostile = data[:6] + struct.pack('<HH', 65535, 65535) + data[10:]
    check_bounded_allocation(gif_decode, hostile, GifError)
    # a tiny frame far outside a tiny screen
    frames = [dict(data=SMALL, left=65000, top=65000)]
    check_bounded_allocation(gif_decode, make_gif(2, 2, frames, PALETTE),
                             GifError)
    # zero-sized frames are corrupt
    frames = [dict(data=numpy.zeros((0, 3), numpy.uint8))]
    with pytest.raises(GifError):
        gif_decode(make_gif(2, 2, frames, PALETTE))


def test_decode_out():
    data = make_gif(8, 6, animation(1, None), PALETTE)
    expected = gif_decode(data)
    check_array_out(gif_decode, data, expected, GifError)
    check_array_out(gif_decode, data, gif_decode(data, asrgb=False),
                    GifError, asrgb=False)
    check_inputs(gif_decode, data, expected.tobytes())


# -- encoding --------------------------------------------------------------

@pytest.mark.parametrize('shape', [(5, 7), (3, 5, 7), (1, 1), (1, 9, 1),
                                   (2, 300, 2)])
def test_encode_roundtrip(shape):
    data = random_array(shape, 'u1', seed=len(shape))
    encoded = gif_encode(data)
    # GIF87a, screen size, a global table of 256 colors, no aspect ratio
    assert encoded[:13] == b'GIF87a' + struct.pack(
        '<HHBBB', shape[-1], shape[-2], 0xF7, 0, 0)
    ramp = numpy.repeat(numpy.arange(256, dtype=numpy.uint8), 3)
    assert encoded[13:13 + 768] == ramp.tobytes()
    if data.ndim == 3 and data.shape[0] == 1:
        data = data[0]  # one frame decodes without the frames axis
    numpy.testing.assert_array_equal(gif_decode(encoded, asrgb=False), data)
    numpy.testing.assert_array_equal(gif_decode(encoded),
                                     numpy.stack([data] * 3, -1))
    colormap = random_array((256, 3), 'u1', seed=5)
    encoded = gif_encode(data, colormap=colormap)
    numpy.testing.assert_array_equal(gif_decode(encoded), colormap[data])


def test_encode_short_colormap_padded():
    data = numpy.array([[0, 1, 2, 200]], numpy.uint8)
    colormap = numpy.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], numpy.uint8)
    encoded = gif_encode(data, colormap)
    assert encoded[13:22] == colormap.tobytes()
    assert encoded[22:13 + 768] == bytes(768 - 9)
    numpy.testing.assert_array_equal(
        gif_decode(encoded), [[[1, 2, 3], [4, 5, 6], [7, 8, 9], [0, 0, 0]]])


def test_encode_noncontiguous():
    data = random_array((30, 40), 'u1')[::2, ::-3]
    numpy.testing.assert_array_equal(
        gif_decode(gif_encode(data), asrgb=False), data)


def test_encode_readonly_input_untouched():
    data = random_array((9, 13), 'u1')
    buffer = bytes(data.tobytes())
    view = numpy.frombuffer(buffer, numpy.uint8).reshape(9, 13)
    encoded = gif_encode(view)
    assert buffer == data.tobytes()
    numpy.testing.assert_array_equal(gif_decode(encoded, asrgb=False), data)


@pytest.mark.parametrize('data', [
    numpy.zeros((5, 7), numpy.uint16), numpy.zeros((5, 7), numpy.int8),
    numpy.zeros((2, 5, 7, 3), numpy.uint8), numpy.zeros((7,), numpy.uint8),
    numpy.zeros((), numpy.uint8),
])
def test_encode_refuses(data):
    with pytest.raises(GifError) as info:
        gif_encode(data)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize('colormap', [
    numpy.zeros((257, 3), numpy.uint8), numpy.zeros((4, 4), numpy.uint8),
    numpy.zeros((0, 3), numpy.uint8), numpy.zeros((4, 3), numpy.uint16),
    numpy.zeros((12,), numpy.uint8),
])
def test_encode_refuses_colormap(colormap):
    with pytest.raises(GifError) as info:
        gif_encode(numpy.zeros((2, 2), numpy.uint8), colormap=colormap)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize('shape', [(0, 7), (7, 0), (0, 2, 2), (1, 70000)])
def test_encode_empty_or_too_large(shape):
    with pytest.raises(GifError):
        gif_encode(numpy.zeros(shape, numpy.uint8))


def test_encode_out():
    data = random_array((3, 11, 13), 'u1')
    check_out(gif_encode, data, gif_encode(data), GifError)


# -- Pillow ------------------------------------------------------------------

def pillow():
    return pytest.importorskip('PIL.Image')


def test_pillow_reads_ours():
    Image = pillow()
    data = random_array((4, 17, 23), 'u1', seed=8)
    colormap = random_array((256, 3), 'u1', seed=9)
    image = Image.open(io.BytesIO(gif_encode(data, colormap=colormap)))
    assert image.n_frames == 4
    for i in range(4):
        image.seek(i)
        numpy.testing.assert_array_equal(
            numpy.asarray(image.convert('RGB')), colormap[data[i]])


@pytest.mark.parametrize('disposal', [0, 1, 2])
@pytest.mark.parametrize('optimize', [True, False])
def test_ours_reads_pillow(disposal, optimize):
    Image = pillow()
    rng = numpy.random.default_rng(disposal)
    base = rng.integers(0, 3, (20, 30, 3), dtype=numpy.uint8) * 100
    frames = [base]
    for k in range(1, 5):
        frame = frames[-1].copy()
        frame[5 + k:10 + k, 8:15 + k] = (50 * k, 0, 200)
        frames.append(frame)
    buffer = io.BytesIO()
    images = [Image.fromarray(frame) for frame in frames]
    images[0].save(buffer, 'GIF', save_all=True, append_images=images[1:],
                   disposal=disposal, optimize=optimize)
    decoded = gif_decode(buffer.getvalue())
    assert decoded.shape == (5, 20, 30, 3)
    for i, frame in enumerate(frames):
        numpy.testing.assert_array_equal(decoded[i], frame)
    reader = Image.open(io.BytesIO(buffer.getvalue()))
    for i in range(5):
        reader.seek(i)
        numpy.testing.assert_array_equal(
            decoded[i], numpy.asarray(reader.convert('RGB')))


def test_samples(samples):
    Image = pillow()
    files = sorted(samples.rglob('*.gif'))
    if not files:
        pytest.skip('no GIF files in the sample folder')
    for path in files:
        image = Image.open(path)
        decoded = gif_decode(path.read_bytes(), index=0)
        numpy.testing.assert_array_equal(
            decoded[..., :3], numpy.asarray(image.convert('RGB')))
