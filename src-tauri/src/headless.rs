//! The headless face of Porthole: subcommands over the same core as the window.
//!
//! `porthole watch` attaches to a session's stream the way the window does and reports
//! frame rate, latency, bytes and what watching cost (CPU and peak RSS).
//!
//! `porthole sessions` prints what discovery sees; with `--ensure NAME` it makes that
//! session's stream attachable through [`porthole_core::stream::ensure::ensure_stream`], the same
//! call the window makes.
//!
//! `porthole open` starts the browser the agent will use in a workspace, through
//! [`porthole_core::launch::open`], as "New browser…" in the window does, and prints the
//! session once it is live. Errors are printed as `{code, message, retryable}` with
//! `--json`, as a sentence otherwise, and exit non-zero.
//!
//! `porthole timeline` prints what the window recorded of a session
//! ([`porthole_core::timeline`]), or writes it as an HTML page; it starts nothing.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use serde::Serialize;

use crate::args::{OpenArgs, SessionsArgs, TimelineArgs, WatchArgs};
use porthole_core::agent_browser::cli::AgentBrowserCli;
use porthole_core::desktop::auto_attach::{self, Hold};
use porthole_core::desktop::settings::SettingsStore;
use porthole_core::desktop::vocabulary;
use porthole_core::discovery::{Discovery, Report, Session, SessionKind};
use porthole_core::error::{Coded, ErrorCode, UiError};
use porthole_core::launch::{self, OpenRequest};
use porthole_core::resources::{Usage, UsageSummary};
use porthole_core::stream::attachment::{AckMode, AttachOptions, AttachState, Attachment};
use porthole_core::stream::ensure::ensure_stream;
use porthole_core::stream::frames::FrameSummary;
use porthole_core::timeline::{report, store::TimelineDir};

/// Exit code of a command that ran and failed.
const EXIT_FAILED: u8 = 1;

/// `porthole sessions`.
pub async fn sessions(args: SessionsArgs) -> ExitCode {
    let workspace = workspace_or_cwd(args.workspace.as_deref());
    let mut discovery = match Discovery::new() {
        Ok(d) => d,
        Err(e) => return fail(args.json, &e.to_ui()),
    };
    let report = Report::for_workspace(&workspace, discovery.scan());
    let Some(name) = args.ensure else {
        if args.json {
            print_json(&report);
        } else {
            print_table(&report);
        }
        return ExitCode::SUCCESS;
    };
    let Some(session) = report.find(&name).cloned() else {
        let error = HeadlessError::NoSuchSession {
            name,
            looked_in: join_paths(&discovery.base_dirs()),
        };
        return fail(args.json, &error.to_ui());
    };
    if session.kind == SessionKind::Cdp {
        return explain_cdp(session, args.json);
    }
    let cli = AgentBrowserCli::locate(args.agent_browser.as_deref());
    match ensure_stream(&mut discovery, cli.as_ref(), &session).await {
        Ok(ensured) => {
            #[derive(Serialize)]
            #[serde(rename_all = "camelCase")]
            struct Out {
                #[serde(flatten)]
                session: Session,
                enabled_now: bool,
            }
            if args.json {
                print_json(&Out {
                    session: ensured.session,
                    enabled_now: ensured.enabled_now,
                });
            } else {
                let how = if ensured.enabled_now {
                    " (streaming was turned on)"
                } else {
                    ""
                };
                println!(
                    "{}: stream on port {}{how}",
                    ensured.session.name, ensured.port
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(args.json, &e.to_ui()),
    }
}

/// `--ensure` on a DevTools browser: there is no stream to turn on.
fn explain_cdp(session: Session, json: bool) -> ExitCode {
    let Some(port) = session.cdp_port.filter(|_| session.can_attach()) else {
        let why = session
            .problem
            .clone()
            .unwrap_or_else(|| "it offers no DevTools port".into());
        let error = HeadlessError::NotAttachable {
            name: session.name,
            why,
        };
        return fail(json, &error.to_ui());
    };
    let note = format!(
        "a DevTools browser needs no stream: Porthole shows it over the DevTools protocol on port {port}"
    );
    if json {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out {
            #[serde(flatten)]
            session: Session,
            enabled_now: bool,
            note: String,
        }
        print_json(&Out {
            session,
            enabled_now: false,
            note,
        });
    } else {
        println!("{}: {note}", session.name);
    }
    ExitCode::SUCCESS
}

/// What `porthole watch --json` prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct WatchReport {
    session: String,
    /// Whether the stream had to be turned on.
    stream_enabled: bool,
    #[serde(flatten)]
    frames: FrameSummary,
    malformed: u64,
    /// What this process cost while it watched: CPU and peak RSS.
    cost: Option<UsageSummary>,
}

/// `porthole watch`: attaches like the window (enabling the stream when it is off),
/// acks every frame on receipt, and reports what arrived.
pub async fn watch(args: WatchArgs) -> ExitCode {
    let workspace = workspace_or_cwd(args.workspace.as_deref());
    let mut discovery = match Discovery::new() {
        Ok(d) => d,
        Err(e) => return fail(args.json, &e.to_ui()),
    };
    let report = Report::for_workspace(&workspace, discovery.scan());
    // Without --session, the one the window would attach: the person's last choice
    // in this workspace while it is alive, else the newest.
    let chosen = SettingsStore::default_path()
        .map(SettingsStore::load)
        .and_then(|s| s.chosen_session(&report.workspace));
    let session = match &args.session {
        Some(name) => report.find(name),
        None => auto_attach::decide(&report, chosen.as_deref(), None, &Hold::Free),
    };
    let Some(session) = session.cloned() else {
        let error = match &args.session {
            Some(name) => HeadlessError::NoSuchSession {
                name: name.clone(),
                looked_in: join_paths(&discovery.base_dirs()),
            },
            None => HeadlessError::NoLiveSession(report.workspace.clone()),
        };
        return fail(args.json, &error.to_ui());
    };
    let options = AttachOptions {
        ack: AckMode::OnReceive,
        ..AttachOptions::default()
    };
    let cli = AgentBrowserCli::locate(args.agent_browser.as_deref());
    let me = std::process::id();
    let before = Usage::of(me);
    let attachment = Attachment::start(session.clone(), discovery, cli, options);
    attachment.set_frame_size(args.frame_size);
    let mut outcome = watch_until(&attachment, &args).await;
    let cost = before
        .zip(Usage::of(me))
        .map(|(b, a)| UsageSummary::between(&b, &a));
    if let (Ok(()), Some(path)) = (&outcome, &args.save_frame) {
        outcome = save_last_frame(&attachment, path);
    }
    let stats = attachment.stats();
    let out = WatchReport {
        session: session.name.clone(),
        stream_enabled: attachment.enabled_stream(),
        frames: FrameSummary::from(&stats),
        malformed: stats.malformed,
        cost,
    };
    drop(attachment);
    match outcome {
        Ok(()) => {
            if args.json {
                print_json(&out);
            } else {
                let frames = &out.frames;
                let latency = frames
                    .latency_ms
                    .map(|l| {
                        format!(
                            ", latency p50 {:.1} ms p90 {:.1} ms p99 {:.1} ms",
                            l.p50, l.p90, l.p99
                        )
                    })
                    .unwrap_or_default();
                println!(
                    "{}: {} frames, {:.1} fps{latency}, {} bytes",
                    out.session, frames.frames, frames.fps, frames.bytes
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => fail(args.json, &error),
    }
}

/// Waits for the end condition; an attachment that ends or fails first is an error.
async fn watch_until(attachment: &Attachment, args: &WatchArgs) -> Result<(), UiError> {
    let deadline = args
        .seconds
        .map(|s| tokio::time::Instant::now() + Duration::from_secs_f64(s.max(0.0)));
    let mut state = attachment.state();
    let mut frames = attachment.frames();
    let sleep = async {
        match deadline {
            Some(d) => tokio::time::sleep_until(d).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(sleep);
    loop {
        tokio::select! {
            _ = &mut sleep => return Ok(()),
            changed = frames.changed() => {
                if changed.is_ok() && args.frames.is_some_and(|n| attachment.stats().frames >= n) {
                    return Ok(());
                }
            }
            _ = state.changed() => {}
        }
        // The attachment's channels all close when it ends: its last state says why.
        let current = state.borrow_and_update().clone();
        let closed = state.has_changed().is_err();
        match current {
            AttachState::Ended { reason, .. } => return Err(HeadlessError::Ended(reason).to_ui()),
            AttachState::Failed { error } => return Err(error),
            _ if closed => {
                return Err(HeadlessError::Ended("the attachment stopped".into()).to_ui());
            }
            _ => {}
        }
    }
}

fn save_last_frame(attachment: &Attachment, path: &Path) -> Result<(), UiError> {
    let failed = |message: String| HeadlessError::SaveFrame(message).to_ui();
    let frame = attachment
        .frames()
        .borrow()
        .clone()
        .ok_or_else(|| failed("no frame arrived, so none was saved".into()))?;
    let jpeg = frame
        .jpeg()
        .map_err(|e| failed(format!("the last frame is not valid base64: {e}")))?;
    std::fs::write(path, jpeg).map_err(|e| failed(format!("cannot write {}: {e}", path.display())))
}

/// Why a headless command could not do what it was asked.
#[derive(Debug, thiserror::Error)]
enum HeadlessError {
    #[error("no agent-browser session named \"{name}\" was found (looked in {looked_in})")]
    NoSuchSession { name: String, looked_in: String },
    #[error("no live agent-browser session or DevTools browser runs in {}", .0.display())]
    NoLiveSession(PathBuf),
    #[error("{name} cannot be attached: {why}")]
    NotAttachable { name: String, why: String },
    #[error("the session ended while it was watched: {0}")]
    Ended(String),
    #[error("{0}")]
    SaveFrame(String),
}

impl Coded for HeadlessError {
    fn code(&self) -> ErrorCode {
        match self {
            HeadlessError::NoSuchSession { .. } | HeadlessError::NoLiveSession(_) => {
                ErrorCode::SessionNotFound
            }
            HeadlessError::Ended(_) => ErrorCode::SessionEnded,
            HeadlessError::NotAttachable { .. } => ErrorCode::NotAttachable,
            HeadlessError::SaveFrame(_) => ErrorCode::WriteFailed,
        }
    }

    fn retryable(&self) -> bool {
        false
    }
}

/// `porthole open`: the session live, printed as `sessions --json` prints one; what
/// happened (started or found live, which CLI version) on stderr.
pub async fn open(args: OpenArgs) -> ExitCode {
    let workspace = porthole_core::discovery::resolve(&workspace_or_cwd(args.workspace.as_deref()));
    let settings = SettingsStore::default_path().map(SettingsStore::load);
    let explicit = args
        .agent_browser
        .clone()
        .or_else(|| settings.as_ref().and_then(|s| s.get().agent_browser));
    let cli = match AgentBrowserCli::locate(explicit.as_deref()) {
        Ok(cli) => cli,
        Err(e) => return fail(args.json, &launch::OpenError::from(e).to_ui()),
    };
    let mut discovery = match Discovery::new() {
        Ok(d) => d,
        Err(e) => return fail(args.json, &e.to_ui()),
    };
    let request = OpenRequest {
        workspace: workspace.clone(),
        session: args.session,
        url: args.url,
        force: args.force,
        min_free_mb: settings.as_ref().and_then(|s| s.get().min_free_mb),
    };
    match launch::open(&request, &cli, &mut discovery).await {
        Ok(opened) => {
            let name = &opened.session.name;
            if opened.started {
                eprintln!(
                    "porthole: started “{name}” in {} with agent-browser {}; the agent's `{} …` uses it",
                    workspace.display(),
                    opened.cli_version,
                    opened.agent_command
                );
            } else {
                eprintln!("porthole: “{name}” is already live; nothing was started");
            }
            if args.json {
                print_json(&opened.session);
            } else {
                println!("{}", line(&opened.session));
            }
            ExitCode::SUCCESS
        }
        Err(error) => fail(args.json, &error.to_ui()),
    }
}

/// `porthole timeline`: the recorded entries, oldest first, as JSON, a table, or a page.
pub fn timeline(args: TimelineArgs) -> ExitCode {
    let workspace = porthole_core::discovery::resolve(&workspace_or_cwd(args.workspace.as_deref()));
    let session = args
        .session
        .or_else(|| {
            std::env::var("AGENT_BROWSER_SESSION")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| "default".into());
    let Some(dir) = TimelineDir::default_dir() else {
        let error = UiError {
            code: ErrorCode::NotRecorded,
            message: "There is no data folder, so nothing was recorded.".into(),
            retryable: false,
        };
        return fail(args.json, &error);
    };
    let timeline = match dir.read(&workspace, &session) {
        Ok(t) => t,
        Err(e) => return fail(args.json, &e.to_ui()),
    };
    if timeline.unreadable > 0 {
        eprintln!(
            "porthole: {} line(s) of the timeline could not be read and were skipped",
            timeline.unreadable
        );
    }
    if let Some(out) = args.html {
        let stills = dir.stills(&workspace, &session);
        let page = report::html(&session, &workspace, &timeline.entries, &stills);
        if let Err(e) = std::fs::write(&out, page) {
            let error = UiError {
                code: ErrorCode::WriteFailed,
                message: format!("Cannot write {}: {e}", out.display()),
                retryable: false,
            };
            return fail(false, &error);
        }
        eprintln!(
            "porthole: wrote {} entries to {}",
            timeline.entries.len(),
            out.display()
        );
    } else if args.json {
        print_json(&timeline.entries);
    } else {
        let mut out = std::io::stdout().lock();
        for e in &timeline.entries {
            let ok = match e.ok {
                Some(true) => "ok",
                Some(false) => "FAILED",
                None => "…",
            };
            let _ = writeln!(
                out,
                "{}  {:<10} {:<6} {}",
                report::local_time(e.at, false),
                e.kind.as_str(),
                ok,
                e.text
            );
        }
    }
    ExitCode::SUCCESS
}

fn workspace_or_cwd(dir: Option<&Path>) -> PathBuf {
    dir.map(Path::to_owned)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

fn fail(json: bool, error: &UiError) -> ExitCode {
    if json {
        print_json(error);
    } else {
        eprintln!("porthole: {}", error.message);
    }
    ExitCode::from(EXIT_FAILED)
}

fn print_json<T: Serialize>(value: &T) {
    // Serializing these plain structs cannot fail; a closed stdout is not worth a panic.
    if let Ok(text) = serde_json::to_string_pretty(value) {
        let _ = writeln!(std::io::stdout(), "{text}");
    }
}

fn join_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_table(report: &Report) {
    println!(
        "{}",
        vocabulary::in_workspace(&report.workspace.display().to_string())
    );
    if report.current.is_empty() {
        println!("  no agent-browser session or DevTools browser runs in this workspace");
    }
    for s in &report.current {
        println!("  {}", line(s));
    }
    let mut last_cwd = None;
    for s in &report.other {
        let cwd = s.cwd.as_deref();
        if last_cwd != Some(cwd) {
            println!("{}", vocabulary::elsewhere(cwd));
            last_cwd = Some(cwd);
        }
        println!("  {}", line(s));
    }
}

fn line(s: &Session) -> String {
    let mut out = match &s.namespace {
        Some(ns) => format!("{ns}/{}", s.name),
        None => s.name.clone(),
    };
    // A CDP browser's name already says its port and pid.
    if s.kind == SessionKind::Cdp {
        out.push_str(&format!("  {}", s.kind.badge()));
        if !s.can_attach() {
            out.push_str(&format!("  {}", s.status.label()));
        }
        if let Some(problem) = &s.problem {
            out.push_str(&format!("  ({problem})"));
        }
        return out;
    }
    out.push_str(&format!("  {}", s.status.label()));
    if let Some(port) = s.stream_port {
        out.push_str(&format!("  port {port}"));
    }
    if let Some(pid) = s.pid {
        out.push_str(&format!("  pid {pid}"));
    }
    if let Some(v) = &s.version {
        out.push_str(&format!("  agent-browser {v}"));
    }
    if let Some(problem) = &s.problem {
        out.push_str(&format!("  ({problem})"));
    }
    out
}
