# SPDX-License-Identifier: BSD-3-Clause
# C declarations of libdeflate (libdeflate.h) used by imagecodecs.

from libc.stdint cimport uint32_t

cdef extern from 'libdeflate.h' nogil:
    const char* LIBDEFLATE_VERSION_STRING

    struct libdeflate_compressor:
        pass

    struct libdeflate_decompressor:
        pass

    enum libdeflate_result:
        LIBDEFLATE_SUCCESS
        LIBDEFLATE_BAD_DATA
        LIBDEFLATE_SHORT_OUTPUT
        LIBDEFLATE_INSUFFICIENT_SPACE

    libdeflate_compressor* libdeflate_alloc_compressor(int compression_level)
    void libdeflate_free_compressor(libdeflate_compressor* compressor)
    size_t libdeflate_deflate_compress(libdeflate_compressor* compressor,
                                       const void* inp, size_t in_nbytes,
                                       void* out, size_t out_nbytes_avail)
    size_t libdeflate_deflate_compress_bound(
        libdeflate_compressor* compressor, size_t in_nbytes)
    size_t libdeflate_zlib_compress(libdeflate_compressor* compressor,
                                    const void* inp, size_t in_nbytes,
                                    void* out, size_t out_nbytes_avail)
    size_t libdeflate_zlib_compress_bound(libdeflate_compressor* compressor,
                                          size_t in_nbytes)
    size_t libdeflate_gzip_compress(libdeflate_compressor* compressor,
                                    const void* inp, size_t in_nbytes,
                                    void* out, size_t out_nbytes_avail)
    size_t libdeflate_gzip_compress_bound(libdeflate_compressor* compressor,
                                          size_t in_nbytes)

    libdeflate_decompressor* libdeflate_alloc_decompressor()
    void libdeflate_free_decompressor(libdeflate_decompressor* decompressor)
    libdeflate_result libdeflate_deflate_decompress(
        libdeflate_decompressor* decompressor, const void* inp,
        size_t in_nbytes, void* out, size_t out_nbytes_avail,
        size_t* actual_out_nbytes_ret)
    libdeflate_result libdeflate_zlib_decompress(
        libdeflate_decompressor* decompressor, const void* inp,
        size_t in_nbytes, void* out, size_t out_nbytes_avail,
        size_t* actual_out_nbytes_ret)
    libdeflate_result libdeflate_gzip_decompress_ex(
        libdeflate_decompressor* decompressor, const void* inp,
        size_t in_nbytes, void* out, size_t out_nbytes_avail,
        size_t* actual_in_nbytes_ret, size_t* actual_out_nbytes_ret)

    uint32_t libdeflate_adler32(uint32_t adler, const void* buffer,
                                size_t len)
    uint32_t libdeflate_crc32(uint32_t crc, const void* buffer, size_t len)
