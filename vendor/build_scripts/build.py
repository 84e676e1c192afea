#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Build the pinned third-party libraries into one static prefix.

    python vendor/build_scripts/build.py [-j N] [--only a,b] [--skip a,b]
                                         [--list] [--clean] [--prefix DIR]

Reads vendor/libraries.toml, and for each library in dependency order:
fetches the pinned source with apt-get source or pip download and verifies
its sha256, extracts it, applies vendor/patches/<key>-<version>/*.patch,
builds it statically into a staging tree named by a hash of everything
that goes into it (pin, recipe, patches, toolchain, flags and the hashes of
its dependencies), and merges the staging tree into the prefix. A library
whose staging tree exists is not rebuilt, so a second run with nothing
changed only checks hashes. Each library's licence is copied to
licenses/LICENSE-<key>.txt and a CycloneDX bill of materials to bom.cdx.json,
both next to the prefix; setup.py ships those of the libraries it links.

--only builds the named libraries and what they depend on; --skip leaves
libraries (and what needs them) out; --clean removes the prefix, the work
trees and the staging trees of the selected libraries (downloads are kept).
"""

from __future__ import annotations

import argparse
import copy
import functools
import hashlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import tomllib
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fetch  # noqa: E402
import paths  # noqa: E402
import recipes  # noqa: E402
import toolchain  # noqa: E402

RECORDS = '.vendor'  # folder in the prefix: one record per merged library
# text files whose contents name the staging folder and are rewritten when
# copied into the prefix
RELOCATE = ('.pc', '.cmake', '.la')
# what a staging tree holds that the prefix does not need (programs,
# documentation; licences go next to the prefix)
NOT_MERGED = tuple(os.path.join(*p.split('/')) + os.sep for p in (
    'bin', 'sbin', 'share/man', 'share/doc', 'share/info', 'share/locale',
    'share/licenses'))
# manifest keys that describe a library but do not change its build
DESCRIPTIVE = ('summary', 'homepage', 'url', 'license', 'build_seconds',
               'pkgconfig', 'header', 'reason', 'defines', 'include_dirs')


# -- manifest ----------------------------------------------------------------

def load_manifest(path: str = paths.MANIFEST) -> dict:
    with open(path, 'rb') as fh:
        return tomllib.load(fh)


def resolve(entry: dict, platform: str) -> dict:
    """Return `entry` with its per-platform table applied.

    ``[library.X.<platform>]`` keys replace those of the entry, except
    ``options`` which are appended (``options_replace`` replaces them).
    """
    result = copy.deepcopy({k: v for k, v in entry.items()
                            if k not in ('linux', 'macos', 'windows')})
    override = entry.get(platform, {})
    for name, value in override.items():
        if name == 'options':
            result['options'] = result.get('options', []) + list(value)
        elif name == 'options_replace':
            result['options'] = list(value)
        else:
            result[name] = copy.deepcopy(value)
    return result


def buildable(libraries: dict) -> dict:
    return {k: v for k, v in libraries.items() if v.get('available', True)}


def build_order(libraries: dict, selected: set[str]) -> list[str]:
    """Depth-first topological order of `selected` (manifest order ties)."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(key: str, chain: tuple) -> None:
        if key in order:
            return
        if key in visiting:
            raise SystemExit(f'build.py: dependency cycle {" -> ".join(chain)}')
        if key not in libraries:
            raise SystemExit(f'build.py: {chain[-2] if len(chain) > 1 else ""}'
                             f' depends on unknown library {key!r}')
        visiting.add(key)
        for dep in libraries[key].get('depends', []):
            visit(dep, chain + (dep,))
        visiting.discard(key)
        order.append(key)

    for key in libraries:
        if key in selected:
            visit(key, (key,))
    return order


def transitive_deps(libraries: dict, key: str) -> list[str]:
    return [k for k in build_order(libraries, {key}) if k != key]


# -- cache keys --------------------------------------------------------------

def patch_dir(key: str, entry: dict) -> str:
    return os.path.join(paths.PATCHES, f'{key}-{entry["version"]}')


def patch_files(key: str, entry: dict) -> list[str]:
    folder = patch_dir(key, entry)
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, n) for n in os.listdir(folder)
                  if n.endswith('.patch'))


def recipe_source(entry: dict) -> str:
    """Source text of the code that builds `entry` (recipe and hooks)."""
    return _code((entry['recipe'],) + tuple(entry.get('hooks', [])))


@functools.lru_cache(maxsize=None)
def _code(names: tuple[str, ...]) -> str:
    parts = [inspect.getsource(recipes.RECIPES[names[0]]),
             inspect.getsource(recipes.Context),
             inspect.getsource(recipes._install_globs),
             inspect.getsource(recipes._run_parallel),
             inspect.getsource(toolchain.Toolchain)]
    parts += [inspect.getsource(recipes.HOOKS[hook]) for hook in names[1:]]
    return '\n'.join(parts)


def content_hash(key: str, entry: dict, toolchain_id: dict,
                 dep_hashes: dict[str, str]) -> str:
    """Hash of everything that determines a library's build result."""
    digest = hashlib.sha256()
    data = {
        'key': key,
        'entry': {k: v for k, v in entry.items() if k not in DESCRIPTIVE},
        'recipe': recipe_source(entry),
        'patches': [(os.path.basename(p), fetch.sha256_file(p))
                    for p in patch_files(key, entry)],
        'toolchain': toolchain_id,
        'depends': dep_hashes,
        'format': 1,
    }
    digest.update(json.dumps(data, sort_keys=True).encode())
    return digest.hexdigest()


def compute_hashes(libraries: dict, order: list[str],
                   toolchain_id: dict) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for key in build_order(libraries, set(order)):
        deps = {d: hashes[d] for d in libraries[key].get('depends', [])}
        hashes[key] = content_hash(key, libraries[key], toolchain_id, deps)
    return hashes


# -- progress ----------------------------------------------------------------

def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f'{seconds // 60}:{seconds % 60:02d}'


class Progress:
    """One line per step: library n of N, step, elapsed, estimated rest."""

    def __init__(self, order: list[str], estimates: dict[str, float],
                 todo: set[str] | None = None):
        self.order = order
        self.todo = set(order) if todo is None else todo
        self.estimates = estimates
        self.start = time.monotonic()
        self.done_estimate = 0.0
        self.done_actual = 0.0
        self.index = 0
        self.key = ''
        self.lib_start = self.start
        self._stop = threading.Event()
        self._thread = None

    def begin(self, index: int, key: str) -> None:
        self.index, self.key = index, key
        self.lib_start = time.monotonic()

    def end(self, key: str, seconds: float | None = None) -> None:
        """Record a finished library (seconds: measured, None: cached)."""
        if seconds is not None:
            self.done_estimate += self.estimates.get(key, 60.0)
            self.done_actual += seconds

    def remaining(self) -> float:
        """Estimated seconds left, scaled by how far off the guesses were."""
        scale = 1.0
        if self.done_estimate > 30:
            scale = min(4.0, max(0.25, self.done_actual / self.done_estimate))
        rest = sum(self.estimates.get(k, 60.0)
                   for k in self.order[self.index:] if k in self.todo) * scale
        current = time.monotonic() - self.lib_start
        return max(0.0, rest - min(current, scale * self.estimates.get(
            self.key, 60.0)))

    def step(self, text: str) -> None:
        now = time.monotonic()
        print(f'[{self.index + 1:2d}/{len(self.order)}] {self.key}: {text}'
              f'  (elapsed {_clock(now - self.start)},'
              f' ETA {_clock(self.remaining())})', flush=True)

    def heartbeat(self, interval: float = 60.0):
        """Print a line every `interval` seconds while a build runs."""
        self._stop.clear()

        def beat():
            while not self._stop.wait(interval):
                self.step(f'still building '
                          f'({_clock(time.monotonic() - self.lib_start)})')

        self._thread = threading.Thread(target=beat, daemon=True)
        self._thread.start()

    def quiet(self):
        self._stop.set()


# -- staging and merging -----------------------------------------------------

def _copy_tree(src_root: str, dst_root: str, owned: dict | None = None,
               owner: str = '') -> list[str]:
    """Copy a staging tree, rewriting its own path in relocatable files.

    With `owned` (file -> library already in the prefix), a file another
    library installed is an error, found before anything is copied.
    """
    items = []
    for folder, _, names in os.walk(src_root):
        rel_folder = os.path.relpath(folder, src_root)
        if rel_folder.split(os.sep)[0] == RECORDS:
            continue
        for name in names:
            rel = os.path.normpath(os.path.join(rel_folder, name))
            if not rel.startswith(NOT_MERGED):
                items.append((os.path.join(folder, name), rel))
    if owned is not None:
        clashes = [f'{rel} ({owned[rel]})' for _, rel in items
                   if owned.get(rel, owner) != owner]
        if clashes:
            raise recipes.BuildError(
                f'{owner} installs files of other libraries: '
                + ', '.join(clashes[:5]))
    for src, rel in items:
        dst = os.path.join(dst_root, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.lexists(dst):
            os.remove(dst)
        if os.path.islink(src):
            os.symlink(os.readlink(src), dst)
        elif rel.endswith(RELOCATE):
            with open(src, encoding='utf-8', errors='surrogateescape') as fh:
                text = fh.read()
            with open(dst, 'w', encoding='utf-8',
                      errors='surrogateescape') as fh:
                fh.write(text.replace(src_root, dst_root))
        else:
            shutil.copy2(src, dst)
    return [rel for _, rel in items]


def _records(prefix: str) -> dict[str, dict]:
    folder = os.path.join(prefix, RECORDS)
    result = {}
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            if name.endswith('.json'):
                with open(os.path.join(folder, name)) as fh:
                    result[name[:-5]] = json.load(fh)
    return result


def unmerge(prefix: str, key: str, record: dict) -> None:
    for rel in record.get('files', []):
        path = os.path.join(prefix, rel)
        if os.path.lexists(path):
            os.remove(path)
    os.remove(os.path.join(prefix, RECORDS, key + '.json'))


def merge(prefix: str, key: str, digest: str, stage: str) -> None:
    records = _records(prefix)
    if key in records:
        unmerge(prefix, key, records.pop(key))
    owned = {f: k for k, r in records.items() for f in r.get('files', [])}
    files = _copy_tree(stage, prefix, owned, key)
    os.makedirs(os.path.join(prefix, RECORDS), exist_ok=True)
    with open(os.path.join(prefix, RECORDS, key + '.json'), 'w') as fh:
        json.dump({'hash': digest, 'stage': stage, 'files': sorted(files)},
                  fh, indent=1)


# -- one library -------------------------------------------------------------

def build_one(key, entry, digest, libraries, hashes, tc, jobs, progress,
              logs) -> str:
    """Build `key` into its staging tree (if not there); return the tree."""
    stage = paths.staging_dir(key, digest)
    if os.path.exists(os.path.join(stage, RECORDS, 'complete')):
        return stage
    log_path = os.path.join(logs, f'{key}.log')
    started = time.monotonic()
    with open(log_path, 'w', encoding='utf-8', errors='replace') as log:
        log.write(f'{key} {entry["version"]} hash {digest}\n')
        try:
            progress.step('fetch')
            archives = fetch.fetch(key, entry, log)
            work = paths.work_dir(key)
            shutil.rmtree(work, ignore_errors=True)
            progress.step('extract')
            source = entry['source']
            src = fetch.extract(archives[0], os.path.join(work, 'src'),
                                source.get('subdir'),
                                strip=source.get('strip', True))
            apply_patches(key, entry, src, archives, work, log, progress)
            deps = os.path.join(work, 'deps')
            os.makedirs(deps)
            for dep in transitive_deps(libraries, key):
                _copy_tree(paths.staging_dir(dep, hashes[dep]), deps)
            build = os.path.join(work, 'build')
            os.makedirs(build)
            tmp_stage = stage + '.tmp'
            shutil.rmtree(tmp_stage, ignore_errors=True)
            os.makedirs(tmp_stage)
            ctx = recipes.Context(key, entry, src, build, tmp_stage, deps,
                                  tc, jobs, log, progress.step)
            progress.heartbeat()
            try:
                recipes.RECIPES[entry['recipe']](ctx)
                for hook in entry.get('hooks', []):
                    progress.step(hook)
                    recipes.HOOKS[hook](ctx)
            finally:
                progress.quiet()
            check_no_system_libs(key, build, log)
            save_licenses(key, entry, src, tmp_stage)
            if os.path.exists(stage):
                shutil.rmtree(stage)
            _relocate_stage(tmp_stage, stage)
            os.makedirs(os.path.join(stage, RECORDS), exist_ok=True)
            with open(os.path.join(stage, RECORDS, 'complete'), 'w') as fh:
                json.dump({'key': key, 'hash': digest,
                           'seconds': time.monotonic() - started}, fh)
            shutil.rmtree(work, ignore_errors=True)
        except (fetch.FetchError, recipes.BuildError, OSError,
                subprocess.CalledProcessError, KeyError) as exc:
            log.write(f'\nFAILED: {exc}\n')
            log.flush()
            raise BuildFailed(key, str(exc), log_path) from None
    return stage


def _relocate_stage(tmp_stage: str, stage: str) -> None:
    """Move the finished tree to its final name, fixing recorded paths."""
    os.rename(tmp_stage, stage)
    for folder, _, names in os.walk(stage):
        for name in names:
            if name.endswith(RELOCATE):
                path = os.path.join(folder, name)
                with open(path, encoding='utf-8',
                          errors='surrogateescape') as fh:
                    text = fh.read()
                if tmp_stage in text:
                    with open(path, 'w', encoding='utf-8',
                              errors='surrogateescape') as fh:
                        fh.write(text.replace(tmp_stage, stage))


class BuildFailed(Exception):
    def __init__(self, key, message, log_path):
        super().__init__(f'{key}: {message}')
        self.key, self.message, self.log_path = key, message, log_path


def apply_patches(key, entry, src, archives, work, log, progress):
    """Apply the Debian patches the entry names, then ours."""
    source = entry['source']
    patches = []
    if 'debian_file' in source:
        debian = fetch.extract(archives[1], os.path.join(work, 'debian'),
                               strip=False)
        folder = os.path.join(debian, 'debian', 'patches')
        names = source.get('debian_patches', [])
        if names == ['series']:
            with open(os.path.join(folder, 'series')) as fh:
                names = [line.split('#', 1)[0].split()[0] for line in fh
                         if line.split('#', 1)[0].strip()]
        patches += [os.path.join(folder, n) for n in names]
    patches += patch_files(key, entry)
    if patches:
        progress.step(f'patch ({len(patches)})')
    for patch in patches:
        log.write(f'\n$ patch -p1 < {patch}\n')
        log.flush()
        with open(patch, 'rb') as fh:
            result = subprocess.run(
                ['patch', '-p1', '--forward', '--batch', '-s'], cwd=src,
                stdin=fh, stdout=log, stderr=subprocess.STDOUT)
        if result.returncode:
            raise recipes.BuildError(
                f'patch {os.path.basename(patch)} does not apply')


# libraries that must come from the prefix; a CMake cache entry pointing
# at the system's copy of one of them means the build leaked
_SYSTEM_LIBS = ('libz.', 'libpng', 'libjpeg', 'liblzma', 'libzstd', 'libbz2',
                'libbrotli', 'libwebp', 'libtiff', 'liblcms2', 'libdeflate',
                'libLerc', 'libjbig', 'libsharpyuv', 'libopenjp2', 'libgif',
                'libhwy', 'libdav1d', 'libaom', 'libSvtAv1', 'liblz4',
                'libsnappy', 'libjxl', 'libdeflate', 'libzfp')


def check_no_system_libs(key: str, build: str, log) -> None:
    cache = os.path.join(build, 'CMakeCache.txt')
    if not os.path.exists(cache):
        return
    leaks = []
    with open(cache, encoding='utf-8', errors='replace') as fh:
        for line in fh:
            if ':FILEPATH=' not in line:
                continue
            value = line.split('=', 1)[1].strip()
            if value.startswith(('/usr/', '/opt/homebrew/')) and any(
                    os.path.basename(value).startswith(n)
                    for n in _SYSTEM_LIBS):
                leaks.append(line.strip())
    if leaks:
        log.write('\nsystem libraries found by CMake:\n  '
                  + '\n  '.join(leaks) + '\n')
        raise recipes.BuildError('linked a system library: '
                                 + '; '.join(leaks))


def save_licenses(key: str, entry: dict, src: str, stage: str) -> None:
    files = entry['license_file']
    files = [files] if isinstance(files, str) else files
    folder = os.path.join(stage, 'share', 'licenses', key)
    os.makedirs(folder, exist_ok=True)
    for i, name in enumerate(files):
        path = os.path.join(src, name)
        if not os.path.isfile(path):
            raise recipes.BuildError(f'licence file {name} not in source')
        shutil.copy2(path, os.path.join(folder, f'{i:02d}-'
                                        + os.path.basename(name)))


def install_licenses(key: str, stage: str, out_dir: str) -> str:
    folder = os.path.join(stage, 'share', 'licenses', key)
    os.makedirs(out_dir, exist_ok=True)
    target = os.path.join(out_dir, f'LICENSE-{key}.txt')
    parts = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding='utf-8',
                  errors='replace') as fh:
            text = fh.read().rstrip() + '\n'
        parts.append(text if len(os.listdir(folder)) == 1 else
                     f'==> {name[3:]} <==\n{text}')
    text = '\n'.join(parts)
    if not os.path.exists(target) or open(target, encoding='utf-8',
                                          errors='replace').read() != text:
        with open(target, 'w', encoding='utf-8') as fh:
            fh.write(text)
    return target


# -- bill of materials -------------------------------------------------------

def write_sbom(path: str, libraries: dict, keys: list[str],
               hashes: dict[str, str]) -> None:
    components = []
    for key in keys:
        entry = libraries[key]
        source = entry['source']
        if source['kind'] == 'debian':
            version = urllib.parse.quote(source['version'], safe='.+~-')
            purl = (f'pkg:deb/debian/{source["package"]}@{version}'
                    '?arch=source')
        else:
            purl = f'pkg:pypi/{source["name"]}@{source["version"]}'
        components.append({
            'type': 'library',
            'bom-ref': key,
            'name': key,
            'version': entry['version'],
            'description': entry.get('summary', ''),
            'licenses': [{'expression': entry['license']}],
            'hashes': [{'alg': 'SHA-256', 'content': entry['sha256']}],
            'purl': purl,
            'externalReferences': [
                {'type': 'distribution', 'url': entry['url']},
                {'type': 'website', 'url': entry.get('homepage',
                                                     entry['url'])},
            ],
            'properties': [
                {'name': 'imagecodecs:source-file', 'value': source['file']},
                {'name': 'imagecodecs:build-hash', 'value': hashes[key]},
                {'name': 'imagecodecs:recipe', 'value': entry['recipe']},
            ],
        })
    bom = {
        'bomFormat': 'CycloneDX',
        'specVersion': '1.5',
        'version': 1,
        'metadata': {
            'component': {'type': 'library', 'name': 'imagecodecs',
                          'bom-ref': 'imagecodecs'},
            'tools': {'components': [{'type': 'application',
                                      'name': 'vendor/build_scripts/build.py'}]},
        },
        'components': components,
        'dependencies': [
            {'ref': key, 'dependsOn': list(libraries[key].get('depends', []))}
            for key in keys
        ],
    }
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = json.dumps(bom, indent=1) + '\n'
    if not os.path.exists(path) or open(path).read() != text:
        with open(path, 'w') as fh:
            fh.write(text)


# -- command line ------------------------------------------------------------

def _names(values: list[str]) -> set[str]:
    return {n.strip() for v in values for n in v.split(',') if n.strip()}


def _estimates(libraries: dict) -> dict[str, float]:
    """Seconds per library: the last build here, else the manifest's guess."""
    result = {k: float(v.get('build_seconds', 30))
              for k, v in libraries.items()}
    path = os.path.join(paths.cache_dir(), 'timings.json')
    if os.path.exists(path):
        with open(path) as fh:
            result.update(json.load(fh))
    return result


def _save_timing(key: str, seconds: float) -> None:
    path = os.path.join(paths.cache_dir(), 'timings.json')
    data = {}
    if os.path.exists(path):
        with open(path) as fh:
            data = json.load(fh)
    data[key] = round(seconds, 1)
    with open(path, 'w') as fh:
        json.dump(data, fh, indent=1, sort_keys=True)


def _cpu_seconds() -> float:
    """User + system time of finished child processes (0 on Windows)."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tail(path: str, lines: int = 40) -> str:
    with open(path, encoding='utf-8', errors='replace') as fh:
        return ''.join(fh.readlines()[-lines:])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description='Build the vendored static libraries.')
    parser.add_argument('-j', '--jobs', type=int, default=os.cpu_count() or 1)
    parser.add_argument('--only', action='append', default=[],
                        help='libraries to build (with their dependencies)')
    parser.add_argument('--skip', action='append', default=[],
                        help='libraries to leave out (and what needs them)')
    parser.add_argument('--list', action='store_true',
                        help='show the libraries and their state')
    parser.add_argument('--clean', action='store_true',
                        help='remove staging trees and the prefix entries')
    parser.add_argument('--keep-going', action='store_true',
                        help='build what does not depend on a failure')
    parser.add_argument('--prefix', default=paths.default_prefix())
    parser.add_argument('--manifest', default=paths.MANIFEST)
    args = parser.parse_args(argv)

    manifest = load_manifest(args.manifest)
    platform = toolchain.platform_name()
    every = {k: resolve(v, platform) for k, v in manifest['library'].items()}
    libraries = buildable(every)
    only, skip = _names(args.only), _names(args.skip)
    unknown = (only | skip) - set(every)
    if unknown:
        parser.error(f'unknown libraries {sorted(unknown)}')
    selected = set(libraries) if not only else only & set(libraries)
    order = build_order(libraries, selected)
    skipped = {k for k in order if k in skip or any(
        d in skip for d in transitive_deps(libraries, k))}
    order = [k for k in order if k not in skipped]
    prefix = os.path.abspath(args.prefix)
    tc = toolchain.Toolchain(manifest.get('platform', {}).get(platform, {}),
                             args.jobs)
    hashes = compute_hashes(libraries, order, tc.identity())
    records = _records(prefix)

    if args.list:
        for key in libraries:
            entry = libraries[key]
            if key in hashes:
                stage = paths.staging_dir(key, hashes[key])
                state = ('merged' if records.get(key, {}).get('hash')
                         == hashes[key] else 'cached' if os.path.exists(
                             os.path.join(stage, RECORDS, 'complete'))
                         else 'to build')
            else:
                state = 'skipped'
            print(f'{key:14s} {entry["version"]:22s} {entry["recipe"]:9s} '
                  f'{entry["source"]["kind"]:6s} {state:8s} '
                  f'{",".join(entry.get("depends", []))}')
        for key, entry in every.items():
            if key not in libraries:
                print(f'{key:14s} {"-":22s} unavailable: '
                      f'{entry.get("reason", "")}')
        return 0

    if args.clean:
        for key in order:
            if key in records:
                unmerge(prefix, key, records[key])
            staging = os.path.join(paths.cache_dir(), 'staging')
            if os.path.isdir(staging):
                for name in os.listdir(staging):
                    if name.rsplit('-', 1)[0] == key:
                        shutil.rmtree(os.path.join(staging, name))
            shutil.rmtree(paths.work_dir(key), ignore_errors=True)
        if not only and not skip:
            shutil.rmtree(prefix, ignore_errors=True)
        print(f'build.py: cleaned {len(order)} libraries')
        return 0

    logs = paths.logs_dir(prefix)
    os.makedirs(logs, exist_ok=True)
    os.makedirs(prefix, exist_ok=True)
    todo = {k for k in order if records.get(k, {}).get('hash') != hashes[k]}
    progress = Progress(order, _estimates(libraries), todo)
    failed: dict[str, str] = {}
    started = time.monotonic()
    built = []
    for index, key in enumerate(order):
        entry = libraries[key]
        progress.begin(index, key)
        blocked = [d for d in transitive_deps(libraries, key) if d in failed]
        if blocked:
            failed[key] = f'needs {", ".join(blocked)}'
            progress.step(f'skipped: {failed[key]}')
            continue
        if records.get(key, {}).get('hash') == hashes[key] and os.path.exists(
                os.path.join(paths.staging_dir(key, hashes[key]), RECORDS,
                             'complete')):
            install_licenses(key, paths.staging_dir(key, hashes[key]),
                             paths.licenses_dir(prefix))
            continue
        lib_start = time.monotonic()
        cpu_start = _cpu_seconds()
        try:
            stage = build_one(key, entry, hashes[key], libraries, hashes,
                              tc, args.jobs, progress, logs)
        except BuildFailed as exc:
            failed[key] = exc.message
            progress.step(f'FAILED: {exc.message}')
            print(f'--- last lines of {exc.log_path} ---')
            print(_tail(exc.log_path), end='')
            print('---')
            if not args.keep_going:
                break
            continue
        seconds = time.monotonic() - lib_start
        if seconds > 5:
            _save_timing(key, seconds)
        built.append((key, seconds, _cpu_seconds() - cpu_start))
        progress.step('merge')
        try:
            merge(prefix, key, hashes[key], stage)
        except recipes.BuildError as exc:
            failed[key] = str(exc)
            progress.step(f'FAILED: {exc}')
            if not args.keep_going:
                break
            continue
        install_licenses(key, stage, paths.licenses_dir(prefix))
        progress.end(key, seconds if seconds > 5 else None)
    merged = [k for k in order if k not in failed]
    # the bill of materials covers the whole prefix, also libraries that
    # an earlier run merged and --only / --skip left out of this one
    every_order = build_order(libraries, set(libraries))
    every_hash = compute_hashes(libraries, every_order, tc.identity())
    records = _records(prefix)
    in_prefix = [k for k in every_order if k not in failed
                 and records.get(k, {}).get('hash') == every_hash[k]]
    write_sbom(paths.sbom_path(prefix), libraries, in_prefix, every_hash)
    total = time.monotonic() - started
    for key, seconds, cpu in built:
        print(f'  built {key:14s} {_clock(seconds):>6s} wall '
              f'{_clock(cpu):>6s} cpu')
    print(f'build.py: {len(merged)} of {len(order)} libraries in {prefix} '
          f'({_clock(total)}); bill of materials {paths.sbom_path(prefix)}')
    if failed:
        for key, message in failed.items():
            print(f'build.py: {key} failed: {message}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
