//! The tray icon as the desktop shows it: whether it can be shown at all, and drawing
//! the menu, icon and tooltip from [`porthole_core::desktop::tray_menu`]'s model. What a
//! menu item does when chosen is [`crate::shell::tray`]'s business.
//!
//! On Linux the tray goes through AppIndicator, which the tray library loads at run time
//! and panics without, so [`available`] checks for the library first. Linux sends no
//! click events for tray icons, only menu events, so everything is in the menu.

use tauri::image::Image;
use tauri::menu::{CheckMenuItem, IsMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIcon;
use tauri::{AppHandle, Manager, Wry};

use porthole_core::desktop::tray_menu::{recording_label, tray_items, TrayItem, SESSION_PREFIX};
use porthole_core::stream::attachment::AttachState;

use crate::shell::state::AppState;

/// The tray icon's id.
pub const ID: &str = "porthole";
const ICON_IDLE: &[u8] = include_bytes!("../../../icons/tray-idle.png");
const ICON_LIVE: &[u8] = include_bytes!("../../../icons/tray-live.png");

/// The icon shown while no page is live.
pub fn idle_icon() -> tauri::Result<Image<'static>> {
    Image::from_bytes(ICON_IDLE)
}

/// Redraws the menu from the current sessions, and shows whether a page is live: at
/// once on the main thread, and from any other thread by handing the redraw to the
/// main thread without waiting for it. The tray lives on the main thread; a tokio
/// worker that waited on it (every menu item is a round trip) would hold up every task
/// behind it for as long as the main thread is busy.
pub fn draw(app: &AppHandle) {
    let handle = app.clone();
    if let Err(error) = app.run_on_main_thread(move || draw_now(&handle)) {
        tracing::warn!(%error, "cannot update the tray menu");
    }
}

fn draw_now(app: &AppHandle) {
    let Some(tray) = app.tray_by_id(ID) else {
        return;
    };
    if let Err(error) = draw_on(app, &tray) {
        tracing::warn!(%error, "cannot update the tray menu");
    }
}

fn draw_on(app: &AppHandle, tray: &TrayIcon) -> tauri::Result<()> {
    let state = app.state::<AppState>();
    let live = state
        .attachment()
        .is_some_and(|a| matches!(*a.state().borrow(), AttachState::Live { .. }));
    tray.set_menu(Some(menu(app)?))?;
    tray.set_icon(Some(Image::from_bytes(if live {
        ICON_LIVE
    } else {
        ICON_IDLE
    })?))?;
    let tooltip = match state.recording_hidden() {
        Some(session) => format!(
            "Porthole — {} — {}",
            state.workspace().display(),
            recording_label(&session)
        ),
        None => format!("Porthole — {}", state.workspace().display()),
    };
    tray.set_tooltip(Some(tooltip))
}

/// The native menu for the current sessions and attachment.
pub fn menu(app: &AppHandle) -> tauri::Result<Menu<Wry>> {
    let state = app.state::<AppState>();
    let attached = state.attachment().map(|a| a.session().id.clone());
    let recording = state.recording_hidden();
    let items = tray_items(&state.report(), attached.as_deref(), recording.as_deref());
    let mut built: Vec<Box<dyn IsMenuItem<Wry>>> = Vec::with_capacity(items.len());
    for (n, item) in items.into_iter().enumerate() {
        built.push(match item {
            TrayItem::Heading(text) => Box::new(MenuItem::with_id(
                app,
                format!("heading-{n}"),
                text,
                false,
                None::<&str>,
            )?),
            TrayItem::Session {
                id,
                label,
                attached,
                enabled,
            } => Box::new(CheckMenuItem::with_id(
                app,
                format!("{SESSION_PREFIX}{id}"),
                label,
                enabled,
                attached,
                None::<&str>,
            )?),
            TrayItem::Separator => Box::new(PredefinedMenuItem::separator(app)?),
            TrayItem::Action {
                action,
                label,
                enabled,
            } => Box::new(MenuItem::with_id(
                app,
                action.id(),
                label,
                enabled,
                None::<&str>,
            )?),
        });
    }
    let refs: Vec<&dyn IsMenuItem<Wry>> = built.iter().map(|b| b.as_ref()).collect();
    Menu::with_items(app, &refs)
}

/// Whether something on the desktop shows tray icons right now: on Linux, a
/// StatusNotifierWatcher on the session bus. Without one, hiding the window to the tray
/// would leave the person no way back.
#[cfg(target_os = "linux")]
pub fn host_present() -> bool {
    let ask = || -> zbus::Result<bool> {
        let bus = zbus::blocking::Connection::session()?;
        let reply = bus.call_method(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            Some("org.freedesktop.DBus"),
            "NameHasOwner",
            &("org.kde.StatusNotifierWatcher",),
        )?;
        reply.body().deserialize::<bool>()
    };
    ask().unwrap_or_else(|error| {
        tracing::debug!(%error, "cannot ask the session bus for a tray host");
        false
    })
}

#[cfg(not(target_os = "linux"))]
pub fn host_present() -> bool {
    true
}

/// Whether the tray icon exists and a host shows it.
pub fn usable(app: &AppHandle) -> bool {
    app.tray_by_id(ID).is_some() && host_present()
}

/// Whether the AppIndicator library the tray needs can be loaded.
#[cfg(target_os = "linux")]
pub fn available() -> Result<(), String> {
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
pub fn available() -> Result<(), String> {
    Ok(())
}
