#!/usr/bin/env bash
# Proves the README's two commands on a fresh Debian 12: builds a minimal
# Debian 12 root with debootstrap (Debian's own packages only, nothing else),
# copies this checkout's committed tree into it, and inside it, as root:
#   1. scripts/start.sh --port PORT: must serve the chat page (checked over
#      HTTP from inside the root), then is stopped;
#   2. scripts/test.sh: must pass, with Debian's nodejs 18 and npm 9 (the
#      root has no other Node).
# Not run by CI (it downloads a Debian root and builds from scratch: about
# 20-40 minutes on 2 cores). Needs root and Debian's mirror.
# Usage: scripts/fresh-debian.sh [--keep] [--only-start] [DIR]
#   DIR defaults to /var/tmp/sio-fresh-debian (removed first unless --keep
#   and it already holds a root: then the root is reused, the tree replaced).
set -euo pipefail
cd "$(dirname "$0")/.."
keep= only_start=
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --only-start) only_start=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) break ;;
  esac
  shift
done
root=${1:-/var/tmp/sio-fresh-debian}
mirror=http://deb.debian.org/debian
port=3917

command -v debootstrap >/dev/null || {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}

mounted=()
cleanup() {
  # Stop what still runs inside, then unmount in reverse order.
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "$pid" 2>/dev/null || true
  done
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT

fresh=
if [ -z "$keep" ] || [ ! -x "$root/bin/bash" ]; then
  fresh=1
  rm -rf "$root"
  echo "fresh-debian: debootstrap bookworm (minbase) into $root"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
    tail -20 "$root.debootstrap.log"; exit 1; }
  # The sources a Debian 12 installation has: main, updates and security.
  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
# What Debian's installer writes and debootstrap does not: localhost by name.
[ -s "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
# Behind a TLS-intercepting proxy (as on the machines this project is built
# on), npm inside the root needs the host's extra CA: pass the host's bundle.
extra_ca=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  cp "$NODE_EXTRA_CA_CERTS" "$root/etc/host-extra-ca.crt"
  extra_ca=(NODE_EXTRA_CA_CERTS=/etc/host-extra-ca.crt)
fi

for m in proc sys dev dev/pts dev/shm; do
  mkdir -p "$root/$m"
  case "$m" in
    proc) mount -t proc proc "$root/proc" ;;
    sys) mount -t sysfs sys "$root/sys" ;;
    dev/shm) mount -t tmpfs -o mode=1777 shm "$root/dev/shm" ;;
    *) mount --bind "/$m" "$root/$m" ;;
  esac
  mounted+=("$root/$m")
done

# The committed tree (as a clean clone would have it), without build output.
rm -rf "$root/root/socketio-cpp"
mkdir -p "$root/root/socketio-cpp"
git archive HEAD | tar -x -C "$root/root/socketio-cpp"

in_root() { chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${extra_ca[@]+"${extra_ca[@]}"}" "$@"; }

echo "fresh-debian: scripts/start.sh --port $port (inside the root)"
in_root bash -c "cd /root/socketio-cpp && exec scripts/start.sh --port $port" >"$root.start.log" 2>&1 &
start_pid=$!
served=
for _ in $(seq 1 1800); do  # up to 30 min: install, then build from scratch
  if grep -q "listening on" "$root.start.log" 2>/dev/null; then
    if page=$(in_root bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && cat <&3"); then
      if printf '%s' "$page" | grep -q '^HTTP/1.[01] 200' && printf '%s' "$page" | grep -qi '<title>'; then served=1; fi
    fi
    break
  fi
  kill -0 "$start_pid" 2>/dev/null || break
  sleep 1
done
kill "$start_pid" 2>/dev/null || true
cleanup_start() { for pid in $(ls /proc | grep -E '^[0-9]+$'); do
  [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill "$pid" 2>/dev/null || true; done; }
cleanup_start
wait "$start_pid" 2>/dev/null || true
if [ -z "$served" ]; then
  echo "fresh-debian: FAILED: scripts/start.sh did not serve the chat; its output:"
  tail -30 "$root.start.log"
  exit 1
fi
echo "fresh-debian: start.sh served the chat page ($(grep -m1 'listening on' "$root.start.log"))"
in_root bash -c 'echo "fresh-debian: inside: node $(node --version), npm $(npm --version), $(. /etc/os-release; echo $PRETTY_NAME)"'
if [ -z "$fresh" ]; then
  echo "fresh-debian: (a reused root: whether start.sh installs test-only packages is not checked)"
elif in_root bash -c 'dpkg-query -W libgtest-dev libbenchmark-dev chromium redis-server 2>/dev/null | grep -q .'; then
  echo "fresh-debian: FAILED: start.sh installed test-only packages"; exit 1
fi
[ -n "$only_start" ] && exit 0

echo "fresh-debian: scripts/test.sh (inside the root)"
if in_root bash -c "cd /root/socketio-cpp && scripts/test.sh" >"$root.test.log" 2>&1; then
  grep -E "tests passed|Node.js v" "$root.test.log" | sort | uniq -c
  echo "fresh-debian: passed (log: $root.test.log)"
else
  grep -E "tests passed|Failed|\*\*\*" "$root.test.log" | tail -30
  echo "fresh-debian: FAILED (log: $root.test.log)"
  exit 1
fi
