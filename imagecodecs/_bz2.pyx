# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""BZ2 codec over libbzip2."""

from libc.string cimport memset
from libc.limits cimport UINT_MAX

from imagecodecs._shared cimport Input, Output, readable, output
from imagecodecs._exceptions import Bz2Error, error_as
from imagecodecs.libs.bzip2 cimport *


class BZ2:
    """BZ2 codec constants."""

    available = True


def bz2_version():
    """Return the version of the libbzip2 library."""
    return f'libbzip2 {BZ2_bzlibVersion().decode().split(",")[0]}'


def bz2_check(data):
    """Return whether data starts with a bzip2 stream header."""
    head = bytes(memoryview(data)[:4])
    return len(head) == 4 and head[:3] == b'BZh' and 0x31 <= head[3] <= 0x39


cdef inline void _feed(bz_stream* strm, const unsigned char** src,
                       Py_ssize_t* srcsize) noexcept nogil:
    """Move up to UINT_MAX more input bytes into the stream."""
    cdef unsigned int n
    if strm.avail_in == 0 and srcsize[0] > 0:
        n = <unsigned int> min(srcsize[0], UINT_MAX)
        strm.next_in = <char*> src[0]
        strm.avail_in = n
        src[0] += n
        srcsize[0] -= n


cdef inline void _room(bz_stream* strm, unsigned char* dst,
                       Py_ssize_t dstsize, Py_ssize_t written) noexcept nogil:
    strm.next_out = <char*> dst + written
    strm.avail_out = <unsigned int> min(dstsize - written, UINT_MAX)


_MESSAGES = {
    -100: 'data is truncated',  # ours: input ends inside a stream
    BZ_DATA_ERROR: 'corrupt data',
    BZ_DATA_ERROR_MAGIC: 'not a bzip2 stream',
}


def bz2_encode(data, level=None, out=None):
    """Return bzip2 compressed data; level 1 to 9 (default 9)."""
    cdef Input src = readable(data)
    cdef Output dst
    cdef bz_stream strm
    cdef const unsigned char* next_in = src.ptr
    cdef Py_ssize_t remaining = src.size
    cdef Py_ssize_t written = 0
    cdef int blocksize = 9 if level is None else min(max(int(level), 1), 9)
    cdef int ret
    memset(&strm, 0, sizeof(bz_stream))
    ret = BZ2_bzCompressInit(&strm, blocksize, 0, 0)
    if ret != BZ_OK:
        raise Bz2Error(f'BZ2_bzCompressInit returned {ret}')
    try:
        # worst case documented by bzip2: 1% larger plus 600 bytes
        dst = output(out, src.size + src.size // 100 + 600, Bz2Error, False)
        with nogil:
            while True:
                _feed(&strm, &next_in, &remaining)
                _room(&strm, dst.ptr, dst.size, written)
                ret = BZ2_bzCompress(
                    &strm, BZ_FINISH if remaining == 0 else BZ_RUN)
                written = <Py_ssize_t> (<unsigned char*> strm.next_out
                                        - dst.ptr)
                if ret == BZ_STREAM_END or ret < 0 or written == dst.size:
                    break
        if ret != BZ_STREAM_END:
            raise Bz2Error('output too small' if ret >= 0
                           else f'BZ2_bzCompress returned {ret}')
        return dst.finish(written)
    finally:
        BZ2_bzCompressEnd(&strm)


def bz2_decode(data, out=None):
    """Return decompressed bzip2 data; concatenated streams are joined."""
    cdef Input src = readable(data)
    cdef Output dst = output(out, max(src.size * 6, 4096), Bz2Error, False)
    cdef bz_stream strm
    cdef const unsigned char* next_in = src.ptr
    cdef Py_ssize_t remaining = src.size
    cdef Py_ssize_t written = 0
    cdef int ret = BZ_STREAM_END
    if src.size == 0:
        return dst.finish(0)
    while True:
        if ret == BZ_STREAM_END:
            # a new stream starts: the first or one concatenated to it
            memset(&strm, 0, sizeof(bz_stream))
            _feed(&strm, &next_in, &remaining)
            if BZ2_bzDecompressInit(&strm, 0, 0) != BZ_OK:
                raise Bz2Error('BZ2_bzDecompressInit failed')
        with nogil:
            while True:
                _feed(&strm, &next_in, &remaining)
                _room(&strm, dst.ptr, dst.size, written)
                ret = BZ2_bzDecompress(&strm)
                written = <Py_ssize_t> (<unsigned char*> strm.next_out
                                        - dst.ptr)
                if ret != BZ_OK or written == dst.size:
                    break
                if strm.avail_in == 0 and remaining == 0:
                    ret = -100  # input ends inside the stream
                    break
        if ret == BZ_STREAM_END:
            BZ2_bzDecompressEnd(&strm)
            # input is fed in contiguous chunks: unused bytes precede next_in
            next_in = <const unsigned char*> strm.next_in \
                if strm.avail_in else next_in
            remaining += strm.avail_in
            if remaining >= 4 and bz2_check(next_in[:4]):
                continue
            return dst.finish(written)
        if ret == BZ_OK and not dst.growable:
            # a given output smaller than the data gets its first bytes
            BZ2_bzDecompressEnd(&strm)
            return dst.finish(written)
        if ret == BZ_OK:
            try:
                dst.grow(max(dst.size * 2, 4096))
            except BaseException:
                BZ2_bzDecompressEnd(&strm)
                raise
            continue
        BZ2_bzDecompressEnd(&strm)
        if ret == BZ_MEM_ERROR:
            raise MemoryError('BZ2_bzDecompress: out of memory')
        # the reference raises OSError for invalid streams and ValueError
        # for truncated ones, as Python's bz2 module does
        raise error_as(error_as(Bz2Error, ValueError), OSError)(
            _MESSAGES.get(ret, f'BZ2_bzDecompress returned {ret}'))
