# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""WEBP codec over libwebp: still images and frames of animations.

Encodes RGB and RGBA uint8 images, lossless by default. Decodes still
images with the library's decoder and frames of animations with its
animation decoder, which composes each frame on the canvas (offsets,
blending, disposal) as viewers show it.

Every file is first parsed whole by the demuxer, so truncated or malformed
containers are refused before any output is allocated; canvas sizes are
bounded by what a WebP bitstream can state.
"""

import numpy

from libc.stdint cimport uint8_t, uint32_t
from libc.string cimport memcpy
from libc.limits cimport INT_MAX

from imagecodecs._shared cimport Input, Output, readable, output, new_array
from imagecodecs._exceptions import WebpError, error_as
from imagecodecs.libs.webp cimport *

# A VP8L bitstream states sides up to 16384; a canvas larger than that
# holds no frame the encoder could have written.
cdef Py_ssize_t MAX_SIDE = 16384

# Decoding frame k of an animation composes k + 1 frames on the canvas,
# each step touching the whole canvas: bound the canvas pixels times the
# frames so that a small file cannot keep a call busy for hours (2**34 is
# for example 2000 frames of 4K video).
cdef Py_ssize_t MAX_CANVAS_WORK = 1 << 34

_WebpValueError = error_as(WebpError, ValueError)
_WebpIndexError = error_as(WebpError, IndexError)

_DECODE_STATUS = {
    VP8_STATUS_OUT_OF_MEMORY: 'out of memory',
    VP8_STATUS_INVALID_PARAM: 'invalid parameter',
    VP8_STATUS_BITSTREAM_ERROR: 'bitstream error',
    VP8_STATUS_UNSUPPORTED_FEATURE: 'unsupported feature',
    VP8_STATUS_SUSPENDED: 'suspended',
    VP8_STATUS_USER_ABORT: 'user abort',
    VP8_STATUS_NOT_ENOUGH_DATA: 'not enough data',
}

_ENCODE_ERROR = {
    VP8_ENC_ERROR_OUT_OF_MEMORY: 'out of memory',
    VP8_ENC_ERROR_BITSTREAM_OUT_OF_MEMORY: 'out of memory flushing bits',
    VP8_ENC_ERROR_NULL_PARAMETER: 'NULL parameter',
    VP8_ENC_ERROR_INVALID_CONFIGURATION: 'invalid configuration',
    VP8_ENC_ERROR_BAD_DIMENSION: 'bad dimension',
    VP8_ENC_ERROR_PARTITION0_OVERFLOW: 'partition 0 larger than 512 KiB',
    VP8_ENC_ERROR_PARTITION_OVERFLOW: 'partition larger than 16 MiB',
    VP8_ENC_ERROR_BAD_WRITE: 'bad write',
    VP8_ENC_ERROR_FILE_TOO_BIG: 'file larger than 4 GiB',
    VP8_ENC_ERROR_USER_ABORT: 'user abort',
}


class WEBP:
    """WEBP codec constants."""

    available = True


def _version(int version):
    return f'{version >> 16}.{(version >> 8) & 0xFF}.{version & 0xFF}'


def webp_version():
    """Return the version of libwebp."""
    return f'libwebp {_version(WebPGetDecoderVersion())}'


def webp_check(data):
    """Return whether data starts with a RIFF WEBP header."""
    head = bytes(memoryview(data)[:12])
    return head[:4] == b'RIFF' and head[8:12] == b'WEBP'


# -- encoding ----------------------------------------------------------------

def webp_encode(data, level=None, lossless=None, method=None,
                numthreads=None, out=None):
    """Return WebP encoded image.

    data: uint8 array of shape (height, width, 3) or (height, width, 4).
    lossless: None or True (default) for lossless, False for lossy.
    level: quality 0 to 100 (default 75); for lossy images the visual
    quality, for lossless ones the effort. A negative level asks for
    lossless encoding at the default effort.
    method: speed (0) to compression (6) trade-off, default 4.
    numthreads: more than one lets libwebp use threads.
    libwebp writes no alpha channel if all alpha values are 255.
    """
    cdef WebPConfig config
    cdef WebPPicture picture
    cdef WebPMemoryWriter writer
    cdef const uint8_t* pixels
    cdef Output dst
    cdef int ok = 0
    cdef int rgba, stride, height, width

    image = numpy.asarray(data)
    if (image.dtype != numpy.uint8 or image.ndim != 3
            or image.shape[2] not in (3, 4) or image.size == 0):
        raise _WebpValueError(
            f'WebP encodes uint8 images of shape (height, width, 3 or 4), '
            f'not {image.dtype} {image.shape}')
    if image.shape[0] > WEBP_MAX_DIMENSION or (
            image.shape[1] > WEBP_MAX_DIMENSION):
        raise _WebpValueError(
            f'image {image.shape[:2]} larger than WebP allows '
            f'({WEBP_MAX_DIMENSION} pixels a side)')
    if image.strides[2] != 1 or image.strides[1] != image.shape[2] or (
            image.strides[0] < image.shape[1] * image.shape[2]) or (
            image.strides[0] > INT_MAX):
        image = numpy.ascontiguousarray(image)  # rows with gaps are fine
    height, width, rgba = image.shape[0], image.shape[1], image.shape[2] == 4
    stride = image.strides[0]
    quality, lossless_ = _quality(level, lossless)

    if not WebPConfigInit(&config) or not WebPPictureInit(&picture):
        raise WebpError('libwebp version mismatch')
    config.lossless = lossless_
    config.quality = quality
    config.method = 4 if method is None else min(max(int(method), 0), 6)
    config.thread_level = 1 if numthreads is not None and int(
        numthreads) > 1 else 0
    # keep the colours of transparent pixels: lossless means lossless
    # (lossy encoding may change them, for smaller files)
    config.exact = lossless_
    if not WebPValidateConfig(&config):
        raise WebpError('invalid WebP configuration')

    # rows may have gaps (slices of wider images): pixels are read row by
    # row with the array's stride, and `image` keeps them alive
    pixels = <const uint8_t*> <size_t> image.ctypes.data
    picture.use_argb = lossless_  # the encoders' native input
    picture.width = width
    picture.height = height
    WebPMemoryWriterInit(&writer)
    picture.writer = WebPMemoryWrite
    picture.custom_ptr = &writer
    try:
        with nogil:
            if rgba:
                ok = WebPPictureImportRGBA(&picture, pixels, stride)
            else:
                ok = WebPPictureImportRGB(&picture, pixels, stride)
            if ok:
                ok = WebPEncode(&config, &picture)
        if not ok:
            if picture.error_code == VP8_ENC_ERROR_OUT_OF_MEMORY:
                raise MemoryError('WebPEncode: out of memory')
            raise WebpError('WebPEncode: ' + _ENCODE_ERROR.get(
                picture.error_code, f'error {picture.error_code}'))
        dst = output(out, <Py_ssize_t> writer.size, WebpError)
        with nogil:
            memcpy(dst.ptr, writer.mem, writer.size)
        return dst.finish(<Py_ssize_t> writer.size)
    finally:
        WebPPictureFree(&picture)
        WebPMemoryWriterClear(&writer)


cdef tuple _quality(level, lossless):
    """Return the quality and lossless flag of level= and lossless=."""
    cdef float quality = 75.0
    cdef int flag = lossless is None or bool(lossless)
    if level is not None:
        quality = float(level)
        if quality < 0:
            quality = 75.0
            flag = 1
        quality = min(quality, 100.0)
    return quality, flag


# -- decoding ----------------------------------------------------------------

def webp_decode(data, index=0, hasalpha=None, out=None):
    """Return decoded WebP image as uint8 array (height, width, 3 or 4).

    index: frame of an animation (negative counts from the end; None is
    the first), composed on the canvas as viewers show it.
    hasalpha: True returns RGBA, False RGB; None (default) RGBA if the
    file has an alpha channel.
    """
    cdef Input src = readable(data)
    cdef WebPData webpdata
    cdef WebPDemuxer* demux
    cdef uint32_t flags, width, height, frames
    cdef Py_ssize_t frame
    webpdata.bytes = src.ptr
    webpdata.size = <size_t> src.size

    # the demuxer parses the whole container (a raw VP8/VP8L bitstream is
    # one frame) and refuses truncated data before anything is allocated
    with nogil:
        demux = WebPDemux(&webpdata)
    if demux == NULL:
        raise WebpError('invalid or truncated WebP data')
    try:
        flags = WebPDemuxGetI(demux, WEBP_FF_FORMAT_FLAGS)
        width = WebPDemuxGetI(demux, WEBP_FF_CANVAS_WIDTH)
        height = WebPDemuxGetI(demux, WEBP_FF_CANVAS_HEIGHT)
        frames = WebPDemuxGetI(demux, WEBP_FF_FRAME_COUNT)
    finally:
        WebPDemuxDelete(demux)
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise WebpError(f'invalid WebP canvas size {width}x{height}')
    if frames == 0:
        raise WebpError('WebP file without frames')
    frame = 0 if index is None else int(index)
    if frame < 0:
        frame += frames
    if not 0 <= frame < frames:
        raise _WebpIndexError(
            f'index={index} out of range [0, {frames - 1}]')
    if hasalpha is None:
        hasalpha = bool(flags & ALPHA_FLAG)
    if flags & ANIMATION_FLAG:
        return _decode_frame(src, frame, width, height, 4 if hasalpha else 3,
                             out, data)
    return _decode_still(src, 4 if hasalpha else 3, out, data)


cdef object _decode_still(Input src, int channels, out, data):
    """Return the still image of src as RGB or RGBA."""
    cdef WebPBitstreamFeatures features
    cdef WebPDecoderConfig config
    cdef VP8StatusCode status
    cdef uint8_t[:, :, ::1] view
    with nogil:
        status = WebPGetFeatures(src.ptr, <size_t> src.size, &features)
    if status != VP8_STATUS_OK:
        raise WebpError(f'WebPGetFeatures: {_DECODE_STATUS.get(status)}')
    if not (0 < features.width <= MAX_SIDE and
            0 < features.height <= MAX_SIDE):
        raise WebpError(
            f'invalid WebP size {features.width}x{features.height}')
    result = _new_result(
        out, (features.height, features.width, channels), src, data)
    view = result
    if not WebPInitDecoderConfig(&config):
        raise WebpError('libwebp version mismatch')
    config.output.colorspace = MODE_RGBA if channels == 4 else MODE_RGB
    config.output.is_external_memory = 1
    config.output.u.RGBA.rgba = &view[0, 0, 0]
    config.output.u.RGBA.stride = features.width * channels
    config.output.u.RGBA.size = <size_t> result.nbytes
    with nogil:
        status = WebPDecode(src.ptr, <size_t> src.size, &config)
        WebPFreeDecBuffer(&config.output)  # nothing: the memory is ours
    if status == VP8_STATUS_OUT_OF_MEMORY:
        raise MemoryError('WebPDecode: out of memory')
    if status != VP8_STATUS_OK:
        raise WebpError(f'WebPDecode: {_DECODE_STATUS.get(status)}')
    return result


cdef object _decode_frame(Input src, Py_ssize_t frame, uint32_t width,
                          uint32_t height, int channels, out, data):
    """Return frame `frame` of an animation composed on its canvas."""
    cdef WebPData webpdata
    cdef WebPAnimDecoderOptions options
    cdef WebPAnimDecoder* decoder
    cdef WebPAnimInfo info
    cdef uint8_t* canvas = NULL
    cdef uint8_t[:, :, ::1] view
    cdef int timestamp = 0
    cdef int ok = 1
    cdef Py_ssize_t i, npixels = <Py_ssize_t> width * height
    if (frame + 1) * npixels > MAX_CANVAS_WORK:
        raise WebpError(
            f'frame {frame} of a {width}x{height} canvas is too much work')
    result = _new_result(out, (height, width, channels), src, data)
    view = result
    webpdata.bytes = src.ptr
    webpdata.size = <size_t> src.size
    if not WebPAnimDecoderOptionsInit(&options):
        raise WebpError('libwebp version mismatch')
    options.color_mode = MODE_RGBA
    options.use_threads = 0
    with nogil:
        decoder = WebPAnimDecoderNew(&webpdata, &options)
    if decoder == NULL:
        raise WebpError('WebPAnimDecoderNew failed')
    try:
        if not WebPAnimDecoderGetInfo(decoder, &info) or (
                info.canvas_width != width or info.canvas_height != height):
            raise WebpError('WebPAnimDecoderGetInfo failed')
        with nogil:
            for i in range(frame + 1):
                if not WebPAnimDecoderGetNext(decoder, &canvas, &timestamp):
                    ok = 0
                    break
            if ok:
                _copy_canvas(canvas, &view[0, 0, 0], npixels, channels)
        if not ok:
            raise WebpError(f'WebPAnimDecoderGetNext failed at frame {i}')
    finally:
        WebPAnimDecoderDelete(decoder)
    return result


cdef void _copy_canvas(const uint8_t* canvas, uint8_t* dst,
                       Py_ssize_t npixels, int channels) noexcept nogil:
    """Copy an RGBA canvas of npixels to RGBA or RGB."""
    cdef Py_ssize_t i
    if channels == 4:
        memcpy(dst, canvas, <size_t> npixels * 4)
        return
    for i in range(npixels):
        dst[0] = canvas[0]
        dst[1] = canvas[1]
        dst[2] = canvas[2]
        dst += 3
        canvas += 4


cdef object _new_result(out, tuple shape, Input src, data):
    """Return the output array; never over the input's own bytes, which
    the decoder reads while it writes."""
    result = new_array(out, shape, numpy.uint8, WebpError, data)
    cdef size_t start = <size_t> result.ctypes.data
    cdef size_t begin = <size_t> src.ptr
    if (start < begin + <size_t> src.size and
            begin < start + <size_t> result.nbytes):
        raise _WebpValueError('cannot decode in place')
    return result
