//! Browsers with DevTools open, found as an agent's Puppeteer or a person would start
//! them: Debian's Chromium, headless, in a workspace of the sandbox.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use porthole_core::cdp::browsers::{scan, CdpBrowser, Reach};
use porthole_core::cdp::connection::{browser_ws_url, Connection};
use porthole_core::control::navigation::{NavAction, NavError};
use porthole_core::discovery::{Report, Session, SessionKind, SessionStatus};
use porthole_core::stream::attachment::{
    AckMode, AttachOptions, AttachState, Attachment, FrameSize, PageInfo,
};
use porthole_core::stream::protocol::{
    Input, KeyEventType, KeyInput, MouseButton, MouseEventType, MouseInput,
};

use crate::support::{chromium, chromium_on, page, Browser, Sandbox};

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
fn the_chromium_of_an_agent_browser_session_is_not_listed_twice_even_orphaned() {
    let mut sandbox = Sandbox::new();
    let workspace = sandbox.dir("agent");
    sandbox.start("owned", &workspace);
    let daemons: HashSet<u32> = sandbox.daemons().into_iter().collect();
    assert!(!daemons.is_empty(), "the session's daemon runs");
    let family: HashSet<u32> = daemons
        .iter()
        .flat_map(|&d| porthole_core::resources::descendants(d))
        .collect();
    assert!(!family.is_empty(), "the daemon's Chromium runs under it");
    for known in [daemons.clone(), HashSet::new()] {
        let listed = scan(&known).expect("process table");
        assert!(
            !listed.iter().any(|b| family.contains(&b.pid)),
            "the session's Chromium is the session's, by ancestry or by the environment it \
             inherited (daemons known: {known:?}): {listed:?}"
        );
    }
    // The daemon killed alone: its Chromium may linger an instant as an orphan, which
    // must not be attached in the session's place.
    for &daemon in &daemons {
        crate::support::kill9(daemon);
    }
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        let listed = scan(&HashSet::new()).expect("process table");
        assert!(
            !listed.iter().any(|b| family.contains(&b.pid)),
            "an orphaned session Chromium is not a DevTools browser: {listed:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Discovery as the app runs it (browsers included), over the sandbox's socket dir.
fn discover(sandbox: &Sandbox, workspace: &Path) -> Report {
    let mut discovery = sandbox.discovery().with_browsers().expect("process table");
    Report::for_workspace(workspace, discovery.scan())
}

/// The CDP session of browser `pid` in `workspace`'s report, once it has a port.
fn cdp_session(sandbox: &Sandbox, workspace: &Path, pid: u32) -> Session {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let report = discover(sandbox, workspace);
        if let Some(s) = report
            .current
            .iter()
            .find(|s| s.pid == Some(pid) && s.status == SessionStatus::Attachable)
        {
            return s.clone();
        }
        assert!(
            Instant::now() < deadline,
            "browser {pid} never listed in its workspace as attachable: {report:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Attaches a DevTools browser's session as `porthole watch` does (acking on receipt,
/// no CLI needed) and waits until it is Live, saying `what` if it never is.
async fn attach_live(sandbox: &Sandbox, session: Session, what: &str) -> Attachment {
    let attachment = Attachment::start(
        session,
        sandbox.discovery(),
        Err(porthole_core::agent_browser::cli::CliError::NotFound { searched: vec![] }),
        AttachOptions {
            ack: AckMode::OnReceive,
            ..AttachOptions::default()
        },
    );
    wait_state(&attachment, |s| matches!(s, AttachState::Live { .. }), what).await;
    attachment
}

async fn wait_state(attachment: &Attachment, want: impl Fn(&AttachState) -> bool, what: &str) {
    let mut state = attachment.state();
    let reached = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            if want(&state.borrow_and_update()) {
                return;
            }
            if state.changed().await.is_err() {
                return;
            }
        }
    })
    .await;
    assert!(
        reached.is_ok() && want(&attachment.state().borrow()),
        "{what}; the attachment is {:?}",
        *attachment.state().borrow()
    );
}

async fn wait_frames(attachment: &Attachment, more_than: u64, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while attachment.stats().frames <= more_than {
        assert!(
            Instant::now() < deadline,
            "{what}: {} frames after 20 s",
            attachment.stats().frames
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The pixel size of the newest frame.
fn frame_pixels(attachment: &Attachment) -> (usize, usize) {
    let frame = attachment.frames().borrow().clone().expect("a frame");
    let jpeg = frame.jpeg().expect("base64");
    let mut decoder = zune_jpeg::JpegDecoder::new(&jpeg);
    decoder.decode_headers().expect("a JPEG");
    decoder.dimensions().expect("dimensions")
}

/// Evaluates `expression` in the browser's first page, over a connection of the test's
/// own.
async fn eval(port: u16, expression: &str) -> serde_json::Value {
    use chromiumoxide_cdp::cdp::browser_protocol::target::{
        AttachToTargetParams, GetTargetsParams,
    };
    use chromiumoxide_cdp::cdp::js_protocol::runtime::EvaluateParams;
    let url = browser_ws_url("127.0.0.1", port).await.expect("DevTools");
    let mut cdp = Connection::connect(&url).await.expect("connect");
    let targets = cdp
        .call(GetTargetsParams::default(), None)
        .await
        .expect("targets");
    let page = targets
        .target_infos
        .into_iter()
        .find(|t| t.r#type == "page")
        .expect("a page");
    let mut attach = AttachToTargetParams::new(page.target_id);
    attach.flatten = Some(true);
    let session: String = cdp
        .call(attach, None)
        .await
        .expect("attach")
        .session_id
        .into();
    let mut params = EvaluateParams::new(expression);
    params.return_by_value = Some(true);
    let result = cdp.call(params, Some(&session)).await.expect("evaluate");
    cdp.close().await;
    result.result.value.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_devtools_browser_in_the_workspace_is_shown_sized_to_the_panel_and_ends_with_it() {
    let sandbox = Sandbox::new();
    let workspace = sandbox.dir("puppeteer-app");
    let browser = chromium_on(
        &workspace,
        &[
            "--remote-debugging-port=0",
            "--user-data-dir=profile",
            "--window-size=1280,720",
        ],
        &page("bench/index.html"),
    );
    let pid = browser.0.id();
    let session = cdp_session(&sandbox, &workspace, pid);
    let port = session.cdp_port.expect("a DevTools port");
    assert_eq!(session.kind, SessionKind::Cdp, "listed as its own kind");
    assert!(
        session.name.starts_with("Chromium · port ")
            && session.name.ends_with(&format!("pid {pid}")),
        "named as a person recognises it: {}",
        session.name
    );
    let json = serde_json::to_value(&session).expect("json");
    assert_eq!(json["kind"], "cdp", "the JSON says its kind");
    assert!(json["cdpPort"].as_u64().is_some(), "and its port: {json}");

    let attachment = attach_live(&sandbox, session, "the browser's page goes live").await;
    wait_frames(
        &attachment,
        10,
        "frames keep coming from the repainting page",
    )
    .await;
    let (full_width, _) = frame_pixels(&attachment);
    assert!(
        full_width > 400,
        "unsized frames are the page's own size: {full_width}"
    );

    attachment.set_frame_size(Some(FrameSize {
        width: 320,
        height: 180,
    }));
    let deadline = Instant::now() + Duration::from_secs(10);
    while frame_pixels(&attachment).0 > 320 {
        assert!(
            Instant::now() < deadline,
            "frames follow the panel's size to 320 px wide, still {:?}",
            frame_pixels(&attachment)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    attachment.set_frame_size(Some(FrameSize {
        width: 640,
        height: 360,
    }));
    let deadline = Instant::now() + Duration::from_secs(10);
    while frame_pixels(&attachment).0 <= 320 {
        assert!(Instant::now() < deadline, "and grow again with it");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        frame_pixels(&attachment).0 <= 640,
        "never larger than asked"
    );

    // A title set by script, which Chrome announces with no event, follows with the frames.
    eval(port, "document.title = 'renamed by the page'").await;
    wait_page(
        &attachment,
        |p| p.title == "renamed by the page",
        "the panel's title follows the page's",
    )
    .await;

    drop(browser);
    wait_state(
        &attachment,
        |s| matches!(s, AttachState::Ended { .. }),
        "a killed browser ends the attachment",
    )
    .await;
    if let AttachState::Ended { reason, .. } = &*attachment.state().borrow() {
        assert!(
            reason.contains("exited"),
            "the reason says the browser is gone: {reason}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_lands_where_it_was_aimed_and_a_new_tab_is_followed() {
    let sandbox = Sandbox::new();
    let workspace = sandbox.dir("clicks");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let profile = format!(
        "--user-data-dir={}",
        sandbox.dir("clicks-profile").display()
    );
    let browser = chromium_on(
        &workspace,
        &[
            &format!("--remote-debugging-port={port}"),
            &profile,
            "--window-size=1280,720",
        ],
        &page("input/index.html"),
    );
    let session = cdp_session(&sandbox, &workspace, browser.0.id());
    assert_eq!(
        session.cdp_port,
        Some(port),
        "a fixed port is the one on its command line"
    );
    let attachment = attach_live(&sandbox, session, "the page goes live").await;
    for event_type in [MouseEventType::MousePressed, MouseEventType::MouseReleased] {
        attachment
            .send_input(Input::InputMouse(MouseInput {
                event_type,
                x: 250.0,
                y: 150.0,
                button: MouseButton::Left,
                click_count: 1,
                delta_x: 0.0,
                delta_y: 0.0,
                modifiers: 0,
            }))
            .expect("input is taken while live");
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    let clicks = loop {
        let clicks = eval(port, "window.__clicks").await;
        if clicks.as_array().is_some_and(|c| !c.is_empty()) || Instant::now() > deadline {
            break clicks;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let click = &clicks[0];
    let (x, y) = (
        click["x"].as_f64().unwrap_or(-99.0),
        click["y"].as_f64().unwrap_or(-99.0),
    );
    assert!(
        (x - 250.0).abs() <= 2.0 && (y - 150.0).abs() <= 2.0,
        "the click lands within 2 CSS px of (250, 150): {clicks}"
    );

    // The wheel scrolls the page; composed or pasted text is inserted where the caret is.
    attachment
        .send_input(Input::InputMouse(MouseInput {
            event_type: MouseEventType::MouseWheel,
            x: 250.0,
            y: 150.0,
            button: MouseButton::None,
            click_count: 0,
            delta_x: 0.0,
            delta_y: 300.0,
            modifiers: 0,
        }))
        .expect("a wheel is taken while live");
    let scrolled = poll(port, "window.scrollY", |v| {
        v.as_f64().is_some_and(|y| y > 0.0)
    })
    .await;
    assert!(
        scrolled.as_f64().is_some_and(|y| y > 0.0),
        "the wheel scrolled the page: {scrolled}"
    );
    eval(
        port,
        "window.scrollTo(0, 0); document.getElementById('field').focus()",
    )
    .await;
    attachment
        .send_input(Input::InputKeyboard(KeyInput {
            event_type: KeyEventType::Char,
            key: String::new(),
            code: String::new(),
            text: Some("日本語 pasted".into()),
            windows_virtual_key_code: 0,
            modifiers: 0,
        }))
        .expect("text is taken while live");
    let typed = poll(port, "document.getElementById('field').value", |v| {
        v.as_str().is_some_and(|t| !t.is_empty())
    })
    .await;
    assert_eq!(
        typed, "日本語 pasted",
        "IME and paste text is inserted whole"
    );

    // The agent opens a tab: the panel follows it.
    let before = attachment.page().borrow().tabs.len();
    eval(port, "window.open('about:blank#second', '_blank') !== null").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = attachment.page().borrow().clone();
        let active = page.tabs.iter().find(|t| t.active).map(|t| t.url.clone());
        if page.tabs.len() > before && active.as_deref().is_some_and(|u| u.contains("#second")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new tab is listed and shown: {page:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The toolbar drives it over the same connection.
    let first = attachment.page().borrow().tabs[0].clone();
    attachment
        .drive(NavAction::SwitchTab {
            tab_id: first.tab_id.clone(),
        })
        .await
        .expect("switching to a listed tab");
    wait_page(
        &attachment,
        |p| p.tabs.iter().any(|t| t.active && t.tab_id == first.tab_id),
        "the chosen tab is shown",
    )
    .await;
    let demo = page("demo/index.html");
    attachment
        .drive(NavAction::Open { url: demo.clone() })
        .await
        .expect("opening a URL");
    wait_page(&attachment, |p| p.url == demo, "the page opened is shown").await;
    attachment.drive(NavAction::Back).await.expect("going back");
    wait_page(
        &attachment,
        |p| p.url.ends_with("input/index.html"),
        "back returns to the page before",
    )
    .await;
    let tabs = attachment.page().borrow().tabs.len();
    attachment
        .drive(NavAction::NewTab)
        .await
        .expect("a new tab, asked for");
    wait_page(
        &attachment,
        |p| p.tabs.len() == tabs + 1,
        "the new tab is listed",
    )
    .await;
    let newest = attachment
        .page()
        .borrow()
        .tabs
        .last()
        .cloned()
        .expect("a tab");
    attachment
        .drive(NavAction::CloseTab {
            tab_id: newest.tab_id,
        })
        .await
        .expect("closing it");
    wait_page(
        &attachment,
        |p| p.tabs.len() == tabs,
        "and gone once closed",
    )
    .await;
    let refused = attachment
        .drive(NavAction::SwitchTab {
            tab_id: "no-such-tab".into(),
        })
        .await;
    assert!(
        matches!(refused, Err(NavError::InvalidTab(_))),
        "an unknown tab is refused: {refused:?}"
    );
    wait_state(
        &attachment,
        |s| matches!(s, AttachState::Live { .. }),
        "and the page stays live",
    )
    .await;
}

/// Evaluates `expression` until `ok` holds (10 s at most), returning the last value.
async fn poll(
    port: u16,
    expression: &str,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let value = eval(port, expression).await;
        if ok(&value) || Instant::now() > deadline {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_page(attachment: &Attachment, want: impl Fn(&PageInfo) -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = attachment.page().borrow().clone();
        if want(&page) {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: {page:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[test]
fn a_browser_driven_over_a_pipe_is_listed_as_not_attachable_and_says_why() {
    let sandbox = Sandbox::new();
    let workspace = sandbox.dir("playwright");
    // Playwright's way: DevTools on fds 3 and 4, which only the parent holds.
    let program = crate::support::chromium_program();
    let child = Command::new("bash")
        .current_dir(&workspace)
        .arg("-c")
        .arg(format!(
            "exec {program} --headless=new --no-sandbox --no-first-run --disable-gpu \
             --user-data-dir=profile --remote-debugging-pipe about:blank 3<&0 4>/dev/null"
        ))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Chromium starts");
    let browser = Browser(child);
    let pid = browser.0.id();
    let deadline = Instant::now() + Duration::from_secs(20);
    let session = loop {
        let report = discover(&sandbox, &workspace);
        if let Some(s) = report.current.iter().find(|s| s.pid == Some(pid)) {
            break s.clone();
        }
        assert!(
            Instant::now() < deadline,
            "the pipe browser is listed in its workspace: {report:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(session.status, SessionStatus::NotAttachable);
    assert!(
        !session.can_attach(),
        "it is never attached, by hand or by itself"
    );
    assert!(
        session
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("--remote-debugging-pipe")),
        "it says why: {:?}",
        session.problem
    );
}
