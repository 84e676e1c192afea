/* SPDX-License-Identifier: BSD-3-Clause */
/* In-memory client I/O and page reading and writing over libtiff.
 *
 * libtiff reads and writes through a memory buffer (read-only for decoding,
 * growable for encoding); its errors and warnings are recorded in the
 * handle instead of being printed, so the caller can raise them.
 */
#ifndef IMCD_TIFFMEM_H
#define IMCD_TIFFMEM_H

#include "imcd.h"
#include "tiffio.h"

#define IMCD_TIFF_MESSAGE 512
#define IMCD_TIFF_WARNINGS 4096

typedef struct imcd_tiff {
    TIFF *tif;
    uint8_t *data;      /* the file: the input, or the growing output */
    size_t size;        /* bytes of the file */
    size_t capacity;    /* allocated bytes when writable */
    size_t pos;         /* current offset */
    int writable;       /* data is ours, grows with writes */
    int verbose;        /* record warnings */
    char error[IMCD_TIFF_MESSAGE];
    char warnings[IMCD_TIFF_WARNINGS];
} imcd_tiff;

/* What the decoder needs of one directory. */
typedef struct imcd_tiff_page {
    uint32_t width, length, depth;
    uint32_t tilewidth, tilelength, tiledepth; /* zero for strips */
    uint32_t rowsperstrip;
    uint16_t samples, bitspersample, sampleformat, planarconfig;
    uint16_t photometric, compression, ycbcrsub[2];
    int tiled;
} imcd_tiff_page;

/* Open data (size bytes) for reading with mode "r", or an output that
 * starts as a copy of data for modes "w..." and "a...". maxalloc bounds
 * libtiff's allocations (0: no bound). Returns IMCD_OK or a status;
 * h->error holds libtiff's message. */
ptrdiff_t imcd_tiff_open(imcd_tiff *h, const uint8_t *data, size_t size,
                         const char *mode, int64_t maxalloc, int verbose);

/* Close the TIFF (writing pending directories) and free the output. */
void imcd_tiff_close(imcd_tiff *h);
void imcd_tiff_free(imcd_tiff *h);

/* Read the current directory's geometry. */
ptrdiff_t imcd_tiff_page_info(imcd_tiff *h, imcd_tiff_page *page);

/* Bytes of the largest strip or tile buffer that reading needs. */
int64_t imcd_tiff_segment_size(const imcd_tiff_page *page);

/* Decode the current directory into dst: (samples, depth, length, width)
 * for separate planes, else (depth, length, width, samples); samples of
 * fewer bits than itemsize * 8 are unpacked to one item each. */
ptrdiff_t imcd_tiff_read_page(imcd_tiff *h, const imcd_tiff_page *page,
                              int itemsize, uint8_t *dst, ptrdiff_t dstsize);

/* Decode the current directory as RGBA, top row first: length*width*4
 * bytes. */
ptrdiff_t imcd_tiff_read_rgba(imcd_tiff *h, uint32_t width, uint32_t length,
                              uint8_t *dst, ptrdiff_t dstsize);

/* Encode one image whose tags are set: src is (samples, length, width) for
 * separate planes, else (length, width, samples), itemsize bytes per
 * sample, packed to bitspersample bits where fewer. */
ptrdiff_t imcd_tiff_write_page(imcd_tiff *h, const imcd_tiff_page *page,
                               int itemsize, const uint8_t *src,
                               ptrdiff_t srcsize);

#endif
