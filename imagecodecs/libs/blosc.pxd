# SPDX-License-Identifier: BSD-3-Clause
# C declarations of c-blosc 1 (blosc.h) used by imagecodecs.

cdef extern from 'blosc.h' nogil:
    char* BLOSC_VERSION_STRING
    int BLOSC_VERSION_FORMAT
    int BLOSC_MIN_HEADER_LENGTH
    int BLOSC_MAX_OVERHEAD
    int BLOSC_MAX_BUFFERSIZE
    int BLOSC_MAX_TYPESIZE
    int BLOSC_MAX_THREADS

    int BLOSC_NOSHUFFLE
    int BLOSC_SHUFFLE
    int BLOSC_BITSHUFFLE

    int BLOSC_DOSHUFFLE
    int BLOSC_MEMCPYED
    int BLOSC_DOBITSHUFFLE

    int BLOSC_BLOSCLZ
    int BLOSC_LZ4
    int BLOSC_LZ4HC
    int BLOSC_SNAPPY
    int BLOSC_ZLIB
    int BLOSC_ZSTD

    char* BLOSC_BLOSCLZ_COMPNAME
    char* BLOSC_LZ4_COMPNAME
    char* BLOSC_LZ4HC_COMPNAME
    char* BLOSC_SNAPPY_COMPNAME
    char* BLOSC_ZLIB_COMPNAME
    char* BLOSC_ZSTD_COMPNAME

    int blosc_compress_ctx(int clevel, int doshuffle, size_t typesize,
                           size_t nbytes, const void* src, void* dest,
                           size_t destsize, const char* compressor,
                           size_t blocksize, int numinternalthreads)
    int blosc_decompress_ctx(const void* src, void* dest, size_t destsize,
                             int numinternalthreads)
    void blosc_cbuffer_sizes(const void* cbuffer, size_t* nbytes,
                             size_t* cbytes, size_t* blocksize)
    int blosc_cbuffer_validate(const void* cbuffer, size_t cbytes,
                               size_t* nbytes)
    void blosc_cbuffer_metainfo(const void* cbuffer, size_t* typesize,
                                int* flags)
    int blosc_compcode_to_compname(int compcode, const char** compname)
    const char* blosc_list_compressors()
