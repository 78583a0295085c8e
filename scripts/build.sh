#!/usr/bin/env bash
# Configures and builds into build/ (binaries in build/bin/).
# Usage: scripts/build.sh [TARGET ...]   (no target: everything)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || cmake --preset default >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j "$(nproc)" "${targets[@]+"${targets[@]}"}"
