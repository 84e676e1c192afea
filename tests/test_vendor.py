# SPDX-License-Identifier: BSD-3-Clause
"""The vendored factory: manifest, fetch verification and cache keys.

Fast and offline: nothing is downloaded or built. The builder is imported
from vendor/build_scripts of the source tree; when the tests run against an
installed package without the source tree beside them, they skip.
"""

from __future__ import annotations

import copy
import os
import re
import urllib.parse
import runpy
import sys
import tomllib

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = os.path.join(REPO, 'vendor', 'build_scripts')
MANIFEST = os.path.join(REPO, 'vendor', 'libraries.toml')

if not os.path.exists(MANIFEST):
    pytest.skip('vendor/ not beside the tests', allow_module_level=True)

sys.path.insert(0, SCRIPTS)
import build  # noqa: E402
import fetch  # noqa: E402
import paths  # noqa: E402
import toolchain  # noqa: E402

sys.path.remove(SCRIPTS)

with open(MANIFEST, 'rb') as _fh:
    DATA = tomllib.load(_fh)
LIBRARIES = DATA['library']
AVAILABLE = {k: v for k, v in LIBRARIES.items() if v.get('available', True)}
# libraries that codecs name but that have no reachable or acceptable source
MAY_BE_UNAVAILABLE = {'libheif', 'brunsli', 'jetraw', 'pcodec', 'libaec'}
RECIPES = {'cmake', 'meson', 'autotools', 'make', 'sources'}
def _configured_hosts() -> set[str]:
    """Return the host names of the package registries this machine uses.

    They are read from apt's sources and pip's configuration (and pip's
    built-in default index), so that no host name is written here.
    """
    texts = []
    for folder, pattern in (('/etc/apt', 'sources.list'),
                            ('/etc/apt/sources.list.d', '')):
        if os.path.isdir(folder):
            texts += [os.path.join(folder, n) for n in os.listdir(folder)
                      if n.startswith(pattern)]
    texts += ['/etc/pip.conf', '/etc/xdg/pip/pip.conf',
              os.path.expanduser('~/.config/pip/pip.conf'),
              os.path.expanduser('~/.pip/pip.conf')]
    urls = [os.environ.get('PIP_INDEX_URL', ''),
            os.environ.get('PIP_EXTRA_INDEX_URL', '')]
    for name in texts:
        if os.path.isfile(name):
            with open(name, encoding='utf-8', errors='replace') as fh:
                urls += re.findall(r'[a-z]+://[^\s\'"]+', fh.read())
    try:
        from pip._internal.models.index import PyPI
        urls += [PyPI.url, PyPI.file_storage_domain]
    except ImportError:
        pass
    hosts = {urllib.parse.urlsplit(u if '://' in u else '//' + u).hostname
             for url in urls for u in url.split()}
    return {host.lower() for host in hosts if host and '.' in host}


# where the factory fetches here, never what a user is pointed to
REGISTRY_HOSTS = re.compile(
    '|'.join(re.escape(host) for host in sorted(_configured_hosts()))
    or r'(?!)', re.IGNORECASE)
PLATFORMS = ('linux', 'macos', 'windows')


def registry_libs() -> set[str]:
    registry = runpy.run_path(os.path.join(REPO, 'imagecodecs',
                                           '_registry.py'))
    return {lib for codec in registry['CODECS'] for lib in codec.libs}


@pytest.mark.parametrize('key', sorted(LIBRARIES))
def test_entry_metadata(key):
    entry = LIBRARIES[key]
    assert entry.get('version'), key
    assert entry.get('license'), key
    url = entry.get('url', '')
    assert url.startswith(('https://', 'http://')), (key, url)
    assert not REGISTRY_HOSTS.search(url), (key, url)
    assert not REGISTRY_HOSTS.search(entry.get('homepage', '')), key
    if not entry.get('available', True):
        assert key in MAY_BE_UNAVAILABLE, key
        assert entry.get('reason'), key


@pytest.mark.parametrize('key', sorted(AVAILABLE))
def test_entry_buildable(key):
    entry = AVAILABLE[key]
    assert re.fullmatch(r'[0-9a-f]{64}', entry['sha256']), key
    files = entry['license_file']
    files = [files] if isinstance(files, str) else files
    assert files and all(isinstance(f, str) and f for f in files), key
    assert entry['recipe'] in RECIPES, key
    assert isinstance(entry.get('options', []), list), key
    assert isinstance(entry.get('libnames'), list), key
    assert all(re.fullmatch(r'[\w.+-]+', n) for n in entry['libnames']), key
    assert isinstance(entry.get('pkgconfig', []), list), key
    for dep in entry.get('depends', []):
        assert dep in AVAILABLE, (key, dep)
    for hook in entry.get('hooks', []):
        assert hook in build.recipes.HOOKS, (key, hook)
    if entry['recipe'] == 'sources':
        assert entry['archives'], key
    source = entry['source']
    if source['kind'] == 'debian':
        assert {'package', 'version', 'suite', 'file'} <= set(source), key
        if 'debian_file' in source:
            assert re.fullmatch(r'[0-9a-f]{64}', source['debian_sha256'])
    else:
        assert source['kind'] == 'pypi', key
        assert {'name', 'version', 'file'} <= set(source), key
    for name in PLATFORMS:
        assert isinstance(entry.get(name, {}), dict), (key, name)


def test_no_registry_hosts_anywhere():
    """No committed factory file names a package registry's host."""
    names = [MANIFEST, os.path.join(REPO, 'ci', 'build_vendor.sh')]
    names += [os.path.join(SCRIPTS, n) for n in os.listdir(SCRIPTS)
              if n.endswith('.py')]
    for folder, _, files in os.walk(os.path.join(REPO, 'vendor', 'patches')):
        names += [os.path.join(folder, n) for n in files]
    for name in names:
        with open(name, encoding='utf-8', errors='replace') as fh:
            found = REGISTRY_HOSTS.search(fh.read())
        assert found is None, (name, found and found.group())


def test_registry_libs_in_manifest():
    for lib in registry_libs():
        assert lib in LIBRARIES, lib
        if lib not in MAY_BE_UNAVAILABLE:
            assert LIBRARIES[lib].get('available', True), lib


def test_build_order_respects_depends():
    libraries = build.buildable(LIBRARIES)
    order = build.build_order(libraries, set(libraries))
    assert sorted(order) == sorted(libraries)
    for key in order:
        for dep in libraries[key].get('depends', []):
            assert order.index(dep) < order.index(key), (key, dep)


def test_platform_overrides_resolve():
    entry = {'version': '1', 'options': ['-DA=1'], 'libnames': ['x'],
             'windows': {'options': ['-DB=2'], 'libnames': ['xs']}}
    windows = build.resolve(entry, 'windows')
    assert windows['options'] == ['-DA=1', '-DB=2']
    assert windows['libnames'] == ['xs']
    assert 'windows' not in windows
    assert build.resolve(entry, 'linux')['libnames'] == ['x']
    for name in PLATFORMS:
        for key, value in LIBRARIES.items():
            build.resolve(value, name)


def test_verify_accepts_and_rejects(tmp_path):
    path = tmp_path / 'lib-1.0.tar.gz'
    path.write_bytes(b'pinned content')
    good = fetch.sha256_file(str(path))
    fetch.verify(str(path), good)
    path.write_bytes(b'pinned content, but corrupted')
    with pytest.raises(fetch.FetchError, match='sha256 mismatch'):
        fetch.verify(str(path), good)
    with pytest.raises(fetch.FetchError):
        fetch.verify(str(tmp_path / 'missing.tar.gz'), good)


def test_fetch_refuses_corrupted_cache(tmp_path, monkeypatch):
    """A cached archive with the wrong hash is moved aside, never used."""
    monkeypatch.setenv('IMAGECODECS_VENDOR_CACHE', str(tmp_path))
    downloads = tmp_path / 'downloads'
    downloads.mkdir()
    good = b'the real archive'
    (downloads / 'x_1.0.orig.tar.gz').write_bytes(b'tampered archive')
    entry = {
        'version': '1.0',
        'sha256': fetch.hashlib.sha256(good).hexdigest(),
        'source': {'kind': 'debian', 'package': 'x', 'version': '1.0-1',
                   'suite': 'sid', 'file': 'x_1.0.orig.tar.gz'},
    }

    def no_network(*args, **kwargs):
        pass  # the "download" leaves nothing new

    monkeypatch.setattr(fetch, '_apt_source', no_network)
    with pytest.raises(fetch.FetchError):
        fetch.fetch('x', entry, open(os.devnull, 'w'))
    assert (downloads / 'x_1.0.orig.tar.gz.bad').exists()
    assert not (downloads / 'x_1.0.orig.tar.gz').exists()

    def download_tampered(*args, **kwargs):
        (downloads / 'x_1.0.orig.tar.gz').write_bytes(b'still wrong')

    monkeypatch.setattr(fetch, '_apt_source', download_tampered)
    with pytest.raises(fetch.FetchError, match='sha256 mismatch'):
        fetch.fetch('x', entry, open(os.devnull, 'w'))

    def download_good(*args, **kwargs):
        (downloads / 'x_1.0.orig.tar.gz').write_bytes(good)

    monkeypatch.setattr(fetch, '_apt_source', download_good)
    assert fetch.fetch('x', entry, open(os.devnull, 'w')) == [
        str(downloads / 'x_1.0.orig.tar.gz')]


TOOLCHAIN = {'cc': 'gcc 12', 'cflags': ['-O2']}


def _hashes(libraries):
    return build.compute_hashes(libraries, list(libraries), TOOLCHAIN)


def test_cache_key_changes_with_pin():
    libraries = build.buildable(copy.deepcopy(LIBRARIES))
    before = _hashes(libraries)
    assert before == _hashes(copy.deepcopy(libraries))  # deterministic
    libraries['zlib']['version'] = '1.3.3'
    after = _hashes(libraries)
    assert after['zlib'] != before['zlib']
    # what depends on zlib is rebuilt, nothing else
    for key in libraries:
        needs_zlib = 'zlib' in build.transitive_deps(libraries, key)
        assert (after[key] != before[key]) == (key == 'zlib' or needs_zlib), \
            key
    libraries = build.buildable(copy.deepcopy(LIBRARIES))
    libraries['zstd']['sha256'] = '0' * 64
    assert _hashes(libraries)['zstd'] != before['zstd']
    libraries = build.buildable(copy.deepcopy(LIBRARIES))
    libraries['zstd']['options'] = libraries['zstd']['options'] + ['-DX=1']
    assert _hashes(libraries)['zstd'] != before['zstd']
    # the description does not change the build
    libraries = build.buildable(copy.deepcopy(LIBRARIES))
    libraries['zstd']['summary'] = 'another summary'
    assert _hashes(libraries)['zstd'] == before['zstd']


def test_cache_key_changes_with_toolchain():
    libraries = build.buildable(copy.deepcopy(LIBRARIES))
    before = build.compute_hashes(libraries, ['lz4'], TOOLCHAIN)
    after = build.compute_hashes(libraries, ['lz4'],
                                 dict(TOOLCHAIN, cc='gcc 13'))
    assert before['lz4'] != after['lz4']


def test_cache_key_changes_with_patch(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, 'PATCHES', str(tmp_path))
    monkeypatch.setattr(build.paths, 'PATCHES', str(tmp_path))
    libraries = build.buildable(copy.deepcopy(LIBRARIES))
    before = _hashes(libraries)
    folder = tmp_path / f'lz4-{libraries["lz4"]["version"]}'
    folder.mkdir()
    patch = folder / '0001-fix.patch'
    patch.write_text('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n')
    with_patch = _hashes(libraries)
    assert with_patch['lz4'] != before['lz4']
    assert with_patch['c-blosc'] != before['c-blosc']  # depends on lz4
    assert with_patch['zlib'] == before['zlib']
    patch.write_text('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+c\n')
    assert _hashes(libraries)['lz4'] != with_patch['lz4']
    # a patch folder for another version is not applied: no change
    patch.unlink()
    folder.rmdir()
    (tmp_path / 'lz4-0.0.1').mkdir()
    (tmp_path / 'lz4-0.0.1' / 'old.patch').write_text('x')
    assert _hashes(libraries)['lz4'] == before['lz4']


def test_patch_folders_match_pins():
    """Every patch folder names a pinned library and version."""
    folder = os.path.join(REPO, 'vendor', 'patches')
    if not os.path.isdir(folder):
        return
    pinned = {f'{k}-{v["version"]}' for k, v in AVAILABLE.items()}
    for name in os.listdir(folder):
        assert name in pinned, f'stale patch folder vendor/patches/{name}'


def test_default_prefix(monkeypatch):
    monkeypatch.delenv('IMAGECODECS_PREFIX', raising=False)
    assert paths.default_prefix() == os.path.join(REPO, 'build', 'vendor',
                                                  'prefix')
    monkeypatch.setenv('IMAGECODECS_PREFIX', '/tmp/elsewhere')
    assert paths.default_prefix() == os.path.abspath('/tmp/elsewhere')


def test_cache_outside_repo(monkeypatch):
    monkeypatch.delenv('IMAGECODECS_VENDOR_CACHE', raising=False)
    cache = os.path.realpath(paths.cache_dir())
    assert not cache.startswith(os.path.realpath(REPO) + os.sep)
    monkeypatch.setenv('IMAGECODECS_VENDOR_CACHE', '/tmp/vendor-cache')
    assert paths.cache_dir() == '/tmp/vendor-cache'


def test_sbom(tmp_path):
    libraries = build.buildable(copy.deepcopy(LIBRARIES))
    keys = build.build_order(libraries, set(libraries))
    hashes = _hashes(libraries)
    path = tmp_path / 'bom.cdx.json'
    build.write_sbom(str(path), libraries, keys, hashes)
    import json

    bom = json.loads(path.read_text())
    assert bom['bomFormat'] == 'CycloneDX'
    names = {c['name'] for c in bom['components']}
    assert names == set(keys)
    for component in bom['components']:
        assert component['hashes'][0]['alg'] == 'SHA-256'
        assert component['licenses']
        assert component['version']


def test_toolchain_flags_are_portable():
    """No -march=native: the libraries dispatch on the CPU at run time."""
    for name, settings in DATA.get('platform', {}).items():
        flags = settings.get('cflags', []) + settings.get('cxxflags', [])
        assert not any('native' in f for f in flags), name
    for key, entry in LIBRARIES.items():
        for name in ('',) + PLATFORMS:
            options = (entry.get(name, {}) if name else entry).get(
                'options', [])
            assert not any('march=native' in o or 'NATIVE_INSTRUCTIONS=ON'
                           in o for o in options), key
    assert toolchain.platform_name() in PLATFORMS


def test_extract_subdir_and_strip(tmp_path):
    import tarfile

    src = tmp_path / 'pkg-1.0'
    (src / 'lib' / 'inner').mkdir(parents=True)
    (src / 'lib' / 'inner' / 'a.c').write_text('int a;')
    (src / 'setup.py').write_text('')
    archive = tmp_path / 'pkg-1.0.tar.gz'
    with tarfile.open(archive, 'w:gz') as tf:
        tf.add(src, arcname='pkg-1.0')
    root = fetch.extract(str(archive), str(tmp_path / 'out'), 'lib/inner')
    assert os.path.exists(os.path.join(root, 'a.c'))
    assert not os.path.exists(tmp_path / 'out' / 'pkg-1.0' / 'setup.py')
