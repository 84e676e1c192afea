# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""LJPEG and JPEGSOF3 codecs: lossless JPEG (ITU-T T.81 process SOF3).

Both decode with the same C decoder; they differ only in reading the
predictor selection 0, which T.81 reserves for hierarchical mode: LJPEG
takes it as no prediction, JPEGSOF3 as predictor 1 (the reference
implementations of the two codecs do so and DNG files exist with either).
"""

import numpy

from imagecodecs._shared cimport (
    Input, Output, readable, output, check, new_array,
)
from imagecodecs._exceptions import LjpegError, Jpegsof3Error
from imagecodecs import imcd_version

from libc.stdint cimport uint8_t, uint16_t

from imagecodecs.libs.imcd_ljpeg cimport *


class LJPEG:
    """LJPEG codec constants."""

    available = True


class JPEGSOF3:
    """JPEGSOF3 codec constants."""

    available = True


def ljpeg_version():
    """Return the version of the LJPEG codec."""
    return imcd_version()


def jpegsof3_version():
    """Return the version of the JPEGSOF3 codec."""
    return imcd_version()


def ljpeg_check(data):
    """Return None: like the reference, do not test for a signature."""
    return None


def jpegsof3_check(data):
    """Return None: like the reference, do not test for a signature."""
    return None


def ljpeg_decode(data, linearize=None, out=None):
    """Return decoded lossless JPEG image.

    The result has shape (height, width) or (height, width, components),
    dtype uint8 up to 8 bits per sample, else uint16. `linearize`, a
    uint16 lookup table (DNG LinearizationTable), maps decoded values;
    the result is then uint16.
    """
    return _decode(data, linearize, out, 0, LjpegError)


def jpegsof3_decode(data, out=None):
    """Return decoded lossless JPEG image (see ljpeg_decode)."""
    return _decode(data, None, out, IMCD_LJPEG_PRED0_AS_RA, Jpegsof3Error)


def jpegsof3_encode(*args, **kwargs):
    """Raise NotImplementedError: JPEGSOF3 is decode-only."""
    raise NotImplementedError('jpegsof3_encode')


def ljpeg_encode(data, bitspersample=None, delinearize=None, out=None):
    """Return lossless JPEG encoded image.

    `data` is a uint8 or uint16 array of shape (height, width) or
    (height, width, components) with up to 4 components. `bitspersample`
    (2 to 16, at most 8 for uint8) defaults to the dtype's size.
    `delinearize`, a uint16 lookup table, maps values before encoding:
    the inverse of the `linearize` table that restores them.
    """
    cdef Input src, table
    cdef Output dst
    cdef const uint16_t* lut = NULL
    cdef Py_ssize_t lutsize = 0, height, width, size, samples
    cdef int components, precision, itemsize
    data = numpy.asarray(data)
    if (
        data.dtype.char not in 'BH'
        or data.ndim not in (2, 3)
        or (data.ndim == 3 and not 1 <= data.shape[2] <= 4)
    ):
        raise ValueError(f'invalid data shape {data.shape} or dtype '
                         f'{data.dtype}: need uint8 or uint16 (height, '
                         'width[, 1 to 4 components])')
    data = numpy.ascontiguousarray(data, data.dtype.newbyteorder('='))
    height = data.shape[0]
    width = data.shape[1]
    components = data.shape[2] if data.ndim == 3 else 1
    itemsize = data.itemsize
    if height > 65535 or width > 65535:
        raise ValueError(f'image too large for JPEG: {data.shape}')
    if delinearize is not None:
        table = _table(delinearize, 'delinearize')
        lut = <const uint16_t*> table.ptr
        lutsize = table.size // 2
    if bitspersample is None:
        precision = 16 if itemsize == 2 or lut != NULL else 8
    else:
        precision = bitspersample
        if not 2 <= precision <= 16:
            raise ValueError(f'invalid bitspersample {bitspersample}')
        if itemsize == 1 and lut == NULL:
            precision = min(precision, 8)  # like the reference
    samples = height * width * components
    src = readable(data)
    # a guess that fits any usual image; grow to the worst case if not
    size = samples * (precision + 4) // 8 + samples // 64 + 1024
    dst = output(out, size, LjpegError, False)
    while True:
        with nogil:
            size = imcd_ljpeg_encode(src.ptr, itemsize, height, width,
                                     components, precision, lut, lutsize,
                                     dst.ptr, dst.size)
        if size != IMCD_OUTPUT_TOO_SMALL or not dst.growable:
            break
        bound = imcd_ljpeg_encode_bound(samples, precision)
        if dst.size >= bound:
            break
        dst.grow(bound)
    if size == IMCD_VALUE:
        raise ValueError(f'data value exceeds {precision} bits per sample '
                         'or the delinearize table')
    return dst.finish(check(size, LjpegError))


cdef Input _table(object lut, str name):
    """Return the bytes of a one-dimensional uint16 lookup table."""
    lut = numpy.asarray(lut)
    if lut.ndim != 1 or lut.dtype.char != 'H' or lut.size == 0:
        raise ValueError(f'{name} must be a non-empty 1-D uint16 array')
    return readable(numpy.ascontiguousarray(lut, lut.dtype.newbyteorder('=')))


cdef object _decode(object data, object linearize, object out, int flags,
                    object error):
    """Decode lossless JPEG; the common body of the public decoders."""
    cdef Input src = readable(data)
    cdef Input table
    cdef Output dst
    cdef const uint16_t* lut = NULL
    cdef Py_ssize_t lutsize = 0, size
    cdef imcd_ljpeg_info info
    cdef int itemsize
    with nogil:
        size = imcd_ljpeg_info_read(src.ptr, src.size, &info)
    check(size, error)
    if linearize is not None:
        table = _table(linearize, 'linearize')
        lut = <const uint16_t*> table.ptr
        lutsize = table.size // 2
    itemsize = 1 if info.precision <= 8 and lut == NULL else 2
    if info.components == 1:
        shape = (info.height, info.width)
    else:
        shape = (info.height, info.width, info.components)
    result = new_array(out, shape, numpy.uint8 if itemsize == 1
                       else numpy.uint16, error)
    dst = output(result, result.nbytes, error)
    with nogil:
        size = imcd_ljpeg_decode(src.ptr, src.size, dst.ptr, dst.size,
                                 itemsize, lut, lutsize, flags)
    if size == IMCD_VALUE:
        raise error('decoded value exceeds the linearize table')
    check(size, error)
    return result
