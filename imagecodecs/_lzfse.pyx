# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""LZFSE codec over the LZFSE reference library.

A stream is a chain of blocks, each starting with a 4-byte magic 'bvx?',
ended by 'bvx$'. The decoded size is not stored as such, but every block
header tells its decoded size, so walking the headers sizes the output.
"""

from libc.stdint cimport uint8_t, uint32_t, uint64_t
from libc.stdlib cimport malloc, free
from libc.string cimport memcpy

from imagecodecs._shared cimport Input, Output, readable, output
from imagecodecs._exceptions import LzfseError
from imagecodecs.libs.lzfse cimport *

cdef extern from *:
    """
    /* lzfse.h has no version */
    #ifndef LZFSE_VERSION_STRING
    #define LZFSE_VERSION_STRING "1.0"
    #endif
    """
    const char* LZFSE_VERSION_STRING

cdef enum:
    # block magics, little-endian 'bvx$', 'bvx-', 'bvx1', 'bvx2', 'bvxn'
    MAGIC_END = 0x24787662
    MAGIC_RAW = 0x2D787662
    MAGIC_V1 = 0x31787662
    MAGIC_V2 = 0x32787662
    MAGIC_LZVN = 0x6E787662
    V2_FIXED_HEADER = 32  # magic, n_raw_bytes, three packed 64-bit fields
    MAX_MATCH = 2359  # longest match of an LZFSE block
    # an LZVN opcode of n bytes yields at most 136 * n bytes (2-byte match
    # of 271); twice that leaves room
    LZVN_MAX_RATIO = 272
    # _walk results that are not sizes
    WALK_CORRUPT = -1
    WALK_UNKNOWN = -2
    WALK_TOO_LARGE = -3

# No LZFSE block expands more than ~1700:1 (an 11-bit match length costs
# at least 11 bits; the encoder's zeros reach 1692:1). Claims beyond this
# are corrupt and not allocated.
cdef Py_ssize_t MAX_RATIO = 4096


class LZFSE:
    """LZFSE codec constants."""

    available = True


def lzfse_version():
    """Return the version of the LZFSE library."""
    return f'lzfse {LZFSE_VERSION_STRING.decode()}'


def lzfse_check(data):
    """Return whether data starts with an LZFSE block magic."""
    head = bytes(memoryview(data)[:4])
    return len(head) == 4 and head[:3] == b'bvx' and head[3:] in b'$-12n'


cdef void* _scratch(size_t size) except NULL:
    cdef void* scratch = malloc(size + 1)  # +1: the size may be 0
    if scratch == NULL:
        raise MemoryError(f'cannot allocate {size} bytes')
    return scratch


def lzfse_encode(data, out=None):
    """Return LZFSE compressed data."""
    cdef Input src = readable(data)
    # a stream never exceeds a raw block of the data plus 12 bytes; the
    # page term covers inputs too large for one raw block
    cdef Py_ssize_t bound = src.size + 12 + src.size // 4096
    cdef Output dst = output(out, bound, LzfseError, False)
    cdef void* scratch = _scratch(lzfse_encode_scratch_size())
    # the encoder needs room to try
    cdef uint8_t* buffer = dst.workspace(bound)
    cdef size_t size
    try:
        with nogil:
            size = lzfse_encode_buffer(buffer, bound, src.ptr, src.size,
                                       scratch)
    finally:
        free(scratch)
    if size == 0:
        raise LzfseError('lzfse_encode_buffer failed')
    return dst.finish(dst.commit(<Py_ssize_t> size))


def lzfse_decode(data, out=None):
    """Return decompressed LZFSE data."""
    cdef Input src = readable(data)
    cdef Py_ssize_t limit = src.size * MAX_RATIO
    cdef Py_ssize_t size
    cdef Output dst
    cdef void* scratch
    cdef uint8_t* buffer
    cdef size_t ret
    if src.size == 0:
        return output(out, 0, LzfseError).finish(0)
    with nogil:
        size = _walk(src.ptr, src.size, limit)
    if size == WALK_CORRUPT:
        raise LzfseError('corrupt or truncated stream')
    if size == WALK_TOO_LARGE:
        raise LzfseError(f'corrupt stream: blocks claim more than {limit} '
                         'bytes')
    scratch = _scratch(lzfse_decode_scratch_size())
    try:
        if size == WALK_UNKNOWN:
            # a block the walk does not size (v1)
            return _decode_unsized(src, out, limit, scratch)
        # a given output smaller than the data gets its first bytes
        dst = output(out, size, LzfseError, False)
        buffer = dst.workspace(size)
        with nogil:
            ret = lzfse_decode_buffer(buffer, size, src.ptr, src.size,
                                      scratch)
        if ret != <size_t> size:
            raise LzfseError('lzfse_decode_buffer failed: corrupt stream')
        return dst.finish(dst.commit(min(size, dst.size)))
    finally:
        free(scratch)


cdef object _decode_unsized(Input src, object out, Py_ssize_t limit,
                            void* scratch):
    """Decode into ever larger outputs until one is not filled.

    The library reports a full output by returning its size, so a given
    buffer is only written once the decoded size is known.
    """
    cdef Output dst = output(out, min(max(src.size * 4, 4096), limit),
                             LzfseError, False)
    cdef Output given = None
    cdef size_t ret
    if not dst.growable:
        given = dst
        dst = output(None, min(max(src.size * 4, 4096), limit), LzfseError)
    while True:
        with nogil:
            ret = lzfse_decode_buffer(dst.ptr, dst.size, src.ptr, src.size,
                                      scratch)
        if ret == 0:
            raise LzfseError('lzfse_decode_buffer failed')
        if ret < <size_t> dst.size:
            break
        if dst.size >= limit:
            raise LzfseError(f'corrupt stream: decodes to more than {limit} '
                             'bytes')
        dst.grow(min(dst.size * 4, limit))
    if given is None:
        return dst.finish(<Py_ssize_t> ret)
    if ret > <size_t> given.size:
        raise LzfseError(f'output too small: {given.size} < {ret} bytes')
    memcpy(given.ptr, dst.ptr, ret)
    return given.finish(<Py_ssize_t> ret)


cdef inline uint64_t _le(const uint8_t* ptr, int nbytes) noexcept nogil:
    """Return the little-endian unsigned integer of nbytes at ptr."""
    cdef uint64_t value = 0
    cdef int i
    for i in range(nbytes - 1, -1, -1):
        value = (value << 8) | ptr[i]
    return value


cdef Py_ssize_t _walk(const uint8_t* src, Py_ssize_t size,
                      Py_ssize_t limit) noexcept nogil:
    """Return the decoded size of an LZFSE stream from its block headers.

    Blocks must be complete and their claims possible; a 'bvx1' block
    (tables stored unpacked, never written by the encoder) is not sized.
    """
    cdef Py_ssize_t pos = 0
    cdef Py_ssize_t total = 0
    cdef uint64_t raw, block, head, fields0, fields1
    cdef uint32_t magic
    while True:
        if size - pos < 4:
            return WALK_CORRUPT  # no end-of-stream block
        magic = <uint32_t> _le(src + pos, 4)
        if magic == MAGIC_END:
            return total
        if size - pos < 8:
            return WALK_CORRUPT
        raw = _le(src + pos + 4, 4)
        if magic == MAGIC_RAW:
            block = 8 + raw
        elif magic == MAGIC_LZVN:
            if size - pos < 12:
                return WALK_CORRUPT
            block = _le(src + pos + 8, 4)
            if raw > block * LZVN_MAX_RATIO:
                return WALK_CORRUPT
            block += 12
        elif magic == MAGIC_V2:
            if size - pos < V2_FIXED_HEADER:
                return WALK_CORRUPT
            fields0 = _le(src + pos + 8, 8)
            fields1 = _le(src + pos + 16, 8)
            head = _le(src + pos + 24, 4)
            if head < V2_FIXED_HEADER or raw > (
                    (fields0 & 0xFFFFF)  # n_literals
                    + ((fields0 >> 40) & 0xFFFFF) * MAX_MATCH):  # n_matches
                return WALK_CORRUPT
            # the header, then literal and L, M, D payloads
            block = head + ((fields0 >> 20) & 0xFFFFF) + (
                (fields1 >> 40) & 0xFFFFF)
        elif magic == MAGIC_V1:
            return WALK_UNKNOWN
        else:
            return WALK_CORRUPT
        if block > <uint64_t> (size - pos):
            return WALK_CORRUPT
        pos += <Py_ssize_t> block
        total += <Py_ssize_t> raw
        if total > limit:
            return WALK_TOO_LARGE
