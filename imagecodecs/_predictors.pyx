# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""DELTA, XOR, FLOATPRED and BYTESHUFFLE filters along an array axis.

Arrays keep their shape, dtype and byte order; any other buffer is taken as
a one-dimensional uint8 array and gives bytes (out= follows the usual
rules). out may be the input array itself to filter in place.
"""

import math
import sys

import numpy

try:
    from numpy.lib.array_utils import normalize_axis_index
except ImportError:  # NumPy < 2
    from numpy.core.multiarray import normalize_axis_index

from imagecodecs._shared cimport (
    Input, Output, readable, output, check, new_array,
)
from imagecodecs._exceptions import (
    DeltaError, XorError, FloatpredError, ByteshuffleError, error_as,
)
from imagecodecs import imcd_version

cdef extern from 'predictors.h' nogil:
    Py_ssize_t imcd_delta_encode(const unsigned char* src, Py_ssize_t srcsize,
                                 unsigned char* dst, Py_ssize_t dstsize,
                                 Py_ssize_t outer, Py_ssize_t n,
                                 Py_ssize_t inner, Py_ssize_t dist,
                                 int itemsize, int byteswap)
    Py_ssize_t imcd_delta_decode(const unsigned char* src, Py_ssize_t srcsize,
                                 unsigned char* dst, Py_ssize_t dstsize,
                                 Py_ssize_t outer, Py_ssize_t n,
                                 Py_ssize_t inner, Py_ssize_t dist,
                                 int itemsize, int byteswap)
    Py_ssize_t imcd_xor_encode(const unsigned char* src, Py_ssize_t srcsize,
                               unsigned char* dst, Py_ssize_t dstsize,
                               Py_ssize_t outer, Py_ssize_t n,
                               Py_ssize_t inner, Py_ssize_t dist,
                               int itemsize)
    Py_ssize_t imcd_xor_decode(const unsigned char* src, Py_ssize_t srcsize,
                               unsigned char* dst, Py_ssize_t dstsize,
                               Py_ssize_t outer, Py_ssize_t n,
                               Py_ssize_t inner, Py_ssize_t dist,
                               int itemsize)
    Py_ssize_t imcd_byteshuffle_encode(const unsigned char* src,
                                       Py_ssize_t srcsize, unsigned char* dst,
                                       Py_ssize_t dstsize, Py_ssize_t outer,
                                       Py_ssize_t n, Py_ssize_t inner,
                                       Py_ssize_t dist, int itemsize,
                                       int reverse, int delta)
    Py_ssize_t imcd_byteshuffle_decode(const unsigned char* src,
                                       Py_ssize_t srcsize, unsigned char* dst,
                                       Py_ssize_t dstsize, Py_ssize_t outer,
                                       Py_ssize_t n, Py_ssize_t inner,
                                       Py_ssize_t dist, int itemsize,
                                       int reverse, int delta)
    Py_ssize_t imcd_floatpred_encode(const unsigned char* src,
                                     Py_ssize_t srcsize, unsigned char* dst,
                                     Py_ssize_t dstsize, Py_ssize_t outer,
                                     Py_ssize_t n, Py_ssize_t inner,
                                     Py_ssize_t dist, int itemsize,
                                     int bigendian)
    Py_ssize_t imcd_floatpred_decode(const unsigned char* src,
                                     Py_ssize_t srcsize, unsigned char* dst,
                                     Py_ssize_t dstsize, Py_ssize_t outer,
                                     Py_ssize_t n, Py_ssize_t inner,
                                     Py_ssize_t dist, int itemsize,
                                     int bigendian)


# Where the reference raises a builtin exception for bad arguments: `except
# CodecError` and the builtin both catch these.
_ByteshuffleValueError = error_as(ByteshuffleError, ValueError)


class DELTA:
    """DELTA codec constants."""

    available = True


class XOR:
    """XOR codec constants."""

    available = True


class FLOATPRED:
    """FLOATPRED codec constants."""

    available = True


class BYTESHUFFLE:
    """BYTESHUFFLE codec constants."""

    available = True


def delta_version():
    """Return the version of the DELTA codec."""
    return imcd_version()


def xor_version():
    """Return the version of the XOR codec."""
    return imcd_version()


def floatpred_version():
    """Return the version of the FLOATPRED codec."""
    return imcd_version()


def byteshuffle_version():
    """Return the version of the BYTESHUFFLE codec."""
    return imcd_version()


def delta_check(arg):
    """Return None: filtered data carry no signature."""
    return None


def xor_check(arg):
    """Return None: filtered data carry no signature."""
    return None


def floatpred_check(arg):
    """Return None: filtered data carry no signature."""
    return None


def byteshuffle_check(arg):
    """Return None: filtered data carry no signature."""
    return None


def delta_encode(data, axis=-1, dist=1, out=None):
    """Return differences of items `dist` apart along `axis`.

    Integers wrap around; floats are differenced by their bit patterns,
    which keeps the filter lossless.
    """
    return _filter(DELTA_FILTER, False, data, axis, dist, False, False, out,
                   DeltaError)


def delta_decode(data, axis=-1, dist=1, out=None):
    """Return the cumulative sums of DELTA encoded data along `axis`."""
    return _filter(DELTA_FILTER, True, data, axis, dist, False, False, out,
                   DeltaError)


def xor_encode(data, axis=-1, out=None):
    """Return the XOR of neighbouring items along `axis`."""
    return _filter(XOR_FILTER, False, data, axis, 1, False, False, out,
                   XorError)


def xor_decode(data, axis=-1, out=None):
    """Return XOR decoded data."""
    return _filter(XOR_FILTER, True, data, axis, 1, False, False, out,
                   XorError)


def floatpred_encode(data, axis=-1, dist=1, out=None):
    """Return data filtered with the TIFF floating point predictor.

    Each block of items from `axis` on, for example a row of shape
    (columns, samples) with axis=-2, becomes the planes of its bytes from
    the most significant down, differenced bytewise `dist` items apart.
    The result holds that byte stream in an array like `data`.
    """
    return _filter(FLOATPRED_FILTER, False, data, axis, dist, False, False,
                   out, FloatpredError)


def floatpred_decode(data, axis=-1, dist=1, out=None):
    """Return data unfiltered with the TIFF floating point predictor.

    `data` is the encoded byte stream viewed as an array of the shape and
    dtype (byte order included) of the result.
    """
    return _filter(FLOATPRED_FILTER, True, data, axis, dist, False, False,
                   out, FloatpredError)


def byteshuffle_encode(data, axis=-1, dist=1, delta=False, reorder=False,
                       out=None):
    """Return the bytes of each block along `axis` grouped by significance.

    Planes follow the memory order of the bytes, or run from the most
    significant byte down if `reorder`; with `delta` they are differenced
    bytewise `dist` items apart (delta and reorder: FLOATPRED). Items are
    any records of 1, 2, 3, 4 or 8 bytes, such as 24-bit floats as a void
    dtype 'V3' (whose bytes have no order: `reorder` reverses them).
    """
    return _filter(SHUFFLE_FILTER, False, data, axis, dist, delta, reorder,
                   out, ByteshuffleError)


def byteshuffle_decode(data, axis=-1, dist=1, delta=False, reorder=False,
                       out=None):
    """Return byte-unshuffled data."""
    return _filter(SHUFFLE_FILTER, True, data, axis, dist, delta, reorder,
                   out, ByteshuffleError)


cdef enum:
    DELTA_FILTER
    XOR_FILTER
    FLOATPRED_FILTER
    SHUFFLE_FILTER


cdef object _filter(int kind, bint decode, object data, object axis,
                    object dist, bint delta, bint reorder, object out,
                    object error):
    """Apply a filter; the common body of the public functions."""
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t outer = 1, n, inner = 1, cdist = dist, size
    cdef int itemsize = 1, byteswap = 0, bigendian = 0, reverse = 0
    cdef bint isarray = isinstance(data, numpy.ndarray)
    cdef bint shuffle = kind == SHUFFLE_FILTER
    if cdist < 1:
        # the reference raises NotImplementedError
        raise error_as(error_as(error, ValueError), NotImplementedError)(
            f'invalid dist {dist}')
    if kind == DELTA_FILTER and not decode and cdist != 1:
        # files written with a lag the reference cannot undo (tifffile's
        # HORIZONTALX2/X4 predictors) would be unreadable there; decoding
        # such files from other writers works
        raise error_as(error_as(error, ValueError), NotImplementedError)(
            f'dist={dist} not implemented')
    error_size = error_as(error, ValueError) if shuffle else error
    if isarray:
        dtype = data.dtype
        if shuffle:
            # bytes of any record (the reference's sizes, and 1)
            if dtype.hasobject or dtype.itemsize not in (1, 2, 3, 4, 8):
                raise _ByteshuffleValueError(
                    f'cannot shuffle the bytes of {dtype} items')
        elif dtype.kind not in 'iuf' or dtype.itemsize not in (1, 2, 4, 8):
            raise ValueError(f'not an integer or floating-point array: '
                             f'{dtype}')
        axis = normalize_axis_index(axis, data.ndim)
        data = numpy.ascontiguousarray(data)
        if not data.flags.aligned:
            data = data.copy()  # the C code accesses whole items
        shape = data.shape
        outer = math.prod(shape[:axis])
        n = shape[axis]
        inner = math.prod(shape[axis + 1:])
        itemsize = dtype.itemsize
        bigendian = dtype.byteorder == '>' or (
            dtype.byteorder == '=' and sys.byteorder == 'big')
        byteswap = itemsize > 1 and not dtype.isnative
        reverse = reorder and not bigendian
        result = new_array(out, shape, dtype, error_size, data)
        if not result.flags.aligned:
            raise ValueError('out is not aligned')
        src = readable(data)
        dst = output(result, src.size, error)
    else:
        src = readable(data)
        n = src.size
        dst = output(out, n, error)
    with nogil:
        if kind == DELTA_FILTER and decode:
            size = imcd_delta_decode(src.ptr, src.size, dst.ptr, dst.size,
                                     outer, n, inner, cdist, itemsize,
                                     byteswap)
        elif kind == DELTA_FILTER:
            size = imcd_delta_encode(src.ptr, src.size, dst.ptr, dst.size,
                                     outer, n, inner, cdist, itemsize,
                                     byteswap)
        elif kind == XOR_FILTER and decode:
            size = imcd_xor_decode(src.ptr, src.size, dst.ptr, dst.size,
                                   outer, n, inner, cdist, itemsize)
        elif kind == XOR_FILTER:
            size = imcd_xor_encode(src.ptr, src.size, dst.ptr, dst.size,
                                   outer, n, inner, cdist, itemsize)
        elif kind == FLOATPRED_FILTER and decode:
            size = imcd_floatpred_decode(src.ptr, src.size, dst.ptr, dst.size,
                                         outer, n, inner, cdist, itemsize,
                                         bigendian)
        elif kind == FLOATPRED_FILTER:
            size = imcd_floatpred_encode(src.ptr, src.size, dst.ptr, dst.size,
                                         outer, n, inner, cdist, itemsize,
                                         bigendian)
        elif decode:
            size = imcd_byteshuffle_decode(src.ptr, src.size, dst.ptr,
                                           dst.size, outer, n, inner, cdist,
                                           itemsize, reverse, delta)
        else:
            size = imcd_byteshuffle_encode(src.ptr, src.size, dst.ptr,
                                           dst.size, outer, n, inner, cdist,
                                           itemsize, reverse, delta)
    check(size, error)
    if isarray:
        return result
    return dst.finish(size)
