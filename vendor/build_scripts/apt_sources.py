# SPDX-License-Identifier: BSD-3-Clause
"""Add the deb-src entries the manifest's Debian sources need.

The archive's address is never written down here: it is taken from the
machine's own apt configuration (the entry that serves the installed
release), so the same script works behind any mirror.

    python3 vendor/build_scripts/apt_sources.py [--suites trixie,sid]
                                                [--print] [--file PATH]

Without --suites the suites named in vendor/libraries.toml are used. The
result is one deb822 file; run ``apt-get update`` afterwards.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys

import paths

TARGET = '/etc/apt/sources.list.d/imagecodecs-vendor-src.sources'


def _os_codename() -> str:
    try:
        with open('/etc/os-release', encoding='utf-8') as fh:
            for line in fh:
                if line.startswith('VERSION_CODENAME='):
                    return line.split('=', 1)[1].strip().strip('"')
    except OSError:
        pass
    return ''


def _deb822_entries(path: str):
    with open(path, encoding='utf-8') as fh:
        text = fh.read()
    for block in text.split('\n\n'):
        entry: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            if line[0] in ' \t' and key:
                entry[key] += ' ' + line.strip()
                continue
            key, _, value = line.partition(':')
            key = key.strip().lower()
            entry[key] = value.strip()
        if entry:
            yield {
                'types': entry.get('types', '').split(),
                'uris': entry.get('uris', '').split(),
                'suites': entry.get('suites', '').split(),
                'components': entry.get('components', '').split(),
                'signed-by': entry.get('signed-by', ''),
                'enabled': entry.get('enabled', 'yes').lower() != 'no',
            }


def _one_line_entries(path: str):
    with open(path, encoding='utf-8') as fh:
        for line in fh:
            words = line.split('#', 1)[0].split()
            if len(words) < 3 or words[0] not in ('deb', 'deb-src'):
                continue
            kind, rest = words[0], words[1:]
            signed_by = ''
            if rest[0].startswith('['):
                options = []
                while rest:
                    options.append(rest.pop(0))
                    if options[-1].endswith(']'):
                        break
                for option in ' '.join(options).strip('[] ').split():
                    if option.startswith('signed-by='):
                        signed_by = option.split('=', 1)[1]
            if len(rest) < 2:
                continue
            yield {'types': [kind], 'uris': [rest[0]], 'suites': [rest[1]],
                   'components': rest[2:], 'signed-by': signed_by,
                   'enabled': True}


def existing_entries() -> list[dict]:
    entries = []
    files = ['/etc/apt/sources.list'] + sorted(
        glob.glob('/etc/apt/sources.list.d/*.list'))
    for path in files:
        if os.path.exists(path):
            entries += _one_line_entries(path)
    for path in sorted(glob.glob('/etc/apt/sources.list.d/*.sources')):
        if os.path.abspath(path) != TARGET:
            entries += _deb822_entries(path)
    return entries


def release_entry(entries: list[dict], codename: str) -> dict | None:
    """Return the enabled binary entry serving the installed release."""
    for entry in entries:
        if entry['enabled'] and 'deb' in entry['types'] and codename in \
                entry['suites'] and 'main' in entry['components']:
            return entry
    return None


def render(entry: dict, suites: list[str]) -> str:
    lines = [
        '# Written by vendor/build_scripts/apt_sources.py: source packages',
        '# for the vendored libraries, from the same archive as the',
        '# installed release.',
        'Types: deb-src',
        'URIs: ' + ' '.join(entry['uris']),
        'Suites: ' + ' '.join(suites),
        'Components: main',
    ]
    if entry['signed-by']:
        lines.append('Signed-By: ' + entry['signed-by'])
    return '\n'.join(lines) + '\n'


def manifest_suites() -> list[str]:
    import tomllib

    with open(paths.MANIFEST, 'rb') as fh:
        libraries = tomllib.load(fh)['library']
    suites = {lib['source']['suite'] for lib in libraries.values()
              if lib.get('source', {}).get('kind') == 'debian'}
    return sorted(suites)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--suites', help='comma separated suites')
    parser.add_argument('--print', action='store_true',
                        help='print the entry instead of writing it')
    parser.add_argument('--file', default=TARGET)
    args = parser.parse_args(argv)
    codename = _os_codename()
    suites = (args.suites.split(',') if args.suites else manifest_suites())
    suites = list(dict.fromkeys(([codename] if codename else []) + suites))
    entry = release_entry(existing_entries(), codename)
    if entry is None:
        print(f'apt_sources: no enabled apt entry for {codename!r} main; '
              'add deb-src lines for Debian suites '
              f'{", ".join(suites)} by hand', file=sys.stderr)
        return 1
    text = render(entry, suites)
    if args.print:
        sys.stdout.write(text)
        return 0
    old = open(args.file).read() if os.path.exists(args.file) else None
    if old != text:
        with open(args.file, 'w', encoding='utf-8') as fh:
            fh.write(text)
        print(f'apt_sources: wrote {args.file} ({", ".join(suites)})')
        return 10  # changed: the caller runs apt-get update
    return 0


if __name__ == '__main__':
    sys.exit(main())
