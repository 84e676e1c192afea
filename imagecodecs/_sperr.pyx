# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""SPERR codec over the SPERR library: lossy wavelet compression of 2-D and
3-D float32 and float64 arrays at a fixed bit rate, PSNR or point-wise error.

Streams are SPERR's own. 2-D streams optionally start with a 10-byte header
(version, flags, two uint32 sizes); 3-D streams always start with one
(version, flags, three uint32 sizes, optionally three uint16 chunk sizes,
one uint32 length per chunk). A chunk holds a 17-byte conditioner (flags,
then value count and value of a constant field, or mean and quantization
step), a SPECK stream (bit planes, uint64 bit count, bits) and optionally
an outlier stream of the same form. All little endian.

SPERR trusts these counts: wrong ones make it divide by zero, allocate
without bound, or read outside the stream. The decoder therefore checks
every header, chunk and stream length here before the library sees them.
"""

import enum
import math

import numpy

from libc.stdint cimport uint8_t, uint32_t, uint64_t
from libc.stdlib cimport free
from libc.string cimport memcpy
from libc.math cimport isfinite

from imagecodecs._shared cimport (
    Input, Output, readable, output, new_array, default_threads,
)
from imagecodecs._exceptions import SperrError, error_as
from imagecodecs.libs.sperr cimport *

# A constant or all but constant chunk takes 17 to 26 bytes whatever its
# size, so decoded sizes are bounded by a ratio only above a floor. The
# ratio is 0.002 bits per float64 value; decoding costs time in proportion
# to the size, whatever the stream holds.
cdef Py_ssize_t MAX_RATIO = 1 << 15
cdef Py_ssize_t MAX_FLOOR = 1 << 26

cdef enum:
    HEADER_2D = 10
    HEADER_3D = 14  # one chunk
    HEADER_3D_CHUNKS = 20
    CONDITIONER = 17
    SPECK_HEADER = 9
    # flags of the stream header (SPERR packs booleans from the top bit)
    FLAG_3D = 0x40
    FLAG_FLOAT = 0x20
    FLAG_CHUNKS = 0x10
    # flag of the conditioner
    FLAG_CONSTANT = 0x01
    MAX_BITPLANES = 64
    MAX_CHUNK = 65535  # chunk sizes are stored as uint16
    MAX_PSNR = 240

# SPERR cannot quantize wavelet coefficients beyond int64: tolerances must
# exceed the data's range times 2**-49 (the transform amplifies up to 2**12
# fold), and sums of values must stay finite. Past these limits it fails,
# and crashes for 3-D data; PSNR targets beyond float64 precision (about
# 340 dB) make it loop forever.
cdef double MIN_RELATIVE_TOLERANCE = 2.0 ** -49
cdef double MAX_MAGNITUDE = 1e290

_MODES = {'bpp': 1, 'psnr': 2, 'pwe': 3}


class SPERR:
    """SPERR codec constants."""

    available = True

    class MODE(enum.IntEnum):
        """SPERR quality modes."""

        BPP = 1  # fixed bits per pixel
        PSNR = 2  # fixed peak signal-to-noise ratio
        PWE = 3  # fixed point-wise error


def sperr_version():
    """Return the version of the SPERR library."""
    return (f'sperr {SPERR_VERSION_MAJOR}.{SPERR_VERSION_MINOR}.'
            f'{SPERR_VERSION_PATCH}')


def sperr_check(data):
    """Return None: SPERR streams carry no signature."""
    return None


cdef int _mode(mode) except -1:
    if isinstance(mode, str):
        if mode.lower() in _MODES:
            return _MODES[mode.lower()]
    elif mode in (1, 2, 3):
        return int(mode)
    raise ValueError(f'invalid SPERR mode {mode!r}, '
                     "expected 'bpp', 'psnr' or 'pwe'")


cdef int _is_float(dtype) except -1:
    dtype = numpy.dtype(dtype)
    if dtype.kind == 'f' and dtype.itemsize in (4, 8):
        return dtype.itemsize == 4
    raise ValueError(f'dtype {dtype} not supported by SPERR, '
                     'expected float32 or float64')


cdef object _take(void* buffer, size_t size, out):
    """Copy the library's buffer to the output and free it."""
    cdef Output dst
    try:
        dst = output(out, <Py_ssize_t> size, SperrError)
        memcpy(dst.ptr, buffer, size)
        return dst.finish(<Py_ssize_t> size)
    finally:
        free(buffer)


def sperr_encode(data, level, mode, chunks=None, header=True,
                 numthreads=None, out=None):
    """Return SPERR encoded 2-D or 3-D float32 or float64 array.

    mode: 'bpp' (level = bits per value), 'psnr' (level = peak
    signal-to-noise ratio in dB) or 'pwe' (level = maximum point-wise
    error), or a SPERR.MODE. chunks: (z, y, x) chunk shape of 3-D data
    (default: one chunk). header=False leaves the 10-byte header out of
    2-D streams; 3-D streams always have one.
    """
    array = numpy.asarray(data)
    cdef int is_float = _is_float(array.dtype)
    cdef int cmode = _mode(mode)
    cdef double quality = float(level)
    cdef int with_header = bool(header)
    cdef size_t nthreads = default_threads(numthreads)
    cdef size_t dims[3]
    cdef size_t chunk[3]
    cdef void* buffer = NULL
    cdef size_t size = 0
    cdef int ret
    cdef int i
    cdef bint planar = array.ndim == 2
    if array.ndim not in (2, 3):
        raise ValueError(f'SPERR takes 2-D or 3-D arrays, not {array.ndim}-D')
    if array.size == 0:
        raise ValueError('SPERR cannot encode an empty array')
    if any(n > 0xFFFFFFFF for n in array.shape):
        raise ValueError(f'shape {array.shape} too large for SPERR')
    if not quality > 0.0:
        raise ValueError(f'invalid SPERR level {level!r}')
    array = numpy.ascontiguousarray(array, array.dtype.newbyteorder('='))
    _check_values(array, cmode, quality)
    cdef Input src = readable(array)
    shape = array.shape[::-1] + (1,)  # x fastest
    for i in range(3):
        dims[i] = shape[i]
        chunk[i] = shape[i]
    if array.ndim == 3 and chunks is not None:
        _chunk_shape(array.shape, chunks, chunk)
    with nogil:
        if planar:
            ret = sperr_comp_2d(src.ptr, is_float, dims[0], dims[1], cmode,
                                quality, with_header, &buffer, &size)
        else:
            ret = sperr_comp_3d(src.ptr, is_float, dims[0], dims[1],
                                dims[2], chunk[0], chunk[1], chunk[2], cmode,
                                quality, nthreads, &buffer, &size)
    if ret != 0 or buffer == NULL:
        free(buffer)
        raise SperrError(f'SPERR compression failed ({ret})')
    return _take(buffer, size, out)


cdef int _check_values(array, int mode, double quality) except -1:
    """Raise unless SPERR can compress the values at this quality."""
    low = float(array.min())
    high = float(array.max())
    if not (isfinite(low) and isfinite(high)):
        raise SperrError('SPERR cannot encode NaN or infinity')
    if max(-low, high) > MAX_MAGNITUDE:
        raise ValueError(f'SPERR cannot encode values beyond {MAX_MAGNITUDE}')
    if mode == 3 and quality < (high - low) * MIN_RELATIVE_TOLERANCE:
        raise ValueError(f'SPERR tolerance {quality} below the resolution '
                         f'of values in [{low}, {high}]')
    if mode == 2 and quality > MAX_PSNR:
        raise ValueError(f'SPERR PSNR {quality} dB beyond {MAX_PSNR} dB')
    return 0


cdef int _chunk_shape(tuple shape, chunks, size_t* chunk) except -1:
    """Set the x, y, z chunk sizes from (z, y, x) chunks.

    Several chunks store their size as uint16; a chunk longer than its
    axis cuts it as the axis length does.
    """
    chunks = tuple(int(n) for n in chunks)
    if len(chunks) != 3 or min(chunks) < 1:
        raise ValueError(f'invalid SPERR chunks {chunks}')
    chunks = tuple(min(c, s) if c > MAX_CHUNK else c
                   for c, s in zip(chunks, shape))
    for i in range(3):
        chunk[i] = chunks[2 - i]
    if _count_chunks(shape[::-1], chunks[::-1]) > 1 and max(chunks) > (
            MAX_CHUNK):
        raise ValueError(f'SPERR chunks {chunks} exceed {MAX_CHUNK}')
    return 0


cdef size_t _nsegments(size_t size, size_t chunk):
    """Return how many chunks SPERR cuts an axis into.

    Chunks have the given size; the remainder is a chunk of its own if
    longer than half a chunk, else part of the last chunk.
    """
    cdef size_t n = size // chunk
    if size % chunk > chunk // 2:
        n += 1
    return n if n else 1


cdef tuple _segments(size_t size, size_t chunk):
    """Return the lengths of the chunks along an axis."""
    cdef size_t n = _nsegments(size, chunk)
    return (chunk,) * (n - 1) + (size - (n - 1) * chunk,)


cdef object _count_chunks(sizes, chunks):
    return math.prod(_nsegments(s, c) for s, c in zip(sizes, chunks))


def sperr_decode(data, shape=None, dtype=None, header=True, numthreads=None,
                 out=None):
    """Return decoded SPERR array.

    Streams with a header (all 3-D streams) give their shape and dtype;
    2-D streams without header need shape and dtype, or an `out` array.
    numthreads is ignored when SPERR is built without OpenMP.
    """
    cdef Input src = readable(data)
    cdef int is_float
    if data is out and out is not None:
        raise ValueError('cannot decode in place')
    if src.size == 0:
        raise SperrError('empty input')
    if isinstance(out, numpy.ndarray):
        shape = out.shape if shape is None else shape
        dtype = out.dtype if dtype is None else dtype
    if shape is not None:
        shape = tuple(int(n) for n in shape)
    if header or (shape is not None and len(shape) == 3):
        if src.size >= 2 and src.ptr[1] & FLAG_3D:
            return _decode_3d(src, numthreads, out)
        shape, is_float = _header_2d(src)
        return _decode_2d(src, HEADER_2D, shape, is_float, out)
    if shape is None or dtype is None:
        raise TypeError('SPERR streams without header need shape and dtype')
    if len(shape) != 2:
        raise ValueError(f'invalid shape {shape} for a 2-D SPERR stream')
    return _decode_2d(src, 0, shape, _is_float(dtype), out)


cdef inline uint32_t _u32(const uint8_t* p) noexcept nogil:
    return p[0] | (<uint32_t> p[1] << 8) | (<uint32_t> p[2] << 16) | (
        <uint32_t> p[3] << 24)


cdef inline uint64_t _u64(const uint8_t* p) noexcept nogil:
    return _u32(p) | (<uint64_t> _u32(p + 4) << 32)


cdef inline double _f64(const uint8_t* p) noexcept nogil:
    cdef uint64_t bits = _u64(p)
    cdef double value
    memcpy(&value, &bits, 8)
    return value


cdef tuple _header_2d(Input src):
    """Return shape and is_float from a 2-D stream's header."""
    cdef const uint8_t* p = src.ptr
    if src.size < HEADER_2D or p[0] != SPERR_VERSION_MAJOR:
        raise error_as(SperrError, ValueError)(
            'not a SPERR 2-D stream with header')
    shape = (int(_u32(p + 6)), int(_u32(p + 2)))
    return shape, bool(p[1] & FLAG_FLOAT)


cdef int _check_size(tuple shape, int is_float, Py_ssize_t size) except -1:
    nbytes = math.prod(shape) * (4 if is_float else 8)
    if min(shape) < 1 or nbytes > max(MAX_FLOOR, size * MAX_RATIO):
        raise SperrError(f'corrupt stream: shape {shape} from {size} bytes')
    return 0


cdef object _decode_2d(Input src, Py_ssize_t offset, tuple shape,
                       int is_float, out):
    cdef const uint8_t* p = src.ptr + offset
    cdef size_t size = src.size - offset
    cdef void* buffer = NULL
    cdef size_t dimx, dimy
    cdef Output dst
    cdef int ret
    _check_size(shape, is_float, src.size)
    dimy, dimx = shape
    if not _chunk_valid(p, size, <uint64_t> dimx * dimy):
        raise SperrError('corrupt SPERR stream')
    result = new_array(out, shape, 'f4' if is_float else 'f8', SperrError)
    dst = output(result, result.nbytes, SperrError)
    with nogil:
        ret = sperr_decomp_2d(p, size, is_float, dimx, dimy, &buffer)
    _copy(ret, buffer, dst)
    return result


cdef object _decode_3d(Input src, numthreads, out):
    cdef const uint8_t* p = src.ptr
    cdef void* buffer = NULL
    cdef size_t dimx = 0, dimy = 0, dimz = 0
    cdef int is_float = bool(p[1] & FLAG_FLOAT)
    cdef size_t nthreads = default_threads(numthreads)
    cdef Output dst
    cdef int ret
    shape = _check_3d(src)
    _check_size(shape, is_float, src.size)
    result = new_array(out, shape, 'f4' if is_float else 'f8', SperrError)
    dst = output(result, result.nbytes, SperrError)
    with nogil:
        ret = sperr_decomp_3d(p, src.size, is_float, nthreads, &dimx, &dimy,
                              &dimz, &buffer)
    if ret == 0 and (dimz, dimy, dimx) != shape:
        free(buffer)
        raise SperrError('SPERR decoded another shape')
    _copy(ret, buffer, dst)
    return result


cdef int _copy(int ret, void* buffer, Output dst) except -1:
    """Copy the decoded values to the output and free them."""
    if ret != 0 or buffer == NULL:
        free(buffer)
        raise SperrError(f'SPERR decompression failed ({ret})')
    memcpy(dst.ptr, buffer, dst.size)
    free(buffer)
    return 0


cdef tuple _check_3d(Input src):
    """Return the shape of a valid 3-D stream; raise SperrError if not.

    The header's chunk lengths must add up to the stream, and every chunk
    must be valid for its size.
    """
    cdef const uint8_t* p = src.ptr
    cdef size_t size = src.size
    cdef size_t start, offset, length, x, y, z
    cdef size_t index = 0
    cdef bint chunked
    if size < HEADER_3D or p[0] != SPERR_VERSION_MAJOR:
        raise SperrError('not a SPERR 3-D stream')
    chunked = p[1] & FLAG_CHUNKS
    sizes = (_u32(p + 2), _u32(p + 6), _u32(p + 10))
    start = HEADER_3D_CHUNKS if chunked else HEADER_3D
    if size < start:
        raise SperrError('SPERR header truncated')
    chunks = sizes if not chunked else (
        p[14] | (p[15] << 8), p[16] | (p[17] << 8), p[18] | (p[19] << 8))
    if min(sizes) < 1 or min(chunks) < 1:
        raise SperrError(f'invalid SPERR sizes {sizes} or chunks {chunks}')
    count = _count_chunks(sizes, chunks)
    if start + 4 * count > size:
        raise SperrError(f'SPERR header of {count} chunks truncated')
    segments = [_segments(s, c) for s, c in zip(sizes, chunks)]
    offset = start + 4 * count
    for z in segments[2]:
        for y in segments[1]:
            for x in segments[0]:
                length = _u32(p + start + 4 * index)
                index += 1
                if length > size - offset or not _chunk_valid(
                        p + offset, length, <uint64_t> x * y * z):
                    raise SperrError(f'corrupt SPERR chunk {index - 1}')
                offset += length
    if offset != size:
        raise SperrError(f'SPERR stream of {offset} bytes, not {size}')
    return (int(sizes[2]), int(sizes[1]), int(sizes[0]))


cdef bint _chunk_valid(const uint8_t* p, size_t size,
                       uint64_t values) noexcept nogil:
    """Return whether SPERR reads this chunk of `values` values safely.

    Constant chunks hold their value count; other chunks a positive
    quantization step and SPECK streams whose headers fit the bytes.
    """
    cdef size_t remaining, used
    cdef uint64_t bits
    if size < CONDITIONER:
        return False
    if p[0] & FLAG_CONSTANT:
        return size == CONDITIONER and _u64(p + 1) == values
    if not (_f64(p + 9) > 0.0 and isfinite(_f64(p + 9))):
        return False
    remaining = size - CONDITIONER
    p += CONDITIONER
    if remaining < SPECK_HEADER or p[0] > MAX_BITPLANES:
        return False
    # SPERR reserves the stated bit count; streams cut short by a bit
    # budget state more bits than they hold, but not many more
    bits = _u64(p + 1)
    if bits > 8 * <uint64_t> remaining + 64 * values + 64:
        return False
    used = min(<uint64_t> remaining, SPECK_HEADER + (bits + 7) // 8)
    remaining -= used
    p += used
    if remaining < SPECK_HEADER:
        return True  # SPERR ignores what follows
    # an outlier stream is used only if it fills the rest exactly, then
    # completely: its stated bits must be there (the length is rounded
    # as SPERR does, in 64 bits)
    bits = _u64(p + 1)
    used = SPECK_HEADER + (bits + (8 - bits % 8) % 8) // 8
    if used != remaining:
        return True
    return p[0] <= MAX_BITPLANES and bits <= 8 * <uint64_t> (
        remaining - SPECK_HEADER)
