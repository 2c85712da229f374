//! Integration tests against the real agent-browser (the copy pinned in package.json)
//! and Debian's Chromium. Each test works in a sandbox of its own: socket dir, home and
//! workspaces in a temp dir, so tests run in parallel and never see the machine's own
//! sessions.

mod attach;
mod cdp;
mod discovery;
mod stream_control;
mod support;
