# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""PackBits run-length codec (TIFF compression 32773)."""

import math

import numpy

try:
    from numpy.lib.array_utils import normalize_axis_index
except ImportError:  # NumPy < 2
    from numpy.core.multiarray import normalize_axis_index

from imagecodecs._shared cimport Input, Output, readable, output, check
from imagecodecs._exceptions import PackbitsError
from imagecodecs import imcd_version

cdef extern from 'packbits.h' nogil:
    Py_ssize_t imcd_packbits_decoded_size(const unsigned char* src,
                                          Py_ssize_t srcsize)
    Py_ssize_t imcd_packbits_decode(const unsigned char* src,
                                    Py_ssize_t srcsize, unsigned char* dst,
                                    Py_ssize_t dstsize)
    Py_ssize_t imcd_packbits_encode_bound(Py_ssize_t srcsize,
                                          Py_ssize_t rowsize)
    Py_ssize_t imcd_packbits_encode(const unsigned char* src,
                                    Py_ssize_t srcsize, Py_ssize_t rowsize,
                                    unsigned char* dst, Py_ssize_t dstsize)


class PACKBITS:
    """PACKBITS codec constants."""

    available = True


def packbits_version():
    """Return the version of the PackBits codec."""
    return imcd_version()


def packbits_check(arg):
    """Return None: PackBits streams carry no signature."""
    return None


def packbits_encode(data, axis=None, out=None):
    """Return PackBits encoded data.

    Arrays are encoded row by row, since TIFF forbids runs across rows: a
    row holds the items of the dimensions from `axis` on (default: the
    last dimension only). Other buffers are one row. Rows are coded with
    the same choices as the original imagecodecs, so that files match byte
    for byte; that is not always the shortest coding.
    """
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t rowsize = 0
    cdef Py_ssize_t size
    if isinstance(data, numpy.ndarray):
        data = numpy.ascontiguousarray(data)
        if data.ndim > 0:
            # AxisError is both a ValueError and an IndexError
            axis = normalize_axis_index(-1 if axis is None else axis,
                                        data.ndim)
            rowsize = data.itemsize * math.prod(data.shape[axis:])
    src = readable(data)
    dst = output(out, imcd_packbits_encode_bound(src.size, rowsize),
                 PackbitsError, False)
    with nogil:
        size = imcd_packbits_encode(src.ptr, src.size, rowsize, dst.ptr,
                                    dst.size)
    return dst.finish(check(size, PackbitsError))


def packbits_decode(data, out=None):
    """Return decoded PackBits data.

    A 0x00 pad byte after the data is ignored; any other incomplete block
    raises PackbitsError.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef Py_ssize_t size
    with nogil:
        size = imcd_packbits_decoded_size(src.ptr, src.size)
    dst = output(out, check(size, PackbitsError), PackbitsError)
    with nogil:
        size = imcd_packbits_decode(src.ptr, src.size, dst.ptr, dst.size)
    return dst.finish(check(size, PackbitsError))
