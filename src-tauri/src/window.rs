//! The main window.

use tauri::{
    AppHandle, DragDropEvent, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder, WindowEvent,
};

use crate::state::AppState;
use crate::workspaces;

/// The label the capability in `capabilities/main.json` grants permissions to.
pub const MAIN: &str = "main";

/// The window title for the open workspace.
fn title(app: &AppHandle) -> String {
    let workspace = app.state::<AppState>().workspace();
    let name = workspace
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| workspace.display().to_string());
    format!("{name} — Porthole")
}

/// Retitles the window after the workspace changed.
pub fn retitle(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        if let Err(error) = window.set_title(&title(app)) {
            tracing::warn!(%error, "cannot retitle the window");
        }
    }
}

/// Opens the main window, titled with the workspace's name. A folder dropped on it
/// becomes the workspace.
pub fn create_main(app: &AppHandle) -> tauri::Result<WebviewWindow> {
    let window = WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App("index.html".into()))
        .title(title(app))
        .inner_size(1280.0, 800.0)
        .min_inner_size(480.0, 300.0)
        .build()?;
    let handle = app.clone();
    window.on_window_event(move |event| {
        if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
            workspaces::dropped(&handle, paths);
        }
    });
    Ok(window)
}

/// Shows and focuses the main window, or hides it when it is visible.
pub fn toggle_main(app: &AppHandle) {
    let Some(window) = app.get_webview_window(MAIN) else {
        return;
    };
    let visible = window.is_visible().unwrap_or(false);
    let result = if visible {
        window.hide()
    } else {
        window.show().and_then(|_| window.set_focus())
    };
    if let Err(error) = result {
        tracing::warn!(%error, "cannot show or hide the window");
    }
}

/// Shows, unminimises and focuses the main window.
pub fn show_main(app: &AppHandle) {
    let Some(window) = app.get_webview_window(MAIN) else {
        return;
    };
    let result = window
        .show()
        .and_then(|_| window.unminimize())
        .and_then(|_| window.set_focus());
    if let Err(error) = result {
        tracing::warn!(%error, "cannot show the window");
    }
}
