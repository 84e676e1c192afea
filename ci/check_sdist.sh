#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build the sdist, then build the package from the unpacked sdist alone,
# twice, each into a new environment run from outside the tree:
#   full: the sdist's own vendored factory (reusing its cache), then pip
#   lite: IMAGECODECS_LITE=1 pip install imagecodecs-*.tar.gz
# and show the codecs each install has (exit 1 if either fails).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/tools"
"$work/tools/bin/pip" install -q build
"$work/tools/bin/python" -m build --sdist -o "$work" "$repo" >"$work/sdist.log"
sdist=$(ls "$work"/imagecodecs-*.tar.gz)
echo "sdist: $(basename "$sdist") $(du -h "$sdist" | cut -f1)"
tar -xzf "$sdist" -C "$work"
src=$(ls -d "$work"/imagecodecs-*/)

report() {  # venv
    (cd / && "$1/bin/python" -m imagecodecs --check &&
        "$1/bin/python" -m imagecodecs --codecs | head -1)
}

echo "full build from the sdist:"
(cd "$src" && ci/build_vendor.sh --keep-going) >"$work/vendor.log" 2>&1 ||
    { tail -20 "$work/vendor.log"; exit 1; }
python3 -m venv "$work/full"
IMAGECODECS_SYSTEM=0 IMAGECODECS_PREFIX="$src/build/vendor/prefix" \
    "$work/full/bin/pip" install -q "$src"
report "$work/full"

echo "lite build from the sdist:"
python3 -m venv "$work/lite"
IMAGECODECS_LITE=1 "$work/lite/bin/pip" install -q "$sdist"
report "$work/lite"
