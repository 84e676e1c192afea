/* SPDX-License-Identifier: BSD-3-Clause */
/* PackBits: a header byte n is followed by n + 1 literal bytes (0 <= n <=
 * 127), or by one byte repeated 1 - n times (-127 <= n <= -1); n = -128 is
 * a no-op. */
#include "packbits.h"

/* A 0x00 header as the very last byte is a pad byte some writers add (one
 * literal byte promised, none left): it is ignored. Any other header that
 * promises more than remains means a truncated stream. */
ptrdiff_t imcd_packbits_decoded_size(const uint8_t *src, ptrdiff_t srcsize)
{
    ptrdiff_t i = 0;
    ptrdiff_t size = 0;
    int n = 0;
    while (i < srcsize) {
        n = (int8_t)src[i++];
        if (n >= 0) {
            i += n + 1;
            size += n + 1;
        } else if (n != -128) {
            i++;
            size += 1 - n;
        }
    }
    if (i > srcsize) {
        /* only the last block can reach past the end */
        if (n == 0 && i == srcsize + 1)
            return size - 1;
        return IMCD_TRUNCATED;
    }
    return size;
}

ptrdiff_t imcd_packbits_decode(const uint8_t *src, ptrdiff_t srcsize,
                               uint8_t *dst, ptrdiff_t dstsize)
{
    ptrdiff_t i = 0;
    ptrdiff_t written = 0;
    while (i < srcsize) {
        int n = (int8_t)src[i++];
        ptrdiff_t count;
        if (n >= 0) {
            count = n + 1;
            if (srcsize - i < count) {
                if (n == 0 && i == srcsize)
                    break;
                return IMCD_TRUNCATED;
            }
            if (dstsize - written < count)
                return IMCD_OUTPUT_TOO_SMALL;
            memcpy(dst + written, src + i, (size_t)count);
            i += count;
        } else if (n != -128) {
            count = 1 - n;
            if (i == srcsize)
                return IMCD_TRUNCATED;
            if (dstsize - written < count)
                return IMCD_OUTPUT_TOO_SMALL;
            memset(dst + written, src[i++], (size_t)count);
        } else {
            continue; /* no-op */
        }
        written += count;
    }
    return written;
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
