//! The tray icon.
//!
//! On Linux the tray goes through AppIndicator, which the tray library loads at run time
//! and panics without. Porthole checks for the library first and, without it, runs with
//! no tray and says so once in its log. Linux sends no click events for tray icons, only
//! menu events, so everything is in the menu.

use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::AppHandle;

use crate::window;

const ICON_IDLE: &[u8] = include_bytes!("../../icons/tray-idle.png");

const SHOW_HIDE: &str = "show-hide";
const QUIT: &str = "quit";

/// Installs the tray icon when the desktop can show one.
pub fn install(app: &AppHandle) {
    if let Err(reason) = tray_available() {
        tracing::info!("no tray icon: {reason}; Porthole works from its window alone");
        return;
    }
    if let Err(error) = build(app) {
        tracing::warn!(%error, "no tray icon: it could not be created");
    }
}

fn build(app: &AppHandle) -> tauri::Result<()> {
    let menu = Menu::with_items(
        app,
        &[
            &MenuItem::with_id(app, SHOW_HIDE, "Show/Hide Porthole", true, None::<&str>)?,
            &PredefinedMenuItem::separator(app)?,
            &MenuItem::with_id(app, QUIT, "Quit Porthole", true, None::<&str>)?,
        ],
    )?;
    TrayIconBuilder::with_id("porthole")
        .icon(Image::from_bytes(ICON_IDLE)?)
        .tooltip("Porthole")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            SHOW_HIDE => window::toggle_main(app),
            QUIT => app.exit(0),
            _ => {}
        })
        .build(app)?;
    Ok(())
}

/// Whether the AppIndicator library the tray needs can be loaded.
#[cfg(target_os = "linux")]
fn tray_available() -> Result<(), String> {
    const LIBS: &[&str] = &["libayatana-appindicator3.so.1", "libappindicator3.so.1"];
    for lib in LIBS {
        // SAFETY: loading these libraries runs no initialisation code with preconditions;
        // the tray library loads the same one right after.
        if unsafe { libloading::Library::new(lib) }.is_ok() {
            return Ok(());
        }
    }
    Err(format!("neither {} is installed", LIBS.join(" nor ")))
}

#[cfg(not(target_os = "linux"))]
fn tray_available() -> Result<(), String> {
    Ok(())
}
