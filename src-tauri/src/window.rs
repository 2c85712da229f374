//! The main window.

use tauri::{
    AppHandle, DragDropEvent, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder, WindowEvent,
};

use crate::settings::WindowSize;
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
        .always_on_top(app.state::<AppState>().compact().is_some())
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
            hide_main(&handle);
            tray::refresh(&handle);
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
    if window.is_visible().unwrap_or(false) {
        hide_main(app);
    } else {
        show_main(app);
    }
}

/// Hides the main window to the tray. Nothing streams while it is hidden: the
/// attachment ends, and is taken up again when the window shows.
fn hide_main(app: &AppHandle) {
    let Some(window) = app.get_webview_window(MAIN) else {
        return;
    };
    if let Err(error) = window.hide() {
        tracing::warn!(%error, "cannot hide the window");
        return;
    }
    app.state::<AppState>().window_hidden(app);
}

/// Shows, unminimises and focuses the main window, and attaches again what was on
/// screen when it was hidden.
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
    app.state::<AppState>().window_shown(app);
}

/// Compact mode: a small window that stays on top, showing only the panel (the page
/// hides the rest). Leaving it restores the size the window had. The mode and that size
/// are kept in the settings, so a Porthole quit while compact comes back compact.
pub fn set_compact(app: &AppHandle, on: bool) -> tauri::Result<()> {
    let Some(window) = app.get_webview_window(MAIN) else {
        return Ok(());
    };
    let state = app.state::<AppState>();
    window.set_always_on_top(on)?;
    match (on, state.compact()) {
        (true, None) => {
            let size = window.inner_size()?;
            state.set_compact(Some(WindowSize {
                width: size.width,
                height: size.height,
            }));
            window.set_size(tauri::LogicalSize::new(560.0, 400.0))?;
        }
        (false, Some(from)) => {
            window.set_size(tauri::PhysicalSize::new(from.width, from.height))?;
            state.set_compact(None);
        }
        _ => {}
    }
    Ok(())
}
