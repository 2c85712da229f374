//! The headless subcommands (`porthole sessions`, `watch`, `open`), run as the built
//! binary against the real agent-browser (the copy pinned in package.json) and Debian's
//! Chromium, each test in a sandbox of its own.

#[path = "../integration/support.rs"]
mod support;

mod cdp;
mod open;
mod sessions;
mod watch;

/// `porthole ARGS` in the sandbox's environment.
pub fn porthole(sb: &support::Sandbox, args: &[&str]) -> std::process::Command {
    let mut cmd = sb.env_command(env!("CARGO_BIN_EXE_porthole"));
    cmd.args(args);
    cmd
}
