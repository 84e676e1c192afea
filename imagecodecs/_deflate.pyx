# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""DEFLATE codec over libdeflate: zlib streams or raw DEFLATE."""

from libc.stdint cimport uint32_t

from imagecodecs._shared cimport (
    Input, Output, readable, output, checksum32, checksum32_func,
)
from imagecodecs._exceptions import DeflateError
from imagecodecs.libs.libdeflate cimport *

# DEFLATE expands at most 1032:1 (a 258-byte match per two bits); an output
# this large that is still too small means the stream is corrupt.
cdef Py_ssize_t MAX_RATIO = 1032


class DEFLATE:
    """DEFLATE codec constants."""

    available = True


def deflate_version():
    """Return the version of the libdeflate library."""
    return f'libdeflate {LIBDEFLATE_VERSION_STRING.decode()}'


def deflate_check(data):
    """Return True for a zlib stream header, else None (raw DEFLATE?)."""
    head = bytes(memoryview(data)[:2])
    if (len(head) == 2 and head[0] & 0x0F == 8 and head[0] >> 4 <= 7
            and (head[0] * 256 + head[1]) % 31 == 0):
        return True
    return None  # raw DEFLATE carries no signature


def deflate_encode(data, level=None, raw=False, out=None):
    """Return zlib (RFC 1950) or, if raw, DEFLATE (RFC 1951) compressed data.

    level is 0 (stored) to 12 (slowest); the default is 6.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef int clevel = 6 if level is None else min(max(int(level), 0), 12)
    cdef bint israw = bool(raw)
    cdef libdeflate_compressor* compressor
    cdef size_t size
    compressor = libdeflate_alloc_compressor(clevel)
    if compressor == NULL:
        raise MemoryError('libdeflate_alloc_compressor failed')
    try:
        if israw:
            size = libdeflate_deflate_compress_bound(compressor, src.size)
        else:
            size = libdeflate_zlib_compress_bound(compressor, src.size)
        dst = output(out, <Py_ssize_t> size, DeflateError, False)
        dst.keep_tail()
        with nogil:
            if israw:
                size = libdeflate_deflate_compress(compressor, src.ptr,
                                                   src.size, dst.ptr,
                                                   dst.size)
            else:
                size = libdeflate_zlib_compress(compressor, src.ptr,
                                                src.size, dst.ptr, dst.size)
    finally:
        libdeflate_free_compressor(compressor)
    if size == 0:
        raise DeflateError('output too small')
    dst.restore_tail(size)
    return dst.finish(<Py_ssize_t> size)


def deflate_decode(data, raw=False, out=None):
    """Return decompressed zlib or, if raw, DEFLATE stream.

    Without a given output size, decoding is retried in a larger output
    until the data fit (libdeflate decodes whole buffers only).
    """
    cdef Input src = readable(data)
    cdef Output dst = output(out, max(src.size * 4, 4096), DeflateError,
                             False)
    cdef Py_ssize_t limit = src.size * MAX_RATIO + 4096
    cdef bint israw = bool(raw)
    cdef libdeflate_decompressor* decompressor
    cdef libdeflate_result ret
    cdef size_t size = 0
    dst.keep_tail()
    decompressor = libdeflate_alloc_decompressor()
    if decompressor == NULL:
        raise MemoryError('libdeflate_alloc_decompressor failed')
    try:
        while True:
            with nogil:
                if israw:
                    ret = libdeflate_deflate_decompress(
                        decompressor, src.ptr, src.size, dst.ptr, dst.size,
                        &size)
                else:
                    ret = libdeflate_zlib_decompress(
                        decompressor, src.ptr, src.size, dst.ptr, dst.size,
                        &size)
            if ret != LIBDEFLATE_INSUFFICIENT_SPACE:
                break
            if not dst.growable:
                raise DeflateError('output too small')
            if dst.size >= limit:
                break
            # few retries: each repeats the work done so far
            dst.grow(min(dst.size * 4, limit))
    finally:
        libdeflate_free_decompressor(decompressor)
    if ret != LIBDEFLATE_SUCCESS:
        raise DeflateError('data is corrupt or truncated')
    dst.restore_tail(size)
    return dst.finish(<Py_ssize_t> size)





def deflate_crc32(data, value=None):
    """Return CRC-32 checksum of data, continuing from `value`."""
    return checksum32(<checksum32_func> libdeflate_crc32, data, value, 0)


def deflate_adler32(data, value=None):
    """Return Adler-32 checksum of data, continuing from `value`."""
    return checksum32(<checksum32_func> libdeflate_adler32, data, value, 1)
