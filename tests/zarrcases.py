# SPDX-License-Identifier: BSD-3-Clause
"""Chunk codec cases shared by the zarr 2 and zarr 3 client tests.

Each case names a class of imagecodecs.numcodecs, its arguments, whether
zarr uses it as the compressor or a filter, and an array with its chunks.
Image formats get chunks with leading length-one dimensions, as a stack of
images stored one image per chunk has. The expected result is the array
itself (lossless), an independent model of the codec (bfloat16, float24),
or the array within a bound (lossy).
"""

from __future__ import annotations

import json
from typing import Any, Callable, NamedTuple

import numpy
import pytest

import harness
from harness import smooth_image


class Case(NamedTuple):
    name: str                   # class in imagecodecs.numcodecs
    kwargs: dict
    role: str                   # 'compressor' or 'filter'
    dtype: str
    shape: tuple
    chunks: tuple
    codecs: tuple = ()          # codecs that must be built (default: name)
    atol: float | None = None   # None: exact
    model: Callable | None = None  # data -> expected, when not the data
    high: int | None = None     # integer range of the data
    noise: float = 0.1
    id: str = ''

    def param(self):
        return pytest.param(self, id=self.id or f'{self.name}-{self.dtype}')


def round_to_bits(data, mantissa):
    """float32 values rounded to nearest even with `mantissa` bits."""
    drop = 23 - mantissa
    bits = data.astype('<f4').view('<u4').astype('u8')
    half = (1 << (drop - 1)) - 1
    bits = ((bits + half + ((bits >> drop) & 1)) >> drop) << drop
    return bits.astype('<u4').view('<f4')


WORDS = ('u2', (64, 96), (32, 48))
FLOATS = ('f4', (64, 96), (32, 48))
GRAY = ((4, 64, 96), (1, 64, 96))
RGB = ((2, 64, 96, 3), (1, 64, 96, 3))
STACK = ((2, 3, 64, 96), (1, 1, 64, 96))
EDGES = ((3, 70, 100, 3), (1, 64, 96, 3))   # partial edge chunks


def bytes_case(name, codecs=None, id='', **kwargs):
    return Case(name, kwargs, 'compressor', *WORDS,
                codecs=codecs or (name.lower(),), id=id or name)


def filter_case(name, data=WORDS, /, codecs=None, id='', model=None,
                atol=None, high=None, **kwargs):
    if kwargs.get('shape') is True:
        kwargs['shape'] = data[2]  # the chunk's
    return Case(name, kwargs, 'filter', *data, codecs=codecs or
                (name.lower(),), id=id or name, model=model, atol=atol,
                high=high)


def image_case(name, dtype, layout, /, id='', codecs=None, atol=None,
               high=None, **kwargs):
    # positional-only: codec arguments may be called dtype too
    return Case(name, kwargs, 'compressor', dtype, *layout,
                codecs=codecs or (name.lower(),), atol=atol, high=high,
                noise=0.02 if atol else 0.1, id=id or f'{name}-{dtype}')


CHECKSUM = ('h5checksum',)
CRC = ('zlib',)

CASES = [
    # byte compressors
    *(bytes_case(name) for name in (
        'Zlib', 'Zlibng', 'Deflate', 'Zstd', 'Lz4', 'Lz4f', 'Lz4h5', 'Lzf',
        'Lzfse', 'Lzham', 'Lzma', 'Lzw', 'Packbits', 'Pglz', 'Snappy',
        'Bz2', 'Brotli', 'Blosc', 'Blosc2', 'Zopfli')),
    bytes_case('Zlib', level=9, id='Zlib-level9'),
    bytes_case('Zstd', level=19, id='Zstd-level19'),
    bytes_case('Lz4', hc=True, header=True, id='Lz4-hc-header'),
    bytes_case('Lzf', header=False, id='Lzf-noheader'),
    bytes_case('Blosc', compressor='zstd', shuffle='bitshuffle', typesize=2,
               id='Blosc-zstd-bitshuffle'),
    bytes_case('Blosc2', compressor='lz4', shuffle='shuffle', typesize=2,
               id='Blosc2-lz4-shuffle'),
    bytes_case('Aec', bitspersample=16),
    # chunks of 48 samples: 32 pixels per block, 48 per scanline
    bytes_case('Szip', options_mask=4 | 128, pixels_per_block=32,
               bits_per_pixel=16, pixels_per_scanline=48),
    bytes_case('Bitshuffle', itemsize=2),
    # filters
    filter_case('Delta', shape=True, dtype='u2'),
    filter_case('Delta', shape=True, dtype='u2', axis=0, id='Delta-axis0'),
    filter_case('Xor', shape=True, dtype='u2'),
    filter_case('Xor', FLOATS, shape=True, dtype='f4', id='Xor-f4'),
    filter_case('Floatpred', FLOATS, shape=True, dtype='f4'),
    filter_case('Byteshuffle', FLOATS, shape=True, dtype='f4'),
    filter_case('Byteshuffle', FLOATS, shape=True, dtype='f4', delta=True,
                reorder=True, id='Byteshuffle-delta-reorder'),
    filter_case('Bitorder', ('u1', (64, 96), (32, 48))),
    filter_case('Packints', dtype='u2', bitspersample=12, high=4095),
    filter_case('Bitshuffle', itemsize=2, id='Bitshuffle-filter'),
    filter_case('Bfloat16', FLOATS,
                model=lambda data: round_to_bits(data, 7)),
    filter_case('Float24', FLOATS,
                model=lambda data: round_to_bits(data, 16)),
    *(filter_case('Checksum', kind=kind, codecs=CRC if kind in {
        'crc32', 'adler32'} else CHECKSUM, id=f'Checksum-{kind}')
      for kind in ('crc32', 'adler32', 'fletcher32', 'lookup3', 'h5crc')),
    filter_case('Checksum', kind='crc32', prepend=False, byteorder='>',
                codecs=CRC, id='Checksum-crc32-append-big'),
    # image formats, one image per chunk
    image_case('Png', 'u1', RGB),
    image_case('Png', 'u2', GRAY),
    image_case('Png', 'u1', STACK, id='Png-u1-stack'),
    image_case('Png', 'u1', EDGES, id='Png-u1-edges'),
    image_case('Apng', 'u1', RGB),
    image_case('Spng', 'u1', RGB),
    image_case('Qoi', 'u1', RGB),
    image_case('Gif', 'u1', GRAY),
    image_case('Bmp', 'u1', RGB),
    image_case('Bmp', 'u1', STACK, id='Bmp-u1-stack'),
    image_case('Webp', 'u1', RGB, lossless=True),
    image_case('Webp', 'u1', RGB, level=90, atol=24, id='Webp-lossy'),
    image_case('Jpeg', 'u1', RGB, atol=24),
    image_case('Jpeg', 'u1', EDGES, atol=24, id='Jpeg-u1-edges'),
    image_case('Jpeg', 'u2', GRAY, lossless=True, id='Jpeg-lossless-u2'),
    image_case('Jpeg2k', 'u2', GRAY),
    image_case('Jpeg2k', 'u1', RGB),
    image_case('Jpegls', 'u2', GRAY),
    image_case('Jpegxl', 'u2', GRAY, lossless=True),
    image_case('Jpegxl', 'u1', RGB, lossless=True),
    image_case('Jpegxr', 'u1', RGB),
    image_case('Avif', 'u1', RGB, level=60, atol=32, id='Avif-lossy'),
    image_case('Htj2k', 'u2', GRAY),
    image_case('Tiff', 'u2', GRAY),
    image_case('Tiff', 'u1', RGB),
    image_case('Ljpeg', 'u2', GRAY),
    image_case('Ljpeg', 'u2', STACK, id='Ljpeg-u2-stack'),
    image_case('Rgbe', 'f4', RGB, header=True, atol=1.0),
    image_case('Lerc', 'f4', GRAY),
    image_case('Lerc', 'u1', RGB),
    image_case('Lerc', 'f4', GRAY, level=0.01, atol=0.01, id='Lerc-level'),
    image_case('Zfp', 'f4', GRAY),
    image_case('Zfp', 'f8', GRAY, mode='a', level=0.01, atol=0.01,
               id='Zfp-accuracy'),
    image_case('Sperr', 'f4', GRAY, mode='pwe', level=1e-3, atol=1e-3),
    image_case('Sz3', 'f4', GRAY, shape=GRAY[1], dtype='f4', abs=1e-3,
               atol=1e-3),
    image_case('Pcodec', 'f4', GRAY, shape=GRAY[1], dtype='f4'),
    image_case('Rcomp', 'i2', GRAY, shape=GRAY[1], dtype='i2', high=4000),
    image_case('Meshopt', 'f4', GRAY, shape=GRAY[1], dtype='f4'),
]

# Quantize changes the data: what zarr reads back is what the filter made
# of each chunk, within the requested precision (bitround keeps nsd bits)
QUANTIZE = [
    filter_case('Quantize', FLOATS, mode='bitround', nsd=7,
                id='Quantize-bitround'),
    filter_case('Quantize', FLOATS, mode='granularbr', nsd=3,
                id='Quantize-granularbr'),
    filter_case('Quantize', FLOATS, mode='scale', nsd=3,
                id='Quantize-scale'),
]

# Classes of decode-only codecs: zarr cannot write with them
DECODE_ONLY = [
    ('Lzo', {}), ('Dds', {}), ('Dicomrle', {'dtype': 'u2'}),
    ('Eer', {'shape': (64, 96), 'skipbits': 7, 'horzbits': 2,
             'vertbits': 2}),
]


def ours(name):
    """The class `name` of imagecodecs.numcodecs, codecs registered."""
    from imagecodecs import numcodecs as module

    module.register_codecs(force=True, verbose=False)
    return getattr(module, name)


def require(case: Case) -> None:
    for codec in case.codecs:
        harness.require(codec)


def make(case: Case) -> tuple[Any, numpy.ndarray]:
    """Return the case's codec and data."""
    require(case)
    codec = ours(case.name)(**case.kwargs)
    data = smooth_image(case.shape, case.dtype, high=case.high,
                        noise=case.noise)
    if case.dtype[0] == 'f' and case.name in {'Rgbe', 'Zfp', 'Sperr',
                                              'Sz3'}:
        data = data + 40  # positive (RGBE) and away from zero
    return codec, data


def check(case: Case, result: numpy.ndarray, data: numpy.ndarray) -> None:
    assert result.shape == data.shape
    assert result.dtype == data.dtype
    if case.model is not None:
        numpy.testing.assert_array_equal(result, case.model(data))
    elif case.atol is None:
        numpy.testing.assert_array_equal(result, data)
    else:
        error = numpy.abs(result.astype('f8') - data)
        assert error.max() <= case.atol, error.max()


def chunkwise(func, data, chunks):
    """Apply func to every chunk of data; return the assembled array."""
    result = numpy.empty_like(data)
    grid = [range(0, n, c) for n, c in zip(data.shape, chunks)]
    for corner in numpy.array(numpy.meshgrid(*grid, indexing='ij')
                              ).reshape(len(grid), -1).T:
        index = tuple(slice(i, i + c) for i, c in zip(corner, chunks))
        result[index] = numpy.asarray(func(data[index])).reshape(
            data[index].shape)
    return result


def config_json(codec) -> str:
    return json.dumps(codec.get_config(), sort_keys=True)


def check_read(case: Case, array, data: numpy.ndarray) -> None:
    """Check a whole read and one across chunk borders (zarr decodes those
    chunks into a temporary) of an array written from data."""
    check(case, array[...], data)
    part = tuple(slice(1, n - 1) if n > 3 else slice(None)
                 for n in case.shape)
    check(case, array[part], data[part])


def check_quantized(case: Case, codec, data: numpy.ndarray,
                    result: numpy.ndarray) -> None:
    """A Quantize filter stores each chunk's encoding; reading passes it
    through (lossy filters do not decode)."""
    numpy.testing.assert_array_equal(
        result, chunkwise(codec.encode, data, case.chunks))
    assert not numpy.array_equal(result, data)
    if case.kwargs['mode'] == 'bitround':
        error = numpy.abs(result - data)
        assert numpy.all(error <= numpy.abs(data) * 2.0 ** -case.kwargs[
            'nsd'])
