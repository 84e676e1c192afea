/* SPDX-License-Identifier: BSD-3-Clause */
/* Bit and byte level conversions: bit order reversal, packed integers of
 * 1 to 64 bits, and 24 and 16-bit (bfloat16) floating point numbers.
 *
 * Functions return a size (as documented) or a negative IMCD_* status.
 */
#ifndef IMCD_BITOPS_H
#define IMCD_BITOPS_H

#include "imcd.h"

/* Reverse the order of the bits in each byte; src may equal dst. Return
 * the number of bytes written. */
ptrdiff_t imcd_bitorder_reverse(const uint8_t *src, ptrdiff_t srcsize,
                                uint8_t *dst, ptrdiff_t dstsize);

/* Packed integers are big-endian bit fields of `bps` (1 to 64) bits, most
 * significant bit first, in rows of `runlen` items padded to whole bytes
 * (runlen 0: all items are one row). Unpacked items are unsigned integers
 * of `itemsize` bytes in native order, or the other order if byteswap.
 * For bps = 8 * itemsize the bytes are copied as they are. */

/* Return the number of whole items in srcsize bytes; incomplete rows are
 * not counted. */
ptrdiff_t imcd_packints_decoded_size(ptrdiff_t srcsize, int bps,
                                     ptrdiff_t runlen);

/* Unpack src into dst; return the number of items written. */
ptrdiff_t imcd_packints_decode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize, int bps,
                               ptrdiff_t runlen, int itemsize, int byteswap);

/* Return the number of bytes that `items` packed items take; a last row
 * shorter than runlen is padded too. */
ptrdiff_t imcd_packints_encoded_size(ptrdiff_t items, int bps,
                                     ptrdiff_t runlen);

/* Pack the low `bps` bits of each item of src; return the number of bytes
 * written. */
ptrdiff_t imcd_packints_encode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize, int bps,
                               ptrdiff_t runlen, int itemsize, int byteswap);

/* The two camera packings of packints' `bitorder`. Items are native
 * uint16; the low `bps` bits of each are packed. */

/* GenICam "p" formats (Mono12p ...): one bit stream, least significant bit
 * first, of `bps` (1 to 16) bit fields; the last byte is padded with zeros.
 * Decode srcsize * 8 / bps items; return the number of items. */
ptrdiff_t imcd_packints_decode_lsb(const uint8_t *src, ptrdiff_t srcsize,
                                   uint8_t *dst, ptrdiff_t dstsize, int bps);

/* Return the number of bytes written. */
ptrdiff_t imcd_packints_encode_lsb(const uint8_t *src, ptrdiff_t srcsize,
                                   uint8_t *dst, ptrdiff_t dstsize, int bps);

/* GigE Vision "Packed" formats (Mono10Packed, Mono12Packed): pairs of
 * `bps` (9 to 12) bit items in three bytes, the high 8 bits of the first
 * item, the low bits of the first item in the low nibble and of the
 * second in the high nibble, the high 8 bits of the second item. srcsize
 * is a multiple of 3; return the number of items. */
ptrdiff_t imcd_packints_decode_pairs(const uint8_t *src, ptrdiff_t srcsize,
                                     uint8_t *dst, ptrdiff_t dstsize,
                                     int bps);

/* Encode an even number of items; return the number of bytes written. */
ptrdiff_t imcd_packints_encode_pairs(const uint8_t *src, ptrdiff_t srcsize,
                                     uint8_t *dst, ptrdiff_t dstsize,
                                     int bps);

/* 24-bit floats: 1 sign bit, 7 exponent bits (bias 63), 16 mantissa bits,
 * stored in 3 bytes, big-endian if bigendian != 0. */
enum {
    IMCD_FLOAT24_TONEAREST = 0, /* to nearest, ties to even */
    IMCD_FLOAT24_UPWARD = 1,    /* toward +infinity */
    IMCD_FLOAT24_DOWNWARD = 2,  /* toward -infinity */
    IMCD_FLOAT24_TOWARDZERO = 3
};

/* Decode to native float32 (exact; NaNs become quiet NaNs); return the
 * number of items written. */
ptrdiff_t imcd_float24_decode(const uint8_t *src, ptrdiff_t srcsize,
                              uint8_t *dst, ptrdiff_t dstsize, int bigendian);

/* Encode native float32 with IEEE 754 rounding in the given direction,
 * including overflow and gradual underflow; return the number of bytes
 * written. */
ptrdiff_t imcd_float24_encode(const uint8_t *src, ptrdiff_t srcsize,
                              uint8_t *dst, ptrdiff_t dstsize, int bigendian,
                              int rounding);

/* bfloat16: the high 16 bits of a float32, stored in 2 bytes, big-endian
 * if bigendian != 0. */

/* Decode to native float32 (exact); return the number of items. */
ptrdiff_t imcd_bfloat16_decode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize,
                               int bigendian);

/* Encode native float32 with IEEE 754 rounding in the given direction (the
 * IMCD_FLOAT24_* values); NaNs become quiet NaNs of the same sign. Return
 * the number of bytes written. */
ptrdiff_t imcd_bfloat16_encode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize, int bigendian,
                               int rounding);

#endif
