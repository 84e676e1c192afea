# SPDX-License-Identifier: BSD-3-Clause
"""Check a built wheel and print what it holds.

    python ci/wheel_report.py WHEEL [--installed SITE_PACKAGES_DIR]

Fails (exit 1) if an extension module needs a shared library other than
the C and C++ runtimes. Prints the shared libraries `ldd` resolves for the
modules, the codecs the wheel contains, its size and sha256.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import runpy
import subprocess
import sys
import tempfile
import zipfile

# what every manylinux policy lets an extension module link dynamically
RUNTIME = re.compile(
    r'^(linux-vdso|ld-linux[-\w.]*|libc|libm|libdl|libpthread|librt|'
    r'libgcc_s|libstdc\+\+|libutil)\.so'
)


def shared_libraries(module: str) -> list[tuple[str, str]]:
    """Return (soname, resolved path) for what the loader maps for module."""
    out = subprocess.run(['ldd', module], capture_output=True, text=True,
                         check=True).stdout
    found = []
    for line in out.splitlines():
        parts = line.split()
        if not parts or parts[0].startswith('/'):
            continue  # the dynamic loader itself
        found.append((parts[0], parts[2] if len(parts) > 2 else ''))
    return found


def check_modules(root: str) -> tuple[dict[str, str], list[str]]:
    """Return the shared libraries all modules map, and the offenders."""
    libraries: dict[str, str] = {}
    offenders = []
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith('.so'):
                continue
            path = os.path.join(folder, name)
            for soname, resolved in shared_libraries(path):
                libraries[soname] = resolved
                if not RUNTIME.match(soname):
                    offenders.append(f'{name}: {soname} => {resolved}')
    return libraries, offenders


def built_modules(root: str) -> tuple[str, ...]:
    info: dict = {}
    path = os.path.join(root, 'imagecodecs', '_build_info.py')
    with open(path) as fh:
        exec(fh.read(), info)
    return info['MODULES']


def codec_names(root: str, modules: tuple[str, ...]) -> list[str]:
    registry = runpy.run_path(os.path.join(root, 'imagecodecs',
                                           '_registry.py'))
    return [codec.constants for codec in registry['CODECS']
            if codec.module in modules or codec.pure]


def installed_size(root: str) -> int:
    return sum(os.path.getsize(os.path.join(folder, name))
               for folder, _, files in os.walk(root) for name in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('wheel')
    parser.add_argument('--installed', help='check an installed tree instead'
                        ' of the unpacked wheel')
    args = parser.parse_args()
    with open(args.wheel, 'rb') as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.installed
        if root is None:
            with zipfile.ZipFile(args.wheel) as archive:
                archive.extractall(tmp)
            root = tmp
        libraries, offenders = check_modules(os.path.join(root, 'imagecodecs'))
        modules = built_modules(root)
        codecs = codec_names(root, modules)
        licenses = sorted(os.listdir(os.path.join(root, 'imagecodecs',
                                                  'licenses')))
        size = installed_size(os.path.join(root, 'imagecodecs'))
    print(f'wheel:     {os.path.basename(args.wheel)}')
    print(f'sha256:    {digest}')
    print(f'size:      {os.path.getsize(args.wheel) / 1e6:.1f} MB, '
          f'installed {size / 1e6:.1f} MB')
    print(f'modules:   {len(modules)} extension modules')
    print(f'codecs:    {len(codecs)}: {" ".join(codecs)}')
    print(f'licences:  {len(licenses)} files in imagecodecs/licenses')
    print('ldd (all modules): ' + ', '.join(
        f'{name} => {path}' for name, path in sorted(libraries.items())))
    if offenders:
        print('modules needing libraries outside the C runtime:',
              *offenders, sep='\n  ', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
