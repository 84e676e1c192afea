# SPDX-License-Identifier: BSD-3-Clause
"""imread and imwrite: whole image files through the image codecs."""

from __future__ import annotations

import mmap
import os
from typing import Any, Callable

import numpy

import imagecodecs

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
_CONTENT_ORDER = (
    'png', 'jpeg8', 'ljpeg', 'jpegsof3', 'webp', 'gif', 'jpeg2k', 'jpegxl',
    'jpegxr', 'jpegls', 'avif', 'heif', 'qoi', 'bmp', 'dds', 'rgbe', 'tiff',
    'numpy', 'lerc',
)


def imagefileext() -> list[str]:
    """Return the file name extensions imread and imwrite know."""
    return list(_EXTENSIONS)


def _codec_function(codec: str | Callable, verb: str) -> Callable:
    if callable(codec):
        return codec
    return getattr(imagecodecs, f'{codec.lower()}_{verb}')


def _read(fileobj: Any, memmap: bool) -> tuple[Any, str]:
    if isinstance(fileobj, (bytes, bytearray, memoryview, mmap.mmap)):
        return fileobj, ''
    name = os.fspath(fileobj)
    with open(name, 'rb') as fh:
        if memmap and os.path.getsize(name) > 0:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ), name
        return fh.read(), name


def imread(fileobj: Any, /, codec: Any = None, *, memmap: bool = True,
           return_codec: bool = False, **kwargs: Any) -> Any:
    """Return an image decoded from a file name or bytes.

    codec: a codec name, a decode function or a list of them; by default
    the file name extension and then the content select the codec.
    """
    data, name = _read(fileobj, memmap)
    if codec is None:
        ext = os.path.splitext(name)[1][1:].lower()
        candidates = [_EXTENSIONS[ext]] if ext in _EXTENSIONS else []
        candidates += [c for c in _CONTENT_ORDER if c not in candidates]
        checked = [c for c in candidates
                   if getattr(imagecodecs, c.upper()).available
                   and _codec_function(c, 'check')(data)]
        candidates = checked + [c for c in candidates[:1]
                                if c not in checked]
    elif isinstance(codec, (list, tuple)):
        candidates = list(codec)
    else:
        candidates = [codec]
    errors = []
    for candidate in candidates:
        decode = _codec_function(candidate, 'decode')
        try:
            image = decode(data, **kwargs)
        except Exception as exc:  # try the next codec, report all at end
            errors.append(f'{getattr(decode, "__name__", decode)}: {exc}')
            continue
        return (image, decode) if return_codec else image
    raise ValueError(f'cannot decode {name or "data"}: ' + '; '.join(errors))


def imwrite(fileobj: Any, data: Any, /, codec: Any = None,
            **kwargs: Any) -> None:
    """Write an image to a file, the codec chosen by the file extension."""
    if codec is None:
        ext = os.path.splitext(os.fspath(fileobj))[1][1:].lower()
        if ext not in _EXTENSIONS:
            raise ValueError(f'no codec for file extension {ext!r}')
        codec = _EXTENSIONS[ext]
    encoded = _codec_function(codec, 'encode')(numpy.asarray(data), **kwargs)
    if hasattr(fileobj, 'write'):
        fileobj.write(encoded)
        return
    with open(fileobj, 'wb') as fh:
        fh.write(encoded)
