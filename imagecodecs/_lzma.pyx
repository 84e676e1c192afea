# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""LZMA codec over liblzma: encodes .xz, decodes .xz and .lzma streams."""

import enum

from libc.stdint cimport uint64_t
from libc.string cimport memset

from imagecodecs._shared cimport Input, Output, readable, output
from imagecodecs._exceptions import LzmaError, error_as
from imagecodecs.libs.xz cimport *


class LZMA:
    """LZMA codec constants."""

    available = True

    class CHECK(enum.IntEnum):
        NONE = 0
        CRC32 = 1
        CRC64 = 4
        SHA256 = 10


def lzma_version():
    """Return the version of the liblzma library."""
    return f'liblzma {lzma_version_string().decode()}'


def lzma_check(data):
    """Return whether data starts with an .xz or .lzma stream header."""
    head = bytes(memoryview(data)[:6])
    return head == b'\xfd7zXZ\x00' or head[:1] == b'\x5d'


_MESSAGES = {
    LZMA_MEM_ERROR: 'out of memory',
    LZMA_MEMLIMIT_ERROR: 'memory limit reached',
    LZMA_FORMAT_ERROR: 'not an .xz or .lzma stream',
    LZMA_OPTIONS_ERROR: 'unsupported options',
    LZMA_DATA_ERROR: 'corrupt data',
    LZMA_BUF_ERROR: 'data is truncated',
    LZMA_UNSUPPORTED_CHECK: 'unsupported integrity check',
    LZMA_PROG_ERROR: 'invalid arguments',
}

# Decoder memory (mostly the dictionary) allowed without question, enough
# for every preset (9 needs 65 MiB); beyond it, as much as the output could
# use: LZMA expands at most about 7000 times, and a dictionary larger than
# the output is never needed. A tiny stream claiming a dictionary of GiBs
# fails instead of allocating it.
cdef uint64_t MEMLIMIT_FLOOR = 256 << 20
cdef uint64_t MAX_RATIO = 8192


cdef _raise(lzma_ret ret, str where):
    # the reference raises ValueError for invalid data
    raise error_as(LzmaError, ValueError)(
        f'{where}: {_MESSAGES.get(ret, f"error {ret}")}')


def lzma_encode(data, level=None, check=None, out=None):
    """Return .xz compressed data; level is the preset 0 to 9."""
    cdef Input src = readable(data)
    cdef Output dst = output(out, lzma_stream_buffer_bound(src.size),
                             LzmaError, False)
    cdef lzma_stream strm
    cdef uint32_t preset = 6 if level is None else min(max(int(level), 0), 9)
    cdef int integrity = LZMA_CHECK_CRC64 if check is None else int(check)
    cdef lzma_ret ret
    memset(&strm, 0, sizeof(lzma_stream))  # LZMA_STREAM_INIT
    ret = lzma_easy_encoder(&strm, preset,
                                          <lzma_check_t> integrity)
    if ret != LZMA_OK:
        _raise(ret, 'lzma_easy_encoder')
    try:
        strm.next_in = src.ptr
        strm.avail_in = src.size
        strm.next_out = dst.ptr
        strm.avail_out = dst.size
        with nogil:
            ret = lzma_code(&strm, LZMA_FINISH)
        if ret != LZMA_STREAM_END:
            if ret == LZMA_OK or ret == LZMA_BUF_ERROR:
                raise LzmaError('output too small')
            _raise(ret, 'lzma_code')
        return dst.finish(dst.size - strm.avail_out)
    finally:
        lzma_end(&strm)


def lzma_decode(data, out=None):
    """Return decompressed .xz or .lzma data; xz streams may be joined."""
    cdef Input src = readable(data)
    cdef Output dst = output(out, max(src.size * 4, 4096), LzmaError, False)
    cdef lzma_stream strm
    cdef Py_ssize_t written = 0
    cdef uint64_t memlimit = max(MEMLIMIT_FLOOR,
                                 <uint64_t> src.size * MAX_RATIO)
    cdef lzma_ret ret
    memset(&strm, 0, sizeof(lzma_stream))  # LZMA_STREAM_INIT
    ret = lzma_auto_decoder(&strm, memlimit, LZMA_CONCATENATED)
    if ret != LZMA_OK:
        _raise(ret, 'lzma_auto_decoder')
    try:
        strm.next_in = src.ptr
        strm.avail_in = src.size
        while True:
            strm.next_out = dst.ptr + written
            strm.avail_out = dst.size - written
            with nogil:
                ret = lzma_code(&strm, LZMA_FINISH)
            written = dst.size - strm.avail_out
            if ret == LZMA_STREAM_END:
                return dst.finish(written)
            if ret == LZMA_MEMLIMIT_ERROR:
                raise LzmaError(
                    f'the stream needs {lzma_memusage(&strm) >> 20} MiB, '
                    f'more than plausible for {src.size} bytes of input')
            if ret != LZMA_OK and not (ret == LZMA_BUF_ERROR
                                       and strm.avail_out == 0):
                _raise(ret, 'lzma_code')
            if strm.avail_out != 0:
                raise error_as(LzmaError, ValueError)('data is truncated')
            if not dst.growable:
                # a given output smaller than the data gets its first bytes
                return dst.finish(written)
            dst.grow(max(dst.size * 2, 4096))
    finally:
        lzma_end(&strm)
