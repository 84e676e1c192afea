/* SPDX-License-Identifier: BSD-3-Clause */
/* JPEG XR over jxrlib's glue API, from and to memory. */
#ifndef IMCD_JPEGXR_H
#define IMCD_JPEGXR_H

#include "imcd.h"

/* the release of jxrlib linked (setup.py defines it); its headers only
 * carry the SDK version 1.1 */
#ifndef IMCD_VERSION_JXRLIB
#define IMCD_VERSION_JXRLIB "unknown"
#endif

/* What a JPEG XR file holds, as the decoder will write it. */
typedef struct imcd_jpegxr_info {
    int32_t width;      /* after the container's orientation */
    int32_t height;
    int32_t channels;   /* channels of the pixel format, alpha included */
    int32_t bits;       /* bits per pixel as written (padding included) */
    int32_t bitdepth;   /* jxrlib's BITDEPTH_BITS of the pixel format */
    int32_t hasalpha;
    int32_t bgr;        /* blue first */
    int32_t photometric;/* PK_PI_* */
    uint8_t format[16]; /* pixel format GUID */
} imcd_jpegxr_info;

/* Validate the container and return its image's properties. */
ptrdiff_t imcd_jpegxr_info_get(const uint8_t *src, size_t srcsize,
                               imcd_jpegxr_info *info);

/* Decode into dst of dstsize bytes with rows of stride bytes. */
ptrdiff_t imcd_jpegxr_decode(const uint8_t *src, size_t srcsize,
                             uint8_t *dst, size_t dstsize, size_t stride);

/* Encode height rows of stride bytes in pixel format `format`; the result
 * is malloc'ed in *dst (free with imcd_jpegxr_free). quality 1 is
 * lossless; qp (1..255) is used when quality < 1. */
ptrdiff_t imcd_jpegxr_encode(const uint8_t *src, size_t stride,
                             int32_t width, int32_t height,
                             const uint8_t format[16], int qp, int qpalpha,
                             int overlap, int colorformat, float resx,
                             float resy, uint8_t **dst);

void imcd_jpegxr_free(uint8_t *dst);

/* Look up a pixel format: channels, bits per pixel, bit depth, alpha, PI;
 * IMCD_NOT_SUPPORTED if jxrlib does not know it. */
ptrdiff_t imcd_jpegxr_format(const uint8_t format[16], imcd_jpegxr_info *info);

#endif
