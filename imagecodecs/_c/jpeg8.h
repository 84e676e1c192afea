/* SPDX-License-Identifier: BSD-3-Clause */
/* JPEG over libjpeg (libjpeg-turbo 3 or a prefixed mozjpeg): 8 and 12-bit
 * DCT and lossless 2 to 16-bit streams.
 *
 * libjpeg reports errors by calling error_exit, which must not return.
 * Every function here sets a jump target before calling into the library
 * and turns the jump into a negative IMCD_* status with the library's
 * message in the object's `message`, so that no jump ever crosses a frame
 * of the caller. The functions touch no Python objects.
 */
#ifndef IMCD_JPEG8_H
#define IMCD_JPEG8_H

#include "imcd.h"

#define IMCD_JPEG8_MESSAGE_SIZE 200

/* What a stream holds and how it decodes, after imcd_jpeg8_header. */
typedef struct imcd_jpeg8_info {
    ptrdiff_t width;       /* output samples per line */
    ptrdiff_t height;      /* output lines */
    int components;        /* output samples per pixel */
    int precision;         /* bits per sample, 2 to 16 */
    int jpeg_color_space;  /* J_COLOR_SPACE of the stream */
    int out_color_space;   /* J_COLOR_SPACE of the output */
    int lossless;          /* 1 for a SOF3 stream */
} imcd_jpeg8_info;

typedef struct imcd_jpeg8_decoder imcd_jpeg8_decoder;

/* Return a new decoder, NULL if out of memory. */
imcd_jpeg8_decoder *imcd_jpeg8_decoder_new(void);

/* Free a decoder (NULL is fine). */
void imcd_jpeg8_decoder_free(imcd_jpeg8_decoder *decoder);

/* The library's message of the last failure. */
const char *imcd_jpeg8_decoder_message(const imcd_jpeg8_decoder *decoder);

/* Read `tables` (an abbreviated table-only stream, or NULL) and the header
 * of `data`; colorspace and outcolorspace override the stream's and the
 * output's J_COLOR_SPACE if not negative. The buffers must live until
 * imcd_jpeg8_decode returns. */
ptrdiff_t imcd_jpeg8_header(imcd_jpeg8_decoder *decoder, const uint8_t *tables,
                            ptrdiff_t tablessize, const uint8_t *data,
                            ptrdiff_t datasize, int colorspace,
                            int outcolorspace, imcd_jpeg8_info *info);

/* Decode the image whose header was read into dst: height x width x
 * components samples of 1 byte (precision <= 8) or 2 bytes. */
ptrdiff_t imcd_jpeg8_decode(imcd_jpeg8_decoder *decoder, uint8_t *dst,
                            ptrdiff_t dstsize);

/* Encoder parameters; negative values select the library's default (with
 * mozjpeg: its JCP_MAX_COMPRESSION profile). */
typedef struct imcd_jpeg8_params {
    ptrdiff_t width;
    ptrdiff_t height;
    int components;        /* 1 to 4 samples per pixel */
    int precision;         /* 8 or 12, or 2 to 16 with lossless */
    int in_color_space;    /* J_COLOR_SPACE of the samples */
    int jpeg_color_space;  /* J_COLOR_SPACE to write, or -1 */
    int quality;           /* 0 to 100 */
    int h_samp;            /* luma sampling factors, or 0 */
    int v_samp;
    int optimize;          /* 1: optimized Huffman tables; 0: not (with
                              mozjpeg: its libjpeg-compatible profile,
                              JCP_FASTEST) */
    int smoothing;         /* 0 to 100 */
    int predictor;         /* 1 to 7 for lossless, 0 for DCT */
    int progressive;       /* 1: progressive scans; 0: one scan (DCT) */
    /* mozjpeg only (libjpeg-turbo ignores them) */
    int trellis;           /* 0: no trellis quantisation */
    int quant_table;       /* base quantisation table, 0 to 8 */
} imcd_jpeg8_params;

/* Encode height x width x components samples of 1 or 2 bytes (rows
 * `stride` bytes apart) into a buffer the library allocates with malloc:
 * *dst, of the returned size. On failure *dst is NULL and message holds
 * the library's message. */
ptrdiff_t imcd_jpeg8_encode(const uint8_t *src, ptrdiff_t stride,
                            const imcd_jpeg8_params *params, uint8_t **dst,
                            char *message);

/* Free a buffer returned by imcd_jpeg8_encode. */
void imcd_jpeg8_free(void *buffer);

/* Offset of the first start-of-frame marker in a stream, or a negative
 * status; *marker is its code (0xC0 to 0xCF). */
ptrdiff_t imcd_jpeg8_find_sof(const uint8_t *data, ptrdiff_t size,
                              int *marker);

/* The libjpeg-turbo version and emulated libjpeg API as "3.1.3/6.2". */
const char *imcd_jpeg8_library_version(void);

#endif
