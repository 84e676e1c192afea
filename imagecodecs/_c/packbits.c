/* SPDX-License-Identifier: BSD-3-Clause */
/* PackBits: a header byte n is followed by n + 1 literal bytes (0 <= n <=
 * 127), or by one byte repeated 1 - n times (-127 <= n <= -1); n = -128 is
 * a no-op. */
#include "packbits.h"

/* A 0x00 header as the very last byte is a pad byte some writers add (one
 * literal byte promised, none left): it is ignored. Any other header that
 * promises more than remains means a truncated stream. */
ptrdiff_t imcd_packbits_decoded_size(const uint8_t *src, ptrdiff_t srcsize)
{
    ptrdiff_t i = 0;
    ptrdiff_t size = 0;
    int n = 0;
    while (i < srcsize) {
        n = (int8_t)src[i++];
        if (n >= 0) {
            i += n + 1;
            size += n + 1;
        } else if (n != -128) {
            i++;
            size += 1 - n;
        }
    }
    if (i > srcsize) {
        /* only the last block can reach past the end */
        if (n == 0 && i == srcsize + 1)
            return size - 1;
        return IMCD_TRUNCATED;
    }
    return size;
}

ptrdiff_t imcd_packbits_decode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize)
{
    ptrdiff_t i = 0;
    ptrdiff_t written = 0;
    while (i < srcsize) {
        int n = (int8_t)src[i++];
        ptrdiff_t count;
        if (n >= 0) {
            count = n + 1;
            if (srcsize - i < count) {
                if (n == 0 && i == srcsize)
                    break;
                return IMCD_TRUNCATED;
            }
            if (dstsize - written < count)
                return IMCD_OUTPUT_TOO_SMALL;
            memcpy(dst + written, src + i, (size_t)count);
            i += count;
        } else if (n != -128) {
            count = 1 - n;
            if (i == srcsize)
                return IMCD_TRUNCATED;
            if (dstsize - written < count)
                return IMCD_OUTPUT_TOO_SMALL;
            memset(dst + written, src[i++], (size_t)count);
        } else {
            continue; /* no-op */
        }
        written += count;
    }
    return written;
}

/* Size of a row of n bytes stored as literals only: one header per 128. */
static ptrdiff_t imcd_packbits_literal_size(ptrdiff_t n)
{
    return n + (n + 127) / 128;
}

ptrdiff_t imcd_packbits_encode_bound(ptrdiff_t srcsize, ptrdiff_t rowsize)
{
    ptrdiff_t rows;
    if (srcsize <= 0)
        return 0;
    if (rowsize <= 0 || rowsize > srcsize)
        rowsize = srcsize;
    /* no row ever takes more than its literal-only form */
    rows = srcsize / rowsize;
    return rows * imcd_packbits_literal_size(rowsize) +
           imcd_packbits_literal_size(srcsize - rows * rowsize);
}

/* Write n bytes at src as literal blocks of up to 128 bytes. The caller
 * checked that imcd_packbits_literal_size(n) bytes fit at out. */
static uint8_t *imcd_packbits_put_literal(uint8_t *out, const uint8_t *src,
                                          ptrdiff_t n)
{
    while (n > 0) {
        ptrdiff_t k = n < 128 ? n : 128;
        *out++ = (uint8_t)(k - 1);
        memcpy(out, src, (size_t)k);
        out += k;
        src += k;
        n -= k;
    }
    return out;
}

/* Scanning compares 8 bytes at a time where the byte order allows finding
 * the first differing byte with a bit scan. */
#if (defined(__GNUC__) || defined(__clang__)) && \
    defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define IMCD_PACKBITS_WORDS 1
static inline uint64_t imcd_packbits_load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
#endif

/* Return the end of the run of bytes equal to `value` that goes on at q. */
static inline const uint8_t *imcd_packbits_run_end(const uint8_t *q,
                                                   const uint8_t *end,
                                                   uint8_t value)
{
#ifdef IMCD_PACKBITS_WORDS
    /* no branch on the length of short runs, which are hard to predict */
    const uint64_t word = 0x0101010101010101ULL * value;
    while (end - q >= 8) {
        uint64_t diff = imcd_packbits_load64(q) ^ word;
        if (diff != 0)
            return q + (__builtin_ctzll(diff) >> 3);
        q += 8;
    }
#endif
    while (q < end && *q == value)
        q++;
    return q;
}

/* Return the first s in [p, stop) where a run of two or more equal bytes
 * starts, or stop if there is none; stop <= end. */
static inline const uint8_t *imcd_packbits_next_run(const uint8_t *p,
                                                    const uint8_t *stop,
                                                    const uint8_t *end)
{
    const uint8_t *s = p;
#ifdef IMCD_PACKBITS_WORDS
    const uint64_t ones = 0x0101010101010101ULL;
    while (stop - s >= 8 && end - s >= 9) {
        /* a zero byte of x marks s[i] == s[i + 1]; the lowest bit set in
         * `zero` is at the first such byte */
        uint64_t x = imcd_packbits_load64(s) ^ imcd_packbits_load64(s + 1);
        uint64_t zero = (x - ones) & ~x & (ones << 7);
        if (zero != 0)
            return s + (__builtin_ctzll(zero) >> 3);
        s += 8;
    }
#endif
    while (s < stop && (end - s < 2 || s[0] != s[1]))
        s++;
    return s;
}

/* Encode one row as the original imagecodecs does (tifffile writes with
 * it), so that files written with either are identical: clients compare
 * them byte by byte.
 *
 * The row is coded in one of two forms, whichever is shorter:
 *   (a) all literal, in blocks of 128;
 *   (b) runs: every run of 2 or more equal bytes is a replicate block
 *       (runs over 128 are cut into blocks of 128, a remaining single byte
 *       joins the literal that follows), single bytes are literals, cut at
 *       128. One exception: a run of exactly 2 becomes part of the literal
 *       around it if a literal precedes it (counting bytes since its last
 *       block of 128) that has not taken in a run yet, and single bytes
 *       follow it up to a run (not up to the row's end), and the joined
 *       literal stays under 128 bytes.
 * On equal length (a) wins if (b) would end with a literal.
 * This is not always the shortest coding (see the tests); matching files
 * byte for byte matters more than the odd byte saved.
 *
 * (b) is written as it goes and abandoned once it grows past (a), so a row
 * never needs more room than its literal form. */
static ptrdiff_t imcd_packbits_encode_row(const uint8_t *src, ptrdiff_t size,
                                          uint8_t *dst, ptrdiff_t dstsize)
{
    const uint8_t *p = src;
    const uint8_t *end = src + size;
    const uint8_t *lit = src;  /* pending literal bytes [lit, lit + nlit) */
    ptrdiff_t nlit = 0;        /* always < 128 */
    ptrdiff_t limit = imcd_packbits_literal_size(size);
    uint8_t *out = dst;
    /* form (b) stops at the smaller of its limit and the room there is */
    uint8_t *cap = dst + (limit < dstsize ? limit : dstsize);
    int last_literal = 0;

/* room for `need` more bytes of form (b), else fall back or fail */
#define IMCD_PACKBITS_ROOM(need)                                             \
    do {                                                                     \
        if (cap - out < (need)) {                                            \
            if ((out - dst) + (need) > limit)                                \
                goto literal_only;                                           \
            return IMCD_OUTPUT_TOO_SMALL;                                    \
        }                                                                    \
    } while (0)

    while (p < end) {
        const uint8_t *q;
        ptrdiff_t run;
        if (end - p < 2 || p[0] != p[1]) {
            /* single bytes join the pending literal; full blocks go out */
            q = imcd_packbits_next_run(p + 1, end, end);
            if (nlit == 0)
                lit = p;
            nlit += q - p;
            p = q;
            if (nlit >= 128) {
                ptrdiff_t n = nlit - nlit % 128;
                IMCD_PACKBITS_ROOM(n + n / 128);
                out = imcd_packbits_put_literal(out, lit, n);
                lit += n;
                nlit -= n;
                last_literal = 1;
            }
            if (p == end)
                break;
        }
        /* a run starts at p */
        q = imcd_packbits_run_end(p + 2, end, *p);
        run = q - p;
        if (nlit > 0 && nlit < 125 && run == 2) {
            /* up to 125 - nlit single bytes after the pair, then a run */
            const uint8_t *stop = end - q > 125 - nlit ? q + 126 - nlit : end;
            const uint8_t *s = imcd_packbits_next_run(q, stop, end);
            if (s > q && s < stop) {
                ptrdiff_t n = nlit + 2 + (s - q);
                IMCD_PACKBITS_ROOM(n + 1);
                out = imcd_packbits_put_literal(out, lit, n);
                nlit = 0;
                last_literal = 1;
                p = s;
                continue;
            }
        }
        if (nlit > 0) {
            IMCD_PACKBITS_ROOM(nlit + 1);
            out = imcd_packbits_put_literal(out, lit, nlit);
            nlit = 0;
        }
        last_literal = 0;
        if (run <= 128) {
            IMCD_PACKBITS_ROOM(2);
            *out++ = (uint8_t)(1 - run);
            *out++ = *p;
            p = q;
            continue;
        }
        while (run >= 2) {
            ptrdiff_t k = run < 128 ? run : 128;
            IMCD_PACKBITS_ROOM(2);
            *out++ = (uint8_t)(1 - k);
            *out++ = *p;
            p += k;
            run -= k;
        }
        if (run == 1) {
            lit = p++;
            nlit = 1;
        }
    }
    if (nlit > 0) {
        IMCD_PACKBITS_ROOM(nlit + 1);
        out = imcd_packbits_put_literal(out, lit, nlit);
        last_literal = 1;
    }
    if (out - dst < limit || !last_literal)
        return out - dst;

literal_only:
    if (limit > dstsize)
        return IMCD_OUTPUT_TOO_SMALL;
    return imcd_packbits_put_literal(dst, src, size) - dst;
#undef IMCD_PACKBITS_ROOM
}

ptrdiff_t imcd_packbits_encode(const uint8_t *src, ptrdiff_t srcsize,
                               ptrdiff_t rowsize, uint8_t *dst,
                               ptrdiff_t dstsize)
{
    ptrdiff_t written = 0;
    if (rowsize <= 0)
        rowsize = srcsize;
    while (srcsize > 0) {
        ptrdiff_t n = srcsize < rowsize ? srcsize : rowsize;
        ptrdiff_t ret = imcd_packbits_encode_row(src, n, dst + written,
                                                 dstsize - written);
        if (ret < 0)
            return ret;
        written += ret;
        src += n;
        srcsize -= n;
    }
    return written;
}
