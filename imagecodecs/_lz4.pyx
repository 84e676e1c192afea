# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""LZ4 block and HDF5 LZ4 filter (LZ4H5) codecs over the LZ4 library."""

import enum

from libc.stdint cimport uint8_t, uint32_t, uint64_t, SIZE_MAX
from libc.string cimport memcpy
from libc.limits cimport INT_MAX

from imagecodecs._shared cimport (
    Input, Output, readable, output, check,
    IMCD_CORRUPT, IMCD_TRUNCATED, IMCD_OUTPUT_TOO_SMALL,
)
from imagecodecs._exceptions import Lz4Error, Lz4h5Error
from imagecodecs.libs.lz4 cimport *


class LZ4:
    """LZ4 codec constants."""

    available = True

    class CLEVEL(enum.IntEnum):
        """LZ4HC compression levels (hc=True)."""

        DEFAULT = 9
        MIN = 3  # the reference interface's value; lz4 >= 1.10 also takes 2
        MAX = 12
        OPT_MIN = 10


class LZ4H5:
    """LZ4H5 codec constants."""

    available = True
    CLEVEL = LZ4.CLEVEL


def lz4_version():
    """Return the version of the LZ4 library."""
    return lz4_library_version()


def lz4h5_version():
    """Return the version of the LZ4 library."""
    return lz4_library_version()


def lz4_check(data):
    """Return None: LZ4 blocks carry no signature."""
    return None


def lz4h5_check(data):
    """Return False if data is too short for the LZ4H5 header, else None."""
    return None if readable(data).size >= H5_HEADER else False


cdef inline int _acceleration(object level) except? -1:
    """LZ4_compress_fast acceleration: 1 is the default and strongest."""
    return lz4_level(level, 1, 1, 65537)


cdef inline int _capacity(Py_ssize_t size) noexcept nogil:
    """Return a buffer size as the int that the LZ4 block API takes."""
    return <int> min(size, <Py_ssize_t> INT_MAX)


# LZ4 block ##################################################################

def lz4_encode(data, level=None, hc=False, header=False, out=None):
    """Return an LZ4 block.

    hc=False: level is the acceleration (1, the default, compresses best).
    hc=True: level is the LZ4HC compression level (LZ4.CLEVEL).
    header=True: prefix the uncompressed size (uint32, little-endian).
    """
    cdef Input src = readable(data)
    cdef Py_ssize_t offset = 4 if header else 0
    cdef Output dst
    cdef int clevel
    cdef bint use_hc = bool(hc)
    cdef int ret
    if src.size > LZ4_MAX_INPUT_SIZE:
        raise Lz4Error(f'input too large for one LZ4 block: {src.size}')
    if use_hc:
        clevel = lz4_level(level, LZ4HC_CLEVEL_DEFAULT, LZ4HC_CLEVEL_MIN,
                           LZ4HC_CLEVEL_MAX)
    else:
        clevel = _acceleration(level)
    dst = output(out, LZ4_compressBound(<int> src.size) + offset, Lz4Error,
                 False)
    if dst.size < offset + 1:
        raise Lz4Error(f'output too small: {dst.size} bytes')
    with nogil:
        if use_hc:
            ret = LZ4_compress_HC(<const char*> src.ptr,
                                  <char*> dst.ptr + offset, <int> src.size,
                                  _capacity(dst.size - offset), clevel)
        else:
            ret = LZ4_compress_fast(<const char*> src.ptr,
                                    <char*> dst.ptr + offset, <int> src.size,
                                    _capacity(dst.size - offset), clevel)
    if ret <= 0:
        raise Lz4Error('output too small')
    if header:
        _write_u32le(dst.ptr, <uint32_t> src.size)
    return dst.finish(ret + offset)


def lz4_decode(data, header=False, out=None):
    """Return the decompressed LZ4 block.

    header=True: the block is prefixed by its uncompressed size (uint32,
    little-endian); else the size is found by a scan of the block.
    """
    cdef Input src = readable(data)
    cdef Py_ssize_t offset = 4 if header else 0
    cdef Py_ssize_t size
    cdef Output dst
    cdef int ret
    if src.size > INT_MAX:
        raise Lz4Error(f'input too large for one LZ4 block: {src.size}')
    if header:
        if src.size < 4:
            raise Lz4Error('data too short for the size header')
        size = _read_u32le(src.ptr)
        if not lz4_size_plausible(size, src.size - offset):
            raise Lz4Error(f'corrupt size header: {size} bytes')
    else:
        # the exact size, also for a larger given buffer: the decoder may
        # scribble over all of its capacity
        with nogil:
            size = _decoded_size(src.ptr, src.size)
        check(size, Lz4Error)
    if size > INT_MAX:
        raise Lz4Error(f'output too large for one LZ4 block: {size}')
    dst = output(out, size, Lz4Error)
    with nogil:
        ret = LZ4_decompress_safe(<const char*> src.ptr + offset,
                                  <char*> dst.ptr, <int> (src.size - offset),
                                  <int> size)
    if ret != size:
        raise Lz4Error('corrupt or truncated data')
    return dst.finish(ret)


cdef inline size_t _extended(const uint8_t** ptr, const uint8_t* end,
                             size_t length) noexcept nogil:
    """Add the 255-continued extension of a length nibble of 15.

    Return SIZE_MAX if the input ends inside the extension.
    """
    cdef unsigned int byte = 255
    if length == 15:
        while byte == 255:
            if ptr[0] >= end:
                return SIZE_MAX
            byte = ptr[0][0]
            ptr[0] += 1
            length += byte
    return length


cdef Py_ssize_t _decoded_size(const uint8_t* src,
                              Py_ssize_t size) noexcept nogil:
    """Return the size of an LZ4 block's content from its sequences.

    Each sequence is a token (literal and match length nibbles), literal
    length extension, literals, a 2-byte offset and match length extension;
    the last holds literals only. Skipping the literals costs less than
    decoding and gives the exact output size, which the decoder checks.
    """
    cdef const uint8_t* ptr = src
    cdef const uint8_t* end = src + size
    cdef Py_ssize_t total = 0
    cdef size_t length, left
    cdef unsigned int token
    while ptr < end:
        token = ptr[0]
        ptr += 1
        length = _extended(&ptr, end, token >> 4)
        left = <size_t> (end - ptr)
        if length == left:
            return total + <Py_ssize_t> length  # the last literals
        if length == SIZE_MAX or left - length < 2 or length > left:
            return IMCD_TRUNCATED
        ptr += length + 2  # literals and the match offset
        total += <Py_ssize_t> length + 4
        length = _extended(&ptr, end, token & 15)
        if length == SIZE_MAX:
            return IMCD_TRUNCATED
        total += <Py_ssize_t> length
    return IMCD_TRUNCATED  # empty, or ends after a match


cdef inline uint32_t _read_u32le(const uint8_t* p) noexcept nogil:
    return (<uint32_t> p[0] | (<uint32_t> p[1] << 8)
            | (<uint32_t> p[2] << 16) | (<uint32_t> p[3] << 24))


cdef inline void _write_u32le(uint8_t* p, uint32_t value) noexcept nogil:
    p[0] = value & 255
    p[1] = (value >> 8) & 255
    p[2] = (value >> 16) & 255
    p[3] = value >> 24


# LZ4H5 ######################################################################
# The HDF5 LZ4 filter (H5Z_FILTER_LZ4, 32004): the total size (uint64) and
# the block size (uint32), then per block its stored size (uint32) and data,
# all big-endian; a block stored with its raw size is not compressed.

cdef enum:
    H5_HEADER = 12
    H5_BLOCK_HEADER = 4
    # the default block size: the whole input, up to 1 GiB - 1
    H5_MAX_DEFAULT_BLOCK = 1073741823


def lz4h5_encode(data, level=None, blocksize=None, out=None):
    """Return data in the HDF5 LZ4 filter's blocked layout.

    level is the LZ4 acceleration (1, the default, compresses best).
    blocksize defaults to the whole input (at most 1 GiB - 1).
    """
    cdef Input src = readable(data)
    cdef int acceleration = _acceleration(level)
    cdef Py_ssize_t block, nblocks, written
    cdef Output dst
    if blocksize is None:
        block = min(max(src.size, 1), H5_MAX_DEFAULT_BLOCK)
    elif 0 < blocksize <= LZ4_MAX_INPUT_SIZE:
        block = blocksize
    else:
        raise ValueError(f'invalid blocksize {blocksize}')
    nblocks = (src.size + block - 1) // block
    # blocks that do not shrink are stored raw: the worst case is small
    dst = output(out, H5_HEADER + nblocks * H5_BLOCK_HEADER + src.size,
                 Lz4h5Error, False)
    if dst.size < H5_HEADER:
        raise Lz4h5Error(f'output too small: {dst.size} bytes')
    with nogil:
        written = _h5_compress(src.ptr, src.size, dst.ptr, dst.size,
                               <int> block, acceleration)
    return dst.finish(check(written, Lz4h5Error))


def lz4h5_decode(data, out=None):
    """Return data decompressed from the HDF5 LZ4 filter's layout."""
    cdef Input src = readable(data)
    cdef uint64_t total
    cdef uint32_t block
    cdef Py_ssize_t ret
    cdef Output dst
    if src.size < H5_HEADER:
        raise Lz4h5Error(f'data too short for the header: {src.size} bytes')
    total = _read_u64be(src.ptr)
    block = _read_u32be(src.ptr + 8)
    if block == 0 or block > <uint32_t> LZ4_MAX_INPUT_SIZE:
        raise Lz4h5Error(f'corrupt header: block size {block}')
    if not lz4_size_plausible(total, src.size):
        raise Lz4h5Error(f'corrupt header: total size {total}')
    dst = output(out, <Py_ssize_t> total, Lz4h5Error)
    with nogil:
        ret = _h5_decompress(src.ptr, src.size, dst.ptr,
                             <Py_ssize_t> total, block)
    check(ret, Lz4h5Error)
    return dst.finish(<Py_ssize_t> total)


cdef Py_ssize_t _h5_compress(const uint8_t* src, Py_ssize_t srcsize,
                             uint8_t* dst, Py_ssize_t dstsize, int block,
                             int acceleration) noexcept nogil:
    """Write header and blocks; return the bytes written or a status."""
    cdef Py_ssize_t srcpos = 0
    cdef Py_ssize_t dstpos = H5_HEADER
    cdef Py_ssize_t room
    cdef int size, stored
    _write_u64be(dst, <uint64_t> srcsize)
    _write_u32be(dst + 8, <uint32_t> block)
    while srcpos < srcsize:
        size = <int> min(<Py_ssize_t> block, srcsize - srcpos)
        room = dstsize - dstpos - H5_BLOCK_HEADER
        if room < 0:
            return IMCD_OUTPUT_TOO_SMALL
        # only a result smaller than the raw block is kept, so the
        # compressor may give up at size - 1 bytes
        stored = 0
        if min(room, <Py_ssize_t> size - 1) > 0:
            stored = LZ4_compress_fast(
                <const char*> src + srcpos,
                <char*> dst + dstpos + H5_BLOCK_HEADER, size,
                _capacity(min(room, <Py_ssize_t> size - 1)), acceleration)
        if stored <= 0:
            if size > room:
                return IMCD_OUTPUT_TOO_SMALL
            memcpy(dst + dstpos + H5_BLOCK_HEADER, src + srcpos, size)
            stored = size
        _write_u32be(dst + dstpos, <uint32_t> stored)
        dstpos += H5_BLOCK_HEADER + stored
        srcpos += size
    return dstpos


cdef Py_ssize_t _h5_decompress(const uint8_t* src, Py_ssize_t srcsize,
                               uint8_t* dst, Py_ssize_t total,
                               uint32_t block) noexcept nogil:
    """Decode the blocks after the header into exactly `total` bytes."""
    cdef Py_ssize_t srcpos = H5_HEADER
    cdef Py_ssize_t dstpos = 0
    cdef Py_ssize_t size
    cdef uint32_t stored
    cdef int ret
    while dstpos < total:
        if srcsize - srcpos < H5_BLOCK_HEADER:
            return IMCD_TRUNCATED
        stored = _read_u32be(src + srcpos)
        srcpos += H5_BLOCK_HEADER
        if stored > <uint64_t> (srcsize - srcpos):
            return IMCD_TRUNCATED
        if stored > <uint32_t> INT_MAX:
            return IMCD_CORRUPT
        size = min(<Py_ssize_t> block, total - dstpos)
        if stored == size:
            memcpy(dst + dstpos, src + srcpos, size)
        else:
            ret = LZ4_decompress_safe(<const char*> src + srcpos,
                                      <char*> dst + dstpos, <int> stored,
                                      <int> size)
            if ret != size:
                return IMCD_CORRUPT
        srcpos += stored
        dstpos += size
    return 0


cdef inline uint32_t _read_u32be(const uint8_t* p) noexcept nogil:
    return ((<uint32_t> p[0] << 24) | (<uint32_t> p[1] << 16)
            | (<uint32_t> p[2] << 8) | <uint32_t> p[3])


cdef inline uint64_t _read_u64be(const uint8_t* p) noexcept nogil:
    return (<uint64_t> _read_u32be(p) << 32) | _read_u32be(p + 4)


cdef inline void _write_u32be(uint8_t* p, uint32_t value) noexcept nogil:
    p[0] = value >> 24
    p[1] = (value >> 16) & 255
    p[2] = (value >> 8) & 255
    p[3] = value & 255


cdef inline void _write_u64be(uint8_t* p, uint64_t value) noexcept nogil:
    _write_u32be(p, <uint32_t> (value >> 32))
    _write_u32be(p + 4, <uint32_t> value)
