# SPDX-License-Identifier: BSD-3-Clause
"""Run a command with the system's image and compression libraries hidden.

    unshare -m python ci/hide_system_libs.py -- COMMAND...

Inside a private mount namespace (unshare -m), every shared object of an
image or compression library in the loader's directories is covered by an
empty file, so a module that still needed one would fail to import. The
libraries Python's own standard library loads (zlib, bz2, lzma modules) stay:
nor do those of the command line tools the tests run as independent
implementations (zstd, lz4, brotli, xz, bzip2): for those the ldd check of
ci/wheel_report.py is the proof. The image tools the tests compare with
(opj_decompress, djxl, cjxl, JxrDecApp) get private copies of their
libraries instead: a wrapper first on PATH runs each with LD_LIBRARY_PATH
set to those copies, so the libraries stay hidden from everything else.
"""

from __future__ import annotations

import glob
import os
import tempfile
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


# command line tools the tests compare with, whose libraries stay visible
TOOLS = ('zstd', 'lz4', 'brotli', 'xz', 'bzip2', 'gzip')

# image tools the tests compare with, run with private copies of theirs
IMAGE_TOOLS = ('opj_decompress', 'djxl', 'cjxl', 'JxrDecApp')


def linked(user: str) -> dict[str, str]:
    """Return soname: real path of the shared libraries `user` loads."""
    out = subprocess.run(['ldd', user], capture_output=True,
                         text=True).stdout
    needed = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) > 2 and parts[1] == '=>' and parts[2].startswith('/'):
            needed[parts[0]] = os.path.realpath(parts[2])
    return needed


def kept_libraries() -> set[str]:
    """Real paths of the shared libraries those modules and tools load."""
    dynload = sysconfig.get_path('platstdlib') + '/lib-dynload'
    users = [path for name in STDLIB
             for path in glob.glob(os.path.join(dynload, name + '.*so'))]
    users += [exe for exe in map(shutil.which, TOOLS) if exe]
    return {path for user in users for path in linked(user).values()}


def wrap_image_tools(folder: str) -> None:
    """Write folder/bin/TOOL wrappers over folder/lib copies of the
    libraries of each installed image tool (before they are hidden)."""
    os.makedirs(os.path.join(folder, 'bin'))
    os.makedirs(os.path.join(folder, 'lib'))
    for tool in IMAGE_TOOLS:
        exe = shutil.which(tool)
        if exe is None:
            continue
        for soname, path in linked(exe).items():
            copy = os.path.join(folder, 'lib', soname)
            if not os.path.exists(copy):
                shutil.copy2(path, copy)
        wrapper = os.path.join(folder, 'bin', tool)
        with open(wrapper, 'w', encoding='ascii') as fh:
            fh.write(f'#!/bin/sh\nLD_LIBRARY_PATH={folder}/lib '
                     f'exec {exe} "$@"\n')
        os.chmod(wrapper, 0o755)


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
    with tempfile.TemporaryDirectory() as folder:
        wrap_image_tools(folder)
        hidden = hide(kept_libraries())
        print(f'hide_system_libs: {len(hidden)} shared libraries hidden:',
              ' '.join(sorted(os.path.basename(p) for p in hidden)))
        env = dict(os.environ, PATH=f'{folder}/bin:{os.environ["PATH"]}')
        return subprocess.call(command, env=env)


if __name__ == '__main__':
    sys.exit(main())
