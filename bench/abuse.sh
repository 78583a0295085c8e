#!/usr/bin/env bash
# Abuse run (issue 20's "Done when"): builds the four servers and runs
# bench/abuse.mjs, which attacks each of them from outside while a bystander
# client measures how it is served. Not part of the test command.
#
# Usage: bench/abuse.sh [abuse.mjs flags: --duration S, --only a,b, --servers x,y,
#                        --threads N, --json FILE, --list]
# Exit status: that of abuse.mjs (0 all ok, 1 a verdict failed, 2 could not run).
set -euo pipefail
cd "$(dirname "$0")/.."

# The attacker holds up to ~2,000 connections at once (slowloris) plus the
# bystander's; the servers inherit this limit too (fd-exhaustion sets its own 1,024).
need=8192
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$need" ]; then
  echo "abuse.sh: open files hard limit $hard < $need (raise it)" >&2
  exit 2
fi
ulimit -n "$need"

scripts/build.sh socketio-echo engineio-echo websocket-echo sio-chat >/dev/null
exec node bench/abuse.mjs "$@"
