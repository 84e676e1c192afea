# SPDX-License-Identifier: BSD-3-Clause
"""JPEG 2000 codec: J2K and JP2, lossless and lossy, checked against
OpenJPEG's command line tools, pylibjpeg-openjpeg and Pillow."""

import io
import pathlib
import shutil
import struct
import subprocess

import numpy
import pytest

import imagecodecs
from imagecodecs import (
    JPEG2K, Jpeg2kError, jpeg2k_check, jpeg2k_decode, jpeg2k_encode,
    jpeg2k_version,
)
from harness import (
    check_array_out, check_bounded_allocation, check_inputs,
    check_numcodecs, random_array, require, run_isolated, smooth_image,
)

pytestmark = pytest.mark.usefixtures('available')

SAMPLES = ('rgb24.jp2', 'ycbc.j2k', 'int8_4bit.j2k')


@pytest.fixture
def available():
    require('jpeg2k')


def psnr(a, b, peak):
    mse = numpy.mean((a.astype(numpy.float64) - b) ** 2)
    return float('inf') if mse == 0 else 10 * numpy.log10(peak ** 2 / mse)


def read_pgx(path):
    """Return the samples of a PGX file (opj_decompress writes one per
    component: 'PG ML|LM +|- bits width height' and the raw samples)."""
    data = path.read_bytes()
    end = data.index(b'\n')
    fields = data[:end].split()
    order = '>' if fields[1] == b'ML' else '<'
    signed = b'-' in data[:end]
    bits, width, height = (int(f) for f in fields[-3:])
    size = 1 if bits <= 8 else 2 if bits <= 16 else 4
    dtype = numpy.dtype(f'{order}{"i" if signed else "u"}{size}')
    return numpy.frombuffer(data[end + 1:], dtype).reshape(height, width)


def opj_decompress(path, tmp_path):
    """Return the image OpenJPEG's command line decoder makes of a file."""
    tool = shutil.which('opj_decompress')
    if tool is None:
        pytest.skip('opj_decompress not found (Debian: libopenjp2-tools)')
    subprocess.run([tool, '-i', str(path), '-o', str(tmp_path / 'out.pgx')],
                   check=True, capture_output=True)
    planes = [read_pgx(p) for p in sorted(tmp_path.glob('out_*.pgx'),
                                          key=lambda p: int(p.stem[4:]))]
    return planes[0] if len(planes) == 1 else numpy.stack(planes, -1)


def test_version_and_check():
    assert jpeg2k_version().startswith('openjpeg 2.')
    assert jpeg2k_check(b'\xff\x4f\xff\x51')
    assert jpeg2k_check(b'\x00\x00\x00\x0cjP  \r\n\x87\n')
    assert jpeg2k_check(b'\r\n\x87\n')
    assert not jpeg2k_check(b'\xff\x4f\xff')
    assert not jpeg2k_check(b'\x00\x00\x00\x0cjP  ')
    assert not jpeg2k_check(b'')
    assert imagecodecs.j2k_encode is jpeg2k_encode
    assert imagecodecs.j2k_decode is jpeg2k_decode
    assert JPEG2K.CODEC.JP2 == 2 and JPEG2K.CODEC.J2K == 0
    assert [m.name for m in JPEG2K.CLRSPC] == [
        'UNSPECIFIED', 'SRGB', 'GRAY', 'SYCC', 'EYCC', 'CMYK']


@pytest.mark.parametrize('name', SAMPLES)
def test_samples_opj_decompress(samples, tmp_path, name):
    """Samples decode as OpenJPEG's own tool decodes them (it converts
    subsampled YCbCr to RGB as we do)."""
    path = samples / name
    expected = opj_decompress(path, tmp_path)
    decoded = jpeg2k_decode(path.read_bytes())
    assert decoded.dtype == expected.dtype.newbyteorder('=')
    numpy.testing.assert_array_equal(decoded, expected)


@pytest.mark.parametrize('name', SAMPLES)
def test_samples_pylibjpeg(samples, name):
    openjpeg = pytest.importorskip('openjpeg')
    data = (samples / name).read_bytes()
    expected = openjpeg.decode(data)
    decoded = jpeg2k_decode(data)
    assert decoded.dtype == expected.dtype
    numpy.testing.assert_array_equal(decoded, expected)
    planar = jpeg2k_decode(data, planar=True)
    if decoded.ndim == 3:
        numpy.testing.assert_array_equal(planar,
                                         numpy.moveaxis(expected, -1, 0))
    else:
        numpy.testing.assert_array_equal(planar, expected)


def test_sample_shapes(samples):
    """What the files declare: 8-bit RGB, subsampled YCbCr, signed 4-bit."""
    rgb = jpeg2k_decode((samples / 'rgb24.jp2').read_bytes())
    assert rgb.shape == (400, 400, 3) and rgb.dtype == numpy.uint8
    ycbc = jpeg2k_decode((samples / 'ycbc.j2k').read_bytes())
    assert ycbc.shape == (256, 256, 3) and ycbc.dtype == numpy.uint8
    int4 = jpeg2k_decode((samples / 'int8_4bit.j2k').read_bytes())
    assert int4.shape == (256, 256) and int4.dtype == numpy.int8
    assert -8 <= int4.min() and int4.max() <= 7


def test_other_samples(samples):
    """Every other JPEG 2000 file of the sample folder decodes as
    pylibjpeg-openjpeg decodes it."""
    openjpeg = pytest.importorskip('openjpeg')
    others = [p for p in samples.rglob('*')
              if p.suffix.lower() in ('.j2k', '.jp2', '.j2c', '.jpx')
              and p.name not in SAMPLES]
    for path in others:
        data = path.read_bytes()
        numpy.testing.assert_array_equal(jpeg2k_decode(data),
                                         openjpeg.decode(data))


def sycc_model(y, cb, cr, bits=8):
    """BT.601 full range YCbCr to RGB in integers as JP2 decoders do."""
    offset, top = 1 << (bits - 1), (1 << bits) - 1
    y, cb, cr = (c.astype(numpy.int64) for c in (y, cb, cr))
    cb = cb - offset
    cr = cr - offset
    r = y + numpy.trunc(1.402 * cr.astype(numpy.float64)).astype(int)
    g = y - numpy.trunc(0.344 * cb.astype(numpy.float64)
                        + 0.714 * cr.astype(numpy.float64)).astype(int)
    b = y + numpy.trunc(1.772 * cb.astype(numpy.float64)).astype(int)
    return numpy.stack([r, g, b], -1).clip(0, top)


def test_sycc_colorspace():
    """A JP2 that declares sYCC decodes to RGB (a model of the transform);
    a bare codestream has no color space and keeps its samples."""
    data = random_array((24, 20, 3), 'u1')
    rgb = jpeg2k_decode(jpeg2k_encode(data, colorspace='SYCC'))
    numpy.testing.assert_array_equal(
        rgb, sycc_model(data[..., 0], data[..., 1], data[..., 2]))
    kept = jpeg2k_decode(jpeg2k_encode(data, colorspace=JPEG2K.CLRSPC.SYCC,
                                       codecformat='J2K'))
    numpy.testing.assert_array_equal(kept, data)


DTYPES = ('u1', 'i1', 'u2', 'i2')


@pytest.mark.parametrize('codecformat', ['JP2', 'J2K'])
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(33, 47), (33, 47, 3), (20, 18, 4),
                                   (16, 16, 2), (9, 11, 7)])
def test_lossless_roundtrip(codecformat, dtype, shape):
    data = random_array(shape, dtype)
    encoded = jpeg2k_encode(data, codecformat=codecformat)
    assert jpeg2k_check(encoded)
    assert encoded[:4] == (b'\xff\x4f\xff\x51' if codecformat == 'J2K'
                           else b'\x00\x00\x00\x0c')
    decoded = jpeg2k_decode(encoded)
    assert decoded.dtype == data.dtype
    numpy.testing.assert_array_equal(decoded, data)


@pytest.mark.parametrize('dtype,bits,resolutions', [
    ('u4', 24, None), ('i4', 24, None), ('u4', 24, 1), ('i4', 17, 3),
    ('u2', 12, None), ('u1', 5, None), ('i2', 10, None)])
def test_lossless_precision(dtype, bits, resolutions):
    """Precisions within the sample size round-trip (32-bit samples up to
    24 bits: above, the library's 32-bit block coder loses extremes)."""
    signed = numpy.dtype(dtype).kind == 'i'
    low = -(1 << (bits - 1)) if signed else 0
    high = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    data = random_array((40, 30), dtype, low=low, high=high)
    data[0, :2] = low, high
    encoded = jpeg2k_encode(data, bitspersample=bits, codecformat='J2K',
                            resolutions=resolutions)
    # SIZ: Ssiz of the first component is bits - 1, the sign in bit 7
    ssiz = encoded[encoded.index(b'\xff\x51') + 40]
    assert ssiz == (bits - 1) | (0x80 if signed else 0)
    numpy.testing.assert_array_equal(jpeg2k_decode(encoded), data)


def test_pylibjpeg_reads_ours():
    openjpeg = pytest.importorskip('openjpeg')
    for dtype in DTYPES:
        for shape in ((31, 17), (31, 17, 3)):
            data = random_array(shape, dtype)
            for codecformat in ('JP2', 'J2K'):
                encoded = jpeg2k_encode(data, codecformat=codecformat)
                numpy.testing.assert_array_equal(openjpeg.decode(encoded),
                                                 data)


def test_pillow_reads_ours():
    image = pytest.importorskip('PIL.Image')
    for data in (random_array((31, 17), 'u1'),
                 random_array((31, 17, 3), 'u1'),
                 random_array((31, 17), 'u2')):
        for codecformat in ('JP2', 'J2K'):
            encoded = jpeg2k_encode(data, codecformat=codecformat)
            with image.open(io.BytesIO(encoded)) as im:
                numpy.testing.assert_array_equal(numpy.asarray(im), data)


def test_opj_decompress_reads_ours(tmp_path):
    data = random_array((21, 34, 3), 'u2', high=4095)
    path = tmp_path / 'ours.jp2'
    path.write_bytes(jpeg2k_encode(data, bitspersample=12))
    numpy.testing.assert_array_equal(opj_decompress(path, tmp_path), data)


def test_lossy_psnr():
    data = smooth_image((128, 96, 3), 'u1')
    sizes = []
    for level in (30, 40, 50):
        encoded = jpeg2k_encode(data, level=level)
        decoded = jpeg2k_decode(encoded)
        assert decoded.shape == data.shape
        # the rate allocation reaches the target to within a dB or two
        assert psnr(decoded, data, 255) > level - 2
        sizes.append(len(encoded))
    assert sizes == sorted(sizes)
    assert sizes[-1] < len(jpeg2k_encode(data))
    # level below 1 is lossless; reversible=False alone loses a little
    numpy.testing.assert_array_equal(
        jpeg2k_decode(jpeg2k_encode(data, level=0.5)), data)
    nearly = jpeg2k_decode(jpeg2k_encode(data, reversible=False))
    assert psnr(nearly, data, 255) > 45


def cod_segment(encoded):
    """Return the COD marker segment's parameters: Scod, progression,
    layers, mct, decomposition levels, ..., transform."""
    pos = encoded.index(b'\xff\x52')
    length = struct.unpack('>H', encoded[pos + 2:pos + 4])[0]
    return encoded[pos + 4:pos + 2 + length]


def test_coding_parameters():
    data = random_array((64, 64, 3), 'u1')
    cod = cod_segment(jpeg2k_encode(data))
    assert cod[1] == 0 and cod[4] == 1 and cod[5] == 3 and cod[9] == 1
    cod = cod_segment(jpeg2k_encode(data, mct=False, resolutions=2))
    assert cod[4] == 0 and cod[5] == 1
    cod = cod_segment(jpeg2k_encode(data, level=40))
    assert cod[1] == 2 and cod[9] == 0  # RPCL, irreversible 9-7
    cod = cod_segment(jpeg2k_encode(data, level=40, reversible=True))
    assert cod[9] == 1
    # no resolution smaller than 8 samples a side
    cod = cod_segment(jpeg2k_encode(random_array((20, 300), 'u1'),
                                    resolutions=10))
    assert cod[5] == 1


def test_tiles():
    data = random_array((50, 70, 3), 'u2')
    encoded = jpeg2k_encode(data, tile=(16, 32), codecformat='J2K')
    siz = encoded.index(b'\xff\x51')
    assert struct.unpack('>II', encoded[siz + 22:siz + 30]) == (32, 16)
    numpy.testing.assert_array_equal(jpeg2k_decode(encoded), data)
    with pytest.raises(ValueError):
        jpeg2k_encode(data, tile=(0, 16))


def test_planar():
    data = random_array((3, 20, 30), 'u1')
    encoded = jpeg2k_encode(data, planar=True)
    numpy.testing.assert_array_equal(jpeg2k_decode(encoded, planar=True),
                                     data)
    numpy.testing.assert_array_equal(jpeg2k_decode(encoded),
                                     numpy.moveaxis(data, 0, -1))
    # as the reference: at most 4 leading and more than 4 trailing samples
    # are planar unless planar=False says otherwise
    assert jpeg2k_decode(jpeg2k_encode(data)).shape == (20, 30, 3)
    assert jpeg2k_decode(jpeg2k_encode(data, planar=False)).shape == (
        3, 20, 30)
    assert jpeg2k_decode(jpeg2k_encode(data[..., :4])).shape == (3, 20, 4)
    gray = jpeg2k_decode(jpeg2k_encode(data[:1]))
    numpy.testing.assert_array_equal(gray, data[0])


def test_numthreads_identical():
    data = smooth_image((300, 260, 3), 'u2')
    one = jpeg2k_encode(data, level=45, numthreads=1)
    assert jpeg2k_encode(data, level=45, numthreads=2) == one
    assert jpeg2k_encode(data, level=45, numthreads=0) == one
    decoded = jpeg2k_decode(one, numthreads=1)
    numpy.testing.assert_array_equal(jpeg2k_decode(one, numthreads=2),
                                     decoded)
    lossless = jpeg2k_encode(data, tile=(64, 64), numthreads=2)
    numpy.testing.assert_array_equal(jpeg2k_decode(lossless, numthreads=2),
                                     data)


def test_degenerate_arrays():
    one = numpy.array([[200]], 'u1')
    numpy.testing.assert_array_equal(jpeg2k_decode(jpeg2k_encode(one)), one)
    line = random_array((1, 100), 'u2')
    numpy.testing.assert_array_equal(jpeg2k_decode(jpeg2k_encode(line)),
                                     line)
    strided = random_array((40, 60), 'i2')[::2, ::3]
    numpy.testing.assert_array_equal(jpeg2k_decode(jpeg2k_encode(strided)),
                                     strided)
    swapped = random_array((10, 12), 'u2').astype('>u2')
    numpy.testing.assert_array_equal(jpeg2k_decode(jpeg2k_encode(swapped)),
                                     swapped)
    for empty in ((0, 4), (4, 0), (3, 0, 2)):
        with pytest.raises(Jpeg2kError):
            jpeg2k_encode(numpy.zeros(empty, 'u1'))
    for bad in (numpy.uint8(1), numpy.zeros(5, 'u1'),
                numpy.zeros((2, 3, 4, 3), 'u1'), numpy.zeros((4, 4), 'f4'),
                numpy.zeros((4, 4), bool), numpy.zeros((4, 4), 'u8')):
        with pytest.raises(ValueError):
            jpeg2k_encode(bad)
        with pytest.raises(Jpeg2kError):
            jpeg2k_encode(bad)


def test_arguments():
    data = random_array((16, 16), 'u1')
    with pytest.raises(ValueError):
        jpeg2k_encode(data, codecformat=1)  # JPT: read only
    with pytest.raises(ValueError):
        jpeg2k_encode(data, codecformat='png')
    with pytest.raises(ValueError):
        jpeg2k_encode(data, colorspace=7)
    assert jpeg2k_encode(data, codecformat='j2k') == jpeg2k_encode(
        data, codecformat=JPEG2K.CODEC.J2K)


def test_out():
    data = random_array((30, 20, 3), 'u1')
    encoded = jpeg2k_encode(data)
    check_array_out(jpeg2k_decode, encoded, data, Jpeg2kError)
    check_inputs(jpeg2k_decode, encoded, data.tobytes())
    buffer = bytearray(len(encoded) + 10)
    view = jpeg2k_encode(data, out=buffer)
    assert bytes(view) == encoded
    assert jpeg2k_encode(data, out=bytearray) == bytearray(encoded)
    with pytest.raises(Jpeg2kError):
        jpeg2k_encode(data, out=bytearray(len(encoded) - 1))


def test_messages(capsys):
    data = random_array((30, 20), 'u1')
    encoded = jpeg2k_encode(data)
    jpeg2k_decode(encoded)
    assert capsys.readouterr().err == ''
    jpeg2k_decode(encoded, verbose=3)
    assert 'JPEG2K info:' in capsys.readouterr().err
    with pytest.raises(Jpeg2kError) as info:
        jpeg2k_decode(encoded[:-40])
    # the library's own words, collected, not printed
    assert 'opj_decode failed: ' in str(info.value)
    assert capsys.readouterr().err == ''


def test_invalid_streams():
    for data in (b'', b'abcd' * 10, b'\xff\x4f\xff\x51',
                 b'\x00\x00\x00\x0cjP  \r\n\x87\n'):
        with pytest.raises(Jpeg2kError):
            jpeg2k_decode(data)
    with pytest.raises(TypeError):
        jpeg2k_decode(None)


def test_size_limit():
    """A header claiming a huge image is refused before the library
    allocates it, unless out= has the room."""
    encoded = bytearray(jpeg2k_encode(random_array((16, 16), 'u1'),
                                      codecformat='J2K'))
    siz = encoded.index(b'\xff\x51')
    # image and tile size 60000 x 60000
    encoded[siz + 6:siz + 14] = struct.pack('>II', 60000, 60000)
    encoded[siz + 22:siz + 30] = struct.pack('>II', 60000, 60000)
    check_bounded_allocation(jpeg2k_decode, bytes(encoded), Jpeg2kError)


def test_corrupt_isolated():
    """Damaged and truncated streams raise Jpeg2kError or decode; run in a
    child so that a library crash fails the test, not pytest."""
    code = '''
import numpy
from imagecodecs import Jpeg2kError, jpeg2k_decode, jpeg2k_encode
rng = numpy.random.default_rng(0)
image = rng.integers(0, 255, (40, 30, 3)).astype('u1')
for codecformat in ('JP2', 'J2K'):
    for level in (None, 40):
        encoded = jpeg2k_encode(image, level=level, codecformat=codecformat,
                                tile=(16, 16))
        for cut in (1, 12, len(encoded) // 3, len(encoded) // 2,
                    len(encoded) - 1):
            try:
                jpeg2k_decode(encoded[:cut])
            except Jpeg2kError:
                pass
            else:
                raise SystemExit(f'truncation at {cut} decoded')
        for _ in range(150):
            damaged = bytearray(encoded)
            for pos in rng.integers(0, len(damaged), 3):
                damaged[pos] ^= int(rng.integers(1, 256))
            try:
                jpeg2k_decode(bytes(damaged), numthreads=2)
            except (Jpeg2kError, MemoryError):
                pass
print('ok')
'''
    assert run_isolated(code).stdout.strip() == b'ok'


def test_numcodecs():
    parameters = {'level': None, 'codecformat': None, 'colorspace': None,
                  'planar': None, 'tile': None, 'bitspersample': None,
                  'resolutions': None, 'reversible': None, 'mct': True,
                  'verbose': 0, 'numthreads': None, 'squeeze': None}
    check_numcodecs('Jpeg2k', parameters, jpeg2k_encode)
    check_numcodecs('Jpeg2k', parameters, jpeg2k_encode, codecformat='J2K')
