//! The main window.

use tauri::{
    AppHandle, DragDropEvent, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder, WindowEvent,
};

use crate::state::AppState;
use crate::{tray, workspaces};

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
    window.on_window_event(move |event| match event {
        WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) => {
            workspaces::dropped(&handle, paths);
        }
        // Closing keeps Porthole in the tray, where there is a tray to come back from.
        WindowEvent::CloseRequested { api, .. }
            if !handle.state::<AppState>().quit_on_close() && tray::usable(&handle) =>
        {
            api.prevent_close();
            if let Some(window) = handle.get_webview_window(MAIN) {
                if let Err(error) = window.hide() {
                    tracing::warn!(%error, "cannot hide the window");
                }
            }
        }
        _ => {}
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

/// The window's size before compact mode, to return to.
#[derive(Default)]
pub struct CompactState(std::sync::Mutex<Option<tauri::PhysicalSize<u32>>>);

/// Compact mode: a small window that stays on top, showing only the panel (the page
/// hides the rest). Leaving it restores the size the window had.
pub fn set_compact(app: &AppHandle, on: bool) -> tauri::Result<()> {
    let Some(window) = app.get_webview_window(MAIN) else {
        return Ok(());
    };
    let saved = app.state::<CompactState>();
    let mut saved = saved.0.lock().unwrap_or_else(|p| p.into_inner());
    window.set_always_on_top(on)?;
    if on {
        if saved.is_none() {
            *saved = Some(window.inner_size()?);
        }
        window.set_size(tauri::LogicalSize::new(560.0, 400.0))?;
    } else if let Some(size) = saved.take() {
        window.set_size(size)?;
    }
    Ok(())
}
