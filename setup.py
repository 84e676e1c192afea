# SPDX-License-Identifier: BSD-3-Clause
"""Build imagecodecs: one Cython extension per module of the codec registry.

Options (command line, or environment variables for pip / PEP 517 builds):

  --lite              IMAGECODECS_LITE=1       only codecs without libraries
  --skip-NAME         IMAGECODECS_SKIP=a,b     leave out codecs or modules
  --only-NAME         IMAGECODECS_ONLY=a,b     build only these (development)
                      IMAGECODECS_PREFIX=DIR   vendored static prefix
                      IMAGECODECS_SYSTEM=0     do not fall back to pkg-config
                      IMAGECODECS_MANIFEST=F   another library manifest

Libraries are looked up in the vendored prefix first (see
vendor/libraries.toml and ci/build_vendor.sh), then through pkg-config.
A module whose library is missing is skipped with one line, unless it was
named in IMAGECODECS_ONLY. A module ``imagecodecs_distributor_setup`` with a
``customize_build(EXTENSIONS, OPTIONS)`` function, if importable, may change
everything before the build (see imagecodecs_distributor_setup.py).
"""

from __future__ import annotations

import glob
import os
import re
import runpy
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(HERE, 'imagecodecs')
REGISTRY = runpy.run_path(os.path.join(PACKAGE, '_registry.py'))
MODULES = REGISTRY['modules']()
CODEC_NAMES = {codec.name for codec in REGISTRY['CODECS']}


def _flag(name: str) -> bool:
    return os.environ.get(name, '').lower() in {'1', 'true', 'yes', 'on'}


def _names(value: str) -> set[str]:
    return {n.strip().lower() for n in value.split(',') if n.strip()}


def _parse_argv() -> dict:
    """Remove our options from sys.argv and merge them with the env."""
    lite = _flag('IMAGECODECS_LITE')
    skip = _names(os.environ.get('IMAGECODECS_SKIP', ''))
    only = _names(os.environ.get('IMAGECODECS_ONLY', ''))
    for arg in list(sys.argv[1:]):
        if arg == '--lite':
            lite = True
        elif arg.startswith('--skip-'):
            skip.add(arg[7:].lower())
        elif arg.startswith('--only-'):
            only.add(arg[7:].lower())
        else:
            continue
        sys.argv.remove(arg)
    known = CODEC_NAMES | {m.lstrip('_') for m in MODULES}
    unknown = (skip | only) - known
    if unknown:
        sys.exit(f'setup.py: unknown codecs {sorted(unknown)}; '
                 f'known: {sorted(known)}')
    return {'lite': lite, 'skip': skip, 'only': only}


def _selected(module, options) -> bool:
    names = {module.name.lstrip('_')} | {c.name for c in module.codecs}
    if options['only']:
        return bool(names & options['only'])
    if names & options['skip']:
        return False
    return module.lite or not options['lite']


def _manifest() -> dict:
    """Return the vendored library manifest ({} if it is not there)."""
    path = os.environ.get('IMAGECODECS_MANIFEST') or os.path.join(
        HERE, 'vendor', 'libraries.toml')
    if not os.path.exists(path):
        return {}
    import tomllib

    with open(path, 'rb') as fh:
        return tomllib.load(fh).get('library', {})


def _prefix() -> str:
    prefix = os.environ.get('IMAGECODECS_PREFIX')
    if prefix:
        return os.path.abspath(prefix)
    sys.path.insert(0, os.path.join(HERE, 'vendor', 'build_scripts'))
    try:
        from paths import default_prefix
    except ImportError:
        return ''
    finally:
        sys.path.pop(0)
    return default_prefix()


def _pkgconfig(package: str) -> dict | None:
    if not shutil.which('pkg-config'):
        return None
    try:
        flags = subprocess.run(
            ['pkg-config', '--cflags', '--libs', package],
            check=True, capture_output=True, text=True,
        ).stdout.split()
    except subprocess.CalledProcessError:
        return None
    return {
        'include_dirs': [f[2:] for f in flags if f.startswith('-I')],
        'library_dirs': [f[2:] for f in flags if f.startswith('-L')],
        'libraries': [f[2:] for f in flags if f.startswith('-l')],
    }


def _pkgconfig_version(package: str) -> str | None:
    try:
        return subprocess.run(['pkg-config', '--modversion', package],
                              check=True, capture_output=True,
                              text=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def _version_macro(key: str, version: str | None) -> tuple[str, str]:
    """IMCD_VERSION_<KEY>: the version of a library whose headers have none
    that C code can read (snappy's is in a C++ header)."""
    name = 'IMCD_VERSION_' + ''.join(c if c.isalnum() else '_'
                                     for c in key.upper())
    return name, '"%s"' % (version or 'unknown')


def _platform_key() -> str:
    if sys.platform == 'win32':
        return 'windows'
    return 'macos' if sys.platform == 'darwin' else 'linux'


def _archive(libdir: str, name: str) -> str:
    if sys.platform == 'win32':
        return os.path.join(libdir, f'{name}.lib')
    return os.path.join(libdir, f'lib{name}.a')


def _find_library(key: str, manifest: dict, prefix: str) -> dict | None:
    """Return build settings for library `key`, or None if not found."""
    entry = manifest.get(key, {})
    # per-platform overrides ([library.KEY.windows] libnames, ...)
    entry = {**entry, **entry.get(_platform_key(), {})}
    libnames = entry.get('libnames', [key])
    if prefix and entry.get('available', True):
        libdir = os.path.join(prefix, 'lib')
        if all(os.path.exists(_archive(libdir, name)) for name in libnames):
            VENDORED.add(key)
            runtime = list(entry.get('system_libs', []))
            if entry.get('cxx') and sys.platform != 'win32':
                runtime.append('c++' if sys.platform == 'darwin'
                               else 'stdc++')
            return {
                'include_dirs': [os.path.join(prefix, 'include')] + [
                    os.path.join(prefix, 'include', d)
                    for d in entry.get('include_dirs', [])],
                'library_dirs': [libdir],
                # link the static archives by path: no shared library of
                # the same name on the system can win
                'extra_objects': [_archive(libdir, name)
                                  for name in libnames],
                # what the static archives need at link time
                'libraries': runtime,
                # macros code using the static library defines
                'define_macros': [(d, None) for d in entry.get('defines',
                                                               [])]
                + [_version_macro(key, entry.get('version'))],
            }
    if not _flag_default('IMAGECODECS_SYSTEM', True):
        return None
    packages = entry.get('pkgconfig', [key])
    found = [_pkgconfig(package) for package in packages]
    if found and None not in found:
        settings = {field: [v for settings in found for v in settings[field]]
                    for field in found[0]}
        settings['define_macros'] = [
            _version_macro(key, _pkgconfig_version(packages[0]))]
        return settings
    return _system_library(entry.get('header'), libnames)


def _system_library(header: str | None, libnames: list[str]) -> dict | None:
    """Return settings for a system library that has no pkg-config file."""
    if not header or sys.platform == 'win32':
        return None
    multiarch = sysconfig.get_config_var('MULTIARCH') or ''
    incdirs = ['/usr/local/include', '/usr/include']
    libdirs = ['/usr/local/lib', f'/usr/lib/{multiarch}', '/usr/lib',
               '/usr/lib64']
    if not any(os.path.exists(os.path.join(d, header)) for d in incdirs):
        return None
    for name in libnames:
        if not any(os.path.exists(os.path.join(d, f'lib{name}{ext}'))
                   for d in libdirs for ext in ('.so', '.a', '.dylib')):
            return None
    return {'libraries': list(libnames)}


def _flag_default(name: str, default: bool) -> bool:
    if name not in os.environ:
        return default
    return _flag(name)


def _settings(sources: list[str]) -> dict:
    return {
        'sources': [os.path.join('imagecodecs', s) for s in sources],
        'include_dirs': [], 'library_dirs': [], 'libraries': [],
        'extra_objects': [], 'define_macros': [],
        'extra_compile_args': [], 'extra_link_args': [],
    }


def _package_version() -> str:
    with open(os.path.join(PACKAGE, '__init__.py')) as fh:
        return re.search(r"^__version__ = '(.+)'", fh.read(), re.M)[1]


# vendored libraries linked into each selected module, for the wheel's
# bill of materials
LINKED: dict[str, tuple[str, ...]] = {}
# libraries found in the vendored prefix (the others came from the system)
VENDORED: set[str] = set()


def _extensions(options) -> dict[str, dict]:
    """Return the settings of every selected extension module."""
    manifest = _manifest()
    prefix = _prefix() if any(not m.lite for m in MODULES.values()) else ''
    # the shared layer every codec module cimports
    extensions = {'_shared': _settings(['_shared.pyx'])}
    for name, module in MODULES.items():
        if module.pure or not _selected(module, options):
            continue
        if module.pending:
            print(f'setup.py: skipping {name}: {module.codecs[0].pending}')
            continue
        if not os.path.exists(os.path.join(PACKAGE, name + '.pyx')):
            print(f'setup.py: skipping {name}: not implemented yet')
            continue
        settings = _settings([name + '.pyx']
                             + [os.path.join('_c', s) for s in module.sources])
        if module.sources and sys.platform != 'win32':
            settings['libraries'].append('m')  # our C may use libm
        missing = []
        for key in module.libs:
            found = _find_library(key, manifest, prefix)
            if found is None:
                missing.append(key)
                continue
            for field, values in found.items():
                settings[field] += [v for v in values
                                    if v not in settings[field]]
        if missing:
            if options['only']:
                sys.exit(f'setup.py: {name} needs {missing}, not found')
            print(f'setup.py: skipping {name}: '
                  f'library not found: {", ".join(missing)}')
            continue
        extensions[name] = settings
        LINKED[name] = module.libs
    return extensions


def _compile_args() -> list[str]:
    if sys.platform == 'win32':
        return ['/O2']
    return ['-O3', '-fno-strict-aliasing', '-Wno-unreachable-code']


def _customize(extensions: dict, options: dict) -> None:
    try:
        from imagecodecs_distributor_setup import customize_build
    except ImportError:
        return
    customize_build(extensions, options)


class BuildExt(build_ext):
    """Compile in parallel and record what was built."""

    def finalize_options(self):
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1

    def run(self):
        super().run()
        built, linked = self._built()
        self._write_build_info(built, linked)
        self._write_sbom(linked)
        self._copy_licenses(linked)

    def _built(self) -> tuple[set[str], set[str]]:
        """Return the modules built and the vendored libraries they link.

        An in-place build of some modules (--only-NAME) keeps what earlier
        in-place builds recorded for modules that are still there.
        """
        built = {ext.name.rsplit('.', 1)[-1] for ext in self.extensions}
        linked = {lib for name in built for lib in LINKED.get(name, ())
                  if lib in VENDORED}
        previous = os.path.join(PACKAGE, '_build_info.py')
        if self.inplace and os.path.exists(previous):
            info = runpy.run_path(previous)
            kept = {name for name in info.get('MODULES', ())
                    if glob.glob(os.path.join(PACKAGE, name + '.*.so'))
                    or glob.glob(os.path.join(PACKAGE, name + '*.pyd'))}
            built |= kept
            linked |= {lib for lib in info.get('VENDORED', ())
                       if any(lib in MODULES[n].libs for n in kept
                              if n in MODULES)}
        return built, linked

    def _copy_licenses(self, linked: set[str]):
        """Ship the licence of every vendored library the build links."""
        folder = os.path.join(os.path.dirname(_prefix()), 'licenses')
        for key in sorted(linked):
            source = os.path.join(folder, f'LICENSE-{key}.txt')
            if not os.path.exists(source):
                continue  # a system library: its package carries the licence
            for path in self._targets('licenses', f'LICENSE-{key}.txt'):
                os.makedirs(os.path.dirname(path), exist_ok=True)
                shutil.copyfile(source, path)

    def _targets(self, *parts: str) -> list[str]:
        bases = {self.build_lib, HERE if self.inplace else None}
        return [os.path.join(base, 'imagecodecs', *parts)
                for base in bases if base]

    def _write_sbom(self, linked: set[str]):
        """Ship the factory's bill of materials, cut to what was linked."""
        source = os.path.join(os.path.dirname(_prefix()), 'bom.cdx.json')
        if not linked or not os.path.exists(source):
            return
        import json

        with open(source) as fh:
            bom = json.load(fh)
        bom['components'] = [c for c in bom['components']
                             if c['name'] in linked]
        bom['dependencies'] = [d for d in bom['dependencies']
                               if d['ref'] in linked]
        bom['metadata']['component']['version'] = _package_version()
        text = json.dumps(bom, indent=1, sort_keys=True) + '\n'
        for path in self._targets('licenses', 'bom.cdx.json'):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as fh:
                fh.write(text)

    def _write_build_info(self, built: set[str], linked: set[str]):
        import Cython
        import numpy

        text = (
            '# Generated by setup.py at build time.\n'
            f'CYTHON_VERSION = {Cython.__version__!r}\n'
            f'NUMPY_BUILD_VERSION = {numpy.__version__!r}\n'
            f'MODULES = {tuple(sorted(built))!r}\n'
            f'VENDORED = {tuple(sorted(linked))!r}\n'
        )
        for path in self._targets('_build_info.py'):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as fh:
                fh.write(text)


def _ext_modules() -> list:
    if any(arg in sys.argv for arg in ('egg_info', 'sdist', 'dist_info',
                                       '--version', '--name')):
        return []
    import numpy
    from Cython.Build import cythonize

    options = _parse_argv()
    options.update(
        include_dirs=[os.path.join(PACKAGE, '_c'), numpy.get_include()],
        define_macros=[('NPY_NO_DEPRECATED_API', 'NPY_1_7_API_VERSION')],
        extra_compile_args=_compile_args(),
        compiler_directives={'language_level': 3, 'embedsignature': True},
    )
    extensions = _extensions(options)
    _customize(extensions, options)
    result = []
    for name, settings in extensions.items():
        settings = dict(settings)
        result.append(Extension(
            'imagecodecs.' + name,
            sources=settings.pop('sources'),
            include_dirs=settings.pop('include_dirs') + options['include_dirs'],
            define_macros=settings.pop('define_macros')
            + options['define_macros'],
            extra_compile_args=settings.pop('extra_compile_args')
            + options['extra_compile_args'],
            **settings,
        ))
    if not result:
        return []
    return cythonize(
        result,
        compiler_directives=options['compiler_directives'],
        nthreads=os.cpu_count() or 1,
        include_path=[PACKAGE],
    )


if sysconfig.get_platform().startswith('linux') and 'SOURCE_DATE_EPOCH' in os.environ:
    # reproducible builds: no build paths in the objects' debug info
    os.environ.setdefault('CFLAGS', f'-ffile-prefix-map={HERE}=.')

setup(ext_modules=_ext_modules(), cmdclass={'build_ext': BuildExt})
