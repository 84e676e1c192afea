/* SPDX-License-Identifier: BSD-3-Clause */
/* Quantization of floats. Two families with different masters:
 *
 * BitGroom (Zender 2016) and Granular BitRound (Delaunay et al. 2019, as
 * refined in netCDF) as netCDF-C 4.9 writes quantized variables, and so
 * as imagecodecs 2024 does. Each keeps the sign, the exponent and the
 * leading `keep` explicit mantissa bits of a value and changes the
 * `zero` = mantissa - keep bits below them:
 *   BitGroom  keep = ceil(nsd log2(10)) + 1. Values at even indices lose
 *             the low bits (shave), values at odd indices get them set (so
 *             errors cancel on average).
 *   GBR       keep chosen per value so that nsd decimal digits survive;
 *             add half of the dropped unit, then shave: round to nearest,
 *             halfway cases away from zero.
 * Values equal to netCDF's default fill value, zeros of either sign, NaN
 * and infinities are left alone, as later netCDF versions do for all but
 * infinities; netCDF 4.9.2 grooms NaN and infinities into other NaN or
 * infinities and GBR turns them into zeros through undefined conversions.
 * A value that would keep all its bits or more is left alone too, as NCO
 * does, where netCDF 4.9.2 shifts by a negative count. Subnormals are
 * masked like normal values, as netCDF does: they keep fewer significant
 * bits than nsd asks for.
 *
 * BitRound and Scale bit for bit as numcodecs' BitRound and Quantize
 * filters compute them:
 *   BitRound  keep = nsd bits: round the bit pattern to nearest, halfway
 *             cases to an even kept bit (Kloewer et al. 2021), carries
 *             into the exponent included. Every pattern takes part: NaN
 *             payloads may round into infinities or wrap to zeros.
 *   Scale     round(x 2^b) / 2^b in the precision of x, halfway cases to
 *             even, with the least b such that 2^b >= 10^nsd; x 2^b may
 *             overflow to an infinity, as it does in numcodecs.
 */
#include <float.h>
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

/* (int)floor(x) for the finite, bounded arguments of GBR; anything else
 * gives INT32_MIN, as the x86 conversion instruction does. */
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

/* GBR's `keep` for the finite nonzero value v, step by step as netCDF
 * computes it with frexp and log10 of the C library, one bit less than its
 * formula gives, as netCDF keeps. */
static int32_t imcd_gbr_keep_exact(double v, int32_t nsd)
{
    int e = 0;
    const double m = fabs(frexp(v, &e));
    const double lg = log10(m);
    /* digits before the decimal point */
    const int32_t digits =
        imcd_floor32(imcd_rounded(e * imcd_digits_per_bit) + lg) + 1;
    /* power of two of the quantum that keeps nsd digits */
    const int32_t power =
        imcd_floor32(imcd_bits_per_digit * (double)(digits - nsd));
    const int32_t d =
        imcd_floor32((double)e - imcd_rounded(imcd_bits_per_digit * lg)) -
        power;
    return (d < 0 ? -d : d) - 1;
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

static inline int32_t imcd_gbr_keep(double v, int32_t nsd,
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
                const int32_t d = e - t->power[j - fewer];
                return (d < 0 ? -d : d) - 1;
            }
        }
    }
    return imcd_gbr_keep_exact(v, nsd);
}

/* rintf(y) in the default rounding mode. Adding and subtracting 2^23
 * rounds 0 <= a < 2^23 to an integer, halfway cases to even, when float
 * arithmetic has float precision (not x87's); selecting on the bits rather
 * than branching lets the Scale loop vectorize: 3 times as fast as calls
 * of rintf. For doubles, without 64-bit vector compares in SSE2, the call
 * of rint is as fast. */
static inline float imcd_rintf(float y)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    const float big = 8388608.0f;
    uint32_t uy, ua, ur, keep;
    float a, r;
    memcpy(&uy, &y, 4);
    ua = uy & 0x7FFFFFFFu;
    memcpy(&a, &ua, 4);
    r = (a + big) - big;
    memcpy(&ur, &r, 4);
    keep = 0u - (uint32_t)!(a < big); /* integers, infinities and NaN */
    ur = ((ur | (uy & 0x80000000u)) & ~keep) | (uy & keep);
    memcpy(&r, &ur, 4);
    return r;
#else
    return rintf(y);
#endif
}

/* The loops for one float type: N bits, unsigned UINT of the same size,
 * MANT explicit mantissa bits, binary exponents EMIN to EMAX of values
 * that take GBR's fast path, and ROUND, rint for FLOAT. Loads and stores
 * go through memcpy because buffers need not be aligned. */
#define IMCD_QUANTIZE_LOOPS(N, UINT, FLOAT, MANT, FILL, EMIN, EMAX, ROUND)   \
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
    /* all ones for the values BitGroom and GBR change: not the fill value,  \
     * not +-0, finite; else 0 (a mask, so that loops need no branch) */     \
    static inline UINT imcd_changes##N(UINT x)                               \
    {                                                                        \
        /* without the sign, finite nonzero values lie between 0 and the     \
         * infinity: one unsigned comparison */                              \
        const UINT infinity = (UINT)(~(UINT)0 << (MANT + 1));                \
        return (UINT)0 - (UINT)(x != FILL && (UINT)((UINT)(x << 1) - 1) <    \
                                                 (UINT)(infinity - 1));      \
    }                                                                        \
                                                                             \
    /* 0 < zero <= MANT */                                                   \
    static void imcd_bitgroom##N(const uint8_t *src, uint8_t *dst,           \
                                 ptrdiff_t count, int32_t zero)              \
    {                                                                        \
        const UINT shave = (UINT)(~(UINT)0 << zero);                         \
        ptrdiff_t i;                                                         \
        for (i = 0; i + 1 < count; i += 2) {                                 \
            const UINT even = imcd_load##N(src, i);                          \
            const UINT odd = imcd_load##N(src, i + 1);                       \
            imcd_store##N(dst, i,                                            \
                          even & (UINT)(shave | ~imcd_changes##N(even)));    \
            imcd_store##N(dst, i + 1,                                        \
                          odd | (UINT)(~shave & imcd_changes##N(odd)));      \
        }                                                                    \
        if (i < count) { /* an even index */                                 \
            const UINT even = imcd_load##N(src, i);                          \
            imcd_store##N(dst, i,                                            \
                          even & (UINT)(shave | ~imcd_changes##N(even)));    \
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
            if (imcd_changes##N(x) != 0) {                                   \
                FLOAT f;                                                     \
                int32_t zero;                                                \
                memcpy(&f, &x, N / 8);                                       \
                zero = MANT - imcd_gbr_keep((double)f, nsd, &table);         \
                /* nsd >= 1 keeps at least the implicit bit; bound anyway */ \
                zero = zero < MANT ? zero : MANT;                            \
                if (zero > 0) {                                              \
                    const UINT shave = (UINT)(~(UINT)0 << zero);             \
                    x = (UINT)(x + ((UINT)~shave & (shave >> 1))) & shave;   \
                }                                                            \
            }                                                                \
            imcd_store##N(dst, i, x);                                        \
        }                                                                    \
    }                                                                        \
                                                                             \
    /* 0 < zero <= MANT */                                                   \
    static void imcd_bitround##N(const uint8_t *src, uint8_t *dst,           \
                                 ptrdiff_t count, int32_t zero)              \
    {                                                                        \
        const UINT shave = (UINT)(~(UINT)0 << zero);                         \
        /* half the dropped unit less one, plus the lowest kept bit: ties    \
         * carry only into an odd kept bit */                                \
        const UINT below = (UINT)(((UINT)1 << (zero - 1)) - 1);              \
        ptrdiff_t i;                                                         \
        for (i = 0; i < count; i++) {                                        \
            const UINT x = imcd_load##N(src, i);                             \
            imcd_store##N(dst, i,                                            \
                          (UINT)(x + below + ((x >> zero) & 1)) & shave);    \
        }                                                                    \
    }                                                                        \
                                                                             \
    /* 2^bits and 2^-bits are normal FLOATs for nsd < N */                   \
    static void imcd_scale##N(const uint8_t *src, uint8_t *dst,              \
                              ptrdiff_t count, int32_t bits)                 \
    {                                                                        \
        const FLOAT scale = (FLOAT)ldexp(1.0, bits);                         \
        /* exact, so that multiplying by it is dividing by scale */          \
        const FLOAT inverse = (FLOAT)ldexp(1.0, -bits);                      \
        ptrdiff_t i;                                                         \
        for (i = 0; i < count; i++) {                                        \
            FLOAT f;                                                         \
            memcpy(&f, src + i * (N / 8), N / 8);                            \
            f = ROUND(f * scale) * inverse;                                  \
            memcpy(dst + i * (N / 8), &f, N / 8);                            \
        }                                                                    \
    }

/* float32 values are normal doubles: 2^-149 = 0.5 * 2^-148 ... 2^128 */
IMCD_QUANTIZE_LOOPS(32, uint32_t, float, 23, IMCD_FILL32, -148, 128,
                    imcd_rintf)
/* subnormal doubles take GBR's exact path */
IMCD_QUANTIZE_LOOPS(64, uint64_t, double, 52, IMCD_FILL64, -1021, 1024, rint)

typedef void (*imcd_quantize_loop)(const uint8_t *, uint8_t *, ptrdiff_t,
                                   int32_t);

ptrdiff_t imcd_quantize(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                        ptrdiff_t dstsize, int itemsize, int mode, int nsd)
{
    const int wide = itemsize == 8;
    const int32_t mant = wide ? 52 : 23;
    imcd_quantize_loop loop;
    int32_t arg = nsd; /* of the loop: `zero`, nsd or the bits of 2^b */
    if ((itemsize != 4 && itemsize != 8) || srcsize < 0 ||
        srcsize % itemsize != 0 || nsd < 0 || nsd >= 8 * itemsize)
        return IMCD_VALUE;
    if (dstsize < srcsize)
        return IMCD_OUTPUT_TOO_SMALL;
    switch (mode) {
    case IMCD_QUANTIZE_NONE:
        loop = NULL;
        break;
    case IMCD_QUANTIZE_BITGROOM:
        arg = mant - ((int32_t)ceil(nsd * imcd_bits_per_digit) + 1);
        /* keeping every bit or more changes nothing */
        loop = arg <= 0 ? NULL : wide ? imcd_bitgroom64 : imcd_bitgroom32;
        break;
    case IMCD_QUANTIZE_GRANULARBR:
        if (nsd < 1)
            return IMCD_VALUE; /* zero digits: the formula keeps -1 bits */
        loop = wide ? imcd_gbr64 : imcd_gbr32;
        break;
    case IMCD_QUANTIZE_BITROUND:
        if (nsd > mant)
            return IMCD_VALUE;
        arg = mant - nsd;
        loop = arg == 0 ? NULL : wide ? imcd_bitround64 : imcd_bitround32;
        break;
    case IMCD_QUANTIZE_SCALE:
        /* the least b with 2^b >= 10^nsd, as numcodecs' float formula gives
         * for nsd <= 308 */
        arg = (int32_t)ceil(nsd * imcd_bits_per_digit);
        loop = wide ? imcd_scale64 : imcd_scale32;
        break;
    default:
        return IMCD_VALUE;
    }
    if (loop == NULL) {
        if (dst != src && srcsize > 0)
            memmove(dst, src, (size_t)srcsize);
    }
    else {
        loop(src, dst, srcsize / itemsize, arg);
    }
    return srcsize;
}
