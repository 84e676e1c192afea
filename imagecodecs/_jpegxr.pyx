# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""JPEG XR codec over jxrlib.

Encodes bool, uint8, uint16, float16 and float32 images of 1 to 9
samples, lossless by default; decodes every pixel format jxrlib's glue
knows except the subsampled YUV ones. jxrlib does not check its input, so
the C helper (imagecodecs/_c/jpegxr.c) validates the container, bounds
the image size by the data size and feeds jxrlib through a stream that
cannot read outside the data.
"""

import enum

import numpy

from libc.stdint cimport uint8_t, int32_t
from libc.string cimport memcpy

from imagecodecs._shared cimport Input, Output, readable, output, new_array
from imagecodecs._shared cimport check
from imagecodecs._exceptions import JpegxrError, error_as
from imagecodecs.libs.jxrlib cimport *

_JpegxrValueError = error_as(JpegxrError, ValueError)


class JPEGXR:
    """JPEGXR codec constants."""

    available = True

    class PI(enum.IntEnum):
        """Photometric interpretation of pixel formats."""

        W0 = PK_PI_W0
        B0 = PK_PI_B0
        RGB = PK_PI_RGB
        RGBPalette = PK_PI_RGBPalette
        TransparencyMask = PK_PI_TransparencyMask
        CMYK = PK_PI_CMYK
        YCbCr = PK_PI_YCbCr
        CIELab = PK_PI_CIELab
        NCH = PK_PI_NCH
        RGBE = PK_PI_RGBE


def jpegxr_version():
    """Return the version of jxrlib."""
    return f'jxrlib {IMCD_VERSION_JXRLIB.decode()}'


def jpegxr_check(data):
    """Return whether data starts with a JPEG XR container header."""
    head = bytes(memoryview(data).cast('B')[:4])
    return head[:3] == b'II\xbc' and len(head) == 4 and head[3] <= 1


# -- pixel formats -----------------------------------------------------------

# Most pixel format GUIDs share their first 15 bytes and differ in the last.
_BASE = bytes.fromhex('24c3dd6f034efe4bb1853d77768dc9')


def _guid(last):
    return _BASE + bytes([last])


# the four formats outside that family (little-endian GUID layout)
_GUID_32bppRGBA = bytes.fromhex('2dadc7f58d6add43a7a8a29935261ae9')
_GUID_96bppRGBFloat = bytes.fromhex('8fd7fee3dbe8cf4a84c1e97f6136b327')

# (dtype char, samples) -> pixel format of RGB(A) images
_RGB = {
    ('u1', 3): _guid(0x0D), ('u1', 4): _GUID_32bppRGBA,
    ('u2', 3): _guid(0x15), ('u2', 4): _guid(0x16),
    ('f2', 3): _guid(0x3B), ('f2', 4): _guid(0x3A),
    ('f4', 3): _GUID_96bppRGBFloat, ('f4', 4): _guid(0x19),
}
_GRAY = {'b1': _guid(0x05), 'u1': _guid(0x08), 'u2': _guid(0x0B),
         'f2': _guid(0x3E), 'f4': _guid(0x11)}
_CMYK = {('u1', 4): _guid(0x1C), ('u2', 4): _guid(0x1F),
         ('u1', 5): _guid(0x2C), ('u2', 5): _guid(0x2D)}
# n channels of 3 to 8 samples, without and with alpha
_NCH = {'u1': 0x20 - 3, 'u2': 0x26 - 3}
_NCH_ALPHA = {'u1': 0x2E - 3, 'u2': 0x34 - 3}

# TIFF's photometric interpretations, which tifffile passes
_MINISWHITE, _MINISBLACK, _RGB_, _SEPARATED = 0, 1, 2, 5


cdef int _photometric(photometric) except -2:
    """Return the TIFF photometric of photometric=, -1 for the default."""
    if photometric is None:
        return -1
    if isinstance(photometric, str):
        name = photometric.upper()
        if name.startswith('RGB'):
            return _RGB_
        if name in ('MINISWHITE', 'MINISBLACK', 'GRAY'):
            return _MINISBLACK
        if name in ('SEPARATED', 'CMYK'):
            return _SEPARATED
        raise ValueError(f'photometric={name!r} not supported')
    value = int(photometric)
    if value in (_MINISWHITE, _MINISBLACK):
        return _MINISBLACK
    if value in (_RGB_, _SEPARATED):
        return value
    raise ValueError(f'photometric={photometric!r} not supported')


cdef bytes _pixel_format(str kind, int samples, int photometric, hasalpha):
    """Return the pixel format GUID for an image of kind and samples."""
    if samples == 1:
        return _GRAY[kind]
    if kind in ('f2', 'f4') or (samples in (3, 4) and photometric in
                                (-1, _RGB_)):
        # RGB images of 4 samples always carry alpha
        guid = _RGB.get((kind, samples))
        if guid is None:
            raise ValueError(
                f'no JPEG XR pixel format for {samples} samples of {kind}')
        return guid
    if kind == 'b1':
        raise ValueError('no JPEG XR pixel format for bool samples')
    if photometric == _SEPARATED and samples in (4, 5):
        return _CMYK[(kind, samples)]
    if samples == 4 and photometric == _MINISBLACK:
        hasalpha = True
    if samples == 9:
        hasalpha = True
    if hasalpha and 4 <= samples <= 9:
        return _guid(_NCH_ALPHA[kind] + samples - 1)
    if 3 <= samples <= 8:
        return _guid(_NCH[kind] + samples)
    raise ValueError(f'no JPEG XR pixel format for {samples} samples')


cdef tuple _quality(level):
    """Return the image quality in (0, 1], 1 for lossless."""
    if level is None:
        return (1.0,)
    quality = float(level)
    if quality > 1.0:
        quality /= 100.0  # a percentage
    if quality <= 0.0 or quality >= 1.0:
        return (1.0,)
    return (quality,)


# The quantizer of the lowest quality per bit depth; quantizers fall to
# 1 (lossless) as the quality rises to 1. jxrlib's own tables differ in
# detail; this keeps one quantizer for all channels.
_QP_SPAN = {BD_8: 90, BD_16: 220, BD_16S: 220, BD_16F: 160, BD_32S: 220,
            BD_32F: 220}


cdef int _qp(double quality, int bitdepth):
    if quality >= 1.0:
        return 1
    if bitdepth == BD_1:
        return <int> (8.0 - 5.0 * quality + 0.5)
    return max(1, min(255, <int> (1.5 + _QP_SPAN[bitdepth]
                                  * (1.0 - quality))))


# -- encoding ----------------------------------------------------------------

def jpegxr_encode(data, level=None, photometric=None, hasalpha=None,
                  resolution=None, out=None):
    """Return JPEG XR encoded image.

    data: bool (height, width), or uint8, uint16, float16 or float32
    (height, width[, samples]) array. Three or four samples are RGB and
    RGBA, unless photometric is 'CMYK' (four samples; five with alpha)
    or gray ('MINISBLACK': n channels); 5 to 9 samples are n channels, the
    last one alpha if hasalpha.
    level: quality in (0, 1) or a percentage; None, 0, 1 or 100 (default)
    is lossless.
    photometric: TIFF photometric interpretation, a name or number.
    resolution: (x, y) dots per inch, default (96, 96).
    """
    cdef imcd_jpegxr_info info
    cdef const uint8_t* pixels
    cdef const uint8_t* guidptr
    cdef uint8_t* encoded = NULL
    cdef Py_ssize_t size
    cdef Output dst
    cdef size_t stride
    cdef int32_t width, height
    cdef int qp, qpalpha, overlap, colorformat
    cdef float resx = 96.0, resy = 96.0

    image = numpy.asarray(data)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim not in (2, 3) or image.size == 0 or (
            image.dtype.char not in '?BHef') or (
            image.dtype == bool and image.ndim != 2):
        raise _JpegxrValueError(
            f'JPEG XR cannot encode {image.dtype} {image.shape} arrays')
    if image.shape[0] > 0x7FFFFFFF or image.shape[1] > 0x7FFFFFFF:
        raise _JpegxrValueError(f'image too large: {image.shape}')
    kind = 'b1' if image.dtype == bool else (
        f'{image.dtype.kind}{image.dtype.itemsize}')
    samples = 1 if image.ndim == 2 else image.shape[2]
    photo = _photometric(photometric)
    try:
        guid = _pixel_format(kind, samples, photo, hasalpha)
    except (KeyError, ValueError) as exc:
        raise _JpegxrValueError(str(exc)) from None
    if resolution is not None:
        resx, resy = (float(v) for v in resolution)

    if kind == 'b1':
        image = numpy.packbits(image, axis=1)  # MSB first, rows padded
    elif image.dtype.byteorder == '>' or not image.flags.c_contiguous:
        image = numpy.ascontiguousarray(image, image.dtype.newbyteorder('='))
    height, width = image.shape[0], data.shape[1] if kind == 'b1' else (
        image.shape[1])
    stride = image.strides[0]
    pixels = <const uint8_t*> <size_t> image.ctypes.data

    guidptr = guid
    check(imcd_jpegxr_format(guidptr, &info), JpegxrError)
    quality = _quality(level)[0]
    qp = _qp(quality, info.bitdepth)
    qpalpha = 1
    # overlap filtering smooths block edges of lossy images
    overlap = OL_NONE if quality >= 1.0 else OL_ONE
    # jxrlib's internal colour format for the pixel format
    if info.photometric == PK_PI_NCH:
        colorformat = NCOMPONENT
    elif info.channels == 1:
        colorformat = Y_ONLY
    elif info.photometric == PK_PI_CMYK:
        colorformat = CMYK
    else:
        colorformat = YUV_444
    with nogil:
        size = imcd_jpegxr_encode(pixels, stride, width, height, guidptr, qp,
                                  qpalpha, overlap, colorformat, resx, resy,
                                  &encoded)
    try:
        check(size, JpegxrError)
        dst = output(out, size, JpegxrError)
        with nogil:
            memcpy(dst.ptr, encoded, size)
        return dst.finish(size)
    finally:
        imcd_jpegxr_free(encoded)


# -- decoding ----------------------------------------------------------------

_DTYPES = {BD_1: 'u1', BD_8: 'u1', BD_16: 'u2', BD_16S: 'i2', BD_16F: 'f2',
           BD_32: 'u4', BD_32S: 'i4', BD_32F: 'f4', BD_5: 'u2', BD_565: 'u2',
           BD_10: 'u4'}
# fractional bits of the fixed point formats
_FRACTION = {BD_16S: 13, BD_32S: 24}


def jpegxr_decode(data, fp2int=False, out=None):
    """Return decoded JPEG XR image as array.

    Gray images are (height, width), others (height, width, channels),
    alpha last; BGR formats are returned as RGB; padding is dropped.
    Fixed point formats are returned as float32, or with fp2int as the
    int16 or int32 they store.
    """
    cdef Input src = readable(data)
    cdef imcd_jpegxr_info info
    cdef Py_ssize_t ret
    cdef uint8_t* buffer
    cdef size_t stride, bufsize

    with nogil:
        ret = imcd_jpegxr_info_get(src.ptr, <size_t> src.size, &info)
    check(ret, JpegxrError)
    height, width, channels = info.height, info.width, info.channels
    if info.bitdepth in (BD_5, BD_565, BD_10):
        # packed RGB: one word a pixel, returned as it is
        dtype = numpy.dtype(_DTYPES[info.bitdepth])
        shape = (height, width)
        samples = 1
    else:
        dtype = numpy.dtype(_DTYPES[info.bitdepth])
        samples = 1 if info.bitdepth == BD_1 else (
            info.bits // (8 * dtype.itemsize))
        shape = (height, width) if channels == 1 else (
            height, width, channels)
    if info.bitdepth == BD_1:
        stride = (width + 7) // 8
    else:
        stride = width * samples * dtype.itemsize
    direct = (info.bitdepth != BD_1 and samples == channels
              and not info.bgr and (fp2int or info.bitdepth not in _FRACTION))
    if direct:
        result = new_array(out, shape, dtype, JpegxrError, source=data)
        raw = result
    else:
        raw = numpy.empty(height * stride, numpy.uint8)
    buffer = <uint8_t*> <size_t> raw.ctypes.data
    bufsize = raw.nbytes
    with nogil:
        ret = imcd_jpegxr_decode(src.ptr, <size_t> src.size, buffer, bufsize,
                                 stride)
    check(ret, JpegxrError)
    if direct:
        return result

    if info.bitdepth == BD_1:
        rows = raw.reshape(height, stride)
        image = numpy.unpackbits(rows, axis=1, count=width).view(bool)
    else:
        image = raw.view(dtype).reshape(height, width, samples)
        if samples != channels:
            image = image[..., :channels]
        if info.bgr:
            image = image[..., [2, 1, 0] + list(range(3, channels))]
        if channels == 1:
            image = image[..., 0]
        if not fp2int and info.bitdepth in _FRACTION:
            image = image.astype(numpy.float32) / numpy.float32(
                1 << _FRACTION[info.bitdepth])
    result = new_array(out, image.shape, image.dtype, JpegxrError,
                       source=data)
    result[...] = image
    return result


# the names of the 2024 interface
jxr_encode = jpegxr_encode
jxr_decode = jpegxr_decode
