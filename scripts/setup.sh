#!/usr/bin/env bash
# Installs everything Porthole needs to build, run and test on Debian 12, as root (or
# with sudo). Idempotent and quick when everything is there: each step checks first.
#   scripts/setup.sh          everything (build, run, test)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Debian packages: WebKitGTK and friends to build and run the app, AppIndicator for the
# tray, Debian's Chromium for agent-browser, Xvfb and the WebKit WebDriver for the
# end-to-end tests (xclip reads back what the app copied), D-Bus so the webview starts
# cleanly under Xvfb. The package test checks the .desktop entry (desktop-file-utils)
# and reads the window's class (x11-utils); build-essential brings dpkg-shlibdeps.
DEB_PACKAGES=(
  build-essential pkg-config curl file libssl-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
  webkit2gtk-driver xvfb xauth xclip dbus dbus-x11 at-spi2-core
  chromium fonts-dejavu-core desktop-file-utils x11-utils
)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# The package test asks apt whether the .deb's dependencies are installable, which
# needs the package lists (container images often ship without them).
if ((${#missing[@]})) || ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  log "reading the Debian package lists"
  $SUDO apt-get update -qq
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# Node and npm: the UI toolchain, the UI and end-to-end test runners, and the pinned
# agent-browser. Installed from package-lock.json; reinstalled only when it changed.
if ! command -v npm >/dev/null; then
  log "installing Node.js and npm"
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
# Vite 7 and happy-dom need Node.js 20 or newer; Debian 12's own nodejs is 18.
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  log "Node.js 20 or newer is needed to build and test the UI; this one is $(node --version)"
  exit 1
fi
# `npm ci`: exactly what the lock says, and a failure rather than a rewritten lock when
# package.json and the lock disagree. The lock lists every platform's optional packages
# (rollup's and the Tauri CLI's), so it serves any machine.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.package-lock.json
fi

# Rust tools: cargo-nextest runs the Rust tests, tauri-driver bridges WebDriver to the app.
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null; then
  log "a Rust toolchain (cargo 1.85 or newer, with clippy and rustfmt) is needed: see https://rustup.rs"
  exit 1
fi
if ! cargo nextest --version >/dev/null 2>&1; then
  log "installing cargo-nextest"
  cargo install cargo-nextest --locked
fi
if ! command -v tauri-driver >/dev/null; then
  log "installing tauri-driver"
  cargo install tauri-driver --locked --version 2.1.0
fi
