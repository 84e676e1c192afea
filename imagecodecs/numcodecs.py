# SPDX-License-Identifier: BSD-3-Clause
"""numcodecs codecs for Zarr, named ``imagecodecs_<name>``.

Each class is a thin layer over the package's functions: its constructor
takes the keyword parameters listed in ``_SPECS``, ``encode`` passes the
encode parameters to ``<name>_encode`` and ``decode`` the decode parameters
to ``<name>_decode``. Three kinds of codec differ only in how chunks enter
and leave: byte compressors, array filters (which need the chunk's shape
and dtype to rebuild the array) and image codecs (which squeeze length-one
chunk dimensions). Register them with ``register_codecs()``.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy
from numcodecs.abc import Codec
from numcodecs.compat import ensure_contiguous_ndarray, ndarray_copy
from numcodecs.registry import register_codec

import imagecodecs

__all__ = ['register_codecs']


class ImagecodecsCodec(Codec):
    """Base of all codecs: parameters, availability and the two calls."""

    codec_name: str = ''
    # parameter -> default, keyword-only, in signature order
    parameters: dict[str, Any] = {}
    encode_parameters: tuple[str, ...] = ()
    decode_parameters: tuple[str, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        unknown = set(kwargs) - set(self.parameters)
        if unknown:
            raise TypeError(f'{type(self).__name__} got unexpected '
                            f'parameters {sorted(unknown)}')
        if not getattr(imagecodecs, self.codec_name.upper()).available:
            raise ValueError(f'imagecodecs.{self.codec_name.upper()} '
                             'is not available')
        for name, default in self.parameters.items():
            setattr(self, name, _normalize(name, kwargs.get(name, default)))

    def _kwargs(self, names: tuple[str, ...]) -> dict[str, Any]:
        return {name: getattr(self, name) for name in names}

    def encode(self, buf: Any) -> Any:
        encode = getattr(imagecodecs, f'{self.codec_name}_encode')
        return encode(self._encode_input(buf),
                      **self._kwargs(self.encode_parameters))

    def decode(self, buf: Any, out: Any = None) -> Any:
        decode = getattr(imagecodecs, f'{self.codec_name}_decode')
        result = decode(buf, **self._kwargs(self.decode_parameters))
        return self._decode_output(result, out)

    def _encode_input(self, buf: Any) -> Any:
        return ensure_contiguous_ndarray(buf)

    def _decode_output(self, result: Any, out: Any) -> Any:
        return ndarray_copy(result, out) if out is not None else result


class ArrayCodec(ImagecodecsCodec):
    """A filter over typed arrays: optional shape and dtype rebuild them."""

    def _encode_input(self, buf: Any) -> Any:
        array = numpy.asarray(buf)
        dtype = getattr(self, 'dtype', None)
        shape = getattr(self, 'shape', None)
        if dtype is not None and array.dtype != numpy.dtype(dtype):
            array = numpy.frombuffer(array.tobytes(), dtype)
        if shape is not None:
            array = array.reshape(shape)
        return array

    def decode(self, buf: Any, out: Any = None) -> Any:
        decode = getattr(imagecodecs, f'{self.codec_name}_decode')
        result = decode(self._encode_input(ensure_contiguous_ndarray(buf)),
                        **self._kwargs(self.decode_parameters))
        return self._decode_output(result, out)


class ArrayCompressor(ArrayCodec):
    """An array compressor: typed arrays in, a byte stream out.

    The stream goes to the decoder as it is; the decoder rebuilds the
    array from shape and dtype.
    """

    decode = ImagecodecsCodec.decode


class ImageCodec(ImagecodecsCodec):
    """An image format: chunks lose their length-one dimensions."""

    def _encode_input(self, buf: Any) -> Any:
        array = numpy.asarray(buf)
        squeeze = getattr(self, 'squeeze', None)
        if squeeze is False:
            return array
        if squeeze is None:
            axes = tuple(i for i, n in enumerate(array.shape)
                         if n == 1 and array.ndim - i > 3)
        else:
            axes = tuple(squeeze)
        return array.squeeze(axis=axes) if axes else array

    def _decode_output(self, result: Any, out: Any) -> Any:
        if out is None:
            return result
        out = numpy.asarray(out)
        out.reshape(-1).view(numpy.uint8)[:] = numpy.asarray(
            result).reshape(-1).view(numpy.uint8)
        return out


def _normalize(name: str, value: Any) -> Any:
    """Return a JSON-friendly parameter value."""
    if name == 'dtype' and value is not None:
        return numpy.dtype(value).str
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return value


_SQUEEZE = {'squeeze': None}

# class name: (kind, parameters with defaults, encode names, decode names)
_SPECS: dict[str, tuple] = {
    'Packbits': (ImagecodecsCodec, {'axis': None}, ('axis',), ()),
    'Lzw': (ImagecodecsCodec, {}, (), ()),
    'Pglz': (ImagecodecsCodec,
             {'header': True, 'strategy': None, 'checkcomplete': None},
             ('header', 'strategy'), ('header', 'checkcomplete')),
    'Lzo': (ImagecodecsCodec, {'header': False}, ('header',), ('header',)),
    'Bitorder': (ImagecodecsCodec, {}, (), ()),
    'Delta': (ArrayCodec, {'shape': None, 'dtype': None, 'axis': -1,
                           'dist': 1}, ('axis', 'dist'), ('axis', 'dist')),
    'Xor': (ArrayCodec, {'shape': None, 'dtype': None, 'axis': -1},
            ('axis',), ('axis',)),
    'Floatpred': (ArrayCodec, {'shape': None, 'dtype': None, 'axis': -1,
                               'dist': 1}, ('axis', 'dist'), ('axis', 'dist')),
    'Byteshuffle': (ArrayCodec, {'shape': None, 'dtype': None, 'axis': -1,
                                 'dist': 1, 'delta': False, 'reorder': False},
                    ('axis', 'dist', 'delta', 'reorder'),
                    ('axis', 'dist', 'delta', 'reorder')),
    'Float24': (ImagecodecsCodec, {'byteorder': None, 'rounding': None},
                ('byteorder', 'rounding'), ('byteorder',)),
    'Quantize': (ImagecodecsCodec, {'mode': None, 'nsd': None},
                 ('mode', 'nsd'), ('mode', 'nsd')),
    'Packints': (ImagecodecsCodec, {'dtype': None, 'bitspersample': None,
                                    'runlen': 0},
                 ('bitspersample',), ('dtype', 'bitspersample', 'runlen')),
    'Rcomp': (ArrayCompressor, {'shape': None, 'dtype': None, 'nblock': None},
              ('nblock',), ('shape', 'dtype', 'nblock')),
    'Dicomrle': (ImagecodecsCodec, {'dtype': None}, (), ('dtype',)),
    'Eer': (ImagecodecsCodec, {'shape': None, 'rlebits': None,
                               'horzbits': None, 'vertbits': None,
                               'superres': False}, (),
            ('shape', 'rlebits', 'horzbits', 'vertbits', 'superres')),
    'Aec': (ImagecodecsCodec, {'bitspersample': None, 'flags': None,
                               'blocksize': None, 'rsi': None},
            ('bitspersample', 'flags', 'blocksize', 'rsi'),
            ('bitspersample', 'flags', 'blocksize', 'rsi')),
    'Bmp': (ImageCodec, {'ppm': None, 'asrgb': None, **_SQUEEZE},
            ('ppm',), ('asrgb',)),
    'Rgbe': (ImageCodec, {'header': None, 'rle': None, 'shape': None,
                          **_SQUEEZE}, ('header', 'rle'), ('header', 'rle')),
    'Ljpeg': (ImageCodec, {'bitspersample': None, **_SQUEEZE},
              ('bitspersample',), ()),
    'Dds': (ImageCodec, {'mipmap': 0}, (), ('mipmap',)),
    'Zlib': (ImagecodecsCodec, {'level': None}, ('level',), ()),
    'Zlibng': (ImagecodecsCodec, {'level': None}, ('level',), ()),
    'Deflate': (ImagecodecsCodec, {'level': None, 'raw': False},
                ('level', 'raw'), ('raw',)),
    'Zstd': (ImagecodecsCodec, {'level': None}, ('level',), ()),
    'Lz4': (ImagecodecsCodec, {'level': None, 'hc': False, 'header': False},
            ('level', 'hc', 'header'), ('header',)),
    'Lz4f': (ImagecodecsCodec, {'level': None, 'blocksizeid': None,
                                'contentchecksum': None,
                                'blockchecksum': None},
             ('level', 'blocksizeid', 'contentchecksum', 'blockchecksum'), ()),
    'Lz4h5': (ImagecodecsCodec, {'level': None, 'blocksize': None},
              ('level', 'blocksize'), ()),
    'Blosc': (ImagecodecsCodec, {'level': None, 'compressor': None,
                                 'shuffle': None, 'typesize': None,
                                 'blocksize': None, 'numthreads': None},
              ('level', 'compressor', 'shuffle', 'typesize', 'blocksize',
               'numthreads'), ('numthreads',)),
    'Blosc2': (ImagecodecsCodec, {'level': None, 'compressor': None,
                                  'shuffle': None, 'splitmode': None,
                                  'typesize': None, 'blocksize': None,
                                  'numthreads': None},
               ('level', 'compressor', 'shuffle', 'splitmode', 'typesize',
                'blocksize', 'numthreads'), ('numthreads',)),
    'Brotli': (ImagecodecsCodec, {'level': None, 'mode': None,
                                  'lgwin': None},
               ('level', 'mode', 'lgwin'), ()),
    'Snappy': (ImagecodecsCodec, {}, (), ()),
    'Lzma': (ImagecodecsCodec, {'level': None, 'check': None},
             ('level', 'check'), ()),
    'Bz2': (ImagecodecsCodec, {'level': None}, ('level',), ()),
    'Lzf': (ImagecodecsCodec, {'header': True}, ('header',), ('header',)),
    'Lzfse': (ImagecodecsCodec, {}, (), ()),
    'Lzham': (ImagecodecsCodec, {'level': None}, ('level',), ()),
    'Zopfli': (ImagecodecsCodec, {}, (), ()),
    'Bitshuffle': (ImagecodecsCodec, {'itemsize': 1, 'blocksize': 0},
                   ('itemsize', 'blocksize'), ('itemsize', 'blocksize')),
    'Apng': (ImageCodec, {'level': None, 'strategy': None, 'filter': None,
                          'photometric': None, 'delay': None, **_SQUEEZE},
             ('level', 'strategy', 'filter', 'photometric', 'delay'), ()),
    'Png': (ImageCodec, {'level': None, 'strategy': None, 'filter': None,
                         **_SQUEEZE}, ('level', 'strategy', 'filter'), ()),
    'Spng': (ImageCodec, {'level': None, **_SQUEEZE}, ('level',), ()),
    'Gif': (ImageCodec, {**_SQUEEZE}, (), ()),
    'Qoi': (ImageCodec, {**_SQUEEZE}, (), ()),
    'Jpegls': (ImageCodec, {'level': None, **_SQUEEZE}, ('level',), ()),
    'Tiff': (ImageCodec, {'index': None, 'asrgb': False, 'verbose': 0,
                          **_SQUEEZE}, (), ('index', 'asrgb', 'verbose')),
    'Webp': (ImageCodec, {'level': None, 'lossless': None, 'method': None,
                          'index': 0, 'hasalpha': None, 'numthreads': None,
                          **_SQUEEZE},
             ('level', 'lossless', 'method', 'numthreads'),
             ('index', 'hasalpha')),
    'Avif': (ImageCodec, {'level': None, 'speed': None, 'tilelog2': None,
                          'bitspersample': None, 'pixelformat': None,
                          'codec': None, 'numthreads': None, 'index': None,
                          **_SQUEEZE},
             ('level', 'speed', 'tilelog2', 'bitspersample', 'pixelformat',
              'codec', 'numthreads'), ('index', 'numthreads')),
    'Heif': (ImageCodec, {'level': None, 'bitspersample': None,
                          'photometric': None, 'compression': None,
                          'index': None, **_SQUEEZE},
             ('level', 'bitspersample', 'photometric', 'compression'),
             ('index',)),
    'Jpeg': (ImageCodec, {'level': None, 'bitspersample': None,
                          'tables': None, 'header': None,
                          'colorspace_data': None, 'colorspace_jpeg': None,
                          'subsampling': None, 'optimize': None,
                          'smoothing': None, 'lossless': None,
                          'predictor': None, **_SQUEEZE},
             ('level', 'bitspersample', 'subsampling', 'optimize',
              'smoothing', 'lossless', 'predictor'),
             ('tables', 'header', 'bitspersample')),
    'Jpeg2k': (ImageCodec, {'level': None, 'codecformat': None,
                            'colorspace': None, 'planar': None, 'tile': None,
                            'bitspersample': None, 'resolutions': None,
                            'reversible': None, 'mct': True, 'verbose': 0,
                            'numthreads': None, **_SQUEEZE},
               ('level', 'codecformat', 'colorspace', 'planar', 'tile',
                'bitspersample', 'resolutions', 'reversible', 'mct',
                'verbose', 'numthreads'), ('planar', 'verbose', 'numthreads')),
    'Jpegxl': (ImageCodec, {'level': None, 'effort': None, 'distance': None,
                            'lossless': None, 'decodingspeed': None,
                            'photometric': None, 'bitspersample': None,
                            'planar': None, 'usecontainer': None,
                            **_SQUEEZE, 'index': None,
                            'keeporientation': None, 'numthreads': None},
               ('level', 'effort', 'distance', 'lossless', 'decodingspeed',
                'photometric', 'bitspersample', 'planar', 'usecontainer',
                'numthreads'), ('index', 'keeporientation', 'numthreads')),
    'Jpegxr': (ImageCodec, {'level': None, 'photometric': None,
                            'hasalpha': None, 'resolution': None,
                            'fp2int': False, **_SQUEEZE},
               ('level', 'photometric', 'hasalpha', 'resolution'),
               ('fp2int',)),
    'Lerc': (ImageCodec, {'level': None, 'version': None, 'planar': None,
                          'compression': None, 'compressionargs': None,
                          **_SQUEEZE},
             ('level', 'version', 'planar', 'compression',
              'compressionargs'), ()),
    'Zfp': (ArrayCompressor, {'shape': None, 'dtype': None, 'strides': None,
                         'level': None, 'mode': None, 'execution': None,
                         'chunksize': None, 'header': True,
                         'numthreads': None},
            ('level', 'mode', 'execution', 'chunksize', 'header',
             'numthreads'), ('shape', 'dtype', 'strides', 'numthreads')),
    'Sperr': (ArrayCompressor, {'level': None, 'mode': None, 'dtype': None,
                           'shape': None, 'chunks': None, 'header': True,
                           'numthreads': None, **_SQUEEZE},
              ('level', 'mode', 'chunks', 'header', 'numthreads'),
              ('shape', 'dtype', 'header', 'numthreads')),
    'Pcodec': (ArrayCompressor, {'shape': None, 'dtype': None, 'level': None},
               ('level',), ('shape', 'dtype')),
    'Jetraw': (ImageCodec, {'shape': None, 'identifier': None,
                            'parameters': None, 'verbose': None,
                            'errorbound': None, **_SQUEEZE},
               ('identifier', 'parameters', 'verbose', 'errorbound'),
               ('shape',)),
    'Cms': (ImagecodecsCodec, {}, (), ()),
}


def _signature(parameters: dict[str, Any]) -> inspect.Signature:
    """The constructor's keyword-only parameters, as help() shows them."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    return inspect.Signature(
        [inspect.Parameter('self', inspect.Parameter.POSITIONAL_ONLY)]
        + [inspect.Parameter(n, keyword, default=d)
           for n, d in parameters.items()],
        return_annotation=None,
    )


def _make(name: str, spec: tuple) -> type:
    base, parameters, encode_names, decode_names = spec
    cls = type(name, (base,), {
        '__doc__': f'{name} codec for numcodecs.',
        '__module__': __name__,
        'codec_id': f'imagecodecs_{name.lower()}',
        'codec_name': name.lower(),
        'parameters': parameters,
        'encode_parameters': encode_names,
        'decode_parameters': decode_names,
    })

    def __init__(self, **kwargs: Any) -> None:
        base.__init__(self, **kwargs)

    __init__.__signature__ = _signature(parameters)
    __init__.__qualname__ = f'{name}.__init__'
    cls.__init__ = __init__
    return cls


for _name, _spec in _SPECS.items():
    globals()[_name] = _make(_name, _spec)
    __all__.append(_name)
del _name, _spec


def register_codecs(codecs: Any = None, force: bool = False,
                    verbose: bool = True) -> None:
    """Register the codecs of this module with numcodecs.

    codecs: names or codec ids to register (default: all available).
    force: replace codecs registered under the same id.
    """
    from numcodecs.registry import codec_registry

    for name in __all__[1:]:
        cls = globals()[name]
        if codecs is not None and name not in codecs \
                and cls.codec_id not in codecs:
            continue
        codec = getattr(cls, 'codec_name', '')
        if codec and not getattr(imagecodecs, codec.upper()).available:
            continue
        if cls.codec_id in codec_registry and not force:
            if verbose:
                print(f'numcodec {cls.codec_id!r} already registered')
            continue
        register_codec(cls)


class Checksum(Codec):
    """Append (or prepend) a 4-byte checksum; decode verifies it.

    kind: 'crc32' or 'adler32' (zlib), 'fletcher32', 'lookup3' or 'h5crc'
    (HDF5). prefix: bytes checksummed before the data but not stored.
    """

    codec_id = 'imagecodecs_checksum'
    _FUNCTIONS = {
        'crc32': 'zlib_crc32', 'adler32': 'zlib_adler32',
        'fletcher32': 'h5checksum_fletcher32',
        'lookup3': 'h5checksum_lookup3', 'h5crc': 'h5checksum_crc',
    }

    def __init__(self, *, kind: str, value: int | None = None,
                 prefix: bytes | None = None, prepend: bool | None = None,
                 byteorder: str = '<') -> None:
        if kind not in self._FUNCTIONS:
            raise ValueError(f'invalid checksum kind {kind!r}')
        if byteorder not in {'<', '>', 'little', 'big'}:
            raise ValueError(f'invalid byteorder {byteorder!r}')
        self.kind = kind
        self.value = value
        self.prefix = prefix
        self.prepend = bool(prepend)
        self.byteorder = byteorder

    def _checksum(self, data: bytes) -> bytes:
        func = getattr(imagecodecs, self._FUNCTIONS[self.kind])
        if self.prefix:
            data = bytes(self.prefix) + data
        value = func(data) if self.value is None else func(data, self.value)
        order = 'little' if self.byteorder in {'<', 'little'} else 'big'
        return int(value).to_bytes(4, order)

    def encode(self, buf: Any) -> bytes:
        data = ensure_contiguous_ndarray(buf).tobytes()
        checksum = self._checksum(data)
        return checksum + data if self.prepend else data + checksum

    def decode(self, buf: Any, out: Any = None) -> Any:
        data = ensure_contiguous_ndarray(buf).tobytes()
        if len(data) < 4:
            raise RuntimeError('checksum missing')
        if self.prepend:
            stored, data = data[:4], data[4:]
        else:
            data, stored = data[:-4], data[-4:]
        if stored != self._checksum(data):
            raise RuntimeError(f'{self.kind} checksum mismatch')
        return ndarray_copy(data, out) if out is not None else data


class Szip(ImagecodecsCodec):
    """SZIP codec for numcodecs (HDF5's CCSDS 121 AEC framing)."""

    codec_id = 'imagecodecs_szip'
    codec_name = 'szip'
    parameters = {'options_mask': None, 'pixels_per_block': None,
                  'bits_per_pixel': None, 'pixels_per_scanline': None,
                  'header': True}
    encode_parameters = decode_parameters = tuple(parameters)

    def __init__(self, options_mask: int, pixels_per_block: int,
                 bits_per_pixel: int, pixels_per_scanline: int, *,
                 header: bool = True) -> None:
        super().__init__(options_mask=int(options_mask),
                         pixels_per_block=int(pixels_per_block),
                         bits_per_pixel=int(bits_per_pixel),
                         pixels_per_scanline=int(pixels_per_scanline),
                         header=bool(header))


__all__ += ['Checksum', 'Szip']
