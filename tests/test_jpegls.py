# SPDX-License-Identifier: BSD-3-Clause
"""JPEGLS codec: JPEG-LS over CharLS.

Independent implementations: pylibjpeg-libjpeg (Thomas Richter's libjpeg,
which implements JPEG-LS on its own) decodes our streams and the sample;
pyjpegls (another build of CharLS, with an interface that sets the bits
per sample and the interleave mode) writes the streams of 2 to 16 bits and
every interleave mode that our encoder does not make.
"""

import concurrent.futures
import struct

import numpy
import pytest

from imagecodecs import (
    JPEGLS, JpeglsError, jpegls_check, jpegls_decode, jpegls_encode,
    jpegls_version,
)
from harness import (
    check_array_out, check_bounded_allocation, check_corrupt,
    check_inputs, check_out, require, run_isolated, smooth_image,
)

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('jpegls')


def image(shape, bits, seed=0, noise=0.1):
    """Return a noisy gradient using all `bits` bits, in uint8 or uint16."""
    dtype = 'u1' if bits <= 8 else 'u2'
    data = smooth_image(shape, dtype, seed, high=(1 << bits) - 1,
                        noise=noise)
    data.flat[-1] = (1 << bits) - 1  # the extremes, whatever the noise
    data.flat[0] = 0
    return data


def segments(stream):
    """Return {marker: [payload, ...]} of the marker segments before SOS
    and of SOS itself (JPEG-LS streams have no tables after it)."""
    found = {}
    pos = 2
    assert stream[:2] == b'\xff\xd8'
    while True:
        marker = stream[pos + 1]
        length = struct.unpack_from('>H', stream, pos + 2)[0]
        found.setdefault(marker, []).append(stream[pos + 4:pos + 2 + length])
        if marker == 0xDA:
            return found
        pos += 2 + length


def frame_of(stream):
    """Return bits per sample, height, width, components, NEAR and the
    interleave mode that SOF55 and the first SOS of a stream say."""
    parts = segments(stream)
    bits, height, width, components = struct.unpack_from(
        '>BHHB', parts[0xF7][0])
    scan = parts[0xDA][0]
    count = scan[0]
    return bits, height, width, components, scan[1 + 2 * count], scan[
        2 + 2 * count]


def libjpeg_decode(stream):
    libjpeg = pytest.importorskip('libjpeg')
    return libjpeg.decode(bytes(stream))


def charls_encode(array, bits, interleave, near=0):
    """Return a stream of pyjpegls: `bits` per sample, the interleave mode
    given (0: none, component planes; 1: line; 2: sample)."""
    jpeg_ls = pytest.importorskip('jpeg_ls')
    height, width = array.shape[:2]
    components = 1 if array.ndim == 2 else array.shape[2]
    source = array
    if interleave == 0 and components > 1:
        source = numpy.ascontiguousarray(array.transpose(2, 0, 1))
    return bytes(jpeg_ls.encode_buffer(
        source.tobytes(), height, width, components, bits, near,
        interleave))


def test_version_and_check():
    assert JPEGLS.available is True
    assert jpegls_version() == 'charls 2.4.2'
    # like the reference, check does not look at the data
    assert jpegls_check(jpegls_encode(image((4, 4), 8))) is None
    assert jpegls_check(b'') is None


# -- sample files -------------------------------------------------------------

def test_sample_rgba(samples):
    data = (samples / 'rgba.u1.jls').read_bytes()
    assert frame_of(data) == (8, 32, 31, 4, 0, 1)  # line interleaved
    decoded = jpegls_decode(data)
    assert decoded.shape == (32, 31, 4) and decoded.dtype == numpy.uint8
    numpy.testing.assert_array_equal(decoded, libjpeg_decode(data))
    # the colour planes are those of the raw sibling (whose alpha differs)
    raw = numpy.fromfile(samples / 'rgba.u1.bin', numpy.uint8)
    numpy.testing.assert_array_equal(decoded[..., :3],
                                     raw.reshape(32, 31, 4)[..., :3])


def test_every_sample_decodes(samples):
    names = sorted(samples.rglob('*.jls'))
    assert names
    for name in names:
        data = name.read_bytes()
        numpy.testing.assert_array_equal(jpegls_decode(data),
                                         libjpeg_decode(data), str(name))


# -- what the encoder writes --------------------------------------------------

SHAPES = {
    'gray': ((13, 17), 1, 0),
    'gray1': ((13, 17, 1), 1, 0),
    'rgb': ((13, 17, 3), 3, 2),
    'rgba': ((13, 17, 4), 4, 1),
}


@pytest.mark.parametrize('bits', range(2, 17))
@pytest.mark.parametrize('kind', SHAPES)
def test_lossless(kind, bits):
    """Values of every bit depth round-trip exactly and libjpeg reads them;
    the stream has 8 or 16 bits per sample as the dtype says."""
    shape, components, interleave = SHAPES[kind]
    data = image(shape, bits, seed=bits)
    assert data.max() == (1 << bits) - 1
    encoded = jpegls_encode(data)
    assert frame_of(encoded) == (8 * data.itemsize, 13, 17, components, 0,
                                 interleave)
    decoded = jpegls_decode(encoded)
    assert decoded.dtype == data.dtype
    assert decoded.shape == shape[:2] + ((components,) if components > 1
                                         else ())
    numpy.testing.assert_array_equal(decoded.reshape(shape), data)
    numpy.testing.assert_array_equal(
        libjpeg_decode(encoded).reshape(shape), data)


@pytest.mark.parametrize('near', [1, 2, 5, 17, 127])
@pytest.mark.parametrize('dtype', ['u1', 'u2'])
@pytest.mark.parametrize('kind', ['gray', 'rgb', 'rgba'])
def test_near_lossless(kind, dtype, near):
    shape = SHAPES[kind][0]
    data = image(shape, 8 * numpy.dtype(dtype).itemsize, seed=near,
                 noise=0.3)
    encoded = jpegls_encode(data, level=near)
    assert frame_of(encoded)[4] == near
    decoded = jpegls_decode(encoded)
    error = numpy.abs(decoded.astype('i4') - data.astype('i4')).max()
    assert 0 < error <= near
    # decoding is exact: any decoder gives the same samples
    numpy.testing.assert_array_equal(libjpeg_decode(encoded), decoded)
    assert len(encoded) < len(jpegls_encode(data))


def test_level():
    data = image((16, 16, 3), 8, noise=0.5)
    lossless = jpegls_encode(data)
    # None, 0 and negative levels are lossless; fractions are cut
    assert jpegls_encode(data, level=0) == lossless
    assert jpegls_encode(data, level=-3) == lossless
    assert jpegls_encode(data, level=2.7) == jpegls_encode(data, level=2)
    assert frame_of(jpegls_encode(image((4, 4), 16), level=255))[4] == 255
    # NEAR above half the largest sample value cannot be decoded
    with pytest.raises(JpeglsError) as info:
        jpegls_encode(data, level=128)
    assert isinstance(info.value, ValueError)
    with pytest.raises(JpeglsError):
        jpegls_encode(image((4, 4), 16), level=256)
    with pytest.raises(TypeError):
        jpegls_encode(data, level='1')


def test_spiff_header():
    """A SPIFF header (APP8) leads: the frame, the colour space (grayscale,
    RGB or none) and square pixels."""
    for shape, space in (((5, 7), 8), ((5, 7, 3), 10), ((5, 7, 4), 2)):
        encoded = jpegls_encode(numpy.zeros(shape, 'u2'))
        assert encoded[2:4] == b'\xff\xe8'
        header = segments(encoded)[0xE8][0]
        assert header[:6] == b'SPIFF\x00'
        (version, profile, components, height, width, colour, bits,
         compression, units, vres, hres) = struct.unpack_from(
            '>HBBIIBBBBII', header, 6)
        assert (components, height, width) == (
            1 if len(shape) == 2 else shape[2], 5, 7)
        assert (colour, bits, compression) == (space, 16, 6)
        assert (units, vres, hres) == (0, 1, 1)


# -- decoding streams of other bit depths and interleave modes ---------------

@pytest.mark.parametrize('bits', range(2, 17))
@pytest.mark.parametrize('components, interleave', [
    (1, 0), (3, 0), (3, 1), (3, 2), (4, 0), (4, 1), (4, 2), (2, 0), (5, 0),
])
def test_decode_foreign(components, interleave, bits):
    """Streams of 2 to 16 bits per sample, in every interleave mode, decode
    to uint8 or uint16 (height, width[, components])."""
    shape = (19, 23) if components == 1 else (19, 23, components)
    data = image(shape, bits, seed=components)
    encoded = charls_encode(data, bits, interleave)
    assert frame_of(encoded) == (bits, 19, 23, components, 0, interleave)
    decoded = jpegls_decode(encoded)
    assert decoded.dtype == data.dtype and decoded.shape == shape
    numpy.testing.assert_array_equal(decoded, data)
    if components != 5:  # libjpeg takes five components for a transform
        numpy.testing.assert_array_equal(libjpeg_decode(encoded), data)


@pytest.mark.parametrize('interleave', [0, 1, 2])
@pytest.mark.parametrize('bits', [5, 12])
def test_decode_foreign_near_lossless(bits, interleave):
    data = image((19, 23, 3), bits, noise=0.3)
    encoded = charls_encode(data, bits, interleave, near=3)
    decoded = jpegls_decode(encoded)
    assert numpy.abs(decoded.astype('i4') - data).max() <= 3
    numpy.testing.assert_array_equal(
        decoded, libjpeg_decode(encoded).reshape(decoded.shape))


# -- arguments, out= and degenerate arrays ------------------------------------

@pytest.mark.parametrize('data', [
    numpy.zeros((), 'u1'), numpy.zeros(7, 'u1'),
    numpy.zeros((2, 3, 4, 3), 'u1'), numpy.zeros((4, 5, 2), 'u1'),
    numpy.zeros((4, 5, 5), 'u2'),
    numpy.zeros((4, 5), 'i2'), numpy.zeros((4, 5), 'u4'),
    numpy.zeros((4, 5), 'f4'), numpy.zeros((4, 5), bool), b'\x00' * 20,
    [[1, 2], [3, 4]],
], ids=lambda d: f'{getattr(d, "dtype", type(d).__name__)}'
                 f'{getattr(d, "shape", "")}')
def test_invalid_input(data):
    with pytest.raises(JpeglsError) as info:
        jpegls_encode(data)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize('shape', [(0, 5), (5, 0), (0, 5, 3), (0, 0)])
def test_empty(shape):
    with pytest.raises(JpeglsError):
        jpegls_encode(numpy.zeros(shape, 'u1'))


def test_oversize_dimension():
    """More than 65535 lines go into an LSE segment (T.87 C.2.4.1.4)."""
    data = image((65537, 3), 8)
    encoded = jpegls_encode(data)
    assert frame_of(encoded)[1:3] == (0, 0)
    assert struct.unpack('>BBII', segments(encoded)[0xF8][0]) == (
        4, 4, 65537, 3)  # ID 4, sizes of 4 bytes
    numpy.testing.assert_array_equal(jpegls_decode(encoded), data)


@pytest.mark.parametrize('data', [
    numpy.array([[7]], 'u1'),
    numpy.array([[[1, 2, 3]]], 'u2'),
    numpy.arange(4, dtype='u1').reshape(1, 1, 4),
    numpy.arange(600, dtype='u2').reshape(20, 30)[::2, ::3],
    numpy.asfortranarray(image((9, 7, 3), 8)),
    image((9, 7, 4), 16).astype('>u2'),
    numpy.full((8, 8), 65535, 'u2'),
], ids=['pixel', 'rgb-pixel', 'rgba-pixel', 'strided', 'fortran',
        'bigendian', 'flat'])
def test_degenerate(data):
    decoded = jpegls_decode(jpegls_encode(data))
    assert decoded.dtype == data.dtype.newbyteorder('=')
    numpy.testing.assert_array_equal(decoded.reshape(data.shape), data)


def test_out():
    data = image((21, 19, 3), 8)
    encoded = jpegls_encode(data)
    check_out(jpegls_encode, data, encoded, JpeglsError)
    check_array_out(jpegls_decode, encoded, data, JpeglsError)
    check_inputs(jpegls_decode, encoded, data.tobytes())
    # too small an output for the encoder
    with pytest.raises(JpeglsError):
        jpegls_encode(data, out=10)
    with pytest.raises(ValueError):
        jpegls_decode(encoded, out=numpy.zeros((21, 19, 3), 'u2'))


def test_encode_incompressible():
    """Noise of 16 bits beyond CharLS's estimate still fits."""
    data = numpy.random.default_rng(5).integers(0, 65536, (64, 64), 'u2')
    encoded = jpegls_encode(data)
    numpy.testing.assert_array_equal(jpegls_decode(encoded), data)


# -- corrupt streams ----------------------------------------------------------

@pytest.mark.parametrize('shape, dtype, level', [
    ((20, 17), 'u1', 0), ((20, 17, 3), 'u1', 2), ((9, 13, 4), 'u2', 0),
])
def test_corrupt(shape, dtype, level):
    data = smooth_image(shape, dtype)
    encoded = jpegls_encode(data, level=level)
    check_corrupt(jpegls_decode, encoded, JpeglsError,
                  truncations=range(0, len(encoded), 3), trials=300)
    for empty in (b'', b'\xff\xd8', b'\x00' * 16, b'garbage'):
        with pytest.raises(JpeglsError):
            jpegls_decode(empty)


def test_corrupt_isolated():
    """Damaged streams in a child process: a crash fails the test."""
    run_isolated(
        'import numpy, imagecodecs\n'
        'from imagecodecs import jpegls_encode, jpegls_decode\n'
        'rng = numpy.random.default_rng(7)\n'
        'for shape in ((33, 31), (17, 19, 3), (11, 9, 4)):\n'
        '    data = rng.integers(0, 4000, shape).astype("u2")\n'
        '    encoded = jpegls_encode(data, level=1)\n'
        '    for _ in range(400):\n'
        '        damaged = bytearray(encoded)\n'
        '        for pos in rng.integers(0, len(damaged), 2):\n'
        '            damaged[pos] = int(rng.integers(0, 256))\n'
        '        try:\n'
        '            jpegls_decode(bytes(damaged))\n'
        '        except (imagecodecs.JpeglsError, MemoryError):\n'
        '            pass\n')


def test_truncated_scan_isolated():
    """CharLS 2.4 alone loops forever on some scans cut short: every cut
    raises, in a child process whose hang fails the test."""
    run_isolated(
        'import numpy, imagecodecs\n'
        'rng = numpy.random.default_rng(1)\n'
        'for shape in ((20, 17), (9, 11, 3), (7, 5, 4)):\n'
        '    data = rng.integers(0, 200, shape).astype("u1")\n'
        '    encoded = imagecodecs.jpegls_encode(data)\n'
        '    for cut in range(len(encoded)):\n'
        '        try:\n'
        '            imagecodecs.jpegls_decode(encoded[:cut])\n'
        '        except imagecodecs.JpeglsError:\n'
        '            continue\n'
        '        raise SystemExit(f"{shape} cut at {cut} decoded")\n',
        timeout=60)


def test_trailing_data():
    """Bytes after the end of image marker are ignored."""
    data = image((9, 11, 3), 8)
    encoded = jpegls_encode(data)
    for tail in (b'\x00', b'\x00\x00', b'\xff', b'\xff\xd9', b'junk'):
        numpy.testing.assert_array_equal(jpegls_decode(encoded + tail), data)


def _claim(stream, height, width):
    """Return stream with the frame size of SOF55 replaced."""
    pos = stream.index(b'\xff\xf7') + 5
    size = struct.pack('>HH', height, width)
    return stream[:pos] + size + stream[pos + 4:]


@pytest.mark.parametrize('shape, dtype, height, width', [
    ((4, 4), 'u1', 65535, 65535),  # more lines than bits
    ((4, 4, 3), 'u2', 600, 65535),  # 236 MB from some hundred bytes
    ((4, 4, 4), 'u1', 40000, 40000),
])
def test_claimed_size_bounded(shape, dtype, height, width):
    encoded = _claim(jpegls_encode(numpy.ones(shape, dtype)), height, width)
    check_bounded_allocation(jpegls_decode, encoded, JpeglsError)


# -- threads ------------------------------------------------------------------

def test_threads():
    """Calls run in parallel without the GIL and do not interfere."""
    arrays = [image((256, 200, 3), bits, seed=bits)
              for bits in (6, 8, 12, 16)] * 2
    expected = [jpegls_encode(a) for a in arrays]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        encoded = list(pool.map(jpegls_encode, arrays))
        decoded = list(pool.map(jpegls_decode, encoded))
    assert encoded == expected
    for result, data in zip(decoded, arrays):
        numpy.testing.assert_array_equal(result, data)
