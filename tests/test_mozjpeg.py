# SPDX-License-Identifier: BSD-3-Clause
"""MOZJPEG codec over mozjpeg: 8-bit JPEG with mozjpeg's compression
profile, in one process with JPEG8's libjpeg-turbo.

Encodings are read back by Pillow and by jpeg8_decode (libjpeg-turbo);
samples are compared with Pillow and jpeg8_decode.
"""

import io
import math

import numpy
import pytest

import imagecodecs
from imagecodecs import (
    MOZJPEG, MozjpegError, jpeg8_check, jpeg8_decode, jpeg8_encode,
    mozjpeg_check, mozjpeg_decode, mozjpeg_encode, mozjpeg_version,
)
from harness import (
    check_array_out, check_corrupt, check_inputs, check_out, require,
    run_isolated,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('mozjpeg')


def psnr(a, b, maxval=255):
    mse = numpy.mean((a.astype(float) - b.astype(float)) ** 2)
    return math.inf if mse == 0 else 10 * math.log10(maxval**2 / mse)


def pillow_decode(data):
    image = pytest.importorskip('PIL.Image')
    return numpy.asarray(image.open(io.BytesIO(data)))


def natural_image(shape=(192, 256, 3), seed=1):
    """Return a photo-like image: soft blobs of colour, a few hard edges,
    some texture and sensor noise (reproducible, no sample file)."""
    rng = numpy.random.default_rng(seed)
    height, width = shape[:2]
    samples = shape[2] if len(shape) > 2 else 1
    y, x = numpy.mgrid[:height, :width].astype(float)
    image = numpy.zeros((height, width, samples))
    size = min(height, width)
    for _ in range(12):
        cy, cx = rng.uniform(0, height), rng.uniform(0, width)
        radius = rng.uniform(0.05, 0.3) * size
        blob = numpy.exp(-((y - cy)**2 + (x - cx)**2) / (2 * radius**2))
        image += blob[..., None] * rng.uniform(-50, 60, samples)
    for _ in range(4):
        y0, x0 = rng.integers(0, height), rng.integers(0, width)
        edge = int(rng.integers(size // 8, size // 3 + 2))
        # edges and fine detail are mostly of luminance, as in photos
        image[y0:y0 + edge, x0:x0 + edge] += rng.uniform(-40, 40) + (
            rng.uniform(-8, 8, samples))
    image += 12 * numpy.sin(x / 3.1 + y / 7.3)[..., None]
    image += rng.normal(0, 3, (height, width, 1)) + 110
    image += rng.normal(0, 1, image.shape)
    image = numpy.clip(numpy.rint(image), 0, 255).astype(numpy.uint8)
    return image if len(shape) > 2 else image[..., 0]


def sof(encoded):
    """Return the start-of-frame marker code (0xC0 baseline, 0xC2
    progressive), found by walking the marker segments."""
    pos = 2
    while encoded[pos] == 0xFF and not 0xC0 <= encoded[pos + 1] <= 0xC3:
        pos += 2 + int.from_bytes(encoded[pos + 2:pos + 4], 'big')
    assert encoded[pos] == 0xFF
    return encoded[pos + 1]


def test_constants_and_version():
    assert MOZJPEG.available is True
    assert list(MOZJPEG.CS.__members__) == list(
        imagecodecs.JPEG8.CS.__members__)
    assert all(int(MOZJPEG.CS[n]) == int(imagecodecs.JPEG8.CS[n])
               for n in MOZJPEG.CS.__members__)
    assert MOZJPEG.CS.YCbCr == 3 and MOZJPEG.CS.RGB565 == 16
    assert MOZJPEG.CS.__qualname__ == 'MOZJPEG.CS'
    assert mozjpeg_version().startswith('mozjpeg 5.')
    assert issubclass(MozjpegError, RuntimeError)


def test_check(samples):
    # the check JPEG8 has (tested there), over the same code
    assert mozjpeg_check(mozjpeg_encode(natural_image((8, 8)))) is True
    assert mozjpeg_check(b'\xff\xd8') is False
    heads = [b'', b'\x89PNG\r\n\x1a\n', b'\xff\xd8\xff\xe0\x00\x10JFXX']
    heads += [path.read_bytes()[:16] for path in samples.iterdir()
              if path.is_file()]
    for head in heads:
        assert mozjpeg_check(head) is jpeg8_check(head), head


@pytest.mark.parametrize('name, shape', [
    ('gray.u1.jpg', (32, 31)), ('rgb.u1.jpg', (32, 31, 3)),
    ('rgba.u1.jpg', (32, 31, 4)),
])
def test_samples_8bit_like_pillow_and_jpeg8(samples, name, shape):
    data = (samples / name).read_bytes()
    decoded = mozjpeg_decode(data)
    assert decoded.dtype == 'uint8' and decoded.shape == shape
    expected = pillow_decode(data)
    if shape[-1] == 4:
        # CMYK without Adobe marker: we return it as stored, Pillow inverts
        expected = 255 - expected
    numpy.testing.assert_allclose(decoded, expected, atol=1)
    numpy.testing.assert_allclose(decoded, jpeg8_decode(data), atol=1)


def test_sample_tables(samples):
    data = (samples / 'bytes.jpeg8.bin').read_bytes()
    tables = (samples / 'bytes.jpeg8_tables.bin').read_bytes()
    with pytest.raises(MozjpegError):
        mozjpeg_decode(data)  # abbreviated: no quantization tables
    numpy.testing.assert_array_equal(
        mozjpeg_decode(data, tables=tables),
        numpy.arange(256, dtype='u1').reshape(16, 16))


@pytest.mark.parametrize('name', ['gray.u2.jpg', 'ljpeg'])
def test_12bit_and_lossless_refused(samples, name):
    if name == 'ljpeg':
        path = sorted((samples / 'ljpeg').iterdir())[0]
        data = path.read_bytes()
    else:
        data = (samples / name).read_bytes()
    jpeg8_decode(data)  # valid
    with pytest.raises(MozjpegError, match='8-bit DCT only'):
        mozjpeg_decode(data)


@pytest.mark.parametrize('shape', [(48, 64), (48, 64, 3), (33, 47, 3),
                                   (40, 24, 4)])
@pytest.mark.parametrize('kwargs', [
    {}, {'optimize': False}, {'progressive': False}, {'notrellis': True},
    {'quanttable': 0}, {'optimize': False, 'progressive': True},
    {'subsampling': '444'}, {'smoothing': 10},
], ids=lambda k: ','.join(f'{a}={b}' for a, b in k.items()) or 'default')
def test_roundtrip_psnr(shape, kwargs):
    data = natural_image(shape, seed=len(shape))
    encoded = mozjpeg_encode(data, level=90, **kwargs)
    assert mozjpeg_check(encoded)
    decoded = mozjpeg_decode(encoded)
    assert decoded.dtype == 'uint8' and decoded.shape == data.shape
    assert psnr(decoded, data) >= 35
    # libjpeg-turbo decodes it alike
    numpy.testing.assert_allclose(jpeg8_decode(encoded), decoded, atol=1)
    if len(shape) == 2 or shape[2] == 3:
        numpy.testing.assert_allclose(pillow_decode(encoded), decoded,
                                      atol=1)


def test_smaller_than_jpeg8():
    # mozjpeg's profile (trellis quantisation, scans searched for size)
    # beats libjpeg-turbo's output at the same level, optimized or not
    data = natural_image((192, 256, 3))
    for level in (50, 75, 90):
        ours = mozjpeg_encode(data, level=level)
        assert len(ours) <= len(jpeg8_encode(data, level=level,
                                             optimize=True))
        assert psnr(mozjpeg_decode(ours), data) > 28


def test_profiles_and_scans():
    data = natural_image((64, 80, 3))
    default = mozjpeg_encode(data, level=80)
    assert sof(default) == 0xC2  # progressive
    assert mozjpeg_encode(data, level=80, optimize=True) == default
    assert sof(mozjpeg_encode(data, level=80, progressive=False)) == 0xC0
    fastest = mozjpeg_encode(data, level=80, optimize=False)
    assert sof(fastest) == 0xC0
    assert sof(mozjpeg_encode(data, level=80, optimize=False,
                              progressive=True)) == 0xC2
    # the libjpeg-compatible profile writes what libjpeg-turbo writes
    assert fastest == jpeg8_encode(data, level=80)
    assert len(default) < len(fastest)


def test_trellis_and_quanttables():
    data = natural_image((64, 80, 3))
    default = mozjpeg_encode(data, level=75)
    notrellis = mozjpeg_encode(data, level=75, notrellis=True)
    assert notrellis != default and len(notrellis) > len(default)
    assert mozjpeg_encode(data, level=75, notrellis=False) == default
    # the profile's base table is 3
    assert mozjpeg_encode(data, level=75, quanttable=3) == default
    sizes = {len(mozjpeg_encode(data, level=75, quanttable=index))
             for index in range(9)}
    assert len(sizes) > 4
    # table 0 is the JPEG standard's: as libjpeg with trellis off
    assert mozjpeg_encode(data, level=75, optimize=False,
                          quanttable=0) == jpeg8_encode(data, level=75)
    for bad in (-1, 9):
        with pytest.raises(MozjpegError):
            mozjpeg_encode(data, quanttable=bad)
        with pytest.raises(ValueError):
            mozjpeg_encode(data, quanttable=bad)


def test_level():
    data = natural_image((64, 80, 3))
    # mozjpeg's default quality is 75
    assert mozjpeg_encode(data) == mozjpeg_encode(data, level=75)
    sizes = [len(mozjpeg_encode(data, level=q)) for q in (10, 50, 95)]
    assert sizes == sorted(sizes) and len(set(sizes)) == 3
    assert mozjpeg_encode(data, level=200) == mozjpeg_encode(data,
                                                             level=100)


def test_subsampling_and_colorspaces():
    data = natural_image((48, 64, 3))
    s444 = mozjpeg_encode(data, level=90, subsampling='444')
    s420 = mozjpeg_encode(data, level=90, subsampling=(2, 2))
    assert len(s420) < len(s444)
    assert psnr(pillow_decode(s420), data) > 30
    with pytest.raises(ValueError):
        mozjpeg_encode(data, subsampling='433')
    # a grey stream of an RGB image, and RGB stored without YCbCr
    gray = mozjpeg_decode(mozjpeg_encode(data, outcolorspace='GRAY'))
    assert gray.shape == (48, 64)
    rgb = mozjpeg_encode(data, level=95, outcolorspace=MOZJPEG.CS.RGB)
    assert psnr(mozjpeg_decode(rgb), data) > 35
    numpy.testing.assert_allclose(
        mozjpeg_decode(mozjpeg_encode(data), outcolorspace='GRAYSCALE'),
        mozjpeg_decode(mozjpeg_encode(data), colorspace='YCbCr',
                       outcolorspace=1), atol=0)
    with pytest.raises(MozjpegError):
        mozjpeg_decode(s444, outcolorspace='RGB565')


def test_header_and_shape():
    data = natural_image((40, 56, 3))
    encoded = mozjpeg_encode(data, progressive=False)
    expected = mozjpeg_decode(encoded)
    sos = encoded.index(b'\xff\xda')
    # a TIFF strip: the header goes apart, the EOI is added back
    numpy.testing.assert_array_equal(
        mozjpeg_decode(encoded[sos:-2], header=encoded[:sos]), expected)
    # a frame header with height 0 takes it from shape
    patched = bytearray(encoded)
    pos = patched.index(b'\xff\xc0')
    patched[pos + 5:pos + 7] = b'\x00\x00'
    numpy.testing.assert_array_equal(
        mozjpeg_decode(bytes(patched), shape=(40, 56)), expected)


def test_decode_out_and_inputs():
    data = natural_image((24, 40, 3))
    encoded = mozjpeg_encode(data)
    expected = mozjpeg_decode(encoded)
    check_array_out(mozjpeg_decode, encoded, expected, MozjpegError)
    check_inputs(mozjpeg_decode, encoded, expected.tobytes())


def test_encode_out():
    data = natural_image((16, 24))
    check_out(mozjpeg_encode, data, mozjpeg_encode(data), MozjpegError)


@pytest.mark.parametrize('shape', [(1, 1), (1, 1, 3), (1, 9), (9, 1, 4)])
def test_one_pixel_and_thin(shape):
    data = numpy.full(shape, 77, 'u1')
    decoded = mozjpeg_decode(mozjpeg_encode(data, level=95))
    assert decoded.shape == shape
    assert numpy.abs(decoded.astype(int) - 77).max() <= 2


def test_noncontiguous_and_byteorder():
    view = natural_image((40, 60, 3))[::2, ::3]
    assert not view.flags.c_contiguous
    assert mozjpeg_encode(view) == mozjpeg_encode(numpy.ascontiguousarray(
        view))
    assert mozjpeg_encode(view.view('|u1')) == mozjpeg_encode(view)
    fortran = numpy.asfortranarray(natural_image((20, 30)))
    assert mozjpeg_encode(fortran) == mozjpeg_encode(
        numpy.ascontiguousarray(fortran))


@pytest.mark.parametrize('data', [
    numpy.uint8(5), numpy.zeros((0, 4), 'u1'), numpy.zeros((4, 0, 3), 'u1'),
    numpy.zeros((4, 4), 'u2'), numpy.zeros((4, 4), '>u2'),
    numpy.zeros((4, 4), 'i1'), numpy.zeros((4, 4), 'f4'),
    numpy.zeros((4, 4), bool), numpy.zeros((4, 4, 5), 'u1'),
    numpy.zeros((2, 4, 4, 3), 'u1'), numpy.zeros((65501, 1), 'u1'),
], ids=lambda a: f'{a.shape}{a.dtype}')
def test_encode_rejects(data):
    with pytest.raises(MozjpegError):
        mozjpeg_encode(data)
    with pytest.raises(ValueError):
        mozjpeg_encode(data)


def test_corrupt_and_truncated():
    data = natural_image((32, 40, 3))
    for encoded in (mozjpeg_encode(data),
                    mozjpeg_encode(data, progressive=False)):
        header = encoded.index(b'\xff\xda')
        # cut inside the headers: an error; inside the entropy-coded data:
        # an image (libjpeg's warning is ignored, as by JPEG8)
        check_corrupt(mozjpeg_decode, encoded, MozjpegError,
                      truncations=(0, 1, 2, 3, 20, header - 1, header + 4))
        assert mozjpeg_decode(encoded[:len(encoded) * 3 // 4]).shape == (
            data.shape)
    for bad in (b'', b'\xff\xd8', b'abc', b'\xff\xd8\xff\xe0' + bytes(10)):
        with pytest.raises(MozjpegError):
            mozjpeg_decode(bad)


def test_implausible_size_refused():
    data = bytearray(mozjpeg_encode(numpy.zeros((8, 8, 3), 'u1'),
                                    progressive=False))
    pos = data.index(b'\xff\xc0')
    data[pos + 5:pos + 9] = (65500).to_bytes(2, 'big') * 2
    with pytest.raises(MozjpegError):
        mozjpeg_decode(bytes(data))


# Encode with each library in this process, then in child processes that
# load both modules with RTLD_GLOBAL (every symbol visible to later
# libraries) in either order: the same bytes and cross-decoded images
# show that neither module binds the other's libjpeg or glue.
SEPARATION = '''
import hashlib, importlib, os, sys
sys.setdlopenflags(os.RTLD_NOW | os.RTLD_GLOBAL)
import numpy
modules = {name: importlib.import_module('imagecodecs._' + name)
           for name in sys.argv[1:]}
_jpeg8, _mozjpeg = modules['jpeg8'], modules['mozjpeg']
data = numpy.frombuffer(sys.stdin.buffer.read(), 'u1').reshape(64, 80, 3)
moz = _mozjpeg.mozjpeg_encode(data, level=80)
turbo = _jpeg8.jpeg8_encode(data, level=80, optimize=True)
cross = (_jpeg8.jpeg8_decode(moz).tobytes()
         + _mozjpeg.mozjpeg_decode(turbo).tobytes())
print(hashlib.sha256(moz).hexdigest(), hashlib.sha256(turbo).hexdigest(),
      hashlib.sha256(cross).hexdigest(), _mozjpeg.mozjpeg_version())
'''


def test_both_libraries_in_one_process():
    import hashlib

    data = natural_image((64, 80, 3))
    moz = mozjpeg_encode(data, level=80)
    turbo = jpeg8_encode(data, level=80, optimize=True)
    assert sof(moz) == 0xC2 and sof(turbo) == 0xC0 and len(moz) < len(turbo)
    moz_by_turbo = jpeg8_decode(moz)
    turbo_by_moz = mozjpeg_decode(turbo)
    assert psnr(moz_by_turbo, data) > 33 and psnr(turbo_by_moz, data) > 33
    numpy.testing.assert_allclose(moz_by_turbo, mozjpeg_decode(moz), atol=1)
    numpy.testing.assert_allclose(turbo_by_moz, jpeg8_decode(turbo), atol=1)
    expected = ' '.join((
        hashlib.sha256(moz).hexdigest(), hashlib.sha256(turbo).hexdigest(),
        hashlib.sha256(moz_by_turbo.tobytes()
                       + turbo_by_moz.tobytes()).hexdigest(),
        mozjpeg_version()))
    for order in (('jpeg8', 'mozjpeg'), ('mozjpeg', 'jpeg8')):
        result = run_isolated(SEPARATION, *order, stdin=data.tobytes())
        assert result.stdout.decode().strip() == expected, order
