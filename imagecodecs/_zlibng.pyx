# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""ZLIBNG codec over zlib-ng's native (zng_) API."""

import enum

from libc.stdint cimport uint8_t, uint32_t, int32_t, UINT32_MAX
from libc.string cimport memset

from imagecodecs._shared cimport (
    Input, Output, readable, output, checksum32, checksum32_func,
)
from imagecodecs._exceptions import ZlibngError
from imagecodecs.libs.zlibng cimport *


class ZLIBNG:
    """ZLIBNG codec constants."""

    available = True

    class COMPRESSION(enum.IntEnum):
        DEFAULT = Z_DEFAULT_COMPRESSION
        NO = Z_NO_COMPRESSION
        BEST = Z_BEST_COMPRESSION
        SPEED = Z_BEST_SPEED

    class STRATEGY(enum.IntEnum):
        DEFAULT = Z_DEFAULT_STRATEGY
        FILTERED = Z_FILTERED
        HUFFMAN_ONLY = Z_HUFFMAN_ONLY
        RLE = Z_RLE
        FIXED = Z_FIXED


cdef enum:
    ZLIB_WBITS = 15  # windowBits of a zlib (RFC 1950) stream
    # outcomes of _inflate_some besides zlib's own codes
    NEED_OUTPUT = 100
    TRUNCATED = 101


def zlibng_version():
    """Return the version of the zlib-ng library."""
    return f'zlib_ng {zng_version_string().decode()}'


def zlibng_check(data):
    """Return whether data starts with a zlib stream header."""
    head = bytes(memoryview(data)[:2])
    return (len(head) == 2 and head[0] & 0x0F == 8 and head[0] >> 4 <= 7
            and (head[0] * 256 + head[1]) % 31 == 0)


def zlibng_encode(data, level=None, out=None):
    """Return zlib (RFC 1950) compressed data; level -1 to 9."""
    cdef Input src = readable(data)
    cdef Output dst = output(out, zng_compressBound(src.size), ZlibngError,
                             False)
    cdef int32_t clevel = Z_DEFAULT_COMPRESSION if level is None else min(
        max(int(level), Z_DEFAULT_COMPRESSION), Z_BEST_COMPRESSION)
    cdef size_t size = dst.size
    cdef int32_t ret
    with nogil:
        ret = zng_compress2(dst.ptr, &size, src.ptr, src.size, clevel)
    if ret == Z_BUF_ERROR:
        raise ZlibngError('output too small')
    if ret == Z_MEM_ERROR:
        raise MemoryError('zng_compress2 out of memory')
    if ret != Z_OK:
        raise ZlibngError(f'zng_compress2 returned {ret}')
    return dst.finish(<Py_ssize_t> size)


def zlibng_decode(data, out=None):
    """Return decompressed zlib stream; data after its end are ignored."""
    cdef Input src = readable(data)
    cdef Output dst = output(out, max(src.size * 4, 4096), ZlibngError,
                             False)
    cdef zng_stream strm
    cdef const uint8_t* next_in = src.ptr
    cdef Py_ssize_t remaining = src.size
    cdef Py_ssize_t written = 0
    cdef int32_t ret
    dst.keep_tail()
    memset(&strm, 0, sizeof(zng_stream))
    ret = zng_inflateInit2(&strm, ZLIB_WBITS)
    if ret == Z_MEM_ERROR:
        raise MemoryError('zng_inflateInit2 out of memory')
    if ret != Z_OK:
        raise ZlibngError(f'zng_inflateInit2 returned {ret}')
    try:
        while True:
            with nogil:
                ret = _inflate_some(&strm, &next_in, &remaining, dst.ptr,
                                    dst.size, &written)
            if ret == Z_STREAM_END:
                dst.restore_tail(written)
                return dst.finish(written)
            if ret == NEED_OUTPUT and dst.growable:
                dst.grow(max(dst.size * 2, 4096))
            elif ret == NEED_OUTPUT:
                raise ZlibngError('output too small')
            elif ret == TRUNCATED:
                raise ZlibngError('data is truncated')
            elif ret == Z_NEED_DICT:
                raise ZlibngError('stream needs a preset dictionary')
            elif ret == Z_MEM_ERROR:
                raise MemoryError('zng_inflate out of memory')
            else:
                raise ZlibngError('zng_inflate failed: ' + (
                    strm.msg.decode() if strm.msg != NULL else f'{ret}'))
    finally:
        zng_inflateEnd(&strm)




cdef int32_t _inflate_some(zng_stream* strm, const uint8_t** next_in,
                           Py_ssize_t* remaining, uint8_t* dst,
                           Py_ssize_t dstsize,
                           Py_ssize_t* written) noexcept nogil:
    """Inflate into dst[written:] until the stream ends or cannot go on.

    Return Z_STREAM_END, an error code, NEED_OUTPUT or TRUNCATED. The
    stream's uint32 counters take the buffers in pieces.
    """
    cdef int32_t ret
    cdef uint32_t n
    while True:
        if strm.avail_in == 0 and remaining[0] > 0:
            n = <uint32_t> min(remaining[0], <Py_ssize_t> UINT32_MAX)
            strm.next_in = next_in[0]
            strm.avail_in = n
            next_in[0] += n
            remaining[0] -= n
        strm.next_out = dst + written[0]
        strm.avail_out = <uint32_t> min(dstsize - written[0],
                                        <Py_ssize_t> UINT32_MAX)
        # with no room left inflate still reads a trailing checksum
        ret = zng_inflate(strm, Z_NO_FLUSH)
        written[0] = <Py_ssize_t> (strm.next_out - dst)
        if ret == Z_OK:
            continue  # progress was made
        if ret != Z_BUF_ERROR:
            return ret
        # no progress possible: the input is used up or the output full
        if strm.avail_in == 0 and remaining[0] == 0:
            return TRUNCATED
        if written[0] == dstsize:
            return NEED_OUTPUT
        return ret



def zlibng_crc32(data, value=None):
    """Return CRC-32 checksum of data, continuing from `value`."""
    return checksum32(<checksum32_func> zng_crc32_z, data, value, 0)


def zlibng_adler32(data, value=None):
    """Return Adler-32 checksum of data, continuing from `value`."""
    return checksum32(<checksum32_func> zng_adler32_z, data, value, 1)
