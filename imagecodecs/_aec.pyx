# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""Adaptive Entropy Coding (CCSDS 121.0-B-3) and its HDF5 SZIP framing."""

import enum
import sys

import numpy

from imagecodecs._shared cimport Input, Output, readable, output, check
from imagecodecs._shared cimport IMCD_OUTPUT_TOO_SMALL, fresh_output
from imagecodecs._exceptions import AecError, SzipError
from imagecodecs import imcd_version

cdef extern from 'aec.h' nogil:
    int IMCD_AEC_DATA_SIGNED
    int IMCD_AEC_DATA_3BYTE
    int IMCD_AEC_DATA_MSB
    int IMCD_AEC_DATA_PREPROCESS
    int IMCD_AEC_RESTRICTED
    int IMCD_AEC_PAD_RSI
    int IMCD_AEC_NOT_ENFORCE
    int IMCD_AEC_MIN_K
    int IMCD_AEC_GROW
    int IMCD_AEC_EXACT
    int IMCD_SZIP_LSB
    int IMCD_SZIP_MSB
    int IMCD_SZIP_MAX_PIXELS_PER_BLOCK

    ctypedef struct imcd_aec_params:
        int bits
        int flags
        int blocksize
        int rsi
        int line

    ctypedef struct imcd_aec_decoder:
        Py_ssize_t written

    ctypedef struct imcd_szip_params:
        int options_mask
        int pixels_per_block
        int bits_per_pixel
        int pixels_per_scanline

    Py_ssize_t imcd_aec_sample_size(const imcd_aec_params* params)
    Py_ssize_t imcd_aec_encode_bound(const imcd_aec_params* params,
                                     Py_ssize_t srcsize)
    Py_ssize_t imcd_aec_encode(const imcd_aec_params* params,
                               const unsigned char* src, Py_ssize_t srcsize,
                               unsigned char* dst, Py_ssize_t dstsize)
    Py_ssize_t imcd_aec_decode_init(imcd_aec_decoder* dec,
                                    const imcd_aec_params* params,
                                    const unsigned char* src,
                                    Py_ssize_t srcsize)
    Py_ssize_t imcd_aec_decode(imcd_aec_decoder* dec, unsigned char* dst,
                               Py_ssize_t dstsize, int mode)
    Py_ssize_t imcd_szip_encode_bound(const imcd_szip_params* params,
                                      Py_ssize_t srcsize)
    Py_ssize_t imcd_szip_encode(const imcd_szip_params* params,
                                const unsigned char* src, Py_ssize_t srcsize,
                                unsigned char* dst, Py_ssize_t dstsize)
    Py_ssize_t imcd_szip_decode(const imcd_szip_params* params,
                                const unsigned char* src, Py_ssize_t srcsize,
                                unsigned char* dst, Py_ssize_t dstsize)


class AEC:
    """AEC codec constants."""

    available = True

    class FLAG(enum.IntEnum):
        """AEC flags, those of libaec; MIN_K is ours."""

        DATA_SIGNED = IMCD_AEC_DATA_SIGNED
        DATA_3BYTE = IMCD_AEC_DATA_3BYTE
        DATA_MSB = IMCD_AEC_DATA_MSB
        DATA_PREPROCESS = IMCD_AEC_DATA_PREPROCESS
        RESTRICTED = IMCD_AEC_RESTRICTED
        PAD_RSI = IMCD_AEC_PAD_RSI
        NOT_ENFORCE = IMCD_AEC_NOT_ENFORCE
        MIN_K = IMCD_AEC_MIN_K


class SZIP:
    """SZIP codec constants."""

    available = True

    class OPTION_MASK(enum.IntEnum):
        """SZIP option mask of szlib and HDF5."""

        ALLOW_K13 = 1
        CHIP = 2
        EC = 4
        LSB = 8
        MSB = 16
        NN = 32
        RAW = 128


def aec_version():
    """Return the version of the AEC codec."""
    return imcd_version()


def aec_check(data):
    """Return None: AEC streams carry no signature."""
    return None


def _big_endian(dtype):
    return dtype.byteorder == '>' or (dtype.byteorder == '='
                                      and sys.byteorder == 'big')


cdef int _aec_params(imcd_aec_params* params, dtype, bitspersample, flags,
                     blocksize, rsi) except -1:
    """Fill params; an array's dtype sets the defaults and sign and order."""
    if dtype is not None and (dtype.itemsize > 4 or dtype.kind not in 'biuf'):
        raise ValueError(f'dtype {dtype} not supported')
    if bitspersample is None:
        bitspersample = 8 if dtype is None else dtype.itemsize * 8
    flags = IMCD_AEC_DATA_PREPROCESS if flags is None else int(flags)
    if dtype is not None:
        if dtype.kind == 'i':
            flags |= IMCD_AEC_DATA_SIGNED
        if _big_endian(dtype):
            flags |= IMCD_AEC_DATA_MSB
    params.bits = int(bitspersample)
    params.flags = flags
    params.blocksize = 8 if blocksize is None else int(blocksize)
    params.rsi = 2 if rsi is None else int(rsi)
    params.line = 0
    if imcd_aec_sample_size(params) < 0:
        raise ValueError(
            f'invalid AEC parameters bitspersample={params.bits} '
            f'blocksize={params.blocksize} rsi={params.rsi} flags={flags}'
        )
    return 0


def aec_encode(data, bitspersample=None, flags=None, blocksize=None,
               rsi=None, out=None):
    """Return AEC encoded data.

    Samples of bitspersample (1..32, default: the itemsize of an array,
    else 8) bits are stored in 1, 2, 3 (DATA_3BYTE) or 4 bytes. flags
    defaults to DATA_PREPROCESS; arrays add DATA_SIGNED and DATA_MSB from
    their dtype. blocksize defaults to 8 samples and rsi to 2 blocks.
    The options chosen are those of libaec; with FLAG.MIN_K those of the
    CCSDS conformance test data.
    """
    cdef imcd_aec_params params
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t size
    dtype = data.dtype if isinstance(data, numpy.ndarray) else None
    _aec_params(&params, dtype, bitspersample, flags, blocksize, rsi)
    src = readable(data)
    if src.size % imcd_aec_sample_size(&params):
        raise ValueError(f'data size {src.size} is not a multiple of the '
                         f'sample size {imcd_aec_sample_size(&params)}')
    dst = output(out, imcd_aec_encode_bound(&params, src.size), AecError,
                 False)
    with nogil:
        size = imcd_aec_encode(&params, src.ptr, src.size, dst.ptr, dst.size)
    return dst.finish(check(size, AecError))


def aec_decode(data, bitspersample=None, flags=None, blocksize=None,
               rsi=None, out=None):
    """Return decoded AEC data.

    The parameters must be those of the encoder; an output array sets the
    defaults like an input array does for aec_encode. A new output holds
    all samples of the stream, the last block in full; a given output is
    filled, of which only the last block of the stream may not fit.
    """
    cdef imcd_aec_params params
    cdef imcd_aec_decoder dec
    cdef Input src = readable(data)
    cdef Output dst
    cdef Py_ssize_t size
    cdef int mode = IMCD_AEC_EXACT
    dtype = out.dtype if isinstance(out, numpy.ndarray) else None
    _aec_params(&params, dtype, bitspersample, flags, blocksize, rsi)
    check(imcd_aec_decode_init(&dec, &params, src.ptr, src.size), AecError)
    if fresh_output(out):
        mode = IMCD_AEC_GROW
        dst = output(out, src.size * 4 + 4096, AecError, False)
    else:
        dst = output(out, 0, AecError, False)
    while True:
        with nogil:
            size = imcd_aec_decode(&dec, dst.ptr, dst.size, mode)
        if size != IMCD_OUTPUT_TOO_SMALL or mode != IMCD_AEC_GROW:
            break
        # no unit is longer than 64 blocks of 64 4-byte samples
        dst.grow(dst.size * 2 + 16384)
    return dst.finish(check(size, AecError))


def szip_version():
    """Return the version of the SZIP codec."""
    return imcd_version()


def szip_check(data):
    """Return None: SZIP streams carry no signature."""
    return None


cdef int _szip_params(imcd_szip_params* params, options_mask,
                      pixels_per_block, bits_per_pixel,
                      pixels_per_scanline) except -1:
    params.options_mask = int(options_mask)
    params.pixels_per_block = int(pixels_per_block)
    params.bits_per_pixel = int(bits_per_pixel)
    params.pixels_per_scanline = int(pixels_per_scanline)
    if imcd_szip_encode_bound(params, 0) < 0:
        raise ValueError(
            f'invalid SZIP parameters pixels_per_block={pixels_per_block} '
            f'bits_per_pixel={bits_per_pixel} '
            f'pixels_per_scanline={pixels_per_scanline}'
        )
    return 0


def szip_encode(data, options_mask, pixels_per_block, bits_per_pixel,
                pixels_per_scanline, *, header=False, out=None):
    """Return SZIP encoded data as the HDF5 szip filter (via libaec) does.

    With header, the encoded data follows the uncompressed size as a
    4-byte little-endian integer, the chunk format of the HDF5 filter.
    """
    cdef imcd_szip_params params
    cdef Input src = readable(data)
    cdef Output dst
    cdef Py_ssize_t size, offset = 4 if header else 0
    _szip_params(&params, options_mask, pixels_per_block, bits_per_pixel,
                 pixels_per_scanline)
    size = imcd_szip_encode_bound(&params, src.size)
    pixelsize = 1 if bits_per_pixel <= 8 else 2 if bits_per_pixel <= 16 else (
        4 if bits_per_pixel <= 32 else 8)
    if size < 0 or src.size % pixelsize or (header and src.size > 0xFFFFFFFF):
        raise ValueError(f'invalid data size {src.size}')
    dst = output(out, size + offset, SzipError, False)
    if dst.size < offset:
        raise SzipError(f'output too small: {dst.size} < {offset} bytes')
    with nogil:
        size = imcd_szip_encode(&params, src.ptr, src.size,
                                dst.ptr + offset, dst.size - offset)
    check(size, SzipError)
    if header:
        for i in range(4):
            dst.ptr[i] = (src.size >> (8 * i)) & 0xFF
    return dst.finish(size + offset)


def szip_decode(data, options_mask, pixels_per_block, bits_per_pixel,
                pixels_per_scanline, *, header=False, out=None):
    """Return decoded SZIP data.

    With header, the size is the one in the header; else that of a given
    output, or of all scanlines in the stream (the last one in full).
    """
    cdef imcd_szip_params params
    cdef Input src = readable(data)
    cdef Output dst
    cdef Py_ssize_t size = -1, capacity, offset = 4 if header else 0
    _szip_params(&params, options_mask, pixels_per_block, bits_per_pixel,
                 pixels_per_scanline)
    if header:
        if src.size < 4:
            raise SzipError('data is truncated: no header')
        size = (src.ptr[0] | (src.ptr[1] << 8) | (src.ptr[2] << 16)
                | (<Py_ssize_t> src.ptr[3] << 24))
        # a unit of at least 5 bits codes at most 64 blocks
        if size > ((src.size - 4) * 8 // 5 + 1) * 64 * pixels_per_block * 8:
            raise SzipError(f'invalid size {size} in header')
    if fresh_output(out):
        if size < 0:
            with nogil:
                size = imcd_szip_decode(&params, src.ptr, src.size, NULL, 0)
            check(size, SzipError)
        dst = output(out, size, SzipError)
    else:
        dst = output(out, size, SzipError, size >= 0)
    capacity = size if size >= 0 else dst.size
    with nogil:
        capacity = imcd_szip_decode(&params, src.ptr + offset,
                                    src.size - offset, dst.ptr, capacity)
    check(capacity, SzipError)
    if size >= 0 and capacity < size:
        raise SzipError(f'data is truncated: {capacity} < {size} bytes')
    return dst.finish(capacity)


def szip_params(data, options_mask=4, pixels_per_block=32):
    """Return the SZIP parameters HDF5 uses for chunks like data (ndarray).

    As in the reference package: pixels of 4 or 8 bytes of samples along
    the last axis are one pixel; scanlines are the last axis, at least a
    block and at most 128 blocks long.
    """
    if not 2 <= pixels_per_block <= IMCD_SZIP_MAX_PIXELS_PER_BLOCK or (
            pixels_per_block % 2):
        raise ValueError(f'invalid pixels_per_block={pixels_per_block}')
    shape = tuple(reversed(data.shape))  # fastest axis first
    npixels = data.size
    bits_per_pixel = data.itemsize * 8
    if len(shape) <= 1:
        line = data.size
    elif shape[0] * data.itemsize in (4, 8):
        line = shape[1]
        npixels //= shape[0]
        bits_per_pixel *= shape[0]
    else:
        line = shape[0]
    if line < pixels_per_block:
        if npixels < pixels_per_block:
            pixels_per_block = max(2, npixels // 2 * 2)
        line = pixels_per_block
    options_mask = int(options_mask) & ~(IMCD_SZIP_LSB | IMCD_SZIP_MSB)
    options_mask |= (IMCD_SZIP_MSB if _big_endian(data.dtype)
                     else IMCD_SZIP_LSB)
    return {
        'options_mask': options_mask,
        'pixels_per_block': pixels_per_block,
        'bits_per_pixel': bits_per_pixel,
        'pixels_per_scanline': min(line, pixels_per_block * 128),
    }
