# SPDX-License-Identifier: BSD-3-Clause
"""Command line: ``python -m imagecodecs [OPTION | FILE]``.

--version   print the versions of the package and every codec
--demo      encode and decode an image with every available codec family
--sbom      print the bill of materials of the linked libraries (CycloneDX)
--codecs    list the codecs this build includes and those it does not
--check     import every built module; fail if one of them does not load
FILE        decode an image file and print its shape, dtype and codec
"""

from __future__ import annotations

import sys


# codec: (encode keywords, decode keywords); the image is 12-bit in uint16
# (8-bit for the 8-bit formats)
_DEMO = {
    'ljpeg': ({}, {}),
    'zstd': ({}, {}),
    'zlib': ({}, {}),
    'lzw': ({}, {}),
    'packbits': ({}, {}),
    # AEC streams carry no sample size: the decoder is told what was coded
    'aec': ({'bitspersample': 16}, {'bitspersample': 16}),
    'jpeg2k': ({'level': 0}, {}),
    'jpegxl': ({'lossless': True}, {}),
    'png': ({}, {}),
    'webp': ({'lossless': True}, {}),
    'avif': ({'level': 100}, {}),
}
_EIGHT_BIT = {'webp', 'avif'}
# WebP holds RGB(A) only: the gray image in each channel
_RGB = {'webp'}


def _demo() -> int:
    """Encode and decode a test image with every available demo codec;
    fail if a lossless round trip differs or a codec raises."""
    import numpy

    import imagecodecs

    # a smooth 12-bit gradient with noise, like a microscope tile
    y, x = numpy.mgrid[0:256, 0:384]
    rng = numpy.random.default_rng(42)
    image = ((x * 7 + y * 5) % 4096 + rng.integers(0, 16, x.shape))
    image = image.astype(numpy.uint16)
    print(imagecodecs.version())
    print(f'image {image.shape} {image.dtype}, {image.nbytes} bytes')
    failed = 0
    for name, (encode_kwargs, decode_kwargs) in _DEMO.items():
        if not getattr(imagecodecs, name.upper()).available:
            print(f'{name:10} not in this build')
            continue
        encode = getattr(imagecodecs, f'{name}_encode')
        decode = getattr(imagecodecs, f'{name}_decode')
        data = (image >> 4).astype(numpy.uint8) if name in _EIGHT_BIT \
            else image
        if name in _RGB:
            data = numpy.repeat(data[..., numpy.newaxis], 3, axis=-1)
        try:
            encoded = encode(data, **encode_kwargs)
            decoded = decode(encoded, **decode_kwargs)
        except Exception as exc:  # report every codec, then fail
            print(f'{name:10} failed: {type(exc).__name__}: {exc}')
            failed += 1
            continue
        if not isinstance(decoded, numpy.ndarray):
            decoded = numpy.frombuffer(decoded, data.dtype)
        exact = numpy.array_equal(decoded.reshape(data.shape), data)
        if not exact:
            print(f'{name:10} failed: decoded image differs')
            failed += 1
            continue
        print(f'{name:10} {len(encoded):8} bytes  ratio '
              f'{data.nbytes / len(encoded):5.2f}  lossless')
    return 1 if failed else 0


def _sbom() -> int:
    import os

    path = os.path.join(os.path.dirname(__file__), 'licenses', 'bom.cdx.json')
    if not os.path.exists(path):
        # a lite build: nothing to list, which is an answer, not a failure
        print('this build links no vendored library', file=sys.stderr)
        return 0
    with open(path, encoding='utf-8') as fh:
        sys.stdout.write(fh.read())
    return 0


def _codecs() -> tuple[list[str], list[str]]:
    import imagecodecs
    from imagecodecs._registry import CODECS

    names = [codec.constants for codec in CODECS]
    built = [n for n in names if getattr(imagecodecs, n).available]
    return built, [n for n in names if n not in built]


def _check() -> int:
    """Import each module the build recorded; every one must load."""
    import importlib

    from imagecodecs._build_info import MODULES

    failed = []
    for name in MODULES:
        try:
            importlib.import_module(f'imagecodecs.{name}')
        except ImportError as exc:
            failed.append(f'{name}: {exc}')
    built, missing = _codecs()
    print(f'{len(MODULES)} modules, {len(built)} codecs available, '
          f'{len(missing)} not built: {" ".join(missing)}')
    for line in failed:
        print(line, file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    import imagecodecs

    if not argv or argv[0] in {'-h', '--help'}:
        print(__doc__)
        return 0
    if argv[0] == '--version':
        print(imagecodecs.version())
        return 0
    if argv[0] == '--demo':
        return _demo()
    if argv[0] == '--sbom':
        return _sbom()
    if argv[0] == '--check':
        return _check()
    if argv[0] == '--codecs':
        built, missing = _codecs()
        print(f'available ({len(built)}):', ' '.join(built))
        print(f'not built ({len(missing)}):', ' '.join(missing))
        return 0
    try:
        image, codec = imagecodecs.imread(argv[0], return_codec=True)
    except Exception as exc:  # one line, not a traceback, for the shell
        print(f'{argv[0]}: {type(exc).__name__}: {exc}', file=sys.stderr)
        return 1
    print(f'{argv[0]}: {image.shape} {image.dtype} via {codec.__name__}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
