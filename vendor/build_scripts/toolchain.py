# SPDX-License-Identifier: BSD-3-Clause
"""Compilers, flags and tools of the platform being built for.

The flags come from the ``[platform.<name>]`` tables of
vendor/libraries.toml; this module only finds the tools and turns the data
into environment variables and command lines. Windows (MSVC) and macOS are
written from the tools' documentation and are untested here.
"""

from __future__ import annotations

import os
import platform
import shlex
import shutil
import subprocess
import sys


def platform_name() -> str:
    if sys.platform == 'win32':
        return 'windows'
    if sys.platform == 'darwin':
        return 'macos'
    return 'linux'


def machine() -> str:
    name = platform.machine().lower()
    return {'amd64': 'x86_64', 'arm64': 'aarch64'}.get(name, name)


class Toolchain:
    def __init__(self, settings: dict, jobs: int):
        self.platform = platform_name()
        self.machine = machine()
        self.settings = settings
        self.jobs = jobs
        msvc = self.platform == 'windows' and not os.environ.get('CC')
        self.msvc = msvc
        self.cc = os.environ.get('CC') or ('cl' if msvc else 'cc')
        self.cxx = os.environ.get('CXX') or ('cl' if msvc else 'c++')
        self.ar = os.environ.get('AR') or ('lib' if msvc else 'ar')
        self.nm = os.environ.get('NM') or 'nm'
        self.objcopy = os.environ.get('OBJCOPY') or 'objcopy'
        self.cmake = shutil.which('cmake') or 'cmake'
        self.meson = shutil.which('meson') or 'meson'
        self.ninja = shutil.which('ninja')
        self.obj_ext = '.obj' if msvc else '.o'
        self.cflags = list(settings.get('cflags', []))
        self.cxxflags = list(settings.get('cxxflags', self.cflags))
        self.ldflags = list(settings.get('ldflags', []))
        self.cflags += shlex.split(os.environ.get('CFLAGS', ''))
        self.cxxflags += shlex.split(os.environ.get('CXXFLAGS', ''))
        self.ldflags += shlex.split(os.environ.get('LDFLAGS', ''))
        self.cmake_args = list(settings.get('cmake_args', []))
        self.meson_args = list(settings.get('meson_args', []))
        target = os.environ.get('MACOSX_DEPLOYMENT_TARGET')
        if self.platform == 'macos' and target:
            self.cmake_args.append(f'-DCMAKE_OSX_DEPLOYMENT_TARGET={target}')
        archs = os.environ.get('CMAKE_OSX_ARCHITECTURES')
        if self.platform == 'macos' and archs:
            self.cmake_args.append(f'-DCMAKE_OSX_ARCHITECTURES={archs}')

    def cflags_str(self) -> str:
        return ' '.join(self.cflags)

    def identity(self) -> dict:
        """What of the toolchain goes into every cache key."""
        return {
            'platform': self.platform, 'machine': self.machine,
            'cc': self._version(self.cc), 'cxx': self._version(self.cxx),
            'cflags': self.cflags, 'cxxflags': self.cxxflags,
            'ldflags': self.ldflags, 'cmake_args': self.cmake_args,
            'meson_args': self.meson_args,
            'cmake': self._version(self.cmake),
            'meson': self._version(self.meson),
        }

    @staticmethod
    def _version(tool: str) -> str:
        try:
            out = subprocess.run([tool, '--version'], capture_output=True,
                                 text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return f'{tool}: not found'
        text = (out.stdout or out.stderr).strip().splitlines()
        return text[0] if text else tool

    def env(self, deps: str) -> dict:
        """Environment for a build that may see only `deps`."""
        env = dict(os.environ)
        env['CC'], env['CXX'] = self.cc, self.cxx
        include = os.path.join(deps, 'include')
        lib = os.path.join(deps, 'lib')
        if self.msvc:
            env['CL'] = ' '.join(self.cflags)
            env['INCLUDE'] = include + os.pathsep + env.get('INCLUDE', '')
            env['LIB'] = lib + os.pathsep + env.get('LIB', '')
        else:
            env['CFLAGS'] = ' '.join(self.cflags + [f'-I{include}'])
            env['CXXFLAGS'] = ' '.join(self.cxxflags + [f'-I{include}'])
            env['CPPFLAGS'] = f'-I{include}'
            env['LDFLAGS'] = ' '.join(self.ldflags + [f'-L{lib}'])
        # pkg-config sees the dependencies and nothing of the system
        pcdirs = [os.path.join(deps, 'lib', 'pkgconfig'),
                  os.path.join(deps, 'share', 'pkgconfig')]
        env['PKG_CONFIG_LIBDIR'] = os.pathsep.join(pcdirs)
        env.pop('PKG_CONFIG_PATH', None)
        env['CMAKE_BUILD_PARALLEL_LEVEL'] = str(self.jobs)
        env.pop('MAKEFLAGS', None)
        # reproducible archives
        env.setdefault('SOURCE_DATE_EPOCH', '1767225600')
        env['ZERO_AR_DATE'] = '1'
        return env

    def static_name(self, name: str) -> str:
        return f'{name}.lib' if self.msvc else f'lib{name}.a'

    def compile_command(self, src, obj, include, defines, cxx=False,
                        extra=()):
        if self.msvc:
            return ([self.cxx if cxx else self.cc, '/nologo', '/c', '/MD']
                    + self.cflags + [f'/I{d}' for d in include]
                    + [f'/D{d}' for d in defines] + list(extra)
                    + [f'/Fo{obj}', src])
        flags = self.cxxflags if cxx else self.cflags
        return ([self.cxx if cxx else self.cc, '-c'] + flags
                + [f'-I{d}' for d in include] + [f'-D{d}' for d in defines]
                + list(extra) + ['-o', obj, src])

    def archive_command(self, archive, objects):
        if self.msvc:
            return [self.ar, '/nologo', f'/OUT:{archive}'] + list(objects)
        return [self.ar, 'rcs', archive] + list(objects)
