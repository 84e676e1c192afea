# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""RCOMP codec: Rice compression of FITS tiled images (RICE_1).

Arrays of 8, 16 or 32-bit integers are coded as one sequence of pixels in
memory order, each in native byte order; the stream stores neither shape
nor dtype, so the decoder needs both (or an `out` array) and the block size.
"""

import numpy

from imagecodecs._shared cimport (
    Input, Output, readable, output, check, new_array,
)
from imagecodecs._exceptions import RcompError
from imagecodecs import imcd_version

cdef extern from 'rcomp.h' nogil:
    Py_ssize_t imcd_rcomp_encode_bound(Py_ssize_t npixels, int itemsize,
                                       Py_ssize_t nblock)
    Py_ssize_t imcd_rcomp_encode(const unsigned char* src,
                                 Py_ssize_t npixels, int itemsize,
                                 Py_ssize_t nblock, unsigned char* dst,
                                 Py_ssize_t dstsize)
    Py_ssize_t imcd_rcomp_decode(const unsigned char* src,
                                 Py_ssize_t srcsize, unsigned char* dst,
                                 Py_ssize_t dstsize, int itemsize,
                                 Py_ssize_t nblock)


class RCOMP:
    """RCOMP codec constants."""

    available = True


def rcomp_version():
    """Return the version of the RCOMP codec."""
    return imcd_version()


def rcomp_check(data):
    """Return None: Rice streams carry no signature."""
    return None


cdef int _itemsize(dtype, str func) except -1:
    """Return the size of the integer dtype, or raise ValueError."""
    if dtype.kind not in 'iu' or dtype.itemsize not in (1, 2, 4):
        raise ValueError(
            f'{func}: dtype {dtype} not supported, '
            'expected 8, 16 or 32-bit integers'
        )
    return dtype.itemsize


cdef Py_ssize_t _nblock(nblock) except -1:
    """Return the block size, 32 by default."""
    if nblock is None:
        return 32
    if nblock < 1:
        raise RcompError(f'invalid nblock {nblock}')
    return nblock


def rcomp_encode(data, nblock=None, out=None):
    """Return RCOMP encoded data.

    data: array of int8, uint8, int16, uint16, int32 or uint32; its values
    in memory order. nblock: pixels per block (default 32).
    """
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t size, bound, npixels
    cdef Py_ssize_t blocksize = _nblock(nblock)
    cdef int itemsize
    data = numpy.ascontiguousarray(data)
    itemsize = _itemsize(data.dtype, 'rcomp_encode')
    npixels = data.size
    bound = check(imcd_rcomp_encode_bound(npixels, itemsize, blocksize),
                  RcompError)
    src = readable(data)
    dst = output(out, bound, RcompError, False)
    with nogil:
        size = imcd_rcomp_encode(src.ptr, npixels, itemsize, blocksize,
                                 dst.ptr, dst.size)
    return dst.finish(check(size, RcompError))


def rcomp_decode(data, shape=None, dtype=None, nblock=None, out=None):
    """Return decoded RCOMP data as array of shape and dtype.

    shape and dtype default to those of an `out` array; nblock must be the
    encoder's (default 32). Bytes after the last pixel are ignored.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef Py_ssize_t size
    cdef Py_ssize_t blocksize = _nblock(nblock)
    cdef int itemsize
    if isinstance(out, numpy.ndarray):
        shape = out.shape if shape is None else shape
        dtype = out.dtype if dtype is None else dtype
    if shape is None or dtype is None:
        raise TypeError('rcomp_decode: missing shape or dtype')
    dtype = numpy.dtype(dtype)
    itemsize = _itemsize(dtype, 'rcomp_decode')
    shape = tuple(shape) if numpy.iterable(shape) else (int(shape),)
    result = new_array(out, shape, dtype, RcompError)
    dst = output(result, result.nbytes, RcompError)
    with nogil:
        size = imcd_rcomp_decode(src.ptr, src.size, dst.ptr, dst.size,
                                 itemsize, blocksize)
    check(size, RcompError)
    return result
