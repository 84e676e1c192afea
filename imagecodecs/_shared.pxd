# SPDX-License-Identifier: BSD-3-Clause
# Shared layer of all codec modules: input buffers, the out= rules,
# NumPy output arrays and the mapping of C status codes to exceptions.

from libc.stdint cimport uint8_t, uint32_t
from cpython.buffer cimport Py_buffer


cdef extern from 'imcd.h' nogil:
    ctypedef Py_ssize_t imcd_ssize_t 'ptrdiff_t'
    int IMCD_OK
    int IMCD_ERROR
    int IMCD_CORRUPT
    int IMCD_TRUNCATED
    int IMCD_OUTPUT_TOO_SMALL
    int IMCD_MEMORY
    int IMCD_VALUE
    int IMCD_NOT_SUPPORTED
    const char* imcd_status_message(Py_ssize_t status)


cdef class Input:
    """Read-only, C-contiguous bytes of any buffer object."""
    cdef Py_buffer view
    cdef object obj
    cdef const uint8_t* ptr
    cdef Py_ssize_t size


cdef class Output:
    """Writable bytes for an encoder or decoder, following the out= rules.

    out=None: a new bytes object of the requested size, which grow() may
    enlarge for decoders that cannot know their output size in advance.
    out=int: a new bytes object with that capacity.
    out=bytes or bytearray (the type): a new object of that type.
    out=writable buffer (bytearray, memoryview, ndarray): written in place.
    finish(n) trims to the n bytes written and returns the object.
    """
    cdef Py_buffer view
    cdef object obj
    cdef uint8_t* ptr
    cdef Py_ssize_t size
    cdef bint given
    cdef bint has_view
    cdef bint growable
    cdef object error
    cdef bytes saved
    cdef bytes spare

    cdef object finish(self, Py_ssize_t used)
    cdef int grow(self, Py_ssize_t size) except -1
    cdef int keep_tail(self) except -1
    cdef void restore_tail(self, Py_ssize_t used) noexcept
    cdef uint8_t* workspace(self, Py_ssize_t bound,
                            bint given_too=*) except NULL
    cdef Py_ssize_t commit(self, Py_ssize_t used) except -1


cdef Input readable(object data)

cdef Output output(object out, Py_ssize_t size, object error, bint exact=*)

cdef bint fresh_output(object out)

cdef Py_ssize_t check(Py_ssize_t status, object error) except -1

cdef object new_array(object out, tuple shape, object dtype, object error,
                      object source=*)

cdef object input_array(object data)

cpdef int default_threads(object numthreads)


# a 32-bit checksum over a whole buffer: crc32 or adler32 of libdeflate and
# zlib-ng (value continues a running checksum)
ctypedef uint32_t (*checksum32_func)(uint32_t value, const void* data,
                                     size_t size) noexcept nogil

cdef object checksum32(checksum32_func func, object data, object value,
                       uint32_t initial)
