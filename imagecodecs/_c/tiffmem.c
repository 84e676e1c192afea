/* SPDX-License-Identifier: BSD-3-Clause */
/* In-memory client I/O and page reading and writing over libtiff. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiffmem.h"

/* -- client I/O over a memory buffer ------------------------------------ */

static tmsize_t mem_read(thandle_t fd, void *buf, tmsize_t size)
{
    imcd_tiff *h = (imcd_tiff *)fd;
    size_t n;
    if (size < 0) return -1;
    if (h->pos >= h->size) return 0;
    n = h->size - h->pos;
    if ((size_t)size < n) n = (size_t)size;
    memcpy(buf, h->data + h->pos, n);
    h->pos += n;
    return (tmsize_t)n;
}

static tmsize_t mem_write(thandle_t fd, void *buf, tmsize_t size)
{
    imcd_tiff *h = (imcd_tiff *)fd;
    size_t end;
    if (!h->writable || size < 0) return -1;
    if ((size_t)size > SIZE_MAX - h->pos) return -1;
    end = h->pos + (size_t)size;
    if (end > h->capacity) {
        size_t capacity = h->capacity > 4096 ? h->capacity : 4096;
        uint8_t *data;
        while (capacity < end) {
            if (capacity > SIZE_MAX / 2) {
                capacity = end;
                break;
            }
            capacity *= 2;
        }
        data = (uint8_t *)realloc(h->data, capacity);
        if (data == NULL) return -1;
        h->data = data;
        h->capacity = capacity;
    }
    if (h->pos > h->size) {
        /* a seek past the end leaves a gap: no stale memory in the file */
        memset(h->data + h->size, 0, h->pos - h->size);
    }
    memcpy(h->data + h->pos, buf, (size_t)size);
    h->pos = end;
    if (end > h->size) h->size = end;
    return size;
}

static toff_t mem_seek(thandle_t fd, toff_t offset, int whence)
{
    imcd_tiff *h = (imcd_tiff *)fd;
    uint64_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = h->pos; break;
    case SEEK_END: base = h->size; break;
    default: return (toff_t)-1;
    }
    /* offsets are unsigned: a negative SEEK_CUR wraps around */
    base += offset;
    if (base > (uint64_t)PTRDIFF_MAX) return (toff_t)-1;
    h->pos = (size_t)base;
    return (toff_t)base;
}

static int mem_close(thandle_t fd)
{
    (void)fd;
    return 0;
}

static toff_t mem_size(thandle_t fd)
{
    return (toff_t)((imcd_tiff *)fd)->size;
}

static int mem_map(thandle_t fd, void **base, toff_t *size)
{
    imcd_tiff *h = (imcd_tiff *)fd;
    /* a growing output moves: only the read-only input is mapped */
    if (h->writable) return 0;
    *base = h->data;
    *size = (toff_t)h->size;
    return 1;
}

static void mem_unmap(thandle_t fd, void *base, toff_t size)
{
    (void)fd;
    (void)base;
    (void)size;
}

/* -- messages ----------------------------------------------------------- */

static int on_error(TIFF *tif, void *user, const char *module,
                    const char *fmt, va_list ap)
{
    imcd_tiff *h = (imcd_tiff *)user;
    (void)tif;
    (void)module;
    /* the first error is the cause; later ones report its consequences */
    if (h != NULL && h->error[0] == '\0') {
        vsnprintf(h->error, IMCD_TIFF_MESSAGE, fmt, ap);
        if (h->error[0] == '\0') strcpy(h->error, "libtiff error");
    }
    return 1;
}

static int on_warning(TIFF *tif, void *user, const char *module,
                      const char *fmt, va_list ap)
{
    imcd_tiff *h = (imcd_tiff *)user;
    size_t used;
    int n;
    (void)tif;
    if (h == NULL) return 1;
    if (h->error[0] == '\0' && strstr(fmt, "IO error") != NULL) {
        /* a tag's value lies beyond the end of the data: truncated */
        vsnprintf(h->error, IMCD_TIFF_MESSAGE, fmt, ap);
        return 1;
    }
    if (!h->verbose) return 1;
    used = strlen(h->warnings);
    if (used + 2 >= IMCD_TIFF_WARNINGS) return 1;
    n = snprintf(h->warnings + used, IMCD_TIFF_WARNINGS - used, "%s: ",
                 module ? module : "libtiff");
    if (n < 0) return 1;
    used = strlen(h->warnings);
    vsnprintf(h->warnings + used, IMCD_TIFF_WARNINGS - used, fmt, ap);
    used = strlen(h->warnings);
    if (used + 1 < IMCD_TIFF_WARNINGS) {
        h->warnings[used] = '\n';
        h->warnings[used + 1] = '\0';
    }
    return 1;
}

/* -- open and close ----------------------------------------------------- */

ptrdiff_t imcd_tiff_open(imcd_tiff *h, const uint8_t *data, size_t size,
                         const char *mode, int64_t maxalloc, int verbose)
{
    TIFFOpenOptions *opts;
    memset(h, 0, sizeof(*h));
    h->verbose = verbose;
    if (mode[0] == 'r') {
        h->data = (uint8_t *)data;
        h->size = size;
    } else {
        h->writable = 1;
        h->capacity = size > 4096 ? size : 4096;
        h->data = (uint8_t *)malloc(h->capacity);
        if (h->data == NULL) return IMCD_MEMORY;
        if (size > 0) memcpy(h->data, data, size);
        h->size = size;
    }
    opts = TIFFOpenOptionsAlloc();
    if (opts == NULL) {
        imcd_tiff_free(h);
        return IMCD_MEMORY;
    }
    TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, h);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, h);
    if (maxalloc > 0) {
        TIFFOpenOptionsSetMaxSingleMemAlloc(opts, (tmsize_t)maxalloc);
        TIFFOpenOptionsSetMaxCumulatedMemAlloc(opts, (tmsize_t)maxalloc);
    }
    h->tif = TIFFClientOpenExt("memory", mode, (thandle_t)h, mem_read,
                               mem_write, mem_seek, mem_close, mem_size,
                               mem_map, mem_unmap, opts);
    TIFFOpenOptionsFree(opts);
    if (h->tif == NULL) {
        if (h->error[0] == '\0') strcpy(h->error, "not a TIFF file");
        imcd_tiff_free(h);
        return IMCD_CORRUPT;
    }
    return IMCD_OK;
}

void imcd_tiff_close(imcd_tiff *h)
{
    if (h->tif != NULL) {
        TIFFClose(h->tif);
        h->tif = NULL;
    }
}

void imcd_tiff_free(imcd_tiff *h)
{
    imcd_tiff_close(h);
    if (h->writable) free(h->data);
    h->data = NULL;
    h->size = h->capacity = 0;
}

/* -- geometry ----------------------------------------------------------- */

ptrdiff_t imcd_tiff_page_info(imcd_tiff *h, imcd_tiff_page *p)
{
    TIFF *tif = h->tif;
    uint16_t sub0 = 1, sub1 = 1;
    memset(p, 0, sizeof(*p));
    if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &p->width) ||
        !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &p->length)) {
        if (h->error[0] == '\0') strcpy(h->error, "missing image size");
        return IMCD_CORRUPT;
    }
    TIFFGetFieldDefaulted(tif, TIFFTAG_IMAGEDEPTH, &p->depth);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &p->samples);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &p->bitspersample);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &p->sampleformat);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &p->planarconfig);
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &p->compression);
    if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &p->photometric))
        p->photometric = PHOTOMETRIC_MINISBLACK;
    if (p->photometric == PHOTOMETRIC_YCBCR) {
        TIFFGetFieldDefaulted(tif, TIFFTAG_YCBCRSUBSAMPLING, &sub0, &sub1);
        if (p->compression == COMPRESSION_JPEG) {
            /* libjpeg converts to RGB: no subsampled blocks to unravel */
            TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
            sub0 = sub1 = 1;
        }
    }
    p->ycbcrsub[0] = sub0;
    p->ycbcrsub[1] = sub1;
    p->tiled = TIFFIsTiled(tif);
    if (p->tiled) {
        TIFFGetField(tif, TIFFTAG_TILEWIDTH, &p->tilewidth);
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &p->tilelength);
        TIFFGetFieldDefaulted(tif, TIFFTAG_TILEDEPTH, &p->tiledepth);
        if (p->tiledepth == 0) p->tiledepth = 1;
    } else {
        TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &p->rowsperstrip);
        if (p->rowsperstrip == 0 || p->rowsperstrip > p->length)
            p->rowsperstrip = p->length;
    }
    if (p->depth == 0) p->depth = 1;
    if (p->samples == 0 || p->bitspersample == 0 ||
        (p->tiled && (p->tilewidth == 0 || p->tilelength == 0))) {
        strcpy(h->error, "invalid image geometry");
        return IMCD_CORRUPT;
    }
    return IMCD_OK;
}

/* Samples in one segment row, and the segment's rows, columns, depth. */
static void segment_shape(const imcd_tiff_page *p, uint64_t *cols,
                          uint64_t *rows, uint64_t *depth, uint64_t *spp)
{
    *spp = p->planarconfig == PLANARCONFIG_SEPARATE ? 1 : p->samples;
    if (p->tiled) {
        *cols = p->tilewidth;
        *rows = p->tilelength;
        *depth = p->tiledepth;
    } else {
        *cols = p->width;
        *rows = p->rowsperstrip;
        *depth = 1;
    }
}

int64_t imcd_tiff_segment_size(const imcd_tiff_page *p)
{
    uint64_t cols, rows, depth, spp, rowbytes;
    segment_shape(p, &cols, &rows, &depth, &spp);
    /* 32-bit fields: the products fit in 64 bits up to the last factor */
    rowbytes = (cols * spp * p->bitspersample + 7) / 8;
    if (rowbytes != 0 && rows * depth > (uint64_t)INT64_MAX / rowbytes)
        return -1;
    return (int64_t)(rowbytes * rows * depth);
}

/* -- unpacking and packing ---------------------------------------------- */

static void unpack_row(const uint8_t *src, uint64_t n, int bits,
                       int itemsize, uint8_t *dst)
{
    uint64_t i;
    if (bits == itemsize * 8) {
        memcpy(dst, src, (size_t)(n * (uint64_t)itemsize));
        return;
    }
    if (bits == 24 && itemsize == 4) {
        /* libtiff swaps 24-bit samples to the host's byte order */
        for (i = 0; i < n; i++) {
            uint32_t v = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            memcpy((uint8_t *)&v + 1, src + 3 * i, 3);
#else
            memcpy(&v, src + 3 * i, 3);
#endif
            memcpy(dst + 4 * i, &v, 4);
        }
        return;
    }
    /* other sizes are a big-endian bit stream */
    for (i = 0; i < n; i++) {
        uint64_t bit = i * (uint64_t)bits;
        uint64_t v = 0;
        int k;
        for (k = 0; k < bits; k++, bit++)
            v = (v << 1) | ((src[bit >> 3] >> (7 - (bit & 7))) & 1);
        switch (itemsize) {
        case 1: dst[i] = (uint8_t)v; break;
        case 2: { uint16_t w = (uint16_t)v; memcpy(dst + 2 * i, &w, 2); break; }
        case 4: { uint32_t w = (uint32_t)v; memcpy(dst + 4 * i, &w, 4); break; }
        default: memcpy(dst + 8 * i, &v, 8); break;
        }
    }
}

static void pack_row(const uint8_t *src, uint64_t n, int bits, int itemsize,
                     uint8_t *dst, uint64_t rowbytes)
{
    uint64_t i;
    if (bits == itemsize * 8) {
        memcpy(dst, src, (size_t)(n * (uint64_t)itemsize));
        return;
    }
    memset(dst, 0, (size_t)rowbytes);
    for (i = 0; i < n; i++) {
        uint64_t bit = i * (uint64_t)bits;
        uint64_t v = 0;
        int k;
        switch (itemsize) {
        case 1: v = src[i]; break;
        case 2: { uint16_t w; memcpy(&w, src + 2 * i, 2); v = w; break; }
        case 4: { uint32_t w; memcpy(&w, src + 4 * i, 4); v = w; break; }
        default: memcpy(&v, src + 8 * i, 8); break;
        }
        for (k = bits - 1; k >= 0; k--, bit++)
            if ((v >> k) & 1) dst[bit >> 3] |= (uint8_t)(0x80 >> (bit & 7));
    }
}

/* -- reading ------------------------------------------------------------ */

/* TIFFReadEncodedTile decodes one plane of a volumetric (TileDepth) tile
 * only; the codecs themselves decode the whole tile from its raw bytes. */
static tmsize_t read_deep_tile(imcd_tiff *h, uint32_t tile, uint8_t *buf,
                               uint64_t size)
{
    uint64_t rawsize = TIFFGetStrileByteCount(h->tif, tile);
    uint8_t *raw;
    tmsize_t got;
    if (rawsize == 0 || rawsize > h->size) return -1;
    raw = (uint8_t *)malloc((size_t)rawsize);
    if (raw == NULL) return -1;
    got = TIFFReadRawTile(h->tif, tile, raw, (tmsize_t)rawsize);
    if (got != (tmsize_t)rawsize ||
        !TIFFReadFromUserBuffer(h->tif, tile, raw, (tmsize_t)rawsize, buf,
                                (tmsize_t)size))
        got = -1;
    else
        got = (tmsize_t)size;
    free(raw);
    return got;
}

ptrdiff_t imcd_tiff_read_page(imcd_tiff *h, const imcd_tiff_page *p,
                              int itemsize, uint8_t *dst, ptrdiff_t dstsize)
{
    TIFF *tif = h->tif;
    uint64_t cols, rows, depth, spp, rowbytes, need, total;
    uint64_t planes, s, x, y, z;
    uint8_t *buf;
    int separate = p->planarconfig == PLANARCONFIG_SEPARATE;
    int bits = p->bitspersample;

    if (itemsize < 1 || itemsize > 16 ||
        (bits > itemsize * 8) || (bits != itemsize * 8 && itemsize > 8))
        return IMCD_VALUE;
    if (p->photometric == PHOTOMETRIC_YCBCR && !separate &&
        (p->ycbcrsub[0] != 1 || p->ycbcrsub[1] != 1)) {
        strcpy(h->error, "subsampled YCbCr images need asrgb=True");
        return IMCD_NOT_SUPPORTED;
    }
    if (!p->tiled && p->depth != 1) {
        strcpy(h->error, "stripped images of depth > 1 not supported");
        return IMCD_NOT_SUPPORTED;
    }
    total = (uint64_t)p->width * p->length;
    if (total != 0 && (uint64_t)p->depth * p->samples >
                          (uint64_t)PTRDIFF_MAX / itemsize / total)
        return IMCD_OUTPUT_TOO_SMALL;
    total *= (uint64_t)p->depth * p->samples * itemsize;
    if (total > (uint64_t)dstsize) return IMCD_OUTPUT_TOO_SMALL;
    if (total == 0) return 0;

    segment_shape(p, &cols, &rows, &depth, &spp);
    rowbytes = (cols * spp * bits + 7) / 8;
    need = rowbytes * rows * depth;
    if (need == 0 || need > (uint64_t)PTRDIFF_MAX) return IMCD_CORRUPT;
    buf = (uint8_t *)malloc((size_t)need);
    if (buf == NULL) return IMCD_MEMORY;

    planes = separate ? p->samples : 1;
    for (s = 0; s < planes; s++) {
        for (z = 0; z < p->depth; z += depth) {
            for (y = 0; y < p->length; y += rows) {
                for (x = 0; x < p->width; x += cols) {
                    uint64_t nrows = rows, ndepth = depth, ncols, dz, dy;
                    uint64_t expected;
                    tmsize_t got;
                    uint32_t seg;
                    if (y + nrows > p->length) nrows = p->length - y;
                    if (z + ndepth > p->depth) ndepth = p->depth - z;
                    ncols = cols;
                    if (x + ncols > p->width) ncols = p->width - x;
                    if (p->tiled) {
                        seg = TIFFComputeTile(tif, (uint32_t)x, (uint32_t)y,
                                              (uint32_t)z, (uint16_t)s);
                        if (seg >= TIFFNumberOfTiles(tif)) goto corrupt;
                        expected = need;
                        if (depth > 1)
                            got = read_deep_tile(h, seg, buf, need);
                        else
                            got = TIFFReadEncodedTile(tif, seg, buf,
                                                      (tmsize_t)need);
                    } else {
                        seg = TIFFComputeStrip(tif, (uint32_t)y,
                                               (uint16_t)s);
                        if (seg >= TIFFNumberOfStrips(tif)) goto corrupt;
                        /* the last strip may hold fewer rows */
                        expected = rowbytes * nrows;
                        got = TIFFReadEncodedStrip(tif, seg, buf,
                                                   (tmsize_t)expected);
                    }
                    if (got < 0 || (uint64_t)got < expected) goto corrupt;
                    for (dz = 0; dz < ndepth; dz++) {
                        for (dy = 0; dy < nrows; dy++) {
                            const uint8_t *src =
                                buf + (dz * rows + dy) * rowbytes;
                            uint64_t offset =
                                ((z + dz) * p->length + y + dy) * p->width + x;
                            if (separate)
                                offset += s * p->depth * p->length * p->width;
                            else
                                offset *= p->samples;
                            unpack_row(src, ncols * spp, bits, itemsize,
                                       dst + offset * (uint64_t)itemsize);
                        }
                    }
                }
            }
        }
    }
    free(buf);
    return (ptrdiff_t)total;
corrupt:
    free(buf);
    if (h->error[0] == '\0') strcpy(h->error, "failed to decode a segment");
    return IMCD_CORRUPT;
}

ptrdiff_t imcd_tiff_read_rgba(imcd_tiff *h, uint32_t width, uint32_t length,
                              uint8_t *dst, ptrdiff_t dstsize)
{
    uint64_t total = (uint64_t)width * length * 4;
    uint64_t i;
    char message[1024];
    if (total > (uint64_t)dstsize) return IMCD_OUTPUT_TOO_SMALL;
    if (total == 0) return 0;
    if (!TIFFRGBAImageOK(h->tif, message)) {
        if (h->error[0] == '\0') {
            strncpy(h->error, message, IMCD_TIFF_MESSAGE - 1);
            h->error[IMCD_TIFF_MESSAGE - 1] = '\0';
        }
        return IMCD_NOT_SUPPORTED;
    }
    if (!TIFFReadRGBAImageOriented(h->tif, width, length, (uint32_t *)dst,
                                   ORIENTATION_TOPLEFT, 1)) {
        if (h->error[0] == '\0') strcpy(h->error, "failed to read RGBA");
        return IMCD_CORRUPT;
    }
    /* libtiff packs A, B, G, R from the high byte down: R first in memory
     * only on little-endian hosts */
    for (i = 0; i < total / 4; i++) {
        uint32_t v;
        memcpy(&v, dst + 4 * i, 4);
        dst[4 * i] = (uint8_t)TIFFGetR(v);
        dst[4 * i + 1] = (uint8_t)TIFFGetG(v);
        dst[4 * i + 2] = (uint8_t)TIFFGetB(v);
        dst[4 * i + 3] = (uint8_t)TIFFGetA(v);
    }
    return (ptrdiff_t)total;
}

/* -- writing ------------------------------------------------------------ */

ptrdiff_t imcd_tiff_write_page(imcd_tiff *h, const imcd_tiff_page *p,
                               int itemsize, const uint8_t *src,
                               ptrdiff_t srcsize)
{
    TIFF *tif = h->tif;
    uint64_t cols, rows, depth, spp, rowbytes, need, total;
    uint64_t planes, s, x, y;
    uint8_t *buf;
    int separate = p->planarconfig == PLANARCONFIG_SEPARATE;
    int bits = p->bitspersample;

    if (itemsize < 1 || itemsize > 16 || bits > itemsize * 8 ||
        (bits != itemsize * 8 && itemsize > 8) || p->depth != 1)
        return IMCD_VALUE;
    total = (uint64_t)p->width * p->length * p->samples * itemsize;
    if (total == 0) return IMCD_VALUE;
    if (total > (uint64_t)srcsize) return IMCD_VALUE;

    segment_shape(p, &cols, &rows, &depth, &spp);
    rowbytes = (cols * spp * bits + 7) / 8;
    need = rowbytes * rows;
    if (need == 0 || need > (uint64_t)PTRDIFF_MAX) return IMCD_VALUE;
    buf = (uint8_t *)malloc((size_t)need);
    if (buf == NULL) return IMCD_MEMORY;

    planes = separate ? p->samples : 1;
    for (s = 0; s < planes; s++) {
        for (y = 0; y < p->length; y += rows) {
            for (x = 0; x < p->width; x += cols) {
                uint64_t nrows = rows, ncols = cols, dy, size;
                tmsize_t done;
                if (y + nrows > p->length) nrows = p->length - y;
                if (x + ncols > p->width) ncols = p->width - x;
                if (p->tiled && (nrows < rows || ncols < cols))
                    memset(buf, 0, (size_t)need); /* edge tiles: padding */
                for (dy = 0; dy < nrows; dy++) {
                    uint64_t offset = (y + dy) * p->width + x;
                    if (separate)
                        offset += s * p->length * p->width;
                    else
                        offset *= p->samples;
                    pack_row(src + offset * (uint64_t)itemsize, ncols * spp,
                             bits, itemsize, buf + dy * rowbytes, rowbytes);
                }
                if (p->tiled) {
                    size = need;
                    done = TIFFWriteEncodedTile(
                        tif,
                        TIFFComputeTile(tif, (uint32_t)x, (uint32_t)y, 0,
                                        (uint16_t)s),
                        buf, (tmsize_t)size);
                } else {
                    size = nrows * rowbytes;
                    done = TIFFWriteEncodedStrip(
                        tif, TIFFComputeStrip(tif, (uint32_t)y, (uint16_t)s),
                        buf, (tmsize_t)size);
                }
                if (done < 0) {
                    free(buf);
                    if (h->error[0] == '\0')
                        strcpy(h->error, "failed to encode a segment");
                    return IMCD_ERROR;
                }
            }
        }
    }
    free(buf);
    if (!TIFFWriteDirectory(tif)) {
        if (h->error[0] == '\0') strcpy(h->error, "failed to write directory");
        return IMCD_ERROR;
    }
    return (ptrdiff_t)total;
}
