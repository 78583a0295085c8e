#!/usr/bin/env bash
# What connection state recovery costs in memory: the RSS of socketio-echo
# (--threads 1) after CONNS WebSocket clients joined and then lost their
# connections (sio-bench idle, which drops them at its end: "transport
# close", a reason sessions are kept for), with --recovery and without. The
# difference is what CONNS sessions waiting for their clients hold (the rest,
# the memory the connections used and the allocator keeps, is in both).
#
#   bench/recovery_memory.sh            # 10,000 sessions
#
# Environment: BUILD (./build), CONNS (10000). Not part of the test command.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BUILD=${BUILD:-$root/build}
CONNS=${CONNS:-10000}
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
sockets() { find "/proc/$1/fd" -lname "socket:*" | wc -l; }

# One run: prints "<rss before> <rss after the sessions>" in KiB.
run() {
  "$BUILD/bin/socketio-echo" --port 0 --threads 1 "$@" >"$work/server.log" 2>&1 &
  server=$!
  local port=
  for _ in $(seq 100); do
    port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/server.log" | grep -o '[0-9]*$') && break
    sleep 0.1
  done
  local base_fds before
  sleep 0.5  # started: its one-time allocations made
  base_fds=$(sockets "$server")
  before=$(rss_kb "$server")
  "$BUILD/bin/sio-bench" idle --url "http://127.0.0.1:$port" --conns "$CONNS" --connect-concurrency 200 \
    --duration 1 --settle 1 --quiet >"$work/bench.txt"
  # Until the server has closed every connection (a bounded wait on its state).
  for _ in $(seq 300); do
    [ "$(sockets "$server")" -le "$base_fds" ] && break
    sleep 0.1
  done
  echo "$before $(rss_kb "$server")"
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
}

run >"$work/off.txt"
run --recovery >"$work/on.txt"
read -r off0 off1 <"$work/off.txt"
read -r on0 on1 <"$work/on.txt"
echo "# bench/recovery_memory.sh: socketio-echo --threads 1, $CONNS WebSocket clients joined then lost ($(date -u +%Y-%m-%d), $(git -C "$root" rev-parse --short HEAD))"
echo "without --recovery: RSS ${off0} KiB at start, ${off1} KiB after (+$((off1 - off0)) KiB)"
echo "with --recovery:    RSS ${on0} KiB at start, ${on1} KiB after (+$((on1 - on0)) KiB), $CONNS sessions waiting"
diff=$(( (on1 - on0) - (off1 - off0) ))
echo "the sessions: ${diff} KiB, $(( diff * 1024 / CONNS )) bytes each"
