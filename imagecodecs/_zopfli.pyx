# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""ZOPFLI codec: zopfli encodes, the package's zlib codec decodes."""

import enum

from libc.stdlib cimport free
from libc.string cimport memcpy

from imagecodecs._shared cimport Input, Output, readable, output
from imagecodecs._exceptions import ZopfliError, ZlibError, error_as
from imagecodecs.libs.zopfli cimport *

# reading zopfli's zlib streams is the zlib codec's work: its decoder is
# used, not a second inflate loop (hence zlib in the registry's libs)
from imagecodecs._zlib import zlib_check, zlib_decode

cdef extern from *:
    """
    /* zopfli.h has no version macro: the build may define it */
    #ifndef IMCD_ZOPFLI_VERSION
    #define IMCD_ZOPFLI_VERSION "1.0.3"
    #endif
    """
    const char* IMCD_ZOPFLI_VERSION


class ZOPFLI:
    """ZOPFLI codec constants."""

    available = True

    class FORMAT(enum.IntEnum):
        GZIP = ZOPFLI_FORMAT_GZIP
        ZLIB = ZOPFLI_FORMAT_ZLIB
        DEFLATE = ZOPFLI_FORMAT_DEFLATE


# zopfli_encode keywords that are integers: (lowest, highest) accepted;
# the other ZopfliOptions fields are flags
_OPTION_RANGES = {
    'numiterations': (1, 255),
    'blocksplittingmax': (0, 32767),  # 0: no limit
}


def zopfli_version():
    """Return the version of the zopfli library."""
    return f'zopfli {IMCD_ZOPFLI_VERSION.decode()}'


def zopfli_check(data):
    """Return whether data starts with a zlib stream header."""
    return zlib_check(data)


def zopfli_decode(data, out=None):
    """Return decompressed zlib stream (zopfli's default format)."""
    try:
        return zlib_decode(data, out=out)
    except ZlibError as exc:
        error = ZopfliError
        for builtin in (TypeError, ValueError):  # what callers catch
            if isinstance(exc, builtin):
                error = error_as(error, builtin)
        raise error(str(exc)) from None


def zopfli_encode(data, level=None, out=None, **kwargs):
    """Return data compressed by zopfli (slowly, tightly): zlib by default.

    level is ignored. Keywords: format (ZOPFLI.FORMAT, default ZLIB),
    numiterations (default 15), blocksplitting (True), blocksplittingmax
    (15, 0 for no limit), verbose, verbose_more (False); blocksplittinglast
    is accepted and unused, as in zopfli.
    """
    cdef Input src = readable(data)
    cdef Output dst
    cdef ZopfliOptions options
    cdef ZopfliFormat fmt
    cdef unsigned char* buffer = NULL
    cdef size_t size = 0
    ZopfliInitOptions(&options)
    fmt = _options(&options, kwargs)
    with nogil:
        ZopfliCompress(&options, fmt, src.ptr, src.size, &buffer, &size)
    if buffer == NULL:
        raise MemoryError('ZopfliCompress failed')
    try:
        # zopfli builds its own buffer: copy it to the requested output
        dst = output(out, <Py_ssize_t> size, ZopfliError)
        memcpy(dst.ptr, buffer, size)
    finally:
        free(buffer)
    return dst.finish(<Py_ssize_t> size)


cdef ZopfliFormat _options(ZopfliOptions* options, dict kwargs) except *:
    """Set options from zopfli_encode's keywords; return the format."""
    cdef ZopfliFormat fmt = ZOPFLI_FORMAT_ZLIB
    cdef dict settings = options[0]  # the struct's fields by name
    for key, value in kwargs.items():
        if key != 'format' and key not in settings:
            raise TypeError(
                f'zopfli_encode() got an unexpected keyword argument {key!r}'
            )
        if value is None:
            continue  # keep the default
        if key == 'format':
            fmt = <ZopfliFormat> <int> ZOPFLI.FORMAT(value)
        elif key in _OPTION_RANGES:
            low, high = _OPTION_RANGES[key]
            settings[key] = min(max(int(value), low), high)
        else:
            settings[key] = 1 if value else 0
    options[0] = settings
    return fmt
