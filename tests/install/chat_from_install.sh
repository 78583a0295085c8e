#!/usr/bin/env bash
# Starts an installed sio-chat on a free port and checks that it serves the
# page and the client bundle from the installed files (DATA_DIR, e.g.
# <prefix>/share/socketio-cpp), not from a checkout: its log names them, and
# what it serves over 127.0.0.1 is byte for byte those files.
# Usage: chat_from_install.sh SIO_CHAT DATA_DIR
set -euo pipefail
chat=$1 data=$(cd "$2" && pwd -P)
out=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$out"' EXIT
mkfifo "$out/ready"
"$chat" --port 0 >"$out/ready" 2>"$out/log" &
pid=$!
exec 3<"$out/ready"
if ! read -r -t 60 line <&3; then
  echo "chat_from_install: $chat did not start:" >&2
  cat "$out/log" >&2
  exit 1
fi
url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' <<<"$line")
echo "$line"
cat "$out/log"
fail=0
grep -qF " [info] page: $data/web" "$out/log" ||
  { echo "chat_from_install: the page is not the installed one ($data/web)" >&2; fail=1; }
grep -qF " [info] client bundle: $data/socket.io-client/socket.io.min.js" "$out/log" ||
  { echo "chat_from_install: the bundle is not the installed one" >&2; fail=1; }
curl -fsS --max-time 30 -o "$out/index.html" "$url/"
curl -fsS --max-time 30 -o "$out/bundle.js" "$url/socket.io-client.js"
cmp "$out/index.html" "$data/web/index.html" || fail=1
cmp "$out/bundle.js" "$data/socket.io-client/socket.io.min.js" || fail=1
[ $fail -eq 0 ] && echo "chat_from_install: $url served the installed page and bundle"
exit $fail
