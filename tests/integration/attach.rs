//! The stream client against real daemons: frames are real JPEGs of the page's size, a
//! stream turned off comes back (on a new port), a killed daemon ends the attachment
//! instead of hanging it, and `porthole watch` reports all of that from the command line.

use std::sync::Arc;
use std::time::{Duration, Instant};

use porthole_core::agent_browser::cli::{AgentBrowserCli, CliSource};
use porthole_core::control::screenshot::{self, ImageFormat};
use porthole_core::error::ErrorCode;
use porthole_core::stream::attachment::{
    AckMode, AttachOptions, AttachState, Attachment, Pace, UNSEEN_FPS,
};
use porthole_core::stream::frames::Frame;
use porthole_core::stream::protocol::{Input, MouseButton, MouseEventType, MouseInput};

use crate::support::{cli, find, Sandbox};

fn options() -> AttachOptions {
    AttachOptions {
        ack: AckMode::OnReceive,
        ..AttachOptions::default()
    }
}

/// Waits until `state` satisfies `check`, returning it.
async fn wait_state(
    attachment: &Attachment,
    what: &str,
    timeout: Duration,
    check: impl Fn(&AttachState) -> bool,
) -> AttachState {
    let mut rx = attachment.state();
    let result = tokio::time::timeout(timeout, async {
        loop {
            let now = rx.borrow_and_update().clone();
            if check(&now) {
                return now;
            }
            if rx.changed().await.is_err() {
                panic!("the attachment stopped before it was {what}");
            }
        }
    })
    .await;
    result.unwrap_or_else(|_| panic!("the attachment was never {what}; it is {:?}", *rx.borrow()))
}

/// Waits until the attachment is Live, returning its stream port.
async fn wait_live(attachment: &Attachment, what: &str, timeout: Duration) -> u16 {
    match wait_state(attachment, what, timeout, |s| {
        matches!(s, AttachState::Live { .. })
    })
    .await
    {
        AttachState::Live { port } => port,
        _ => unreachable!("wait_state returns only a state that passed the check"),
    }
}

/// Collects `n` frames.
async fn frames(attachment: &Attachment, n: usize) -> Vec<Arc<Frame>> {
    let mut rx = attachment.frames();
    let mut out: Vec<Arc<Frame>> = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), async {
        while out.len() < n {
            rx.changed().await.expect("frames keep coming");
            if let Some(f) = rx.borrow_and_update().clone() {
                out.push(f);
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{n} frames within 20 s; got {}", out.len()));
    out
}

/// How many frames arrive over `span` while a consumer acks each one as soon as it has it.
async fn frames_while_acking(attachment: &Attachment, span: Duration) -> u64 {
    let mut rx = attachment.frames();
    let before = attachment.stats().frames;
    let _ = tokio::time::timeout(span, async {
        while rx.changed().await.is_ok() {
            let seq = rx.borrow_and_update().as_ref().map(|f| f.seq);
            if let Some(seq) = seq {
                attachment.ack(seq);
            }
        }
    })
    .await;
    attachment.stats().frames - before
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frames_are_jpegs_of_the_pages_own_viewport() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("anim", &ws);
    let session = find(&sb.report(&ws), "anim").clone();
    let attachment = Attachment::start(session, sb.discovery(), Ok(cli()), options());
    wait_live(&attachment, "live", Duration::from_secs(15)).await;
    let out = sb.agent("anim", &["eval", "`${innerWidth}x${innerHeight}`"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let (vw, vh) = text
        .trim()
        .trim_matches('"')
        .split_once('x')
        .expect("WxH from the page");
    let viewport: (usize, usize) = (vw.parse().expect("width"), vh.parse().expect("height"));
    let got = frames(&attachment, 5).await;
    let mut last_seq = 0;
    for frame in &got {
        assert!(frame.seq > last_seq, "frames arrive newest-last, each once");
        last_seq = frame.seq;
        let jpeg = frame.jpeg().expect("base64");
        assert_eq!(&jpeg[..2], &[0xff, 0xd8], "a JPEG starts with SOI");
        let mut decoder = zune_jpeg::JpegDecoder::new(&jpeg);
        decoder.decode_headers().expect("a valid JPEG header");
        let (w, h) = decoder.dimensions().expect("dimensions");
        assert_eq!(
            (w, h),
            viewport,
            "the picture is the page's own viewport, pixel for pixel"
        );
        assert_eq!(
            w as f64, frame.metadata.device_width,
            "metadata width is the viewport's"
        );
        assert!(
            h as f64 <= frame.metadata.device_height,
            "metadata height is the window's, which can exceed the viewport's"
        );
        assert!(
            frame.latency_ms().is_some(),
            "every frame says when it was captured"
        );
    }
    let stats = attachment.stats();
    assert!(stats.frames >= 5 && stats.malformed == 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_sends_the_next_frame_only_after_the_consumers_ack() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("paced", &ws);
    let session = find(&sb.report(&ws), "paced").clone();
    let options = AttachOptions {
        ack: AckMode::Consumer,
        ack_timeout: Duration::from_secs(2),
        ..AttachOptions::default()
    };
    let attachment = Attachment::start(session, sb.discovery(), Ok(cli()), options);
    wait_live(&attachment, "live", Duration::from_secs(15)).await;

    // A consumer that never acks: the animated page could send 60 frames a second, but
    // only the ack timeout lets another through.
    let before = attachment.stats().frames;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let unacked = attachment.stats().frames - before;
    assert!(
        unacked <= 3,
        "without acks nothing queues: one frame per ack timeout, got {unacked} in 3 s"
    );

    // A consumer that acks each frame as soon as it has it.
    let acked = frames_while_acking(&attachment, Duration::from_secs(3)).await;
    // Relative, not absolute: how many frames a loaded machine's Chromium paints in 3 s
    // varies; what acking changes is that the frames flow at all.
    assert!(
        acked > 4 * unacked.max(1),
        "acking lets the frames flow: {acked} in 3 s against {unacked} without acks"
    );
    let shown = attachment.shown_stats();
    assert!(
        shown.frames >= acked.saturating_sub(2),
        "every acked frame counts as shown: {} of {acked}",
        shown.frames
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unseen_attachment_takes_a_few_frames_a_second_without_a_consumer() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("unseen", &ws);
    let session = find(&sb.report(&ws), "unseen").clone();
    // A consumer that never acks, with an ack timeout longer than the test: only the
    // pace can let frames through.
    let options = AttachOptions {
        ack: AckMode::Consumer,
        ack_timeout: Duration::from_secs(30),
        ..AttachOptions::default()
    };
    let attachment = Attachment::start(session, sb.discovery(), Ok(cli()), options);
    wait_live(&attachment, "live", Duration::from_secs(15)).await;
    let mut awaiting = attachment.awaiting_ack();
    let held = tokio::time::timeout(Duration::from_secs(1), awaiting.wait_for(|w| *w))
        .await
        .is_ok_and(|r| r.is_ok());
    assert!(
        held,
        "shown, the frame the consumer has not acked holds the stream, and says so"
    );

    attachment.set_pace(Pace::Unseen);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !*awaiting.borrow(),
        "unseen, each frame is acked as it comes: nothing holds the stream"
    );
    let before = attachment.stats().frames;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let unseen = attachment.stats().frames - before;
    assert!(
        unseen >= 3,
        "hidden, the timeline still gets frames of the animated page: {unseen} in 3 s"
    );
    assert!(
        unseen <= u64::from(UNSEEN_FPS) * 3 + 2,
        "hidden, the daemon sends at most {UNSEEN_FPS} a second: {unseen} in 3 s"
    );

    // Shown again, with a consumer that acks: the frames flow at the page's own rate.
    attachment.set_pace(Pace::Shown);
    let shown = frames_while_acking(&attachment, Duration::from_secs(3)).await;
    assert!(
        shown > 2 * unseen,
        "shown, the cap is lifted (maxFps 0): {shown} in 3 s against {unseen} hidden"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_turned_off_is_turned_on_again_and_followed_to_its_new_port() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("flaky", &ws);
    let session = find(&sb.report(&ws), "flaky").clone();
    let attachment = Attachment::start(session, sb.discovery(), Ok(cli()), options());
    let first = wait_live(&attachment, "live", Duration::from_secs(15)).await;
    let out = sb.agent("flaky", &["stream", "disable"]);
    assert!(out.status.success(), "stream disable: {out:?}");
    wait_state(&attachment, "reconnecting", Duration::from_secs(5), |s| {
        matches!(
            s,
            AttachState::Reconnecting { .. } | AttachState::Activating
        )
    })
    .await;
    let second = wait_live(&attachment, "live again", Duration::from_secs(20)).await;
    assert!(
        attachment.enabled_stream(),
        "Porthole turned the stream back on"
    );
    let now = find(&sb.report(&ws), "flaky").clone();
    assert_eq!(
        now.stream_port,
        Some(second),
        "on the port discovery now sees"
    );
    assert_ne!(first, 0);
    assert_ne!(
        first, second,
        "a re-enabled stream listens on a new port, and the attachment went there"
    );
    frames(&attachment, 2).await;
}

/// An agent-browser that reports streaming off and refuses to turn it on: the fault the
/// real CLI cannot be made to give on demand. It says it is the daemon's version, or
/// Porthole would run the daemon's own executable instead.
fn refusing_cli(dir: &std::path::Path) -> AgentBrowserCli {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("agent-browser-that-refuses");
    std::fs::write(
        &path,
        r#"#!/bin/sh
case "$*" in
  --version) echo "agent-browser 0.41.2" ;;
  *"stream status"*) echo '{"success":true,"data":{"connected":true,"enabled":false,"port":null,"screencasting":false},"error":null}' ;;
  *"stream enable"*) echo '{"success":false,"data":null,"error":"could not bind the stream port"}'; exit 1 ;;
  *) echo '{"success":false,"data":null,"error":"not expected in this test"}'; exit 1 ;;
esac
"#,
    )
    .expect("write the refusing CLI");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    AgentBrowserCli::at(path, CliSource::Explicit)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_that_will_not_enable_stops_with_an_error_the_person_can_retry() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("stubborn", &ws);
    assert!(sb
        .agent("stubborn", &["stream", "disable"])
        .status
        .success());
    let daemons = sb.daemons();
    let session = find(&sb.report(&ws), "stubborn").clone();
    let options = AttachOptions {
        min_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(100),
        ..options()
    };
    let attachment = Attachment::start(
        session,
        sb.discovery(),
        Ok(refusing_cli(&sb.dir("bin"))),
        options,
    );
    let state = wait_state(&attachment, "failed", Duration::from_secs(15), |s| {
        matches!(s, AttachState::Failed { .. })
    })
    .await;
    let AttachState::Failed { error } = state else {
        unreachable!()
    };
    assert_eq!(error.code, ErrorCode::EnableFailed, "{error:?}");
    assert!(
        error.message.contains("could not bind the stream port"),
        "the CLI's own words reach the person: {}",
        error.message
    );
    assert!(error.retryable, "the person is offered Retry");
    assert_eq!(
        sb.daemons(),
        daemons,
        "giving up neither killed nor started a daemon"
    );
    assert_eq!(
        find(&sb.report(&ws), "stubborn").status,
        porthole_core::discovery::SessionStatus::MissingStream,
        "the session is left as it was"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daemon_killed_mid_stream_ends_the_attachment() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("victim", &ws);
    let session = find(&sb.report(&ws), "victim").clone();
    let pid = session.pid.expect("pid");
    let attachment = Attachment::start(session, sb.discovery(), Ok(cli()), options());
    frames(&attachment, 2).await;
    let killed = Instant::now();
    crate::support::kill9(pid);
    let state = wait_state(&attachment, "ended", Duration::from_secs(10), |s| {
        matches!(s, AttachState::Ended { .. })
    })
    .await;
    let AttachState::Ended { reason, .. } = state else {
        unreachable!()
    };
    assert!(
        reason.contains("not running"),
        "the reason says why: {reason}"
    );
    assert!(killed.elapsed() < Duration::from_secs(5), "ended promptly");
    assert!(sb.daemons().is_empty(), "and nothing restarted the daemon");
}

fn input_page() -> String {
    let page = crate::support::repo().join("tests/pages/input/index.html");
    format!(
        "file://{}",
        page.canonicalize().expect("input page").display()
    )
}

fn click(kind: MouseEventType, x: f64, y: f64) -> Input {
    Input::InputMouse(MouseInput {
        event_type: kind,
        x,
        y,
        button: MouseButton::Left,
        click_count: 1,
        delta_x: 0.0,
        delta_y: 0.0,
        modifiers: 0,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn input_reaches_the_page_only_while_live() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("typed", &ws);
    let out = sb.agent("typed", &["open", &input_page()]);
    assert!(out.status.success(), "open the input page: {out:?}");
    let session = find(&sb.report(&ws), "typed").clone();
    let attachment = Attachment::start(session, sb.discovery(), Ok(cli()), options());
    assert!(
        attachment
            .send_input(click(MouseEventType::MousePressed, 1.0, 1.0))
            .is_err(),
        "input before the page is live is refused, not queued"
    );
    wait_live(&attachment, "live", Duration::from_secs(15)).await;
    for kind in [MouseEventType::MousePressed, MouseEventType::MouseReleased] {
        attachment
            .send_input(click(kind, 300.0, 180.0))
            .expect("a live page takes input");
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    let clicks = loop {
        let out = sb.agent("typed", &["eval", "JSON.stringify(window.__clicks)"]);
        let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if text.contains('{') || Instant::now() > deadline {
            break text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        clicks.contains(r#"\"x\":300"#) || clicks.contains(r#""x":300"#),
        "the click landed at (300, 180) on the page: {clicks}"
    );
}

/// Waits until the attachment's last agent command satisfies `ok`.
async fn wait_agent(
    attachment: &Attachment,
    what: &str,
    ok: impl Fn(&porthole_core::stream::activity::AgentCommand) -> bool,
) -> porthole_core::stream::activity::AgentCommand {
    let mut page = attachment.page();
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(agent) = page.borrow_and_update().agent.clone().filter(|a| ok(a)) {
                return agent;
            }
            page.changed().await.expect("the attachment runs");
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{what}; last seen: {:?}", attachment.page().borrow().agent))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agents_commands_are_shown_with_how_they_ended() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("busy", &ws);
    let session = find(&sb.report(&ws), "busy").clone();
    let attachment = Attachment::start(session, sb.discovery(), Ok(cli()), options());
    wait_live(&attachment, "live", Duration::from_secs(15)).await;

    let page = input_page();
    assert!(sb.agent("busy", &["open", &page]).status.success());
    let navigate = wait_agent(&attachment, "the agent's open is shown, done", |a| {
        a.action == "navigate" && a.outcome.is_some()
    })
    .await;
    assert_eq!(
        navigate.target.as_deref(),
        Some(page.as_str()),
        "with its URL"
    );
    assert!(navigate.navigation, "as a page load");
    assert_eq!(navigate.outcome.map(|o| o.success), Some(true), "and done");

    assert!(sb.agent("busy", &["click", "#pad"]).status.success());
    let click = wait_agent(&attachment, "the agent's click is shown, done", |a| {
        a.action == "click" && a.outcome.is_some()
    })
    .await;
    assert_eq!(click.target.as_deref(), Some("#pad"), "with its selector");
    assert!(!click.navigation);
    assert_eq!(click.outcome.map(|o| o.success), Some(true), "and done");

    let missing = "file:///nonexistent/porthole-missing.html";
    let _ = sb.agent("busy", &["open", missing]);
    let failed = wait_agent(&attachment, "a failed open is shown as failed", |a| {
        a.target.as_deref() == Some(missing) && a.outcome.is_some()
    })
    .await;
    assert_eq!(
        failed.outcome.map(|o| o.success),
        Some(false),
        "the daemon said it failed, and so does the panel"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_frame_on_screen_saves_as_png_and_webp() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("shot", &ws);
    let session = find(&sb.report(&ws), "shot").clone();
    let attachment = Attachment::start(session, sb.discovery(), Ok(cli()), options());
    let frame = frames(&attachment, 1).await.remove(0);
    let jpeg = frame.jpeg().expect("base64");
    let dir = sb.dir("pictures");
    let png_path = screenshot::save(&jpeg, "shot", ImageFormat::Png, &dir).expect("png saved");
    let again = screenshot::save(&jpeg, "shot", ImageFormat::Png, &dir).expect("second png");
    assert_ne!(
        png_path, again,
        "a second screenshot never overwrites the first"
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png_path).expect("open png"),
    ));
    let info = decoder.read_info().expect("a valid PNG").info().clone();
    let mut jpeg_decoder = zune_jpeg::JpegDecoder::new(&jpeg);
    jpeg_decoder.decode_headers().expect("jpeg header");
    let (w, h) = jpeg_decoder.dimensions().expect("dimensions");
    assert_eq!(
        (info.width as usize, info.height as usize),
        (w, h),
        "the PNG is the frame, pixel for pixel"
    );
    let webp_path = screenshot::save(&jpeg, "shot", ImageFormat::Webp, &dir).expect("webp saved");
    let webp = std::fs::read(&webp_path).expect("read webp");
    assert!(
        webp.starts_with(b"RIFF") && &webp[8..12] == b"WEBP",
        "a WebP file"
    );
    assert!(webp_path.extension().is_some_and(|e| e == "webp"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_daemon_is_shown_live_without_being_restarted() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start_release("0.22.3", "elder", &ws);
    let daemons = sb.daemons();
    let session = find(&sb.report(&ws), "elder").clone();
    let attachment = Attachment::start(session.clone(), sb.discovery(), Ok(cli()), options());
    wait_live(&attachment, "live", Duration::from_secs(20)).await;
    frames(&attachment, 2).await;
    assert!(attachment.enabled_stream(), "Porthole turned its stream on");
    assert_eq!(
        sb.daemons(),
        daemons,
        "the agent's 0.22.3 daemon is still the one running"
    );
    assert_eq!(attachment.session().pid, session.pid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daemon_too_old_to_stream_is_shown_over_devtools_and_left_running() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start_release("0.22.2", "ancient", &ws);
    let daemons = sb.daemons();
    let session = find(&sb.report(&ws), "ancient").clone();
    let attachment = Attachment::start(session.clone(), sb.discovery(), Ok(cli()), options());
    wait_live(
        &attachment,
        "live through `get cdp-url` and the DevTools source",
        Duration::from_secs(30),
    )
    .await;
    frames(&attachment, 2).await;
    assert!(
        !attachment.enabled_stream(),
        "no stream was turned on: 0.22.2 has none"
    );
    assert!(
        attachment.page().borrow().tabs.iter().any(|t| t.active),
        "its tab is listed as shown"
    );
    assert_eq!(
        sb.daemons(),
        daemons,
        "the agent's 0.22.2 daemon is still the one running, and no other was started"
    );
    for pid in sb.daemons() {
        crate::support::kill9(pid);
    }
    wait_state(&attachment, "ended", Duration::from_secs(20), |s| {
        matches!(s, AttachState::Ended { .. })
    })
    .await;
}
