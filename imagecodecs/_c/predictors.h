/* SPDX-License-Identifier: BSD-3-Clause */
/* Reversible array filters applied along one axis: differencing (TIFF
 * horizontal predictor), XOR differencing, byte shuffling and the TIFF
 * floating point predictor (TIFF Technical Note 3).
 *
 * All functions take a C-contiguous array of `itemsize` byte items viewed
 * as shape (outer, n, inner), the filtered axis being n. Item i along the
 * axis is compared with item i - dist, so `inner * dist` items apart in
 * memory. src and dst must be aligned to the item size; src may equal dst
 * (in-place), partial overlap is not supported.
 * They return the number of bytes written or a negative IMCD_* status.
 */
#ifndef IMCD_PREDICTORS_H
#define IMCD_PREDICTORS_H

#include "imcd.h"

/* Differences of unsigned integers (floats by their bit patterns), modulo
 * 2**(8 * itemsize); byteswap != 0 for arrays of the other byte order. */
ptrdiff_t imcd_delta_encode(const uint8_t *src, ptrdiff_t srcsize,
                            uint8_t *dst, ptrdiff_t dstsize, ptrdiff_t outer,
                            ptrdiff_t n, ptrdiff_t inner, ptrdiff_t dist,
                            int itemsize, int byteswap);

ptrdiff_t imcd_delta_decode(const uint8_t *src, ptrdiff_t srcsize,
                            uint8_t *dst, ptrdiff_t dstsize, ptrdiff_t outer,
                            ptrdiff_t n, ptrdiff_t inner, ptrdiff_t dist,
                            int itemsize, int byteswap);

/* XOR of neighbours; independent of the byte order. */
ptrdiff_t imcd_xor_encode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, ptrdiff_t outer, ptrdiff_t n,
                          ptrdiff_t inner, ptrdiff_t dist, int itemsize);

ptrdiff_t imcd_xor_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, ptrdiff_t outer, ptrdiff_t n,
                          ptrdiff_t inner, ptrdiff_t dist, int itemsize);

/* Each block of n * inner items (records of 1 to 8 bytes, such as 24-bit
 * floats) becomes itemsize planes of bytes: plane k
 * holds byte k of every item in memory order, or byte itemsize - 1 - k if
 * reverse != 0. With delta != 0 the planes of a block are then
 * differenced bytewise, inner * dist bytes apart. */
ptrdiff_t imcd_byteshuffle_encode(const uint8_t *src, ptrdiff_t srcsize,
                                  uint8_t *dst, ptrdiff_t dstsize,
                                  ptrdiff_t outer, ptrdiff_t n,
                                  ptrdiff_t inner, ptrdiff_t dist,
                                  int itemsize, int reverse, int delta);

ptrdiff_t imcd_byteshuffle_decode(const uint8_t *src, ptrdiff_t srcsize,
                                  uint8_t *dst, ptrdiff_t dstsize,
                                  ptrdiff_t outer, ptrdiff_t n,
                                  ptrdiff_t inner, ptrdiff_t dist,
                                  int itemsize, int reverse, int delta);

/* The TIFF floating point predictor: byte planes from the most significant
 * byte down, then bytewise differencing. bigendian tells the byte order of
 * the items. */
ptrdiff_t imcd_floatpred_encode(const uint8_t *src, ptrdiff_t srcsize,
                                uint8_t *dst, ptrdiff_t dstsize,
                                ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner,
                                ptrdiff_t dist, int itemsize, int bigendian);

ptrdiff_t imcd_floatpred_decode(const uint8_t *src, ptrdiff_t srcsize,
                                uint8_t *dst, ptrdiff_t dstsize,
                                ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner,
                                ptrdiff_t dist, int itemsize, int bigendian);

#endif
