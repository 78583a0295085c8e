#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (unit, fuzz, interop with the official JS peers, end-to-end) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
scripts/build.sh
ctest --test-dir build --output-on-failure -j "${SIO_TEST_JOBS:-2}" "$@"
