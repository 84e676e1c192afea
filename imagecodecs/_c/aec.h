/* SPDX-License-Identifier: BSD-3-Clause */
/* Adaptive Entropy Coding of CCSDS 121.0-B-3 (Lossless Data Compression),
 * and its SZIP framing as used by the HDF5 szip filter. */
#ifndef IMCD_AEC_H
#define IMCD_AEC_H

#include "imcd.h"

/* Flags; the values are those of libaec's aec_stream.flags. */
#define IMCD_AEC_DATA_SIGNED 1     /* two's complement samples */
#define IMCD_AEC_DATA_3BYTE 2      /* 17..24 bit samples in 3 bytes, not 4 */
#define IMCD_AEC_DATA_MSB 4        /* samples are big-endian */
#define IMCD_AEC_DATA_PREPROCESS 8 /* unit-delay predictor and mapping */
#define IMCD_AEC_RESTRICTED 16     /* restricted code options, 1..4 bits */
#define IMCD_AEC_PAD_RSI 32        /* pad each RSI to a byte boundary */
#define IMCD_AEC_NOT_ENFORCE 64    /* any even block size up to 64 */
/* Our own: of split options of equal length choose the smallest k, as the
 * encoder that made the CCSDS conformance test data does. By default the
 * one closest to the k of the previous block wins, as in libaec. */
#define IMCD_AEC_MIN_K 256

#define IMCD_AEC_MAX_BLOCKSIZE 64
#define IMCD_AEC_MAX_RSI 4096

typedef struct imcd_aec_params {
    int bits;      /* bits per sample, 1..32 */
    int flags;     /* IMCD_AEC_* */
    int blocksize; /* samples per block, 8, 16, 32, 64; NOT_ENFORCE: even */
    int rsi;       /* blocks per reference sample interval, 1..4096 */
    int line;      /* decoding: samples kept of each RSI, 0 for all (SZIP) */
} imcd_aec_params;

/* Return the bytes per sample of valid params, else IMCD_VALUE. */
ptrdiff_t imcd_aec_sample_size(const imcd_aec_params *params);

/* Worst-case encoded size of srcsize bytes of samples. */
ptrdiff_t imcd_aec_encode_bound(const imcd_aec_params *params,
                                ptrdiff_t srcsize);

/* Encode srcsize bytes of samples; return the bytes written. */
ptrdiff_t imcd_aec_encode(const imcd_aec_params *params, const uint8_t *src,
                          ptrdiff_t srcsize, uint8_t *dst, ptrdiff_t dstsize);

/* Decoding state, so that a decoder can continue in a larger buffer. */
typedef struct imcd_aec_decoder {
    imcd_aec_params params;
    const uint8_t *src;
    ptrdiff_t srcsize;
    int64_t bitpos;    /* bits consumed */
    int block;         /* block index in the current RSI */
    uint32_t last;     /* last sample, offset to unsigned (preprocessing) */
    ptrdiff_t written; /* bytes written to dst */
} imcd_aec_decoder;

/* How imcd_aec_decode treats a unit (a block or a run of zero blocks) that
 * does not fit into dst. */
#define IMCD_AEC_GROW 0     /* stop before it: IMCD_OUTPUT_TOO_SMALL */
#define IMCD_AEC_EXACT 1    /* write what fits; the stream must end there */
#define IMCD_AEC_TRUNCATE 2 /* write what fits and stop */

/* Start decoding src; return 0 or IMCD_VALUE. */
ptrdiff_t imcd_aec_decode_init(imcd_aec_decoder *dec,
                               const imcd_aec_params *params,
                               const uint8_t *src, ptrdiff_t srcsize);

/* Decode into dst (which holds dec->written bytes from earlier calls) and
 * return the total bytes written, or a negative status. With dst NULL only
 * count the decoded size. IMCD_OUTPUT_TOO_SMALL in GROW mode leaves the
 * state ready to continue with a larger dst. */
ptrdiff_t imcd_aec_decode(imcd_aec_decoder *dec, uint8_t *dst,
                          ptrdiff_t dstsize, int mode);

/* SZIP: option mask bits of szlib/HDF5. */
#define IMCD_SZIP_ALLOW_K13 1
#define IMCD_SZIP_CHIP 2
#define IMCD_SZIP_EC 4
#define IMCD_SZIP_LSB 8
#define IMCD_SZIP_MSB 16
#define IMCD_SZIP_NN 32
#define IMCD_SZIP_RAW 128
#define IMCD_SZIP_MAX_PIXELS_PER_BLOCK 32
#define IMCD_SZIP_MAX_PIXELS_PER_SCANLINE 4096

typedef struct imcd_szip_params {
    int options_mask;
    int pixels_per_block;
    int bits_per_pixel; /* 1..32 or 64 */
    int pixels_per_scanline;
} imcd_szip_params;

/* Worst-case encoded size of srcsize bytes, or IMCD_VALUE. */
ptrdiff_t imcd_szip_encode_bound(const imcd_szip_params *params,
                                 ptrdiff_t srcsize);

/* Encode srcsize bytes of pixels; return the bytes written. */
ptrdiff_t imcd_szip_encode(const imcd_szip_params *params, const uint8_t *src,
                           ptrdiff_t srcsize, uint8_t *dst, ptrdiff_t dstsize);

/* Decode into dst and return the bytes written (at most dstsize); with
 * dst NULL return the size of all decoded scanlines. */
ptrdiff_t imcd_szip_decode(const imcd_szip_params *params, const uint8_t *src,
                           ptrdiff_t srcsize, uint8_t *dst, ptrdiff_t dstsize);

#endif /* IMCD_AEC_H */
