# SPDX-License-Identifier: BSD-3-Clause
# C declarations of libpng (png.h, with the APNG patch) and of our glue over
# it (imagecodecs/_c/pngcodec.h), shared by the _png and _apng modules.
# Only the glue calls libpng functions that may longjmp.

from libc.stdint cimport uint8_t, uint16_t, uint32_t, int64_t

cdef extern from 'png.h' nogil:
    const char* PNG_LIBPNG_VER_STRING
    const char* PNG_HEADER_VERSION_STRING

    int PNG_COLOR_TYPE_GRAY
    int PNG_COLOR_TYPE_GRAY_ALPHA
    int PNG_COLOR_TYPE_RGB
    int PNG_COLOR_TYPE_RGB_ALPHA

    int PNG_NO_FILTERS
    int PNG_FILTER_NONE
    int PNG_FILTER_SUB
    int PNG_FILTER_UP
    int PNG_FILTER_AVG
    int PNG_FILTER_PAETH
    int PNG_FAST_FILTERS
    int PNG_ALL_FILTERS

    ctypedef unsigned char png_byte
    int png_sig_cmp(const png_byte* sig, size_t start, size_t num_to_check)
    uint32_t png_access_version_number()


cdef extern from 'zlib.h' nogil:
    int Z_DEFAULT_COMPRESSION
    int Z_NO_COMPRESSION
    int Z_BEST_SPEED
    int Z_BEST_COMPRESSION
    int Z_DEFAULT_STRATEGY
    int Z_FILTERED
    int Z_HUFFMAN_ONLY
    int Z_RLE
    int Z_FIXED


cdef extern from 'pngcodec.h' nogil:
    int IMCD_PNG_MESSAGE_SIZE
    int IMCD_PNG_DEFAULT

    ctypedef struct imcd_png_info:
        uint32_t width
        uint32_t height
        int channels
        int depth
        int animated
        int hidden
        uint32_t frames
        Py_ssize_t framesize

    ctypedef struct imcd_png_reader:
        pass

    Py_ssize_t imcd_png_reader_open(imcd_png_reader** reader,
                                    const uint8_t* src, Py_ssize_t srcsize,
                                    int animated, imcd_png_info* info)
    Py_ssize_t imcd_png_reader_image(imcd_png_reader* reader, uint8_t* dst,
                                     Py_ssize_t dstsize)
    Py_ssize_t imcd_apng_reader_frames(imcd_png_reader* reader, int64_t index,
                                       uint8_t* dst, Py_ssize_t dstsize)
    const char* imcd_png_reader_message(const imcd_png_reader* reader)
    void imcd_png_reader_close(imcd_png_reader* reader)

    ctypedef struct imcd_png_params:
        int level
        int strategy
        int filter
        int swap
        int animated
        uint16_t delay

    Py_ssize_t imcd_png_encode_bound(Py_ssize_t frames, uint32_t height,
                                     uint32_t width, int channels, int depth)
    Py_ssize_t imcd_png_encode(const uint8_t* src, Py_ssize_t frames,
                               uint32_t height, uint32_t width, int channels,
                               int depth, const imcd_png_params* params,
                               uint8_t* dst, Py_ssize_t dstsize,
                               char* message)
