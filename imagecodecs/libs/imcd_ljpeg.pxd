# SPDX-License-Identifier: BSD-3-Clause
# Declarations of our own lossless JPEG (SOF3) codec, imagecodecs/_c/ljpeg.c,
# which the LJPEG module and JPEG8's fallback decoder both call.

from libc.stdint cimport uint8_t, uint16_t


cdef extern from 'ljpeg.h' nogil:
    int IMCD_OUTPUT_TOO_SMALL
    int IMCD_VALUE
    int IMCD_LJPEG_PRED0_AS_RA

    ctypedef struct imcd_ljpeg_info:
        Py_ssize_t width
        Py_ssize_t height
        int components
        int precision

    Py_ssize_t imcd_ljpeg_info_read(const uint8_t* src, Py_ssize_t srcsize,
                                    imcd_ljpeg_info* info)
    Py_ssize_t imcd_ljpeg_decode(const uint8_t* src, Py_ssize_t srcsize,
                                 uint8_t* dst, Py_ssize_t dstsize,
                                 int itemsize, const uint16_t* lut,
                                 Py_ssize_t lutsize, int flags)
    Py_ssize_t imcd_ljpeg_encode_bound(Py_ssize_t samples, int precision)
    Py_ssize_t imcd_ljpeg_encode(const uint8_t* src, int itemsize,
                                 Py_ssize_t height, Py_ssize_t width,
                                 int components, int precision,
                                 const uint16_t* lut, Py_ssize_t lutsize,
                                 uint8_t* dst, Py_ssize_t dstsize)
