/* SPDX-License-Identifier: BSD-3-Clause */
/* DICOM RLE decoder (PS3.5 Annex G). */
#include "dicomrle.h"

#define IMCD_DICOMRLE_HEADER 64
#define IMCD_DICOMRLE_CHUNK 1024 /* bytes per plane and step */

/* Read the header: store the segments' bounds, segment i is
 * src[bounds[i]:bounds[i + 1]], and return their number. Segments follow
 * each other and none is empty. */
static ptrdiff_t imcd_dicomrle_header(const uint8_t *src, ptrdiff_t srcsize,
                                      ptrdiff_t bounds[16])
{
    ptrdiff_t n, i;
    if (srcsize < IMCD_DICOMRLE_HEADER)
        return IMCD_TRUNCATED;
    n = (ptrdiff_t)imcd_load_u32le(src);
    if (n < 1 || n > 15)
        return IMCD_CORRUPT;
    for (i = 0; i < n; i++)
        bounds[i] = (ptrdiff_t)imcd_load_u32le(src + 4 + 4 * i);
    bounds[n] = srcsize;
    if (bounds[0] != IMCD_DICOMRLE_HEADER)
        return IMCD_CORRUPT;
    for (i = 0; i < n; i++) {
        if (bounds[i + 1] <= bounds[i])
            return bounds[i] >= srcsize ? IMCD_TRUNCATED : IMCD_CORRUPT;
    }
    return n;
}

/* A PackBits segment (G.3.1) being decoded; a run may continue in the
 * next call. */
typedef struct {
    const uint8_t *src;
    const uint8_t *end;
    ptrdiff_t pending; /* bytes left of the current run */
    int literal;       /* the run copies from src, else repeats *src */
} imcd_dicomrle_reader;

/* Decode the next `count` bytes, or fewer at the end of the segment, into
 * dst (with dst == NULL only count); return their number. A zero byte at
 * the very end is the pad byte that makes segments of even length. Runs
 * of up to 16 bytes are copied as 16 bytes where both buffers have room:
 * later runs overwrite the excess, much faster than exact short copies. */
static ptrdiff_t imcd_dicomrle_read(imcd_dicomrle_reader *r, uint8_t *dst,
                                    ptrdiff_t count)
{
    const uint8_t *src = r->src;
    const uint8_t *end = r->end;
    ptrdiff_t written = 0;
    ptrdiff_t run = r->pending;
    int literal = r->literal;
    for (;;) {
        ptrdiff_t room = count - written;
        int n;
        if (run > 0) {
            /* the rest of a run, or a run that does not fit */
            ptrdiff_t m = run < room ? run : room;
            if (dst != NULL) {
                if (literal)
                    memcpy(dst + written, src, (size_t)m);
                else
                    memset(dst + written, *src, (size_t)m);
            }
            if (literal)
                src += m;
            written += m;
            run -= m;
            if (run > 0)
                break; /* dst is full */
            if (!literal)
                src++;
            room = count - written;
        }
        if (src >= end || room == 0)
            break;
        n = (int8_t)*src++;
        if (n == -128)
            continue;
        if (src == end) {
            if (n == 0)
                break;
            return IMCD_TRUNCATED;
        }
        literal = n >= 0;
        run = literal ? n + 1 : 1 - n;
        if (literal && end - src < run)
            return IMCD_TRUNCATED;
        if (run <= room) {
            /* the common case: the whole run fits */
            if (dst != NULL) {
                if (run <= 16 && room >= 16) {
                    if (!literal)
                        memset(dst + written, *src, 16);
                    else if (end - src >= 16)
                        memcpy(dst + written, src, 16);
                    else
                        memcpy(dst + written, src, (size_t)run);
                } else if (literal) {
                    memcpy(dst + written, src, (size_t)run);
                } else {
                    memset(dst + written, *src, (size_t)run);
                }
            }
            src += literal ? run : 1;
            written += run;
            run = 0;
        }
    }
    r->src = src;
    r->pending = run;
    r->literal = literal;
    return written;
}

/* Start reading segment i. */
static void imcd_dicomrle_start(imcd_dicomrle_reader *r, const uint8_t *src,
                                const ptrdiff_t *bounds, ptrdiff_t i)
{
    r->src = src + bounds[i];
    r->end = src + bounds[i + 1];
    r->pending = 0;
    r->literal = 0;
}

/* Decode the next `count` bytes exactly; at the end of the segment the
 * segment must be done too. Return 0 or a negative status. */
static ptrdiff_t imcd_dicomrle_next(imcd_dicomrle_reader *r, uint8_t *dst,
                                    ptrdiff_t count, int last)
{
    uint8_t rest[16];
    ptrdiff_t len = imcd_dicomrle_read(r, dst, count);
    if (len < 0)
        return len;
    if (len != count)
        return IMCD_CORRUPT; /* shorter than the first segment */
    if (last) {
        len = imcd_dicomrle_read(r, rest, 1);
        if (len != 0)
            return len < 0 ? len : IMCD_CORRUPT; /* longer */
    }
    return 0;
}

ptrdiff_t imcd_dicomrle_segments(const uint8_t *src, ptrdiff_t srcsize)
{
    ptrdiff_t bounds[16];
    return imcd_dicomrle_header(src, srcsize, bounds);
}

ptrdiff_t imcd_dicomrle_decoded_size(const uint8_t *src, ptrdiff_t srcsize)
{
    /* the first segment gives the size; the decoder checks the others */
    imcd_dicomrle_reader r;
    ptrdiff_t bounds[16], n, size;
    n = imcd_dicomrle_header(src, srcsize, bounds);
    if (n < 0)
        return n;
    imcd_dicomrle_start(&r, src, bounds, 0);
    size = imcd_dicomrle_read(&r, NULL, PTRDIFF_MAX);
    return size < 0 ? size : size * n;
}

/* Interleave chunks of the itemsize byte planes of a sample, most
 * significant first, into items of the given byte order. */
static void imcd_dicomrle_interleave(uint8_t planes[][IMCD_DICOMRLE_CHUNK],
                                     uint8_t *dst, ptrdiff_t count,
                                     int itemsize, int bigendian)
{
    ptrdiff_t b, k;
    if (itemsize == 2) {
        /* the common case, written out to be vectorized */
        const uint8_t *hi = planes[bigendian], *lo = planes[!bigendian];
        for (k = 0; k < count; k++) {
            dst[2 * k] = lo[k];
            dst[2 * k + 1] = hi[k];
        }
        return;
    }
    for (b = 0; b < itemsize; b++) {
        const uint8_t *plane = planes[b];
        uint8_t *out = dst + (bigendian ? b : itemsize - 1 - b);
        for (k = 0; k < count; k++)
            out[k * itemsize] = plane[k];
    }
}

ptrdiff_t imcd_dicomrle_decode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize, int itemsize,
                               int bigendian)
{
    /* byte planes of one sample, decoded a chunk at a time */
    uint8_t planes[15][IMCD_DICOMRLE_CHUNK];
    imcd_dicomrle_reader r[15];
    ptrdiff_t bounds[16], pixels, n, i, b, pos, status;
    n = imcd_dicomrle_header(src, srcsize, bounds);
    if (n < 0)
        return n;
    if (itemsize < 1 || n % itemsize)
        return IMCD_VALUE;
    imcd_dicomrle_start(&r[0], src, bounds, 0);
    pixels = imcd_dicomrle_read(&r[0], NULL, PTRDIFF_MAX);
    if (pixels < 0)
        return pixels;
    if (pixels > dstsize / n)
        return IMCD_OUTPUT_TOO_SMALL;
    if (itemsize == 1) {
        for (i = 0; i < n; i++) {
            imcd_dicomrle_start(&r[0], src, bounds, i);
            status = imcd_dicomrle_next(&r[0], dst + i * pixels, pixels, 1);
            if (status < 0)
                return status;
        }
        return pixels * n;
    }
    for (i = 0; i < n; i += itemsize) {
        uint8_t *out = dst + i * pixels;
        for (b = 0; b < itemsize; b++)
            imcd_dicomrle_start(&r[b], src, bounds, i + b);
        for (pos = 0; pos < pixels; pos += IMCD_DICOMRLE_CHUNK) {
            ptrdiff_t count = pixels - pos;
            int last = count <= IMCD_DICOMRLE_CHUNK;
            if (!last)
                count = IMCD_DICOMRLE_CHUNK;
            for (b = 0; b < itemsize; b++) {
                status = imcd_dicomrle_next(&r[b], planes[b], count, last);
                if (status < 0)
                    return status;
            }
            imcd_dicomrle_interleave(planes, out + pos * itemsize, count,
                                     itemsize, bigendian);
        }
    }
    return pixels * n;
}
