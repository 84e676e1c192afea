# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""Shared layer of all codec modules (see _shared.pxd)."""

import math
import os

import numpy

from imagecodecs._exceptions import NotABufferError, error_as

from cpython.buffer cimport (
    PyObject_GetBuffer, PyBuffer_Release, PyBUF_SIMPLE, PyBUF_WRITABLE,
)
from cpython.bytearray cimport PyByteArray_Resize
from cpython.bytes cimport PyBytes_FromStringAndSize, PyBytes_AS_STRING
from cpython.bytearray cimport PyByteArray_FromStringAndSize
from cpython.object cimport PyObject
from libc.string cimport memcpy
from cpython.ref cimport Py_INCREF, Py_DECREF


cdef extern from 'numpy/arrayobject.h':
    int NPY_ABI_VERSION


def numpy_abi_version():
    """Return the NumPy C ABI version the extensions were compiled for."""
    return hex(NPY_ABI_VERSION)


cdef extern from 'Python.h':
    int _PyBytes_Resize(PyObject** bytes, Py_ssize_t newsize) except -1
    const char* PyByteArray_AS_STRING(object)


cdef class Input:

    def __cinit__(self, object data):
        if PyObject_GetBuffer(data, &self.view, PyBUF_SIMPLE) != 0:
            raise BufferError('cannot get buffer')  # unreachable: raises
        self.obj = data
        self.ptr = <const uint8_t*> self.view.buf
        self.size = self.view.len

    def __dealloc__(self):
        if self.obj is not None:
            PyBuffer_Release(&self.view)


def _contiguous(object data):
    """Return data as an object exporting a C-contiguous buffer."""
    if isinstance(data, numpy.ndarray):
        if data.dtype.hasobject:
            # their bytes are pointers: never encode or decode them
            raise ValueError('cannot read the bytes of Python objects')
        if not data.flags.c_contiguous:
            return numpy.ascontiguousarray(data)
    if isinstance(data, memoryview) and not data.c_contiguous:
        return data.tobytes()
    if isinstance(data, str):
        raise TypeError('expected a bytes-like object, not str')
    return data


cdef Input readable(object data):
    """Return an Input over the bytes of any buffer object."""
    try:
        return Input(_contiguous(data))
    except TypeError as exc:
        raise NotABufferError(str(exc)) from None


cdef object _shrink_bytes(Output self, Py_ssize_t size):
    """Resize the new, unshared bytes object of `self` in place.

    Shrinking never copies; growing may move the data (realloc).
    """
    cdef PyObject* raw = <PyObject*> self.obj
    Py_INCREF(self.obj)
    self.obj = None  # `raw` now holds the only reference
    _PyBytes_Resize(&raw, size)  # frees and raises on failure
    result = <object> raw  # takes a second reference
    Py_DECREF(result)
    return result


cdef class Output:

    def __dealloc__(self):
        if self.has_view:
            PyBuffer_Release(&self.view)

    cdef object finish(self, Py_ssize_t used):
        if used < 0 or used > self.size:
            raise RuntimeError(f'invalid output size {used}')
        if self.has_view:
            PyBuffer_Release(&self.view)
            self.has_view = False
        if self.given:
            if used == self.size:
                return self.obj
            if isinstance(self.obj, numpy.ndarray):  # as the reference
                return self.obj.reshape(-1).view(numpy.uint8)[:used]
            return memoryview(self.obj).cast('B')[:used]
        if used == self.size:
            return self.obj
        if type(self.obj) is bytes:
            self.obj = _shrink_bytes(self, used)
            return self.obj
        PyByteArray_Resize(self.obj, used)
        return self.obj

    cdef int grow(self, Py_ssize_t size) except -1:
        """Enlarge a new output to `size` bytes; raise if it is fixed.

        Only outputs created for out=None or a type may grow: an explicit
        capacity or buffer is a limit. `ptr` and `size` are updated.
        """
        if size <= self.size:
            return 0
        if not self.growable:
            raise self.error(f'output too small: {self.size} < {size} bytes')
        if type(self.obj) is bytes:
            self.obj = _shrink_bytes(self, size)
            self.ptr = <uint8_t*> PyBytes_AS_STRING(self.obj)
        else:
            PyByteArray_Resize(self.obj, size)
            self.ptr = <uint8_t*> PyByteArray_AS_STRING(self.obj)
        self.size = size
        return 0

    cdef int keep_tail(self) except -1:
        """Remember a given buffer's bytes before a library writes to it.

        Some libraries (libdeflate, zlib-ng) use the room past the data they
        write as scratch; restore_tail puts the caller's bytes back there.
        """
        if self.given:
            self.saved = PyBytes_FromStringAndSize(<const char*> self.ptr,
                                                   self.size)
        return 0

    cdef void restore_tail(self, Py_ssize_t used) noexcept:
        if self.saved is not None and 0 <= used < self.size:
            memcpy(self.ptr + used, <const char*> self.saved + used,
                   self.size - used)

    cdef uint8_t* workspace(self, Py_ssize_t bound,
                            bint given_too=False) except NULL:
        """Return where an encoder that wants `bound` bytes of room writes.

        Many libraries refuse, or give up early in, an output smaller than
        their worst case even where the result would fit; some scribble
        past their result. The output itself serves if it holds `bound`
        bytes (and, with given_too, is not the caller's buffer); else a
        spare buffer does, and commit() copies the result over.
        """
        if self.size >= bound and not (given_too and self.given):
            return self.ptr
        self.spare = PyBytes_FromStringAndSize(NULL, max(bound, 1))
        return <uint8_t*> PyBytes_AS_STRING(self.spare)

    cdef Py_ssize_t commit(self, Py_ssize_t used) except -1:
        """Move `used` bytes written to the workspace into the output."""
        cdef const char* spare
        if self.spare is None:
            return used
        if used > self.size:
            raise self.error(f'output too small: {self.size} < {used} bytes')
        spare = PyBytes_AS_STRING(self.spare)
        with nogil:
            memcpy(self.ptr, spare, used)
        self.spare = None
        return used


cdef bint fresh_output(object out):
    """Return whether out= asks for a new object (None, bytes, bytearray)
    rather than giving a capacity or a buffer to write into."""
    return out is None or out is bytes or out is bytearray


cdef int _writable(object out, object error) except -1:
    """Raise unless `out` is a writable buffer.

    An immutable out (bytes, a read-only array or memoryview) is refused
    with an error that is also a TypeError, as the reference raises, and a
    ValueError, as this package raised before.
    """
    refused = error_as(error_as(error, TypeError), ValueError)
    if isinstance(out, numpy.ndarray):  # of any dtype, datetimes too
        readonly = not out.flags.writeable
    else:
        try:
            readonly = memoryview(out).readonly
        except TypeError:
            raise refused(
                f'out must be a writable buffer, not {type(out).__name__}'
            ) from None
    if readonly:
        raise refused(
            f'out must be writable, not a read-only {type(out).__name__}')
    return 0


cdef Output output(object out, Py_ssize_t size, object error,
                   bint exact=True):
    """Return an Output for `out` that can hold `size` bytes.

    With exact=True a given buffer smaller than `size` is an error;
    with exact=False `size` is only the preferred capacity (an upper bound
    such as an encoder's worst case) and a smaller buffer is used as is.
    """
    cdef Output result = Output.__new__(Output)
    result.error = error
    kind = bytes
    if out is None:
        result.growable = True
    elif out is bytes or out is bytearray:
        kind = out
        result.growable = True
    elif isinstance(out, int):
        if out < 0:
            raise ValueError(f'invalid output size {out}')
        if exact and out < size:
            raise error(f'output too small: {out} < {size} bytes')
        size = out
    else:
        if isinstance(out, numpy.ndarray) and not out.flags.c_contiguous:
            # a copy would be written, not the caller's array
            raise error_as(error, ValueError)(
                'out must be a C-contiguous array')
        out = _contiguous(out)
        _writable(out, error)
        if PyObject_GetBuffer(out, &result.view,
                              PyBUF_SIMPLE | PyBUF_WRITABLE) != 0:
            raise BufferError('cannot get writable buffer')  # raises
        result.has_view = True
        result.obj = out
        result.ptr = <uint8_t*> result.view.buf
        result.size = result.view.len
        result.given = True
        if exact and result.size < size:
            raise error(
                f'output too small: {result.size} < {size} bytes'
            )
        return result
    if size < 0:
        raise ValueError(f'invalid output size {size}')
    if kind is bytes:
        result.obj = PyBytes_FromStringAndSize(NULL, size)
        result.ptr = <uint8_t*> PyBytes_AS_STRING(result.obj)
    else:
        result.obj = PyByteArray_FromStringAndSize(NULL, size)
        result.ptr = <uint8_t*> PyByteArray_AS_STRING(result.obj)
    result.size = size
    return result


cdef Py_ssize_t check(Py_ssize_t status, object error) except -1:
    """Return status if it is not negative, else raise `error`."""
    if status >= 0:
        return status
    if status == IMCD_MEMORY:
        raise MemoryError(imcd_status_message(status).decode())
    raise error(imcd_status_message(status).decode())


cdef object new_array(object out, tuple shape, object dtype, object error,
                      object source=None):
    """Return a C-contiguous array of shape and dtype, `out` if given.

    `out` may be None, an int or the type bytes or bytearray (a capacity or
    type, which an array result has no use for: a new array), or a writable
    C-contiguous ndarray of the same dtype and size (it is returned
    reshaped to `shape` as a view), or any writable buffer of the same
    number of bytes. A read-only ndarray `out` that shares memory with
    `source`, the input, gives a new array: callers such as tifffile
    decode in place with `data = decode(data, out=data)` over read-only
    views of bytes, and use the result.
    """
    dtype = numpy.dtype(dtype)
    if fresh_output(out) or (
            isinstance(out, int) and not isinstance(out, bool)):
        return numpy.empty(shape, dtype)
    if isinstance(out, numpy.ndarray):
        if (not out.flags.writeable and source is not None
                and numpy.may_share_memory(out, source)):
            return numpy.empty(shape, dtype)
        _writable(out, error)
        if not out.flags.c_contiguous:
            raise error_as(error, ValueError)(
                'out must be a C-contiguous array')
        if out.dtype != dtype:
            raise error_as(error, ValueError)(
                f'out has dtype {out.dtype}, expected {dtype}')
        if out.size != math.prod(shape):
            raise error_as(error, ValueError)(
                f'out has size {out.size}, expected shape {shape}')
        return out if out.shape == shape else out.reshape(shape)
    _writable(out, error)
    array = numpy.frombuffer(memoryview(out).cast('B'), numpy.uint8)
    nbytes = math.prod(shape) * dtype.itemsize
    if array.size < nbytes:
        raise error_as(error, ValueError)(
            f'out has {array.size} bytes, expected {nbytes}')
    return array[:nbytes].view(dtype).reshape(shape)


cdef object input_array(object data):
    """Return data as a C-contiguous ndarray (bytes become uint8); arrays
    keep their shape, 0-d ones too (ascontiguousarray makes those 1-d)."""
    if isinstance(data, numpy.ndarray):
        if data.flags.c_contiguous:
            return data
        return numpy.ascontiguousarray(data).reshape(data.shape)
    try:
        return numpy.ascontiguousarray(numpy.frombuffer(_contiguous(data),
                                                        numpy.uint8))
    except TypeError as exc:
        raise NotABufferError(str(exc)) from None


cpdef int default_threads(object numthreads):
    """Return the number of threads to use: None or 0 means one."""
    if numthreads is None:
        return 1
    numthreads = int(numthreads)
    if numthreads < 0:
        raise ValueError(f'invalid numthreads {numthreads}')
    if numthreads == 0:
        return min(os.cpu_count() or 1, 32)
    return numthreads


cdef object checksum32(checksum32_func func, object data, object value,
                       uint32_t initial):
    """Return func's checksum of data, continuing from value (32 bits)."""
    cdef Input src = readable(data)
    cdef uint32_t result = initial if value is None else (
        <uint32_t> (int(value) & 0xFFFFFFFF))
    with nogil:
        result = func(result, src.ptr, <size_t> src.size)
    return int(result)


def enum_value(value, kind, default, str owner):
    """Return the code of an IntEnum `kind` member given by name or number.

    None gives `default`; names are case-insensitive; anything else raises
    ValueError naming `owner`.`kind`.
    """
    if value is None:
        return int(default)
    try:
        if isinstance(value, str):
            return int(kind[value.upper()])
        return int(kind(int(value)))
    except (KeyError, ValueError):
        raise ValueError(f'invalid {owner}.{kind.__name__} {value!r}') from None
