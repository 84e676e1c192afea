# SPDX-License-Identifier: BSD-3-Clause
"""Where the vendored factory reads and writes; setup.py imports this.

    IMAGECODECS_PREFIX         the merged static prefix setup.py links
                               (default: build/vendor/prefix in the repo)
    IMAGECODECS_VENDOR_CACHE   downloads, extracted sources and per-library
                               staging trees (default ~/.cache/imagecodecs-
                               vendor, or %LOCALAPPDATA% on Windows)

Nothing here is committed: build/ is ignored by git and the cache lives
outside the repository.
"""

from __future__ import annotations

import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
VENDOR = os.path.join(REPO, 'vendor')
MANIFEST = os.path.join(VENDOR, 'libraries.toml')
PATCHES = os.path.join(VENDOR, 'patches')


def default_prefix() -> str:
    """Return the static prefix setup.py uses unless IMAGECODECS_PREFIX."""
    prefix = os.environ.get('IMAGECODECS_PREFIX')
    if prefix:
        return os.path.abspath(prefix)
    return os.path.join(REPO, 'build', 'vendor', 'prefix')


def cache_dir() -> str:
    cache = os.environ.get('IMAGECODECS_VENDOR_CACHE')
    if cache:
        return os.path.abspath(cache)
    if sys.platform == 'win32':
        base = os.environ.get('LOCALAPPDATA', os.path.expanduser('~'))
        return os.path.join(base, 'imagecodecs-vendor')
    base = os.environ.get('XDG_CACHE_HOME', os.path.expanduser('~/.cache'))
    return os.path.join(base, 'imagecodecs-vendor')


def downloads_dir() -> str:
    """Verified source archives, by file name (shared by every prefix)."""
    return os.path.join(cache_dir(), 'downloads')


def staging_dir(key: str, content_hash: str) -> str:
    """Install tree of one library build, named by its content hash."""
    return os.path.join(cache_dir(), 'staging', f'{key}-{content_hash[:16]}')


def work_dir(key: str) -> str:
    """Extracted source and build tree of the library being built."""
    return os.path.join(cache_dir(), 'work', key)


def logs_dir(prefix: str) -> str:
    return os.path.join(os.path.dirname(prefix), 'logs')


def licenses_dir(prefix: str) -> str:
    """LICENSE-<key>.txt of every merged library; setup.py ships those linked."""
    return os.path.join(os.path.dirname(prefix), 'licenses')


def sbom_path(prefix: str) -> str:
    return os.path.join(os.path.dirname(prefix), 'bom.cdx.json')
