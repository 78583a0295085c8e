#!/usr/bin/env bash
# The performance comparison of issue 6: build/bin/socketio-echo (--threads 1)
# against the Node reference (bench/node/echo-server.mjs, socket.io 4.8 from
# node_modules), driven by build/bin/sio-bench.
#
#   bench/compare.sh                       # everything, medians of 3 (about 10 minutes)
#   ONLY=echo1,echo16 REPS=1 bench/compare.sh
#   TLS=1 bench/compare.sh                 # the TLS comparison (issue 12): wss and https
#
# Each run starts a fresh server pinned to one core (SERVER_CPU) and the load
# tool pinned to another (TOOL_CPU); the two servers take turns, run by run
# (ours first on odd repetitions, Node first on even ones). Each metric is the
# median of REPS runs; the table gives ours / Node and the issue's target.
# Raw JSON of every run and the table land in OUT (bench/results by default):
# latest.md is the table, runs/ the raw data of the last comparison.
#
# A shared machine disturbs such numbers (a server that gets half its core
# does half the work), so each run waits until the machine is quiet (under
# QUIET % of one core busy for a second), and a run during which other work
# used more than MAX_OTHERS % of a core (sio-bench measures it from /proc/stat)
# is repeated, up to TRIES times.
#
# Environment: BUILD (build dir, default ./build), REPS (3), DURATION (5 s
# measured per run), WARMUP (2 s; Node's JIT needs it), SERVER_CPU (0),
# TOOL_CPU (1), ONLY (comma-separated run names), OUT, QUIET (10),
# MAX_OTHERS (15), TRIES (4), QUIET_WAIT (900 s at most per wait), NICE (0:
# niceness of servers and tool; it does not outrank work in other cgroups),
# TLS (0; 1: both servers serve https/wss with a certificate made here with
# openssl, and the TLS runs below replace the plain ones; the table goes to
# latest-tls.md).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BUILD=${BUILD:-$root/build}
REPS=${REPS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-2}
SERVER_CPU=${SERVER_CPU:-0}
TOOL_CPU=${TOOL_CPU:-1}
ONLY=${ONLY:-}
OUT=${OUT:-$here/results}
NICE=${NICE:-0}
QUIET=${QUIET:-10}
MAX_OTHERS=${MAX_OTHERS:-15}
TRIES=${TRIES:-4}
QUIET_WAIT=${QUIET_WAIT:-900}
clk_tck=$(getconf CLK_TCK)
TLS=${TLS:-0}

ours_bin=$BUILD/bin/socketio-echo
bench_bin=$BUILD/bin/sio-bench
# The "limit" column (issue 18): bench/ceiling/ceiling.cpp --fake-sio, a
# minimal epoll server that only frames bytes (plain TCP only: not with TLS=1).
# KINDS picks the servers.
limit_bin=$BUILD/bin/ceiling
if [[ $TLS == 1 ]]; then KINDS=${KINDS:-ours node}; else KINDS=${KINDS:-ours node limit}; fi
for f in "$ours_bin" "$bench_bin" $([[ " $KINDS " == *" limit "* ]] && echo "$limit_bin"); do
  [[ -x $f ]] || { echo "missing $f: cmake --build $BUILD --target socketio-echo sio-bench tcp_floor ceiling" >&2; exit 2; }
done
[[ -d $root/node_modules/socket.io ]] || { echo "missing node_modules/socket.io: npm ci" >&2; exit 2; }
command -v taskset >/dev/null || { echo "taskset is needed (util-linux)" >&2; exit 2; }

# Runs: name | sio-bench arguments. Every run measures one load; the metrics
# below read their numbers from these runs' JSON.
runs=(
  "echo1|echo --conns 100 --inflight 1"
  "echo16|echo --conns 100 --inflight 16"
  "rate5k|rate --conns 100 --rate 5000"
  "idle10k|idle --conns 10000 --connect-concurrency 500"
  "connect|connect --conns 50"
  "bcast1k|bcast --conns 1000 --inflight 16"
  "connect_polling|connect --conns 50 --transport polling"
  "echo_polling|echo --conns 100 --inflight 1 --transport polling"
)

tls_args=""
scheme=http
table=latest.md
if [[ $TLS == 1 ]]; then
  # The TLS comparison: what issue 12 asks (echo over wss, handshakes to a
  # joined namespace, idle memory per connection).
  runs=(
    "tls_echo16|echo --conns 100 --inflight 16"
    "tls_connect|connect --conns 50"
    "tls_idle2k|idle --conns 2000 --connect-concurrency 200"
  )
  certs=$(mktemp -d)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$certs/key.pem" -out "$certs/cert.pem" \
    -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
  tls_args="--tls-cert $certs/cert.pem --tls-key $certs/key.pem"
  scheme=https
  table=latest-tls.md
fi

# Metrics: label | run | JSON path | better (higher/lower) | target
#   target "ratio>=3": ours/Node at least 3; "ratio<=0.25": at most 0.25;
#   "abs<=2048": ours at most 2048 (in the metric's unit).
metrics=(
  "echo, 1 in flight, 100 conns (events/s)|echo1|events_per_sec|higher|ratio>=3"
  "echo, 16 in flight, 100 conns (events/s)|echo16|events_per_sec|higher|ratio>=8"
  "latency p50 at 5,000 events/s, 100 conns (us)|rate5k|latency_us.p50|lower|ratio<=0.25"
  "latency p99 at 5,000 events/s, 100 conns (us)|rate5k|latency_us.p99|lower|ratio<=0.5"
  "memory per idle conn at 10,000 conns (bytes)|idle10k|server.rss_per_conn|lower|abs<=2048"
  "connection set-up, WebSocket (conns/s)|connect|events_per_sec|higher|ratio>=5"
  "broadcast to 1,000 conns, 16 in flight (deliveries/s)|bcast1k|events_per_sec|higher|ratio>=2"
  "polling handshakes (conns/s)|connect_polling|events_per_sec|higher|ratio>=5"
  "echo over polling only, 1 in flight, 100 conns (events/s)|echo_polling|events_per_sec|higher|ratio>=5"
)
if [[ $TLS == 1 ]]; then
  metrics=(
    "echo over wss, 16 in flight, 100 conns (events/s)|tls_echo16|events_per_sec|higher|ratio>=5"
    "TLS handshakes to a joined namespace, wss (conns/s)|tls_connect|events_per_sec|higher|ratio>=2"
    "memory per idle TLS conn at 2,000 conns (bytes)|tls_idle2k|server.rss_per_conn|lower|ratio<=1"
  )
fi

rawdir=$OUT/runs
[[ $TLS == 1 ]] && rawdir=$OUT/runs-tls  # the plain runs stay as they were
rm -rf "$rawdir"
mkdir -p "$rawdir"

server_pid=""
server_port=""

# Starts server $1 (ours|node|limit) pinned to SERVER_CPU on a free port.
start_server() {
  local kind=$1 log=$2
  if [[ $kind == ours ]]; then
    # shellcheck disable=SC2086
    nice -n "$NICE" taskset -c "$SERVER_CPU" "$ours_bin" --port 0 --threads 1 $tls_args >"$log" 2>&1 &
  elif [[ $kind == limit ]]; then
    nice -n "$NICE" taskset -c "$SERVER_CPU" "$limit_bin" --port 0 --fake-sio >"$log" 2>&1 &
  else
    # shellcheck disable=SC2086
    nice -n "$NICE" taskset -c "$SERVER_CPU" node "$here/node/echo-server.mjs" --port 0 $tls_args >"$log" 2>&1 &
  fi
  server_pid=$!
  for _ in $(seq 100); do
    if server_port=$(grep -o 'listening on https\?://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$'); then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "server $kind did not start; its output:" >&2
  cat "$log" >&2
  exit 2
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT

selected() { [[ -z $ONLY || ",$ONLY," == *",$1,"* ]]; }

# CPU busy over the next second, all CPUs, in % of one core.
busy_percent() {
  local a b
  a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  sleep 1
  b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  echo $(( (b - a) * 100 / clk_tck ))
}

# Waits (QUIET_WAIT at most) until the machine is quiet.
wait_quiet() {
  local waited=0 busy
  while busy=$(busy_percent); (( busy > QUIET )); do
    if (( waited == 0 )); then echo "  waiting for a quiet machine (busy ${busy}% of a core)" >&2; fi
    waited=$((waited + 1))
    if (( waited > QUIET_WAIT )); then
      echo "  the machine stayed busy; running anyway" >&2
      return
    fi
  done
}

# Other work during the run in $1 (% of one core), from sio-bench's JSON.
others_of() {
  node -e 'try { const r = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(Math.round(r.machine.others_cpu_percent)); } catch { console.log(0); }' "$1"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r)" >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)

for entry in "${runs[@]}"; do
  name=${entry%%|*}
  args=${entry#*|}
  selected "$name" || continue
  for rep in $(seq "$REPS"); do
    # The servers take turns: in KINDS' order on odd repetitions, reversed on even ones.
    if (( rep % 2 )); then order=$KINDS; else order=$(echo "$KINDS" | tr ' ' '\n' | tac | tr '\n' ' '); fi
    for kind in $order; do
      out=$rawdir/$name.$kind.$rep.json
      for try in $(seq "$TRIES"); do
        wait_quiet
        start_server "$kind" "$rawdir/$name.$kind.$rep.server.log"
        # shellcheck disable=SC2086
        nice -n "$NICE" taskset -c "$TOOL_CPU" "$bench_bin" $args --url "$scheme://127.0.0.1:$server_port" \
          --duration "$DURATION" --warmup "$WARMUP" --server-pid "$server_pid" --json --quiet >"$out" || true
        stop_server
        others=$(others_of "$out")
        (( others <= MAX_OTHERS )) && break
        echo "  $name $kind rep $rep: other work used ${others}% of a core during the run; $([[ $try -lt $TRIES ]] && echo again || echo kept)" >&2
      done
      printf '%-16s %-4s rep %d: %s\n' "$name" "$kind" "$rep" \
        "$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(`${Math.round(r.events_per_sec)}/s p50 ${Math.round(r.latency_us.p50)}us p99 ${Math.round(r.latency_us.p99)}us errors ${r.errors.total} server ${r.server?Math.round(r.server.cpu_percent):"-"}% tool ${Math.round(r.tool.cpu_percent)}% others ${Math.round(r.machine.others_cpu_percent)}%`)' "$out" 2>/dev/null || echo "no result")" >&2
    done
  done
done

# The machine's latency floor (bench/tcp_floor.cpp: a trivial C++ echo over
# loopback TCP at the same rate), beside the latency rows: no server can go below it.
if [[ $TLS != 1 ]] && selected rate5k && [[ -x $BUILD/bin/tcp_floor ]]; then
  for rep in $(seq "$REPS"); do
    wait_quiet
    "$BUILD/bin/tcp_floor" --rate 5000 --server-cpu "$SERVER_CPU" --client-cpu "$TOOL_CPU" >"$rawdir/floor.$rep.json" || true
    echo "tcp_floor        rep $rep: $(cat "$rawdir/floor.$rep.json")" >&2
  done
fi

printf '%s\n' "${metrics[@]}" >"$rawdir/metrics.txt"
{
  echo "# socketio-echo (--threads 1) vs Node socket.io 4.8$([[ $TLS == 1 ]] && echo ', over TLS (https/wss)'): $(date -u +%Y-%m-%d)"
  echo
  echo "Source: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src include apps/socketio-echo || echo ' + uncommitted changes') (socketio-echo as built in $BUILD)."
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), Linux $(uname -r), node $(node --version)."
  echo "Server pinned to CPU $SERVER_CPU, sio-bench to CPU $TOOL_CPU; medians of $REPS runs of ${DURATION} s (after ${WARMUP} s warm-up), servers interleaved; runs disturbed by other work (over ${MAX_OTHERS}% of a core) repeated."
  echo "Load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg); took $(( $(date +%s) - started )) s."
  echo
  node "$here/lib/summarize.mjs" "$rawdir"
} | tee "$OUT/$table"
