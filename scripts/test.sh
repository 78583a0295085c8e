#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (unit, fuzz, interop with the official JS peers, end-to-end) through ctest,
# then the unit tests again built with AddressSanitizer and UBSan (CMake
# preset asan, build-asan/, ctest label asan), where any report fails its test.
# Arguments go to both ctest runs (e.g. -R regex).
#   SIO_TEST_JOBS  parallel tests (default 2)
#   SIO_ASAN=0     skip the sanitizer run (it is on by default)
#   SIO_CHECK_DEB=0  as root, skip installing the .deb packages (scripts/check-deb.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
scripts/build.sh
status=0
rm -f build/Testing/Temporary/LastTestsFailed.log build-asan/Testing/Temporary/LastTestsFailed.log  # ctest keeps it when all pass
ctest --test-dir build --output-on-failure -j "${SIO_TEST_JOBS:-2}" "$@" || status=$?
if [ "${SIO_ASAN:-1}" != 0 ]; then
  # Only the unit-test binaries: the rest of the suite drives the RelWithDebInfo build.
  unit_tests=(wire_tests engine_tests transport_tests net_tests adapter_tests io_tests api_tests client_tests)
  if [ ! -f build-asan/build.ninja ] || ! grep -q '^SIO_SANITIZER:STRING=asan' build-asan/CMakeCache.txt; then
    cmake --preset asan >/dev/null
  fi
  targets=()
  for t in "${unit_tests[@]}"; do targets+=(--target "$t"); done
  cmake --build build-asan -j "$(nproc)" "${targets[@]}"
  # No asan test at all is an error (a stale build-asan), unless a filter was given.
  none=(); [ $# -eq 0 ] && none=(--no-tests=error)
  # Not under ASan: the test that drives the process to its descriptor limit.
  # There UBSan's own checks fail for want of a descriptor (its vptr check
  # probes memory through a pipe: "memory cannot be printed"), a false report.
  # It runs in the main build above.
  ctest --test-dir build-asan -L asan -E '^Listeners\.AtTheDescriptorLimit' "${none[@]}" \
    --output-on-failure -j "${SIO_TEST_JOBS:-2}" "$@" || status=$?
fi
# As root (CI): the Debian packages installed as a user would, sio-chat
# started from them, the examples built against them, then removed
# (scripts/check-deb.sh; it changes the system, hence not in ctest).
# SIO_CHECK_DEB=0 skips it.
if [ "$(id -u)" = 0 ] && [ "${SIO_CHECK_DEB:-1}" != 0 ] && [ $# -eq 0 ]; then
  scripts/check-deb.sh build || status=$?
fi
# The failures once more, at the end of the log, with fuzzer artifacts.
[ "$status" = 0 ] || scripts/failure-digest.sh build build-asan
exit "$status"
