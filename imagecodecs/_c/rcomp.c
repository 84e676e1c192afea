/* SPDX-License-Identifier: BSD-3-Clause */
/* FITS Rice compression (see rcomp.h), written from the FITS tile
 * compression convention. The encoder chooses FS per block exactly as the
 * convention's reference encoder does, so that the streams are identical. */
#include "rcomp.h"

#if defined(_MSC_VER)
#include <intrin.h>
#define RCOMP_INLINE static __forceinline
#elif defined(__GNUC__) || defined(__clang__)
#define RCOMP_INLINE static inline __attribute__((always_inline))
#else
#define RCOMP_INLINE static inline
#endif

/* Number of leading zero bits of x != 0. */
static inline int clz64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_clzll(x);
#elif defined(_MSC_VER) && defined(_M_X64)
    unsigned long index;
    _BitScanReverse64(&index, x);
    return 63 - (int)index;
#else
    int n = 0;
    while (!(x & 0x8000000000000000ull)) {
        x <<= 1;
        n++;
    }
    return n;
#endif
}

/* Parameters of the code for 1, 2 and 4-byte integers. */
RCOMP_INLINE int fs_bits(int bytes)
{
    return bytes == 1 ? 3 : bytes == 2 ? 4 : 5;
}

/* The largest FS; the code fs_max + 1 marks a block of raw values. */
RCOMP_INLINE int fs_max(int bytes)
{
    return bytes == 1 ? 6 : bytes == 2 ? 14 : 25;
}

RCOMP_INLINE uint32_t load_pixel(const uint8_t *src, ptrdiff_t i, int bytes)
{
    uint16_t u16;
    uint32_t u32;
    switch (bytes) {
    case 1:
        return src[i];
    case 2:
        memcpy(&u16, src + 2 * i, 2);
        return u16;
    default:
        memcpy(&u32, src + 4 * i, 4);
        return u32;
    }
}

RCOMP_INLINE void store_pixel(uint8_t *dst, ptrdiff_t i, uint32_t v, int bytes)
{
    uint16_t u16 = (uint16_t)v;
    switch (bytes) {
    case 1:
        dst[i] = (uint8_t)v;
        break;
    case 2:
        memcpy(dst + 2 * i, &u16, 2);
        break;
    default:
        memcpy(dst + 4 * i, &v, 4);
    }
}

/* Map the difference d (modulo 2^(8 * bytes)) to 0, -1, 1, -2, ... ->
 * 0, 1, 2, 3, ... */
RCOMP_INLINE uint32_t zigzag(uint32_t d, int bytes)
{
    int32_t s = bytes == 1 ? (int8_t)d : bytes == 2 ? (int16_t)d : (int32_t)d;
    uint32_t mask = bytes == 4 ? 0xffffffffu : (1u << (8 * bytes)) - 1;
    return (((uint32_t)s << 1) ^ (uint32_t)(s >> 31)) & mask;
}

/* The inverse, modulo 2^32; the caller keeps the low bits. */
RCOMP_INLINE uint32_t unzigzag(uint32_t z)
{
    return (z >> 1) ^ (0u - (z & 1));
}

/* Bit writer, most significant bit first. The pending bits are the low
 * `count` (< 32) bits of acc. A write past the end sets `full` and drops
 * the bytes, so that callers check once per block. */
typedef struct {
    uint8_t *dst;
    uint8_t *end;
    uint64_t acc;
    int count;
    int full;
} bitwriter;

/* Append the n <= 32 low bits of bits (higher bits must be zero). */
RCOMP_INLINE void put_bits(bitwriter *w, uint32_t bits, int n)
{
    w->acc = (w->acc << n) | bits;
    w->count += n;
    if (w->count >= 32) {
        w->count -= 32;
        if (w->end - w->dst >= 4) {
            imcd_store_u32be(w->dst, (uint32_t)(w->acc >> w->count));
            w->dst += 4;
        } else {
            w->full = 1;
        }
    }
}

/* Rice code of v with split fs: v >> fs zeros, a one, the fs low bits. */
RCOMP_INLINE void put_rice(bitwriter *w, uint32_t v, int fs)
{
    uint32_t top = v >> fs;
    uint32_t low = v & ((1u << fs) - 1);
    if (top <= (uint32_t)(31 - fs)) {
        put_bits(w, (1u << fs) | low, (int)top + 1 + fs);
        return;
    }
    for (; top >= 32; top -= 32)
        put_bits(w, 0, 32);
    put_bits(w, 1, (int)top + 1);
    put_bits(w, low, fs);
}

/* Write the pending bits, the last byte padded with zeros. */
static void flush_bits(bitwriter *w)
{
    int n = w->count;
    for (; n > 0; n -= 8) {
        if (w->dst == w->end) {
            w->full = 1;
            return;
        }
        *w->dst++ = (uint8_t)(n >= 8 ? w->acc >> (n - 8) : w->acc << (8 - n));
    }
    w->count = 0;
}

/* FS of a block whose mapped differences sum to sum: the bit length of
 * half the mean minus a half, floor((sum - n / 2 - 1) / n) >> 1 (the
 * reference encoder computes this in double precision, exactly). */
static int choose_fs(uint64_t sum, ptrdiff_t n)
{
    uint64_t bias = (uint64_t)(n / 2) + 1;
    uint64_t mean = sum >= bias ? (sum - bias) / (uint64_t)n : 0;
    uint64_t half = mean >> 1;
    int fs = 0;
    for (; half > 0; half >>= 1)
        fs++;
    return fs;
}

/* Mapped differences of the m > 0 pixels at src; prev is the one before. */
RCOMP_INLINE void map_differences(const uint8_t *src, ptrdiff_t m,
                                  uint32_t prev, uint32_t *diff,
                                  const int bytes)
{
    diff[0] = zigzag(load_pixel(src, 0, bytes) - prev, bytes);
    for (ptrdiff_t j = 1; j < m; j++)
        diff[j] = zigzag(load_pixel(src, j, bytes) -
                         load_pixel(src, j - 1, bytes), bytes);
}

/* Blocks are mapped in chunks: once for blocks up to CHUNK pixels, for
 * larger ones again when coding. */
#define RCOMP_CHUNK 256

RCOMP_INLINE ptrdiff_t encode(const uint8_t *src, ptrdiff_t npixels,
                              const int bytes, ptrdiff_t nblock,
                              uint8_t *dst, ptrdiff_t dstsize)
{
    const int fsbits = fs_bits(bytes);
    const int fsmax = fs_max(bytes);
    bitwriter w = {dst, dst + dstsize, 0, 0, 0};
    uint32_t diff[RCOMP_CHUNK];
    uint32_t last;

    if (npixels == 0)
        return 0;
    last = load_pixel(src, 0, bytes);
    put_bits(&w, last, 8 * bytes);
    for (ptrdiff_t i = 0; i < npixels; i += nblock) {
        ptrdiff_t n = npixels - i < nblock ? npixels - i : nblock;
        const uint8_t *block = src + i * bytes;
        uint64_t sum = 0;
        uint32_t code;
        ptrdiff_t j, k, m;
        int fs;
        for (j = 0; j < n; j += RCOMP_CHUNK) {
            m = n - j < RCOMP_CHUNK ? n - j : RCOMP_CHUNK;
            map_differences(block + j * bytes, m,
                            j ? load_pixel(block, j - 1, bytes) : last, diff,
                            bytes);
            for (k = 0; k < m; k++)
                sum += diff[k];
        }
        fs = choose_fs(sum, n);
        /* raw differences (high entropy), all zero, or Rice codes */
        code = fs >= fsmax ? (uint32_t)fsmax + 1
               : sum == 0  ? 0
                           : (uint32_t)fs + 1;
        put_bits(&w, code, fsbits);
        for (j = 0; j < n && code != 0; j += RCOMP_CHUNK) {
            m = n - j < RCOMP_CHUNK ? n - j : RCOMP_CHUNK;
            if (n > RCOMP_CHUNK)
                map_differences(block + j * bytes, m,
                                j ? load_pixel(block, j - 1, bytes) : last,
                                diff, bytes);
            if (fs >= fsmax)
                for (k = 0; k < m; k++)
                    put_bits(&w, diff[k], 8 * bytes);
            else
                for (k = 0; k < m; k++)
                    put_rice(&w, diff[k], fs);
        }
        if (w.full)
            return IMCD_OUTPUT_TOO_SMALL;
        last = load_pixel(block, n - 1, bytes);
    }
    flush_bits(&w);
    if (w.full)
        return IMCD_OUTPUT_TOO_SMALL;
    return w.dst - dst;
}

ptrdiff_t imcd_rcomp_encode_bound(ptrdiff_t npixels, int itemsize,
                                  ptrdiff_t nblock)
{
    ptrdiff_t nblocks, bits;
    if ((itemsize != 1 && itemsize != 2 && itemsize != 4) || nblock < 1 ||
        npixels < 0 || npixels > PTRDIFF_MAX / 64)
        return IMCD_VALUE;
    if (npixels == 0)
        return 0;
    nblocks = (npixels - 1) / nblock + 1;
    /* a Rice coded block never takes more than 8 * itemsize + 1 bits per
     * pixel, its FS code and a bit, since FS follows the mean */
    bits = 8 * itemsize + nblocks * (fs_bits(itemsize) + 1) +
           npixels * (8 * itemsize + 1);
    return (bits + 7) / 8;
}

ptrdiff_t imcd_rcomp_encode(const uint8_t *src, ptrdiff_t npixels,
                            int itemsize, ptrdiff_t nblock, uint8_t *dst,
                            ptrdiff_t dstsize)
{
    ptrdiff_t bound = imcd_rcomp_encode_bound(npixels, itemsize, nblock);
    if (bound < 0)
        return bound;
    switch (itemsize) {
    case 1:
        return encode(src, npixels, 1, nblock, dst, dstsize);
    case 2:
        return encode(src, npixels, 2, nblock, dst, dstsize);
    default:
        return encode(src, npixels, 4, nblock, dst, dstsize);
    }
}

/* Bit reader, most significant bit first: the next `count` bits of the
 * stream are the top bits of acc. Bits below them are zero or the stream's
 * following bits, which a refill writes again at the same place. */
typedef struct {
    const uint8_t *src;
    const uint8_t *end;
    uint64_t acc;
    int count;
} bitreader;

static inline uint64_t load_u64be(const uint8_t *p)
{
    return ((uint64_t)imcd_load_u32be(p) << 32) | imcd_load_u32be(p + 4);
}

/* Make 56 <= count <= 63 unless the stream ends first. */
RCOMP_INLINE void refill(bitreader *r)
{
    if (r->end - r->src >= 8) {
        r->acc |= load_u64be(r->src) >> r->count;
        r->src += (63 - r->count) >> 3;
        r->count |= 56;
        return;
    }
    while (r->count <= 55 && r->src < r->end) {
        r->acc |= (uint64_t)*r->src++ << (56 - r->count);
        r->count += 8;
    }
}

/* Read 1 <= n <= 32 bits into *value; return 0, or -1 at the end. */
RCOMP_INLINE int get_bits(bitreader *r, int n, uint32_t *value)
{
    if (r->count < n) {
        refill(r);
        if (r->count < n)
            return -1;
    }
    *value = (uint32_t)(r->acc >> (64 - n));
    r->acc <<= n;
    r->count -= n;
    return 0;
}

/* Read a Rice code with split fs into *value; return 0, or -1 at the end.
 * A count of zeros beyond 32 bits wraps, as in any 32-bit decoder. */
RCOMP_INLINE int get_rice(bitreader *r, int fs, uint32_t *value)
{
    uint32_t zeros = 0;
    uint32_t low = 0;
    int z;
    if (r->count < 32)
        refill(r);
    /* the usual case: the whole code is in acc (acc == 0 gives z = 63,
     * more than count - 1, so it takes the general way) */
    z = clz64(r->acc | 1);
    if (z + 1 + fs <= r->count) {
        uint64_t rest = r->acc << z << 1;
        *value = ((uint32_t)z << fs) | (uint32_t)(rest >> 1 >> (63 - fs));
        r->acc <<= z + 1 + fs;
        r->count -= z + 1 + fs;
        return 0;
    }
    for (;;) {
        if (r->count < 32)
            refill(r);
        z = r->acc ? clz64(r->acc) : 64;
        if (z < r->count) {
            zeros += (uint32_t)z;
            r->acc <<= z + 1;
            r->count -= z + 1;
            break;
        }
        if (r->count == 0)
            return -1;
        zeros += (uint32_t)r->count;
        r->acc = 0; /* the stream's bits come again with the refill */
        r->count = 0;
    }
    if (fs > 0 && get_bits(r, fs, &low) < 0)
        return -1;
    *value = (zeros << fs) | low;
    return 0;
}

RCOMP_INLINE ptrdiff_t decode(const uint8_t *src, ptrdiff_t srcsize,
                              uint8_t *dst, ptrdiff_t npixels,
                              const int bytes, ptrdiff_t nblock)
{
    const int fsbits = fs_bits(bytes);
    const int fsmax = fs_max(bytes);
    bitreader r = {src, src + srcsize, 0, 0};
    uint32_t last, code, z;
    ptrdiff_t i = 0;

    if (npixels == 0)
        return 0;
    if (get_bits(&r, 8 * bytes, &last) < 0)
        return IMCD_TRUNCATED;
    while (i < npixels) {
        ptrdiff_t end = npixels - i < nblock ? npixels : i + nblock;
        int fs;
        if (get_bits(&r, fsbits, &code) < 0)
            return IMCD_TRUNCATED;
        fs = (int)code - 1;
        if (fs < 0) {
            for (; i < end; i++)
                store_pixel(dst, i, last, bytes);
        } else if (fs == fsmax) {
            for (; i < end; i++) {
                if (get_bits(&r, 8 * bytes, &z) < 0)
                    return IMCD_TRUNCATED;
                last += unzigzag(z);
                store_pixel(dst, i, last, bytes);
            }
        } else if (fs > fsmax) {
            return IMCD_CORRUPT; /* codes no encoder writes (32-bit only) */
        } else {
            for (; i < end; i++) {
                if (get_rice(&r, fs, &z) < 0)
                    return IMCD_TRUNCATED;
                last += unzigzag(z);
                store_pixel(dst, i, last, bytes);
            }
        }
    }
    return npixels * bytes;
}

ptrdiff_t imcd_rcomp_decode(const uint8_t *src, ptrdiff_t srcsize,
                            uint8_t *dst, ptrdiff_t dstsize, int itemsize,
                            ptrdiff_t nblock)
{
    ptrdiff_t npixels;
    if ((itemsize != 1 && itemsize != 2 && itemsize != 4) || nblock < 1 ||
        srcsize < 0 || dstsize < 0)
        return IMCD_VALUE;
    npixels = dstsize / itemsize;
    switch (itemsize) {
    case 1:
        return decode(src, srcsize, dst, npixels, 1, nblock);
    case 2:
        return decode(src, srcsize, dst, npixels, 2, nblock);
    default:
        return decode(src, srcsize, dst, npixels, 4, nblock);
    }
}
