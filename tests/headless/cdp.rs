//! `porthole sessions` and `porthole watch` on a browser with DevTools open, as Puppeteer
//! starts one: Debian's Chromium on port 0 in the workspace.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::porthole;
use crate::support::{chromium_on, page, Sandbox};

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "porthole prints JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn a_devtools_browser_is_listed_with_its_kind_port_and_pid_and_watched_like_a_stream() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("puppeteer");
    sb.start("agent", &ws);
    let browser = chromium_on(
        &ws,
        &["--remote-debugging-port=0", "--user-data-dir=profile"],
        &page("bench/index.html"),
    );
    let pid = browser.0.id();
    let ws_arg = ws.to_str().expect("utf-8");
    let deadline = Instant::now() + Duration::from_secs(20);
    let (listed, cdp) = loop {
        let out = porthole(&sb, &["sessions", "--workspace", ws_arg, "--json"])
            .output()
            .expect("run porthole");
        assert!(out.status.success(), "sessions succeeds");
        let json = json_of(&out);
        let cdp = json["current"]
            .as_array()
            .and_then(|c| c.iter().find(|s| s["pid"] == pid && s["cdpPort"].is_u64()))
            .cloned();
        if let Some(cdp) = cdp {
            break (json, cdp);
        }
        assert!(
            Instant::now() < deadline,
            "the browser is listed in its workspace: {json}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(cdp["kind"], "cdp", "{cdp}");
    assert_eq!(cdp["status"], "attachable", "{cdp}");
    let agent = listed["current"]
        .as_array()
        .and_then(|c| c.iter().find(|s| s["name"] == "agent"))
        .expect("the agent-browser session is listed too");
    assert_eq!(agent["kind"], "agent-browser");
    let owned = porthole_core::resources::descendants(sb.daemons()[0]);
    assert!(
        !listed["current"]
            .as_array()
            .is_some_and(|c| c.iter().any(|s| s["kind"] == "cdp"
                && s["pid"]
                    .as_u64()
                    .is_some_and(|p| owned.contains(&(p as u32))))),
        "the session's own Chromium is not listed a second time: {listed}"
    );

    let port = cdp["cdpPort"].as_u64().expect("a port").to_string();
    let out = porthole(
        &sb,
        &[
            "watch",
            "--workspace",
            ws_arg,
            "--session",
            &port,
            "--frames",
            "10",
            "--json",
        ],
    )
    .output()
    .expect("run watch");
    let json = json_of(&out);
    assert!(
        out.status.success(),
        "watch succeeds on a DevTools browser: {json}"
    );
    assert_eq!(json["session"], cdp["name"]);
    assert_eq!(json["streamEnabled"], false, "no stream was turned on");
    assert!(json["frames"].as_u64().is_some_and(|n| n >= 10), "{json}");
    assert!(json["latencyMs"]["p50"].as_f64().is_some(), "{json}");

    let out = porthole(
        &sb,
        &[
            "sessions",
            "--workspace",
            ws_arg,
            "--ensure",
            &port,
            "--json",
        ],
    )
    .output()
    .expect("run porthole");
    let json = json_of(&out);
    assert!(out.status.success(), "{json}");
    assert!(
        json["note"]
            .as_str()
            .is_some_and(|n| n.contains("needs no stream")),
        "--ensure explains that a DevTools browser needs no stream: {json}"
    );
}

#[test]
fn connect_refuses_an_address_off_this_machine_before_any_window() {
    let sb = Sandbox::new();
    let out = porthole(&sb, &["connect", "10.0.0.5:9222"])
        .output()
        .expect("run porthole");
    assert_eq!(out.status.code(), Some(2), "a refused address exits 2");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not on this machine") && stderr.contains("no password"),
        "the reason is given: {stderr}"
    );
}
