#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run the test suite against an installed build, from a fresh machine.
#
# Creates (or reuses) a virtual environment, installs the test tools,
# builds and installs imagecodecs into it with every codec whose library is
# in the vendored prefix (a lite build if there is none, or with
# IMAGECODECS_LITE=1), then runs pytest from outside the source tree so that
# the installed package, not the source folder, is tested.
#
#   ci/test.sh [pytest arguments]
#
# Environment: VENV (default .venv-test), IMAGECODECS_LITE,
# IMAGECODECS_SAMPLES (sample files, default ../shared/data/samples).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$repo/.venv-test}
python=${PYTHON:-python3}

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q -U pip
"$venv/bin/python" -m pip install -q -U "setuptools>=77" wheel "Cython>=3.1" \
    numpy pytest numcodecs

# Build without isolation: the venv already holds the build requirements.
"$venv/bin/python" -m pip install -q --no-build-isolation --force-reinstall \
    --no-deps "$repo"

export IMAGECODECS_SAMPLES=${IMAGECODECS_SAMPLES:-$(cd "$repo/.." && pwd)/shared/data/samples}
cd "$(mktemp -d)"
"$venv/bin/python" -c "import imagecodecs; print(imagecodecs.version())"
set +e
"$venv/bin/pytest" -p no:cacheprovider -q "$repo/tests" "$@"
status=$?
if [ $status -eq 5 ]; then
    echo "ci/test.sh: pytest collected no tests" >&2
fi
exit $status
