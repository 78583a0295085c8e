#!/usr/bin/env bash
# Installs what the project needs and is missing: Debian packages (apt) and the
# npm packages pinned by package-lock.json. Idempotent, and quick when all is
# present. Usage: scripts/deps.sh [build|test]   (default: test = everything)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-test}

build_pkgs=(cmake ninja-build ccache clang g++ pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev zlib1g-dev libhiredis-dev libmsgpuck-dev libfmt-dev libspdlog-dev
  libcli11-dev nodejs npm)
test_pkgs=(libgtest-dev libgmock-dev libbenchmark-dev libclang-rt-14-dev
  redis-server nginx-light chromium openssl)

want=("${build_pkgs[@]}")
[ "$profile" = test ] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nginx-light satisfies nginx; node may come from elsewhere.
if [ ${#missing[@]} -gt 0 ]; then
  filtered=()
  for p in "${missing[@]}"; do
    case "$p" in
      nginx-light) command -v nginx >/dev/null || filtered+=("$p") ;;
      nodejs|npm) command -v "${p/nodejs/node}" >/dev/null || filtered+=("$p") ;;
      *) filtered+=("$p") ;;
    esac
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: the test peers and the browser bundle, pinned by the lockfile.
if [ -f package-lock.json ]; then
  stamp=node_modules/.sio-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    echo "deps: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
  fi
fi
