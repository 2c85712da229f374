//! Tells a person whose window is hidden in the tray that the agent opened a browser in
//! the open workspace: a desktop notification, "The agent opened a browser in WORKSPACE",
//! whose **Show** action (or a click on it) brings the window back with that browser on
//! screen. It is the `notifyNewBrowser` setting, on by default.
//!
//! [`watch`] follows discovery on its own task; [`Arrivals`] decides what is new, so a
//! browser already running when Porthole starts, or when a workspace is opened, is not
//! announced. The notification goes over the desktop's notification service
//! (`org.freedesktop.Notifications`) with notify-rust, the library
//! tauri-plugin-notification wraps on Linux: the plugin offers no actions on the
//! desktop, and the window needs no notification permission since only this side
//! announces. Without a notification service, nothing is shown and a line is logged.

use std::path::Path;

use tauri::{AppHandle, Manager};

use crate::shell::state::AppState;
use crate::shell::window;
use porthole_core::desktop::arrivals::Arrivals;
use porthole_core::discovery::Session;

/// The action that shows the window; "default" is what a click on the notification
/// itself sends.
const SHOW_ACTIONS: [&str; 2] = ["default", "show"];

/// Follows discovery for as long as the app runs, announcing each browser that appears
/// in the open workspace while the window is hidden.
pub fn watch(app: &AppHandle) {
    let mut rx = app.state::<AppState>().subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut arrivals = Arrivals::default();
        loop {
            let state = app.state::<AppState>();
            let report = state.report();
            let opened = arrivals.update(&report);
            if state.is_hidden() && state.notify_new_browser() {
                for session in opened {
                    announce(&app, &report.workspace, session);
                }
            }
            if rx.changed().await.is_err() {
                break;
            }
            rx.borrow_and_update();
        }
    });
}

/// What the notification says.
fn summary(workspace: &Path) -> String {
    let name = workspace
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| workspace.display().to_string());
    format!("The agent opened a browser in {name}")
}

fn body(session: &Session) -> String {
    format!("Session “{}”. Show it in Porthole.", session.name)
}

#[cfg(target_os = "linux")]
fn announce(app: &AppHandle, workspace: &Path, session: Session) {
    let summary = summary(workspace);
    let body = body(&session);
    let app = app.clone();
    // Showing and waiting for the answer block on D-Bus: a thread of its own, which
    // ends when the notification is answered, dismissed or expires.
    let spawned = std::thread::Builder::new()
        .name("announce".into())
        .spawn(move || {
            let shown = notify_rust::Notification::new()
                .appname("Porthole")
                .summary(&summary)
                .body(&body)
                .icon("porthole")
                .action("default", "Show")
                .action("show", "Show")
                .hint(notify_rust::Hint::DesktopEntry("Porthole".into()))
                .show();
            let handle = match shown {
                Ok(handle) => handle,
                Err(error) => {
                    tracing::info!(%error, "cannot show a desktop notification");
                    return;
                }
            };
            tracing::info!(session = %session.name, "announced a browser the agent opened");
            handle.wait_for_action(|action| {
                if SHOW_ACTIONS.contains(&action) {
                    show(&app, session.id.clone());
                }
            });
        });
    if let Err(error) = spawned {
        tracing::warn!(%error, "cannot start the notification's thread");
    }
}

#[cfg(not(target_os = "linux"))]
fn announce(_app: &AppHandle, _workspace: &Path, session: Session) {
    tracing::info!(session = %session.name, "a browser opened; notifications are Linux-only for now");
}

/// Brings the window back with `session_id` on screen.
fn show(app: &AppHandle, session_id: String) {
    let handle = app.clone();
    let result = app.run_on_main_thread(move || {
        handle.state::<AppState>().resume_on_show(&session_id);
        window::show_main(&handle);
    });
    if let Err(error) = result {
        tracing::warn!(%error, "cannot show the window from the notification");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notification_names_the_workspace_by_its_folder() {
        assert_eq!(
            summary(Path::new("/home/me/shop")),
            "The agent opened a browser in shop",
            "a person knows a workspace by its folder's name"
        );
    }
}
