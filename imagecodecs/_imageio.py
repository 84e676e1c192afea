# SPDX-License-Identifier: BSD-3-Clause
"""imread and imwrite: whole image files through the image codecs."""

from __future__ import annotations

import mmap
import os
from typing import Any, Callable

import numpy

import imagecodecs
from imagecodecs._registry import CODECS

# File name extension -> codec, in the order codecs are tried on content.
_EXTENSIONS = {
    'png': 'png', 'apng': 'apng', 'webp': 'webp', 'gif': 'gif',
    'jpg': 'jpeg8', 'jpeg': 'jpeg8', 'jpe': 'jpeg8', 'jfif': 'jpeg8',
    'ljp': 'ljpeg', 'ljpeg': 'ljpeg', 'jls': 'jpegls',
    'jp2': 'jpeg2k', 'j2k': 'jpeg2k', 'jpc': 'jpeg2k', 'j2c': 'jpeg2k',
    'jxl': 'jpegxl', 'jxr': 'jpegxr', 'wdp': 'jpegxr', 'hdp': 'jpegxr',
    'avif': 'avif', 'heic': 'heif', 'heif': 'heif', 'qoi': 'qoi',
    'bmp': 'bmp', 'dds': 'dds', 'hdr': 'rgbe', 'rgbe': 'rgbe',
    'tif': 'tiff', 'tiff': 'tiff', 'npy': 'numpy', 'npz': 'numpy',
    'lerc': 'lerc', 'lerc1': 'lerc', 'lerc2': 'lerc',
}
_CODECS = {codec.name for codec in CODECS}
_CONTENT_ORDER = (
    'png', 'jpeg8', 'ljpeg', 'jpegsof3', 'webp', 'gif', 'jpeg2k', 'jpegxl',
    'jpegxr', 'jpegls', 'avif', 'heif', 'qoi', 'bmp', 'dds', 'rgbe', 'tiff',
    'numpy', 'lerc',
)


def imagefileext() -> list[str]:
    """Return the file name extensions imread and imwrite know."""
    return list(_EXTENSIONS)


def _codec_function(codec: str | Callable, verb: str) -> Callable:
    """Return the function `verb` of a codec given by name, or `codec`."""
    if callable(codec):
        return codec
    name = str(codec).lower()
    name = _EXTENSIONS.get(name, name)  # a file extension names its codec
    if name not in _CODECS or not hasattr(imagecodecs, f'{name}_{verb}'):
        raise ValueError(f'invalid codec {codec!r}')
    return getattr(imagecodecs, f'{name}_{verb}')


def _guess(data: Any, name: str) -> list[str]:
    """Return the codecs to try on data: the file extension's first, then
    those whose check accepts the data, then those that cannot tell."""
    ext = os.path.splitext(name)[1][1:].lower()
    first = [_EXTENSIONS[ext]] if ext in _EXTENSIONS else []
    accept, unknown = [], []
    for codec in _CONTENT_ORDER:
        if codec in first or not getattr(imagecodecs,
                                         codec.upper()).available:
            continue
        verdict = getattr(imagecodecs, f'{codec}_check')(data)
        if verdict is None:
            unknown.append(codec)
        elif verdict:
            accept.append(codec)
    return first + accept + unknown


def _read(fileobj: Any, memmap: bool) -> tuple[Any, str]:
    """Return the bytes of a file name, file object or buffer, and a name."""
    if isinstance(fileobj, (bytes, bytearray, memoryview, mmap.mmap)):
        return fileobj, ''
    if hasattr(fileobj, 'read'):  # a binary file object such as BytesIO
        return fileobj.read(), str(getattr(fileobj, 'name', ''))
    name = os.fspath(fileobj)
    with open(name, 'rb') as fh:
        if memmap and os.path.getsize(name) > 0:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ), name
        return fh.read(), name


def imread(fileobj: Any, /, codec: Any = None, *, memmap: bool = True,
           return_codec: bool = False, **kwargs: Any) -> Any:
    """Return an image decoded from a file name, file object or bytes.

    codec: a codec name, a decode function or a list of them, tried in
    order; by default the file name extension and the content select it.
    """
    data, name = _read(fileobj, memmap)
    if codec is None:
        candidates = _guess(data, name)
    elif isinstance(codec, (list, tuple)):
        candidates = list(codec)
    else:
        candidates = [codec]
    errors = []
    for candidate in candidates:
        try:
            decode = _codec_function(candidate, 'decode')
            image = decode(data, **kwargs)
        except Exception as exc:  # try the next codec, report all at end
            errors.append(f'{getattr(candidate, "__name__", candidate)}: '
                          f'{exc}')
            continue
        return (image, decode) if return_codec else image
    raise ValueError(f'cannot decode {name or "data"}: '
                     + ('; '.join(errors) or 'no codec to try'))


def imwrite(fileobj: Any, data: Any, /, codec: Any = None,
            **kwargs: Any) -> None:
    """Write an image to a file name or binary file object.

    codec: a codec name or encode function; by default the file name
    extension selects it.
    """
    if codec is None:
        name = getattr(fileobj, 'name', fileobj) if hasattr(
            fileobj, 'write') else fileobj
        try:
            ext = os.path.splitext(os.fspath(name))[1][1:].lower()
        except TypeError:
            raise ValueError('no codec given and no file name extension '
                             'to select one') from None
        if ext not in _EXTENSIONS:
            raise ValueError(f'no codec for file extension {ext!r}')
        codec = _EXTENSIONS[ext]
    encoded = _codec_function(codec, 'encode')(numpy.asarray(data), **kwargs)
    if hasattr(fileobj, 'write'):
        fileobj.write(encoded)
        return
    with open(fileobj, 'wb') as fh:
        fh.write(encoded)
