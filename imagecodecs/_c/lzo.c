/* SPDX-License-Identifier: BSD-3-Clause */
/* LZO1X decompression (see lzo.h for the format). Every instruction is
 * parsed and checked against the input and the output before anything of
 * it is written, so that decoding can stop between two instructions. */
#include "lzo.h"

/* What the previous instruction was: a match followed by 0..3 literals
 * (the value), a run of four or more literals, or nothing yet. */
#define LZO_AFTER_RUN 4
#define LZO_AFTER_NOTHING 5

void imcd_lzo_start(imcd_lzo_state *state)
{
    state->in = 0;
    state->out = 0;
    state->after = LZO_AFTER_NOTHING;
}

/* Read an extended count: each zero byte adds 255, then a nonzero byte
 * adds its value to base. */
static inline ptrdiff_t imcd_lzo_count(const uint8_t **pip, const uint8_t *end,
                                       ptrdiff_t base)
{
    const uint8_t *ip = *pip;
    while (ip < end && *ip == 0) {
        if (base > PTRDIFF_MAX / 2)
            return IMCD_CORRUPT;
        base += 255;
        ip++;
    }
    if (ip >= end)
        return IMCD_TRUNCATED;
    base += *ip++;
    *pip = ip;
    return base;
}

ptrdiff_t imcd_lzo_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, imcd_lzo_state *state)
{
    const uint8_t *end = src + srcsize;
    const uint8_t *ip = src + state->in;
    ptrdiff_t op = state->out;
    int after = state->after;

    if (state->in < 0 || state->in > srcsize || op < 0 || op > dstsize)
        return IMCD_VALUE;
    for (;;) {
        const uint8_t *start = ip; /* this instruction's start and state */
        int before = after;
        ptrdiff_t len, dist, lits;
        unsigned int t;
        if (ip >= end)
            return IMCD_TRUNCATED;
        t = *ip++;
        if (after == LZO_AFTER_NOTHING) {
            after = 0;
            if (t > 17) {
                lits = t - 17;
                len = 0;
                dist = 0;
                goto literals;
            }
        }
        if (t < 16) {
            if (after == 0) {
                /* a literal run */
                lits = t != 0 ? t : imcd_lzo_count(&ip, end, 15);
                if (lits < 0)
                    return lits;
                lits += 3;
                len = 0;
                dist = 0;
                goto literals;
            }
            if (ip >= end)
                return IMCD_TRUNCATED;
            dist = 1 + (t >> 2) + ((ptrdiff_t)*ip++ << 2);
            if (after == LZO_AFTER_RUN) {
                dist += 0x800;
                len = 3;
            } else {
                len = 2;
            }
            lits = t & 3;
        } else if (t >= 64) {
            if (ip >= end)
                return IMCD_TRUNCATED;
            dist = 1 + ((t >> 2) & 7) + ((ptrdiff_t)*ip++ << 3);
            len = (t >> 5) + 1;
            lits = t & 3;
        } else {
            if (t >= 32)
                len = (t & 31) != 0 ? (ptrdiff_t)(t & 31)
                                    : imcd_lzo_count(&ip, end, 31);
            else
                len = (t & 7) != 0 ? (ptrdiff_t)(t & 7)
                                   : imcd_lzo_count(&ip, end, 7);
            if (len < 0)
                return len;
            if (end - ip < 2)
                return IMCD_TRUNCATED;
            dist = (ip[0] >> 2) + ((ptrdiff_t)ip[1] << 6);
            lits = ip[0] & 3;
            ip += 2;
            if (t >= 32) {
                dist += 1;
            } else {
                dist += (ptrdiff_t)(t & 8) << 11;
                if (dist == 0) {
                    /* the end of the stream */
                    state->in = ip - src;
                    state->out = op;
                    return ip == end ? op : IMCD_LZO_NOT_CONSUMED;
                }
                dist += 0x4000;
            }
            len += 2;
        }
        if (dist > op)
            return IMCD_CORRUPT; /* before the start of the output */
    literals:
        if (end - ip < lits)
            return IMCD_TRUNCATED;
        if (dstsize - op < len + lits) {
            state->in = start - src;
            state->out = op;
            state->after = before;
            return IMCD_OUTPUT_TOO_SMALL;
        }
        if (len > 0) {
            imcd_copy_match(dst + op, dist, len);
            op += len;
            after = (int)lits;
        } else {
            after = lits < 4 ? (int)lits : LZO_AFTER_RUN;
        }
        if (lits <= 3) {
            for (ptrdiff_t i = 0; i < lits; i++)
                dst[op + i] = ip[i];
        } else {
            memcpy(dst + op, ip, (size_t)lits);
        }
        op += lits;
        ip += lits;
    }
}

ptrdiff_t imcd_lzo_decode_bound(ptrdiff_t srcsize)
{
    /* an instruction with an extended length of n zero bytes takes n + 4
     * bytes and gives at most 255 n + 288 */
    return srcsize > PTRDIFF_MAX / 256 ? PTRDIFF_MAX : srcsize * 256;
}
