#!/usr/bin/env bash
# Profiles build/bin/socketio-echo (--threads 1, pinned to SERVER_CPU) under a
# sio-bench load (pinned to TOOL_CPU) with perf (cpu-clock samples, DWARF call
# graphs) and prints where its time goes (bench/lib/perf_summary.py).
#
#   bench/profile.sh echo --conns 100 --inflight 1
#   bench/profile.sh connect --conns 50 --transport polling > bench/results/profiles/connect-polling.txt
#
# Environment: BUILD (./build), SECONDS_RECORDED (4), SERVER_CPU (0), TOOL_CPU (1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BUILD=${BUILD:-$root/build}
SECONDS_RECORDED=${SECONDS_RECORDED:-4}
SERVER_CPU=${SERVER_CPU:-0}
TOOL_CPU=${TOOL_CPU:-1}
# Waits (up to 15 minutes) for a quiet machine: other work would only blur the load.
for _ in $(seq 900); do
  a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat); sleep 1; b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  (( (b - a) * 100 / $(getconf CLK_TCK) <= 10 )) && break
done
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

taskset -c "$SERVER_CPU" "$BUILD/bin/socketio-echo" --port 0 --threads 1 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/server.log" | grep -o '[0-9]*$') && break
  sleep 0.1
done
taskset -c "$TOOL_CPU" "$BUILD/bin/sio-bench" "$@" --url "http://127.0.0.1:$port" --warmup 1 \
  --duration $((SECONDS_RECORDED + 2)) --server-pid "$server" --quiet >"$work/bench.txt" &
bench=$!
sleep 1.5
perf record -q -e cpu-clock --call-graph dwarf,16384 -p "$server" -o "$work/perf.data" -- sleep "$SECONDS_RECORDED" >/dev/null 2>&1
wait "$bench" || true
echo "# bench/profile.sh $*  ($(date -u +%Y-%m-%d), $(git -C "$root" rev-parse --short HEAD))"
sed 's/^/# /' "$work/bench.txt"
perf script -i "$work/perf.data" -F comm,ip,sym 2>/dev/null | python3 "$here/lib/perf_summary.py" 2
