#!/usr/bin/env bash
# The README's first command: installs what is missing (Debian packages, and the
# npm packages that include the socket.io-client browser bundle the page loads),
# builds, and starts the chat, build/bin/sio-chat, with any arguments passed
# through (e.g. scripts/start.sh --port 8080; scripts/start.sh --help).
# Idempotent; when everything is installed and built it only checks and starts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
scripts/build.sh --app sio-chat
exec build/bin/sio-chat "$@"
