/* SPDX-License-Identifier: BSD-3-Clause */
/* Radiance RGBE: a shared 8-bit exponent with 8-bit mantissas per color
 * (Greg Ward, Graphics Gems II, 1991), and the Radiance HDR file format:
 * a text header ending in a blank line and a "-Y height +X width" line,
 * then scanlines, flat or in the new run-length encoding (a scanline
 * starts with 2, 2, width >> 8, width & 255, followed by the four channels
 * one after the other, each as runs (128 + n, byte) and literals
 * (n, n bytes)). */
#ifndef IMCD_RGBE_H
#define IMCD_RGBE_H

#include "imcd.h"

/* Return 1 if src begins like a Radiance header ("#?") or its text, up
 * to the first NUL byte, holds "FORMAT=32-bit_rle_"; else 0. */
int imcd_rgbe_has_header(const uint8_t *src, ptrdiff_t srcsize);

/* Parse the header of a Radiance file. Return the offset of the pixel
 * data and set *height and *width, or return a negative status and set
 * *message. */
ptrdiff_t imcd_rgbe_header_read(const uint8_t *src, ptrdiff_t srcsize,
                                ptrdiff_t *height, ptrdiff_t *width,
                                const char **message);

/* Write the header of a height x width image to dst; return its size. */
ptrdiff_t imcd_rgbe_header_write(ptrdiff_t height, ptrdiff_t width,
                                 uint8_t *dst, ptrdiff_t dstsize);

/* Convert count pixels of 3 floats to RGBE, and back. */
void imcd_rgbe_from_float(const float *src, ptrdiff_t count, uint8_t *dst);
void imcd_rgbe_to_float(const uint8_t *src, ptrdiff_t count, float *dst);

/* Decode height scanlines of width pixels, flat or run-length encoded,
 * from src into height x width x 3 floats; return the number of bytes of
 * src used. */
ptrdiff_t imcd_rgbe_decode(const uint8_t *src, ptrdiff_t srcsize,
                           ptrdiff_t height, ptrdiff_t width, float *dst,
                           ptrdiff_t dstsize);

/* Smallest size of the scanlines of an image: the decoder rejects less. */
ptrdiff_t imcd_rgbe_decode_minsize(ptrdiff_t height, ptrdiff_t width);

/* Worst-case size of the encoded scanlines. */
ptrdiff_t imcd_rgbe_encode_bound(ptrdiff_t height, ptrdiff_t width, int rle);

/* Encode height x width x 3 floats as scanlines, run-length encoded if
 * rle and the width allows it (8 to 32767), else flat; return the number
 * of bytes written. */
ptrdiff_t imcd_rgbe_encode(const float *src, ptrdiff_t height,
                           ptrdiff_t width, int rle, uint8_t *dst,
                           ptrdiff_t dstsize);

#endif
