# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""BLOSC2 codec over the c-blosc2 library (thread-safe context API)."""

import enum

from libc.stdint cimport uint8_t, int32_t, int64_t

from imagecodecs._shared cimport (
    Input, Output, readable, output, default_threads, fresh_output,
)
from imagecodecs._exceptions import Blosc2Error
from imagecodecs._shared import enum_value
from imagecodecs.libs.blosc2 cimport *

# The densest regular chunks the library writes with its own block sizes,
# runs of one value, stay near 1:500000 (8 bytes per block of up to 4 MiB).
# Special-value chunks (all zeros, NaN, ...) have 32 bytes for any size, so
# that their bound is 128 MiB. Larger claims are taken for damaged headers
# unless out= gives the room.
cdef Py_ssize_t MAX_RATIO = 1 << 22

# the codecs and filters need registering once per process
blosc2_init()


class BLOSC2:
    """BLOSC2 codec constants."""

    available = True

    class COMPRESSOR(enum.IntEnum):
        """BLOSC2 codecs."""

        BLOSCLZ = BLOSC_BLOSCLZ
        LZ4 = BLOSC_LZ4
        LZ4HC = BLOSC_LZ4HC
        ZLIB = BLOSC_ZLIB
        ZSTD = BLOSC_ZSTD  # default

    class FILTER(enum.IntEnum):
        """BLOSC2 filters."""

        NOFILTER = BLOSC_NOFILTER
        NOSHUFFLE = BLOSC_NOSHUFFLE  # alias of NOFILTER
        SHUFFLE = BLOSC_SHUFFLE  # default
        BITSHUFFLE = BLOSC_BITSHUFFLE
        DELTA = BLOSC_DELTA
        TRUNC_PREC = BLOSC_TRUNC_PREC

    class SPLIT(enum.IntEnum):
        """BLOSC2 modes of splitting blocks into one stream per byte."""

        ALWAYS = BLOSC_ALWAYS_SPLIT  # default
        NEVER = BLOSC_NEVER_SPLIT
        AUTO = BLOSC_AUTO_SPLIT
        FORWARD_COMPAT = BLOSC_FORWARD_COMPAT_SPLIT


def blosc2_version():
    """Return the version of the c-blosc2 library."""
    return f'c-blosc2 {BLOSC2_VERSION_STRING.decode()}'


def blosc2_check(data):
    """Return None: blosc2 chunks carry no signature."""
    return None


def _code(value, kind, default):
    """Return the code of a `kind` member given as None, number or name."""
    if isinstance(value, str) and value.upper() == 'FORWARD':
        value = 'FORWARD_COMPAT'
    elif kind is BLOSC2.SPLIT and value is not None and not value:
        return BLOSC_NEVER_SPLIT  # as for False: do not split
    return enum_value(value, kind, default, 'BLOSC2')


def _typesize(data, typesize):
    """Return typesize; by default the item size, 8 for plain bytes."""
    if typesize is not None:
        typesize = int(typesize)
        if not 1 <= typesize <= BLOSC_MAX_TYPESIZE:
            raise ValueError(f'invalid typesize {typesize}')
        return typesize
    try:
        view = memoryview(data)
    except TypeError:
        return 8
    # the library's default for untyped bytes, as the reference does
    return 8 if view.format == 'B' else view.itemsize


def _blocksize(blocksize):
    """Return the requested block size; 0 lets the library choose."""
    if blocksize is None:
        return 0
    blocksize = int(blocksize)
    if not 0 <= blocksize <= BLOSC2_MAXBLOCKSIZE:
        raise ValueError(f'invalid blocksize {blocksize}')
    return blocksize


cdef int _threads(numthreads) except -1:
    return min(default_threads(numthreads), 256)


def blosc2_encode(data, level=None, compressor=None, shuffle=None,
                  splitmode=None, typesize=None, blocksize=None,
                  numthreads=None, out=None):
    """Return data compressed into one blosc2 chunk.

    level 0 to 9 (1); compressor a BLOSC2.COMPRESSOR (ZSTD); shuffle a
    BLOSC2.FILTER (SHUFFLE); splitmode a BLOSC2.SPLIT (ALWAYS); typesize
    defaults to the item size of the data (8 for bytes); blocksize 0 or
    None lets the library choose.
    """
    cdef blosc2_cparams cparams = BLOSC2_CPARAMS_DEFAULTS
    cdef blosc2_context* cctx
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t bound
    cdef uint8_t* target
    cdef int ret = 0
    cparams.clevel = 1 if level is None else min(max(int(level), 0), 9)
    cparams.compcode = _code(compressor, BLOSC2.COMPRESSOR, BLOSC_ZSTD)
    cparams.filters[BLOSC2_MAX_FILTERS - 1] = _code(shuffle, BLOSC2.FILTER,
                                                    BLOSC_SHUFFLE)
    cparams.splitmode = _code(splitmode, BLOSC2.SPLIT, BLOSC_ALWAYS_SPLIT)
    cparams.typesize = _typesize(data, typesize)
    cparams.blocksize = _blocksize(blocksize)
    cparams.nthreads = _threads(numthreads)
    src = readable(data)
    if src.size > BLOSC2_MAX_BUFFERSIZE:
        raise Blosc2Error(f'data too large: {src.size} bytes')
    bound = src.size + BLOSC2_MAX_OVERHEAD
    dst = output(out, bound, Blosc2Error, False)
    # the library gives up early in a tight buffer, although the chunk may
    # fit, and may write past the chunk: a given buffer gets a copy
    target = dst.workspace(bound, True)
    with nogil:
        cctx = blosc2_create_cctx(cparams)
        if cctx != NULL:
            # never more room than the worst case: the result depends on it
            ret = blosc2_compress_ctx(cctx, src.ptr, <int32_t> src.size,
                                      target, <int32_t> bound)
            blosc2_free_ctx(cctx)
    if cctx == NULL:
        raise Blosc2Error('blosc2_create_cctx failed')
    if ret == 0:
        raise Blosc2Error(f'output too small: {dst.size} bytes')
    _check(ret, 'blosc2_compress_ctx')
    return dst.finish(dst.commit(ret))


def blosc2_decode(data, numthreads=None, out=None):
    """Return the decompressed data of a blosc2 (or blosc 1) chunk."""
    cdef blosc2_dparams dparams = BLOSC2_DPARAMS_DEFAULTS
    cdef blosc2_context* dctx
    cdef Input src = readable(data)
    cdef bint claimed = fresh_output(out)
    cdef int32_t cbytes = 0
    cdef Py_ssize_t size = _decoded_size(src, claimed, &cbytes)
    cdef Output dst
    cdef int ret = 0
    dparams.nthreads = _threads(numthreads)
    if dparams.nthreads > 1 and _uses_delta(src.ptr):
        # threads wait for the delta filter's reference block, forever if
        # it fails to decode (c-blosc2 2.x and 3.3): decode serially
        dparams.nthreads = 1
    dst = output(out, size, Blosc2Error)
    with nogil:
        dctx = blosc2_create_dctx(dparams)
        if dctx != NULL:
            # no more room than the claim: nothing is written past it
            ret = blosc2_decompress_ctx(dctx, src.ptr, cbytes, dst.ptr,
                                        <int32_t> size)
            blosc2_free_ctx(dctx)
    if dctx == NULL:
        raise Blosc2Error('blosc2_create_dctx failed')
    _check(ret, 'blosc2_decompress_ctx')
    if ret != size:
        raise Blosc2Error(f'blosc2_decompress_ctx returned {ret} bytes, '
                          f'expected {size}')
    return dst.finish(ret)


cdef int _check(int ret, str where) except -1:
    if ret < 0:
        raise Blosc2Error(f'{where} returned {ret}: '
                          f'{blosc2_error_string(ret).decode()}')
    return 0


cdef Py_ssize_t _decoded_size(Input src, bint bounded,
                              int32_t* cbytes) except -1:
    """Return the size the chunk header claims, after checking it.

    The chunk must be complete, its header consistent with the block
    layout and, if the caller would allocate the claim (`bounded`), within
    MAX_RATIO. Set `cbytes` to the chunk's size.
    """
    cdef int32_t nbytes, blocksize, nblocks, header
    cdef int flags, special, typesize
    if src.size < BLOSC_MIN_HEADER_LENGTH:
        raise Blosc2Error(f'not a blosc chunk: {src.size} bytes')
    _check(blosc2_cbuffer_sizes(src.ptr, &nbytes, cbytes, &blocksize),
           'blosc2_cbuffer_sizes')
    if cbytes[0] > src.size:
        raise Blosc2Error(f'data is truncated: {src.size} < {cbytes[0]} '
                          'bytes')
    if nbytes < 0 or nbytes > BLOSC2_MAX_BUFFERSIZE:
        raise Blosc2Error(f'invalid blosc2 header: nbytes {nbytes}')
    flags = src.ptr[BLOSC2_CHUNK_FLAGS]
    typesize = src.ptr[BLOSC2_CHUNK_TYPESIZE]
    header = BLOSC_MIN_HEADER_LENGTH
    special = 0
    if flags & BLOSC_DOSHUFFLE and flags & BLOSC_DOBITSHUFFLE:
        header = BLOSC_EXTENDED_HEADER_LENGTH  # both flags: blosc2 header
        if cbytes[0] >= header:
            special = (src.ptr[BLOSC2_CHUNK_BLOSC2_FLAGS] >> 4) & (
                BLOSC2_SPECIAL_MASK)
    if cbytes[0] < header or typesize == 0:
        raise Blosc2Error('invalid blosc2 header')
    if special:
        # a value repeated: the header and at most one item
        if (special > BLOSC2_SPECIAL_LASTID or nbytes % typesize
                or cbytes[0] != header + (
                    typesize if special == BLOSC2_SPECIAL_VALUE else 0)):
            raise Blosc2Error('invalid blosc2 special-value chunk')
        _bound(nbytes, cbytes[0], bounded)
        return nbytes
    if flags & BLOSC_MEMCPYED:
        if cbytes[0] != header + nbytes:
            raise Blosc2Error('invalid blosc2 header: sizes do not match')
        return nbytes
    if nbytes == 0:
        return 0
    if blocksize <= 0 or blocksize > nbytes:
        raise Blosc2Error(f'invalid blosc2 header: blocksize {blocksize}')
    if header == BLOSC_EXTENDED_HEADER_LENGTH and (
            src.ptr[BLOSC2_CHUNK_BLOSC2_FLAGS2] & BLOSC2_VL_BLOCKS):
        raise Blosc2Error('chunks of variable-length blocks are not '
                          'supported')
    # each block takes a 4 byte offset and at least one stream's 4 byte size
    nblocks = nbytes // blocksize + (nbytes % blocksize != 0)
    if nblocks > (cbytes[0] - header) // 8 or not _offsets_fit(
            src.ptr, header, nblocks, cbytes[0], header == (
                BLOSC_EXTENDED_HEADER_LENGTH) and (
                src.ptr[BLOSC2_CHUNK_BLOSC2_FLAGS] & BLOSC2_USEDICT)):
        raise Blosc2Error(f'corrupt blosc2 header: {nblocks} blocks of '
                          f'{blocksize} bytes in {cbytes[0]} bytes')
    _bound(nbytes, cbytes[0], bounded)
    return nbytes


cdef int _bound(int32_t nbytes, int32_t cbytes, bint bounded) except -1:
    if bounded and nbytes > cbytes * MAX_RATIO:
        raise Blosc2Error(f'corrupt blosc2 header? {nbytes} bytes claimed '
                          f'from {cbytes}; pass out= to decode it')
    return 0


cdef bint _offsets_fit(const uint8_t* chunk, int32_t header, int32_t nblocks,
                       int32_t cbytes, bint dictionary) noexcept:
    """Return whether the block offsets match the header's block count.

    Blocks follow the offset table (and a dictionary, if any) in any
    order, as threads finish them, so the smallest offset is the end of
    the table. A damaged size or blocksize changes the count and breaks
    this.
    """
    cdef int32_t i
    cdef int64_t offset
    cdef int64_t table_end = header + 4 * <int64_t> nblocks
    cdef int64_t smallest = cbytes
    cdef const uint8_t* p
    for i in range(nblocks):
        p = chunk + header + 4 * i
        offset = p[0] | (p[1] << 8) | (p[2] << 16) | (<int64_t> p[3] << 24)
        if offset < table_end or offset >= cbytes:
            return False
        smallest = min(smallest, offset)
    return smallest >= table_end if dictionary else smallest == table_end


cdef bint _uses_delta(const uint8_t* chunk) noexcept:
    """Return whether a checked chunk header lists the delta filter."""
    cdef int flags = chunk[BLOSC2_CHUNK_FLAGS]
    cdef int i
    if not (flags & BLOSC_DOSHUFFLE and flags & BLOSC_DOBITSHUFFLE):
        return flags & BLOSC_DODELTA != 0  # the blosc 1 header's flag
    for i in range(BLOSC2_MAX_FILTERS):
        if chunk[BLOSC2_CHUNK_FILTER_CODES + i] == BLOSC_DELTA:
            return True
    return False
