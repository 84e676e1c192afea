# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""LZF codec over liblzf.

With header=True the stream is preceded by the decoded size as a 4-byte
little-endian integer.
"""

from libc.limits cimport UINT_MAX
from libc.stdint cimport uint8_t

from imagecodecs._shared cimport Input, Output, readable, output
from imagecodecs._exceptions import LzfError
from imagecodecs.libs.liblzf cimport *

cdef extern from 'imcd.h':
    const char* IMCD_VERSION_LIBLZF

cdef extern from *:
    """
    #include <errno.h>
    /* liblzf tells why it failed in errno only */
    static unsigned int imcd_lzf_decompress(
            const void* in_data, unsigned int in_len, void* out_data,
            unsigned int out_len, int* too_small) {
        unsigned int ret;
        errno = 0;
        ret = lzf_decompress(in_data, in_len, out_data, out_len);
        *too_small = (ret == 0 && errno == E2BIG);
        return ret;
    }
    """
    unsigned int imcd_lzf_decompress(const void* in_data, unsigned int in_len,
                                     void* out_data, unsigned int out_len,
                                     int* too_small) nogil

cdef enum:
    HEADER_SIZE = 4

# A 3-byte back reference yields at most 264 bytes: no stream expands more.
cdef Py_ssize_t MAX_RATIO = 88


class LZF:
    """LZF codec constants."""

    available = True


def lzf_version():
    """Return the release and API versions of liblzf."""
    return (f'liblzf {IMCD_VERSION_LIBLZF.decode()} '
            f'(API {LZF_VERSION >> 8}.{LZF_VERSION & 255})')


def lzf_check(data):
    """Return None: LZF streams carry no signature."""
    return None


cdef Py_ssize_t _bound(Py_ssize_t size) noexcept nogil:
    """Return the largest stream lzf_compress may need for `size` bytes.

    One control byte per 32 literals, and slack for the library's
    conservative end-of-buffer tests.
    """
    return size + (size >> 5) + 16


def lzf_encode(data, header=False, out=None):
    """Return LZF compressed data, with the decoded size first if header."""
    cdef Input src = readable(data)
    cdef Py_ssize_t offset = HEADER_SIZE if header else 0
    cdef Py_ssize_t bound = offset + _bound(src.size)
    cdef Output dst
    cdef Py_ssize_t size = 0
    cdef uint8_t* buffer
    if src.size > UINT_MAX:
        raise LzfError(f'input too large: {src.size} bytes')
    dst = output(out, bound, LzfError, False)
    # the library may refuse a buffer that would just hold the result
    buffer = dst.workspace(bound)
    if src.size > 0:
        with nogil:
            size = lzf_compress(src.ptr, <unsigned int> src.size,
                                buffer + offset,
                                <unsigned int> min(bound - offset, UINT_MAX))
        if size == 0:
            raise LzfError('lzf_compress failed')
    if header:
        _write_header(buffer, src.size)
    return dst.finish(dst.commit(offset + size))


cdef void _write_header(uint8_t* ptr, Py_ssize_t size) noexcept:
    cdef int i
    for i in range(HEADER_SIZE):
        ptr[i] = (size >> (8 * i)) & 255


def lzf_decode(data, header=False, out=None):
    """Return decompressed LZF data; with header, check the decoded size."""
    cdef Input src = readable(data)
    cdef const uint8_t* body = src.ptr
    cdef Py_ssize_t bodysize = src.size
    cdef Py_ssize_t size
    cdef Output dst
    if src.size == 0:
        return output(out, 0, LzfError).finish(0)
    if header:
        if src.size < HEADER_SIZE:
            raise LzfError('data is truncated: no header')
        size = (body[0] | (body[1] << 8) | (body[2] << 16)
                | (<Py_ssize_t> body[3] << 24))
        body += HEADER_SIZE
        bodysize -= HEADER_SIZE
        if size > bodysize * MAX_RATIO:
            raise LzfError(f'corrupt header: claims {size} bytes')
        dst = output(out, size, LzfError)
        if _decompress(body, bodysize, dst, size) != size:
            raise LzfError(f'corrupt header: claims {size} bytes, '
                           'the stream holds another size')
        return dst.finish(size)
    # without header: a first guess that fits most data, else the exact
    # size from a scan of the control bytes (which costs ~20% of a decode)
    dst = output(out, min(max(bodysize * 4, 4096), bodysize * MAX_RATIO),
                 LzfError, False)
    size = _decompress(body, bodysize, dst, min(dst.size, UINT_MAX))
    if size < 0:
        if not dst.growable:
            raise LzfError(f'output too small: {dst.size} bytes')
        with nogil:
            size = _decoded_size(body, bodysize)
        if size < 0:
            raise LzfError('data is truncated')
        dst.grow(size)
        if _decompress(body, bodysize, dst, size) != size:
            raise LzfError('lzf_decompress failed: corrupt data')
    return dst.finish(size)


cdef Py_ssize_t _decompress(const uint8_t* body, Py_ssize_t bodysize,
                            Output dst, Py_ssize_t capacity) except -2:
    """Decompress into dst with at most capacity bytes; -1 if too small."""
    cdef unsigned int ret
    cdef int too_small = 0
    if bodysize > UINT_MAX or capacity > UINT_MAX:
        raise LzfError(f'data too large: {bodysize} -> {capacity} bytes')
    if bodysize == 0:
        return 0
    with nogil:
        ret = imcd_lzf_decompress(body, <unsigned int> bodysize, dst.ptr,
                                  <unsigned int> capacity, &too_small)
    if too_small:
        return -1
    if ret == 0:
        raise LzfError('lzf_decompress failed: corrupt data')
    return ret


cdef Py_ssize_t _decoded_size(const uint8_t* src,
                              Py_ssize_t size) noexcept nogil:
    """Return the number of bytes an LZF stream decodes to, or -1.

    Control bytes 0..31 start a run of 1..32 literals; larger ones a back
    reference of 3..264 bytes (length in the top 3 bits, 7 meaning a
    further length byte) followed by the low byte of the offset.
    """
    cdef Py_ssize_t pos = 0
    cdef Py_ssize_t total = 0
    cdef unsigned int ctrl, length
    while pos < size:
        ctrl = src[pos]
        pos += 1
        if ctrl < 32:
            length = ctrl + 1
            pos += length
        else:
            length = ctrl >> 5
            if length == 7:
                if pos >= size:
                    return -1
                length += src[pos]
                pos += 1
            length += 2
            pos += 1
        total += length
    return total if pos == size else -1
