# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""HTJ2K codec: High-Throughput JPEG 2000 (Part 15) codestreams, OpenJPH.

The C++ glue in _c/htj2k.cpp turns OpenJPH's exceptions into status codes
and refuses streams whose decoding the library does not bound (components
of different sizes, sizes out of proportion to the stream).
"""

import enum

import numpy

from libc.stdint cimport uint8_t, uint32_t
from libc.stdlib cimport free
from libc.string cimport memcpy

from imagecodecs._shared cimport (
    Input, Output, readable, output, input_array, new_array,
)
from imagecodecs._exceptions import Htj2kError, error_as

cdef extern from 'openjph/ojph_version.h':
    int OPENJPH_VERSION_MAJOR
    int OPENJPH_VERSION_MINOR
    int OPENJPH_VERSION_PATCH

cdef extern from 'htj2k.h' nogil:
    int IMCD_MEMORY

    ctypedef struct imcd_htj2k_info:
        uint32_t width
        uint32_t height
        uint32_t components
        uint32_t bitspersample
        int is_signed
        int colortransform
        uint32_t decompositions

    ctypedef struct imcd_htj2k_params:
        uint32_t width
        uint32_t height
        uint32_t components
        uint32_t itemsize
        int is_signed
        int planar
        int colortransform
        int reversible
        float quantstep
        uint32_t tilewidth
        uint32_t tileheight
        int decompositions
        int tlm
        int tilepart

    void imcd_htj2k_init(int verbose)
    Py_ssize_t imcd_htj2k_decode_info(
        const uint8_t* src, size_t srcsize, uint32_t skipres, int resilient,
        imcd_htj2k_info* info, char* msg, size_t msgsize)
    Py_ssize_t imcd_htj2k_decode(
        const uint8_t* src, size_t srcsize, uint32_t skipres, int resilient,
        int planar, uint8_t* dst, size_t dstsize, char* msg, size_t msgsize)
    Py_ssize_t imcd_htj2k_encode(
        const void* src, size_t srcsize, const imcd_htj2k_params* params,
        uint8_t** dst, char* msg, size_t msgsize)

# bad arguments and data raise what the reference raises (ValueError) and
# the codec error
_InvalidError = error_as(Htj2kError, ValueError)

cdef enum:
    MSGSIZE = 512  # bytes of an error message

# OpenJPH reports through global handlers: errors must throw, to be caught
# by the glue, and info and warnings stay silent unless asked for
imcd_htj2k_init(0)


class HTJ2K:
    """HTJ2K codec constants."""

    available = True

    class TILEPART(enum.IntEnum):
        """Where tiles are divided into tile parts (flags)."""

        RESOLUTIONS = 1
        COMPONENTS = 2


def htj2k_version():
    """Return the version of the OpenJPH library."""
    return (f'openjph {OPENJPH_VERSION_MAJOR}.{OPENJPH_VERSION_MINOR}.'
            f'{OPENJPH_VERSION_PATCH}')


def htj2k_init(verbose=None):
    """Initialize the HTJ2K codec: OpenJPH info and warning messages are
    printed to stderr if verbose, else suppressed (the default)."""
    imcd_htj2k_init(1 if verbose else 0)


def htj2k_check(data):
    """Return whether data is a JPEG 2000 codestream or JP2 file (which
    may hold HTJ2K)."""
    cdef Input src = readable(data)
    head = bytes(src.ptr[:min(src.size, 12)])
    return head[:4] == b'\xff\x4f\xff\x51' or head == (
        b'\x00\x00\x00\x0cjP  \r\n\x87\n')


cdef _raise(Py_ssize_t status, const char* msg):
    text = msg.decode(errors='replace')
    if status == IMCD_MEMORY:
        raise MemoryError(text)
    raise Htj2kError(text)


def htj2k_encode(data, level=None, *, rgb=None, planar=None, tile=None,
                 resolutions=None, reversible=None, tlm=None, tilepart=None,
                 out=None):
    """Return HTJ2K codestream of integer image of up to 32 bits.

    data: (height, width) gray, (height, width, samples), or with planar
    (samples, height, width). By default 3-D data are planar if the first
    dimension is at most 4 and the last larger than 4.
    level: quantization step of the irreversible transform (0 < level <= 1
    is useful); None or <= 0 is lossless unless reversible=False.
    rgb: apply the colour transform to the first 3 samples (default for 3
    or 4 samples, not for planar data).
    tile: (width, height) of tiles, as the reference orders it.
    resolutions: number of wavelet decompositions (default 5).
    tlm: write a TLM marker segment. tilepart: HTJ2K.TILEPART flags.
    """
    cdef imcd_htj2k_params params
    cdef Input src
    cdef Output dst
    cdef uint8_t* encoded = NULL
    cdef Py_ssize_t size
    cdef char msg[MSGSIZE]
    msg[0] = 0

    array = input_array(data)
    dtype = array.dtype
    if (dtype.kind not in 'ui' or dtype.itemsize not in (1, 2, 4)
            or array.ndim not in (2, 3)):
        raise _InvalidError(
            f'invalid data ndim={array.ndim} or dtype={array.dtype}')
    if not dtype.isnative:
        array = numpy.ascontiguousarray(array, dtype.newbyteorder('='))
    shape = array.shape
    if array.ndim == 2:
        planar = False
        shape = (shape[0], shape[1], 1)
    elif planar is None:
        planar = shape[0] <= 4 and shape[2] > 4
    if planar:
        samples, height, width = shape
    else:
        height, width, samples = shape
    if height == 0 or width == 0 or samples == 0:
        raise _InvalidError(f'invalid data shape {array.shape}')
    if height > 0xFFFFFFFF or width > 0xFFFFFFFF or samples > 16384:
        raise _InvalidError(f'data shape {array.shape} too large')

    params.width = width
    params.height = height
    params.components = samples
    params.itemsize = dtype.itemsize
    params.is_signed = dtype.kind == 'i'
    params.planar = bool(planar)
    if rgb is None:
        rgb = samples in (3, 4)
    params.colortransform = bool(rgb) and not planar and samples > 1

    if level is not None:
        level = float(level)
    if reversible is None:
        reversible = level is None or level <= 0
    params.reversible = bool(reversible)
    params.quantstep = level if level is not None and level > 0 else 0.0

    params.tilewidth = 0
    params.tileheight = 0
    if tile is not None:
        tilewidth, tileheight = tile
        if tilewidth < 0 or tileheight < 0:
            raise _InvalidError(f'invalid tile {tile!r}')
        params.tilewidth = tilewidth
        params.tileheight = tileheight

    params.decompositions = -1
    if resolutions:
        if not 0 < resolutions <= 32:
            raise _InvalidError(f'invalid resolutions {resolutions!r}')
        params.decompositions = resolutions
    params.tlm = bool(tlm)
    if isinstance(tilepart, str):
        try:
            tilepart = HTJ2K.TILEPART[tilepart.upper()]
        except KeyError:
            raise _InvalidError(f'invalid tilepart {tilepart!r}') from None
    params.tilepart = 0 if tilepart is None else int(tilepart) & 3

    src = readable(array)
    with nogil:
        size = imcd_htj2k_encode(src.ptr, <size_t> src.size, &params,
                                 &encoded, msg, MSGSIZE)
    try:
        if size < 0:
            _raise(size, msg)
        dst = output(out, size, Htj2kError)
        memcpy(dst.ptr, encoded, size)
        return dst.finish(size)
    finally:
        free(encoded)


def htj2k_decode(data, *, planar=None, skipres=None, resilient=False,
                 out=None):
    """Return image decoded from HTJ2K codestream.

    The result is (height, width) for one component, else
    (samples, height, width) if planar, or (height, width, samples).
    By default images coded with the colour transform are not planar.
    skipres: number of resolutions to skip (half the size each).
    resilient: decode what damaged streams allow instead of failing.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef imcd_htj2k_info info
    cdef uint32_t skip = 0
    cdef int tolerant = bool(resilient)
    cdef int planar_out
    cdef Py_ssize_t status
    cdef char msg[MSGSIZE]
    msg[0] = 0

    if data is out and out is not None:
        raise _InvalidError('cannot decode in place')
    if skipres is not None:
        if not 0 <= skipres <= 32:
            raise _InvalidError(f'invalid skipres {skipres!r}')
        skip = skipres
    with nogil:
        status = imcd_htj2k_decode_info(src.ptr, <size_t> src.size, skip,
                                        tolerant, &info, msg, MSGSIZE)
    if status < 0:
        _raise(status, msg)

    if planar is None:
        planar = not info.colortransform
    planar_out = bool(planar)
    itemsize = 1 if info.bitspersample <= 8 else (
        2 if info.bitspersample <= 16 else 4)
    dtype = numpy.dtype(f'{"i" if info.is_signed else "u"}{itemsize}')
    if info.components == 1:
        shape = (info.height, info.width)
    elif planar_out:
        shape = (info.components, info.height, info.width)
    else:
        shape = (info.height, info.width, info.components)

    result = new_array(out, shape, dtype, Htj2kError, data)
    dst = output(result, result.nbytes, Htj2kError)
    with nogil:
        status = imcd_htj2k_decode(src.ptr, <size_t> src.size, skip,
                                   tolerant, planar_out, dst.ptr,
                                   <size_t> dst.size, msg, MSGSIZE)
    if status < 0:
        _raise(status, msg)
    return result
