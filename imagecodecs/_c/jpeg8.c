/* SPDX-License-Identifier: BSD-3-Clause */
/* JPEG over libjpeg-turbo 3 (or mozjpeg: mozjpeg.c sets IMCD_JPEG8_HEADER
 * to its prefixed jpeglib.h, defines IMCD_JPEG8_MOZJPEG for the encoder's
 * mozjpeg-only parameters and includes this file): the calls that can fail,
 * each under its own jump target. See jpeg8.h. */
#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE and size_t */
#include <stdlib.h>

#ifdef IMCD_JPEG8_HEADER
#include IMCD_JPEG8_HEADER
#include IMCD_JPEG8_ERROR_HEADER
#else
#include "jpeglib.h"
#include "jerror.h"
#endif

#include "jpeg8.h"

#define IMCD_STR2(x) #x
#define IMCD_STR(x) IMCD_STR2(x)

/* rows handed to the library per call; libjpeg's MCU rows are at most 16
 * lines high (4x vertical sampling of 8-line blocks, halved by DCT scaling
 * not used here) */
#define IMCD_JPEG8_ROWS 16

typedef struct imcd_jpeg8_error {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[IMCD_JPEG8_MESSAGE_SIZE];
} imcd_jpeg8_error;

static void imcd_jpeg8_error_exit(j_common_ptr cinfo)
{
    imcd_jpeg8_error *err = (imcd_jpeg8_error *)cinfo->err;
    char buffer[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, buffer);
    strncpy(err->message, buffer, IMCD_JPEG8_MESSAGE_SIZE - 1);
    err->message[IMCD_JPEG8_MESSAGE_SIZE - 1] = '\0';
    longjmp(err->jump, 1);
}

/* Warnings (corrupt or premature end of data) do not stop decoding, as in
 * the reference; nothing is printed to stderr. */
static void imcd_jpeg8_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void imcd_jpeg8_error_init(imcd_jpeg8_error *err)
{
    jpeg_std_error(&err->pub);
    err->pub.error_exit = imcd_jpeg8_error_exit;
    err->pub.output_message = imcd_jpeg8_output_message;
    err->message[0] = '\0';
}

static ptrdiff_t imcd_jpeg8_status(const imcd_jpeg8_error *err)
{
    return err->pub.msg_code == JERR_OUT_OF_MEMORY ? IMCD_MEMORY
                                                     : IMCD_CORRUPT;
}

const char *imcd_jpeg8_library_version(void)
{
#ifdef LIBJPEG_TURBO_VERSION
    return IMCD_STR(LIBJPEG_TURBO_VERSION) "/" IMCD_STR(JPEG_LIB_VERSION);
#else
    return "unknown/" IMCD_STR(JPEG_LIB_VERSION);
#endif
}

/* Decoder. The structure is on the heap: it stays the same across the jump
 * and between the header and decode calls. */
struct imcd_jpeg8_decoder {
    struct jpeg_decompress_struct cinfo;
    imcd_jpeg8_error err;
    int created;
    int header;
    int precision;
};

imcd_jpeg8_decoder *imcd_jpeg8_decoder_new(void)
{
    imcd_jpeg8_decoder *d = calloc(1, sizeof(imcd_jpeg8_decoder));
    if (d == NULL) return NULL;
    imcd_jpeg8_error_init(&d->err);
    d->cinfo.err = &d->err.pub;
    if (setjmp(d->err.jump)) {
        free(d);
        return NULL;
    }
    jpeg_create_decompress(&d->cinfo);
    d->created = 1;
    return d;
}

void imcd_jpeg8_decoder_free(imcd_jpeg8_decoder *d)
{
    if (d == NULL) return;
    if (d->created && !setjmp(d->err.jump)) jpeg_destroy_decompress(&d->cinfo);
    free(d);
}

const char *imcd_jpeg8_decoder_message(const imcd_jpeg8_decoder *d)
{
    return d->err.message;
}

ptrdiff_t imcd_jpeg8_find_sof(const uint8_t *data, ptrdiff_t size,
                              int *marker)
{
    ptrdiff_t pos = 2;
    if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return IMCD_CORRUPT;
    while (pos + 1 < size) {
        int code;
        if (data[pos] != 0xFF) return IMCD_CORRUPT;
        while (pos + 1 < size && data[pos + 1] == 0xFF) pos++; /* fill */
        if (pos + 1 >= size) break;
        code = data[pos + 1];
        if (code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8
            && code != 0xCC) {
            if (pos + 10 > size) return IMCD_TRUNCATED;
            *marker = code;
            return pos;
        }
        if (code == 0xDA || code == 0xD9) return IMCD_CORRUPT;
        if (code == 0x01 || (code >= 0xD0 && code <= 0xD8)) {
            pos += 2; /* markers without a segment */
            continue;
        }
        if (pos + 4 > size) break;
        pos += 2 + ((ptrdiff_t)data[pos + 2] << 8 | data[pos + 3]);
    }
    return IMCD_TRUNCATED;
}

/* The output colour space libjpeg chooses for a stream colour space. */
static J_COLOR_SPACE imcd_jpeg8_default_out(J_COLOR_SPACE jcs)
{
    switch (jcs) {
    case JCS_GRAYSCALE: return JCS_GRAYSCALE;
    case JCS_RGB:
    case JCS_YCbCr: return JCS_RGB;
    case JCS_CMYK:
    case JCS_YCCK: return JCS_CMYK;
    default: return JCS_UNKNOWN;
    }
}

ptrdiff_t imcd_jpeg8_header(imcd_jpeg8_decoder *d, const uint8_t *tables,
                            ptrdiff_t tablessize, const uint8_t *data,
                            ptrdiff_t datasize, int colorspace,
                            int outcolorspace, imcd_jpeg8_info *info)
{
    struct jpeg_decompress_struct *cinfo = &d->cinfo;
    int marker = 0;
    int lossless = 0;
    if (d->header || datasize < 0 || tablessize < 0) return IMCD_VALUE;
    if (imcd_jpeg8_find_sof(data, datasize, &marker) >= 0)
        lossless = marker == 0xC3 || marker == 0xC7 || marker == 0xCB
                   || marker == 0xCF;
    if (setjmp(d->err.jump)) return imcd_jpeg8_status(&d->err);
    if (tables != NULL && tablessize > 0) {
        jpeg_mem_src(cinfo, tables, (unsigned long)tablessize);
        /* a stream of tables only; a full stream's tables are kept too */
        if (jpeg_read_header(cinfo, FALSE) != JPEG_HEADER_TABLES_ONLY)
            jpeg_abort_decompress(cinfo);
    }
    jpeg_mem_src(cinfo, data, (unsigned long)datasize);
    jpeg_read_header(cinfo, TRUE);
    d->header = 1;
    if (colorspace >= 0) {
        cinfo->jpeg_color_space = (J_COLOR_SPACE)colorspace;
        cinfo->out_color_space = imcd_jpeg8_default_out(cinfo->jpeg_color_space);
    }
    if (outcolorspace >= 0)
        cinfo->out_color_space = (J_COLOR_SPACE)outcolorspace;
    else if (lossless)
        /* libjpeg converts no colours in lossless mode: return the stored
         * components, as a lossless decoder does */
        cinfo->out_color_space = cinfo->jpeg_color_space;
    jpeg_calc_output_dimensions(cinfo);
    d->precision = cinfo->data_precision;
    info->width = (ptrdiff_t)cinfo->output_width;
    info->height = (ptrdiff_t)cinfo->output_height;
    info->components = cinfo->output_components;
    info->precision = cinfo->data_precision;
    info->jpeg_color_space = (int)cinfo->jpeg_color_space;
    info->out_color_space = (int)cinfo->out_color_space;
    info->lossless = lossless;
    return IMCD_OK;
}

ptrdiff_t imcd_jpeg8_decode(imcd_jpeg8_decoder *d, uint8_t *dst,
                            ptrdiff_t dstsize)
{
    struct jpeg_decompress_struct *cinfo = &d->cinfo;
    int itemsize = d->precision > 8 ? 2 : 1;
    ptrdiff_t rowsize, total;
    if (!d->header) return IMCD_VALUE;
    if (setjmp(d->err.jump)) return imcd_jpeg8_status(&d->err);
    jpeg_start_decompress(cinfo);
    if (cinfo->data_precision != d->precision) return IMCD_ERROR;
    rowsize = (ptrdiff_t)cinfo->output_width * cinfo->output_components
              * itemsize;
    total = rowsize * (ptrdiff_t)cinfo->output_height;
    if (total > dstsize) return IMCD_OUTPUT_TOO_SMALL;
    while (cinfo->output_scanline < cinfo->output_height) {
        void *rows[IMCD_JPEG8_ROWS];
        JDIMENSION count = cinfo->output_height - cinfo->output_scanline;
        JDIMENSION done, i;
        if (count > IMCD_JPEG8_ROWS) count = IMCD_JPEG8_ROWS;
        for (i = 0; i < count; i++)
            rows[i] = dst + (ptrdiff_t)(cinfo->output_scanline + i) * rowsize;
        if (d->precision <= 8)
            done = jpeg_read_scanlines(cinfo, (JSAMPARRAY)rows, count);
        else if (d->precision <= 12)
            done = jpeg12_read_scanlines(cinfo, (J12SAMPARRAY)rows, count);
        else
            done = jpeg16_read_scanlines(cinfo, (J16SAMPARRAY)rows, count);
        if (done == 0) return IMCD_TRUNCATED; /* cannot happen in memory */
    }
    /* what follows the image (EOI, trailing bytes) does not matter */
    jpeg_abort_decompress(cinfo);
    return total;
}

/* Encoder. */
typedef struct imcd_jpeg8_encoder {
    struct jpeg_compress_struct cinfo;
    imcd_jpeg8_error err;
    unsigned char *buffer;
    unsigned long size;
} imcd_jpeg8_encoder;

void imcd_jpeg8_free(void *buffer) { free(buffer); }

ptrdiff_t imcd_jpeg8_encode(const uint8_t *src, ptrdiff_t stride,
                            const imcd_jpeg8_params *p, uint8_t **dst,
                            char *message)
{
    imcd_jpeg8_encoder *e;
    struct jpeg_compress_struct *cinfo;
    ptrdiff_t size;
    int progressive = p->progressive;
    *dst = NULL;
    message[0] = '\0';
    if (p->width < 1 || p->height < 1 || p->width > JPEG_MAX_DIMENSION
        || p->height > JPEG_MAX_DIMENSION || p->components < 1
        || p->components > 4 || p->precision < 2 || p->precision > 16)
        return IMCD_VALUE;
    e = calloc(1, sizeof(imcd_jpeg8_encoder));
    if (e == NULL) return IMCD_MEMORY;
    cinfo = &e->cinfo;
    imcd_jpeg8_error_init(&e->err);
    cinfo->err = &e->err.pub;
    if (setjmp(e->err.jump)) {
        size = imcd_jpeg8_status(&e->err);
        memcpy(message, e->err.message, IMCD_JPEG8_MESSAGE_SIZE);
        jpeg_destroy_compress(cinfo);
        free(e->buffer); /* the library's output buffer belongs to us */
        free(e);
        return size;
    }
    jpeg_create_compress(cinfo);
    jpeg_mem_dest(cinfo, &e->buffer, &e->size);
    cinfo->image_width = (JDIMENSION)p->width;
    cinfo->image_height = (JDIMENSION)p->height;
    cinfo->input_components = p->components;
    cinfo->in_color_space = (J_COLOR_SPACE)p->in_color_space;
    cinfo->data_precision = p->precision;
#ifdef IMCD_JPEG8_MOZJPEG
    /* the profile decides what jpeg_set_defaults installs: mozjpeg's own
     * (progressive, trellis quantisation, optimized Huffman tables, its
     * quantisation tables), or libjpeg's when optimize is 0 */
    jpeg_c_set_int_param(cinfo, JINT_COMPRESS_PROFILE,
                         p->optimize == 0 ? JCP_FASTEST : JCP_MAX_COMPRESSION);
#endif
    jpeg_set_defaults(cinfo);
    cinfo->data_precision = p->precision;
    if (p->jpeg_color_space >= 0)
        jpeg_set_colorspace(cinfo, (J_COLOR_SPACE)p->jpeg_color_space);
    else if (p->predictor > 0)
        /* lossless: keep the samples as they are */
        jpeg_set_colorspace(cinfo, cinfo->in_color_space);
#ifdef IMCD_JPEG8_MOZJPEG
    /* before jpeg_set_quality, which scales the selected base table */
    if (p->quant_table >= 0)
        jpeg_c_set_int_param(cinfo, JINT_BASE_QUANT_TBL_IDX, p->quant_table);
    if (p->trellis >= 0) {
        jpeg_c_set_bool_param(cinfo, JBOOLEAN_TRELLIS_QUANT, p->trellis > 0);
        jpeg_c_set_bool_param(cinfo, JBOOLEAN_TRELLIS_QUANT_DC,
                              p->trellis > 0);
    }
    /* jpeg_set_defaults scaled the tables to quality 75 before it chose
     * the profile's base table: scale the chosen table */
    jpeg_set_quality(cinfo, p->quality >= 0 ? p->quality : 75, TRUE);
#else
    if (p->quality >= 0) jpeg_set_quality(cinfo, p->quality, TRUE);
#endif
    if (p->h_samp > 0 && p->v_samp > 0 && cinfo->num_components > 1) {
        int i;
        cinfo->comp_info[0].h_samp_factor = p->h_samp;
        cinfo->comp_info[0].v_samp_factor = p->v_samp;
        for (i = 1; i < cinfo->num_components; i++) {
            cinfo->comp_info[i].h_samp_factor = 1;
            cinfo->comp_info[i].v_samp_factor = 1;
        }
    }
    if (p->optimize > 0) cinfo->optimize_coding = TRUE;
    if (p->smoothing > 0) cinfo->smoothing_factor = p->smoothing;
#ifdef IMCD_JPEG8_MOZJPEG
    if (progressive < 0 && p->optimize != 0) progressive = 1; /* profile */
#endif
    if (progressive > 0 && p->predictor == 0) {
        /* after the colour space and sampling: the scans depend on them
         * (mozjpeg's profile scripted them for the default colour space) */
        jpeg_simple_progression(cinfo);
    }
    else if (progressive == 0) {
        cinfo->scan_info = NULL;
        cinfo->num_scans = 0;
#ifdef IMCD_JPEG8_MOZJPEG
        jpeg_c_set_bool_param(cinfo, JBOOLEAN_OPTIMIZE_SCANS, FALSE);
#endif
    }
    if (p->predictor > 0) jpeg_enable_lossless(cinfo, p->predictor, 0);
    jpeg_start_compress(cinfo, TRUE);
    while (cinfo->next_scanline < cinfo->image_height) {
        void *rows[IMCD_JPEG8_ROWS];
        JDIMENSION count = cinfo->image_height - cinfo->next_scanline;
        JDIMENSION done, i;
        if (count > IMCD_JPEG8_ROWS) count = IMCD_JPEG8_ROWS;
        /* the library reads the rows only; its prototypes are not const */
        for (i = 0; i < count; i++)
            rows[i] = (void *)(src + (ptrdiff_t)(cinfo->next_scanline + i)
                                         * stride);
        if (p->precision <= 8)
            done = jpeg_write_scanlines(cinfo, (JSAMPARRAY)rows, count);
        else if (p->precision <= 12)
            done = jpeg12_write_scanlines(cinfo, (J12SAMPARRAY)rows, count);
        else
            done = jpeg16_write_scanlines(cinfo, (J16SAMPARRAY)rows, count);
        if (done == 0) longjmp(e->err.jump, 1);
    }
    jpeg_finish_compress(cinfo);
    *dst = e->buffer;
    size = (ptrdiff_t)e->size;
    e->buffer = NULL;
    jpeg_destroy_compress(cinfo);
    free(e);
    return size;
}
