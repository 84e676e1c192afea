# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""LZ4F codec: the LZ4 frame format over the LZ4 library."""

from libc.stdint cimport uint8_t
from libc.string cimport memcmp, memset

from imagecodecs._shared cimport Input, Output, readable, output
from imagecodecs._exceptions import Lz4fError
from imagecodecs.libs.lz4 cimport *

# frame magic number 0x184D2204, little-endian
cdef const char* MAGIC = b'\x04\x22\x4d\x18'
# valid LZ4F_blockSizeID_t values: default (64 KB), 64 KB to 4 MB
cdef tuple BLOCKSIZEIDS = (0, 4, 5, 6, 7)


class LZ4F:
    """LZ4F codec constants."""

    available = True
    VERSION = LZ4F_VERSION


def lz4f_version():
    """Return the version of the LZ4 library."""
    return lz4_library_version()


def lz4f_check(data):
    """Return whether data starts with the LZ4 frame magic number."""
    cdef Input src = readable(data)
    return src.size >= 4 and memcmp(src.ptr, MAGIC, 4) == 0


cdef int _check(size_t ret, str where) except -1:
    if LZ4F_isError(ret):
        raise Lz4fError(f'{where}: {LZ4F_getErrorName(ret).decode()}')
    return 0


def lz4f_encode(data, level=None, blocksizeid=None, contentchecksum=None,
                blockchecksum=None, out=None):
    """Return one LZ4 frame holding data, with its content size.

    level: 0 (default) is fast mode, -1 faster, 3 to 12 use LZ4HC.
    blocksizeid: LZ4F_blockSizeID_t, 4 to 7 for 64 KB to 4 MB blocks.
    """
    cdef Input src = readable(data)
    cdef LZ4F_preferences_t prefs
    cdef size_t bound
    cdef Output dst
    memset(&prefs, 0, sizeof(prefs))
    prefs.frameInfo.contentSize = <unsigned long long> src.size
    prefs.compressionLevel = lz4_level(level, 0, -1, LZ4HC_CLEVEL_MAX)
    if blocksizeid is not None:
        if blocksizeid not in BLOCKSIZEIDS:
            raise ValueError(f'invalid blocksizeid {blocksizeid}')
        prefs.frameInfo.blockSizeID = <LZ4F_blockSizeID_t> <int> blocksizeid
    if contentchecksum:
        prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
    if blockchecksum:
        prefs.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled
    bound = LZ4F_compressFrameBound(src.size, &prefs)
    _check(bound, 'LZ4F_compressFrameBound')
    dst = output(out, <Py_ssize_t> bound, Lz4fError, False)
    return dst.finish(_compress_frame(dst, src, &prefs, bound))


cdef Py_ssize_t _compress_frame(Output dst, Input src,
                                const LZ4F_preferences_t* prefs,
                                size_t bound) except -1:
    """Compress into dst; LZ4F_compressFrame refuses any output smaller
    than its bound, even where the frame would fit."""
    cdef void* target = dst.workspace(<Py_ssize_t> bound)
    cdef size_t ret
    with nogil:
        ret = LZ4F_compressFrame(target, bound, src.ptr, src.size, prefs)
    _check(ret, 'LZ4F_compressFrame')
    return dst.commit(<Py_ssize_t> ret)


def lz4f_decode(data, out=None):
    """Return decompressed LZ4 frames; skippable frames are skipped."""
    cdef Input src = readable(data)
    cdef LZ4F_dctx* dctx = NULL
    cdef LZ4F_decompressOptions_t options
    cdef size_t srcpos = 0
    cdef size_t written = 0
    cdef size_t end, limit, ret
    cdef Output dst
    if src.size == 0:
        raise Lz4fError('no frame in empty data')
    end = _frame_end(src, 0, 0)
    # the first frame's content size fits, a guess grows on demand
    dst = output(out, <Py_ssize_t> end if end else max(src.size * 4, 4096),
                 Lz4fError, False)
    memset(&options, 0, sizeof(options))
    _check(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION),
           'LZ4F_createDecompressionContext')
    try:
        while True:
            # a frame with content size gets no more room: the library
            # may scribble over all the room it gets
            limit = min(<size_t> dst.size, end) if end else dst.size
            # stableDst spares the library copying the output into its own
            # window; it holds only while the output cannot move, in a
            # frame whose content size fits (a guess may have to grow)
            options.stableDst = end != 0 and end <= <size_t> dst.size
            with nogil:
                ret = _decompress(dctx, src.ptr, src.size, &srcpos, dst.ptr,
                                  limit, &written, &options)
            _check(ret, 'LZ4F_decompress')
            if ret == 0:  # a frame is complete
                if srcpos == <size_t> src.size:
                    break
                end = _frame_end(src, srcpos, written)
                if end > <size_t> dst.size and dst.growable:
                    dst.grow(<Py_ssize_t> end)
            elif written < limit or (end and written >= end):
                raise Lz4fError('data is truncated')
            elif not dst.growable:
                break  # a given output smaller than the data: its first bytes
            else:
                dst.grow(max(dst.size * 2, 4096))
    finally:
        LZ4F_freeDecompressionContext(dctx)
    return dst.finish(<Py_ssize_t> written)


cdef size_t _frame_end(Input src, size_t pos, size_t written) except? 0:
    """Return where the frame at pos ends in the output, 0 if unknown."""
    cdef unsigned long long size = _content_size(src.ptr + pos,
                                                 src.size - pos)
    if not lz4_size_plausible(size, src.size - pos):
        raise Lz4fError(f'corrupt frame header: content size {size}')
    return written + size if size else 0


cdef size_t _decompress(LZ4F_dctx* dctx, const uint8_t* src,
                        size_t srcsize, size_t* srcpos, uint8_t* dst,
                        size_t dstsize, size_t* written,
                        const LZ4F_decompressOptions_t* options
                        ) noexcept nogil:
    """Decode until a frame ends or no progress can be made.

    Return the last LZ4F_decompress result: 0 after a complete frame.
    """
    cdef size_t ret, srcn, dstn
    while True:
        srcn = srcsize - srcpos[0]
        dstn = dstsize - written[0]
        ret = LZ4F_decompress(dctx, dst + written[0], &dstn,
                              src + srcpos[0], &srcn, options)
        srcpos[0] += srcn
        written[0] += dstn
        if LZ4F_isError(ret) or ret == 0:
            return ret
        if srcn == 0 and dstn == 0:
            return ret  # needs input that is not there, or more output


cdef unsigned long long _content_size(const uint8_t* src,
                                      Py_ssize_t size) noexcept nogil:
    """Return the content size in a frame header at src, 0 if unknown."""
    cdef unsigned long long value = 0
    cdef int i
    # magic (4), FLG with content size bit 3, BD, content size (8, LE)
    if size < 14 or memcmp(src, MAGIC, 4) != 0:
        return 0
    if not src[4] & 0x08:
        return 0
    for i in range(8):
        value |= (<unsigned long long> src[6 + i]) << (8 * i)
    return value
