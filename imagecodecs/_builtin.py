# SPDX-License-Identifier: BSD-3-Clause
"""Codecs written in Python: NONE (pass-through) and NUMPY (NPY/NPZ)."""

from __future__ import annotations

import io
from typing import Any

import numpy

from ._exceptions import NumpyError, error_as  # noqa: F401 (re-exported)


class NONE:
    """NONE codec constants."""

    available = True


def none_version() -> str:
    """Return the version of the NONE codec."""
    from . import imcd_version

    return imcd_version()


def none_check(data: Any, /) -> None:
    """Return None: any data may be unencoded."""
    return None


def none_encode(data: Any, *args: Any, **kwargs: Any) -> Any:
    """Return data unchanged."""
    return data


def none_decode(data: Any, *args: Any, **kwargs: Any) -> Any:
    """Return data unchanged."""
    return data


class NUMPY:
    """NUMPY codec constants."""

    available = True


def numpy_version() -> str:
    """Return the version of NumPy."""
    return f'numpy {numpy.__version__}'


def numpy_check(data: bytes | bytearray, /) -> bool:
    """Return whether data starts with the NPY or NPZ (zip) signature."""
    head = bytes(memoryview(data)[:6])
    return head == b'\x93NUMPY' or head[:4] == b'PK\x03\x04'


def numpy_encode(data: Any, /, level: int | None = None, *,
                 out: int | bytearray | None = None) -> bytes:
    """Return data in NPY format; level > 0 gives compressed NPZ."""
    with io.BytesIO() as fh:
        if level:
            numpy.savez_compressed(fh, data)
        else:
            numpy.save(fh, data, allow_pickle=False)
        fh.seek(0)
        return fh.read()


def numpy_decode(data: bytes, /, index: int = 0, *,
                 out: Any = None, **kwargs: Any) -> numpy.ndarray:
    """Return array from NPY or NPZ data; index selects an NPZ member."""
    try:
        with io.BytesIO(bytes(data)) as fh:
            result = numpy.load(fh, allow_pickle=False)
            if isinstance(result, numpy.lib.npyio.NpzFile):
                with result:
                    names = result.files
                    if not names:
                        raise error_as(NumpyError, ValueError)(
                            'empty NPZ file')
                    key = index if isinstance(index, str) \
                        else names[index or 0]
                    result = result[key]
    except NumpyError:
        raise
    except Exception as exc:
        # numpy.load fails in many ways on damaged data (its header parser,
        # zipfile, zlib): all of them mean the data is invalid
        # the reference lets numpy's ValueError (TypeError for non-buffers)
        # through: ours is that too
        builtin = TypeError if isinstance(exc, TypeError) else ValueError
        raise error_as(NumpyError, builtin)(
            f'invalid NPY or NPZ data: {exc!r}') from exc
    if out is not None:
        out[...] = result
        return out
    return result
