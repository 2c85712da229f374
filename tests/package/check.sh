#!/usr/bin/env bash
# The package test: checks the .deb that `make dist` builds the way a person's machine
# will meet it. It unpacks the package (nothing is installed), then checks
#   - the .desktop entry (desktop-file-validate, category, command, icon, and a
#     StartupWMClass that names the window the unpacked binary opens under Xvfb);
#   - the icons, one per size, each the size its directory says;
#   - the binary: `--version` and `sessions --json` answer;
#   - the declared dependencies: each is a Debian package apt can install, and together
#     they bring every shared library the binary links (as dpkg-shlibdeps computes it).
# Usage: tests/package/check.sh [PATH.deb]   (default: the one `make dist` wrote)
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { printf 'package test: FAIL: %s\n' "$*" >&2; exit 1; }
ok() { printf 'package test: ok: %s\n' "$*"; }

deb="${1:-}"
if [ -z "$deb" ]; then
  shopt -s nullglob
  debs=(target/release/bundle/deb/*.deb)
  ((${#debs[@]} == 1)) || fail "expected one .deb in target/release/bundle/deb (run make dist), found ${#debs[@]}"
  deb="${debs[0]}"
fi
[ -f "$deb" ] || fail "$deb does not exist"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root/pkg"
pkg="$root/pkg"
name=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)
[ "$name" = porthole ] || fail "the package is called '$name', not porthole"
ok "unpacked $name $version"

# --- The binary on PATH -------------------------------------------------------------
bin="$pkg/usr/bin/porthole"
[ -x "$bin" ] || fail "usr/bin/porthole is missing or not executable"
answer=$("$bin" --version) || fail "porthole --version exited non-zero"
[ "$answer" = "porthole $version" ] || fail "porthole --version said '$answer', the package is $version"
ok "--version: $answer"
workspace="$root/workspace"
mkdir -p "$workspace"
json=$(cd "$workspace" && "$bin" sessions --json) || fail "porthole sessions --json exited non-zero"
node -e 'const r = JSON.parse(process.argv[1]); if (!Array.isArray(r.current) || !Array.isArray(r.other)) process.exit(1)' "$json" ||
  fail "porthole sessions --json did not print a report (current and other sessions): $json"
ok "sessions --json answers with a report"

# --- The menu entry -----------------------------------------------------------------
shopt -s nullglob
desktops=("$pkg"/usr/share/applications/*.desktop)
((${#desktops[@]} == 1)) || fail "expected one .desktop file, found ${#desktops[@]}"
desktop="${desktops[0]}"
desktop-file-validate "$desktop" || fail "desktop-file-validate rejected $(basename "$desktop")"
key() { sed -n "s/^$1=//p" "$desktop" | head -n1; }
[[ ";$(key Categories);" == *";Development;"* ]] || fail "Categories is '$(key Categories)', not in Development"
[ "$(key Exec | cut -d' ' -f1)" = porthole ] || fail "Exec is '$(key Exec)': it must run porthole from PATH"
[ "$(key Icon)" = porthole ] || fail "Icon is '$(key Icon)', not the porthole icon the package installs"
wm_class=$(key StartupWMClass)
[ -n "$wm_class" ] || fail "the .desktop entry has no StartupWMClass"
ok "$(basename "$desktop") validates: Development, porthole, StartupWMClass=$wm_class"

# --- The icons ----------------------------------------------------------------------
for size in 16 24 32 48 64 128 256 512; do
  icon="$pkg/usr/share/icons/hicolor/${size}x${size}/apps/porthole.png"
  [ -f "$icon" ] || fail "no ${size}x${size} icon (usr/share/icons/hicolor/${size}x${size}/apps/porthole.png)"
  file -b "$icon" | grep -q "PNG image data, $size x $size," ||
    fail "the ${size}x${size} icon is $(file -b "$icon")"
done
ok "icons: 16 to 512 pixels, each its size"

# --- The window the entry starts ------------------------------------------------------
# A desktop groups a window under its menu entry by WM_CLASS. The unpacked binary is
# started under Xvfb and its main window's class read back.
HOME="$root/home" XDG_CONFIG_HOME="$root/home/.config" XDG_DATA_HOME="$root/home/.local/share" \
  timeout 60 xvfb-run -a dbus-run-session -- bash -c '
    "$1" "$2" >/dev/null 2>&1 &
    app=$!
    for _ in $(seq 1 100); do
      window=$(xwininfo -root -tree | awk "/— Porthole\"/ {print \$1; exit}")
      if [ -n "$window" ]; then xprop -id "$window" WM_CLASS >"$3"; break; fi
      sleep 0.2
    done
    kill "$app" 2>/dev/null; wait "$app" 2>/dev/null || true
  ' _ "$bin" "$workspace" "$root/wm_class" >/dev/null 2>&1 || true
classes=$(sed -n 's/^WM_CLASS(STRING) = //p' "$root/wm_class" 2>/dev/null || true)
[ -n "$classes" ] || fail "the unpacked binary opened no Porthole window under Xvfb within 20 s"
[[ "$classes" == *"\"$wm_class\""* ]] || fail "StartupWMClass=$wm_class does not match the window's $classes"
ok "the window's $classes matches StartupWMClass"

# --- What it depends on -------------------------------------------------------------
depends=$(dpkg-deb -f "$deb" Depends)
declared=()
IFS=',' read -ra parts <<<"$depends"
for part in "${parts[@]}"; do
  p=$(sed -E 's/^ *([^ (]+).*/\1/' <<<"$part")
  [ -n "$p" ] && declared+=("$p")
done
((${#declared[@]})) || fail "the package declares no dependencies"
for p in "${declared[@]}"; do
  candidate=$(apt-cache policy "$p" | sed -n 's/^ *Candidate: //p')
  [ -n "$candidate" ] && [ "$candidate" != "(none)" ] || fail "Depends names $p, which apt cannot install here"
  case "$p" in *-dev | build-essential | pkg-config | gcc* | cargo | rustc) fail "Depends names $p, a build-only package" ;; esac
done
ok "Depends: ${declared[*]}: each installable"

# Every library the binary links must come with the declared packages.
mkdir -p "$root/shlibs/debian"
printf 'Source: porthole\n\nPackage: porthole\nArchitecture: any\n' >"$root/shlibs/debian/control"
needed=$(cd "$root/shlibs" && dpkg-shlibdeps -O "$bin" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$needed" ] || fail "dpkg-shlibdeps found no libraries for the binary"
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${declared[@]}" 2>/dev/null | sed -nE 's/^([^ <][^ ]*)$/\1/p; s/^ +(Pre)?Depends: ([^<>]+)$/\2/p' | sort -u)
IFS=',' read -ra libs <<<"$needed"
for lib in "${libs[@]}"; do
  p=$(sed -E 's/^ *([^ (|]+).*/\1/' <<<"$lib")
  grep -qxF "$p" <<<"$closure" || fail "the binary links a library from $p, which the declared Depends do not bring"
done
ok "the declared Depends bring every linked library (${#libs[@]} packages)"

echo "package test: $deb passes"
