# SPDX-License-Identifier: BSD-3-Clause
# C declarations of bitshuffle (bitshuffle.h) used by imagecodecs.

from libc.stdint cimport int64_t

# bitshuffle_core.h falls back to version 0.4.0 unless the build defines
# the version macros; the vendored build (vendor/libraries.toml) does not.
cdef extern from *:
    """
    #ifndef BSHUF_VERSION_MAJOR
    #define BSHUF_VERSION_MAJOR 0
    #define BSHUF_VERSION_MINOR 5
    #define BSHUF_VERSION_POINT 2
    #endif
    """

cdef extern from 'bitshuffle.h' nogil:
    int BSHUF_VERSION_MAJOR
    int BSHUF_VERSION_MINOR
    int BSHUF_VERSION_POINT

    size_t bshuf_default_block_size(const size_t elem_size)
    int64_t bshuf_bitshuffle(const void* src, void* dst, const size_t size,
                             const size_t elem_size, size_t block_size)
    int64_t bshuf_bitunshuffle(const void* src, void* dst, const size_t size,
                               const size_t elem_size, size_t block_size)
