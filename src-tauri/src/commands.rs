//! The commands the window may call. Thin: they read the shared state and translate;
//! the core decides. Each one is also listed in `build.rs` and allowed in
//! `capabilities/main.json`, or the webview cannot call it.

use serde::Serialize;
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::discovery::Report;
use crate::error::UiError;
use crate::events::AttachEvent;
use crate::logging;
use crate::state::AppState;

/// What the window shows about the app itself.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    /// The open workspace, symlinks resolved.
    pub workspace: String,
    /// Where the log files are.
    pub log_dir: Option<String>,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        workspace: state.workspace.display().to_string(),
        log_dir: logging::log_dir().map(|d| d.display().to_string()),
    }
}

/// The sessions of the open workspace, and the others. Updates arrive as
/// `sessions-changed` events.
#[tauri::command]
pub fn list_sessions(state: State<'_, AppState>) -> Report {
    state.report()
}

/// Shows this session in the Browser panel (the person's choice).
#[tauri::command]
pub fn attach(
    app: AppHandle,
    state: State<'_, AppState>,
    session_id: String,
) -> Result<(), UiError> {
    state.attach(&app, &session_id)
}

/// Empties the Browser panel.
#[tauri::command]
pub fn detach(state: State<'_, AppState>) {
    state.detach();
}

/// The attachment on screen, for a window that (re)loads.
#[tauri::command]
pub fn attachment(state: State<'_, AppState>) -> Option<AttachEvent> {
    state.attachment().map(|a| AttachEvent::of(&a))
}

/// The panel has painted frame `seq`: the daemon may send the next one.
#[tauri::command]
pub fn frame_painted(state: State<'_, AppState>, seq: u64) {
    if let Some(a) = state.attachment() {
        a.ack(seq);
    }
}
