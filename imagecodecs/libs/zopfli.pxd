# SPDX-License-Identifier: BSD-3-Clause
# C declarations of zopfli (zopfli.h) used by imagecodecs.

cdef extern from 'zopfli.h' nogil:
    ctypedef struct ZopfliOptions:
        int verbose
        int verbose_more
        int numiterations
        int blocksplitting
        int blocksplittinglast
        int blocksplittingmax

    ctypedef enum ZopfliFormat:
        ZOPFLI_FORMAT_GZIP
        ZOPFLI_FORMAT_ZLIB
        ZOPFLI_FORMAT_DEFLATE

    void ZopfliInitOptions(ZopfliOptions* options)
    void ZopfliCompress(const ZopfliOptions* options,
                        ZopfliFormat output_type, const unsigned char* inp,
                        size_t insize, unsigned char** out, size_t* outsize)
