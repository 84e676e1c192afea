# SPDX-License-Identifier: BSD-3-Clause
# C declarations of libspng (spng.h) used by imagecodecs.

from libc.stdint cimport uint8_t, uint32_t

cdef extern from 'spng.h' nogil:
    int SPNG_VERSION_MAJOR
    int SPNG_VERSION_MINOR
    int SPNG_VERSION_PATCH

    ctypedef struct spng_ctx:
        pass

    enum spng_errno:
        SPNG_OK
        SPNG_EOVERFLOW

    enum spng_color_type:
        SPNG_COLOR_TYPE_GRAYSCALE
        SPNG_COLOR_TYPE_TRUECOLOR
        SPNG_COLOR_TYPE_INDEXED
        SPNG_COLOR_TYPE_GRAYSCALE_ALPHA
        SPNG_COLOR_TYPE_TRUECOLOR_ALPHA

    enum spng_format:
        SPNG_FMT_RGBA8
        SPNG_FMT_RGBA16
        SPNG_FMT_RGB8
        SPNG_FMT_GA8
        SPNG_FMT_GA16
        SPNG_FMT_G8
        SPNG_FMT_PNG
        SPNG_FMT_RAW

    enum spng_ctx_flags:
        SPNG_CTX_IGNORE_ADLER32
        SPNG_CTX_ENCODER

    enum spng_decode_flags:
        SPNG_DECODE_TRNS
        SPNG_DECODE_GAMMA

    enum spng_encode_flags:
        SPNG_ENCODE_PROGRESSIVE
        SPNG_ENCODE_FINALIZE

    enum spng_option:
        SPNG_KEEP_UNKNOWN_CHUNKS
        SPNG_IMG_COMPRESSION_LEVEL
        SPNG_CHUNK_COUNT_LIMIT
        SPNG_ENCODE_TO_BUFFER

    struct spng_ihdr:
        uint32_t width
        uint32_t height
        uint8_t bit_depth
        uint8_t color_type
        uint8_t compression_method
        uint8_t filter_method
        uint8_t interlace_method

    spng_ctx* spng_ctx_new(int flags)
    void spng_ctx_free(spng_ctx* ctx)
    int spng_set_png_buffer(spng_ctx* ctx, const void* buf, size_t size)
    void* spng_get_png_buffer(spng_ctx* ctx, size_t* len, int* error)
    int spng_set_image_limits(spng_ctx* ctx, uint32_t width,
                              uint32_t height)
    int spng_set_chunk_limits(spng_ctx* ctx, size_t chunk_size,
                              size_t cache_size)
    int spng_set_option(spng_ctx* ctx, spng_option option, int value)
    int spng_decoded_image_size(spng_ctx* ctx, int fmt, size_t* len)
    int spng_decode_image(spng_ctx* ctx, void* out, size_t len, int fmt,
                          int flags)
    int spng_decode_chunks(spng_ctx* ctx)
    int spng_encode_image(spng_ctx* ctx, const void* img, size_t len,
                          int fmt, int flags)
    int spng_get_ihdr(spng_ctx* ctx, spng_ihdr* ihdr)
    int spng_set_ihdr(spng_ctx* ctx, spng_ihdr* ihdr)
    const char* spng_strerror(int err)
    const char* spng_version_string()
