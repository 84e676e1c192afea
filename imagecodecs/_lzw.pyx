# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""Lempel-Ziv-Welch codec (TIFF compression 5, PDF LZWDecode)."""

from imagecodecs._shared cimport Input, Output, readable, output, check
from imagecodecs._shared cimport IMCD_OUTPUT_TOO_SMALL, fresh_output
from imagecodecs._exceptions import LzwError
from imagecodecs import imcd_version

cdef extern from 'lzw.h' nogil:
    int imcd_lzw_check(const unsigned char* src, Py_ssize_t srcsize)
    Py_ssize_t imcd_lzw_decoded_size(const unsigned char* src,
                                     Py_ssize_t srcsize)
    Py_ssize_t imcd_lzw_decode(const unsigned char* src, Py_ssize_t srcsize,
                               unsigned char* dst, Py_ssize_t dstsize,
                               int partial)
    Py_ssize_t imcd_lzw_encode_bound(Py_ssize_t srcsize)
    Py_ssize_t imcd_lzw_encode(const unsigned char* src, Py_ssize_t srcsize,
                               unsigned char* dst, Py_ssize_t dstsize)


class LZW:
    """LZW codec constants."""

    available = True


def lzw_version():
    """Return the version of the LZW codec."""
    return imcd_version()


def lzw_check(data):
    """Return whether data starts like an LZW stream (a ClearCode).

    Data shorter than two bytes cannot be told apart and gives True.
    """
    cdef Input src = readable(data)
    return bool(imcd_lzw_check(src.ptr, src.size))


def lzw_encode(data, out=None):
    """Return LZW encoded data (TIFF 6.0, MSB-first codes)."""
    cdef Input src = readable(data)
    cdef Output dst = output(out, imcd_lzw_encode_bound(src.size), LzwError,
                             False)
    cdef Py_ssize_t size
    with nogil:
        size = imcd_lzw_encode(src.ptr, src.size, dst.ptr, dst.size)
    return dst.finish(check(size, LzwError))


def lzw_decode(data, buffersize=0, out=None):
    """Return decoded LZW data.

    buffersize is a guess of the decoded size for a new output; without it
    a first pass over the codes finds the exact size. A given output (a
    capacity or buffer) smaller than the stream gets the stream's first
    bytes, as the reference fills it: TIFF readers pass a strip's expected
    size, and real files have strips that decode to more.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef Py_ssize_t size = buffersize if buffersize is not None else 0
    if fresh_output(out):
        if size <= 0:
            with nogil:
                size = imcd_lzw_decoded_size(src.ptr, src.size)
        dst = output(out, check(size, LzwError), LzwError, False)
    else:
        dst = output(out, 0, LzwError, False)
    cdef int partial = not dst.growable
    with nogil:
        size = imcd_lzw_decode(src.ptr, src.size, dst.ptr, dst.size, partial)
    if size == IMCD_OUTPUT_TOO_SMALL and dst.growable:
        # the guess was too small
        with nogil:
            size = imcd_lzw_decoded_size(src.ptr, src.size)
        dst.grow(check(size, LzwError))
        with nogil:
            size = imcd_lzw_decode(src.ptr, src.size, dst.ptr, dst.size, 0)
    return dst.finish(check(size, LzwError))
