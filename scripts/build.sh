#!/usr/bin/env bash
# Configures and builds into build/ (binaries in build/bin/).
# Usage: scripts/build.sh [--app] [TARGET ...]   (no target: everything)
#   --app: configure without tests, fuzzers and benchmarks (CMake preset "app",
#          what scripts/start.sh uses: it needs none of the test-only packages).
#          A build/ configured for tests is kept as it is.
#   otherwise: configure with them (preset "default"), turning them back on in a
#          build/ that scripts/start.sh configured first.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=default
if [ "${1:-}" = --app ]; then preset=app; shift; fi
cache=build/CMakeCache.txt
if [ ! -f build/build.ninja ] || [ ! -f "$cache" ]; then
  cmake --preset "$preset" >/dev/null
elif [ "$preset" = default ] && grep -q '^SIO_TESTS:BOOL=OFF' "$cache"; then
  cmake --preset default -DSIO_TESTS=ON -DSIO_FUZZ=ON -DSIO_BENCH=ON >/dev/null
fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j "$(nproc)" "${targets[@]+"${targets[@]}"}"
