//! The events Porthole sends to the window, and the tasks that send them.
//!
//! Event names are defined once, here; `ui/src/generated/events.ts` is written from
//! the list in this module's test, so the TypeScript side cannot drift.
//!
//! Each frame is signalled by a `frame` event. Its JPEG travels the way
//! [`Transport`] says: inside the event as the daemon's base64, as raw bytes over the
//! window's `Channel` (an 8-byte little-endian seq, then the JPEG), or fetched by the
//! window from the `frame:` URI scheme (see [`crate::frame_scheme`]). The window acks
//! each frame with the `frame_painted` command once it is on screen, and only then does
//! the daemon send the next one (see [`crate::attach`]).

use std::sync::Arc;

use serde::Serialize;
use tauri::ipc::InvokeResponseBody;
use tauri::{AppHandle, Emitter, Manager};
use ts_rs::TS;

use crate::agent_browser::protocol::FrameMetadata;
use crate::args::Transport;
use crate::attach::{AttachState, Attachment, PageInfo};
use crate::discovery::Session;
use crate::frames::Frame;
use crate::state::AppState;

/// Payload: [`crate::discovery::Report`]. Sent whenever discovery changes.
pub const SESSIONS_CHANGED: &str = "sessions-changed";
/// Payload: [`AttachEvent`]. Sent when the attachment on screen changes state.
pub const ATTACH_STATE: &str = "attach-state";
/// Payload: [`FrameEvent`]. A new frame to paint.
pub const FRAME: &str = "frame";
/// Payload: [`crate::attach::PageInfo`]. The page's title, URL and tabs changed.
pub const PAGE_INFO: &str = "page-info";
/// No payload. The panel's attachment was ended by the app (Detach, another workspace).
pub const DETACHED: &str = "detached";
/// Payload: [`crate::commands::AppInfo`]. Another workspace was opened.
pub const WORKSPACE_CHANGED: &str = "workspace-changed";

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

/// Pushes every discovery change to the window as a [`SESSIONS_CHANGED`] event, and
/// lets auto-attach react to it.
pub fn forward_discovery(app: &AppHandle) {
    let mut rx = app.state::<AppState>().subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let state = app.state::<AppState>();
            state.auto_attach(&app);
            if let Err(error) = app.emit(SESSIONS_CHANGED, state.report()) {
                tracing::warn!(%error, "cannot send sessions to the window");
            }
            crate::tray::refresh(&app);
            if rx.changed().await.is_err() {
                break;
            }
            rx.borrow_and_update();
        }
    });
}

/// Forwards one attachment's state, frames and page to the window until it is dropped.
pub fn forward_attachment(
    app: &AppHandle,
    attachment: Arc<Attachment>,
) -> tauri::async_runtime::JoinHandle<()> {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut state = attachment.state();
        let mut frames = attachment.frames();
        let mut page = attachment.page();
        let send = |name: &str, result: tauri::Result<()>| {
            if let Err(error) = result {
                tracing::warn!(%error, event = name, "cannot send to the window");
            }
        };
        state.borrow_and_update();
        send(
            ATTACH_STATE,
            app.emit(ATTACH_STATE, AttachEvent::of(&attachment)),
        );
        // When the attachment's task ends, all three channels close at once; whichever
        // is noticed first, the final state still reaches the window.
        loop {
            let open = tokio::select! {
                changed = state.changed() => {
                    let open = changed.is_ok();
                    if open {
                        state.borrow_and_update();
                        send(ATTACH_STATE, app.emit(ATTACH_STATE, AttachEvent::of(&attachment)));
                        crate::tray::refresh(&app);
                    }
                    open
                }
                changed = frames.changed() => {
                    let frame = frames.borrow_and_update().clone();
                    if let (Ok(()), Some(frame)) = (&changed, frame) {
                        send_frame(&app, &frame);
                    }
                    changed.is_ok()
                }
                changed = page.changed() => {
                    if changed.is_ok() {
                        let info = page.borrow_and_update().clone();
                        send(PAGE_INFO, app.emit(PAGE_INFO, info));
                    }
                    changed.is_ok()
                }
            };
            if !open || state.borrow().is_over() {
                break;
            }
        }
        send(
            ATTACH_STATE,
            app.emit(ATTACH_STATE, AttachEvent::of(&attachment)),
        );
        // Let auto-attach follow a new session of the workspace.
        app.state::<AppState>().auto_attach(&app);
    })
}

/// Tells the window its attachment is gone.
pub fn send_detached(app: &AppHandle) {
    if let Err(error) = app.emit(DETACHED, ()) {
        tracing::warn!(%error, event = DETACHED, "cannot send to the window");
    }
}

/// Signals one frame to the window and sends its bytes the configured way.
pub fn send_frame(app: &AppHandle, frame: &Frame) {
    let state = app.state::<AppState>();
    let event = FrameEvent {
        seq: frame.seq,
        jpeg: (state.transport == Transport::Event).then(|| frame.jpeg_base64.clone()),
        metadata: frame.metadata,
        received_at_ms: frame.received_at_ms,
    };
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
    if let Err(error) = app.emit(FRAME, event) {
        tracing::warn!(%error, event = FRAME, "cannot send to the window");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event name, with the TypeScript constant it becomes.
    const NAMES: &[(&str, &str)] = &[
        ("SESSIONS_CHANGED", SESSIONS_CHANGED),
        ("ATTACH_STATE", ATTACH_STATE),
        ("FRAME", FRAME),
        ("PAGE_INFO", PAGE_INFO),
        ("WORKSPACE_CHANGED", WORKSPACE_CHANGED),
        ("DETACHED", DETACHED),
    ];

    /// Writes `ui/src/generated/`: one file per type the window receives or sends
    /// (ts-rs, from the Rust types) and `events.ts` with the event names. A file is
    /// written only when its text changed, so the UI (and the app that embeds it) is
    /// not rebuilt for nothing; a file no type produces any more is removed. `make test`
    /// fails when the result differs from what is committed.
    #[test]
    fn bindings_are_written_from_the_rust_types() {
        use ts_rs::TS;

        fn binding<T: TS + 'static>() -> (std::path::PathBuf, String) {
            let path = T::output_path().expect("every exported type has a file");
            (path, T::export_to_string().expect("the type exports"))
        }

        let mut files = vec![
            binding::<crate::commands::AppInfo>(),
            binding::<crate::navigation::NavAction>(),
            binding::<crate::discovery::SessionStatus>(),
            binding::<crate::discovery::Session>(),
            binding::<crate::discovery::Report>(),
            binding::<crate::args::Transport>(),
            binding::<crate::screenshot::ImageFormat>(),
            binding::<crate::agent_browser::protocol::FrameMetadata>(),
            binding::<crate::agent_browser::protocol::Tab>(),
            binding::<crate::agent_browser::protocol::Input>(),
            binding::<crate::agent_browser::protocol::MouseInput>(),
            binding::<crate::agent_browser::protocol::MouseEventType>(),
            binding::<crate::agent_browser::protocol::MouseButton>(),
            binding::<crate::agent_browser::protocol::KeyInput>(),
            binding::<crate::agent_browser::protocol::KeyEventType>(),
            binding::<crate::frames::Percentiles>(),
            binding::<AttachEvent>(),
            binding::<FrameEvent>(),
            binding::<crate::error::UiError>(),
            binding::<AttachState>(),
            binding::<PageInfo>(),
            binding::<crate::activity::AgentCommand>(),
            binding::<crate::activity::Outcome>(),
        ];
        let mut names = String::from(
            "// Generated from src-tauri/src/events.rs by `cargo test`. Do not edit.\n\n",
        );
        for (constant, name) in NAMES {
            names.push_str(&format!("export const {constant} = \"{name}\";\n"));
        }
        files.push(("events.ts".into(), names));

        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/generated");
        std::fs::create_dir_all(&dir).expect("mkdir ui/src/generated");
        for (path, text) in &files {
            let path = dir.join(path);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                std::fs::write(&path, text).expect("write a binding");
            }
        }
        for entry in std::fs::read_dir(&dir).expect("read ui/src/generated") {
            let path = entry.expect("an entry").path();
            let produced = files.iter().any(|(p, _)| dir.join(p) == path);
            if !produced {
                std::fs::remove_file(&path).expect("remove a binding no type produces");
            }
        }
        for import in files.iter().flat_map(|(_, text)| {
            text.lines()
                .filter_map(|l| l.split("from \"./").nth(1))
                .map(|rest| rest.trim_end_matches("\";").to_owned())
        }) {
            assert!(
                files
                    .iter()
                    .any(|(p, _)| p.with_extension("") == std::path::Path::new(&import)),
                "every type a binding imports is written too: {import}"
            );
        }
    }
}
