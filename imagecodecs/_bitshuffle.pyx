# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""BITSHUFFLE transposition of the bits of items, over bitshuffle.

Like the reference, only the transposition (no LZ4 or zstd framing):
NumPy arrays give arrays of the same shape and dtype (the item size is the
dtype's), other buffers give bytes (the item size is `itemsize`).
"""

import numpy

from libc.stdint cimport int64_t

from imagecodecs._shared cimport (
    Input, Output, readable, output, new_array, input_array,
)
from imagecodecs._exceptions import BitshuffleError
from imagecodecs.libs.bitshuffle cimport *

ctypedef int64_t (*transpose_t)(const void*, void*, const size_t,
                                const size_t, size_t) noexcept nogil

# negative results of bshuf_bitshuffle and bshuf_bitunshuffle
_ERRORS = {
    -1: 'memory allocation failed',
    -11: 'SSE2 is not available',
    -12: 'AVX2 is not available',
    -13: 'NEON is not available',
    -14: 'AVX512 is not available',
    -80: 'input size is not a multiple of 8',
    -81: 'blocksize is not a multiple of 8',
    -91: 'wrong number of bytes processed',
}


class BITSHUFFLE:
    """BITSHUFFLE codec constants."""

    available = True


def bitshuffle_version():
    """Return the version of the bitshuffle library."""
    return (f'bitshuffle {BSHUF_VERSION_MAJOR}.{BSHUF_VERSION_MINOR}.'
            f'{BSHUF_VERSION_POINT}')


def bitshuffle_check(data):
    """Return None: bit-shuffled data carry no signature."""
    return None


def bitshuffle_encode(data, itemsize=1, blocksize=0, out=None):
    """Return data with the bits of its items transposed in blocks.

    blocksize is the number of items per block, a multiple of 8; 0 lets
    the library choose (about 8 KiB per block).
    """
    return _transform(data, itemsize, blocksize, out, bshuf_bitshuffle)


def bitshuffle_decode(data, itemsize=1, blocksize=0, out=None):
    """Return bit-shuffled data restored; arguments as for encode."""
    return _transform(data, itemsize, blocksize, out, bshuf_bitunshuffle)


cdef object _transform(data, itemsize, blocksize, out, transpose_t func):
    cdef Input src
    cdef Output dst
    cdef size_t elem_size
    cdef size_t block
    blocksize = int(blocksize)
    if blocksize < 0:
        raise ValueError(f'invalid blocksize {blocksize}')
    block = blocksize
    if out is data or (isinstance(out, numpy.ndarray)
                       and numpy.may_share_memory(out, data)):
        raise ValueError('cannot transform in place')  # the library cannot
    if isinstance(data, numpy.ndarray):
        if data.dtype.hasobject:
            raise ValueError('cannot bit-shuffle object arrays')
        array = input_array(data)
        result = new_array(out, array.shape, array.dtype, BitshuffleError)
        # flat byte views: every dtype exports those, datetimes included
        src = readable(array.reshape(-1).view(numpy.uint8))
        dst = output(result.reshape(-1).view(numpy.uint8), src.size,
                     BitshuffleError)
        _run(func, src, dst, array.itemsize, block)
        return result
    itemsize = int(itemsize)
    if itemsize < 1:
        raise ValueError(f'invalid itemsize {itemsize}')
    elem_size = itemsize
    src = readable(data)
    if src.size % elem_size:
        raise ValueError(f'data size {src.size} is not a multiple of '
                         f'itemsize {elem_size}')
    dst = output(out, src.size, BitshuffleError)
    _run(func, src, dst, elem_size, block)
    return dst.finish(src.size)


cdef int _run(transpose_t func, Input src, Output dst, size_t elem_size,
              size_t block) except -1:
    cdef int64_t ret = 0
    cdef size_t count = <size_t> src.size // elem_size
    if count == 0:
        return 0
    with nogil:
        ret = func(src.ptr, dst.ptr, count, elem_size, block)
    if ret < 0:
        raise BitshuffleError(
            _ERRORS.get(ret, f'bitshuffle returned {ret}'))
    return 0
