#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build the vendored static libraries (vendor/libraries.toml) into the
# prefix setup.py links (IMAGECODECS_PREFIX, default build/vendor/prefix).
#
# On a fresh Debian or Ubuntu machine this installs what is missing (nasm
# and pkg-config with apt; cmake, meson and ninja with pip), adds the
# deb-src entries the manifest's Debian sources need (derived from the
# machine's own apt sources) and runs vendor/build_scripts/build.py with
# one job per core. Arguments go to build.py (--only, --skip, --list,
# --clean, --keep-going). Downloads and per-library builds are cached in
# IMAGECODECS_VENDOR_CACHE (default ~/.cache/imagecodecs-vendor): a second
# run with nothing changed takes seconds.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
scripts=$repo/vendor/build_scripts

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive

apt_updated=
apt_update() {
    [ -n "$apt_updated" ] || $sudo apt-get update -q
    apt_updated=1
}

if command -v apt-get >/dev/null; then
    missing=()
    for tool in nasm:nasm pkg-config:pkg-config patch:patch gcc:build-essential \
                g++:g++ make:make objcopy:binutils; do
        command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
    done
    if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
        missing+=(python3-venv)
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        apt_update
        $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
    # deb-src entries for the suites the manifest pins, from the archive
    # the machine already uses; exit status 10 means the file changed
    status=0
    $sudo "$python" "$scripts/apt_sources.py" || status=$?
    if [ $status -eq 10 ]; then
        apt_updated=
        apt_update
    elif [ $status -ne 0 ]; then
        exit $status
    fi
fi

# CMake >= 3.22 (libavif), meson and ninja: pip's are new enough everywhere
need_pip=()
cmake_ok=$("$python" - <<'EOF'
import re, shutil, subprocess
exe = shutil.which('cmake')
if exe:
    out = subprocess.run([exe, '--version'], capture_output=True, text=True).stdout
    m = re.search(r'(\d+)\.(\d+)', out)
    print(int(m and (int(m[1]), int(m[2])) >= (3, 25)))
else:
    print(0)
EOF
)
[ "$cmake_ok" = 1 ] || need_pip+=(cmake)
command -v meson >/dev/null || need_pip+=(meson)
command -v ninja >/dev/null || need_pip+=(ninja)
if [ ${#need_pip[@]} -gt 0 ]; then
    tools=$repo/build/vendor/tools
    [ -x "$tools/bin/python" ] || "$python" -m venv "$tools"
    "$tools/bin/python" -m pip install -q "${need_pip[@]}"
    export PATH=$tools/bin:$PATH
fi

jobs=$(nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
exec "$python" "$scripts/build.py" -j "$jobs" "$@"
