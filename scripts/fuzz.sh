#!/usr/bin/env bash
# Runs the libFuzzer targets (tests/fuzz/<name>.cpp -> build/bin/<name>) one
# after the other, each on a copy of its corpus (tests/fuzz/corpus/<name>/),
# and reports per fuzzer: executions, exec/s (and per CPU second), coverage
# (libFuzzer's cov: edges and ft: features), the corpus it ended with, peak
# RSS, wall and CPU time, and any crash artifact.
#
# Usage: scripts/fuzz.sh [--time S] [--runs N] [--merge | --minimise] [--no-build] [FUZZER...]
#   --time S     run each fuzzer for S seconds (default: 60)
#   --runs N     run each fuzzer for N executions (with --time too: whichever
#                limit comes first)
#   --merge      afterwards, add to the repository's corpus the inputs of this
#                run that reach coverage it lacks (libFuzzer -merge=1)
#   --minimise   afterwards, rewrite the repository's corpus as a small set of
#                inputs reaching every edge (cov) that it and this run reached
#                (libFuzzer -set_cover_merge=1 -use_counters=0: a fifth of the
#                files -merge=1 keeps; hit-count features are left for the
#                fuzzer to find again)
#   --no-build   use the binaries in build/bin as they are
#   FUZZER       a name, with or without the _fuzz suffix (default: every one)
# On a shared machine: nice -n 19 scripts/fuzz.sh ...  The repository's
# corpora are read only, unless --merge or --minimise says otherwise.
# A fuzzer's own libFuzzer flags come from tests/fuzz/<name>.options if any.
# Each run's corpus, log and artifacts stay in $SIO_FUZZ_OUT (build/fuzz-runs/<name>/).
# Exit status: 0 when no fuzzer crashed, 1 otherwise, 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

limit=()
limit_text=""
corpus_mode=""
build=1
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) limit+=(-max_total_time="$2"); limit_text+="${limit_text:+ or }$2 s"; shift 2 ;;
    --runs) limit+=(-runs="$2"); limit_text+="${limit_text:+ or }$2 executions"; shift 2 ;;
    --merge) corpus_mode=merge; shift ;;
    --minimise|--minimize) corpus_mode=minimise; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) names+=("${1%_fuzz}_fuzz"); shift ;;
  esac
done

if [ ${#limit[@]} -eq 0 ]; then limit=(-max_total_time=60); limit_text="60 s"; fi
if [ ${#names[@]} -eq 0 ]; then
  for f in tests/fuzz/*_fuzz.cpp; do names+=("$(basename "$f" .cpp)"); done
fi
for n in "${names[@]}"; do
  [ -f "tests/fuzz/$n.cpp" ] || { echo "fuzz.sh: no fuzzer $n (tests/fuzz/$n.cpp)" >&2; exit 2; }
done

if [ "$build" = 1 ]; then
  scripts/build.sh "${names[@]}" >/dev/null
fi

out="${SIO_FUZZ_OUT:-build/fuzz-runs}"
mkdir -p "$out"
# The leak checker on (as under ctest); a report stops the fuzzer like a crash.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

files_and_bytes() {  # DIR -> "N files, B bytes"
  local n b
  n=$(find "$1" -type f | wc -l)
  b=$(find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  echo "$n $b"
}

# "#123 DONE cov: 1 ft: 2 corp: ..." or any status line: the value after KEY.
last_stat() {  # LOG KEY
  grep -E "^#[0-9]+" "$1" | grep -o "$2: [0-9]*" | tail -1 | awk '{print $2}'
}
final_stat() {  # LOG NAME (from -print_final_stats=1)
  grep "^stat::$2:" "$1" | tail -1 | awk '{print $2}'
}

echo "fuzzing ${#names[@]} target(s), each for $limit_text (whichever comes first); runs in $out/"
rows=()
failed=0
for n in "${names[@]}"; do
  dir="$out/$n"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  seeds="tests/fuzz/corpus/$n"
  if [ -d "$seeds" ]; then cp -r "$seeds/." "$dir/corpus/"; fi
  # Its own libFuzzer flags, if any: tests/fuzz/<name>.options, one a line.
  opts=()
  if [ -f "tests/fuzz/$n.options" ]; then
    while read -r o; do opts+=("$o"); done < <(grep -v '^[[:space:]]*\(#\|$\)' "tests/fuzz/$n.options")
  fi
  start=$(date +%s)
  set +e
  # Its CPU time too: on a shared machine executions per CPU second say how
  # fast the fuzzer is, executions per second how much CPU it was given.
  TIMEFORMAT='%U %S'
  { time "build/bin/$n" "${opts[@]}" "${limit[@]}" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$dir/log" 2>&1; } 2>"$dir/cpu"
  status=$?
  set -e
  secs=$(( $(date +%s) - start ))
  cpu=$(awk '{printf "%.0f", $1 + $2}' "$dir/cpu")
  runs=$(final_stat "$dir/log" number_of_executed_units)
  rate=$(final_stat "$dir/log" average_exec_per_sec)
  rss=$(final_stat "$dir/log" peak_rss_mb)
  cov=$(last_stat "$dir/log" cov)
  ft=$(last_stat "$dir/log" ft)
  read -r cfiles cbytes < <(files_and_bytes "$dir/corpus")
  artifact=$(find "$dir/artifacts" -type f | head -1)
  if [ "$status" = 0 ] && [ -z "$artifact" ]; then
    result="ok"
  else
    failed=1
    result="FAILED (exit $status)${artifact:+: $artifact}"
  fi
  per_cpu=$(awk -v r="${runs:-0}" -v c="$cpu" 'BEGIN {printf "%.0f", (c > 0 ? r / c : 0)}')
  rows+=("$(printf '%-24s %12s %8s %9s %7s %7s %14s %7s %6s %6s  %s' "$n" "${runs:-?}" "${rate:-?}" "$per_cpu" \
    "${cov:-?}" "${ft:-?}" "$cfiles/${cbytes}B" "${rss:-?}MB" "${secs}s" "${cpu}s" "$result")")
  echo "${rows[-1]}"

  if [ -n "$corpus_mode" ] && [ "$result" = ok ]; then
    mkdir -p "$seeds"
    if [ "$corpus_mode" = merge ]; then
      "build/bin/$n" "${opts[@]}" -merge=1 "$seeds" "$dir/corpus" >"$dir/merge.log" 2>&1
    else
      # The run's corpus started as a copy of the repository's: merging it into
      # an empty folder keeps the coverage of both with few inputs.
      rm -rf "$dir/minimal" && mkdir -p "$dir/minimal"
      "build/bin/$n" "${opts[@]}" -use_counters=0 -set_cover_merge=1 "$dir/minimal" "$dir/corpus" >"$dir/merge.log" 2>&1
      rm -rf "$seeds" && cp -r "$dir/minimal" "$seeds"
    fi
    read -r sfiles sbytes < <(files_and_bytes "$seeds")
    echo "  $corpus_mode: $seeds now $sfiles files, $sbytes bytes"
  fi
done

echo
printf '%-24s %12s %8s %9s %7s %7s %14s %7s %6s %6s  %s\n' fuzzer executions exec/s exec/cpu-s cov ft \
  "corpus files/B" rss time cpu result
for r in "${rows[@]}"; do echo "$r"; done
exit "$failed"
