# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""LZO1X decoder.

With header=True the stream is preceded by the 5-byte header of python-lzo:
0xF0 (0xF1 from its LZO1X-999 level) and the decoded size as a 4-byte
big-endian integer.
"""

from imagecodecs._shared cimport Input, Output, readable, output, check
from imagecodecs._shared cimport IMCD_OUTPUT_TOO_SMALL
from imagecodecs._exceptions import LzoError, error_as
from imagecodecs import imcd_version

cdef extern from 'lzo.h' nogil:
    ctypedef struct imcd_lzo_state:
        Py_ssize_t out
    int IMCD_LZO_NOT_CONSUMED
    void imcd_lzo_start(imcd_lzo_state* state)
    Py_ssize_t imcd_lzo_decode(const unsigned char* src, Py_ssize_t srcsize,
                               unsigned char* dst, Py_ssize_t dstsize,
                               imcd_lzo_state* state)
    Py_ssize_t imcd_lzo_decode_bound(Py_ssize_t srcsize)

cdef enum:
    HEADER = 5  # size of the header


class LZO:
    """LZO codec constants."""

    available = True


def lzo_version():
    """Return the version of the LZO codec."""
    return imcd_version()


def lzo_check(data):
    """Return True if data starts with a python-lzo header, else None."""
    cdef Input src = readable(data)
    # the header and at least the 3-byte end of stream
    if src.size >= HEADER + 3 and src.ptr[0] in (0xF0, 0xF1):
        return True
    return None


def lzo_encode(data, level=None, header=False, out=None):
    """Return LZO encoded data (not implemented)."""
    raise NotImplementedError('lzo_encode')


def lzo_decode(data, header=False, out=None):
    """Return decoded LZO1X data.

    The decoded size comes from the header if header=True, else from out
    (a size or buffer): LZO1X streams do not store it, and without either
    the call is refused (an error that is also a TypeError, as the
    reference raises for the missing argument). out=bytes or bytearray
    (the type) lets the output grow as needed.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef const unsigned char* ptr = src.ptr
    cdef Py_ssize_t srcsize = src.size
    cdef Py_ssize_t rawsize = -1
    cdef Py_ssize_t dstsize, size
    cdef imcd_lzo_state state
    if header:
        if srcsize < HEADER:
            raise error_as(LzoError, ValueError)(
                f'data too short for an LZO header: {srcsize}')
        if ptr[0] != 0xF0 and ptr[0] != 0xF1:
            raise error_as(LzoError, ValueError)(
                f'invalid LZO header byte 0x{ptr[0]:02X}')
        rawsize = ((<Py_ssize_t> ptr[1] << 24) | (ptr[2] << 16) |
                   (ptr[3] << 8) | ptr[4])
        ptr += HEADER
        srcsize -= HEADER
        if rawsize > imcd_lzo_decode_bound(srcsize):
            raise LzoError(f'the data cannot decode to {rawsize} bytes')
        dst = output(out, rawsize, LzoError)
        dstsize = rawsize
    elif out is None:
        raise error_as(LzoError, TypeError)(
            'lzo_decode needs header=True or out=<output size or buffer>, '
            'or out=bytes to let the output grow as needed')
    elif out is bytes or out is bytearray:
        # a first guess; grown below
        dst = output(out, min(imcd_lzo_decode_bound(srcsize),
                              4 * srcsize + 256), LzoError)
        dstsize = dst.size
    else:
        dst = output(out, 0, LzoError, False)
        dstsize = dst.size
    imcd_lzo_start(&state)
    while True:
        with nogil:
            size = imcd_lzo_decode(ptr, srcsize, dst.ptr, dstsize, &state)
        if size != IMCD_OUTPUT_TOO_SMALL or header or not dst.growable:
            break
        dst.grow(max(2 * dstsize, 4096))
        dstsize = dst.size
    if size == IMCD_LZO_NOT_CONSUMED:
        raise LzoError('data continues after the end of the LZO stream')
    if size == IMCD_OUTPUT_TOO_SMALL and header:
        raise LzoError('data decodes to more than the size in the header')
    check(size, LzoError)
    if header and size != rawsize:
        raise LzoError(f'data decodes to {size}, not {rawsize} bytes')
    return dst.finish(size)
