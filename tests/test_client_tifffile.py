# SPDX-License-Identifier: BSD-3-Clause
"""tifffile writing and reading TIFF files through this package.

tifffile resolves each TIFF compression and predictor to one of our
functions and calls it its own way: decoders with out= the segment's byte
count, unpredictors in place on read-only views of the decoded bytes,
packints_encode(data, bitspersample, runlen=...) for low bit depths. These
round trips check that the package is a drop-in for it. Expected pixels are
the written arrays; where tifffile could mask a codec bug (our encoder and
decoder agreeing on a wrong format) the stored bytes are checked against an
independent model or Python's zlib.
"""

import io
import zlib

import numpy
import pytest

import tiffsamples
from harness import require, require_any, smooth_image as image

tifffile = pytest.importorskip('tifffile')


def roundtrip(data, **kwargs):
    """Write data to an in-memory TIFF, return what tifffile reads and
    the first page's tags and raw first segment."""
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, data, **kwargs)
    buffer.seek(0)
    with tifffile.TiffFile(buffer) as tif:
        result = tif.asarray()
        page = tif.pages[0]
        info = {
            'compression': int(page.compression),
            'predictor': int(page.predictor),
            'bitspersample': page.bitspersample,
            'is_tiled': page.is_tiled,
            'is_bigtiff': tif.is_bigtiff,
            'rowsperstrip': page.rowsperstrip,
            'tile': (page.tilelength, page.tilewidth),
            'planarconfig': int(page.planarconfig),
        }
        buffer.seek(page.dataoffsets[0])
        segment = buffer.read(page.databytecounts[0])
    return result, info, segment


# Layouts: name -> (shape of the written data, imwrite arguments). Sizes are
# not multiples of strips or tiles, so edge segments are padded or short.
LAYOUTS = {
    'gray-strips': ((2, 61, 75), {'rowsperstrip': 16}),
    'rgb-strips': ((61, 75, 3), {'photometric': 'rgb', 'rowsperstrip': 8}),
    'rgb-tiles': ((61, 75, 3), {'photometric': 'rgb', 'tile': (32, 48)}),
    'rgb-planar-tiles': ((3, 61, 75), {'photometric': 'rgb',
                                       'planarconfig': 'separate',
                                       'tile': (16, 32)}),
}

# tifffile compression -> (codecs tifffile would call, compressionargs)
LOSSLESS = {
    'zlib': (('deflate', 'zlib'), None),
    'deflate': (('deflate', 'zlib'), None),
    'lzw': (('lzw',), None),
    'packbits': (('packbits',), None),
    'zstd': (('zstd',), None),
    'lzma': (('lzma',), None),
    'lerc': (('lerc',), None),
    'lerc-zstd': (('lerc',), {'compression': 'zstd'}),
    'lerc-deflate': (('lerc',), {'compression': 'deflate'}),
}
INT_DTYPES = ('u1', 'u2', 'i2')
FLOAT_DTYPES = ('f4', 'f8')


def lossless_cases():
    for name in LOSSLESS:
        for dtype in INT_DTYPES + FLOAT_DTYPES:
            predictors = [None, 'horizontal' if dtype in INT_DTYPES
                          else 'floatingpoint']
            if name.startswith('lerc') and dtype in FLOAT_DTYPES:
                # byte-shuffled float differences are not floats LERC keeps
                # bit-exact (NaN patterns)
                predictors = [None]
            for predictor in predictors:
                for layout in LAYOUTS:
                    yield pytest.param(name, dtype, predictor, layout,
                                       id=f'{name}-{dtype}-{predictor}-'
                                          f'{layout}')


def write_args(name, predictor, layout):
    codecs, compressionargs = LOSSLESS[name]
    require_any(*codecs)
    if predictor == 'horizontal':
        require('delta')
    elif predictor == 'floatingpoint':
        require('floatpred')
    shape, kwargs = LAYOUTS[layout]
    kwargs = dict(kwargs, compression=name.split('-')[0], predictor=predictor)
    if compressionargs:
        kwargs['compressionargs'] = compressionargs
    return shape, kwargs


@pytest.mark.parametrize('name, dtype, predictor, layout',
                         list(lossless_cases()))
def test_lossless(name, dtype, predictor, layout):
    shape, kwargs = write_args(name, predictor, layout)
    data = image(shape, dtype)
    result, info, _ = roundtrip(data, **kwargs)
    assert info['predictor'] == {None: 1, 'horizontal': 2,
                                 'floatingpoint': 3}[predictor]
    assert result.dtype == data.dtype
    numpy.testing.assert_array_equal(result, data)


@pytest.mark.parametrize('name', ['zlib', 'zstd', 'lzw', 'lerc-zstd'])
def test_bigtiff(name):
    shape, kwargs = write_args(name, 'horizontal', 'rgb-tiles')
    data = image(shape, 'u2', seed=3)
    result, info, _ = roundtrip(data, bigtiff=True, **kwargs)
    assert info['is_bigtiff'] and info['is_tiled']
    numpy.testing.assert_array_equal(result, data)


@pytest.mark.parametrize('predictor', [None, 'horizontal'])
@pytest.mark.parametrize('compression', ['zlib', 'deflate'])
def test_deflate_segments_are_zlib_streams(compression, predictor):
    """Python's zlib decodes the segments our encoder wrote."""
    shape, kwargs = write_args(compression, predictor, 'gray-strips')
    data = image(shape, 'u2', seed=5)
    result, info, segment = roundtrip(data, **kwargs)
    numpy.testing.assert_array_equal(result, data)
    rows = data[0, :info['rowsperstrip']]
    if predictor == 'horizontal':
        rows = numpy.diff(rows, axis=-1, prepend=0).astype(rows.dtype)
    assert zlib.decompress(segment) == rows.tobytes()


def test_lzma_segments_are_xz_streams():
    """Python's lzma decodes the segments our encoder wrote."""
    import lzma

    shape, kwargs = write_args('lzma', None, 'rgb-tiles')
    data = image(shape, 'u1', seed=6)
    result, info, segment = roundtrip(data, **kwargs)
    numpy.testing.assert_array_equal(result, data)
    tile = numpy.zeros(info['tile'] + (3,), 'u1')
    tile[:] = data[:info['tile'][0], :info['tile'][1]]
    assert lzma.decompress(segment) == tile.tobytes()


# Image formats: name -> (codec, dtypes, compressionargs, bound) where
# bound is None for exact or (max error, mean error) in units of the
# dtype's range / 255. Data is smooth so that lossy errors stay small.
IMAGE_FORMATS = {
    'png': ('png', ('u1', 'u2'), None, None),
    'webp': ('webp', ('u1',), {'lossless': True}, None),
    'webp-lossy': ('webp', ('u1',), {'level': 90, 'lossless': False},
                   (40, 4)),
    'jpeg': ('jpeg', ('u1', 'u2'), None, (40, 4)),
    'jpeg_lossy': ('jpeg8', ('u1',), None, (40, 4)),
    'jpeg2000': ('jpeg2k', ('u1', 'u2', 'i2'), None, None),
    'jpegxl': ('jpegxl', ('u1', 'u2'), {'lossless': True}, None),
    'jpegxl-float': ('jpegxl', ('f4',), {'lossless': True}, None),
    'jpegxr': ('jpegxr', ('u1', 'u2'), None, None),
}


def image_cases():
    for name, (_, dtypes, _, _) in IMAGE_FORMATS.items():
        for dtype in dtypes:
            for layout in LAYOUTS:
                if name.startswith('webp') and not layout.startswith('rgb-t'):
                    continue  # WebP holds RGB(A) only
                yield pytest.param(name, dtype, layout,
                                   id=f'{name}-{dtype}-{layout}')


@pytest.mark.parametrize('name, dtype, layout', list(image_cases()))
def test_image_format(name, dtype, layout):
    codec, _, compressionargs, bound = IMAGE_FORMATS[name]
    require(codec)
    shape, kwargs = LAYOUTS[layout]
    kwargs = dict(kwargs, compression=name.split('-')[0])
    if compressionargs:
        kwargs['compressionargs'] = compressionargs
    # 12-bit JPEG is what tifffile writes for 16-bit data
    high = 4095 if name == 'jpeg' and dtype == 'u2' else None
    data = image(shape, dtype, seed=1, high=high, noise=0.02)
    result, info, _ = roundtrip(data, **kwargs)
    assert result.shape == data.shape and result.dtype == data.dtype
    if bound is None:
        numpy.testing.assert_array_equal(result, data)
        return
    scale = (high or 255) / 255 if dtype != 'u1' else 1
    error = numpy.abs(result.astype('f8') - data) / scale
    assert error.max() <= bound[0] and error.mean() <= bound[1], (
        error.max(), error.mean())


def test_jpegxr_float_is_close():
    require('jpegxr')
    shape, kwargs = LAYOUTS['rgb-tiles']
    data = image(shape, 'f4', seed=2)
    result, _, _ = roundtrip(data, compression='jpegxr', **kwargs)
    assert result.dtype == data.dtype
    numpy.testing.assert_allclose(result, data, rtol=1e-2, atol=1e-2)


def pack_rows(rows, bitspersample):
    """Pack a (rows, samples-per-row) array MSB first, each row padded to
    whole bytes, as TIFF stores samples of fewer than 8 bits."""
    shifts = numpy.arange(bitspersample - 1, -1, -1, dtype='u8')
    bits = (rows.astype('u8')[..., None] >> shifts) & 1
    bits = bits.reshape(rows.shape[0], -1).astype('u1')
    return numpy.packbits(bits, axis=-1).tobytes()


# (dtype, bitspersample) that tifffile writes with packints_encode
PACKED = [('u1', 1), ('u1', 2), ('u1', 4), ('u1', 7), ('u2', 9), ('u2', 12),
          ('u4', 17), ('u4', 24)]


@pytest.mark.parametrize('layout', list(LAYOUTS) + ['gray-tiles'])
@pytest.mark.parametrize('dtype, bitspersample', PACKED,
                         ids=[f'{d}-{b}' for d, b in PACKED])
def test_bitspersample(dtype, bitspersample, layout):
    """Low bit depths: the stored bytes follow TIFF's packing and read back.
    """
    require('packints')
    shape, kwargs = LAYOUTS.get(layout, ((64, 80), {'tile': (16, 32)}))
    rng = numpy.random.default_rng(bitspersample)
    data = rng.integers(0, 1 << bitspersample, shape, dtype)
    result, info, segment = roundtrip(data, bitspersample=bitspersample,
                                      **kwargs)
    assert info['bitspersample'] == bitspersample
    numpy.testing.assert_array_equal(result, data)
    # the first strip or tile as an independent packer writes it
    if data.ndim == 3 and kwargs.get('photometric') == 'rgb':
        planes = (data if kwargs.get('planarconfig') == 'separate'
                  else data[numpy.newaxis])
        first = planes[0]
    else:
        first = data if data.ndim == 2 else data[0]
    if info['is_tiled']:
        length, width = info['tile']
        tile = numpy.zeros((length, width) + first.shape[2:], first.dtype)
        part = first[:length, :width]
        tile[:part.shape[0], :part.shape[1]] = part
        first = tile
    else:
        first = first[:info['rowsperstrip']]
    rows = first.reshape(first.shape[0], -1)
    assert segment == pack_rows(rows, bitspersample)


@pytest.mark.parametrize('layout', ['gray-strips', 'gray-tiles'])
def test_bilevel(layout):
    """tifffile packs booleans itself and unpacks them with packints."""
    require('packints')
    shape, kwargs = LAYOUTS.get(layout, ((64, 80), {'tile': (16, 32)}))
    data = image(shape, bool, seed=4)
    result, info, segment = roundtrip(data, **kwargs)
    assert info['bitspersample'] == 1
    assert result.dtype == bool
    numpy.testing.assert_array_equal(result, data)


# --- sample files written by other software -------------------------------

# TIFF compression tag -> codecs tifffile would call to decode it
DECODERS = {1: (), 5: ('lzw',), 7: ('jpeg',), 8: ('deflate', 'zlib'),
            32773: ('packbits',), 34712: ('jpeg2k',), 34887: ('lerc',),
            34925: ('lzma',), 34933: ('png',), 34934: ('jpegxr',),
            50000: ('zstd',), 50001: ('webp',)}


def independent(path):
    """Decode the first page with tiffsamples and Python's zlib, undoing
    horizontal differencing with numpy."""
    page = tiffsamples.read(path)
    assert page.compression in (1, 8)
    inflate = (lambda data, n: data) if page.compression == 1 else \
        (lambda data, n: zlib.decompress(data))
    image = tiffsamples.assemble(page, inflate)
    if page.predictor == 2:
        assert 322 not in page.tags  # strips: rows are whole
        image = numpy.cumsum(image, axis=1, dtype=image.dtype)
    return image


def read_first_page(path):
    """The first page as tifffile decodes it, shaped (length, width, s)."""
    with tifffile.TiffFile(path) as tif:
        page = tif.pages[0]
        if DECODERS[int(page.compression)]:
            require_any(*DECODERS[int(page.compression)])
        if int(page.predictor) == 2:
            require('delta')
        data = page.asarray()
    if data.ndim == 2:
        data = data[..., numpy.newaxis]
    return data


# files whose first page tiffsamples reads: Deflate or none, contiguous
INDEPENDENT = ['gray.u1.tif', 'gray.u2.tif', 'gray.u4.tif', 'gray.u8.tif',
               'gray.i1.tif', 'gray.i2.tif', 'gray.i4.tif', 'gray.i8.tif',
               'gray.f2.tif', 'gray.f4.tif', 'gray.f8.tif', 'gray.c8.tif',
               'gray.c16.tif', 'gray.bigendian.u2.tif', 'gray.bigtiff.u1.tif',
               'gray.tiled.u1.tif', 'gray.tiled.u2.tif', 'gray.tiled.f4.tif',
               'gray.contig.u1.tif', 'gray.stack.u1.tif', 'gray.one.f4.tif',
               'gray.one.f8.tif', 'rgb.u1.tif', 'rgb.tiled.u1.tif',
               'rgb.predict.u1.tif', 'rgba.u1.tif', 'rgba.tiled.u1.tif']


@pytest.mark.parametrize('name', INDEPENDENT)
def test_sample_deflate(samples, name):
    path = samples / 'tiff' / name
    expected = independent(path)
    result = read_first_page(path)
    assert result.dtype == expected.dtype.newbyteorder('=')
    assert result.size > 1 and (result.size < 4 or result.std() > 0)
    numpy.testing.assert_array_equal(result, expected)


def moved(array):
    """Planar (..., samples, length, width) to contiguous order."""
    return numpy.moveaxis(array, -3, -1)


# sample -> (sibling holding the same image, bound) with bound None for
# exact or (max, mean) absolute error; siblings use Deflate or nothing
SIBLINGS = {
    **{f'gray.{c}.u1.tif': ('gray.u1.tif', None)
       for c in ('zstd', 'lzma', 'lerc', 'packbits')},
    **{f'gray.{c}.u2.tif': ('gray.u2.tif', None)
       for c in ('zstd', 'lzma', 'packbits')},
    **{f'rgb.tiled.{c}.u1.tif': ('rgb.tiled.u1.tif', None)
       for c in ('lzma', 'lzw', 'packbits', 'png', 'zstd', 'lerc',
                 'jpeg2000', 'jpegxl', 'jpegxr')},
    'rgb.tiled.webp.u1.tif': ('rgb.tiled.u1.tif', (32, 3)),
    'rgb.tiled.jpeg.u1.tif': ('rgb.tiled.u1.tif', (32, 3)),
    'gray.depth.deflate.u1.tif': ('gray.depth.u1.tif', None),
    'rgb.separate.u1.tif': ('rgb.u1.tif', None),
    'rgb.separate.tiled.u1.tif': ('rgb.u1.tif', None),
    'rgba.separate.u1.tif': ('rgba.u1.tif', None),
    'rgba.separate.tiled.u1.tif': ('rgba.u1.tif', None),
    'gray.separate.u1.tif': ('gray.contig.u1.tif', None),
}


@pytest.mark.parametrize('name', list(SIBLINGS))
def test_sample_sibling(samples, name):
    sibling, bound = SIBLINGS[name]
    folder = samples / 'tiff'
    with tifffile.TiffFile(folder / name) as tif:
        compression = int(tif.pages[0].compression)
        planar = int(tif.pages[0].planarconfig) == 2
    require_any(*DECODERS[compression])
    require_any('deflate', 'zlib')
    result = tifffile.imread(folder / name)
    expected = tifffile.imread(folder / sibling)
    if planar:
        result = moved(result)
    assert result.shape == expected.shape
    assert result.dtype == expected.dtype
    if bound is None:
        numpy.testing.assert_array_equal(result, expected)
    else:
        error = numpy.abs(result.astype('f8') - expected)
        assert error.max() <= bound[0] and error.mean() <= bound[1]


def test_sample_jpeg12(samples):
    """12-bit JPEG tiles hold the 8-bit sibling's image times 16."""
    require('jpeg')
    require_any('deflate', 'zlib')
    folder = samples / 'tiff'
    result = tifffile.imread(folder / 'rgb.tiled.jpeg.u2.tif')
    expected = tifffile.imread(folder / 'rgb.tiled.u1.tif')
    assert result.dtype == numpy.uint16 and result.max() < 4096
    error = numpy.abs(result / 16 - expected)
    assert error.max() <= 32 and error.mean() <= 3


def test_sample_bilevel(samples):
    """1-bit strips decode to the bits of the raw rows."""
    require('packints')
    path = samples / 'tiff' / 'gray.b1.tif'
    with tifffile.TiffFile(path) as tif:
        page = tif.pages[0]
        assert page.bitspersample == 1 and int(page.compression) == 1
        result = page.asarray()
    raw = tiffsamples.read(path)
    length, width = raw.tags[257][0], raw.tags[256][0]
    rows = numpy.frombuffer(b''.join(raw.segments), 'u1')
    rows = rows[:length * -(-width // 8)].reshape(length, -1)
    expected = numpy.unpackbits(rows, axis=-1)[:, :width].astype(bool)
    assert result.dtype == bool and 0 < result.sum() < result.size
    numpy.testing.assert_array_equal(result, expected)


def test_sample_all_pages(samples):
    """Every page and series of multi-page samples decodes."""
    require_any('deflate', 'zlib')
    folder = samples / 'tiff'
    with tifffile.TiffFile(folder / 'gray.series.u1.tif') as tif:
        assert len(tif.series) > 1
        for series in tif.series:
            data = series.asarray()
            assert data.size and data.std() > 0
    stack = tifffile.imread(folder / 'gray.stack.u1.tif')
    pages = [tifffile.imread(folder / 'gray.stack.u1.tif', key=i)
             for i in range(len(stack))]
    numpy.testing.assert_array_equal(stack, numpy.stack(pages))
