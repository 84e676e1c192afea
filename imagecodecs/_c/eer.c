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

/* The sub-pixel position of `level` bits in superres mode: the high bits
 * of the field. Like the reference implementation, XOR the field with its
 * width first: for the 2-bit fields of all EER data this inverts the high
 * bit, the sub-pixel coding of the format. */
static inline ptrdiff_t imcd_eer_subpixel(uint32_t field, int bits,
                                          int level)
{
    return (ptrdiff_t)(((field ^ (uint32_t)bits) >> (bits - level)) &
                       ((1u << level) - 1));
}

/* Add an event to pixel `index` of the output. */
static inline void imcd_eer_add(uint8_t *dst, ptrdiff_t index, const int mode)
{
    uint16_t count;
    switch (mode) {
    case IMCD_EER_SET:
        dst[index] = 1;
        break;
    case IMCD_EER_COUNT8:
        dst[index]++;
        break;
    default:
        memcpy(&count, dst + 2 * index, 2);
        count++;
        memcpy(dst + 2 * index, &count, 2);
    }
}

/* The decoder proper; inlined for each constant `superres` and `mode`. */
static inline ptrdiff_t imcd_eer_walk(const uint8_t *src, ptrdiff_t srcsize,
                                      uint8_t *dst, ptrdiff_t width,
                                      ptrdiff_t cols, ptrdiff_t pixels,
                                      int rlebits, int horzbits,
                                      int vertbits, int hlevel, int vlevel,
                                      const int superres, const int mode)
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
            ptrdiff_t x = (col << hlevel) +
                          imcd_eer_subpixel(sub & horzmask, horzbits, hlevel);
            ptrdiff_t y = (row << vlevel) +
                          imcd_eer_subpixel((sub >> horzbits) &
                                                ((1u << vertbits) - 1),
                                            vertbits, vlevel);
            imcd_eer_add(dst, y * width + x, mode);
            if (++col == cols) {
                col = 0;
                row++;
            }
        } else {
            imcd_eer_add(dst, index, mode);
        }
        index++;
        events++;
    }
    return events;
}

#define IMCD_EER_WALK(SUPERRES, MODE)                                        \
    imcd_eer_walk(src, srcsize, dst, width, cols, pixels, rlebits, horzbits, \
                  vertbits, hlevel, vlevel, SUPERRES, MODE)

ptrdiff_t imcd_eer_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, ptrdiff_t height,
                          ptrdiff_t width, int rlebits, int horzbits,
                          int vertbits, int superres, int mode)
{
    ptrdiff_t cols, pixels;
    int hlevel, vlevel;
    const int itemsize = mode == IMCD_EER_COUNT16 ? 2 : 1;
    if (srcsize < 0 || height < 0 || width < 0 || rlebits < 1 ||
        rlebits > 16 || horzbits < 1 || horzbits > 8 || vertbits < 1 ||
        vertbits > 8 || superres < 0 || mode < IMCD_EER_SET ||
        mode > IMCD_EER_COUNT16)
        return IMCD_VALUE;
    /* each event is one pixel of the detector, a block of 2**hlevel by
     * 2**vlevel pixels with superres */
    hlevel = superres < horzbits ? superres : horzbits;
    vlevel = superres < vertbits ? superres : vertbits;
    if (height % ((ptrdiff_t)1 << vlevel) || width % ((ptrdiff_t)1 << hlevel))
        return IMCD_VALUE;
    if (width > 0 && height > dstsize / itemsize / width)
        return IMCD_OUTPUT_TOO_SMALL;
    cols = width >> hlevel;
    pixels = cols * (height >> vlevel);
    switch (mode * 2 + (superres > 0)) {
    case IMCD_EER_SET * 2: return IMCD_EER_WALK(0, IMCD_EER_SET);
    case IMCD_EER_SET * 2 + 1: return IMCD_EER_WALK(1, IMCD_EER_SET);
    case IMCD_EER_COUNT8 * 2: return IMCD_EER_WALK(0, IMCD_EER_COUNT8);
    case IMCD_EER_COUNT8 * 2 + 1: return IMCD_EER_WALK(1, IMCD_EER_COUNT8);
    case IMCD_EER_COUNT16 * 2: return IMCD_EER_WALK(0, IMCD_EER_COUNT16);
    default: return IMCD_EER_WALK(1, IMCD_EER_COUNT16);
    }
}
