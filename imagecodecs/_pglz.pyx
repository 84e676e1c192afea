# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""PGLZ codec: the LZ compression of PostgreSQL (pg_lzcompress).

With header=True the stream is preceded by the decoded size as a 4-byte
little-endian integer, and data that does not compress is stored as is
after it (then its size equals the header's).
"""

from libc.string cimport memcpy
from libc.stdint cimport int32_t, INT32_MAX

from imagecodecs._shared cimport Input, Output, readable, output, check
from imagecodecs._shared cimport IMCD_OUTPUT_TOO_SMALL, fresh_output
from imagecodecs._exceptions import PglzError, error_as
from imagecodecs import imcd_version

cdef extern from 'pglz.h' nogil:
    ctypedef struct imcd_pglz_strategy:
        int32_t min_input_size
        int32_t max_input_size
        int32_t min_comp_rate
        int32_t first_success_by
        int32_t match_size_good
        int32_t match_size_drop
    const imcd_pglz_strategy imcd_pglz_strategy_default
    const imcd_pglz_strategy imcd_pglz_strategy_always
    int IMCD_PGLZ_INCOMPRESSIBLE
    int IMCD_PGLZ_ALL_INPUT
    int IMCD_PGLZ_FILL_OUTPUT
    Py_ssize_t imcd_pglz_encode_bound(Py_ssize_t srcsize)
    Py_ssize_t imcd_pglz_encode(const unsigned char* src, Py_ssize_t srcsize,
                                unsigned char* dst, Py_ssize_t dstsize,
                                const imcd_pglz_strategy* strategy)
    Py_ssize_t imcd_pglz_decoded_size(const unsigned char* src,
                                      Py_ssize_t srcsize)
    Py_ssize_t imcd_pglz_decode(const unsigned char* src, Py_ssize_t srcsize,
                                unsigned char* dst, Py_ssize_t dstsize,
                                int flags)
    Py_ssize_t imcd_pglz_decode_bound(Py_ssize_t srcsize)

cdef enum:
    HEADER = 4  # size of the header


class PGLZ:
    """PGLZ codec constants."""

    available = True


def pglz_version():
    """Return the version of the PGLZ codec."""
    return imcd_version()


def pglz_check(data):
    """Return None: PGLZ streams carry no signature."""
    return None


cdef imcd_pglz_strategy _strategy(object strategy) except *:
    """Return the compressor parameters for the strategy argument.

    None or 'default' is PostgreSQL's PGLZ_strategy_default, 'always' its
    PGLZ_strategy_always; a sequence of six integers gives min_input_size,
    max_input_size, min_comp_rate, first_success_by, match_size_good and
    match_size_drop.
    """
    cdef imcd_pglz_strategy result
    if strategy is None:
        return imcd_pglz_strategy_default
    if isinstance(strategy, str):
        name = strategy.lower()
        if name == 'default':
            return imcd_pglz_strategy_default
        if name == 'always':
            return imcd_pglz_strategy_always
        raise ValueError(f'invalid PGLZ strategy {strategy!r}')
    values = tuple(strategy)
    if len(values) != 6:
        raise ValueError(f'a PGLZ strategy has 6 values, not {len(values)}')
    for value in values:
        if not -INT32_MAX - 1 <= value <= INT32_MAX:
            raise ValueError(f'PGLZ strategy value {value} out of range')
    (result.min_input_size, result.max_input_size, result.min_comp_rate,
     result.first_success_by, result.match_size_good,
     result.match_size_drop) = values
    return result


def pglz_encode(data, header=False, strategy=None, out=None):
    """Return PGLZ encoded data, as PostgreSQL's pglz_compress makes it.

    Data that the strategy does not compress raises PglzError, unless
    header=True: then it is stored uncompressed after the header.
    """
    cdef imcd_pglz_strategy params = _strategy(strategy)
    cdef Input src = readable(data)
    cdef Output dst
    cdef Py_ssize_t offset = HEADER if header else 0
    cdef Py_ssize_t size
    if header and src.size > INT32_MAX:
        raise PglzError(f'data too large for a PGLZ header: {src.size}')
    dst = output(out, imcd_pglz_encode_bound(src.size) + offset, PglzError,
                 False)
    if dst.size < offset:
        raise PglzError(f'output too small: {dst.size} bytes')
    with nogil:
        size = imcd_pglz_encode(src.ptr, src.size, dst.ptr + offset,
                                dst.size - offset, &params)
        if size == IMCD_PGLZ_INCOMPRESSIBLE and offset:
            size = IMCD_OUTPUT_TOO_SMALL
            if dst.size - offset >= src.size:
                memcpy(dst.ptr + offset, src.ptr, src.size)
                size = src.size
    if size == IMCD_PGLZ_INCOMPRESSIBLE:
        raise PglzError('the data does not compress with this strategy')
    check(size, PglzError)
    if offset:
        dst.ptr[0] = src.size & 0xff
        dst.ptr[1] = (src.size >> 8) & 0xff
        dst.ptr[2] = (src.size >> 16) & 0xff
        dst.ptr[3] = (src.size >> 24) & 0xff
    return dst.finish(size + offset)


def pglz_decode(data, header=False, checkcomplete=None, out=None):
    """Return decoded PGLZ data.

    The decoded size comes from the header if header=True, else from out
    (a size or buffer), else from a first pass over the stream.
    checkcomplete=None requires the whole stream to be decoded, and with a
    header its size to match, except that a given output smaller than the
    data gets its first bytes, as the reference fills it; True (PostgreSQL's check_complete) also
    requires the output, of the header's size or the size of out, to be
    filled exactly; False decodes as much as fits, for a prefix of the data.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef const unsigned char* ptr = src.ptr
    cdef Py_ssize_t srcsize = src.size
    cdef Py_ssize_t rawsize = -1
    cdef Py_ssize_t dstsize, size
    cdef bint raw = False
    cdef int flags = 0
    if checkcomplete is None and not fresh_output(out):
        # a given output smaller than the data gets its first bytes
        flags = IMCD_PGLZ_FILL_OUTPUT if header else 0
    elif checkcomplete is None:
        flags = IMCD_PGLZ_ALL_INPUT | (IMCD_PGLZ_FILL_OUTPUT if header else 0)
    elif checkcomplete:
        flags = IMCD_PGLZ_ALL_INPUT | IMCD_PGLZ_FILL_OUTPUT
    if header:
        if srcsize < HEADER:
            raise error_as(PglzError, ValueError)(
                f'data too short for a PGLZ header: {srcsize}')
        rawsize = (ptr[0] | (ptr[1] << 8) | (ptr[2] << 16) |
                   (<Py_ssize_t> ptr[3] << 24))
        ptr += HEADER
        srcsize -= HEADER
        if rawsize > INT32_MAX:
            raise PglzError(f'invalid PGLZ header size {rawsize}')
        raw = srcsize == rawsize  # stored uncompressed
        if not raw and rawsize > imcd_pglz_decode_bound(srcsize):
            # do not allocate for a size that the data cannot reach
            if flags & IMCD_PGLZ_FILL_OUTPUT:
                raise PglzError('data is truncated')
            rawsize = imcd_pglz_decode_bound(srcsize)
    elif fresh_output(out):
        with nogil:
            rawsize = imcd_pglz_decoded_size(ptr, srcsize)
        check(rawsize, PglzError)
    if rawsize < 0:
        dst = output(out, 0, PglzError, False)
        dstsize = dst.size
    else:
        dst = output(out, rawsize, PglzError,
                     (flags & IMCD_PGLZ_ALL_INPUT) != 0)
        dstsize = min(dst.size, rawsize)
    with nogil:
        if raw:
            size = dstsize
            memcpy(dst.ptr, ptr, size)
        else:
            size = imcd_pglz_decode(ptr, srcsize, dst.ptr, dstsize, flags)
    if size == IMCD_OUTPUT_TOO_SMALL and header and dstsize == rawsize:
        raise PglzError('data decodes to more than the size in the header')
    return dst.finish(check(size, PglzError))
