#!/usr/bin/env bash
# Runs the end-to-end tests: the built app in its real webview, under a virtual display
# (Xvfb) and a private D-Bus session, driven by tauri-driver + WebKitWebDriver.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
exec xvfb-run -a -s "-screen 0 1600x1000x24" \
  dbus-run-session -- npx vitest run --config tests/e2e/vitest.config.ts "$@"
