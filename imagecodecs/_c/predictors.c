/* SPDX-License-Identifier: BSD-3-Clause */
/* Differencing, XOR and byte shuffle filters along one array axis.
 *
 * A block is the n * inner items of one outer index; within a block the
 * filter compares items `lag` = inner * dist apart, so every filter is a
 * one-dimensional "lag coder" run over each block in turn. */
#include "predictors.h"

#include <stdlib.h>

#if defined(_MSC_VER)
#define IMCD_RESTRICT __restrict
#else
#define IMCD_RESTRICT restrict
#endif

#define IMCD_SAME(v) (v)
#define IMCD_SUB(a, b) ((a) - (b))
#define IMCD_ADD(a, b) ((a) + (b))
#define IMCD_XOR(a, b) ((a) ^ (b))

/* Running sums and XORs over lag 1, the common case, are sequential in
 * scalar code; with SSE2 a vector of items is scanned in log2(lanes)
 * shifted additions plus the broadcast last item of the previous vector.
 * NAME_prefix decodes, NAME_diff encodes (src may equal dst); both return
 * the number of items done and set *last to the last source (encode) or
 * decoded (decode) item. */
#if defined(__SSE2__) || defined(_M_X64) || \
    (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>

#define IMCD_BROADCAST8(x)                                                   \
    _mm_unpackhi_epi64(                                                      \
        _mm_shufflehi_epi16(_mm_unpackhi_epi8(x, x), 0xFF),                  \
        _mm_shufflehi_epi16(_mm_unpackhi_epi8(x, x), 0xFF))
#define IMCD_BROADCAST16(x)                                                  \
    _mm_unpackhi_epi64(_mm_shufflehi_epi16(x, 0xFF),                         \
                       _mm_shufflehi_epi16(x, 0xFF))
#define IMCD_BROADCAST32(x) _mm_shuffle_epi32(x, 0xFF)
#define IMCD_BROADCAST64(x) _mm_unpackhi_epi64(x, x)

#define IMCD_SSE2_PREFIX(NAME, T, OP, INV, BROADCAST)                        \
    static ptrdiff_t NAME##_prefix(const T *src, T *dst, ptrdiff_t len,      \
                                   T *last)                                  \
    {                                                                        \
        const ptrdiff_t lanes = 16 / sizeof(T);                              \
        __m128i carry = _mm_setzero_si128();                                 \
        T tmp[16 / sizeof(T)];                                               \
        ptrdiff_t k = 0;                                                     \
        for (; k + lanes <= len; k += lanes) {                               \
            __m128i x = _mm_loadu_si128((const __m128i *)(src + k));         \
            if (sizeof(T) == 1)                                              \
                x = OP(x, _mm_slli_si128(x, 1));                             \
            if (sizeof(T) <= 2)                                              \
                x = OP(x, _mm_slli_si128(x, 2));                             \
            if (sizeof(T) <= 4)                                              \
                x = OP(x, _mm_slli_si128(x, 4));                             \
            x = OP(OP(x, _mm_slli_si128(x, 8)), carry);                      \
            _mm_storeu_si128((__m128i *)(dst + k), x);                       \
            carry = BROADCAST(x);                                            \
        }                                                                    \
        _mm_storeu_si128((__m128i *)tmp, carry);                             \
        *last = tmp[0];                                                      \
        return k;                                                            \
    }                                                                        \
                                                                             \
    static ptrdiff_t NAME##_diff(const T *src, T *dst, ptrdiff_t len,        \
                                 T *last)                                    \
    {                                                                        \
        const ptrdiff_t lanes = 16 / sizeof(T);                              \
        __m128i prev = _mm_setzero_si128();                                  \
        T tmp[16 / sizeof(T)];                                               \
        ptrdiff_t k = 0;                                                     \
        if (src != dst && len > lanes) {                                     \
            /* out of place: the previous items are one load away */         \
            dst[0] = src[0];                                                 \
            for (k = 1; k + lanes <= len; k += lanes) {                      \
                __m128i x = _mm_loadu_si128((const __m128i *)(src + k));     \
                __m128i y = _mm_loadu_si128((const __m128i *)(src + k - 1)); \
                _mm_storeu_si128((__m128i *)(dst + k), INV(x, y));           \
            }                                                                \
            *last = src[k - 1];                                              \
            return k;                                                        \
        }                                                                    \
        for (; k + lanes <= len; k += lanes) {                               \
            __m128i x = _mm_loadu_si128((const __m128i *)(src + k));         \
            __m128i shifted = _mm_or_si128(_mm_slli_si128(x, sizeof(T)),     \
                                           prev);                            \
            prev = _mm_srli_si128(x, 16 - sizeof(T));                        \
            _mm_storeu_si128((__m128i *)(dst + k), INV(x, shifted));         \
        }                                                                    \
        _mm_storeu_si128((__m128i *)tmp, prev);                              \
        *last = tmp[0];                                                      \
        return k;                                                            \
    }

IMCD_SSE2_PREFIX(imcd_sub8, uint8_t, _mm_add_epi8, _mm_sub_epi8,
                 IMCD_BROADCAST8)
IMCD_SSE2_PREFIX(imcd_sub16, uint16_t, _mm_add_epi16, _mm_sub_epi16,
                 IMCD_BROADCAST16)
IMCD_SSE2_PREFIX(imcd_sub32, uint32_t, _mm_add_epi32, _mm_sub_epi32,
                 IMCD_BROADCAST32)
IMCD_SSE2_PREFIX(imcd_sub64, uint64_t, _mm_add_epi64, _mm_sub_epi64,
                 IMCD_BROADCAST64)
IMCD_SSE2_PREFIX(imcd_xor8, uint8_t, _mm_xor_si128, _mm_xor_si128,
                 IMCD_BROADCAST8)
IMCD_SSE2_PREFIX(imcd_xor16, uint16_t, _mm_xor_si128, _mm_xor_si128,
                 IMCD_BROADCAST16)
IMCD_SSE2_PREFIX(imcd_xor32, uint32_t, _mm_xor_si128, _mm_xor_si128,
                 IMCD_BROADCAST32)
IMCD_SSE2_PREFIX(imcd_xor64, uint64_t, _mm_xor_si128, _mm_xor_si128,
                 IMCD_BROADCAST64)
#define IMCD_SIMD 1
#define IMCD_PREFIX(NAME) NAME##_prefix
#define IMCD_DIFF(NAME) NAME##_diff
#else
#define IMCD_SIMD 0
#define IMCD_PREFIX(NAME) IMCD_NO_SIMD
#define IMCD_DIFF(NAME) IMCD_NO_SIMD
#endif
#define IMCD_NO_SIMD(src, dst, len, last) 0

/* Small lags keep the previous `LAG` items in registers; the loop reads
 * each item before it writes it, so src may equal dst. START items were
 * done already (lag 1 only) and left the last in prev[0]. */
#define IMCD_LAG_REGISTERS(T, LD, OP, LAG, DECODE, START)                    \
    do {                                                                     \
        T prev[LAG] = {0};                                                   \
        ptrdiff_t j, k = START;                                              \
        for (; k + LAG <= len; k += LAG)                                     \
            for (j = 0; j < LAG; j++) {                                      \
                T cur = LD(src[k + j]);                                      \
                T res = (T)OP(cur, prev[j]);                                 \
                dst[k + j] = LD(res);                                        \
                prev[j] = DECODE ? res : cur;                                \
            }                                                                \
        for (j = 0; k < len; k++, j++)                                       \
            dst[k] = LD((T)OP(LD(src[k]), prev[j]));                         \
    } while (0)

#define IMCD_LAG_SMALL(T, LD, OP, DECODE, START)                             \
    switch (lag) {                                                           \
    case 1: IMCD_LAG_REGISTERS(T, LD, OP, 1, DECODE, START); return;         \
    case 2: IMCD_LAG_REGISTERS(T, LD, OP, 2, DECODE, 0); return;             \
    case 3: IMCD_LAG_REGISTERS(T, LD, OP, 3, DECODE, 0); return;             \
    case 4: IMCD_LAG_REGISTERS(T, LD, OP, 4, DECODE, 0); return;             \
    }

/* Lags from here on are processed in rows of `lag` items, which do not
 * overlap the row they are compared with, so the compiler vectorizes. */
#define IMCD_LAG_ROWS 32

/* Define NAME_encode and NAME_decode over `len` items of type T, comparing
 * items `lag` apart. LD converts between memory and native order (it is
 * its own inverse), ENC and DEC are the forward and inverse operations.
 * Encoding to a distinct buffer is one vectorizable loop; in place (and
 * for lag 1, which has its own vector code) it runs backwards or keeps
 * the unmodified items it still needs in registers.
 * Decoding runs forwards, reading the decoded items before. */
#define IMCD_LAG_CODER(NAME, T, LD, ENC, DEC, SIMD, DIFF, PREFIX)             \
    static void NAME##_copy(const T *IMCD_RESTRICT src,                      \
                            T *IMCD_RESTRICT dst, ptrdiff_t len,             \
                            ptrdiff_t lag)                                   \
    {                                                                        \
        ptrdiff_t k;                                                         \
        for (k = 0; k < lag; k++)                                            \
            dst[k] = src[k];                                                 \
        for (; k < len; k++)                                                 \
            dst[k] = LD((T)ENC(LD(src[k]), LD(src[k - lag])));               \
    }                                                                        \
                                                                             \
    static void NAME##_encode(const void *vsrc, void *vdst, ptrdiff_t len,   \
                              ptrdiff_t lag)                                 \
    {                                                                        \
        const T *src = (const T *)vsrc;                                      \
        T *dst = (T *)vdst;                                                  \
        ptrdiff_t start, k;                                                  \
        if (src != dst && (lag > 1 || !SIMD)) {                              \
            NAME##_copy(src, dst, len, lag < len ? lag : len);               \
            return;                                                          \
        }                                                                    \
        IMCD_LAG_SMALL(T, LD, ENC, 0, DIFF(src, dst, len, prev))            \
        if (lag < IMCD_LAG_ROWS) {                                           \
            for (k = len - 1; k >= lag; k--)                                 \
                dst[k] = LD((T)ENC(LD(src[k]), LD(src[k - lag])));           \
            return;                                                          \
        }                                                                    \
        for (start = (len - 1) / lag * lag; start >= lag; start -= lag) {    \
            ptrdiff_t count = len - start < lag ? len - start : lag;         \
            const T *cur = src + start;                                      \
            const T *prev = cur - lag;                                       \
            T *out = dst + start;                                            \
            for (k = 0; k < count; k++)                                      \
                out[k] = LD((T)ENC(LD(cur[k]), LD(prev[k])));                \
        }                                                                    \
    }                                                                        \
                                                                             \
    static void NAME##_decode(const void *vsrc, void *vdst, ptrdiff_t len,   \
                              ptrdiff_t lag)                                 \
    {                                                                        \
        const T *src = (const T *)vsrc;                                      \
        T *dst = (T *)vdst;                                                  \
        ptrdiff_t start, k;                                                  \
        IMCD_LAG_SMALL(T, LD, DEC, 1, PREFIX(src, dst, len, prev))          \
        if (dst != src)                                                      \
            memcpy(dst, src, (size_t)(len < lag ? len : lag) * sizeof(T));   \
        if (lag < IMCD_LAG_ROWS) {                                           \
            for (k = lag; k < len; k++)                                      \
                dst[k] = LD((T)DEC(LD(src[k]), LD(dst[k - lag])));           \
            return;                                                          \
        }                                                                    \
        for (start = lag; start < len; start += lag) {                       \
            ptrdiff_t count = len - start < lag ? len - start : lag;         \
            const T *cur = src + start;                                      \
            const T *prev = dst + start - lag;                               \
            T *out = dst + start;                                            \
            for (k = 0; k < count; k++)                                      \
                out[k] = LD((T)DEC(LD(cur[k]), LD(prev[k])));                \
        }                                                                    \
    }

#define IMCD_CODER(NAME, T, LD, ENC, DEC)                                    \
    IMCD_LAG_CODER(NAME, T, LD, ENC, DEC, IMCD_SIMD, IMCD_DIFF(NAME),        \
                   IMCD_PREFIX(NAME))
#define IMCD_SWAP_CODER(NAME, T, LD, ENC, DEC)                               \
    IMCD_LAG_CODER(NAME, T, LD, ENC, DEC, 0, IMCD_NO_SIMD, IMCD_NO_SIMD)

IMCD_CODER(imcd_sub8, uint8_t, IMCD_SAME, IMCD_SUB, IMCD_ADD)
IMCD_CODER(imcd_sub16, uint16_t, IMCD_SAME, IMCD_SUB, IMCD_ADD)
IMCD_CODER(imcd_sub32, uint32_t, IMCD_SAME, IMCD_SUB, IMCD_ADD)
IMCD_CODER(imcd_sub64, uint64_t, IMCD_SAME, IMCD_SUB, IMCD_ADD)
IMCD_SWAP_CODER(imcd_subswap16, uint16_t, IMCD_BSWAP16, IMCD_SUB, IMCD_ADD)
IMCD_SWAP_CODER(imcd_subswap32, uint32_t, IMCD_BSWAP32, IMCD_SUB, IMCD_ADD)
IMCD_SWAP_CODER(imcd_subswap64, uint64_t, IMCD_BSWAP64, IMCD_SUB, IMCD_ADD)
IMCD_CODER(imcd_xor8, uint8_t, IMCD_SAME, IMCD_XOR, IMCD_XOR)
IMCD_CODER(imcd_xor16, uint16_t, IMCD_SAME, IMCD_XOR, IMCD_XOR)
IMCD_CODER(imcd_xor32, uint32_t, IMCD_SAME, IMCD_XOR, IMCD_XOR)
IMCD_CODER(imcd_xor64, uint64_t, IMCD_SAME, IMCD_XOR, IMCD_XOR)

typedef void (*imcd_lag_func)(const void *, void *, ptrdiff_t, ptrdiff_t);

/* The lag coders by kind (sub, byte-swapped sub, xor), direction and
 * log2(itemsize). Byte-swapped single bytes are plain bytes. */
enum { IMCD_KIND_SUB, IMCD_KIND_SUBSWAP, IMCD_KIND_XOR };

#define IMCD_LAG_ROW(NAME8, NAME, DIR)                                       \
    {NAME8##8_##DIR, NAME##16_##DIR, NAME##32_##DIR, NAME##64_##DIR}

static const imcd_lag_func imcd_lag_funcs[3][2][4] = {
    {IMCD_LAG_ROW(imcd_sub, imcd_sub, encode),
     IMCD_LAG_ROW(imcd_sub, imcd_sub, decode)},
    {IMCD_LAG_ROW(imcd_sub, imcd_subswap, encode),
     IMCD_LAG_ROW(imcd_sub, imcd_subswap, decode)},
    {IMCD_LAG_ROW(imcd_xor, imcd_xor, encode),
     IMCD_LAG_ROW(imcd_xor, imcd_xor, decode)},
};

/* Validate the geometry; return the number of bytes of the array and set
 * the block length and lag in items, or return a negative status. */
static ptrdiff_t imcd_geometry(ptrdiff_t srcsize, ptrdiff_t dstsize,
                               ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner,
                               ptrdiff_t dist, int itemsize, ptrdiff_t *block,
                               ptrdiff_t *lag)
{
    ptrdiff_t total;
    if (outer < 0 || n < 0 || inner < 0 || dist < 1 || itemsize < 1 ||
        itemsize > 8)
        return IMCD_VALUE;
    *block = 0;
    *lag = 1;
    if (outer == 0 || n == 0 || inner == 0)
        return 0;
    if (n > PTRDIFF_MAX / itemsize / inner ||
        outer > PTRDIFF_MAX / itemsize / (n * inner))
        return IMCD_VALUE;
    total = outer * n * inner * itemsize;
    if (total > srcsize)
        return IMCD_VALUE;
    if (total > dstsize)
        return IMCD_OUTPUT_TOO_SMALL;
    *block = n * inner;
    *lag = (dist < n ? dist : n) * inner;
    return total;
}

static int imcd_log2size(int itemsize)
{
    return itemsize == 1 ? 0 : itemsize == 2 ? 1 : itemsize == 4 ? 2 : 3;
}

/* Run a lag coder over every block. */
static ptrdiff_t imcd_lag_filter(const uint8_t *src, ptrdiff_t srcsize,
                                 uint8_t *dst, ptrdiff_t dstsize,
                                 ptrdiff_t outer, ptrdiff_t n,
                                 ptrdiff_t inner, ptrdiff_t dist,
                                 int itemsize, int kind, int decode)
{
    ptrdiff_t block, lag, i, total;
    imcd_lag_func func;
    /* items are integers of 1, 2, 4 or 8 bytes */
    if (itemsize != 1 && itemsize != 2 && itemsize != 4 && itemsize != 8)
        return IMCD_VALUE;
    total = imcd_geometry(srcsize, dstsize, outer, n, inner, dist, itemsize,
                          &block, &lag);
    if (total <= 0)
        return total;
    func = imcd_lag_funcs[kind][decode][imcd_log2size(itemsize)];
    for (i = 0; i < outer; i++) {
        ptrdiff_t offset = i * block * itemsize;
        func(src + offset, dst + offset, block, lag);
    }
    return total;
}

ptrdiff_t imcd_delta_encode(const uint8_t *src, ptrdiff_t srcsize,
                            uint8_t *dst, ptrdiff_t dstsize, ptrdiff_t outer,
                            ptrdiff_t n, ptrdiff_t inner, ptrdiff_t dist,
                            int itemsize, int byteswap)
{
    return imcd_lag_filter(src, srcsize, dst, dstsize, outer, n, inner, dist,
                           itemsize,
                           byteswap ? IMCD_KIND_SUBSWAP : IMCD_KIND_SUB, 0);
}

ptrdiff_t imcd_delta_decode(const uint8_t *src, ptrdiff_t srcsize,
                            uint8_t *dst, ptrdiff_t dstsize, ptrdiff_t outer,
                            ptrdiff_t n, ptrdiff_t inner, ptrdiff_t dist,
                            int itemsize, int byteswap)
{
    return imcd_lag_filter(src, srcsize, dst, dstsize, outer, n, inner, dist,
                           itemsize,
                           byteswap ? IMCD_KIND_SUBSWAP : IMCD_KIND_SUB, 1);
}

ptrdiff_t imcd_xor_encode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, ptrdiff_t outer, ptrdiff_t n,
                          ptrdiff_t inner, ptrdiff_t dist, int itemsize)
{
    return imcd_lag_filter(src, srcsize, dst, dstsize, outer, n, inner, dist,
                           itemsize, IMCD_KIND_XOR, 0);
}

ptrdiff_t imcd_xor_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize, ptrdiff_t outer, ptrdiff_t n,
                          ptrdiff_t inner, ptrdiff_t dist, int itemsize)
{
    return imcd_lag_filter(src, srcsize, dst, dstsize, outer, n, inner, dist,
                           itemsize, IMCD_KIND_XOR, 1);
}

/* Move byte k of each of `count` items to or from plane order[k]. A
 * constant itemsize lets the compiler unroll the inner loop and vectorize
 * the (de)interleaving. */
#define IMCD_PLANE_LOOP(SIZE, PLANE, TARGET, SOURCE)                         \
    case SIZE: {                                                             \
        PLANE *plane[SIZE];                                                  \
        for (k = 0; k < SIZE; k++)                                           \
            plane[k] = planes + order[k] * count;                            \
        for (i = 0; i < count; i++)                                          \
            for (k = 0; k < SIZE; k++)                                       \
                TARGET = SOURCE;                                             \
        break;                                                               \
    }

static void imcd_gather(const uint8_t *IMCD_RESTRICT items,
                        uint8_t *IMCD_RESTRICT planes, ptrdiff_t count,
                        int itemsize, const int *order)
{
    ptrdiff_t i;
    int k;
    switch (itemsize) {
    case 1:
        memcpy(planes, items, (size_t)count);
        break;
        IMCD_PLANE_LOOP(2, uint8_t, plane[k][i], items[i * 2 + k])
        IMCD_PLANE_LOOP(3, uint8_t, plane[k][i], items[i * 3 + k])
        IMCD_PLANE_LOOP(4, uint8_t, plane[k][i], items[i * 4 + k])
        IMCD_PLANE_LOOP(8, uint8_t, plane[k][i], items[i * 8 + k])
    default: /* records of 5 to 7 bytes */
        for (i = 0; i < count; i++)
            for (k = 0; k < itemsize; k++)
                planes[order[k] * count + i] = items[i * itemsize + k];
    }
}

static void imcd_scatter(const uint8_t *IMCD_RESTRICT planes,
                         uint8_t *IMCD_RESTRICT items,
                         ptrdiff_t count, int itemsize, const int *order)
{
    ptrdiff_t i;
    int k;
    switch (itemsize) {
    case 1:
        memcpy(items, planes, (size_t)count);
        break;
        IMCD_PLANE_LOOP(2, const uint8_t, items[i * 2 + k],
                        plane[k][i])
        IMCD_PLANE_LOOP(3, const uint8_t, items[i * 3 + k],
                        plane[k][i])
        IMCD_PLANE_LOOP(4, const uint8_t, items[i * 4 + k],
                        plane[k][i])
        IMCD_PLANE_LOOP(8, const uint8_t, items[i * 8 + k],
                        plane[k][i])
    default: /* records of 5 to 7 bytes */
        for (i = 0; i < count; i++)
            for (k = 0; k < itemsize; k++)
                items[i * itemsize + k] = planes[order[k] * count + i];
    }
}

/* With delta, blocks are (un)shuffled through a scratch block, which the
 * differences are computed from or into; without, the scratch holds a
 * copy of the source block only for in-place operation. */
static ptrdiff_t imcd_shuffle_filter(const uint8_t *src, ptrdiff_t srcsize,
                                     uint8_t *dst, ptrdiff_t dstsize,
                                     ptrdiff_t outer, ptrdiff_t n,
                                     ptrdiff_t inner, ptrdiff_t dist,
                                     int itemsize, int reverse, int delta,
                                     int decode)
{
    ptrdiff_t block, lag, i;
    ptrdiff_t total = imcd_geometry(srcsize, dstsize, outer, n, inner, dist,
                                    itemsize, &block, &lag);
    ptrdiff_t blocksize = block * itemsize;
    uint8_t *scratch = NULL;
    int k, order[8];
    if (total <= 0)
        return total;
    for (k = 0; k < itemsize; k++)
        order[k] = reverse ? itemsize - 1 - k : k;
    if (delta || src == dst) {
        scratch = (uint8_t *)malloc((size_t)blocksize);
        if (scratch == NULL)
            return IMCD_MEMORY;
    }
    for (i = 0; i < outer; i++) {
        const uint8_t *in = src + i * blocksize;
        uint8_t *out = dst + i * blocksize;
        if (delta && decode) {
            imcd_sub8_decode(in, scratch, blocksize, lag);
            imcd_scatter(scratch, out, block, itemsize, order);
        } else if (delta) {
            imcd_gather(in, scratch, block, itemsize, order);
            imcd_sub8_encode(scratch, out, blocksize, lag);
        } else {
            if (in == out) {
                memcpy(scratch, in, (size_t)blocksize);
                in = scratch;
            }
            if (decode)
                imcd_scatter(in, out, block, itemsize, order);
            else
                imcd_gather(in, out, block, itemsize, order);
        }
    }
    free(scratch);
    return total;
}

ptrdiff_t imcd_byteshuffle_encode(const uint8_t *src, ptrdiff_t srcsize,
                                  uint8_t *dst, ptrdiff_t dstsize,
                                  ptrdiff_t outer, ptrdiff_t n,
                                  ptrdiff_t inner, ptrdiff_t dist,
                                  int itemsize, int reverse, int delta)
{
    return imcd_shuffle_filter(src, srcsize, dst, dstsize, outer, n, inner,
                               dist, itemsize, reverse, delta, 0);
}

ptrdiff_t imcd_byteshuffle_decode(const uint8_t *src, ptrdiff_t srcsize,
                                  uint8_t *dst, ptrdiff_t dstsize,
                                  ptrdiff_t outer, ptrdiff_t n,
                                  ptrdiff_t inner, ptrdiff_t dist,
                                  int itemsize, int reverse, int delta)
{
    return imcd_shuffle_filter(src, srcsize, dst, dstsize, outer, n, inner,
                               dist, itemsize, reverse, delta, 1);
}

ptrdiff_t imcd_floatpred_encode(const uint8_t *src, ptrdiff_t srcsize,
                                uint8_t *dst, ptrdiff_t dstsize,
                                ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner,
                                ptrdiff_t dist, int itemsize, int bigendian)
{
    return imcd_shuffle_filter(src, srcsize, dst, dstsize, outer, n, inner,
                               dist, itemsize, !bigendian, 1, 0);
}

ptrdiff_t imcd_floatpred_decode(const uint8_t *src, ptrdiff_t srcsize,
                                uint8_t *dst, ptrdiff_t dstsize,
                                ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner,
                                ptrdiff_t dist, int itemsize, int bigendian)
{
    return imcd_shuffle_filter(src, srcsize, dst, dstsize, outer, n, inner,
                               dist, itemsize, !bigendian, 1, 1);
}
