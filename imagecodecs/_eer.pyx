# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""EER codec: Electron Event Representation of Falcon detectors (decode).

TIFF files of Thermo Fisher store each frame as one strip of EER codes;
compression 65000 uses codes of (8, 2, 2) bits, 65001 (7, 2, 2).
"""

import numpy

from imagecodecs._shared cimport (
    Input, readable, check, new_array, IMCD_CORRUPT,
)
from imagecodecs._exceptions import EerError
from imagecodecs import imcd_version

from libc.stdint cimport uint8_t

cdef extern from 'eer.h' nogil:
    Py_ssize_t imcd_eer_decode(const uint8_t* src, Py_ssize_t srcsize,
                               uint8_t* dst, Py_ssize_t dstsize,
                               Py_ssize_t height, Py_ssize_t width,
                               int rlebits, int horzbits, int vertbits,
                               int superres)


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


def eer_decode(data, shape, rlebits, horzbits, vertbits, superres=False,
               out=None):
    """Return decoded EER frame as bool array of `shape` (height, width).

    `rlebits`, `horzbits` and `vertbits` are the sizes of the code fields:
    the run of pixels without event and the sub-pixel position of an event.
    With `superres`, `shape` is twice the detector's size in each direction
    (and, like the reference, a multiple of 2**vertbits, 2**horzbits) and
    each event sets one pixel of a 2x2 block. `out`, if given, is
    overwritten.
    """
    cdef Input src
    cdef uint8_t[::1] view
    cdef uint8_t* dst = NULL
    cdef Py_ssize_t height, width, size
    cdef int rle, horz, vert, sres = bool(superres)
    rle, horz, vert = int(rlebits), int(horzbits), int(vertbits)
    # the reference's range of code sizes
    if not (1 < rle < 15 and 0 < horz < 5 and 0 < vert < 5
            and 8 < rle + horz + vert < 17):
        raise ValueError(
            f'EER code of {rle}, {horz}, {vert} bits not supported'
        )
    height, width = (int(n) for n in shape)
    if height < 0 or width < 0:
        raise ValueError(f'invalid shape {tuple(shape)}')
    if sres and (height % (1 << vert) or width % (1 << horz)):
        raise ValueError(
            f'shape {tuple(shape)} not compatible with superresolution'
        )
    if out is not None and out is data:
        raise ValueError('cannot decode in place')
    src = readable(data)
    result = new_array(out, (height, width), numpy.bool_, EerError)
    view = result.reshape(-1).view(numpy.uint8)
    if view.shape[0] > 0:
        dst = &view[0]
    with nogil:
        size = imcd_eer_decode(src.ptr, src.size, dst, view.shape[0], height,
                               width, rle, horz, vert, sres)
    if size == IMCD_CORRUPT:
        raise EerError('corrupt EER stream: event or run beyond the image')
    check(size, EerError)
    return result
