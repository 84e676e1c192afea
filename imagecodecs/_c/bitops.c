/* SPDX-License-Identifier: BSD-3-Clause */
/* Bit order reversal, packed integers and 24-bit floats. */
#include "bitops.h"

#define IMCD_SAME(v) (v)

/* Bit order: swap adjacent bits, pairs and nibbles in eight bytes at
 * once. */
static uint64_t imcd_reverse_bits(uint64_t v)
{
    const uint64_t m1 = 0x5555555555555555ULL, m2 = 0x3333333333333333ULL,
                   m4 = 0x0F0F0F0F0F0F0F0FULL;
    v = ((v >> 1) & m1) | ((v & m1) << 1);
    v = ((v >> 2) & m2) | ((v & m2) << 2);
    return ((v >> 4) & m4) | ((v & m4) << 4);
}

ptrdiff_t imcd_bitorder_reverse(const uint8_t *src, ptrdiff_t srcsize,
                                uint8_t *dst, ptrdiff_t dstsize)
{
    ptrdiff_t i = 0;
    if (srcsize < 0)
        return IMCD_VALUE;
    if (dstsize < srcsize)
        return IMCD_OUTPUT_TOO_SMALL;
    for (; i + 8 <= srcsize; i += 8) {
        uint64_t v;
        memcpy(&v, src + i, 8);
        v = imcd_reverse_bits(v);
        memcpy(dst + i, &v, 8);
    }
    for (; i < srcsize; i++)
        dst[i] = (uint8_t)imcd_reverse_bits(src[i]);
    return srcsize;
}

/* Packed integers. */

static uint64_t imcd_load_u64be(const uint8_t *p)
{
    return ((uint64_t)imcd_load_u32be(p) << 32) | imcd_load_u32be(p + 4);
}

/* Return the bps bits at bit offset `bit` of src as the high bits of a
 * 64-bit word, reading bytewise up to `end` (zeros past it). */
static uint64_t imcd_peek_bits(const uint8_t *src, const uint8_t *end,
                               uint64_t bit, int bps)
{
    const uint8_t *p = src + (bit >> 3);
    unsigned shift = (unsigned)(bit & 7);
    uint64_t v = 0;
    for (int k = 0; k < 8; k++)
        v = (v << 8) | (k < end - p ? p[k] : 0);
    v <<= shift;
    if (shift + (unsigned)bps > 64 && 8 < end - p)
        v |= (uint64_t)p[8] >> (8 - shift);
    return v;
}

/* Items of 1, 2, 4 or 8 bytes, byte swapped or not, at any alignment;
 * the switches are loop invariant where these are called. */
static uint64_t imcd_load_item(const uint8_t *p, int itemsize, int byteswap)
{
    uint16_t v16;
    uint32_t v32;
    uint64_t v64;
    switch (itemsize) {
    case 1:
        return *p;
    case 2:
        memcpy(&v16, p, 2);
        return byteswap ? IMCD_BSWAP16(v16) : v16;
    case 4:
        memcpy(&v32, p, 4);
        return byteswap ? IMCD_BSWAP32(v32) : v32;
    default:
        memcpy(&v64, p, 8);
        return byteswap ? IMCD_BSWAP64(v64) : v64;
    }
}

static void imcd_store_item(uint8_t *p, uint64_t v, int itemsize,
                            int byteswap)
{
    uint16_t v16 = (uint16_t)v;
    uint32_t v32 = (uint32_t)v;
    switch (itemsize) {
    case 1:
        *p = (uint8_t)v;
        break;
    case 2:
        v16 = byteswap ? IMCD_BSWAP16(v16) : v16;
        memcpy(p, &v16, 2);
        break;
    case 4:
        v32 = byteswap ? IMCD_BSWAP32(v32) : v32;
        memcpy(p, &v32, 4);
        break;
    default:
        v = byteswap ? IMCD_BSWAP64(v) : v;
        memcpy(p, &v, 8);
    }
}

/* Native to little-endian order. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define IMCD_LE16(v) IMCD_BSWAP16(v)
#define IMCD_LE32(v) IMCD_BSWAP32(v)
#define IMCD_LE64(v) IMCD_BSWAP64(v)
#else
#define IMCD_LE16(v) (v)
#define IMCD_LE32(v) (v)
#define IMCD_LE64(v) (v)
#endif

/* Fields of 1, 2 or 4 bits split whole bytes: one multiplication copies
 * the byte to non-overlapping places such that field k lands in byte k of
 * the product, an item of type T stored little-endian. */
#define IMCD_UNPACK_BYTES(BPS, T, LE, MULTIPLIER, MASK)                      \
    case BPS:                                                                \
        for (i = imcd_unpack_bytes_sse2(src, dst, whole, BPS); i < whole;    \
             i++) {                                                          \
            T items = LE((T)((src[i] * MULTIPLIER >> (8 - BPS)) & MASK));    \
            memcpy(dst + i * (8 / BPS), &items, sizeof(T));                  \
        }                                                                    \
        done = whole * (8 / BPS);                                            \
        break;

/* With SSE2, the fields of 16 bytes are split into K = 8 / BPS vectors,
 * field k of every byte in vector k, which unpack steps of 8, 16 and 32
 * bits interleave back into source order. Return the bytes done. */
#if defined(__SSE2__) || defined(_M_X64) || \
    (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>

static ptrdiff_t imcd_unpack_bytes_sse2(const uint8_t *src, uint8_t *dst,
                                        ptrdiff_t size, int bps)
{
    const __m128i mask = _mm_set1_epi8((char)((1 << bps) - 1));
    __m128i f[8], a[8], b[8];
    ptrdiff_t i = 0;
    int k, count = 8 / bps;
    for (; i + 16 <= size; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(src + i));
        __m128i *out = (__m128i *)(dst + i * count);
        for (k = 0; k < count; k++)
            f[k] = _mm_and_si128(
                _mm_srl_epi16(x, _mm_cvtsi32_si128(8 - bps * (k + 1))), mask);
        for (k = 0; k < count; k += 2) {
            a[k] = _mm_unpacklo_epi8(f[k], f[k + 1]);
            a[k + 1] = _mm_unpackhi_epi8(f[k], f[k + 1]);
        }
        if (count == 2) {
            _mm_storeu_si128(out, a[0]);
            _mm_storeu_si128(out + 1, a[1]);
            continue;
        }
        /* 16-bit pairs of fields 0-1 with 2-3 (and 4-5 with 6-7) */
        for (k = 0; k < count; k += 4) {
            b[k] = _mm_unpacklo_epi16(a[k], a[k + 2]);
            b[k + 1] = _mm_unpackhi_epi16(a[k], a[k + 2]);
            b[k + 2] = _mm_unpacklo_epi16(a[k + 1], a[k + 3]);
            b[k + 3] = _mm_unpackhi_epi16(a[k + 1], a[k + 3]);
        }
        if (count == 4) {
            for (k = 0; k < 4; k++)
                _mm_storeu_si128(out + k, b[k]);
            continue;
        }
        for (k = 0; k < 4; k++) {
            _mm_storeu_si128(out + 2 * k, _mm_unpacklo_epi32(b[k], b[k + 4]));
            _mm_storeu_si128(out + 2 * k + 1,
                             _mm_unpackhi_epi32(b[k], b[k + 4]));
        }
    }
    return i;
}
#else
#define imcd_unpack_bytes_sse2(src, dst, size, bps) 0
#endif

/* Unpack items whose 9 bytes from their first byte are within the input
 * with one unaligned 64-bit load each. */
#define IMCD_UNPACK_FAST(T, SWAP)                                            \
    for (; i < fast; i++) {                                                  \
        uint64_t bit = (uint64_t)i * (unsigned)bps;                          \
        const uint8_t *p = src + (bit >> 3);                                 \
        unsigned shift = (unsigned)(bit & 7);                                \
        uint64_t v = imcd_load_u64be(p) << shift;                            \
        T item;                                                              \
        if (bps > 56)                                                        \
            v |= (uint64_t)p[8] >> (8 - shift);                              \
        item = SWAP((T)(v >> drop));                                         \
        memcpy(dst + i * (ptrdiff_t)sizeof(T), &item, sizeof(T));            \
    }                                                                        \
    break;

/* Unpack the first `count` items of a row starting at src; the input
 * ends at `end`. */
static void imcd_unpack_row(const uint8_t *src, const uint8_t *end,
                            uint8_t *dst, ptrdiff_t count, int bps,
                            int itemsize, int byteswap)
{
    const unsigned drop = (unsigned)(64 - bps);
    ptrdiff_t i, fast, whole = count * bps / 8, done = 0;
    if (itemsize == 1) {
        switch (bps) {
            IMCD_UNPACK_BYTES(1, uint64_t, IMCD_LE64, 0x8040201008040201ULL,
                              0x0101010101010101ULL)
            IMCD_UNPACK_BYTES(2, uint32_t, IMCD_LE32, 0x40100401ULL,
                              0x03030303ULL)
            IMCD_UNPACK_BYTES(4, uint16_t, IMCD_LE16, 0x1001ULL, 0x0F0FULL)
        }
        src += done * bps / 8;
        dst += done;
        count -= done;
    }
    /* item i starts in byte i * bps / 8, which is at most end - src - 9 */
    fast = end - src < 9 ? 0 : ((end - src - 9) * 8 + 7) / bps + 1;
    fast = fast < count ? fast : count;
    i = 0;
    switch (itemsize * 2 + (itemsize > 1 && byteswap)) {
    case 2: IMCD_UNPACK_FAST(uint8_t, IMCD_SAME)
    case 4: IMCD_UNPACK_FAST(uint16_t, IMCD_SAME)
    case 5: IMCD_UNPACK_FAST(uint16_t, IMCD_BSWAP16)
    case 8: IMCD_UNPACK_FAST(uint32_t, IMCD_SAME)
    case 9: IMCD_UNPACK_FAST(uint32_t, IMCD_BSWAP32)
    case 16: IMCD_UNPACK_FAST(uint64_t, IMCD_SAME)
    default: IMCD_UNPACK_FAST(uint64_t, IMCD_BSWAP64)
    }
    for (; i < count; i++)
        imcd_store_item(dst + i * itemsize,
                        imcd_peek_bits(src, end, (uint64_t)i * (unsigned)bps,
                                       bps) >> drop,
                        itemsize, byteswap);
}

/* Return the bytes per row, or a negative status for invalid arguments. */
static ptrdiff_t imcd_packints_rowsize(int bps, ptrdiff_t runlen)
{
    if (bps < 1 || bps > 64 || runlen < 0 || runlen > PTRDIFF_MAX / 64)
        return IMCD_VALUE;
    return (runlen * bps + 7) / 8;
}

ptrdiff_t imcd_packints_decoded_size(ptrdiff_t srcsize, int bps,
                                     ptrdiff_t runlen)
{
    ptrdiff_t rowsize = imcd_packints_rowsize(bps, runlen);
    if (rowsize < 0 || srcsize < 0)
        return IMCD_VALUE;
    if (runlen == 0) /* srcsize * 8 / bps without overflow */
        return srcsize / bps * 8 + srcsize % bps * 8 / bps;
    return srcsize / rowsize * runlen;
}

ptrdiff_t imcd_packints_decode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize, int bps,
                               ptrdiff_t runlen, int itemsize, int byteswap)
{
    ptrdiff_t items = imcd_packints_decoded_size(srcsize, bps, runlen);
    ptrdiff_t rowsize, row, rows;
    if (items < 0)
        return items;
    if ((itemsize != 1 && itemsize != 2 && itemsize != 4 && itemsize != 8) ||
        bps > 8 * itemsize)
        return IMCD_VALUE;
    if (items > dstsize / itemsize)
        return IMCD_OUTPUT_TOO_SMALL;
    if (bps == 8 * itemsize) {
        memcpy(dst, src, (size_t)(items * itemsize));
        return items;
    }
    if (runlen == 0)
        runlen = items;
    if (items == 0)
        return 0;
    rowsize = imcd_packints_rowsize(bps, runlen);
    if (rowsize < 0)
        return rowsize;
    rows = items / runlen;
    for (row = 0; row < rows; row++)
        imcd_unpack_row(src + row * rowsize, src + srcsize,
                        dst + row * runlen * itemsize, runlen, bps, itemsize,
                        byteswap);
    return items;
}

ptrdiff_t imcd_packints_encoded_size(ptrdiff_t items, int bps,
                                     ptrdiff_t runlen)
{
    ptrdiff_t rowsize = imcd_packints_rowsize(bps, runlen);
    if (rowsize < 0 || items < 0 || items > PTRDIFF_MAX / 64)
        return IMCD_VALUE;
    if (runlen == 0 || items == 0)
        return (items * bps + 7) / 8;
    return items / runlen * rowsize + (items % runlen * bps + 7) / 8;
}

/* The reverse of IMCD_UNPACK_BYTES: the same multiplier gathers the
 * fields of the item bytes of a little-endian word into its top byte. */
#define IMCD_PACK_BYTES(BPS, T, LE, MULTIPLIER, MASK)                        \
    case BPS:                                                                \
        for (i = 0; i < whole; i++) {                                        \
            T items;                                                         \
            memcpy(&items, src + i * (8 / BPS), sizeof(T));                  \
            items = LE(items) & MASK;                                        \
            dst[i] = (uint8_t)(items * MULTIPLIER >> (64 / BPS - 8));        \
        }                                                                    \
        done = whole * (8 / BPS);                                            \
        break;

/* Pack a row of `count` items; return the bytes written. Bits collect in
 * a 64-bit accumulator, flushed 32 bits at a time; wider fields are put
 * in two halves. */
static ptrdiff_t imcd_pack_row(const uint8_t *src, uint8_t *dst,
                               ptrdiff_t count, int bps, int itemsize,
                               int byteswap)
{
    const uint64_t mask = bps == 64 ? ~(uint64_t)0 : ((uint64_t)1 << bps) - 1;
    const int low = bps > 32 ? 32 : bps;
    ptrdiff_t i, whole = count * bps / 8, done = 0;
    uint8_t *out = dst;
    uint64_t acc = 0;
    int bits = 0;
    if (itemsize == 1) {
        switch (bps) {
            IMCD_PACK_BYTES(1, uint64_t, IMCD_LE64, 0x8040201008040201ULL,
                            0x0101010101010101ULL)
            IMCD_PACK_BYTES(2, uint32_t, IMCD_LE32, 0x40100401ULL,
                            0x03030303ULL)
            IMCD_PACK_BYTES(4, uint16_t, IMCD_LE16, 0x1001ULL, 0x0F0FULL)
        }
    }
    out += done * bps / 8;
    for (i = done; i < count; i++) {
        uint64_t v = imcd_load_item(src + i * itemsize, itemsize, byteswap) &
                     mask;
        if (bps > 32) {
            acc = (acc << (bps - 32)) | (v >> 32);
            bits += bps - 32;
            if (bits >= 32) {
                bits -= 32;
                imcd_store_u32be(out, (uint32_t)(acc >> bits));
                out += 4;
            }
        }
        acc = (acc << low) | (v & 0xFFFFFFFFu);
        bits += low;
        if (bits >= 32) {
            bits -= 32;
            imcd_store_u32be(out, (uint32_t)(acc >> bits));
            out += 4;
        }
    }
    for (; bits > 0; bits -= 8)
        *out++ = (uint8_t)(bits >= 8 ? acc >> (bits - 8) : acc << (8 - bits));
    return out - dst;
}

ptrdiff_t imcd_packints_encode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize, int bps,
                               ptrdiff_t runlen, int itemsize, int byteswap)
{
    ptrdiff_t items, size, written = 0;
    if ((itemsize != 1 && itemsize != 2 && itemsize != 4 && itemsize != 8) ||
        bps > 8 * itemsize || srcsize < 0)
        return IMCD_VALUE;
    items = srcsize / itemsize;
    size = imcd_packints_encoded_size(items, bps, runlen);
    if (size < 0)
        return size;
    if (size > dstsize)
        return IMCD_OUTPUT_TOO_SMALL;
    if (bps == 8 * itemsize) {
        memcpy(dst, src, (size_t)size);
        return size;
    }
    if (runlen == 0)
        runlen = items;
    while (items > 0) {
        ptrdiff_t count = items < runlen ? items : runlen;
        written += imcd_pack_row(src, dst + written, count, bps, itemsize,
                                 byteswap);
        src += count * itemsize;
        items -= count;
    }
    return written;
}

/* Camera packings of 16-bit items. */

ptrdiff_t imcd_packints_decode_lsb(const uint8_t *src, ptrdiff_t srcsize,
                                   uint8_t *dst, ptrdiff_t dstsize, int bps)
{
    const uint8_t *end = src + srcsize;
    const uint32_t mask = (1u << bps) - 1;
    ptrdiff_t i, items;
    uint32_t acc = 0; /* unread bits, the next one lowest */
    int nbits = 0;
    if (srcsize < 0 || srcsize > PTRDIFF_MAX / 8 || bps < 1 || bps > 16)
        return IMCD_VALUE;
    items = srcsize * 8 / bps;
    if (items > dstsize / 2)
        return IMCD_OUTPUT_TOO_SMALL;
    for (i = 0; i < items; i++) {
        uint16_t v;
        while (nbits < bps && src < end) {
            acc |= (uint32_t)*src++ << nbits;
            nbits += 8;
        }
        v = (uint16_t)(acc & mask);
        acc >>= bps;
        nbits -= bps;
        memcpy(dst + 2 * i, &v, 2);
    }
    return items;
}

ptrdiff_t imcd_packints_encode_lsb(const uint8_t *src, ptrdiff_t srcsize,
                                   uint8_t *dst, ptrdiff_t dstsize, int bps)
{
    const uint32_t mask = (1u << bps) - 1;
    ptrdiff_t i, items, size;
    uint8_t *out = dst;
    uint32_t acc = 0; /* bits not yet written, the next one lowest */
    int nbits = 0;
    if (srcsize < 0 || srcsize % 2 || bps < 1 || bps > 16)
        return IMCD_VALUE;
    items = srcsize / 2;
    if (items > PTRDIFF_MAX / 16)
        return IMCD_VALUE;
    size = (items * bps + 7) / 8;
    if (size > dstsize)
        return IMCD_OUTPUT_TOO_SMALL;
    for (i = 0; i < items; i++) {
        uint16_t v;
        memcpy(&v, src + 2 * i, 2);
        acc |= (v & mask) << nbits;
        for (nbits += bps; nbits >= 8; nbits -= 8) {
            *out++ = (uint8_t)acc;
            acc >>= 8;
        }
    }
    if (nbits > 0)
        *out++ = (uint8_t)acc;
    return out - dst;
}

ptrdiff_t imcd_packints_decode_pairs(const uint8_t *src, ptrdiff_t srcsize,
                                     uint8_t *dst, ptrdiff_t dstsize,
                                     int bps)
{
    const int low = bps - 8;
    const unsigned lowmask = (1u << low) - 1;
    ptrdiff_t i, pairs;
    if (srcsize < 0 || srcsize % 3 || bps < 9 || bps > 12)
        return IMCD_VALUE;
    pairs = srcsize / 3;
    if (pairs > dstsize / 4)
        return IMCD_OUTPUT_TOO_SMALL;
    for (i = 0; i < pairs; i++) {
        const uint8_t *p = src + 3 * i;
        uint16_t v[2];
        v[0] = (uint16_t)((p[0] << low) | (p[1] & lowmask));
        v[1] = (uint16_t)((p[2] << low) | ((p[1] >> 4) & lowmask));
        memcpy(dst + 4 * i, v, 4);
    }
    return 2 * pairs;
}

ptrdiff_t imcd_packints_encode_pairs(const uint8_t *src, ptrdiff_t srcsize,
                                     uint8_t *dst, ptrdiff_t dstsize,
                                     int bps)
{
    const int low = bps - 8;
    const unsigned lowmask = (1u << low) - 1;
    ptrdiff_t i, pairs;
    if (srcsize < 0 || srcsize % 4 || bps < 9 || bps > 12)
        return IMCD_VALUE;
    pairs = srcsize / 4;
    if (pairs > dstsize / 3)
        return IMCD_OUTPUT_TOO_SMALL;
    for (i = 0; i < pairs; i++) {
        uint8_t *p = dst + 3 * i;
        uint16_t v[2];
        memcpy(v, src + 4 * i, 4);
        p[0] = (uint8_t)(v[0] >> low);
        p[1] = (uint8_t)((v[0] & lowmask) | ((v[1] & lowmask) << 4));
        p[2] = (uint8_t)(v[1] >> low);
    }
    return 3 * pairs;
}

/* 24-bit floats. */

static uint32_t imcd_float24_to_bits32(uint32_t v)
{
    uint32_t sign = (v & 0x800000u) << 8;
    uint32_t exponent = (v >> 16) & 0x7Fu;
    uint32_t mantissa = v & 0xFFFFu;
    int top = 15;
    if (exponent == 0x7F)
        return sign | 0x7F800000u | (mantissa ? 0x400000u : 0);
    if (exponent != 0)
        return sign | ((exponent + 64) << 23) | (mantissa << 7);
    if (mantissa == 0)
        return sign;
    /* subnormal: mantissa * 2**-78 is a normal float32 */
    while (!(mantissa >> top))
        top--;
    return sign | ((uint32_t)(top + 49) << 23) |
           ((mantissa << (23 - top)) & 0x7FFFFFu);
}

static uint32_t imcd_bits32_to_float24(uint32_t u, int rounding)
{
    uint32_t sign = (u >> 8) & 0x800000u;
    uint32_t exponent = (u >> 23) & 0xFFu;
    uint32_t mantissa = u & 0x7FFFFFu;
    uint32_t significand, base, kept, result;
    int shift, up = 0, negative = sign != 0;
    int above = 0, tie = 0, inexact;
    if (exponent == 0xFF)
        return sign | 0x7F0000u | (mantissa ? 0x8000u : 0);
    /* the result is a multiple of 2**-16 of the binade, or of 2**-78 for
     * float24 subnormals: drop `shift` bits of the 24-bit significand */
    significand = exponent ? mantissa | 0x800000u : mantissa;
    if (exponent >= 65) {
        shift = 7;
        base = (exponent - 65) << 16;
    } else {
        shift = 72 - (int)(exponent ? exponent : 1);
        base = 0;
    }
    if (shift > 25) { /* below half the smallest subnormal */
        kept = 0;
        inexact = significand != 0;
    } else {
        uint32_t rest = significand & ((1u << shift) - 1);
        uint32_t half = 1u << (shift - 1);
        kept = significand >> shift;
        above = rest > half;
        tie = rest == half;
        inexact = rest != 0;
    }
    switch (rounding) {
    case IMCD_FLOAT24_TONEAREST: up = above || (tie && (kept & 1)); break;
    case IMCD_FLOAT24_UPWARD: up = inexact && !negative; break;
    case IMCD_FLOAT24_DOWNWARD: up = inexact && negative; break;
    default: break;
    }
    /* a carry out of the mantissa increments the exponent */
    result = base + kept + (uint32_t)up;
    if (result >= 0x7F0000u) {
        int infinite = rounding == IMCD_FLOAT24_TONEAREST ||
                       (rounding == IMCD_FLOAT24_UPWARD && !negative) ||
                       (rounding == IMCD_FLOAT24_DOWNWARD && negative);
        result = infinite ? 0x7F0000u : 0x7EFFFFu;
    }
    return sign | result;
}

/* Decode with constant byte order; normal numbers take a short path. */
#define IMCD_FLOAT24_DECODE_LOOP(BIGENDIAN)                                  \
    for (i = 0; i < count; i++) {                                            \
        const uint8_t *p = src + 3 * i;                                      \
        uint32_t v = BIGENDIAN                                               \
                         ? ((uint32_t)p[0] << 16) | (p[1] << 8) | p[2]       \
                         : ((uint32_t)p[2] << 16) | (p[1] << 8) | p[0];      \
        if (((v >> 16) & 0x7Fu) - 1u < 126u) /* rebias the exponent */      \
            v = ((v & 0x800000u) << 8) |                                     \
                (((v & 0x7FFFFFu) + 0x400000u) << 7);                        \
        else                                                                 \
            v = imcd_float24_to_bits32(v);                                   \
        memcpy(dst + 4 * i, &v, 4);                                          \
    }

ptrdiff_t imcd_float24_decode(const uint8_t *src, ptrdiff_t srcsize,
                              uint8_t *dst, ptrdiff_t dstsize, int bigendian)
{
    ptrdiff_t i, count;
    if (srcsize < 0 || srcsize % 3)
        return IMCD_TRUNCATED;
    count = srcsize / 3;
    if (count > dstsize / 4)
        return IMCD_OUTPUT_TOO_SMALL;
    if (bigendian)
        IMCD_FLOAT24_DECODE_LOOP(1)
    else
        IMCD_FLOAT24_DECODE_LOOP(0)
    return count;
}

/* Encode with constant rounding and byte order; numbers that stay normal
 * without overflow take a short path with the rounding test inline. */
#define IMCD_FLOAT24_LOOP(ROUNDING, BIGENDIAN)                               \
    for (i = 0; i < count; i++) {                                            \
        uint8_t *p = dst + 3 * i;                                            \
        uint32_t u, v, rest;                                                 \
        memcpy(&u, src + 4 * i, 4);                                          \
        if (((u >> 23) & 0xFFu) - 65u < 125u) {                              \
            v = ((((u >> 23) & 0xFFu) - 65u) << 16) +                        \
                ((u & 0x7FFFFFu) >> 7) + 0x10000u;                           \
            rest = u & 0x7Fu;                                                \
            if (ROUNDING == IMCD_FLOAT24_TONEAREST) /* above half, or odd */ \
                v += (rest + (v & 1) + 0x3Fu) >> 7;                          \
            else if (ROUNDING == IMCD_FLOAT24_UPWARD)                        \
                v += rest != 0 && !(u >> 31);                                \
            else if (ROUNDING == IMCD_FLOAT24_DOWNWARD)                      \
                v += rest != 0 && (u >> 31);                                 \
            v |= (u >> 8) & 0x800000u;                                       \
        } else {                                                             \
            v = imcd_bits32_to_float24(u, ROUNDING);                         \
        }                                                                    \
        p[BIGENDIAN ? 0 : 2] = (uint8_t)(v >> 16);                           \
        p[1] = (uint8_t)(v >> 8);                                            \
        p[BIGENDIAN ? 2 : 0] = (uint8_t)v;                                   \
    }                                                                        \
    break;

ptrdiff_t imcd_float24_encode(const uint8_t *src, ptrdiff_t srcsize,
                              uint8_t *dst, ptrdiff_t dstsize, int bigendian,
                              int rounding)
{
    ptrdiff_t i, count;
    if (srcsize < 0 || srcsize % 4 || rounding < 0 || rounding > 3)
        return IMCD_VALUE;
    count = srcsize / 4;
    if (count > dstsize / 3)
        return IMCD_OUTPUT_TOO_SMALL;
    switch (rounding * 2 + (bigendian != 0)) {
    case 0: IMCD_FLOAT24_LOOP(IMCD_FLOAT24_TONEAREST, 0)
    case 1: IMCD_FLOAT24_LOOP(IMCD_FLOAT24_TONEAREST, 1)
    case 2: IMCD_FLOAT24_LOOP(IMCD_FLOAT24_UPWARD, 0)
    case 3: IMCD_FLOAT24_LOOP(IMCD_FLOAT24_UPWARD, 1)
    case 4: IMCD_FLOAT24_LOOP(IMCD_FLOAT24_DOWNWARD, 0)
    case 5: IMCD_FLOAT24_LOOP(IMCD_FLOAT24_DOWNWARD, 1)
    case 6: IMCD_FLOAT24_LOOP(IMCD_FLOAT24_TOWARDZERO, 0)
    default: IMCD_FLOAT24_LOOP(IMCD_FLOAT24_TOWARDZERO, 1)
    }
    return 3 * count;
}

/* bfloat16. */

ptrdiff_t imcd_bfloat16_decode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize, int bigendian)
{
    ptrdiff_t i, count;
    if (srcsize < 0 || srcsize % 2)
        return IMCD_TRUNCATED;
    count = srcsize / 2;
    if (count > dstsize / 4)
        return IMCD_OUTPUT_TOO_SMALL;
    for (i = 0; i < count; i++) {
        const uint8_t *p = src + 2 * i;
        uint32_t v = (uint32_t)(bigendian ? imcd_load_u16be(p)
                                          : imcd_load_u16le(p)) << 16;
        memcpy(dst + 4 * i, &v, 4);
    }
    return count;
}

/* The high half of float32 bits u, rounded in a constant direction. */
static inline uint32_t imcd_bfloat16_round(uint32_t u, const int rounding)
{
    uint32_t high = u >> 16, inexact = (u & 0xFFFFu) != 0;
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) /* NaN: keep it a NaN */
        return (high & 0x8000u) | 0x7FC0u;
    /* a carry out of the mantissa increments the exponent, up to infinity;
     * no finite float32 overflows the 16 bits */
    switch (rounding) {
    case IMCD_FLOAT24_TONEAREST: return (u + 0x7FFFu + (high & 1)) >> 16;
    case IMCD_FLOAT24_UPWARD: return high + (inexact && !(u >> 31));
    case IMCD_FLOAT24_DOWNWARD: return high + (inexact && (u >> 31));
    default: return high;
    }
}

#define IMCD_BFLOAT16_LOOP(ROUNDING)                                         \
    for (i = 0; i < count; i++) {                                            \
        uint32_t u;                                                          \
        uint16_t v;                                                          \
        memcpy(&u, src + 4 * i, 4);                                          \
        v = (uint16_t)imcd_bfloat16_round(u, ROUNDING);                      \
        dst[2 * i + !bigendian] = (uint8_t)(v >> 8);                         \
        dst[2 * i + !!bigendian] = (uint8_t)v;                               \
    }                                                                        \
    break;

ptrdiff_t imcd_bfloat16_encode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize, int bigendian,
                               int rounding)
{
    ptrdiff_t i, count;
    if (srcsize < 0 || srcsize % 4 || rounding < 0 || rounding > 3)
        return IMCD_VALUE;
    count = srcsize / 4;
    if (count > dstsize / 2)
        return IMCD_OUTPUT_TOO_SMALL;
    switch (rounding) {
    case IMCD_FLOAT24_TONEAREST: IMCD_BFLOAT16_LOOP(IMCD_FLOAT24_TONEAREST)
    case IMCD_FLOAT24_UPWARD: IMCD_BFLOAT16_LOOP(IMCD_FLOAT24_UPWARD)
    case IMCD_FLOAT24_DOWNWARD: IMCD_BFLOAT16_LOOP(IMCD_FLOAT24_DOWNWARD)
    default: IMCD_BFLOAT16_LOOP(IMCD_FLOAT24_TOWARDZERO)
    }
    return 2 * count;
}
