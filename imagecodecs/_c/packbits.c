/* SPDX-License-Identifier: BSD-3-Clause */
/* PackBits: a header byte n is followed by n + 1 literal bytes (0 <= n <=
 * 127), or by one byte repeated 1 - n times (-127 <= n <= -1); n = -128 is
 * a no-op. */
#include "packbits.h"

/* Walk the stream; with dst == NULL only count. A header byte at the very
 * end of the stream is a pad byte some writers add: ignore it. */
static ptrdiff_t imcd_packbits_walk(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize)
{
    const uint8_t *end = src + srcsize;
    ptrdiff_t written = 0;

    while (src < end - 1) {
        int n = (int8_t)*src++;
        ptrdiff_t count;
        if (n >= 0) {
            count = n + 1;
            if (end - src < count)
                return IMCD_TRUNCATED;
            if (dst != NULL) {
                if (dstsize - written < count)
                    return IMCD_OUTPUT_TOO_SMALL;
                memcpy(dst + written, src, (size_t)count);
            }
            src += count;
        } else if (n != -128) {
            count = 1 - n;
            if (dst != NULL) {
                if (dstsize - written < count)
                    return IMCD_OUTPUT_TOO_SMALL;
                memset(dst + written, *src, (size_t)count);
            }
            src++;
        } else {
            continue;
        }
        written += count;
    }
    return written;
}

ptrdiff_t imcd_packbits_decoded_size(const uint8_t *src, ptrdiff_t srcsize)
{
    return imcd_packbits_walk(src, srcsize, NULL, 0);
}

ptrdiff_t imcd_packbits_decode(const uint8_t *src, ptrdiff_t srcsize, uint8_t *dst,
                          ptrdiff_t dstsize)
{
    return imcd_packbits_walk(src, srcsize, dst, dstsize);
}

ptrdiff_t imcd_packbits_encode_bound(ptrdiff_t srcsize, ptrdiff_t rowsize)
{
    ptrdiff_t rows;
    if (rowsize <= 0 || srcsize <= 0)
        return srcsize > 0 ? srcsize + srcsize / 128 + 1 : 0;
    rows = (srcsize + rowsize - 1) / rowsize;
    /* one header per 128 literals, plus one per row for a partial block */
    return srcsize + srcsize / 128 + rows;
}

/* Encode one row. Runs of three or more equal bytes become repeat runs;
 * a run of two stays literal unless it would start a new literal block. */
static ptrdiff_t imcd_packbits_encode_row(const uint8_t *src, ptrdiff_t size,
                                     uint8_t *dst, ptrdiff_t dstsize)
{
    const uint8_t *end = src + size;
    uint8_t *out = dst;
    uint8_t *outend = dst + dstsize;
    uint8_t *header = NULL; /* header of the open literal block */

    while (src < end) {
        const uint8_t *run = src + 1;
        ptrdiff_t count;
        while (run < end && *run == *src && run - src < 128)
            run++;
        count = run - src;
        if (count > 2 || (count == 2 && header == NULL)) {
            if (outend - out < 2)
                return IMCD_OUTPUT_TOO_SMALL;
            *out++ = (uint8_t)(1 - count);
            *out++ = *src;
            header = NULL;
            src = run;
            continue;
        }
        /* literal bytes */
        while (count-- > 0) {
            if (header == NULL || *header == 127) {
                if (outend - out < 1)
                    return IMCD_OUTPUT_TOO_SMALL;
                header = out++;
                *header = 255; /* wraps to 0 with the first byte */
            }
            if (outend - out < 1)
                return IMCD_OUTPUT_TOO_SMALL;
            *out++ = *src++;
            (*header)++;
        }
    }
    return out - dst;
}

ptrdiff_t imcd_packbits_encode(const uint8_t *src, ptrdiff_t srcsize,
                          ptrdiff_t rowsize, uint8_t *dst, ptrdiff_t dstsize)
{
    ptrdiff_t written = 0;
    if (rowsize <= 0)
        rowsize = srcsize;
    while (srcsize > 0) {
        ptrdiff_t n = srcsize < rowsize ? srcsize : rowsize;
        ptrdiff_t ret = imcd_packbits_encode_row(src, n, dst + written,
                                            dstsize - written);
        if (ret < 0)
            return ret;
        written += ret;
        src += n;
        srcsize -= n;
    }
    return written;
}
