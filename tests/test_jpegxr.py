# SPDX-License-Identifier: BSD-3-Clause
"""JPEG XR: samples, round trips of every encodable pixel format, lossy
quality, an independent decoder (jxrlib's JxrDecApp), damaged input."""

import shutil
import struct
import subprocess

import numpy
import pytest

import imagecodecs
from imagecodecs import JpegxrError

from harness import (check_array_out, check_corrupt, require, run_isolated,
                     smooth_image)

pytestmark = pytest.mark.usefixtures('jpegxr')


@pytest.fixture(scope='module')
def jpegxr():
    return require('jpegxr')


def pixel_format(encoded):
    """Return the last byte of the container's pixel format GUID."""
    offset = struct.unpack('<I', encoded[4:8])[0]
    count = struct.unpack('<H', encoded[offset:offset + 2])[0]
    for i in range(count):
        tag, _, n, value = struct.unpack(
            '<HHII', encoded[offset + 2 + 12 * i:offset + 14 + 12 * i])
        if tag == 0xBC01:
            return encoded[value + 15]
    raise AssertionError('no pixel format')


def psnr(a, b, peak):
    mse = numpy.mean((a.astype('f8') - b.astype('f8')) ** 2)
    return float('inf') if mse == 0 else 10 * numpy.log10(peak ** 2 / mse)


def test_constants():
    assert imagecodecs.JPEGXR.PI.RGB == 2
    assert imagecodecs.JPEGXR.PI.CMYK == 5
    assert imagecodecs.JPEGXR.PI.NCH == 100
    assert imagecodecs.jpegxr_version().startswith('jxrlib ')
    assert imagecodecs.jxr_encode is imagecodecs.jpegxr_encode
    assert imagecodecs.jxr_decode is imagecodecs.jpegxr_decode


def test_samples(samples):
    data = (samples / 'rgba32.jxr').read_bytes()
    assert imagecodecs.jpegxr_check(data)
    assert pixel_format(data) == 0x0F  # 32bppBGRA: returned as RGBA
    image = imagecodecs.jpegxr_decode(data)
    assert image.shape == (100, 100, 4) and image.dtype == numpy.uint8
    expected = numpy.fromfile(samples / 'rgba32.jxr.bin', numpy.uint8)
    numpy.testing.assert_array_equal(image.reshape(-1), expected)


def test_sample_fixedpoint(samples):
    # 16bppGrayFixedPoint: int16 with 13 fractional bits
    data = (samples / 'fixedpoint.jxr').read_bytes()
    assert pixel_format(data) == 0x13
    raw = imagecodecs.jpegxr_decode(data, fp2int=True)
    assert raw.shape == (256, 256) and raw.dtype == numpy.int16
    assert raw.std() > 1000
    image = imagecodecs.jpegxr_decode(data)
    assert image.dtype == numpy.float32
    numpy.testing.assert_array_equal(image, raw / numpy.float32(8192))
    assert -4 <= image.min() and image.max() < 4


# (dtype, samples, kwargs) -> pixel format written
FORMATS = {
    ('bool', 1, ()): 0x05,
    ('u1', 1, ()): 0x08,
    ('u2', 1, ()): 0x0B,
    ('f2', 1, ()): 0x3E,
    ('f4', 1, ()): 0x11,
    ('u1', 3, ()): 0x0D,
    ('u2', 3, ()): 0x15,
    ('f2', 3, ()): 0x3B,
    ('f4', 3, ()): 0x27,  # 96bppRGBFloat
    ('u1', 4, ()): 0xE9,  # 32bppRGBA
    ('u2', 4, ()): 0x16,
    ('f2', 4, ()): 0x3A,
    ('f4', 4, ()): 0x19,
    ('u1', 4, (('photometric', 'CMYK'),)): 0x1C,
    ('u2', 4, (('photometric', 'separated'),)): 0x1F,
    ('u1', 5, (('photometric', 5),)): 0x2C,
    ('u2', 5, (('photometric', 'CMYK'),)): 0x2D,
    ('u1', 3, (('photometric', 'MINISBLACK'),)): 0x20,
    ('u1', 4, (('photometric', 1),)): 0x2E,
    ('u2', 4, (('photometric', 'minisblack'),)): 0x34,
    ('u1', 5, ()): 0x22,
    ('u1', 5, (('hasalpha', True),)): 0x2F,
    ('u1', 8, ()): 0x25,
    ('u2', 8, (('hasalpha', True),)): 0x38,
    ('u1', 9, ()): 0x33,
    ('u2', 6, ()): 0x29,
}


@pytest.mark.parametrize('key', list(FORMATS),
                         ids=[f'{d}-{s}-{dict(k)}' for d, s, k in FORMATS])
def test_roundtrip(key):
    dtype, samples, kwargs = key
    shape = (37, 53) if samples == 1 else (37, 53, samples)
    data = smooth_image(shape, dtype, seed=samples)
    if dtype in ('u1', 'u2'):
        # every value of the dtype's range, not only the gradient's
        data.reshape(-1)[:256] = numpy.arange(256) * (257 if dtype == 'u2'
                                                      else 1)
    before = data.copy()
    encoded = imagecodecs.jpegxr_encode(data, **dict(kwargs))
    numpy.testing.assert_array_equal(data, before)  # input untouched
    assert imagecodecs.jpegxr_check(encoded)
    assert pixel_format(encoded) == FORMATS[key]
    decoded = imagecodecs.jpegxr_decode(encoded)
    assert decoded.shape == data.shape and decoded.dtype == data.dtype
    if dtype == 'f4':
        # jxrlib keeps 13 bits of the mantissa by default: close, not exact
        numpy.testing.assert_allclose(decoded, data, rtol=2 ** -12,
                                      atol=1e-5)
    else:
        numpy.testing.assert_array_equal(decoded, data)
    if samples > 1 or dtype != 'bool':
        check_array_out(imagecodecs.jpegxr_decode, encoded, decoded,
                        JpegxrError)


def test_gray_one_sample_and_layouts():
    data = smooth_image((20, 30, 1), 'u1')
    decoded = imagecodecs.jpegxr_decode(imagecodecs.jpegxr_encode(data))
    numpy.testing.assert_array_equal(decoded, data[..., 0])
    # non-contiguous, big-endian and one pixel inputs
    wide = smooth_image((20, 60, 3), 'u2')
    for image in (wide[:, ::2], wide.astype('>u2'),
                  numpy.full((1, 1), 7, 'u1')):
        decoded = imagecodecs.jpegxr_decode(imagecodecs.jpegxr_encode(image))
        numpy.testing.assert_array_equal(decoded, image)


@pytest.mark.parametrize('data', [
    numpy.zeros((0, 4), 'u1'), numpy.zeros(5, 'u1'), numpy.uint8(3),
    numpy.zeros((4, 4), 'i2'), numpy.zeros((4, 4), 'f8'),
    numpy.zeros((4, 4, 2), 'u1'), numpy.zeros((4, 4, 10), 'u1'),
    numpy.zeros((4, 4, 5), 'f4'), numpy.zeros((4, 4, 3), bool)])
def test_encode_refused(data):
    with pytest.raises(JpegxrError) as info:
        imagecodecs.jpegxr_encode(data)
    assert isinstance(info.value, ValueError)


def test_photometric_refused():
    with pytest.raises(ValueError):
        imagecodecs.jpegxr_encode(numpy.zeros((4, 4, 3), 'u1'),
                                  photometric='YCBCR')
    with pytest.raises(ValueError):
        imagecodecs.jpegxr_encode(numpy.zeros((4, 4, 3), 'u1'),
                                  photometric=6)


@pytest.mark.parametrize('dtype, peak, bound', [
    ('u1', 255, 38), ('u2', 65535, 38), ('f2', 100, 35), ('f4', 100, 40)])
def test_lossy(dtype, peak, bound):
    data = smooth_image((64, 80, 3), dtype, noise=0.02)
    lossless = imagecodecs.jpegxr_encode(data)
    sizes = []
    for level in (0.9, 0.6, 0.3):
        encoded = imagecodecs.jpegxr_encode(data, level=level)
        decoded = imagecodecs.jpegxr_decode(encoded)
        assert decoded.shape == data.shape and decoded.dtype == data.dtype
        if level == 0.9:
            assert psnr(decoded, data, peak) > bound
        sizes.append(len(encoded))
    # lower levels are smaller; percentages are levels too
    assert sizes[0] < len(lossless) and sizes == sorted(sizes, reverse=True)
    assert imagecodecs.jpegxr_encode(data, level=60) == (
        imagecodecs.jpegxr_encode(data, level=0.6))
    for level in (None, 0, 1, 1.0, 100):
        assert imagecodecs.jpegxr_encode(data, level=level) == lossless


def test_resolution():
    data = numpy.zeros((8, 8), 'u1')
    encoded = imagecodecs.jpegxr_encode(data, resolution=(300.5, 72))
    offset = struct.unpack('<I', encoded[4:8])[0]
    count = struct.unpack('<H', encoded[offset:offset + 2])[0]
    tags = {}
    for i in range(count):
        tag, _, _, value = struct.unpack(
            '<HHIf', encoded[offset + 2 + 12 * i:offset + 14 + 12 * i])
        tags[tag] = value
    assert (tags[0xBC82], tags[0xBC83]) == (300.5, 72.0)


def test_out():
    data = smooth_image((16, 24, 3), 'u1')
    encoded = imagecodecs.jpegxr_encode(data)
    assert imagecodecs.jpegxr_encode(data, out=bytearray) == encoded
    buffer = bytearray(len(encoded) + 10)
    result = imagecodecs.jpegxr_encode(data, out=buffer)
    assert bytes(result) == encoded
    with pytest.raises(JpegxrError):
        imagecodecs.jpegxr_encode(data, out=len(encoded) - 1)


def test_check():
    assert not imagecodecs.jpegxr_check(b'II*\x00')
    assert not imagecodecs.jpegxr_check(b'')


def test_independent_decoder(tmp_path):
    """Our files decode with jxrlib's command line tool (Debian's
    libjxr-tools) to the same pixels."""
    tool = shutil.which('JxrDecApp')
    if tool is None:
        pytest.skip('JxrDecApp (libjxr-tools) is not installed')
    tifffile = pytest.importorskip('tifffile')
    cases = [smooth_image((33, 47, 3), 'u1'),
             smooth_image((33, 47, 3), 'u2'),
             smooth_image((33, 47), 'u1'),
             smooth_image((33, 47), 'u2')]
    for i, data in enumerate(cases):
        src = tmp_path / f'{i}.jxr'
        dst = tmp_path / f'{i}.tif'
        src.write_bytes(imagecodecs.jpegxr_encode(data))
        subprocess.run([tool, '-i', str(src), '-o', str(dst)], check=True,
                       capture_output=True, timeout=60)
        numpy.testing.assert_array_equal(tifffile.imread(dst), data)


def test_corrupt(samples):
    data = smooth_image((40, 50, 3), 'u1')
    encoded = imagecodecs.jpegxr_encode(data)
    check_corrupt(imagecodecs.jpegxr_decode, encoded, JpegxrError,
                  truncations=(0, 4, 20, len(encoded) // 2,
                               len(encoded) - 1))
    for bad in (b'II\xbc\x01' + b'\xff' * 4, b'II\xbc\x01\x08\x00\x00\x00'):
        with pytest.raises(JpegxrError):
            imagecodecs.jpegxr_decode(bad)


FUZZ = """
import sys
import numpy
import imagecodecs
from imagecodecs import JpegxrError

rng = numpy.random.default_rng(int(sys.argv[1]))
bases = [open(path, 'rb').read() for path in sys.argv[2:]]
image = numpy.clip(numpy.indices((40, 50, 3)).sum(0) * 3, 0, 255)
image = image.astype('u1')
bases += [imagecodecs.jpegxr_encode(image),
          imagecodecs.jpegxr_encode(image, level=0.5),
          imagecodecs.jpegxr_encode(numpy.dstack([image, image[..., :1]])),
          imagecodecs.jpegxr_encode(image[..., 0] > 100),
          imagecodecs.jpegxr_encode(image.astype('f4')),
          imagecodecs.jpegxr_encode(image.astype('u2'), photometric=1)]
for _ in range(150):
    data = bytearray(bases[rng.integers(len(bases))])
    if rng.integers(3) == 0:
        data = data[:rng.integers(len(data))]
    else:
        # the container and bitstream headers are the first 300 bytes
        high = 300 if rng.integers(2) else len(data)
        for pos in rng.integers(0, min(high, len(data)), rng.integers(1, 8)):
            data[pos] ^= int(rng.integers(1, 256))
    try:
        imagecodecs.jpegxr_decode(bytes(data))
    except (JpegxrError, MemoryError):
        pass
print('done')
"""


@pytest.mark.parametrize('seed', range(4))
def test_fuzz_isolated(samples, seed):
    """Damaged and truncated files raise JpegxrError or decode; a crash
    (jxrlib once read and wrote out of bounds) fails the child."""
    result = run_isolated(FUZZ, str(seed), str(samples / 'rgba32.jxr'),
                          str(samples / 'fixedpoint.jxr'))
    assert result.stdout.endswith(b'done\n')


def test_numcodecs():
    numcodecs = pytest.importorskip('numcodecs')
    from imagecodecs import numcodecs as ours

    ours.register_codecs(force=True, verbose=False)
    codec = numcodecs.get_codec({'id': 'imagecodecs_jpegxr'})
    chunk = smooth_image((32, 48, 3), 'u1')
    numpy.testing.assert_array_equal(codec.decode(codec.encode(chunk)),
                                     chunk)
