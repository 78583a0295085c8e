#!/usr/bin/env bash
# The tests that run several threads or event loops at once, built with
# ThreadSanitizer (CMake preset tsan, build-tsan/):
#   unit     net_tests (loops, poller), api_tests (a server on two loops),
#            adapter_tests (the Redis driver's thread and the loops),
#            client_tests (the public client's own loop thread)
#   interop  engineio/multi_loop and socketio/{rooms,disconnect,protocol_suite}
#            (servers on --threads 2), against TSan-built engineio-echo,
#            socketio-test-server and socketio-suite-server
# Every report, from a test or from a server it started, goes to a file in
# build-tsan/tsan-reports/; the script lists them (first frames of each) and
# fails when there is any, or when a test failed.
# Usage: scripts/tsan.sh [--unit | --interop] [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

which=all
case "${1:-}" in
  --unit) which=unit; shift ;;
  --interop) which=interop; shift ;;
esac

unit_targets=(net_tests api_tests adapter_tests client_tests)
servers=(engineio-echo socketio-test-server socketio-suite-server)
interop_regex='^interop\.(engineio\.multi_loop|socketio\.(rooms|disconnect|protocol_suite))$'

if [ ! -f build-tsan/build.ninja ] || ! grep -q '^SIO_SANITIZER:STRING=tsan' build-tsan/CMakeCache.txt; then
  cmake --preset tsan >/dev/null
fi
targets=()
case "$which" in
  unit) list=("${unit_targets[@]}") ;;
  interop) list=("${servers[@]}") ;;
  *) list=("${unit_targets[@]}" "${servers[@]}") ;;
esac
for t in "${list[@]}"; do targets+=(--target "$t"); done
cmake --build build-tsan -j "$(nproc)" "${targets[@]}"

reports="$PWD/build-tsan/tsan-reports"
rm -rf "$reports" && mkdir -p "$reports"
# halt_on_error=0: every race of a run is reported, each once per pair of
# stacks; the exit status (66) still fails the process that had one.
# Suppressed: only races inside libraries we do not build (scripts/tsan-suppressions.txt says why).
export TSAN_OPTIONS="log_path=$reports/tsan:halt_on_error=0:second_deadlock_stack=1:history_size=4:suppressions=$PWD/scripts/tsan-suppressions.txt${TSAN_OPTIONS:+:$TSAN_OPTIONS}"

status=0
if [ "$which" != interop ]; then
  ctest --test-dir build-tsan -L tsan --output-on-failure -j "${SIO_TEST_JOBS:-2}" --timeout 600 "$@" || status=$?
fi
if [ "$which" != unit ]; then
  ctest --test-dir build-tsan -R "$interop_regex" --output-on-failure -j 1 --timeout 900 "$@" || status=$?
fi

# One line per report: its kind and the first frame of ours in each stack.
shopt -s nullglob
files=("$reports"/tsan.*)
if [ ${#files[@]} -gt 0 ]; then
  echo
  echo "ThreadSanitizer reports (${#files[@]} process(es)); full text in $reports/:"
  for f in "${files[@]}"; do
    awk '
      /^WARNING: ThreadSanitizer:/ { kind = $0; sub(/^WARNING: ThreadSanitizer: /, "", kind); sub(/ \(pid=.*/, "", kind); n = 0; line = "" }
      /^ +#[0-9]+ / && kind != "" && $0 ~ /\/(src|apps|tests)\// && n < 2 {
        loc = $0; sub(/.*\/(src|apps|tests)\//, "", loc); sub(/ .*/, "", loc)
        fn = $0; sub(/^ +#[0-9]+ [^ ]+ in /, "", fn); sub(/ \/.*/, "", fn); sub(/\(.*/, "", fn)
        line = line (n ? "  |  " : "") fn " " loc; n++
      }
      /^SUMMARY: ThreadSanitizer/ { print kind ": " line; kind = "" }
    ' "$f"
  done | sort | uniq -c | sort -rn
  status=1
else
  echo "ThreadSanitizer: no report"
fi
exit "$status"
