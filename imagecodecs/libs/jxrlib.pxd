# SPDX-License-Identifier: BSD-3-Clause
# jxrlib: the constants of JXRGlue.h this package uses, and the C helper
# in imagecodecs/_c/jpegxr.c that drives jxrlib's glue API from memory.

from libc.stdint cimport uint8_t, int32_t


cdef extern from 'JXRGlue.h' nogil:
    int WMP_SDK_VERSION
    int PK_PI_W0
    int PK_PI_B0
    int PK_PI_RGB
    int PK_PI_RGBPalette
    int PK_PI_TransparencyMask
    int PK_PI_CMYK
    int PK_PI_YCbCr
    int PK_PI_CIELab
    int PK_PI_NCH
    int PK_PI_RGBE

    ctypedef enum BITDEPTH_BITS:
        BD_1
        BD_8
        BD_16
        BD_16S
        BD_16F
        BD_32
        BD_32S
        BD_32F
        BD_5
        BD_10
        BD_565

    ctypedef enum COLORFORMAT:
        Y_ONLY
        YUV_420
        YUV_422
        YUV_444
        CMYK
        NCOMPONENT
        CF_RGB
        CF_RGBE

    ctypedef enum OVERLAP:
        OL_NONE
        OL_ONE
        OL_TWO


cdef extern from 'jpegxr.h' nogil:
    const char* IMCD_VERSION_JXRLIB

    ctypedef struct imcd_jpegxr_info:
        int32_t width
        int32_t height
        int32_t channels
        int32_t bits
        int32_t bitdepth
        int32_t hasalpha
        int32_t bgr
        int32_t photometric
        uint8_t format[16]

    Py_ssize_t imcd_jpegxr_info_get(const uint8_t* src, size_t srcsize,
                                 imcd_jpegxr_info* info)

    Py_ssize_t imcd_jpegxr_decode(const uint8_t* src, size_t srcsize,
                               uint8_t* dst, size_t dstsize, size_t stride)

    Py_ssize_t imcd_jpegxr_encode(const uint8_t* src, size_t stride,
                               int32_t width, int32_t height,
                               const uint8_t* format, int qp, int qpalpha,
                               int overlap, int colorformat, float resx,
                               float resy, uint8_t** dst)

    void imcd_jpegxr_free(uint8_t* dst)

    Py_ssize_t imcd_jpegxr_format(const uint8_t* format, imcd_jpegxr_info* info)
