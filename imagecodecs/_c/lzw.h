/* SPDX-License-Identifier: BSD-3-Clause */
/* Lempel-Ziv-Welch coding as defined in TIFF 6.0, section 13: codes of 9 to
 * 12 bits, most significant bit first, ClearCode 256, EndOfInformation 257.
 * The decoder also reads the old-style LZW of early TIFF writers (codes
 * least significant bit first, no early change of the code width). */
#ifndef IMCD_LZW_H
#define IMCD_LZW_H

#include "imcd.h"

/* Return whether src starts like an LZW stream: 1 yes, 0 no. */
int imcd_lzw_check(const uint8_t *src, ptrdiff_t srcsize);

/* Return the decoded size of src, or a negative status. */
ptrdiff_t imcd_lzw_decoded_size(const uint8_t *src, ptrdiff_t srcsize);

/* Decode src into dst; return the number of bytes written. A stream that
 * ends without EndOfInformation code is decoded up to its end. With
 * `partial`, a dst too small for the stream gets its first dstsize bytes. */
ptrdiff_t imcd_lzw_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, int partial);

/* Worst-case encoded size of srcsize bytes. */
ptrdiff_t imcd_lzw_encode_bound(ptrdiff_t srcsize);

/* Encode src like libtiff: ClearCode first, a new table after 4094
 * entries, EndOfInformation last; return the number of bytes written. */
ptrdiff_t imcd_lzw_encode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize);

#endif
