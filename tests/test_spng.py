# SPDX-License-Identifier: BSD-3-Clause
"""SPNG codec: PNG images over libspng."""

import io
import struct
import zlib

import numpy
import pytest

import imagecodecs
from imagecodecs import SpngError, spng_check, spng_decode, spng_encode
from harness import (
    check_array_out, check_bounded_allocation, check_corrupt, check_inputs,
    check_numcodecs, check_out, random_array, require, smooth_image,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('spng')


def chunk(kind: bytes, payload: bytes) -> bytes:
    return (struct.pack('>I', len(payload)) + kind + payload
            + struct.pack('>I', zlib.crc32(kind + payload)))


def make_png(width, height, depth, color, rows, extra=(), ihdr=None):
    """Return a PNG of filter-type-0 scanlines (rows: bytes each),
    written from the specification with Python's zlib."""
    header = ihdr or struct.pack('>IIBBBBB', width, height, depth, color,
                                 0, 0, 0)
    raw = b''.join(b'\0' + row for row in rows)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header)
            + b''.join(chunk(k, v) for k, v in extra)
            + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


def pillow():
    return pytest.importorskip('PIL.Image')


def test_version_check_constants():
    assert imagecodecs.spng_version().startswith('libspng ')
    assert spng_check(b'\x89PNG\r\n\x1a\n\0\0')
    assert not spng_check(b'GIF89a')
    assert imagecodecs.SPNG.FMT.G8 == 64 and imagecodecs.SPNG.FMT.RGBA16 == 2


def test_16bit_gray_byte_order():
    # big-endian samples in the file, native uint16 (height, width) out
    png = make_png(3, 2, 16, 0, [bytes.fromhex('0102a0b0ffff'),
                                 bytes.fromhex('000100008000')])
    decoded = spng_decode(png)
    assert decoded.dtype == numpy.uint16 and decoded.dtype.isnative
    numpy.testing.assert_array_equal(
        decoded, [[0x0102, 0xA0B0, 0xFFFF], [0x0001, 0, 0x8000]])


@pytest.mark.parametrize('color, samples', [(2, 3), (4, 2), (6, 4)])
def test_16bit_color_byte_order(color, samples):
    values = numpy.arange(2 * samples, dtype='u2') * 0x0101 + 0x0102
    png = make_png(2, 1, 16, color, [values.astype('>u2').tobytes()])
    decoded = spng_decode(png)
    assert decoded.dtype == numpy.uint16 and decoded.shape == (1, 2,
                                                                samples)
    numpy.testing.assert_array_equal(decoded.reshape(-1), values)


def test_low_bit_gray_scaled():
    # 2-bit gray 0, 1, 2, 3 scale to 0, 85, 170, 255 (PNG specification)
    png = make_png(4, 1, 2, 0, [bytes([0b00011011])])
    numpy.testing.assert_array_equal(spng_decode(png), [[0, 85, 170, 255]])
    png = make_png(3, 1, 1, 0, [bytes([0b10100000])])
    numpy.testing.assert_array_equal(spng_decode(png), [[255, 0, 255]])


def test_palette_expanded_to_rgb():
    palette = bytes([10, 20, 30, 40, 50, 60, 70, 80, 90])
    png = make_png(3, 2, 8, 3, [bytes([0, 1, 2]), bytes([2, 2, 0])],
                   extra=[(b'PLTE', palette), (b'tRNS', b'\x00\x80')])
    colors = numpy.frombuffer(palette, numpy.uint8).reshape(3, 3)
    decoded = spng_decode(png)
    # RGB, transparency not applied, as the reference
    numpy.testing.assert_array_equal(decoded, colors[[[0, 1, 2], [2, 2, 0]]])


def test_palette_index_out_of_range():
    # indices past the palette are black (as Pillow shows them), not read
    # from beyond the table
    png = make_png(3, 1, 8, 3, [bytes([0, 5, 255])],
                   extra=[(b'PLTE', bytes([1, 2, 3, 4, 5, 6]))])
    numpy.testing.assert_array_equal(spng_decode(png),
                                     [[[1, 2, 3], [0, 0, 0], [0, 0, 0]]])


SHAPES = [(5, 7), (5, 7, 1), (5, 7, 2), (5, 7, 3), (5, 7, 4), (1, 1),
          (1, 1, 4), (33, 1, 3), (1, 65, 2)]


@pytest.mark.parametrize('dtype', ['u1', 'u2', '>u2'])
@pytest.mark.parametrize('shape', SHAPES)
def test_roundtrip(shape, dtype):
    data = random_array(shape, dtype.lstrip('>'), seed=len(shape)).astype(
        dtype)
    encoded = spng_encode(data)
    assert spng_check(encoded)
    decoded = spng_decode(encoded)
    assert decoded.dtype == numpy.dtype(dtype).newbyteorder('=')
    assert decoded.shape == (shape[:2] if shape[2:] == (1,) else shape)
    numpy.testing.assert_array_equal(decoded.reshape(shape), data)


def test_roundtrip_noncontiguous_and_levels():
    data = smooth_image((40, 60, 3), 'u1')
    view = data[::2, ::3]
    numpy.testing.assert_array_equal(spng_decode(spng_encode(view)), view)
    sizes = {}
    for level in (None, -1, 0, 1, 6, 9, 100):
        encoded = spng_encode(data, level=level)
        numpy.testing.assert_array_equal(spng_decode(encoded), data)
        sizes[level] = len(encoded)
    assert sizes[0] > sizes[9]
    assert sizes[100] == sizes[9]  # clamped


@pytest.mark.parametrize('data', [
    numpy.zeros((5,), numpy.uint8), numpy.zeros((2, 3, 4, 3), numpy.uint8),
    numpy.zeros((5, 7, 5), numpy.uint8), numpy.zeros((5, 7), numpy.int8),
    numpy.zeros((5, 7), numpy.uint32), numpy.zeros((5, 7), numpy.float32),
    numpy.zeros((), numpy.uint8),
])
def test_encode_refuses(data):
    with pytest.raises(SpngError) as info:
        spng_encode(data)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize('shape', [(0, 7), (7, 0, 3)])
def test_encode_empty(shape):
    with pytest.raises(SpngError):
        spng_encode(numpy.zeros(shape, numpy.uint8))


def test_out():
    data = random_array((9, 11, 3), 'u1')
    encoded = spng_encode(data)
    check_out(spng_encode, data, encoded, SpngError)
    check_array_out(spng_decode, encoded, data, SpngError)
    check_inputs(spng_decode, encoded, data.tobytes())


def test_corrupt_and_truncated():
    encoded = spng_encode(smooth_image((30, 40, 3), 'u1'))
    check_corrupt(spng_decode, encoded, SpngError,
                  truncations=(0, 7, 20, 40, len(encoded) // 2,
                               len(encoded) - 12, len(encoded) - 1))
    # data after IEND is ignored
    assert spng_decode(encoded + b'tail').shape == (30, 40, 3)
    with pytest.raises(SpngError):
        spng_decode(b'GIF89a' + bytes(40))


def test_hostile_header_bounded():
    # 2**31-1 x 2**31-1 pixels claimed by a few bytes of IDAT
    png = make_png(0x7FFFFFFF, 0x7FFFFFFF, 8, 6, [b''])
    check_bounded_allocation(spng_decode, png, SpngError)
    # one chunk claiming more bytes than the file holds
    png = make_png(1, 1, 8, 0, [b'\0'])
    hostile = png[:33] + struct.pack('>I', 0x7FFFFFF0) + b'tEXt' + png[33:]
    check_bounded_allocation(spng_decode, hostile, SpngError)


@pytest.mark.parametrize('mode, dtype', [('L', 'u1'), ('LA', 'u1'),
                                         ('RGB', 'u1'), ('RGBA', 'u1'),
                                         ('I;16', 'u2')])
def test_pillow_reads_ours(mode, dtype):
    Image = pillow()
    samples = {'L': (), 'I;16': (), 'LA': (2,), 'RGB': (3,), 'RGBA': (4,)}
    data = random_array((13, 17) + samples[mode], dtype, seed=3)
    image = Image.open(io.BytesIO(spng_encode(data)))
    assert image.mode == mode
    numpy.testing.assert_array_equal(numpy.asarray(image), data)


def test_pillow_reads_ours_16bit_rgb():
    # Pillow reduces 16-bit color to 8 bits: the high bytes
    Image = pillow()
    data = random_array((6, 5, 3), 'u2', seed=4)
    image = Image.open(io.BytesIO(spng_encode(data)))
    numpy.testing.assert_array_equal(numpy.asarray(image), data >> 8)


def save(image, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, 'PNG', **kwargs)
    return buffer.getvalue()


def test_ours_reads_pillow():
    Image = pillow()
    # 16-bit gray, the case
    data = random_array((21, 13), 'u2', seed=5)
    decoded = spng_decode(save(Image.fromarray(data)))
    assert decoded.dtype == numpy.uint16
    numpy.testing.assert_array_equal(decoded, data)
    for shape in [(21, 13), (21, 13, 2), (21, 13, 3), (21, 13, 4)]:
        data = random_array(shape, 'u1', seed=6)
        numpy.testing.assert_array_equal(
            spng_decode(save(Image.fromarray(data))), data)
    # palette, with and without transparency: RGB as Pillow converts it
    indices = random_array((12, 9), 'u1', seed=7, low=0, high=15)
    image = Image.fromarray(indices, 'P')
    image.putpalette(random_array((48,), 'u1', seed=8).tolist())
    for kwargs in ({}, {'transparency': 3}, {'bits': 4}):
        numpy.testing.assert_array_equal(
            spng_decode(save(image, **kwargs)),
            numpy.asarray(image.convert('RGB')))
    bilevel = Image.fromarray(indices > 7)
    numpy.testing.assert_array_equal(spng_decode(save(bilevel)),
                                     (indices > 7) * 255)


@pytest.mark.parametrize('name', ['pal8.png', 'rgba.u1.pal.png'])
def test_samples(samples, name):
    Image = pillow()
    path = samples / name
    if not path.exists():
        pytest.skip(f'{name} not in the sample folder')
    decoded = spng_decode(path.read_bytes())
    expected = numpy.asarray(Image.open(path).convert('RGB'))
    assert decoded.shape == (32, 31, 3)
    numpy.testing.assert_array_equal(decoded, expected)
    check_corrupt(spng_decode, path.read_bytes(), SpngError, trials=16)


def test_numcodecs():
    # the harness's chunk is 16-bit gray, which the reference cannot read
    parameters = {'level': None, 'squeeze': None}
    check_numcodecs('Spng', parameters, spng_encode)
    check_numcodecs('Spng', parameters, spng_encode, level=1)
