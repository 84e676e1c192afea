# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""AVIF codec over libavif: still images and image sequences.

Encodes uint8 and uint16 (10 or 12 significant bits) gray, gray with
alpha, RGB and RGBA images and stacks of them (sequences) with the AV1
encoders libavif was built with (aom, SVT-AV1); lossless by default, as
the reference does: 4:4:4 with the identity matrix. Decodes with dav1d.

The decoder parses the whole container and decodes the first wanted frame
before any output is allocated; image sizes, frame counts and the work of
decoding all frames are bounded.
"""

import enum

import numpy

from libc.stdint cimport uint8_t, uint32_t
from libc.string cimport memcpy, strlen

from imagecodecs._shared cimport (
    Input, Output, readable, output, new_array, default_threads,
)
from imagecodecs._shared import enum_value
from imagecodecs._exceptions import AvifError, error_as
from imagecodecs.libs.avif cimport *

# AV1 states sides of up to 65536 pixels; the decoder keeps libavif's
# default limits (sides of 32768, 16384 x 16384 pixels), which also bound
# the size libavif scales a decoded frame to when the ispe box says so.
cdef uint32_t MAX_SIDE = 65536
cdef uint32_t MAX_DECODE_SIDE = 32768
cdef uint32_t MAX_PIXELS = 16384 * 16384
cdef uint32_t MAX_FRAMES = 12 * 3600 * 60
# Decoding all frames of a sequence touches every pixel of each: bound the
# frames times the canvas so that a small file cannot ask for hours of
# work or terabytes of output (2**34 is 2000 frames of 4K video).
cdef Py_ssize_t MAX_WORK = 1 << 34

_AvifValueError = error_as(AvifError, ValueError)
_AvifIndexError = error_as(AvifError, IndexError)
# the reference raises KeyError for unknown enum names
_AvifKeyError = error_as(_AvifValueError, KeyError)


class AVIF:
    """AVIF codec constants."""

    available = True

    class CODEC_CHOICE(enum.IntEnum):
        """AV1 codec libavif uses (AUTO: the first built that can)."""

        AUTO = AVIF_CODEC_CHOICE_AUTO
        AOM = AVIF_CODEC_CHOICE_AOM
        DAV1D = AVIF_CODEC_CHOICE_DAV1D  # decoding only
        LIBGAV1 = AVIF_CODEC_CHOICE_LIBGAV1  # decoding only, not built
        RAV1E = AVIF_CODEC_CHOICE_RAV1E  # encoding only, not built
        SVT = AVIF_CODEC_CHOICE_SVT  # encoding only
        AVM = AVIF_CODEC_CHOICE_AVM  # experimental, not built

    class PIXEL_FORMAT(enum.IntEnum):
        """YUV chroma subsampling of the encoded image."""

        NONE = AVIF_PIXEL_FORMAT_NONE
        YUV444 = AVIF_PIXEL_FORMAT_YUV444
        YUV422 = AVIF_PIXEL_FORMAT_YUV422
        YUV420 = AVIF_PIXEL_FORMAT_YUV420
        YUV400 = AVIF_PIXEL_FORMAT_YUV400
        COUNT = AVIF_PIXEL_FORMAT_COUNT

    class QUALITY(enum.IntEnum):
        """Quality levels: 0 worst to 100 lossless."""

        DEFAULT = AVIF_QUALITY_DEFAULT
        LOSSLESS = AVIF_QUALITY_LOSSLESS
        WORST = AVIF_QUALITY_WORST

    class SPEED(enum.IntEnum):
        """Encoder speed: 0 slowest (smallest) to 10 fastest."""

        DEFAULT = AVIF_SPEED_DEFAULT
        SLOWEST = AVIF_SPEED_SLOWEST
        FASTEST = AVIF_SPEED_FASTEST

    # code points of ITU-T H.273, as AV1 and the colr box state them
    class COLOR_PRIMARIES(enum.IntEnum):
        """Colour primaries."""

        UNKNOWN = 0
        BT709 = 1
        UNSPECIFIED = 2
        BT470M = 4
        BT470BG = 5
        BT601 = 6
        SMPTE240 = 7
        GENERIC_FILM = 8
        BT2020 = 9
        XYZ = 10
        SMPTE431 = 11
        SMPTE432 = 12
        EBU3213 = 22

    class TRANSFER_CHARACTERISTICS(enum.IntEnum):
        """Transfer characteristics."""

        UNKNOWN = 0
        BT709 = 1
        UNSPECIFIED = 2
        BT470M = 4
        BT470BG = 5
        BT601 = 6
        SMPTE240 = 7
        LINEAR = 8
        LOG100 = 9
        LOG100_SQRT10 = 10
        IEC61966 = 11
        BT1361 = 12
        SRGB = 13
        BT2020_10BIT = 14
        BT2020_12BIT = 15
        PQ = 16
        SMPTE428 = 17
        HLG = 18

    class MATRIX_COEFFICIENTS(enum.IntEnum):
        """Matrix of the RGB to YUV conversion."""

        IDENTITY = 0
        BT709 = 1
        UNSPECIFIED = 2
        FCC = 4
        BT470BG = 5
        BT601 = 6
        SMPTE240 = 7
        YCGCO = 8
        BT2020_NCL = 9
        BT2020_CL = 10
        SMPTE2085 = 11
        CHROMA_DERIVED_NCL = 12
        CHROMA_DERIVED_CL = 13
        ICTCP = 14
        YCGCO_RE = 16
        YCGCO_RO = 17

    class CHROMA_UPSAMPLING(enum.IntEnum):
        """Chroma upsampling of the YUV to RGB conversion."""

        AUTOMATIC = AVIF_CHROMA_UPSAMPLING_AUTOMATIC
        FASTEST = AVIF_CHROMA_UPSAMPLING_FASTEST
        BEST_QUALITY = AVIF_CHROMA_UPSAMPLING_BEST_QUALITY
        NEAREST = AVIF_CHROMA_UPSAMPLING_NEAREST
        BILINEAR = AVIF_CHROMA_UPSAMPLING_BILINEAR


def avif_version():
    """Return the version of libavif."""
    return 'libavif ' + avifVersion().decode()


def avif_check(data):
    """Return whether data is an AVIF file: True if its ftyp box names the
    avif or avis brand, None for another ISO BMFF file, else False."""
    cdef Input src = readable(data)
    head = bytes((<const char*> src.ptr)[:min(src.size, 64)])
    if len(head) < 12 or head[4:8] != b'ftyp':
        return False
    size = min(int.from_bytes(head[:4], 'big'), len(head))
    brands = [head[8:12]] + [head[i:i + 4] for i in range(16, size - 3, 4)]
    if b'avif' in brands or b'avis' in brands:
        return True
    return None


cdef object _error(avifResult result, str function, avifDiagnostics* diag):
    """Return the exception of a failed libavif call."""
    if result == AVIF_RESULT_OUT_OF_MEMORY:
        return MemoryError(f'{function}: out of memory')
    message = f"{function} returned '{avifResultToString(result).decode()}'"
    if diag != NULL and strlen(diag.error) > 0:
        message += f' ({diag.error.decode(errors="replace")})'
    return AvifError(message)


cdef int _enum(value, kind, default) except -1:
    """Return the code of an enum given by name or number."""
    try:
        return enum_value(value, kind, default, 'AVIF')
    except ValueError as exc:
        raise _AvifKeyError(str(exc)) from None


# -- encoding ----------------------------------------------------------------

def _layout(tuple shape):
    """Return frames (None for a single image), height, width, channels."""
    ndim = len(shape)
    if ndim == 2:
        return None, shape[0], shape[1], 1
    if ndim == 3:
        if shape[2] <= 4:
            return None, shape[0], shape[1], shape[2]
        return shape[0], shape[1], shape[2], 1  # a stack of gray images
    if ndim == 4 and shape[3] <= 4:
        return shape
    raise _AvifValueError(
        f'AVIF encodes (frames,) height, width (, 1 to 4 samples) arrays, '
        f'not shape {shape}')


cdef int _check_svt(int height, int width, bint gray, bint lossless,
                    avifPixelFormat yuvformat) except -1:
    """Raise unless SVT-AV1 can encode the image.

    It encodes lossy 4:2:0 images of even sides only, at least 64 pixels
    long (version 2); its own refusal is a log line and a vague error.
    """
    if lossless or gray or yuvformat != AVIF_PIXEL_FORMAT_YUV420:
        raise _AvifValueError(
            'SVT-AV1 encodes lossy YUV420 colour images only')
    if height < 64 or width < 64 or height % 2 or width % 2:
        raise _AvifValueError(
            f'SVT-AV1 cannot encode {height}x{width} images '
            '(sides must be even and at least 64)')
    return 0


def avif_encode(data, level=None, speed=None, tilelog2=None,
                bitspersample=None, pixelformat=None, codec=None,
                numthreads=None, out=None, *, primaries=None, transfer=None,
                matrix=None):
    """Return AVIF encoded image or image sequence.

    data: uint8 or uint16 array of shape (height, width), (height, width,
    samples) with 1 (gray), 2 (gray and alpha), 3 (RGB) or 4 (RGBA)
    samples, or a stack of those (frames first), encoded as a sequence.
    A 3-d array whose last axis is longer than 4 is a stack of gray images.
    level: quality 0 (worst) to 100 (lossless, the default); negative is
    libavif's default quality. Lossless colour images are encoded 4:4:4
    with the identity matrix unless `matrix` says otherwise. Alpha is
    always lossless. (The reference encodes gray lossless at any level.)
    speed: 0 (slowest, smallest) to 10 (fastest); None or negative is
    the encoder's default.
    tilelog2: (rows, columns), the base 2 logarithms of the tile counts.
    bitspersample: 8, 10 or 12 bits of the encoded image; uint16 data must
    state 10 or 12 (values above the range are clipped), uint8 data is
    scaled up to 10 or 12 bits if asked.
    pixelformat: AVIF.PIXEL_FORMAT of lossy colour images (default YUV444,
    YUV420 for SVT-AV1, which can only encode that); gray is YUV400.
    codec: AVIF.CODEC_CHOICE of the encoder (default AUTO: aom).
    primaries, transfer, matrix: the H.273 code points written to the file
    (AVIF.COLOR_PRIMARIES, TRANSFER_CHARACTERISTICS, MATRIX_COEFFICIENTS);
    the matrix also converts RGB to YUV (default BT601 for lossy images).
    numthreads: threads of the encoder (default 1; 0: all cores).
    """
    cdef avifEncoder* encoder = NULL
    cdef avifImage* yuv = NULL
    cdef avifRGBImage rgb
    cdef avifRWData raw
    cdef avifResult result = AVIF_RESULT_OK
    cdef avifPixelFormat yuvformat
    cdef const uint8_t* pixels
    cdef Output dst
    cdef Py_ssize_t i, nframes, framebytes
    cdef uint32_t flags
    cdef int stage = 0
    cdef int quality, depth, rgbdepth, nthreads, codecchoice, channels
    cdef int height, width

    image = numpy.asarray(data)
    if image.dtype.char not in 'BH':
        raise _AvifValueError(
            f'AVIF encodes uint8 or uint16 arrays, not {image.dtype}')
    if not image.dtype.isnative:
        image = image.astype(image.dtype.newbyteorder('='))
    frames, height_, width_, channels_ = _layout(image.shape)
    if image.size == 0:
        raise _AvifValueError(f'AVIF cannot encode empty image {image.shape}')
    if height_ > MAX_SIDE or width_ > MAX_SIDE:
        raise _AvifValueError(
            f'image {height_}x{width_} larger than AV1 allows')
    height, width, channels = height_, width_, channels_
    nframes = 1 if frames is None else frames
    image = numpy.ascontiguousarray(image)

    if image.dtype.char == 'B':
        rgbdepth = 8
        depth = 8 if bitspersample is None else int(bitspersample)
    else:
        depth = rgbdepth = 0 if bitspersample is None else int(
            bitspersample)
        if depth not in (10, 12):
            raise _AvifValueError(
                f'uint16 images need bitspersample=10 or 12, '
                f'not {bitspersample}')
    if depth not in (8, 10, 12):
        raise _AvifValueError(f'invalid bitspersample {bitspersample}')

    if level is None:
        quality = AVIF_QUALITY_LOSSLESS
    else:
        quality = int(level)
        if quality < 0:
            quality = AVIF_QUALITY_DEFAULT
        quality = min(quality, AVIF_QUALITY_LOSSLESS)
    lossless = quality == AVIF_QUALITY_LOSSLESS
    codecchoice = _enum(codec, AVIF.CODEC_CHOICE, AVIF_CODEC_CHOICE_AUTO)
    gray = channels <= 2
    if gray:
        yuvformat = AVIF_PIXEL_FORMAT_YUV400
    elif lossless:
        yuvformat = AVIF_PIXEL_FORMAT_YUV444
    else:
        if isinstance(pixelformat, str) and pixelformat.isdigit():
            pixelformat = 'YUV' + pixelformat  # '420' as the reference takes
        yuvformat = <avifPixelFormat> _enum(
            pixelformat, AVIF.PIXEL_FORMAT,
            AVIF_PIXEL_FORMAT_YUV420 if codecchoice == AVIF_CODEC_CHOICE_SVT
            else AVIF_PIXEL_FORMAT_YUV444)
        if yuvformat in (AVIF_PIXEL_FORMAT_NONE, AVIF_PIXEL_FORMAT_COUNT):
            raise _AvifValueError(f'invalid pixelformat {pixelformat!r}')
    if codecchoice == AVIF_CODEC_CHOICE_SVT:
        _check_svt(height, width, gray, lossless, yuvformat)
    if gray:
        default_matrix = AVIF_MATRIX_COEFFICIENTS_UNSPECIFIED
    elif lossless:
        default_matrix = AVIF_MATRIX_COEFFICIENTS_IDENTITY
    else:
        default_matrix = AVIF_MATRIX_COEFFICIENTS_BT601
    matrix_ = _enum(matrix, AVIF.MATRIX_COEFFICIENTS, default_matrix)
    primaries_ = _enum(primaries, AVIF.COLOR_PRIMARIES,
                       AVIF_COLOR_PRIMARIES_UNSPECIFIED)
    transfer_ = _enum(transfer, AVIF.TRANSFER_CHARACTERISTICS,
                      AVIF_TRANSFER_CHARACTERISTICS_UNSPECIFIED)
    if tilelog2 is None:
        tilerows = tilecols = 0
    else:
        tilerows, tilecols = (int(v) for v in tilelog2)
        if not (0 <= tilerows <= 6 and 0 <= tilecols <= 6):
            raise _AvifValueError(f'invalid tilelog2 {tilelog2!r}')
    speed_ = AVIF_SPEED_DEFAULT if speed is None else int(speed)
    if speed_ < 0:
        speed_ = AVIF_SPEED_DEFAULT
    speed_ = min(speed_, AVIF_SPEED_FASTEST)
    nthreads = default_threads(numthreads)

    framebytes = <Py_ssize_t> height * width * channels * image.itemsize
    pixels = <const uint8_t*> <size_t> image.ctypes.data
    raw.data = NULL
    raw.size = 0
    try:
        yuv = avifImageCreate(width, height, depth, yuvformat)
        encoder = avifEncoderCreate()
        if yuv == NULL or encoder == NULL:
            raise MemoryError('avifImageCreate or avifEncoderCreate failed')
        yuv.yuvRange = AVIF_RANGE_FULL
        yuv.colorPrimaries = primaries_
        yuv.transferCharacteristics = transfer_
        yuv.matrixCoefficients = matrix_
        avifRGBImageSetDefaults(&rgb, yuv)
        rgb.depth = rgbdepth
        rgb.format = (AVIF_RGB_FORMAT_GRAY, AVIF_RGB_FORMAT_GRAYA,
                      AVIF_RGB_FORMAT_RGB, AVIF_RGB_FORMAT_RGBA)[channels - 1]
        rgb.rowBytes = <uint32_t> (width * channels * image.itemsize)
        encoder.codecChoice = <avifCodecChoice> codecchoice
        encoder.maxThreads = nthreads
        encoder.speed = speed_
        encoder.quality = quality
        # alpha is lossless at every level, as the reference keeps it
        encoder.qualityAlpha = AVIF_QUALITY_LOSSLESS
        encoder.tileRowsLog2 = tilerows
        encoder.tileColsLog2 = tilecols
        encoder.timescale = 1
        flags = (AVIF_ADD_IMAGE_FLAG_SINGLE if frames is None
                 else AVIF_ADD_IMAGE_FLAG_NONE)
        with nogil:
            for i in range(nframes):
                rgb.pixels = <uint8_t*> (pixels + i * framebytes)
                stage = 0
                result = avifImageRGBToYUV(yuv, &rgb)
                if result != AVIF_RESULT_OK:
                    break
                stage = 1
                result = avifEncoderAddImage(encoder, yuv, 1, flags)
                if result != AVIF_RESULT_OK:
                    break
            if result == AVIF_RESULT_OK:
                stage = 2
                result = avifEncoderFinish(encoder, &raw)
        if result != AVIF_RESULT_OK:
            raise _error(result, ('avifImageRGBToYUV', 'avifEncoderAddImage',
                                  'avifEncoderFinish')[stage],
                         &encoder.diag)
        dst = output(out, <Py_ssize_t> raw.size, AvifError)
        with nogil:
            memcpy(dst.ptr, raw.data, raw.size)
        return dst.finish(<Py_ssize_t> raw.size)
    finally:
        avifRWDataFree(&raw)
        if encoder != NULL:
            avifEncoderDestroy(encoder)
        if yuv != NULL:
            avifImageDestroy(yuv)


# -- decoding ----------------------------------------------------------------

def avif_decode(data, index=None, numthreads=None, out=None):
    """Return decoded AVIF image or image sequence.

    The result is uint8, or uint16 for 10 and 12 bit images (values keep
    their range), of shape (height, width) for gray, else (height, width,
    samples) with 2 (gray and alpha), 3 (RGB) or 4 (RGBA) samples.
    index: frame of a sequence; None or negative (as the reference) all
    frames, stacked on a first axis if there is more than one.
    numthreads: threads of the decoder and of the YUV to RGB conversion.
    """
    cdef Input src = readable(data)
    cdef avifDecoder* decoder = NULL
    cdef avifImage* image
    cdef avifRGBImage rgb
    cdef avifResult result = AVIF_RESULT_OK
    cdef avifPixelFormat yuvformat
    cdef uint8_t* pixels
    cdef Py_ssize_t i, first, nframes, framebytes, count
    cdef uint32_t width, height, depth
    cdef int nthreads = default_threads(numthreads)
    cdef int stage = 0
    cdef int changed = 0
    cdef int channels

    decoder = avifDecoderCreate()
    if decoder == NULL:
        raise MemoryError('avifDecoderCreate failed')
    try:
        decoder.maxThreads = nthreads
        decoder.ignoreExif = 1
        decoder.ignoreXMP = 1
        decoder.imageSizeLimit = MAX_PIXELS
        decoder.imageDimensionLimit = MAX_DECODE_SIDE
        decoder.imageCountLimit = MAX_FRAMES
        # as the reference: files lacking boxes the specification requires
        # but that decoding does not need (pixi, ispe of alpha) are read
        decoder.strictFlags = AVIF_STRICT_DISABLED
        with nogil:
            result = avifDecoderSetIOMemory(decoder, src.ptr,
                                            <size_t> src.size)
            if result == AVIF_RESULT_OK:
                result = avifDecoderParse(decoder)
        if result != AVIF_RESULT_OK:
            raise _error(result, 'avifDecoderParse', &decoder.diag)
        count = decoder.imageCount
        if count < 1:
            raise AvifError('AVIF file without images')
        if index is None or index < 0:
            first = 0
            nframes = count
        else:
            first = index
            nframes = 1
            if first >= count:
                raise _AvifIndexError(
                    f'index={index} out of range [0, {count - 1}]')
        # decode the first frame before allocating: libavif checks that the
        # bitstream agrees with the sizes the container claims
        with nogil:
            result = avifDecoderNthImage(decoder, <uint32_t> first)
        if result != AVIF_RESULT_OK:
            raise _error(result, 'avifDecoderNthImage', &decoder.diag)
        image = decoder.image
        width = image.width
        height = image.height
        depth = image.depth
        yuvformat = image.yuvFormat
        if not (0 < width <= MAX_DECODE_SIDE and
                0 < height <= MAX_DECODE_SIDE) or (
                depth not in (8, 10, 12)):
            raise AvifError(f'invalid AVIF image {width}x{height} '
                            f'of depth {depth}')
        if nframes * width * height > MAX_WORK:
            raise AvifError(f'{nframes} frames of {width}x{height} pixels '
                            'are too much to decode')
        gray = yuvformat == AVIF_PIXEL_FORMAT_YUV400
        alpha = bool(decoder.alphaPresent) or image.alphaPlane != NULL
        channels = (1 if gray else 3) + alpha
        shape = (height, width) + (() if channels == 1 else (channels,))
        if nframes > 1:
            shape = (nframes,) + shape
        result_array = _new_result(
            out, shape, numpy.uint8 if depth == 8 else numpy.uint16, src,
            data)
        pixels = <uint8_t*> <size_t> result_array.ctypes.data
        framebytes = <Py_ssize_t> width * height * result_array.itemsize
        framebytes *= channels

        avifRGBImageSetDefaults(&rgb, image)
        rgb.depth = depth
        rgb.format = (AVIF_RGB_FORMAT_GRAY, AVIF_RGB_FORMAT_GRAYA,
                      AVIF_RGB_FORMAT_RGB, AVIF_RGB_FORMAT_RGBA)[channels - 1]
        rgb.maxThreads = nthreads
        rgb.rowBytes = <uint32_t> (framebytes // height)
        with nogil:
            for i in range(nframes):
                if i > 0:
                    stage = 1
                    result = avifDecoderNextImage(decoder)
                    if result != AVIF_RESULT_OK:
                        break
                    image = decoder.image
                    if (image.width != width or image.height != height
                            or image.depth != depth
                            or image.yuvFormat != yuvformat):
                        changed = 1
                        break
                stage = 2
                rgb.pixels = pixels + i * framebytes
                result = avifImageYUVToRGB(image, &rgb)
                if result != AVIF_RESULT_OK:
                    break
        if changed:
            raise AvifError(f'frame {i} differs in size or format from the '
                            'first')
        if result != AVIF_RESULT_OK:
            raise _error(result, (None, 'avifDecoderNextImage',
                                  'avifImageYUVToRGB')[stage], &decoder.diag)
        return result_array
    finally:
        avifDecoderDestroy(decoder)


cdef object _new_result(out, tuple shape, dtype, Input src, data):
    """Return the output array; never over the input's own bytes, which
    the decoder reads while it writes."""
    result = new_array(out, shape, dtype, AvifError, data)
    cdef size_t start = <size_t> result.ctypes.data
    cdef size_t begin = <size_t> src.ptr
    if (start < begin + <size_t> src.size and
            begin < start + <size_t> result.nbytes):
        raise _AvifValueError('cannot decode in place')
    return result
