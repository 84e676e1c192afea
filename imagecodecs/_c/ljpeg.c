/* SPDX-License-Identifier: BSD-3-Clause */
/* Lossless JPEG (ITU-T T.81 Annex H, Huffman coding). Each sample is
 * predicted from its reconstructed neighbours Ra (left), Rb (above) and Rc
 * (above left); the difference modulo 2^16 is coded as its bit length SSSS,
 * a Huffman code, followed by SSSS extra bits (F.1.2.1; SSSS = 16 stands
 * for 32768 and has none). */
#include "ljpeg.h"

#include <stdlib.h>

#define LJ_LOOKUP 10    /* bits of the first-level Huffman lookup */
#define LJ_FULL 0x20    /* lookup entry that holds the difference too */
#define LJ_BAD INT32_MIN /* lj_decode_diff failed */

/* A Huffman table of T.81 Annex C for decoding. lookup[] is indexed by
 * the next LJ_LOOKUP bits: length of the code (0: longer, see maxcode) in
 * bits 0-4, its symbol in bits 8-15, and, when code and extra bits fit,
 * LJ_FULL, their total length and the difference in bits 16-31. */
typedef struct {
    int32_t lookup[1 << LJ_LOOKUP];
    int32_t maxcode[17]; /* largest code of each length, -1 if none */
    int32_t valoff[17];  /* values[] index of a code: code + valoff */
    uint8_t values[256];
    int count;           /* number of codes; 0 if undefined */
    int defined;
} lj_huff;

typedef struct {
    const uint8_t *end;
    const uint8_t *pos;  /* next unread byte */
    imcd_ljpeg_info info;
    int ids[4];          /* component identifiers */
    int sampling[4];     /* component sampling factors Hi << 4 | Vi */
    ptrdiff_t restart;   /* restart interval Ri in MCUs */
    int frame;           /* a SOF3 header was read */
    lj_huff huff[4];
} lj_parser;

/* Where and how the decoder writes. */
typedef struct {
    uint8_t *dst;
    int itemsize;
    const uint16_t *lut;
    ptrdiff_t lutsize;
    int flags;
    uint16_t *lines;     /* two scratch lines of width * 4 samples */
    int done;            /* bit mask of the decoded components */
} lj_output;

/* Entropy-coded data: bits, most significant first, are read from buf.
 * At a marker or the end of the data zero bytes are fed and counted in
 * pad, so that decoding can run ahead without tests; it is an error only
 * if any of them was consumed. */
typedef struct {
    const uint8_t *ptr;
    const uint8_t *end;
    uint64_t buf;
    int count;
    ptrdiff_t pad;
} lj_bits;

static inline uint64_t lj_load_u64be(const uint8_t *p)
{
    return ((uint64_t)imcd_load_u32be(p) << 32) | imcd_load_u32be(p + 4);
}

/* Top up buf to at least 57 bits. */
static inline void lj_refill(lj_bits *b)
{
    if (b->end - b->ptr >= 8) {
        /* fast path: the next eight bytes hold no 0xFF */
        uint64_t w = lj_load_u64be(b->ptr);
        uint64_t x = ~w;
        if (((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) ==
            0) {
            int n = (64 - b->count) >> 3;
            b->buf |= (w >> (64 - 8 * n)) << (64 - 8 * n - b->count);
            b->count += 8 * n;
            b->ptr += n;
            return;
        }
    }
    while (b->count <= 56) {
        uint64_t byte = 0;
        const uint8_t *p = b->ptr;
        if (p < b->end && *p != 0xFF) {
            byte = *p;
            b->ptr++;
        } else if (b->end - p >= 2 && p[1] == 0x00) {
            byte = 0xFF; /* stuffed */
            b->ptr += 2;
        } else if (b->end - p >= 2 && p[1] == 0xFF) {
            b->ptr++; /* fill byte before a marker */
            continue;
        } else {
            b->pad++; /* at a marker or the end: stay there */
        }
        b->buf |= byte << (56 - b->count);
        b->count += 8;
    }
}

static inline void lj_skip(lj_bits *b, int n)
{
    b->buf <<= n;
    b->count -= n;
}

/* Decode the next difference with table h, or return LJ_BAD. */
static inline int32_t lj_decode_diff(lj_bits *b, const lj_huff *h)
{
    int32_t e, len, s;
    uint32_t v;
    if (b->count < 32)
        lj_refill(b);
    e = h->lookup[b->buf >> (64 - LJ_LOOKUP)];
    if (e & LJ_FULL) {
        lj_skip(b, e & 31);
        return e >> 16;
    }
    len = e & 31;
    if (len != 0) {
        s = (e >> 8) & 0xFF;
    } else {
        int32_t code, index;
        for (len = LJ_LOOKUP + 1;; len++) {
            if (len > 16)
                return LJ_BAD;
            code = (int32_t)(b->buf >> (64 - len));
            if (code <= h->maxcode[len])
                break;
        }
        index = code + h->valoff[len];
        if (index < 0 || index >= h->count)
            return LJ_BAD;
        s = h->values[index];
    }
    lj_skip(b, len);
    if (s == 0)
        return 0;
    if (s < 16) {
        v = (uint32_t)(b->buf >> (64 - s));
        lj_skip(b, s);
        return v < (1u << (s - 1)) ? (int32_t)v - (1 << s) + 1 : (int32_t)v;
    }
    return s == 16 ? 32768 : LJ_BAD;
}

/* Build the decoding tables of the DHT counts bits[1..16] and values. */
static ptrdiff_t lj_huff_init(lj_huff *h, const uint8_t *bits,
                              const uint8_t *values, int count)
{
    int32_t code = 0;
    int len, k = 0;
    memset(h->lookup, 0, sizeof(h->lookup));
    memcpy(h->values, values, (size_t)count);
    h->count = count;
    h->defined = 1;
    for (len = 1; len <= 16; len++) {
        int n = bits[len - 1];
        h->valoff[len] = k - code;
        h->maxcode[len] = n ? code + n - 1 : -1;
        for (; n > 0; n--, k++, code++) {
            int s = values[k];
            int32_t first, last, i;
            if (code >= (1 << len))
                return IMCD_CORRUPT; /* more codes than fit */
            if (len > LJ_LOOKUP)
                continue;
            first = code << (LJ_LOOKUP - len);
            last = (code + 1) << (LJ_LOOKUP - len);
            for (i = first; i < last; i++) {
                int32_t e = len | (s << 8);
                if (s < 16 && len + s <= LJ_LOOKUP) {
                    /* the extra bits follow the code in the index */
                    int32_t v = s ? (i >> (LJ_LOOKUP - len - s)) &
                                        ((1 << s) - 1)
                                  : 0;
                    if (s && v < (1 << (s - 1)))
                        v -= (1 << s) - 1;
                    e = (int32_t)((uint32_t)v << 16) | LJ_FULL | (len + s);
                }
                h->lookup[i] = e;
            }
        }
        code <<= 1;
    }
    return IMCD_OK;
}

/* Advance to the next marker; return its code or a negative status.
 * Fill bytes 0xFF and stray bytes before a marker are skipped. */
static int lj_next_marker(lj_parser *p)
{
    const uint8_t *q = p->pos;
    while (p->end - q >= 2) {
        if (q[0] == 0xFF && q[1] != 0xFF && q[1] != 0x00) {
            p->pos = q + 2;
            return q[1];
        }
        q++;
    }
    p->pos = p->end;
    return IMCD_TRUNCATED;
}

static ptrdiff_t lj_read_sof(lj_parser *p, const uint8_t *s, ptrdiff_t n)
{
    imcd_ljpeg_info *info = &p->info;
    int i;
    if (p->frame)
        return IMCD_CORRUPT;
    if (n < 6)
        return IMCD_CORRUPT;
    info->precision = s[0];
    info->height = imcd_load_u16be(s + 1);
    info->width = imcd_load_u16be(s + 3);
    info->components = s[5];
    if (info->precision < 2 || info->precision > 16 ||
        info->components < 1 || info->components > 4 ||
        n < 6 + 3 * info->components)
        return IMCD_CORRUPT;
    for (i = 0; i < info->components; i++) {
        p->ids[i] = s[6 + 3 * i];
        p->sampling[i] = s[7 + 3 * i];
        if (p->sampling[i] != p->sampling[0])
            return IMCD_NOT_SUPPORTED; /* subsampled components */
    }
    p->frame = 1;
    return IMCD_OK;
}

static ptrdiff_t lj_read_dht(lj_parser *p, const uint8_t *s, ptrdiff_t n)
{
    while (n > 0) {
        int tc = s[0] >> 4, th = s[0] & 15, count = 0, i;
        ptrdiff_t status;
        if (n < 17 || th > 3 || tc > 1)
            return IMCD_CORRUPT;
        for (i = 1; i <= 16; i++)
            count += s[i];
        if (count > 256 || n < 17 + count)
            return IMCD_CORRUPT;
        /* class 1 (AC) tables have no use in lossless mode */
        if (tc == 0) {
            status = lj_huff_init(&p->huff[th], s + 1, s + 17, count);
            if (status < 0)
                return status;
        }
        s += 17 + count;
        n -= 17 + count;
    }
    return IMCD_OK;
}

static inline int32_t lj_predict(int psel, int32_t ra, int32_t rb,
                                 int32_t rc)
{
    switch (psel) {
    case 1: return ra;
    case 2: return rb;
    case 3: return rc;
    case 4: return ra + rb - rc;
    case 5: return ra + ((rb - rc) >> 1);
    case 6: return rb + ((ra - rc) >> 1);
    case 7: return (ra + rb) >> 1;
    default: return 0; /* no prediction */
    }
}

/* Decode one line of n samples in ns interleaved components. prev is the
 * line above, or NULL for the first line of the scan or of a restart
 * interval, which is predicted from the left and starts at init. */
static inline ptrdiff_t lj_decode_line(lj_bits *b, const lj_huff *const *tab,
                                       int ns, ptrdiff_t n, uint16_t *cur,
                                       const uint16_t *prev, int psel,
                                       int32_t init)
{
    ptrdiff_t i;
    int c;
    for (c = 0; c < ns && c < n; c++) {
        int32_t diff = lj_decode_diff(b, tab[c]);
        if (diff == LJ_BAD)
            return IMCD_CORRUPT;
        cur[c] = (uint16_t)((prev ? prev[c] : init) + diff);
    }
    if (prev == NULL) {
        for (i = ns; i < n; i += ns) {
            for (c = 0; c < ns; c++) {
                int32_t diff = lj_decode_diff(b, tab[c]);
                if (diff == LJ_BAD)
                    return IMCD_CORRUPT;
                cur[i + c] = (uint16_t)(cur[i + c - ns] + diff);
            }
        }
        return IMCD_OK;
    }
    for (i = ns; i < n; i += ns) {
        for (c = 0; c < ns; c++) {
            int32_t diff = lj_decode_diff(b, tab[c]);
            if (diff == LJ_BAD)
                return IMCD_CORRUPT;
            cur[i + c] = (uint16_t)(lj_predict(psel, cur[i + c - ns],
                                               prev[i + c],
                                               prev[i + c - ns]) +
                                    diff);
        }
    }
    return IMCD_OK;
}

/* Instantiate the line decoder for each predictor and for one component. */
static ptrdiff_t lj_decode_line_any(lj_bits *b, const lj_huff *const *tab,
                                    int ns, ptrdiff_t n, uint16_t *cur,
                                    const uint16_t *prev, int psel,
                                    int32_t init)
{
#define LJ_CASE(k)                                                        \
    case k:                                                               \
        return ns == 1 ? lj_decode_line(b, tab, 1, n, cur, prev, k, init) \
                       : lj_decode_line(b, tab, ns, n, cur, prev, k, init);
    switch (psel) {
        LJ_CASE(0)
        LJ_CASE(1)
        LJ_CASE(2)
        LJ_CASE(3)
        LJ_CASE(4)
        LJ_CASE(5)
        LJ_CASE(6)
        LJ_CASE(7)
    }
#undef LJ_CASE
    return IMCD_CORRUPT;
}

/* Store a decoded line: shift by the point transform, map through the
 * lookup table and interleave into the frame's components. */
static ptrdiff_t lj_store_line(const lj_output *out, const uint16_t *line,
                               ptrdiff_t width, int ns, const int *cidx,
                               int nf, int pt, ptrdiff_t y)
{
    ptrdiff_t x;
    int c;
    for (c = 0; c < ns; c++) {
        ptrdiff_t pos = y * width * nf + cidx[c];
        for (x = 0; x < width; x++, pos += nf) {
            uint16_t v = (uint16_t)(line[x * ns + c] << pt);
            if (out->lut != NULL) {
                if (v >= out->lutsize)
                    return IMCD_VALUE;
                v = out->lut[v];
            }
            if (out->itemsize == 1)
                out->dst[pos] = (uint8_t)v;
            else
                memcpy(out->dst + 2 * pos, &v, 2);
        }
    }
    return IMCD_OK;
}

/* Fail if the decoder consumed bits that the data does not hold. */
static inline ptrdiff_t lj_bits_check(const lj_bits *b)
{
    return b->pad * 8 > b->count ? IMCD_TRUNCATED : IMCD_OK;
}

/* End a restart interval: the next marker must be RSTn. */
static ptrdiff_t lj_restart(lj_bits *b)
{
    const uint8_t *q = b->ptr;
    if (lj_bits_check(b) < 0)
        return IMCD_TRUNCATED;
    while (b->end - q >= 2 && !(q[0] == 0xFF && q[1] != 0 && q[1] != 0xFF))
        q++;
    if (b->end - q < 2)
        return IMCD_TRUNCATED;
    if (q[1] < 0xD0 || q[1] > 0xD7)
        return IMCD_CORRUPT;
    b->ptr = q + 2;
    b->buf = 0;
    b->count = 0;
    b->pad = 0;
    return IMCD_OK;
}

/* Decode the scan whose header s holds n bytes. */
static ptrdiff_t lj_decode_scan(lj_parser *p, const uint8_t *s, ptrdiff_t n,
                                lj_output *out)
{
    const imcd_ljpeg_info *info = &p->info;
    const lj_huff *tab[4];
    int cidx[4];
    int ns, psel, pt, c, i, direct = 1;
    ptrdiff_t y, width = info->width, lines_per_restart = 0, status;
    lj_bits b;
    uint16_t *cur, *prev;
    int32_t init;

    if (!p->frame || n < 1)
        return IMCD_CORRUPT;
    ns = s[0];
    if (ns < 1 || ns > info->components || n < 4 + 2 * ns)
        return IMCD_CORRUPT;
    for (c = 0; c < ns; c++) {
        int td = s[2 + 2 * c] >> 4;
        for (i = 0; i < info->components; i++)
            if (p->ids[i] == s[1 + 2 * c])
                break;
        if (i == info->components || td > 3 || !p->huff[td].defined)
            return IMCD_CORRUPT;
        cidx[c] = i;
        tab[c] = &p->huff[td];
        direct &= i == c;
    }
    psel = s[1 + 2 * ns];
    pt = s[3 + 2 * ns] & 15;
    if (psel > 7 || pt >= info->precision)
        return IMCD_CORRUPT;
    if (psel == 0 && (out->flags & IMCD_LJPEG_PRED0_AS_RA))
        psel = 1;
    if (ns > 1 && p->sampling[0] != 0x11)
        return IMCD_NOT_SUPPORTED; /* MCUs of several samples */
    if (p->restart > 0 && width > 0) {
        /* restart intervals must be whole lines in lossless mode */
        if (p->restart % width)
            return IMCD_NOT_SUPPORTED;
        lines_per_restart = p->restart / width;
    }
    init = 1 << (info->precision - pt - 1);
    /* decode straight into the output when it has the scan's layout */
    direct &= ns == info->components && out->itemsize == 2 &&
              out->lut == NULL && pt == 0 &&
              ((uintptr_t)out->dst & 1) == 0;

    b.ptr = p->pos;
    b.end = p->end;
    b.buf = 0;
    b.count = 0;
    b.pad = 0;
    cur = out->lines;
    prev = NULL;
    for (y = 0; y < info->height; y++) {
        if (direct)
            cur = (uint16_t *)out->dst + y * width * ns;
        if (lines_per_restart && y > 0 && y % lines_per_restart == 0) {
            status = lj_restart(&b);
            if (status < 0)
                return status;
            prev = NULL;
        }
        status = lj_decode_line_any(&b, tab, ns, width * ns, cur, prev, psel,
                                    init);
        if (status < 0)
            return status;
        if (!direct) {
            status = lj_store_line(out, cur, width, ns, cidx,
                                   info->components, pt, y);
            if (status < 0)
                return status;
            prev = cur;
            cur = cur == out->lines ? out->lines + width * 4
                                    : out->lines;
        } else {
            prev = cur;
        }
    }
    status = lj_bits_check(&b);
    if (status < 0)
        return status;
    for (c = 0; c < ns; c++)
        out->done |= 1 << cidx[c];
    p->pos = b.ptr;
    return IMCD_OK;
}

/* Read marker segments up to the first scan (out == NULL) or through the
 * end of the image, decoding every scan. */
static ptrdiff_t lj_parse(lj_parser *p, const uint8_t *src, ptrdiff_t srcsize,
                          lj_output *out)
{
    memset(p, 0, sizeof(*p));
    p->end = src + srcsize;
    if (srcsize < 2 || src[0] != 0xFF || src[1] != 0xD8)
        return IMCD_CORRUPT;
    p->pos = src + 2;
    for (;;) {
        const uint8_t *s;
        ptrdiff_t n, status = IMCD_OK;
        int marker = lj_next_marker(p);
        if (marker < 0) {
            /* tolerate a missing EOI once every component is decoded */
            if (out != NULL && p->frame &&
                out->done == (1 << p->info.components) - 1)
                return IMCD_OK;
            return marker;
        }
        if (marker == 0xD9)
            break;
        if ((marker >= 0xD0 && marker <= 0xD8) || marker == 0x01)
            continue; /* no segment */
        if (p->end - p->pos < 2)
            return IMCD_TRUNCATED;
        n = imcd_load_u16be(p->pos) - 2;
        s = p->pos + 2;
        if (n < 0)
            return IMCD_CORRUPT;
        if (p->end - s < n)
            return IMCD_TRUNCATED;
        p->pos = s + n;
        if (marker == 0xC3) {
            status = lj_read_sof(p, s, n);
        } else if (marker == 0xC4) {
            status = lj_read_dht(p, s, n);
        } else if (marker == 0xDD) {
            if (n < 2)
                return IMCD_CORRUPT;
            p->restart = imcd_load_u16be(s);
        } else if (marker == 0xDA) {
            if (out == NULL)
                return p->frame ? IMCD_OK : IMCD_CORRUPT;
            status = lj_decode_scan(p, s, n, out);
        } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC8 &&
                   marker != 0xCC) {
            return IMCD_NOT_SUPPORTED; /* not a lossless Huffman frame */
        }
        if (status < 0)
            return status;
    }
    if (out == NULL || !p->frame)
        return IMCD_CORRUPT;
    return out->done == (1 << p->info.components) - 1 ? IMCD_OK
                                                       : IMCD_TRUNCATED;
}

ptrdiff_t imcd_ljpeg_info_read(const uint8_t *src, ptrdiff_t srcsize,
                               imcd_ljpeg_info *info)
{
    lj_parser *p = (lj_parser *)malloc(sizeof(lj_parser));
    ptrdiff_t status;
    if (p == NULL)
        return IMCD_MEMORY;
    status = lj_parse(p, src, srcsize, NULL);
    *info = p->info;
    free(p);
    if (status < 0)
        return status;
    /* each sample takes one bit at least: refuse absurd sizes early */
    if ((double)info->width * (double)info->height * info->components >
        8.0 * (double)srcsize)
        return IMCD_TRUNCATED;
    return IMCD_OK;
}

ptrdiff_t imcd_ljpeg_decode(const uint8_t *src, ptrdiff_t srcsize,
                            uint8_t *dst, ptrdiff_t dstsize, int itemsize,
                            const uint16_t *lut, ptrdiff_t lutsize, int flags)
{
    lj_parser *p;
    lj_output out;
    imcd_ljpeg_info info;
    ptrdiff_t status, size;

    if (itemsize != 1 && itemsize != 2)
        return IMCD_VALUE;
    status = imcd_ljpeg_info_read(src, srcsize, &info);
    if (status < 0)
        return status;
    size = info.width * info.height * info.components * itemsize;
    if (dstsize < size)
        return IMCD_OUTPUT_TOO_SMALL;
    if (size == 0)
        return 0;
    p = (lj_parser *)malloc(sizeof(lj_parser));
    out.lines = (uint16_t *)malloc((size_t)info.width * 8 * sizeof(uint16_t));
    if (p == NULL || out.lines == NULL) {
        free(p);
        free(out.lines);
        return IMCD_MEMORY;
    }
    out.dst = dst;
    out.itemsize = itemsize;
    out.lut = lut;
    out.lutsize = lutsize;
    out.flags = flags;
    out.done = 0;
    status = lj_parse(p, src, srcsize, &out);
    free(out.lines);
    free(p);
    return status < 0 ? status : size;
}

/* Encoder */

#define LJ_PREDICTOR 6 /* Rb + (Ra - Rc) / 2 */

typedef struct {
    uint8_t *ptr;
    uint8_t *end;
    uint64_t acc; /* pending bits, the last n valid */
    int n;
    int full;     /* output buffer overflowed */
} lj_writer;

static inline void lj_put(lj_writer *w, uint32_t bits, int len)
{
    if (w->full)
        return;
    w->acc = (w->acc << len) | bits;
    w->n += len;
    while (w->n >= 8) {
        uint8_t byte = (uint8_t)(w->acc >> (w->n - 8));
        w->n -= 8;
        if (w->end - w->ptr < 2) {
            w->full = 1;
            w->n = 0;
            return;
        }
        *w->ptr++ = byte;
        if (byte == 0xFF)
            *w->ptr++ = 0; /* stuffing */
    }
}

static inline int lj_nbits(uint32_t v)
{
#if defined(__GNUC__)
    return v ? 32 - __builtin_clz(v) : 0;
#else
    int n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
#endif
}

/* Load line y of the image as precision-bit values, mapped through lut. */
static ptrdiff_t lj_load_line(const uint8_t *src, int itemsize, ptrdiff_t n,
                              ptrdiff_t y, const uint16_t *lut,
                              ptrdiff_t lutsize, int precision,
                              uint16_t *line)
{
    ptrdiff_t i;
    uint32_t any = 0;
    src += y * n * itemsize;
    for (i = 0; i < n; i++) {
        uint16_t v;
        if (itemsize == 1) {
            v = src[i];
        } else {
            memcpy(&v, src + 2 * i, 2);
        }
        if (lut != NULL) {
            if (v >= lutsize)
                return IMCD_VALUE;
            v = lut[v];
        }
        line[i] = v;
        any |= v;
    }
    return any >> precision ? IMCD_VALUE : IMCD_OK;
}

/* Differences of a line, modulo 2^16 in -32767..32768, as the decoder
 * predicts them (see lj_decode_line). */
static void lj_diff_line(const uint16_t *cur, const uint16_t *prev, int ns,
                         ptrdiff_t n, int32_t init, int32_t *diff)
{
    ptrdiff_t i;
    for (i = 0; i < n; i++) {
        int32_t pred, d;
        if (i < ns)
            pred = prev ? prev[i] : init;
        else if (prev == NULL)
            pred = cur[i - ns];
        else
            pred = lj_predict(LJ_PREDICTOR, cur[i - ns], prev[i],
                              prev[i - ns]);
        d = (cur[i] - pred) & 0xFFFF;
        diff[i] = d > 32768 ? d - 65536 : d;
    }
}

/* Optimal code lengths for the 17 categories, limited to 16 bits (T.81
 * Annex K.2 and K.3). A reserved symbol of count 1 keeps the all-ones
 * code unused. Return the number of codes; bits[0..15] counts codes of
 * lengths 1 to 16, values lists the categories by code length. */
static int lj_huff_lengths(const uint64_t *freq, uint8_t *bits,
                           uint8_t *values)
{
    uint64_t f[18];
    int size[18], next[18], count[33];
    int i, k = 0;
    for (i = 0; i < 18; i++) {
        f[i] = i < 17 ? freq[i] : 1;
        size[i] = 0;
        next[i] = -1;
    }
    for (;;) {
        int v1 = -1, v2 = -1;
        for (i = 0; i < 18; i++) {
            if (f[i] == 0)
                continue;
            if (v1 < 0 || f[i] <= f[v1]) {
                v2 = v1;
                v1 = i;
            } else if (v2 < 0 || f[i] <= f[v2]) {
                v2 = i;
            }
        }
        if (v2 < 0)
            break;
        /* merge v2 into v1; every symbol in both chains grows a bit */
        f[v1] += f[v2];
        f[v2] = 0;
        for (i = v1;; i = next[i]) {
            size[i]++;
            if (next[i] < 0)
                break;
        }
        next[i] = v2;
        for (i = v2; i >= 0; i = next[i])
            size[i]++;
    }
    memset(count, 0, sizeof(count));
    for (i = 0; i < 18; i++)
        count[size[i]]++;
    for (i = 32; i > 16; i--) {
        while (count[i] > 0) {
            int j = i - 2;
            while (count[j] == 0)
                j--;
            count[i] -= 2;
            count[i - 1]++;
            count[j + 1] += 2;
            count[j]--;
        }
    }
    for (i = 16; i > 0; i--) {
        if (count[i] > 0) {
            count[i]--; /* the reserved symbol, last of the longest */
            break;
        }
    }
    for (i = 1; i <= 16; i++)
        bits[i - 1] = (uint8_t)count[i];
    for (i = 1; i <= 32; i++) {
        int s;
        for (s = 0; s < 17; s++)
            if (size[s] == i)
                values[k++] = (uint8_t)s;
    }
    return k;
}

ptrdiff_t imcd_ljpeg_encode_bound(ptrdiff_t samples, int precision)
{
    /* a code of up to 16 bits and up to precision + 1 extra bits per
     * sample (a 2-D prediction may exceed the range), every byte possibly
     * stuffed, and the headers */
    return samples / 4 * (17 + precision) + 2 * (17 + precision) + 512;
}

ptrdiff_t imcd_ljpeg_encode(const uint8_t *src, int itemsize,
                            ptrdiff_t height, ptrdiff_t width, int components,
                            int precision, const uint16_t *lut,
                            ptrdiff_t lutsize, uint8_t *dst,
                            ptrdiff_t dstsize)
{
    uint64_t freq[4][17];
    uint16_t code[4][17];
    uint8_t bits[4][16], values[4][17], size[4][17];
    int count[4];
    ptrdiff_t n = width * components, y, i, status = IMCD_OK;
    int32_t init = 1 << (precision - 1);
    int pass, c, ns = components;
    uint16_t *lines;
    int32_t *diff;
    lj_writer w;

    if ((itemsize != 1 && itemsize != 2) || components < 1 ||
        components > 4 || precision < 2 || precision > 16 || height < 0 ||
        height > 65535 || width < 0 || width > 65535 ||
        (itemsize == 1 && precision > 8 && lut == NULL))
        return IMCD_VALUE;
    lines = (uint16_t *)malloc((size_t)(2 * n + 1) * sizeof(uint16_t));
    diff = (int32_t *)malloc((size_t)(n + 1) * sizeof(int32_t));
    if (lines == NULL || diff == NULL) {
        free(lines);
        free(diff);
        return IMCD_MEMORY;
    }
    memset(freq, 0, sizeof(freq));
    w.ptr = dst;
    w.end = dst + dstsize;
    w.acc = 0;
    w.n = 0;
    w.full = 0;
    /* pass 0 counts the categories, pass 1 writes the codes */
    for (pass = 0; pass < 2 && status == IMCD_OK; pass++) {
        if (pass == 1) {
            uint8_t *q = dst;
            ptrdiff_t hsize = 2 + 10 + 3 * ns + 8 + 2 * ns + 3;
            for (c = 0; c < ns; c++) {
                int len, k = 0, j;
                uint16_t next = 0;
                count[c] = lj_huff_lengths(freq[c], bits[c], values[c]);
                hsize += 21 + count[c];
                /* canonical codes (T.81 Annex C) */
                for (len = 1; len <= 16; len++, next <<= 1) {
                    for (j = 0; j < bits[c][len - 1]; j++, k++) {
                        code[c][values[c][k]] = next++;
                        size[c][values[c][k]] = (uint8_t)len;
                    }
                }
            }
            if (dstsize < hsize) {
                status = IMCD_OUTPUT_TOO_SMALL;
                break;
            }
            *q++ = 0xFF;
            *q++ = 0xD8;
            /* a DHT segment per component: some decoders read only the
             * first table of a segment */
            for (c = 0; c < ns; c++) {
                *q++ = 0xFF;
                *q++ = 0xC4;
                *q++ = 0;
                *q++ = (uint8_t)(19 + count[c]);
                *q++ = (uint8_t)c;
                memcpy(q, bits[c], 16);
                memcpy(q + 16, values[c], (size_t)count[c]);
                q += 16 + count[c];
            }
            /* SOF3 */
            *q++ = 0xFF;
            *q++ = 0xC3;
            *q++ = 0;
            *q++ = (uint8_t)(8 + 3 * ns);
            *q++ = (uint8_t)precision;
            *q++ = (uint8_t)(height >> 8);
            *q++ = (uint8_t)height;
            *q++ = (uint8_t)(width >> 8);
            *q++ = (uint8_t)width;
            *q++ = (uint8_t)ns;
            for (c = 0; c < ns; c++) {
                *q++ = (uint8_t)c;
                *q++ = 0x11;
                *q++ = 0;
            }
            /* SOS */
            *q++ = 0xFF;
            *q++ = 0xDA;
            *q++ = 0;
            *q++ = (uint8_t)(6 + 2 * ns);
            *q++ = (uint8_t)ns;
            for (c = 0; c < ns; c++) {
                *q++ = (uint8_t)c;
                *q++ = (uint8_t)(c << 4);
            }
            *q++ = LJ_PREDICTOR;
            *q++ = 0;
            *q++ = 0;
            w.ptr = q;
            w.end = dst + dstsize - 2; /* room for EOI */
        }
        for (y = 0; y < height; y++) {
            uint16_t *cur = lines + (y & 1) * n;
            status = lj_load_line(src, itemsize, n, y, lut, lutsize,
                                  precision, cur);
            if (status < 0)
                break;
            lj_diff_line(cur, y ? lines + ((y - 1) & 1) * n : NULL, ns, n,
                         init, diff);
            for (i = 0, c = 0; i < n; i++) {
                int32_t d = diff[i];
                int s = lj_nbits((uint32_t)(d < 0 ? -d : d));
                if (pass == 0) {
                    freq[c][s]++;
                } else {
                    uint32_t extra = s < 16 ? (uint32_t)(d < 0 ? d - 1 : d) &
                                                  ((1u << s) - 1)
                                            : 0;
                    int len = s < 16 ? s : 0;
                    lj_put(&w, ((uint32_t)code[c][s] << len) | extra,
                           size[c][s] + len);
                }
                if (++c == ns)
                    c = 0;
            }
            if (w.full)
                break;
        }
    }
    free(lines);
    free(diff);
    if (status < 0)
        return status;
    if (w.n > 0) /* pad with 1-bits */
        lj_put(&w, (1u << (8 - w.n)) - 1, 8 - w.n);
    if (w.full)
        return IMCD_OUTPUT_TOO_SMALL;
    w.ptr[0] = 0xFF;
    w.ptr[1] = 0xD9;
    return w.ptr + 2 - dst;
}
