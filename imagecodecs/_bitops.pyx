# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""BITORDER, PACKINTS and FLOAT24 codecs: bit and byte level conversions."""

import enum
import math
import sys

import numpy

try:
    from numpy.lib.array_utils import normalize_axis_index
except ImportError:  # NumPy < 2
    from numpy.core.multiarray import normalize_axis_index

from imagecodecs._shared cimport (
    Input, Output, readable, output, check, new_array, input_array,
)
from imagecodecs._exceptions import (
    BitorderError, PackintsError, Float24Error, error_as,
)
from imagecodecs import imcd_version

cdef extern from 'bitops.h' nogil:
    Py_ssize_t imcd_bitorder_reverse(const unsigned char* src,
                                     Py_ssize_t srcsize, unsigned char* dst,
                                     Py_ssize_t dstsize)
    Py_ssize_t imcd_packints_decoded_size(Py_ssize_t srcsize, int bps,
                                          Py_ssize_t runlen)
    Py_ssize_t imcd_packints_decode(const unsigned char* src,
                                    Py_ssize_t srcsize, unsigned char* dst,
                                    Py_ssize_t dstsize, int bps,
                                    Py_ssize_t runlen, int itemsize,
                                    int byteswap)
    Py_ssize_t imcd_packints_encoded_size(Py_ssize_t items, int bps,
                                          Py_ssize_t runlen)
    Py_ssize_t imcd_packints_encode(const unsigned char* src,
                                    Py_ssize_t srcsize, unsigned char* dst,
                                    Py_ssize_t dstsize, int bps,
                                    Py_ssize_t runlen, int itemsize,
                                    int byteswap)
    Py_ssize_t imcd_float24_decode(const unsigned char* src,
                                   Py_ssize_t srcsize, unsigned char* dst,
                                   Py_ssize_t dstsize, int bigendian)
    Py_ssize_t imcd_float24_encode(const unsigned char* src,
                                   Py_ssize_t srcsize, unsigned char* dst,
                                   Py_ssize_t dstsize, int bigendian,
                                   int rounding)


class BITORDER:
    """BITORDER codec constants."""

    available = True


class PACKINTS:
    """PACKINTS codec constants."""

    available = True


class FLOAT24:
    """FLOAT24 codec constants."""

    available = True

    class ROUND(enum.IntEnum):
        """Rounding direction of float24_encode (the C99 fenv.h values)."""

        TONEAREST = 0
        UPWARD = 2048
        DOWNWARD = 1024
        TOWARDZERO = 3072


# FLOAT24.ROUND members to the C enumeration
_ROUNDING = {0: 0, 2048: 1, 1024: 2, 3072: 3}


def bitorder_version():
    """Return the version of the BITORDER codec."""
    return imcd_version()


def packints_version():
    """Return the version of the PACKINTS codec."""
    return imcd_version()


def float24_version():
    """Return the version of the FLOAT24 codec."""
    return imcd_version()


def bitorder_check(arg):
    """Return None: bit-reversed data carry no signature."""
    return None


def packints_check(arg):
    """Return None: packed integers carry no signature."""
    return None


def float24_check(arg):
    """Return None: 24-bit floats carry no signature."""
    return None


def bitorder_encode(data, out=None):
    """Return data with the order of the bits in each byte reversed.

    Arrays keep their shape and dtype; other buffers give bytes.
    """
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t size
    result = None
    if isinstance(data, numpy.ndarray):
        if data.dtype.hasobject:
            raise ValueError('cannot reverse the bits of Python objects')
        shape = data.shape  # of 0-d arrays too
        data = numpy.ascontiguousarray(data)
        result = new_array(out, shape, data.dtype, BitorderError, data)
        out = result
    src = readable(data)
    dst = output(out, src.size, BitorderError)
    with nogil:
        size = imcd_bitorder_reverse(src.ptr, src.size, dst.ptr, dst.size)
    check(size, BitorderError)
    return dst.finish(size) if result is None else result


def bitorder_decode(data, out=None):
    """Return data with the order of the bits in each byte reversed."""
    return bitorder_encode(data, out=out)


def packints_decode(data, dtype, bitspersample, runlen=0, out=None):
    """Return unsigned integers unpacked from a big-endian bit stream.

    Items of `bitspersample` bits (1 to 64) follow each other most
    significant bit first, in rows of `runlen` items that start on a byte
    (0: one row); incomplete rows are dropped. `dtype` is the smallest
    integer type that holds them (floats and bools of that size take the
    bit patterns) and sets the byte order of the result. With 8, 16, 32 or
    64 bits the bytes are only reinterpreted as `dtype`, as TIFF stores
    them in the file's byte order.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef int bps = _bitspersample(bitspersample)
    cdef int itemsize, byteswap
    cdef Py_ssize_t items, crunlen = runlen
    dtype = _packints_dtype(dtype, bps)
    itemsize = dtype.itemsize
    byteswap = itemsize > 1 and not dtype.isnative
    if crunlen < 0:
        raise ValueError(f'invalid runlen {runlen}')
    items = check(imcd_packints_decoded_size(src.size, bps, crunlen),
                  PackintsError)
    result = new_array(out, (items,), dtype, PackintsError)
    dst = output(result, items * itemsize, PackintsError)
    with nogil:
        items = imcd_packints_decode(src.ptr, src.size, dst.ptr, dst.size,
                                     bps, crunlen, itemsize, byteswap)
    check(items, PackintsError)
    return result


def packints_encode(data, bitspersample, axis=-1, out=None):
    """Return integers packed into a big-endian bit stream.

    The low `bitspersample` bits of each item are kept. Each row of the
    array from `axis` on starts on a byte (other buffers: uint8, one row).
    The inverse of packints_decode with runlen the row length.
    """
    cdef Input src
    cdef Output dst
    cdef int bps = _bitspersample(bitspersample)
    cdef int itemsize, byteswap
    cdef Py_ssize_t size, runlen = 0
    if isinstance(data, numpy.ndarray) and data.ndim > 0:
        runlen = math.prod(
            data.shape[normalize_axis_index(axis, data.ndim):])
    data = input_array(data)
    dtype = _packints_dtype(data.dtype, bps)
    itemsize = dtype.itemsize
    byteswap = itemsize > 1 and not dtype.isnative
    src = readable(data)
    size = check(imcd_packints_encoded_size(data.size, bps, runlen),
                 PackintsError)
    dst = output(out, size, PackintsError)
    with nogil:
        size = imcd_packints_encode(src.ptr, src.size, dst.ptr, dst.size,
                                    bps, runlen, itemsize, byteswap)
    return dst.finish(check(size, PackintsError))


def float24_decode(data, byteorder=None, out=None):
    """Return float32 array decoded from 24-bit floats.

    `byteorder` of the data: '<', '>', or '=' or None (native).
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef int bigendian = _bigendian(byteorder)
    cdef Py_ssize_t size
    if src.size % 3:
        raise error_as(Float24Error, ValueError)(
            f'data size {src.size} is not a multiple of 3')
    result = new_array(out, (src.size // 3,), numpy.float32, Float24Error)
    dst = output(result, src.size // 3 * 4, Float24Error)
    with nogil:
        size = imcd_float24_decode(src.ptr, src.size, dst.ptr, dst.size,
                                   bigendian)
    check(size, Float24Error)
    return result


def float24_encode(data, byteorder=None, rounding=None, out=None):
    """Return 24-bit floats encoded from a float32 (or float16) array.

    Values are rounded in the FLOAT24.ROUND direction (default TONEAREST)
    with IEEE 754 semantics: too large values become infinity or the
    largest finite value, tiny values subnormals or zero, as the direction
    says. NaNs stay NaN.
    """
    cdef Input src
    cdef Output dst
    cdef int bigendian = _bigendian(byteorder)
    cdef int mode
    cdef Py_ssize_t size
    if rounding is None:
        rounding = FLOAT24.ROUND.TONEAREST
    mode = _ROUNDING[FLOAT24.ROUND(rounding)]
    if (not isinstance(data, numpy.ndarray) or data.dtype.kind != 'f'
            or data.dtype.itemsize > 4):
        raise ValueError('not a float32 or float16 array')
    # exact conversion to native float32
    data = numpy.ascontiguousarray(data, numpy.float32)
    src = readable(data)
    dst = output(out, data.size * 3, Float24Error)
    with nogil:
        size = imcd_float24_encode(src.ptr, src.size, dst.ptr, dst.size,
                                   bigendian, mode)
    return dst.finish(check(size, Float24Error))


cdef int _bitspersample(object bitspersample) except -1:
    """Return bitspersample as an int from 1 to 64."""
    bps = int(bitspersample)
    if bps != bitspersample or not 1 <= bps <= 64:
        raise ValueError(f'invalid bitspersample {bitspersample!r}')
    return bps


cdef object _packints_dtype(object dtype, int bps):
    """Return the dtype of unpacked items, which must fit bps exactly."""
    dtype = numpy.dtype(dtype)
    if dtype.kind not in 'biuf':
        raise ValueError(f'invalid dtype {dtype}')
    if dtype.itemsize != (1 if bps <= 8 else 2 if bps <= 16
                          else 4 if bps <= 32 else 8):
        raise ValueError(f'dtype {dtype} does not fit {bps} bits per sample')
    return dtype


cdef int _bigendian(object byteorder) except -1:
    """Return whether byteorder means big-endian."""
    if byteorder is None or byteorder == '=':
        return sys.byteorder == 'big'
    if byteorder in ('<', '>'):
        return byteorder == '>'
    raise ValueError(f'invalid byteorder {byteorder!r}')
