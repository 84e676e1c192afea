# SPDX-License-Identifier: BSD-3-Clause
# C declarations of zlib-ng's native API (zlib-ng.h) used by imagecodecs.

from libc.stdint cimport uint8_t, uint32_t, int32_t

cdef extern from 'zlib-ng.h' nogil:
    const char* ZLIBNG_VERSION

    int Z_OK
    int Z_STREAM_END
    int Z_NEED_DICT
    int Z_BUF_ERROR
    int Z_MEM_ERROR
    int Z_DATA_ERROR
    int Z_STREAM_ERROR
    int Z_NO_FLUSH
    int Z_FINISH
    int Z_DEFLATED
    int Z_NO_COMPRESSION
    int Z_BEST_SPEED
    int Z_BEST_COMPRESSION
    int Z_DEFAULT_COMPRESSION
    int Z_DEFAULT_STRATEGY
    int Z_FILTERED
    int Z_HUFFMAN_ONLY
    int Z_RLE
    int Z_FIXED

    ctypedef struct zng_stream:
        const uint8_t* next_in
        uint32_t avail_in
        size_t total_in
        uint8_t* next_out
        uint32_t avail_out
        size_t total_out
        const char* msg
        void* zalloc
        void* zfree
        void* opaque

    # renamed: the module's Python function has the C name
    const char* zng_version_string 'zlibng_version'()
    size_t zng_compressBound(size_t sourceLen)
    int32_t zng_compress2(uint8_t* dest, size_t* destLen,
                          const uint8_t* source, size_t sourceLen,
                          int32_t level)
    int32_t zng_inflateInit2(zng_stream* strm, int32_t windowBits)
    int32_t zng_inflate(zng_stream* strm, int32_t flush)
    int32_t zng_inflateEnd(zng_stream* strm)
    uint32_t zng_crc32_z(uint32_t crc, const uint8_t* buf, size_t len)
    uint32_t zng_adler32_z(uint32_t adler, const uint8_t* buf, size_t len)
