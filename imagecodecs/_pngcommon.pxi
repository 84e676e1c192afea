# SPDX-License-Identifier: BSD-3-Clause
# The part of the PNG and APNG modules (_png.pyx, _apng.pyx) that both
# include: enums, encoder settings and the calls of the C glue in
# imagecodecs/_c/pngcodec.c, which holds everything that touches libpng.

import enum

import numpy

from libc.stdint cimport uint8_t, uint16_t, uint32_t, int64_t
from libc.string cimport memcmp

from imagecodecs._shared cimport (
    Input, Output, readable, output, new_array, IMCD_MEMORY,
    imcd_status_message,
)
from imagecodecs._exceptions import error_as
from imagecodecs.libs.png cimport *


class COLOR_TYPE(enum.IntEnum):
    """PNG color types the encoder writes."""

    GRAY = PNG_COLOR_TYPE_GRAY
    GRAY_ALPHA = PNG_COLOR_TYPE_GRAY_ALPHA
    RGB = PNG_COLOR_TYPE_RGB
    RGB_ALPHA = PNG_COLOR_TYPE_RGB_ALPHA


class COMPRESSION(enum.IntEnum):
    """zlib compression levels."""

    DEFAULT = Z_DEFAULT_COMPRESSION
    NO = Z_NO_COMPRESSION
    BEST = Z_BEST_COMPRESSION
    SPEED = Z_BEST_SPEED


class STRATEGY(enum.IntEnum):
    """zlib compression strategies."""

    DEFAULT = Z_DEFAULT_STRATEGY
    FILTERED = Z_FILTERED
    HUFFMAN_ONLY = Z_HUFFMAN_ONLY
    RLE = Z_RLE
    FIXED = Z_FIXED


class FILTER(enum.IntEnum):
    """PNG row filters the encoder may choose from (a bit mask)."""

    NO = PNG_NO_FILTERS
    NONE = PNG_FILTER_NONE
    SUB = PNG_FILTER_SUB
    UP = PNG_FILTER_UP
    AVG = PNG_FILTER_AVG
    PAETH = PNG_FILTER_PAETH
    FAST = PNG_FAST_FILTERS
    ALL = PNG_ALL_FILTERS


cdef bint _is_png(Input src) noexcept:
    return src.size >= 8 and memcmp(src.ptr, b'\x89PNG\r\n\x1a\n', 8) == 0


cdef int _member(value, kind, error) except? -1:
    """Return the code of an enum member given by name, or an int."""
    if isinstance(value, str):
        try:
            return int(kind[value.upper()])
        except KeyError:
            raise error_as(error, ValueError)(
                f'invalid {kind.__name__} {value!r}') from None
    return int(value)


cdef int _level(level, error) except? -1:
    # zlib knows -1 to 9; like the reference, other values are clamped
    if level is None:
        return IMCD_PNG_DEFAULT
    return min(max(_member(level, COMPRESSION, error), -1), 9)


cdef int _strategy(strategy, error) except? -1:
    # the reference sets zlib's default strategy where libpng would pick
    # Z_FILTERED for filtered rows; out of range values are clamped
    if strategy is None:
        return Z_DEFAULT_STRATEGY
    return min(max(_member(strategy, STRATEGY, error), 0), 4)


cdef int _filter(filter, error) except? -1:
    # a mask of FILTER bits or a filter value 1 to 4 (libpng rejects 5 to
    # 7); negative values leave libpng's choice
    if filter is None:
        return IMCD_PNG_DEFAULT
    value = _member(filter, FILTER, error)
    if value == PNG_NO_FILTERS:
        # no filtering; libpng 1.6.58 takes an empty mask for its default
        return PNG_FILTER_NONE
    return IMCD_PNG_DEFAULT if value < 0 else value


cdef object _sample_array(data, error):
    """Return data as a C-contiguous uint8 or uint16 array (either byte
    order: big-endian samples are what PNG stores)."""
    if not isinstance(data, numpy.ndarray):
        raise error_as(error, ValueError)(
            f'expected a numpy array, not {type(data).__name__}')
    if data.dtype.kind != 'u' or data.dtype.itemsize not in (1, 2):
        raise error_as(error, ValueError)(
            f'dtype {data.dtype} not supported by PNG')
    if not data.flags.c_contiguous:
        data = numpy.ascontiguousarray(data)
    return data


cdef object _encode(data, Py_ssize_t frames, Py_ssize_t height,
                    Py_ssize_t width, Py_ssize_t channels, level, strategy,
                    filter, bint animated, int delay, out, error):
    """Return the PNG (APNG if animated) file of frames of samples."""
    cdef Input src
    cdef Output dst
    cdef imcd_png_params params
    cdef Py_ssize_t bound, ret
    cdef int depth = 8 * data.dtype.itemsize
    cdef char message[256]
    if not 1 <= channels <= 4:
        raise error_as(error, ValueError)(
            f'{channels} samples per pixel not supported by PNG')
    if height == 0 or width == 0 or frames == 0:
        raise error_as(error, ValueError)('PNG cannot hold an empty image')
    if height > 0x7FFFFFFF or width > 0x7FFFFFFF:
        raise error_as(error, ValueError)('image too large for PNG')
    params.level = _level(level, error)
    params.strategy = _strategy(strategy, error)
    params.filter = _filter(filter, error)
    params.swap = depth == 16 and not (
        data.dtype.byteorder == '>' or (data.dtype.byteorder == '='
                                        and numpy.little_endian is False))
    params.animated = animated
    params.delay = delay
    src = readable(data)
    bound = imcd_png_encode_bound(frames, <uint32_t> height,
                                  <uint32_t> width, <int> channels, depth)
    if bound < 0:
        raise MemoryError('image too large')
    dst = output(out, bound, error, False)
    with nogil:
        ret = imcd_png_encode(src.ptr, frames, <uint32_t> height,
                              <uint32_t> width, <int> channels, depth,
                              &params, dst.ptr, dst.size, message)
    if ret == IMCD_MEMORY:
        raise MemoryError('out of memory')
    if ret < 0:
        raise error(message.decode(errors='replace')
                    or imcd_status_message(ret).decode())
    return dst.finish(ret)


cdef int _raise(Py_ssize_t status, imcd_png_reader* reader,
                error) except -1:
    if status >= 0:
        return 0
    if status == IMCD_MEMORY:
        raise MemoryError(imcd_png_reader_message(reader).decode(
            errors='replace'))
    raise error(imcd_png_reader_message(reader).decode(errors='replace'))


cdef object _decode(data, bint animated, index, out, error):
    """Return the decoded image, or APNG frames (all or one) if animated."""
    cdef Input src = readable(data)
    cdef imcd_png_reader* reader = NULL
    cdef imcd_png_info info
    cdef Output dst
    cdef Py_ssize_t ret
    cdef int64_t frame = -1
    cdef tuple shape
    if data is out and out is not None:
        raise ValueError('cannot decode in place')
    if not _is_png(src):
        raise error_as(error, ValueError)('not a PNG image')
    try:
        with nogil:
            ret = imcd_png_reader_open(&reader, src.ptr, src.size, animated,
                                       &info)
        _raise(ret, reader, error)
        if index is not None and index >= 0:
            if index >= info.frames:
                raise error_as(error, IndexError)(
                    f'index {index} out of range [0, {info.frames}]')
            frame = index
        shape = (info.height, info.width)
        if info.channels > 1:
            shape += (info.channels,)
        if frame < 0 and info.frames > 1:
            shape = (info.frames,) + shape
        result = new_array(out, shape,
                           numpy.uint8 if info.depth == 8 else numpy.uint16,
                           error, data)
        dst = output(result, result.nbytes, error)
        with nogil:
            if animated:
                ret = imcd_apng_reader_frames(reader, frame, dst.ptr,
                                              dst.size)
            else:
                ret = imcd_png_reader_image(reader, dst.ptr, dst.size)
        _raise(ret, reader, error)
        return result
    finally:
        imcd_png_reader_close(reader)
