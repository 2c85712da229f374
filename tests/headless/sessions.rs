//! The `porthole sessions` command line, run as a person would run it.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support::Sandbox;
use crate::{porthole, run_json};

fn porthole_json(sb: &Sandbox, args: &[&str]) -> (Output, Value) {
    run_json(porthole(sb, args))
}

/// `porthole sessions --workspace WS --ensure NAME --json`.
fn ensure(sb: &Sandbox, ws: &Path, name: &str) -> (Output, Value) {
    porthole_json(
        sb,
        &["sessions", "--workspace", s(ws), "--ensure", name, "--json"],
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn sessions_json_has_the_documented_shape() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("shown", &ws);
    let (out, json) = porthole_json(&sb, &["sessions", "--workspace", s(&ws), "--json"]);
    assert!(out.status.success());
    assert_eq!(json["workspace"], s(&ws));
    assert!(json["other"].as_array().is_some_and(|o| o.is_empty()));
    let session = &json["current"][0];
    for key in [
        "name",
        "namespace",
        "pid",
        "cwd",
        "status",
        "streamPort",
        "version",
    ] {
        assert!(
            session.get(key).is_some(),
            "{key} is in every session: {session}"
        );
    }
    assert_eq!(session["name"], "shown");
    assert_eq!(session["status"], "attachable");
    assert_eq!(session["cwd"], s(&ws));
    assert!(session["streamPort"].as_u64().is_some());
}

#[test]
fn ensure_turns_streaming_on_or_says_precisely_why_not() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("off", &ws);
    assert!(sb.agent("off", &["stream", "disable"]).status.success());
    let daemons = sb.daemons();

    let (out, json) = ensure(&sb, &ws, "off");
    assert!(out.status.success(), "ensure succeeds: {json}");
    assert_eq!(json["name"], "off");
    assert_eq!(json["status"], "attachable");
    assert_eq!(json["enabledNow"], true);
    assert!(
        json["streamPort"].as_u64().is_some(),
        "prints the port: {json}"
    );

    let (out, json) = ensure(&sb, &ws, "nobody");
    assert_eq!(out.status.code(), Some(1), "a failed ensure exits non-zero");
    assert_eq!(json["code"], "session_not_found");
    assert_eq!(json["retryable"], false);
    assert!(json["message"]
        .as_str()
        .is_some_and(|m| m.contains("nobody")));
    assert_eq!(
        sb.daemons(),
        daemons,
        "no daemon started for a name that does not run"
    );
}

#[test]
fn ensure_on_a_killed_session_says_it_is_gone_and_starts_nothing() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("crashed", &ws);
    let pid = sb.daemons().first().copied().expect("the daemon runs");
    crate::support::kill9(pid);
    let (out, json) = ensure(&sb, &ws, "crashed");
    assert_eq!(out.status.code(), Some(1), "a failed ensure exits non-zero");
    assert_eq!(json["code"], "session_gone", "{json}");
    assert_eq!(json["retryable"], false, "a dead daemon does not come back");
    assert!(
        json["message"]
            .as_str()
            .is_some_and(|m| m.contains("crashed") && m.contains("not running")),
        "the message names the session and why: {json}"
    );
    assert!(
        sb.daemons().is_empty(),
        "looking at a dead session never starts a daemon for it"
    );
}

#[test]
fn version_is_printed_without_a_window() {
    let sb = Sandbox::new();
    let out = porthole(&sb, &["--version"])
        .output()
        .expect("run porthole");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("porthole {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn without_a_display_the_window_says_so_in_one_line() {
    let sb = Sandbox::new();
    let ws = sb.path();
    let mut no_display = porthole(&sb, &[s(&ws)]);
    no_display
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    let out = no_display.output().expect("run porthole");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.contains("no display") && stderr.contains("xvfb-run"),
        "says what is wrong and what to do: {stderr}"
    );

    // A display that is named but not there: X display numbers this high are unused.
    let display = (90..200)
        .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
        .expect("a free display number");
    let mut gone = porthole(&sb, &[s(&ws)]);
    gone.env_remove("WAYLAND_DISPLAY")
        .env("DISPLAY", format!(":{display}"));
    let out = gone.output().expect("run porthole");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot be opened") && stderr.contains("xvfb-run"),
        "a display that cannot be opened is said plainly, not a panic: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
