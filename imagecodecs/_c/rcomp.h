/* SPDX-License-Identifier: BSD-3-Clause */
/* Rice compression of the FITS tiled image convention (ZCMPTYPE 'RICE_1';
 * Pence, White and Seaman): 8, 16 or 32-bit integers, the first one raw,
 * then blocks of nblock pixel differences, each block a code of 3, 4 or 5
 * bits giving the split FS followed by the Rice codes of the zig-zag mapped
 * differences; code 0 is a block of zero differences, the largest code a
 * block of raw 8, 16 or 32-bit mapped differences. Bits are packed most
 * significant first. */
#ifndef IMCD_RCOMP_H
#define IMCD_RCOMP_H

#include "imcd.h"

/* Worst-case encoded size of npixels of itemsize (1, 2, 4) bytes. */
ptrdiff_t imcd_rcomp_encode_bound(ptrdiff_t npixels, int itemsize,
                                  ptrdiff_t nblock);

/* Encode npixels native-endian integers of itemsize bytes from src, in
 * blocks of nblock pixels; return the number of bytes written to dst.
 * Differences wrap at the integer size, so signedness does not matter. */
ptrdiff_t imcd_rcomp_encode(const uint8_t *src, ptrdiff_t npixels,
                            int itemsize, ptrdiff_t nblock, uint8_t *dst,
                            ptrdiff_t dstsize);

/* Decode dstsize / itemsize pixels of itemsize bytes (native byte order)
 * from src; return the number of bytes written. Bytes after the last
 * block are ignored. */
ptrdiff_t imcd_rcomp_decode(const uint8_t *src, ptrdiff_t srcsize,
                            uint8_t *dst, ptrdiff_t dstsize, int itemsize,
                            ptrdiff_t nblock);

#endif
