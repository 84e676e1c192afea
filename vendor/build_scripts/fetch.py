# SPDX-License-Identifier: BSD-3-Clause
"""Fetch pinned sources with the ordinary clients, verify and extract them.

Debian source packages come through ``apt-get source --download-only``
(the deb-src entries are added by apt_sources.py), PyPI sdists through
``pip download``. Every archive is checked against the sha256 pinned in
vendor/libraries.toml before it is used; a mismatch is refused and the file
is moved aside, never extracted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

import paths


class FetchError(RuntimeError):
    pass


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as fh:
        for block in iter(lambda: fh.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def verify(path: str, sha256: str) -> None:
    """Raise FetchError unless the file at `path` has this sha256."""
    if not os.path.isfile(path):
        raise FetchError(f'{path}: not downloaded')
    actual = sha256_file(path)
    if actual != sha256.lower():
        raise FetchError(
            f'{os.path.basename(path)}: sha256 mismatch\n'
            f'  expected {sha256.lower()}\n  got      {actual}\n'
            'refusing to use it (moved aside as .bad)')


def _verified(path: str, sha256: str) -> bool:
    """Return True if a cached file is good; move a bad one aside."""
    if not os.path.isfile(path):
        return False
    try:
        verify(path, sha256)
    except FetchError:
        os.replace(path, path + '.bad')
        return False
    return True


def archives(entry: dict) -> list[tuple[str, str]]:
    """Return (file, sha256) of every archive a manifest entry needs."""
    source = entry['source']
    items = [(source['file'], entry['sha256'])]
    if 'debian_file' in source:
        items.append((source['debian_file'], source['debian_sha256']))
    return items


def fetch(key: str, entry: dict, log) -> list[str]:
    """Download (if not cached) and verify the archives; return paths."""
    downloads = paths.downloads_dir()
    os.makedirs(downloads, exist_ok=True)
    missing = [(f, h) for f, h in archives(entry)
               if not _verified(os.path.join(downloads, f), h)]
    if missing:
        kind = entry['source']['kind']
        if kind == 'debian':
            _apt_source(entry['source'], downloads, log)
        elif kind == 'pypi':
            _pip_download(entry['source'], entry['sha256'], downloads, log)
        else:
            raise FetchError(f'{key}: unknown source kind {kind!r}')
    result = []
    for name, sha256 in archives(entry):
        path = os.path.join(downloads, name)
        try:
            verify(path, sha256)
        except FetchError:
            if os.path.isfile(path):
                os.replace(path, path + '.bad')
            raise
        result.append(path)
    return result


def _run(cmd, log, cwd=None, env=None) -> int:
    log.write('$ ' + ' '.join(cmd) + '\n')
    log.flush()
    return subprocess.run(cmd, cwd=cwd, env=env, stdout=log,
                          stderr=subprocess.STDOUT).returncode


def _apt_source(source: dict, downloads: str, log) -> None:
    """apt-get source --download-only PKG=VER into the downloads folder.

    The Debian mirror reachable here serves only some pool files: apt often
    fails on the .dsc (exit 100) after it has fetched and hash-checked the
    orig tarball. So the exit code is ignored and the tarball is judged by
    its pinned sha256 alone.
    """
    if not shutil.which('apt-get'):
        raise FetchError('apt-get not found: download '
                         f'{source["file"]} by hand into {downloads}')
    spec = f'{source["package"]}={source["version"]}'
    with tempfile.TemporaryDirectory(dir=downloads) as tmp:
        code = _run(['apt-get', 'source', '--download-only', '-q', spec],
                    log, cwd=tmp)
        for name in os.listdir(tmp):
            if name.endswith(('.dsc', '.asc')):
                continue
            os.replace(os.path.join(tmp, name), os.path.join(downloads, name))
    if not os.path.isfile(os.path.join(downloads, source['file'])):
        raise FetchError(
            f'apt-get source {spec} (exit {code}) gave no {source["file"]}; '
            'are the deb-src entries there? '
            '(ci/build_vendor.sh runs apt_sources.py and apt-get update)')


_STUB = '''\
# Build nothing: report the sdist's PKG-INFO as metadata, so that
# pip download does not run (or fetch) the real build backend.
import os, re
def _meta():
    text = open('PKG-INFO', encoding='utf-8', errors='replace').read()
    name = re.search(r'^Name: *(.+)$', text, re.M).group(1).strip()
    version = re.search(r'^Version: *(.+)$', text, re.M).group(1).strip()
    return text, name, version
def prepare_metadata_for_build_wheel(directory, config_settings=None):
    text, name, version = _meta()
    info = '%s-%s.dist-info' % (re.sub(r'[-_.]+', '_', name), version)
    os.makedirs(os.path.join(directory, info), exist_ok=True)
    with open(os.path.join(directory, info, 'METADATA'), 'w',
              encoding='utf-8') as fh:
        fh.write(text)
    return info
def get_requires_for_build_wheel(config_settings=None):
    return []
def build_wheel(*args, **kwargs):
    raise RuntimeError('stub backend: builds nothing')
'''

_STUB_MODULES = (
    'setuptools/build_meta.py', 'maturin/__init__.py',
    'scikit_build_core/build.py', 'hatchling/build.py',
    'poetry/core/masonry/api.py', 'flit_core/buildapi.py',
    'mesonpy/__init__.py', 'pdm/backend/__init__.py',
)


def _stub_env(log) -> str:
    """Return the python of a throwaway venv whose build backends are stubs.

    ``pip download --no-binary :all:`` runs the sdist's metadata hook; with
    build isolation it would install (and compile) the real backends, and
    without it the backend may be missing. The stub copies PKG-INFO and does
    nothing else (see the sources survey).
    """
    root = os.path.join(paths.cache_dir(), 'pip-stub-env')
    python = os.path.join(root, 'Scripts' if sys.platform == 'win32'
                          else 'bin', 'python')
    marker = os.path.join(root, 'stub-ready')
    if os.path.exists(marker):
        return python
    shutil.rmtree(root, ignore_errors=True)
    if _run([sys.executable, '-m', 'venv', root], log):
        raise FetchError('could not create the pip stub venv')
    _run([python, '-m', 'pip', 'uninstall', '-q', '-y', 'setuptools'], log)
    site = subprocess.run(
        [python, '-c', 'import sysconfig; print(sysconfig.get_path("purelib"))'],
        check=True, capture_output=True, text=True).stdout.strip()
    with open(os.path.join(site, '_stubbackend.py'), 'w') as fh:
        fh.write(_STUB)
    for module in _STUB_MODULES:
        path = os.path.join(site, module)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        parts = module.split('/')
        for depth in range(1, len(parts)):
            init = os.path.join(site, *parts[:depth], '__init__.py')
            if not os.path.exists(init):
                open(init, 'w').close()
        with open(path, 'w') as fh:
            fh.write('from _stubbackend import *  # noqa\n'
                     'import _stubbackend as __legacy__  # noqa\n')
    open(marker, 'w').close()
    return python


def _pip_download(source: dict, sha256: str, downloads: str, log) -> None:
    python = _stub_env(log)
    spec = f'{source["name"]}=={source["version"]}'
    with tempfile.TemporaryDirectory(dir=downloads) as tmp:
        requirements = os.path.join(tmp, 'requirements.txt')
        with open(requirements, 'w') as fh:
            fh.write(f'{spec} --hash=sha256:{sha256}\n')
        out = os.path.join(tmp, 'out')
        code = _run([python, '-m', 'pip', 'download', '-q', '--no-deps',
                     '--no-binary', ':all:', '--no-build-isolation',
                     '--use-pep517', '--require-hashes', '-r', requirements,
                     '-d', out], log)
        if code:
            raise FetchError(f'pip download {spec} failed (exit {code})')
        for name in os.listdir(out):
            os.replace(os.path.join(out, name), os.path.join(downloads, name))


def extract(archive: str, dest: str, subdir: str | None = None,
            strip: bool = True) -> str:
    """Extract `archive` into `dest`; return the source root.

    With `strip` a single top-level folder is removed (aom's tarball has
    none). `subdir` selects a folder below the top level (a library inside
    a Python sdist); only members under it are extracted.
    """
    os.makedirs(dest, exist_ok=True)
    if archive.endswith('.zip'):
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
            top = _top(names) if strip else ''
            want = _want(top, subdir)
            zf.extractall(dest, [n for n in names if n.startswith(want)])
    else:
        with tarfile.open(archive) as tf:
            members = tf.getmembers()
            top = _top([m.name for m in members]) if strip else ''
            want = _want(top, subdir)
            chosen = [m for m in members if m.name.startswith(want)
                      or (m.name + '/') == want]
            kwargs = {'filter': 'tar'} if hasattr(tarfile, 'tar_filter') \
                else {}
            tf.extractall(dest, chosen, **kwargs)
    root = os.path.join(dest, want) if want else dest
    return os.path.normpath(root)


def _top(names: list[str]) -> str:
    tops = {n.lstrip('./').split('/', 1)[0] for n in names if n.strip('./')}
    if len(tops) == 1:
        top = tops.pop()
        if any('/' in n.lstrip('./') for n in names):
            return top + '/'
    return ''


def _want(top: str, subdir: str | None) -> str:
    want = top
    if subdir:
        want += subdir.strip('/') + '/'
    return want
