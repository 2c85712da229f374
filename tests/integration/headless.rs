//! The `porthole sessions` command line, run as a person would run it.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support::Sandbox;

fn porthole(sb: &Sandbox, args: &[&str]) -> (Output, Value) {
    let out = sb.porthole(args).output().expect("run porthole");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "porthole {args:?} prints JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, json)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn sessions_json_has_the_documented_shape() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("shown", &ws);
    let (out, json) = porthole(&sb, &["sessions", "--workspace", s(&ws), "--json"]);
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

    let (out, json) = porthole(
        &sb,
        &[
            "sessions",
            "--workspace",
            s(&ws),
            "--ensure",
            "off",
            "--json",
        ],
    );
    assert!(out.status.success(), "ensure succeeds: {json}");
    assert_eq!(json["name"], "off");
    assert_eq!(json["status"], "attachable");
    assert_eq!(json["enabledNow"], true);
    assert!(
        json["streamPort"].as_u64().is_some(),
        "prints the port: {json}"
    );

    let (out, json) = porthole(
        &sb,
        &[
            "sessions",
            "--workspace",
            s(&ws),
            "--ensure",
            "nobody",
            "--json",
        ],
    );
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
