/* SPDX-License-Identifier: BSD-3-Clause */
/* Adaptive Entropy Coding, CCSDS 121.0-B-3 (Lossless Data Compression).
 *
 * The stream is a sequence of blocks of J samples, grouped into reference
 * sample intervals (RSI) of `rsi` blocks. Each block starts with an option
 * identifier of idlen bits (3, 4 or 5 bits for n <= 8, 16, 32; 1 or 2 bits
 * for the restricted options of n <= 2 or 4):
 *   0 + '0'   zero block run: the FS code of the number of all-zero blocks
 *             (1..4 as 0..3, 4 for the remainder of the 64-block segment,
 *             5..63 as themselves),
 *   0 + '1'   second extension: FS codes of (a + b)(a + b + 1) / 2 + b for
 *             pairs of samples,
 *   k + 1     split samples: FS codes of v >> k, then the k low bits of all,
 *   all ones  no compression: n bits per sample.
 * With preprocessing, the first block of an RSI carries the n-bit reference
 * sample after the identifier and codes only J - 1 mapped residuals (the
 * second extension treats the first one as 0), and all other samples are
 * mapped prediction residuals of the unit-delay predictor (section 4).
 *
 * The encoder picks the option of fewest bits like libaec: among split
 * options of equal length the k nearest to the previous block's, on equal
 * length no compression before split samples and the second extension
 * before both. Codes are MSB first; the stream is padded to a byte.
 */
#include <stdlib.h>
#include <math.h>

#include "aec.h"

/* Stream geometry derived from imcd_aec_params. */
typedef struct {
    int bits, J, rsi, width, line;
    int msb, pre, pad, mink;
    int narrow; /* coded values < 2^25 */
    int idlen, idmax, kmax;
    uint32_t mask; /* largest sample, 2^n - 1 */
    uint32_t sign; /* offset of signed samples to unsigned ones */
} imcd_aec_geom;

static ptrdiff_t imcd_aec_setup(const imcd_aec_params *p, imcd_aec_geom *g)
{
    int n = p->bits, J = p->blocksize, flags = p->flags;
    if (n < 1 || n > 32 || p->rsi < 1 || p->rsi > IMCD_AEC_MAX_RSI)
        return IMCD_VALUE;
    if (flags & IMCD_AEC_NOT_ENFORCE) {
        if (J < 2 || J > IMCD_AEC_MAX_BLOCKSIZE || (J & 1))
            return IMCD_VALUE;
    } else if (J != 8 && J != 16 && J != 32 && J != 64) {
        return IMCD_VALUE;
    }
    g->bits = n;
    g->J = J;
    g->rsi = p->rsi;
    g->line = (p->line > 0 && p->line < p->rsi * J) ? p->line : p->rsi * J;
    g->width = n <= 8 ? 1 : n <= 16 ? 2
               : (n <= 24 && (flags & IMCD_AEC_DATA_3BYTE)) ? 3 : 4;
    g->msb = (flags & IMCD_AEC_DATA_MSB) != 0;
    g->pre = (flags & IMCD_AEC_DATA_PREPROCESS) != 0;
    g->pad = (flags & IMCD_AEC_PAD_RSI) != 0;
    g->narrow = g->pre ? n <= 25 : g->width <= 3;
    g->mink = (flags & IMCD_AEC_MIN_K) != 0;
    g->idlen = n > 16 ? 5 : n > 8 ? 4 : 3;
    if ((flags & IMCD_AEC_RESTRICTED) && n <= 4)
        g->idlen = n <= 2 ? 1 : 2;
    g->idmax = (1 << g->idlen) - 1;
    /* split options k < n - 1 that have an identifier; -1: none */
    g->kmax = n - 2 < g->idmax - 2 ? n - 2 : g->idmax - 2;
    g->mask = 0xFFFFFFFFu >> (32 - n);
    g->sign = (flags & IMCD_AEC_DATA_SIGNED) ? 1u << (n - 1) : 0;
    return 0;
}

ptrdiff_t imcd_aec_sample_size(const imcd_aec_params *params)
{
    imcd_aec_geom g;
    ptrdiff_t status = imcd_aec_setup(params, &g);
    return status < 0 ? status : g.width;
}

static inline uint32_t imcd_aec_load(const uint8_t *s, int width, int msb)
{
    switch (width) {
    case 1: return s[0];
    case 2: return msb ? imcd_load_u16be(s) : imcd_load_u16le(s);
    case 3:
        return msb ? ((uint32_t)s[0] << 16) | ((uint32_t)s[1] << 8) | s[2]
                   : ((uint32_t)s[2] << 16) | ((uint32_t)s[1] << 8) | s[0];
    default: return msb ? imcd_load_u32be(s) : imcd_load_u32le(s);
    }
}

static inline void imcd_aec_store(uint8_t *d, uint32_t v, int width, int msb)
{
    int i;
    for (i = 0; i < width; i++)
        d[msb ? width - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Store count samples. The indices are size_t for the code to vectorize
 * also with -fwrapv. */
static void imcd_aec_store_block(uint8_t *d, const uint32_t *x, int count,
                                 int width, int msb)
{
    size_t i, n = (size_t)count;
    if (width == 1)
        for (i = 0; i < n; i++)
            d[i] = (uint8_t)x[i];
    else if (width == 2 && !msb)
        for (i = 0; i < n; i++)
            imcd_store_u16le(d + 2 * i, (uint16_t)x[i]);
    else if (width == 4 && !msb)
        for (i = 0; i < n; i++)
            imcd_store_u32le(d + 4 * i, x[i]);
    else
        for (i = 0; i < n; i++)
            imcd_aec_store(d + i * (size_t)width, x[i], width, msb);
}

/* Load count samples, padded to J with the last one. */
static void imcd_aec_load_block(uint32_t *x, const uint8_t *s, int count,
                                int J, int width, int msb)
{
    size_t i, n = (size_t)count;
    if (width == 1)
        for (i = 0; i < n; i++)
            x[i] = s[i];
    else if (width == 2 && !msb)
        for (i = 0; i < n; i++)
            x[i] = imcd_load_u16le(s + 2 * i);
    else if (width == 4 && !msb)
        for (i = 0; i < n; i++)
            x[i] = imcd_load_u32le(s + 4 * i);
    else
        for (i = 0; i < n; i++)
            x[i] = imcd_aec_load(s + i * (size_t)width, width, msb);
    for (i = n; i < (size_t)J; i++)
        x[i] = x[n - 1];
}

/* Mapped prediction residual of u after p (both offset to unsigned):
 * 2|u - p| (- 1 if u < p) within theta of p, else theta + |u - p|. */
static inline uint32_t imcd_aec_map(uint32_t u, uint32_t p, uint32_t mask)
{
    uint32_t theta = p < mask - p ? p : mask - p;
    uint32_t diff = u >= p ? u - p : p - u;
    return diff <= theta ? 2 * diff - (u < p) : theta + diff;
}

/* Residuals of a block of J samples x[0..J-1] after x[-1]; for n < 32 in
 * signed arithmetic, which compilers vectorize. */
static void imcd_aec_map_block(uint32_t *d, const uint32_t *x, int J,
                               uint32_t mask)
{
    int32_t m = (int32_t)mask;
    int i;
    if (mask >> 31) {
        for (i = 0; i < J; i++)
            d[i] = imcd_aec_map(x[i], x[i - 1], mask);
        return;
    }
    for (i = 0; i < J; i++) {
        int32_t p = (int32_t)x[i - 1], diff = (int32_t)x[i] - p;
        int32_t theta = p < m - p ? p : m - p, a = diff < 0 ? -diff : diff;
        d[i] = (uint32_t)(a <= theta ? 2 * a - (diff < 0) : theta + a);
    }
}

/* Inverse of imcd_aec_map; out of range residuals (corrupt data) wrap. */
static inline uint32_t imcd_aec_unmap(uint32_t d, uint32_t p, uint32_t mask)
{
    uint32_t theta = p < mask - p ? p : mask - p;
    uint32_t half = (uint32_t)(((uint64_t)d + 1) >> 1);
    uint32_t near = (d & 1) ? p - half : p + half;
    uint32_t far = theta == p ? d : mask - d;
    return (uint64_t)d <= 2 * (uint64_t)theta ? near : far & mask;
}

/* ---- bit writer: MSB first, 64-bit accumulator ---- */

typedef struct {
    uint8_t *p;   /* room for IMCD_AEC_MARGIN bytes is checked per block */
    uint64_t acc; /* pending bits, MSB aligned */
    int n;        /* number of pending bits, < 8 between calls */
} imcd_aec_writer;

/* More than the bytes of a zero block run, a block and the RSI padding,
 * plus the 8 bytes a store may write past the end. */
#define IMCD_AEC_MARGIN (64 + (5 + IMCD_AEC_MAX_BLOCKSIZE * 32) / 8)

/* Append the k low bits of v, 1 <= k and n + k <= 63. */
static inline void imcd_aec_add(imcd_aec_writer *w, uint32_t v, int k)
{
    w->acc |= (uint64_t)v << (64 - w->n - k);
    w->n += k;
}

/* Store the whole bytes of the pending bits, without branches, which would
 * be hard to predict. */
static inline void imcd_aec_store_bytes(imcd_aec_writer *w)
{
    imcd_store_u32be(w->p, (uint32_t)(w->acc >> 32));
    imcd_store_u32be(w->p + 4, (uint32_t)w->acc);
    w->p += w->n >> 3;
    w->acc <<= w->n & ~7;
    w->n &= 7;
}

/* Append the k low bits of v, 1 <= k <= 32. */
static inline void imcd_aec_put(imcd_aec_writer *w, uint32_t v, int k)
{
    imcd_aec_add(w, v, k);
    imcd_aec_store_bytes(w);
}

/* Fundamental sequence code of m: m zeros and a one. */
static inline void imcd_aec_put_fs(imcd_aec_writer *w, uint64_t m)
{
    for (; m >= 32; m -= 32)
        imcd_aec_put(w, 0, 32);
    imcd_aec_put(w, 1, (int)m + 1);
}

/* Append a group of codes of bits <= 56 bits. */
static inline void imcd_aec_add_group(imcd_aec_writer *w, uint64_t group,
                                      int bits)
{
    imcd_aec_store_bytes(w);
    w->acc |= group << (64 - w->n - bits);
    w->n += bits;
}

/* The k-bit (mask) values of v, gathered in groups: unlike a code at a
 * time, the dependency chain is short. */
static inline void imcd_aec_put_values(imcd_aec_writer *w, const uint32_t *v,
                                       int count, int k, uint32_t mask)
{
    int i = 0;
    while (i < count) {
        int end = i + 56 / k < count ? i + 56 / k : count;
        int bits = (end - i) * k, shift = bits;
        uint64_t group = 0;
        for (; i < end; i++) {
            shift -= k;
            group |= (uint64_t)(v[i] & mask) << shift;
        }
        imcd_aec_add_group(w, group, bits);
    }
    imcd_aec_store_bytes(w);
}

/* The FS codes of v >> k, gathered in groups; total is their length. */
static inline void imcd_aec_put_fs_codes(imcd_aec_writer *w,
                                         const uint32_t *v, int count, int k,
                                         uint64_t total)
{
    int i = 0;
    if (total <= 56) { /* one group, without tests */
        uint64_t group = 0;
        int shift = (int)total;
        for (; i < count; i++) {
            shift -= (int)(v[i] >> k) + 1;
            group |= (uint64_t)1 << shift;
        }
        imcd_aec_add_group(w, group, (int)total);
        imcd_aec_store_bytes(w);
        return;
    }
    while (i < count) {
        uint64_t group = 0;
        int bits = 0;
        for (; i < count; i++) {
            uint32_t m = v[i] >> k;
            if ((uint64_t)bits + m >= 56)
                break;
            group = (group << (m + 1)) | 1;
            bits += (int)m + 1;
        }
        if (bits > 0) {
            imcd_aec_add_group(w, group, bits);
        } else { /* a code longer than a group */
            imcd_aec_store_bytes(w);
            imcd_aec_put_fs(w, v[i++] >> k);
        }
    }
    imcd_aec_store_bytes(w);
}

static inline void imcd_aec_align(imcd_aec_writer *w)
{
    if (w->n > 0)
        imcd_aec_put(w, 0, 8 - w->n);
}

/* Write the pending bits, zero padded to a byte; return the end. */
static uint8_t *imcd_aec_flush(imcd_aec_writer *w)
{
    if (w->n > 0)
        *w->p++ = (uint8_t)(w->acc >> 56);
    w->n = 0;
    return w->p;
}

/* ---- encoder ---- */

ptrdiff_t imcd_aec_encode_bound(const imcd_aec_params *params,
                                ptrdiff_t srcsize)
{
    imcd_aec_geom g;
    ptrdiff_t blocks;
    if (imcd_aec_setup(params, &g) < 0 || srcsize < 0)
        return IMCD_VALUE;
    /* no option is longer than no compression; the padding of each RSI */
    blocks = (srcsize / g.width + g.J - 1) / g.J;
    return blocks * ((g.idlen + g.J * g.bits + 7) / 8 + 1) +
           (blocks / g.rsi + 1) + 8;
}

/* S(k), the sum of v >> k, and from it S(k + 1) = (S(k) - odd) / 2 and
 * S(k - 1) = 2 S(k) + low, odd and low counting the values with bit k and
 * bit k - 1 set. */
static inline uint64_t imcd_aec_fs_sums(const uint32_t *v, int count, int k,
                                        int narrow, uint64_t *up,
                                        uint64_t *down)
{
    uint64_t sum = 0;
    uint32_t sum32 = 0, odd = 0, low = 0;
    int i;
    if (narrow) { /* values < 2^25: 32-bit sums, which vectorize */
        for (i = 0; i < count; i++) {
            sum32 += v[i] >> k;
            odd += (v[i] >> k) & 1;
            low += ((v[i] << 1) >> k) & 1; /* 0 for k = 0 */
        }
        sum = sum32;
    } else {
        for (i = 0; i < count; i++) {
            sum += v[i] >> k;
            odd += (v[i] >> k) & 1;
            low += ((v[i] << 1) >> k) & 1;
        }
    }
    *up = (sum - odd) / 2;
    *down = 2 * sum + low;
    return sum;
}

/* Return the k of the shortest split-sample coding of count values and its
 * length in *len, starting the search at the previous block's k. The
 * length f(k) = S(k) + count (k + 1) is convex in k; f(k + 1) < f(k) needs
 * S(k) > count and f(k - 1) < f(k) needs S(k) < count, so the search walks
 * while the length shrinks (and, with mink, further down while it stays). */
static int imcd_aec_split(const uint32_t *v, int count, int k, int kmax,
                          int mink, int narrow, uint64_t *len)
{
    uint64_t n = (uint64_t)count, up, down;
    uint64_t s = imcd_aec_fs_sums(v, count, k, narrow, &up, &down);
    if (s > n) {
        while (k < kmax && s > n && up + n < s)
            s = imcd_aec_fs_sums(v, count, ++k, narrow, &up, &down);
    } else {
        while (k > 0 && s < n && down < s + n)
            s = imcd_aec_fs_sums(v, count, --k, narrow, &up, &down);
    }
    while (mink && k > 0 && s <= n && down <= s + n)
        s = imcd_aec_fs_sums(v, count, --k, narrow, &up, &down);
    *len = s + n * (uint64_t)(k + 1);
    return k;
}

/* Length of the second extension of J values, or limit + 1 if longer. */
static uint64_t imcd_aec_se_len(const uint32_t *d, int J, uint64_t limit)
{
    uint64_t len = 1, s;
    int i;
    for (i = 0; i < J && len <= limit; i += 2) {
        s = (uint64_t)d[i] + d[i + 1];
        if (s > 0xFFFF) /* a code longer than any block */
            return limit + 1;
        len += s * (s + 1) / 2 + d[i + 1] + 1;
    }
    return len <= limit ? len : limit + 1;
}

/* Encode one block of J values (d[0] is 0 in a reference block); kprev is
 * the k of the previous split-sample assessment. */
static void imcd_aec_encode_block(imcd_aec_writer *w, const imcd_aec_geom *g,
                                  const uint32_t *d, int ref,
                                  uint32_t refsample, int *kprev)
{
    const uint32_t *v = d + ref;
    int count = g->J - ref, i, k = 0;
    uint64_t split = UINT64_MAX, uncomp = (uint64_t)count * g->bits, limit, se;
    if (g->kmax >= 0)
        k = *kprev = imcd_aec_split(v, count, *kprev, g->kmax, g->mink,
                                    g->narrow, &split);
    /* the second extension wins ties, no compression wins over split */
    limit = split < uncomp ? split : uncomp - 1;
    if ((se = imcd_aec_se_len(d, g->J, limit)) <= limit) {
        uint32_t codes[IMCD_AEC_MAX_BLOCKSIZE / 2]; /* < limit */
        imcd_aec_put(w, 0, g->idlen);
        imcd_aec_put(w, 1, 1);
        if (ref)
            imcd_aec_put(w, refsample, g->bits);
        for (i = 0; i < g->J; i += 2) {
            uint32_t s = d[i] + d[i + 1];
            codes[i / 2] = s * (s + 1) / 2 + d[i + 1];
        }
        imcd_aec_put_fs_codes(w, codes, g->J / 2, 0, se - 1);
    } else if (split < uncomp) {
        imcd_aec_put(w, (uint32_t)k + 1, g->idlen);
        if (ref)
            imcd_aec_put(w, refsample, g->bits);
        imcd_aec_put_fs_codes(w, v, count, k, split - (uint64_t)count * k);
        if (k > 0)
            imcd_aec_put_values(w, v, count, k, (1u << k) - 1);
    } else {
        imcd_aec_put(w, (uint32_t)g->idmax, g->idlen);
        if (ref)
            imcd_aec_put(w, refsample, g->bits);
        imcd_aec_put_values(w, v, count, g->bits, g->mask);
    }
}

/* A run of `count` all-zero blocks, which reaches the end of a segment, an
 * RSI or the data if ros; ROS stands for runs longer than four blocks. */
static void imcd_aec_encode_zeros(imcd_aec_writer *w, const imcd_aec_geom *g,
                                  int count, int ros, int ref,
                                  uint32_t refsample)
{
    imcd_aec_put(w, 0, g->idlen + 1);
    if (ref)
        imcd_aec_put(w, refsample, g->bits);
    imcd_aec_put_fs(w, (ros && count >= 5) ? 4
                       : count <= 4 ? count - 1 : count);
}

ptrdiff_t imcd_aec_encode(const imcd_aec_params *params, const uint8_t *src,
                          ptrdiff_t srcsize, uint8_t *dst, ptrdiff_t dstsize)
{
    imcd_aec_geom g;
    imcd_aec_writer w;
    uint8_t stage[IMCD_AEC_MARGIN], *end = dst + dstsize, *out;
    uint32_t samples[IMCD_AEC_MAX_BLOCKSIZE + 1], d[IMCD_AEC_MAX_BLOCKSIZE];
    uint32_t *x = samples + 1, refsample = 0, zerosample = 0, prev = 0;
    ptrdiff_t nsamples, nblocks, b, status = imcd_aec_setup(params, &g);
    int kprev = 0, zeros = 0, zeroref = 0, block = 0;

    if (status < 0)
        return status;
    if (srcsize < 0 || srcsize % g.width)
        return IMCD_VALUE;
    nsamples = srcsize / g.width;
    nblocks = (nsamples + g.J - 1) / g.J;
    w.p = dst;
    w.acc = 0;
    w.n = 0;
    if (nsamples == 0) /* libaec writes one zero byte */
        w.n = 1;

    for (b = 0; b < nblocks; b++) {
        const uint8_t *s = src + b * g.J * g.width;
        ptrdiff_t avail = nsamples - b * g.J;
        int count = avail < g.J ? (int)avail : g.J, i;
        int ref = g.pre && block == 0;
        int last = block == g.rsi - 1 || b == nblocks - 1;
        uint32_t any = 0, *v = x;
        /* near the end of dst, write the block to stage and copy it */
        out = w.p;
        if (end - out < IMCD_AEC_MARGIN)
            w.p = stage;
        __builtin_prefetch(s + 1024);
        imcd_aec_load_block(x, s, count, g.J, g.width, g.msb);
        if (g.pre) {
            /* offset signed samples by 2^(n-1) to unsigned ones */
            for (i = 0; i < g.J; i++)
                x[i] = (x[i] & g.mask) ^ g.sign;
            if (ref) {
                refsample = x[0] ^ g.sign;
                prev = x[0];
            }
            x[-1] = prev;
            imcd_aec_map_block(d, x, g.J, g.mask);
            prev = x[g.J - 1];
            v = d;
        }
        /* else, like libaec, the sample words as stored */
        for (i = 0; i < g.J; i++)
            any |= v[i];
        if (any == 0) {
            if (zeros++ == 0) {
                zeroref = ref;
                zerosample = refsample;
            }
            if (last || (block + 1) % 64 == 0) {
                imcd_aec_encode_zeros(&w, &g, zeros, 1, zeroref,
                                      zerosample);
                zeros = 0;
            }
        } else {
            if (zeros > 0) {
                imcd_aec_encode_zeros(&w, &g, zeros, 0, zeroref,
                                      zerosample);
                zeros = 0;
            }
            imcd_aec_encode_block(&w, &g, v, ref, refsample, &kprev);
        }
        if (last && g.pad)
            imcd_aec_align(&w);
        if (end - out < IMCD_AEC_MARGIN) {
            if (end - out < w.p - stage)
                return IMCD_OUTPUT_TOO_SMALL;
            memcpy(out, stage, (size_t)(w.p - stage));
            w.p = out + (w.p - stage);
        }
        block = block == g.rsi - 1 ? 0 : block + 1;
    }
    if (w.n > 0 && end - w.p < 1)
        return IMCD_OUTPUT_TOO_SMALL;
    return imcd_aec_flush(&w) - dst;
}

/* ---- bit reader: MSB first, 64-bit accumulator ---- */

typedef struct {
    const uint8_t *start, *p, *end;
    uint64_t acc;  /* next bits, MSB aligned; `n` of them valid */
    int n;
    int64_t virt; /* zero bits supplied past the end */
} imcd_aec_reader;

static inline uint64_t imcd_aec_load_u64be(const uint8_t *p)
{
    return ((uint64_t)imcd_load_u32be(p) << 32) | imcd_load_u32be(p + 4);
}

/* Fill to at least 56 valid bits. The fast path may leave bits of the next
 * byte below the valid ones; a later load puts the same bits there. */
static inline void imcd_aec_fill(imcd_aec_reader *r)
{
    if (r->end - r->p >= 8) {
        r->acc |= imcd_aec_load_u64be(r->p) >> r->n;
        r->p += (63 - r->n) >> 3;
        r->n |= 56;
    } else {
        for (; r->n <= 56; r->n += 8) {
            if (r->p < r->end)
                r->acc |= (uint64_t)*r->p++ << (56 - r->n);
            else
                r->virt += 8;
        }
    }
}

static inline int64_t imcd_aec_bitpos(const imcd_aec_reader *r)
{
    return (int64_t)(r->p - r->start) * 8 + r->virt - r->n;
}

/* Read k bits, 1 <= k <= 32. */
static inline uint32_t imcd_aec_get(imcd_aec_reader *r, int k)
{
    uint32_t v;
    if (r->n < k)
        imcd_aec_fill(r);
    v = (uint32_t)(r->acc >> (64 - k));
    r->acc <<= k;
    r->n -= k;
    return v;
}

static void imcd_aec_seek(imcd_aec_reader *r, const uint8_t *src,
                          ptrdiff_t srcsize, int64_t bitpos)
{
    r->start = src;
    r->p = src + (bitpos >> 3);
    r->end = src + srcsize;
    r->acc = 0;
    r->n = 0;
    r->virt = 0;
    if (bitpos & 7)
        imcd_aec_get(r, (int)(bitpos & 7));
}

/* Read a fundamental sequence code into *value. */
static inline ptrdiff_t imcd_aec_get_fs(imcd_aec_reader *r, uint64_t *value)
{
    uint64_t count = 0;
    for (;;) {
        if (r->acc != 0) {
            int zeros = __builtin_clzll(r->acc);
            if (zeros < r->n) {
                r->acc <<= zeros + 1;
                r->n -= zeros + 1;
                *value = count + (uint64_t)zeros;
                return 0;
            }
        }
        count += (uint64_t)r->n;
        r->acc = 0;
        r->n = 0;
        if (r->p >= r->end)
            return IMCD_TRUNCATED;
        imcd_aec_fill(r);
    }
}

/* Whether only zero bits (padding) remain from bitpos on. */
static int imcd_aec_at_end(const uint8_t *src, ptrdiff_t srcsize,
                           int64_t bitpos)
{
    ptrdiff_t i = (ptrdiff_t)(bitpos >> 3);
    if (i >= srcsize)
        return 1;
    if ((uint8_t)(src[i] << (bitpos & 7)) != 0)
        return 0;
    for (i++; i < srcsize; i++)
        if (src[i] != 0)
            return 0;
    return 1;
}

/* One coded unit: a block, or a run of zero blocks. */
typedef struct {
    int blocks;
    int ref;
    uint32_t refsample;
    uint32_t d[IMCD_AEC_MAX_BLOCKSIZE]; /* values, wrapped if corrupt */
} imcd_aec_unit;

/* Split a second extension code into its pair. */
static inline void imcd_aec_unpair(uint64_t code, uint32_t *a, uint32_t *b)
{
    uint64_t s = 0;
    if (code >= 120) {
        s = (uint64_t)((sqrt(8.0 * (double)code + 1.0) - 1.0) / 2.0);
        while (s > 0 && s * (s + 1) / 2 > code)
            s--;
    }
    while ((s + 1) * (s + 2) / 2 <= code)
        s++;
    *b = (uint32_t)(code - s * (s + 1) / 2);
    *a = (uint32_t)(s - (code - s * (s + 1) / 2));
}

static ptrdiff_t imcd_aec_read_unit(imcd_aec_reader *r,
                                    const imcd_aec_geom *g, int block,
                                    imcd_aec_unit *u)
{
    int id = (int)imcd_aec_get(r, g->idlen), i;
    int ref = g->pre && block == 0, count = g->J - ref;
    uint32_t *v = u->d + ref;
    uint64_t fs;
    ptrdiff_t status;

    u->blocks = 1;
    u->ref = ref;
    if (id == 0) {
        int extension = (int)imcd_aec_get(r, 1);
        if (ref)
            u->refsample = imcd_aec_get(r, g->bits);
        if (extension) {
            for (i = 0; i < g->J; i += 2) {
                if ((status = imcd_aec_get_fs(r, &fs)) < 0)
                    return status;
                imcd_aec_unpair(fs, u->d + i, u->d + i + 1);
            }
            return 0;
        }
        if ((status = imcd_aec_get_fs(r, &fs)) < 0)
            return status;
        if (fs == 4) { /* to the end of the segment or RSI */
            int segment = 64 - block % 64;
            u->blocks = segment < g->rsi - block ? segment : g->rsi - block;
        } else if (fs < 4) {
            u->blocks = (int)fs + 1;
        } else if (fs <= 64 && (int)fs <= g->rsi - block) {
            u->blocks = (int)fs;
        } else {
            return IMCD_CORRUPT;
        }
        if (u->blocks > g->rsi - block)
            return IMCD_CORRUPT;
        memset(u->d, 0, sizeof(uint32_t) * (size_t)g->J);
        return 0;
    }
    if (ref)
        u->refsample = imcd_aec_get(r, g->bits);
    if (id == g->idmax) {
        for (i = 0; i < count; i++)
            v[i] = imcd_aec_get(r, g->bits);
        return 0;
    }
    for (i = 0; i < count; i++) {
        if ((status = imcd_aec_get_fs(r, &fs)) < 0)
            return status;
        v[i] = (uint32_t)fs;
    }
    /* k = id - 1 low bits, in groups that one fill provides */
    for (i = 0, id -= 1; id > 0 && i < count;) {
        int end = i + 56 / id < count ? i + 56 / id : count;
        imcd_aec_fill(r);
        for (; i < end; i++) {
            v[i] = (v[i] << id) | (uint32_t)(r->acc >> (64 - id));
            r->acc <<= id;
            r->n -= id;
        }
    }
    return 0;
}

/* Reconstruct and store the first `keep` samples of a unit. */
static void imcd_aec_put_unit(const imcd_aec_geom *g, const imcd_aec_unit *u,
                              uint8_t *dst, int keep, uint32_t *last)
{
    uint32_t x[IMCD_AEC_MAX_BLOCKSIZE], p = *last;
    int start, count, i;
    for (start = 0; start < keep; start += g->J) {
        count = keep - start < g->J ? keep - start : g->J;
        i = 0;
        if (!g->pre) {
            for (; i < count; i++)
                x[i] = u->d[i] & g->mask;
        } else {
            if (start == 0 && u->ref) {
                p = (u->refsample & g->mask) ^ g->sign;
                x[i++] = p ^ g->sign;
            }
            for (; i < count; i++) {
                p = imcd_aec_unmap(u->d[i], p, g->mask);
                x[i] = p ^ g->sign;
            }
        }
        if (g->sign) /* sign extend */
            for (i = 0; i < count; i++)
                x[i] |= (x[i] & g->sign) ? ~g->mask : 0;
        imcd_aec_store_block(dst + (ptrdiff_t)start * g->width, x, count,
                             g->width, g->msb);
    }
    *last = p;
}

ptrdiff_t imcd_aec_decode_init(imcd_aec_decoder *dec,
                               const imcd_aec_params *params,
                               const uint8_t *src, ptrdiff_t srcsize)
{
    imcd_aec_geom g;
    ptrdiff_t status = imcd_aec_setup(params, &g);
    if (status < 0)
        return status;
    if (srcsize < 0)
        return IMCD_VALUE;
    dec->params = *params;
    dec->src = src;
    dec->srcsize = srcsize;
    dec->bitpos = 0;
    dec->block = 0;
    dec->last = 0;
    dec->written = 0;
    return 0;
}

ptrdiff_t imcd_aec_decode(imcd_aec_decoder *dec, uint8_t *dst,
                          ptrdiff_t dstsize, int mode)
{
    imcd_aec_geom g;
    imcd_aec_reader r;
    imcd_aec_unit u;
    int64_t nbits = (int64_t)dec->srcsize * 8;
    ptrdiff_t written = dec->written, status = imcd_aec_setup(&dec->params,
                                                              &g);
    int block = dec->block, fits = 1;
    uint32_t last = dec->last;

    if (status < 0)
        return status;
    imcd_aec_seek(&r, dec->src, dec->srcsize, dec->bitpos);
    while (!imcd_aec_at_end(dec->src, dec->srcsize, imcd_aec_bitpos(&r))) {
        int64_t start = imcd_aec_bitpos(&r);
        int first = block * g.J, keep;
        ptrdiff_t need;
        if (!fits) /* EXACT: only the last unit may be cut short */
            return IMCD_OUTPUT_TOO_SMALL;
        if ((status = imcd_aec_read_unit(&r, &g, block, &u)) < 0)
            return status;
        if (imcd_aec_bitpos(&r) > nbits)
            return IMCD_TRUNCATED;
        /* samples of the unit kept of the RSI (SZIP scanline padding) */
        keep = g.line - first;
        if (keep > u.blocks * g.J)
            keep = u.blocks * g.J;
        if (keep < 0)
            keep = 0;
        need = (ptrdiff_t)keep * g.width;
        if (dst != NULL && need > dstsize - written) {
            if (mode == IMCD_AEC_GROW) {
                dec->bitpos = start;
                dec->block = block;
                dec->last = last;
                dec->written = written;
                return IMCD_OUTPUT_TOO_SMALL;
            }
            keep = (int)((dstsize - written) / g.width);
            if (mode == IMCD_AEC_EXACT && keep == 0)
                return IMCD_OUTPUT_TOO_SMALL;
            fits = 0;
        }
        if (dst != NULL)
            imcd_aec_put_unit(&g, &u, dst + written, keep, &last);
        written += (ptrdiff_t)keep * g.width;
        if (!fits && mode == IMCD_AEC_TRUNCATE)
            break;
        block += u.blocks;
        if (block == g.rsi) {
            block = 0;
            if (g.pad && (imcd_aec_bitpos(&r) & 7))
                imcd_aec_get(&r, 8 - (int)(imcd_aec_bitpos(&r) & 7));
        }
    }
    dec->bitpos = imcd_aec_bitpos(&r);
    dec->block = block;
    dec->last = last;
    dec->written = written;
    return written;
}

/* ---- SZIP: the libaec szlib compatible framing used by HDF5 ---- */

/* AEC parameters of SZIP parameters; *interleave is the bytes per pixel of
 * 32 and 64-bit pixels, which are coded as 8-bit byte planes. */
static ptrdiff_t imcd_szip_setup(const imcd_szip_params *sp,
                                 imcd_aec_params *p, int *interleave)
{
    int bpp = sp->bits_per_pixel, ppb = sp->pixels_per_block;
    int pps = sp->pixels_per_scanline, mask = sp->options_mask;
    if (ppb < 2 || ppb > IMCD_SZIP_MAX_PIXELS_PER_BLOCK || (ppb & 1) ||
        pps < 1 || pps > IMCD_SZIP_MAX_PIXELS_PER_SCANLINE ||
        bpp < 1 || (bpp > 32 && bpp != 64))
        return IMCD_VALUE;
    *interleave = (bpp == 32 || bpp == 64) ? bpp / 8 : 0;
    p->bits = *interleave ? 8 : bpp;
    p->flags = IMCD_AEC_NOT_ENFORCE;
    if (mask & IMCD_SZIP_NN)
        p->flags |= IMCD_AEC_DATA_PREPROCESS;
    if ((mask & IMCD_SZIP_MSB) && !*interleave)
        p->flags |= IMCD_AEC_DATA_MSB;
    p->blocksize = ppb;
    p->rsi = (pps + ppb - 1) / ppb;
    p->line = pps;
    return imcd_aec_sample_size(p);
}

/* Byte planes: dst[j * npixels + i] = src[i * bpp + j], or the reverse. */
static void imcd_szip_interleave(const uint8_t *src, uint8_t *dst,
                                 ptrdiff_t npixels, int bpp, int reverse)
{
    ptrdiff_t i;
    int j;
    for (i = 0; i < npixels; i++)
        for (j = 0; j < bpp; j++) {
            if (reverse)
                dst[i * bpp + j] = src[j * npixels + i];
            else
                dst[j * npixels + i] = src[i * bpp + j];
        }
}

/* Samples after padding each scanline of nsamples to whole RSI. */
static ptrdiff_t imcd_szip_padded(const imcd_aec_params *p, ptrdiff_t nsamples)
{
    return (nsamples + p->line - 1) / p->line * p->rsi * p->blocksize;
}

ptrdiff_t imcd_szip_encode_bound(const imcd_szip_params *params,
                                 ptrdiff_t srcsize)
{
    imcd_aec_params p;
    int interleave;
    ptrdiff_t width = imcd_szip_setup(params, &p, &interleave);
    if (width < 0 || srcsize < 0)
        return IMCD_VALUE;
    return imcd_aec_encode_bound(
        &p, imcd_szip_padded(&p, srcsize / width) * width);
}

ptrdiff_t imcd_szip_encode(const imcd_szip_params *params, const uint8_t *src,
                           ptrdiff_t srcsize, uint8_t *dst, ptrdiff_t dstsize)
{
    imcd_aec_params p;
    int interleave;
    ptrdiff_t width = imcd_szip_setup(params, &p, &interleave);
    ptrdiff_t nsamples, line, lines, status, size, rsisize;
    uint8_t *buffer, *planes = NULL;
    const uint8_t *data = src;

    if (width < 0)
        return width;
    if (srcsize < 0 || srcsize % (interleave ? interleave : width))
        return IMCD_VALUE;
    nsamples = srcsize / width;
    lines = (nsamples + p.line - 1) / p.line;
    rsisize = (ptrdiff_t)p.rsi * p.blocksize * width;
    buffer = (uint8_t *)malloc((size_t)(lines * rsisize) + 1);
    if (buffer == NULL)
        return IMCD_MEMORY;
    if (interleave) {
        planes = (uint8_t *)malloc((size_t)srcsize + 1);
        if (planes == NULL) {
            free(buffer);
            return IMCD_MEMORY;
        }
        imcd_szip_interleave(src, planes, srcsize / interleave, interleave,
                             0);
        data = planes;
    }
    /* pad each scanline to whole blocks with samples coding as zero:
     * the last one when preprocessing, else zero */
    for (line = 0; line < lines; line++) {
        ptrdiff_t first = line * p.line, count = nsamples - first, i;
        uint8_t *out = buffer + line * rsisize;
        if (count > p.line)
            count = p.line;
        memcpy(out, data + first * width, (size_t)(count * width));
        for (i = count * width; i < rsisize; i++)
            out[i] = (p.flags & IMCD_AEC_DATA_PREPROCESS)
                         ? out[i - width] : 0;
    }
    p.line = 0;
    size = lines * rsisize;
    status = imcd_aec_encode(&p, buffer, size, dst, dstsize);
    free(planes);
    free(buffer);
    return status;
}

ptrdiff_t imcd_szip_decode(const imcd_szip_params *params, const uint8_t *src,
                           ptrdiff_t srcsize, uint8_t *dst, ptrdiff_t dstsize)
{
    imcd_aec_params p;
    imcd_aec_decoder dec;
    int interleave;
    ptrdiff_t width = imcd_szip_setup(params, &p, &interleave);
    ptrdiff_t status, size;
    uint8_t *planes;

    if (width < 0)
        return width;
    if ((status = imcd_aec_decode_init(&dec, &p, src, srcsize)) < 0)
        return status;
    if (dst == NULL || !interleave) {
        size = imcd_aec_decode(&dec, dst, dstsize, IMCD_AEC_TRUNCATE);
        if (size < 0 || dst != NULL || !interleave)
            return size;
        return size - size % interleave;
    }
    /* the byte planes of dstsize bytes of pixels */
    dstsize -= dstsize % interleave;
    planes = (uint8_t *)malloc((size_t)dstsize + 1);
    if (planes == NULL)
        return IMCD_MEMORY;
    size = imcd_aec_decode(&dec, planes, dstsize, IMCD_AEC_TRUNCATE);
    if (size == dstsize)
        imcd_szip_interleave(planes, dst, size / interleave, interleave, 1);
    else if (size >= 0)
        size = IMCD_TRUNCATED;
    free(planes);
    return size;
}
