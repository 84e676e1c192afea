/* SPDX-License-Identifier: BSD-3-Clause */
/* PGLZ, the LZ compression of PostgreSQL (src/common/pg_lzcompress.c).
 *
 * A stream is a sequence of control bytes, each followed by up to eight
 * items whose kinds its bits give, least significant bit first: 0 is one
 * literal byte, 1 a back-reference of 2 or 3 bytes. In a back-reference
 * the first byte's high nibble holds bits 8..11 of the offset (1..4095)
 * and the low nibble the length minus 3; the second byte holds offset bits
 * 0..7; a length nibble of 15 means a third byte with the length minus 18
 * follows (lengths 3..273). The stream has no header and no end marker.
 */
#ifndef IMCD_PGLZ_H
#define IMCD_PGLZ_H

#include "imcd.h"

/* The compressor's parameters, those of PostgreSQL's PGLZ_Strategy. */
typedef struct imcd_pglz_strategy {
    int32_t min_input_size;  /* shorter input is not compressed */
    int32_t max_input_size;  /* longer input is not compressed */
    int32_t min_comp_rate;   /* required saving in percent */
    int32_t first_success_by; /* give up if no match in this much output */
    int32_t match_size_good; /* stop looking for a match this long */
    int32_t match_size_drop; /* lower that by this percent per candidate */
} imcd_pglz_strategy;

/* PGLZ_strategy_default and PGLZ_strategy_always of PostgreSQL. */
extern const imcd_pglz_strategy imcd_pglz_strategy_default;
extern const imcd_pglz_strategy imcd_pglz_strategy_always;

/* The strategy's conditions are not met: the data is too short or too
 * long, or does not compress enough. PostgreSQL then stores it raw. */
#define IMCD_PGLZ_INCOMPRESSIBLE (-100)

/* Decoder flags: what makes a stream complete. PostgreSQL's check_complete
 * is both, except that it accepts a last match cut by the end of the
 * output. Without a flag, decoding stops silently when either the input
 * or the output ends. */
#define IMCD_PGLZ_ALL_INPUT 1   /* the whole input is decoded, no item cut */
#define IMCD_PGLZ_FILL_OUTPUT 2 /* the output is filled exactly */

/* Worst-case output size of imcd_pglz_encode for srcsize bytes. */
ptrdiff_t imcd_pglz_encode_bound(ptrdiff_t srcsize);

/* Compress src as PostgreSQL's pglz_compress does, byte for byte; return
 * the compressed size, IMCD_PGLZ_INCOMPRESSIBLE or another status. */
ptrdiff_t imcd_pglz_encode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                           ptrdiff_t dstsize,
                           const imcd_pglz_strategy *strategy);

/* Return the size that src decodes to, or a negative status. */
ptrdiff_t imcd_pglz_decoded_size(const uint8_t *src, ptrdiff_t srcsize);

/* Decode src into dst until the input or the output ends; flags as above.
 * Return the number of bytes written. */
ptrdiff_t imcd_pglz_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                           ptrdiff_t dstsize, int flags);

/* Upper bound of the size that srcsize bytes can decode to. */
ptrdiff_t imcd_pglz_decode_bound(ptrdiff_t srcsize);

#endif
