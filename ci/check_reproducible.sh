#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build the wheel twice from this commit with one SOURCE_DATE_EPOCH and
# show that both have the same sha256 (exit 1 if they differ).
#
#   ci/check_reproducible.sh          full wheels
#   IMAGECODECS_LITE=1 ci/check_reproducible.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct)}
sums=()
for run in 1 2; do
    out=$(mktemp -d)
    WHEELHOUSE=$out "$repo/ci/build_wheel.sh" >"$out/build.log" 2>&1 ||
        { tail -30 "$out/build.log"; exit 1; }
    sums+=("$(sha256sum "$out"/imagecodecs-*.whl | cut -d' ' -f1)")
    echo "build $run: ${sums[-1]}  $(basename "$out"/imagecodecs-*.whl)"
done
[ "${sums[0]}" = "${sums[1]}" ] && echo "reproducible" || { echo "wheels differ"; exit 1; }
