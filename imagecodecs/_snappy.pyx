# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""SNAPPY codec over the Snappy library (raw format, no framing)."""

from libc.stdint cimport uint32_t, UINT32_MAX

from imagecodecs._shared cimport Input, Output, readable, output
from imagecodecs._exceptions import SnappyError
from imagecodecs.libs.snappy cimport *

cdef extern from 'imcd.h':
    const char* IMCD_VERSION_SNAPPY

# A 3-byte copy element yields at most 64 bytes: no valid stream expands
# more. Larger length claims are corrupt and not allocated.
cdef Py_ssize_t MAX_RATIO = 22


class SNAPPY:
    """SNAPPY codec constants."""

    available = True


def snappy_version():
    """Return the version of the Snappy library."""
    return f'snappy {IMCD_VERSION_SNAPPY.decode()}'


def snappy_check(arg):
    """Return whether arg is a complete, valid raw Snappy stream."""
    cdef Input src = readable(arg)
    cdef snappy_status ret
    if src.size == 0:
        return False
    with nogil:
        ret = snappy_validate_compressed_buffer(<const char*> src.ptr,
                                                src.size)
    return ret == SNAPPY_OK


cdef str _message(snappy_status ret):
    if ret == SNAPPY_INVALID_INPUT:
        return 'invalid input'
    if ret == SNAPPY_BUFFER_TOO_SMALL:
        return 'buffer too small'
    return f'status {<int> ret}'


def snappy_encode(data, out=None):
    """Return raw Snappy compressed data."""
    cdef Input src = readable(data)
    cdef size_t bound = snappy_max_compressed_length(<size_t> src.size)
    cdef Output dst
    cdef size_t size = bound
    cdef char* buffer = NULL
    cdef snappy_status ret
    if <size_t> src.size > UINT32_MAX:
        # the stream's varint length field holds 32 bits
        raise SnappyError(f'input too large: {src.size} bytes')
    dst = output(out, bound, SnappyError, False)
    # the library wants room for the worst case
    buffer = <char*> dst.workspace(bound)
    with nogil:
        ret = snappy_compress(<const char*> src.ptr, src.size, buffer, &size)
    if ret != SNAPPY_OK:
        raise SnappyError(f'snappy_compress failed: {_message(ret)}')
    return dst.finish(dst.commit(<Py_ssize_t> size))


def snappy_decode(data, out=None):
    """Return decompressed raw Snappy data."""
    cdef Input src = readable(data)
    cdef Output dst
    cdef size_t size = 0
    cdef snappy_status ret
    if src.size == 0:
        return output(out, 0, SnappyError).finish(0)
    ret = snappy_uncompressed_length(<const char*> src.ptr, src.size, &size)
    if ret != SNAPPY_OK:
        raise SnappyError(f'invalid stream header: {_message(ret)}')
    if size > <size_t> src.size * MAX_RATIO:
        raise SnappyError(f'corrupt stream header: claims {size} bytes')
    dst = output(out, <Py_ssize_t> size, SnappyError)
    with nogil:
        ret = snappy_uncompress(<const char*> src.ptr, src.size,
                                <char*> dst.ptr, &size)
    if ret != SNAPPY_OK:
        raise SnappyError(f'snappy_uncompress failed: {_message(ret)}')
    return dst.finish(<Py_ssize_t> size)
