#!/usr/bin/env bash
# Unpacks Debian 12's own Node.js (packages nodejs and libnode108 of the newest
# 18.x that apt knows, downloaded, not installed) into .deps/node18/ and prints
# the path of its `node`: .deps/node18/bin/node, a wrapper that finds libnode.
# The test command runs the browser tests with it as well as with the node on
# PATH, so Debian's Node 18 is proven on every run. Its shared libraries and
# the modules it loads from /usr/share/nodejs are installed by scripts/deps.sh.
# Usage: scripts/debian-node.sh        (idempotent; quick when present)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.deps/node18
wrapper=$dir/bin/node

if [ -x "$wrapper" ] && "$wrapper" -e 0 2>/dev/null; then
  echo "$PWD/$wrapper"
  exit 0
fi

# apt-cache madison lists the newest first; take the newest 18.x (Debian's,
# whatever other repositories offer for nodejs).
version=$(apt-cache madison nodejs | awk -F' [|] ' '$2 ~ /^18\./ { gsub(/ /, "", $2); print $2; exit }')
if [ -z "$version" ]; then
  echo "debian-node: apt knows no nodejs 18.x (is Debian 12's main repository in the apt sources?)" >&2
  exit 1
fi
rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/bin"
(cd "$dir/debs" && apt-get download -qq "nodejs=$version" "libnode108=$version" 2>&1 | grep -v 'unsandboxed' || true)
for deb in "$dir"/debs/*.deb; do dpkg -x "$deb" "$dir/root"; done
cat >"$wrapper" <<EOF
#!/bin/sh
# Debian's nodejs $version, unpacked by scripts/debian-node.sh.
LD_LIBRARY_PATH="$PWD/$dir/root/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$PWD/$dir/root/usr/bin/node" "\$@"
EOF
chmod 755 "$wrapper"
if ! "$wrapper" -e 0; then
  echo "debian-node: Debian's node $version does not run (scripts/deps.sh test installs its libraries)" >&2
  exit 1
fi
echo "$PWD/$wrapper"
