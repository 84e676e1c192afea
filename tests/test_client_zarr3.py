# SPDX-License-Identifier: BSD-3-Clause
"""zarr 3, tifffile's zarr stores and dask over our codecs.

zarr 3 takes numcodecs codecs in arrays of zarr format 2 only (format 3
needs codecs of its own kind, which the reference package does not ship),
so the classes of imagecodecs.numcodecs are tested there. tifffile's
aszarr() stores, which need zarr 3, decode TIFF segments through the same
functions as tifffile.imread. ci/test_clients_zarr3.sh runs this file in an
environment with zarr 3.
"""

import json

import numpy
import pytest

from harness import require, require_any, run_isolated, smooth_image
import zarrcases
from zarrcases import CASES, DECODE_ONLY, QUANTIZE, make

zarr = pytest.importorskip('zarr')
numcodecs = pytest.importorskip('numcodecs')
if int(zarr.__version__.split('.')[0]) < 3:
    pytest.skip('these tests need zarr 3; see test_client_zarr.py',
                allow_module_level=True)

pytestmark = pytest.mark.filterwarnings(
    # zarr 3 warns that format 2 and numcodecs codecs are not format 3
    'ignore::UserWarning', 'ignore::FutureWarning')


def create(case, codec, store=None, filters=None):
    compressors = codec if case.role == 'compressor' else None
    if case.role == 'filter':
        filters = [codec]
    return zarr.create_array(
        store if store is not None else zarr.storage.MemoryStore(),
        shape=case.shape, chunks=case.chunks, dtype=case.dtype,
        zarr_format=2, compressors=compressors, filters=filters,
        fill_value=0)


# zarr 3 hands Bitshuffle's decoder a uint8 array, whose item size the
# reference takes over the codec's itemsize; nothing to compare with
ZARR3_CASES = [c for c in CASES if c.name != 'Bitshuffle']


@pytest.mark.parametrize('case', [c.param() for c in ZARR3_CASES])
def test_array(case):
    codec, data = make(case)
    array = create(case, codec)
    array[...] = data
    again = zarr.open_array(array.store, mode='r')
    stored = (again.compressors if case.role == 'compressor'
              else again.filters)
    assert [zarrcases.config_json(c) for c in stored] == [
        zarrcases.config_json(codec)]
    zarrcases.check_read(case, again, data)


@pytest.mark.parametrize('case', [c.param() for c in QUANTIZE])
def test_quantize(case):
    codec, data = make(case)
    array = create(case, codec)
    array[...] = data
    result = zarr.open_array(array.store, mode='r')[...]
    zarrcases.check_quantized(case, codec, data, result)


@pytest.mark.parametrize('name, kwargs', DECODE_ONLY,
                         ids=[n for n, _ in DECODE_ONLY])
def test_decode_only(name, kwargs):
    case = zarrcases.Case(name, kwargs, 'compressor', 'u2', *zarrcases.GRAY,
                          codecs=(name.lower(),))
    zarrcases.require(case)
    array = create(case, zarrcases.ours(name)(**kwargs))
    with pytest.raises(NotImplementedError):
        array[...] = 1


def test_fresh_process_reads_metadata(tmp_path):
    """A new interpreter reads the arrays once register_codecs() ran."""
    cases = {
        'lzw': zarrcases.Case('Lzw', {}, 'compressor', 'u2', (64, 96),
                              (32, 48), codecs=('lzw', 'delta')),
        'bmp': zarrcases.Case('Bmp', {}, 'compressor', 'u1', *zarrcases.RGB,
                              codecs=('bmp',)),
    }
    for name, case in cases.items():
        codec, data = make(case)
        filters = None
        if name == 'lzw':
            filters = [zarrcases.ours('Delta')(shape=case.chunks,
                                               dtype=case.dtype)]
        array = create(case, codec, str(tmp_path / name), filters=filters)
        array[...] = data
        numpy.save(tmp_path / f'{name}.npy', data)
        meta = json.loads((tmp_path / name / '.zarray').read_text())
        assert meta['compressor']['id'] == codec.codec_id
    code = (
        'import sys, pathlib, warnings, numpy, zarr\n'
        'warnings.simplefilter("ignore")\n'
        'from imagecodecs.numcodecs import register_codecs\n'
        'register_codecs(verbose=False)\n'
        'folder = pathlib.Path(sys.argv[1])\n'
        'for name in sys.argv[2:]:\n'
        '    data = zarr.open_array(str(folder / name), mode="r")[...]\n'
        '    expected = numpy.load(folder / (name + ".npy"))\n'
        '    print(name, numpy.array_equal(data, expected))\n'
    )
    result = run_isolated(code, str(tmp_path), *cases)
    assert result.stdout.decode().split() == ['lzw', 'True', 'bmp', 'True']


def test_dask_from_zarr():
    dask = pytest.importorskip('dask.array')
    case = zarrcases.Case('Ljpeg', {}, 'compressor', 'u2', (6, 64, 96),
                          (1, 64, 96), codecs=('ljpeg',))
    codec, data = make(case)
    array = create(case, codec)
    array[...] = data
    lazy = dask.from_zarr(array)
    assert lazy.numblocks == (6, 1, 1)
    result = (lazy.astype('f8') - 100).std(axis=0).compute()
    numpy.testing.assert_allclose(result, (data.astype('f8') - 100).std(
        axis=0))


# --- tifffile's zarr stores ----------------------------------------------

tifffile = pytest.importorskip('tifffile')

# compression -> (codecs tifffile would call, predictor, dtype)
TIFF_CASES = {
    'zlib': (('deflate', 'zlib'), 'horizontal', 'u2'),
    'lzw': (('lzw',), 'horizontal', 'u1'),
    'packbits': (('packbits',), None, 'i2'),
    'zstd': (('zstd',), 'floatingpoint', 'f4'),
    'lerc': (('lerc',), None, 'f4'),
    'png': (('png',), None, 'u2'),
    'jpegxl': (('jpegxl',), None, 'u1'),
}


def require_tiff(codecs, predictor):
    require_any(*codecs)
    if predictor:
        require({'horizontal': 'delta', 'floatingpoint': 'floatpred'}[
            predictor])


@pytest.mark.parametrize('tile', [None, (32, 48)], ids=['strips', 'tiles'])
@pytest.mark.parametrize('compression', list(TIFF_CASES))
def test_aszarr(tmp_path, compression, tile):
    codecs, predictor, dtype = TIFF_CASES[compression]
    require_tiff(codecs, predictor)
    data = smooth_image((3, 70, 100), dtype, seed=4)
    path = tmp_path / 'a.tif'
    tifffile.imwrite(path, data, compression=compression, tile=tile,
                     predictor=predictor, photometric='minisblack',
                     rowsperstrip=None if tile else 16)
    with tifffile.imread(path, aszarr=True) as store:
        array = zarr.open(store, mode='r')
        assert array.shape == data.shape
        numpy.testing.assert_array_equal(array[...], data)
        numpy.testing.assert_array_equal(array[1, 20:61, 7:93],
                                         data[1, 20:61, 7:93])


def test_aszarr_pyramid_dask(tmp_path):
    """Levels of a pyramid as a zarr group, read by dask."""
    dask = pytest.importorskip('dask.array')
    require_tiff(('zstd',), 'horizontal')
    data = smooth_image((128, 160), 'u2', seed=5)
    path = tmp_path / 'pyramid.tif'
    with tifffile.TiffWriter(path) as tif:
        options = {'tile': (32, 32), 'compression': 'zstd',
                   'predictor': 'horizontal'}
        tif.write(data, subifds=2, **options)
        tif.write(data[::2, ::2], subfiletype=1, **options)
        tif.write(data[::4, ::4], subfiletype=1, **options)
    with tifffile.imread(path, aszarr=True) as store:
        group = zarr.open(store, mode='r')
        for level in range(3):
            step = 2 ** level
            lazy = dask.from_zarr(group[str(level)])
            assert lazy.numblocks == (-(-128 // step // 32),
                                      -(-160 // step // 32))
            numpy.testing.assert_array_equal(lazy.compute(),
                                             data[::step, ::step])
            assert int(lazy.sum().compute()) == int(
                data[::step, ::step].sum(dtype='u8'))


def test_aszarr_file_sequence(tmp_path):
    require_tiff(('lzw',), 'horizontal')
    data = smooth_image((4, 50, 60), 'u2', seed=6)
    for index, image in enumerate(data):
        tifffile.imwrite(tmp_path / f'image{index}.tif', image,
                         compression='lzw', predictor='horizontal')
    with tifffile.imread(str(tmp_path / 'image*.tif'), aszarr=True) as store:
        array = zarr.open(store, mode='r')
        numpy.testing.assert_array_equal(array[...], data)


@pytest.mark.parametrize('name', ['rgb.tiled.lzw.u1.tif',
                                  'rgb.tiled.zstd.u1.tif',
                                  'gray.lzma.u2.tif', 'rgb.predict.u1.tif',
                                  'rgb.separate.tiled.u1.tif',
                                  'rgb.tiled.jpeg.u1.tif'])
def test_aszarr_samples(samples, name):
    """Sample files through zarr equal what tifffile.imread decodes."""
    path = samples / 'tiff' / name
    with tifffile.TiffFile(path) as tif:
        page = tif.pages[0]
        compression, predictor = int(page.compression), int(page.predictor)
    codecs = {5: ('lzw',), 7: ('jpeg',), 8: ('deflate', 'zlib'),
              34925: ('lzma',), 50000: ('zstd',)}[compression]
    require_tiff(codecs, 'horizontal' if predictor == 2 else None)
    expected = tifffile.imread(path)
    with tifffile.imread(path, aszarr=True) as store:
        array = zarr.open(store, mode='r')
        numpy.testing.assert_array_equal(array[...], expected)
