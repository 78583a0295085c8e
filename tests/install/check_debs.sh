#!/usr/bin/env bash
# Builds the Debian packages of BUILD_DIR (cpack -G DEB) and checks them:
# the runtime package holds the programs and the chat's files and depends on
# what dpkg-shlibdeps found; the -dev package holds the headers, the library
# and the CMake and pkg-config files. Installing them is scripts/check-deb.sh.
# Usage: check_debs.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB >/dev/null)
shopt -s nullglob
run=("$build"/packages/socketio-cpp_*.deb)
dev=("$build"/packages/socketio-cpp-dev_*.deb)
[ ${#run[@]} -eq 1 ] && [ ${#dev[@]} -eq 1 ] || { ls -l "$build/packages" >&2; echo "check_debs: expected one runtime and one -dev package" >&2; exit 1; }
fail=0
has() {  # has DEB PATH: the package's file list holds PATH
  if ! dpkg-deb -c "$1" | awk '{print $6}' | grep -qx "./$2"; then
    echo "check_debs: $(basename "$1") lacks /$2" >&2
    fail=1
  fi
}
lacks() {  # lacks DEB REGEX: no file of the package matches
  if dpkg-deb -c "$1" | awk '{print $6}' | grep -qE "$2"; then
    echo "check_debs: $(basename "$1") should not hold $2" >&2
    fail=1
  fi
}
field_has() {  # field_has DEB FIELD REGEX
  local v
  v=$(dpkg-deb -f "$1" "$2")
  if ! grep -qE "$3" <<<"$v"; then
    echo "check_debs: $(basename "$1") $2 is '$v', wants $3" >&2
    fail=1
  fi
}
echo "== $(basename "${run[0]}")"; dpkg-deb -f "${run[0]}" Package Version Architecture Depends
for p in sio-chat sio-client-cli socketio-echo socketio-suite-server engineio-echo websocket-echo sio-bench; do
  has "${run[0]}" "usr/bin/$p"
done
has "${run[0]}" usr/share/socketio-cpp/web/index.html
has "${run[0]}" usr/share/socketio-cpp/web/chat.js
has "${run[0]}" usr/share/socketio-cpp/socket.io-client/socket.io.min.js
has "${run[0]}" usr/share/socketio-cpp/socket.io-client/LICENSE
lacks "${run[0]}" '^\./usr/include/|\.a$|\.pc$|\.cmake$|socketio-test-server|_tests$'
# dpkg-shlibdeps: the shared libraries the programs load, with versions.
field_has "${run[0]}" Depends 'libc6 \(>= '
field_has "${run[0]}" Depends 'libstdc\+\+6 \(>= '
field_has "${run[0]}" Depends 'libssl3 \(>= '
field_has "${run[0]}" Depends 'libhiredis0\.14 \(>= '
field_has "${run[0]}" Depends 'libboost-json1\.81\.0'
field_has "${run[0]}" Depends 'libspdlog1'

echo "== $(basename "${dev[0]}")"; dpkg-deb -f "${dev[0]}" Package Version Architecture Depends
for h in server.hpp client.hpp event.hpp ack.hpp payload.hpp redis.hpp version.hpp; do
  has "${dev[0]}" "usr/include/sio/$h"
done
dpkg-deb -c "${dev[0]}" | awk '{print $6}' | grep -qE '^\./usr/lib/(.*/)?libsocketio-cpp\.(a|so)$' ||
  { echo "check_debs: the -dev package has no libsocketio-cpp.a or .so link" >&2; fail=1; }
dpkg-deb -c "${dev[0]}" | awk '{print $6}' | grep -qE '^\./usr/lib/(.*/)?cmake/socketio-cpp/socketio-cppConfig\.cmake$' ||
  { echo "check_debs: the -dev package has no socketio-cppConfig.cmake" >&2; fail=1; }
dpkg-deb -c "${dev[0]}" | awk '{print $6}' | grep -qE '^\./usr/lib/(.*/)?cmake/socketio-cpp/socketio-cppConfigVersion\.cmake$' ||
  { echo "check_debs: the -dev package has no socketio-cppConfigVersion.cmake" >&2; fail=1; }
dpkg-deb -c "${dev[0]}" | awk '{print $6}' | grep -qE '^\./usr/lib/(.*/)?pkgconfig/socketio-cpp\.pc$' ||
  { echo "check_debs: the -dev package has no socketio-cpp.pc" >&2; fail=1; }
lacks "${dev[0]}" '^\./usr/bin/|^\./usr/share/socketio-cpp/'
field_has "${dev[0]}" Depends 'libboost-json1\.81-dev'
field_has "${dev[0]}" Depends 'libhiredis-dev'
[ "$(dpkg-deb -f "${run[0]}" Version)" = "$(dpkg-deb -f "${dev[0]}" Version)" ] ||
  { echo "check_debs: the two packages' versions differ" >&2; fail=1; }
[ $fail -eq 0 ] && echo "check_debs: both packages hold what they should"
exit $fail
