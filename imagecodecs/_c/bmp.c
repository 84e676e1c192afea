/* SPDX-License-Identifier: BSD-3-Clause */
/* Windows bitmap decoder and encoder (see bmp.h). */
#include "bmp.h"

#if defined(_MSC_VER)
#define IMCD_RESTRICT __restrict
#else
#define IMCD_RESTRICT restrict
#endif

/* SSSE3 byte shuffles for BGR <-> RGB, chosen at run time */
#if (defined(__GNUC__) || defined(__clang__)) && \
    (defined(__x86_64__) || defined(__i386__))
#include <tmmintrin.h>
#define IMCD_BMP_SSSE3 1
#endif

#define REJECT(status, text)                                                 \
    do {                                                                     \
        info->message = (text);                                              \
        return (status);                                                     \
    } while (0)

/* Read the bit fields of a BI_BITFIELDS image or the implied ones of a
 * BI_RGB image. Return the end of the headers and masks in src. */
static ptrdiff_t imcd_bmp_masks(const uint8_t *src, ptrdiff_t srcsize,
                                const uint8_t *header, imcd_bmp_info *info)
{
    ptrdiff_t end = IMCD_BMP_FILEHEADER + info->headersize;
    int i;
    if (info->compression != IMCD_BMP_BITFIELDS) {
        if (info->bitcount == 16) {
            info->masks[0] = 0x7C00; /* 5-5-5 */
            info->masks[1] = 0x03E0;
            info->masks[2] = 0x001F;
        } else {
            info->masks[0] = 0xFF0000; /* BGRX; the X byte is no alpha */
            info->masks[1] = 0x00FF00;
            info->masks[2] = 0x0000FF;
        }
        return end;
    }
    if (info->headersize >= 52) {
        /* V2 and later headers hold the masks, V3 and later the alpha mask
         * (header is zero beyond its size) */
        for (i = 0; i < 4; i++)
            info->masks[i] = imcd_load_u32le(header + 40 + 4 * i);
        return end;
    }
    /* a BITMAPINFOHEADER is followed by the red, green and blue masks */
    if (end + 12 > srcsize)
        return IMCD_TRUNCATED;
    for (i = 0; i < 3; i++)
        info->masks[i] = imcd_load_u32le(src + end + 4 * i);
    return end + 12;
}

ptrdiff_t imcd_bmp_info_read(const uint8_t *src, ptrdiff_t srcsize,
                             imcd_bmp_info *info)
{
    uint8_t header[124]; /* the info header, zero beyond its size */
    uint32_t filesize, headersize, clrused;
    int32_t width, height;
    int64_t rowbytes, stride;
    ptrdiff_t end;
    int i;

    memset(info, 0, sizeof(*info));
    if (srcsize < 2 || src[0] != 'B' || src[1] != 'M')
        REJECT(IMCD_CORRUPT, "not a BMP file: no 'BM' signature");
    if (srcsize < IMCD_BMP_FILEHEADER + 4)
        REJECT(IMCD_TRUNCATED, "data too short for the BMP headers");
    filesize = imcd_load_u32le(src + 2);
    headersize = imcd_load_u32le(src + 14);
    if (headersize == 12)
        REJECT(IMCD_NOT_SUPPORTED, "OS/2 1.x core headers are not supported");
    if (headersize < 16 || headersize > sizeof(header))
        REJECT(IMCD_CORRUPT, "invalid info header size");
    if (IMCD_BMP_FILEHEADER + (ptrdiff_t)headersize > srcsize)
        REJECT(IMCD_TRUNCATED, "data too short for the BMP headers");
    if (filesize > (uint64_t)srcsize)
        REJECT(IMCD_TRUNCATED, "data shorter than the file size in its header");
    memset(header, 0, sizeof(header));
    memcpy(header, src + IMCD_BMP_FILEHEADER, headersize);

    info->headersize = (int)headersize;
    info->offset = (ptrdiff_t)imcd_load_u32le(src + 10);
    width = (int32_t)imcd_load_u32le(header + 4);
    height = (int32_t)imcd_load_u32le(header + 8);
    info->bitcount = imcd_load_u16le(header + 14);
    info->compression = imcd_load_u32le(header + 16);
    clrused = imcd_load_u32le(header + 32);
    if (width < 0)
        REJECT(IMCD_CORRUPT, "negative image width");
    if (height == INT32_MIN)
        REJECT(IMCD_CORRUPT, "invalid image height");
    info->topdown = height < 0;
    info->width = width;
    info->height = height < 0 ? -(ptrdiff_t)height : height;
    end = IMCD_BMP_FILEHEADER + (ptrdiff_t)headersize;

    switch (info->compression) {
    case IMCD_BMP_JPEG:
    case IMCD_BMP_PNG:
        /* an embedded image, decoded by another codec */
        if (info->offset < end || info->offset > srcsize)
            REJECT(IMCD_CORRUPT, "invalid offset of the embedded image");
        info->datasize = (ptrdiff_t)imcd_load_u32le(header + 20);
        if (info->datasize == 0)
            info->datasize = srcsize - info->offset;
        if (info->datasize > srcsize - info->offset)
            REJECT(IMCD_TRUNCATED, "embedded image is truncated");
        return 0;
    case IMCD_BMP_RGB:
        break;
    case IMCD_BMP_BITFIELDS:
        if (info->bitcount != 16 && info->bitcount != 32)
            REJECT(IMCD_CORRUPT, "bit fields need 16 or 32 bits per pixel");
        break;
    case IMCD_BMP_RLE8:
    case IMCD_BMP_RLE4:
        REJECT(IMCD_NOT_SUPPORTED, "RLE compression is not supported");
    default:
        REJECT(IMCD_NOT_SUPPORTED, "compression is not supported");
    }

    switch (info->bitcount) {
    case 1:
    case 4:
    case 8:
        if (clrused > 256)
            REJECT(IMCD_CORRUPT, "more than 256 palette entries");
        info->palettesize = clrused ? (int)clrused : 1 << info->bitcount;
        info->paletteoffset = end;
        end += 4 * (ptrdiff_t)info->palettesize;
        if (end > info->offset || end > srcsize)
            REJECT(IMCD_CORRUPT, "palette does not fit before the pixels");
        info->graypalette = 1;
        for (i = 0; i < info->palettesize; i++) {
            const uint8_t *entry = src + info->paletteoffset + 4 * i;
            if (entry[0] != i || entry[1] != i || entry[2] != i) {
                info->graypalette = 0;
                break;
            }
        }
        info->samples = 1;
        break;
    case 16:
    case 32:
        end = imcd_bmp_masks(src, srcsize, header, info);
        if (end < 0)
            REJECT(end, "data too short for the bit field masks");
        info->samples = info->masks[3] != 0 ? 4 : 3;
        break;
    case 24:
        info->samples = 3;
        break;
    default:
        REJECT(IMCD_NOT_SUPPORTED, "bits per pixel not supported");
    }

    if (info->offset < end)
        REJECT(IMCD_CORRUPT, "pixel data offset lies inside the headers");
    if (info->offset > srcsize)
        REJECT(IMCD_TRUNCATED, "pixel data offset lies past the end");
    /* all rows must be there, the last one without its padding */
    rowbytes = ((int64_t)width * info->bitcount + 7) / 8;
    stride = (((int64_t)width * info->bitcount + 31) / 32) * 4;
    if (info->height > 0 && width > 0 &&
        (rowbytes > srcsize - info->offset ||
         (srcsize - info->offset - rowbytes) / stride < info->height - 1))
        REJECT(IMCD_TRUNCATED, "pixel data is truncated");
    info->stride = (ptrdiff_t)stride; /* less than srcsize + 4 */
    return 0;
}

/* Conversion of a bit field to 8 bits: the value v of a mask of maximum
 * max becomes v * 255 / max, rounded down; a table for narrow fields. */
typedef struct imcd_bmp_field {
    uint32_t mask;
    uint32_t max;
    int shift;
    uint8_t lut[256];
} imcd_bmp_field;

static void imcd_bmp_field_init(imcd_bmp_field *field, uint32_t mask)
{
    uint32_t v;
    field->mask = mask;
    field->shift = 0;
    while (mask != 0 && (mask & 1) == 0) {
        mask >>= 1;
        field->shift++;
    }
    field->max = mask;
    field->lut[0] = 0; /* a channel without mask is zero */
    if (mask <= 255)
        for (v = 1; v <= mask; v++)
            field->lut[v] = (uint8_t)(v * 255 / mask);
}

static inline uint8_t imcd_bmp_field_get(const imcd_bmp_field *field,
                                         uint32_t pixel)
{
    uint32_t v = (pixel & field->mask) >> field->shift;
    if (field->max <= 255)
        return field->lut[v];
    return (uint8_t)((uint64_t)v * 255 / field->max);
}

/* Unpack count palette indices of 1 or 4 bits from row, starting at pixel
 * x0. */
static void imcd_bmp_unpack(const uint8_t *row, ptrdiff_t x0, ptrdiff_t count,
                            int bitcount, uint8_t *indices)
{
    ptrdiff_t x;
    int perbyte = 8 / bitcount;
    int mask = (1 << bitcount) - 1;
    for (x = 0; x < count; x++) {
        ptrdiff_t i = x0 + x;
        int shift = 8 - bitcount * (int)(i % perbyte + 1);
        indices[x] = (uint8_t)((row[i / perbyte] >> shift) & mask);
    }
}

/* Decode one row of a palette image. */
static ptrdiff_t imcd_bmp_row_palette(const uint8_t *row,
                                      const imcd_bmp_info *info,
                                      const uint8_t *palette, int mode,
                                      uint8_t *out)
{
    uint8_t buffer[256];
    ptrdiff_t x0, x;
    for (x0 = 0; x0 < info->width; x0 += 256) {
        ptrdiff_t count = info->width - x0 < 256 ? info->width - x0 : 256;
        const uint8_t *indices = row + x0;
        if (info->bitcount != 8) {
            imcd_bmp_unpack(row, x0, count, info->bitcount, buffer);
            indices = buffer;
        }
        if (mode == IMCD_BMP_INDEX) {
            memcpy(out + x0, indices, (size_t)count);
            continue;
        }
        for (x = 0; x < count; x++) {
            const uint8_t *entry;
            if (indices[x] >= info->palettesize)
                return IMCD_CORRUPT; /* index outside the palette */
            entry = palette + 4 * indices[x];
            if (mode == IMCD_BMP_GRAY) {
                out[x0 + x] = entry[2];
            } else {
                uint8_t *rgb = out + 3 * (x0 + x);
                rgb[0] = entry[2];
                rgb[1] = entry[1];
                rgb[2] = entry[0];
            }
        }
    }
    return 0;
}

/* Decode one row of 16 or 32-bit pixels with bit fields. */
static void imcd_bmp_row_fields(const uint8_t *row, const imcd_bmp_info *info,
                                const imcd_bmp_field *fields, uint8_t *out)
{
    ptrdiff_t x;
    int c, samples = info->samples;
    for (x = 0; x < info->width; x++) {
        uint32_t pixel = info->bitcount == 16 ? imcd_load_u16le(row + 2 * x)
                                              : imcd_load_u32le(row + 4 * x);
        for (c = 0; c < samples; c++)
            out[c] = imcd_bmp_field_get(&fields[c], pixel);
        out += samples;
    }
}

#ifdef IMCD_BMP_SSSE3
/* Swap the first and third bytes of 3-byte pixels, 5 pixels per 16-byte
 * vector while at least 6 remain (so that loads and stores of 16 bytes
 * stay inside the 3 * count bytes); return the number of pixels done. */
__attribute__((target("ssse3"))) static ptrdiff_t
imcd_bmp_swap3_ssse3(const uint8_t *in, uint8_t *out, ptrdiff_t count)
{
    const __m128i order =
        _mm_setr_epi8(2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9, 14, 13, 12, 15);
    ptrdiff_t x;
    for (x = 0; x + 6 <= count; x += 5, in += 15, out += 15) {
        __m128i v = _mm_loadu_si128((const __m128i *)in);
        _mm_storeu_si128((__m128i *)out, _mm_shuffle_epi8(v, order));
    }
    return x;
}
#endif

/* Copy count pixels of instep bytes to pixels of outstep bytes (3 or 4),
 * swapping the first and third bytes (BGR <-> RGB); the fourth byte is
 * copied if both have one. */
static void imcd_bmp_swap(const uint8_t *IMCD_RESTRICT in, int instep,
                          uint8_t *IMCD_RESTRICT out, int outstep,
                          ptrdiff_t count)
{
    ptrdiff_t x;
    if (instep == 4 && outstep == 4) {
        for (x = 0; x < count; x++, in += 4, out += 4) {
            out[0] = in[2];
            out[1] = in[1];
            out[2] = in[0];
            out[3] = in[3];
        }
    } else if (instep == 4) {
        for (x = 0; x < count; x++, in += 4, out += 3) {
            out[0] = in[2];
            out[1] = in[1];
            out[2] = in[0];
        }
    } else {
        x = 0;
#ifdef IMCD_BMP_SSSE3
        if (__builtin_cpu_supports("ssse3")) {
            x = imcd_bmp_swap3_ssse3(in, out, count);
            in += 3 * x;
            out += 3 * x;
        }
#endif
        for (; x < count; x++, in += 3, out += 3) {
            out[0] = in[2];
            out[1] = in[1];
            out[2] = in[0];
        }
    }
}

ptrdiff_t imcd_bmp_decode(const uint8_t *src, ptrdiff_t srcsize,
                          const imcd_bmp_info *info, int mode, uint8_t *dst,
                          ptrdiff_t dstsize)
{
    imcd_bmp_field fields[4];
    const uint8_t *palette = NULL;
    ptrdiff_t y, rowsize;
    int64_t rowbytes;
    int c, samples, bgr;

    if (info->width < 0 || info->width > INT32_MAX || info->height < 0 ||
        info->offset < 0 || info->offset > srcsize || info->bitcount < 1 ||
        info->bitcount > 32 || (info->bitcount < 8 && 8 % info->bitcount))
        return IMCD_VALUE;
    if (info->width == 0 || info->height == 0)
        return 0;
    /* trust no field: every row must lie in src, as info_read checked */
    rowbytes = ((int64_t)info->width * info->bitcount + 7) / 8;
    if (info->stride < rowbytes || rowbytes > srcsize - info->offset ||
        (srcsize - info->offset - rowbytes) / info->stride < info->height - 1)
        return IMCD_TRUNCATED;

    if (info->bitcount <= 8) {
        if (info->palettesize < 0 || info->palettesize > 256 ||
            info->paletteoffset < 0 ||
            info->paletteoffset + 4 * info->palettesize > srcsize)
            return IMCD_VALUE;
        palette = src + info->paletteoffset;
        samples = mode == IMCD_BMP_PALETTE ? 3 : 1;
    } else {
        samples = info->samples;
    }
    rowsize = info->width * samples;
    if (dstsize / info->height < rowsize)
        return IMCD_OUTPUT_TOO_SMALL;

    /* the byte layout of the usual masks needs no field arithmetic */
    bgr = info->bitcount == 24 ||
          (info->bitcount == 32 && info->masks[0] == 0xFF0000 &&
           info->masks[1] == 0xFF00 && info->masks[2] == 0xFF &&
           (info->masks[3] == 0 || info->masks[3] == 0xFF000000));
    if (info->bitcount >= 16 && !bgr)
        for (c = 0; c < 4; c++)
            imcd_bmp_field_init(&fields[c], info->masks[c]);

    for (y = 0; y < info->height; y++) {
        ptrdiff_t row = info->topdown ? y : info->height - 1 - y;
        const uint8_t *pixels = src + info->offset + row * info->stride;
        uint8_t *out = dst + y * rowsize;
        if (palette != NULL) {
            ptrdiff_t status =
                imcd_bmp_row_palette(pixels, info, palette, mode, out);
            if (status < 0)
                return status;
        } else if (bgr) {
            imcd_bmp_swap(pixels, info->bitcount / 8, out, samples,
                          info->width);
        } else {
            imcd_bmp_row_fields(pixels, info, fields, out);
        }
    }
    return info->height * rowsize;
}

/* Sizes of the parts of an encoded file of samples per pixel. */
static ptrdiff_t imcd_bmp_header_size(int samples)
{
    if (samples == 4)
        return IMCD_BMP_FILEHEADER + 108; /* BITMAPV4HEADER */
    return IMCD_BMP_FILEHEADER + IMCD_BMP_INFOHEADER + (samples == 1 ? 1024 : 0);
}

ptrdiff_t imcd_bmp_encoded_size(ptrdiff_t height, ptrdiff_t width,
                                int samples)
{
    int64_t size, stride;
    if (samples != 1 && samples != 3 && samples != 4)
        return IMCD_VALUE;
    if (height < 0 || width < 0 || height > INT32_MAX || width > INT32_MAX)
        return IMCD_VALUE;
    stride = ((int64_t)width * samples + 3) / 4 * 4;
    /* the file and image sizes are 32-bit fields */
    if (stride != 0 && height > (int64_t)UINT32_MAX / stride)
        return IMCD_VALUE;
    size = stride * height + imcd_bmp_header_size(samples);
    if (size > UINT32_MAX || size > PTRDIFF_MAX)
        return IMCD_VALUE;
    return (ptrdiff_t)size;
}

ptrdiff_t imcd_bmp_encode(const uint8_t *src, ptrdiff_t height,
                          ptrdiff_t width, int samples, int32_t ppm,
                          uint8_t *dst, ptrdiff_t dstsize)
{
    ptrdiff_t size = imcd_bmp_encoded_size(height, width, samples);
    ptrdiff_t headers, stride, rowsize, y;
    uint8_t *p;
    int i;

    if (size < 0)
        return size;
    if (dstsize < size)
        return IMCD_OUTPUT_TOO_SMALL;
    headers = imcd_bmp_header_size(samples);
    rowsize = width * samples;
    stride = (rowsize + 3) / 4 * 4;
    memset(dst, 0, (size_t)headers);

    /* BITMAPFILEHEADER */
    dst[0] = 'B';
    dst[1] = 'M';
    imcd_store_u32le(dst + 2, (uint32_t)size);
    imcd_store_u32le(dst + 10, (uint32_t)headers);
    /* BITMAPINFOHEADER, bottom-up rows */
    p = dst + IMCD_BMP_FILEHEADER;
    imcd_store_u32le(p, samples == 4 ? 108 : IMCD_BMP_INFOHEADER);
    imcd_store_u32le(p + 4, (uint32_t)width);
    imcd_store_u32le(p + 8, (uint32_t)height);
    imcd_store_u16le(p + 12, 1);
    imcd_store_u16le(p + 14, (uint16_t)(samples * 8));
    imcd_store_u32le(p + 16, samples == 4 ? IMCD_BMP_BITFIELDS : IMCD_BMP_RGB);
    imcd_store_u32le(p + 20, (uint32_t)(stride * height));
    imcd_store_u32le(p + 24, (uint32_t)ppm);
    imcd_store_u32le(p + 28, (uint32_t)ppm);
    p += IMCD_BMP_INFOHEADER;
    if (samples == 4) {
        /* V4 masks of BGRA bytes; color space, end points, gamma zero */
        imcd_store_u32le(p, 0x00FF0000);
        imcd_store_u32le(p + 4, 0x0000FF00);
        imcd_store_u32le(p + 8, 0x000000FF);
        imcd_store_u32le(p + 12, 0xFF000000);
    } else if (samples == 1) {
        /* gray palette: entry i is (i, i, i), reserved byte 255 */
        for (i = 0; i < 256; i++) {
            p[4 * i] = p[4 * i + 1] = p[4 * i + 2] = (uint8_t)i;
            p[4 * i + 3] = 255;
        }
    }

    for (y = 0; y < height; y++) {
        const uint8_t *in = src + (height - 1 - y) * rowsize;
        uint8_t *out = dst + headers + y * stride;
        if (samples == 1)
            memcpy(out, in, (size_t)rowsize);
        else
            imcd_bmp_swap(in, samples, out, samples, width);
        memset(out + rowsize, 0, (size_t)(stride - rowsize));
    }
    return size;
}
