/* SPDX-License-Identifier: BSD-3-Clause */
/* Lossless JPEG: ITU-T T.81 Annex H, process SOF3 with Huffman coding. */
#ifndef IMCD_LJPEG_H
#define IMCD_LJPEG_H

#include "imcd.h"

/* Decoder options. */
#define IMCD_LJPEG_PRED0_AS_RA 1 /* read predictor 0 as 1 (jpegsof3) */

/* Frame parameters of a stream. */
typedef struct imcd_ljpeg_info {
    ptrdiff_t width;  /* X, samples per line */
    ptrdiff_t height; /* Y, lines */
    int components;   /* Nf, 1 to 4 */
    int precision;    /* P, 2 to 16 bits */
} imcd_ljpeg_info;

/* Read the frame header of src into info; fail if the stream is too
 * short to hold that many samples (every sample costs at least a bit). */
ptrdiff_t imcd_ljpeg_info_read(const uint8_t *src, ptrdiff_t srcsize,
                               imcd_ljpeg_info *info);

/* Decode src into dst, height x width x components samples of itemsize 1
 * or 2 bytes; map decoded values through lut if not NULL. Return the
 * number of bytes written. */
ptrdiff_t imcd_ljpeg_decode(const uint8_t *src, ptrdiff_t srcsize,
                            uint8_t *dst, ptrdiff_t dstsize, int itemsize,
                            const uint16_t *lut, ptrdiff_t lutsize,
                            int flags);

/* Worst-case encoded size of an image of that many samples. */
ptrdiff_t imcd_ljpeg_encode_bound(ptrdiff_t samples, int precision);

/* Encode height x width x components samples of itemsize 1 or 2 bytes
 * with precision bits, mapping values through lut if not NULL; return the
 * number of bytes written. */
ptrdiff_t imcd_ljpeg_encode(const uint8_t *src, int itemsize,
                            ptrdiff_t height, ptrdiff_t width, int components,
                            int precision, const uint16_t *lut,
                            ptrdiff_t lutsize, uint8_t *dst,
                            ptrdiff_t dstsize);

#endif
