//! The commands the window may call. Thin: they read the shared state and translate;
//! the core decides. Each one is also listed in `build.rs` and allowed in
//! `capabilities/main.json`, or the webview cannot call it.

use serde::Serialize;
use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::agent_browser::cli::AgentBrowserCli;
use crate::agent_browser::protocol::Input;
use crate::args::Transport;
use crate::attach::Attachment;
use crate::discovery::Discovery;
use crate::discovery::Report;
use crate::error::Coded;
use crate::error::UiError;
use crate::events::{self, AttachEvent};
use crate::logging;
use crate::navigation::{self, NavAction};
use crate::screenshot::{self, ImageFormat, ScreenshotError};
use crate::state::AppState;
use crate::workspaces;

/// What the window shows about the app itself.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// The open workspace, symlinks resolved.
    pub workspace: String,
    /// Where the log files are.
    pub log_dir: Option<String>,
    /// How frame bytes reach the window.
    pub transport: Transport,
    /// Workspaces opened before, most recent first.
    pub recent: Vec<String>,
    /// Compact mode is on (only the panel, on top).
    pub compact: bool,
}

impl AppInfo {
    pub fn of(state: &AppState) -> Self {
        Self {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            workspace: state.workspace().display().to_string(),
            log_dir: logging::log_dir().map(|d| d.display().to_string()),
            transport: state.transport,
            recent: state
                .recent_workspaces()
                .iter()
                .map(|w| w.display().to_string())
                .collect(),
            compact: state.compact().is_some(),
        }
    }
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo::of(&state)
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
    state.choose(&app, &session_id)?;
    crate::tray::refresh(&app);
    Ok(())
}

/// Empties the Browser panel.
#[tauri::command]
pub fn detach(app: AppHandle, state: State<'_, AppState>) {
    state.detach(&app);
    crate::tray::refresh(&app);
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

/// The window's channel for frame bytes, used when the transport is `channel`.
#[tauri::command]
pub fn frame_channel(state: State<'_, AppState>, channel: Channel<InvokeResponseBody>) {
    state.set_frame_channel(channel);
}

/// Pointer and keyboard input for the attached page.
#[tauri::command]
pub fn send_input(state: State<'_, AppState>, input: Input) -> Result<(), UiError> {
    let attachment = state.attachment().ok_or_else(|| UiError {
        code: "not_attached".into(),
        message: "no session is attached, so there is no page to send input to".into(),
        retryable: false,
    })?;
    attachment.send_input(input).map_err(|e| e.to_ui())
}

/// Sends the newest frame again. A window that loads after the attachment started
/// missed it, and a still page may send no other for a long time.
#[tauri::command]
pub fn request_frame(app: AppHandle, state: State<'_, AppState>) {
    let newest = state.attachment().and_then(|a| a.frames().borrow().clone());
    if let Some(frame) = newest {
        events::send_frame(&app, &frame);
    }
}

/// Back, forward, reload, open a URL, or switch, open and close tabs, through the
/// attached session's agent-browser CLI.
#[tauri::command]
pub async fn navigate(state: State<'_, AppState>, action: NavAction) -> Result<(), UiError> {
    let attachment = state.attachment().ok_or_else(|| UiError {
        code: "not_attached".into(),
        message: "no session is attached, so there is no browser to drive".into(),
        retryable: false,
    })?;
    let cli = AgentBrowserCli::locate(state.agent_browser().as_deref());
    let mut discovery = Discovery::new().map_err(|e| UiError {
        code: "process_table".into(),
        message: format!("cannot read the process table: {e}"),
        retryable: false,
    })?;
    navigation::run(cli.as_ref(), &mut discovery, &attachment.session(), &action)
        .await
        .map_err(|e| e.to_ui())
}

/// Opens the page's address in the person's own browser. Only web and file addresses:
/// a page's `javascript:` or `data:` URL is never handed to the desktop.
#[tauri::command]
pub fn open_external(app: AppHandle, url: String) -> Result<(), UiError> {
    use tauri_plugin_opener::OpenerExt;
    let lower = url.to_ascii_lowercase();
    if !["http://", "https://", "file://"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Err(UiError {
            code: "invalid_url".into(),
            message: format!("only web and file addresses open in your browser, not “{url}”"),
            retryable: false,
        });
    }
    app.opener()
        .open_url(&url, None::<&str>)
        .map_err(|e| UiError {
            code: "open_failed".into(),
            message: format!("your browser could not be opened: {e}"),
            retryable: true,
        })
}

/// The attachment on screen and the JPEG of its newest frame.
fn shown_jpeg(state: &AppState) -> Result<(std::sync::Arc<Attachment>, Vec<u8>), UiError> {
    let attachment = state
        .attachment()
        .ok_or_else(|| ScreenshotError::NoFrame.to_ui())?;
    let frame = attachment
        .frames()
        .borrow()
        .clone()
        .ok_or_else(|| ScreenshotError::NoFrame.to_ui())?;
    let jpeg = frame
        .jpeg()
        .map_err(|e| ScreenshotError::Decode(e.to_string()).to_ui())?;
    Ok((attachment, jpeg))
}

/// Saves the frame on screen in the pictures folder; returns the file's path.
#[tauri::command]
pub fn save_screenshot(state: State<'_, AppState>, format: ImageFormat) -> Result<String, UiError> {
    let (attachment, jpeg) = shown_jpeg(&state)?;
    let path = screenshot::save(
        &jpeg,
        &attachment.session().name,
        format,
        &screenshot::default_dir(),
    )
    .map_err(|e| e.to_ui())?;
    tracing::info!(path = %path.display(), "screenshot saved");
    Ok(path.display().to_string())
}

/// Copies the frame on screen to the clipboard, as an image of the page's own pixels.
/// Synchronous, so Tauri runs it on the main thread, where GTK's clipboard lives.
#[tauri::command]
pub fn copy_screenshot(state: State<'_, AppState>) -> Result<(), UiError> {
    let (_, jpeg) = shown_jpeg(&state)?;
    let (width, height) = crate::clipboard::copy_jpeg(&jpeg).map_err(|message| UiError {
        code: "clipboard".into(),
        message: format!("the page could not be copied: {message}"),
        retryable: true,
    })?;
    tracing::info!(width, height, "frame copied to the clipboard");
    Ok(())
}

/// Opens another workspace (from the recent list).
#[tauri::command]
pub fn open_workspace(app: AppHandle, path: String) -> Result<(), UiError> {
    workspaces::open_dir(&app, std::path::Path::new(&path))
}

/// Asks the person for a folder and opens it as the workspace.
#[tauri::command]
pub fn pick_workspace(app: AppHandle) {
    workspaces::pick(&app);
}

/// Compact mode: a small always-on-top window with only the panel.
#[tauri::command]
pub fn set_compact(app: AppHandle, on: bool) -> Result<(), UiError> {
    crate::window::set_compact(&app, on).map_err(|e| UiError {
        code: "window".into(),
        message: format!("the window could not change its mode: {e}"),
        retryable: true,
    })
}
