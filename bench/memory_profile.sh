#!/usr/bin/env bash
# Where an idle connection's memory goes: runs build/bin/socketio-echo
# (--threads 1) under heaptrack, holds CONNS idle WebSocket connections with
# sio-bench, and prints the peak heap per connection by allocation site
# (bench/lib/heap_summary.py: each allocation charged to the innermost
# function of our own sources on its stack).
#
#   bench/memory_profile.sh > bench/results/profiles/idle-memory-ours.txt
#
# Environment: BUILD (./build), CONNS (2000), TRANSPORT (websocket).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BUILD=${BUILD:-$root/build}
CONNS=${CONNS:-2000}
TRANSPORT=${TRANSPORT:-websocket}
command -v heaptrack >/dev/null || { echo "heaptrack is needed (apt-get install heaptrack)" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$work" && exec heaptrack -o "$work/heap" "$BUILD/bin/socketio-echo" --port 0 --threads 1) >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/server.log" | grep -o '[0-9]*$') && break
  sleep 0.2
done
"$BUILD/bin/sio-bench" idle --url "http://127.0.0.1:$port" --conns "$CONNS" --transport "$TRANSPORT" \
  --connect-concurrency 200 --duration 2 --quiet >"$work/bench.txt"
pkill -INT -P "$server" 2>/dev/null || true
pkill -INT -f "$BUILD/bin/socketio-echo --port 0 --threads 1" 2>/dev/null || true
wait "$server" 2>/dev/null || true
heaptrack_print -f "$work"/heap*.zst --flamegraph-cost-type peak -F "$work/stacks.txt" >/dev/null 2>&1
echo "# bench/memory_profile.sh: heaptrack, socketio-echo --threads 1, $CONNS idle $TRANSPORT connections ($(date -u +%Y-%m-%d), $(git -C "$root" rev-parse --short HEAD))"
echo "# One-time costs (start-up, OpenSSL, the loop's buffers) are divided by CONNS too."
python3 "$here/lib/heap_summary.py" "$work/stacks.txt" "$CONNS"
