# SPDX-License-Identifier: BSD-3-Clause
"""Command line: ``python -m imagecodecs [--version | --demo | FILE]``.

--version   print the versions of the package and every codec
--demo      encode and decode an image with every available codec family
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
    image, codec = imagecodecs.imread(argv[0], return_codec=True)
    print(f'{argv[0]}: {image.shape} {image.dtype} via {codec.__name__}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
