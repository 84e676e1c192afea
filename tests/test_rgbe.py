# SPDX-License-Identifier: BSD-3-Clause
"""RGBE codec: Radiance RGBE pixels and HDR files."""

import hashlib
import math

import numpy
import pytest

from imagecodecs import RgbeError, rgbe_check, rgbe_decode, rgbe_encode
from harness import (
    check_array_out, check_corrupt, check_inputs, check_out, require,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('rgbe')


def sha256(data):
    return hashlib.sha256(numpy.ascontiguousarray(data)).hexdigest()


def frexp_rgbe(rgb):
    """Return Ward's RGBE of one pixel, computed with math.frexp."""
    v = max(rgb)
    if v < 1e-32:
        return [0, 0, 0, 0]
    m, e = math.frexp(v)
    scale = numpy.float32(m * 256.0 / v)
    return [int(numpy.float32(c) * scale) for c in rgb] + [e + 128]


HEADER = b'#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n'

# Sample: a Radiance file written by Photoshop and its pixels as RGBE.
HDR_SHA256 = '91566dc4dda6bb0bd701999a471c7c9da1cb4a5697f16b943b17d0735cbf35a5'


@pytest.fixture
def sample(samples):
    hdr = (samples / '384x256.hdr').read_bytes()
    raw = (samples / '384x256.rgbe.bin').read_bytes()
    return hdr, raw


def test_sample_decode(sample):
    hdr, raw = sample
    assert rgbe_check(hdr) and not rgbe_check(raw)
    decoded = rgbe_decode(hdr)
    # the resolution line is "-Y 384 +X 256": 384 rows of 256 pixels
    assert decoded.shape == (384, 256, 3) and decoded.dtype == numpy.float32
    assert sha256(decoded) == HDR_SHA256
    assert decoded[0, 0].tolist() == [
        0.006500244140625, 0.00146484375, 0.00067138671875]  # (213, 48, 22, 121)
    assert decoded.max() == 227.0 and decoded.min() == 0.0
    # the run-length encoded file holds the pixels of the raw sample
    pixels = numpy.frombuffer(raw, numpy.uint8).reshape(384, 256, 4)
    numpy.testing.assert_array_equal(rgbe_decode(pixels), decoded)
    check_inputs(rgbe_decode, hdr, decoded.tobytes())


def test_sample_encode(sample):
    hdr, raw = sample
    decoded = rgbe_decode(hdr)
    # exact inverse of the decoder on its values
    assert rgbe_encode(decoded, header=False) == raw
    encoded = rgbe_encode(decoded)
    assert encoded.startswith(HEADER + b'-Y 384 +X 256\n')
    # Photoshop's scanlines are Ward's run-length encoding, like ours
    scanlines = encoded[len(HEADER) + 14:]
    assert hdr.endswith(scanlines)
    assert len(scanlines) == 347993
    assert hashlib.sha256(encoded).hexdigest() == (
        '47336d75b83e1021e0a3c0d12090f9d44c155f1a69a9cb9c8c4bd58f013dbc10'
    )
    assert rgbe_encode(decoded, header=False, rle=True) == scanlines
    numpy.testing.assert_array_equal(rgbe_decode(encoded), decoded)


@pytest.mark.parametrize('rgb, rgbe', [
    ((1, 1, 1), '80808081'),
    ((0.5, 0.25, 0.125), '80402080'),
    ((3, 2, 1), 'c0804082'),
    ((0, 0, 0), '00000000'),
    ((1e-33, 0, 0), '00000000'),  # below 1e-32
    ((1e-32, 0, 0), 'cf000016'),  # float32(1e-32) > 1e-32
    ((2**-106, 0, 0), '80000017'),
    ((2**-107, 0, 0), '00000000'),
    ((1.7e38, 0, 0), 'ff0000ff'),
    ((2**127, 0, 0), '80000000'),  # exponent 256 wraps, like the reference
    ((0.99999994, 0.5, 0), 'ff800080'),
    # like the reference (C conversion to unsigned char on x86):
    ((-0.3, 0.5, 0), 'b4800080'),  # -76.8 -> -76 -> 180
    ((1, 1, -0.001), '80800081'),
    ((-1e30, 0.5, 0), '00800080'),
    ((-5, -5, -5), '00000000'),
    ((math.nan, 1, 1), '00000080'),
    ((1, math.nan, -math.inf), '80000081'),
    ((math.inf, 0, 0), '00000080'),
])
def test_encode_pixel(rgb, rgbe):
    data = numpy.array(rgb, numpy.float32)
    assert rgbe_encode(data, header=False).hex() == rgbe
    if all(math.isfinite(c) and c >= 0 for c in rgb) and max(rgb) < 2**127:
        assert bytes(frexp_rgbe(rgb)).hex() == rgbe


@pytest.mark.parametrize('rgbe, rgb', [
    ((128, 128, 128, 129), (1.0, 1.0, 1.0)),
    ((192, 64, 32, 130), (3.0, 1.0, 0.5)),
    ((1, 2, 3, 0), (0.0, 0.0, 0.0)),
    ((255, 0, 1, 1), (255 * 2.0**-135, 0.0, 2.0**-135)),  # subnormal
    ((255, 255, 255, 255), (255 * 2.0**119,) * 3),
])
def test_decode_pixel(rgbe, rgb):
    decoded = rgbe_decode(numpy.array([rgbe], numpy.uint8))
    assert decoded.dtype == numpy.float32 and decoded.shape == (1, 3)
    assert decoded[0].tolist() == list(rgb)


def test_conversion_random():
    rng = numpy.random.default_rng(1)
    data = rng.standard_normal((20000, 3)).astype(numpy.float32)
    data = numpy.abs(data) * numpy.exp2(
        rng.integers(-110, 120, (20000, 1))).astype(numpy.float32)
    encoded = rgbe_encode(data, header=False)
    expected = b''.join(bytes(frexp_rgbe(p)) for p in data[:2000].tolist())
    assert encoded[:8000] == expected
    pixels = numpy.frombuffer(encoded, numpy.uint8).reshape(-1, 4)
    decoded = rgbe_decode(pixels)
    # the error of each component is below 1/128 of the pixel's maximum;
    # pixels below 1e-32 are zero
    error = numpy.abs(decoded - data)
    bound = numpy.maximum(data.max(axis=1, keepdims=True) / 128, 1e-32)
    assert (error <= bound).all()
    assert (decoded[data.max(axis=1) < 1e-32] == 0).all()
    assert (decoded <= data).all()  # mantissas are rounded down
    # RGBE values are fixed points of the conversion
    assert rgbe_encode(decoded, header=False) == encoded


def test_conversion_pinned():
    # values of every exponent and specials, digests from the reference
    rng = numpy.random.default_rng(2)
    data = rng.standard_normal((4096, 3)).astype(numpy.float32)
    with numpy.errstate(over='ignore'):  # some overflow to infinity
        data *= numpy.exp2(rng.integers(-140, 130, (4096, 1))).astype('f4')
    data[::97] = [math.nan, 1, -1]
    data[::89] = [math.inf, -math.inf, 0]
    encoded = rgbe_encode(data, header=False)
    assert hashlib.sha256(encoded).hexdigest() == RANDOM_SHA256
    assert sha256(rgbe_decode(numpy.frombuffer(encoded, numpy.uint8)
                              .reshape(-1, 4))) == RANDOM_DECODED_SHA256


RANDOM_SHA256 = (
    'b047c20c1c56a61c445e72635d75e26134baabac9fc531c3ba9e3e3f0065ccc6')
RANDOM_DECODED_SHA256 = (
    '273c9d630b3a7d6f77562d5746bc72d9fdcbbc6d33389b4a71e01f97cb4ae6e3')


def image(height, width, seed=0):
    """Return a float32 image with runs, repeats and noise."""
    rng = numpy.random.default_rng(seed)
    data = rng.random((height, width, 3), numpy.float32) * 4
    levels = numpy.round(data * 2) / 8
    data = numpy.where(rng.random((height, width, 1)) < 0.6, levels, data)
    data[:, width // 3:width // 2] = 0.75
    return data.astype(numpy.float32)


# Two scanlines of 10 pixels whose channels make runs, short runs and
# literals; the encoding is Ward's, cross-checked with the reference.
RUNS = numpy.stack([
    numpy.float32([[1, 1, 2, 3, 3, 3, 3, 3, 4, 5], [7, 7] + [9] * 8]),
    numpy.full((2, 10), 200, numpy.float32),
    numpy.float32([numpy.arange(10) * 11 + 1, numpy.arange(10) + 100]),
], axis=-1) / 128
RUNS_RLE = bytes.fromhex(
    '0202000a'
    '03010102' '8503' '020405'        # red: literal 3, run of 5, literal 2
    '8ac8'                            # green: run of 10
    '0a010c17222d38434e5964'          # blue: literal 10
    '8a81'                            # exponent: run of 10
    '0202000a'
    '8207' '8809'                     # red: short run of 2, run of 8
    '8ac8' '0a6465666768696a6b6c6d' '8a81'
)


def test_rle_exact():
    assert rgbe_encode(RUNS, header=False, rle=True) == RUNS_RLE
    encoded = rgbe_encode(RUNS)
    assert encoded == HEADER + b'-Y 2 +X 10\n' + RUNS_RLE
    numpy.testing.assert_array_equal(rgbe_decode(encoded), RUNS)
    check_out(rgbe_encode, RUNS, encoded, RgbeError)


def test_rle_constant_scanline():
    data = numpy.ones((1, 8, 3), numpy.float32)
    assert rgbe_encode(data, header=False, rle=True).hex() == (
        '02020008' '8880' '8880' '8880' '8881'
    )


def test_rle_long_runs_and_literals():
    # runs of at most 127, literals of at most 128 bytes
    data = numpy.zeros((1, 300, 3), numpy.float32)
    data[0, :, 0] = (numpy.arange(300) % 200 + 56) / 256
    data[0, :, 1] = 0.5
    encoded = rgbe_encode(data, header=False, rle=True)
    red = bytes(range(56, 256)) + bytes(range(56, 156))
    assert encoded == (
        bytes([2, 2, 1, 44])
        + b'\x80' + red[:128] + b'\x80' + red[128:256] + b'\x2c' + red[256:]
        + b'\xff\x80\xff\x80\xae\x80'  # green: 127 + 127 + 46
        + b'\xff\x00\xff\x00\xae\x00'
        + b'\xff\x80\xff\x80\xae\x80'
    )
    numpy.testing.assert_array_equal(rgbe_decode(encoded, out=numpy.empty(
        (1, 300, 3), numpy.float32)), data)


@pytest.mark.parametrize('shape', [
    (3,), (1, 3), (5, 3), (1, 1, 3), (2, 7, 3), (3, 8, 3), (4, 9, 3),
    (2, 127, 3), (2, 129, 3), (3, 300, 3), (2, 2, 20, 3), (0, 3),
    (0, 5, 3), (4, 0, 3),
], ids=str)
@pytest.mark.parametrize('rle', [None, False, True])
def test_roundtrip(shape, rle):
    height = int(numpy.prod(shape[:-2])) if len(shape) > 1 else 1
    width = shape[-2] if len(shape) > 1 else 1
    data = image(height, width, seed=width).reshape(shape)
    pixels = numpy.frombuffer(rgbe_encode(data, header=False), numpy.uint8)
    quantized = rgbe_decode(pixels.reshape(-1, 4)).reshape(shape)
    encoded = rgbe_encode(data, rle=rle)
    assert encoded.startswith(HEADER + b'-Y %d +X %d\n' % (height, width))
    decoded = rgbe_decode(encoded)
    assert decoded.shape == (height, width, 3)
    numpy.testing.assert_array_equal(decoded, quantized.reshape(decoded.shape))
    # the same scanlines without header decode into the shape of out
    scanlines = rgbe_encode(data, header=False, rle=rle)
    out = numpy.empty(shape, numpy.float32)
    if len(shape) > 1:
        result = rgbe_decode(scanlines, out=out)
        numpy.testing.assert_array_equal(result, quantized)
        numpy.testing.assert_array_equal(out, quantized)


def test_rle_used_for_widths_8_to_32767():
    for width, rle in ((7, False), (8, True), (32767, True), (32768, False)):
        data = numpy.full((1, width, 3), 0.5, numpy.float32)
        scanlines = rgbe_encode(data, header=False, rle=True)
        assert scanlines.startswith(b'\x02\x02') == rle, width
        assert len(scanlines) == (4 + 8 * math.ceil(width / 127) if rle
                                  else 4 * width)
        numpy.testing.assert_array_equal(
            rgbe_decode(HEADER + b'-Y 1 +X %d\n' % width + scanlines), data)
    # flat scanlines unless rle
    data = numpy.full((2, 8, 3), 0.5, numpy.float32)
    assert rgbe_encode(data, rle=False).endswith(b'\x80\x80\x80\x80' * 16)


def test_encode_defaults():
    data = image(2, 9)
    assert rgbe_encode(data) == rgbe_encode(data, header=True, rle=True)
    assert rgbe_encode(data, header=False) == rgbe_encode(data, header=False,
                                                          rle=False)
    assert len(rgbe_encode(data, header=False)) == 2 * 9 * 4
    check_out(rgbe_encode, data, rgbe_encode(data), RgbeError)
    check_out(rgbe_encode, data, rgbe_encode(data, header=False), RgbeError,
              header=False)


def test_encode_byteorder_and_strides():
    data = image(3, 10)
    expected = rgbe_encode(data)
    assert rgbe_encode(data.astype('>f4')) == expected
    wide = numpy.zeros((3, 20, 3), numpy.float32)
    wide[:, ::2] = data
    assert rgbe_encode(wide[:, ::2]) == expected


@pytest.mark.parametrize('data', [
    numpy.zeros((2, 3, 3), numpy.float64), numpy.zeros((2, 3, 3), 'f2'),
    numpy.zeros((2, 3, 3), numpy.uint8), numpy.zeros((2, 3, 4), 'f4'),
    numpy.float32(1), [[[1.0, 2.0, 3.0]]], b'\0' * 12,
])
def test_encode_invalid(data):
    with pytest.raises(ValueError):
        rgbe_encode(data)


def test_encode_too_large():
    # the size line holds 32-bit integers; a broadcast view costs no memory
    data = numpy.broadcast_to(numpy.float32(0), (3, 2**31, 3))
    with pytest.raises(ValueError):
        rgbe_encode(data)


def test_decode_pixels():
    data = numpy.random.default_rng(3).integers(0, 256, (2, 3, 5, 4),
                                                numpy.uint8)
    decoded = rgbe_decode(data)
    assert decoded.shape == (2, 3, 5, 3)
    scale = numpy.where(data[..., 3:] > 0,
                        numpy.exp2(data[..., 3:].astype(float) - 136), 0)
    numpy.testing.assert_array_equal(decoded, data[..., :3] * scale)
    # strides, out, header ignored like the reference
    numpy.testing.assert_array_equal(rgbe_decode(data[:, ::2]),
                                     decoded[:, ::2])
    out = numpy.empty((2, 3, 5, 3), numpy.float32)
    rgbe_decode(data, out=out, header=True)
    numpy.testing.assert_array_equal(out, decoded)
    assert rgbe_decode(numpy.zeros((0, 4), numpy.uint8)).shape == (0, 3)
    with pytest.raises(ValueError):
        rgbe_decode(data.astype(numpy.int8))
    with pytest.raises(ValueError):
        rgbe_decode(data[..., :3])
    with pytest.raises(RgbeError):
        rgbe_decode(data, out=numpy.empty((2, 3, 5, 2), numpy.float32))


def test_decode_out():
    data = image(4, 9)
    encoded = rgbe_encode(data)
    expected = rgbe_decode(encoded)
    check_array_out(rgbe_decode, encoded, expected, RgbeError)
    with pytest.raises(ValueError):
        rgbe_decode(encoded, out=memoryview(bytearray(expected.nbytes + 1))[1:])


def test_check():
    assert rgbe_check(b'#?RADIANCE\n') is True
    assert rgbe_check(b'#?') is True
    assert rgbe_check(bytearray(b'#?RGBE')) is True
    assert rgbe_check(b'#') is False
    assert rgbe_check(b' #?RADIANCE') is False
    assert rgbe_check(b'') is False


FLAT = bytes([128, 64, 32, 129]) * 3  # three pixels (1, 0.5, 0.25)
FLAT_DECODED = [[[1.0, 0.5, 0.25]] * 3]


@pytest.mark.parametrize('header', [
    HEADER + b'-Y 1 +X 3\n',
    b'#?RGBE\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 3\n',
    b'#?RADIANCE\n# comment\nEXPOSURE=1.0\nFORMAT=32-bit_rle_rgbe\n'
    b'GAMMA=2.2\n\n-Y 1 +X 3\n',
    b'FORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 3\n',  # no program line
    b'garbage\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 3\n',
    b'#?RADIANCE\nFORMAT=32-bit_rle_xyze\n\n-Y 1 +X 3\n',
    b'#?RADIANCE\n#' + b'x' * 300 + b'\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 3\n',
    HEADER + b'-Y  1  +X  3 \n',
    HEADER + b'-Y +1 +X 3\n',
    HEADER + b'-Y 1 +X 3 trailing\n',
    HEADER + b'-Y1+X3\n',
], ids=range(11))
def test_header(header):
    for kwargs in ({}, {'header': True}):
        assert rgbe_decode(header + FLAT, **kwargs).tolist() == FLAT_DECODED


@pytest.mark.parametrize('header', [
    b'#?RADIANCE\n\n-Y 1 +X 3\n',  # no FORMAT line
    b'#?RADIANCE\nFORMAT=32-bit_rle_foo\n\n-Y 1 +X 3\n',
    b'#?RADIANCE\nFORMAT=32-bit_rle_rgbe \n\n-Y 1 +X 3\n',
    b'#?RADIANCE\n\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 3\n',
    b'#?RADIANCE\r\nFORMAT=32-bit_rle_rgbe\r\n\r\n-Y 1 +X 3\r\n',
    HEADER + b'+Y 1 +X 3\n',  # other orientations are not supported
    HEADER + b'-Y 1 -X 3\n',
    HEADER + b'+X 3 -Y 1\n',
    HEADER + b' -Y 1 +X 3\n',
    HEADER + b'\n-Y 1 +X 3\n',
    HEADER + b'-Y 0x1 +X 3\n',
    HEADER + b'-Y -1 +X 3\n',
    HEADER + b'-Y 1 +X\n',
    HEADER + b'-Y 4294967297 +X 3\n',
    HEADER + b'-Y 1 +X 3',  # no newline: pixels are read as the line
    HEADER,
    b'#?',
    b'#?RADIANCE\nFORMAT=32-bit_rle_rgbe',
], ids=range(18))
def test_header_invalid(header):
    with pytest.raises(RgbeError):
        rgbe_decode(header + FLAT)


def test_header_detection():
    # header=None takes data for a file if it starts with '#?' or its text
    # before the first NUL holds a FORMAT line, like the reference
    with pytest.raises(RgbeError, match='header'):
        rgbe_decode(FLAT)
    with pytest.raises(RgbeError):
        rgbe_decode(b'#\0' + HEADER[2:] + b'-Y 1 +X 3\n' + FLAT)
    assert rgbe_decode(b'x' * 5000 + b'\n' + HEADER[11:] + b'-Y 1 +X 3\n'
                       + FLAT).tolist() == FLAT_DECODED
    out = numpy.empty((1, 3, 3), numpy.float32)
    assert rgbe_decode(FLAT, out=out).tolist() == FLAT_DECODED
    assert rgbe_decode(FLAT, header=False, out=out).tolist() == FLAT_DECODED
    with pytest.raises(RgbeError):
        rgbe_decode(FLAT, header=True, out=out)
    with pytest.raises(RgbeError):
        rgbe_decode(HEADER + b'-Y 1 +X 3\n' + FLAT, header=False, out=out)
    with pytest.raises(RgbeError):
        rgbe_decode(FLAT, header=False)  # the shape is unknown
    with pytest.raises(RgbeError):
        rgbe_decode(FLAT, out=numpy.empty((1, 3, 3), numpy.float64))


def test_empty():
    assert rgbe_decode(HEADER + b'-Y 0 +X 3\n').shape == (0, 3, 3)
    assert rgbe_decode(HEADER + b'-Y 2 +X 0\n').shape == (2, 0, 3)
    assert rgbe_encode(numpy.zeros((2, 0, 3), numpy.float32)) == (
        HEADER + b'-Y 2 +X 0\n')
    assert rgbe_encode(numpy.zeros((0, 3), numpy.float32), header=False) == b''


def test_mixed_scanlines():
    # a scanline not starting with 2, 2 starts the flat rest of the image
    rle = bytes([2, 2, 0, 8, 136, 128, 136, 128, 136, 128, 136, 129])
    flat = bytes([128, 64, 32, 129]) * 8
    decoded = rgbe_decode(HEADER + b'-Y 2 +X 8\n' + rle + flat)
    assert decoded[0].tolist() == [[1.0, 1.0, 1.0]] * 8
    assert decoded[1].tolist() == [[1.0, 0.5, 0.25]] * 8
    with pytest.raises(RgbeError):
        rgbe_decode(HEADER + b'-Y 2 +X 8\n' + flat + rle)  # too short
    # a flat pixel of 2, 2, >= 128 is no scanline start
    pixel = bytes([2, 2, 128, 140])
    decoded = rgbe_decode(HEADER + b'-Y 1 +X 8\n' + pixel * 8)
    assert decoded[0, 0].tolist() == [2 * 16.0, 2 * 16.0, 128 * 16.0]
    # old-style runs (1, 1, 1, n) are pixels, like the reference
    decoded = rgbe_decode(HEADER + b'-Y 1 +X 3\n' + FLAT[:4] +
                          bytes([1, 1, 1, 7]) + bytes(4))
    assert decoded[0, 1].tolist() == [2.0**-129] * 3


@pytest.mark.parametrize('scanline', [
    [2, 2, 0, 9, 136, 128, 136, 128, 136, 128, 136, 129],  # width 9
    [2, 2, 0, 8, 128, 5, 136, 128, 136, 128, 136, 129],  # literal of 128
    [2, 2, 0, 8, 0, 136, 128, 136, 128, 136, 128, 136, 129],  # literal of 0
    [2, 2, 0, 8, 137, 128, 136, 128, 136, 128, 136, 129],  # run overflows
    [2, 2, 0, 8, 9] + [1] * 9 + [136, 128, 136, 128, 136, 129],
    [2, 2, 0, 8, 136, 128, 136, 128, 136, 128, 136],  # truncated
    [2, 2, 0, 8, 136, 128, 136, 128, 136, 128, 4, 1, 2],
    [2, 2, 0],
    [2, 2, 0, 8, 136, 128, 136, 128, 136, 128, 136, 129, 0],  # extra byte
], ids=range(9))
def test_rle_invalid(scanline):
    with pytest.raises(RgbeError):
        rgbe_decode(HEADER + b'-Y 1 +X 8\n' + bytes(scanline))


def test_hostile_sizes():
    # nothing is allocated for sizes the data cannot hold
    for size in (b'-Y 100000 +X 100000', b'-Y 2147483647 +X 2147483647',
                 b'-Y 2147483647 +X 7', b'-Y 1 +X 2147483647'):
        with pytest.raises(RgbeError, match='short'):
            rgbe_decode(HEADER + size + b'\n' + FLAT)


def test_trailing_data():
    with pytest.raises(RgbeError, match='after'):
        rgbe_decode(HEADER + b'-Y 1 +X 3\n' + FLAT + b'abcd')


@pytest.mark.parametrize('shape, rle', [
    ((5, 20), True), ((4, 6), True), ((3, 40), False)], ids=str)
def test_corrupt(shape, rle):
    encoded = rgbe_encode(image(*shape), rle=rle)
    check_corrupt(rgbe_decode, encoded, RgbeError, trials=300)
    check_corrupt(rgbe_decode, encoded, RgbeError, trials=100,
                  truncations=range(0, len(encoded), 7))
