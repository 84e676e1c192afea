# SPDX-License-Identifier: BSD-3-Clause
# C declarations of c-blosc2 (blosc2.h) used by imagecodecs.

from libc.stdint cimport uint8_t, int16_t, int32_t


cdef extern from 'blosc2.h' nogil:
    char* BLOSC2_VERSION_STRING

    int BLOSC_MIN_HEADER_LENGTH
    int BLOSC_EXTENDED_HEADER_LENGTH
    int BLOSC2_MAX_OVERHEAD
    int BLOSC2_MAX_BUFFERSIZE
    int BLOSC2_MAXBLOCKSIZE
    int BLOSC_MAX_TYPESIZE
    int BLOSC2_MAX_FILTERS

    int BLOSC_NOFILTER
    int BLOSC_NOSHUFFLE
    int BLOSC_SHUFFLE
    int BLOSC_BITSHUFFLE
    int BLOSC_DELTA
    int BLOSC_TRUNC_PREC

    int BLOSC_DOSHUFFLE
    int BLOSC_MEMCPYED
    int BLOSC_DOBITSHUFFLE
    int BLOSC_DODELTA

    int BLOSC_BLOSCLZ
    int BLOSC_LZ4
    int BLOSC_LZ4HC
    int BLOSC_ZLIB
    int BLOSC_ZSTD

    int BLOSC_ALWAYS_SPLIT
    int BLOSC_NEVER_SPLIT
    int BLOSC_AUTO_SPLIT
    int BLOSC_FORWARD_COMPAT_SPLIT

    int BLOSC2_CHUNK_FLAGS
    int BLOSC2_CHUNK_TYPESIZE
    int BLOSC2_CHUNK_FILTER_CODES
    int BLOSC2_CHUNK_BLOSC2_FLAGS
    int BLOSC2_CHUNK_BLOSC2_FLAGS2
    int BLOSC2_USEDICT
    int BLOSC2_VL_BLOCKS
    int BLOSC2_SPECIAL_VALUE
    int BLOSC2_SPECIAL_LASTID
    int BLOSC2_SPECIAL_MASK

    ctypedef struct blosc2_context:
        pass

    ctypedef struct blosc2_cparams:
        uint8_t compcode
        uint8_t compcode_meta
        uint8_t clevel
        int use_dict
        int32_t typesize
        int16_t nthreads
        int32_t blocksize
        int32_t splitmode
        uint8_t filters[6]
        uint8_t filters_meta[6]

    ctypedef struct blosc2_dparams:
        int16_t nthreads

    const blosc2_cparams BLOSC2_CPARAMS_DEFAULTS
    const blosc2_dparams BLOSC2_DPARAMS_DEFAULTS

    void blosc2_init()
    const char* blosc2_error_string(int error_code)
    blosc2_context* blosc2_create_cctx(blosc2_cparams cparams)
    blosc2_context* blosc2_create_dctx(blosc2_dparams dparams)
    void blosc2_free_ctx(blosc2_context* context)
    int blosc2_compress_ctx(blosc2_context* context, const void* src,
                            int32_t srcsize, void* dest, int32_t destsize)
    int blosc2_decompress_ctx(blosc2_context* context, const void* src,
                              int32_t srcsize, void* dest, int32_t destsize)
    int blosc2_cbuffer_sizes(const void* cbuffer, int32_t* nbytes,
                             int32_t* cbytes, int32_t* blocksize)
