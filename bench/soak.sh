#!/usr/bin/env bash
# Soak test: does the server stay flat under a long, churning load?
#
# Starts build/bin/socketio-echo on two event loops and drives it with
# `sio-bench soak` (apps/sio-bench/scenario_soak.cpp): CONNS connections held,
# CHURN of them a second closed and opened again, RATE "echo" events a second,
# each asking for an ack, for DURATION seconds. A sample every SAMPLE seconds:
# connections, acks sent / answered / lost, the ack round trips of the interval
# (p50, p99, max: the server's loop lag, bounded from above), the server's RSS,
# open file descriptors and CPU. After the load, the server's descriptors are
# followed until they are back to where they were before the first connection.
#
# Verdict: "flat" when all of these hold (the first third of the samples is
# the warm-up):
#   acks       none lost (every emit with an ack was answered), no error
#   memory     mean RSS of the last third within 10 % of the middle third's
#   lag        median ack p99 of the last third at most twice the middle
#              third's + 1 ms (a slowly clogging loop shows here)
#   fds        back to the baseline (+2) within 30 s after the load ended
#
# Usage: bench/soak.sh [--duration S] [--conns N] [--rate R] [--churn C]
#                      [--sample S] [--threads T] [--transport websocket|polling|upgrade]
# Defaults: 600 s, 10,000 connections, 2,000 acked events/s, 50 replaced/s,
# a sample every DURATION/40 s (at least 2), 2 threads, websocket.
# Exit status: 0 flat, 1 not flat, 2 could not run.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=600 conns=10000 rate=2000 churn=50 sample="" threads=2 transport=websocket
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --churn) churn="$2"; shift 2 ;;
    --sample) sample="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --transport) transport="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$sample" ] || sample=$(( duration / 40 > 2 ? duration / 40 : 2 ))

# Every connection is a descriptor in the tool and one in the server (plus
# the ones closing during churn): both inherit this limit.
need=$(( conns + conns / 5 + 1000 ))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$need" ]; then
  echo "soak.sh: open files hard limit $hard < $need needed for $conns connections (raise it, or --conns)" >&2
  exit 2
fi
ulimit -n "$( [ "$hard" = unlimited ] && echo "$need" || echo "$hard" )"

cmake --build build --target socketio-echo sio-bench >/dev/null

out=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$out"
}
trap cleanup EXIT

build/bin/socketio-echo --port 0 --threads "$threads" >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on' "$out/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { echo "soak.sh: the server did not start:" >&2; cat "$out/server.log" >&2; exit 2; }
  sleep 0.1
done
port=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out/server.log")
[ -n "$port" ] || { echo "soak.sh: no port in the server's output" >&2; exit 2; }

fds() { find "/proc/$server_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }
base_fds=$(fds)
base_rss=$(rss_kb)
echo "soak: socketio-echo --threads $threads (pid $server_pid, port $port): $conns connections over $transport," \
     "$rate acked events/s, $churn replaced/s, ${duration} s, a sample every ${sample} s"
echo "baseline before connecting: RSS ${base_rss} kB, ${base_fds} fds; ulimit -n $(ulimit -n)"
echo

set +e
build/bin/sio-bench soak --url "http://127.0.0.1:$port" --transport "$transport" --conns "$conns" \
  --rate "$rate" --churn "$churn" --sample "$sample" --duration "$duration" --warmup 1 --drain 5 \
  --server-pid "$server_pid" --quiet | tee "$out/bench.log"
bench_status=${PIPESTATUS[0]}
set -e

# After the load: the descriptors should go back to the baseline.
echo
echo "after the load (server's open descriptors; baseline $base_fds):"
settled=no
for i in $(seq 0 30); do
  n=$(fds)
  [ $(( i % 5 )) -eq 0 ] && printf '  +%2d s  %6d fds  RSS %s kB\n' "$i" "$n" "$(rss_kb)"
  if [ "$n" -le $(( base_fds + 2 )) ]; then settled=yes; printf '  +%2d s  %6d fds: back to the baseline\n' "$i" "$n"; break; fi
  sleep 1
done
kill -0 "$server_pid" 2>/dev/null || { echo "soak.sh: the server died" >&2; exit 1; }

# The verdict, from the sample lines (t conns replaced sent ok lost flight p50 p99 max rss fds cpu).
echo
awk -v bench_status="$bench_status" -v settled="$settled" '
  $1 == "sample" && $2 ~ /^[0-9]/ { n++; t[n] = $2; rss[n] = $12; p99[n] = $10; lost = $7; sent = $5; ok = $6 }
  /^  errors: / { errors = $2 }
  function median(a, from, to,   m, i, j, k, v, b) {
    m = 0; for (i = from; i <= to; i++) if (a[i] > 0) b[++m] = a[i]
    for (i = 2; i <= m; i++) { v = b[i]; for (j = i - 1; j >= 1 && b[j] > v; j--) b[j + 1] = b[j]; b[j + 1] = v }
    if (m == 0) return 0
    k = int((m + 1) / 2); return (m % 2) ? b[k] : (b[k] + b[k + 1]) / 2
  }
  function mean(a, from, to,   s, i, c) { s = 0; c = 0; for (i = from; i <= to; i++) if (a[i] > 0) { s += a[i]; c++ } return c ? s / c : 0 }
  END {
    if (n < 6) { print "verdict: not enough samples (" n ")"; exit 2 }
    # The last sample comes after the drain: it closes the count, not the series.
    m = n - 1; third = int(m / 3); mid_from = third + 1; mid_to = 2 * third; last_from = 2 * third + 1
    rss_mid = mean(rss, mid_from, mid_to); rss_last = mean(rss, last_from, m)
    lag_mid = median(p99, mid_from, mid_to); lag_last = median(p99, last_from, m)
    ok_acks = (lost == 0 && sent == ok && errors == 0 && bench_status == 0)
    ok_rss = (rss_mid > 0 && rss_last <= rss_mid * 1.10)
    ok_lag = (lag_last <= 2 * lag_mid + 1)
    ok_fds = (settled == "yes")
    printf "acks    %s: %d sent, %d answered, %d lost, %d errors (sio-bench exit %d)\n", ok_acks ? "ok  " : "FAIL", sent, ok, lost, errors, bench_status
    printf "memory  %s: mean RSS %.0f kB in the middle third (t %s..%s s), %.0f kB in the last (%+.1f %%; limit +10 %%)\n", ok_rss ? "ok  " : "FAIL", rss_mid, t[mid_from], t[mid_to], rss_last, (rss_mid > 0 ? (rss_last / rss_mid - 1) * 100 : 0)
    printf "lag     %s: median ack p99 %.2f ms in the middle third, %.2f ms in the last (limit 2x + 1 ms)\n", ok_lag ? "ok  " : "FAIL", lag_mid, lag_last
    printf "fds     %s: %s\n", ok_fds ? "ok  " : "FAIL", ok_fds ? "back to the baseline after the load" : "not back to the baseline within 30 s"
    flat = ok_acks && ok_rss && ok_lag && ok_fds
    print "verdict: " (flat ? "FLAT" : "NOT FLAT")
    exit flat ? 0 : 1
  }' "$out/bench.log"
