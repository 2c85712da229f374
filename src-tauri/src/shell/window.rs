//! The main window: created titled with the workspace, hidden to the tray on close
//! (letting the session go until it shows again), shown, and made compact.

use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder, WindowEvent};

use porthole_core::desktop::settings::WindowSize;

use crate::shell::notify::{self, MAIN_WINDOW};
use crate::shell::state::AppState;
use crate::shell::tray_icon;

/// Opens the main window, titled with the workspace's name.
pub fn create_main(app: &AppHandle) -> tauri::Result<WebviewWindow> {
    let state = app.state::<AppState>();
    let window = WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
        .title(notify::title(&state))
        .inner_size(1280.0, 800.0)
        .min_inner_size(480.0, 300.0)
        .always_on_top(state.compact().is_some())
        .build()?;
    let handle = app.clone();
    window.on_window_event(move |event| match event {
        // Closing keeps Porthole in the tray, where there is a tray to come back from.
        WindowEvent::CloseRequested { api, .. }
            if !handle.state::<AppState>().quit_on_close() && tray_icon::usable(&handle) =>
        {
            api.prevent_close();
            hide_main(&handle);
        }
        _ => {}
    });
    Ok(window)
}

/// Shows and focuses the main window, or hides it when it is visible.
pub fn toggle_main(app: &AppHandle) {
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        return;
    };
    if window.is_visible().unwrap_or(false) {
        hide_main(app);
    } else {
        show_main(app);
    }
}

/// Hides the main window to the tray. Nothing streams while it is hidden: the
/// attachment ends, and is taken up again when the window shows; unless the person
/// keeps recording while hidden ([`AppState::window_hidden`]).
pub fn hide_main(app: &AppHandle) {
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        return;
    };
    if let Err(error) = window.hide() {
        tracing::warn!(%error, "cannot hide the window");
        return;
    }
    notify::send(app, app.state::<AppState>().window_hidden());
}

/// `porthole --hidden` (the login entry): into the tray at once, if the desktop shows
/// one; otherwise the window stays, since there would be no way back to it.
pub fn start_hidden(app: &AppHandle) {
    if tray_icon::usable(app) {
        hide_main(app);
    } else {
        tracing::info!(
            "asked to start hidden, but there is no tray to start in: showing the window"
        );
    }
}

/// Shows, unminimises and focuses the main window, and attaches again what was on
/// screen when it was hidden.
pub fn show_main(app: &AppHandle) {
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        return;
    };
    let result = window
        .show()
        .and_then(|_| window.unminimize())
        .and_then(|_| window.set_focus());
    if let Err(error) = result {
        tracing::warn!(%error, "cannot show the window");
    }
    notify::send(app, app.state::<AppState>().window_shown());
}

/// Compact mode: a small window that stays on top, showing only the panel (the page
/// hides the rest). Leaving it restores the size the window had. The mode and that size
/// are kept in the settings, so a Porthole quit while compact comes back compact.
pub fn set_compact(app: &AppHandle, on: bool) -> tauri::Result<()> {
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
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
