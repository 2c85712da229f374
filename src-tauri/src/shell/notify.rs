//! The one module that tells the window and the tray about a change.
//!
//! Shared state ([`crate::shell::state`]) returns the [`Change`]s it made; whoever
//! caused them hands them to [`send`], which emits the window's events, retitles it and
//! redraws the tray, once. The tasks that follow discovery and the attachment on screen
//! ([`forward_discovery`] and the one [`send`] starts for each attachment) send through
//! here too. Nothing else emits an event or redraws the tray.
//!
//! Event names are defined once, here; `ui/src/generated/events.ts` is written from
//! [`EVENTS`] by the bindings test, so the TypeScript side cannot drift.
//!
//! Each frame is signalled by an event, and its JPEG travels the way [`Transport`] says.
//! With `scheme` (the default) the event is `frame-ready`, with no payload: the window
//! loads the newest frame from the `frame:` URI scheme (see
//! [`crate::shell::frame_scheme`]) and, once it is drawn, calls `frame_shown`, which acks
//! it and answers its metadata. The event carries nothing because Tauri delivers an event
//! by evaluating a script that holds its payload, and WebKitGTK keeps about a kilobyte for
//! every distinct script: one event text per frame grew the web process without end
//! (docs/ARCHITECTURE.md, "Memory: the window's web process"). With `event` and `channel`
//! the `frame` event carries the seq and metadata (and with `event` the base64 JPEG; with
//! `channel` the bytes go over the window's `Channel`, an 8-byte little-endian seq first),
//! and the window acks with `frame_painted(seq)`. Only after the ack does the daemon send
//! the next frame (see [`porthole_core::stream::attachment`]).

use porthole_core::desktop::autostart::Autostart;
use std::sync::{Arc, Weak};

use serde::Serialize;
use tauri::ipc::InvokeResponseBody;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::broadcast;
use ts_rs::TS;

use crate::args::Transport;
use crate::logging;
use crate::shell::state::{AppState, Change};
use crate::shell::tray_icon;
use porthole_core::discovery::Session;
use porthole_core::stream::attachment::{AttachState, Attachment, PageInfo};
use porthole_core::stream::frames::Frame;
use porthole_core::stream::protocol::FrameMetadata;

/// Payload: [`porthole_core::discovery::Report`]. Sent whenever discovery changes.
pub const SESSIONS_CHANGED: &str = "sessions-changed";
/// Payload: [`AttachEvent`]. Sent when the attachment on screen changes state.
pub const ATTACH_STATE: &str = "attach-state";
/// Payload: [`FrameEvent`]. A new frame to paint (the `event` and `channel` transports).
pub const FRAME: &str = "frame";
/// No payload. A new frame waits at the `frame:` scheme (the `scheme` transport).
pub const FRAME_READY: &str = "frame-ready";
/// Payload: [`porthole_core::stream::attachment::PageInfo`]. The page's title, URL and tabs changed.
pub const PAGE_INFO: &str = "page-info";
/// No payload. The panel's attachment was ended by the app (Detach, another workspace).
pub const DETACHED: &str = "detached";
/// Payload: [`AppInfo`]. Another workspace was opened.
pub const WORKSPACE_CHANGED: &str = "workspace-changed";

/// No payload. The person asked for "New browser…" outside the window (the tray): the
/// window opens its form.
pub const NEW_BROWSER: &str = "new-browser";

/// Payload: [`porthole_core::timeline::Entry`], or nothing when entries were missed (the
/// window reads the list again). The timeline of the session on screen recorded it.
pub const TIMELINE_ENTRY: &str = "timeline-entry";

/// Every event name, with the TypeScript constant it becomes.
pub const EVENTS: &[(&str, &str)] = &[
    ("SESSIONS_CHANGED", SESSIONS_CHANGED),
    ("ATTACH_STATE", ATTACH_STATE),
    ("FRAME", FRAME),
    ("FRAME_READY", FRAME_READY),
    ("PAGE_INFO", PAGE_INFO),
    ("WORKSPACE_CHANGED", WORKSPACE_CHANGED),
    ("DETACHED", DETACHED),
    ("NEW_BROWSER", NEW_BROWSER),
    ("TIMELINE_ENTRY", TIMELINE_ENTRY),
];

/// The label the capability in `capabilities/main.json` grants permissions to.
pub const MAIN_WINDOW: &str = "main";

/// The attachment on screen, where it stands, and the page it shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AttachEvent {
    pub session: Session,
    pub state: AttachState,
    pub page: PageInfo,
}

impl AttachEvent {
    pub fn of(attachment: &Attachment) -> Self {
        Self {
            session: attachment.session(),
            state: attachment.state().borrow().clone(),
            page: attachment.page().borrow().clone(),
        }
    }
}

/// One frame for the panel.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FrameEvent {
    #[ts(type = "number")]
    pub seq: u64,
    /// The JPEG, base64, when the transport is `event`.
    #[ts(type = "string | null")]
    pub jpeg: Option<Arc<str>>,
    pub metadata: FrameMetadata,
    /// When Porthole received it, epoch milliseconds.
    pub received_at_ms: f64,
}

impl FrameEvent {
    /// The event for `frame`, with its JPEG when `with_jpeg`.
    pub fn of(frame: &Frame, with_jpeg: bool) -> Self {
        Self {
            seq: frame.seq,
            jpeg: with_jpeg.then(|| frame.jpeg_base64.clone()),
            metadata: frame.metadata,
            received_at_ms: frame.received_at_ms,
        }
    }
}

/// What the window shows about the app itself.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// The open workspace, symlinks resolved.
    pub workspace: String,
    /// The person's home folder, which the window writes as `~`.
    pub home: Option<String>,
    /// Where the log files are.
    pub log_dir: Option<String>,
    /// How frame bytes reach the window.
    pub transport: Transport,
    /// Workspaces opened before, most recent first.
    pub recent: Vec<String>,
    /// Compact mode is on (only the panel, on top).
    pub compact: bool,
    /// Porthole starts at login (its XDG autostart entry is there).
    pub start_at_login: bool,
    /// A browser the agent opens is announced while the window is hidden.
    pub notify_new_browser: bool,
    /// The agent's timeline is recorded while a session is attached.
    pub record_timeline: bool,
    /// The timeline goes on being recorded while the window is hidden in the tray.
    pub record_while_hidden: bool,
}

impl AppInfo {
    pub fn of(state: &AppState) -> Self {
        Self {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            workspace: state.workspace().display().to_string(),
            home: dirs::home_dir().map(|h| h.display().to_string()),
            log_dir: logging::log_dir().map(|d| d.display().to_string()),
            transport: state.transport,
            recent: state
                .recent_workspaces()
                .iter()
                .map(|w| w.display().to_string())
                .collect(),
            compact: state.compact().is_some(),
            start_at_login: Autostart::default_location().is_some_and(|a| a.is_on()),
            notify_new_browser: state.notify_new_browser(),
            record_timeline: state.record_timeline(),
            record_while_hidden: state.record_while_hidden(),
        }
    }
}

/// Tells the window and the tray what changed: each change's events, then one redraw
/// of the tray (and of the title, when the workspace changed).
pub fn send(app: &AppHandle, changes: impl IntoIterator<Item = Change>) {
    let state = app.state::<AppState>();
    let mut any = false;
    for change in changes {
        any = true;
        match change {
            Change::Attached(attachment) => {
                follow(app, &attachment);
                follow_timeline(app);
            }
            Change::Shown(attachment) => {
                emit(app, ATTACH_STATE, AttachEvent::of(&attachment));
                let newest = attachment.frames().borrow().clone();
                if let Some(frame) = newest {
                    send_frame(app, &frame);
                }
            }
            Change::Recording => {
                follow_timeline(app);
                // An entry-less event: the window reads the whole list again.
                emit(app, TIMELINE_ENTRY, ());
            }
            Change::Detached => emit(app, DETACHED, ()),
            Change::Sessions => emit(app, SESSIONS_CHANGED, state.report()),
            Change::Workspace => {
                emit(app, WORKSPACE_CHANGED, AppInfo::of(&state));
                retitle(app);
            }
        }
    }
    if any {
        tray_icon::draw(app);
    }
}

/// Asks the window to open its "New browser…" form.
pub fn ask_new_browser(app: &AppHandle) {
    emit(app, NEW_BROWSER, ());
}

fn emit<S: Serialize + Clone>(app: &AppHandle, event: &str, payload: S) {
    if let Err(error) = app.emit(event, payload) {
        tracing::warn!(%error, event, "cannot send to the window");
    }
}

/// The window title for the open workspace.
pub fn title(state: &AppState) -> String {
    let workspace = state.workspace();
    let name = workspace
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| workspace.display().to_string());
    format!("{name} — Porthole")
}

fn retitle(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        if let Err(error) = window.set_title(&title(&app.state::<AppState>())) {
            tracing::warn!(%error, "cannot retitle the window");
        }
    }
}

/// Pushes every discovery change to the window as a [`SESSIONS_CHANGED`] event and
/// to the tray, and lets auto-attach react to it.
pub fn forward_discovery(app: &AppHandle) {
    let mut rx = app.state::<AppState>().subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let mut changes = app.state::<AppState>().auto_attach();
            changes.push(Change::Sessions);
            send(&app, changes);
            if rx.changed().await.is_err() {
                break;
            }
            rx.borrow_and_update();
        }
    });
}

/// Forwards one attachment's state, frames and page to the window and the tray for as
/// long as it is the one on screen: the task holds it weakly, so the state dropping it
/// (a pick, Detach, another workspace) ends the forwarding with it.
fn follow(app: &AppHandle, attachment: &Arc<Attachment>) {
    let app = app.clone();
    let weak: Weak<Attachment> = Arc::downgrade(attachment);
    let mut state = attachment.state();
    let mut frames = attachment.frames();
    let mut page = attachment.page();
    tauri::async_runtime::spawn(async move {
        let current = || weak.upgrade().map(|a| AttachEvent::of(&a));
        state.borrow_and_update();
        match current() {
            Some(event) => emit(&app, ATTACH_STATE, event),
            None => return,
        }
        // When the attachment's task ends, all three channels close at once; whichever
        // is noticed first, the final state still reaches the window.
        loop {
            let open = tokio::select! {
                changed = state.changed() => {
                    let open = changed.is_ok();
                    if open {
                        state.borrow_and_update();
                        let Some(event) = current() else { return };
                        emit(&app, ATTACH_STATE, event);
                        tray_icon::draw(&app);
                    }
                    open
                }
                changed = frames.changed() => {
                    let frame = frames.borrow_and_update().clone();
                    if let (Ok(()), Some(frame)) = (&changed, frame) {
                        if weak.strong_count() == 0 {
                            return;
                        }
                        // Hidden and recording: the timeline takes the frames, the
                        // window would only decode them for nobody.
                        if !app.state::<AppState>().is_hidden() {
                            send_frame(&app, &frame);
                        }
                    }
                    changed.is_ok()
                }
                changed = page.changed() => {
                    if changed.is_ok() {
                        let info = page.borrow_and_update().clone();
                        if weak.strong_count() == 0 {
                            return;
                        }
                        emit(&app, PAGE_INFO, info);
                    }
                    changed.is_ok()
                }
            };
            if !open || state.borrow().is_over() {
                break;
            }
        }
        let Some(event) = current() else { return };
        emit(&app, ATTACH_STATE, event);
        // Let auto-attach follow a new session of the workspace.
        send(&app, app.state::<AppState>().auto_attach());
    });
}

/// Forwards each entry the timeline of the session on screen records to the window,
/// until that recording ends (the attachment left the screen).
fn follow_timeline(app: &AppHandle) {
    let Some(mut updates) = app.state::<AppState>().timeline_updates() else {
        return;
    };
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match updates.recv().await {
                Ok(entry) => emit(&app, TIMELINE_ENTRY, entry),
                // The window reads the list again when told it missed some.
                Err(broadcast::error::RecvError::Lagged(_)) => emit(&app, TIMELINE_ENTRY, ()),
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

/// Signals one frame to the window and sends its bytes the configured way.
pub fn send_frame(app: &AppHandle, frame: &Frame) {
    let state = app.state::<AppState>();
    if state.transport == Transport::Scheme {
        // The same event text for every frame: WebKitGTK keeps about a kilobyte for
        // every distinct script the app evaluates in the page, and an event is one.
        emit(app, FRAME_READY, ());
        return;
    }
    let event = FrameEvent::of(frame, state.transport == Transport::Event);
    if state.transport == Transport::Channel {
        let Some(channel) = state.frame_channel() else {
            return;
        };
        let jpeg = match frame.jpeg() {
            Ok(jpeg) => jpeg,
            Err(error) => {
                tracing::warn!(%error, seq = frame.seq, "a frame is not valid base64; skipped");
                return;
            }
        };
        let mut bytes = Vec::with_capacity(8 + jpeg.len());
        bytes.extend_from_slice(&frame.seq.to_le_bytes());
        bytes.extend_from_slice(&jpeg);
        if let Err(error) = channel.send(InvokeResponseBody::Raw(bytes)) {
            tracing::warn!(%error, "cannot send a frame over the channel");
        }
    }
    emit(app, FRAME, event);
}
