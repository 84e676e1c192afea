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
import logging
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
    # earlier name -> parameter, for configs written by earlier releases
    aliases: dict[str, str] = {}
    # keywords every decode passes, whatever the parameters
    decode_fixed: dict[str, Any] = {}
    encode_parameters: tuple[str, ...] = ()
    decode_parameters: tuple[str, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        for old, new in self.aliases.items():
            if old in kwargs:
                if new in kwargs:
                    raise TypeError(f'{type(self).__name__} got both '
                                    f'{old!r} and {new!r}')
                kwargs[new] = kwargs.pop(old)
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
        result = decode(buf, **self._kwargs(self.decode_parameters),
                        **self.decode_fixed)
        return self._decode_output(result, out)

    def _encode_input(self, buf: Any) -> Any:
        return _contiguous(buf)

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
        result = decode(self._encode_input(_contiguous(buf)),
                        **self._kwargs(self.decode_parameters))
        return self._decode_output(result, out)


class ArrayCompressor(ArrayCodec):
    """An array compressor: typed arrays in, a byte stream out.

    The stream goes to the decoder as it is; the decoder rebuilds the
    array from shape and dtype.
    """

    decode = ImagecodecsCodec.decode


class ImageCodec(ImagecodecsCodec):
    """An image format: chunks lose their length-one dimensions.

    squeeze=None drops every length-one dimension of a chunk (zarr hands
    chunks such as (1, 128, 128) to a 2-D image format) and keeps at least
    two; False keeps the chunk as it is; a sequence with one flag per
    dimension drops the dimensions whose flag is true.
    """

    def _encode_input(self, buf: Any) -> Any:
        array = numpy.asarray(buf)
        squeeze = getattr(self, 'squeeze', None)
        if squeeze is None:
            return numpy.atleast_2d(array.squeeze())
        if squeeze is False:
            return array
        flags = tuple(squeeze)
        if len(flags) != array.ndim:
            raise ValueError(f'squeeze {flags} does not match a chunk of '
                             f'{array.ndim} dimensions')
        if any(n != 1 for n, flag in zip(array.shape, flags) if flag):
            raise ValueError(f'cannot squeeze {array.shape} by {flags}')
        return array.reshape(
            tuple(n for n, flag in zip(array.shape, flags) if not flag))

    def _decode_output(self, result: Any, out: Any) -> Any:
        if out is None:
            return result
        out = numpy.asarray(out)
        out.reshape(-1).view(numpy.uint8)[:] = numpy.asarray(
            result).reshape(-1).view(numpy.uint8)
        return out


class LossyFilter(ImagecodecsCodec):
    """A lossy filter: encoding rounds values, decoding passes them on.

    Quantized data is already the best estimate of the original, so
    decode returns the chunk as it is, as numcodecs' own lossy filters do.
    """

    def decode(self, buf: Any, out: Any = None) -> Any:
        return self._decode_output(buf, out)


def _contiguous(buf: Any) -> numpy.ndarray:
    """Return a buffer or array as a C-contiguous array, copying only a
    non-contiguous one (a sliced view, which numcodecs refuses)."""
    if isinstance(buf, numpy.ndarray) and not buf.flags.c_contiguous:
        buf = numpy.ascontiguousarray(buf)
    return ensure_contiguous_ndarray(buf)


def _normalize(name: str, value: Any) -> Any:
    """Return a JSON-friendly parameter value."""
    if name == 'dtype' and value is not None:
        return numpy.dtype(value).str
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return value


_SQUEEZE = {'squeeze': None}

# class name: (kind, parameters with defaults, encode names, decode names
# [, earlier parameter names])
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
    'Quantize': (LossyFilter, {'mode': None, 'nsd': None},
                 ('mode', 'nsd'), ('mode', 'nsd')),
    'Packints': (ImagecodecsCodec, {'dtype': None, 'bitspersample': None,
                                    'bitorder': None, 'runlen': 0},
                 ('bitspersample', 'bitorder', 'runlen'),
                 ('dtype', 'bitspersample', 'bitorder', 'runlen')),
    'Rcomp': (ArrayCompressor, {'shape': None, 'dtype': None, 'nblock': None},
              ('nblock',), ('shape', 'dtype', 'nblock')),
    'Dicomrle': (ImagecodecsCodec, {'dtype': None}, (), ('dtype',)),
    'Eer': (ImagecodecsCodec, {'shape': None, 'skipbits': None,
                               'horzbits': None, 'vertbits': None,
                               'superres': 0}, (),
            ('shape', 'skipbits', 'horzbits', 'vertbits', 'superres'),
            {'rlebits': 'skipbits'}),
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
    'Tiff': (ImageCodec, {'index': None, 'asrgb': False, 'bigtiff': None,
                          'byteorder': None, 'subfiletype': None,
                          'photometric': None, 'planarconfig': None,
                          'extrasample': None, 'tile': None,
                          'rowsperstrip': None, 'bitspersample': None,
                          'compression': None, 'subcodec': None,
                          'level': None, 'predictor': None, 'colormap': None,
                          'iccprofile': None, 'description': None,
                          'datetime': None, 'resolution': None,
                          'resolutionunit': None, 'software': None,
                          'verbose': 0, **_SQUEEZE},
             ('bigtiff', 'byteorder', 'subfiletype', 'photometric',
              'planarconfig', 'extrasample', 'tile', 'rowsperstrip',
              'bitspersample', 'compression', 'subcodec', 'level',
              'predictor', 'colormap', 'iccprofile', 'description',
              'datetime', 'resolution', 'resolutionunit', 'software',
              'verbose'), ('index', 'asrgb', 'verbose')),
    'Webp': (ImageCodec, {'level': None, 'lossless': None, 'method': None,
                          'index': 0, 'hasalpha': None, 'numthreads': None,
                          **_SQUEEZE},
             ('level', 'lossless', 'method', 'numthreads'),
             ('index', 'hasalpha')),
    'Avif': (ImageCodec, {'level': None, 'speed': None, 'tilelog2': None,
                          'bitspersample': None, 'pixelformat': None,
                          'codec': None, 'primaries': None, 'transfer': None,
                          'matrix': None, 'numthreads': None, 'index': None,
                          **_SQUEEZE},
             ('level', 'speed', 'tilelog2', 'bitspersample', 'pixelformat',
              'codec', 'primaries', 'transfer', 'matrix', 'numthreads'),
             ('index', 'numthreads')),
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
    'Pcodec': (ArrayCompressor, {'shape': None, 'dtype': None, 'level': None,
                                 'pagesize': None},
               ('level', 'pagesize'), ('shape', 'dtype')),
    'Jetraw': (ImageCodec, {'shape': None, 'identifier': None,
                            'parameters': None, 'verbose': None,
                            'errorbound': None, **_SQUEEZE},
               ('identifier', 'parameters', 'verbose', 'errorbound'),
               ('shape',)),
    'Cms': (ImagecodecsCodec, {}, (), ()),
    # codecs of the 2026 interface
    'Bfloat16': (ImagecodecsCodec, {'byteorder': None, 'rounding': None},
                 ('byteorder', 'rounding'), ('byteorder',)),
    'Ccittfax3': (ImagecodecsCodec, {'height': 0, 'width': 0,
                                     't4options': 0},
                  (), ('height', 'width', 't4options')),
    'Ccittfax4': (ImagecodecsCodec, {'height': 0, 'width': 0}, (),
                  ('height', 'width')),
    'Ccittrle': (ImagecodecsCodec, {'height': 0, 'width': 0}, (),
                 ('height', 'width')),
    'Htj2k': (ImageCodec, {'level': None, 'rgb': None, 'planar': None,
                           'tile': None, 'resolutions': None,
                           'reversible': None, 'tlm': None, 'tilepart': None,
                           'skipres': None, 'resilient': False, **_SQUEEZE},
              ('level', 'rgb', 'planar', 'tile', 'resolutions', 'reversible',
               'tlm', 'tilepart'), ('planar', 'skipres', 'resilient')),
    'Jpegxs': (ImageCodec, {'config': None, 'bitspersample': None,
                            'verbose': None, **_SQUEEZE},
               ('config', 'bitspersample', 'verbose'), ()),
    'Meshopt': (ArrayCompressor, {'shape': None, 'dtype': None,
                                  'items': None, 'level': None},
                ('level', 'items'), ('shape', 'dtype', 'items')),
    'Pixarlog': (ImageCodec, {'shape': None, 'dtype': None, 'level': None,
                              'deflate': True, **_SQUEEZE},
                 ('level', 'deflate'), ('shape', 'dtype', 'deflate')),
    'Sz3': (ArrayCompressor, {'shape': None, 'dtype': None, 'mode': None,
                              'abs': None, 'rel': None},
            ('mode', 'abs', 'rel'), ('shape', 'dtype')),
    'Ultrahdr': (ImageCodec, {'level': None, 'scale': None, 'gamut': None,
                              'crange': None, 'transfer': None,
                              'usage': None, 'codec': None, 'dtype': None,
                              'boost': None, **_SQUEEZE},
                 ('level', 'scale', 'gamut', 'transfer', 'crange', 'usage',
                  'codec'), ('dtype', 'transfer', 'boost')),
}


# classes whose parameters may also be passed by position, as the
# reference's constructors take them
_POSITIONAL = {'Float24', 'Bfloat16'}
# keywords a class's decode always passes: GIF chunks are palette indices
_DECODE_FIXED = {'Gif': {'asrgb': False}}


def _signature(parameters: dict[str, Any],
               positional: bool) -> inspect.Signature:
    """The constructor's parameters, as help() shows them."""
    kind = (inspect.Parameter.POSITIONAL_OR_KEYWORD if positional
            else inspect.Parameter.KEYWORD_ONLY)
    return inspect.Signature(
        [inspect.Parameter('self', inspect.Parameter.POSITIONAL_ONLY)]
        + [inspect.Parameter(n, kind, default=d)
           for n, d in parameters.items()],
        return_annotation=None,
    )


def _make(name: str, spec: tuple) -> type:
    base, parameters, encode_names, decode_names, *aliases = spec
    cls = type(name, (base,), {
        'aliases': aliases[0] if aliases else {},
        '__doc__': f'{name} codec for numcodecs.',
        '__module__': __name__,
        'codec_id': f'imagecodecs_{name.lower()}',
        'codec_name': name.lower(),
        'parameters': parameters,
        'encode_parameters': encode_names,
        'decode_parameters': decode_names,
        'decode_fixed': _DECODE_FIXED.get(name, {}),
    })
    positional = name in _POSITIONAL

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args and not positional:
            raise TypeError(f'{name}() takes keyword arguments only')
        if len(args) > len(parameters):
            raise TypeError(f'{name}() takes at most {len(parameters)} '
                            'arguments')
        for key, value in zip(parameters, args):
            if key in kwargs:
                raise TypeError(f'{name}() got multiple values for {key!r}')
            kwargs[key] = value
        base.__init__(self, **kwargs)

    __init__.__signature__ = _signature(parameters, positional)
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

    codecs: class names or codec ids to register (default: all, as the
    reference does; a codec not in this build raises ValueError when a
    store names it). force: replace codecs registered under the same id.
    verbose: log a warning for each codec already registered, or replaced.
    """

    log = logging.getLogger(__name__)
    for name in __all__[1:]:
        cls = globals()[name]
        if codecs is not None and name not in codecs \
                and cls.codec_id not in codecs:
            continue
        if _registered(cls.codec_id):
            if not force:
                if verbose:
                    log.warning('numcodec %s already registered',
                                cls.codec_id)
                continue
            if verbose:
                log.warning('replacing registered numcodec %s', cls.codec_id)
        register_codec(cls)


def _registered(codec_id: str) -> bool:
    """Return whether a codec id is registered and usable, as the reference
    decides: one whose codec is not in the build (ValueError) is not."""
    from numcodecs.registry import get_codec

    try:
        get_codec({'id': codec_id})
    except TypeError:  # registered; needs parameters
        return True
    except ValueError:  # not registered, or not available
        return False
    return True


class Checksum(Codec):
    """Store a 4-byte checksum with the data; decode verifies it.

    kind: 'crc32' or 'adler32' (zlib; stored before the data unless
    prepend=False), 'fletcher32', 'lookup3' or 'h5crc' (HDF5; stored after
    the data unless prepend=True). value: starting value of the checksum.
    prefix: bytes checksummed before the data but not stored.
    """

    codec_id = 'imagecodecs_checksum'
    # kind: (functions to use, the first available, and default prepend)
    _KINDS = {
        'crc32': (('zlibng_crc32', 'deflate_crc32', 'zlib_crc32'), True),
        'adler32': (('zlibng_adler32', 'deflate_adler32', 'zlib_adler32'),
                    True),
        'fletcher32': (('h5checksum_fletcher32',), False),
        'lookup3': (('h5checksum_lookup3',), False),
        'h5crc': (('h5checksum_crc',), False),
    }
    _BYTEORDERS = {'<': 'little', '>': 'big', 'little': 'little',
                   'big': 'big'}

    def __init__(self, *, kind: str, value: int | None = None,
                 prefix: bytes | None = None, prepend: bool | None = None,
                 byteorder: str = '<') -> None:
        if kind not in self._KINDS:
            raise ValueError(f'checksum kind={kind!r} not supported')
        if byteorder not in self._BYTEORDERS:
            raise ValueError(f'invalid byteorder {byteorder!r}')
        names, prepend_default = self._KINDS[kind]
        for name in names:
            module = name.split('_')[0].upper()
            if getattr(imagecodecs, module).available:
                self._checksum = getattr(imagecodecs, name)
                break
        else:
            raise ValueError(f'no codec of this build computes {kind}')
        self.kind = kind
        self.value = value
        self.prefix = prefix
        self.prepend = prepend_default if prepend is None else bool(prepend)
        self.byteorder = self._BYTEORDERS[byteorder]

    def _compute(self, data: Any) -> int:
        if self.prefix is not None:
            data = bytes(self.prefix) + bytes(data)
        return int(self._checksum(data, self.value))

    def encode(self, buf: Any) -> bytearray:
        data = memoryview(_contiguous_bytes(buf))
        checksum = self._compute(data).to_bytes(4, self.byteorder)
        out = bytearray(len(data) + 4)
        if self.prepend:
            out[:4] = checksum
            out[4:] = data
        else:
            out[:-4] = data
            out[-4:] = checksum
        return out

    def decode(self, buf: Any, out: Any = None) -> Any:
        data = memoryview(_contiguous_bytes(buf))
        if len(data) < 4:
            raise RuntimeError('checksum missing: fewer than 4 bytes')
        if self.prepend:
            stored, data = data[:4], data[4:]
        else:
            data, stored = data[:-4], data[-4:]
        expected = int.from_bytes(stored, self.byteorder)
        checksum = self._compute(data)
        if checksum != expected:
            raise RuntimeError(f'{self.kind} checksum mismatch '
                               f'{checksum} != {expected}')
        return ndarray_copy(data, out) if out is not None else data


def _contiguous_bytes(buf: Any) -> Any:
    """Return a C-contiguous uint8 view of any buffer or array."""
    return _contiguous(buf).reshape(-1).view(numpy.uint8)


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
