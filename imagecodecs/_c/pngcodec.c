/* SPDX-License-Identifier: BSD-3-Clause */
/* PNG and APNG over libpng: reading from and writing to memory.
 *
 * Shared by the _png and _apng modules. libpng jumps (longjmp) out of any
 * call on an error; each function below that calls libpng sets the jump
 * target itself and keeps everything it must free in heap structures, so
 * the jump lands in this file and the function returns a status.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdlib.h>

#include <png.h>

#include "pngcodec.h"

/* zlib expands at most 1032 times: a header claiming more pixels than the
 * rest of the file can hold is rejected before anything is allocated */
#define IMCD_PNG_MAX_RATIO 1032
#define IMCD_PNG_SLACK 4096

/* error reporting shared by reader and writer: libpng's error_ptr */
typedef struct imcd_png_context {
    int status;
    int failure; /* the status of errors libpng raises itself */
    char message[IMCD_PNG_MESSAGE_SIZE];
} imcd_png_context;

static void imcd_png_set_message(imcd_png_context *ctx, const char *text)
{
    size_t n = 0;
    if (text != NULL) {
        while (n < IMCD_PNG_MESSAGE_SIZE - 1 && text[n] != '\0')
            n++;
        memcpy(ctx->message, text, n);
    }
    ctx->message[n] = '\0';
}

static void imcd_png_error_fn(png_structp png, png_const_charp text)
{
    imcd_png_context *ctx = (imcd_png_context *)png_get_error_ptr(png);
    if (ctx->status == IMCD_OK)
        ctx->status = ctx->failure;
    imcd_png_set_message(ctx, text);
    png_longjmp(png, 1);
}

static void imcd_png_warning_fn(png_structp png, png_const_charp text)
{
    /* libpng carries on; nothing to report */
    (void)png;
    (void)text;
}

/* -- reading ------------------------------------------------------------ */

struct imcd_png_reader {
    imcd_png_context ctx; /* first: libpng's error_ptr */
    png_structp png;
    png_infop pnginfo;
    const uint8_t *src;
    size_t size;
    size_t pos;
    imcd_png_info info;
    png_bytep *rows;   /* row pointers, height entries */
    uint8_t *scratch;  /* one frame region */
};

static void imcd_png_read_fn(png_structp png, png_bytep data, size_t length)
{
    imcd_png_reader *reader = (imcd_png_reader *)png_get_io_ptr(png);
    if (length > reader->size - reader->pos) {
        reader->ctx.status = IMCD_TRUNCATED;
        png_error(png, "data is truncated");
    }
    memcpy(data, reader->src + reader->pos, length);
    reader->pos += length;
}

/* Number of fcTL chunks in the file: frames that really exist, whatever
 * acTL claims. Stops at the end of the data or a chunk running past it. */
static uint32_t imcd_png_count_fctl(const uint8_t *src, size_t size)
{
    uint32_t count = 0;
    size_t pos = 8;
    while (pos <= size && size - pos >= 12) {
        uint32_t length = imcd_load_u32be(src + pos);
        if (memcmp(src + pos + 4, "fcTL", 4) == 0)
            count++;
        if ((size_t)length > size - pos - 12)
            break;
        pos += (size_t)length + 12;
    }
    return count;
}

ptrdiff_t imcd_png_reader_open(imcd_png_reader **result, const uint8_t *src,
                               ptrdiff_t srcsize, int animated,
                               imcd_png_info *info)
{
    imcd_png_reader *reader;
    png_structp png;
    png_infop pnginfo;
    uint64_t rowbits, rawsize, framesize;
    uint32_t fctl;
    int bitdepth, colortype;

    *result = NULL;
    if (srcsize < 0)
        return IMCD_VALUE;
    reader = (imcd_png_reader *)calloc(1, sizeof(imcd_png_reader));
    if (reader == NULL)
        return IMCD_MEMORY;
    *result = reader;
    reader->ctx.failure = IMCD_CORRUPT;
    reader->src = src;
    reader->size = (size_t)srcsize;
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader->ctx,
                                 imcd_png_error_fn, imcd_png_warning_fn);
    if (png == NULL)
        return IMCD_MEMORY;
    reader->png = png;
    pnginfo = png_create_info_struct(png);
    if (pnginfo == NULL)
        return IMCD_MEMORY;
    reader->pnginfo = pnginfo;

    if (setjmp(png_jmpbuf(png)))
        return reader->ctx.status;

    /* libpng's default limits stay: 1000000 pixels per side, 8 MB per
     * ancillary chunk */
    png_set_read_fn(png, reader, imcd_png_read_fn);
    png_read_info(png, pnginfo);

    bitdepth = png_get_bit_depth(png, pnginfo);
    colortype = png_get_color_type(png, pnginfo);
    /* the filtered rows of the IDAT image, a lower bound of what the zlib
     * stream in the rest of the file must produce */
    rowbits = (uint64_t)png_get_image_width(png, pnginfo) * bitdepth *
              png_get_channels(png, pnginfo);
    rawsize = (uint64_t)png_get_image_height(png, pnginfo) *
              ((rowbits + 7) / 8 + 1);
    if (rawsize > (uint64_t)(reader->size - reader->pos) * IMCD_PNG_MAX_RATIO +
                      IMCD_PNG_SLACK) {
        reader->ctx.status = IMCD_CORRUPT;
        png_error(png, "image size is implausible for the data size");
    }

    png_set_expand(png);  /* palette, low bit depths, tRNS */
    if (bitdepth == 16) {
        const uint16_t one = 1;
        if (*(const uint8_t *)&one == 1)
            png_set_swap(png);
    }
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, pnginfo);

    info->width = png_get_image_width(png, pnginfo);
    info->height = png_get_image_height(png, pnginfo);
    info->channels = png_get_channels(png, pnginfo);
    info->depth = png_get_bit_depth(png, pnginfo);
    info->animated = 0;
    info->hidden = 0;
    info->frames = 1;
    (void)colortype;
    if (info->channels < 1 || info->channels > 4 ||
        (info->depth != 8 && info->depth != 16)) {
        reader->ctx.status = IMCD_NOT_SUPPORTED;
        png_error(png, "unexpected sample format after expansion");
    }
    framesize = (uint64_t)info->width * info->height * info->channels *
                (info->depth / 8);
    if (framesize > (uint64_t)PTRDIFF_MAX) {
        reader->ctx.status = IMCD_MEMORY;
        png_error(png, "image too large");
    }
    info->framesize = (ptrdiff_t)framesize;

    if (animated && png_get_valid(png, pnginfo, PNG_INFO_acTL)) {
        /* libpng counts a hidden default image as a frame */
        uint32_t frames = png_get_num_frames(png, pnginfo);
        info->animated = 1;
        info->hidden = png_get_first_frame_is_hidden(png, pnginfo) ? 1 : 0;
        fctl = imcd_png_count_fctl(src, reader->size);
        if (frames <= (uint32_t)info->hidden ||
            frames - (uint32_t)info->hidden > fctl) {
            reader->ctx.status = IMCD_CORRUPT;
            png_error(png, "acTL claims more frames than there are");
        }
        info->frames = frames;
        if ((uint64_t)info->frames * framesize > (uint64_t)PTRDIFF_MAX) {
            reader->ctx.status = IMCD_MEMORY;
            png_error(png, "image too large");
        }
    }
    reader->info = *info;

    reader->rows = (png_bytep *)malloc(
        (info->height ? info->height : 1) * sizeof(png_bytep));
    if (reader->rows == NULL) {
        reader->ctx.status = IMCD_MEMORY;
        png_error(png, "out of memory");
    }
    return IMCD_OK;
}

ptrdiff_t imcd_png_reader_image(imcd_png_reader *reader, uint8_t *dst,
                                ptrdiff_t dstsize)
{
    const imcd_png_info *info = &reader->info;
    size_t stride = (size_t)info->width * info->channels * (info->depth / 8);
    uint32_t y;

    if (dstsize < info->framesize)
        return IMCD_OUTPUT_TOO_SMALL;
    if (setjmp(png_jmpbuf(reader->png)))
        return reader->ctx.status;
    for (y = 0; y < info->height; y++)
        reader->rows[y] = dst + y * stride;
    png_read_image(reader->png, reader->rows);
    return info->framesize;
}

/* dst = src over dst for samples of `channels` with alpha last:
 * every sample, alpha too, is mixed by the source alpha */
static void imcd_png_blend8(uint8_t *dst, const uint8_t *src, size_t pixels,
                            int channels)
{
    size_t i;
    int k;
    for (i = 0; i < pixels; i++, src += channels, dst += channels) {
        unsigned a = src[channels - 1];
        if (a == 255) {
            memcpy(dst, src, (size_t)channels);
        } else if (a != 0) {
            for (k = 0; k < channels; k++)
                dst[k] = (uint8_t)((src[k] * a + dst[k] * (255 - a) + 127) /
                                   255);
        }
    }
}

static void imcd_png_blend16(uint16_t *dst, const uint16_t *src,
                             size_t pixels, int channels)
{
    size_t i;
    int k;
    for (i = 0; i < pixels; i++, src += channels, dst += channels) {
        uint32_t a = src[channels - 1];
        if (a == 65535) {
            memcpy(dst, src, (size_t)channels * 2);
        } else if (a != 0) {
            for (k = 0; k < channels; k++)
                dst[k] = (uint16_t)(((uint64_t)src[k] * a +
                                     (uint64_t)dst[k] * (65535 - a) + 32767) /
                                    65535);
        }
    }
}

typedef struct imcd_png_region {
    uint32_t x, y, width, height;
    int dispose;
} imcd_png_region;

ptrdiff_t imcd_apng_reader_frames(imcd_png_reader *reader, int64_t index,
                                  uint8_t *dst, ptrdiff_t dstsize)
{
    const imcd_png_info *info = &reader->info;
    png_structp png = reader->png;
    png_infop pnginfo = reader->pnginfo;
    size_t pixel = (size_t)info->channels * (info->depth / 8);
    size_t stride = (size_t)info->width * pixel;
    size_t framesize = (size_t)info->framesize;
    int alpha = info->channels == 2 || info->channels == 4;
    ptrdiff_t needed;
    imcd_png_region last = {0, 0, 0, 0, PNG_DISPOSE_OP_NONE};
    uint32_t i, y;

    if (!info->animated)
        return index > 0 ? IMCD_VALUE : imcd_png_reader_image(reader, dst,
                                                              dstsize);
    if (index >= (int64_t)info->frames)
        return IMCD_VALUE;
    needed = index < 0 ? (ptrdiff_t)(framesize * info->frames)
                       : (ptrdiff_t)framesize;
    if (dstsize < needed)
        return IMCD_OUTPUT_TOO_SMALL;
    if (framesize > 0 && reader->scratch == NULL) {
        reader->scratch = (uint8_t *)malloc(framesize);
        if (reader->scratch == NULL)
            return IMCD_MEMORY;
    }
    if (setjmp(png_jmpbuf(png)))
        return reader->ctx.status;

    for (i = 0; i < info->frames; i++) {
        uint8_t *canvas = index < 0 ? dst + (size_t)i * framesize : dst;
        imcd_png_region region = {0, 0, info->width, info->height,
                                  PNG_DISPOSE_OP_NONE};
        png_uint_16 delay_num, delay_den;
        png_byte dispose = PNG_DISPOSE_OP_NONE, blend = PNG_BLEND_OP_SOURCE;
        uint8_t *target;
        size_t rowsize, targetstride;

        png_read_frame_head(png, pnginfo);  /* does nothing for IDAT */
        if (!(i == 0 && info->hidden)) {
            png_get_next_frame_fcTL(png, pnginfo, &region.width,
                                    &region.height, &region.x, &region.y,
                                    &delay_num, &delay_den, &dispose, &blend);
        }
        if (region.width == 0 || region.height == 0 ||
            region.width > info->width - region.x || region.x > info->width ||
            region.height > info->height - region.y ||
            region.y > info->height || dispose > PNG_DISPOSE_OP_PREVIOUS ||
            blend > PNG_BLEND_OP_OVER) {
            reader->ctx.status = IMCD_CORRUPT;
            png_error(png, "invalid fcTL chunk");
        }
        region.dispose = dispose;
        rowsize = (size_t)region.width * pixel;

        if (index >= 0 && (int64_t)i != index) {
            /* a frame before the one asked for: read and forget */
            target = reader->scratch;
            targetstride = rowsize;
        } else if (index >= 0) {
            memset(canvas, 0, framesize);
            target = canvas + region.y * stride + region.x * pixel;
            targetstride = stride;
        } else {
            /* the canvas as the previous frame's dispose op left it */
            if (i == 0) {
                memset(canvas, 0, framesize);
            } else if (last.dispose == PNG_DISPOSE_OP_PREVIOUS) {
                /* the canvas before the previous frame: the output
                 * before it, or the empty canvas */
                if (i >= 2)
                    memcpy(canvas, canvas - 2 * framesize, framesize);
                else
                    memset(canvas, 0, framesize);
            } else {
                memcpy(canvas, canvas - framesize, framesize);
                if (last.dispose == PNG_DISPOSE_OP_BACKGROUND) {
                    for (y = last.y; y < last.y + last.height; y++)
                        memset(canvas + y * stride + last.x * pixel, 0,
                               (size_t)last.width * pixel);
                }
            }
            /* the first image replaces the empty canvas (as with the
             * reference, which does not blend it) */
            if (blend == PNG_BLEND_OP_OVER && alpha && i > 0) {
                target = reader->scratch;
                targetstride = rowsize;
            } else {
                target = canvas + region.y * stride + region.x * pixel;
                targetstride = stride;
            }
        }
        for (y = 0; y < region.height; y++)
            reader->rows[y] = target + y * targetstride;
        png_read_image(png, reader->rows);

        if (index >= 0) {
            if ((int64_t)i == index)
                break;
            continue;
        }
        if (target == reader->scratch) {
            for (y = 0; y < region.height; y++) {
                uint8_t *row = canvas + (region.y + y) * stride +
                               region.x * pixel;
                if (info->depth == 8)
                    imcd_png_blend8(row, target + y * rowsize, region.width,
                                    info->channels);
                else
                    imcd_png_blend16((uint16_t *)row,
                                     (const uint16_t *)(target + y * rowsize),
                                     region.width, info->channels);
            }
        }
        last = region;
    }
    return needed;
}

const char *imcd_png_reader_message(const imcd_png_reader *reader)
{
    if (reader == NULL || reader->ctx.message[0] == '\0')
        return imcd_status_message(reader ? reader->ctx.status : IMCD_MEMORY);
    return reader->ctx.message;
}

void imcd_png_reader_close(imcd_png_reader *reader)
{
    if (reader == NULL)
        return;
    if (reader->png != NULL)
        png_destroy_read_struct(&reader->png,
                                reader->pnginfo ? &reader->pnginfo : NULL,
                                NULL);
    free(reader->rows);
    free(reader->scratch);
    free(reader);
}

/* -- writing ------------------------------------------------------------ */

typedef struct imcd_png_writer {
    imcd_png_context ctx; /* first: libpng's error_ptr */
    uint8_t *dst;
    size_t size;
    size_t pos;
} imcd_png_writer;

static void imcd_png_write_fn(png_structp png, png_bytep data, size_t length)
{
    imcd_png_writer *writer = (imcd_png_writer *)png_get_io_ptr(png);
    if (length > writer->size - writer->pos) {
        writer->ctx.status = IMCD_OUTPUT_TOO_SMALL;
        png_error(png, "output too small");
    }
    memcpy(writer->dst + writer->pos, data, length);
    writer->pos += length;
}

static void imcd_png_flush_fn(png_structp png) { (void)png; }

ptrdiff_t imcd_png_encode_bound(ptrdiff_t frames, uint32_t height,
                                uint32_t width, int channels, int depth)
{
    /* filtered rows, zlib's stored blocks (5 bytes per 16 KB at least),
     * a 12-byte chunk per 8 KB of stream, fcTL and fdAT per frame */
    uint64_t raw = (uint64_t)height *
                   ((uint64_t)width * channels * (depth / 8) + 1);
    uint64_t frame = raw + raw / 256 + 64 + 38 + 16;
    uint64_t bound = 8 + 25 + 20 + 12 + 256 + frame * (uint64_t)frames;
    if (frames < 0 || bound > (uint64_t)PTRDIFF_MAX / 2)
        return IMCD_MEMORY;
    return (ptrdiff_t)bound;
}

/* The libpng calls of the encoder, with their jump target. */
static ptrdiff_t imcd_png_write(png_structp png, png_infop pnginfo,
                                imcd_png_writer *writer, png_bytep *rows,
                                const uint8_t *src, ptrdiff_t frames,
                                uint32_t height, uint32_t width, int channels,
                                int depth, const imcd_png_params *params)
{
    static const int colortypes[5] = {
        0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
        PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    size_t stride = (size_t)width * channels * (depth / 8);
    size_t framesize = stride * height;
    ptrdiff_t frame;
    uint32_t y;

    if (setjmp(png_jmpbuf(png)))
        return writer->ctx.status;
    png_set_write_fn(png, writer, imcd_png_write_fn, imcd_png_flush_fn);
    png_set_IHDR(png, pnginfo, width, height, depth, colortypes[channels],
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (params->level != IMCD_PNG_DEFAULT)
        png_set_compression_level(png, params->level);
    if (params->strategy != IMCD_PNG_DEFAULT)
        png_set_compression_strategy(png, params->strategy);
    if (params->filter != IMCD_PNG_DEFAULT)
        png_set_filter(png, PNG_FILTER_TYPE_BASE, params->filter);
    if (params->animated)
        png_set_acTL(png, pnginfo, (png_uint_32)frames, 0);
    png_write_info(png, pnginfo);
    if (depth == 16 && params->swap)
        png_set_swap(png);

    for (frame = 0; frame < frames; frame++) {
        const uint8_t *image = src + (size_t)frame * framesize;
        for (y = 0; y < height; y++)
            rows[y] = (png_bytep)(image + y * stride);
        if (params->animated)
            png_write_frame_head(png, pnginfo, rows, width, height, 0, 0,
                                 params->delay, 1000, PNG_DISPOSE_OP_NONE,
                                 PNG_BLEND_OP_SOURCE);
        png_write_image(png, rows);
        if (params->animated)
            png_write_frame_tail(png, pnginfo);
    }
    png_write_end(png, pnginfo);
    return (ptrdiff_t)writer->pos;
}

ptrdiff_t imcd_png_encode(const uint8_t *src, ptrdiff_t frames,
                          uint32_t height, uint32_t width, int channels,
                          int depth, const imcd_png_params *params,
                          uint8_t *dst, ptrdiff_t dstsize, char *message)
{
    imcd_png_writer writer;
    png_structp png;
    png_infop pnginfo;
    png_bytep *rows;
    ptrdiff_t status;

    message[0] = '\0';
    if (channels < 1 || channels > 4 || (depth != 8 && depth != 16) ||
        frames < 1 || dstsize < 0)
        return IMCD_VALUE;
    memset(&writer, 0, sizeof(writer));
    writer.ctx.failure = IMCD_ERROR;
    writer.dst = dst;
    writer.size = (size_t)dstsize;
    rows = (png_bytep *)malloc((height ? height : 1) * sizeof(png_bytep));
    if (rows == NULL)
        return IMCD_MEMORY;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer.ctx,
                                  imcd_png_error_fn, imcd_png_warning_fn);
    pnginfo = png ? png_create_info_struct(png) : NULL;
    if (pnginfo == NULL) {
        status = IMCD_MEMORY;
    } else {
        status = imcd_png_write(png, pnginfo, &writer, rows, src, frames,
                                height, width, channels, depth, params);
        if (status < 0)
            memcpy(message, writer.ctx.message, IMCD_PNG_MESSAGE_SIZE);
    }
    png_destroy_write_struct(&png, pnginfo ? &pnginfo : NULL);
    free(rows);
    return status;
}
