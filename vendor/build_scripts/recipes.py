# SPDX-License-Identifier: BSD-3-Clause
"""Build recipes: how a configured source tree becomes a staging tree.

A manifest entry names one generic recipe (``cmake``, ``meson``,
``autotools``, ``make`` or ``sources``) and its options, and optionally
``hooks``: names of the small functions at the end of this file that do
what no option can (rename symbols, install a header). Every platform
difference is data in vendor/libraries.toml, resolved before a recipe runs;
the recipes only know how to drive each build system.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys


class BuildError(RuntimeError):
    pass


class Context:
    """Everything a recipe needs for one library build."""

    def __init__(self, key, entry, src, build, stage, deps, toolchain,
                 jobs, log, step):
        self.key = key
        self.entry = entry
        self.src = src          # extracted (and patched) source root
        self.build = build      # out-of-tree build folder
        self.stage = stage      # install prefix of this build
        self.deps = deps        # merged view of the dependencies' staging
        self.toolchain = toolchain
        self.jobs = jobs
        self.log = log
        self.step = step        # callback: step('configure')
        self.options = [self.expand(o) for o in entry.get('options', [])]

    def expand(self, text: str) -> str:
        return (text.replace('{deps}', self.deps.replace('\\', '/'))
                .replace('{stage}', self.stage.replace('\\', '/'))
                .replace('{src}', self.src.replace('\\', '/'))
                .replace('{jobs}', str(self.jobs)))

    @property
    def env(self) -> dict:
        return self.toolchain.env(self.deps)

    def run(self, cmd, cwd=None, env=None):
        cmd = [str(c) for c in cmd]
        self.log.write(f'\n$ {shlex.join(cmd)}\n')
        self.log.flush()
        result = subprocess.run(cmd, cwd=cwd or self.build,
                                env=env or self.env, stdout=self.log,
                                stderr=subprocess.STDOUT)
        if result.returncode:
            raise BuildError(f'{cmd[0]} exited {result.returncode}')


def _source_dir(ctx) -> str:
    sub = ctx.entry.get('source_subdir')
    return os.path.join(ctx.src, sub) if sub else ctx.src


# -- generic recipes ---------------------------------------------------------

def cmake(ctx: Context) -> None:
    tc = ctx.toolchain
    ctx.step('configure')
    args = [
        tc.cmake, '-S', _source_dir(ctx), '-B', ctx.build,
        '-DCMAKE_BUILD_TYPE=Release',
        f'-DCMAKE_INSTALL_PREFIX={ctx.stage}',
        '-DCMAKE_INSTALL_LIBDIR=lib',
        '-DCMAKE_INSTALL_INCLUDEDIR=include',
        f'-DCMAKE_PREFIX_PATH={ctx.deps}',
        '-DCMAKE_FIND_PACKAGE_PREFER_CONFIG=ON',
        '-DBUILD_SHARED_LIBS=OFF',
        '-DBUILD_TESTING=OFF',
        '-DCMAKE_POSITION_INDEPENDENT_CODE=ON',
        '-DCMAKE_C_VISIBILITY_PRESET=hidden',
        '-DCMAKE_CXX_VISIBILITY_PRESET=hidden',
        '-DCMAKE_VISIBILITY_INLINES_HIDDEN=ON',
        # old projects (cmake_minimum_required < 3.5) still configure
        # with CMake 4
        '-DCMAKE_POLICY_VERSION_MINIMUM=3.5',
        '-DCMAKE_INSTALL_MESSAGE=NEVER',
    ] + tc.cmake_args + ctx.options
    if tc.ninja:
        args += ['-G', 'Ninja']
    ctx.run(args)
    ctx.step('build')
    ctx.run([tc.cmake, '--build', ctx.build, '--config', 'Release',
             '--parallel', str(ctx.jobs)]
            + [a for t in ctx.entry.get('targets', [])
               for a in ('--target', t)])
    ctx.step('install')
    if ctx.entry.get('targets'):
        # only some targets built: install what exists, ignore the rest
        _install_globs(ctx)
    else:
        ctx.run([tc.cmake, '--install', ctx.build, '--config', 'Release'])


def meson(ctx: Context) -> None:
    tc = ctx.toolchain
    ctx.step('configure')
    ctx.run([tc.meson, 'setup', ctx.build, _source_dir(ctx),
             f'--prefix={ctx.stage}', '--libdir=lib',
             '--buildtype=release', '--default-library=static',
             '-Db_staticpic=true', '-Db_ndebug=true',
             f'--pkg-config-path={ctx.deps}/lib/pkgconfig',
             f'--cmake-prefix-path={ctx.deps}']
            + tc.meson_args + ctx.options, cwd=ctx.src)
    ctx.step('build')
    ctx.run([tc.ninja or 'ninja', '-C', ctx.build, '-j', str(ctx.jobs)])
    ctx.step('install')
    ctx.run([tc.meson, 'install', '-C', ctx.build, '--quiet'])


def autotools(ctx: Context) -> None:
    ctx.step('configure')
    configure = os.path.join(_source_dir(ctx), 'configure')
    ctx.run(['sh', configure, f'--prefix={ctx.stage}', '--libdir='
             + os.path.join(ctx.stage, 'lib')]
            + ctx.entry.get('configure_defaults',
                            ['--disable-shared', '--enable-static',
                             '--with-pic'])
            + ctx.options)
    ctx.step('build')
    ctx.run(['make', f'-j{ctx.jobs}'] + ctx.entry.get('targets', []))
    ctx.step('install')
    ctx.run(['make', 'install'] + ctx.entry.get('make_install', []))


def make(ctx: Context) -> None:
    """A plain Makefile: build `targets` in the source tree, install globs."""
    ctx.step('build')
    tc = ctx.toolchain
    variables = [f'CC={tc.cc}', f'CFLAGS={tc.cflags_str()}',
                 f'AR={tc.ar}'] + ctx.options
    ctx.run(['make', f'-j{ctx.jobs}'] + variables
            + ctx.entry.get('targets', []), cwd=_source_dir(ctx))
    ctx.step('install')
    _install_globs(ctx, root=_source_dir(ctx))


def sources(ctx: Context) -> None:
    """Compile listed source files into one static archive per `archives`.

    For libraries that ship no usable build system here (a flattened copy
    inside a Python sdist, two C files, a single header): the compile
    commands come from the toolchain, so this is the same on every
    platform.
    """
    tc = ctx.toolchain
    root = _source_dir(ctx)
    ctx.step('build')
    for archive in ctx.entry['archives']:
        files = []
        for pattern in archive['sources']:
            found = sorted(glob.glob(os.path.join(root, pattern)))
            if not found:
                raise BuildError(f'no source matches {pattern!r}')
            files += found
        exclude = {os.path.join(root, p) for p in archive.get('exclude', [])}
        files = [f for f in files if f not in exclude]
        include = [os.path.join(root, d) for d in archive.get('include', [])]
        include.append(os.path.join(ctx.deps, 'include'))
        defines = [ctx.expand(d) for d in archive.get('defines', [])]
        objects = []
        objdir = os.path.join(ctx.build, archive['name'])
        os.makedirs(objdir, exist_ok=True)
        commands = []
        for path in files:
            cxx = path.endswith(('.cpp', '.cc', '.cxx'))
            obj = os.path.join(objdir, re.sub(
                r'[\\/]', '_', os.path.relpath(path, root)) + tc.obj_ext)
            commands.append(tc.compile_command(
                path, obj, include, defines, cxx=cxx,
                extra=archive.get('cflags', [])))
            objects.append(obj)
        _run_parallel(ctx, commands)
        ctx.step('install')
        libdir = os.path.join(ctx.stage, 'lib')
        os.makedirs(libdir, exist_ok=True)
        ctx.run(tc.archive_command(
            os.path.join(libdir, tc.static_name(archive['name'])), objects))
    _install_globs(ctx, root=root)


def _run_parallel(ctx, commands):
    pending = list(commands)
    running = []
    while pending or running:
        while pending and len(running) < ctx.jobs:
            cmd = pending.pop(0)
            ctx.log.write(f'$ {shlex.join(cmd)}\n')
            ctx.log.flush()
            running.append((cmd, subprocess.Popen(
                cmd, cwd=ctx.build, env=ctx.env, stdout=ctx.log,
                stderr=subprocess.STDOUT)))
        cmd, proc = running.pop(0)
        if proc.wait():
            for _, other in running:
                other.wait()
            raise BuildError(f'{cmd[0]} exited {proc.returncode}')


def _install_globs(ctx, root=None):
    """Copy files named by the entry's ``install`` table into the stage.

    ``install = {include = ["lib/*.h"], lib = ["build/*.a"]}``: each key is
    a folder below the stage, each value globs relative to `root` (the
    source root) or, with a leading ``@build/``, to the build folder.
    """
    root = root or _source_dir(ctx)
    for dest, patterns in ctx.entry.get('install', {}).items():
        target = os.path.join(ctx.stage, dest)
        os.makedirs(target, exist_ok=True)
        for pattern in patterns:
            if pattern.startswith('@build/'):
                base, pattern = ctx.build, pattern[7:]
            else:
                base = root
            found = glob.glob(os.path.join(base, pattern))
            if not found:
                raise BuildError(f'install: nothing matches {pattern!r}')
            for path in found:
                if os.path.isdir(path):
                    shutil.copytree(path, os.path.join(
                        target, os.path.basename(path)), dirs_exist_ok=True)
                else:
                    shutil.copy2(path, target)


RECIPES = {
    'cmake': cmake,
    'meson': meson,
    'autotools': autotools,
    'make': make,
    'sources': sources,
}


# -- hooks: named steps for what no option can do -----------------------------

def rename_symbols(ctx: Context) -> None:
    """Give every exported symbol of the archives a prefix; add a header.

    Two libjpeg implementations (libjpeg-turbo and mozjpeg) must be able to
    sit in one prefix and one process: the archive is renamed (libjpeg.a ->
    lib<prefix>jpeg.a), its defined global symbols are rewritten with
    objcopy --redefine-syms, its headers move to include/<subdir>/, and a
    generated <subdir>/<prefix>rename.h, included first by jpeglib.h,
    #defines the old names to the new ones so that code compiled against
    those headers links the renamed archive.
    """
    spec = ctx.entry['rename']
    prefix = spec['prefix']
    tc = ctx.toolchain
    libdir = os.path.join(ctx.stage, 'lib')
    symbols: set[str] = set()
    renamed = []
    for old, new in spec['archives'].items():
        path = os.path.join(libdir, tc.static_name(old))
        out = subprocess.run([tc.nm, '--defined-only', '-g', '-P', path],
                             check=True, capture_output=True, text=True)
        for line in out.stdout.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[1] in 'TDBRSVWtdbr' \
                    and not parts[0].endswith(':'):
                symbols.add(parts[0])
        renamed.append((path, os.path.join(libdir, tc.static_name(new))))
    # symbols that are not C identifiers (C++, versioned) stay as they are
    symbols = {s for s in symbols if re.fullmatch(r'[A-Za-z_]\w*', s)}
    mapfile = os.path.join(ctx.build, 'redefine.syms')
    with open(mapfile, 'w') as fh:
        for sym in sorted(symbols):
            fh.write(f'{sym} {prefix}{sym}\n')
    for old, new in renamed:
        ctx.run([tc.objcopy, f'--redefine-syms={mapfile}', old, new])
        os.remove(old)
    include = os.path.join(ctx.stage, 'include')
    sub = os.path.join(include, spec['include_subdir'])
    os.makedirs(sub, exist_ok=True)
    for name in os.listdir(include):
        path = os.path.join(include, name)
        if os.path.isfile(path):
            shutil.move(path, os.path.join(sub, name))
    header = f'{prefix}rename.h'
    guard = re.sub(r'\W', '_', header).upper()
    with open(os.path.join(sub, header), 'w') as fh:
        fh.write(f'/* Generated by vendor/build_scripts: the symbols of this '
                 f'{ctx.key} build carry the prefix {prefix!r}. */\n'
                 f'#ifndef {guard}\n#define {guard}\n')
        for sym in sorted(symbols):
            fh.write(f'#define {sym} {prefix}{sym}\n')
        fh.write('#endif\n')
    for name in spec.get('include_first', []):
        path = os.path.join(sub, name)
        with open(path) as fh:
            text = fh.read()
        with open(path, 'w') as fh:
            fh.write(f'#include "{header}"\n' + text)
    for pc in glob.glob(os.path.join(libdir, 'pkgconfig', '*.pc')):
        os.remove(pc)
    shutil.rmtree(os.path.join(libdir, 'cmake'), ignore_errors=True)
    ctx.log.write(f'renamed {len(symbols)} symbols with prefix {prefix}\n')


def remove_shared(ctx: Context) -> None:
    """Delete shared libraries a build system insists on installing."""
    for pattern in ('*.so', '*.so.*', '*.dylib', '*.dll'):
        for path in glob.glob(os.path.join(ctx.stage, 'lib', pattern)):
            os.remove(path)


def remove_cmake_config(ctx: Context) -> None:
    """Delete an installed CMake package config that misleads consumers.

    zlib 1.3.2's static-only ZLIBConfig.cmake defines ZLIB::ZLIBSTATIC but
    not the ZLIB::ZLIB target every consumer links; without it CMake's own
    FindZLIB module is used, which does.
    """
    shutil.rmtree(os.path.join(ctx.stage, 'lib', 'cmake'), ignore_errors=True)


HOOKS = {
    'rename_symbols': rename_symbols,
    'remove_shared': remove_shared,
    'remove_cmake_config': remove_cmake_config,
}


def python_for_build() -> str:
    return sys.executable
