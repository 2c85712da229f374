#!/usr/bin/env bash
# Starts Porthole. With a directory: on that workspace. Without one: on a demo workspace,
# where this script first plays the agent and opens the project's demo page in an
# agent-browser session (Porthole itself never starts a session).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN="$ROOT/target/debug/porthole"
AB="$ROOT/node_modules/.bin/agent-browser"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "porthole: no display found (DISPLAY and WAYLAND_DISPLAY are unset); run it on a virtual one: xvfb-run -a make run" >&2
  exit 2
fi

if [ $# -gt 0 ]; then
  exec "$BIN" "$@"
fi

DEMO="${XDG_CACHE_HOME:-$HOME/.cache}/porthole/demo-workspace"
mkdir -p "$DEMO/site"
cp "$ROOT"/tests/pages/demo/* "$DEMO/site/"
echo "run: demo workspace $DEMO; opening the demo page in agent-browser session porthole-demo" >&2
(cd "$DEMO" && "$AB" --session porthole-demo open "file://$DEMO/site/index.html" >/dev/null)
# A Porthole already running takes the demo over and this one exits at once: the demo
# session must then outlive this script (agent-browser's idle timeout ends it).
if pgrep -x porthole >/dev/null 2>&1; then
  exec "$BIN" "$DEMO"
fi
# Otherwise the demo session is ours, so it goes when Porthole closes, or when this
# script is interrupted or killed.
close_demo() { (cd "$DEMO" && "$AB" --session porthole-demo close >/dev/null 2>&1 || true); }
trap close_demo EXIT
trap 'close_demo; exit 130' INT TERM HUP
"$BIN" "$DEMO"
