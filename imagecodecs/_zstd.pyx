# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""ZSTD codec over the Zstandard library."""

from libc.stdint cimport uint8_t

from imagecodecs._shared cimport Input, Output, readable, output
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


def zstd_encode(data, level=None, out=None):
    """Return zstd compressed data; level -131072 (fastest) to 22.

    None or 0 is the library's default level 3.
    """
    cdef Input src = readable(data)
    cdef Output dst = output(out, ZSTD_compressBound(src.size), ZstdError,
                             False)
    cdef int clevel = ZSTD_CLEVEL_DEFAULT if level is None else min(
        max(int(level), ZSTD_minCLevel()), ZSTD_maxCLevel())
    cdef ZSTD_CCtx* cctx = ZSTD_createCCtx()
    cdef ZSTD_inBuffer inbuf
    cdef ZSTD_outBuffer outbuf
    cdef size_t ret
    if cctx == NULL:
        raise MemoryError('ZSTD_createCCtx failed')
    try:
        _check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, clevel),
               'ZSTD_CCtx_setParameter')
        inbuf.src = src.ptr
        inbuf.size = src.size
        inbuf.pos = 0
        outbuf.dst = dst.ptr
        outbuf.size = dst.size
        outbuf.pos = 0
        # one call ending the frame writes the same frame as ZSTD_compress
        # (directly into an output of the bound size), but unlike it also
        # fills an output of exactly the compressed size
        with nogil:
            ret = _compress(cctx, &outbuf, &inbuf)
        _check(ret, 'ZSTD_compressStream2')
        if ret != 0:
            raise ZstdError(f'output too small: {dst.size} bytes')
        return dst.finish(<Py_ssize_t> outbuf.pos)
    finally:
        ZSTD_freeCCtx(cctx)


cdef size_t _compress(ZSTD_CCtx* cctx, ZSTD_outBuffer* outbuf,
                      ZSTD_inBuffer* inbuf) noexcept nogil:
    """Compress all input into one frame until done or the output is full.

    Return 0 when the frame is complete, else the bytes left to flush.
    """
    cdef size_t ret
    cdef size_t outpos
    while True:
        outpos = outbuf.pos
        ret = ZSTD_compressStream2(cctx, outbuf, inbuf, ZSTD_e_end)
        if ZSTD_isError(ret) or ret == 0 or outbuf.pos == outpos:
            return ret


def zstd_decode(data, out=None):
    """Return decompressed zstd data (one or more frames)."""
    cdef Input src = readable(data)
    cdef Output dst
    cdef unsigned long long size
    cdef ZSTD_DCtx* dctx
    cdef ZSTD_inBuffer inbuf
    cdef ZSTD_outBuffer outbuf
    cdef size_t ret = 0
    if src.size == 0:
        return output(out, 0, ZstdError).finish(0)
    with nogil:
        size = _content_size(src.ptr, src.size)
    if size == ZSTD_CONTENTSIZE_ERROR:
        raise ZstdError('not a zstd frame or its header is truncated')
    if size != ZSTD_CONTENTSIZE_UNKNOWN and (
            size > <unsigned long long> src.size * MAX_RATIO + 4096):
        raise ZstdError(f'corrupt frame header: content size {size}')
    dctx = ZSTD_createDCtx()
    if dctx == NULL:
        raise MemoryError('ZSTD_createDCtx failed')
    try:
        if size == ZSTD_CONTENTSIZE_UNKNOWN:
            dst = output(out, max(src.size * 4, 4096), ZstdError, False)
        else:
            # allocated exactly, so the result is not copied; a smaller
            # given output fails before any work
            dst = output(out, <Py_ssize_t> size, ZstdError, True)
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


cdef unsigned long long _content_size(const uint8_t* ptr,
                                      size_t size) noexcept nogil:
    """Return the summed content size of all frames in the input.

    ZSTD_CONTENTSIZE_ERROR if the first frame header is invalid, UNKNOWN
    if a frame does not record its size or a later frame cannot be walked
    (the decoder then reports what is wrong). Skippable frames count 0.
    """
    cdef unsigned long long total = 0
    cdef unsigned long long frame
    cdef size_t used
    cdef bint first = True
    while size > 0:
        frame = ZSTD_getFrameContentSize(ptr, size)
        if frame == ZSTD_CONTENTSIZE_ERROR and not first:
            return ZSTD_CONTENTSIZE_UNKNOWN
        if frame == ZSTD_CONTENTSIZE_ERROR or (
                frame == ZSTD_CONTENTSIZE_UNKNOWN):
            return frame
        used = ZSTD_findFrameCompressedSize(ptr, size)
        if ZSTD_isError(used) or total + frame < total:
            return ZSTD_CONTENTSIZE_UNKNOWN
        total += frame
        ptr += used
        size -= used
        first = False
    return total


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
