/* SPDX-License-Identifier: BSD-3-Clause */
/* PNG and APNG over libpng: reading from and writing to memory.
 *
 * libpng reports errors with longjmp. Every function here that calls into
 * libpng sets its own jump target, so a jump never crosses a frame of the
 * caller (Cython code holding Python state); errors come back as negative
 * IMCD_* status codes with libpng's message in the context.
 */
#ifndef IMCD_PNGCODEC_H
#define IMCD_PNGCODEC_H

#include "imcd.h"

#define IMCD_PNG_MESSAGE_SIZE 200

/* a PNG file as decoded: samples after expanding palettes, bit depths
 * below 8 and tRNS transparency (an alpha channel) */
typedef struct imcd_png_info {
    uint32_t width;   /* of the canvas (IHDR) */
    uint32_t height;
    int channels;     /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
    int depth;        /* bits per sample: 8 or 16 */
    int animated;     /* has an acTL chunk (and APNG decoding was asked) */
    int hidden;       /* the IDAT image is not part of the animation */
    uint32_t frames;  /* images: animation frames plus a hidden default
                         image; 1 if not animated */
    ptrdiff_t framesize;  /* bytes of one decoded canvas */
} imcd_png_info;

typedef struct imcd_png_reader imcd_png_reader;

/* Parse the header of src and set up the transformations.
 * *reader is set even on failure (for the message); close it always. */
ptrdiff_t imcd_png_reader_open(imcd_png_reader **reader, const uint8_t *src,
                               ptrdiff_t srcsize, int animated,
                               imcd_png_info *info);

/* Decode the IDAT image into dst (rows of width * channels samples). */
ptrdiff_t imcd_png_reader_image(imcd_png_reader *reader, uint8_t *dst,
                                ptrdiff_t dstsize);

/* Decode APNG frames: all, composited on the canvas as the blend and
 * dispose operations say (index < 0), or frame `index` alone at its
 * offset on a zero canvas. */
ptrdiff_t imcd_apng_reader_frames(imcd_png_reader *reader, int64_t index,
                                  uint8_t *dst, ptrdiff_t dstsize);

const char *imcd_png_reader_message(const imcd_png_reader *reader);

void imcd_png_reader_close(imcd_png_reader *reader);

/* Encoder settings; IMCD_PNG_DEFAULT leaves libpng's choice. */
#define IMCD_PNG_DEFAULT (-1000)

typedef struct imcd_png_params {
    int level;      /* zlib level, -1 to 9 */
    int strategy;   /* zlib strategy, 0 to 4 */
    int filter;     /* a PNG_FILTER_* mask or a filter value 0 to 4 */
    int swap;       /* 16-bit samples are little-endian */
    int animated;   /* write acTL and fcTL chunks (frames > 1) */
    uint16_t delay; /* frame delay in milliseconds */
} imcd_png_params;

/* Upper bound of the size of an encoded file. */
ptrdiff_t imcd_png_encode_bound(ptrdiff_t frames, uint32_t height,
                                uint32_t width, int channels, int depth);

/* Encode frames of height * width * channels samples (uint8 or uint16).
 * Returns the size written or a negative status; message holds libpng's
 * message (IMCD_PNG_MESSAGE_SIZE bytes). */
ptrdiff_t imcd_png_encode(const uint8_t *src, ptrdiff_t frames,
                          uint32_t height, uint32_t width, int channels,
                          int depth, const imcd_png_params *params,
                          uint8_t *dst, ptrdiff_t dstsize, char *message);

#endif /* IMCD_PNGCODEC_H */
