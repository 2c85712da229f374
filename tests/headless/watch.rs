//! `porthole watch`: the stream client and frame pump without a window, run as a
//! person runs it.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::porthole;
use crate::support::{find, Sandbox};

fn watch(sb: &Sandbox, args: &[&str]) -> std::process::Command {
    let mut cmd = porthole(sb, &["watch"]);
    cmd.args(args);
    cmd
}

#[test]
fn watch_turns_a_stream_on_and_reports_frames() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("watched", &ws);
    assert!(sb.agent("watched", &["stream", "disable"]).status.success());
    let ws_arg = ws.to_str().expect("utf-8");
    let out = watch(&sb, &["--workspace", ws_arg, "--frames", "10", "--json"])
        .output()
        .expect("run watch");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    assert!(out.status.success(), "watch succeeds: {json}");
    assert_eq!(
        json["session"], "watched",
        "the session the window would attach"
    );
    assert_eq!(
        json["streamEnabled"], true,
        "the stream was off and was turned on"
    );
    assert!(json["frames"].as_u64().is_some_and(|n| n >= 10), "{json}");
    assert!(json["fps"].as_f64().is_some_and(|f| f > 0.0), "{json}");
    assert!(json["firstFrameMs"].as_f64().is_some(), "{json}");
    for p in ["p50", "p90", "p99"] {
        assert!(
            json["latencyMs"][p].as_f64().is_some(),
            "latency {p}: {json}"
        );
    }
    assert!(json["bytes"].as_u64().is_some_and(|b| b > 10_000), "{json}");
}

#[test]
fn watch_ends_with_a_clear_error_when_the_daemon_dies() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("doomed", &ws);
    let pid = find(&sb.report(&ws), "doomed").pid.expect("pid");
    let ws_arg = ws.to_str().expect("utf-8");
    let child = watch(
        &sb,
        &[
            "--workspace",
            ws_arg,
            "--session",
            "doomed",
            "--seconds",
            "60",
            "--json",
        ],
    )
    .stdout(Stdio::piped())
    .spawn()
    .expect("run watch");
    std::thread::sleep(Duration::from_secs(3));
    let killed = Instant::now();
    crate::support::kill9(pid);
    let out = child.wait_with_output().expect("watch exits");
    assert!(
        killed.elapsed() < Duration::from_secs(10),
        "watch ends soon after the daemon, not when its 60 s are up"
    );
    assert_eq!(out.status.code(), Some(1), "with a failure exit code");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON error");
    assert_eq!(json["code"], "session_ended", "{json}");
    assert!(
        json["message"]
            .as_str()
            .is_some_and(|m| m.contains("not running")),
        "{json}"
    );
}
