#!/usr/bin/env bash
# Installs what the project needs and is missing: Debian packages (apt) and the
# npm packages pinned by package-lock.json. Idempotent, and quick when all is
# present. Usage: scripts/deps.sh [build|test]   (default: test = everything)
#   build: what scripts/start.sh needs to build and serve the chat
#   test:  everything scripts/test.sh needs (GoogleTest, Google Benchmark,
#          redis-server, nginx, chromium, doxygen, dpkg-dev and file for
#          the .deb test, and Debian's Node.js 18 unpacked
#          under .deps/ for the tests that run the browser with it)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-test}

build_pkgs=(cmake ninja-build ccache clang g++ pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev zlib1g-dev libhiredis-dev libmsgpuck-dev libfmt-dev libspdlog-dev
  libcli11-dev nodejs npm)
# The libraries of Debian's libnode108 and the JavaScript modules it loads from
# /usr/share/nodejs, so that Debian's node 18 runs from .deps/ beside any other.
node18_pkgs=(libuv1 libc-ares2 libicu72 libnghttp2-14 libbrotli1
  node-acorn node-cjs-module-lexer node-undici)
test_pkgs=(libgtest-dev libgmock-dev libbenchmark-dev libclang-rt-14-dev
  redis-server nginx-light chromium openssl curl doxygen make dpkg-dev file "${node18_pkgs[@]}")

want=("${build_pkgs[@]}")
[ "$profile" = test ] && want+=("${test_pkgs[@]}")

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for p in "${want[@]}"; do
  installed "$p" && continue
  case "$p" in
    # nginx-light satisfies nginx; node and npm may come from elsewhere.
    nginx-light) command -v nginx >/dev/null || missing+=("$p") ;;
    nodejs|npm) command -v "${p/nodejs/node}" >/dev/null || missing+=("$p") ;;
    *) missing+=("$p") ;;
  esac
done

# apt-get, waiting while another apt or dpkg holds its locks (a fresh machine
# is often busy with its own updates at boot): dpkg's lock through apt's own
# timeout, the lists lock of `update` by retrying.
apt_get() {
  local waited=0 out
  while :; do
    if out=$(apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1); then
      printf '%s\n' "$out" | grep -v -e '^debconf: ' -e '^$' || true
      return 0
    fi
    if printf '%s' "$out" | grep -q -e 'Could not get lock' -e 'Unable to lock' && [ $waited -lt 600 ]; then
      [ $waited -eq 0 ] && echo "deps: waiting for the apt/dpkg lock: $(printf '%s' "$out" | grep -m1 'lock')"
      sleep 5; waited=$((waited + 5))
      continue
    fi
    printf '%s\n' "$out" >&2
    return 1
  done
}

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Debian starts a package's service when it is installed (redis-server on
  # 6379, nginx on 80). The tests start their own copies on free ports, so
  # keep the system ones from starting, by the packages' own policy
  # (policy-rc.d, honoured by invoke-rc.d and deb-systemd-invoke). They stay
  # enabled and start at the next boot like any installed service.
  policy=/usr/sbin/policy-rc.d
  ours=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# socketio-cpp deps.sh: no service starts while it installs\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    ours=1
  fi
  trap '[ -n "$ours" ] && rm -f "$policy"' EXIT
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -n "$ours" ] && rm -f "$policy"
  trap - EXIT
fi

# The node on PATH must satisfy every engines.node of the lockfile.
node scripts/check-node.cjs

# npm packages: the test peers and the browser bundle, pinned by the lockfile.
if [ -f package-lock.json ]; then
  stamp=node_modules/.sio-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    echo "deps: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
  fi
fi

# Debian 12's own Node.js 18 (nodejs + libnode108, unpacked, not installed), so
# the test command also runs the browser tests with it whatever node is on PATH.
if [ "$profile" = test ]; then
  scripts/debian-node.sh >/dev/null
fi
