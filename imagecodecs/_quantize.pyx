# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""QUANTIZE codec: BitGroom, Granular BitRound, BitRound and Scale.

BitGroom and Granular BitRound of float32 and float64 arrays as netCDF-C
4.9 writes them; BitRound and Scale bit for bit as numcodecs' BitRound and
Quantize filters. All are lossy; decoding is only possible for NOQUANTIZE.
"""

import enum

import numpy

from libc.string cimport memcpy

from imagecodecs._shared cimport (
    Input, Output, readable, output, check, new_array,
)
from imagecodecs._exceptions import QuantizeError
from imagecodecs import imcd_version

cdef extern from 'quantize.h' nogil:
    Py_ssize_t imcd_quantize(const unsigned char* src, Py_ssize_t srcsize,
                             unsigned char* dst, Py_ssize_t dstsize,
                             int itemsize, int mode, int nsd)


class QUANTIZE:
    """QUANTIZE codec constants."""

    available = True

    class MODE(enum.IntEnum):
        """Quantization method (netCDF's NC_QUANTIZE_* and SCALE)."""

        NOQUANTIZE = 0
        BITGROOM = 1
        GRANULARBR = 2
        BITROUND = 3
        SCALE = 100


_MODES = {
    'noquantize': 0, 'bitgroom': 1, 'granularbr': 2, 'gbr': 2,
    'bitround': 3, 'scale': 100,
}
_MANTISSA = {4: 23, 8: 52}  # explicit mantissa bits


def quantize_version():
    """Return the version of the QUANTIZE codec."""
    return imcd_version()


def quantize_check(arg):
    """Return None: quantized data carry no signature."""
    return None


def quantize_encode(data, mode, nsd, out=None):
    """Return float32 or float64 data quantized to `nsd` digits.

    `mode` is a QUANTIZE.MODE or its lower-case name ('gbr' for
    GRANULARBR). `nsd` (0 <= nsd < bits of the type) counts:

    - BITGROOM: significant decimal digits, as netCDF.
    - GRANULARBR: significant decimal digits (at least 1), as netCDF.
    - BITROUND: mantissa bits kept (at most 23 or 52), rounding halfway
      cases to even, as numcodecs.BitRound(keepbits=nsd).
    - SCALE: decimal digits after the point, rounding to multiples of
      2**-b, 2**b >= 10**nsd, in the precision of the data, as
      numcodecs.Quantize(digits=nsd, dtype=data.dtype).

    BITGROOM and GRANULARBR keep netCDF's default fill value, zeros, NaN
    and infinities. The result has the shape and dtype of `data`; `out`
    may be `data` itself.
    """
    cdef Input src
    cdef Output dst
    cdef Py_ssize_t size
    cdef int cmode, cnsd, itemsize
    if isinstance(nsd, (str, bytes)):
        raise TypeError(f'nsd must be an integer, not {type(nsd).__name__}')
    nsd = int(nsd)
    data = numpy.asarray(data)
    dtype = data.dtype
    if dtype.kind != 'f' or dtype.itemsize not in (4, 8):
        raise ValueError(f'not a float32 or float64 array: dtype {dtype}')
    try:
        cmode = _MODES[mode] if isinstance(mode, str) else QUANTIZE.MODE(mode)
    except (KeyError, ValueError, TypeError):
        raise ValueError(f'invalid quantize mode={mode!r}') from None
    itemsize = dtype.itemsize
    if not 0 <= nsd < 8 * itemsize:
        raise ValueError(f'invalid number of significant digits {nsd}')
    if cmode == QUANTIZE.MODE.GRANULARBR and nsd < 1:
        raise ValueError('invalid number of significant digits 0 for GBR')
    if cmode == QUANTIZE.MODE.BITROUND and nsd > _MANTISSA[itemsize]:
        raise ValueError(f'invalid number of significant bits {nsd} '
                         f'for {dtype.name}')
    cnsd = nsd
    shape = data.shape
    result = new_array(out, shape, dtype, QuantizeError)
    if dtype.isnative:
        data = numpy.ascontiguousarray(data)
        target = result
        # in place is fine, a partial overlap is not
        if (numpy.may_share_memory(data, result)
                and data.ctypes.data != result.ctypes.data):
            data = data.copy()
    else:
        # a native copy, quantized in place and swapped into the result
        data = numpy.ascontiguousarray(data, dtype.newbyteorder('='))
        target = data
    src = readable(data)
    dst = output(target, src.size, QuantizeError)
    with nogil:
        size = imcd_quantize(src.ptr, src.size, dst.ptr, dst.size, itemsize,
                             cmode, cnsd)
    check(size, QuantizeError)
    if target is not result:
        result[...] = target
    return result


def quantize_decode(data, mode, nsd, out=None):
    """Return `data` for NOQUANTIZE; the other modes cannot be undone.

    Raise QuantizeError for any mode but NOQUANTIZE. With `out`, the data
    are copied into it.
    """
    cdef Input src
    cdef Output dst
    if not (mode == 'noquantize' or (not isinstance(mode, str)
                                     and mode == 0)):
        raise QuantizeError(f'quantize mode={mode!r} is lossy')
    if out is None:
        return data
    if isinstance(data, numpy.ndarray):
        result = new_array(out, data.shape, data.dtype, QuantizeError)
        numpy.copyto(result, data)
        return result
    src = readable(data)
    dst = output(out, src.size, QuantizeError)
    memcpy(dst.ptr, src.ptr, src.size)
    return dst.finish(src.size)
