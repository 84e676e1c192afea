# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""H5CHECKSUM: the checksums and hashes of the HDF5 file format.

Each function takes any buffer (arrays by their bytes in memory) and
returns an int. Only lookup3 and metadata take an initial `value`; the
others accept and ignore it, as HDF5 defines none for them.
"""

from libc.stdint cimport uint8_t, uint32_t

from imagecodecs._shared cimport Input, readable
from imagecodecs import imcd_version

cdef extern from 'h5checksum.h' nogil:
    void imcd_h5checksum_init()
    uint32_t imcd_h5checksum_fletcher32(const uint8_t* src,
                                        Py_ssize_t srcsize)
    uint32_t imcd_h5checksum_lookup3(const uint8_t* src, Py_ssize_t srcsize,
                                     uint32_t initval)
    uint32_t imcd_h5checksum_crc(const uint8_t* src, Py_ssize_t srcsize)
    uint32_t imcd_h5checksum_hash_string(const uint8_t* src,
                                         Py_ssize_t srcsize)

# the CRC tables, filled while the GIL serializes the import
imcd_h5checksum_init()


class H5CHECKSUM:
    """H5CHECKSUM codec constants."""

    available = True


def h5checksum_version():
    """Return the version of the H5CHECKSUM functions."""
    return imcd_version()


def h5checksum_fletcher32(data, value=None):
    """Return Fletcher-32 checksum of data (value is ignored).

    The checksum of HDF5's fletcher32 filter: 16-bit big-endian words, an
    odd last byte as the high byte of a word.
    """
    cdef Input src = readable(data)
    cdef uint32_t result
    with nogil:
        result = imcd_h5checksum_fletcher32(src.ptr, src.size)
    return int(result)


def h5checksum_lookup3(data, value=None):
    """Return Jenkins lookup3 (hashlittle) checksum of data.

    value: initial value, 0 to 2**32 - 1 (default 0).
    """
    cdef uint32_t initval = 0 if value is None else value
    cdef Input src = readable(data)
    cdef uint32_t result
    with nogil:
        result = imcd_h5checksum_lookup3(src.ptr, src.size, initval)
    return int(result)


def h5checksum_crc(data, value=None):
    """Return CRC checksum of data (value is ignored).

    HDF5's CRC-32: polynomial 0x04C11DB7 used in the right-shifting
    algorithm, initial and final complement. Not the CRC-32 of zlib.
    """
    cdef Input src = readable(data)
    cdef uint32_t result
    with nogil:
        result = imcd_h5checksum_crc(src.ptr, src.size)
    return int(result)


def h5checksum_metadata(data, value=None):
    """Return checksum of metadata: lookup3 with initial value (default 0)."""
    return h5checksum_lookup3(data, value)


def h5checksum_hash_string(data, value=None):
    """Return hash of bytes string (value is ignored).

    The djb2 hash HDF5 uses for names, up to the first NUL byte.
    """
    cdef Input src = readable(data)
    cdef uint32_t result
    with nogil:
        result = imcd_h5checksum_hash_string(src.ptr, src.size)
    return int(result)
