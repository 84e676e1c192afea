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


def _demo() -> int:
    import numpy

    import imagecodecs

    # a smooth 12-bit gradient with noise, like a microscope tile
    y, x = numpy.mgrid[0:256, 0:384]
    rng = numpy.random.default_rng(42)
    image = ((x * 7 + y * 5) % 4096 + rng.integers(0, 16, x.shape))
    image = image.astype(numpy.uint16)
    print(imagecodecs.version())
    print(f'image {image.shape} {image.dtype}, {image.nbytes} bytes')
    for name in ('ljpeg', 'zstd', 'zlib', 'lzw', 'packbits', 'jpeg2k',
                 'jpegxl', 'png', 'webp', 'avif', 'aec'):
        if not getattr(imagecodecs, name.upper()).available:
            continue
        encode = getattr(imagecodecs, f'{name}_encode')
        decode = getattr(imagecodecs, f'{name}_decode')
        data = image if name not in {'webp', 'avif'} else (
            image >> 4).astype(numpy.uint8)
        try:
            encoded = encode(data)
        except Exception as exc:  # show what failed, keep going
            print(f'{name:10} encode failed: {exc}')
            continue
        decoded = numpy.frombuffer(decode(encoded), data.dtype) \
            if not hasattr(decode(encoded), 'shape') else decode(encoded)
        exact = numpy.array_equal(decoded.reshape(data.shape), data)
        print(f'{name:10} {len(encoded):8} bytes  ratio '
              f'{data.nbytes / len(encoded):5.2f}  '
              f'{"lossless" if exact else "lossy"}')
    return 0


def _sbom() -> int:
    import os

    path = os.path.join(os.path.dirname(__file__), 'licenses', 'bom.cdx.json')
    if not os.path.exists(path):
        print('this build links no vendored library', file=sys.stderr)
        return 1
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
