#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run the zarr 3 client tests (tests/test_client_zarr3.py) against a wheel.
#
# zarr 2 and zarr 3 cannot share an environment, so the main suite (with
# zarr 2) skips that file and this script runs it in its own: a new virtual
# environment with the wheel and zarr 3, numcodecs, tifffile, dask and
# pytest installed by name, pytest run from outside the source tree so that
# the installed wheel, not the source folder, is imported.
#
#   WHEEL=wheelhouse/imagecodecs-*.whl ci/test_clients_zarr3.sh [pytest args]
#
# Environment: WHEEL (default: build one with ci/build_wheel.sh), VENV
# (default .venv-zarr3, made anew), PYTHON, IMAGECODECS_SAMPLES.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$repo/.venv-zarr3}
python=${PYTHON:-python3}

if [ -z "${WHEEL:-}" ]; then
    "$repo/ci/build_wheel.sh"
    WHEEL=$(ls "$repo"/wheelhouse/imagecodecs-*.whl)
fi

rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q -U pip
"$venv/bin/python" -m pip install -q "$WHEEL" 'zarr>=3' numcodecs tifffile \
    dask pytest
# the file skips itself without zarr 3: make that a failure here
"$venv/bin/python" -c 'import zarr, sys; sys.exit(int(zarr.__version__.split(".")[0]) < 3)' || {
    echo "test_clients_zarr3.sh: zarr 3 did not install" >&2
    exit 1
}

export IMAGECODECS_SAMPLES=${IMAGECODECS_SAMPLES:-$(cd "$repo/.." && pwd)/shared/data/samples}
cd "$(mktemp -d)"
set +e
"$venv/bin/python" -m pytest -p no:cacheprovider -q \
    "$repo/tests/test_client_zarr3.py" "$@"
status=$?
if [ $status -eq 5 ]; then
    echo "test_clients_zarr3.sh: pytest collected no tests" >&2
fi
exit $status
