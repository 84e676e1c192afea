# SPDX-License-Identifier: BSD-3-Clause
"""BMP codec: Windows bitmap files."""

import io
import struct

import numpy
import pytest

import imagecodecs
from imagecodecs import BmpError, bmp_check, bmp_decode, bmp_encode
from harness import (
    check_array_out, check_corrupt, check_inputs, check_out, check_roundtrip,
    random_array, require,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('bmp')


def make_bmp(width, height, bitcount, rows, palette=(), compression=0,
             masks=(), headersize=40, clrused=None, offset=None,
             filesize=None):
    """Return a BMP file of rows, unpadded bytes in file order.

    palette holds (r, g, b) entries; masks follow a 40-byte header or lie
    inside a larger one. A negative height makes a top-down file.
    """
    stride = (width * bitcount + 31) // 32 * 4
    pixels = b''.join(row.ljust(stride, b'\0') for row in rows)
    info = struct.pack('<IiiHHIIiiII', headersize, width, height, 1,
                       bitcount, compression, len(pixels), 2835, 2835,
                       len(palette) if clrused is None else clrused, 0)
    info += struct.pack(f'<{len(masks)}I', *masks)
    info = info.ljust(headersize, b'\0')
    info += b''.join(bytes((b, g, r, 0)) for r, g, b in palette)
    if offset is None:
        offset = 14 + len(info)
    info = info.ljust(offset - 14, b'\0')[:offset - 14]
    size = offset + len(pixels) if filesize is None else filesize
    return b'BM' + struct.pack('<IHHI', size, 0, 0, offset) + info + pixels


GRAY = [(i, i, i) for i in range(256)]
COLORS = [((37 * i + 50) % 256, 255 - i, (7 * i + 3) % 256)
          for i in range(256)]

# Pinned files, written out by hand from the format specification.
# 2x2 24-bit, bottom-up: rows are BGR, padded to 8 bytes.
FILE_24BIT = bytes.fromhex(
    '424d 46000000 0000 0000 36000000'  # signature, size, offset
    '28000000 02000000 02000000 0100 1800'  # header size, w, h, planes, bits
    '00000000 10000000 00000000 00000000 00000000 00000000'
    '0000ff 00ff00 0000'  # bottom row: red, green
    'ff0000 ffffff 0000'  # top row: blue, white
)
# 3x1 4-bit with a 2-entry palette (black, orange): pixels 1, 0, 1.
FILE_4BIT = bytes.fromhex(
    '424d 42000000 0000 0000 3e000000'
    '28000000 03000000 01000000 0100 0400'
    '00000000 04000000 00000000 00000000 02000000 00000000'
    '00000000 0080ff00'  # palette entries B, G, R, 0
    '10 10 0000'
)


def test_pinned_24bit():
    assert bmp_check(FILE_24BIT)
    decoded = bmp_decode(FILE_24BIT)
    assert decoded.dtype == numpy.uint8
    numpy.testing.assert_array_equal(decoded, [
        [[0, 0, 255], [255, 255, 255]],
        [[255, 0, 0], [0, 255, 0]],
    ])
    # our encoder writes the same pixels with the default resolution
    encoded = bmp_encode(decoded)
    assert encoded[:38] == FILE_24BIT[:38]
    assert encoded[38:46] == struct.pack('<ii', 3780, 3780)
    assert encoded[54:] == FILE_24BIT[54:]


def test_pinned_4bit():
    numpy.testing.assert_array_equal(
        bmp_decode(FILE_4BIT), [[[255, 128, 0], [0, 0, 0], [255, 128, 0]]]
    )
    # the red component of the entries, like the reference
    numpy.testing.assert_array_equal(bmp_decode(FILE_4BIT, asrgb=False),
                                     [[255, 0, 255]])


def test_encode_gray_exact():
    data = numpy.arange(12, dtype=numpy.uint8).reshape(3, 4)
    encoded = bmp_encode(data)
    # BITMAPFILEHEADER, BITMAPINFOHEADER of the reference's layout
    assert encoded[:54] == bytes.fromhex(
        '424d42040000000000003604000028000000040000000300000001000800000000'
        '000c000000c40e0000c40e00000000000000000000'
    )
    # gray palette with reserved byte 255, then rows bottom-up
    palette = numpy.frombuffer(encoded[54:1078], numpy.uint8).reshape(256, 4)
    numpy.testing.assert_array_equal(palette[:, :3], numpy.arange(256)[:, None]
                                     .repeat(3, 1))
    assert (palette[:, 3] == 255).all()
    assert encoded[1078:] == bytes.fromhex('08090a0b0405060700010203')
    check_out(bmp_encode, data, encoded, BmpError)


def test_encode_rgb_exact():
    data = numpy.arange(18, dtype=numpy.uint8).reshape(2, 3, 3)
    encoded = bmp_encode(data, ppm=1000)
    assert encoded == bytes.fromhex(
        '424d4e0000000000000036000000280000000300000002000000010018000000'
        '000018000000e8030000e803000000000000000000000b0a090e0d0c11100f00'
        '0000020100050403080706000000'
    )
    check_out(bmp_encode, data, encoded, BmpError, ppm=1000)


def test_encode_rgba_exact():
    data = numpy.arange(24, dtype=numpy.uint8).reshape(2, 3, 4)
    encoded = bmp_encode(data)
    # BITMAPV4HEADER with BI_BITFIELDS and BGRA masks, like the reference
    assert encoded == bytes.fromhex(
        '424d92000000000000007a0000006c0000000300000002000000010020000300'
        '000018000000c40e0000c40e000000000000000000000000ff0000ff0000ff00'
        '0000000000ff' + '00' * 52 + '0e0d0c0f121110131615141702010003060504'
        '070a09080b'
    )
    numpy.testing.assert_array_equal(bmp_decode(encoded), data)


@pytest.mark.parametrize('ppm, field', [
    (None, 3780), (0, 1), (-5, 1), (1, 1), (2.5, 2), (2**31 - 1, 2**31 - 1),
])
def test_encode_ppm(ppm, field):
    encoded = bmp_encode(numpy.zeros((1, 1), numpy.uint8), ppm=ppm)
    assert encoded[38:46] == struct.pack('<ii', field, field)


def test_encode_ppm_too_large():
    with pytest.raises(ValueError):
        bmp_encode(numpy.zeros((1, 1), numpy.uint8), ppm=2**31)


@pytest.mark.parametrize('data', [
    numpy.zeros((2, 3), numpy.uint16), numpy.zeros((2, 3), numpy.int8),
    numpy.zeros((2, 3), bool), numpy.zeros((2, 3, 2), numpy.uint8),
    numpy.zeros((2, 3, 5), numpy.uint8), numpy.zeros((6,), numpy.uint8),
    numpy.zeros((1, 2, 3, 3), numpy.uint8), b'abc', [[1, 2], [3, 4]],
])
def test_encode_invalid(data):
    with pytest.raises(ValueError):
        bmp_encode(data)


@pytest.mark.parametrize('shape', [
    (1, 1), (3, 4), (7, 13), (5, 1), (1, 5), (0, 3), (3, 0), (2, 3, 1),
    (1, 1, 3), (7, 13, 3), (5, 2, 3), (33, 17, 3), (3, 7, 4), (1, 1, 4),
    (0, 0, 3), (4, 0, 4), (9, 5, 4),
], ids=str)
def test_roundtrip(shape):
    data = random_array(shape, numpy.uint8, seed=sum(shape))
    encoded = bmp_encode(data)
    expected = data[..., 0] if data.ndim == 3 and shape[2] == 1 else data
    decoded = bmp_decode(encoded)
    assert decoded.dtype == numpy.uint8
    numpy.testing.assert_array_equal(decoded, expected)
    if expected.ndim == 2:
        # gray palette: indices by default, colors on request
        numpy.testing.assert_array_equal(bmp_decode(encoded, asrgb=True),
                                         expected[..., None].repeat(3, 2))


def test_roundtrip_noncontiguous():
    data = random_array((8, 10, 3), numpy.uint8)[::2, ::3]
    check_roundtrip(bmp_encode, bmp_decode, data)
    check_roundtrip(bmp_encode, bmp_decode, data[..., 1])


def test_encode_too_large():
    # the file size is a 32-bit field; a broadcast view costs no memory
    data = numpy.broadcast_to(numpy.zeros(1, numpy.uint8), (70000, 70000))
    with pytest.raises(ValueError):
        bmp_encode(data)


def test_decode_inputs_and_out():
    data = random_array((5, 7, 3), numpy.uint8)
    encoded = bmp_encode(data)
    check_inputs(bmp_decode, encoded, data.tobytes())
    check_array_out(bmp_decode, encoded, data, BmpError)

def test_check():
    encoded = bmp_encode(numpy.zeros((1, 1, 3), numpy.uint8))
    assert bmp_check(encoded) is True
    assert bmp_check(bytearray(encoded)) is True
    assert bmp_check(b'BA' + encoded[2:]) is False
    assert bmp_check(b'') is False
    # like the reference, the bare headers are not enough
    assert bmp_check(encoded[:54]) is False


# Palette images: asrgb None gives indices only for the identity gray
# palette; False gives indices (8-bit) or the entries' red (1 and 4-bit).

ROWS8 = [bytes([1, 2, 3]), bytes([4, 5, 6])]


@pytest.mark.parametrize('height', [2, -2])
def test_palette_8bit(height):
    flip = slice(None, None, -1 if height > 0 else 1)
    indices = numpy.array([[1, 2, 3], [4, 5, 6]], numpy.uint8)[flip]
    colors = numpy.array(COLORS, numpy.uint8)[indices]
    encoded = make_bmp(3, height, 8, ROWS8, COLORS)
    numpy.testing.assert_array_equal(bmp_decode(encoded), colors)
    numpy.testing.assert_array_equal(bmp_decode(encoded, asrgb=True), colors)
    numpy.testing.assert_array_equal(bmp_decode(encoded, asrgb=False),
                                     indices)
    encoded = make_bmp(3, height, 8, ROWS8, GRAY[:16])
    numpy.testing.assert_array_equal(bmp_decode(encoded), indices)
    numpy.testing.assert_array_equal(bmp_decode(encoded, asrgb=False),
                                     indices)
    numpy.testing.assert_array_equal(bmp_decode(encoded, asrgb=True),
                                     indices[..., None].repeat(3, 2))


@pytest.mark.parametrize('palette, gray', [
    (GRAY, True),
    (GRAY[:2], True),
    ([(255 - i,) * 3 for i in range(256)], False),  # gray, not identity
    (GRAY[:255] + [(1, 2, 3)], False),
    ([(i + 1,) * 3 for i in range(255)], False),
])
def test_palette_8bit_identity(palette, gray):
    encoded = make_bmp(2, 1, 8, [bytes([0, 1])], palette)
    assert bmp_decode(encoded).ndim == (2 if gray else 3)


def test_palette_8bit_default_size():
    # clrused 0 means 256 entries, which must fit before the pixels
    encoded = make_bmp(3, 1, 8, [bytes([1, 2, 3])], GRAY, clrused=0)
    numpy.testing.assert_array_equal(bmp_decode(encoded), [[1, 2, 3]])
    encoded = make_bmp(3, 1, 8, [bytes([1, 2, 3])], GRAY[:16], clrused=0)
    with pytest.raises(BmpError):
        bmp_decode(encoded)


def test_palette_index_out_of_range():
    encoded = make_bmp(3, 1, 8, [bytes([1, 2, 200])], GRAY[:16])
    # indices need no lookup; colors do
    numpy.testing.assert_array_equal(bmp_decode(encoded), [[1, 2, 200]])
    with pytest.raises(BmpError):
        bmp_decode(encoded, asrgb=True)
    encoded = make_bmp(3, 1, 1, [bytes([0b11100000])], GRAY[:1])
    with pytest.raises(BmpError):
        bmp_decode(encoded, asrgb=False)


def test_palette_1bit():
    rows = [bytes([0b10101010, 0b11110000]), bytes([0b00001111, 0b01010101])]
    bits = numpy.unpackbits(numpy.frombuffer(b''.join(rows), numpy.uint8))
    bits = bits.reshape(2, 16)[:, :13]
    encoded = make_bmp(13, -2, 1, rows, [(0, 0, 0), (255, 255, 255)])
    numpy.testing.assert_array_equal(bmp_decode(encoded, asrgb=False),
                                     bits * 255)
    numpy.testing.assert_array_equal(bmp_decode(encoded),
                                     (bits * 255)[..., None].repeat(3, 2))
    encoded = make_bmp(13, -2, 1, rows, [(0, 0, 0), (1, 1, 1)])
    numpy.testing.assert_array_equal(bmp_decode(encoded), bits)
    encoded = make_bmp(13, 2, 1, rows, COLORS[:2])
    numpy.testing.assert_array_equal(
        bmp_decode(encoded), numpy.array(COLORS[:2], numpy.uint8)[bits[::-1]]
    )


def test_palette_4bit():
    rows = [bytes([0x12, 0x34, 0x50]), bytes([0xAB, 0xCD, 0xE0])]
    indices = numpy.array([[10, 11, 12, 13, 14], [1, 2, 3, 4, 5]])
    encoded = make_bmp(5, 2, 4, rows, COLORS[:16])
    palette = numpy.array(COLORS[:16], numpy.uint8)
    numpy.testing.assert_array_equal(bmp_decode(encoded), palette[indices])
    numpy.testing.assert_array_equal(bmp_decode(encoded, asrgb=False),
                                     palette[indices, 0])
    encoded = make_bmp(5, 2, 4, rows, GRAY[:16])
    numpy.testing.assert_array_equal(bmp_decode(encoded), indices)


PIXELS16 = [0x7FFF, 0x001F, 0x03E0, 0x7C00, 0x8421, 0xFFFF, 0x1234, 0xF81F]


def expected_fields(pixels, masks):
    """Return pixels' bit fields scaled to 8 bits (v * 255 // max)."""
    result = []
    for pixel in pixels:
        values = []
        for mask in masks:
            shift = (mask & -mask).bit_length() - 1
            values.append(((pixel & mask) >> shift) * 255 // (mask >> shift)
                          if mask else 0)
        result.append(values)
    return numpy.array([result], numpy.uint8)


@pytest.mark.parametrize('compression, masks, headersize', [
    (0, (0x7C00, 0x03E0, 0x001F), 40),
    (3, (0x7C00, 0x03E0, 0x001F), 40),
    (3, (0xF800, 0x07E0, 0x001F), 40),
    (3, (0xF800, 0x07E0, 0x001F), 52),
    (3, (0xF800, 0x07E0, 0x001F, 0), 108),
    (3, (0x0F00, 0x00F0, 0x000F, 0xF000), 56),
    (3, (0x7C00, 0x03E0, 0x001F, 0x8000), 108),
    (3, (0x0007, 0x0038, 0x01C0), 40),
    (3, (0x7C00, 0x0000, 0x001F), 40),  # a channel without bits is zero
])
def test_16bit(compression, masks, headersize):
    row = struct.pack(f'<{len(PIXELS16)}H', *PIXELS16)
    encoded = make_bmp(len(PIXELS16), 1, 16, [row], compression=compression,
                       masks=masks if compression else (),
                       headersize=headersize)
    if not compression or len(masks) < 4 or not masks[3]:
        masks = masks[:3]
    expected = expected_fields(PIXELS16, masks)
    for asrgb in (None, True, False):
        numpy.testing.assert_array_equal(bmp_decode(encoded, asrgb=asrgb),
                                         expected)


def test_16bit_scaling_known():
    # 5-bit values v map to v * 255 // 31, like the reference
    row = struct.pack('<32H', *[v << 10 for v in range(32)])
    decoded = bmp_decode(make_bmp(32, 1, 16, [row]))
    assert decoded[0, :8, 0].tolist() == [0, 8, 16, 24, 32, 41, 49, 57]
    assert decoded[0, -1].tolist() == [255, 0, 0]


ROW32 = bytes(range(100, 132))


@pytest.mark.parametrize('compression, masks, headersize, order', [
    (0, (), 40, (2, 1, 0)),  # BGRX: the X byte is no alpha
    (0, (0xFF0000, 0xFF00, 0xFF, 0xFF000000), 108, (2, 1, 0)),
    (3, (0xFF0000, 0xFF00, 0xFF, 0xFF000000), 108, (2, 1, 0, 3)),
    (3, (0xFF0000, 0xFF00, 0xFF, 0xFF000000), 124, (2, 1, 0, 3)),
    (3, (0xFF0000, 0xFF00, 0xFF, 0), 108, (2, 1, 0)),
    (3, (0xFF, 0xFF00, 0xFF0000, 0), 108, (0, 1, 2)),
    (3, (0xFF000000, 0xFF0000, 0xFF00, 0xFF), 108, (3, 2, 1, 0)),
    (3, (0xFF0000, 0xFF00, 0xFF), 52, (2, 1, 0)),
])
def test_32bit(compression, masks, headersize, order):
    encoded = make_bmp(8, 1, 32, [ROW32], compression=compression,
                       masks=masks, headersize=headersize)
    expected = numpy.frombuffer(ROW32, numpy.uint8).reshape(1, 8, 4)
    numpy.testing.assert_array_equal(bmp_decode(encoded),
                                     expected[..., list(order)])


def test_32bit_bitfields_infoheader():
    # A BITMAPINFOHEADER is followed by three masks, no alpha mask (MS
    # docs; Pillow agrees). The reference reads a fourth from the pixels.
    encoded = make_bmp(8, 1, 32, [ROW32], compression=3,
                       masks=(0xFF0000, 0xFF00, 0xFF))
    expected = numpy.frombuffer(ROW32, numpy.uint8).reshape(1, 8, 4)
    numpy.testing.assert_array_equal(bmp_decode(encoded),
                                     expected[..., [2, 1, 0]])


def test_32bit_wide_fields():
    # 10-bit fields scale to 8 bits (the reference keeps their low bits)
    pixels = [0x3FFFFFFF, 0x00000200, 0x40100401, 0xC0000000]
    masks = (0x3FF00000, 0xFFC00, 0x3FF, 0xC0000000)
    row = struct.pack('<4I', *pixels)
    encoded = make_bmp(4, 1, 32, [row], compression=3, masks=masks,
                       headersize=108)
    numpy.testing.assert_array_equal(bmp_decode(encoded),
                                     expected_fields(pixels, masks))
    assert bmp_decode(encoded)[0, 1].tolist() == [0, 0, 127, 0]


@pytest.mark.parametrize('headersize', [40, 52, 56, 64, 108, 124])
def test_header_versions(headersize):
    rows = [bytes(range(18)), bytes(range(50, 68))]
    encoded = make_bmp(6, -2, 24, rows, headersize=headersize)
    expected = numpy.frombuffer(b''.join(rows), numpy.uint8).reshape(2, 6, 3)
    numpy.testing.assert_array_equal(bmp_decode(encoded), expected[..., ::-1])
    encoded = make_bmp(3, 1, 8, [bytes([1, 2, 3])], COLORS,
                       headersize=headersize)
    numpy.testing.assert_array_equal(
        bmp_decode(encoded, asrgb=False), [[1, 2, 3]]
    )


def test_empty_images():
    for width, height in ((0, 2), (6, 0)):
        encoded = make_bmp(width, height, 24, [b''] * height)
        assert bmp_decode(encoded).shape == (height, width, 3)
    # the reference cannot decode its own empty gray image
    assert bmp_decode(bmp_encode(numpy.zeros((0, 3), 'u1'))).shape == (0, 3)


def test_last_row_padding_may_be_missing():
    encoded = make_bmp(1, 2, 24, [b'\1\2\3', b'\4\5\6'], filesize=0)
    numpy.testing.assert_array_equal(bmp_decode(encoded[:-1]),
                                     [[[6, 5, 4]], [[3, 2, 1]]])
    with pytest.raises(BmpError):
        bmp_decode(encoded[:-2])


def test_trailing_data_ignored():
    encoded = bmp_encode(numpy.ones((2, 3, 3), numpy.uint8))
    numpy.testing.assert_array_equal(bmp_decode(encoded + b'xyz'),
                                     numpy.ones((2, 3, 3)))


def test_embedded_png():
    image = numpy.arange(12, dtype=numpy.uint8).reshape(3, 4)
    if imagecodecs.PNG.available:
        payload = imagecodecs.png_encode(image)
    else:
        payload = b'\x89PNG\r\n\x1a\n' + bytes(32)
    encoded = make_bmp(4, 3, 0, [payload], compression=5)
    if not imagecodecs.PNG.available:
        with pytest.raises(BmpError, match='png'):
            bmp_decode(encoded)
        return
    numpy.testing.assert_array_equal(bmp_decode(encoded), image)
    with pytest.raises(BmpError):
        bmp_decode(encoded.replace(b'\x89PNG', b'\x89XNG'))


def header(**fields):
    """Return a valid 2x2 24-bit file with some header fields replaced."""
    layout = {'filesize': (2, '<I'), 'offset': (10, '<I'),
              'headersize': (14, '<I'), 'width': (18, '<i'),
              'height': (22, '<i'), 'bitcount': (28, '<H'),
              'compression': (30, '<I'), 'clrused': (46, '<I')}
    data = bytearray(FILE_24BIT)
    for name, value in fields.items():
        pos, fmt = layout[name]
        data[pos:pos + struct.calcsize(fmt)] = struct.pack(fmt, value)
    return bytes(data)


@pytest.mark.parametrize('fields', [
    {'width': 2**31 - 1},
    {'height': 2**31 - 1},
    {'height': -2**31},
    {'width': 2**30, 'height': 2**30},
    {'width': 65536, 'height': -65536},
    {'width': -2},
    {'offset': 1000},
    {'offset': 2**32 - 1},
    {'offset': 10},
    {'filesize': 71},
    {'filesize': 2**32 - 1},
    {'headersize': 12},
    {'headersize': 8},
    {'headersize': 125},
    {'headersize': 2**32 - 1},
    {'bitcount': 0},
    {'bitcount': 2},
    {'bitcount': 64},
    {'compression': 1},  # RLE8
    {'compression': 2},  # RLE4
    {'compression': 3},  # bit fields need 16 or 32 bits
    {'compression': 6},
    {'compression': 2**31},
    {'bitcount': 8, 'clrused': 300},
    {'bitcount': 8},  # no room for the palette
], ids=str)
def test_hostile_headers(fields):
    with pytest.raises(BmpError):
        bmp_decode(header(**fields))


@pytest.mark.parametrize('size', [0, 1, 2, 13, 17, 53, 54, 68, 69])
def test_truncated(size):
    with pytest.raises(BmpError):
        bmp_decode(FILE_24BIT[:size])


def test_not_bmp():
    with pytest.raises(BmpError, match='BM'):
        bmp_decode(b'BA' + FILE_24BIT[2:])


@pytest.mark.parametrize('shape', [(13, 7), (9, 11, 3), (5, 6, 4)], ids=str)
def test_corrupt(shape):
    encoded = bmp_encode(random_array(shape, numpy.uint8))
    check_corrupt(bmp_decode, encoded, BmpError, trials=300)
    check_corrupt(bmp_decode, FILE_4BIT, BmpError, trials=300,
                  asrgb=True)
    for bitcount, rows, palette in (
        (1, [b'\xaa\x55'] * 3, COLORS[:2]),
        (16, [struct.pack('<4H', *PIXELS16[:4])] * 2, ()),
    ):
        encoded = make_bmp(len(rows[0]), 3, bitcount, rows, palette)
        check_corrupt(bmp_decode, encoded, BmpError, trials=300)


# Independent decoder: Pillow reads our files and we read Pillow's.

@pytest.fixture
def pil():
    return pytest.importorskip('PIL.Image')


@pytest.mark.parametrize('shape', [(7, 13), (7, 13, 3), (5, 6, 4)], ids=str)
def test_pillow_reads_ours(pil, shape):
    data = random_array(shape, numpy.uint8)
    image = pil.open(io.BytesIO(bmp_encode(data)))
    numpy.testing.assert_array_equal(numpy.asarray(image.convert(
        {2: 'L', 3: 'RGB', 4: 'RGBA'}[data.ndim if data.ndim == 2
                                      else shape[2]])), data)


@pytest.mark.parametrize('mode', ['1', 'L', 'P', 'P16', 'RGB', 'RGBA'])
def test_ours_reads_pillow(pil, mode):
    rgb = random_array((7, 13, 3), numpy.uint8)
    if mode.startswith('P'):
        image = pil.fromarray(rgb).quantize(int(mode[1:] or 50))
    elif mode == 'RGBA':
        image = pil.fromarray(random_array((7, 13, 4), numpy.uint8))
    else:
        image = pil.fromarray(rgb).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, 'BMP')
    ours = bmp_decode(buffer.getvalue(), asrgb=True)
    theirs = pil.open(io.BytesIO(buffer.getvalue())).convert('RGB')
    numpy.testing.assert_array_equal(ours, numpy.asarray(theirs))


@pytest.mark.parametrize('name', [
    '8bit', '8bit-topdown', '4bit', '1bit', '16bit-555', '16bit-565',
    '24bit-v5', '32bit-bgra-v4', '32bit-abgr-v4',
])
def test_pillow_agrees(pil, name):
    row16 = struct.pack('<8H', *PIXELS16)
    encoded = {
        '8bit': make_bmp(3, 2, 8, ROWS8, COLORS),
        '8bit-topdown': make_bmp(3, -2, 8, ROWS8, COLORS),
        '4bit': make_bmp(5, 2, 4, [b'\x12\x34\x50', b'\xab\xcd\xe0'],
                         COLORS[:16]),
        '1bit': make_bmp(13, 2, 1, [b'\xaa\xf0', b'\x0f\x55'], COLORS[:2]),
        '16bit-555': make_bmp(8, 1, 16, [row16]),
        '16bit-565': make_bmp(8, 1, 16, [row16], compression=3,
                              masks=(0xF800, 0x07E0, 0x001F)),
        '24bit-v5': make_bmp(6, -1, 24, [bytes(range(18))], headersize=124),
        '32bit-bgra-v4': make_bmp(8, 1, 32, [ROW32], compression=3,
                                  masks=(0xFF0000, 0xFF00, 0xFF, 0xFF000000),
                                  headersize=108),
        '32bit-abgr-v4': make_bmp(8, 1, 32, [ROW32], compression=3,
                                  masks=(0xFF000000, 0xFF0000, 0xFF00, 0xFF),
                                  headersize=108),
    }[name]
    ours = bmp_decode(encoded, asrgb=True)
    image = pil.open(io.BytesIO(encoded))
    theirs = numpy.asarray(image.convert('RGBA' if ours.shape[2] == 4
                                         else 'RGB'))
    numpy.testing.assert_array_equal(ours, theirs)
