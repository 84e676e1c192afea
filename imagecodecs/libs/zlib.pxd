# SPDX-License-Identifier: BSD-3-Clause
# C declarations of zlib (zlib.h) used by imagecodecs.

cdef extern from 'zlib.h' nogil:
    ctypedef unsigned char Bytef
    ctypedef unsigned long uLong
    ctypedef unsigned int uInt

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
    int Z_DEFAULT_STRATEGY
    int MAX_WBITS

    ctypedef struct z_stream:
        Bytef* next_in
        uInt avail_in
        uLong total_in
        Bytef* next_out
        uInt avail_out
        uLong total_out
        const char* msg
        void* zalloc
        void* zfree
        void* opaque

    const char* zlibVersion()
    uLong compressBound(uLong sourceLen)
    uLong deflateBound(z_stream* strm, uLong sourceLen)
    int deflateInit2(z_stream* strm, int level, int method, int windowBits,
                     int memLevel, int strategy)
    int deflate(z_stream* strm, int flush)
    int deflateEnd(z_stream* strm)
    int inflateInit2(z_stream* strm, int windowBits)
    int inflate(z_stream* strm, int flush)
    int inflateReset(z_stream* strm)
    int inflateEnd(z_stream* strm)
    uLong crc32(uLong crc, const Bytef* buf, uInt len)
    uLong adler32(uLong adler, const Bytef* buf, uInt len)
