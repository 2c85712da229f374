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

/// Runs `cmd` and parses what it prints as JSON, failing with its output when it is not.
pub fn run_json(mut cmd: std::process::Command) -> (std::process::Output, serde_json::Value) {
    let out = cmd.output().expect("run porthole");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "porthole prints JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, json)
}
