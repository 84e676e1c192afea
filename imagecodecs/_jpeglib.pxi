# SPDX-License-Identifier: BSD-3-Clause
# The part of the JPEG8 and MOZJPEG modules that is the same over either
# libjpeg: the declarations of our C glue (imagecodecs/_c/jpeg8.h, which
# mozjpeg.c compiles against mozjpeg), argument parsing, decoding and
# encoding.
#
# Included by _jpeg8.pyx and _mozjpeg.pyx, each compiling it against its
# own library. The including module defines `_Error`, its codec error
# class, and `_ValueError`, that class as a ValueError, before the include;
# _mozjpeg.pyx also includes mozjpeg.h before it, which renames the glue's
# functions to imcd_mozjpeg_*.

import enum

import numpy

from libc.stdint cimport uint8_t
from libc.string cimport memcpy

from imagecodecs._shared cimport (
    Input, Output, readable, output, check, new_array,
)

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
        int progressive
        int trellis
        int quant_table

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


# libjpeg's J_COLOR_SPACE
_CS_MEMBERS = (
    ('UNKNOWN', 0), ('GRAYSCALE', 1), ('RGB', 2), ('YCbCr', 3), ('CMYK', 4),
    ('YCCK', 5), ('EXT_RGB', 6), ('EXT_RGBX', 7), ('EXT_BGR', 8),
    ('EXT_BGRX', 9), ('EXT_XBGR', 10), ('EXT_XRGB', 11), ('EXT_RGBA', 12),
    ('EXT_BGRA', 13), ('EXT_ABGR', 14), ('EXT_ARGB', 15), ('RGB565', 16),
)


def _colorspace_enum(owner):
    """Return the CS enum of the constants class named `owner`."""
    cs = enum.IntEnum('CS', _CS_MEMBERS, module=__name__,
                      qualname=f'{owner}.CS')
    cs.__doc__ = "Colour spaces (libjpeg's J_COLOR_SPACE)."
    return cs


# colour space names, with the TIFF photometric names that tifffile passes
_COLORSPACES = {name.upper(): code for name, code in _CS_MEMBERS}
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


cdef tuple _library_version():
    """Return the library's version and the libjpeg API it emulates."""
    library, _, api = imcd_jpeg8_library_version().decode().partition('/')
    return library, f'{api[:len(api) - 1]}.{api[len(api) - 1:]}'


cdef bint _check(object data):
    """Return whether data starts like a JPEG stream (SOI and a marker)."""
    cdef Input src = readable(data)
    cdef bytes head = bytes(src.ptr[:min(src.size, 10)])
    if head[:3] != b'\xff\xd8\xff' or len(head) < 4:
        return False
    if head[3] in (0xDB, 0xC4, 0xEE, 0xC3):
        return True
    return (head[3] == 0xE0 and head[6:10] == b'JFIF') or (
        head[3] == 0xE1 and head[6:10] == b'Exif')


cdef int _colorspace(object value) except -2:
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


cdef object _with_header(object data, object header):
    """Return data behind a TIFF JPEG `header` and before an EOI marker."""
    if header is None:
        return data
    return b''.join((bytes(header), bytes(data), b'\xff\xd9'))


cdef Input _input(object data, object shape):
    """Return the stream, with the SOF height (or width) from `shape` if the
    stream has 0 there (DNL streams, some DNG and TIFF writers)."""
    cdef Input src = readable(data)
    cdef int marker = 0
    cdef Py_ssize_t pos
    if shape is None:
        return src
    shape = tuple(shape)
    pos = imcd_jpeg8_find_sof(src.ptr, src.size, &marker)
    if pos < 0 or len(shape) < 2:
        return src
    height = src.ptr[pos + 5] << 8 | src.ptr[pos + 6]
    width = src.ptr[pos + 7] << 8 | src.ptr[pos + 8]
    if height and width:
        return src
    patched = bytearray(src.ptr[:src.size])
    for index, value, offset in ((0, height, 5), (1, width, 7)):
        if value == 0:
            value = int(shape[index])
            if not 0 < value <= 65535:
                raise _ValueError(f'invalid shape {shape}')
            patched[pos + offset:pos + offset + 2] = value.to_bytes(2, 'big')
    return readable(bytes(patched))


cdef object _decode(Input src, object tables, int jcs, int ocs,
                    object out, object data, bint dct8):
    """Return the decoded image; only 8-bit DCT streams if `dct8`.

    `tables` is an abbreviated stream of tables (TIFF JPEGTables), `jcs`
    and `ocs` are colour spaces from _colorspace, `data` is the caller's
    buffer (for out=).
    """
    cdef Input tab
    cdef const uint8_t* tptr = NULL
    cdef Py_ssize_t tsize = 0
    cdef imcd_jpeg8_decoder* decoder
    if tables is not None:
        tab = readable(tables)
        tptr = tab.ptr
        tsize = tab.size
    decoder = imcd_jpeg8_decoder_new()
    if decoder == NULL:
        raise MemoryError('imcd_jpeg8_decoder_new')
    try:
        return _decode_with(decoder, src, tptr, tsize, jcs, ocs, out, data,
                            dct8)
    finally:
        imcd_jpeg8_decoder_free(decoder)


cdef object _decode_with(imcd_jpeg8_decoder* decoder, Input src,
                         const uint8_t* tptr, Py_ssize_t tsize, int jcs,
                         int ocs, object out, object data, bint dct8):
    cdef Output dst
    cdef imcd_jpeg8_info info
    cdef Py_ssize_t status, nbytes
    with nogil:
        status = imcd_jpeg8_header(decoder, tptr, tsize, src.ptr,
                                   src.size, jcs, ocs, &info)
    if status < 0:
        _raise(status, imcd_jpeg8_decoder_message(decoder))
    if dct8 and (info.precision != 8 or info.lossless):
        raise _Error(f'{info.precision}-bit '
                     f'{"lossless" if info.lossless else "DCT"} stream not '
                     'supported: 8-bit DCT only')
    if info.components == 1:
        shape = (info.height, info.width)
    else:
        shape = (info.height, info.width, info.components)
    dtype = numpy.uint8 if info.precision <= 8 else numpy.uint16
    nbytes = info.height * info.width * info.components * (
        1 if info.precision <= 8 else 2)
    if nbytes > MAX_FLOOR and nbytes // MAX_RATIO > src.size:
        raise _Error(f'image of shape {shape} implausible for '
                     f'{src.size} bytes of JPEG data')
    result = new_array(out, shape, dtype, _Error, data)
    dst = output(result, result.nbytes, _Error)
    with nogil:
        status = imcd_jpeg8_decode(decoder, dst.ptr, dst.size)
    if status < 0:
        _raise(status, imcd_jpeg8_decoder_message(decoder))
    return result


cdef _raise(Py_ssize_t status, const char* message):
    text = message.decode('utf-8', 'replace')
    if status == IMCD_MEMORY:
        raise MemoryError(text or 'out of memory')
    if text:
        raise _Error(text)
    check(status, _Error)


cdef object _image(object data, int maxitemsize):
    """Return data as an array of an image JPEG can hold."""
    data = numpy.asarray(data)
    if (
        data.dtype.kind != 'u' or data.itemsize not in (1, 2)
        or data.itemsize > maxitemsize or data.ndim not in (2, 3)
        or (data.ndim == 3 and not 1 <= data.shape[2] <= 4)
        or data.size == 0
    ):
        dtypes = 'uint8' if maxitemsize == 1 else 'uint8 or uint16'
        raise _ValueError(f'invalid data shape {data.shape} or dtype '
                          f'{data.dtype}: need {dtypes} (height, '
                          'width[, 1 to 4 samples])')
    if data.shape[0] > 65500 or data.shape[1] > 65500:
        raise _ValueError(f'image too large for JPEG: {data.shape}')
    return data


cdef int _params(imcd_jpeg8_params* params, object data, int precision,
                 object level, object colorspace, object outcolorspace,
                 object subsampling, object optimize,
                 object smoothing) except -1:
    """Set the parameters both libraries share; the others to defaults.

    `level` None and `optimize` None select the library's defaults.
    """
    components = data.shape[2] if data.ndim == 3 else 1
    params.width = data.shape[1]
    params.height = data.shape[0]
    params.components = components
    params.precision = precision
    params.in_color_space = _colorspace(colorspace)
    if params.in_color_space < 0:
        params.in_color_space = {1: 1, 3: 2}.get(components, 0)
    params.jpeg_color_space = _colorspace(outcolorspace)
    params.quality = -1 if level is None else max(0, min(100, int(level)))
    params.h_samp, params.v_samp = _subsampling(subsampling)
    params.optimize = -1 if optimize is None else (1 if optimize else 0)
    if smoothing is None or smoothing is False:
        params.smoothing = 0
    else:
        params.smoothing = max(0, min(100, int(smoothing)))
    params.predictor = 0
    params.progressive = -1
    params.trellis = -1
    params.quant_table = -1
    return 0


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


cdef object _encode(object data, const imcd_jpeg8_params* params,
                    object out):
    """Return `data` (from _image) encoded with `params`."""
    cdef Input src
    cdef Output dst
    cdef uint8_t* buffer = NULL
    cdef char message[200]
    cdef Py_ssize_t size, stride
    if data.max() >= (1 << params.precision):
        # out-of-range samples would index libjpeg's tables out of bounds
        data = numpy.minimum(data, (1 << params.precision) - 1)
    # 2 to 8-bit lossless and 8-bit DCT read bytes, the others 16-bit words
    data = numpy.ascontiguousarray(
        data, numpy.uint8 if params.precision <= 8 else numpy.dtype('=u2'))
    src = readable(data)
    stride = data.strides[0]
    message[0] = 0
    with nogil:
        size = imcd_jpeg8_encode(src.ptr, stride, params, &buffer, message)
    if size < 0:
        _raise(size, message)
    try:
        dst = output(out, size, _Error, False)
        if dst.size < size:
            raise _Error(f'out has {dst.size} bytes, need {size}')
        memcpy(dst.ptr, buffer, size)
    finally:
        imcd_jpeg8_free(buffer)
    return dst.finish(size)
