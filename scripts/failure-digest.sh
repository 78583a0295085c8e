#!/usr/bin/env bash
# Prints, after a failed test run, what a reader of only the end of the log
# needs: each failed ctest test with the last lines of its output, and every
# fuzzer artifact (crash-, leak-, timeout-, oom-, slow-unit-) as base64, to
# reproduce it with `base64 -d > input && build/bin/<fuzzer> input`.
# Usage: scripts/failure-digest.sh BUILD_DIR...
set -uo pipefail
for dir in "$@"; do
  tmp="$dir/Testing/Temporary"
  [ -s "$tmp/LastTestsFailed.log" ] || continue
  echo "=== failed in $dir:"
  while IFS=: read -r _ name; do
    echo "--- $name (the end of its output, without libFuzzer's dictionary)"
    # LastTest.log: "<n>/<m> Test: NAME", the command, then its output up to "<end of output>".
    awk -v n="$name" '$0 ~ ("Test: " n "$") {on=1; next} on && /^<end of output>$/ {on=0} on' "$tmp/LastTest.log" | grep -av -e "# Uses: " -e "ecommended dictionary" | tail -n 40
  done < "$tmp/LastTestsFailed.log"
  for f in "$dir"/tests/fuzz/{crash,leak,timeout,oom,slow-unit}-*; do
    [ -f "$f" ] || continue
    echo "--- fuzzer artifact $(basename "$f") ($(stat -c %s "$f") bytes), base64:"
    head -c 8192 "$f" | base64 -w 0; echo
  done
done
