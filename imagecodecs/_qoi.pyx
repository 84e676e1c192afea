# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""QOI codec: Quite OK Image format.

Encoding uses the format's reference implementation, qoi.h; decoding our
one-pass decoder (imagecodecs/_c/qoidecode.c), which writes into the output
and refuses streams that end early.
"""

import enum

import numpy

from libc.stdint cimport uint8_t
from libc.stdlib cimport free
from libc.string cimport memcpy, memcmp
from libc.limits cimport INT_MAX

from imagecodecs._shared cimport Input, Output, readable, output, new_array
from imagecodecs._exceptions import QoiError, error_as
# the module's functions have the library's names
cimport imagecodecs.libs.qoi as libqoi

cdef extern from *:
    const char* IMCD_VERSION_QOI

cdef extern from 'qoidecode.h' nogil:
    Py_ssize_t imcd_qoi_decode(const uint8_t* src, Py_ssize_t srcsize,
                               uint8_t* dst, Py_ssize_t npixels,
                               int channels)

# qoi.h refuses images of this many pixels or more
cdef Py_ssize_t PIXELS_MAX = 400000000
cdef Py_ssize_t HEADER_SIZE = 14
cdef Py_ssize_t PADDING_SIZE = 8
# the longest run chunk, one byte, stands for 62 pixels
cdef Py_ssize_t MAX_RUN = 62


class QOI:
    """QOI codec constants."""

    available = True

    class COLORSPACE(enum.IntEnum):
        """QOI color spaces (informative only)."""

        SRGB = libqoi.QOI_SRGB
        LINEAR = libqoi.QOI_LINEAR


def qoi_version():
    """Return the version of the QOI reference implementation."""
    return f'qoi {IMCD_VERSION_QOI.decode()}'


def qoi_check(data):
    """Return whether data starts with the QOI magic."""
    return bytes(memoryview(data)[:4]) == b'qoif'


def qoi_encode(data, out=None):
    """Return QOI encoded image of a uint8 (height, width, 3 or 4) array."""
    array = numpy.asarray(data)
    if (array.dtype != numpy.uint8 or array.ndim != 3
            or array.shape[2] not in (3, 4)):
        raise error_as(QoiError, ValueError)(
            f'invalid data shape {array.shape} or dtype {array.dtype}')
    if array.size == 0:
        raise QoiError(f'empty image {array.shape}')
    if array.shape[0] * array.shape[1] >= PIXELS_MAX:
        raise QoiError(f'image too large: {array.shape}')
    array = numpy.ascontiguousarray(array)
    cdef Input src = readable(array)
    cdef libqoi.qoi_desc desc
    cdef void* encoded = NULL
    cdef int size = 0
    cdef Output dst
    desc.width = <unsigned int> array.shape[1]
    desc.height = <unsigned int> array.shape[0]
    desc.channels = <unsigned char> array.shape[2]
    desc.colorspace = libqoi.QOI_SRGB
    try:
        with nogil:
            encoded = libqoi.qoi_encode(src.ptr, &desc, &size)
        if encoded == NULL:
            raise QoiError('qoi_encode failed')
        dst = output(out, size, QoiError)
        with nogil:
            memcpy(dst.ptr, encoded, size)
        return dst.finish(size)
    finally:
        free(encoded)  # qoi.h allocates with malloc


def qoi_decode(data, out=None):
    """Return decoded QOI image, uint8 of shape (height, width, channels)."""
    cdef Input src = readable(data)
    cdef const uint8_t* p = src.ptr
    cdef Py_ssize_t width, height, channels, npixels, end
    cdef Output dst
    if src.size < HEADER_SIZE + PADDING_SIZE or memcmp(p, b'qoif', 4) != 0:
        raise QoiError('not a QOI image')
    if src.size > INT_MAX:
        raise QoiError(f'QOI stream too large: {src.size} bytes')
    # big-endian 32-bit sizes; Py_ssize_t so that 0xFFFFFFFF stays positive
    width = ((<Py_ssize_t> p[4] << 24) | (p[5] << 16) | (p[6] << 8)
             | p[7])
    height = ((<Py_ssize_t> p[8] << 24) | (p[9] << 16) | (p[10] << 8)
              | p[11])
    channels = p[12]
    if channels not in (3, 4) or p[13] > 1:
        raise QoiError(f'invalid QOI header: {channels} channels, '
                       f'colorspace {p[13]}')
    # checked before the image is allocated (and before multiplying)
    npixels = width * height if width < PIXELS_MAX and height < PIXELS_MAX \
        else PIXELS_MAX
    if (width == 0 or height == 0 or npixels >= PIXELS_MAX
            or npixels > (src.size - HEADER_SIZE) * MAX_RUN):
        raise QoiError(f'invalid QOI header: {width} x {height} pixels in '
                       f'{src.size} bytes')
    result = new_array(out, (height, width, channels), numpy.uint8,
                       QoiError, data)
    dst = output(result, result.nbytes, QoiError)
    # our one-pass decoder writes into the output and finds streams that
    # end early, where qoi.h would repeat the last pixel
    with nogil:
        end = imcd_qoi_decode(p + HEADER_SIZE, src.size - HEADER_SIZE,
                              dst.ptr, npixels, <int> channels)
    if end < 0 or HEADER_SIZE + end + PADDING_SIZE > src.size or memcmp(
            p + HEADER_SIZE + end, b'\0\0\0\0\0\0\0\x01',
            PADDING_SIZE) != 0:
        raise QoiError('QOI stream truncated or corrupt')
    return result
