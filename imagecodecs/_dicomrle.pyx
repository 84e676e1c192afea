# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""DICOMRLE codec: DICOM RLE Lossless, PS3.5 Annex G (decode only)."""

import numpy

from imagecodecs._shared cimport Input, Output, readable, output, check
from imagecodecs._exceptions import DicomrleError, error_as
from imagecodecs import imcd_version

from libc.stdint cimport uint8_t

cdef extern from 'dicomrle.h' nogil:
    Py_ssize_t imcd_dicomrle_segments(const uint8_t* src, Py_ssize_t srcsize)
    Py_ssize_t imcd_dicomrle_decoded_size(const uint8_t* src,
                                          Py_ssize_t srcsize)
    Py_ssize_t imcd_dicomrle_decode(const uint8_t* src, Py_ssize_t srcsize,
                                    uint8_t* dst, Py_ssize_t dstsize,
                                    int itemsize, int bigendian)


class DICOMRLE:
    """DICOMRLE codec constants."""

    available = True


def dicomrle_version():
    """Return the version of the DICOMRLE codec."""
    return imcd_version()


def dicomrle_check(data):
    """Return whether data starts with a valid DICOM RLE header."""
    cdef Input src = readable(data)
    cdef Py_ssize_t n
    with nogil:
        n = imcd_dicomrle_segments(src.ptr, src.size)
    return n > 0


def dicomrle_encode(data, out=None):
    """Raise NotImplementedError: DICOMRLE is decode-only."""
    raise NotImplementedError('dicomrle_encode')


def dicomrle_decode(data, dtype, out=None):
    """Return decoded DICOM RLE frame as bytes.

    The segments hold the bytes of samples of `dtype`, whose item size
    gives the number of samples per pixel: segments / itemsize. Samples
    are returned plane by plane (all first samples, then all second
    samples, ...), little-endian unless `dtype` is big-endian.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef Py_ssize_t size
    cdef int itemsize, bigendian
    dtype = numpy.dtype(dtype)
    itemsize = dtype.itemsize
    bigendian = dtype.str[0] == '>'
    with nogil:
        size = imcd_dicomrle_segments(src.ptr, src.size)
    if size < 0:
        raise error_as(DicomrleError, ValueError)('invalid DICOM RLE header')
    if itemsize == 0 or size % itemsize:
        raise error_as(DicomrleError, ValueError)(
            f'{size} segments do not hold samples of {itemsize} bytes'
        )
    with nogil:
        size = imcd_dicomrle_decoded_size(src.ptr, src.size)
    dst = output(out, check(size, DicomrleError), DicomrleError)
    with nogil:
        size = imcd_dicomrle_decode(src.ptr, src.size, dst.ptr, dst.size,
                                    itemsize, bigendian)
    return dst.finish(check(size, DicomrleError))
