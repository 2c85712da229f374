# Porthole: `make run` to use it, `make test` to test it. Both install what is missing
# first (scripts/setup.sh) and rebuild only what changed.
SHELL := /bin/bash
.DEFAULT_GOAL := run
export PATH := $(HOME)/.cargo/bin:$(PATH)

# agent-browser drives Debian's Chromium, never a downloaded one; on closed networks
# Chromium must not try to phone home.
export AGENT_BROWSER_EXECUTABLE_PATH ?= /usr/bin/chromium
export AGENT_BROWSER_ARGS ?= --disable-background-networking,--disable-component-update,--disable-sync

BIN := target/debug/porthole
UI_SOURCES := $(shell find ui/src ui/public -type f -not -name '*.test.ts' 2>/dev/null) ui/index.html ui/vite.config.ts
WORKSPACE ?=

.PHONY: setup ui app run dist test check test-rust test-ui test-e2e test-package bindings lockfile screenshot bench soak clean

setup:
	@scripts/setup.sh

ui: ui/dist/index.html
ui/dist/index.html: $(UI_SOURCES) package-lock.json
	npm run --silent build:ui

app: ui
	cargo build --locked --all-targets

## Opens Porthole: on WORKSPACE=DIR, or on a demo workspace with a live agent-browser session.
run: setup app
	@scripts/run.sh $(WORKSPACE)

## The release build, packaged as a .deb by Tauri's bundler, in target/release/bundle/deb/.
## The bundler runs from src-tauri (it wants the app's crate beside its configuration;
## src-tauri/tauri.conf.json links to the one at the root).
dist: setup ui
	rm -rf target/release/bundle/deb
	TAURI_APP_PATH=src-tauri npx tauri build --ci --bundles deb -- --locked

## Every check and every test: formatting, lints, types, Rust, UI, end to end.
test: setup ui
	$(MAKE) --no-print-directory lockfile
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory test-rust
	$(MAKE) --no-print-directory bindings
	$(MAKE) --no-print-directory test-ui
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory test-package

check: ui
	cargo fmt --all --check
	cargo clippy --locked --all-targets -- -D warnings
	npm run --silent typecheck

test-rust: ui
	scripts/old-agent-browsers.sh
	cargo nextest run --locked --no-fail-fast

## Setup installs the npm packages from the lock and must leave it as committed.
lockfile:
	@if [ -n "$$(git status --porcelain -- package-lock.json 2>/dev/null)" ]; then \
	  git --no-pager diff --stat -- package-lock.json; \
	  echo "package-lock.json changed while installing: commit the lock npm wrote"; exit 1; \
	fi

## The TypeScript bindings are written by the Rust tests; they must match what is committed.
bindings:
	@if [ -n "$$(git status --porcelain -- ui/src/generated)" ]; then \
	  git status --short -- ui/src/generated; \
	  echo "ui/src/generated is out of date: commit what \`cargo test\` wrote"; exit 1; \
	fi

test-ui:
	npm run --silent test:ui

test-e2e: app
	scripts/e2e.sh

## Unpacks and checks the .deb `make dist` builds (tests/package/check.sh).
test-package: dist
	tests/package/check.sh

## Regenerates docs/screenshot.png from the real app under Xvfb.
screenshot: app
	PORTHOLE_SCREENSHOT=docs/screenshot.png scripts/e2e.sh

## Measures Porthole beside agent-browser's dashboard and a raw client on a real session, and
## writes the figures into docs/BENCHMARKS.md (and the plot, docs/bench.svg). The input
## measurement drives the app through tauri-driver, on a display of its own.
bench: setup app
	cargo build --locked --release --bin porthole
	xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
	  npx vite-node tests/bench/run.ts -- $(BENCH_ARGS)

## Keeps the real window open on a live session for SOAK_MINUTES (default 30), then hidden
## in the tray and detached, and fails if memory grows; writes the curves and figures into
## docs/BENCHMARKS.md. Not part of `make test`: it runs for over an hour.
SOAK_BUILDS ?= release debug
soak: setup app
	cargo build --locked --release --bin porthole
	@for build in $(SOAK_BUILDS); do \
	  xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
	    npx vite-node tests/soak/run.ts -- --build $$build || exit 1; \
	done

clean:
	cargo clean
	rm -rf ui/dist
