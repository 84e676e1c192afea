# SPDX-License-Identifier: BSD-3-Clause
"""zarr 2 and dask over arrays whose chunks go through imagecodecs.numcodecs.

zarr 2 builds each codec from its JSON config through the numcodecs
registry, encodes whole chunks and, when a chunk lands whole in a
contiguous part of the output, decodes straight into that part with
decode(data, out=view). Image chunks have leading length-one dimensions.
"""

import json
import logging

import numpy
import pytest

from harness import require, run_isolated, smooth_image
import zarrcases
from zarrcases import CASES, DECODE_ONLY, QUANTIZE, make

zarr = pytest.importorskip('zarr')
numcodecs = pytest.importorskip('numcodecs')
if int(zarr.__version__.split('.')[0]) >= 3:
    pytest.skip('these tests use the zarr 2 API; see test_client_zarr3.py',
                allow_module_level=True)


def create(case, codec, store=None, **kwargs):
    roles = ({'compressor': codec} if case.role == 'compressor' else
             {'compressor': None, 'filters': [codec]})
    return zarr.open_array(store if store is not None else zarr.MemoryStore(),
                           mode='w', shape=case.shape, chunks=case.chunks,
                           dtype=case.dtype, **roles, **kwargs)


@pytest.mark.parametrize('case', [c.param() for c in CASES])
def test_array(case):
    codec, data = make(case)
    array = create(case, codec)
    array[...] = data
    # a new array object builds its codec from the stored JSON config
    again = zarr.open_array(array.store, mode='r')
    assert zarrcases.config_json(
        again.compressor if case.role == 'compressor' else again.filters[0]
    ) == zarrcases.config_json(codec)
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
    codec = zarrcases.ours(name)(**kwargs)
    array = create(case, codec)
    with pytest.raises(NotImplementedError):
        array[...] = 1


@pytest.mark.parametrize('case', [c.param() for c in CASES + QUANTIZE])
def test_config(case):
    """get_codec builds an equal codec from the JSON of get_config."""
    codec, _ = make(case)
    config = codec.get_config()
    assert config['id'] == f'imagecodecs_{case.name.lower()}'
    assert type(codec).codec_id == config['id']
    assert set(case.kwargs) <= set(config)
    loaded = json.loads(json.dumps(config))
    again = numcodecs.get_codec(dict(loaded))
    assert type(again) is type(codec)
    assert zarrcases.config_json(again) == zarrcases.config_json(codec)


def codec_classes():
    """Every numcodecs class of imagecodecs.numcodecs."""
    from numcodecs.abc import Codec
    from imagecodecs import numcodecs as module

    return [cls for cls in vars(module).values()
            if isinstance(cls, type) and issubclass(cls, Codec)
            and cls.__module__ == module.__name__
            and getattr(cls, 'codec_id', None)]


def made_from_id(cls) -> bool:
    """Whether get_codec({'id': ...}) finds the class registered: making
    it without arguments either works or lacks arguments (TypeError); a
    ValueError (its codec is not in this build) reads as unregistered."""
    try:
        cls()
    except TypeError:
        pass
    except ValueError:
        return False
    return True


def test_registered():
    """register_codecs puts every class under its id in the registry,
    also those of codecs this build lacks (they fail when made)."""
    from imagecodecs import numcodecs as module

    module.register_codecs(force=True, verbose=False)
    classes = codec_classes()
    assert len(classes) > 50
    for cls in classes:
        assert cls.codec_id.startswith('imagecodecs_'), cls
        assert numcodecs.registry.codec_registry.get(cls.codec_id) is cls, \
            cls.codec_id


LOGGER = 'imagecodecs.numcodecs'


def test_register_codecs_logging(caplog):
    from imagecodecs import numcodecs as module

    def logged(**kwargs):
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger=LOGGER):
            module.register_codecs(**kwargs)
        return [(r.name, r.levelno, r.getMessage()) for r in caplog.records]

    assert logged(force=True, verbose=False) == []
    # a class that cannot be made from its id counts as not registered
    # and is registered again without a word
    assert sorted(logged()) == sorted(
        (LOGGER, logging.WARNING, f'numcodec {cls.codec_id} already '
         'registered') for cls in codec_classes() if made_from_id(cls))
    assert logged(codecs=['imagecodecs_lzw']) == [
        (LOGGER, logging.WARNING,
         'numcodec imagecodecs_lzw already registered')]
    assert logged(codecs=['imagecodecs_lzw'], force=True) == [
        (LOGGER, logging.WARNING,
         'replacing registered numcodec imagecodecs_lzw')]
    assert logged(codecs=['imagecodecs_lzw'], verbose=False) == []
    # a codec not yet registered is registered without a word
    del numcodecs.registry.codec_registry['imagecodecs_lzw']
    assert logged(codecs=['imagecodecs_lzw']) == []
    assert numcodecs.registry.codec_registry['imagecodecs_lzw'] is \
        module.Lzw


def test_register_codecs_in_fresh_process():
    """Messages go to the logger, which Python prints to stderr."""
    result = run_isolated(
        'import numcodecs; from imagecodecs import numcodecs as m; '
        'm.register_codecs(); m.register_codecs(codecs=["imagecodecs_lzw"]); '
        'print(type(numcodecs.get_codec({"id": "imagecodecs_lzw"})).__name__)'
    )
    assert result.stdout.split() == [b'Lzw']
    assert result.stderr.decode().splitlines() == [
        'numcodec imagecodecs_lzw already registered']


# arrays stored on disk and read by a new interpreter: name -> case
STORED = {
    'lzw-delta': zarrcases.Case('Lzw', {}, 'compressor', 'u2', (64, 96),
                                (32, 48), codecs=('lzw', 'delta')),
    'bmp': zarrcases.Case('Bmp', {}, 'compressor', 'u1', *zarrcases.RGB,
                          codecs=('bmp',)),
    'packbits-checksum': zarrcases.Case('Packbits', {}, 'compressor', 'i2',
                                        (5, 40, 50), (2, 20, 50),
                                        codecs=('packbits', 'h5checksum')),
    'zstd': zarrcases.Case('Zstd', {'level': 7}, 'compressor', 'f4',
                           (64, 96), (64, 32), codecs=('zstd',)),
}


def test_fresh_process_reads_metadata(tmp_path):
    """A new interpreter rebuilds the codecs from the JSON metadata once
    register_codecs() ran."""
    written = []
    for name, case in STORED.items():
        try:
            codec, data = make(case)
        except pytest.skip.Exception:
            continue
        filters = None
        if name == 'lzw-delta':
            filters = [zarrcases.ours('Delta')(shape=case.chunks,
                                               dtype=case.dtype)]
        elif name == 'packbits-checksum':
            filters = [zarrcases.ours('Checksum')(kind='h5crc')]
        array = create(case, codec, zarr.DirectoryStore(tmp_path / name),
                       filters=filters)
        array[...] = data
        numpy.save(tmp_path / f'{name}.npy', data)
        meta = json.loads((tmp_path / name / '.zarray').read_text())
        assert meta['compressor']['id'] == codec.codec_id
        written.append(name)
    assert written
    code = (
        'import sys, pathlib, numpy, zarr\n'
        'from imagecodecs.numcodecs import register_codecs\n'
        'register_codecs(verbose=False)\n'
        'folder = pathlib.Path(sys.argv[1])\n'
        'for name in sys.argv[2:]:\n'
        '    data = zarr.open_array(str(folder / name), mode="r")[...]\n'
        '    expected = numpy.load(folder / (name + ".npy"))\n'
        '    print(name, numpy.array_equal(data, expected))\n'
    )
    result = run_isolated(code, str(tmp_path), *written)
    assert result.stdout.decode().split() == [
        word for name in written for word in (name, 'True')]


def test_checksum_noncontiguous():
    """Checksums of strided views are those of their contiguous copies."""
    import zlib

    require('zlib')
    require('h5checksum')
    Checksum = zarrcases.ours('Checksum')
    data = smooth_image((10, 24), 'u2', seed=9)
    # (the reference refuses Fortran-ordered arrays, so none here)
    views = [data[:, ::2], data[:, ::2].T, data[::3], data[2:7, 5:9],
             data[::-1, ::-2]]
    for kind in ('crc32', 'adler32', 'fletcher32', 'lookup3', 'h5crc'):
        codec = Checksum(kind=kind, prepend=False, byteorder='<')
        for view in views:
            contiguous = numpy.ascontiguousarray(view).tobytes()
            encoded = bytes(codec.encode(view))
            assert encoded == bytes(codec.encode(contiguous)), kind
            assert encoded[:-4] == contiguous
            assert bytes(codec.decode(encoded)) == contiguous
            if kind in {'crc32', 'adler32'}:
                value = getattr(zlib, kind)(contiguous)
                assert encoded[-4:] == value.to_bytes(4, 'little')


def test_dask_from_zarr():
    dask = pytest.importorskip('dask.array')
    case = zarrcases.Case('Lzw', {}, 'compressor', 'u2', (6, 64, 96),
                          (2, 32, 48), codecs=('lzw', 'delta'))
    codec, data = make(case)
    delta = zarrcases.ours('Delta')(shape=case.chunks, dtype=case.dtype)
    array = create(case, codec, filters=[delta])
    array[...] = data
    lazy = dask.from_zarr(array)
    assert lazy.chunks[0] == (2, 2, 2)
    result = (lazy.astype('f8') * 2 - 1).mean(axis=(1, 2)).compute()
    numpy.testing.assert_allclose(
        result, (data.astype('f8') * 2 - 1).mean(axis=(1, 2)))
    numpy.testing.assert_array_equal(lazy[2:5, 10:50, 3].compute(),
                                     data[2:5, 10:50, 3])


def test_dask_image_chunks():
    """One image per chunk, read by dask's threads."""
    dask = pytest.importorskip('dask.array')
    case = zarrcases.Case('Bmp', {}, 'compressor', 'u1', (8, 64, 96, 3),
                          (1, 64, 96, 3), codecs=('bmp',))
    codec, data = make(case)
    array = create(case, codec)
    array[...] = data
    lazy = dask.from_zarr(array)
    assert lazy.numblocks == (8, 1, 1, 1)
    numpy.testing.assert_array_equal(lazy.max(axis=0).compute(),
                                     data.max(axis=0))
    numpy.testing.assert_array_equal(lazy.compute(), data)


def test_dask_to_zarr(tmp_path):
    """dask writes chunks from its threads through our encoders."""
    dask = pytest.importorskip('dask.array')
    require('lzw')
    require('floatpred')
    data = smooth_image((8, 64, 96), 'f4', seed=11)
    floatpred = zarrcases.ours('Floatpred')(shape=(1, 64, 96), dtype='f4')
    dask.from_array(data, chunks=(1, 64, 96)).to_zarr(
        str(tmp_path / 'a.zarr'), compressor=zarrcases.ours('Lzw')(),
        filters=[floatpred])
    numpy.testing.assert_array_equal(
        dask.from_zarr(str(tmp_path / 'a.zarr')).compute(), data)
