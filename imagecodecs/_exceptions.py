# SPDX-License-Identifier: BSD-3-Clause
"""Exception classes of all codecs, built from the registry.

They live in plain Python so that they exist whether or not a codec's
extension module was built: code can always write ``except LzwError``.
"""

from __future__ import annotations

from ._registry import CODECS

__all__ = ['DelayedImportError', 'ImagecodecsError']


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


for _codec in CODECS:
    if _codec.error:
        globals()[_codec.error_name] = _make(_codec)
        __all__.append(_codec.error_name)

del _codec
