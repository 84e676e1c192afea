/* SPDX-License-Identifier: BSD-3-Clause */
/* HDF5 checksums, written from their definitions (see h5checksum.h). */
#include "h5checksum.h"

/* Fold x to at most 16 bits keeping x mod 65535 and x != 0 (2^16 = 1 mod
 * 65535). HDF5 folds the same way, so its sums are the representatives in
 * 1..65535 of nonzero totals: any order of summing and folding agrees. */
static inline uint32_t fold16(uint64_t x)
{
    while (x > 0xffff)
        x = (x & 0xffff) + (x >> 16);
    return (uint32_t)x;
}

/* Fletcher-32 in lanes: LANES interleaved word streams, each with its sum
 * v and sum of running sums pv, in 32-bit counters that cannot overflow in
 * ROUNDS rounds (ROUNDS * (ROUNDS + 1) / 2 * 65535 < 2^32). */
#define FLETCHER_LANES 16
#define FLETCHER_ROUNDS 256

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>

static void fletcher_lanes(const uint8_t *src, ptrdiff_t rounds,
                           uint32_t *v, uint32_t *pv)
{
    const __m128i zero = _mm_setzero_si128();
    __m128i s[4] = {zero, zero, zero, zero}, p[4] = {zero, zero, zero, zero};
    for (ptrdiff_t t = 0; t < rounds; t++, src += 2 * FLETCHER_LANES) {
        for (int h = 0; h < 2; h++) {
            __m128i x = _mm_loadu_si128((const __m128i *)(src + 16 * h));
            /* big-endian words, zero-extended to 32 bits */
            x = _mm_or_si128(_mm_slli_epi16(x, 8), _mm_srli_epi16(x, 8));
            s[2 * h] = _mm_add_epi32(s[2 * h], _mm_unpacklo_epi16(x, zero));
            s[2 * h + 1] = _mm_add_epi32(s[2 * h + 1],
                                         _mm_unpackhi_epi16(x, zero));
        }
        for (int k = 0; k < 4; k++)
            p[k] = _mm_add_epi32(p[k], s[k]);
    }
    for (int k = 0; k < 4; k++) {
        _mm_storeu_si128((__m128i *)(v + 4 * k), s[k]);
        _mm_storeu_si128((__m128i *)(pv + 4 * k), p[k]);
    }
}
#else
static void fletcher_lanes(const uint8_t *src, ptrdiff_t rounds,
                           uint32_t *v, uint32_t *pv)
{
    for (int l = 0; l < FLETCHER_LANES; l++)
        v[l] = pv[l] = 0;
    for (ptrdiff_t t = 0; t < rounds; t++, src += 2 * FLETCHER_LANES) {
        for (int l = 0; l < FLETCHER_LANES; l++) {
            v[l] += ((uint32_t)src[2 * l] << 8) | src[2 * l + 1];
            pv[l] += v[l];
        }
    }
}
#endif

uint32_t imcd_h5checksum_fletcher32(const uint8_t *src, ptrdiff_t srcsize)
{
    uint64_t sum1 = 0, sum2 = 0;
    ptrdiff_t words = srcsize / 2;

    while (words >= FLETCHER_LANES) {
        uint32_t v[FLETCHER_LANES], pv[FLETCHER_LANES];
        ptrdiff_t rounds = words / FLETCHER_LANES;
        uint64_t s1 = 0, s2 = 0, n;
        if (rounds > FLETCHER_ROUNDS)
            rounds = FLETCHER_ROUNDS;
        n = (uint64_t)(rounds * FLETCHER_LANES);
        fletcher_lanes(src, rounds, v, pv);
        /* word i of the n has weight n - i in sum2; for lane l that is
         * LANES * (rounds - t) - l, summed by pv and v */
        for (int l = 0; l < FLETCHER_LANES; l++) {
            s1 += v[l];
            s2 += (uint64_t)FLETCHER_LANES * pv[l] - (uint64_t)l * v[l];
        }
        sum2 = fold16(sum2 + n * sum1 + s2);
        sum1 = fold16(sum1 + s1);
        src += 2 * n;
        words -= (ptrdiff_t)n;
    }
    for (; words > 0; words--, src += 2) {
        sum1 += ((uint32_t)src[0] << 8) | src[1];
        sum2 += sum1;
    }
    if (srcsize % 2) {
        sum1 += (uint32_t)src[0] << 8;
        sum2 += sum1;
    }
    return (fold16(sum2) << 16) | fold16(sum1);
}

/* lookup3: three 32-bit words mixed per 12 bytes, read little-endian. */
static inline uint32_t rot32(uint32_t x, int k)
{
    return (x << k) | (x >> (32 - k));
}

static inline void lookup3_mix(uint32_t *a, uint32_t *b, uint32_t *c)
{
    *a -= *c; *a ^= rot32(*c, 4); *c += *b;
    *b -= *a; *b ^= rot32(*a, 6); *a += *c;
    *c -= *b; *c ^= rot32(*b, 8); *b += *a;
    *a -= *c; *a ^= rot32(*c, 16); *c += *b;
    *b -= *a; *b ^= rot32(*a, 19); *a += *c;
    *c -= *b; *c ^= rot32(*b, 4); *b += *a;
}

static inline void lookup3_final(uint32_t *a, uint32_t *b, uint32_t *c)
{
    *c ^= *b; *c -= rot32(*b, 14);
    *a ^= *c; *a -= rot32(*c, 11);
    *b ^= *a; *b -= rot32(*a, 25);
    *c ^= *b; *c -= rot32(*b, 16);
    *a ^= *c; *a -= rot32(*c, 4);
    *b ^= *a; *b -= rot32(*a, 14);
    *c ^= *b; *c -= rot32(*b, 24);
}

uint32_t imcd_h5checksum_lookup3(const uint8_t *src, ptrdiff_t srcsize,
                                 uint32_t initval)
{
    uint8_t tail[12] = {0};
    uint32_t a, b, c;
    /* the length enters modulo 2^32, as in size_t to uint32_t */
    a = b = c = 0xdeadbeefu + (uint32_t)srcsize + initval;
    if (srcsize == 0)
        return c;
    /* all but the last 1 to 12 bytes */
    for (; srcsize > 12; srcsize -= 12, src += 12) {
        a += imcd_load_u32le(src);
        b += imcd_load_u32le(src + 4);
        c += imcd_load_u32le(src + 8);
        lookup3_mix(&a, &b, &c);
    }
    /* the last block is read as if padded with zeros */
    memcpy(tail, src, (size_t)srcsize);
    a += imcd_load_u32le(tail);
    b += imcd_load_u32le(tail + 4);
    c += imcd_load_u32le(tail + 8);
    lookup3_final(&a, &b, &c);
    return c;
}

/* CRC, eight bytes per step ("slicing-by-8"): crc_table[k][n] is the CRC
 * register after byte n followed by k zero bytes. */
#define H5_CRC_POLYNOMIAL 0x04C11DB7u

static uint32_t crc_table[8][256];
static int crc_ready = 0;

void imcd_h5checksum_init(void)
{
    if (crc_ready)
        return;
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (H5_CRC_POLYNOMIAL & (0u - (c & 1)));
        crc_table[0][n] = c;
    }
    for (int k = 1; k < 8; k++)
        for (int n = 0; n < 256; n++) {
            uint32_t c = crc_table[k - 1][n];
            crc_table[k][n] = (c >> 8) ^ crc_table[0][c & 0xff];
        }
    crc_ready = 1;
}

uint32_t imcd_h5checksum_crc(const uint8_t *src, ptrdiff_t srcsize)
{
    uint32_t crc = 0xffffffffu;
    imcd_h5checksum_init();
    for (; srcsize >= 8; srcsize -= 8, src += 8) {
        uint32_t lo = crc ^ imcd_load_u32le(src);
        uint32_t hi = imcd_load_u32le(src + 4);
        crc = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
              crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^
              crc_table[3][hi & 0xff] ^ crc_table[2][(hi >> 8) & 0xff] ^
              crc_table[1][(hi >> 16) & 0xff] ^ crc_table[0][hi >> 24];
    }
    for (; srcsize > 0; srcsize--)
        crc = crc_table[0][(crc ^ *src++) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}

uint32_t imcd_h5checksum_hash_string(const uint8_t *src, ptrdiff_t srcsize)
{
    uint32_t hash = 5381;
    /* HDF5 adds C chars, which are signed on the platforms it targets */
    for (ptrdiff_t i = 0; i < srcsize && src[i] != 0; i++)
        hash = hash * 33 + (uint32_t)(int32_t)(int8_t)src[i];
    return hash;
}
