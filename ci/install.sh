#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build and install imagecodecs with every codec, then show it working.
#
# Builds the vendored static libraries (ci/build_vendor.sh, cached: the
# first run takes long, later ones seconds), builds and installs the package
# into the virtual environment VENV (default .venv) and decodes an image.
#
#   ci/install.sh            full build
#   IMAGECODECS_LITE=1 ci/install.sh   only the codecs without libraries
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$repo/.venv}
python=${PYTHON:-python3}

if [ -z "${IMAGECODECS_LITE:-}" ] && [ -x "$repo/ci/build_vendor.sh" ]; then
    "$repo/ci/build_vendor.sh"
fi
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q -U pip
"$venv/bin/python" -m pip install -q -U "setuptools>=77" wheel "Cython>=3.1" numpy
"$venv/bin/python" -m pip install -q --no-build-isolation --no-deps \
    --force-reinstall "$repo"

cd "$(mktemp -d)"
"$venv/bin/python" -m imagecodecs --demo
# real files made by other tools, where the sample folder is there
samples=${IMAGECODECS_SAMPLES:-$(cd "$repo/.." && pwd)/shared/data/samples}
for name in rgb24.jp2 rgba.u1.jpg rgba.u1.webp rgba.u1.jls 384x256.hdr \
            ljpeg/2dht.ljp; do
    [ -f "$samples/$name" ] || continue
    "$venv/bin/python" -m imagecodecs "$samples/$name" ||
        echo "$name: not decoded by this build"
done
echo "installed into $venv"
