# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""SPNG codec: PNG images over libspng."""

import enum

import numpy

from libc.stdint cimport uint8_t
from libc.stdlib cimport free
from libc.string cimport memcpy, memcmp

from imagecodecs._shared cimport Input, Output, readable, output, new_array
from imagecodecs._exceptions import SpngError, error_as
from imagecodecs.libs.spng cimport *

# A deflate stream expands at most 1032 times: more filtered scanlines than
# the IDAT chunks of the input can hold mean a corrupt header, refused
# before the output is allocated.
cdef Py_ssize_t MAX_RATIO = 1032
# Ancillary chunks (text, ICC profiles) that libspng keeps in memory,
# decompressed: at most this much, or 8 times the input if that is more.
cdef size_t CACHE_LIMIT = 1 << 26


class SPNG:
    """SPNG codec constants."""

    available = True

    class FMT(enum.IntEnum):
        """libspng output formats."""

        RGBA8 = SPNG_FMT_RGBA8
        RGBA16 = SPNG_FMT_RGBA16
        RGB8 = SPNG_FMT_RGB8
        GA8 = SPNG_FMT_GA8
        GA16 = SPNG_FMT_GA16
        G8 = SPNG_FMT_G8


def spng_version():
    """Return the version of libspng."""
    return f'libspng {spng_version_string().decode()}'


def spng_check(data):
    """Return whether data starts with the PNG signature."""
    return bytes(memoryview(data)[:8]) == b'\x89PNG\r\n\x1a\n'


cdef int _check(int ret, str func) except -1:
    if ret != 0:
        raise SpngError(f'{func} returned {spng_strerror(ret).decode()}')
    return 0


# color type -> number of samples per pixel in the PNG
_SAMPLES = {
    SPNG_COLOR_TYPE_GRAYSCALE: 1,
    SPNG_COLOR_TYPE_TRUECOLOR: 3,
    SPNG_COLOR_TYPE_INDEXED: 1,
    SPNG_COLOR_TYPE_GRAYSCALE_ALPHA: 2,
    SPNG_COLOR_TYPE_TRUECOLOR_ALPHA: 4,
}


def spng_encode(data, level=None, out=None):
    """Return PNG encoded image.

    data: uint8 or uint16 array of shape (height, width) or (height, width,
    samples) with 1 (gray), 2 (gray, alpha), 3 (RGB) or 4 (RGBA) samples.
    level: zlib compression level 0 to 9 (None: the zlib default).
    """
    array = numpy.asarray(data)
    dtype = array.dtype
    if (dtype.kind != 'u' or dtype.itemsize not in (1, 2)
            or array.ndim not in (2, 3)
            or (array.ndim == 3 and not 1 <= array.shape[2] <= 4)):
        raise error_as(SpngError, ValueError)(
            f'invalid data shape {array.shape} or dtype {dtype}')
    # libspng takes 16-bit samples in native byte order
    array = numpy.ascontiguousarray(array, dtype.newbyteorder('='))
    samples = 1 if array.ndim == 2 else array.shape[2]
    if array.shape[0] > 0x7FFFFFFF or array.shape[1] > 0x7FFFFFFF:
        raise SpngError(f'image too large: {array.shape}')
    cdef Input src = readable(array)
    cdef spng_ihdr ihdr
    cdef spng_ctx* ctx
    cdef void* png = NULL
    cdef size_t size = 0
    cdef int ret = 0
    cdef int clevel = -1 if level is None else min(max(int(level), -1), 9)
    cdef Output dst
    ihdr.width = <uint32_t> array.shape[1]
    ihdr.height = <uint32_t> array.shape[0]
    ihdr.bit_depth = 8 * dtype.itemsize
    ihdr.color_type = (SPNG_COLOR_TYPE_GRAYSCALE,
                       SPNG_COLOR_TYPE_GRAYSCALE_ALPHA,
                       SPNG_COLOR_TYPE_TRUECOLOR,
                       SPNG_COLOR_TYPE_TRUECOLOR_ALPHA)[samples - 1]
    ihdr.compression_method = 0
    ihdr.filter_method = 0
    ihdr.interlace_method = 0
    ctx = spng_ctx_new(SPNG_CTX_ENCODER)
    if ctx == NULL:
        raise MemoryError('spng_ctx_new failed')
    try:
        _check(spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1),
               'spng_set_option')
        if level is not None:
            _check(spng_set_option(ctx, SPNG_IMG_COMPRESSION_LEVEL, clevel),
                   'spng_set_option')
        _check(spng_set_ihdr(ctx, &ihdr), 'spng_set_ihdr')
        with nogil:
            ret = spng_encode_image(ctx, src.ptr, <size_t> src.size,
                                    SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE)
            if ret == 0:
                png = spng_get_png_buffer(ctx, &size, &ret)
        _check(ret, 'spng_encode_image')
        if png == NULL:
            raise SpngError('spng_get_png_buffer returned NULL')
        dst = output(out, <Py_ssize_t> size, SpngError)
        with nogil:
            memcpy(dst.ptr, png, size)
        return dst.finish(<Py_ssize_t> size)
    finally:
        free(png)  # libspng's default allocator is malloc
        spng_ctx_free(ctx)


cdef bint _iend_complete(const uint8_t* p, Py_ssize_t size) noexcept nogil:
    """Return whether the chunks lead to a whole IEND chunk, CRC included
    (libspng does not read that CRC)."""
    cdef Py_ssize_t pos = 8
    cdef Py_ssize_t length
    while pos + 8 <= size:
        length = ((<Py_ssize_t> p[pos] << 24) | (p[pos + 1] << 16)
                  | (p[pos + 2] << 8) | p[pos + 3])
        if memcmp(p + pos + 4, b'IEND', 4) == 0:
            return pos + 12 + length <= size
        pos += 12 + length
    return False


def spng_decode(data, out=None):
    """Return decoded PNG image.

    Gray images of up to 8 bits decode to uint8 (height, width), 16-bit
    gray to uint16 (height, width); gray with alpha to (height, width, 2),
    RGB and palette images to (height, width, 3), RGBA to (height, width,
    4); uint8 or uint16 as the PNG's bit depth (palette: uint8 RGB).
    16-bit samples are returned in native byte order.
    """
    cdef Input src = readable(data)
    cdef spng_ihdr ihdr
    cdef spng_ctx* ctx
    cdef Output dst
    cdef size_t size = 0
    cdef int ret = 0
    cdef int fmt
    if src.size < 8 or memcmp(src.ptr, b'\x89PNG\r\n\x1a\n', 8) != 0:
        raise SpngError('not a PNG image')
    ctx = spng_ctx_new(0)
    if ctx == NULL:
        raise MemoryError('spng_ctx_new failed')
    try:
        _check(spng_set_chunk_limits(
            ctx, <size_t> min(src.size, 0x7FFFFFFF),
            max(CACHE_LIMIT, <size_t> src.size * 8)), 'spng_set_chunk_limits')
        _check(spng_set_png_buffer(ctx, src.ptr, <size_t> src.size),
               'spng_set_png_buffer')
        with nogil:
            ret = spng_get_ihdr(ctx, &ihdr)
        _check(ret, 'spng_get_ihdr')

        depth = ihdr.bit_depth
        color = ihdr.color_type
        samples = _SAMPLES.get(color, 0)
        rowbytes = (ihdr.width * samples * depth + 7) // 8 + 1
        if rowbytes * ihdr.height > (src.size + 1024) * MAX_RATIO:
            raise SpngError(f'corrupt header: {ihdr.width} x {ihdr.height} '
                            f'pixels in {src.size} bytes')
        shape = (ihdr.height, ihdr.width)
        dtype = numpy.uint16 if depth == 16 else numpy.uint8
        if color == SPNG_COLOR_TYPE_INDEXED:
            fmt = SPNG_FMT_RGB8  # palette entries are 8-bit RGB
            shape += (3,)
        elif color == SPNG_COLOR_TYPE_GRAYSCALE and depth <= 8:
            fmt = SPNG_FMT_G8  # scaled to 0..255
        elif color == SPNG_COLOR_TYPE_TRUECOLOR and depth == 8:
            fmt = SPNG_FMT_RGB8
            shape += (3,)
        elif color == SPNG_COLOR_TYPE_TRUECOLOR_ALPHA and depth == 8:
            fmt = SPNG_FMT_RGBA8
            shape += (4,)
        else:
            # 8-bit gray-alpha and every 16-bit format: the PNG's own
            # samples, 16-bit ones in native byte order
            fmt = SPNG_FMT_PNG
            if samples > 1:
                shape += (samples,)

        with nogil:
            ret = spng_decoded_image_size(ctx, fmt, &size)
        _check(ret, 'spng_decoded_image_size')
        result = new_array(out, shape, dtype, SpngError, data)
        if <size_t> result.nbytes != size:
            raise SpngError(f'decoded size {size} != {result.nbytes}')
        dst = output(result, result.nbytes, SpngError)
        with nogil:
            ret = spng_decode_image(ctx, dst.ptr, size, fmt, 0)
        _check(ret, 'spng_decode_image')
        # libspng stops after the image data: a stream cut short of its
        # IEND chunk is truncated
        with nogil:
            ret = spng_decode_chunks(ctx)
        _check(ret, 'spng_decode_chunks')
        with nogil:
            ret = _iend_complete(src.ptr, src.size)
        if not ret:
            raise SpngError('PNG stream truncated: incomplete IEND chunk')
        return result
    finally:
        spng_ctx_free(ctx)
