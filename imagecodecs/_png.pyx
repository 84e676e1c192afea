# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""PNG codec over libpng.

Decoding expands palettes, bit depths below 8 and tRNS transparency, as the
reference does: images come back as uint8 or uint16 gray, gray+alpha, RGB
or RGBA. The libpng calls live in imagecodecs/_c/pngcodec.c, shared with
the APNG codec.
"""

from imagecodecs._exceptions import PngError

include '_pngcommon.pxi'


class PNG:
    """PNG codec constants."""

    available = True
    COLOR_TYPE = COLOR_TYPE
    COMPRESSION = COMPRESSION
    STRATEGY = STRATEGY
    FILTER = FILTER


def png_version():
    """Return the version of libpng."""
    return f'libpng {PNG_LIBPNG_VER_STRING.decode()}'


def png_check(data):
    """Return whether data starts with the PNG signature."""
    return _is_png(readable(data))


def png_encode(data, level=None, strategy=None, filter=None, out=None):
    """Return PNG file of uint8 or uint16 image.

    Shapes: (height, width) gray, (height, width, samples) with 1 to 4
    samples: gray, gray+alpha, RGB or RGBA.
    level: zlib level -1 to 9 (PNG.COMPRESSION), default libpng's.
    strategy: zlib strategy (PNG.STRATEGY), default DEFAULT.
    filter: PNG.FILTER mask of row filters to choose from, default ALL
    (libpng's choice). For fast encoding: level=1, strategy=3, filter=16.
    """
    data = _sample_array(data, PngError)
    shape = data.shape
    if data.ndim == 2:
        shape = shape + (1,)
    elif data.ndim != 3:
        raise error_as(PngError, ValueError)(
            f'{data.ndim} dimensions not supported by PNG')
    return _encode(data, 1, shape[0], shape[1], shape[2], level, strategy,
                   filter, False, 0, out, PngError)


def png_decode(data, out=None):
    """Return decoded PNG image (of an APNG file, its IDAT image)."""
    return _decode(data, False, None, out, PngError)
