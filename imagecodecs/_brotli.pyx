# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""BROTLI codec over the brotli library."""

import enum

from libc.stdint cimport uint8_t, uint32_t

from imagecodecs._shared cimport Input, Output, readable, output
from imagecodecs._exceptions import BrotliError
from imagecodecs.libs.brotli cimport *


class BROTLI:
    """BROTLI codec constants."""

    available = True

    class MODE(enum.IntEnum):
        GENERIC = 0
        TEXT = 1
        FONT = 2


def brotli_version():
    """Return the version of the brotli library."""
    cdef uint32_t ver = BrotliDecoderVersion()
    return f'brotli {ver >> 24}.{(ver >> 12) & 4095}.{ver & 4095}'


def brotli_check(data):
    """Return None: brotli streams carry no signature."""
    return None


# Quality for level=None: the reference package's default, a fast level
# (the library's own default, 11, is about 50 times slower).
cdef int DEFAULT_QUALITY = 4


def brotli_encode(data, level=None, mode=None, lgwin=None, out=None):
    """Return brotli compressed data; level is the quality 0 to 11 (4)."""
    cdef Input src = readable(data)
    cdef int quality = DEFAULT_QUALITY if level is None else min(
        max(int(level), BROTLI_MIN_QUALITY), BROTLI_MAX_QUALITY)
    cdef int window = BROTLI_DEFAULT_WINDOW if lgwin is None else min(
        max(int(lgwin), BROTLI_MIN_WINDOW_BITS), BROTLI_MAX_WINDOW_BITS)
    cdef int cmode = 0 if mode is None else int(BROTLI.MODE(mode))
    cdef size_t bound = BrotliEncoderMaxCompressedSize(src.size)
    cdef Output dst
    cdef size_t size
    cdef BROTLI_BOOL ok
    if bound == 0:
        bound = src.size + 1024  # the library could not tell: large input
    dst = output(out, bound, BrotliError, False)
    size = dst.size
    with nogil:
        ok = BrotliEncoderCompress(quality, window,
                                   <BrotliEncoderMode> cmode, src.size,
                                   src.ptr, &size, dst.ptr)
    if not ok:
        raise BrotliError('BrotliEncoderCompress failed '
                          '(output too small?)')
    return dst.finish(size)


def brotli_decode(data, out=None):
    """Return decompressed brotli data."""
    cdef Input src = readable(data)
    cdef Output dst = output(out, max(src.size * 4, 4096), BrotliError,
                             False)
    cdef BrotliDecoderState* state = BrotliDecoderCreateInstance(NULL, NULL,
                                                                 NULL)
    cdef BrotliDecoderResult ret
    cdef const uint8_t* next_in = src.ptr
    cdef size_t avail_in = src.size
    cdef uint8_t* next_out
    cdef size_t avail_out
    cdef Py_ssize_t written = 0
    if state == NULL:
        raise MemoryError('BrotliDecoderCreateInstance failed')
    try:
        while True:
            next_out = dst.ptr + written
            avail_out = dst.size - written
            with nogil:
                ret = BrotliDecoderDecompressStream(
                    state, &avail_in, &next_in, &avail_out, &next_out, NULL)
            written = dst.size - avail_out
            if ret == BROTLI_DECODER_RESULT_SUCCESS:
                return dst.finish(written)
            if ret == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
                dst.grow(max(dst.size * 2, 4096))
                continue
            if ret == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
                raise BrotliError('data is truncated')
            raise BrotliError(BrotliDecoderErrorString(
                BrotliDecoderGetErrorCode(state)).decode())
    finally:
        BrotliDecoderDestroyInstance(state)
