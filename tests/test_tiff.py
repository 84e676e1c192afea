# SPDX-License-Identifier: BSD-3-Clause
"""TIFF codec over libtiff.

tifffile is the independent decoder: it parses TIFF in Python and hands
segments to codecs, so its arrays check our paging, tiling, planes and
sample formats. Where it lacks a codec in this build (JPEG, WebP), Pillow
or the raw segments stand in.
"""

import io
import struct

import numpy
import pytest

import imagecodecs
from imagecodecs import TiffError, tiff_check, tiff_decode, tiff_encode
import harness
import tiffsamples

TIFF = harness.require('tiff')
tifffile = pytest.importorskip('tifffile')

# compression schemes libtiff was built without: tiff_decode refuses them
UNSUPPORTED = ('jpeg2000', 'jpegxl', 'jpegxr', 'png')


def sample_names(samples):
    return sorted(p.name for p in (samples / 'tiff').glob('*.tif'))


def tifffile_pages(data):
    """Return every page tifffile reads, or None if it cannot."""
    try:
        with tifffile.TiffFile(io.BytesIO(data)) as tif:
            return [page.asarray() for page in tif.pages]
    except (ValueError, KeyError, ImportError, NotImplementedError):
        return None  # a codec tifffile needs is not in this build


def test_version_and_check():
    assert tiff_version_ok(imagecodecs.tiff_version())
    encoded = tiff_encode(numpy.zeros((2, 3), 'u1'))
    assert tiff_check(encoded)
    assert tiff_check(tiff_encode(numpy.zeros((2, 3), 'u1'), bigtiff=True))
    assert tiff_check(b'MM\x00*\x00\x00\x00\x08')
    assert not tiff_check(b'II*')
    assert not tiff_check(b'\x89PNG\r\n\x1a\n')
    assert not tiff_check(b'')


def tiff_version_ok(text):
    name, _, version = text.partition(' ')
    return name == 'libtiff' and version.count('.') == 2


def test_enums():
    assert TIFF.COMPRESSION.ADOBE_DEFLATE == 8
    assert TIFF.COMPRESSION.ZSTD == 50000
    assert TIFF.ENDIAN.BIG == struct.unpack('<H', b'MM')[0]
    assert TIFF.ENDIAN.LITTLE == struct.unpack('<H', b'II')[0]
    assert TIFF.VERSION.BIG == 43


# -- samples ------------------------------------------------------------------

def test_samples_match_tifffile(samples):
    """Every page of every sample equals tifffile's page, also stacked."""
    compared = 0
    for name in sample_names(samples):
        data = (samples / 'tiff' / name).read_bytes()
        if any(f'.{kind}.' in name for kind in UNSUPPORTED):
            with pytest.raises(TiffError, match='not implemented'):
                tiff_decode(data)
            continue
        expected = tifffile_pages(data)
        if expected is None:
            continue  # checked below by other means
        for index, page in enumerate(expected):
            decoded = tiff_decode(data, index=index)
            assert decoded.dtype == page.dtype, (name, index)
            numpy.testing.assert_array_equal(decoded, page, err_msg=name)
        # index=None stacks the pages of the first page's shape and dtype
        same = [p for p in expected
                if p.shape == expected[0].shape and p.dtype == expected[0].dtype]
        stacked = tiff_decode(data, index=None)
        want = numpy.stack(same) if len(same) > 1 else same[0]
        numpy.testing.assert_array_equal(stacked, want, err_msg=name)
        assert stacked.shape == want.shape
        compared += 1
    assert compared >= 50


@pytest.mark.parametrize('name, shape, dtype', [
    ('gray.depth.u1.tif', (5, 83, 111), 'u1'),  # volumetric tiles
    ('gray.separate.u1.tif', (5, 83, 111), 'u1'),
    ('gray.contig.u1.tif', (83, 111, 5), 'u1'),
    ('gray.b1.tif', (83, 111), 'bool'),
    ('gray.c16.tif', (83, 111), 'c16'),
    ('gray.bigendian.u2.tif', (83, 111), 'u2'),
    ('rgb.tiled.jpeg.u2.tif', (83, 111, 3), 'u2'),  # 12-bit JPEG
])
def test_sample_shapes(samples, name, shape, dtype):
    decoded = tiff_decode((samples / 'tiff' / name).read_bytes())
    assert decoded.shape == shape
    assert decoded.dtype == numpy.dtype(dtype)
    assert decoded.std() > 0


def test_sample_jpeg_matches_pillow(samples):
    image = pytest.importorskip('PIL.Image')
    path = samples / 'tiff' / 'rgb.tiled.jpeg.u1.tif'
    with image.open(path) as im:
        expected = numpy.asarray(im.convert('RGB'))
    numpy.testing.assert_array_equal(tiff_decode(path.read_bytes()),
                                     expected)


def test_sample_jpeg12_is_the_image_at_12_bits(samples):
    """The 12-bit JPEG sample holds the 8-bit image scaled by 16."""
    folder = samples / 'tiff'
    image12 = tiff_decode((folder / 'rgb.tiled.jpeg.u2.tif').read_bytes())
    image8 = tiff_decode((folder / 'rgb.u1.tif').read_bytes())
    assert image12.max() < 4096
    error = image12 / 16.0 - image8
    assert abs(error.mean()) < 2 and numpy.abs(error).mean() < 4


def test_sample_webp_matches_its_segments(samples):
    """Each WebP tile decoded by Pillow's WebP decoder, assembled."""
    image = pytest.importorskip('PIL.Image')
    features = pytest.importorskip('PIL.features')
    if not features.check('webp'):
        pytest.skip('Pillow without WebP')
    path = samples / 'tiff' / 'rgb.tiled.webp.u1.tif'
    page = tiffsamples.read(path)

    def segment(data, nbytes):
        with image.open(io.BytesIO(data)) as im:
            return numpy.asarray(im.convert('RGB')).tobytes()

    expected = tiffsamples.assemble(page, segment)
    numpy.testing.assert_array_equal(tiff_decode(path.read_bytes()),
                                     expected)


def test_sample_asrgb(samples):
    folder = samples / 'tiff'
    rgb = tiff_decode((folder / 'rgb.u1.tif').read_bytes())
    for name in ('rgb.u1.tif', 'rgb.separate.u1.tif', 'rgb.tiled.u1.tif'):
        rgba = tiff_decode((folder / name).read_bytes(), asrgb=True)
        assert rgba.shape == (83, 111, 4) and rgba.dtype == numpy.uint8
        numpy.testing.assert_array_equal(rgba[..., :3], rgb)
        assert (rgba[..., 3] == 255).all()
    gray = tiff_decode((folder / 'gray.u1.tif').read_bytes())
    rgba = tiff_decode((folder / 'gray.u1.tif').read_bytes(), asrgb=True)
    for channel in range(3):
        numpy.testing.assert_array_equal(rgba[..., channel], gray)
    bits = tiff_decode((folder / 'gray.b1.tif').read_bytes())
    rgba = tiff_decode((folder / 'gray.b1.tif').read_bytes(), asrgb=True)
    numpy.testing.assert_array_equal(rgba[..., 0], bits * numpy.uint8(255))
    stacked = tiff_decode((folder / 'gray.series.u1.tif').read_bytes(),
                          index=None, asrgb=True)
    assert stacked.shape == (5, 83, 111, 4)
    with pytest.raises(TiffError):
        tiff_decode((folder / 'gray.c8.tif').read_bytes(), asrgb=True)


def test_sample_index(samples):
    data = (samples / 'tiff' / 'gray.series.u1.tif').read_bytes()
    pages = tifffile_pages(data)
    assert len(pages) == 9
    numpy.testing.assert_array_equal(tiff_decode(data, index=-1), pages[-1])
    numpy.testing.assert_array_equal(tiff_decode(data, index=3), pages[3])
    numpy.testing.assert_array_equal(tiff_decode(data, index=[0, 2]),
                                     numpy.stack([pages[0], pages[2]]))
    numpy.testing.assert_array_equal(tiff_decode(data, index=slice(1, 6, 2)),
                                     numpy.stack(pages[1:6:2]))
    for index in (9, -10):
        with pytest.raises(TiffError) as info:
            tiff_decode(data, index=index)
        assert isinstance(info.value, IndexError)
    with pytest.raises(TiffError) as info:
        tiff_decode(data, index=[0, 1])  # different shapes
    assert isinstance(info.value, ValueError)


def test_sample_out(samples):
    data = (samples / 'tiff' / 'rgb.tiled.u1.tif').read_bytes()
    harness.check_array_out(tiff_decode, data, tiff_decode(data), TiffError)
    stacked = tiff_decode(data, index=None)
    harness.check_array_out(tiff_decode, data, stacked, TiffError,
                            index=None)


@pytest.mark.parametrize('name', ['gray.u1.tif', 'rgb.tiled.lzw.u1.tif',
                                  'gray.zstd.u2.tif', 'rgb.separate.u1.tif',
                                  'rgb.tiled.jpeg.u1.tif', 'gray.lerc.u1.tif',
                                  'gray.bigtiff.u1.tif', 'gray.none.u1.tif'])
def test_sample_corrupt(samples, name, capfd):
    data = (samples / 'tiff' / name).read_bytes()
    # the tail of a file may be padding or unused tag values: cut earlier
    harness.check_corrupt(tiff_decode, data, TiffError,
                          truncations=(8, len(data) // 3, len(data) // 2),
                          trials=100, index=None)
    assert capfd.readouterr().err == '', 'libtiff printed its messages'


def test_decode_not_tiff():
    for data in (b'', b'II', b'II*\x00\xff\xff\xff\x7f', b'GIF89a' * 4,
                 bytes(100)):
        with pytest.raises(TiffError):
            tiff_decode(data)


# -- files tifffile writes ----------------------------------------------------

WRITTEN = {
    'zlib': dict(compression='zlib'),
    'lzw': dict(compression='lzw'),
    'packbits': dict(compression='packbits'),
    'zstd': dict(compression='zstd'),
    'lzma': dict(compression='lzma'),
    'zlib-horizontal': dict(compression='zlib', predictor=True),
    'lzw-horizontal': dict(compression='lzw', predictor=True),
    'tiled': dict(tile=(32, 48), compression='zlib'),
    'planar': dict(planarconfig='separate', compression='zstd'),
    'planar-tiled': dict(planarconfig='separate', tile=(16, 16)),
    'bigtiff': dict(bigtiff=True, compression='zlib'),
    'bigendian': dict(byteorder='>', compression='lzw', predictor=True),
    'strips': dict(rowsperstrip=5, compression='packbits'),
}


@pytest.mark.parametrize('dtype', ['u1', 'u2', 'i4', 'f4', 'f8'])
@pytest.mark.parametrize('case', list(WRITTEN))
def test_tifffile_written(case, dtype):
    kwargs = dict(WRITTEN[case])
    if dtype[0] == 'f' and kwargs.get('predictor'):
        kwargs['predictor'] = 'floatingpoint'
    image = harness.smooth_image((3, 37, 53, 3), dtype)
    buffer = io.BytesIO()
    try:
        tifffile.imwrite(buffer, image, photometric='rgb', **kwargs)
    except (ValueError, KeyError, ImportError) as exc:
        pytest.skip(f'tifffile cannot write {case} here: {exc}')
    data = buffer.getvalue()
    numpy.testing.assert_array_equal(tiff_decode(data, index=None), image)
    numpy.testing.assert_array_equal(tiff_decode(data, index=2), image[2])


def test_tifffile_written_bits():
    bits = harness.smooth_image((33, 47), 'bool')
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, bits)
    numpy.testing.assert_array_equal(tiff_decode(buffer.getvalue()), bits)


# -- encoding -----------------------------------------------------------------

ENCODED = {
    'none': {},
    'deflate': dict(compression='deflate', level=7),
    'deflate-horizontal': dict(compression='deflate', predictor=True),
    'lzw': dict(compression='lzw'),
    'lzw-horizontal': dict(compression='lzw', predictor=2),
    'zstd': dict(compression='zstd', level=5, predictor=True),
    'lzma': dict(compression='lzma'),
    'packbits': dict(compression='packbits'),
    'lerc': dict(compression='lerc'),
    'lerc-zstd': dict(compression='lerc', subcodec='zstd'),
    'tiled': dict(tile=(16, 32), compression='zstd'),
    'strips': dict(rowsperstrip=7, compression='deflate'),
    'bigtiff': dict(bigtiff=True),
    'bigendian': dict(byteorder='>', compression='lzw', predictor=True),
    'enum': dict(compression=TIFF.COMPRESSION.ADOBE_DEFLATE,
                 byteorder=TIFF.ENDIAN.BIG),
}


@pytest.mark.parametrize('dtype', ['u1', 'i2', 'u4', 'i8', 'f2', 'f4', 'f8'])
@pytest.mark.parametrize('case', list(ENCODED))
def test_encode_read_by_tifffile(case, dtype):
    kwargs = ENCODED[case]
    if case.startswith('lerc') and dtype in ('i8', 'f2'):
        pytest.skip('LERC has no 64-bit integers or half floats')
    image = harness.smooth_image((2, 37, 53), dtype)
    encoded = tiff_encode(image, **kwargs)
    with tifffile.TiffFile(io.BytesIO(encoded)) as tif:
        assert len(tif.pages) == 2
        assert tif.is_bigtiff == bool(kwargs.get('bigtiff'))
        assert tif.byteorder == ('>' if 'byteorder' in kwargs else '<')
        page = tif.pages[0]
        assert page.is_tiled == ('tile' in kwargs)
        if 'tile' in kwargs:
            assert (page.tilelength, page.tilewidth) == kwargs['tile']
        read = tif.asarray()
    numpy.testing.assert_array_equal(read, image)
    numpy.testing.assert_array_equal(tiff_decode(encoded, index=None), image)


@pytest.mark.parametrize('shape, kwargs, photometric, planar', [
    ((31, 45, 3), {}, 'RGB', 1),
    ((31, 45, 4), {}, 'RGB', 1),
    ((3, 31, 45), dict(planarconfig='separate'), 'RGB', 2),
    ((2, 31, 45, 3), dict(tile=(16, 16)), 'RGB', 1),
    ((31, 45, 5), dict(photometric='minisblack', planarconfig='contig'),
     'MINISBLACK', 1),
    ((31, 45, 2), dict(photometric='minisblack', extrasample=2),
     'MINISBLACK', 1),
    ((31, 45, 4), dict(photometric='separated'), 'SEPARATED', 1),
    ((31, 45), dict(photometric='miniswhite'), 'MINISWHITE', 1),
])
def test_encode_samples(shape, kwargs, photometric, planar):
    image = harness.smooth_image(shape, 'u1')
    encoded = tiff_encode(image, **kwargs)
    with tifffile.TiffFile(io.BytesIO(encoded)) as tif:
        page = tif.pages[0]
        assert page.photometric.name == photometric
        assert page.planarconfig == planar
        numpy.testing.assert_array_equal(tif.asarray(), image)
    numpy.testing.assert_array_equal(tiff_decode(encoded, index=None), image)


def test_encode_alpha():
    image = harness.smooth_image((9, 17, 4), 'u1')
    with tifffile.TiffFile(io.BytesIO(tiff_encode(image))) as tif:
        assert tif.pages[0].extrasamples == (2,)  # unassociated alpha
    encoded = tiff_encode(image, extrasample=TIFF.EXTRASAMPLE.ASSOCALPHA)
    with tifffile.TiffFile(io.BytesIO(encoded)) as tif:
        assert tif.pages[0].extrasamples == (1,)


def test_encode_tags():
    image = harness.smooth_image((20, 30), 'u2')
    colormap = numpy.arange(3 * 256, dtype='u2').reshape(3, 256)
    encoded = tiff_encode(
        image.astype('u1'), description='a description', software='ours',
        datetime='2026:01:02 03:04:05', resolution=(72.0, 36.5),
        resolutionunit='centimeter', subfiletype=TIFF.FILETYPE.PAGE,
        photometric='palette', colormap=colormap, iccprofile=b'icc profile')
    with tifffile.TiffFile(io.BytesIO(encoded)) as tif:
        tags = tif.pages[0].tags
        assert tags['ImageDescription'].value == 'a description'
        assert tags['Software'].value == 'ours'
        assert tags['DateTime'].value == '2026:01:02 03:04:05'
        assert tags['XResolution'].value == (72, 1)
        assert tags['YResolution'].value == (73, 2)
        assert tags['ResolutionUnit'].value == 3
        assert tags['NewSubfileType'].value == 2
        assert tags['InterColorProfile'].value == b'icc profile'
        numpy.testing.assert_array_equal(tags['ColorMap'].value, colormap)
        assert tif.pages[0].photometric.name == 'PALETTE'
    with pytest.raises(ValueError):
        tiff_encode(image.astype('u1'), photometric='palette')


@pytest.mark.parametrize('bits, dtype', [(1, 'u1'), (2, 'u1'), (4, 'u1'),
                                         (12, 'u2'), (7, 'u1'), (20, 'u4')])
def test_encode_bitspersample(bits, dtype):
    image = harness.random_array((2, 13, 21), dtype, low=0,
                                 high=(1 << bits) - 1)
    encoded = tiff_encode(image, bitspersample=bits, compression='deflate')
    expected = image.astype(bool) if bits == 1 else image
    with tifffile.TiffFile(io.BytesIO(encoded)) as tif:
        assert tif.pages[0].bitspersample == bits
        numpy.testing.assert_array_equal(tif.asarray(), expected)
    numpy.testing.assert_array_equal(tiff_decode(encoded, index=None),
                                     expected)


def test_encode_bool_and_complex():
    for image in (harness.smooth_image((2, 19, 23), 'bool'),
                  harness.smooth_image((19, 23), 'f4').astype('c8') * 1j,
                  harness.smooth_image((19, 23), 'f8').astype('c16') + 1):
        encoded = tiff_encode(image, compression='zstd')
        read = tifffile.imread(io.BytesIO(encoded))
        assert read.dtype == image.dtype
        numpy.testing.assert_array_equal(read, image)
        numpy.testing.assert_array_equal(tiff_decode(encoded, index=None),
                                         image)


def test_encode_jpeg():
    image = harness.smooth_image((48, 64, 3), 'u1', noise=0.02)
    for kwargs in (dict(compression='jpeg', level=90),
                   dict(compression='jpeg', photometric='ycbcr')):
        encoded = tiff_encode(image, **kwargs)
        decoded = tiff_decode(encoded)
        error = decoded.astype(float) - image
        psnr = 10 * numpy.log10(255 ** 2 / numpy.mean(error ** 2))
        assert psnr > 30, kwargs
        image_module = pytest.importorskip('PIL.Image')
        with image_module.open(io.BytesIO(encoded)) as im:
            numpy.testing.assert_array_equal(numpy.asarray(im.convert('RGB')),
                                             decoded)


def test_encode_webp():
    image = harness.smooth_image((40, 50, 3), 'u1')
    encoded = tiff_encode(image, compression='webp')  # lossless
    numpy.testing.assert_array_equal(tiff_decode(encoded), image)
    lossy = tiff_decode(tiff_encode(image, compression='webp', level=90))
    assert numpy.abs(lossy.astype(int) - image).mean() < 8


def test_encode_degenerate():
    # 0-d and 1-d arrays are one row of pixels
    assert tiff_decode(tiff_encode(numpy.uint16(513))).tolist() == [[513]]
    row = numpy.arange(7, dtype='i2')
    numpy.testing.assert_array_equal(tiff_decode(tiff_encode(row)), row[None])
    # non-contiguous and big-endian input
    image = harness.smooth_image((20, 40), 'u2')
    numpy.testing.assert_array_equal(tiff_decode(tiff_encode(image[:, ::3])),
                                     image[:, ::3])
    swapped = image.astype('>u2')
    numpy.testing.assert_array_equal(tiff_decode(tiff_encode(swapped)), image)
    for shape in ((0,), (0, 5), (5, 0), (3, 0, 4), (2, 3, 0)):
        with pytest.raises(TiffError):
            tiff_encode(numpy.zeros(shape, 'u1'))
    with pytest.raises(ValueError):
        tiff_encode(numpy.zeros((4, 4), 'u1'), compression='nonesuch')
    with pytest.raises(ValueError):
        tiff_encode(numpy.zeros((4, 4), 'u1'), tile=(10, 16))
    with pytest.raises(ValueError):
        tiff_encode(numpy.zeros((4, 4), 'f4'), bitspersample=12)
    with pytest.raises(ValueError):
        tiff_encode(numpy.zeros((4, 4), 'u4'), bitspersample=24)
    with pytest.raises(ValueError):
        tiff_encode(numpy.zeros((4, 4), 'U3'))


def test_encode_append():
    first = harness.smooth_image((20, 30), 'u2')
    encoded = tiff_encode(first, byteorder='>')
    encoded = tiff_encode(first + 1, appendto=encoded, compression='zstd')
    encoded = tiff_encode(first[:5], append=encoded)  # the 2024 name
    with tifffile.TiffFile(io.BytesIO(encoded)) as tif:
        assert tif.byteorder == '>'
        pages = [page.asarray() for page in tif.pages]
    assert len(pages) == 3
    numpy.testing.assert_array_equal(pages[1], first + 1)
    numpy.testing.assert_array_equal(pages[2], first[:5])
    numpy.testing.assert_array_equal(tiff_decode(encoded, index=None),
                                     numpy.stack([first, first + 1]))


def test_encode_out():
    image = harness.smooth_image((20, 30, 3), 'u1')
    encoded = tiff_encode(image, compression='deflate')
    harness.check_out(tiff_encode, image, encoded, TiffError,
                      compression='deflate')


@pytest.mark.parametrize('case', ['none', 'deflate', 'lzw-horizontal', 'zstd',
                                  'lzma', 'packbits', 'lerc', 'tiled'])
def test_encoded_corrupt(case, capfd):
    image = harness.smooth_image((40, 50), 'u2')
    encoded = tiff_encode(image, **ENCODED[case])
    harness.check_corrupt(tiff_decode, encoded, TiffError, trials=200)
    assert capfd.readouterr().err == ''


def test_numcodecs_class():
    from imagecodecs.numcodecs import Tiff

    image = harness.smooth_image((30, 40, 3), 'u1')
    codec = Tiff(compression='zstd', predictor=True)
    numpy.testing.assert_array_equal(codec.decode(codec.encode(image)), image)


# -- hostile headers ----------------------------------------------------------

def classic_tiff(tags, payload=b'', order='<'):
    """Return a little classic TIFF: the payload, then one IFD.

    tags: {code: (type, values)}; values must fit in the entry (offsets to
    the payload start at 8).
    """
    fmt = {3: 'H', 4: 'I'}
    head = struct.pack(order + '2sHI', b'II' if order == '<' else b'MM', 42,
                       8 + len(payload))
    ifd = struct.pack(order + 'H', len(tags))
    for code in sorted(tags):
        kind, values = tags[code]
        raw = struct.pack(f'{order}{len(values)}{fmt[kind]}', *values)
        ifd += struct.pack(order + 'HHI', code, kind, len(values))
        ifd += raw.ljust(4, b'\x00')
    return head + payload + ifd + b'\x00\x00\x00\x00'


def hostile(width, length, compression=1, tile=None, payload=bytes(64)):
    tags = {256: (4, [width]), 257: (4, [length]), 258: (3, [8]),
            259: (3, [compression]), 262: (3, [1]), 277: (3, [1])}
    if tile:
        tags.update({322: (4, [tile[1]]), 323: (4, [tile[0]]),
                     324: (4, [8]), 325: (4, [len(payload)])})
    else:
        tags.update({273: (4, [8]), 278: (4, [length]),
                     279: (4, [len(payload)])})
    return classic_tiff(tags, payload)


def test_hostile_sizes(capfd):
    # a valid little file: the builder is right
    data = hostile(8, 8)
    assert tiff_decode(data).shape == (8, 8)
    # uncompressed strips larger than the file
    with pytest.raises(TiffError, match='uncompressed'):
        tiff_decode(hostile(100_000, 100_000))
    with pytest.raises(TiffError, match='uncompressed'):
        tiff_decode(hostile(1000, 1))
    # compressed: gigabytes from 64 bytes
    for compression in (8, 5, 32773, 50000):
        with pytest.raises(TiffError):
            tiff_decode(hostile(60_000, 60_000, compression))
    # a one-pixel image in a huge tile
    with pytest.raises(TiffError):
        tiff_decode(hostile(1, 1, 8, tile=(1 << 20, 1 << 20)))
    assert capfd.readouterr().err == ''
