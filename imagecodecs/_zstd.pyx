# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""ZSTD codec over the Zstandard library."""

from imagecodecs._shared cimport (
    Input, Output, readable, output, default_threads,
)
from imagecodecs._exceptions import ZstdError
from imagecodecs.libs.zstd cimport *

# No zstd frame expands more than this: a 3-byte block header and one byte
# describe at most one 128 KiB block (RLE). Larger claims are corrupt.
cdef Py_ssize_t MAX_RATIO = 32768


class ZSTD:
    """ZSTD codec constants."""

    available = True


def zstd_version():
    """Return the version of the Zstandard library."""
    return f'zstd {ZSTD_versionString().decode()}'


def zstd_check(data):
    """Return whether data starts with a zstd frame magic number."""
    return bytes(memoryview(data)[:4]) == b'\x28\xb5\x2f\xfd'


cdef int _check(size_t ret, str where) except -1:
    if ZSTD_isError(ret):
        raise ZstdError(f'{where}: {ZSTD_getErrorName(ret).decode()}')
    return 0


def zstd_encode(data, level=None, numthreads=None, out=None):
    """Return zstd compressed data; numthreads > 1 uses worker threads."""
    cdef Input src = readable(data)
    cdef Output dst = output(out, ZSTD_compressBound(src.size), ZstdError,
                             False)
    cdef int clevel = ZSTD_CLEVEL_DEFAULT if level is None else min(
        max(int(level), ZSTD_minCLevel()), ZSTD_maxCLevel())
    cdef int workers = default_threads(numthreads)
    cdef ZSTD_CCtx* cctx = ZSTD_createCCtx()
    cdef size_t ret
    if cctx == NULL:
        raise MemoryError('ZSTD_createCCtx failed')
    try:
        _check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, clevel),
               'ZSTD_CCtx_setParameter')
        if workers > 1:
            # fails if the library was built without threads: stay serial
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, workers)
        with nogil:
            ret = ZSTD_compress2(cctx, dst.ptr, dst.size, src.ptr, src.size)
        _check(ret, 'ZSTD_compress2')
        return dst.finish(<Py_ssize_t> ret)
    finally:
        ZSTD_freeCCtx(cctx)


def zstd_decode(data, out=None):
    """Return decompressed zstd data (one or more frames)."""
    cdef Input src = readable(data)
    cdef Output dst
    cdef unsigned long long size = ZSTD_getFrameContentSize(src.ptr,
                                                            src.size)
    cdef ZSTD_DCtx* dctx
    cdef ZSTD_inBuffer inbuf
    cdef ZSTD_outBuffer outbuf
    cdef size_t ret = 0
    if src.size == 0:
        return output(out, 0, ZstdError).finish(0)
    if size == ZSTD_CONTENTSIZE_ERROR:
        raise ZstdError('not a zstd frame')
    if size != ZSTD_CONTENTSIZE_UNKNOWN and (
            size > <unsigned long long> src.size * MAX_RATIO + 4096):
        raise ZstdError(f'corrupt frame header: content size {size}')
    dctx = ZSTD_createDCtx()
    if dctx == NULL:
        raise MemoryError('ZSTD_createDCtx failed')
    try:
        dst = output(out, max(src.size * 4, 4096)
                     if size == ZSTD_CONTENTSIZE_UNKNOWN else size,
                     ZstdError, False)
        # one streaming loop serves frames with and without content size
        # and concatenated frames; it only writes what the output holds
        inbuf.src = src.ptr
        inbuf.size = src.size
        inbuf.pos = 0
        outbuf.pos = 0
        while True:
            outbuf.dst = dst.ptr
            outbuf.size = dst.size
            with nogil:
                ret = _stream(dctx, &outbuf, &inbuf)
            _check(ret, 'ZSTD_decompressStream')
            if ret == 0 and inbuf.pos == inbuf.size:
                break
            if outbuf.pos < outbuf.size:
                raise ZstdError('data is truncated')
            dst.grow(max(dst.size * 2, 4096))
        return dst.finish(<Py_ssize_t> outbuf.pos)
    finally:
        ZSTD_freeDCtx(dctx)


cdef size_t _stream(ZSTD_DCtx* dctx, ZSTD_outBuffer* outbuf,
                    ZSTD_inBuffer* inbuf) noexcept nogil:
    """Decompress until the input is done or no progress can be made.

    Return the last ZSTD_decompressStream result: 0 after a complete frame.
    """
    cdef size_t ret = 1
    cdef size_t inpos, outpos
    while True:  # a full output may still take the frame's checksum
        inpos = inbuf.pos
        outpos = outbuf.pos
        ret = ZSTD_decompressStream(dctx, outbuf, inbuf)
        if ZSTD_isError(ret) or (ret == 0 and inbuf.pos == inbuf.size):
            break
        if inbuf.pos == inpos and outbuf.pos == outpos:
            break  # needs input that is not there
    return ret
