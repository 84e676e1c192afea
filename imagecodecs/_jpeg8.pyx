# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""JPEG8 and JPEG codecs over libjpeg-turbo 3.

One library decodes and encodes 8 and 12-bit DCT streams and lossless
(SOF3) streams of 2 to 16 bits, so JPEG8.all_precisions is True. All calls
into libjpeg go through imagecodecs/_c/jpeg8.c, which catches the
library's error exits (they jump) before they can reach Python frames.

Lossless streams that libjpeg refuses (Huffman symbol 16 or predictor 0,
written by cameras into DNG files) are decoded by our own SOF3 decoder,
imagecodecs/_c/ljpeg.c. JPEG is JPEG8 plus jpeg_decode's TIFF `header`.
"""

import enum

import numpy

from libc.stdint cimport uint8_t, uint16_t
from libc.string cimport memcpy

from imagecodecs._shared cimport (
    Input, Output, readable, output, check, new_array,
)
from imagecodecs._exceptions import Jpeg8Error, error_as

cdef extern from 'jpeg8.h' nogil:
    int IMCD_MEMORY
    int IMCD_OUTPUT_TOO_SMALL

    ctypedef struct imcd_jpeg8_info:
        Py_ssize_t width
        Py_ssize_t height
        int components
        int precision
        int jpeg_color_space
        int out_color_space
        int lossless

    ctypedef struct imcd_jpeg8_decoder:
        pass

    ctypedef struct imcd_jpeg8_params:
        Py_ssize_t width
        Py_ssize_t height
        int components
        int precision
        int in_color_space
        int jpeg_color_space
        int quality
        int h_samp
        int v_samp
        int optimize
        int smoothing
        int predictor

    imcd_jpeg8_decoder* imcd_jpeg8_decoder_new()
    void imcd_jpeg8_decoder_free(imcd_jpeg8_decoder* decoder)
    const char* imcd_jpeg8_decoder_message(const imcd_jpeg8_decoder* decoder)
    Py_ssize_t imcd_jpeg8_header(imcd_jpeg8_decoder* decoder,
                                 const uint8_t* tables, Py_ssize_t tablessize,
                                 const uint8_t* data, Py_ssize_t datasize,
                                 int colorspace, int outcolorspace,
                                 imcd_jpeg8_info* info)
    Py_ssize_t imcd_jpeg8_decode(imcd_jpeg8_decoder* decoder, uint8_t* dst,
                                 Py_ssize_t dstsize)
    Py_ssize_t imcd_jpeg8_encode(const uint8_t* src, Py_ssize_t stride,
                                 const imcd_jpeg8_params* params,
                                 uint8_t** dst, char* message)
    void imcd_jpeg8_free(void* buffer)
    Py_ssize_t imcd_jpeg8_find_sof(const uint8_t* data, Py_ssize_t size,
                                   int* marker)
    const char* imcd_jpeg8_library_version()

cdef extern from 'ljpeg.h' nogil:
    ctypedef struct imcd_ljpeg_info:
        Py_ssize_t width
        Py_ssize_t height
        int components
        int precision

    Py_ssize_t imcd_ljpeg_info_read(const uint8_t* src, Py_ssize_t srcsize,
                                    imcd_ljpeg_info* info)
    Py_ssize_t imcd_ljpeg_decode(const uint8_t* src, Py_ssize_t srcsize,
                                 uint8_t* dst, Py_ssize_t dstsize,
                                 int itemsize, const uint16_t* lut,
                                 Py_ssize_t lutsize, int flags)


class JPEG8:
    """JPEG8 codec constants."""

    available = True
    legacy = False
    all_precisions = True

    class CS(enum.IntEnum):
        """Colour spaces (libjpeg's J_COLOR_SPACE)."""

        UNKNOWN = 0
        GRAYSCALE = 1
        RGB = 2
        YCbCr = 3
        CMYK = 4
        YCCK = 5
        EXT_RGB = 6
        EXT_RGBX = 7
        EXT_BGR = 8
        EXT_BGRX = 9
        EXT_XBGR = 10
        EXT_XRGB = 11
        EXT_RGBA = 12
        EXT_BGRA = 13
        EXT_ABGR = 14
        EXT_ARGB = 15
        RGB565 = 16


JPEG = JPEG8

_ValueError = error_as(Jpeg8Error, ValueError)

# colour space names, with the TIFF photometric names that tifffile passes
_COLORSPACES = {name.upper(): int(member)
                for name, member in JPEG8.CS.__members__.items()}
_COLORSPACES.update(GRAY=1, MINISBLACK=1, MINISWHITE=1, SEPARATED=4,
                    RGBA=12)

_SUBSAMPLING = {
    '444': (1, 1), '422': (2, 1), '420': (2, 2), '411': (4, 1),
    '440': (1, 2),
}

# Output above this many bytes must be plausible for the input size: a
# Huffman-coded 8x8 block costs at least 2 bits, 512 output bytes per input
# byte at 16 bits per sample; twice that leaves room, while a small stream
# claiming a huge image (progressive or arithmetic coding can compress
# blank images further) is refused instead of allocated.
cdef Py_ssize_t MAX_FLOOR = 1 << 30
cdef Py_ssize_t MAX_RATIO = 1024


def jpeg8_version():
    """Return the libjpeg-turbo version and the libjpeg API it emulates."""
    library, _, api = imcd_jpeg8_library_version().decode().partition('/')
    return f'libjpeg_turbo {library}/{api[:len(api) - 1]}.{api[len(api) - 1:]}'


def jpeg8_check(data):
    """Return whether data starts like a JPEG stream (SOI and a marker)."""
    cdef Input src = readable(data)
    cdef bytes head = bytes(src.ptr[:min(src.size, 10)])
    if head[:3] != b'\xff\xd8\xff' or len(head) < 4:
        return False
    if head[3] in (0xDB, 0xC4, 0xEE, 0xC3):
        return True
    return (head[3] == 0xE0 and head[6:10] == b'JFIF') or (
        head[3] == 0xE1 and head[6:10] == b'Exif')


cdef int _colorspace(object value, bint encode=False) except -2:
    """Return a J_COLOR_SPACE code or -1 for the default.

    Names are case-insensitive. Like the reference, unknown names and
    numbers select the default (tifffile passes every TIFF photometric
    name); RGB565 is refused: it packs samples into 16-bit words.
    """
    cdef int code
    if value is None:
        return -1
    if isinstance(value, str):
        code = _COLORSPACES.get(value.upper(), -1)
    else:
        try:
            code = int(value)
        except (TypeError, ValueError):
            return -1
        if not 0 <= code <= 16:
            return -1
    if code == 16:
        raise _ValueError('RGB565 colour space not supported')
    return code


cdef bytes _patch_dimensions(Input src, object shape):
    """Return a copy of the stream with the SOF height (or width) from
    `shape` if the stream has 0 there (DNL streams, some DNG and TIFF
    writers); None if nothing to patch."""
    cdef int marker = 0
    cdef Py_ssize_t pos
    if shape is None:
        return None
    shape = tuple(shape)
    pos = imcd_jpeg8_find_sof(src.ptr, src.size, &marker)
    if pos < 0 or len(shape) < 2:
        return None
    height = src.ptr[pos + 5] << 8 | src.ptr[pos + 6]
    width = src.ptr[pos + 7] << 8 | src.ptr[pos + 8]
    if height and width:
        return None
    patched = bytearray(src.ptr[:src.size])
    for index, value, offset in ((0, height, 5), (1, width, 7)):
        if value == 0:
            value = int(shape[index])
            if not 0 < value <= 65535:
                raise _ValueError(f'invalid shape {shape}')
            patched[pos + offset:pos + offset + 2] = value.to_bytes(2, 'big')
    return bytes(patched)


def jpeg8_decode(data, tables=None, colorspace=None, outcolorspace=None,
                 shape=None, out=None):
    """Return decoded JPEG image.

    8 and 12-bit DCT and 2 to 16-bit lossless streams; uint8 up to 8 bits
    per sample, else uint16; shape (height, width) or (height, width,
    samples). `tables` is an abbreviated stream of tables (TIFF
    JPEGTables). `colorspace` overrides the stream's colour space and
    `outcolorspace` selects the output's (JPEG8.CS or names). CMYK is
    returned as stored (Adobe files store it inverted). `shape` gives the
    height and width of streams whose frame header has 0 there.
    """
    cdef Input src = readable(data)
    cdef Input tab
    cdef imcd_jpeg8_decoder* decoder = NULL
    cdef const uint8_t* tptr = NULL
    cdef Py_ssize_t tsize = 0
    cdef int jcs = _colorspace(colorspace)
    cdef int ocs = _colorspace(outcolorspace)
    patched = _patch_dimensions(src, shape)
    if patched is not None:
        src = readable(patched)
    if tables is not None:
        tab = readable(tables)
        tptr = tab.ptr
        tsize = tab.size
    decoder = imcd_jpeg8_decoder_new()
    if decoder == NULL:
        raise MemoryError('imcd_jpeg8_decoder_new')
    try:
        return _decode(decoder, src, tptr, tsize, jcs, ocs, out, data)
    except Jpeg8Error as exc:
        # libjpeg refuses some lossless streams that camera raw files hold
        # (Huffman symbol 16, predictor 0): our own SOF3 decoder reads them
        if tables is not None or colorspace is not None or not _is_lossless(
                src):
            raise
        result = _decode_ljpeg(src, out, data)
        if result is None:
            raise
        return result
    finally:
        imcd_jpeg8_decoder_free(decoder)


cdef object _decode(imcd_jpeg8_decoder* decoder, Input src,
                    const uint8_t* tptr, Py_ssize_t tsize, int jcs, int ocs,
                    object out, object data):
    cdef Output dst
    cdef imcd_jpeg8_info info
    cdef Py_ssize_t status, nbytes
    with nogil:
        status = imcd_jpeg8_header(decoder, tptr, tsize, src.ptr,
                                   src.size, jcs, ocs, &info)
    if status < 0:
        _raise(status, imcd_jpeg8_decoder_message(decoder))
    if info.components == 1:
        shape = (info.height, info.width)
    else:
        shape = (info.height, info.width, info.components)
    dtype = numpy.uint8 if info.precision <= 8 else numpy.uint16
    nbytes = info.height * info.width * info.components * (
        1 if info.precision <= 8 else 2)
    if nbytes > MAX_FLOOR and nbytes // MAX_RATIO > src.size:
        raise Jpeg8Error(f'image of shape {shape} implausible for '
                         f'{src.size} bytes of JPEG data')
    result = new_array(out, shape, dtype, Jpeg8Error, data)
    dst = output(result, result.nbytes, Jpeg8Error)
    with nogil:
        status = imcd_jpeg8_decode(decoder, dst.ptr, dst.size)
    if status < 0:
        _raise(status, imcd_jpeg8_decoder_message(decoder))
    return result


cdef object _decode_ljpeg(Input src, object out, object data):
    """Return the stream decoded by our lossless JPEG decoder, or None."""
    cdef imcd_ljpeg_info info
    cdef Output dst
    cdef Py_ssize_t status
    cdef int itemsize
    with nogil:
        status = imcd_ljpeg_info_read(src.ptr, src.size, &info)
    if status < 0 or info.height < 1 or info.width < 1:
        return None
    itemsize = 1 if info.precision <= 8 else 2
    if info.components == 1:
        shape = (info.height, info.width)
    else:
        shape = (info.height, info.width, info.components)
    result = new_array(out, shape, numpy.uint8 if itemsize == 1
                       else numpy.uint16, Jpeg8Error, data)
    dst = output(result, result.nbytes, Jpeg8Error)
    with nogil:
        status = imcd_ljpeg_decode(src.ptr, src.size, dst.ptr, dst.size,
                                   itemsize, NULL, 0, 0)
    return None if status < 0 else result


cdef _raise(Py_ssize_t status, const char* message):
    text = message.decode('utf-8', 'replace')
    if status == IMCD_MEMORY:
        raise MemoryError(text or 'out of memory')
    if text:
        raise Jpeg8Error(text)
    check(status, Jpeg8Error)


def jpeg8_encode(data, level=None, colorspace=None, outcolorspace=None,
                 subsampling=None, optimize=None, smoothing=None,
                 lossless=None, predictor=None, bitspersample=None,
                 validate=None, out=None):
    """Return JPEG encoded image.

    `data`: uint8 or uint16 array of shape (height, width) or (height,
    width, 1 to 4 samples). `level`: quality 0 to 100 (95). `colorspace`:
    of the samples (GRAYSCALE, RGB, CMYK or other JPEG8.CS; default by
    sample count); `outcolorspace`: of the stream (YCbCr for RGB).
    `subsampling`: '444', '422', '420', '411', '440' or (h, v) factors.
    `lossless`: SOF3 with `predictor` 1 to 7 (1; 0 writes a DCT stream).
    `bitspersample`: 8 for uint8 and 12 for uint16 DCT streams, 2 to 8
    (uint8) or 2 to 16 (uint16) lossless. Samples above the precision are
    clipped. `validate` is accepted for compatibility and has no effect.
    """
    cdef Input src
    cdef Output dst
    cdef imcd_jpeg8_params params
    cdef uint8_t* buffer = NULL
    cdef char message[200]
    cdef Py_ssize_t size, stride
    del validate
    data = numpy.asarray(data)
    if (
        data.dtype.kind != 'u' or data.itemsize not in (1, 2)
        or data.ndim not in (2, 3)
        or (data.ndim == 3 and not 1 <= data.shape[2] <= 4)
        or data.size == 0
    ):
        raise _ValueError(f'invalid data shape {data.shape} or dtype '
                          f'{data.dtype}: need uint8 or uint16 (height, '
                          'width[, 1 to 4 samples])')
    if data.shape[0] > 65500 or data.shape[1] > 65500:
        raise _ValueError(f'image too large for JPEG: {data.shape}')
    components = data.shape[2] if data.ndim == 3 else 1
    itemsize = data.itemsize

    predictor = (1 if predictor is None else int(predictor)) if lossless \
        else 0
    if bitspersample is None:
        precision = (16 if predictor else 12) if itemsize == 2 else 8
    else:
        precision = int(bitspersample)
    if predictor:
        valid = 2 <= precision <= 8 * itemsize
    else:
        valid = precision == (12 if itemsize == 2 else 8)
    if not valid:
        raise _ValueError(f'invalid bitspersample={bitspersample} for '
                          f'{data.dtype} {"lossless" if predictor else "DCT"}')
    if data.max() >= (1 << precision):
        # out-of-range samples would index libjpeg's tables out of bounds
        data = numpy.minimum(data, (1 << precision) - 1)
    # 2 to 8-bit lossless and 8-bit DCT read bytes, the others 16-bit words
    data = numpy.ascontiguousarray(
        data, numpy.uint8 if precision <= 8 else numpy.dtype('=u2'))

    params.width = data.shape[1]
    params.height = data.shape[0]
    params.components = components
    params.precision = precision
    params.in_color_space = _colorspace(colorspace)
    if params.in_color_space < 0:
        params.in_color_space = {1: 1, 3: 2}.get(components, 0)
    params.jpeg_color_space = _colorspace(outcolorspace)
    if level is None:
        params.quality = 95
    else:
        params.quality = max(0, min(100, int(level)))
    params.h_samp, params.v_samp = _subsampling(subsampling)
    params.optimize = 1 if optimize else 0
    if smoothing is None or smoothing is False:
        params.smoothing = 0
    else:
        params.smoothing = max(0, min(100, int(smoothing)))
    params.predictor = predictor

    src = readable(data)
    stride = data.strides[0]
    message[0] = 0
    with nogil:
        size = imcd_jpeg8_encode(src.ptr, stride, &params, &buffer, message)
    if size < 0:
        _raise(size, message)
    try:
        dst = output(out, size, Jpeg8Error, False)
        if dst.size < size:
            raise Jpeg8Error(f'out has {dst.size} bytes, need {size}')
        memcpy(dst.ptr, buffer, size)
    finally:
        imcd_jpeg8_free(buffer)
    return dst.finish(size)


cdef tuple _subsampling(object subsampling):
    if subsampling is None:
        return (0, 0)
    if isinstance(subsampling, str):
        factors = _SUBSAMPLING.get(subsampling)
    else:
        try:
            factors = tuple(int(f) for f in subsampling)
        except (TypeError, ValueError):
            factors = None
    if (factors is None or len(factors) != 2
            or not all(f in (1, 2, 4) for f in factors)):
        raise _ValueError(f'invalid subsampling {subsampling!r}')
    return factors


jpeg_check = jpeg8_check
jpeg_version = jpeg8_version


def jpeg_decode(data, /, *, tables=None, header=None, colorspace=None,
                outcolorspace=None, shape=None, bitspersample=None,
                out=None):
    """Return decoded JPEG image (see jpeg8_decode).

    `header` (a TIFF JPEG header of a strip or tile) is prepended and an
    EOI marker appended. `bitspersample` is accepted and not needed.
    """
    del bitspersample
    if header is not None:
        data = b''.join((bytes(header), bytes(data), b'\xff\xd9'))
    return jpeg8_decode(data, tables=tables, colorspace=colorspace,
                        outcolorspace=outcolorspace, shape=shape, out=out)


cdef bint _is_lossless(Input src):
    cdef int marker = 0
    return (imcd_jpeg8_find_sof(src.ptr, src.size, &marker) >= 0
            and marker == 0xC3)


def jpeg_encode(data, /, level=None, *, colorspace=None, outcolorspace=None,
                subsampling=None, optimize=None, smoothing=None,
                lossless=None, predictor=None, bitspersample=None, out=None):
    """Return JPEG encoded image (see jpeg8_encode)."""
    return jpeg8_encode(data, level=level, colorspace=colorspace,
                        outcolorspace=outcolorspace, subsampling=subsampling,
                        optimize=optimize, smoothing=smoothing,
                        lossless=lossless, predictor=predictor,
                        bitspersample=bitspersample, out=out)
