# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""BLOSC codec over the c-blosc 1 library (thread-safe context API)."""

import enum

from libc.stdint cimport uint8_t

from imagecodecs._shared cimport (
    Input, Output, readable, output, default_threads, fresh_output,
)
from imagecodecs._exceptions import BloscError
from imagecodecs._shared import enum_value
from imagecodecs.libs.blosc cimport *

# No blosc 1 chunk expands more than this: every split stream of a block is
# a complete codec stream, and zstd, the densest codec, needs 4 bytes for
# its largest (128 KiB) run. Larger claims come from damaged headers.
cdef Py_ssize_t MAX_RATIO = 65536


class BLOSC:
    """BLOSC codec constants."""

    available = True

    class COMPRESSOR(enum.IntEnum):
        """BLOSC codecs."""

        BLOSCLZ = BLOSC_BLOSCLZ  # default
        LZ4 = BLOSC_LZ4
        LZ4HC = BLOSC_LZ4HC
        SNAPPY = BLOSC_SNAPPY
        ZLIB = BLOSC_ZLIB
        ZSTD = BLOSC_ZSTD

    class SHUFFLE(enum.IntEnum):
        """BLOSC filters."""

        NOSHUFFLE = BLOSC_NOSHUFFLE
        SHUFFLE = BLOSC_SHUFFLE  # default
        BITSHUFFLE = BLOSC_BITSHUFFLE


def blosc_version():
    """Return the version of the c-blosc library."""
    return f'c-blosc {BLOSC_VERSION_STRING.decode()}'


def blosc_check(data):
    """Return None: blosc chunks carry no signature."""
    return None


def _typesize(data, typesize):
    """Return typesize, by default the item size of the data's buffer."""
    if typesize is not None:
        typesize = int(typesize)
        if not 1 <= typesize <= BLOSC_MAX_TYPESIZE:
            raise ValueError(f'invalid typesize {typesize}')
        return typesize
    try:
        # larger item sizes, e.g. of strings, the library treats as bytes
        return memoryview(data).itemsize
    except TypeError:
        return 1


def _blocksize(blocksize):
    """Return the requested block size; 0 lets the library choose."""
    if blocksize is None:
        return 0
    blocksize = int(blocksize)
    if blocksize < 0:
        raise ValueError(f'invalid blocksize {blocksize}')
    return blocksize


def blosc_encode(data, level=None, compressor=None, shuffle=None,
                 typesize=None, blocksize=None, numthreads=None, out=None):
    """Return data compressed into one blosc 1 chunk.

    level 0 to 9 (9); compressor a BLOSC.COMPRESSOR (BLOSCLZ); shuffle a
    BLOSC.SHUFFLE (SHUFFLE); typesize defaults to the item size of the
    data; blocksize 0 or None lets the library choose.
    """
    cdef int clevel = 9 if level is None else min(max(int(level), 0), 9)
    cdef int doshuffle = enum_value(shuffle, BLOSC.SHUFFLE, BLOSC_SHUFFLE,
                                    'BLOSC')
    cdef int compcode = enum_value(compressor, BLOSC.COMPRESSOR, BLOSC_BLOSCLZ,
                                   'BLOSC')
    cdef size_t ctypesize = _typesize(data, typesize)
    cdef size_t cblocksize = _blocksize(blocksize)
    cdef int nthreads = min(default_threads(numthreads), BLOSC_MAX_THREADS)
    cdef const char* compname = NULL
    cdef Input src = readable(data)
    cdef Output dst
    cdef Py_ssize_t bound
    cdef uint8_t* target
    cdef int ret
    if blosc_compcode_to_compname(compcode, &compname) < 0:
        raise BloscError(f'{BLOSC.COMPRESSOR(compcode).name} is not built')
    if src.size > BLOSC_MAX_BUFFERSIZE:
        raise BloscError(f'data too large: {src.size} bytes')
    bound = src.size + BLOSC_MAX_OVERHEAD
    dst = output(out, bound, BloscError, False)
    # the library gives up early in a tight buffer, although the chunk may
    # fit, and may write past the chunk: a given buffer gets a copy
    target = dst.workspace(bound, True)
    # never more room than the worst case: the result depends on it
    with nogil:
        ret = blosc_compress_ctx(clevel, doshuffle, ctypesize, src.size,
                                 src.ptr, target, bound, compname,
                                 cblocksize, nthreads)
    if ret == 0:
        raise BloscError(f'output too small: {dst.size} bytes')
    if ret < 0:
        raise BloscError(f'blosc_compress_ctx returned {ret}')
    return dst.finish(dst.commit(ret))


def blosc_decode(data, numthreads=None, out=None):
    """Return the decompressed data of a blosc 1 chunk."""
    cdef Input src = readable(data)
    cdef bint claimed = fresh_output(out)
    cdef Py_ssize_t size = _decoded_size(src, claimed)
    cdef int nthreads = min(default_threads(numthreads), BLOSC_MAX_THREADS)
    cdef Output dst = output(out, size, BloscError)
    cdef int ret
    with nogil:
        # no more room than the claim: nothing is written past it
        ret = blosc_decompress_ctx(src.ptr, dst.ptr, size, nthreads)
    if ret != size:
        raise BloscError(f'blosc_decompress_ctx returned {ret}: corrupt data')
    return dst.finish(ret)


cdef Py_ssize_t _decoded_size(Input src, bint bounded) except -1:
    """Return the size the chunk header claims, after checking it.

    blosc_decompress_ctx trusts the header's compressed size, so the
    chunk must be complete; the claim must fit the block layout and, if
    the caller would allocate it (`bounded`), MAX_RATIO.
    """
    cdef size_t nbytes, cbytes, blocksize, nblocks
    if src.size < BLOSC_MIN_HEADER_LENGTH:
        raise BloscError(f'not a blosc chunk: {src.size} bytes')
    blosc_cbuffer_sizes(src.ptr, &nbytes, &cbytes, &blocksize)
    if cbytes == 0 or src.ptr[0] == 0:
        raise BloscError(f'unsupported blosc format version {src.ptr[0]}')
    if cbytes > <size_t> src.size:
        raise BloscError(f'data is truncated: {src.size} < {cbytes} bytes')
    if blosc_cbuffer_validate(src.ptr, cbytes, &nbytes) < 0:
        raise BloscError('invalid blosc header')
    if src.ptr[2] & BLOSC_MEMCPYED:
        if cbytes != nbytes + BLOSC_MAX_OVERHEAD:
            raise BloscError('invalid blosc header: sizes do not match')
        return <Py_ssize_t> nbytes
    if nbytes == 0:
        return 0
    if blocksize == 0 or blocksize > nbytes:
        raise BloscError(f'invalid blosc header: blocksize {blocksize}')
    # each block takes a 4 byte offset and at least one stream's 4 byte size
    nblocks = (nbytes + blocksize - 1) // blocksize
    if nblocks > (cbytes - BLOSC_MIN_HEADER_LENGTH) // 8 or not _offsets_fit(
            src.ptr, nblocks, cbytes):
        raise BloscError(f'corrupt blosc header: {nblocks} blocks of '
                         f'{blocksize} bytes in {cbytes} bytes')
    if bounded and nbytes > cbytes * MAX_RATIO:
        raise BloscError(f'corrupt blosc header: {nbytes} bytes claimed '
                         f'from {cbytes}')
    return <Py_ssize_t> nbytes


cdef bint _offsets_fit(const uint8_t* chunk, size_t nblocks,
                       size_t cbytes) noexcept:
    """Return whether the block offsets match the header's block count.

    Blocks follow the offset table in any order (threads write them as
    they finish), so the smallest offset is the end of the table. A
    damaged size or blocksize changes the count and breaks this.
    """
    cdef size_t i, offset
    cdef size_t table_end = BLOSC_MIN_HEADER_LENGTH + 4 * nblocks
    cdef size_t smallest = cbytes
    cdef const uint8_t* p
    for i in range(nblocks):
        p = chunk + BLOSC_MIN_HEADER_LENGTH + 4 * i
        offset = p[0] | (p[1] << 8) | (p[2] << 16) | (<size_t> p[3] << 24)
        if offset < table_end or offset >= cbytes:
            return False
        smallest = min(smallest, offset)
    return smallest == table_end
