# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""DEFLATE and GZIP codecs over libdeflate: raw DEFLATE, zlib and gzip.

libdeflate works on whole buffers, which makes it several times faster than
zlib's streaming interface for the in-memory chunks this package handles.
"""

from libc.stdint cimport uint8_t

from imagecodecs._shared cimport (
    Input, Output, readable, output, checksum32, checksum32_func,
)
from imagecodecs._exceptions import DeflateError, GzipError, error_as
from imagecodecs.libs.libdeflate cimport *

# DEFLATE expands at most 1032:1 (a 258-byte match per two bits); an output
# this large that is still too small means the stream is corrupt.
cdef Py_ssize_t MAX_RATIO = 1032

cdef enum Format:
    FORMAT_RAW  # RFC 1951
    FORMAT_ZLIB  # RFC 1950
    FORMAT_GZIP  # RFC 1952


class DEFLATE:
    """DEFLATE codec constants."""

    available = True


class GZIP:
    """GZIP codec constants."""

    available = True


def deflate_version():
    """Return the version of the libdeflate library."""
    return f'libdeflate {LIBDEFLATE_VERSION_STRING.decode()}'


def gzip_version():
    """Return the version of the libdeflate library."""
    return deflate_version()


def deflate_check(data):
    """Return True for a zlib stream header, else None (raw DEFLATE?)."""
    head = bytes(memoryview(data)[:2])
    if (len(head) == 2 and head[0] & 0x0F == 8 and head[0] >> 4 <= 7
            and (head[0] * 256 + head[1]) % 31 == 0):
        return True
    return None  # raw DEFLATE carries no signature


def gzip_check(data):
    """Return whether data starts with the gzip signature."""
    return bytes(memoryview(data)[:3]) == b'\x1f\x8b\x08'


def deflate_encode(data, level=None, raw=False, out=None):
    """Return zlib (RFC 1950) or, if raw, DEFLATE (RFC 1951) compressed data.

    level is 0 (stored) to 12 (slowest); the default is 6.
    """
    cdef int clevel = 6 if level is None else min(max(int(level), 0), 12)
    return _compress(data, clevel, FORMAT_RAW if raw else FORMAT_ZLIB, out,
                     DeflateError)


def deflate_decode(data, raw=False, out=None):
    """Return decompressed zlib or, if raw, DEFLATE stream."""
    return _decompress(data, FORMAT_RAW if raw else FORMAT_ZLIB, out,
                       DeflateError)


def gzip_encode(data, level=None, out=None):
    """Return gzip (RFC 1952) compressed data, one member.

    level is 0 (stored) to 12 (slowest); None or a negative level, as for
    zlib, means the default, 6.
    """
    cdef int clevel = 6
    if level is not None and int(level) >= 0:
        clevel = min(int(level), 12)
    return _compress(data, clevel, FORMAT_GZIP, out, GzipError)


def gzip_decode(data, out=None):
    """Return decompressed gzip stream; concatenated members are joined.

    Data after a member that does not start another member (zero padding,
    say) ends the stream, as for the gzip tool.
    """
    return _decompress(data, FORMAT_GZIP, out, GzipError)


def deflate_crc32(data, value=None):
    """Return CRC-32 checksum of data, continuing from `value`."""
    return checksum32(<checksum32_func> libdeflate_crc32, data, value, 0)


def deflate_adler32(data, value=None):
    """Return Adler-32 checksum of data, continuing from `value`."""
    return checksum32(<checksum32_func> libdeflate_adler32, data, value, 1)


cdef object _compress(data, int level, Format fmt, out, error):
    cdef Input src = readable(data)
    cdef Output dst
    cdef libdeflate_compressor* compressor
    cdef size_t size
    compressor = libdeflate_alloc_compressor(level)
    if compressor == NULL:
        raise MemoryError('libdeflate_alloc_compressor failed')
    try:
        if fmt == FORMAT_RAW:
            size = libdeflate_deflate_compress_bound(compressor, src.size)
        elif fmt == FORMAT_ZLIB:
            size = libdeflate_zlib_compress_bound(compressor, src.size)
        else:
            size = libdeflate_gzip_compress_bound(compressor, src.size)
        dst = output(out, <Py_ssize_t> size, error, False)
        dst.keep_tail()
        with nogil:
            if fmt == FORMAT_RAW:
                size = libdeflate_deflate_compress(
                    compressor, src.ptr, src.size, dst.ptr, dst.size)
            elif fmt == FORMAT_ZLIB:
                size = libdeflate_zlib_compress(
                    compressor, src.ptr, src.size, dst.ptr, dst.size)
            else:
                size = libdeflate_gzip_compress(
                    compressor, src.ptr, src.size, dst.ptr, dst.size)
    finally:
        libdeflate_free_compressor(compressor)
    if size == 0:
        raise error('output too small')
    dst.restore_tail(size)
    return dst.finish(<Py_ssize_t> size)


cdef object _decompress(data, Format fmt, out, error):
    """Decode one stream or, for gzip, every member that follows.

    Without a given output size, a member is decoded again in a larger
    output until it fits (libdeflate decodes whole buffers only), so the
    first guess matters: gzip's trailer tells the last member's size.
    """
    cdef Input src = readable(data)
    cdef Output dst = output(out, _first_guess(src, fmt), error, False)
    cdef Py_ssize_t limit = src.size * MAX_RATIO + 4096
    cdef const uint8_t* member = src.ptr
    cdef size_t remaining = src.size
    cdef size_t used = 0
    cdef size_t size = 0
    cdef Py_ssize_t written = 0
    cdef libdeflate_decompressor* decompressor
    cdef libdeflate_result ret
    dst.keep_tail()
    decompressor = libdeflate_alloc_decompressor()
    if decompressor == NULL:
        raise MemoryError('libdeflate_alloc_decompressor failed')
    try:
        while True:
            with nogil:
                if fmt == FORMAT_RAW:
                    ret = libdeflate_deflate_decompress(
                        decompressor, member, remaining, dst.ptr + written,
                        dst.size - written, &size)
                elif fmt == FORMAT_ZLIB:
                    ret = libdeflate_zlib_decompress(
                        decompressor, member, remaining, dst.ptr + written,
                        dst.size - written, &size)
                else:
                    ret = libdeflate_gzip_decompress_ex(
                        decompressor, member, remaining, dst.ptr + written,
                        dst.size - written, &used, &size)
            if ret == LIBDEFLATE_INSUFFICIENT_SPACE:
                if not dst.growable:
                    raise error('output too small')
                if dst.size >= limit:
                    raise error_as(error, ValueError)('data is corrupt')
                # few retries: each repeats the member's work so far
                dst.grow(min(dst.size * 4, limit))
                continue
            if ret != LIBDEFLATE_SUCCESS:
                raise error_as(error, ValueError)(
                    'data is corrupt or truncated')
            written += size
            if fmt != FORMAT_GZIP:
                break
            member += used
            remaining -= used
            if remaining < 2 or member[0] != 0x1F or member[1] != 0x8B:
                break  # no further member (RFC 1952, 2.2)
    finally:
        libdeflate_free_decompressor(decompressor)
    dst.restore_tail(written)
    return dst.finish(written)


cdef Py_ssize_t _first_guess(Input src, Format fmt):
    """Return a first guess of the decompressed size."""
    cdef Py_ssize_t size
    if fmt == FORMAT_GZIP and src.size >= 18:
        # ISIZE, the last member's size modulo 2**32: trusted only as far
        # as DEFLATE can expand
        size = (src.ptr[src.size - 4] | (src.ptr[src.size - 3] << 8)
                | (src.ptr[src.size - 2] << 16)
                | (<Py_ssize_t> src.ptr[src.size - 1] << 24))
        if 0 < size <= src.size * MAX_RATIO:
            return size
    return max(src.size * 4, 4096)
