# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""BCn and DDS codecs: BC1 to BC7 block compressed textures, decode only.

BC1 to BC3 and BC7 decode to RGBA uint8, BC4 to uint8, BC5 to two uint8
channels, BC6H to RGB float16. DDS files hold such surfaces: a texture,
a texture array, a cube map (array) or a volume, each with mipmaps.
"""

import enum
import math
import struct

import numpy

from imagecodecs._shared cimport (
    Input, Output, readable, output, check, new_array,
)
from imagecodecs._exceptions import BcnError, DdsError, error_as
from imagecodecs import imcd_version

from libc.stdint cimport uint8_t, uint32_t

cdef extern from 'bcn.h' nogil:
    int IMCD_CORRUPT
    int IMCD_NOT_SUPPORTED

    ctypedef struct imcd_dds_info:
        uint32_t fourcc
        uint32_t dxgiformat
        int format
        int cubemap
        Py_ssize_t width
        Py_ssize_t height
        Py_ssize_t depth
        Py_ssize_t mipmaps
        Py_ssize_t arraysize
        Py_ssize_t faces
        Py_ssize_t offset

    Py_ssize_t imcd_bcn_decode(const uint8_t* src, Py_ssize_t srcsize,
                               int format, Py_ssize_t width,
                               Py_ssize_t height, Py_ssize_t count,
                               uint8_t* dst, Py_ssize_t dstsize)
    Py_ssize_t imcd_dds_info_read(const uint8_t* src, Py_ssize_t srcsize,
                                  imcd_dds_info* info)
    Py_ssize_t imcd_dds_decoded_size(const imcd_dds_info* info,
                                     Py_ssize_t srcsize, Py_ssize_t mipmap)
    Py_ssize_t imcd_dds_decode(const uint8_t* src, Py_ssize_t srcsize,
                               const imcd_dds_info* info, Py_ssize_t mipmap,
                               uint8_t* dst, Py_ssize_t dstsize)


# the reference raises ValueError for data it cannot decode
_BcnDataError = error_as(BcnError, ValueError)
_DdsDataError = error_as(DdsError, ValueError)

class BCN:
    """BCN codec constants."""

    available = True

    class FORMAT(enum.IntEnum):
        """BCN block formats."""

        BC1 = 1  # DXT1
        BC2 = 2  # DXT3
        BC3 = 3  # DXT5
        BC4 = 4  # BC4_UNORM
        BC5 = 5  # BC5_UNORM
        BC6HU = 6  # BC6H_UF16
        BC6HS = -6  # BC6H_SF16
        BC7 = 7  # BC7_UNORM


class DDS:
    """DDS codec constants."""

    available = True


# decoded channels (none for BC4) and dtype of each format
_LAYOUT = {
    1: (4, numpy.uint8),
    2: (4, numpy.uint8),
    3: (4, numpy.uint8),
    4: (None, numpy.uint8),
    5: (2, numpy.uint8),
    6: (3, numpy.float16),
    -6: (3, numpy.float16),
    7: (4, numpy.uint8),
}


def bcn_version():
    """Return the version of the BCn decoder."""
    return imcd_version()


def dds_version():
    """Return the version of the DDS decoder."""
    return imcd_version()


def bcn_check(data):
    """Return None: BCn blocks carry no signature."""
    return None


def dds_check(data):
    """Return whether data starts with the DDS signature."""
    return bytes(memoryview(data).cast('B')[:4]) == b'DDS '


def bcn_encode(data, out=None):
    """Raise NotImplementedError: BCn is decode-only."""
    raise NotImplementedError('bcn_encode')


def dds_encode(data, out=None):
    """Raise NotImplementedError: DDS is decode-only."""
    raise NotImplementedError('dds_encode')


def bcn_decode(data, format, shape=None, out=None):
    """Return decoded BCn blocks as an array of `shape`.

    `format` is a BCN.FORMAT. `shape` is (..., height, width, channels),
    (..., height, width) for BC4, with height and width multiples of 4 and
    leading dimensions for consecutive images; it defaults to the shape of
    the `out` array. Blocks are in row-major order; extra data is ignored.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef Py_ssize_t size, width, height, count
    cdef int fmt
    try:
        fmt = format
        channels, dtype = _LAYOUT[fmt]
    except (KeyError, OverflowError, TypeError):
        raise BcnError(f'BC{format} not supported') from None
    if shape is None:
        if not isinstance(out, numpy.ndarray):
            raise TypeError("bcn_decode missing required argument "
                            "'shape' or 'out'")
        shape = out.shape
    shape = tuple(int(i) for i in shape)
    # leading dimensions, then height, width and maybe channels
    lead = len(shape) - (2 if channels is None else 3)
    if (
        lead < 0
        or (channels is not None and shape[lead + 2] != channels)
        or any(i < 0 for i in shape)
        or shape[lead] % 4
        or shape[lead + 1] % 4
    ):
        raise ValueError(f'invalid shape={shape} for BC{format}')
    height = shape[lead]
    width = shape[lead + 1]
    count = math.prod(shape[:lead])
    result = new_array(out, shape, dtype, BcnError)
    dst = output(result, result.nbytes, BcnError)
    with nogil:
        size = imcd_bcn_decode(src.ptr, src.size, fmt, width, height,
                               count, dst.ptr, dst.size)
    check(size, _BcnDataError)
    return result


def dds_decode(data, mipmap=0, out=None):
    """Return the decoded surfaces of a mipmap level of a DDS file.

    The shape is ([arraysize,] [faces,] [depth,] height, width[,
    channels]): the array dimension for more than one element, faces for
    cube maps, depth for volumes of more than one slice; channels as in
    bcn_decode. Only BC1 to BC7 compressed DDS are supported.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef imcd_dds_info info
    cdef Py_ssize_t size, level
    with nogil:
        size = imcd_dds_info_read(src.ptr, src.size, &info)
    if size == IMCD_NOT_SUPPORTED:
        if info.dxgiformat:
            raise DdsError(f'DXGI_FORMAT {info.dxgiformat} not supported')
        fourcc = struct.pack('<I', info.fourcc)
        raise DdsError(f'fourcc {fourcc!r} not supported')
    if size == IMCD_CORRUPT and not dds_check(data):
        raise _DdsDataError('not a DDS data stream')
    if size == IMCD_CORRUPT:
        raise DdsError(f'invalid dimensions depth={info.depth}, '
                       f'height={info.height}, width={info.width}')
    check(size, _DdsDataError)
    level = mipmap
    if not 0 <= level < info.mipmaps:
        raise ValueError(f'mipmap={mipmap} out of range')
    with nogil:
        size = imcd_dds_decoded_size(&info, src.size, level)
    check(size, _DdsDataError)

    shape = []
    if info.arraysize > 1:
        shape.append(info.arraysize)
    if info.cubemap:
        shape.append(info.faces)
    if info.depth > 1:
        shape.append(max(info.depth >> level, 1))
    shape += [max(info.height >> level, 1), max(info.width >> level, 1)]
    channels, dtype = _LAYOUT[info.format]
    if channels is not None:
        shape.append(channels)
    result = new_array(out, tuple(shape), dtype, DdsError)
    dst = output(result, result.nbytes, DdsError)
    with nogil:
        size = imcd_dds_decode(src.ptr, src.size, &info, level, dst.ptr,
                               dst.size)
    check(size, _DdsDataError)
    return result
