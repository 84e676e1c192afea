# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""ZFP codec over the zfp library: compressed arrays of 1 to 4 dimensions.

Streams are zfp's own: a header, then the blocks of 4**ndim values. With
header=True the header holds magic, field (type and shape) and mode; with
header=False only magic and mode, so the decoder needs shape and dtype.

zfp reads its bit stream without bounds checks, a whole 64-bit word at a
time and as far as the header's mode allows. The decoder therefore reads
from a zero-padded copy when the input could be shorter than the longest
stream the header permits, and treats a stream that ends past the input
as truncated.
"""

import enum

import numpy

from libc.stdint cimport uint8_t, uint64_t
from libc.stdlib cimport malloc, free
from libc.string cimport memcpy, memset

from imagecodecs._shared cimport (
    Input, Output, readable, output, new_array, default_threads,
)
from imagecodecs._exceptions import ZfpError
from imagecodecs.libs.zfp cimport *

# A block of 4**ndim values takes at least one bit: 4-D float64 blocks
# expand at most 2048 bytes per bit. Larger claims in a header are corrupt.
cdef Py_ssize_t MAX_RATIO = 1 << 15

# room for the longest header (ZFP_HEADER_MAX_BITS) read word by word
cdef enum:
    HEADER_WORDS = 4

_ZTYPES = {
    numpy.dtype('int32'): zfp_type_int32,
    numpy.dtype('int64'): zfp_type_int64,
    numpy.dtype('float32'): zfp_type_float,
    numpy.dtype('float64'): zfp_type_double,
}
_DTYPES = {ztype: dtype for dtype, ztype in _ZTYPES.items()}


class ZFP:
    """ZFP codec constants."""

    available = True

    class EXEC(enum.IntEnum):
        """ZFP execution policies."""

        SERIAL = zfp_exec_serial
        OMP = zfp_exec_omp
        CUDA = zfp_exec_cuda

    class MODE(enum.IntEnum):
        """ZFP compression modes."""

        NONE = zfp_mode_null
        EXPERT = zfp_mode_expert
        FIXED_RATE = zfp_mode_fixed_rate
        FIXED_PRECISION = zfp_mode_fixed_precision
        FIXED_ACCURACY = zfp_mode_fixed_accuracy
        REVERSIBLE = zfp_mode_reversible

    class HEADER(enum.IntEnum):
        """Parts of the ZFP stream header."""

        MAGIC = ZFP_HEADER_MAGIC
        META = ZFP_HEADER_META
        MODE = ZFP_HEADER_MODE
        FULL = ZFP_HEADER_FULL


def zfp_version():
    """Return the version of the zfp library."""
    return f'zfp {ZFP_VERSION_STRING.decode()}'


def zfp_check(data):
    """Return whether data starts with the zfp magic."""
    return bytes(memoryview(data)[:3]) == b'zfp'


cdef zfp_type _ztype(dtype) except *:
    """Return the zfp scalar type of a NumPy dtype, or raise ValueError."""
    ztype = _ZTYPES.get(numpy.dtype(dtype).newbyteorder('='))
    if ztype is None:
        raise ValueError(
            f'dtype {numpy.dtype(dtype)} not supported by ZFP, '
            'expected int32, int64, float32 or float64'
        )
    return ztype


cdef int _set_shape(zfp_field* field, tuple shape) except -1:
    """Set the sizes of a field from a C-order shape of 1 to 4 positive ints.

    zfp counts dimensions fastest first: x is the last axis.
    """
    cdef size_t sizes[4]
    cdef int i
    if not 1 <= len(shape) <= 4:
        raise ValueError(f'ZFP takes 1 to 4 dimensions, not shape {shape}')
    for i in range(4):
        sizes[i] = 0
    for i, size in enumerate(reversed(shape)):
        if size < 1:
            raise ValueError(f'invalid shape {shape} for ZFP')
        sizes[i] = <size_t> size
    field.nx = sizes[0]
    field.ny = sizes[1]
    field.nz = sizes[2]
    field.nw = sizes[3]
    return 0


cdef tuple _field_shape(const zfp_field* field):
    """Return the C-order shape of the field read from a header."""
    sizes = [field.nw, field.nz, field.ny, field.nx]
    ndim = zfp_field_dimensionality(field)
    return tuple(int(n) for n in sizes[4 - ndim:])


cdef int _set_strides(zfp_field* field, tuple shape, strides) except -1:
    """Set element strides for the decoder to write into a buffer of shape.

    Strides are in elements, C order; every element they address must lie
    in the buffer the shape describes.
    """
    cdef ptrdiff_t s[4]
    cdef ptrdiff_t last = 0
    cdef Py_ssize_t count = 1
    cdef int i
    strides = tuple(int(x) for x in strides)
    if len(strides) != len(shape):
        raise ValueError(f'strides {strides} do not match shape {shape}')
    for i in range(4):
        s[i] = 0
    for i, (stride, size) in enumerate(zip(reversed(strides),
                                           reversed(shape))):
        if stride < 0:
            raise ValueError(f'negative strides {strides} not supported')
        s[i] = stride
        last += stride * (size - 1)
        count *= size
    if last >= count:
        raise ValueError(f'strides {strides} exceed shape {shape}')
    zfp_field_set_stride_4d(field, s[0], s[1], s[2], s[3])
    return 0


cdef int _set_mode(zfp_stream* zfp, mode, level, zfp_type ztype,
                   int ndim) except -1:
    """Configure the compression mode; level is its parameter."""
    cdef double rate, tolerance
    cdef int values = 1 << (2 * ndim)
    if mode is None or mode in (zfp_mode_null, zfp_mode_reversible, 'R',
                                'reversible'):
        zfp_stream_set_reversible(zfp)
    elif mode in (zfp_mode_fixed_precision, 'p', 'precision'):
        zfp_stream_set_precision(zfp, ZFP_MAX_PREC if level is None
                                 else min(max(int(level), 0), ZFP_MAX_PREC))
    elif mode in (zfp_mode_fixed_rate, 'r', 'rate'):
        rate = _level(level, mode)
        if not 0.0 < rate <= <double> ZFP_MAX_BITS / values:
            raise ValueError(f'invalid ZFP rate {level!r}')
        zfp_stream_set_rate(zfp, rate, ztype, ndim, zfp_false)
    elif mode in (zfp_mode_fixed_accuracy, 'a', 'accuracy'):
        tolerance = _level(level, mode)
        if not tolerance >= 0.0:  # also NaN
            raise ValueError(f'invalid ZFP tolerance {level!r}')
        zfp_stream_set_accuracy(zfp, tolerance)
    elif mode in (zfp_mode_expert, 'c', 'expert'):
        try:
            minbits, maxbits, maxprec, minexp = (int(x) for x in level)
        except (TypeError, ValueError):
            raise ValueError('ZFP expert mode takes level=(minbits, maxbits,'
                             f' maxprec, minexp), not {level!r}') from None
        if not (0 <= minbits <= maxbits <= ZFP_MAX_BITS
                and ZFP_MIN_EXP - 1 <= minexp <= 1 << 14) or not (
                zfp_stream_set_params(zfp, minbits, maxbits, maxprec,
                                      minexp)):
            raise ValueError(f'invalid ZFP expert parameters {level!r}')
    else:
        raise ValueError(f'invalid ZFP mode {mode!r}')
    return 0


cdef double _level(level, mode) except? -1.0:
    if level is None:
        raise ValueError(f'ZFP mode {mode!r} requires a level')
    return float(level)


cdef int _set_execution(zfp_stream* zfp, execution, numthreads,
                        chunksize) except -1:
    """Choose the execution policy; OpenMP falls back to serial.

    The library may be built without OpenMP; serial and OpenMP execution
    write the same stream, so the fallback changes nothing but speed.
    """
    cdef int threads = default_threads(numthreads)
    if execution in (zfp_exec_cuda, 'cuda'):
        raise ZfpError('ZFP CUDA execution is not available')
    if execution is not None and execution not in (
            zfp_exec_serial, 'serial', zfp_exec_omp, 'omp'):
        raise ValueError(f'invalid ZFP execution {execution!r}')
    if threads > 1 and execution not in (zfp_exec_serial, 'serial'):
        if zfp_stream_set_execution(zfp, zfp_exec_omp):
            zfp_stream_set_omp_threads(zfp, threads)
            if chunksize:
                zfp_stream_set_omp_chunk_size(zfp, int(chunksize))
    return 0


def zfp_encode(data, level=None, mode=None, execution=None, chunksize=None,
               header=True, numthreads=None, out=None):
    """Return ZFP compressed array.

    data: array of int32, int64, float32 or float64 with 1 to 4 dimensions.
    mode: 'reversible' (default, lossless), 'rate' (level = bits per
    value), 'precision' (level = bit planes), 'accuracy' (level = absolute
    error tolerance) or 'expert' (level = (minbits, maxbits, maxprec,
    minexp)), or a ZFP.MODE. header=False leaves shape and dtype out of
    the stream.
    """
    array = numpy.asarray(data)
    cdef zfp_type ztype = _ztype(array.dtype)
    cdef int ndim = array.ndim
    cdef uint mask = ZFP_HEADER_FULL if header else (
        ZFP_HEADER_MAGIC | ZFP_HEADER_MODE)
    if not 1 <= ndim <= 4:
        raise ValueError(f'ZFP takes 1 to 4 dimensions, not {ndim}')
    if array.size == 0:
        raise ValueError('ZFP cannot encode an empty array')
    # zfp reads native scalars; strided input would be read the same way
    # but a contiguous copy keeps the field simple
    array = numpy.ascontiguousarray(array, array.dtype.newbyteorder('='))
    cdef Input src = readable(array)
    cdef zfp_stream* zfp = zfp_stream_open(NULL)
    cdef zfp_field* field = zfp_field_alloc()
    cdef bitstream* stream = NULL
    cdef Output dst
    cdef uint8_t* target = NULL
    cdef uint8_t* scratch = NULL
    cdef size_t bound, size = 0
    if zfp == NULL or field == NULL:
        _close(zfp, field)
        raise MemoryError('zfp_stream_open failed')
    try:
        zfp_field_set_type(field, ztype)
        _set_shape(field, array.shape)
        zfp_field_set_pointer(field, <void*> src.ptr)
        _set_mode(zfp, mode, level, ztype, ndim)
        _set_execution(zfp, execution, numthreads, chunksize)
        bound = zfp_stream_maximum_size(zfp, field)
        dst = output(out, bound, ZfpError, False)
        target = dst.ptr
        if <size_t> dst.size < bound:
            # zfp writes without bounds checks: never into a short buffer
            scratch = <uint8_t*> malloc(bound)
            if scratch == NULL:
                raise MemoryError(f'cannot allocate {bound} bytes')
            target = scratch
        stream = stream_open(target, bound)
        if stream == NULL:
            raise MemoryError('stream_open failed')
        zfp_stream_set_bit_stream(zfp, stream)
        zfp_stream_rewind(zfp)
        if zfp_write_header(zfp, field, mask) == 0:
            raise ZfpError(f'ZFP header cannot hold shape {array.shape}')
        with nogil:
            size = zfp_compress(zfp, field)
        if size == 0:
            raise ZfpError('zfp_compress failed')
        if scratch != NULL:
            if size > <size_t> dst.size:
                raise ZfpError(
                    f'output too small: {dst.size} < {size} bytes')
            memcpy(dst.ptr, scratch, size)
        return dst.finish(<Py_ssize_t> size)
    finally:
        if stream != NULL:
            stream_close(stream)
        free(scratch)
        _close(zfp, field)


def zfp_decode(data, shape=None, dtype=None, strides=None, numthreads=None,
               out=None):
    """Return decompressed ZFP array.

    shape and dtype come from the header unless given; streams written with
    header=False need both. strides (in elements) lay the values out in the
    output buffer other than in C order. numthreads is ignored: zfp decodes
    serially.
    """
    cdef Input src = readable(data)
    cdef zfp_type ztype = zfp_type_none if dtype is None else _ztype(dtype)
    cdef uint mask = ZFP_HEADER_MAGIC | ZFP_HEADER_MODE
    cdef zfp_stream* zfp
    cdef zfp_field* field
    cdef bitstream* stream = NULL
    cdef uint8_t* padded = NULL
    cdef const uint8_t* buffer = src.ptr
    cdef Output dst
    cdef size_t headerbits, need, size = 0
    if data is out and out is not None:
        raise ValueError('cannot decode in place')
    if shape is not None:
        shape = tuple(int(n) for n in (
            shape if numpy.iterable(shape) else (shape,)))
    if ztype == zfp_type_none or shape is None:
        mask = ZFP_HEADER_FULL
    zfp = zfp_stream_open(NULL)
    field = zfp_field_alloc()
    if zfp == NULL or field == NULL:
        _close(zfp, field)
        raise MemoryError('zfp_stream_open failed')
    try:
        headerbits = _read_header(zfp, field, src, mask)
        if ztype == zfp_type_none:
            ztype = field.type
        else:
            zfp_field_set_type(field, ztype)
        if shape is None:
            shape = _field_shape(field)
            if zfp_field_size(field, NULL) * (
                    4 if ztype in (zfp_type_int32, zfp_type_float) else 8
            ) > <size_t> src.size * MAX_RATIO:
                raise ZfpError(f'corrupt header: shape {shape} '
                               f'from {src.size} bytes')
        else:
            _set_shape(field, shape)
        if strides is not None:
            _set_strides(field, shape, strides)
        result = new_array(out, shape, _DTYPES[ztype], ZfpError)
        dst = output(result, result.nbytes, ZfpError)
        zfp_field_set_pointer(field, dst.ptr)

        # the longest stream this header and field allow, plus a word
        need = zfp_stream_maximum_size(zfp, field) + 8
        if <size_t> src.size < need:
            padded = <uint8_t*> malloc(need)
            if padded == NULL:
                raise MemoryError(f'cannot allocate {need} bytes')
            memcpy(padded, src.ptr, src.size)
            memset(padded + src.size, 0, need - src.size)
            buffer = padded
        stream = stream_open(<void*> buffer, max(need, <size_t> src.size))
        if stream == NULL:
            raise MemoryError('stream_open failed')
        zfp_stream_set_bit_stream(zfp, stream)
        stream_rseek(stream, headerbits)
        with nogil:
            size = zfp_decompress(zfp, field)
        if size == 0:
            raise ZfpError('zfp_decompress failed')
        if size > <size_t> src.size:
            raise ZfpError(f'data truncated: {src.size} < {size} bytes')
        return result
    finally:
        if stream != NULL:
            stream_close(stream)
        free(padded)
        _close(zfp, field)


cdef void _close(zfp_stream* zfp, zfp_field* field) noexcept:
    if field != NULL:
        zfp_field_free(field)
    if zfp != NULL:
        zfp_stream_close(zfp)


cdef size_t _read_header(zfp_stream* zfp, zfp_field* field, Input src,
                         uint mask) except 0:
    """Read the header from a zero-padded copy of the input's head.

    Return its length in bits; raise ZfpError if it is invalid or longer
    than the input.
    """
    cdef uint64_t head[HEADER_WORDS]
    cdef bitstream* stream
    cdef size_t bits
    cdef int i
    for i in range(HEADER_WORDS):
        head[i] = 0
    memcpy(head, src.ptr, min(src.size, <Py_ssize_t> sizeof(head)))
    stream = stream_open(head, sizeof(head))
    if stream == NULL:
        raise MemoryError('stream_open failed')
    zfp_stream_set_bit_stream(zfp, stream)
    zfp_stream_rewind(zfp)
    bits = zfp_read_header(zfp, field, mask)
    zfp_stream_set_bit_stream(zfp, NULL)
    stream_close(stream)
    if bits == 0 or (bits + 7) // 8 > <size_t> src.size:
        raise ZfpError('not a valid ZFP header' if src.size else
                       'empty input')
    if mask & ZFP_HEADER_META and not 1 <= field.type <= 4:
        raise ZfpError(f'invalid ZFP scalar type {field.type}')
    return bits
