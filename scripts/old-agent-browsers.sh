#!/usr/bin/env bash
# Fetches the agent-browser releases the integration tests start older daemons with, as
# an agent that has not upgraded would: 0.22.2 (no runtime `stream` commands) and 0.22.3
# (the first with them; its sessions start with streaming off). Each release's native
# Linux binary is unpacked from the npm registry's tarball (integrity-checked by npm)
# into target/agent-browser-releases/VERSION/. Idempotent; nothing is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=target/agent-browser-releases
for version in 0.22.2 0.22.3; do
  bin="$DEST/$version/agent-browser-linux-x64"
  [ -x "$bin" ] && continue
  echo "old-agent-browsers: fetching agent-browser $version" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "agent-browser@$version" >/dev/null)
  mkdir -p "$DEST/$version"
  tar -xzf "$tmp"/agent-browser-"$version".tgz -C "$tmp" package/bin/agent-browser-linux-x64
  install -m 755 "$tmp/package/bin/agent-browser-linux-x64" "$bin"
  rm -rf "$tmp"
done
