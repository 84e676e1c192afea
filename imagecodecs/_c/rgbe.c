/* SPDX-License-Identifier: BSD-3-Clause */
/* Radiance RGBE conversion and HDR scanline coding (see rgbe.h). */
#include "rgbe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define IMCD_RGBE_MINRUN 4      /* shorter repeats are written as literals */
#define IMCD_RGBE_MAXRUN 127    /* run codes are 128 + n */
#define IMCD_RGBE_MAXLITERAL 128
#define IMCD_RGBE_MINWIDTH 8    /* narrower and wider scanlines are flat */
#define IMCD_RGBE_MAXWIDTH 0x7FFF

static const char imcd_rgbe_format[] = "FORMAT=32-bit_rle_";

int imcd_rgbe_has_header(const uint8_t *src, ptrdiff_t srcsize)
{
    const ptrdiff_t n = (ptrdiff_t)sizeof(imcd_rgbe_format) - 1;
    const uint8_t *p = src;
    const uint8_t *end = memchr(src, 0, (size_t)srcsize);
    if (srcsize >= 2 && src[0] == '#' && src[1] == '?')
        return 1;
    /* text ends at the first NUL, as with the reference's string search */
    if (end == NULL)
        end = src + srcsize;
    while (end - p >= n) {
        p = memchr(p, 'F', (size_t)(end - p - n + 1));
        if (p == NULL)
            return 0;
        if (memcmp(p, imcd_rgbe_format, (size_t)n) == 0)
            return 1;
        p++;
    }
    return 0;
}

/* Length of the line at p without its newline, or -1 if it has none. */
static ptrdiff_t imcd_rgbe_line(const uint8_t *p, const uint8_t *end)
{
    const uint8_t *newline = memchr(p, '\n', (size_t)(end - p));
    return newline == NULL ? -1 : newline - p;
}

static int imcd_rgbe_line_is(const uint8_t *line, ptrdiff_t size,
                             const char *text)
{
    return size == (ptrdiff_t)strlen(text) &&
           memcmp(line, text, (size_t)size) == 0;
}

static const uint8_t *imcd_rgbe_skip_space(const uint8_t *p,
                                           const uint8_t *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' ||
                       *p == '\f'))
        p++;
    return p;
}

/* Parse a decimal integer as scanf's %d does (space, sign, digits); return
 * the end of the digits, or NULL if there are none or too many. */
static const uint8_t *imcd_rgbe_integer(const uint8_t *p, const uint8_t *end,
                                        ptrdiff_t *value)
{
    int negative = 0;
    int64_t v = 0;
    const uint8_t *digits;
    p = imcd_rgbe_skip_space(p, end);
    if (p < end && (*p == '+' || *p == '-'))
        negative = *p++ == '-';
    digits = p;
    while (p < end && *p >= '0' && *p <= '9') {
        v = v * 10 + (*p++ - '0');
        if (v > INT32_MAX)
            return NULL;
    }
    if (p == digits)
        return NULL;
    *value = (ptrdiff_t)(negative ? -v : v);
    return p;
}

/* Match a two-character token such as "-Y", after optional space. */
static const uint8_t *imcd_rgbe_token(const uint8_t *p, const uint8_t *end,
                                      const char *token)
{
    p = imcd_rgbe_skip_space(p, end);
    if (end - p < 2 || p[0] != token[0] || p[1] != token[1])
        return NULL;
    return p + 2;
}

ptrdiff_t imcd_rgbe_header_read(const uint8_t *src, ptrdiff_t srcsize,
                                ptrdiff_t *height, ptrdiff_t *width,
                                const char **message)
{
    const uint8_t *p = src;
    const uint8_t *end = src + srcsize;
    const uint8_t *q, *lineend;
    ptrdiff_t size;

    /* lines up to the FORMAT line, which a blank line must not precede;
     * the "#?RADIANCE" program line is not required */
    for (;;) {
        size = imcd_rgbe_line(p, end);
        if (size < 0)
            goto truncated;
        if (size == 0) {
            *message = "no FORMAT=32-bit_rle_rgbe line in the header";
            return IMCD_CORRUPT;
        }
        q = p;
        p += size + 1;
        if (imcd_rgbe_line_is(q, size, "FORMAT=32-bit_rle_rgbe") ||
            imcd_rgbe_line_is(q, size, "FORMAT=32-bit_rle_xyze"))
            break;
    }
    /* further variables (EXPOSURE, GAMMA, ...) up to the blank line */
    do {
        size = imcd_rgbe_line(p, end);
        if (size < 0)
            goto truncated;
        p += size + 1;
    } while (size > 0);
    /* the resolution line; only the standard orientation is supported */
    size = imcd_rgbe_line(p, end);
    if (size < 0)
        goto truncated;
    lineend = p + size;
    q = p[0] == '-' ? imcd_rgbe_token(p, lineend, "-Y") : NULL;
    if (q != NULL)
        q = imcd_rgbe_integer(q, lineend, height);
    if (q != NULL)
        q = imcd_rgbe_token(q, lineend, "+X");
    if (q != NULL)
        q = imcd_rgbe_integer(q, lineend, width);
    if (q == NULL) {
        *message = "no '-Y height +X width' line after the header";
        return IMCD_CORRUPT;
    }
    if (*height < 0 || *width < 0) {
        *message = "negative image size";
        return IMCD_CORRUPT;
    }
    return lineend + 1 - src;

truncated:
    *message = "header is truncated";
    return IMCD_TRUNCATED;
}

ptrdiff_t imcd_rgbe_header_write(ptrdiff_t height, ptrdiff_t width,
                                 uint8_t *dst, ptrdiff_t dstsize)
{
    char header[96];
    int size;
    if (height < 0 || width < 0 || height > INT32_MAX || width > INT32_MAX)
        return IMCD_VALUE;
    size = snprintf(header, sizeof(header),
                    "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y %ld +X %ld\n",
                    (long)height, (long)width);
    if (size < 0 || size >= (int)sizeof(header))
        return IMCD_ERROR;
    if (dstsize < size)
        return IMCD_OUTPUT_TOO_SMALL;
    memcpy(dst, header, (size_t)size);
    return size;
}

/* value * scale truncated to an integer, modulo 256. Like the reference
 * (a C conversion to unsigned char on x86), negative values wrap and
 * values beyond the 32-bit integer range and NaN give 0. */
static inline uint8_t imcd_rgbe_mantissa(float value, float scale)
{
    float f = value * scale;
    if (f >= -2147483648.0f && f < 2147483648.0f)
        return (uint8_t)(uint32_t)(int32_t)f;
    return 0;
}

/* Ward's conversion: with v the largest component and v = m * 2^e,
 * 0.5 <= m < 1 (frexp), the mantissas are component * 256 / 2^e rounded
 * down and the exponent byte is e + 128; pixels with v below 1e-32 are
 * zero. Computed from the bits of v: for a normal float of biased
 * exponent b, e = b - 126 and 256 / 2^e = 2^(134 - b) exactly. */
static inline void imcd_rgbe_pixel_from_float(const float *rgb, uint8_t *rgbe)
{
    float v = rgb[0];
    uint32_t bits;
    int b;
    if (rgb[1] > v)
        v = rgb[1];
    if (rgb[2] > v)
        v = rgb[2];
    if ((double)v < 1e-32) {
        rgbe[0] = rgbe[1] = rgbe[2] = rgbe[3] = 0;
        return;
    }
    memcpy(&bits, &v, 4);
    b = (int)((bits >> 23) & 0xFF);
    if (b == 0xFF) {
        /* inf or NaN: frexp keeps the value and gives exponent 0, which
         * leaves NaN scale factors */
        rgbe[0] = rgbe[1] = rgbe[2] = 0;
        rgbe[3] = 128;
    } else {
        float scale;
        bits = (uint32_t)(261 - b) << 23; /* 2^(134 - b), b >= 20 here */
        memcpy(&scale, &bits, 4);
        rgbe[0] = imcd_rgbe_mantissa(rgb[0], scale);
        rgbe[1] = imcd_rgbe_mantissa(rgb[1], scale);
        rgbe[2] = imcd_rgbe_mantissa(rgb[2], scale);
        rgbe[3] = (uint8_t)(b + 2); /* e + 128, wraps for e = 128 */
    }
}

void imcd_rgbe_from_float(const float *src, ptrdiff_t count, uint8_t *dst)
{
    ptrdiff_t i;
    for (i = 0; i < count; i++)
        imcd_rgbe_pixel_from_float(src + 3 * i, dst + 4 * i);
}

/* The factors 2^(e - 136) of the exponent bytes e; 0 for e = 0. */
static void imcd_rgbe_scales(float *scales)
{
    int e;
    scales[0] = 0.0f;
    for (e = 1; e < 256; e++)
        scales[e] = (float)ldexp(1.0, e - 136);
}

static void imcd_rgbe_convert(const uint8_t *src, ptrdiff_t count,
                              const float *scales, float *dst)
{
    ptrdiff_t i;
    for (i = 0; i < count; i++, src += 4, dst += 3) {
        float scale = scales[src[3]];
        dst[0] = (float)src[0] * scale;
        dst[1] = (float)src[1] * scale;
        dst[2] = (float)src[2] * scale;
    }
}

void imcd_rgbe_to_float(const uint8_t *src, ptrdiff_t count, float *dst)
{
    float scales[256];
    imcd_rgbe_scales(scales);
    imcd_rgbe_convert(src, count, scales, dst);
}

ptrdiff_t imcd_rgbe_decode_minsize(ptrdiff_t height, ptrdiff_t width)
{
    ptrdiff_t scanline;
    if (height <= 0 || width <= 0)
        return 0;
    if (width < IMCD_RGBE_MINWIDTH || width > IMCD_RGBE_MAXWIDTH)
        scanline = 4 * width; /* at most 4 * INT32_MAX */
    else
        scanline = 4 + 8 * ((width + IMCD_RGBE_MAXRUN - 1) / IMCD_RGBE_MAXRUN);
    if (height > PTRDIFF_MAX / scanline)
        return PTRDIFF_MAX;
    return height * scanline;
}

/* Decode the four run-length encoded channels of a scanline after its
 * 4-byte start into planes of width bytes; return the bytes used. */
static ptrdiff_t imcd_rgbe_rle_scanline(const uint8_t *src, ptrdiff_t srcsize,
                                        ptrdiff_t width, uint8_t *planes)
{
    const uint8_t *p = src;
    const uint8_t *end = src + srcsize;
    int c;
    for (c = 0; c < 4; c++) {
        uint8_t *plane = planes + c * width;
        ptrdiff_t x = 0;
        while (x < width) {
            ptrdiff_t n;
            if (end - p < 2)
                return IMCD_TRUNCATED;
            if (p[0] > 128) {
                n = p[0] - 128;
                if (n > width - x)
                    return IMCD_CORRUPT;
                memset(plane + x, p[1], (size_t)n);
                p += 2;
            } else {
                n = p[0];
                if (n == 0 || n > width - x)
                    return IMCD_CORRUPT;
                if (end - p - 1 < n)
                    return IMCD_TRUNCATED;
                memcpy(plane + x, p + 1, (size_t)n);
                p += n + 1;
            }
            x += n;
        }
    }
    return p - src;
}

ptrdiff_t imcd_rgbe_decode(const uint8_t *src, ptrdiff_t srcsize,
                           ptrdiff_t height, ptrdiff_t width, float *dst,
                           ptrdiff_t dstsize)
{
    float scales[256];
    const uint8_t *p = src;
    const uint8_t *end = src + srcsize;
    uint8_t *planes = NULL;
    ptrdiff_t x, y = 0, count;

    if (height < 0 || width < 0)
        return IMCD_VALUE;
    if (height == 0 || width == 0)
        return 0;
    if (dstsize / 3 / height < width)
        return IMCD_OUTPUT_TOO_SMALL;
    imcd_rgbe_scales(scales);

    if (width >= IMCD_RGBE_MINWIDTH && width <= IMCD_RGBE_MAXWIDTH) {
        planes = (uint8_t *)malloc(4 * (size_t)width);
        if (planes == NULL)
            return IMCD_MEMORY;
        for (; y < height; y++) {
            float *out = dst + 3 * y * width;
            ptrdiff_t used;
            if (end - p < 4) {
                free(planes);
                return IMCD_TRUNCATED;
            }
            /* a scanline not starting like a run-length encoded one
             * starts the flat rest of the image */
            if (p[0] != 2 || p[1] != 2 || (p[2] & 0x80))
                break;
            if (((p[2] << 8) | p[3]) != width) {
                free(planes);
                return IMCD_CORRUPT;
            }
            p += 4;
            used = imcd_rgbe_rle_scanline(p, end - p, width, planes);
            if (used < 0) {
                free(planes);
                return used;
            }
            p += used;
            for (x = 0; x < width; x++, out += 3) {
                float scale = scales[planes[3 * width + x]];
                out[0] = (float)planes[x] * scale;
                out[1] = (float)planes[width + x] * scale;
                out[2] = (float)planes[2 * width + x] * scale;
            }
        }
        free(planes);
    }
    count = (height - y) * width;
    if ((end - p) / 4 < count)
        return IMCD_TRUNCATED;
    imcd_rgbe_convert(p, count, scales, dst + 3 * y * width);
    p += 4 * count;
    return p - src;
}

ptrdiff_t imcd_rgbe_encode_bound(ptrdiff_t height, ptrdiff_t width, int rle)
{
    ptrdiff_t scanline;
    if (height < 0 || width < 0 || width > PTRDIFF_MAX / 8)
        return IMCD_VALUE;
    if (height == 0 || width == 0)
        return 0;
    if (!rle || width < IMCD_RGBE_MINWIDTH || width > IMCD_RGBE_MAXWIDTH)
        scanline = 4 * width;
    else /* a literal byte per 128 and per channel, see rle_channel */
        scanline = 4 + 4 * (width + width / IMCD_RGBE_MAXLITERAL + 2);
    if (height > PTRDIFF_MAX / scanline)
        return IMCD_VALUE;
    return height * scanline;
}

/* Run-length encode one channel of a scanline as Ward's writer does:
 * find the next run of at least MINRUN equal bytes; a repeat of 2 or 3
 * bytes filling the gap before it is written as a short run, else the
 * gap as literals; then the run. Return the bytes written. */
static ptrdiff_t imcd_rgbe_rle_channel(const uint8_t *data, ptrdiff_t size,
                                       uint8_t *dst, ptrdiff_t dstsize)
{
    uint8_t *out = dst;
    uint8_t *outend = dst + dstsize;
    ptrdiff_t cur = 0;
    while (cur < size) {
        ptrdiff_t start = cur; /* of the candidate run */
        ptrdiff_t run = 0, previous = 0;
        while (run < IMCD_RGBE_MINRUN && start < size) {
            start += run;
            previous = run;
            run = 1;
            while (start + run < size && run < IMCD_RGBE_MAXRUN &&
                   data[start] == data[start + run])
                run++;
        }
        if (previous > 1 && previous == start - cur) {
            if (outend - out < 2)
                return IMCD_OUTPUT_TOO_SMALL;
            *out++ = (uint8_t)(128 + previous);
            *out++ = data[cur];
            cur = start;
        }
        while (cur < start) {
            ptrdiff_t n = start - cur;
            if (n > IMCD_RGBE_MAXLITERAL)
                n = IMCD_RGBE_MAXLITERAL;
            if (outend - out < n + 1)
                return IMCD_OUTPUT_TOO_SMALL;
            *out++ = (uint8_t)n;
            memcpy(out, data + cur, (size_t)n);
            out += n;
            cur += n;
        }
        if (run >= IMCD_RGBE_MINRUN) {
            if (outend - out < 2)
                return IMCD_OUTPUT_TOO_SMALL;
            *out++ = (uint8_t)(128 + run);
            *out++ = data[start];
            cur += run;
        }
    }
    return out - dst;
}

ptrdiff_t imcd_rgbe_encode(const float *src, ptrdiff_t height,
                           ptrdiff_t width, int rle, uint8_t *dst,
                           ptrdiff_t dstsize)
{
    uint8_t *planes, *out = dst, *outend = dst + dstsize;
    uint8_t pixel[4];
    ptrdiff_t x, y, size;
    int c;

    if (height < 0 || width < 0)
        return IMCD_VALUE;
    if (!rle || width < IMCD_RGBE_MINWIDTH || width > IMCD_RGBE_MAXWIDTH) {
        if (height != 0 && dstsize / 4 / height < width)
            return IMCD_OUTPUT_TOO_SMALL;
        imcd_rgbe_from_float(src, height * width, dst);
        return 4 * height * width;
    }
    planes = (uint8_t *)malloc(4 * (size_t)width);
    if (planes == NULL)
        return IMCD_MEMORY;
    for (y = 0; y < height; y++) {
        const float *in = src + 3 * y * width;
        for (x = 0; x < width; x++) {
            imcd_rgbe_pixel_from_float(in + 3 * x, pixel);
            for (c = 0; c < 4; c++)
                planes[c * width + x] = pixel[c];
        }
        if (outend - out < 4) {
            free(planes);
            return IMCD_OUTPUT_TOO_SMALL;
        }
        *out++ = 2;
        *out++ = 2;
        *out++ = (uint8_t)(width >> 8);
        *out++ = (uint8_t)(width & 0xFF);
        for (c = 0; c < 4; c++) {
            size = imcd_rgbe_rle_channel(planes + c * width, width, out,
                                         outend - out);
            if (size < 0) {
                free(planes);
                return size;
            }
            out += size;
        }
    }
    free(planes);
    return out - dst;
}
