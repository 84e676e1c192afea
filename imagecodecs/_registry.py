# SPDX-License-Identifier: BSD-3-Clause
"""The codec table: one plain-data entry per codec.

Everything that lists codecs reads this file: setup.py (without importing the
package), the lazy loader, the numcodecs classes, the docs and the tests.
It must stay importable with nothing but the standard library.
"""

from __future__ import annotations


class Codec:
    """How one codec is built and exported.

    name:        lower-case codec name; expands to NAME, NameError and
                 name_encode, name_decode, name_check, name_version.
    module:      extension (or pure Python) module in the package.
    libs:        keys of vendor/libraries.toml, in link order.
    sources:     our own C files in imagecodecs/_c/ compiled into the module.
    decode_only: the encoder raises NotImplementedError.
    extra:       further public names the module exports.
    error:       False for codecs without an exception class, or the name
                 of the codec whose exception class this codec shares (an
                 alias such as jpeg of jpeg8).
    functions:   False for codecs that export only `extra` names.
    pure:        the module is plain Python, not an extension.
    pending:     why the codec is not built yet ('' if it is): its names
                 exist, `available` is False and its functions raise
                 DelayedImportError; `libs` may be empty while no library
                 is pinned for it.
    summary:     one line for the docs.
    """

    # a plain class, not a dataclass: dataclasses costs import time
    __slots__ = ('name', 'module', 'libs', 'sources', 'decode_only', 'extra',
                 'error', 'functions', 'pure', 'pending', 'summary')

    def __init__(self, name: str, module: str, *, libs: tuple = (),
                 sources: tuple = (), decode_only: bool = False,
                 extra: tuple = (), error: bool | str = True,
                 functions: bool = True, pure: bool = False,
                 pending: str = '', summary: str = '') -> None:
        self.name = name
        self.module = module
        self.libs = tuple(libs)
        self.sources = tuple(sources)
        self.decode_only = decode_only
        self.extra = tuple(extra)
        self.error = error
        self.functions = functions
        self.pure = pure
        self.pending = pending
        self.summary = summary

    def __repr__(self) -> str:
        return f'Codec({self.name!r}, {self.module!r})'

    @property
    def constants(self) -> str:
        return self.name.upper()

    @property
    def error_name(self) -> str:
        return self.name.capitalize() + 'Error'

    @property
    def names(self) -> tuple[str, ...]:
        """Public names this codec contributes to the package namespace."""
        names = [self.constants]
        if self.functions:
            names += [
                f'{self.name}_{verb}'
                for verb in ('encode', 'decode', 'check', 'version')
            ]
        return tuple(names) + self.extra


class Module:
    """An extension module: the union of its codecs' build inputs."""

    __slots__ = ('name', 'codecs')

    def __init__(self, name: str, codecs: tuple[Codec, ...] = ()) -> None:
        self.name = name
        self.codecs = tuple(codecs)

    @property
    def libs(self) -> tuple[str, ...]:
        return _unique(lib for codec in self.codecs for lib in codec.libs)

    @property
    def sources(self) -> tuple[str, ...]:
        return _unique(src for codec in self.codecs for src in codec.sources)

    @property
    def pure(self) -> bool:
        return all(codec.pure for codec in self.codecs)

    @property
    def pending(self) -> bool:
        """True if none of the module's codecs is implemented yet."""
        return all(codec.pending for codec in self.codecs)

    @property
    def lite(self) -> bool:
        """True if the module needs no third-party library."""
        return not self.libs


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


C = Codec

CODECS: tuple[Codec, ...] = (
    # Codecs implemented in this package, no third-party library.
    C('none', '_builtin', pure=True, error=True,
      summary='Pass data through unchanged'),
    C('numpy', '_builtin', pure=True, error=True,
      summary='NumPy NPY and NPZ formats'),
    C('packbits', '_packbits', sources=('packbits.c',),
      summary='PackBits run-length encoding (TIFF, Apple)'),
    C('lzw', '_lzw', sources=('lzw.c',),
      summary='TIFF/PDF Lempel-Ziv-Welch'),
    C('delta', '_predictors', sources=('predictors.c',),
      summary='Differencing (TIFF horizontal predictor)'),
    C('xor', '_predictors', sources=('predictors.c',),
      summary='Bitwise XOR differencing'),
    C('floatpred', '_predictors', sources=('predictors.c',),
      summary='TIFF floating point predictor'),
    C('byteshuffle', '_predictors', sources=('predictors.c',),
      summary='Byte shuffle with optional differencing'),
    C('bitorder', '_bitops', sources=('bitops.c',),
      summary='Reverse the bit order within bytes'),
    C('packints', '_bitops', sources=('bitops.c',),
      summary='Integers of 1 to 64 bits; GenICam and GigE Vision packings'),
    C('float24', '_bitops', sources=('bitops.c',),
      summary='24-bit floating point'),
    C('bfloat16', '_bitops', sources=('bitops.c',),
      summary='Brain floating point (the high half of float32)'),
    C('quantize', '_quantize', sources=('quantize.c',),
      summary='BitGroom, GranularBR, BitRound and Scale quantization'),
    C('h5checksum', '_h5checksum', sources=('h5checksum.c',),
      error=False, functions=False,
      extra=('h5checksum_version', 'h5checksum_fletcher32',
             'h5checksum_lookup3', 'h5checksum_crc', 'h5checksum_metadata',
             'h5checksum_hash_string'),
      summary='HDF5 checksums'),
    C('bmp', '_bmp', sources=('bmp.c',),
      summary='Windows bitmap'),
    C('rgbe', '_rgbe', sources=('rgbe.c',),
      summary='Radiance RGBE and HDR files'),
    C('eer', '_eer', sources=('eer.c',), decode_only=True,
      summary='Electron Event Representation'),
    C('dicomrle', '_dicomrle', sources=('dicomrle.c',), decode_only=True,
      summary='DICOM run-length encoding'),
    C('pglz', '_pglz', sources=('pglz.c',),
      summary='PostgreSQL LZ'),
    C('lzo', '_lzo', sources=('lzo.c',), decode_only=True,
      summary='LZO1X'),
    C('rcomp', '_rcomp', sources=('rcomp.c',),
      summary='FITS Rice compression'),
    C('ljpeg', '_ljpeg', sources=('ljpeg.c',),
      summary='Lossless JPEG, 2 to 16 bits'),
    C('jpegsof3', '_ljpeg', sources=('ljpeg.c',), decode_only=True,
      summary='Lossless JPEG (SOF3) decoder'),
    C('bcn', '_bcn', sources=('bcn.c',), decode_only=True,
      summary='BC1 to BC7 texture compression'),
    C('dds', '_bcn', sources=('bcn.c',), decode_only=True,
      summary='DirectDraw Surface'),
    C('aec', '_aec', sources=('aec.c',),
      summary='CCSDS 121.0 Adaptive Entropy Coding'),
    C('szip', '_aec', sources=('aec.c',), extra=('szip_params',),
      summary='HDF5 SZIP framing of AEC'),
    # Compression codecs over third-party libraries.
    C('zlib', '_zlib', libs=('zlib',),
      extra=('zlib_crc32', 'zlib_adler32'), summary='Zlib DEFLATE'),
    C('gzip', '_deflate', libs=('libdeflate',), summary='GZIP'),
    C('zlibng', '_zlibng', libs=('zlib-ng',),
      extra=('zlibng_crc32', 'zlibng_adler32'), summary='zlib-ng DEFLATE'),
    C('deflate', '_deflate', libs=('libdeflate',),
      extra=('deflate_crc32', 'deflate_adler32'), summary='libdeflate'),
    C('zstd', '_zstd', libs=('zstd',), summary='Zstandard'),
    C('lz4', '_lz4', libs=('lz4',), summary='LZ4 block'),
    C('lz4h5', '_lz4', libs=('lz4',), summary='HDF5 LZ4 filter'),
    C('lz4f', '_lz4f', libs=('lz4',), summary='LZ4 frame'),
    C('blosc', '_blosc', libs=('c-blosc', 'lz4', 'zstd', 'zlib', 'snappy'),
      summary='Blosc 1'),
    C('blosc2', '_blosc2', libs=('c-blosc2', 'lz4', 'zstd', 'zlib'),
      summary='Blosc 2'),
    C('brotli', '_brotli', libs=('brotli',), summary='Brotli'),
    C('snappy', '_snappy', libs=('snappy',), summary='Snappy'),
    C('lzma', '_lzma', libs=('xz',), summary='LZMA / XZ'),
    C('bz2', '_bz2', libs=('bzip2',), summary='BZIP2'),
    C('lzf', '_lzf', libs=('liblzf',), summary='LZF'),
    C('lzfse', '_lzfse', libs=('lzfse',), summary='LZFSE'),
    C('lzham', '_lzham', libs=('lzham',), summary='LZHAM'),
    C('zopfli', '_zopfli', libs=('zopfli', 'zlib'), summary='Zopfli'),
    C('bitshuffle', '_bitshuffle', libs=('bitshuffle', 'lz4', 'zstd'),
      summary='Bitshuffle'),
    C('lerc', '_lerc', libs=('lerc', 'zstd', 'libdeflate'),
      summary='Limited Error Raster Compression'),
    C('zfp', '_zfp', libs=('zfp',), summary='ZFP floating point arrays'),
    C('sperr', '_sperr', libs=('sperr',), summary='SPERR'),
    # Image codecs over third-party libraries.
    C('png', '_png', libs=('libpng', 'zlib'), sources=('pngcodec.c',),
      summary='PNG via libpng'),
    C('apng', '_apng', libs=('libpng', 'zlib'), sources=('pngcodec.c',),
      summary='Animated PNG'),
    C('spng', '_spng', libs=('libspng', 'zlib'), summary='PNG via libspng'),
    C('gif', '_gif', libs=('giflib',), summary='GIF'),
    C('tiff', '_tiff', libs=('libtiff', 'libjpeg-turbo', 'libwebp', 'lerc',
                             'zstd', 'xz', 'libdeflate', 'zlib'),
      sources=('tiffmem.c',), summary='TIFF via libtiff'),
    C('webp', '_webp', libs=('libwebp',), summary='WebP'),
    C('jpeg8', '_jpeg8', libs=('libjpeg-turbo',),
      sources=('jpeg8.c', 'ljpeg.c'),
      summary='JPEG 8/12-bit DCT and 2 to 16-bit lossless'),
    C('jpeg', '_jpeg8', libs=('libjpeg-turbo',),
      sources=('jpeg8.c', 'ljpeg.c'),
      error='jpeg8', summary='JPEG (jpeg8 with header and fallbacks)'),
    C('mozjpeg', '_mozjpeg', libs=('mozjpeg',), sources=('mozjpeg.c',),
      summary='MozJPEG'),
    C('jpeg2k', '_jpeg2k', libs=('openjpeg',),
      extra=('j2k_encode', 'j2k_decode'), summary='JPEG 2000'),
    C('htj2k', '_htj2k', libs=('openjph',), sources=('htj2k.cpp',),
      extra=('htj2k_init',), summary='High-throughput JPEG 2000'),
    C('jpegls', '_jpegls', libs=('charls',), summary='JPEG-LS'),
    C('jpegxl', '_jpegxl', libs=('libjxl', 'highway', 'brotli', 'lcms2'),
      extra=('jpegxl_encode_jpeg', 'jpegxl_decode_jpeg'),
      summary='JPEG XL'),
    C('jpegxr', '_jpegxr', libs=('jxrlib',), sources=('jpegxr.c',),
      extra=('jxr_encode', 'jxr_decode'), summary='JPEG XR'),
    C('avif', '_avif', libs=('libavif', 'dav1d', 'aom', 'svt-av1'),
      summary='AV1 image file format'),
    C('heif', '_heif', libs=('libheif',), summary='HEIF (not built)'),
    C('qoi', '_qoi', libs=('qoi',), sources=('qoidecode.c',),
      summary='Quite OK Image'),
    C('cms', '_cms', libs=('lcms2',),
      extra=('cms_transform', 'cms_profile', 'cms_profile_validate'),
      summary='Color management'),
    C('brunsli', '_brunsli', libs=('brunsli',), summary='Brunsli JPEG'),
    C('jetraw', '_jetraw', libs=('jetraw',), extra=('jetraw_init',),
      summary='Jetraw'),
    C('pcodec', '_pcodec', libs=('pcodec',), summary='pcodec'),
    # Codecs of the 2026 interface not implemented yet: their names exist.
    C('ccittrle', '_ccitt', pending='not implemented yet',
      summary='CCITT modified Huffman run-length encoding (not built)'),
    C('ccittfax3', '_ccitt', pending='not implemented yet',
      summary='CCITT Group 3 fax (not built)'),
    C('ccittfax4', '_ccitt', pending='not implemented yet',
      summary='CCITT Group 4 fax (not built)'),
    C('jpegxs', '_jpegxs', pending='no library pinned (SVT-JPEG-XS)',
      summary='JPEG XS (not built)'),
    C('meshopt', '_meshopt', pending='no library pinned (meshoptimizer)',
      summary='meshoptimizer vertex and index buffers (not built)'),
    C('pixarlog', '_pixarlog', libs=('zlib',), pending='not implemented yet',
      summary='Pixar log-encoded TIFF (not built)'),
    C('sz3', '_sz3', pending='no library pinned (SZ3)',
      summary='SZ3 error-bounded lossy compression (not built)'),
    C('ultrahdr', '_ultrahdr', pending='no library pinned (libultrahdr)',
      summary='Ultra HDR gain map JPEG (not built)'),
)

del C


def modules() -> dict[str, Module]:
    """Return extension and pure modules by name, in registry order."""
    grouped: dict[str, list[Codec]] = {}
    for codec in CODECS:
        grouped.setdefault(codec.module, []).append(codec)
    return {name: Module(name, tuple(cs)) for name, cs in grouped.items()}


def codec(name: str) -> Codec:
    for item in CODECS:
        if item.name == name:
            return item
    raise KeyError(name)
