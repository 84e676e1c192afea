/* SPDX-License-Identifier: BSD-3-Clause */
/* JPEG XR over jxrlib's glue API (PKImageDecode, PKImageEncode).
 *
 * jxrlib trusts its input: it follows container offsets and bitstream
 * sizes without checking them against the data. So the container is
 * validated here before jxrlib sees it, the image size is bounded by the
 * data size, and jxrlib reads through a stream of our own that never
 * reads outside the data (reads past its end get zeros, as the library
 * expects to read a little past the last packet of valid files). Every
 * jxrlib call's status is checked.
 */
#include <stdlib.h>

#include "jpegxr.h"

#include <JXRGlue.h>

/* A flat macroblock (16x16 pixels) takes about half a byte; allow a
 * generous 64 macroblocks per byte of image data. */
#define MB_PER_BYTE 64
#define MB_SLACK 1024
#define MAX_SIDE (1 << 24)

/* -- streams ----------------------------------------------------------- */

typedef struct {
    struct WMPStream ws; /* first: jxrlib passes &ws */
    const uint8_t *data; /* decoding: the input */
    uint8_t *buf;        /* encoding: the growing output */
    size_t size;         /* bytes of data, or bytes written */
    size_t capacity;
    size_t pos;
} stream_t;

static ERR stream_close(struct WMPStream **pme)
{
    /* the stream belongs to us, not to the decoder or encoder */
    *pme = NULL;
    return WMP_errSuccess;
}

static Bool stream_eos(struct WMPStream *me)
{
    stream_t *s = (stream_t *)me;
    return s->pos >= s->size;
}

static ERR stream_read(struct WMPStream *me, void *pv, size_t cb)
{
    stream_t *s = (stream_t *)me;
    size_t have = 0;
    if (s->data == NULL)
        return WMP_errFileIO;
    if (s->pos < s->size)
        have = s->size - s->pos < cb ? s->size - s->pos : cb;
    if (have > 0)
        memcpy(pv, s->data + s->pos, have);
    if (have < cb)
        memset((uint8_t *)pv + have, 0, cb - have);
    /* saturate: a position far past the end stays past it */
    s->pos = cb > SIZE_MAX - s->pos ? SIZE_MAX : s->pos + cb;
    return WMP_errSuccess;
}

static ERR stream_write(struct WMPStream *me, const void *pv, size_t cb)
{
    stream_t *s = (stream_t *)me;
    size_t end;
    if (s->data != NULL || cb > SIZE_MAX - s->pos)
        return WMP_errFileIO;
    end = s->pos + cb;
    if (end > s->capacity) {
        size_t capacity = s->capacity < 65536 ? 65536 : s->capacity;
        uint8_t *buf;
        while (capacity < end) {
            if (capacity > SIZE_MAX / 2)
                return WMP_errOutOfMemory;
            capacity *= 2;
        }
        buf = (uint8_t *)realloc(s->buf, capacity);
        if (buf == NULL)
            return WMP_errOutOfMemory;
        s->buf = buf;
        s->capacity = capacity;
    }
    if (s->pos > s->size) /* a seek past the end leaves a gap */
        memset(s->buf + s->size, 0, s->pos - s->size);
    memcpy(s->buf + s->pos, pv, cb);
    s->pos = end;
    if (end > s->size)
        s->size = end;
    return WMP_errSuccess;
}

static ERR stream_setpos(struct WMPStream *me, size_t pos)
{
    ((stream_t *)me)->pos = pos;
    return WMP_errSuccess;
}

static ERR stream_getpos(struct WMPStream *me, size_t *pos)
{
    *pos = ((stream_t *)me)->pos;
    return WMP_errSuccess;
}

static void stream_init(stream_t *s, const uint8_t *data, size_t size)
{
    memset(s, 0, sizeof(*s));
    s->data = data;
    s->size = data != NULL ? size : 0;
    s->ws.Close = stream_close;
    s->ws.EOS = stream_eos;
    s->ws.Read = stream_read;
    s->ws.Write = stream_write;
    s->ws.SetPos = stream_setpos;
    s->ws.GetPos = stream_getpos;
}

static ptrdiff_t status(ERR err)
{
    switch (err) {
    case WMP_errSuccess: return IMCD_OK;
    case WMP_errOutOfMemory: return IMCD_MEMORY;
    case WMP_errBufferOverflow:
    case WMP_errFileIO: return IMCD_TRUNCATED;
    case WMP_errInvalidParameter:
    case WMP_errInvalidArgument: return IMCD_VALUE;
    case WMP_errUnsupportedFormat:
    case WMP_errNotYetImplemented:
    case WMP_errIncorrectCodecVersion:
    case WMP_errIncorrectCodecSubVersion: return IMCD_NOT_SUPPORTED;
    default: return IMCD_CORRUPT;
    }
}

/* -- container --------------------------------------------------------- */

/* Sizes of the TIFF field types 1 to 12. */
static const uint32_t type_size[13] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8};

/* Check that the container's directory and the data it points to lie in
 * the input; return the image's width and height as the container states
 * them (0 if it does not) and the offsets of the image and alpha data. */
static ptrdiff_t container_check(const uint8_t *src, size_t size,
                                 uint32_t *width, uint32_t *height)
{
    uint32_t ifd, count, i;
    uint32_t image_offset = 0, image_bytes = 0, alpha_offset = 0;
    int has_format = 0, has_image = 0, has_bytes = 0;
    *width = *height = 0;
    if (size < 8)
        return IMCD_TRUNCATED;
    /* 'II', 0xBC, version 1 (version 0 files exist from the drafts) */
    if (src[0] != 'I' || src[1] != 'I' || src[2] != 0xBC || src[3] > 1)
        return IMCD_CORRUPT;
    ifd = imcd_load_u32le(src + 4);
    if (ifd < 8 || (size_t)ifd > size - 2)
        return IMCD_TRUNCATED;
    count = imcd_load_u16le(src + ifd);
    if (count == 0)
        return IMCD_CORRUPT;
    if ((size_t)count * 12 + 6 > size - ifd)
        return IMCD_TRUNCATED;
    for (i = 0; i < count; i++) {
        const uint8_t *entry = src + ifd + 2 + 12 * (size_t)i;
        uint32_t tag = imcd_load_u16le(entry);
        uint32_t type = imcd_load_u16le(entry + 2);
        uint32_t n = imcd_load_u32le(entry + 4);
        uint32_t value = imcd_load_u32le(entry + 8);
        uint64_t bytes;
        if (type == 0 || type > 12)
            return IMCD_CORRUPT;
        bytes = (uint64_t)n * type_size[type];
        if (bytes > 4 && (value > size || bytes > size - value))
            return IMCD_TRUNCATED;
        if (type == 3 && n == 1)
            value &= 0xFFFF;
        else if (type == 1 && n == 1)
            value &= 0xFF;
        switch (tag) {
        case 0xBC01: /* pixel format: a GUID */
            if (n != 16 || type != 1)
                return IMCD_CORRUPT;
            has_format = 1;
            break;
        case 0xBC80: *width = value; break;
        case 0xBC81: *height = value; break;
        case 0xBCC0: image_offset = value; has_image = 1; break;
        case 0xBCC1: image_bytes = value; has_bytes = 1; break;
        case 0xBCC2: alpha_offset = value; break;
        default: break;
        }
    }
    if (!has_format || !has_image)
        return IMCD_CORRUPT;
    if (image_offset < 8 || image_offset >= size)
        return IMCD_TRUNCATED;
    /* the whole image bitstream must be there; the alpha plane's byte
     * count is not checked: some writers store a wrong one */
    if (has_bytes && (image_bytes == 0 || image_bytes > size - image_offset))
        return IMCD_TRUNCATED;
    if (alpha_offset != 0 && alpha_offset >= size)
        return IMCD_TRUNCATED;
    return IMCD_OK;
}

/* -- pixel formats ----------------------------------------------------- */

ptrdiff_t imcd_jpegxr_format(const uint8_t format[16], imcd_jpegxr_info *info)
{
    PKPixelInfo pi;
    PKPixelFormatGUID guid;
    memcpy(&guid, format, 16);
    memset(&pi, 0, sizeof(pi));
    pi.pGUIDPixFmt = &guid;
    if (PixelFormatLookup(&pi, LOOKUP_FORWARD) != WMP_errSuccess)
        return IMCD_NOT_SUPPORTED;
    if (IsEqualGUID(&guid, &GUID_PKPixelFormatDontCare))
        return IMCD_NOT_SUPPORTED;
    /* the YUV formats decode to subsampled planes we have no shape for */
    if (pi.cfColorFormat == YUV_420 || pi.cfColorFormat == YUV_422 ||
        pi.cfColorFormat == YUV_444)
        return IMCD_NOT_SUPPORTED;
    memcpy(info->format, format, 16);
    info->channels = (int32_t)pi.cChannel;
    info->bits = (int32_t)pi.cbitUnit;
    info->bitdepth = (int32_t)pi.bdBitDepth;
    info->hasalpha = (pi.grBit & PK_pixfmtHasAlpha) != 0;
    info->bgr = (pi.grBit & PK_pixfmtBGR) != 0;
    info->photometric = (int32_t)pi.uInterpretation;
    return IMCD_OK;
}

/* -- decoding ---------------------------------------------------------- */

/* Create a decoder over `s`, validated; the caller releases it. */
static ptrdiff_t decoder_open(stream_t *s, const uint8_t *src, size_t size,
                              PKImageDecode **decoder,
                              imcd_jpegxr_info *info)
{
    PKImageDecode *dec = NULL;
    PKPixelFormatGUID guid;
    I32 width = 0, height = 0;
    uint32_t cwidth, cheight;
    uint64_t mbs;
    ptrdiff_t ret;
    ERR err;

    *decoder = NULL;
    ret = container_check(src, size, &cwidth, &cheight);
    if (ret < 0)
        return ret;
    stream_init(s, src, size);
    err = PKImageDecode_Create_WMP(&dec);
    if (err != WMP_errSuccess)
        return status(err);
    *decoder = dec;
    err = dec->Initialize(dec, &s->ws);
    if (err != WMP_errSuccess)
        return status(err);
    err = dec->GetPixelFormat(dec, &guid);
    if (err != WMP_errSuccess)
        return status(err);
    ret = imcd_jpegxr_format((const uint8_t *)&guid, info);
    if (ret < 0)
        return ret;
    /* the bitstream's size must be the container's and fit the data */
    if (dec->uWidth == 0 || dec->uHeight == 0 || dec->uWidth > MAX_SIDE ||
        dec->uHeight > MAX_SIDE)
        return IMCD_CORRUPT;
    if ((cwidth != 0 && cwidth != dec->uWidth) ||
        (cheight != 0 && cheight != dec->uHeight))
        return IMCD_CORRUPT;
    mbs = (((uint64_t)dec->uWidth + 15) / 16) * (((uint64_t)dec->uHeight + 15) / 16);
    if (mbs > (uint64_t)size * MB_PER_BYTE + MB_SLACK)
        return IMCD_CORRUPT;
    /* the bitstream states its own bit depth (4 bits, unchecked by
     * jxrlib, which indexes tables with it) and jxrlib writes pixels of
     * that depth: it must be the pixel format's, which sized the output */
    if ((int32_t)dec->WMP.wmiI.bdBitDepth != info->bitdepth)
        return IMCD_CORRUPT;
    /* an alpha plane must agree with the format */
    if (dec->WMP.bHasAlpha && !info->hasalpha)
        return IMCD_CORRUPT;
    if (info->hasalpha)
        dec->WMP.wmiSCP.uAlphaMode = dec->WMP.bHasAlpha ? 2 : 0;
    else
        dec->WMP.wmiSCP.uAlphaMode = 0;
    err = dec->GetSize(dec, &width, &height);
    if (err != WMP_errSuccess)
        return status(err);
    if (width <= 0 || height <= 0)
        return IMCD_CORRUPT;
    info->width = width;
    info->height = height;
    return IMCD_OK;
}

ptrdiff_t imcd_jpegxr_info_get(const uint8_t *src, size_t srcsize,
                               imcd_jpegxr_info *info)
{
    stream_t s;
    PKImageDecode *dec = NULL;
    ptrdiff_t ret;
    memset(info, 0, sizeof(*info));
    ret = decoder_open(&s, src, srcsize, &dec, info);
    if (dec != NULL)
        dec->Release(&dec);
    return ret;
}

ptrdiff_t imcd_jpegxr_decode(const uint8_t *src, size_t srcsize,
                             uint8_t *dst, size_t dstsize, size_t stride)
{
    stream_t s;
    PKImageDecode *dec = NULL;
    imcd_jpegxr_info info;
    PKRect rect;
    ptrdiff_t ret;
    ERR err;
    size_t row;

    memset(&info, 0, sizeof(info));
    ret = decoder_open(&s, src, srcsize, &dec, &info);
    if (ret < 0)
        goto done;
    row = ((size_t)info.width * (size_t)info.bits + 7) / 8;
    if (stride < row || stride > UINT32_MAX ||
        (size_t)info.height > dstsize / stride) {
        ret = IMCD_OUTPUT_TOO_SMALL;
        goto done;
    }
    rect.X = 0;
    rect.Y = 0;
    rect.Width = info.width;
    rect.Height = info.height;
    err = dec->Copy(dec, &rect, dst, (U32)stride);
    ret = err == WMP_errSuccess ? (ptrdiff_t)(stride * (size_t)info.height)
                                : status(err);
done:
    if (dec != NULL)
        dec->Release(&dec);
    return ret;
}

/* -- encoding ---------------------------------------------------------- */

ptrdiff_t imcd_jpegxr_encode(const uint8_t *src, size_t stride,
                             int32_t width, int32_t height,
                             const uint8_t format[16], int qp, int qpalpha,
                             int overlap, int colorformat, float resx,
                             float resy, uint8_t **dst)
{
    stream_t s;
    PKImageEncode *enc = NULL;
    CWMIStrCodecParam scp;
    PKPixelFormatGUID guid;
    imcd_jpegxr_info info;
    ptrdiff_t ret;
    ERR err;

    *dst = NULL;
    if (width <= 0 || height <= 0 || stride > UINT32_MAX || qp < 1 ||
        qp > 255 || qpalpha < 1 || qpalpha > 255)
        return IMCD_VALUE;
    ret = imcd_jpegxr_format(format, &info);
    if (ret < 0)
        return ret;
    memcpy(&guid, format, 16);
    stream_init(&s, NULL, 0);

    memset(&scp, 0, sizeof(scp));
    scp.bVerbose = FALSE;
    scp.cfColorFormat = (COLORFORMAT)colorformat;
    scp.bdBitDepth = BD_LONG;
    scp.bfBitstreamFormat = FREQUENCY;
    scp.bProgressiveMode = TRUE;
    scp.olOverlap = (OVERLAP)overlap;
    scp.sbSubband = SB_ALL;
    scp.uAlphaMode = info.hasalpha ? 2 : 0; /* planar alpha */
    scp.uiDefaultQPIndex = (U8)qp;
    scp.uiDefaultQPIndexAlpha = (U8)qpalpha;

    err = PKImageEncode_Create_WMP(&enc);
    if (err != WMP_errSuccess) {
        enc = NULL;
        goto fail;
    }
    err = enc->Initialize(enc, &s.ws, &scp, sizeof(scp));
    if (err != WMP_errSuccess)
        goto fail;
    if (info.hasalpha)
        enc->WMP.wmiSCP_Alpha.uiDefaultQPIndex = (U8)qpalpha;
    err = enc->SetPixelFormat(enc, guid);
    if (err != WMP_errSuccess)
        goto fail;
    err = enc->SetSize(enc, width, height);
    if (err != WMP_errSuccess)
        goto fail;
    err = enc->SetResolution(enc, resx, resy);
    if (err != WMP_errSuccess)
        goto fail;
    /* jxrlib only reads the pixels, through a pointer that is not const */
    err = enc->WritePixels(enc, (U32)height, (U8 *)src, (U32)stride);
    if (err != WMP_errSuccess)
        goto fail;
    enc->Release(&enc);
    *dst = s.buf;
    return (ptrdiff_t)s.size;
fail:
    if (enc != NULL)
        enc->Release(&enc);
    free(s.buf);
    return status(err);
}

void imcd_jpegxr_free(uint8_t *dst)
{
    free(dst);
}
