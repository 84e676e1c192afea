#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run the test suite against the repaired wheel in a clean environment.
#
# Builds the wheel (ci/build_wheel.sh: vendored prefix from its cache, every
# codec whose library is in it; IMAGECODECS_LITE=1 for the lite build) unless
# WHEEL names one, installs it into a new virtual environment, checks that
# its modules need no shared library beyond the C runtime, and runs pytest
# from outside the source tree, so that the installed wheel, not the source
# folder, is tested. Where the system allows it (root and unshare), the
# tests run with the system's shared image and compression libraries
# replaced by empty files, so nothing can load them behind our back.
#
#   ci/test.sh [pytest arguments]
#
# Environment: WHEEL, VENV (default .venv-test, made anew), IMAGECODECS_LITE,
# IMAGECODECS_SAMPLES (sample files, default ../shared/data/samples),
# ZARR (the zarr requirement, default 'zarr<3': ci/test_clients_zarr3.sh
# sets it), TESTS (what pytest runs, default the whole tests folder).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$repo/.venv-test}
python=${PYTHON:-python3}

if [ -z "${WHEEL:-}" ]; then
    "$repo/ci/build_wheel.sh"
    WHEEL=$(ls "$repo"/wheelhouse/imagecodecs-*.whl)
fi

rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q -U pip
# the test extra from PyPI: pytest, numcodecs and the clients (tifffile,
# dask, zarr 2 unless ZARR says otherwise)
"$venv/bin/python" -m pip install -q "$WHEEL[test]" "${ZARR:-zarr<3}"
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("platlib"))')
"$python" "$repo/ci/wheel_report.py" "$WHEEL" --installed "$site"

export IMAGECODECS_SAMPLES=${IMAGECODECS_SAMPLES:-$(cd "$repo/.." && pwd)/shared/data/samples}
cd "$(mktemp -d)"
"$venv/bin/python" -m imagecodecs --check
run=("$venv/bin/pytest" -p no:cacheprovider -q "$repo/${TESTS:-tests}" "$@")
set +e
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
    unshare -m "$python" "$repo/ci/hide_system_libs.py" -- "${run[@]}"
else
    echo "ci/test.sh: cannot hide the system libraries here (needs root" \
         "and unshare); the ldd check above stands alone" >&2
    "${run[@]}"
fi
status=$?
if [ $status -eq 5 ]; then
    echo "ci/test.sh: pytest collected no tests" >&2
fi
exit $status
