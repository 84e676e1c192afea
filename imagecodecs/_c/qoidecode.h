/* SPDX-License-Identifier: BSD-3-Clause */
/* One-pass QOI decoder into a caller's buffer (qoi.h decodes into memory of
 * its own and repeats the last pixel where a stream ends early). */

#ifndef IMCD_QOIDECODE_H
#define IMCD_QOIDECODE_H

#include "imcd.h"

/* Decode the chunks of a QOI stream (src after its 14-byte header; srcsize
 * bytes up to the end of the data) into npixels pixels of `channels` bytes
 * at dst. Return the number of chunk bytes read, or IMCD_TRUNCATED if the
 * chunks end before the pixels do. */
ptrdiff_t imcd_qoi_decode(const uint8_t *src, ptrdiff_t srcsize,
                          uint8_t *dst, ptrdiff_t npixels, int channels);

#endif
