# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""LZHAM codec over the LZHAM library (Lempel-Ziv Huffman Arithmetic Markov).

Streams are those of LZHAM's zlib-style API, as the reference package
writes them: a 2-byte zlib header with method 14, the LZHAM data coded
with a 32 KiB dictionary (log2 15) and default table update rates, and
the Adler-32 of the data.
"""

import enum

from libc.string cimport memset

from imagecodecs._shared cimport Input, Output, readable, output
from imagecodecs._exceptions import LzhamError
from imagecodecs.libs.lzham cimport *

cdef extern from 'imcd.h':
    const char* IMCD_VERSION_LZHAM


class LZHAM:
    """LZHAM codec constants."""

    available = True

    class COMPRESSION(enum.IntEnum):
        DEFAULT = -1
        NO = 0
        BEST = 9
        SPEED = 1
        UBER = 10

    class STRATEGY(enum.IntEnum):
        # accepted by LZHAM's zlib-style API for compatibility, unused
        DEFAULT = 0
        FILTERED = 1
        HUFFMAN_ONLY = 2
        RLE = 3
        FIXED = 4


_DECOMP_ERRORS = {
    LZHAM_DECOMP_STATUS_FAILED_INITIALIZING: 'failed initializing',
    LZHAM_DECOMP_STATUS_FAILED_DEST_BUF_TOO_SMALL: 'output too small',
    LZHAM_DECOMP_STATUS_FAILED_EXPECTED_MORE_RAW_BYTES: 'data is truncated',
    LZHAM_DECOMP_STATUS_FAILED_BAD_CODE: 'bad code',
    LZHAM_DECOMP_STATUS_FAILED_ADLER32: 'Adler-32 mismatch',
    LZHAM_DECOMP_STATUS_FAILED_BAD_RAW_BLOCK: 'bad raw block',
    LZHAM_DECOMP_STATUS_FAILED_BAD_COMP_BLOCK_SYNC_CHECK: 'bad block sync',
    LZHAM_DECOMP_STATUS_FAILED_BAD_ZLIB_HEADER: 'bad zlib header',
    LZHAM_DECOMP_STATUS_FAILED_NEED_SEED_BYTES: 'needs seed bytes',
    LZHAM_DECOMP_STATUS_FAILED_BAD_SEED_BYTES: 'bad seed bytes',
    LZHAM_DECOMP_STATUS_FAILED_BAD_SYNC_BLOCK: 'bad sync block',
    LZHAM_DECOMP_STATUS_INVALID_PARAMETER: 'invalid parameter',
}

cdef enum:
    # LZHAM's zlib method and header check (RFC 1950 CMF/FLG)
    METHOD_LZHAM = 14
    # the dictionary of the zlib-style API, fixed by the stream format of
    # the reference: the decoder must use the encoder's size
    DICT_SIZE_LOG2 = 15

# The longest match, 71169 bytes, costs a Huffman code and 16 extra bits:
# no stream expands more than ~33500:1 (the encoder's zeros reach 556:1).
cdef Py_ssize_t MAX_RATIO = 65536
# Damaged streams can decode without end once their input is used up. A
# valid one then only flushes what its last prefetched bits code: a few
# longest matches and the dictionary.
cdef Py_ssize_t MAX_TAIL = 1 << 20


def lzham_version():
    """Return the release and the library's own (DLL) versions of LZHAM."""
    return (f'lzham {IMCD_VERSION_LZHAM.decode()} '
            f'(DLL {lzham_z_version().decode()})')


def lzham_check(data):
    """Return whether data starts with an LZHAM zlib-style header."""
    head = bytes(memoryview(data)[:2])
    return (len(head) == 2 and head[0] & 0x0F == METHOD_LZHAM
            and (head[0] * 256 + head[1]) % 31 == 0)


cdef lzham_compress_level _comp_level(int level) noexcept:
    """Map a zlib-style level to LZHAM's, as LZHAM's deflateInit2 does."""
    if level < 0 or level > 7:
        return LZHAM_COMP_LEVEL_UBER
    if level <= 1:
        return LZHAM_COMP_LEVEL_FASTEST
    if level <= 3:
        return LZHAM_COMP_LEVEL_FASTER
    if level <= 5:
        return LZHAM_COMP_LEVEL_DEFAULT
    return LZHAM_COMP_LEVEL_BETTER


cdef inline bint _stuck(Output dst, Py_ssize_t written, size_t insize,
                        size_t outsize) noexcept:
    """Return whether the last call made no progress for a full output.

    A full output is not an error yet: the next call may report the end.
    """
    return written == dst.size and insize == 0 and outsize == 0


cdef int _no_room(Output dst) except -1:
    """Raise if a full output cannot grow."""
    if not dst.growable:
        raise LzhamError(f'output too small: {dst.size} bytes are not enough')
    return 0


def lzham_encode(data, level=None, out=None):
    """Return LZHAM compressed data; level -1 to 10 (zlib-style)."""
    cdef Input src = readable(data)
    cdef int clevel = -1 if level is None else min(max(int(level), -1), 10)
    # LZHAM falls back to raw blocks: its deflateBound holds
    cdef Py_ssize_t bound = 64 + src.size + (src.size + 4095) // 4096 * 4
    cdef Output dst = output(out, bound, LzhamError, False)
    cdef lzham_compress_params params
    cdef lzham_compress_state_ptr state
    cdef lzham_compress_status_t status
    cdef Py_ssize_t consumed = 0
    cdef Py_ssize_t written = 0
    cdef size_t insize, outsize
    memset(&params, 0, sizeof(params))
    params.m_struct_size = sizeof(params)
    params.m_dict_size_log2 = DICT_SIZE_LOG2
    params.m_level = _comp_level(clevel)
    params.m_max_helper_threads = -1  # as many as practical
    # the same input gives the same stream, whatever the threads do
    params.m_compress_flags = (LZHAM_COMP_FLAG_WRITE_ZLIB_STREAM
                               | LZHAM_COMP_FLAG_DETERMINISTIC_PARSING)
    if clevel == LZHAM_Z_UBER_COMPRESSION:
        params.m_compress_flags |= LZHAM_COMP_FLAG_EXTREME_PARSING
    state = lzham_compress_init(&params)
    if state == NULL:
        raise LzhamError('lzham_compress_init failed')
    try:
        while True:
            insize = src.size - consumed
            outsize = dst.size - written
            with nogil:
                status = lzham_compress(state, src.ptr + consumed, &insize,
                                        dst.ptr + written, &outsize, True)
            consumed += insize
            written += outsize
            if status == LZHAM_COMP_STATUS_SUCCESS:
                break
            if status >= LZHAM_COMP_STATUS_FIRST_FAILURE_CODE:
                raise LzhamError(f'lzham_compress failed: status {status}')
            if (status == LZHAM_COMP_STATUS_HAS_MORE_OUTPUT
                    or _stuck(dst, written, insize, outsize)):
                _no_room(dst)
                dst.grow(dst.size * 2)
            elif insize == 0 and outsize == 0:
                raise LzhamError('lzham_compress made no progress')
        return dst.finish(written)
    finally:
        lzham_compress_deinit(state)


def lzham_decode(data, out=None):
    """Return decompressed LZHAM data."""
    cdef Input src = readable(data)
    cdef Output dst
    cdef lzham_decompress_params params
    cdef lzham_decompress_state_ptr state
    cdef lzham_decompress_status_t status
    cdef Py_ssize_t consumed = 0
    cdef Py_ssize_t written = 0
    cdef size_t insize, outsize
    cdef Py_ssize_t limit = src.size * MAX_RATIO
    cdef Py_ssize_t tail = -1  # output size when all input was consumed
    if src.size == 0:
        return output(out, 0, LzhamError).finish(0)
    dst = output(out, min(max(src.size * 4, 4096), limit), LzhamError,
                 False)
    memset(&params, 0, sizeof(params))
    params.m_struct_size = sizeof(params)
    params.m_dict_size_log2 = DICT_SIZE_LOG2
    params.m_decompress_flags = (LZHAM_DECOMP_FLAG_READ_ZLIB_STREAM
                                 | LZHAM_DECOMP_FLAG_COMPUTE_ADLER32)
    state = lzham_decompress_init(&params)
    if state == NULL:
        raise LzhamError('lzham_decompress_init failed')
    try:
        while True:
            insize = src.size - consumed
            outsize = dst.size - written
            with nogil:
                status = lzham_decompress(state, src.ptr + consumed,
                                          &insize, dst.ptr + written,
                                          &outsize, True)
            consumed += insize
            written += outsize
            if status == LZHAM_DECOMP_STATUS_SUCCESS:
                break
            if status >= LZHAM_DECOMP_STATUS_FIRST_FAILURE_CODE:
                message = _DECOMP_ERRORS.get(status, f'status {status}')
                raise LzhamError(f'lzham_decompress failed: {message}')
            if tail < 0 and consumed == src.size:
                tail = written
            if tail >= 0 and written - tail > MAX_TAIL:
                raise LzhamError('corrupt stream: output without input')
            if (status == LZHAM_DECOMP_STATUS_HAS_MORE_OUTPUT
                    or _stuck(dst, written, insize, outsize)):
                _no_room(dst)
                if dst.size >= limit:
                    raise LzhamError('corrupt stream: decodes to more than '
                                     f'{limit} bytes')
                dst.grow(min(dst.size * 2, limit))
            elif status == LZHAM_DECOMP_STATUS_NEEDS_MORE_INPUT or (
                    insize == 0 and outsize == 0):
                raise LzhamError('data is truncated')
        return dst.finish(written)
    finally:
        lzham_decompress_deinit(state)
