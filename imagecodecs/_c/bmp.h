/* SPDX-License-Identifier: BSD-3-Clause */
/* Windows bitmap (BMP): BITMAPFILEHEADER followed by a BITMAPINFOHEADER or
 * one of its extensions (OS/2 2.x, V2 to V5), an optional palette and rows
 * of pixels padded to 4 bytes, stored bottom-up unless the height is
 * negative. All fields are little-endian. */
#ifndef IMCD_BMP_H
#define IMCD_BMP_H

#include "imcd.h"

/* Compression field values (biCompression). */
#define IMCD_BMP_RGB 0
#define IMCD_BMP_RLE8 1
#define IMCD_BMP_RLE4 2
#define IMCD_BMP_BITFIELDS 3
#define IMCD_BMP_JPEG 4
#define IMCD_BMP_PNG 5

/* What imcd_bmp_decode writes for a palette image. */
#define IMCD_BMP_INDEX 0   /* the palette index */
#define IMCD_BMP_GRAY 1    /* the red component of the palette entry */
#define IMCD_BMP_PALETTE 2 /* the palette entry as R, G, B */

/* Sizes of the file header and the smallest supported info header. */
#define IMCD_BMP_FILEHEADER 14
#define IMCD_BMP_INFOHEADER 40

/* The layout of a bitmap, as read and checked by imcd_bmp_info_read. */
typedef struct imcd_bmp_info {
    ptrdiff_t width;
    ptrdiff_t height;       /* number of rows, positive */
    ptrdiff_t offset;       /* of the pixel data, or the embedded image */
    ptrdiff_t stride;       /* bytes per row including padding */
    ptrdiff_t datasize;     /* bytes of the embedded JPEG or PNG image */
    ptrdiff_t paletteoffset;
    uint32_t compression;
    uint32_t masks[4];      /* red, green, blue and alpha bit fields */
    int headersize;         /* of the info header */
    int bitcount;           /* bits per pixel */
    int topdown;            /* the first row is the top row */
    int samples;            /* 3 or 4 for direct colors, else 1 */
    int palettesize;        /* entries of 4 bytes (B, G, R, reserved) */
    int graypalette;        /* every entry i is (i, i, i) */
    const char *message;    /* why the header was rejected */
} imcd_bmp_info;

/* Read and validate the headers of src into info: every row of pixels
 * must lie in src. Return 0 or a negative status with info->message. */
ptrdiff_t imcd_bmp_info_read(const uint8_t *src, ptrdiff_t srcsize,
                             imcd_bmp_info *info);

/* Decode the pixels described by info into dst, top row first: palette
 * images as `mode` (1 byte per pixel for IMCD_BMP_INDEX and GRAY, else
 * 3), direct colors as info->samples bytes (R, G, B[, A]) per pixel.
 * Return the number of bytes written. */
ptrdiff_t imcd_bmp_decode(const uint8_t *src, ptrdiff_t srcsize,
                          const imcd_bmp_info *info, int mode, uint8_t *dst,
                          ptrdiff_t dstsize);

/* Size of the BMP file of a height x width image of 1 (gray), 3 (RGB) or
 * 4 (RGBA) samples, or IMCD_VALUE if the format cannot hold it. */
ptrdiff_t imcd_bmp_encoded_size(ptrdiff_t height, ptrdiff_t width,
                                int samples);

/* Encode a contiguous height x width x samples uint8 image: gray as 8-bit
 * with a gray palette, RGB as 24-bit, RGBA as 32-bit bit fields with a
 * BITMAPV4HEADER; ppm is the resolution in pixels per meter. Return the
 * number of bytes written. */
ptrdiff_t imcd_bmp_encode(const uint8_t *src, ptrdiff_t height,
                          ptrdiff_t width, int samples, int32_t ppm,
                          uint8_t *dst, ptrdiff_t dstsize);

#endif
