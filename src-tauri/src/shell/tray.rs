//! The tray icon's life and its menu's actions: choosing a session attaches it and
//! shows the window; Detach, New browser… (the window's form), Open Workspace…,
//! Show/Hide and Quit do what they say. How
//! the icon and menu look is [`crate::shell::tray_icon`]'s business, and they are
//! redrawn by [`crate::shell::notify`] on every change.

use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

use porthole_core::desktop::tray_menu::{TrayAction, SESSION_PREFIX};

use crate::shell::state::AppState;
use crate::shell::{notify, tray_icon, window, workspaces};

/// Installs the tray icon when the desktop can show one.
pub fn install(app: &AppHandle) {
    if let Err(reason) = tray_icon::available() {
        tracing::info!("no tray icon: {reason}; Porthole works from its window alone");
        return;
    }
    if !tray_icon::host_present() {
        tracing::info!("no tray host on this desktop (nothing shows StatusNotifier icons): the tray icon stays hidden, and closing the window quits");
    }
    let built = tray_icon::menu(app).and_then(|menu| {
        TrayIconBuilder::with_id(tray_icon::ID)
            .icon(tray_icon::idle_icon()?)
            .tooltip("Porthole")
            .menu(&menu)
            .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
            .build(app)
    });
    if let Err(error) = built {
        tracing::warn!(%error, "no tray icon: it could not be created");
    }
}

fn on_menu(app: &AppHandle, id: &str) {
    let state = app.state::<AppState>();
    if let Some(session_id) = id.strip_prefix(SESSION_PREFIX) {
        match state.choose(session_id) {
            Ok(changes) => notify::send(app, changes),
            Err(error) => tracing::warn!(%error, "cannot attach from the tray"),
        }
        window::show_main(app);
        return;
    }
    match TrayAction::from_id(id) {
        Some(TrayAction::Detach) => notify::send(app, state.detach()),
        Some(TrayAction::NewBrowser) => {
            window::show_main(app);
            notify::ask_new_browser(app);
        }
        Some(TrayAction::OpenWorkspace) => workspaces::pick(app),
        Some(TrayAction::ShowHide) => window::toggle_main(app),
        Some(TrayAction::Quit) => {
            notify::send(app, state.detach());
            app.exit(0);
        }
        None => {}
    }
}
