/* SPDX-License-Identifier: BSD-3-Clause */
/* Quantization of floats, bit for bit as netCDF-C 4.9.2 (nc4var.c) does it
 * and so as imagecodecs 2024 does; the methods are BitGroom (Zender 2016),
 * Granular BitRound (Delaunay et al. 2019, as refined in netCDF) and
 * BitRound (Kloewer et al. 2021).
 *
 * Each keeps the sign, the exponent and the leading `keep` explicit
 * mantissa bits of a value and changes the `zero` = mantissa - keep bits
 * below them:
 *   BitGroom  keep = ceil(nsd log2(10)) + 1. Values at even indices lose
 *             the low bits (shave), values at odd indices other than +0
 *             get them set (so errors cancel on average).
 *   BitRound  keep = nsd. Add half of the dropped unit, then shave: round
 *             to nearest, halfway cases away from zero.
 *   GBR       BitRound with keep chosen per value so that nsd decimal
 *             digits survive.
 * Values equal to netCDF's default fill value are left alone, and +0 by
 * GBR. netCDF guards neither NaN and infinities nor a `zero` outside the
 * word: a shift then counts modulo the width, as on x86, and GBR turns NaN
 * and infinities into signed zeros. We compute those cases the same way,
 * without undefined behaviour, so that every input gives the same bits.
 *
 * Scale: round(x * 2^b) / 2^b in double precision, halfway cases away from
 * zero, with the least b such that 2^b >= 10^nsd.
 */
#include <math.h>

#include "quantize.h"

/* loge(10) and loge(2) with netCDF's digits */
#define IMCD_LN10 2.30258509299404568402
#define IMCD_LN2 0.69314718055994530942

static const double imcd_bits_per_digit = IMCD_LN10 / IMCD_LN2;
static const double imcd_digits_per_bit = IMCD_LN2 / IMCD_LN10;

/* netCDF's default fill values, 9.9692099683868690e+36 = 15 * 2^119 */
#define IMCD_FILL32 0x7CF00000u
#define IMCD_FILL64 0x479E000000000000ull

#define IMCD_TWO52 4503599627370496.0

/* The two's complement value of u (avoids implementation-defined casts). */
static inline int32_t imcd_s32(uint32_t u)
{
    return u < 0x80000000u ? (int32_t)u : -(int32_t)~u - 1;
}

/* (int)floor(x) as netCDF's compiled code computes it: NaN and values out
 * of range give INT32_MIN, as the x86 conversion instruction does. */
static inline int32_t imcd_floor32(double x)
{
    if (x >= -2147483648.0 && x < 2147483648.0) {
        int32_t i = (int32_t)x;
        return (double)i > x ? i - 1 : i;
    }
    return INT32_MIN;
}

/* x rounded to double before it is added: a fused multiply-add would
 * change the results of the reference computation. */
static inline double imcd_rounded(double x)
{
    volatile double r = x;
    return r;
}

/* round(y), halfway cases away from zero, exactly for every double, NaN
 * and infinities unchanged, without a library call. Adding and subtracting
 * 2^52 rounds to an integer with ties to even (IEEE double arithmetic in
 * the default rounding mode, no -ffast-math); ties that went down are then
 * moved up. */
static inline double imcd_round(double y)
{
    const double a = fabs(y);
    double r = (a + IMCD_TWO52) - IMCD_TWO52;
    r = r - a == -0.5 ? r + 1.0 : r;
    return a < IMCD_TWO52 ? copysign(r, y) : y;
}

/* GBR's `zero` for the value v, step by step as netCDF computes it with
 * frexp and log10 of the C library. netCDF keeps one bit less than its
 * formula gives, in a 16-bit unsigned. */
static int32_t imcd_gbr_zero_exact(double v, int32_t nsd, int32_t mantbits)
{
    int e = 0;
    const double m = fabs(frexp(v, &e));
    const double lg = log10(m);
    /* digits before the decimal point */
    const uint32_t digits =
        (uint32_t)imcd_floor32(imcd_rounded(e * imcd_digits_per_bit) + lg) +
        1u;
    /* power of two of the quantum that keeps nsd digits */
    const int32_t power = imcd_floor32(
        imcd_bits_per_digit * (double)imcd_s32(digits - (uint32_t)nsd));
    uint32_t keep = 0;
    if (m != 0.0) {
        uint32_t d = (uint32_t)imcd_floor32(
                         (double)e - imcd_rounded(imcd_bits_per_digit * lg)) -
                     (uint32_t)power;
        keep = imcd_s32(d) < 0 ? 0u - d : d;
    }
    return mantbits - (int32_t)((keep - 1u) & 0xFFFFu);
}

/* The fast path of GBR avoids log10: netCDF's floor(e log10(2) + log10(m))
 * is the decimal exponent of |v| unless |v| lies within ~1e-13 of a power
 * of ten, and its floor(e - log2(m)) is e unless m is within ~1e-13 of 0.5.
 * Values within a margin of 1e-9 of either take the exact path. */
#define IMCD_GBR_KMIN (-308) /* decimal exponents of normal doubles */
#define IMCD_GBR_KMAX 308
#define IMCD_GBR_SIZE (IMCD_GBR_KMAX - IMCD_GBR_KMIN + 2)

typedef struct {
    int32_t kmin, kmax; /* entry j is for decimal exponent kmin - 1 + j */
    double below[IMCD_GBR_SIZE]; /* 10^k (1 - 1e-9) */
    double above[IMCD_GBR_SIZE]; /* 10^k (1 + 1e-9) */
    int32_t power[IMCD_GBR_SIZE]; /* netCDF's power for k + 1 digits */
} imcd_gbr_table;

/* Fill the table for binary exponents emin to emax (frexp convention). */
static void imcd_gbr_init(imcd_gbr_table *t, int32_t nsd, int32_t emin,
                          int32_t emax)
{
    double p;
    int32_t k;
    t->kmin = imcd_floor32(emin * imcd_digits_per_bit);
    t->kmax = imcd_floor32(emax * imcd_digits_per_bit);
    for (k = t->kmin - 1; k <= t->kmax; k++)
        t->power[k - t->kmin + 1] =
            imcd_floor32(imcd_bits_per_digit * (double)(k + 1 - nsd));
    /* 10^k by repeated multiplication is good to 1e-13, far within the
     * margin */
    for (k = 0, p = 1.0; k <= t->kmax; k++, p *= 10.0) {
        t->below[k - t->kmin + 1] = p * (1.0 - 1e-9);
        t->above[k - t->kmin + 1] = p * (1.0 + 1e-9);
    }
    for (k = -1, p = 0.1; k >= t->kmin; k--, p /= 10.0) {
        t->below[k - t->kmin + 1] = p * (1.0 - 1e-9);
        t->above[k - t->kmin + 1] = p * (1.0 + 1e-9);
    }
}

static inline int32_t imcd_gbr_zero(double v, int32_t nsd, int32_t mantbits,
                                    const imcd_gbr_table *t)
{
    uint64_t bits;
    uint32_t biased;
    memcpy(&bits, &v, sizeof(bits));
    biased = (uint32_t)(bits >> 52 & 0x7FF);
    /* normal, and m = (1 + mantissa / 2^52) / 2 >= 0.5 + 1e-9 */
    if (biased - 1u < 0x7FEu && (bits & 0xFFFFFFFFFFFFFull) >= (1ull << 23)) {
        const int32_t e = (int32_t)biased - 1022;
        /* |v| < 2^e: its decimal exponent is k = floor(e log10(2)), which
         * this integer formula gives for |e| <= 1100, or k - 1 */
        const int32_t k =
            (int32_t)((uint32_t)(e * 78913 + (400 << 18)) >> 18) - 400;
        const int32_t j = k - t->kmin + 1;
        if (j >= 1 && j <= t->kmax - t->kmin + 1) {
            const double a = fabs(v);
            /* bitwise: a branch on `fewer` would be unpredictable */
            const int32_t fewer = a < t->above[j];
            if ((!fewer | (a < t->below[j])) != 0) {
                int32_t keep = e - t->power[j - fewer];
                keep = keep < 0 ? -keep : keep;
                return mantbits - (int32_t)(((uint32_t)keep - 1u) & 0xFFFFu);
            }
        }
    }
    return imcd_gbr_zero_exact(v, nsd, mantbits);
}

/* The loops for one float type: N bits, unsigned UINT of the same size,
 * MANT explicit mantissa bits, binary exponents EMIN to EMAX of values
 * that take GBR's fast path. Loads and stores go through memcpy because
 * buffers need not be aligned. */
#define IMCD_QUANTIZE_LOOPS(N, UINT, FLOAT, MANT, FILL, EMIN, EMAX)          \
    static inline UINT imcd_load##N(const uint8_t *p, ptrdiff_t i)           \
    {                                                                        \
        UINT x;                                                              \
        memcpy(&x, p + i * (N / 8), N / 8);                                  \
        return x;                                                            \
    }                                                                        \
                                                                             \
    static inline void imcd_store##N(uint8_t *p, ptrdiff_t i, UINT x)        \
    {                                                                        \
        memcpy(p + i * (N / 8), &x, N / 8);                                  \
    }                                                                        \
                                                                             \
    static inline UINT imcd_shave##N(UINT x, UINT shave)                     \
    {                                                                        \
        return x == FILL ? x : x & shave;                                    \
    }                                                                        \
                                                                             \
    static void imcd_bitgroom##N(const uint8_t *src, uint8_t *dst,           \
                                 ptrdiff_t count, int32_t zero)              \
    {                                                                        \
        const UINT shave = (UINT)(~(UINT)0 << (zero & (N - 1)));             \
        ptrdiff_t i;                                                         \
        for (i = 0; i + 1 < count; i += 2) {                                 \
            const UINT even = imcd_load##N(src, i);                          \
            const UINT odd = imcd_load##N(src, i + 1);                       \
            imcd_store##N(dst, i, imcd_shave##N(even, shave));               \
            imcd_store##N(dst, i + 1, odd == FILL || odd == 0                \
                                          ? odd                              \
                                          : odd | (UINT)~shave);             \
        }                                                                    \
        if (i < count) /* an even index */                                   \
            imcd_store##N(dst, i,                                            \
                          imcd_shave##N(imcd_load##N(src, i), shave));       \
    }                                                                        \
                                                                             \
    static void imcd_bitround##N(const uint8_t *src, uint8_t *dst,           \
                                 ptrdiff_t count, int32_t zero)              \
    {                                                                        \
        const UINT shave = (UINT)(~(UINT)0 << (zero & (N - 1)));             \
        const UINT half = (UINT)~shave & (shave >> 1);                       \
        ptrdiff_t i;                                                         \
        for (i = 0; i < count; i++) {                                        \
            const UINT x = imcd_load##N(src, i);                             \
            imcd_store##N(dst, i, x == FILL ? x : (UINT)(x + half) & shave); \
        }                                                                    \
    }                                                                        \
                                                                             \
    static void imcd_gbr##N(const uint8_t *src, uint8_t *dst,                \
                            ptrdiff_t count, int32_t nsd)                    \
    {                                                                        \
        imcd_gbr_table table;                                                \
        ptrdiff_t i;                                                         \
        imcd_gbr_init(&table, nsd, EMIN, EMAX);                              \
        for (i = 0; i < count; i++) {                                        \
            UINT x = imcd_load##N(src, i);                                   \
            if (x != FILL && x != 0) {                                       \
                FLOAT f;                                                     \
                UINT shave;                                                  \
                memcpy(&f, &x, N / 8);                                       \
                shave = (UINT)(~(UINT)0                                      \
                               << (imcd_gbr_zero(f, nsd, MANT, &table) &     \
                                   (N - 1)));                                \
                x = (UINT)(x + ((UINT)~shave & (shave >> 1))) & shave;       \
            }                                                                \
            imcd_store##N(dst, i, x);                                        \
        }                                                                    \
    }                                                                        \
                                                                             \
    static void imcd_scale##N(const uint8_t *src, uint8_t *dst,              \
                              ptrdiff_t count, int32_t nsd)                  \
    {                                                                        \
        /* 2^b with b = ceil(nsd log2(10)), exact for nsd < 64 */            \
        const double scale =                                                 \
            ldexp(1.0, (int)ceil(nsd * imcd_bits_per_digit));                \
        const double inverse = 1.0 / scale; /* exact: a power of two */      \
        ptrdiff_t i;                                                         \
        for (i = 0; i < count; i++) {                                        \
            FLOAT f;                                                         \
            memcpy(&f, src + i * (N / 8), N / 8);                            \
            f = (FLOAT)(imcd_round((double)f * scale) * inverse);            \
            memcpy(dst + i * (N / 8), &f, N / 8);                            \
        }                                                                    \
    }

/* float32 values are normal doubles: 2^-149 = 0.5 * 2^-148 ... 2^128 */
IMCD_QUANTIZE_LOOPS(32, uint32_t, float, 23, IMCD_FILL32, -148, 128)
/* subnormal doubles take GBR's exact path */
IMCD_QUANTIZE_LOOPS(64, uint64_t, double, 52, IMCD_FILL64, -1021, 1024)

typedef void (*imcd_quantize_loop)(const uint8_t *, uint8_t *, ptrdiff_t,
                                   int32_t);

ptrdiff_t imcd_quantize(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                        ptrdiff_t dstsize, int itemsize, int mode, int nsd)
{
    const int wide = itemsize == 8;
    const int32_t mant = wide ? 52 : 23;
    imcd_quantize_loop loop;
    int32_t arg = nsd; /* of the loop: `zero` or nsd */
    if ((itemsize != 4 && itemsize != 8) || srcsize < 0 ||
        srcsize % itemsize != 0 || nsd < 0 || nsd >= 8 * itemsize)
        return IMCD_VALUE;
    if (dstsize < srcsize)
        return IMCD_OUTPUT_TOO_SMALL;
    switch (mode) {
    case IMCD_QUANTIZE_NONE:
        if (dst != src && srcsize > 0)
            memmove(dst, src, (size_t)srcsize);
        return srcsize;
    case IMCD_QUANTIZE_BITGROOM:
        loop = wide ? imcd_bitgroom64 : imcd_bitgroom32;
        arg = mant - ((int32_t)ceil(nsd * imcd_bits_per_digit) + 1);
        break;
    case IMCD_QUANTIZE_BITROUND:
        loop = wide ? imcd_bitround64 : imcd_bitround32;
        arg = mant - nsd;
        break;
    case IMCD_QUANTIZE_GRANULARBR:
        loop = wide ? imcd_gbr64 : imcd_gbr32;
        break;
    case IMCD_QUANTIZE_SCALE:
        loop = wide ? imcd_scale64 : imcd_scale32;
        break;
    default:
        return IMCD_VALUE;
    }
    loop(src, dst, srcsize / itemsize, arg);
    return srcsize;
}
