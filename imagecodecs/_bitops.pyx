# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""BITORDER, PACKINTS, FLOAT24 and BFLOAT16: bit and byte level conversions."""

import enum
import numbers
import operator
import sys

import numpy

from imagecodecs._shared cimport (
    Input, Output, readable, output, check, new_array, input_array,
)
from imagecodecs._exceptions import (
    BitorderError, PackintsError, Float24Error, Bfloat16Error, error_as,
)
from imagecodecs import imcd_version

cdef extern from 'bitops.h' nogil:
    Py_ssize_t imcd_bitorder_reverse(const unsigned char* src,
                                     Py_ssize_t srcsize, unsigned char* dst,
                                     Py_ssize_t dstsize)
    Py_ssize_t imcd_packints_decoded_size(Py_ssize_t srcsize, int bps,
                                          Py_ssize_t runlen)
    Py_ssize_t imcd_packints_decode(const unsigned char* src,
                                    Py_ssize_t srcsize, unsigned char* dst,
                                    Py_ssize_t dstsize, int bps,
                                    Py_ssize_t runlen, int itemsize,
                                    int byteswap)
    Py_ssize_t imcd_packints_encoded_size(Py_ssize_t items, int bps,
                                          Py_ssize_t runlen)
    Py_ssize_t imcd_packints_encode(const unsigned char* src,
                                    Py_ssize_t srcsize, unsigned char* dst,
                                    Py_ssize_t dstsize, int bps,
                                    Py_ssize_t runlen, int itemsize,
                                    int byteswap)
    Py_ssize_t imcd_packints_decode_lsb(const unsigned char* src,
                                        Py_ssize_t srcsize,
                                        unsigned char* dst,
                                        Py_ssize_t dstsize, int bps)
    Py_ssize_t imcd_packints_encode_lsb(const unsigned char* src,
                                        Py_ssize_t srcsize,
                                        unsigned char* dst,
                                        Py_ssize_t dstsize, int bps)
    Py_ssize_t imcd_packints_decode_pairs(const unsigned char* src,
                                          Py_ssize_t srcsize,
                                          unsigned char* dst,
                                          Py_ssize_t dstsize, int bps)
    Py_ssize_t imcd_packints_encode_pairs(const unsigned char* src,
                                          Py_ssize_t srcsize,
                                          unsigned char* dst,
                                          Py_ssize_t dstsize, int bps)
    Py_ssize_t imcd_float24_decode(const unsigned char* src,
                                   Py_ssize_t srcsize, unsigned char* dst,
                                   Py_ssize_t dstsize, int bigendian)
    Py_ssize_t imcd_float24_encode(const unsigned char* src,
                                   Py_ssize_t srcsize, unsigned char* dst,
                                   Py_ssize_t dstsize, int bigendian,
                                   int rounding)
    Py_ssize_t imcd_bfloat16_decode(const unsigned char* src,
                                    Py_ssize_t srcsize, unsigned char* dst,
                                    Py_ssize_t dstsize, int bigendian)
    Py_ssize_t imcd_bfloat16_encode(const unsigned char* src,
                                    Py_ssize_t srcsize, unsigned char* dst,
                                    Py_ssize_t dstsize, int bigendian,
                                    int rounding)


# Where the reference raises a builtin exception for bad arguments: `except
# CodecError` and the builtin both catch these.
_PackintsValueError = error_as(PackintsError, ValueError)
_PackintsTypeError = error_as(PackintsError, TypeError)
_Bfloat16ValueError = error_as(Bfloat16Error, ValueError)
_Bfloat16TypeError = error_as(Bfloat16Error, TypeError)


class BITORDER:
    """BITORDER codec constants."""

    available = True


class PACKINTS:
    """PACKINTS codec constants."""

    available = True


class FLOAT24:
    """FLOAT24 codec constants."""

    available = True

    class ROUND(enum.IntEnum):
        """Rounding direction of float24_encode (the C99 fenv.h values)."""

        TONEAREST = 0
        UPWARD = 2048
        DOWNWARD = 1024
        TOWARDZERO = 3072


class BFLOAT16:
    """BFLOAT16 codec constants."""

    available = True

    class ROUND(enum.IntEnum):
        """Rounding direction of bfloat16_encode (the C99 fenv.h values)."""

        TONEAREST = 0
        UPWARD = 2048
        DOWNWARD = 1024
        TOWARDZERO = 3072


# ROUND members to the C enumeration
_ROUNDING = {0: 0, 2048: 1, 1024: 2, 3072: 3}

# packints bitorder schemes
cdef enum:
    BITSTREAM_MSB  # TIFF
    BITSTREAM_LSB  # GenICam p formats
    PAIRS_MSB      # GigE Vision Packed formats


def bitorder_version():
    """Return the version of the BITORDER codec."""
    return imcd_version()


def packints_version():
    """Return the version of the PACKINTS codec."""
    return imcd_version()


def float24_version():
    """Return the version of the FLOAT24 codec."""
    return imcd_version()


def bfloat16_version():
    """Return the version of the BFLOAT16 codec."""
    return imcd_version()


def bitorder_check(arg):
    """Return None: bit-reversed data carry no signature."""
    return None


def packints_check(arg):
    """Return None: packed integers carry no signature."""
    return None


def float24_check(arg):
    """Return None: 24-bit floats carry no signature."""
    return None


def bfloat16_check(data, /):
    """Return None: bfloat16 numbers carry no signature."""
    return None


def bitorder_encode(data, out=None):
    """Return data with the order of the bits in each byte reversed.

    Arrays keep their shape and dtype; other buffers give bytes.
    """
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t size
    result = None
    if isinstance(data, numpy.ndarray):
        if data.dtype.hasobject:
            raise ValueError('cannot reverse the bits of Python objects')
        shape = data.shape  # of 0-d arrays too
        data = numpy.ascontiguousarray(data)
        result = new_array(out, shape, data.dtype, BitorderError, data)
        out = result
    src = readable(data)
    dst = output(out, src.size, BitorderError)
    with nogil:
        size = imcd_bitorder_reverse(src.ptr, src.size, dst.ptr, dst.size)
    check(size, BitorderError)
    return dst.finish(size) if result is None else result


def bitorder_decode(data, out=None):
    """Return data with the order of the bits in each byte reversed."""
    return bitorder_encode(data, out=out)


def packints_decode(data, dtype, bitspersample, runlen=0, out=None, *,
                    bitorder=None):
    """Return unsigned integers unpacked from a bit stream.

    bitorder None (TIFF): items of `bitspersample` bits (1 to 64) follow
    each other most significant bit first, in rows of `runlen` items that
    start on a byte (0: one row); incomplete rows are dropped. `dtype` is
    the smallest type of 1, 2, 4 or 8 bytes that holds them (floats, bools,
    bytes and times take the bit patterns) and sets the byte order of the
    result. With 8, 16, 32 or 64 bits the bytes are only reinterpreted as
    `dtype`, as TIFF stores them in the file's byte order.

    bitorder '<': one bit stream, least significant bit first, of 9 to 14
    bits (GenICam Mono12p ...); '>': pairs of 10 or 12-bit items in three
    bytes (GigE Vision Mono12Packed ...). Both give native uint16 and take
    no runlen.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef int scheme = _bitorder(bitorder)
    cdef int bps = _bitspersample(bitspersample)
    cdef int itemsize, byteswap
    cdef Py_ssize_t items, crunlen = _integer(runlen, 'runlen')
    if crunlen < 0:
        raise _PackintsValueError(f'invalid runlen {runlen}')
    if scheme != BITSTREAM_MSB:
        _camera_format(dtype, bps, scheme, crunlen)
        if scheme == PAIRS_MSB:
            if src.size % 3:
                raise _PackintsValueError(
                    f'data size {src.size} is not a multiple of 3')
            items = src.size // 3 * 2
        else:
            items = src.size * 8 // bps
        result = new_array(out, (items,), numpy.uint16, _PackintsValueError)
        dst = output(result, items * 2, PackintsError)
        with nogil:
            if scheme == PAIRS_MSB:
                items = imcd_packints_decode_pairs(src.ptr, src.size, dst.ptr,
                                                   dst.size, bps)
            else:
                items = imcd_packints_decode_lsb(src.ptr, src.size, dst.ptr,
                                                 dst.size, bps)
        check(items, PackintsError)
        return result
    dtype = _packints_dtype(dtype, bps)
    itemsize = dtype.itemsize
    byteswap = itemsize > 1 and not dtype.isnative
    items = check(imcd_packints_decoded_size(src.size, bps, crunlen),
                  PackintsError)
    result = new_array(out, (items,), dtype, _PackintsValueError)
    dst = output(result, items * itemsize, PackintsError)
    with nogil:
        items = imcd_packints_decode(src.ptr, src.size, dst.ptr, dst.size,
                                     bps, crunlen, itemsize, byteswap)
    check(items, PackintsError)
    return result


def packints_encode(data, bitspersample, axis=-1, out=None, *,
                    bitorder=None, runlen=0):
    """Return integers packed into a bit stream; see packints_decode.

    The low `bitspersample` bits of each item are kept, in rows of `runlen`
    items that start on a byte (0: all items are one row, whatever the
    shape of `data`); a last, shorter row is padded too. Buffers other than
    arrays are uint8 items (with bitorder '<' or '>', native uint16).
    `axis` is accepted for the 2024 interface, whose encoder was not
    implemented; rows are set by `runlen` as in the 2026 interface.
    """
    cdef Input src
    cdef Output dst
    cdef int scheme = _bitorder(bitorder)
    cdef int bps = _bitspersample(bitspersample)
    cdef int itemsize, byteswap
    cdef Py_ssize_t size, crunlen = _integer(runlen, 'runlen')
    _integer(axis, 'axis')
    if crunlen < 0:
        raise _PackintsValueError(f'invalid runlen {runlen}')
    if isinstance(data, numpy.ndarray):
        array = numpy.ascontiguousarray(data)
    else:
        try:
            memoryview(data)
        except TypeError:
            array = numpy.ascontiguousarray(numpy.asarray(data))  # a list
        else:
            array = input_array(data)
            if scheme != BITSTREAM_MSB:
                if array.size % 2:
                    raise _PackintsValueError(
                        f'data size {array.size} is not a multiple of 2')
                array = array.view(numpy.uint16)
    if scheme != BITSTREAM_MSB:
        if array.dtype.kind not in 'iuf' or array.dtype.itemsize != 2:
            raise _PackintsValueError(
                f'bitorder {bitorder!r} packs 16-bit items, not '
                f'{array.dtype}')
        _camera_format(numpy.uint16, bps, scheme, crunlen)
        # the values, in native order
        array = numpy.ascontiguousarray(
            array, array.dtype.newbyteorder('='))
        if scheme == PAIRS_MSB:
            if array.size % 2:
                raise _PackintsValueError(
                    f'bitorder {bitorder!r} packs pairs of items, not '
                    f'{array.size}')
            size = array.size // 2 * 3
        else:
            size = (array.size * bps + 7) // 8
        src = readable(array)
        dst = output(out, size, _PackintsValueError)
        with nogil:
            if scheme == PAIRS_MSB:
                size = imcd_packints_encode_pairs(src.ptr, src.size, dst.ptr,
                                                  dst.size, bps)
            else:
                size = imcd_packints_encode_lsb(src.ptr, src.size, dst.ptr,
                                                dst.size, bps)
        return dst.finish(check(size, PackintsError))
    dtype = _packints_dtype(array.dtype, bps)
    itemsize = dtype.itemsize
    byteswap = itemsize > 1 and not dtype.isnative
    src = readable(array)
    size = check(imcd_packints_encoded_size(array.size, bps, crunlen),
                 PackintsError)
    dst = output(out, size, _PackintsValueError)
    with nogil:
        size = imcd_packints_encode(src.ptr, src.size, dst.ptr, dst.size,
                                    bps, crunlen, itemsize, byteswap)
    return dst.finish(check(size, PackintsError))


ctypedef Py_ssize_t (*widen_t)(const unsigned char*, Py_ssize_t,
                               unsigned char*, Py_ssize_t, int) noexcept nogil
ctypedef Py_ssize_t (*narrow_t)(const unsigned char*, Py_ssize_t,
                                unsigned char*, Py_ssize_t, int,
                                int) noexcept nogil


cdef object _widen(widen_t func, int nbytes, data, int bigendian, out,
                   error, value_error):
    """Return the float32 array of `nbytes`-byte floats (FLOAT24, BFLOAT16)."""
    cdef Input src = readable(data)
    cdef Output dst
    cdef Py_ssize_t size
    if src.size % nbytes:
        raise value_error(
            f'data size {src.size} is not a multiple of {nbytes}')
    result = new_array(out, (src.size // nbytes,), numpy.float32,
                       value_error)
    dst = output(result, src.size // nbytes * 4, error)
    with nogil:
        size = func(src.ptr, src.size, dst.ptr, dst.size, bigendian)
    check(size, error)
    return result


cdef object _narrow(narrow_t func, int nbytes, data, int bigendian, int mode,
                    out, error, value_error):
    """Return `nbytes`-byte floats of a float32 or float16 array."""
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t size
    if (not isinstance(data, numpy.ndarray) or data.dtype.kind != 'f'
            or data.dtype.itemsize > 4):
        raise value_error('not a float32 or float16 array')
    # exact conversion to native float32
    data = numpy.ascontiguousarray(data, numpy.float32)
    src = readable(data)
    dst = output(out, data.size * nbytes, value_error)
    with nogil:
        size = func(src.ptr, src.size, dst.ptr, dst.size, bigendian, mode)
    return dst.finish(check(size, error))


def float24_decode(data, byteorder=None, out=None):
    """Return float32 array decoded from 24-bit floats.

    `byteorder` of the data: '<', '>', or '=' or None (native).
    """
    return _widen(imcd_float24_decode, 3, data, _bigendian(byteorder), out,
                  Float24Error, error_as(Float24Error, ValueError))


def float24_encode(data, byteorder=None, rounding=None, out=None):
    """Return 24-bit floats encoded from a float32 (or float16) array.

    Values are rounded in the FLOAT24.ROUND direction (default TONEAREST)
    with IEEE 754 semantics: too large values become infinity or the
    largest finite value, tiny values subnormals or zero, as the direction
    says. NaNs stay NaN.
    """
    if rounding is None:
        rounding = FLOAT24.ROUND.TONEAREST
    return _narrow(imcd_float24_encode, 3, data, _bigendian(byteorder),
                   _ROUNDING[FLOAT24.ROUND(rounding)], out, Float24Error,
                   error_as(Float24Error, ValueError))


def bfloat16_decode(data, /, *, byteorder=None, out=None):
    """Return float32 array decoded from bfloat16 numbers.

    `byteorder` of the data: '<', '>', or '=' or None (native).
    """
    return _widen(imcd_bfloat16_decode, 2, data,
                  _bigendian(byteorder, _Bfloat16ValueError), out,
                  Bfloat16Error, _Bfloat16ValueError)


def bfloat16_encode(data, /, *, byteorder=None, rounding=None, out=None):
    """Return bfloat16 numbers encoded from a float32 (or float16) array.

    Values are rounded in the BFLOAT16.ROUND direction (default TONEAREST)
    with IEEE 754 semantics: too large values become infinity or the
    largest finite value, as the direction says. NaNs become quiet NaNs.
    """
    return _narrow(imcd_bfloat16_encode, 2, data,
                   _bigendian(byteorder, _Bfloat16ValueError),
                   _rounding(rounding, BFLOAT16.ROUND, _Bfloat16ValueError,
                             _Bfloat16TypeError),
                   out, Bfloat16Error, _Bfloat16ValueError)


cdef Py_ssize_t _integer(object value, str name) except? -1:
    """Return an integer argument; integral floats pass as the reference's."""
    try:
        return operator.index(value)
    except TypeError:
        if isinstance(value, numbers.Real) and float(value).is_integer():
            return int(value)
    raise _PackintsTypeError(f'{name} must be an integer, not {value!r}')


cdef int _bitspersample(object bitspersample) except -1:
    """Return bitspersample as an int from 1 to 64."""
    cdef Py_ssize_t bps = _integer(bitspersample, 'bitspersample')
    if not 1 <= bps <= 64:
        raise _PackintsValueError(f'invalid bitspersample {bitspersample!r}')
    return <int> bps


cdef int _bitorder(object bitorder) except -1:
    """Return the packints scheme of `bitorder`."""
    if bitorder is None:
        return BITSTREAM_MSB
    if isinstance(bitorder, str) and bitorder == '<':
        return BITSTREAM_LSB
    if isinstance(bitorder, str) and bitorder == '>':
        return PAIRS_MSB
    raise _PackintsValueError(f'invalid bitorder {bitorder!r}')


cdef int _camera_format(object dtype, int bps, int scheme,
                        Py_ssize_t runlen) except -1:
    """Raise unless the arguments suit a camera packing (the reference's
    limits)."""
    if numpy.dtype(dtype) != numpy.dtype(numpy.uint16):
        raise _PackintsValueError(
            f'bitorder packings decode to native uint16, not {dtype}')
    if runlen:
        raise _PackintsValueError('bitorder packings take no runlen')
    if scheme == PAIRS_MSB and bps not in (10, 12):
        raise _PackintsValueError(
            f"bitorder '>' packs 10 or 12 bits per sample, not {bps}")
    if scheme == BITSTREAM_LSB and not 9 <= bps <= 14:
        raise _PackintsValueError(
            f"bitorder '<' packs 9 to 14 bits per sample, not {bps}")
    return 0


cdef object _packints_dtype(object dtype, int bps):
    """Return the dtype of unpacked items, which must fit bps exactly."""
    dtype = numpy.dtype(dtype)
    # any plain type of 1, 2, 4 or 8 bytes holds bit patterns; complex
    # numbers only whole (their halves have their own byte order)
    if (dtype.kind not in 'biufcSVmM' or dtype.names is not None
            or dtype.subdtype is not None
            or (dtype.kind == 'c' and bps != 8 * dtype.itemsize)):
        raise _PackintsValueError(f'invalid dtype {dtype}')
    if dtype.itemsize != (1 if bps <= 8 else 2 if bps <= 16
                          else 4 if bps <= 32 else 8):
        raise _PackintsValueError(
            f'dtype {dtype} does not fit {bps} bits per sample')
    return dtype


cdef int _rounding(object rounding, object kind, object valueerror,
                   object typeerror) except -1:
    """Return the C enumeration value of a ROUND member or its value."""
    if rounding is None:
        return 0
    if not isinstance(rounding, numbers.Integral):
        raise typeerror(f'rounding must be a {kind.__qualname__} value, '
                        f'not {rounding!r}')
    try:
        return _ROUNDING[int(kind(rounding))]
    except ValueError:
        raise valueerror(f'invalid rounding {rounding!r}') from None


cdef int _bigendian(object byteorder, object error=ValueError) except -1:
    """Return whether byteorder means big-endian."""
    if byteorder is None or byteorder == '=':
        return sys.byteorder == 'big'
    if byteorder in ('<', '>'):
        return byteorder == '>'
    raise error(f'invalid byteorder {byteorder!r}')
