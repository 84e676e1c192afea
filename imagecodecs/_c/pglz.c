/* SPDX-License-Identifier: BSD-3-Clause */
/* PGLZ compression and decompression (see pglz.h for the format).
 *
 * The encoder makes the same choices as PostgreSQL's pglz_compress, so
 * that its output is identical: a greedy parse; candidates from a hash of
 * the next four bytes, newest first, no farther back than 4094 bytes; the
 * search stops at a match of `good` bytes, and `good` shrinks by `drop`
 * percent with every candidate tried; a match longer than the best so far
 * replaces it only if strictly longer. PostgreSQL keeps the last 4096
 * positions in linked lists; since no candidate may be 4095 or more bytes
 * back, chains of the previous position with the same hash (as in zlib)
 * visit the same candidates in the same order.
 */
#include <stdlib.h>

#include "pglz.h"

#define PGLZ_MAX_MATCH 273
#define PGLZ_MAX_OFFSET 0x0ffe /* PostgreSQL stops at 0x0fff */
#define PGLZ_WINDOW 4096       /* positions remembered in the chains */
#define PGLZ_MAX_HASH 8192
#define PGLZ_NO_POSITION (-2 * PGLZ_WINDOW) /* always too far back */

const imcd_pglz_strategy imcd_pglz_strategy_default = {
    32, INT32_MAX, 25, 1024, 128, 10};
const imcd_pglz_strategy imcd_pglz_strategy_always = {
    0, INT32_MAX, 0, INT32_MAX, 128, 6};

/* The hash list of the position s: of four bytes while there are four,
 * else of one. PostgreSQL hashes `char`, which is signed on the platforms
 * whose output we reproduce (x86): bytes >= 128 are sign-extended. */
static inline uint32_t imcd_pglz_hash(const uint8_t *s, const uint8_t *end,
                                      uint32_t mask)
{
    if (end - s < 4)
        return (uint32_t)(int8_t)s[0] & mask;
    return (((uint32_t)(int8_t)s[0] << 6) ^ ((uint32_t)(int8_t)s[1] << 4) ^
            ((uint32_t)(int8_t)s[2] << 2) ^ (uint32_t)(int8_t)s[3]) &
           mask;
}

/* Number of equal leading bytes of a and b, at most limit. */
static inline int32_t imcd_pglz_common(const uint8_t *a, const uint8_t *b,
                                       int32_t n, int32_t limit)
{
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (limit - n >= 8) {
        uint64_t x, y;
        memcpy(&x, a + n, 8);
        memcpy(&y, b + n, 8);
        if (x != y)
            return n + (__builtin_ctzll(x ^ y) >> 3);
        n += 8;
    }
#endif
    while (n < limit && a[n] == b[n])
        n++;
    return n;
}

typedef struct imcd_pglz_history {
    int32_t head[PGLZ_MAX_HASH]; /* newest position of each hash */
    int32_t prev[PGLZ_WINDOW];   /* previous position of the same hash */
    uint32_t mask;
} imcd_pglz_history;

static inline void imcd_pglz_add(imcd_pglz_history *h, const uint8_t *src,
                                 ptrdiff_t pos, const uint8_t *end)
{
    uint32_t key = imcd_pglz_hash(src + pos, end, h->mask);
    h->prev[pos & (PGLZ_WINDOW - 1)] = h->head[key];
    h->head[key] = (int32_t)pos;
}

/* Return the length of the match chosen at pos (0 if shorter than 3) and
 * its offset in *offset. */
static int32_t imcd_pglz_find(const imcd_pglz_history *h, const uint8_t *src,
                              ptrdiff_t pos, const uint8_t *end, int32_t good,
                              int32_t drop, int32_t *offset)
{
    const uint8_t *ip = src + pos;
    int32_t limit = end - ip < PGLZ_MAX_MATCH ? (int32_t)(end - ip)
                                              : PGLZ_MAX_MATCH;
    int32_t len = 0;
    ptrdiff_t cand = h->head[imcd_pglz_hash(ip, end, h->mask)];

    while (pos - cand <= PGLZ_MAX_OFFSET) {
        const uint8_t *hp = src + cand;
        int32_t n = 0;
        if (len < 16) {
            n = imcd_pglz_common(ip, hp, 0, limit);
        } else if (len < limit && memcmp(ip, hp, (size_t)len) == 0) {
            /* PostgreSQL checks the best length at once, then extends */
            n = imcd_pglz_common(ip, hp, len, limit);
        }
        if (n > len) {
            len = n;
            *offset = (int32_t)(pos - cand);
        }
        cand = h->prev[cand & (PGLZ_WINDOW - 1)];
        /* PostgreSQL tests this only when another candidate exists; when
         * none does, the loop ends either way */
        if (len >= good)
            break;
        good -= (good * drop) / 100;
    }
    return len > 2 ? len : 0;
}

static inline int32_t imcd_pglz_clamp(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

ptrdiff_t imcd_pglz_encode_bound(ptrdiff_t srcsize)
{
    /* the result is smaller than the input, but an item of up to four
     * bytes may be written before the size is checked */
    return srcsize + 4;
}

ptrdiff_t imcd_pglz_encode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                           ptrdiff_t dstsize,
                           const imcd_pglz_strategy *strategy)
{
    const uint8_t *end = src + srcsize;
    imcd_pglz_history *h;
    ptrdiff_t pos = 0, written = 0, result_max, ctrlpos = -1;
    int32_t good, drop, rate, hashsize;
    unsigned int ctrlbit = 0, ctrl = 0;
    int found = 0;

    if (strategy == NULL)
        strategy = &imcd_pglz_strategy_default;
    if (srcsize < 0 || dstsize < 0)
        return IMCD_VALUE;
    if (strategy->match_size_good <= 0 || srcsize > INT32_MAX ||
        srcsize < strategy->min_input_size ||
        srcsize > strategy->max_input_size)
        return IMCD_PGLZ_INCOMPRESSIBLE;

    good = imcd_pglz_clamp(strategy->match_size_good, 17, PGLZ_MAX_MATCH);
    drop = imcd_pglz_clamp(strategy->match_size_drop, 0, 100);
    rate = imcd_pglz_clamp(strategy->min_comp_rate, 0, 99);
    /* PostgreSQL's rounding, in 32-bit arithmetic */
    if (srcsize > INT32_MAX / 100)
        result_max = (srcsize / 100) * (100 - rate);
    else
        result_max = (srcsize * (100 - rate)) / 100;

    /* PostgreSQL's table size, which decides the hash values */
    hashsize = srcsize < 128    ? 512
               : srcsize < 256  ? 1024
               : srcsize < 512  ? 2048
               : srcsize < 1024 ? 4096
                                : 8192;

    h = (imcd_pglz_history *)malloc(sizeof(imcd_pglz_history));
    if (h == NULL)
        return IMCD_MEMORY;
    h->mask = (uint32_t)hashsize - 1;
    for (int32_t i = 0; i < hashsize; i++)
        h->head[i] = PGLZ_NO_POSITION;

    while (pos < srcsize) {
        int32_t len, offset = 0, need;
        if (written >= result_max ||
            (!found && written >= strategy->first_success_by)) {
            written = IMCD_PGLZ_INCOMPRESSIBLE;
            goto done;
        }
        len = imcd_pglz_find(h, src, pos, end, good, drop, &offset);
        need = (ctrlbit == 0) + (len == 0 ? 1 : len > 17 ? 3 : 2);
        if (dstsize - written < need) {
            written = IMCD_OUTPUT_TOO_SMALL;
            goto done;
        }
        if (ctrlbit == 0) {
            /* a new control byte, written when its eight items are known */
            if (ctrlpos >= 0)
                dst[ctrlpos] = (uint8_t)ctrl;
            ctrlpos = written++;
            ctrl = 0;
            ctrlbit = 1;
        }
        if (len == 0) {
            dst[written++] = src[pos];
            imcd_pglz_add(h, src, pos++, end);
        } else {
            ctrl |= ctrlbit;
            if (len > 17) {
                dst[written++] = (uint8_t)(((offset & 0xf00) >> 4) | 0x0f);
                dst[written++] = (uint8_t)(offset & 0xff);
                dst[written++] = (uint8_t)(len - 18);
            } else {
                dst[written++] =
                    (uint8_t)(((offset & 0xf00) >> 4) | (len - 3));
                dst[written++] = (uint8_t)(offset & 0xff);
            }
            while (len-- > 0)
                imcd_pglz_add(h, src, pos++, end);
            found = 1;
        }
        ctrlbit = (ctrlbit << 1) & 0xff;
    }
    if (ctrlpos >= 0)
        dst[ctrlpos] = (uint8_t)ctrl;
    if (written >= result_max)
        written = IMCD_PGLZ_INCOMPRESSIBLE;
done:
    free(h);
    return written;
}

/* Decode, or with counting set only count (without limit); inlined with
 * a constant `counting` to give two specialized loops. */
IMCD_INLINE ptrdiff_t imcd_pglz_walk(const uint8_t *src, ptrdiff_t srcsize,
                                     uint8_t *dst, ptrdiff_t dstsize,
                                     int flags, const int counting)
{
    const uint8_t *sp = src;
    const uint8_t *send = src + srcsize;
    ptrdiff_t dp = 0;
    ptrdiff_t dend = counting ? PTRDIFF_MAX : dstsize;

    while (sp < send && dp < dend) {
        unsigned int ctrl = *sp++;
        if (ctrl == 0 && !counting && send - sp >= 8 && dend - dp >= 8) {
            memcpy(dst + dp, sp, 8); /* eight literals */
            sp += 8;
            dp += 8;
            continue;
        }
        for (int bit = 0; bit < 8 && sp < send && dp < dend;
             bit++, ctrl >>= 1) {
            if (ctrl & 1) {
                ptrdiff_t len, off;
                if (send - sp < 2)
                    return IMCD_TRUNCATED;
                len = (sp[0] & 0x0f) + 3;
                off = ((sp[0] & 0xf0) << 4) | sp[1];
                sp += 2;
                if (len == 18) {
                    if (sp >= send)
                        return IMCD_TRUNCATED;
                    len += *sp++;
                }
                if (off == 0 || off > dp)
                    return IMCD_CORRUPT;
                if (len > dend - dp) {
                    if (flags & IMCD_PGLZ_ALL_INPUT)
                        return IMCD_OUTPUT_TOO_SMALL;
                    len = dend - dp; /* a partial result was requested */
                }
                if (!counting)
                    imcd_copy_match(dst + dp, off, len);
                dp += len;
            } else {
                if (!counting)
                    dst[dp] = *sp;
                sp++;
                dp++;
            }
        }
    }
    if ((flags & IMCD_PGLZ_ALL_INPUT) && sp != send)
        return IMCD_OUTPUT_TOO_SMALL;
    if ((flags & IMCD_PGLZ_FILL_OUTPUT) && dp != dend)
        return IMCD_TRUNCATED;
    return dp;
}

ptrdiff_t imcd_pglz_decoded_size(const uint8_t *src, ptrdiff_t srcsize)
{
    return imcd_pglz_walk(src, srcsize, NULL, 0, 0, 1);
}

ptrdiff_t imcd_pglz_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                           ptrdiff_t dstsize, int flags)
{
    if (dst == NULL)
        dstsize = 0;
    return imcd_pglz_walk(src, srcsize, dst, dstsize, flags, 0);
}

ptrdiff_t imcd_pglz_decode_bound(ptrdiff_t srcsize)
{
    /* at most a control byte and eight 3-byte items of 273 bytes each: 2184
     * bytes out of 25 */
    return srcsize > PTRDIFF_MAX / 88 ? PTRDIFF_MAX : srcsize * 88;
}
