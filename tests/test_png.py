# SPDX-License-Identifier: BSD-3-Clause
"""PNG codec over libpng."""

import io
import struct
import zlib

import numpy
import pytest

import imagecodecs
from imagecodecs import PNG, PngError, png_check, png_decode, png_encode
from harness import (
    check_array_out, check_bounded_allocation, check_corrupt, check_inputs,
    check_out, random_array, require, smooth_image,
)
from pngfiles import (
    SIGNATURE, chunk, chunks, expand, make_apng, make_png, read_frames,
)

pytestmark = pytest.mark.usefixtures('available')

SHAPES = ((17, 31), (17, 31, 1), (17, 31, 2), (17, 31, 3), (17, 31, 4),
          (1, 1), (1, 300, 3), (300, 1, 2))


@pytest.fixture
def available():
    require('png')


def image(shape, dtype, seed=0):
    return smooth_image(shape, dtype, seed=seed, noise=0.3)


def pillow_array(data):
    """Return what Pillow decodes: 8-bit RGB(A), L, LA, or 16-bit gray."""
    Image = pytest.importorskip('PIL.Image')
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        if im.mode == 'P':
            im = im.convert('RGBA' if 'transparency' in im.info else 'RGB')
        elif im.mode == '1':
            im = im.convert('L')
        return numpy.asarray(im)


def test_version_check():
    assert png_check(SIGNATURE)
    assert png_check(png_encode(numpy.zeros((2, 2), 'u1')))
    assert not png_check(b'')
    assert not png_check(SIGNATURE[:7])
    assert not png_check(b'GIF89a\0\0')
    assert imagecodecs.png_version().startswith('libpng 1.6.')


def test_enums():
    assert PNG.FILTER.ALL == (PNG.FILTER.NONE | PNG.FILTER.SUB | PNG.FILTER.UP
                              | PNG.FILTER.AVG | PNG.FILTER.PAETH)
    assert PNG.FILTER.FAST == (PNG.FILTER.NONE | PNG.FILTER.SUB
                               | PNG.FILTER.UP)
    assert PNG.COLOR_TYPE.RGB_ALPHA == 6
    assert PNG.COMPRESSION.BEST == 9 and PNG.STRATEGY.FIXED == 4


@pytest.mark.parametrize('dtype', ['u1', 'u2', '>u2'])
@pytest.mark.parametrize('shape', SHAPES)
def test_roundtrip(shape, dtype):
    data = image(shape, dtype)
    encoded = png_encode(data)
    decoded = png_decode(encoded)
    assert decoded.dtype == numpy.dtype(dtype).newbyteorder('=')
    assert decoded.shape == (shape if len(shape) == 3 and shape[2] > 1
                             else shape[:2])
    numpy.testing.assert_array_equal(decoded.reshape(shape), data)
    # the file holds the samples as stored (independent reader)
    header, frames = read_frames(encoded)
    assert header['depth'] == 8 * data.dtype.itemsize
    assert header['colortype'] == {1: 0, 2: 4, 3: 2, 4: 6}[
        shape[2] if len(shape) == 3 else 1]
    assert 'acTL' not in str(header['kinds'])
    numpy.testing.assert_array_equal(frames[0][1].reshape(shape), data)


@pytest.mark.parametrize('shape', SHAPES)
@pytest.mark.parametrize('dtype', ['u1', 'u2'])
def test_pillow_reads_ours(shape, dtype):
    data = image(shape, dtype, seed=1)
    theirs = pillow_array(png_encode(data))
    samples = shape[2] if len(shape) == 3 else 1
    if dtype == 'u1' or samples == 1:
        numpy.testing.assert_array_equal(theirs.reshape(shape), data)
    else:
        # Pillow keeps the high bytes of 16-bit color, gray+alpha as RGBA
        expected = (data >> 8).astype('u1')
        if samples == 2:
            expected = expected[..., [0, 0, 0, 1]]
        numpy.testing.assert_array_equal(theirs, expected)


def test_noncontiguous():
    data = image((20, 30, 4), 'u1')[::2, ::3, 1:]
    numpy.testing.assert_array_equal(png_decode(png_encode(data)), data)


@pytest.mark.parametrize('level', [None, -1, 0, 1, 6, 9, 12, -7, 'best'])
def test_level(level):
    data = image((64, 48, 3), 'u1')
    encoded = png_encode(data, level=level)
    numpy.testing.assert_array_equal(png_decode(encoded), data)
    idat = b''.join(body for kind, body in chunks(encoded) if kind == b'IDAT')
    # zlib header: FLEVEL (bits 6-7) says what the compressor aimed at
    flevel = idat[1] >> 6
    expected = {None: 2, -1: 2, 0: 0, 1: 0, 6: 2, 9: 3, 12: 3, -7: 2,
                'best': 3}[level]
    assert flevel == expected
    if level == 0:
        assert len(idat) > data.nbytes


def row_filters(encoded, shape):
    """Return the filter type byte of every row of a non-interlaced file."""
    raw = zlib.decompress(b''.join(body for kind, body in chunks(encoded)
                                   if kind == b'IDAT'))
    rowbytes = len(raw) // shape[0]
    return set(raw[::rowbytes])


@pytest.mark.parametrize('value, expected', [
    (PNG.FILTER.NO, {0}), (PNG.FILTER.NONE, {0}), (PNG.FILTER.SUB, {1}),
    (PNG.FILTER.UP, {2}), (PNG.FILTER.AVG, {3}), (PNG.FILTER.PAETH, {4}),
    ('sub', {1}), (PNG.FILTER.SUB | PNG.FILTER.UP, {1, 2}),
])
def test_filter(value, expected):
    data = image((40, 50, 3), 'u1')
    encoded = png_encode(data, filter=value)
    numpy.testing.assert_array_equal(png_decode(encoded), data)
    if len(expected) == 1:
        assert row_filters(encoded, data.shape) == expected
    else:
        assert row_filters(encoded, data.shape) <= expected


def test_filter_invalid():
    with pytest.raises(PngError):
        png_encode(image((4, 5), 'u1'), filter=5)
    with pytest.raises(ValueError):
        png_encode(image((4, 5), 'u1'), filter='diagonal')


@pytest.mark.parametrize('strategy', [None, 0, 1, 2, 3, 4, -1, 9, 'rle'])
def test_strategy(strategy):
    data = image((40, 50), 'u2')
    encoded = png_encode(data, strategy=strategy)
    numpy.testing.assert_array_equal(png_decode(encoded), data)


def test_strategy_matters():
    data = random_array((64, 64), 'u1', low=0, high=20)
    sizes = {s: len(png_encode(data, strategy=s)) for s in range(5)}
    # Huffman-only and RLE find no matches; fixed codes cost more
    assert sizes[2] != sizes[0] and sizes[4] != sizes[0]
    assert len(png_encode(data, strategy=9)) == sizes[4]  # clamped


def test_fast_settings():
    data = image((100, 80, 3), 'u1')
    encoded = png_encode(data, level=PNG.COMPRESSION.SPEED,
                         strategy=PNG.STRATEGY.RLE, filter=PNG.FILTER.SUB)
    assert row_filters(encoded, data.shape) == {1}
    numpy.testing.assert_array_equal(png_decode(encoded), data)


@pytest.mark.parametrize('depth', [1, 2, 4, 8, 16])
@pytest.mark.parametrize('interlace', [False, True])
def test_decode_gray(depth, interlace):
    stored = random_array((13, 11), 'u2', seed=depth, low=0,
                          high=2**depth - 1)
    encoded = make_png(stored, 0, depth, interlace=interlace)
    decoded = png_decode(encoded)
    assert decoded.dtype == ('u2' if depth == 16 else 'u1')
    numpy.testing.assert_array_equal(decoded, expand(stored, 0, depth))
    if depth < 16:
        numpy.testing.assert_array_equal(decoded, pillow_array(encoded))


@pytest.mark.parametrize('depth', [1, 2, 4, 8, 16])
def test_decode_gray_trns(depth):
    stored = random_array((9, 14), 'u2', seed=depth, low=0,
                          high=2**depth - 1)
    trns = struct.pack('>H', int(stored[2, 3]))
    decoded = png_decode(make_png(stored, 0, depth, trns=trns))
    assert decoded.shape == (9, 14, 2)
    numpy.testing.assert_array_equal(decoded,
                                     expand(stored, 0, depth, trns=trns))
    assert decoded[2, 3, 1] == 0


@pytest.mark.parametrize('depth', [1, 2, 4, 8])
@pytest.mark.parametrize('trns', [None, b'\x00', b'\x10\x80\xff\x00\x07'])
@pytest.mark.parametrize('interlace', [False, True])
def test_decode_palette(depth, trns, interlace):
    indices = random_array((10, 12), 'u1', seed=depth, low=0,
                           high=2**depth - 1)
    palette = random_array((2**depth, 3), 'u1', seed=7)
    if trns is not None:
        trns = trns[:2**depth]
    encoded = make_png(indices, 3, depth, palette=palette, trns=trns,
                       interlace=interlace)
    decoded = png_decode(encoded)
    expected = expand(indices, 3, depth, palette=palette, trns=trns)
    numpy.testing.assert_array_equal(decoded, expected)
    numpy.testing.assert_array_equal(decoded, pillow_array(encoded))


@pytest.mark.parametrize('depth', [8, 16])
@pytest.mark.parametrize('colortype', [2, 4, 6])
@pytest.mark.parametrize('interlace', [False, True])
def test_decode_color(depth, colortype, interlace):
    samples = {2: 3, 4: 2, 6: 4}[colortype]
    stored = random_array((23, 19, samples), 'u2', seed=colortype,
                          low=0, high=2**depth - 1)
    encoded = make_png(stored, colortype, depth, interlace=interlace)
    decoded = png_decode(encoded)
    numpy.testing.assert_array_equal(decoded, stored)
    if depth == 8:
        theirs = pillow_array(encoded)
        if colortype == 4:
            theirs = theirs[..., [0, 3]] if theirs.shape[2] == 4 else theirs
        numpy.testing.assert_array_equal(decoded, theirs)


@pytest.mark.parametrize('depth', [8, 16])
def test_decode_rgb_trns(depth):
    stored = random_array((8, 9, 3), 'u2', seed=3, low=0, high=3)
    trns = struct.pack('>HHH', *map(int, stored[1, 1]))
    decoded = png_decode(make_png(stored, 2, depth, trns=trns))
    numpy.testing.assert_array_equal(decoded,
                                     expand(stored, 2, depth, trns=trns))
    assert decoded[1, 1, 3] == 0 and decoded.max() > 0


def sample_files():
    """Return the PNG files of the sample folder (parametrizing happens
    before fixtures exist, so the folder is conftest's)."""
    from conftest import SAMPLES

    return sorted(SAMPLES.rglob('*.png')) if SAMPLES.is_dir() else []


@pytest.mark.parametrize('path', sample_files(), ids=lambda p: p.name)
def test_samples(path):
    encoded = path.read_bytes()
    assert png_check(encoded)
    decoded = png_decode(encoded)
    numpy.testing.assert_array_equal(decoded, pillow_array(encoded))
    # tRNS of a palette becomes an alpha channel, as in the reference
    kinds = [kind for kind, _ in chunks(encoded)]
    assert (decoded.ndim == 3 and decoded.shape[2] == 4) == (b'tRNS' in kinds)


def test_samples_named(samples):
    names = {path.name for path in sample_files()}
    assert {'pal8.png', 'rgba.u1.pal.png'} <= names


def test_decode_out():
    data = image((15, 16, 3), 'u2')
    encoded = png_encode(data)
    check_array_out(png_decode, encoded, data, PngError)
    check_inputs(png_decode, encoded, data.tobytes())


def test_encode_out():
    data = image((15, 16, 3), 'u1')
    check_out(png_encode, data, png_encode(data), PngError)


def test_decode_apng_first_image():
    frames = [(random_array((5, 6, 4), 'u1', seed=i), 0, 0, 1, 10, 0, 0)
              for i in range(3)]
    decoded = png_decode(make_apng(6, 5, frames))
    numpy.testing.assert_array_equal(decoded, frames[0][0])


@pytest.mark.parametrize('data', [
    numpy.zeros((4, 5), 'i1'), numpy.zeros((4, 5), 'f4'),
    numpy.zeros((4, 5), bool), numpy.zeros((4, 5), 'u4'),
    numpy.zeros(5, 'u1'), numpy.zeros((), 'u1'), numpy.zeros((2, 3, 4, 3),
                                                              'u1'),
    numpy.zeros((4, 5, 5), 'u1'), numpy.zeros((0, 5), 'u1'),
    numpy.zeros((4, 0, 3), 'u2'), numpy.zeros((4, 5, 0), 'u1'),
])
def test_encode_invalid(data):
    with pytest.raises(PngError) as info:
        png_encode(data)
    assert isinstance(info.value, ValueError)


def test_encode_not_array():
    with pytest.raises(ValueError):
        png_encode(b'abcd')


@pytest.mark.parametrize('data', [b'', b'\x89PNG', b'GIF89a' * 9,
                                  SIGNATURE[:7] + b'x' * 40])
def test_not_png(data):
    with pytest.raises(PngError) as info:
        png_decode(data)
    assert isinstance(info.value, ValueError)


def test_corrupt():
    data = image((40, 41, 3), 'u1')
    encoded = png_encode(data)
    # everything up to the IDAT data, and into it; without IEND the
    # image is complete, as for the reference
    cuts = [8, 12, 20, 33, 40, 45, len(encoded) // 2, len(encoded) - 16]
    check_corrupt(png_decode, encoded, PngError, truncations=cuts,
                  trials=200)
    numpy.testing.assert_array_equal(png_decode(encoded[:-12]), data)


@pytest.mark.parametrize('kind', [b'IHDR', b'IDAT'])
def test_crc_mismatch(kind):
    encoded = bytearray(png_encode(image((20, 20), 'u1')))
    pos = encoded.index(kind) + 6
    encoded[pos] ^= 1
    with pytest.raises(PngError):
        png_decode(bytes(encoded))


def test_damaged_stream():
    data = image((20, 30), 'u1')
    raw = b''.join(b'\0' + row.tobytes() for row in data)
    stream = bytearray(zlib.compress(raw))
    stream[len(stream) // 2] ^= 0x55
    with pytest.raises(PngError):
        png_decode(make_png(data, 0, 8, idat=bytes(stream)))
    # a bad filter type byte
    bad = zlib.compress(b'\x07' + raw[1:])
    with pytest.raises(PngError):
        png_decode(make_png(data, 0, 8, idat=bad))
    # a stream with less data than the image
    with pytest.raises(PngError):
        png_decode(make_png(data, 0, 8, idat=zlib.compress(raw[:-40])))


@pytest.mark.parametrize('width, height, colortype, depth', [
    (1000000, 1000000, 6, 16),  # the largest libpng takes by default
    (200000, 200000, 0, 1),
    (1 << 24, 1, 2, 8),  # beyond libpng's limit
])
def test_bomb(width, height, colortype, depth):
    # a few hundred bytes claiming terabytes
    stream = zlib.compress(b'\0' * 100000, 9)
    header = struct.pack('>IIBBBBB', width, height, depth, colortype, 0, 0, 0)
    data = (SIGNATURE + chunk(b'IHDR', header) + chunk(b'IDAT', stream)
            + chunk(b'IEND', b''))
    check_bounded_allocation(png_decode, data, PngError)


def test_large_ratio_allowed():
    # a real image of zeros compresses over 1000 times and still decodes
    data = numpy.zeros((2000, 3000), 'u1')
    encoded = png_encode(data, level=9)
    assert len(encoded) * 500 < data.nbytes
    numpy.testing.assert_array_equal(png_decode(encoded), data)


def test_threads():
    from concurrent.futures import ThreadPoolExecutor

    data = [image((200, 300, 3), 'u1', seed=i) for i in range(8)]
    with ThreadPoolExecutor(4) as pool:
        encoded = list(pool.map(png_encode, data))
        decoded = list(pool.map(png_decode, encoded))
    for a, b in zip(data, decoded):
        numpy.testing.assert_array_equal(a, b)


@pytest.mark.parametrize('mode, shape, dtype', [
    ('L', (21, 13), 'u1'), ('LA', (21, 13, 2), 'u1'),
    ('RGB', (21, 13, 3), 'u1'),
    ('RGBA', (21, 13, 4), 'u1'), ('I;16', (21, 13), 'u2'),
])
@pytest.mark.parametrize('optimize', [False, True])
def test_ours_reads_pillow(mode, shape, dtype, optimize):
    Image = pytest.importorskip('PIL.Image')
    data = image(shape, dtype, seed=5)
    buffer = io.BytesIO()
    # Pillow picks I;16 for uint16 by itself
    im = Image.fromarray(data) if dtype == 'u2' else Image.fromarray(data,
                                                                     mode)
    assert im.mode == mode
    im.save(buffer, 'PNG', optimize=optimize)
    numpy.testing.assert_array_equal(png_decode(buffer.getvalue()), data)


@pytest.mark.parametrize('bits', [1, 2, 4, 8])
def test_ours_reads_pillow_palette(bits):
    Image = pytest.importorskip('PIL.Image')
    indices = random_array((17, 23), 'u1', low=0, high=2**bits - 1)
    palette = random_array((2**bits, 3), 'u1', seed=3)
    im = Image.fromarray(indices, 'P')
    im.putpalette(palette.ravel().tolist())
    buffer = io.BytesIO()
    im.save(buffer, 'PNG', bits=bits, transparency=1)
    decoded = png_decode(buffer.getvalue())
    numpy.testing.assert_array_equal(decoded[..., :3], palette[indices])
    numpy.testing.assert_array_equal(decoded[..., 3],
                                     numpy.where(indices == 1, 0, 255))
