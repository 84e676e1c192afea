/* SPDX-License-Identifier: BSD-3-Clause */
/* EER decoder, following the EER format documentation 3.0, section 4. */
#include "eer.h"

/* 8 bytes as a little-endian integer. */
static inline uint64_t imcd_eer_load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* The sub-pixel bit selecting the output pixel in superres mode. Like the
 * reference implementation, XOR the field with its width before taking its
 * high bit: for the 2-bit fields of all EER data this inverts the high bit,
 * the sub-pixel coding of the format (and also for 1-bit fields). */
static inline ptrdiff_t imcd_eer_half(uint32_t field, int bits)
{
    return (ptrdiff_t)(((field ^ (uint32_t)bits) >> (bits - 1)) & 1);
}

/* The decoder proper; inlined twice so that `superres` is a constant. */
static inline ptrdiff_t imcd_eer_walk(const uint8_t *src, ptrdiff_t srcsize,
                                      uint8_t *dst, ptrdiff_t width,
                                      ptrdiff_t cols, ptrdiff_t pixels,
                                      int rlebits, int horzbits,
                                      int vertbits, const int superres)
{
    const uint8_t *end = src + srcsize;
    const int subbits = horzbits + vertbits;
    const uint32_t rlemask = (1u << rlebits) - 1;
    const uint32_t horzmask = (1u << horzbits) - 1;
    uint64_t bits = 0; /* unread bits, the next one lowest */
    int nbits = 0;     /* number of valid bits in `bits` */
    ptrdiff_t index = 0, row = 0, col = 0, events = 0;

    for (;;) {
        uint32_t skip, sub;
        /* at least rlebits + subbits (<= 32) bits unless at the end */
        if (nbits < 32) {
            if (end - src >= 8) {
                bits |= imcd_eer_load64(src) << nbits;
                src += (63 - nbits) >> 3;
                nbits |= 56;
            } else {
                while (nbits <= 56 && src < end) {
                    bits |= (uint64_t)*src++ << nbits;
                    nbits += 8;
                }
            }
        }
        if (nbits < rlebits)
            break; /* padding */
        skip = (uint32_t)bits & rlemask;
        bits >>= rlebits;
        nbits -= rlebits;
        index += skip;
        if (index >= pixels) {
            if (index == pixels)
                break; /* the run to the end of the image */
            return IMCD_CORRUPT;
        }
        if (superres) {
            col += skip;
            if (col >= cols) {
                row += col / cols;
                col %= cols;
            }
        }
        if (skip == rlemask)
            continue; /* no event: the gap goes on */
        if (nbits < subbits)
            break; /* truncated code */
        sub = (uint32_t)bits;
        bits >>= subbits;
        nbits -= subbits;
        if (superres) {
            ptrdiff_t x = 2 * col + imcd_eer_half(sub & horzmask, horzbits);
            ptrdiff_t y = 2 * row + imcd_eer_half(
                (sub >> horzbits) & ((1u << vertbits) - 1), vertbits);
            dst[y * width + x] = 1;
            if (++col == cols) {
                col = 0;
                row++;
            }
        } else {
            dst[index] = 1;
        }
        index++;
        events++;
    }
    return events;
}

ptrdiff_t imcd_eer_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, ptrdiff_t height,
                          ptrdiff_t width, int rlebits, int horzbits,
                          int vertbits, int superres)
{
    ptrdiff_t cols, pixels;
    if (srcsize < 0 || height < 0 || width < 0 || rlebits < 1 ||
        rlebits > 16 || horzbits < 1 || horzbits > 8 || vertbits < 1 ||
        vertbits > 8 || (superres && (height % 2 || width % 2)))
        return IMCD_VALUE;
    if (width > 0 && height > dstsize / width)
        return IMCD_OUTPUT_TOO_SMALL;
    if (height * width > 0)
        memset(dst, 0, (size_t)(height * width));
    /* each event is one pixel of the detector, a 2x2 block with superres */
    cols = superres ? width / 2 : width;
    pixels = cols * (superres ? height / 2 : height);
    if (superres)
        return imcd_eer_walk(src, srcsize, dst, width, cols, pixels, rlebits,
                             horzbits, vertbits, 1);
    return imcd_eer_walk(src, srcsize, dst, width, cols, pixels, rlebits,
                         horzbits, vertbits, 0);
}
