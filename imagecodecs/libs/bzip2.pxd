# SPDX-License-Identifier: BSD-3-Clause
# C declarations of libbzip2 (bzlib.h) used by imagecodecs.

cdef extern from 'bzlib.h' nogil:
    int BZ_OK
    int BZ_RUN
    int BZ_FINISH
    int BZ_RUN_OK
    int BZ_FINISH_OK
    int BZ_STREAM_END
    int BZ_MEM_ERROR
    int BZ_DATA_ERROR
    int BZ_DATA_ERROR_MAGIC
    int BZ_OUTBUFF_FULL

    ctypedef struct bz_stream:
        char* next_in
        unsigned int avail_in
        char* next_out
        unsigned int avail_out
        void* bzalloc
        void* bzfree
        void* opaque

    const char* BZ2_bzlibVersion()
    int BZ2_bzCompressInit(bz_stream* strm, int blockSize100k, int verbosity,
                           int workFactor)
    int BZ2_bzCompress(bz_stream* strm, int action)
    int BZ2_bzCompressEnd(bz_stream* strm)
    int BZ2_bzDecompressInit(bz_stream* strm, int verbosity, int small)
    int BZ2_bzDecompress(bz_stream* strm)
    int BZ2_bzDecompressEnd(bz_stream* strm)
