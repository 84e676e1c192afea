# SPDX-License-Identifier: BSD-3-Clause
"""Exception classes of all codecs, built from the registry.

They live in plain Python so that they exist whether or not a codec's
extension module was built: code can always write ``except LzwError``.
"""

from __future__ import annotations

from ._registry import CODECS

__all__ = ['DelayedImportError', 'ImagecodecsError']

_ERRORS_AS: dict = {}


class DelayedImportError(ImportError):
    """A codec's extension module is not available in this build."""

    def __init__(self, name: str, reason: str = '') -> None:
        message = f'{name!r} is not available in this build'
        if reason:
            message += f': {reason}'
        super().__init__(message)


class ImagecodecsError(RuntimeError):
    """Base class of the codecs' error classes."""


# The pass-through and NPY codecs wrap Python objects, not C code.
_PLAIN_EXCEPTIONS = {'none', 'numpy'}


def _make(codec) -> type:
    base = Exception if codec.name in _PLAIN_EXCEPTIONS else ImagecodecsError
    cls = type(codec.error_name, (base,), {
        '__doc__': f'{codec.constants} codec error.',
        '__module__': 'imagecodecs',
    })
    return cls


class NotABufferError(TypeError, ValueError, AttributeError):
    """Input that exports no buffer (None, str, a number).

    A TypeError; also a ValueError and an AttributeError, which the
    reference raises for such input depending on the codec.
    """


NotABufferError.__module__ = 'imagecodecs'


def error_as(error: type, builtin: type) -> type:
    """Return a subclass of the codec error `error` that is also `builtin`.

    Where the reference package raises a builtin (ValueError, TypeError) for
    bad arguments or data, ours raises this class: `except XError` and the
    caller's `except ValueError` both catch it.
    """
    if issubclass(error, builtin):
        return error
    key = (error, builtin)
    cls = _ERRORS_AS.get(key)
    if cls is None:
        cls = type(error.__name__, (error, builtin), {
            '__doc__': f'{error.__name__} that is also a {builtin.__name__}.',
            '__module__': error.__module__,
        })
        _ERRORS_AS[key] = cls
    return cls


for _codec in CODECS:
    if _codec.error is True:
        globals()[_codec.error_name] = _make(_codec)
        __all__.append(_codec.error_name)
for _codec in CODECS:
    if isinstance(_codec.error, str):  # an alias shares its codec's class
        globals()[_codec.error_name] = globals()[
            _codec.error.capitalize() + 'Error']
        __all__.append(_codec.error_name)

del _codec
