# SPDX-License-Identifier: BSD-3-Clause
"""BCn (BC1 to BC7) block decoders and the DDS container.

Known vectors are worked out from the Khronos Data Format Specification
(S3TC, RGTC, BPTC chapters) and Microsoft's block compression docs; the
checksums of decoded random blocks were cross-checked against an
independent decoder.
"""

import hashlib
import struct

import numpy
import pytest

from imagecodecs import (
    BCN, DDS, BcnError, DdsError, bcn_check, bcn_decode, bcn_encode,
    bcn_version, dds_check, dds_decode, dds_encode, dds_version,
)
from harness import check_corrupt, check_inputs, require

pytestmark = pytest.mark.usefixtures('available')

F = BCN.FORMAT
CHANNELS = {F.BC1: 4, F.BC2: 4, F.BC3: 4, F.BC4: None, F.BC5: 2,
            F.BC6HU: 3, F.BC6HS: 3, F.BC7: 4}
BLOCKSIZE = {F.BC1: 8, F.BC4: 8}


@pytest.fixture
def available():
    require('bcn')
    require('dds')


def blocksize(fmt):
    return BLOCKSIZE.get(fmt, 16)


def shape_of(fmt, height, width):
    channels = CHANNELS[fmt]
    return (height, width) if channels is None else (height, width,
                                                     channels)


def sha256(array):
    return hashlib.sha256(array.tobytes()).hexdigest()


def decode_block(fmt, block):
    """Return the 4x4 texels of one block."""
    return bcn_decode(block, fmt, shape=shape_of(fmt, 4, 4))


def codes2(*codes):
    """Pack 16 two-bit codes, texel 0 in the lowest bits."""
    return sum(c << (2 * i) for i, c in enumerate(codes))


def bc4_block(red0, red1, codes):
    bits = sum(c << (3 * i) for i, c in enumerate(codes))
    return bytes([red0, red1]) + bits.to_bytes(6, 'little')


class Bits:
    """Write little-endian bit fields, the first at bit 0 (BC6H, BC7)."""

    def __init__(self):
        self.value = 0
        self.size = 0

    def put(self, value, nbits):
        assert 0 <= value < (1 << nbits)
        self.value |= value << self.size
        self.size += nbits
        return self

    def block(self):
        assert self.size == 128, self.size
        return self.value.to_bytes(16, 'little')


# --------------------------------------------------------------- BC1-BC5

RED, BLUE = 0xF800, 0x001F  # RGB565
CODES = codes2(*([0, 1, 2, 3] * 4))  # each row: codes 0, 1, 2, 3


def test_bc1_four_colors():
    # color0 > color1: two interpolated colours (2a + b) / 3, (a + 2b) / 3
    texels = decode_block(F.BC1, struct.pack('<HHI', RED, BLUE, CODES))
    expected = [[255, 0, 0, 255], [0, 0, 255, 255], [170, 0, 85, 255],
                [85, 0, 170, 255]]
    for row in texels:
        assert row.tolist() == expected


def test_bc1_three_colors_and_transparent():
    # color0 <= color1: (a + b) / 2 (127.5 rounds up) and transparent black
    texels = decode_block(F.BC1, struct.pack('<HHI', BLUE, RED, CODES))
    expected = [[0, 0, 255, 255], [255, 0, 0, 255], [128, 0, 128, 255],
                [0, 0, 0, 0]]
    for row in texels:
        assert row.tolist() == expected
    # equal colours are the three-colour mode too
    texels = decode_block(F.BC1, struct.pack('<HHI', 0x7BEF, 0x7BEF, CODES))
    assert texels[0, 3].tolist() == [0, 0, 0, 0]
    assert texels[0, 2].tolist() == texels[0, 0].tolist() == [123, 125, 123,
                                                              255]


def test_bc1_channel_expansion():
    # 5 and 6-bit endpoints scale to 0..255 rounding to nearest
    for value in range(32):
        color = (value << 11) | (value << 1 << 5) | value
        texel = decode_block(F.BC1, struct.pack('<HHI', color, 0, 0))[0, 0]
        assert texel.tolist() == [round(value * 255 / 31),
                                  round(2 * value * 255 / 63),
                                  round(value * 255 / 31), 255]


def test_bc2_explicit_alpha():
    alpha = sum(i << (4 * i) for i in range(16))  # texel i has alpha i
    block = struct.pack('<Q', alpha) + struct.pack('<HHI', BLUE, RED, CODES)
    texels = decode_block(F.BC2, block)
    assert texels[..., 3].ravel().tolist() == [17 * i for i in range(16)]
    # the colours always have four entries, even with color0 <= color1
    assert texels[0, 2, :3].tolist() == [85, 0, 170]
    assert texels[0, 3, :3].tolist() == [170, 0, 85]


BC4_EIGHT = [200, 100, 185, 171, 157, 142, 128, 114]
BC4_SIX = [100, 200, 120, 140, 160, 180, 0, 255]


def test_bc4_eight_values():
    # red0 > red1: six values interpolated in sevenths, truncated
    texels = decode_block(F.BC4, bc4_block(200, 100, list(range(8)) * 2))
    assert texels.ravel().tolist() == BC4_EIGHT * 2


def test_bc4_six_values():
    # red0 <= red1: four values in fifths, then 0 and 255
    texels = decode_block(F.BC4, bc4_block(100, 200, list(range(8)) * 2))
    assert texels.ravel().tolist() == BC4_SIX * 2


def test_bc3_and_bc5():
    alpha = bc4_block(200, 100, list(range(8)) * 2)
    texels = decode_block(F.BC3, alpha + struct.pack('<HHI', BLUE, RED,
                                                     CODES))
    assert texels[..., 3].ravel().tolist() == BC4_EIGHT * 2
    assert texels[0, 3].tolist() == [170, 0, 85, 171]
    green = bc4_block(100, 200, list(range(8)) * 2)
    texels = decode_block(F.BC5, alpha + green)
    assert texels.shape == (4, 4, 2)
    assert texels[..., 0].ravel().tolist() == BC4_EIGHT * 2
    assert texels[..., 1].ravel().tolist() == BC4_SIX * 2


# ------------------------------------------------------------------- BC7

BC7_WEIGHTS = {2: [0, 21, 43, 64], 3: [0, 9, 18, 27, 37, 46, 55, 64],
               4: [0, 4, 9, 13, 17, 21, 26, 30, 34, 38, 43, 47, 51, 55, 60,
                   64]}


def interpolate(e0, e1, weight):
    return ((64 - weight) * e0 + weight * e1 + 32) >> 6


def test_bc7_mode6():
    # one subset, 7-bit RGBA endpoints with a P-bit each, 4-bit indices
    e0, e1 = (0x7F, 0x10, 0x00, 0x40), (0x00, 0x70, 0x55, 0x7F)
    bits = Bits().put(1 << 6, 7)
    for c in range(4):
        bits.put(e0[c], 7).put(e1[c], 7)
    bits.put(1, 1).put(0, 1)  # P-bits
    indices = [(3 * i) % 16 for i in range(16)]
    indices[0] = 5  # the anchor index has 3 bits
    bits.put(indices[0], 3)
    for index in indices[1:]:
        bits.put(index, 4)
    texels = decode_block(F.BC7, bits.block()).reshape(16, 4)
    end0 = [(v << 1) | 1 for v in e0]
    end1 = [v << 1 for v in e1]
    for i, index in enumerate(indices):
        weight = BC7_WEIGHTS[4][index]
        assert texels[i].tolist() == [
            interpolate(a, b, weight) for a, b in zip(end0, end1)]


def test_bc7_mode5_rotation():
    # one subset, separate colour and alpha indices, rotation swaps R, A
    bits = Bits().put(1 << 5, 6).put(1, 2)  # rotation 1
    rgb0, rgb1 = (0x40, 0x7F, 0x00), (0x00, 0x20, 0x7F)
    for c in range(3):
        bits.put(rgb0[c], 7).put(rgb1[c], 7)
    bits.put(0xFF, 8).put(0x00, 8)  # alpha endpoints
    color = [i % 4 for i in range(16)]
    alpha = [(i // 4) % 4 for i in range(16)]
    for indices in (color, alpha):
        bits.put(indices[0], 1)  # anchor
        for index in indices[1:]:
            bits.put(index, 2)
    texels = decode_block(F.BC7, bits.block()).reshape(16, 4)

    def expand(v):
        return (v << 1) | (v >> 6)

    for i in range(16):
        cw, aw = BC7_WEIGHTS[2][color[i]], BC7_WEIGHTS[2][alpha[i]]
        r, g, b = (interpolate(expand(rgb0[c]), expand(rgb1[c]), cw)
                   for c in range(3))
        a = interpolate(0xFF, 0x00, aw)
        assert texels[i].tolist() == [a, g, b, r]


def test_bc7_mode1_partition():
    # two subsets (partition 13: top half subset 0), shared P-bits
    bits = Bits().put(0b10, 2).put(13, 6)
    ends = [(10, 20, 30), (40, 50, 60), (1, 2, 3), (61, 62, 63)]
    for c in range(3):
        for e in ends:
            bits.put(e[c], 6)
    bits.put(1, 1).put(0, 1)  # shared P-bit of subset 0, subset 1
    indices = [i % 8 for i in range(16)]
    indices[0] = indices[15] = 3  # anchors of subsets 0 and 1: 2 bits
    for i, index in enumerate(indices):
        bits.put(index, 2 if i in (0, 15) else 3)
    texels = decode_block(F.BC7, bits.block()).reshape(16, 4)

    def expand(v, p):
        v = (v << 1) | p
        return (v << 1) | (v >> 6)

    for i, index in enumerate(indices):
        subset = 0 if i < 8 else 1
        e0, e1 = ends[2 * subset], ends[2 * subset + 1]
        p = 1 - subset
        rgb = [interpolate(expand(e0[c], p), expand(e1[c], p),
                           BC7_WEIGHTS[3][index]) for c in range(3)]
        assert texels[i].tolist() == rgb + [255]


def test_bc7_reserved_mode_is_zero():
    block = bytes([0]) + bytes(range(1, 16))
    assert not decode_block(F.BC7, block).any()


# ------------------------------------------------------------------ BC6H


def bc6h_mode3(r0, r1, indices):
    """Mode 3: one subset, raw 10-bit endpoints, 4-bit indices."""
    bits = Bits().put(0b00011, 5)
    for value in r0 + r1:
        bits.put(value, 10)
    bits.put(indices[0], 3)
    for index in indices[1:]:
        bits.put(index, 4)
    return bits.block()


def test_bc6h_unsigned():
    indices = list(range(16))
    block = bc6h_mode3((0, 0, 1023), (1023, 0, 0), [7] + indices[1:])
    texels = decode_block(F.BC6HU, block).reshape(16, 3)
    assert texels.dtype == numpy.float16
    halfs = texels.view(numpy.uint16)
    for i, index in enumerate([7] + indices[1:]):
        w = BC7_WEIGHTS[4][index]
        # 0 and 1023 unquantize to 0 and 0xFFFF; scaled by 31/64
        up = (((w * 0xFFFF + 32) >> 6) * 31) >> 6
        down = ((((64 - w) * 0xFFFF + 32) >> 6) * 31) >> 6
        assert halfs[i].tolist() == [up, 0, down]
    assert float(texels[15, 0]) == 65504.0


def test_bc6h_signed():
    # 0x3FF is -1: unquantized to -((1 << 15) + 0x4000) >> 9 = -96
    block = bc6h_mode3((0x3FF, 0, 1), (0x1FF, 0, 0x200), [0] * 16)
    halfs = decode_block(F.BC6HS, block).view(numpy.uint16)
    assert halfs[0, 0].tolist() == [0x8000 | (96 * 31 >> 5), 0,
                                    (96 * 31) >> 5]
    # unsigned reads the same bits as large positive values
    halfs = decode_block(F.BC6HU, block).view(numpy.uint16)
    assert halfs[0, 0].tolist() == [0x7BFF, 0, (0x60 * 31) >> 6]


def test_bc6h_mode15_infinity_and_zero():
    # 16-bit endpoints (not unquantized), 4-bit deltas; the top six bits
    # of endpoint 0 are stored reversed
    def reverse6(v):
        return int(f'{v:06b}'[::-1], 2)

    r0, g0 = 0xFFFF, 0x8000  # signed: -1 and -32768
    bits = Bits().put(0b01111, 5).put(r0 & 0x3FF, 10).put(g0 & 0x3FF, 10)
    bits.put(0, 10).put(1, 4).put(reverse6(r0 >> 10), 6)  # R1 = R0 + 1
    bits.put(0, 4).put(reverse6(g0 >> 10), 6).put(0, 4).put(0, 6)
    bits.put(0, 3).put(15, 4).put(0, 56)  # texel 1 is endpoint 1
    block = bits.block()
    halfs = decode_block(F.BC6HS, block).view(numpy.uint16)
    # -1 scales to a zero magnitude: +0.0; -32768 gives -infinity
    assert halfs[0, 0].tolist() == [0x0000, 0xFC00, 0]
    assert halfs[0, 1].tolist() == [0x0000, 0xFC00, 0]
    assert numpy.isneginf(decode_block(F.BC6HS, block)[0, 0, 1])
    halfs = decode_block(F.BC6HU, block).view(numpy.uint16)
    assert halfs[0, 0].tolist() == [0x7BFF, (0x8000 * 31) >> 6, 0]
    assert halfs[0, 1].tolist() == [0, (0x8000 * 31) >> 6, 0]


@pytest.mark.parametrize('code', [0b10011, 0b10111, 0b11011, 0b11111])
def test_bc6h_reserved_modes_are_zero(code):
    block = bytes([code | 0xE0]) + bytes(range(1, 16))
    for fmt in (F.BC6HU, F.BC6HS):
        assert not decode_block(fmt, block).view(numpy.uint16).any()


# ------------------------------------------------------ random checksums

# 32 x 64 texels of random blocks, rng seed 10 * |format| (+1 for BC6HS)
RANDOM_SHA256 = {
    F.BC1: 'bb9ec849ad4ca091e3236593db9da4bcd183996908adc70629e6b2d49d4861a3',
    F.BC2: '8676a3ca09a3bdeb5022c129571bb79f5703435b8d56e00c9b23cf5a8f299924',
    F.BC3: '768ff697f504761060574e11001bececf777e2a7dd21160abe45270130c1e8b6',
    F.BC4: 'a71e1228521408090346df4dee32c57246b540afde46c59bc009839b3ea3c0f0',
    F.BC5: '725f6281fc510f1a2122d9abbb44a402cb17d706fd4639be707021c9c5ce0efd',
    F.BC6HU: '5c515738a8c39ef5a4222c2906548db51507d68decbab1bdeff2ca5aa087e7be',
    F.BC6HS: 'eefa9d71f14cdc6b96387df905f3b5bd8c24b4e982c53e0fe99d023333f609f7',
    F.BC7: '45a2573e6fb8e5380e4c2523916781b3af82ab7171a5473771f65fa529e08cca',
}


def random_blocks(fmt, nblocks):
    rng = numpy.random.default_rng(abs(fmt) * 10 + (fmt < 0))
    return rng.bytes(nblocks * blocksize(fmt))


@pytest.mark.parametrize('fmt', list(F), ids=lambda f: f.name)
def test_random_blocks(fmt):
    data = random_blocks(fmt, 128)
    decoded = bcn_decode(data, fmt, shape=shape_of(fmt, 32, 64))
    assert decoded.shape == shape_of(fmt, 32, 64)
    assert decoded.dtype == (numpy.float16 if abs(fmt) == 6 else numpy.uint8)
    assert sha256(decoded) == RANDOM_SHA256[fmt]
    check_inputs(bcn_decode, data, decoded.tobytes(), format=fmt,
                 shape=decoded.shape)


# the mode bits of the 14 BC6H modes and the 4 reserved ones
BC6H_CODES = [0, 1, 2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27,
              31]


def all_mode_blocks(fmt, nblocks, seed=3):
    """Random blocks cycling through every mode, reserved ones included."""
    blocks = numpy.frombuffer(numpy.random.default_rng(seed).bytes(
        16 * nblocks), numpy.uint8).reshape(nblocks, 16).copy()
    for i in range(nblocks):
        low = int(blocks[i, 0])
        if fmt == F.BC7:
            mode = i % 9  # mode 8: a zero low byte
            low = 0 if mode == 8 else (
                (low & (0xFF << (mode + 1))) | (1 << mode)) & 0xFF
        else:
            code = BC6H_CODES[i % len(BC6H_CODES)]
            low = (low & (0xFC if code < 2 else 0xE0)) | code
        blocks[i, 0] = low
    return blocks.tobytes()


ALL_MODES_SHA256 = {
    F.BC6HU: '7d84ef4868ee1e921050cc635bce7dfe5bff0337654424835f006a7b3a7bb820',
    F.BC6HS: 'b7e83987f9caf2e3ec2a4d5979f8f80b2b66647b118c37337fe41cc80a9a6327',
    F.BC7: 'cbb9bcb58e1e01f93af23879a310388a11c7070393d8b9f02940a231bf651fed',
}


@pytest.mark.parametrize('fmt', [F.BC6HU, F.BC6HS, F.BC7],
                         ids=lambda f: f.name)
def test_all_modes(fmt):
    data = all_mode_blocks(fmt, 64 * 64)
    decoded = bcn_decode(data, fmt, shape=shape_of(fmt, 256, 256))
    assert sha256(decoded) == ALL_MODES_SHA256[fmt]


# ------------------------------------------------------ bcn_decode rules


def test_shapes_and_frames():
    data = random_blocks(F.BC1, 8)
    image = bcn_decode(data, F.BC1, shape=(8, 16, 4))
    frames = bcn_decode(data, F.BC1, shape=(2, 4, 8, 4))
    # consecutive images: the first 4 blocks are the first 4x16 image
    assert frames.shape == (2, 4, 8, 4)
    first = bcn_decode(data[:32], F.BC1, shape=(4, 16, 4))
    assert numpy.array_equal(image[:4], first)
    assert numpy.array_equal(frames[0], bcn_decode(data[:16], F.BC1,
                                                   shape=(4, 8, 4)))
    # the blocks of a row are consecutive
    assert numpy.array_equal(image[:4, :4], decode_block(F.BC1, data[:8]))
    assert numpy.array_equal(image[4:, 12:], decode_block(F.BC1, data[56:]))
    # extra data is ignored, an empty shape decodes nothing
    assert numpy.array_equal(bcn_decode(data + b'x', F.BC1,
                                        shape=(8, 16, 4)), image)
    assert bcn_decode(b'', F.BC4, shape=(0, 8)).shape == (0, 8)


@pytest.mark.parametrize('fmt, shape', [
    (F.BC1, (8, 8)), (F.BC1, (8, 8, 3)), (F.BC1, (6, 8, 4)),
    (F.BC1, (8, 5, 4)), (F.BC4, (8,)), (F.BC4, (8, 6)), (F.BC5, (8, 8, 4)),
    (F.BC6HU, (8, 8, 4)), (F.BC7, (4, 4, 3)), (F.BC7, (-4, 4, 4)),
])
def test_invalid_shape(fmt, shape):
    with pytest.raises(ValueError):
        bcn_decode(bytes(1024), fmt, shape=shape)


def test_parameters():
    with pytest.raises(TypeError):
        bcn_decode(bytes(8), F.BC1)
    for fmt in (0, 8, -7, 2**40, 'BC1'):
        with pytest.raises(BcnError):
            bcn_decode(bytes(8), fmt, shape=(4, 4, 4))
    assert bcn_decode(bytes(8), 1, shape=(4, 4, 4)).shape == (4, 4, 4)
    with pytest.raises(NotImplementedError):
        bcn_encode(b'')
    with pytest.raises(NotImplementedError):
        dds_encode(b'')
    assert bcn_check(b'DDS ') is None
    assert bcn_version() and dds_version()
    assert BCN.available and DDS.available
    assert [int(f) for f in F] == [1, 2, 3, 4, 5, 6, -6, 7]


@pytest.mark.parametrize('fmt', list(F), ids=lambda f: f.name)
def test_truncated(fmt):
    data = random_blocks(fmt, 8)
    shape = shape_of(fmt, 8, 16)
    for size in (0, 1, len(data) - 1):
        with pytest.raises(BcnError):
            bcn_decode(data[:size], fmt, shape=shape)


def test_out():
    data = random_blocks(F.BC7, 8)
    expected = bcn_decode(data, F.BC7, shape=(8, 16, 4))
    out = numpy.zeros((8, 16, 4), numpy.uint8)
    result = bcn_decode(data, F.BC7, out=out)
    assert numpy.shares_memory(result, out)
    assert numpy.array_equal(out, expected)
    buffer = bytearray(8 * 16 * 4 + 3)
    result = bcn_decode(data, F.BC7, shape=(8, 16, 4), out=buffer)
    assert numpy.array_equal(result, expected)
    assert buffer[:512] == expected.tobytes() and buffer[512:] == bytes(3)
    half = numpy.zeros((4, 4, 3), numpy.float16)
    bcn_decode(random_blocks(F.BC6HU, 1), F.BC6HU, out=half)
    assert half.any()
    with pytest.raises(ValueError):
        bcn_decode(data, F.BC7, out=numpy.zeros((8, 16, 4), numpy.uint16))
    with pytest.raises(BcnError):
        bcn_decode(data, F.BC7, shape=(8, 16, 4), out=bytearray(511))
    with pytest.raises(BcnError):
        bcn_decode(data, F.BC7, shape=(8, 16, 4),
                   out=numpy.zeros((8, 8, 4), numpy.uint8))


# ------------------------------------------------------------------- DDS

DDSD_BASE = 0x1007  # CAPS, HEIGHT, WIDTH, PIXELFORMAT
DDSD_MIPMAPCOUNT = 0x20000
DDSD_DEPTH = 0x800000
DDSCAPS2_CUBEMAP = 0x200
DDSCAPS2_ALLFACES = 0xFC00
DDSCAPS2_VOLUME = 0x200000
MISC_TEXTURECUBE = 0x4


def dds_header(width, height, fourcc=b'DXT1', depth=0, mipmaps=0,
               flags=DDSD_BASE, caps2=0, dx10=None):
    """Return DDS magic, DDS_HEADER and maybe DDS_HEADER_DXT10."""
    header = struct.pack('<4s7I44x', b'DDS ', 124, flags, height, width, 0,
                         depth, mipmaps)
    header += struct.pack('<2I4s5I', 32, 0x4, fourcc, 0, 0, 0, 0, 0)
    header += struct.pack('<4I4x', 0x1000, caps2, 0, 0)
    assert len(header) == 128
    if dx10 is not None:
        dxgi, dimension, misc, arraysize = dx10
        header += struct.pack('<5I', dxgi, dimension, misc, arraysize, 0)
    return header


def flat(value):
    """A BC4 block of one value."""
    return bytes([value, value]) + bytes(6)


FOURCCS = [
    (b'DXT1', F.BC1), (b'DXT2', F.BC2), (b'DXT3', F.BC2), (b'DXT4', F.BC3),
    (b'DXT5', F.BC3), (b'ATI1', F.BC4), (b'BC4U', F.BC4), (b'ATI2', F.BC5),
    (b'BC5U', F.BC5),
]
DXGI = [
    (70, F.BC1), (71, F.BC1), (72, F.BC1), (73, F.BC2), (74, F.BC2),
    (75, F.BC2), (76, F.BC3), (77, F.BC3), (78, F.BC3), (79, F.BC4),
    (80, F.BC4), (82, F.BC5), (83, F.BC5), (95, F.BC6HU), (96, F.BC6HS),
    (97, F.BC7), (98, F.BC7), (99, F.BC7),
]


@pytest.mark.parametrize('fourcc, fmt', FOURCCS, ids=lambda x: str(x))
def test_dds_fourcc(fourcc, fmt):
    data = random_blocks(fmt, 8)
    image = dds_decode(dds_header(16, 8, fourcc) + data)
    assert numpy.array_equal(image, bcn_decode(data, fmt,
                                               shape=shape_of(fmt, 8, 16)))
    assert dds_check(dds_header(16, 8, fourcc))


@pytest.mark.parametrize('dxgi, fmt', DXGI, ids=lambda x: str(x))
def test_dds_dx10(dxgi, fmt):
    data = random_blocks(fmt, 8)
    header = dds_header(8, 16, b'DX10', dx10=(dxgi, 3, 0, 1))
    image = dds_decode(header + data)
    assert numpy.array_equal(image, bcn_decode(data, fmt,
                                               shape=shape_of(fmt, 16, 8)))
    check_inputs(dds_decode, header + data, image.tobytes())


@pytest.mark.parametrize('header', [
    dds_header(8, 8, b'DXT0'), dds_header(8, 8, b'BC4S'),
    dds_header(8, 8, b'\0\0\0\0'), dds_header(8, 8, b'DX10',
                                              dx10=(81, 3, 0, 1)),
    dds_header(8, 8, b'DX10', dx10=(28, 3, 0, 1)),
    dds_header(8, 8, b'DX10', dx10=(94, 3, 0, 1)),
])
def test_dds_not_supported(header):
    with pytest.raises(DdsError, match='not supported'):
        dds_decode(header + bytes(1024))


def test_dds_odd_sizes_are_cropped():
    blocks = b''.join(flat(10 * k + 1) for k in range(20))
    image = dds_decode(dds_header(5, 3, b'ATI1') + blocks)
    assert image.tolist() == [[1, 1, 1, 1, 11]] * 3
    image = dds_decode(dds_header(6, 10, b'ATI1') + blocks)
    assert image.shape == (10, 6)
    assert image[:, 4:].tolist() == [[11, 11]] * 4 + [[31, 31]] * 4 + [
        [51, 51]] * 2
    image = dds_decode(dds_header(1, 1, b'DX10', dx10=(80, 3, 0, 1))
                       + blocks)
    assert image.tolist() == [[1]]
    # a colour block of odd size matches the cropped 4x4 decode
    data = random_blocks(F.BC7, 4)
    image = dds_decode(dds_header(7, 5, b'DX10', dx10=(98, 3, 0, 1)) + data)
    full = bcn_decode(data, F.BC7, shape=(8, 8, 4))
    assert numpy.array_equal(image, full[:5, :7])


def mip_chain(width, height, first, depth=1):
    """BC4 blocks of a mipmap chain, level k filled with first + k."""
    data, level = b'', 0
    while True:
        w, h, d = (max(n >> level, 1) for n in (width, height, depth))
        data += flat(first + level) * (((w + 3) // 4) * ((h + 3) // 4) * d)
        if w == h == d == 1:
            return data, level + 1
        level += 1


def test_dds_mipmaps():
    data, levels = mip_chain(16, 8, 1)
    assert levels == 5
    header = dds_header(16, 8, b'ATI1', mipmaps=levels,
                        flags=DDSD_BASE | DDSD_MIPMAPCOUNT)
    for level in range(levels):
        image = dds_decode(header + data, mipmap=level)
        assert image.shape == (max(8 >> level, 1), 16 >> level)
        assert (image == 1 + level).all()
    for level in (-1, levels, 100):
        with pytest.raises(ValueError):
            dds_decode(header + data, mipmap=level)
    # without DDSD_MIPMAPCOUNT the count is ignored
    header = dds_header(16, 8, b'ATI1', mipmaps=levels)
    with pytest.raises(ValueError):
        dds_decode(header + data, mipmap=1)
    # the last level may end the stream, a short one is truncated
    header = dds_header(16, 8, b'ATI1', mipmaps=levels,
                        flags=DDSD_BASE | DDSD_MIPMAPCOUNT)
    with pytest.raises(DdsError):
        dds_decode(header + data[:-1], mipmap=4)
    assert (dds_decode(header + data[:-1], mipmap=3) == 4).all()


def test_dds_cubemap_array_mipmaps():
    # faces of each element follow each other with all their mipmaps
    faces = [mip_chain(8, 8, 10 * i) for i in range(12)]
    data = b''.join(d for d, _ in faces)
    header = dds_header(8, 8, b'DX10', mipmaps=4,
                        flags=DDSD_BASE | DDSD_MIPMAPCOUNT,
                        dx10=(80, 3, MISC_TEXTURECUBE, 2))
    image = dds_decode(header + data)
    assert image.shape == (2, 6, 8, 8)
    assert image[:, :, 0, 0].ravel().tolist() == [10 * i for i in range(12)]
    image = dds_decode(header + data, mipmap=2)
    assert image.shape == (2, 6, 2, 2)
    assert image[:, :, 1, 1].ravel().tolist() == [10 * i + 2
                                                  for i in range(12)]
    # one element: no array dimension; a texture array of three
    header = dds_header(8, 8, b'DX10', dx10=(80, 3, MISC_TEXTURECUBE, 1))
    data = b''.join(flat(i) * 4 for i in range(6))
    assert dds_decode(header + data)[:, 0, 0].tolist() == list(range(6))
    header = dds_header(8, 8, b'DX10', dx10=(80, 3, 0, 3))
    image = dds_decode(header + data)
    assert image.shape == (3, 8, 8) and image[:, 7, 7].tolist() == [0, 1, 2]


def test_dds_legacy_cubemap():
    data = b''.join(flat(i) * 4 for i in range(6))
    header = dds_header(8, 8, b'ATI1',
                        caps2=DDSCAPS2_CUBEMAP | DDSCAPS2_ALLFACES)
    image = dds_decode(header + data)
    assert image.shape == (6, 8, 8)
    assert image[:, 0, 0].tolist() == list(range(6))
    # a partial cube map holds the faces it flags, none flagged means six
    header = dds_header(8, 8, b'ATI1', caps2=DDSCAPS2_CUBEMAP | 0x0C00)
    assert dds_decode(header + data).shape == (2, 8, 8)
    header = dds_header(8, 8, b'ATI1', caps2=DDSCAPS2_CUBEMAP)
    assert dds_decode(header + data).shape == (6, 8, 8)


def test_dds_volume():
    data, levels = mip_chain(8, 4, 1, depth=4)
    header = dds_header(8, 4, b'ATI1', depth=4, mipmaps=levels,
                        flags=DDSD_BASE | DDSD_DEPTH | DDSD_MIPMAPCOUNT,
                        caps2=DDSCAPS2_VOLUME)
    assert levels == 4
    image = dds_decode(header + data)
    assert image.shape == (4, 4, 8) and (image == 1).all()
    image = dds_decode(header + data, mipmap=1)
    assert image.shape == (2, 2, 4) and (image == 2).all()
    image = dds_decode(header + data, mipmap=3)
    assert image.shape == (1, 1, 1) and (image == 4).all()
    # without DDSD_DEPTH the depth is ignored
    header = dds_header(8, 4, b'ATI1', depth=4)
    assert dds_decode(header + data).shape == (4, 8)


def test_dds_out():
    data = random_blocks(F.BC3, 4)
    header = dds_header(8, 8, b'DXT5')
    expected = dds_decode(header + data)
    out = numpy.empty_like(expected)
    assert numpy.shares_memory(dds_decode(header + data, out=out), out)
    assert numpy.array_equal(out, expected)
    with pytest.raises(DdsError):
        dds_decode(header + data, out=bytearray(255))


@pytest.mark.parametrize('data', [
    b'', b'DDS', b'DDS ' + bytes(100), dds_header(8, 8)[:127],
    dds_header(8, 8, b'DX10', dx10=(71, 3, 0, 1))[:147],
    b'XDS ' + dds_header(8, 8)[4:] + bytes(32),
    dds_header(8, 8) + bytes(31), dds_header(0, 8) + bytes(32),
    dds_header(8, 0) + bytes(32),
    dds_header(8, 8, depth=0, flags=DDSD_BASE | DDSD_DEPTH) + bytes(32),
    dds_header(2**31 - 1, 2**31 - 1) + bytes(64),
    dds_header(2**32 - 1, 2**32 - 1) + bytes(64),
    dds_header(2**16, 2**16, depth=2**16,
               flags=DDSD_BASE | DDSD_DEPTH) + bytes(64),
    dds_header(8, 8, b'DX10', dx10=(71, 3, 0, 2**32 - 1)) + bytes(64),
    dds_header(8, 8, b'DX10', dx10=(71, 3, MISC_TEXTURECUBE, 2**31 - 1))
    + bytes(64),
], ids=range(15))
def test_dds_bad_headers(data):
    with pytest.raises(DdsError):
        dds_decode(data)


def test_dds_hostile_mipmap_count():
    # a count beyond the 1x1 level is clamped to the levels that exist
    data, levels = mip_chain(16, 16, 1)
    header = dds_header(16, 16, b'ATI1', mipmaps=2**32 - 1,
                        flags=DDSD_BASE | DDSD_MIPMAPCOUNT)
    assert (dds_decode(header + data, mipmap=levels - 1) == levels).all()
    with pytest.raises(ValueError):
        dds_decode(header + data, mipmap=levels)
    # huge dimensions with mipmaps need more data than there is
    header = dds_header(2**31 - 1, 1, b'ATI1', mipmaps=40,
                        flags=DDSD_BASE | DDSD_MIPMAPCOUNT)
    with pytest.raises(DdsError):
        dds_decode(header + data, mipmap=30)


def test_dds_check():
    assert dds_check(b'DDS \x7c\0\0\0')
    assert not dds_check(b'DDS')
    assert not dds_check(b'XDDS ')
    assert not dds_check(b'')


def test_dds_corrupt():
    data = dds_header(16, 16, b'DX10', mipmaps=3,
                      flags=DDSD_BASE | DDSD_MIPMAPCOUNT,
                      dx10=(98, 3, MISC_TEXTURECUBE, 1))
    data += random_blocks(F.BC7, 6 * 21)
    assert dds_decode(data).shape == (6, 16, 16, 4)
    check_corrupt(dds_decode, data, DdsError, truncations=range(0, 200, 7),
                  trials=200)
    # damage in the header only, where it matters
    rng = numpy.random.default_rng(5)
    for _ in range(300):
        damaged = bytearray(data)
        for pos in rng.integers(4, 148, 2):
            damaged[pos] = int(rng.integers(0, 256))
        try:
            dds_decode(bytes(damaged), mipmap=int(rng.integers(0, 3)))
        except (DdsError, ValueError, MemoryError):
            pass
