# SPDX-License-Identifier: BSD-3-Clause
"""Run a command with the system's image and compression libraries hidden.

    unshare -m python ci/hide_system_libs.py -- COMMAND...

Inside a private mount namespace (unshare -m), every shared object of an
image or compression library in the loader's directories is covered by an
empty file, so a module that still needed one would fail to import. The
libraries Python's own standard library loads (zlib, bz2, lzma modules) stay:
nor do those of the command line tools the tests run as independent
implementations (zstd, lz4, brotli, xz, bzip2, opj_decompress, djxl, cjxl,
JxrDecApp): for those the ldd check of ci/wheel_report.py is the proof.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import sysconfig

LIBDIRS = ('/lib', '/usr/lib', '/usr/local/lib', '/lib64', '/usr/lib64')

# sonames (without lib and .so) of the libraries imagecodecs vendors, and
# their siblings that distributions ship
HIDDEN = re.compile(
    r'^lib(z|z-ng|deflate|zstd|lz4|snappy|blosc2?|brotli\w*|lzma|bz2|lzf|'
    r'lzfse|lzham\w*|zopfli\w*|bitshuffle|Lerc|lerc|zfp|SPERR|sperr|aec|sz|'
    r'png\d*|spng|gif|tiff\w*|webp\w*|sharpyuv|jpeg|turbojpeg|openjp2|'
    r'openjph|charls|lcms2|qoi|hwy\w*|jxl\w*|jpegxr|jxrglue|dav1d|aom|'
    r'SvtAv1\w*|avif|heif|de265|lzo2)\.so[.\d]*$'
)


# the stdlib modules the tests use that load a compression library
STDLIB = ('zlib', 'binascii', '_bz2', '_lzma')


# command line tools the tests compare with
TOOLS = ('zstd', 'lz4', 'brotli', 'xz', 'bzip2', 'gzip', 'opj_decompress',
         'djxl', 'cjxl', 'JxrDecApp')


def kept_libraries() -> set[str]:
    """Real paths of the shared libraries those modules and tools load."""
    dynload = sysconfig.get_path('platstdlib') + '/lib-dynload'
    users = [path for name in STDLIB
             for path in glob.glob(os.path.join(dynload, name + '.*so'))]
    users += [exe for exe in map(shutil.which, TOOLS) if exe]
    needed = set()
    for user in users:
        out = subprocess.run(['ldd', user], capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) > 2 and parts[1] == '=>' and parts[2].startswith('/'):
                needed.add(os.path.realpath(parts[2]))
    return needed


def hide(keep: set[str]) -> list[str]:
    hidden = set()
    for libdir in LIBDIRS:
        for folder, _, files in os.walk(libdir):
            for name in files:
                path = os.path.realpath(os.path.join(folder, name))
                if HIDDEN.match(name) and path not in keep | hidden:
                    subprocess.run(['mount', '--bind', '/dev/null', path],
                                   check=True)
                    hidden.add(path)
    return sorted(hidden)


def main() -> int:
    if '--' not in sys.argv:
        sys.exit(__doc__)
    command = sys.argv[sys.argv.index('--') + 1:]
    hidden = hide(kept_libraries())
    print(f'hide_system_libs: {len(hidden)} shared libraries hidden:',
          ' '.join(sorted(os.path.basename(p) for p in hidden)))
    return subprocess.call(command)


if __name__ == '__main__':
    sys.exit(main())
