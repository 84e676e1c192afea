# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""BMP codec: Windows bitmap files."""

import numpy

from imagecodecs._shared cimport (
    Input, Output, readable, output, check, new_array,
)
from imagecodecs._exceptions import BmpError
from imagecodecs import imcd_version

from libc.stdint cimport uint8_t, uint32_t, int32_t

cdef extern from 'bmp.h' nogil:
    int IMCD_MEMORY
    int IMCD_CORRUPT
    int IMCD_BMP_JPEG
    int IMCD_BMP_PNG
    int IMCD_BMP_INDEX
    int IMCD_BMP_GRAY
    int IMCD_BMP_PALETTE

    ctypedef struct imcd_bmp_info:
        Py_ssize_t width
        Py_ssize_t height
        Py_ssize_t offset
        Py_ssize_t datasize
        uint32_t compression
        int bitcount
        int samples
        int graypalette
        const char* message

    Py_ssize_t imcd_bmp_info_read(const uint8_t* src, Py_ssize_t srcsize,
                                  imcd_bmp_info* info)
    Py_ssize_t imcd_bmp_decode(const uint8_t* src, Py_ssize_t srcsize,
                               const imcd_bmp_info* info, int mode,
                               uint8_t* dst, Py_ssize_t dstsize)
    Py_ssize_t imcd_bmp_encoded_size(Py_ssize_t height, Py_ssize_t width,
                                     int samples)
    Py_ssize_t imcd_bmp_encode(const uint8_t* src, Py_ssize_t height,
                               Py_ssize_t width, int samples, int32_t ppm,
                               uint8_t* dst, Py_ssize_t dstsize)


class BMP:
    """BMP codec constants."""

    available = True


def bmp_version():
    """Return the version of the BMP codec."""
    return imcd_version()


def bmp_check(data):
    """Return whether data starts with the signature and headers of a BMP.

    Like the reference, data of 54 bytes (the headers alone) or less is
    not taken for a BMP.
    """
    cdef Input src = readable(data)
    return src.size > 54 and src.ptr[0] == b'B' and src.ptr[1] == b'M'


def bmp_encode(data, ppm=None, out=None):
    """Return BMP file of uint8 image.

    (height, width) or (height, width, 1) gray images are written as 8-bit
    with a gray palette, (height, width, 3) RGB as 24-bit and
    (height, width, 4) RGBA as 32-bit bit fields with a BITMAPV4HEADER.
    `ppm`, the horizontal and vertical resolution in pixels per meter,
    defaults to 3780 (96 dpi); values below 1 are written as 1.
    """
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t height, width, size
    cdef int samples
    cdef int32_t resolution
    data = numpy.asarray(data)
    if data.dtype != numpy.uint8 or not (
        data.ndim == 2 or (data.ndim == 3 and data.shape[2] in (1, 3, 4))
    ):
        raise ValueError(f'invalid data shape {data.shape} or dtype '
                         f'{data.dtype}: need uint8 (height, width[, 1, 3 '
                         'or 4 samples])')
    if ppm is None:
        ppm = 3780
    ppm = max(1, int(ppm))
    if ppm > 2147483647:
        raise ValueError(f'ppm {ppm} does not fit the 32-bit field')
    resolution = ppm
    height = data.shape[0]
    width = data.shape[1]
    samples = 1 if data.ndim == 2 else data.shape[2]
    size = imcd_bmp_encoded_size(height, width, samples)
    if size < 0:
        raise ValueError(f'image of shape {data.shape} too large for BMP')
    src = readable(numpy.ascontiguousarray(data))
    dst = output(out, size, BmpError)
    with nogil:
        size = imcd_bmp_encode(src.ptr, height, width, samples, resolution,
                               dst.ptr, dst.size)
    return dst.finish(check(size, BmpError))


def bmp_decode(data, asrgb=None, out=None):
    """Return decoded BMP image as uint8 array.

    Direct-color images (16, 24 and 32-bit) decode to (height, width, 3)
    RGB, or RGBA if their bit fields have an alpha mask. Palette images
    (1, 4 and 8-bit) decode, like the reference, to:

    - asrgb=True: (height, width, 3) palette colors.
    - asrgb=False: (height, width), the palette indices for 8-bit images,
      the palette entries' red component for 1 and 4-bit images.
    - asrgb=None (default): as with False if the palette is the identity
      gray ramp (entry i is i, i, i; the two agree), else as with True.

    Embedded JPEG and PNG images are decoded by the jpeg8 and png codecs.
    """
    cdef Input src = readable(data)
    cdef imcd_bmp_info info
    cdef Output dst
    cdef Py_ssize_t size
    cdef int mode = IMCD_BMP_INDEX
    cdef int samples
    with nogil:
        size = imcd_bmp_info_read(src.ptr, src.size, &info)
    if size < 0:
        if size == IMCD_MEMORY:
            raise MemoryError('out of memory')
        raise BmpError(info.message.decode())
    if info.compression == IMCD_BMP_JPEG or info.compression == IMCD_BMP_PNG:
        return _decode_embedded(src, &info, out)
    samples = info.samples
    if info.bitcount <= 8:
        if asrgb or (asrgb is None and not info.graypalette):
            mode = IMCD_BMP_PALETTE
            samples = 3
        elif info.bitcount != 8:
            mode = IMCD_BMP_GRAY
    if samples == 1:
        shape = (info.height, info.width)
    else:
        shape = (info.height, info.width, samples)
    result = new_array(out, shape, numpy.uint8, BmpError)
    dst = output(result, result.nbytes, BmpError)
    with nogil:
        size = imcd_bmp_decode(src.ptr, src.size, &info, mode, dst.ptr,
                               dst.size)
    if size == IMCD_CORRUPT:
        raise BmpError('palette index out of range')
    check(size, BmpError)
    return result


cdef object _decode_embedded(Input src, imcd_bmp_info* info, object out):
    """Return the JPEG or PNG image embedded in a BMP, decoded."""
    import imagecodecs

    name = 'jpeg8' if info.compression == IMCD_BMP_JPEG else 'png'
    if not getattr(imagecodecs, name.upper()).available:
        raise BmpError(f'the embedded {name} image needs the {name} codec, '
                       'which is not available')
    view = memoryview(src.obj).cast('B')
    view = view[info.offset:info.offset + info.datasize]
    try:
        return getattr(imagecodecs, name + '_decode')(view, out=out)
    except MemoryError:
        raise
    except Exception as exc:
        raise BmpError(f'embedded {name} image: {exc}') from exc
