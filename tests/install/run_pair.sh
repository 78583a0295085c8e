#!/usr/bin/env bash
# Starts SERVER on a free port, runs CLIENT against it, and checks they
# exchanged an event and an acknowledgement (the examples' own output).
# Usage: run_pair.sh SERVER CLIENT
set -euo pipefail
server=$1 client=$2
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT
mkfifo "$out/ready"
"$server" 0 >"$out/ready" &
pid=$!
exec 3<"$out/ready"  # kept open: the server never writes to a closed pipe
# The server's first line names its port; read blocks until it is written
# (bounded: a server that dies closes the pipe and read fails at once).
if ! read -r -t 60 line <&3; then
  echo "run_pair: $server printed no 'listening on' line" >&2
  exit 1
fi
url=${line#listening on }
echo "server: $line"
"$client" "$url" | tee "$out/client.txt"
grep -qx 'event welcome: "socketio-cpp [0-9.]*"' "$out/client.txt"
grep -qx 'ack: "hello, example"' "$out/client.txt"
echo "run_pair: event and ack exchanged"
