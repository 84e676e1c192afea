/* SPDX-License-Identifier: BSD-3-Clause */
/* BC1 to BC7 block decoders and the DDS container.
 *
 * Written from the Khronos Data Format Specification 1.3 (chapters S3TC,
 * RGTC and BPTC) and Microsoft's "Texture Block Compression in Direct3D
 * 11" and "DDS" programming guides. Every block is 4x4 texels stored in
 * little-endian order; texels are numbered i = x + 4 * y. Where the specs
 * leave the rounding of BC1 to BC5 interpolation open, BC1 rounds to
 * nearest and BC3 alpha, BC4 and BC5 truncate, as common decoders do.
 */
#include "bcn.h"

/* ------------------------------------------------------------- helpers */

static inline uint64_t imcd_bcn_load_u64le(const uint8_t *p)
{
    return (uint64_t)imcd_load_u32le(p) |
           ((uint64_t)imcd_load_u32le(p + 4) << 32);
}

/* The native uint32 whose bytes in memory are those of v from the least
 * significant up: texels are built in registers and stored at once (byte
 * stores read back as a word would stall store forwarding). */
static inline uint32_t imcd_bcn_le32(uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return ((v & 0xFF) << 24) | ((v & 0xFF00) << 8) | ((v >> 8) & 0xFF00) |
           (v >> 24);
#else
    return v;
#endif
}

/* Three native uint16 in the first six bytes of a uint64 in memory. */
static inline uint64_t imcd_bcn_rgb16(uint64_t r, uint64_t g, uint64_t b)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (r << 48) | (g << 32) | (b << 16);
#else
    return r | (g << 16) | (b << 32);
#endif
}

/* An RGBA texel with the bytes in memory order R, G, B, A. */
static inline uint32_t imcd_bcn_rgba(uint32_t r, uint32_t g, uint32_t b,
                                     uint32_t a)
{
    return imcd_bcn_le32(r | (g << 8) | (b << 16) | (a << 24));
}

/* The 128 bits of a BC6H or BC7 block, consumed from bit 0 upward. */
typedef struct imcd_bcn_bits {
    uint64_t lo;
    uint64_t hi;
} imcd_bcn_bits;

/* Take the next n bits, 0 <= n <= 32. (hi << 1 << (63 - n) is hi << (64
 * - n) without the undefined shift by 64 when n is 0.) */
static inline uint32_t imcd_bcn_take(imcd_bcn_bits *bits, int n)
{
    uint32_t value = (uint32_t)(bits->lo & ((UINT64_C(1) << n) - 1));
    bits->lo = (bits->lo >> n) | (bits->hi << 1 << (63 - n));
    bits->hi >>= n;
    return value;
}

/* Sign-extend the low n bits of v, 1 <= n <= 30. */
static inline int32_t imcd_bcn_sext(int32_t v, int n)
{
    int32_t sign = (int32_t)1 << (n - 1);
    return ((v & ((sign << 1) - 1)) ^ sign) - sign;
}

/* Return a * b if it does not exceed limit, else -1; all not negative. */
static inline ptrdiff_t imcd_bcn_mul(ptrdiff_t a, ptrdiff_t b, ptrdiff_t limit)
{
    if (a < 0 || b < 0 || (b != 0 && a > limit / b))
        return -1;
    return a * b;
}

/* ------------------------------------------------------- BC1 to BC5 */

/* Block decoders write texel (x, y) of a block to out + y * stride + x *
 * texelsize, i.e. texel i = x + 4 * y to: */
#define IMCD_BCN_TEXEL(out, stride, i, size)                             \
    ((out) + ((i) >> 2) * (stride) + (size) * ((i) & 3))

typedef void (*imcd_bcn_block_fn)(const uint8_t *block, uint8_t *out,
                                  ptrdiff_t stride);

/* BC1 palette arithmetic: x * 255 / d rounded to nearest is (x * M + 2^(S
 * - 1)) >> S, exactly for 0 <= x <= d, with d, M, S of each term below. */
#define IMCD_BC1_SCALE(x, m, s) (((x) * (m) + (1u << ((s) - 1))) >> (s))

/* One channel of the BC1 palettes, 5 or 6 bits: the expanded endpoints,
 * the thirds of four-colour and the half of three-colour blocks. */
static inline void imcd_bc1_channel(unsigned v0, unsigned v1, int six,
                                    unsigned *e0, unsigned *e1, unsigned *c2,
                                    unsigned *c3, unsigned *half)
{
    if (six) {
        *e0 = IMCD_BC1_SCALE(v0, 4145u, 10);   /* d = 63 */
        *e1 = IMCD_BC1_SCALE(v1, 4145u, 10);
        *c2 = IMCD_BC1_SCALE(2 * v0 + v1, 11053u, 13); /* d = 189 */
        *c3 = IMCD_BC1_SCALE(v0 + 2 * v1, 11053u, 13);
        *half = IMCD_BC1_SCALE(v0 + v1, 4145u, 11);    /* d = 126 */
    } else {
        *e0 = IMCD_BC1_SCALE(v0, 2106u, 8);    /* d = 31 */
        *e1 = IMCD_BC1_SCALE(v1, 2106u, 8);
        *c2 = IMCD_BC1_SCALE(2 * v0 + v1, 11231u, 12); /* d = 93 */
        *c3 = IMCD_BC1_SCALE(v0 + 2 * v1, 11231u, 12);
        *half = IMCD_BC1_SCALE(v0 + v1, 1053u, 8);     /* d = 62 */
    }
}

/* The RGB565 colour block of BC1 to BC3 into RGBA texels. With color0 <=
 * color1 BC1 has three colours and transparent black; BC2 and BC3 always
 * use four colours. Alpha is opaque. Both palettes are computed and one
 * selected, which is faster than a branch on random data. */
static inline void imcd_bc1_colors(const uint8_t *block, int bc1,
                                   uint8_t *out, ptrdiff_t stride)
{
    unsigned c0 = imcd_load_u16le(block);
    unsigned c1 = imcd_load_u16le(block + 2);
    uint32_t codes = imcd_load_u32le(block + 4);
    unsigned e0[3], e1[3], c2[3], c3[3], half[3];
    uint32_t colors[4], four, three;
    int i;

    imcd_bc1_channel(c0 >> 11, c1 >> 11, 0, &e0[0], &e1[0], &c2[0], &c3[0],
                     &half[0]);
    imcd_bc1_channel((c0 >> 5) & 63, (c1 >> 5) & 63, 1, &e0[1], &e1[1],
                     &c2[1], &c3[1], &half[1]);
    imcd_bc1_channel(c0 & 31, c1 & 31, 0, &e0[2], &e1[2], &c2[2], &c3[2],
                     &half[2]);
    colors[0] = imcd_bcn_rgba(e0[0], e0[1], e0[2], 255);
    colors[1] = imcd_bcn_rgba(e1[0], e1[1], e1[2], 255);
    four = imcd_bcn_rgba(c2[0], c2[1], c2[2], 255);
    three = imcd_bcn_rgba(half[0], half[1], half[2], 255);
    if (bc1 && c0 <= c1) {
        colors[2] = three;
        colors[3] = 0;
    } else {
        colors[2] = four;
        colors[3] = imcd_bcn_rgba(c3[0], c3[1], c3[2], 255);
    }
    for (i = 0; i < 16; i++, codes >>= 2)
        memcpy(IMCD_BCN_TEXEL(out, stride, i, 4), &colors[codes & 3], 4);
}

/* A BC4 channel block (also BC3 alpha and the BC5 channels) into values
 * `step` bytes apart in a row. red0 > red1 interpolates six values,
 * otherwise four plus 0 and 255. */
static inline void imcd_bc4_channel(const uint8_t *block, uint8_t *out,
                                    ptrdiff_t stride, int step)
{
    uint64_t r0 = block[0], r1 = block[1], six = r0 | (r1 << 8), four;
    uint64_t codes = imcd_bcn_load_u64le(block) >> 16;
    uint8_t pal[8];
    unsigned i;

    /* both palettes as eight bytes in a register, value k in bits 8k;
     * x / 7 is (x * 2341) >> 14 and x / 5 is (x * 1639) >> 13 exactly for
     * these x */
    four = six | ((uint64_t)255 << 56);
    for (i = 1; i < 7; i++)
        six |= ((((7 - i) * r0 + i * r1) * 2341) >> 14) << (8 * i + 8);
    for (i = 1; i < 5; i++)
        four |= ((((5 - i) * r0 + i * r1) * 1639) >> 13) << (8 * i + 8);
    if (r0 <= r1)
        six = four;
    for (i = 0; i < 8; i++)
        pal[i] = (uint8_t)(six >> (8 * i)); /* one 8-byte store */
    if (step == 1) {
        /* a row of four bytes at once */
        for (i = 0; i < 4; i++, codes >>= 12) {
            uint32_t row = imcd_bcn_rgba(pal[codes & 7], pal[(codes >> 3) & 7],
                                         pal[(codes >> 6) & 7],
                                         pal[(codes >> 9) & 7]);
            memcpy(out + i * stride, &row, 4);
        }
        return;
    }
    for (i = 0; i < 16; i++, codes >>= 3)
        *IMCD_BCN_TEXEL(out, stride, i, step) = pal[codes & 7];
}

static void imcd_bc1_block(const uint8_t *block, uint8_t *out,
                           ptrdiff_t stride)
{
    imcd_bc1_colors(block, 1, out, stride);
}

/* BC2: explicit 4-bit alpha, then a colour block. */
static void imcd_bc2_block(const uint8_t *block, uint8_t *out,
                           ptrdiff_t stride)
{
    uint64_t alpha = imcd_bcn_load_u64le(block);
    int i;
    imcd_bc1_colors(block + 8, 0, out, stride);
    for (i = 0; i < 16; i++, alpha >>= 4)
        out[(i >> 2) * stride + 4 * (i & 3) + 3] = (uint8_t)((alpha & 15) * 17);
}

/* BC3: an interpolated alpha block, then a colour block. */
static void imcd_bc3_block(const uint8_t *block, uint8_t *out,
                           ptrdiff_t stride)
{
    imcd_bc1_colors(block + 8, 0, out, stride);
    imcd_bc4_channel(block, out + 3, stride, 4);
}

static void imcd_bc4_block(const uint8_t *block, uint8_t *out,
                           ptrdiff_t stride)
{
    imcd_bc4_channel(block, out, stride, 1);
}

/* BC5: red block, then green block. */
static void imcd_bc5_block(const uint8_t *block, uint8_t *out,
                           ptrdiff_t stride)
{
    imcd_bc4_channel(block, out, stride, 2);
    imcd_bc4_channel(block + 8, out + 1, stride, 2);
}

/* ---------------------------------------------------------- BC6H, BC7 */

/* Interpolation weights of 2, 3 and 4-bit indices (BPTC table). */
static const uint8_t imcd_bptc_w2[4] = {0, 21, 43, 64};
static const uint8_t imcd_bptc_w3[8] = {0, 9, 18, 27, 37, 46, 55, 64};
static const uint8_t imcd_bptc_w4[16] = {0,  4,  9,  13, 17, 21, 26, 30,
                                         34, 38, 43, 47, 51, 55, 60, 64};
static const uint8_t *const imcd_bptc_weights[5] = {
    NULL, NULL, imcd_bptc_w2, imcd_bptc_w3, imcd_bptc_w4};

/* Partition tables: the subset of texel i is in bits 2i and 2i + 1. */
static const uint32_t imcd_bptc_p2[64] = {
    0x50505050, 0x40404040, 0x54545454, 0x54505040, 0x50404000, 0x55545450,
    0x55545040, 0x54504000, 0x50400000, 0x55555450, 0x55544000, 0x54400000,
    0x55555440, 0x55550000, 0x55555500, 0x55000000, 0x55150100, 0x00004054,
    0x15010000, 0x00405054, 0x00004050, 0x15050100, 0x05010000, 0x40505054,
    0x00404050, 0x05010100, 0x14141414, 0x05141450, 0x01155440, 0x00555500,
    0x15014054, 0x05414150, 0x44444444, 0x55005500, 0x11441144, 0x05055050,
    0x05500550, 0x11114444, 0x41144114, 0x44111144, 0x15055054, 0x01055040,
    0x05041050, 0x05455150, 0x14414114, 0x50050550, 0x41411414, 0x00141400,
    0x00041504, 0x00105410, 0x10541000, 0x04150400, 0x50410514, 0x41051450,
    0x05415014, 0x14054150, 0x41050514, 0x41505014, 0x40011554, 0x54150140,
    0x50505500, 0x00555050, 0x15151010, 0x54540404};

static const uint32_t imcd_bptc_p3[64] = {
    0xaa685050, 0x6a5a5040, 0x5a5a4200, 0x5450a0a8, 0xa5a50000, 0xa0a05050,
    0x5555a0a0, 0x5a5a5050, 0xaa550000, 0xaa555500, 0xaaaa5500, 0x90909090,
    0x94949494, 0xa4a4a4a4, 0xa9a59450, 0x2a0a4250, 0xa5945040, 0x0a425054,
    0xa5a5a500, 0x55a0a0a0, 0xa8a85454, 0x6a6a4040, 0xa4a45000, 0x1a1a0500,
    0x0050a4a4, 0xaaa59090, 0x14696914, 0x69691400, 0xa08585a0, 0xaa821414,
    0x50a4a450, 0x6a5a0200, 0xa9a58000, 0x5090a0a8, 0xa8a09050, 0x24242424,
    0x00aa5500, 0x24924924, 0x24499224, 0x50a50a50, 0x500aa550, 0xaaaa4444,
    0x66660000, 0xa5a0a5a0, 0x50a050a0, 0x69286928, 0x44aaaa44, 0x66666600,
    0xaa444444, 0x54a854a8, 0x95809580, 0x96969600, 0xa85454a8, 0x80959580,
    0xaa141414, 0x96960000, 0xaaaa1414, 0xa05050a0, 0xa0a5a5a0, 0x96000000,
    0x40804080, 0xa9a8a9a8, 0xaaaaaa44, 0x2a4a5254};

/* Anchor texels: of subset 1 of two, subsets 1 and 2 of three (subset 0
 * is anchored at texel 0). */
static const uint8_t imcd_bptc_a2[64] = {
    15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
    15, 2,  8,  2,  2,  8,  8,  15, 2,  8,  2,  2,  8,  8,  2,  2,
    15, 15, 6,  8,  2,  8,  15, 15, 2,  8,  2,  2,  2,  15, 15, 6,
    6,  2,  6,  8,  15, 15, 2,  2,  15, 15, 15, 15, 15, 2,  2,  15};

static const uint8_t imcd_bptc_a32[64] = {
    3,  3,  15, 15, 8,  3,  15, 15, 8,  8,  6,  6,  6,  5,  3,  3,
    3,  3,  8,  15, 3,  3,  6,  10, 5,  8,  8,  6,  8,  5,  15, 15,
    8,  15, 3,  5,  6,  10, 8,  15, 15, 3,  15, 5,  15, 15, 15, 15,
    3,  15, 5,  5,  5,  8,  5,  10, 5,  10, 8,  13, 15, 12, 3,  3};

static const uint8_t imcd_bptc_a33[64] = {
    15, 8,  8,  3,  15, 15, 3,  8,  15, 15, 15, 15, 15, 15, 15, 8,
    15, 8,  15, 3,  15, 8,  15, 8,  3,  15, 6,  10, 15, 15, 10, 8,
    15, 3,  15, 10, 10, 8,  9,  10, 6,  15, 8,  15, 3,  6,  6,  8,
    15, 3,  15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 3,  15, 15, 8};

static inline int imcd_bptc_interpolate(int e0, int e1, int weight)
{
    return ((64 - weight) * e0 + weight * e1 + 32) >> 6;
}

/* BC7 modes: subsets, partition bits, rotation bits, index selection bit,
 * colour bits, alpha bits, per-endpoint P-bits, shared P-bits, index bits
 * and secondary index bits. */
typedef struct imcd_bc7_mode {
    uint8_t ns, pb, rb, isb, cb, ab, epb, spb, ib, ib2;
} imcd_bc7_mode;

static const imcd_bc7_mode imcd_bc7_modes[8] = {
    {3, 4, 0, 0, 4, 0, 1, 0, 3, 0}, {2, 6, 0, 0, 6, 0, 0, 1, 3, 0},
    {3, 6, 0, 0, 5, 0, 0, 0, 2, 0}, {2, 6, 0, 0, 7, 0, 1, 0, 2, 0},
    {1, 0, 2, 1, 5, 6, 0, 0, 2, 3}, {1, 0, 2, 0, 7, 8, 0, 0, 2, 2},
    {1, 0, 0, 0, 7, 7, 1, 0, 4, 0}, {2, 6, 0, 0, 5, 5, 1, 0, 2, 0}};

/* Interpolate RGBA endpoints held in the 16-bit lanes of e0 and e1 all at
 * once (lanes stay below 2^14) and pack the result to an RGBA texel. */
static inline uint32_t imcd_bc7_color(uint64_t e0, uint64_t e1, int w)
{
    uint64_t v = (uint64_t)(64 - w) * e0 + (uint64_t)w * e1 +
                 UINT64_C(0x0020002000200020);
    v = (v >> 6) & UINT64_C(0x00FF00FF00FF00FF);
    v = (v | (v >> 8)) & UINT64_C(0x0000FFFF0000FFFF);
    return imcd_bcn_le32((uint32_t)(v | (v >> 16)));
}

static void imcd_bc7_block(const uint8_t *block, uint8_t *out,
                           ptrdiff_t stride)
{
    const imcd_bc7_mode *m;
    imcd_bcn_bits bits;
    uint8_t ep[6][4], pbit[6] = {0}, primary[4] = {255, 255, 255, 0}, t;
    uint8_t idx[16];
    uint32_t pal[3][16], pal2[8], mask, partition = 0;
    uint64_t lanes[6], rest;
    unsigned part, rotation, select, anchor1 = 0, anchor2 = 0;
    int mode = 0, ns, pb, cb, ab, epb, spb, ib, ib2, nep, i, c, k;

    if (block[0] == 0) {
        /* reserved: all channels of all texels are 0 */
        for (i = 0; i < 4; i++)
            memset(out + i * stride, 0, 16);
        return;
    }
    while (!(block[0] & (1 << mode)))
        mode++;
    /* copies: stores to out could alias the table otherwise */
    m = &imcd_bc7_modes[mode];
    ns = m->ns;
    pb = m->pb;
    cb = m->cb;
    ab = m->ab;
    epb = m->epb;
    spb = m->spb;
    ib = m->ib;
    ib2 = m->ib2;
    nep = 2 * ns;
    bits.lo = imcd_bcn_load_u64le(block);
    bits.hi = imcd_bcn_load_u64le(block + 8);
    imcd_bcn_take(&bits, mode + 1);
    part = imcd_bcn_take(&bits, pb);
    rotation = imcd_bcn_take(&bits, m->rb);
    select = imcd_bcn_take(&bits, m->isb);

    /* endpoints: by channel, then subset, then endpoint */
    for (c = 0; c < 4; c++) {
        int n = c < 3 ? cb : ab;
        for (i = 0; i < nep; i++)
            ep[i][c] = n ? (uint8_t)imcd_bcn_take(&bits, n) : 255;
    }
    if (epb) {
        for (i = 0; i < nep; i++)
            pbit[i] = (uint8_t)imcd_bcn_take(&bits, 1);
    } else if (spb) {
        for (i = 0; i < nep; i += 2)
            pbit[i] = pbit[i + 1] = (uint8_t)imcd_bcn_take(&bits, 1);
    }
    /* the P-bit goes below the stored bits, then the top bits are
     * replicated into the rest of the byte */
    for (c = 0; c < 4; c++) {
        int n = (c < 3 ? cb : ab);
        if (n == 0)
            continue;
        n += epb | spb;
        for (i = 0; i < nep; i++) {
            unsigned v = ep[i][c];
            if (epb | spb)
                v = (v << 1) | pbit[i];
            ep[i][c] = (uint8_t)((v << (8 - n)) | (v >> (2 * n - 8)));
        }
    }
    /* rotation swaps alpha with a colour channel after interpolation:
     * swap the endpoints and which index each of the two channels uses */
    if (rotation) {
        for (i = 0; i < nep; i++) {
            t = ep[i][3];
            ep[i][3] = ep[i][rotation - 1];
            ep[i][rotation - 1] = t;
        }
        primary[3] = 255;
        primary[rotation - 1] = 0;
    }

    /* palettes of interpolated RGBA per subset and index */
    for (i = 0; i < nep; i++)
        lanes[i] = (uint64_t)ep[i][0] | ((uint64_t)ep[i][1] << 16) |
                   ((uint64_t)ep[i][2] << 32) | ((uint64_t)ep[i][3] << 48);
    for (k = 0; k < ns; k++) {
        for (i = 0; i < (1 << ib); i++)
            pal[k][i] = imcd_bc7_color(lanes[2 * k], lanes[2 * k + 1],
                                       imcd_bptc_weights[ib][i]);
    }

    if (ns == 2) {
        partition = imcd_bptc_p2[part];
        anchor1 = imcd_bptc_a2[part];
    } else if (ns == 3) {
        partition = imcd_bptc_p3[part];
        anchor1 = imcd_bptc_a32[part];
        anchor2 = imcd_bptc_a33[part];
    }
    /* anchor indices have their top bit implied zero */
    if (!ib2) {
        /* the indices are the last at most 64 bits of the block */
        rest = bits.lo;
        for (i = 0; i < 16; i++) {
            unsigned s = (partition >> (2 * i)) & 3;
            int n = ib - (i == 0 || (unsigned)i == anchor1 ||
                          (unsigned)i == anchor2);
            k = (int)(rest & ((1u << n) - 1));
            rest >>= n;
            memcpy(IMCD_BCN_TEXEL(out, stride, i, 4), &pal[s][k], 4);
        }
        return;
    }

    /* modes 4 and 5: colour and alpha from two index sets */
    for (i = 0; i < (1 << ib2); i++)
        pal2[i] = imcd_bc7_color(lanes[0], lanes[1], imcd_bptc_weights[ib2][i]);
    mask = imcd_bcn_rgba(primary[0], primary[1], primary[2], primary[3]);
    if (select)
        mask = ~mask; /* the primary index set interpolates alpha */
    for (i = 0; i < 16; i++)
        idx[i] = (uint8_t)imcd_bcn_take(&bits, ib - (i == 0));
    rest = bits.lo; /* the last 47 or 31 bits */
    for (i = 0; i < 16; i++) {
        int n = ib2 - (i == 0);
        uint32_t texel = pal[0][idx[i]] & mask;
        texel |= pal2[rest & ((1u << n) - 1)] & ~mask;
        rest >>= n;
        memcpy(IMCD_BCN_TEXEL(out, stride, i, 4), &texel, 4);
    }
}

/* BC6H endpoint fields, in the order of the spec's variable names, and
 * the partition number. */
enum { R0, G0, B0, R1, G1, B1, R2, G2, B2, R3, G3, B3, PB };

/* BC6H modes: whether they have two subsets, transformed (delta)
 * endpoints, endpoint bits, and delta bits of R, G, B. Indexed by the low
 * 5 bits of the block if the low 2 bits are 2 or 3, else by the low 2
 * bits (modes 0 and 1); empty entries are reserved. */
typedef struct imcd_bc6h_mode {
    uint8_t twosubsets, transformed, epb, delta[3];
} imcd_bc6h_mode;

static const imcd_bc6h_mode imcd_bc6h_modes[32] = {
    [0] = {1, 1, 10, {5, 5, 5}},
    [1] = {1, 1, 7, {6, 6, 6}},
    [2] = {1, 1, 11, {5, 4, 4}},
    [6] = {1, 1, 11, {4, 5, 4}},
    [10] = {1, 1, 11, {4, 4, 5}},
    [14] = {1, 1, 9, {5, 5, 5}},
    [18] = {1, 1, 8, {6, 5, 5}},
    [22] = {1, 1, 8, {5, 6, 5}},
    [26] = {1, 1, 8, {5, 5, 6}},
    [30] = {1, 0, 6, {0, 0, 0}},
    [3] = {0, 0, 10, {0, 0, 0}},
    [7] = {0, 1, 11, {9, 9, 9}},
    [11] = {0, 1, 12, {8, 8, 8}},
    [15] = {0, 1, 16, {4, 4, 4}},
};

/* The block layout of each mode after the mode bits, as runs X(field, a,
 * b) for field^(a..b) of the spec: the first bit read goes to bit b, the
 * next ones toward bit a (descending if a < b). */
#define IMCD_BC6H_RUNS_0(X) X(G2, 4, 4) X(B2, 4, 4) X(B3, 4, 4) X(R0, 9, 0)  \
    X(G0, 9, 0) X(B0, 9, 0) X(R1, 4, 0) X(G3, 4, 4) X(G2, 3, 0) X(G1, 4, 0)  \
    X(B3, 0, 0) X(G3, 3, 0) X(B1, 4, 0) X(B3, 1, 1) X(B2, 3, 0) X(R2, 4, 0)  \
    X(B3, 2, 2) X(R3, 4, 0) X(B3, 3, 3) X(PB, 4, 0)
#define IMCD_BC6H_RUNS_1(X) X(G2, 5, 5) X(G3, 4, 4) X(G3, 5, 5) X(R0, 6, 0)  \
    X(B3, 0, 0) X(B3, 1, 1) X(B2, 4, 4) X(G0, 6, 0) X(B2, 5, 5) X(B3, 2, 2)  \
    X(G2, 4, 4) X(B0, 6, 0) X(B3, 3, 3) X(B3, 5, 5) X(B3, 4, 4) X(R1, 5, 0)  \
    X(G2, 3, 0) X(G1, 5, 0) X(G3, 3, 0) X(B1, 5, 0) X(B2, 3, 0) X(R2, 5, 0)  \
    X(R3, 5, 0) X(PB, 4, 0)
#define IMCD_BC6H_RUNS_2(X) X(R0, 9, 0) X(G0, 9, 0) X(B0, 9, 0) X(R1, 4, 0)  \
    X(R0, 10, 10) X(G2, 3, 0) X(G1, 3, 0) X(G0, 10, 10) X(B3, 0, 0)          \
    X(G3, 3, 0) X(B1, 3, 0) X(B0, 10, 10) X(B3, 1, 1) X(B2, 3, 0)            \
    X(R2, 4, 0) X(B3, 2, 2) X(R3, 4, 0) X(B3, 3, 3) X(PB, 4, 0)
#define IMCD_BC6H_RUNS_6(X) X(R0, 9, 0) X(G0, 9, 0) X(B0, 9, 0) X(R1, 3, 0)  \
    X(R0, 10, 10) X(G3, 4, 4) X(G2, 3, 0) X(G1, 4, 0) X(G0, 10, 10)          \
    X(G3, 3, 0) X(B1, 3, 0) X(B0, 10, 10) X(B3, 1, 1) X(B2, 3, 0)            \
    X(R2, 3, 0) X(B3, 0, 0) X(B3, 2, 2) X(R3, 3, 0) X(G2, 4, 4) X(B3, 3, 3)  \
    X(PB, 4, 0)
#define IMCD_BC6H_RUNS_10(X) X(R0, 9, 0) X(G0, 9, 0) X(B0, 9, 0) X(R1, 3, 0) \
    X(R0, 10, 10) X(B2, 4, 4) X(G2, 3, 0) X(G1, 3, 0) X(G0, 10, 10)          \
    X(B3, 0, 0) X(G3, 3, 0) X(B1, 4, 0) X(B0, 10, 10) X(B2, 3, 0)            \
    X(R2, 3, 0) X(B3, 1, 1) X(B3, 2, 2) X(R3, 3, 0) X(B3, 4, 4) X(B3, 3, 3)  \
    X(PB, 4, 0)
#define IMCD_BC6H_RUNS_14(X) X(R0, 8, 0) X(B2, 4, 4) X(G0, 8, 0) X(G2, 4, 4) \
    X(B0, 8, 0) X(B3, 4, 4) X(R1, 4, 0) X(G3, 4, 4) X(G2, 3, 0) X(G1, 4, 0)  \
    X(B3, 0, 0) X(G3, 3, 0) X(B1, 4, 0) X(B3, 1, 1) X(B2, 3, 0) X(R2, 4, 0)  \
    X(B3, 2, 2) X(R3, 4, 0) X(B3, 3, 3) X(PB, 4, 0)
#define IMCD_BC6H_RUNS_18(X) X(R0, 7, 0) X(G3, 4, 4) X(B2, 4, 4) X(G0, 7, 0) \
    X(B3, 2, 2) X(G2, 4, 4) X(B0, 7, 0) X(B3, 3, 3) X(B3, 4, 4) X(R1, 5, 0)  \
    X(G2, 3, 0) X(G1, 4, 0) X(B3, 0, 0) X(G3, 3, 0) X(B1, 4, 0) X(B3, 1, 1)  \
    X(B2, 3, 0) X(R2, 5, 0) X(R3, 5, 0) X(PB, 4, 0)
#define IMCD_BC6H_RUNS_22(X) X(R0, 7, 0) X(B3, 0, 0) X(B2, 4, 4) X(G0, 7, 0) \
    X(G2, 5, 5) X(G2, 4, 4) X(B0, 7, 0) X(G3, 5, 5) X(B3, 4, 4) X(R1, 4, 0)  \
    X(G3, 4, 4) X(G2, 3, 0) X(G1, 5, 0) X(G3, 3, 0) X(B1, 4, 0) X(B3, 1, 1)  \
    X(B2, 3, 0) X(R2, 4, 0) X(B3, 2, 2) X(R3, 4, 0) X(B3, 3, 3) X(PB, 4, 0)
#define IMCD_BC6H_RUNS_26(X) X(R0, 7, 0) X(B3, 1, 1) X(B2, 4, 4) X(G0, 7, 0) \
    X(B2, 5, 5) X(G2, 4, 4) X(B0, 7, 0) X(B3, 5, 5) X(B3, 4, 4) X(R1, 4, 0)  \
    X(G3, 4, 4) X(G2, 3, 0) X(G1, 4, 0) X(B3, 0, 0) X(G3, 3, 0) X(B1, 5, 0)  \
    X(B2, 3, 0) X(R2, 4, 0) X(B3, 2, 2) X(R3, 4, 0) X(B3, 3, 3) X(PB, 4, 0)
#define IMCD_BC6H_RUNS_30(X) X(R0, 5, 0) X(G3, 4, 4) X(B3, 0, 0) X(B3, 1, 1) \
    X(B2, 4, 4) X(G0, 5, 0) X(G2, 5, 5) X(B2, 5, 5) X(B3, 2, 2) X(G2, 4, 4)  \
    X(B0, 5, 0) X(G3, 5, 5) X(B3, 3, 3) X(B3, 5, 5) X(B3, 4, 4) X(R1, 5, 0)  \
    X(G2, 3, 0) X(G1, 5, 0) X(G3, 3, 0) X(B1, 5, 0) X(B2, 3, 0) X(R2, 5, 0)  \
    X(R3, 5, 0) X(PB, 4, 0)
#define IMCD_BC6H_RUNS_3(X) X(R0, 9, 0) X(G0, 9, 0) X(B0, 9, 0) X(R1, 9, 0)  \
    X(G1, 9, 0) X(B1, 9, 0)
#define IMCD_BC6H_RUNS_7(X) X(R0, 9, 0) X(G0, 9, 0) X(B0, 9, 0) X(R1, 8, 0)  \
    X(R0, 10, 10) X(G1, 8, 0) X(G0, 10, 10) X(B1, 8, 0) X(B0, 10, 10)
#define IMCD_BC6H_RUNS_11(X) X(R0, 9, 0) X(G0, 9, 0) X(B0, 9, 0) X(R1, 7, 0) \
    X(R0, 10, 11) X(G1, 7, 0) X(G0, 10, 11) X(B1, 7, 0) X(B0, 10, 11)
#define IMCD_BC6H_RUNS_15(X) X(R0, 9, 0) X(G0, 9, 0) X(B0, 9, 0) X(R1, 3, 0) \
    X(R0, 10, 15) X(G1, 3, 0) X(G0, 10, 15) X(B1, 3, 0) X(B0, 10, 15)

/* Map an endpoint of epb bits to 16 bits (the spec's unquantize). */
static inline int32_t imcd_bc6h_unquantize(int32_t x, int epb, int issigned)
{
    int32_t negative = 0;
    if (!issigned) {
        if (epb >= 15 || x == 0)
            return x;
        if (x == (1 << epb) - 1)
            return 0xFFFF;
        return ((x << 15) + 0x4000) >> (epb - 1);
    }
    if (epb >= 16 || x == 0)
        return x;
    if (x < 0) {
        negative = 1;
        x = -x;
    }
    if (x >= (1 << (epb - 1)) - 1)
        x = 0x7FFF;
    else
        x = ((x << 15) + 0x4000) >> (epb - 1);
    return negative ? -x : x;
}

/* Scale an interpolated value to the bits of a half float. A negative
 * value whose magnitude scales to 0 gives +0.0, as in Microsoft's
 * finish_unquantize (the Khronos formula sets the sign bit). */
static inline uint16_t imcd_bc6h_finish(int32_t i, int issigned)
{
    if (!issigned)
        return (uint16_t)((i * 31) >> 6);
    if (i < 0) {
        i = ((-i) * 31) >> 5;
        return (uint16_t)(i ? i | 0x8000 : 0);
    }
    return (uint16_t)((i * 31) >> 5);
}

/* A BC6H block into RGB texels of half floats (native byte order). */
static inline void imcd_bc6h_block(const uint8_t *block, int issigned,
                                   uint8_t *out, ptrdiff_t stride)
{
    const imcd_bc6h_mode *m;
    imcd_bcn_bits bits;
    int32_t f[13] = {0};
    uint64_t pal[2][16];
    uint32_t partition = 0;
    uint64_t rest;
    unsigned code = block[0] & 3, anchor = 0;
    int i, c, k, nep, epb, ib, ns;

    if (code > 1)
        code = block[0] & 31;
    m = &imcd_bc6h_modes[code];
    epb = m->epb;
    if (epb == 0) {
        /* reserved modes decode to 0.0 */
        for (i = 0; i < 4; i++)
            memset(out + i * stride, 0, 24);
        return;
    }
    bits.lo = imcd_bcn_load_u64le(block);
    bits.hi = imcd_bcn_load_u64le(block + 8);
    imcd_bcn_take(&bits, code > 1 ? 5 : 2);
    /* straight code for each layout */
    /* field^(a..b); the conditions are constant */
#define IMCD_BC6H_READ(field, a, b)                                      \
    if ((a) >= (b)) {                                                    \
        f[field] |= (int32_t)imcd_bcn_take(&bits, (a) - (b) + 1) << (b); \
    } else {                                                             \
        for (i = (b); i >= (a); i--)                                     \
            f[field] |= (int32_t)imcd_bcn_take(&bits, 1) << i;           \
    }
#define IMCD_BC6H_CASE(mode)                                             \
    case mode: IMCD_BC6H_RUNS_##mode(IMCD_BC6H_READ) break;
    switch (code) {
    IMCD_BC6H_CASE(0)
    IMCD_BC6H_CASE(1)
    IMCD_BC6H_CASE(2)
    IMCD_BC6H_CASE(6)
    IMCD_BC6H_CASE(10)
    IMCD_BC6H_CASE(14)
    IMCD_BC6H_CASE(18)
    IMCD_BC6H_CASE(22)
    IMCD_BC6H_CASE(26)
    IMCD_BC6H_CASE(30)
    IMCD_BC6H_CASE(3)
    IMCD_BC6H_CASE(7)
    IMCD_BC6H_CASE(11)
    IMCD_BC6H_CASE(15)
    }
#undef IMCD_BC6H_CASE
#undef IMCD_BC6H_READ

    /* sign extension and inverse transform: endpoints 1 to 3 are deltas
     * from endpoint 0, wrapped at epb bits */
    ns = m->twosubsets ? 2 : 1;
    nep = 2 * ns;
    for (c = 0; c < 3; c++) {
        int32_t e0 = f[c];
        for (i = 1; i < nep; i++) {
            int32_t v = f[3 * i + c];
            if (m->transformed)
                v = (e0 + imcd_bcn_sext(v, m->delta[c])) & ((1 << epb) - 1);
            if (issigned)
                v = imcd_bcn_sext(v, epb);
            f[3 * i + c] = imcd_bc6h_unquantize(v, epb, issigned);
        }
        if (issigned)
            e0 = imcd_bcn_sext(e0, epb);
        f[c] = imcd_bc6h_unquantize(e0, epb, issigned);
    }

    /* palettes per subset and index: 4-bit indices from bit 65, or 3-bit
     * indices from bit 82 */
    ib = ns == 2 ? 3 : 4;
    for (k = 0; k < ns; k++) {
        for (i = 0; i < (1 << ib); i++) {
            int w = imcd_bptc_weights[ib][i];
            uint16_t h[3];
            for (c = 0; c < 3; c++)
                h[c] = imcd_bc6h_finish(
                    imcd_bptc_interpolate(f[6 * k + c], f[6 * k + 3 + c], w),
                    issigned);
            pal[k][i] = imcd_bcn_rgb16(h[0], h[1], h[2]);
        }
    }
    if (ns == 2) {
        partition = imcd_bptc_p2[f[PB]];
        anchor = imcd_bptc_a2[f[PB]];
    }
    rest = bits.lo; /* the indices are the last 63 or 46 bits */
    for (i = 0; i < 16; i++) {
        unsigned s = (partition >> (2 * i)) & 3;
        int n = ib - (i == 0 || (unsigned)i == anchor);
        k = (int)(rest & ((1u << n) - 1));
        rest >>= n;
        memcpy(IMCD_BCN_TEXEL(out, stride, i, 6), &pal[s][k], 6);
    }
}

static void imcd_bc6hu_block(const uint8_t *block, uint8_t *out,
                             ptrdiff_t stride)
{
    imcd_bc6h_block(block, 0, out, stride);
}

static void imcd_bc6hs_block(const uint8_t *block, uint8_t *out,
                             ptrdiff_t stride)
{
    imcd_bc6h_block(block, 1, out, stride);
}

/* ------------------------------------------------------------ surfaces */

static imcd_bcn_block_fn imcd_bcn_block_function(int format)
{
    switch (format) {
    case IMCD_BC1: return imcd_bc1_block;
    case IMCD_BC2: return imcd_bc2_block;
    case IMCD_BC3: return imcd_bc3_block;
    case IMCD_BC4: return imcd_bc4_block;
    case IMCD_BC5: return imcd_bc5_block;
    case IMCD_BC6HU: return imcd_bc6hu_block;
    case IMCD_BC6HS: return imcd_bc6hs_block;
    case IMCD_BC7: return imcd_bc7_block;
    default: return NULL;
    }
}

ptrdiff_t imcd_bcn_block_size(int format)
{
    switch (format) {
    case IMCD_BC1:
    case IMCD_BC4: return 8;
    case IMCD_BC2:
    case IMCD_BC3:
    case IMCD_BC5:
    case IMCD_BC6HU:
    case IMCD_BC6HS:
    case IMCD_BC7: return 16;
    default: return IMCD_NOT_SUPPORTED;
    }
}

ptrdiff_t imcd_bcn_texel_size(int format)
{
    switch (format) {
    case IMCD_BC4: return 1;
    case IMCD_BC5: return 2;
    case IMCD_BC6HU:
    case IMCD_BC6HS: return 6;
    case IMCD_BC1:
    case IMCD_BC2:
    case IMCD_BC3:
    case IMCD_BC7: return 4;
    default: return IMCD_NOT_SUPPORTED;
    }
}

ptrdiff_t imcd_bcn_encoded_size(int format, ptrdiff_t width, ptrdiff_t height,
                                ptrdiff_t count, ptrdiff_t limit)
{
    ptrdiff_t size = imcd_bcn_block_size(format);
    if (size < 0)
        return size;
    if (width < 0 || height < 0 || count < 0)
        return IMCD_VALUE;
    if (width == 0 || height == 0 || count == 0)
        return 0;
    size = imcd_bcn_mul(size, width / 4 + (width % 4 != 0), limit);
    size = imcd_bcn_mul(size, height / 4 + (height % 4 != 0), limit);
    size = imcd_bcn_mul(size, count, limit);
    return size < 0 ? IMCD_VALUE : size;
}

/* Decode one image; src and dst are known to be large enough. Edge
 * blocks are decoded to a small buffer and copied cropped. */
static void imcd_bcn_surface(const uint8_t *src, int format, ptrdiff_t width,
                             ptrdiff_t height, uint8_t *dst)
{
    imcd_bcn_block_fn decode = imcd_bcn_block_function(format);
    ptrdiff_t bs = imcd_bcn_block_size(format);
    ptrdiff_t ts = imcd_bcn_texel_size(format);
    ptrdiff_t rowsize = width * ts, x, y, r;
    union {
        uint64_t align;
        uint8_t bytes[16 * 8];
    } texels;

    for (y = 0; y < height; y += 4) {
        ptrdiff_t rows = height - y < 4 ? height - y : 4;
        uint8_t *out = dst + y * rowsize;
        for (x = 0; x < width; x += 4, src += bs, out += 4 * ts) {
            ptrdiff_t n = (width - x < 4 ? width - x : 4) * ts;
            if (rows == 4 && n == 4 * ts) {
                decode(src, out, rowsize);
                continue;
            }
            decode(src, texels.bytes, 4 * ts);
            for (r = 0; r < rows; r++)
                memcpy(out + r * rowsize, texels.bytes + 4 * ts * r,
                       (size_t)n);
        }
    }
}

ptrdiff_t imcd_bcn_decode(const uint8_t *src, ptrdiff_t srcsize, int format,
                          ptrdiff_t width, ptrdiff_t height, ptrdiff_t count,
                          uint8_t *dst, ptrdiff_t dstsize)
{
    ptrdiff_t insize, outsize, imagesize, k;
    ptrdiff_t ts = imcd_bcn_texel_size(format);
    if (ts < 0)
        return ts;
    if (width < 0 || height < 0 || count < 0)
        return IMCD_VALUE;
    if (width == 0 || height == 0 || count == 0)
        return 0;
    insize = imcd_bcn_encoded_size(format, width, height, count, srcsize);
    if (insize < 0)
        return IMCD_TRUNCATED;
    imagesize = imcd_bcn_mul(imcd_bcn_mul(width, height, dstsize), ts,
                             dstsize);
    outsize = imcd_bcn_mul(imagesize, count, dstsize);
    if (imagesize < 0 || outsize < 0)
        return IMCD_OUTPUT_TOO_SMALL;
    insize /= count;
    for (k = 0; k < count; k++)
        imcd_bcn_surface(src + k * insize, format, width, height,
                         dst + k * imagesize);
    return insize * count;
}

/* ----------------------------------------------------------------- DDS */

#define IMCD_FOURCC(a, b, c, d)                                          \
    ((uint32_t)(a) | ((uint32_t)(b) << 8) | ((uint32_t)(c) << 16) |      \
     ((uint32_t)(d) << 24))

#define IMCD_DDS_HEADER_SIZE 128   /* magic and DDS_HEADER */
#define IMCD_DDS_DX10_SIZE 20      /* DDS_HEADER_DXT10 */
#define IMCD_DDSD_MIPMAPCOUNT 0x20000
#define IMCD_DDSD_DEPTH 0x800000
#define IMCD_DDSCAPS2_CUBEMAP 0x200
#define IMCD_DDSCAPS2_FACES 0xFC00 /* the six DDSCAPS2_CUBEMAP_* faces */
#define IMCD_DDS_MISC_TEXTURECUBE 0x4

/* The block format of a legacy fourcc, or 0. DXT2 and DXT4 are BC2 and
 * BC3 with premultiplied alpha. */
static int imcd_dds_fourcc_format(uint32_t fourcc)
{
    if (fourcc == IMCD_FOURCC('D', 'X', 'T', '1'))
        return IMCD_BC1;
    if (fourcc == IMCD_FOURCC('D', 'X', 'T', '2') ||
        fourcc == IMCD_FOURCC('D', 'X', 'T', '3'))
        return IMCD_BC2;
    if (fourcc == IMCD_FOURCC('D', 'X', 'T', '4') ||
        fourcc == IMCD_FOURCC('D', 'X', 'T', '5'))
        return IMCD_BC3;
    if (fourcc == IMCD_FOURCC('A', 'T', 'I', '1') ||
        fourcc == IMCD_FOURCC('B', 'C', '4', 'U'))
        return IMCD_BC4;
    if (fourcc == IMCD_FOURCC('A', 'T', 'I', '2') ||
        fourcc == IMCD_FOURCC('B', 'C', '5', 'U'))
        return IMCD_BC5;
    return 0;
}

/* The block format of a DXGI_FORMAT, or 0: BCn TYPELESS, UNORM and
 * UNORM_SRGB (decoded alike), BC6H UF16 and SF16. SNORM is not
 * supported. */
static int imcd_dds_dxgi_format(uint32_t dxgi)
{
    switch (dxgi) {
    case 70: case 71: case 72: return IMCD_BC1;
    case 73: case 74: case 75: return IMCD_BC2;
    case 76: case 77: case 78: return IMCD_BC3;
    case 79: case 80: return IMCD_BC4;
    case 82: case 83: return IMCD_BC5;
    case 95: return IMCD_BC6HU;
    case 96: return IMCD_BC6HS;
    case 97: case 98: case 99: return IMCD_BC7;
    default: return 0;
    }
}

ptrdiff_t imcd_dds_info_read(const uint8_t *src, ptrdiff_t srcsize,
                             imcd_dds_info *info)
{
    uint32_t flags, width, height, depth, mipmaps, caps2, arraysize = 1;
    uint32_t size, levels = 1;

    memset(info, 0, sizeof(*info));
    if (srcsize < 4 || memcmp(src, "DDS ", 4) != 0)
        return IMCD_CORRUPT;
    if (srcsize < IMCD_DDS_HEADER_SIZE)
        return IMCD_TRUNCATED;
    flags = imcd_load_u32le(src + 8);
    height = imcd_load_u32le(src + 12);
    width = imcd_load_u32le(src + 16);
    depth = imcd_load_u32le(src + 24);
    mipmaps = imcd_load_u32le(src + 28);
    info->fourcc = imcd_load_u32le(src + 84);
    caps2 = imcd_load_u32le(src + 112);
    info->offset = IMCD_DDS_HEADER_SIZE;
    info->faces = 1;
    if (info->fourcc == IMCD_FOURCC('D', 'X', '1', '0')) {
        const uint8_t *dx10 = src + IMCD_DDS_HEADER_SIZE;
        if (srcsize < IMCD_DDS_HEADER_SIZE + IMCD_DDS_DX10_SIZE)
            return IMCD_TRUNCATED;
        info->dxgiformat = imcd_load_u32le(dx10);
        info->format = imcd_dds_dxgi_format(info->dxgiformat);
        if (imcd_load_u32le(dx10 + 8) & IMCD_DDS_MISC_TEXTURECUBE) {
            info->cubemap = 1;
            info->faces = 6;
        }
        arraysize = imcd_load_u32le(dx10 + 12);
        info->offset += IMCD_DDS_DX10_SIZE;
    } else {
        info->format = imcd_dds_fourcc_format(info->fourcc);
        if (caps2 & IMCD_DDSCAPS2_CUBEMAP) {
            /* legacy cube maps may store fewer than six faces */
            uint32_t faces = caps2 & IMCD_DDSCAPS2_FACES;
            info->cubemap = 1;
            info->faces = 0;
            for (; faces; faces &= faces - 1)
                info->faces++;
            if (info->faces == 0)
                info->faces = 6;
        }
    }
    if (!(flags & IMCD_DDSD_DEPTH))
        depth = 1;
    info->width = width;
    info->height = height;
    info->depth = depth;
    info->arraysize = arraysize > 0 ? arraysize : 1;
    if (info->format == 0)
        return IMCD_NOT_SUPPORTED;
    /* dimensions beyond 2^31 cannot be in any stream: refuse them early */
    if (width == 0 || height == 0 || depth == 0 || width > INT32_MAX ||
        height > INT32_MAX || depth > INT32_MAX || arraysize > INT32_MAX)
        return IMCD_CORRUPT;
    /* a mipmap chain ends at 1x1x1: clamp hostile counts to that */
    for (size = width | height | depth; size > 1; size >>= 1)
        levels++;
    if ((flags & IMCD_DDSD_MIPMAPCOUNT) && mipmaps > 1)
        info->mipmaps = mipmaps < levels ? mipmaps : levels;
    else
        info->mipmaps = 1;
    return 0;
}

static inline ptrdiff_t imcd_dds_extent(ptrdiff_t size, ptrdiff_t level)
{
    return (size >> level) > 0 ? size >> level : 1;
}

/* Locate a mipmap level: its offset in a face and the bytes of one face
 * with all its levels (faces of all elements follow each other). Return
 * the stream size needed, or IMCD_TRUNCATED. */
static ptrdiff_t imcd_dds_layout(const imcd_dds_info *info, ptrdiff_t srcsize,
                                 ptrdiff_t mipmap, ptrdiff_t *leveloffset,
                                 ptrdiff_t *facesize)
{
    ptrdiff_t level, size = 0, levelsize = 0, needed, faces;
    *leveloffset = 0;
    for (level = 0; level < info->mipmaps; level++) {
        ptrdiff_t n = imcd_bcn_encoded_size(
            info->format, imcd_dds_extent(info->width, level),
            imcd_dds_extent(info->height, level),
            imcd_dds_extent(info->depth, level), srcsize);
        if (n < 0)
            return IMCD_TRUNCATED;
        if (level == mipmap) {
            *leveloffset = size;
            levelsize = n;
        }
        size += n; /* at most 32 levels of at most srcsize: no overflow */
    }
    *facesize = size;
    faces = imcd_bcn_mul(info->arraysize, info->faces, srcsize);
    needed = imcd_bcn_mul(faces - 1, size, srcsize);
    if (faces < 0 || needed < 0 || needed > srcsize - info->offset -
                                                *leveloffset - levelsize)
        return IMCD_TRUNCATED;
    return needed + info->offset + *leveloffset + levelsize;
}

ptrdiff_t imcd_dds_decoded_size(const imcd_dds_info *info, ptrdiff_t srcsize,
                                ptrdiff_t mipmap)
{
    ptrdiff_t leveloffset, facesize, size;
    ptrdiff_t status;
    if (mipmap < 0 || mipmap >= info->mipmaps)
        return IMCD_VALUE;
    status = imcd_dds_layout(info, srcsize, mipmap, &leveloffset, &facesize);
    if (status < 0)
        return status;
    size = imcd_bcn_mul(imcd_bcn_texel_size(info->format), info->faces,
                        PTRDIFF_MAX);
    size = imcd_bcn_mul(size, info->arraysize, PTRDIFF_MAX);
    size = imcd_bcn_mul(size, imcd_dds_extent(info->depth, mipmap),
                        PTRDIFF_MAX);
    size = imcd_bcn_mul(size, imcd_dds_extent(info->height, mipmap),
                        PTRDIFF_MAX);
    size = imcd_bcn_mul(size, imcd_dds_extent(info->width, mipmap),
                        PTRDIFF_MAX);
    return size < 0 ? IMCD_MEMORY : size;
}

ptrdiff_t imcd_dds_decode(const uint8_t *src, ptrdiff_t srcsize,
                          const imcd_dds_info *info, ptrdiff_t mipmap,
                          uint8_t *dst, ptrdiff_t dstsize)
{
    ptrdiff_t leveloffset, facesize, size, facebytes, face, faces;
    ptrdiff_t width = imcd_dds_extent(info->width, mipmap);
    ptrdiff_t height = imcd_dds_extent(info->height, mipmap);
    ptrdiff_t depth = imcd_dds_extent(info->depth, mipmap);
    size = imcd_dds_decoded_size(info, srcsize, mipmap);
    if (size < 0)
        return size;
    if (size > dstsize)
        return IMCD_OUTPUT_TOO_SMALL;
    imcd_dds_layout(info, srcsize, mipmap, &leveloffset, &facesize);
    faces = info->arraysize * info->faces;
    facebytes = size / faces;
    for (face = 0; face < faces; face++) {
        const uint8_t *surface = src + info->offset + face * facesize +
                                 leveloffset;
        ptrdiff_t status = imcd_bcn_decode(
            surface, srcsize - (surface - src), info->format, width, height,
            depth, dst + face * facebytes, facebytes);
        if (status < 0)
            return status;
    }
    return size;
}
