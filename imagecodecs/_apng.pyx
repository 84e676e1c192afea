# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""APNG codec over libpng with the APNG patch.

Decodes all images of a file into one array, composited as the frames'
blend and dispose operations say, or one frame alone; encodes a stack of
frames. The libpng calls live in imagecodecs/_c/pngcodec.c, shared with
the PNG codec.
"""

from imagecodecs._exceptions import ApngError

include '_pngcommon.pxi'

# default frame delay in milliseconds, as the reference writes
cdef int DEFAULT_DELAY = 1000


class APNG:
    """APNG codec constants."""

    available = True
    COLOR_TYPE = COLOR_TYPE
    COMPRESSION = COMPRESSION
    STRATEGY = STRATEGY
    FILTER = FILTER


def apng_version():
    """Return the version of libpng with the APNG patch."""
    return f'libpng_apng {PNG_LIBPNG_VER_STRING.decode()}'


def apng_check(data):
    """Return whether data starts with the PNG signature."""
    return _is_png(readable(data))


cdef bint _gray(photometric) except -1:
    """Return whether photometric says the samples are gray, without a
    samples axis: 3-D data are then frames of gray images."""
    if photometric is None:
        return False
    if isinstance(photometric, str):
        name = photometric.upper()
        if name in ('GRAY', 'MINISBLACK'):
            return True
        if name in ('RGB', 'RGBA', 'GRAY_ALPHA', 'RGB_ALPHA'):
            return False
    elif isinstance(photometric, int) and not photometric is True:
        if photometric in (-1, 0, 2, 4, 6):
            return photometric == 0
    raise error_as(ApngError, ValueError)(
        f'photometric={photometric!r} not supported')


def apng_encode(data, level=None, strategy=None, filter=None,
                photometric=None, delay=None, out=None):
    """Return APNG file of uint8 or uint16 frames.

    Shapes: (frames, height, width, samples) with 1 to 4 samples;
    (height, width, samples) one image, unless samples > 4 or photometric
    is GRAY (APNG.COLOR_TYPE.GRAY or 'minisblack'): then (frames, height,
    width) gray; (height, width) one gray image. One frame makes a plain
    PNG file.
    delay: frame delay in milliseconds, 1 to 65535 (default 1000).
    level, strategy, filter: as for png_encode.
    """
    data = _sample_array(data, ApngError)
    shape = data.shape
    gray = _gray(photometric)
    if data.ndim == 2:
        shape = (1,) + shape + (1,)
    elif data.ndim == 3:
        if gray or shape[2] > 4:
            shape = shape + (1,)
        else:
            shape = (1,) + shape
    elif data.ndim != 4:
        raise error_as(ApngError, ValueError)(
            f'{data.ndim} dimensions not supported')
    if delay is None:
        delay = DEFAULT_DELAY
    delay = max(int(delay), 1)
    if delay > 65535:
        raise error_as(ApngError, OverflowError)(
            f'delay {delay} ms too large for APNG')
    frames = shape[0]
    return _encode(data, frames, shape[1], shape[2], shape[3], level,
                   strategy, filter, frames > 1, delay, out, ApngError)


def apng_decode(data, index=None, out=None):
    """Return decoded APNG frames.

    All images of the file, a hidden default image first, composited as
    the frames' blend and dispose operations say: (frames, height, width,
    samples), without the frames axis for a single image and without the
    samples axis for gray. index >= 0: that image alone, its frame region
    on a zero canvas, without blending or disposal.
    """
    if index is not None:
        index = int(index)
    return _decode(data, True, index, out, ApngError)
