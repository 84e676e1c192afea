# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""ZLIB codec over zlib (or zlib-ng in compatibility mode).

GZIP lives in _deflate: libdeflate decodes and encodes whole buffers
several times faster.
"""

import enum

from libc.string cimport memset
from libc.limits cimport UINT_MAX

from imagecodecs._shared cimport Input, Output, readable, output
from imagecodecs._exceptions import ZlibError
from imagecodecs.libs.zlib cimport *


class ZLIB:
    """ZLIB codec constants."""

    available = True

    class COMPRESSION(enum.IntEnum):
        DEFAULT = -1
        NO = 0
        BEST = 9
        SPEED = 1

    class STRATEGY(enum.IntEnum):
        DEFAULT = 0
        FILTERED = 1
        HUFFMAN_ONLY = 2
        RLE = 3
        FIXED = 4


cdef enum:
    # windowBits of inflateInit2/deflateInit2 for zlib streams
    ZLIB_WBITS = 15


def zlib_version():
    """Return the version of the zlib library."""
    return f'zlib {zlibVersion().decode()}'


def zlib_check(data):
    """Return whether data starts with a zlib stream header."""
    head = bytes(memoryview(data)[:2])
    return (len(head) == 2 and head[0] & 0x0F == 8 and head[0] >> 4 <= 7
            and (head[0] * 256 + head[1]) % 31 == 0)


def zlib_encode(data, level=None, out=None):
    """Return zlib (RFC 1950) compressed data."""
    cdef Input src = readable(data)
    cdef Output dst
    cdef z_stream strm
    cdef const unsigned char* next_in = src.ptr
    cdef Py_ssize_t remaining = src.size
    cdef Py_ssize_t written = 0
    cdef int clevel = -1 if level is None else min(max(int(level), -1), 9)
    cdef int ret
    memset(&strm, 0, sizeof(z_stream))
    ret = deflateInit2(&strm, clevel, Z_DEFLATED, ZLIB_WBITS, 8,
                       Z_DEFAULT_STRATEGY)
    if ret != Z_OK:
        raise ZlibError(f'deflateInit2 returned {ret}')
    try:
        dst = output(out, deflateBound(&strm, src.size), ZlibError, False)
        with nogil:
            while True:
                _feed(&strm, &next_in, &remaining)
                _room(&strm, dst.ptr, dst.size, written)
                ret = deflate(&strm, Z_FINISH if remaining == 0
                              else Z_NO_FLUSH)
                written = <Py_ssize_t> (strm.next_out - dst.ptr)
                if ret == Z_STREAM_END or ret < 0:
                    break
                if written == dst.size:
                    ret = Z_BUF_ERROR
                    break
        if ret == Z_BUF_ERROR:
            raise ZlibError('output too small')
        if ret != Z_STREAM_END:
            raise ZlibError(f'deflate returned {ret}')
        return dst.finish(written)
    finally:
        deflateEnd(&strm)


def zlib_decode(data, out=None):
    """Return decompressed zlib stream."""
    cdef Input src = readable(data)
    cdef Output dst
    cdef z_stream strm
    cdef const unsigned char* next_in = src.ptr
    cdef Py_ssize_t remaining = src.size
    cdef Py_ssize_t written = 0
    cdef int ret
    memset(&strm, 0, sizeof(z_stream))
    ret = inflateInit2(&strm, ZLIB_WBITS)
    if ret != Z_OK:
        raise ZlibError(f'inflateInit2 returned {ret}')
    try:
        dst = output(out, max(src.size * 4, 1024), ZlibError, False)
        while True:
            with nogil:
                while True:
                    _feed(&strm, &next_in, &remaining)
                    _room(&strm, dst.ptr, dst.size, written)
                    ret = inflate(&strm, Z_NO_FLUSH)
                    written = <Py_ssize_t> (strm.next_out - dst.ptr)
                    if ret != Z_OK or written == dst.size:
                        break
                    if strm.avail_in == 0 and remaining == 0:
                        ret = Z_BUF_ERROR  # input ends inside the stream
                        break
            if ret == Z_STREAM_END:
                break  # data after the stream is ignored, as by Python's zlib
            if ret == Z_OK or (ret == Z_BUF_ERROR and written == dst.size
                               and (strm.avail_in or remaining)):
                dst.grow(max(dst.size * 2, 4096))
                continue
            if ret == Z_BUF_ERROR:
                raise ZlibError('data is truncated')
            msg = strm.msg.decode() if strm.msg != NULL else f'error {ret}'
            raise ZlibError(f'inflate failed: {msg}')
        return dst.finish(written)
    finally:
        inflateEnd(&strm)


ctypedef uLong (*checksum_func)(uLong, const Bytef*, uInt) nogil


cdef object _checksum(checksum_func func, object data, uLong value):
    """Run a zlib checksum over data in pieces that fit its uInt size."""
    cdef Input src = readable(data)
    cdef const unsigned char* ptr = src.ptr
    cdef Py_ssize_t size = src.size
    cdef uInt n
    with nogil:
        while size > 0:
            n = <uInt> min(size, UINT_MAX)
            value = func(value, ptr, n)
            ptr += n
            size -= n
    return int(value)


def zlib_crc32(data, value=None):
    """Return CRC-32 checksum of data, continuing from `value`."""
    return _checksum(crc32, data, 0 if value is None else _u32(value))


def zlib_adler32(data, value=None):
    """Return Adler-32 checksum of data, continuing from `value`."""
    return _checksum(adler32, data, 1 if value is None else _u32(value))


cdef uLong _u32(object value):
    """Wrap a starting value to 32 bits, as Python's zlib module does."""
    return <uLong> (int(value) & 0xFFFFFFFF)


cdef inline void _feed(z_stream* strm, const unsigned char** src,
                       Py_ssize_t* srcsize) noexcept nogil:
    """Move up to UINT_MAX more input bytes into the stream."""
    cdef uInt n
    if strm.avail_in == 0 and srcsize[0] > 0:
        n = <uInt> min(srcsize[0], UINT_MAX)
        strm.next_in = <Bytef*> src[0]
        strm.avail_in = n
        src[0] += n
        srcsize[0] -= n


cdef inline void _room(z_stream* strm, unsigned char* dst,
                       Py_ssize_t dstsize, Py_ssize_t written) noexcept nogil:
    """Offer up to UINT_MAX bytes of the output after `written`."""
    strm.next_out = dst + written
    strm.avail_out = <uInt> min(dstsize - written, UINT_MAX)
