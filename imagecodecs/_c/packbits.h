/* SPDX-License-Identifier: BSD-3-Clause */
/* PackBits run-length coding as defined in TIFF 6.0, section 9. */
#ifndef IMCD_PACKBITS_H
#define IMCD_PACKBITS_H

#include "imcd.h"

/* Return the decoded size of src, or a negative status. A 0x00 pad byte
 * after the data is ignored; any other incomplete block is truncation. */
ptrdiff_t imcd_packbits_decoded_size(const uint8_t *src, ptrdiff_t srcsize);

/* Decode src into dst; return the number of bytes written. */
ptrdiff_t imcd_packbits_decode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize);

/* Worst-case encoded size of srcsize bytes in rows of rowsize bytes: each
 * row as literals only. */
ptrdiff_t imcd_packbits_encode_bound(ptrdiff_t srcsize, ptrdiff_t rowsize);

/* Encode src, each row of rowsize bytes separately (TIFF requires runs not
 * to cross rows); return the number of bytes written. The coding of a row
 * is described in packbits.c. */
ptrdiff_t imcd_packbits_encode(const uint8_t *src, ptrdiff_t srcsize,
                               ptrdiff_t rowsize, uint8_t *dst,
                               ptrdiff_t dstsize);

#endif
