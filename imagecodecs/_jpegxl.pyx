# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""JPEG XL codec over libjxl: still images, animations, extra channels and
lossless transcoding of JPEG files.

Encodes uint8, uint16, float16 and float32 images (gray, gray+alpha, RGB,
RGBA; grayscale or RGB with extra channels in planar mode), a stack of
frames as an animation; lossless by default. Decodes to the dtype that
the file's bit depth states.

libjxl reports the image size before it decodes any pixel: sizes that the
input cannot plausibly hold are refused before the output is allocated.
"""

import enum

import numpy

from libc.stdint cimport uint8_t, uint32_t, int64_t
from libc.stdlib cimport malloc, realloc, free
from libc.string cimport memcpy

from imagecodecs._shared cimport (
    Input, Output, readable, output, new_array, default_threads,
)
from imagecodecs._shared import enum_value
from imagecodecs._exceptions import JpegxlError, error_as
from imagecodecs.libs.jxl cimport *

_JpegxlValueError = error_as(JpegxlError, ValueError)
_JpegxlIndexError = error_as(JpegxlError, IndexError)

# Decoded sizes are bounded by a ratio to the input above a floor; flat
# images compress further than with any other codec of this package (a
# 2048x2048 RGBA uint16 image of zeros: 300 bytes), so the ratio is large.
cdef Py_ssize_t MAX_FLOOR = 1 << 28
cdef Py_ssize_t MAX_RATIO = 1 << 18

# the encoder's defaults, chosen by the reference: faster than libjxl's 7
cdef int DEFAULT_EFFORT = 5
cdef float MAX_DISTANCE = 25.0

_DECODER_STATUS = {
    JXL_DEC_SUCCESS: 'JXL_DEC_SUCCESS',
    JXL_DEC_ERROR: 'JXL_DEC_ERROR',
    JXL_DEC_NEED_MORE_INPUT: 'JXL_DEC_NEED_MORE_INPUT (truncated data)',
    JXL_DEC_NEED_PREVIEW_OUT_BUFFER: 'JXL_DEC_NEED_PREVIEW_OUT_BUFFER',
    JXL_DEC_NEED_IMAGE_OUT_BUFFER: 'JXL_DEC_NEED_IMAGE_OUT_BUFFER',
    JXL_DEC_JPEG_NEED_MORE_OUTPUT: 'JXL_DEC_JPEG_NEED_MORE_OUTPUT',
    JXL_DEC_BOX_NEED_MORE_OUTPUT: 'JXL_DEC_BOX_NEED_MORE_OUTPUT',
    JXL_DEC_BASIC_INFO: 'JXL_DEC_BASIC_INFO',
    JXL_DEC_COLOR_ENCODING: 'JXL_DEC_COLOR_ENCODING',
    JXL_DEC_PREVIEW_IMAGE: 'JXL_DEC_PREVIEW_IMAGE',
    JXL_DEC_FRAME: 'JXL_DEC_FRAME',
    JXL_DEC_FULL_IMAGE: 'JXL_DEC_FULL_IMAGE',
    JXL_DEC_JPEG_RECONSTRUCTION: 'JXL_DEC_JPEG_RECONSTRUCTION',
    JXL_DEC_BOX: 'JXL_DEC_BOX',
    JXL_DEC_FRAME_PROGRESSION: 'JXL_DEC_FRAME_PROGRESSION',
    JXL_DEC_BOX_COMPLETE: 'JXL_DEC_BOX_COMPLETE',
}

_ENCODER_ERROR = {
    JXL_ENC_ERR_OK: 'JXL_ENC_ERR_OK',
    JXL_ENC_ERR_GENERIC: 'JXL_ENC_ERR_GENERIC',
    JXL_ENC_ERR_OOM: 'JXL_ENC_ERR_OOM (out of memory)',
    JXL_ENC_ERR_JBRD: 'JXL_ENC_ERR_JBRD (JPEG bitstream reconstruction '
                      'data cannot be represented)',
    JXL_ENC_ERR_BAD_INPUT: 'JXL_ENC_ERR_BAD_INPUT (invalid input)',
    JXL_ENC_ERR_NOT_SUPPORTED: 'JXL_ENC_ERR_NOT_SUPPORTED',
    JXL_ENC_ERR_API_USAGE: 'JXL_ENC_ERR_API_USAGE',
}


class JPEGXL:
    """JPEGXL codec constants."""

    available = True

    class COLOR_SPACE(enum.IntEnum):
        """JPEGXL color spaces (JxlColorSpace)."""

        UNKNOWN = JXL_COLOR_SPACE_UNKNOWN
        RGB = JXL_COLOR_SPACE_RGB
        GRAY = JXL_COLOR_SPACE_GRAY
        XYB = JXL_COLOR_SPACE_XYB

    class CHANNEL(enum.IntEnum):
        """JPEGXL extra channel types (JxlExtraChannelType)."""

        UNKNOWN = JXL_CHANNEL_UNKNOWN
        ALPHA = JXL_CHANNEL_ALPHA
        DEPTH = JXL_CHANNEL_DEPTH
        SPOT_COLOR = JXL_CHANNEL_SPOT_COLOR
        SELECTION_MASK = JXL_CHANNEL_SELECTION_MASK
        BLACK = JXL_CHANNEL_BLACK
        CFA = JXL_CHANNEL_CFA
        THERMAL = JXL_CHANNEL_THERMAL
        OPTIONAL = JXL_CHANNEL_OPTIONAL


def jpegxl_version():
    """Return the version of libjxl."""
    cdef uint32_t version = JxlDecoderVersion()
    return (f'libjxl {version // 1000000}.{version // 1000 % 1000}.'
            f'{version % 1000}')


def jpegxl_check(data):
    """Return whether data starts with a JPEG XL codestream or container
    signature."""
    cdef Input src = readable(data)
    cdef JxlSignature signature
    with nogil:
        signature = JxlSignatureCheck(src.ptr, <size_t> src.size)
    return signature == JXL_SIG_CODESTREAM or signature == JXL_SIG_CONTAINER


# -- threads -------------------------------------------------------------------

cdef class _Runner:
    """A JxlThreadParallelRunner for more than one thread, else nothing."""

    cdef void* runner

    def __cinit__(self, numthreads):
        cdef size_t threads = <size_t> default_threads(numthreads)
        self.runner = NULL
        if threads > 1:
            with nogil:
                self.runner = JxlThreadParallelRunnerCreate(NULL, threads)
            if self.runner == NULL:
                raise JpegxlError('JxlThreadParallelRunnerCreate failed')

    def __dealloc__(self):
        if self.runner != NULL:
            JxlThreadParallelRunnerDestroy(self.runner)


# -- encoding ------------------------------------------------------------------

cdef class _Encoder:
    """A JxlEncoder, its frame settings and a growing output buffer."""

    cdef JxlEncoder* encoder
    cdef JxlEncoderFrameSettings* settings
    cdef _Runner runner
    cdef uint8_t* buffer
    cdef size_t size

    def __cinit__(self, numthreads):
        self.encoder = JxlEncoderCreate(NULL)
        if self.encoder == NULL:
            raise MemoryError('JxlEncoderCreate failed')
        self.settings = JxlEncoderFrameSettingsCreate(self.encoder, NULL)
        if self.settings == NULL:
            raise MemoryError('JxlEncoderFrameSettingsCreate failed')
        self.runner = _Runner(numthreads)
        if self.runner.runner != NULL:
            self.check(JxlEncoderSetParallelRunner(
                self.encoder, <JxlParallelRunner> JxlThreadParallelRunner,
                self.runner.runner), 'JxlEncoderSetParallelRunner')

    def __dealloc__(self):
        if self.encoder != NULL:
            JxlEncoderDestroy(self.encoder)
        free(self.buffer)

    cdef int check(self, JxlEncoderStatus status, str func) except -1:
        cdef JxlEncoderError error
        if status == JXL_ENC_SUCCESS:
            return 0
        error = JxlEncoderGetError(self.encoder)
        if error == JXL_ENC_ERR_OOM:
            raise MemoryError(f'{func}: out of memory')
        raise JpegxlError(
            f'{func} failed: {_ENCODER_ERROR.get(error, error)}')

    cdef int set_option(self, JxlEncoderFrameSettingId option,
                        int64_t value, str name) except -1:
        return self.check(
            JxlEncoderFrameSettingsSetOption(self.settings, option, value),
            f'JxlEncoderFrameSettingsSetOption({name}={value})')

    cdef object finish(self, out):
        """Close the input, run the encoder and return its output."""
        cdef JxlEncoderStatus status = JXL_ENC_NEED_MORE_OUTPUT
        cdef uint8_t* next_out
        cdef uint8_t* grown
        cdef size_t avail, used = 0
        cdef Output dst
        JxlEncoderCloseInput(self.encoder)
        self.size = 1 << 16
        self.buffer = <uint8_t*> malloc(self.size)
        if self.buffer == NULL:
            raise MemoryError('out of memory')
        with nogil:
            while True:
                next_out = self.buffer + used
                avail = self.size - used
                status = JxlEncoderProcessOutput(self.encoder, &next_out,
                                                 &avail)
                used = self.size - avail
                if status != JXL_ENC_NEED_MORE_OUTPUT:
                    break
                grown = <uint8_t*> realloc(self.buffer, self.size * 2)
                if grown == NULL:
                    break
                self.buffer = grown
                self.size *= 2
        if status == JXL_ENC_NEED_MORE_OUTPUT:
            raise MemoryError('out of memory')
        self.check(status, 'JxlEncoderProcessOutput')
        dst = output(out, <Py_ssize_t> used, JpegxlError)
        with nogil:
            memcpy(dst.ptr, self.buffer, used)
        return dst.finish(<Py_ssize_t> used)


cdef tuple _float_distance(level, distance, lossless):
    """Return whether to encode losslessly and the distance otherwise.

    By default, and for level above 100, images are lossless. A level up
    to 100 (a JPEG-like quality) or a distance (butteraugli, 0 to 25)
    asks for lossy encoding, unless both are given; lossless=False with
    neither is distance 1.
    """
    cdef float dist = 1.0
    if lossless is not None:
        lossless = bool(lossless)
    elif distance is None:
        lossless = level is None or float(level) > 100
    else:
        lossless = level is not None
    if distance is not None:
        dist = float(distance)
    elif level is not None and float(level) <= 100:
        dist = JxlEncoderDistanceFromQuality(float(level))
    return lossless, min(max(dist, <float> 0.0), MAX_DISTANCE)


cdef int _color_space(photometric) except -1:
    if isinstance(photometric, str) and photometric.lower() in (
            'minisblack', 'l', 'la'):
        return JXL_COLOR_SPACE_GRAY
    if isinstance(photometric, str) and photometric.lower() in (
            'rgba', 'ycbcr'):
        return JXL_COLOR_SPACE_RGB
    try:
        return enum_value(photometric, JPEGXL.COLOR_SPACE,
                          JPEGXL.COLOR_SPACE.UNKNOWN, 'JPEGXL')
    except ValueError as exc:
        raise _JpegxlValueError(str(exc)) from None


cdef tuple _layout(image, int space, bint planar):
    """Return image as (frames, height, width, samples) for the color
    channels and (frames, extras, height, width) or None for the rest."""
    cdef int ndim = image.ndim
    cdef Py_ssize_t channels
    shape = image.shape
    if planar:
        if ndim == 2:
            image = image[None, None]
        elif ndim == 3:
            image = image[None]
        elif ndim != 4:
            raise _JpegxlValueError(
                f'planar images have 2 to 4 dimensions, not {ndim}')
        # (frames, channels, height, width)
        channels = image.shape[1]
        color = 3 if space in (JXL_COLOR_SPACE_RGB, JXL_COLOR_SPACE_XYB) \
            else 1
        if channels < color:
            raise _JpegxlValueError(
                f'planar RGB needs 3 channels, not {channels}')
        samples = numpy.moveaxis(image[:, :color], 1, -1)
        extras = image[:, color:] if channels > color else None
        return samples, extras
    if ndim == 2:
        return image[None, :, :, None], None
    if ndim == 3:
        if space == JXL_COLOR_SPACE_GRAY or shape[2] > 4:
            return image[..., None], None  # frames of gray images
        return image[None], None
    if ndim == 4 and shape[3] <= 4:
        return image, None
    raise _JpegxlValueError(
        f'cannot encode an image of shape {shape} (gray, gray+alpha, RGB '
        'or RGBA images, or stacks of them; extra channels in planar mode)')


def jpegxl_encode(data, level=None, effort=None, distance=None,
                  lossless=None, decodingspeed=None, photometric=None,
                  bitspersample=None, planar=None, usecontainer=None,
                  numthreads=None, out=None):
    """Return JPEG XL encoded image.

    data: uint8, uint16, float16 or float32 array; floats in the nominal
    range [0, 1]. Shapes (height, width) gray, (height, width, samples)
    with 1 to 4 samples (gray, gray+alpha, RGB, RGBA), (frames, height,
    width[, samples]) an animation; 3-dimensional arrays of more than 4
    samples, or any with photometric='gray', are frames of gray images.
    planar=True: (channels, height, width) or (frames, channels, height,
    width): a gray (or, with photometric='rgb', RGB) image and the other
    channels as extra channels.
    level: None or above 100 lossless, else a quality 0 to 100 mapped to
    a distance as libjxl does. distance: 0 (best) to 25, lossy.
    lossless: True or False overrides level and distance.
    effort: 1 (fastest) to 10 (smallest), default 5.
    decodingspeed: 0 (default, smallest) to 4 (fastest to decode).
    bitspersample: significant bits of integer samples (default all):
    the values are in that range.
    usecontainer: wrap the codestream in the ISO BMFF container.
    numthreads: threads for libjxl (None: one, 0: all CPUs).
    """
    cdef _Encoder encoder
    cdef JxlBasicInfo info
    cdef JxlExtraChannelInfo extra
    cdef JxlColorEncoding color
    cdef JxlPixelFormat pixel_format
    cdef JxlFrameHeader header
    cdef JxlBitDepth bit_depth
    cdef JxlEncoderStatus status
    cdef const void* pointer
    cdef size_t nbytes
    cdef Py_ssize_t frames, height, width, samples, nextra, i, k
    cdef int bits, exponent, space
    cdef uint32_t first
    cdef float dist
    cdef bint lossless_

    image = numpy.asarray(data)
    dtype = image.dtype
    if dtype.char not in 'BHef' or image.ndim < 2:
        raise _JpegxlValueError(
            f'cannot encode {dtype} array of shape {image.shape}: '
            'JPEG XL takes uint8, uint16, float16 or float32 images')
    if not dtype.isnative:
        image = image.astype(dtype.newbyteorder('='))
        dtype = image.dtype
    space = _color_space(photometric)
    samples4, extras4 = _layout(image, space, bool(planar))
    frames, height, width, samples = samples4.shape
    nextra = 0 if extras4 is None else extras4.shape[1]
    if frames == 0 or height == 0 or width == 0:
        raise _JpegxlValueError(f'cannot encode empty image {image.shape}')
    if height > 1 << 30 or width > 1 << 30 or frames > 1 << 30:
        raise _JpegxlValueError(f'image {image.shape} too large')
    if dtype.kind == 'f':
        bits = 16 if dtype.itemsize == 2 else 32
        exponent = 5 if dtype.itemsize == 2 else 8
        pixel_format.data_type = (JXL_TYPE_FLOAT16 if dtype.itemsize == 2
                                  else JXL_TYPE_FLOAT)
    else:
        bits = dtype.itemsize * 8
        exponent = 0
        if bitspersample is not None:
            if not 1 <= int(bitspersample) <= bits:
                raise _JpegxlValueError(
                    f'invalid bitspersample {bitspersample} for {dtype}')
            bits = int(bitspersample)
        pixel_format.data_type = (JXL_TYPE_UINT8 if dtype.itemsize == 1
                                  else JXL_TYPE_UINT16)
    pixel_format.num_channels = <uint32_t> samples
    pixel_format.endianness = JXL_NATIVE_ENDIAN
    pixel_format.align = 0
    lossless_, dist = _float_distance(level, distance, lossless)

    encoder = _Encoder(numthreads)
    JxlEncoderInitBasicInfo(&info)
    info.xsize = <uint32_t> width
    info.ysize = <uint32_t> height
    info.bits_per_sample = bits
    info.exponent_bits_per_sample = exponent
    info.num_color_channels = 3 if samples >= 3 else 1
    info.alpha_bits = bits if samples in (2, 4) else 0
    info.alpha_exponent_bits = exponent if samples in (2, 4) else 0
    info.num_extra_channels = <uint32_t> (nextra + (samples in (2, 4)))
    info.uses_original_profile = JXL_TRUE if lossless_ else JXL_FALSE
    if frames > 1:
        info.have_animation = JXL_TRUE
        info.animation.tps_numerator = 10
        info.animation.tps_denominator = 1
        info.animation.num_loops = 0
        info.animation.have_timecodes = JXL_FALSE
    encoder.check(JxlEncoderSetBasicInfo(encoder.encoder, &info),
                  'JxlEncoderSetBasicInfo')
    first = 1 if samples in (2, 4) else 0  # index 0 is the alpha channel
    for i in range(nextra):
        JxlEncoderInitExtraChannelInfo(JXL_CHANNEL_OPTIONAL, &extra)
        extra.bits_per_sample = bits
        extra.exponent_bits_per_sample = exponent
        encoder.check(JxlEncoderSetExtraChannelInfo(
            encoder.encoder, first + i, &extra),
            'JxlEncoderSetExtraChannelInfo')
    # floats are linear light, integers sRGB coded, as image files are
    if exponent:
        JxlColorEncodingSetToLinearSRGB(&color, info.num_color_channels == 1)
    else:
        JxlColorEncodingSetToSRGB(&color, info.num_color_channels == 1)
    encoder.check(JxlEncoderSetColorEncoding(encoder.encoder, &color),
                  'JxlEncoderSetColorEncoding')
    if usecontainer is not None:
        encoder.check(JxlEncoderUseContainer(
            encoder.encoder, JXL_TRUE if usecontainer else JXL_FALSE),
            'JxlEncoderUseContainer')

    encoder.set_option(JXL_ENC_FRAME_SETTING_EFFORT, min(max(
        DEFAULT_EFFORT if effort is None else int(effort), 1), 10), 'effort')
    encoder.set_option(JXL_ENC_FRAME_SETTING_DECODING_SPEED, min(max(
        0 if decodingspeed is None else int(decodingspeed), 0), 4),
        'decodingspeed')
    if lossless_:
        encoder.check(JxlEncoderSetFrameLossless(encoder.settings, JXL_TRUE),
                      'JxlEncoderSetFrameLossless')
    else:
        encoder.check(JxlEncoderSetFrameDistance(encoder.settings, dist),
                      'JxlEncoderSetFrameDistance')
    if not exponent:
        # integers are in the range of bitspersample, not of their dtype
        bit_depth.type = JXL_BIT_DEPTH_FROM_CODESTREAM
        bit_depth.bits_per_sample = 0
        bit_depth.exponent_bits_per_sample = 0
        encoder.check(JxlEncoderSetFrameBitDepth(encoder.settings,
                                                 &bit_depth),
                      'JxlEncoderSetFrameBitDepth')
    if frames > 1:
        JxlEncoderInitFrameHeader(&header)
        header.duration = 1
        encoder.check(JxlEncoderSetFrameHeader(encoder.settings, &header),
                      'JxlEncoderSetFrameHeader')

    for k in range(frames):
        frame = numpy.ascontiguousarray(samples4[k])
        pointer = <const void*> <size_t> frame.ctypes.data
        nbytes = <size_t> frame.nbytes
        with nogil:
            status = JxlEncoderAddImageFrame(encoder.settings, &pixel_format,
                                             pointer, nbytes)
        encoder.check(status, 'JxlEncoderAddImageFrame')
        for i in range(nextra):
            plane = numpy.ascontiguousarray(extras4[k, i])
            pointer = <const void*> <size_t> plane.ctypes.data
            nbytes = <size_t> plane.nbytes
            with nogil:
                status = JxlEncoderSetExtraChannelBuffer(
                    encoder.settings, &pixel_format, pointer, nbytes,
                    <uint32_t> (first + i))
            encoder.check(status, 'JxlEncoderSetExtraChannelBuffer')
    return encoder.finish(out)


def jpegxl_encode_jpeg(data, usecontainer=None, numthreads=None, out=None):
    """Return JPEG XL encoded image from a JPEG file, losslessly.

    jpegxl_decode_jpeg gives back the exact JPEG bytes. The result is
    always a container (the reconstruction data is a box of it).
    """
    cdef Input src = readable(data)
    cdef _Encoder encoder = _Encoder(numthreads)
    cdef JxlEncoderStatus status
    encoder.check(JxlEncoderStoreJPEGMetadata(encoder.encoder, JXL_TRUE),
                  'JxlEncoderStoreJPEGMetadata')
    if usecontainer is not None:
        encoder.check(JxlEncoderUseContainer(
            encoder.encoder, JXL_TRUE if usecontainer else JXL_FALSE),
            'JxlEncoderUseContainer')
    with nogil:
        status = JxlEncoderAddJPEGFrame(encoder.settings, src.ptr,
                                        <size_t> src.size)
    encoder.check(status, 'JxlEncoderAddJPEGFrame')
    return encoder.finish(out)


# -- decoding ------------------------------------------------------------------

cdef class _Decoder:
    """A JxlDecoder over the bytes of an Input."""

    cdef JxlDecoder* decoder
    cdef _Runner runner
    cdef Input src
    cdef JxlBasicInfo info

    def __cinit__(self, Input src, numthreads, keeporientation=None):
        self.src = src
        self.decoder = JxlDecoderCreate(NULL)
        if self.decoder == NULL:
            raise MemoryError('JxlDecoderCreate failed')
        self.runner = _Runner(numthreads)
        if self.runner.runner != NULL:
            self.check(JxlDecoderSetParallelRunner(
                self.decoder, <JxlParallelRunner> JxlThreadParallelRunner,
                self.runner.runner), 'JxlDecoderSetParallelRunner')
        if keeporientation:
            self.check(JxlDecoderSetKeepOrientation(self.decoder, JXL_TRUE),
                       'JxlDecoderSetKeepOrientation')

    def __dealloc__(self):
        if self.decoder != NULL:
            JxlDecoderDestroy(self.decoder)

    cdef int check(self, JxlDecoderStatus status, str func) except -1:
        if status != JXL_DEC_SUCCESS:
            raise JpegxlError(f'{func} returned '
                              f'{_DECODER_STATUS.get(status, status)}')
        return 0

    cdef int start(self, int events) except -1:
        """(Re)start decoding the whole input for `events`."""
        JxlDecoderRewind(self.decoder)
        self.check(JxlDecoderSubscribeEvents(self.decoder, events),
                   'JxlDecoderSubscribeEvents')
        self.check(JxlDecoderSetInput(self.decoder, self.src.ptr,
                                      <size_t> self.src.size),
                   'JxlDecoderSetInput')
        JxlDecoderCloseInput(self.decoder)
        return 0

    cdef JxlDecoderStatus next(self) except JXL_DEC_ERROR:
        """Return the next event; raise on errors and truncated input."""
        cdef JxlDecoderStatus status
        with nogil:
            status = JxlDecoderProcessInput(self.decoder)
        if status == JXL_DEC_ERROR or status == JXL_DEC_NEED_MORE_INPUT:
            raise JpegxlError('JxlDecoderProcessInput returned '
                              f'{_DECODER_STATUS[status]}')
        return status

    cdef int basic_info(self) except -1:
        self.check(JxlDecoderGetBasicInfo(self.decoder, &self.info),
                   'JxlDecoderGetBasicInfo')
        if self.info.xsize == 0 or self.info.ysize == 0:
            raise JpegxlError(
                f'invalid image size {self.info.xsize}x{self.info.ysize}')
        return 0

    cdef int bound(self, object nbytes) except -1:
        """Refuse an output larger than the input can plausibly hold."""
        if nbytes > MAX_FLOOR and nbytes // MAX_RATIO > self.src.size:
            raise JpegxlError(
                f'{nbytes} bytes of image in {self.src.size} bytes of data '
                'is implausible (corrupt data?)')
        return 0


cdef _Decoder _decoder(data, numthreads, keeporientation=None):
    cdef Input src = readable(data)
    cdef JxlSignature signature
    with nogil:
        signature = JxlSignatureCheck(src.ptr, <size_t> src.size)
    if signature != JXL_SIG_CODESTREAM and signature != JXL_SIG_CONTAINER:
        raise _JpegxlValueError('not a JPEG XL codestream or container')
    return _Decoder(src, numthreads, keeporientation)


cdef Py_ssize_t _count_frames(_Decoder decoder) except -1:
    """Return the number of displayed frames (headers only, no pixels)."""
    cdef JxlDecoderStatus status
    cdef Py_ssize_t frames = 0
    decoder.start(JXL_DEC_FRAME)
    while True:
        status = decoder.next()
        if status == JXL_DEC_FRAME:
            frames += 1
        elif status == JXL_DEC_SUCCESS:
            return frames


def jpegxl_decode(data, index=None, keeporientation=None, numthreads=None,
                  out=None):
    """Return decoded JPEG XL image.

    Shapes: (height, width) gray, (height, width, samples) gray+alpha,
    RGB or RGBA; with extra channels other than alpha (channels, height,
    width), planar. Animations have a leading frames axis, unless index
    selects one frame (negative counts from the end).
    The dtype is uint8 or uint16 for integers (in the range of the
    file's bits per sample), float16 or float32 for floats.
    keeporientation: do not apply the file's orientation.
    numthreads: threads for libjxl (None: one, 0: all CPUs).
    """
    cdef _Decoder decoder = _decoder(data, numthreads, keeporientation)
    cdef JxlDecoderStatus status
    cdef JxlBasicInfo* info = &decoder.info
    cdef JxlExtraChannelInfo extra
    cdef JxlPixelFormat pixel_format
    cdef JxlBitDepth bit_depth
    cdef Py_ssize_t frames = 1, frame, nframes, k, i, nextra, color, samples
    cdef Py_ssize_t height, width, itemsize, nbytes
    cdef size_t size
    cdef uint8_t* pointer
    cdef bint planar

    decoder.start(JXL_DEC_BASIC_INFO)
    if decoder.next() != JXL_DEC_BASIC_INFO:
        raise JpegxlError('no basic info')
    decoder.basic_info()
    if info.have_animation:
        frames = _count_frames(decoder)
        if frames == 0:
            raise JpegxlError('no frames')
    if index is None:
        frame = 0
        nframes = frames
    else:
        frame = int(index)
        if frame < 0:
            frame += frames
        if not 0 <= frame < frames:
            raise _JpegxlIndexError(
                f'index={index} out of range [0, {frames - 1}]')
        nframes = 1

    height, width = info.ysize, info.xsize
    color = info.num_color_channels
    nextra = info.num_extra_channels
    if info.exponent_bits_per_sample:
        dtype = numpy.dtype('f2' if info.bits_per_sample <= 16 else 'f4')
    elif info.bits_per_sample <= 8:
        dtype = numpy.dtype('u1')
    elif info.bits_per_sample <= 16:
        dtype = numpy.dtype('u2')
    else:
        dtype = numpy.dtype('f4')  # over 16 bits: scaled to [0, 1]
    itemsize = dtype.itemsize
    pixel_format.data_type = {
        'B': JXL_TYPE_UINT8, 'H': JXL_TYPE_UINT16,
        'e': JXL_TYPE_FLOAT16, 'f': JXL_TYPE_FLOAT}[dtype.char]
    pixel_format.endianness = JXL_NATIVE_ENDIAN
    pixel_format.align = 0

    # the alpha channel is interleaved with the color channels; any other
    # extra channel makes the output planar
    planar = nextra > (1 if info.alpha_bits else 0)
    decoder.bound(<object> nframes * height * width * (color + nextra)
                  * itemsize)
    if planar:
        samples = color
        shape = (color + nextra, height, width)
    else:
        samples = color + nextra
        if samples == 1:
            shape = (height, width)
        else:
            shape = (height, width, samples)
    pixel_format.num_channels = <uint32_t> samples
    result = new_array(out, (frames, *shape) if index is None and frames > 1
                       else shape, dtype, JpegxlError, data)
    frames4 = result.reshape((nframes, *shape))
    bit_depth.type = JXL_BIT_DEPTH_FROM_CODESTREAM
    bit_depth.bits_per_sample = 0
    bit_depth.exponent_bits_per_sample = 0

    decoder.start(JXL_DEC_FULL_IMAGE)
    if frame > 0:
        JxlDecoderSkipFrames(decoder.decoder, <size_t> frame)
    k = 0
    target = None
    while True:
        status = decoder.next()
        if status == JXL_DEC_NEED_IMAGE_OUT_BUFFER:
            if k >= nframes:
                raise JpegxlError('more frames than counted')
            if planar:
                target = frames4[k, 0] if color == 1 else numpy.empty(
                    (height, width, color), dtype)
            else:
                target = frames4[k]
            decoder.check(JxlDecoderImageOutBufferSize(
                decoder.decoder, &pixel_format, &size),
                'JxlDecoderImageOutBufferSize')
            if size != <size_t> target.nbytes:
                raise JpegxlError(f'unexpected image size {size}')
            pointer = <uint8_t*> <size_t> target.ctypes.data
            decoder.check(JxlDecoderSetImageOutBuffer(
                decoder.decoder, &pixel_format, pointer, size),
                'JxlDecoderSetImageOutBuffer')
            if dtype.kind == 'u':
                decoder.check(JxlDecoderSetImageOutBitDepth(
                    decoder.decoder, &bit_depth),
                    'JxlDecoderSetImageOutBitDepth')
            if planar:
                for i in range(nextra):
                    plane = frames4[k, color + i]
                    decoder.check(JxlDecoderExtraChannelBufferSize(
                        decoder.decoder, &pixel_format, &size, <uint32_t> i),
                        'JxlDecoderExtraChannelBufferSize')
                    if size != <size_t> plane.nbytes:
                        raise JpegxlError(f'unexpected channel size {size}')
                    pointer = <uint8_t*> <size_t> plane.ctypes.data
                    decoder.check(JxlDecoderSetExtraChannelBuffer(
                        decoder.decoder, &pixel_format, pointer, size,
                        <uint32_t> i), 'JxlDecoderSetExtraChannelBuffer')
        elif status == JXL_DEC_FULL_IMAGE:
            if target is None:
                raise JpegxlError('image without output buffer')
            if planar and color > 1:
                frames4[k, :color] = numpy.moveaxis(target, -1, 0)
            target = None
            k += 1
            if k == nframes:
                break
        elif status == JXL_DEC_SUCCESS:
            break
    if k != nframes:
        raise JpegxlError(f'decoded {k} of {nframes} frames')
    return result


def jpegxl_decode_jpeg(data, numthreads=None, out=None):
    """Return the JPEG file that a JPEG XL file was transcoded from."""
    cdef _Decoder decoder = _decoder(data, numthreads)
    cdef JxlDecoderStatus status
    cdef Py_ssize_t limit, used = 0, size
    cdef uint8_t* buffer = NULL
    cdef uint8_t* grown
    cdef bint reconstructing = False
    decoder.start(JXL_DEC_BASIC_INFO | JXL_DEC_JPEG_RECONSTRUCTION |
                  JXL_DEC_FULL_IMAGE)
    # a JPEG file is rarely larger than its 8-bit pixels (set at the basic
    # info, which comes first)
    limit = 1 << 20
    size = 1 << 16
    try:
        while True:
            status = decoder.next()
            if status == JXL_DEC_BASIC_INFO:
                decoder.basic_info()
                nbytes = (<object> decoder.info.xsize * decoder.info.ysize
                          * 4 * max(decoder.info.num_color_channels, 1)
                          + (1 << 20))
                decoder.bound(nbytes)
                limit = nbytes
            elif status == JXL_DEC_JPEG_RECONSTRUCTION:
                reconstructing = True
                size = min(size, limit)
                buffer = <uint8_t*> malloc(size)
                if buffer == NULL:
                    raise MemoryError('out of memory')
                decoder.check(JxlDecoderSetJPEGBuffer(
                    decoder.decoder, buffer, size), 'JxlDecoderSetJPEGBuffer')
            elif status == JXL_DEC_JPEG_NEED_MORE_OUTPUT:
                used = size - <Py_ssize_t> JxlDecoderReleaseJPEGBuffer(
                    decoder.decoder)
                if size >= limit:
                    raise JpegxlError('JPEG reconstruction larger than the '
                                      f'limit of {limit} bytes')
                grown = <uint8_t*> realloc(buffer, min(size * 2, limit))
                if grown == NULL:
                    raise MemoryError('out of memory')
                buffer = grown
                size = min(size * 2, limit)
                decoder.check(JxlDecoderSetJPEGBuffer(
                    decoder.decoder, buffer + used, size - used),
                    'JxlDecoderSetJPEGBuffer')
            elif status == JXL_DEC_NEED_IMAGE_OUT_BUFFER or (
                    status == JXL_DEC_FULL_IMAGE):
                if not reconstructing:
                    raise _JpegxlValueError(
                        'JPEG XL file without JPEG reconstruction data')
                used = size - <Py_ssize_t> JxlDecoderReleaseJPEGBuffer(
                    decoder.decoder)
                break
            elif status == JXL_DEC_SUCCESS:
                if not reconstructing:
                    raise _JpegxlValueError(
                        'JPEG XL file without JPEG reconstruction data')
                used = size - <Py_ssize_t> JxlDecoderReleaseJPEGBuffer(
                    decoder.decoder)
                break
        dst = output(out, used, JpegxlError)
        memcpy((<Output> dst).ptr, buffer, used)
        return (<Output> dst).finish(used)
    finally:
        free(buffer)
