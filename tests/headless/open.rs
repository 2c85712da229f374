//! `porthole open`: the browser the agent will use, started by a person, as the built
//! binary with the real agent-browser and Chromium.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::{chromium_program, cli_path, page, Sandbox};
use crate::{porthole, run_json};

/// `porthole open ARGS --json` in `ws`, with the sandbox's agent-browser environment.
fn open(sb: &Sandbox, ws: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> (Output, Value) {
    let mut cmd = porthole(sb, &["open", "--json"]);
    cmd.args(args)
        .current_dir(ws)
        .env_remove("AGENT_BROWSER_SESSION")
        .env("AGENT_BROWSER_EXECUTABLE_PATH", chromium_program())
        .env(
            "AGENT_BROWSER_ARGS",
            "--disable-background-networking,--disable-component-update,--disable-sync",
        )
        .envs(extra_env.iter().copied());
    run_json(cmd)
}

/// The agent's CLI, run in the workspace with no `--session`, as an agent runs it.
fn agent(sb: &Sandbox, ws: &Path, args: &[&str]) -> Output {
    let mut cmd: Command = sb.env_command(cli_path());
    cmd.current_dir(ws)
        .env_remove("AGENT_BROWSER_SESSION")
        .args(args)
        .output()
        .expect("run agent-browser")
}

#[test]
fn the_agent_carries_on_in_the_browser_a_person_opened() {
    let sb = Sandbox::new();
    let ws = sb.dir("shop");
    let url = page("demo/about.html");
    let (out, session) = open(&sb, &ws, &[&url], &[]);
    assert!(
        out.status.success(),
        "porthole open exits 0 once the session is live: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        session["name"], "default",
        "with no name, the one the agent's CLI uses by default"
    );
    assert_eq!(
        session["status"], "attachable",
        "printed live, in the shape of `sessions --json`"
    );
    assert_eq!(
        session["cwd"],
        ws.to_str().expect("utf-8"),
        "its daemon runs in the workspace"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("agent-browser 0.41.2"),
        "it says which agent-browser started it: {stderr}"
    );

    let answer = agent(&sb, &ws, &["get", "url"]);
    let said = String::from_utf8_lossy(&answer.stdout);
    assert!(
        answer.status.success(),
        "the agent's CLI reaches the browser: {said}"
    );
    assert_eq!(
        said.trim(),
        url,
        "the agent's next command sees the page the person opened"
    );
    assert_eq!(
        sb.daemons().len(),
        1,
        "one daemon: the agent used the person's browser"
    );
}

#[test]
fn a_name_already_live_is_reported_not_started_again() {
    let sb = Sandbox::new();
    let ws = sb.dir("ws");
    let (first, one) = open(&sb, &ws, &["--session", "login"], &[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let daemons = sb.daemons();
    assert_eq!(daemons.len(), 1);
    let (again, two) = open(&sb, &ws, &["--session", "login", "about:blank"], &[]);
    assert!(again.status.success(), "a live name is not an error");
    assert_eq!(two["pid"], one["pid"], "the live session is reported");
    assert_eq!(sb.daemons(), daemons, "no second daemon was started");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already live"));
}

#[test]
fn where_memory_is_short_nothing_starts_and_the_reason_is_given() {
    let sb = Sandbox::new();
    let ws = sb.dir("ws");
    let (out, error) = open(&sb, &ws, &[], &[("PORTHOLE_MIN_FREE_MB", "100000000")]);
    assert!(!out.status.success(), "a refusal exits non-zero");
    assert_eq!(error["code"], "not_enough_memory");
    let message = error["message"].as_str().unwrap_or_default();
    for part in [
        "MB is available",
        "about 100000000 MB",
        "agent-browser session",
    ] {
        assert!(
            message.contains(part),
            "the refusal says {part:?}: {message}"
        );
    }
    assert!(sb.daemons().is_empty(), "no daemon was started");
    assert!(
        std::fs::read_dir(&sb.sockets)
            .map(|d| d.count())
            .unwrap_or(0)
            == 0,
        "no session files were written"
    );

    let (forced, session) = open(
        &sb,
        &ws,
        &["--force"],
        &[("PORTHOLE_MIN_FREE_MB", "100000000")],
    );
    assert!(
        forced.status.success(),
        "--force starts anyway: {}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert_eq!(session["status"], "attachable");
}
