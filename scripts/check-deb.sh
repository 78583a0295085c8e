#!/usr/bin/env bash
# Installs the Debian packages as a user would (apt-get install ./x.deb, as
# root), starts the installed /usr/bin/sio-chat on a free port, fetches the
# page and the client bundle over 127.0.0.1 and checks they are the installed
# files (/usr/share/socketio-cpp), builds the example server and client
# against the installed -dev package (find_package, no CMAKE_PREFIX_PATH),
# then removes both packages. Not part of ctest: it changes the system.
# Usage (root): scripts/check-deb.sh [BUILD_DIR]   (default build/; the
# packages are made there with cpack -G DEB first)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=$(cd "${1:-build}" && pwd)
[ "$(id -u)" = 0 ] || { echo "check-deb: run as root (it installs packages)" >&2; exit 2; }
if dpkg-query -W -f='${Status}' socketio-cpp 2>/dev/null | grep -q "install ok installed"; then
  echo "check-deb: socketio-cpp is already installed; remove it first (apt-get remove socketio-cpp socketio-cpp-dev)" >&2
  exit 2
fi
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB >/dev/null)
run=$(ls "$build"/packages/socketio-cpp_*.deb)
dev=$(ls "$build"/packages/socketio-cpp-dev_*.deb)
work=$(mktemp -d)
# Copied out of the build tree, so nothing the packages find can come from it.
cp "$run" "$dev" "$work/"
trap 'cd /; DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq socketio-cpp socketio-cpp-dev >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cd "$work"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "./$(basename "$run")" "./$(basename "$dev")" >/dev/null
echo "check-deb: installed $(dpkg-query -W -f='${Package} ${Version}, ' socketio-cpp socketio-cpp-dev)"
command -v sio-chat
"$src/tests/install/chat_from_install.sh" /usr/bin/sio-chat /usr/share/socketio-cpp
# The -dev package: the examples build with find_package from /usr, and run.
cmake -S "$src/examples" -B "$work/examples" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/examples" >/dev/null
"$src/tests/install/run_pair.sh" "$work/examples/server/example-server" "$work/examples/client/example-client"
cd /
apt-get remove -y -qq socketio-cpp socketio-cpp-dev >/dev/null
if [ -e /usr/bin/sio-chat ] || [ -e /usr/share/socketio-cpp ] || [ -e /usr/include/sio ]; then
  echo "check-deb: files left after apt-get remove" >&2
  exit 1
fi
echo "check-deb: installed, served the chat from the installed files, built the examples, removed"
