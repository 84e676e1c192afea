#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run the zarr 3 client tests (tests/test_client_zarr3.py) against a wheel.
#
# zarr 2 and zarr 3 cannot share an environment, so the main suite (with
# zarr 2) skips that file and this script runs it through ci/test.sh in an
# environment of its own with zarr 3.
#
#   WHEEL=wheelhouse/imagecodecs-*.whl ci/test_clients_zarr3.sh [pytest args]
#
# Environment: as ci/test.sh; VENV defaults to .venv-zarr3.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# pip fails if zarr 3 cannot be installed (the file would skip itself)
ZARR='zarr>=3' TESTS=tests/test_client_zarr3.py \
    VENV=${VENV:-$repo/.venv-zarr3} exec "$repo/ci/test.sh" "$@"
