# SPDX-License-Identifier: BSD-3-Clause
"""Write the files derived from the codec registry; --check only compares.

    python tools/sync.py          rewrite docs/codecs.md
    python tools/sync.py --check  exit 1 if it is stale (run by the tests)
"""

from __future__ import annotations

import pathlib
import runpy
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
REGISTRY = runpy.run_path(str(ROOT / 'imagecodecs' / '_registry.py'))


def codec_table() -> str:
    lines = [
        '# Codecs',
        '',
        'Generated from `imagecodecs/_registry.py` by `tools/sync.py`; '
        'do not edit.',
        '',
        '| codec | module | libraries | encode | summary |',
        '|---|---|---|---|---|',
    ]
    for codec in REGISTRY['CODECS']:
        libs = ', '.join(codec.libs) or '(own code)'
        encode = 'no' if codec.decode_only else 'yes'
        lines.append(f'| {codec.name} | {codec.module} | {libs} | {encode} '
                     f'| {codec.summary} |')
    return '\n'.join(lines) + '\n'


DERIVED = {ROOT / 'docs' / 'codecs.md': codec_table}


def main(argv: list[str]) -> int:
    stale = []
    for path, make in DERIVED.items():
        text = make()
        if path.exists() and path.read_text() == text:
            continue
        stale.append(path)
        if '--check' not in argv:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    for path in stale:
        print(f'{"stale" if "--check" in argv else "wrote"}: '
              f'{path.relative_to(ROOT)}')
    return 1 if stale and '--check' in argv else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
