//! Browsers with DevTools open, found as an agent's Puppeteer or a person would start
//! them: Debian's Chromium, headless, in a workspace of the sandbox.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use porthole_core::cdp::browsers::{scan, CdpBrowser, Reach};

use crate::support::{kill9, Sandbox};

/// A headless Chromium the test owns; killed with its children when dropped.
struct Browser(Child);

impl Drop for Browser {
    fn drop(&mut self) {
        kill9(self.0.id());
        let _ = self.0.wait();
    }
}

fn chromium(cwd: &Path, args: &[&str]) -> Browser {
    let program = std::env::var("AGENT_BROWSER_EXECUTABLE_PATH")
        .unwrap_or_else(|_| "/usr/bin/chromium".into());
    let child = Command::new(program)
        .current_dir(cwd)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--no-first-run",
            "--disable-gpu",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .args(args)
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Debian's Chromium starts");
    Browser(child)
}

/// Scans until `pid`'s entry satisfies `ready`, for up to 20 s.
fn wait_for(pid: u32, ready: impl Fn(&CdpBrowser) -> bool) -> CdpBrowser {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = None;
    while Instant::now() < deadline {
        last = scan(&HashSet::new())
            .expect("process table")
            .into_iter()
            .find(|b| b.pid == pid);
        if last.as_ref().is_some_and(&ready) {
            return last.expect("checked");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("browser {pid} never showed up as wanted; last seen: {last:?}");
}

/// What `/json/version` answers on `port` (read until the body is whole or 5 s pass).
fn version(port: u16) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the DevTools port accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    write!(
        stream,
        "GET /json/version HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n) = stream.read(&mut chunk) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
        if answer.ends_with(b"}\n") || answer.ends_with(b"}") {
            break;
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn a_browser_on_port_zero_is_found_in_its_workspace_on_the_port_it_chose() {
    let sandbox = Sandbox::new();
    let workspace = sandbox.dir("puppeteer-app");
    let browser = chromium(
        &workspace,
        &["--remote-debugging-port=0", "--user-data-dir=profile"],
    );
    let found = wait_for(browser.0.id(), |b| matches!(b.reach, Reach::Port { .. }));
    assert_eq!(
        found.cwd.as_deref(),
        Some(workspace.as_path()),
        "its workspace is its cwd"
    );
    assert_eq!(found.product, "Chromium");
    let Reach::Port { port, ws_path } = &found.reach else {
        unreachable!()
    };
    assert!(
        ws_path
            .as_deref()
            .is_some_and(|p| p.starts_with("/devtools/browser/")),
        "DevToolsActivePort gives the browser's WebSocket path too: {ws_path:?}"
    );
    assert!(
        version(*port).contains("webSocketDebuggerUrl"),
        "the port read from the profile is the browser's"
    );
    assert!(
        found
            .label()
            .starts_with(&format!("Chromium · port {port} · pid ")),
        "{}",
        found.label()
    );
}

#[test]
fn a_browser_on_a_fixed_port_is_found_on_that_port() {
    let sandbox = Sandbox::new();
    let workspace = sandbox.dir("fixed");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let profile = format!("--user-data-dir={}", sandbox.dir("fixed-profile").display());
    let browser = chromium(
        &workspace,
        &[&format!("--remote-debugging-port={port}"), &profile],
    );
    let found = wait_for(browser.0.id(), |_| true);
    assert_eq!(
        found.reach,
        Reach::Port {
            port,
            ws_path: None
        }
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        version(port).contains("webSocketDebuggerUrl"),
        "the browser answers on its port"
    );
}

#[test]
fn the_chromium_of_an_agent_browser_session_is_not_listed_twice() {
    let mut sandbox = Sandbox::new();
    let workspace = sandbox.dir("agent");
    sandbox.start("owned", &workspace);
    let daemons: HashSet<u32> = sandbox.daemons().into_iter().collect();
    assert!(!daemons.is_empty(), "the session's daemon runs");
    let everything = scan(&HashSet::new()).expect("process table");
    let family: HashSet<u32> = daemons
        .iter()
        .flat_map(|&d| porthole_core::resources::descendants(d))
        .collect();
    assert!(
        everything.iter().any(|b| family.contains(&b.pid)),
        "without the daemons, the session's Chromium looks like any CDP browser: {everything:?}"
    );
    let listed = scan(&daemons).expect("process table");
    assert!(
        !listed.iter().any(|b| family.contains(&b.pid)),
        "with them, it is the session's and not listed again: {listed:?}"
    );
}
