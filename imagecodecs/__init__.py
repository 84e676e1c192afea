# SPDX-License-Identifier: BSD-3-Clause
"""Block-oriented, in-memory image and compression codecs.

Importing the package loads no extension module: each codec's module is
imported on first use of one of its names (PEP 562). A codec whose module
was not built still has all its names; its ``available`` is False and its
functions raise DelayedImportError.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs import time
    from typing import Any

import importlib
import _thread  # not threading: it costs import time

from . import _exceptions
from ._exceptions import DelayedImportError, ImagecodecsError
from ._registry import CODECS, modules

__version__ = '2026.11.23'

__all__ = ['__version__', 'version', 'DelayedImportError',
           'ImagecodecsError', 'imread', 'imwrite', 'imagefileext',
           'cython_version', 'numpy_abi_version', 'imcd_version']

_LOCK = _thread.RLock()

# Public name -> module that defines it.
_NAME_MODULE: dict[str, str] = {}
for _codec in CODECS:
    for _name in _codec.names:
        _NAME_MODULE[_name] = _codec.module
    if _codec.error:
        __all__.append(_codec.error_name)
    __all__.extend(_codec.names)
for _name in ('imread', 'imwrite', 'imagefileext'):
    _NAME_MODULE[_name] = '_imageio'
del _codec, _name

# Why a module could not be imported, by module name.
_MISSING: dict[str, str] = {}


def _import(module: str):
    """Return the imported module, or None if it is not available."""
    if module in _MISSING:
        return None
    try:
        return importlib.import_module('.' + module, __name__)
    except ImportError as exc:
        _MISSING[module] = str(exc) or type(exc).__name__
        return None


def _stub(name: str, module: str) -> Any:
    """Return a placeholder for a name of a module that was not built."""
    reason = f'extension imagecodecs.{module} is missing ({_MISSING[module]})'
    if name.isupper():
        return type(name, (), {'available': False, '__module__': __name__,
                               '__doc__': f'{name} is not available.'})
    if name.endswith('_check'):
        def check(data: Any, /) -> bool:
            return False
        func = check
    elif name.endswith('_version'):
        def version_(*args: Any) -> str:
            return f'{name[:-8]} n/a'
        func = version_
    else:
        def unavailable(*args: Any, **kwargs: Any) -> None:
            raise DelayedImportError(name, reason)
        func = unavailable
    func.__name__ = func.__qualname__ = name
    func.__module__ = __name__
    return func


def __getattr__(name: str) -> Any:
    if hasattr(_exceptions, name):
        value = getattr(_exceptions, name)
        globals()[name] = value
        return value
    module = _NAME_MODULE.get(name)
    if module is None:
        raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
    with _LOCK:
        if name in globals():
            return globals()[name]
        mod = _import(module)
        if mod is None:
            value = _stub(name, module)
        else:
            value = getattr(mod, name)
            if name.isupper() and not hasattr(value, 'available'):
                value.available = True
            try:  # public names belong to the package, as documented
                value.__module__ = __name__
            except (AttributeError, TypeError):
                pass
        globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _module_versions() -> list[tuple[str, str]]:
    """Return (library, version) of every codec, each library once.

    Version functions return 'library version'; codecs whose module was
    not built are listed by codec name with version 'n/a'.
    """
    result: dict[str, str] = {}
    for codec in CODECS:
        func = f'{codec.name}_version'
        if func not in _NAME_MODULE:
            continue
        if _import(codec.module) is None:
            result.setdefault(codec.name, 'n/a')
            continue
        library, _, value = __getattr__(func)().partition(' ')
        result.setdefault(library, value or 'unknown')
    return list(result.items())


def cython_version() -> str:
    """Return the Cython version the extensions were built with."""
    try:
        from ._build_info import CYTHON_VERSION
    except ImportError:
        return 'n/a'
    return CYTHON_VERSION


def numpy_abi_version() -> str:
    """Return the NumPy C ABI version the extensions were built with."""
    shared = _import('_shared')
    return 'n/a' if shared is None else shared.numpy_abi_version()


def imcd_version() -> str:
    """Return the version of this package's own C codecs."""
    return f'imcd {__version__}'


def version(astype: type | None = None, /) -> str | tuple[str, ...] | dict:
    """Return versions of the package, its build tools and every codec.

    astype: None or str for one comma-separated string, tuple for a tuple
    of 'name-version' strings, dict for a mapping of name to version.
    """
    import numpy

    versions = [('imagecodecs', __version__),
                ('cython', cython_version()),
                ('numpy', numpy.__version__),
                ('numpy_abi', numpy_abi_version())]
    versions += [item for item in _module_versions()
                 if item[0] not in dict(versions)]
    if astype is dict:
        return dict(versions)
    items = tuple(f'{name}-{value}' for name, value in versions)
    if astype is tuple:
        return items
    if astype is None or astype is str:
        return ', '.join(items)
    raise TypeError(f'invalid astype {astype!r}')


def available_modules() -> dict[str, bool]:
    """Return, for every extension module, whether it imports."""
    return {name: _import(name) is not None for name in modules()}
