# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""RGBE codec: Radiance RGBE pixels and HDR files."""

import numpy

from imagecodecs._shared cimport (
    Input, Output, readable, output, check, new_array,
)
from imagecodecs._exceptions import RgbeError, error_as
from imagecodecs import imcd_version

from libc.stdint cimport uint8_t

cdef extern from 'rgbe.h' nogil:
    int IMCD_CORRUPT
    int imcd_rgbe_has_header(const uint8_t* src, Py_ssize_t srcsize)
    Py_ssize_t imcd_rgbe_header_read(const uint8_t* src, Py_ssize_t srcsize,
                                     Py_ssize_t* height, Py_ssize_t* width,
                                     const char** message)
    Py_ssize_t imcd_rgbe_header_write(Py_ssize_t height, Py_ssize_t width,
                                      uint8_t* dst, Py_ssize_t dstsize)
    void imcd_rgbe_to_float(const uint8_t* src, Py_ssize_t count,
                            float* dst)
    Py_ssize_t imcd_rgbe_decode(const uint8_t* src, Py_ssize_t srcsize,
                                Py_ssize_t height, Py_ssize_t width,
                                float* dst, Py_ssize_t dstsize)
    Py_ssize_t imcd_rgbe_decode_minsize(Py_ssize_t height, Py_ssize_t width)
    Py_ssize_t imcd_rgbe_encode_bound(Py_ssize_t height, Py_ssize_t width,
                                      int rle)
    Py_ssize_t imcd_rgbe_encode(const float* src, Py_ssize_t height,
                                Py_ssize_t width, int rle, uint8_t* dst,
                                Py_ssize_t dstsize)

cdef enum:
    # room for "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y <int> +X <int>\n"
    HEADER_BOUND = 96


class RGBE:
    """RGBE codec constants."""

    available = True


def rgbe_version():
    """Return the version of the RGBE codec."""
    return imcd_version()


def rgbe_check(data):
    """Return whether data starts with the Radiance file magic '#?'."""
    cdef Input src = readable(data)
    return src.size >= 2 and src.ptr[0] == b'#' and src.ptr[1] == b'?'


def rgbe_encode(data, header=None, rle=None, out=None):
    """Return float32 RGB image encoded as Radiance HDR file or RGBE.

    `data` has shape (..., width, 3): (height, width, 3) or more leading
    dimensions, whose product is the height; (width, 3) and (3,) have
    height 1. Pixels convert as in Ward's rgbe.c, like the reference.
    With header=True (default) the result is a Radiance file, else bare
    scanlines. They are run-length encoded if `rle` (default: `header`)
    and the width allows it (8 to 32767), else flat; flat scanlines
    without header are the RGBE pixels, 4 bytes each.
    """
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t height = 1, width = 1, size, used
    cdef bint withheader = header is None or bool(header)
    cdef bint userle = withheader if rle is None else bool(rle)
    data = numpy.asarray(data)
    if data.dtype.char != 'f' or _last(data.shape) != 3:
        raise ValueError(f'invalid data shape {data.shape} or dtype '
                         f'{data.dtype}: need float32 (..., 3)')
    if data.ndim > 1:
        height, width = _height_width(data.shape)
    size = imcd_rgbe_encode_bound(height, width, userle)
    if size < 0 or height > 2147483647 or width > 2147483647:
        raise ValueError(f'image of shape {data.shape} is too large')
    src = readable(numpy.require(data, data.dtype.newbyteorder('='), 'CA'))
    dst = output(out, size + (HEADER_BOUND if withheader else 0), RgbeError,
                 False)
    with nogil:
        size = 0
        if withheader:
            size = imcd_rgbe_header_write(height, width, dst.ptr, dst.size)
        if size >= 0:
            used = imcd_rgbe_encode(<const float*> src.ptr, height, width,
                                    userle, dst.ptr + size, dst.size - size)
            size = used if used < 0 else size + used
    return dst.finish(check(size, RgbeError))


def rgbe_decode(data, header=None, rle=None, out=None):
    """Return decoded Radiance HDR file or RGBE pixels as float32 array.

    An ndarray of more than one dimension holds RGBE pixels: uint8 of
    shape (..., 4) decodes to (..., 3). Other data is a Radiance file,
    decoded to (height, width, 3); its scanlines may be flat or run-length
    encoded (detected, like the reference, so `rle` is not needed). With
    header=None, data is taken for a file if it starts with '#?' or holds
    a FORMAT=32-bit_rle_ line; without header (header=False), data are
    bare scanlines of the shape of `out`, a float32 array (..., width, 3).
    """
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t height = 0, width = 0, offset = 0, size
    cdef const char* message = NULL
    cdef int found
    if isinstance(data, numpy.ndarray) and data.ndim > 1:
        return _decode_pixels(data, out)
    src = readable(data)
    if header is None:
        with nogil:
            found = imcd_rgbe_has_header(src.ptr, src.size)
        header = found != 0
    if header:
        with nogil:
            offset = imcd_rgbe_header_read(src.ptr, src.size, &height,
                                           &width, &message)
        if offset < 0:
            raise RgbeError(message.decode())
        shape = (height, width, 3)
    elif (isinstance(out, numpy.ndarray) and out.dtype.char == 'f'
          and out.ndim > 1 and _last(out.shape) == 3):
        shape = out.shape
        height, width = _height_width(shape)
    else:
        raise error_as(RgbeError, ValueError)(
            'no Radiance header found; scanlines without '
                        'header need out=, a float32 array (..., width, 3)')
    if src.size - offset < imcd_rgbe_decode_minsize(height, width):
        raise RgbeError(f'data too short for {height} x {width} pixels')
    result = new_array(out, shape, numpy.float32, RgbeError)
    dst = _float_output(result)
    with nogil:
        size = imcd_rgbe_decode(src.ptr + offset, src.size - offset, height,
                                width, <float*> dst.ptr, dst.size)
    if size == IMCD_CORRUPT:
        raise RgbeError('invalid run-length encoded scanline')
    check(size, RgbeError)
    if offset + size != src.size:
        raise error_as(RgbeError, ValueError)(
            f'{src.size - offset - size} bytes of data after '
                        'the image')
    return result


cdef object _decode_pixels(object data, object out):
    """Return RGBE pixels of shape (..., 4) converted to float32 RGB."""
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t count
    if data.dtype.char != 'B' or _last(data.shape) != 4:
        raise ValueError(f'invalid data shape {data.shape} or dtype '
                         f'{data.dtype}: need uint8 RGBE pixels (..., 4)')
    data = numpy.ascontiguousarray(data)
    shape = data.shape[:data.ndim - 1] + (3,)
    result = new_array(out, shape, numpy.float32, RgbeError)
    src = readable(data)
    dst = _float_output(result)
    count = src.size // 4
    with nogil:
        imcd_rgbe_to_float(src.ptr, count, <float*> dst.ptr)
    return result


cdef Output _float_output(object result):
    """Return the Output of a float32 array, which must be aligned."""
    cdef Output dst = output(result, result.nbytes, RgbeError)
    if <size_t> dst.ptr % 4:
        raise ValueError('out is not aligned to 4 bytes')
    return dst


cdef object _last(tuple shape):
    """Return the last dimension of a shape, or None for a scalar."""
    return shape[len(shape) - 1] if shape else None


cdef tuple _height_width(tuple shape):
    """Return (height, width) of an image of shape (..., width, 3 or 4)."""
    cdef Py_ssize_t ndim = len(shape)
    height = int(numpy.prod(shape[:ndim - 2], dtype=numpy.int64))
    return height, shape[ndim - 2]
