# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""EER codec: Electron Event Representation of Falcon detectors (decode).

TIFF files of Thermo Fisher store each frame as one strip of EER codes;
compression 65000 uses codes of (8, 2, 2) bits, 65001 (7, 2, 2).
"""

import numbers
import operator

import numpy

from imagecodecs._shared cimport (
    Input, readable, check, new_array, IMCD_CORRUPT,
)
from imagecodecs._exceptions import EerError, error_as
from imagecodecs import imcd_version

from libc.stdint cimport uint8_t

cdef extern from 'eer.h' nogil:
    int IMCD_EER_SET
    int IMCD_EER_COUNT8
    int IMCD_EER_COUNT16
    Py_ssize_t imcd_eer_decode(const uint8_t* src, Py_ssize_t srcsize,
                               uint8_t* dst, Py_ssize_t dstsize,
                               Py_ssize_t height, Py_ssize_t width,
                               int rlebits, int horzbits, int vertbits,
                               int superres, int mode)


# Where the reference raises a builtin exception for bad arguments: `except
# CodecError` and the builtin both catch these.
_EerValueError = error_as(EerError, ValueError)
_EerTypeError = error_as(EerError, TypeError)
_EerNegativeError = error_as(_EerValueError, OverflowError)


class EER:
    """EER codec constants."""

    available = True


def eer_version():
    """Return the version of the EER codec."""
    return imcd_version()


def eer_check(data):
    """Return None: EER streams carry no signature."""
    return None


def eer_encode(data, out=None):
    """Raise NotImplementedError: EER is decode-only."""
    raise NotImplementedError('eer_encode')


def eer_decode(data, shape, rlebits=None, horzbits=None, vertbits=None,
               superres=False, out=None, *, skipbits=None):
    """Return decoded EER frame as bool array of `shape` (height, width).

    `rlebits` (`skipbits` in the 2026 interface, either name, not both),
    `horzbits` and `vertbits` are the sizes of the code fields: the run of
    pixels without event and the sub-pixel position of an event.

    `superres` (a bool or a level) gives each detector pixel 2**level
    output pixels in each direction, the level limited to the size of the
    direction's sub-pixel field: `shape` is the output's, a multiple of
    (2**vertbits, 2**horzbits) like the reference's. Each event sets one
    pixel, which the high bits of the sub-pixel fields select.

    The events are added to `out` if given (not cleared, so that frames can
    be summed): a bool array is set where events are, uint8, int8 and
    uint16 arrays count them (modulo their range); other writable buffers
    are taken as bool.
    """
    cdef Input src
    cdef uint8_t[::1] view
    cdef uint8_t* dst = NULL
    cdef Py_ssize_t height, width, size
    cdef int rle, horz, vert, level, mode = IMCD_EER_SET
    if (rlebits is None) == (skipbits is None):
        raise _EerTypeError(
            'eer_decode needs rlebits or skipbits (the same), not '
            + ('both' if skipbits is not None else 'neither'))
    if horzbits is None or vertbits is None:
        raise _EerTypeError('eer_decode needs horzbits and vertbits')
    rle = _integer(rlebits if skipbits is None else skipbits, 'skipbits')
    horz = _integer(horzbits, 'horzbits')
    vert = _integer(vertbits, 'vertbits')
    level = _integer(superres, 'superres')
    # the reference's range of code sizes
    if not (1 < rle < 15 and 0 < horz < 5 and 0 < vert < 5
            and 8 < rle + horz + vert < 17):
        raise _EerValueError(
            f'EER code of {rle}, {horz}, {vert} bits not supported'
        )
    try:
        height, width = (_integer(n, 'shape') for n in shape)
    except (TypeError, ValueError):
        if isinstance(shape, (tuple, list)) and len(shape) == 2:
            raise
        raise _EerValueError(f'invalid shape {shape!r}') from None
    if height < 0 or width < 0:
        raise _EerValueError(f'invalid shape {tuple(shape)}')
    if level and (height % (1 << vert) or width % (1 << horz)):
        raise _EerValueError(
            f'shape {tuple(shape)} not compatible with superresolution'
        )
    if out is not None and out is data:
        raise _EerValueError('cannot decode in place')
    src = readable(data)
    if out is None:
        result = numpy.zeros((height, width), numpy.bool_)
    elif isinstance(out, numpy.ndarray):
        if out.dtype == numpy.uint16:
            mode = IMCD_EER_COUNT16
        elif out.dtype in (numpy.uint8, numpy.int8):
            mode = IMCD_EER_COUNT8
        elif out.dtype != numpy.bool_:
            raise _EerValueError(
                f'out must be bool, uint8, int8 or uint16, not {out.dtype}')
        result = new_array(out, (height, width), out.dtype, _EerValueError)
    else:
        result = new_array(out, (height, width), numpy.bool_, _EerValueError)
    view = result.reshape(-1).view(numpy.uint8)
    if view.shape[0] > 0:
        dst = &view[0]
    with nogil:
        size = imcd_eer_decode(src.ptr, src.size, dst, view.shape[0], height,
                               width, rle, horz, vert, level, mode)
    if size == IMCD_CORRUPT:
        raise EerError('corrupt EER stream: event or run beyond the image')
    check(size, EerError)
    return result


cdef Py_ssize_t _integer(object value, str name) except? -1:
    """Return a non-negative integer; integral floats pass as the
    reference's."""
    cdef Py_ssize_t result
    try:
        result = operator.index(value)
    except TypeError:
        if not (isinstance(value, numbers.Real)
                and float(value).is_integer()):
            raise _EerTypeError(
                f'{name} must be an integer, not {value!r}') from None
        result = int(value)
    if result < 0:
        raise _EerNegativeError(f'{name} must not be negative, not {value}')
    return result
