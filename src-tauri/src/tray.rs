//! The tray icon and its menu of sessions.
//!
//! On Linux the tray goes through AppIndicator, which the tray library loads at run time
//! and panics without. Porthole checks for the library first and, without it, runs with
//! no tray and says so once in its log. Linux sends no click events for tray icons, only
//! menu events, so everything is in the menu. What the menu lists is decided by
//! [`crate::tray_menu`]; [`refresh`] rebuilds it whenever sessions or the attachment
//! change, and switches the icon between its idle and live variants.

use tauri::image::Image;
use tauri::menu::{CheckMenuItem, IsMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::attach::AttachState;
use crate::state::AppState;
use crate::tray_menu::{tray_items, TrayAction, TrayItem, SESSION_PREFIX};
use crate::window;

const ID: &str = "porthole";
const ICON_IDLE: &[u8] = include_bytes!("../../icons/tray-idle.png");
const ICON_LIVE: &[u8] = include_bytes!("../../icons/tray-live.png");

/// Installs the tray icon when the desktop can show one.
pub fn install(app: &AppHandle) {
    if let Err(reason) = tray_available() {
        tracing::info!("no tray icon: {reason}; Porthole works from its window alone");
        return;
    }
    if !host_present() {
        tracing::info!("no tray host on this desktop (nothing shows StatusNotifier icons): the tray icon stays hidden, and closing the window quits");
    }
    let built = menu(app).and_then(|menu| {
        TrayIconBuilder::with_id(ID)
            .icon(Image::from_bytes(ICON_IDLE)?)
            .tooltip("Porthole")
            .menu(&menu)
            .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
            .build(app)
    });
    if let Err(error) = built {
        tracing::warn!(%error, "no tray icon: it could not be created");
    }
}

/// Rebuilds the menu from the current sessions and shows whether a page is live.
pub fn refresh(app: &AppHandle) {
    let Some(tray) = app.tray_by_id(ID) else {
        return;
    };
    let state = app.state::<AppState>();
    let live = state
        .attachment()
        .is_some_and(|a| matches!(*a.state().borrow(), AttachState::Live { .. }));
    let result = menu(app).and_then(|menu| {
        tray.set_menu(Some(menu))?;
        tray.set_icon(Some(Image::from_bytes(if live {
            ICON_LIVE
        } else {
            ICON_IDLE
        })?))?;
        tray.set_tooltip(Some(format!("Porthole — {}", state.workspace().display())))
    });
    if let Err(error) = result {
        tracing::warn!(%error, "cannot update the tray menu");
    }
}

fn menu(app: &AppHandle) -> tauri::Result<Menu<Wry>> {
    let state = app.state::<AppState>();
    let attached = state.attachment().map(|a| a.session().id.clone());
    let items = tray_items(&state.report(), attached.as_deref());
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

fn on_menu(app: &AppHandle, id: &str) {
    let state = app.state::<AppState>();
    if let Some(session_id) = id.strip_prefix(SESSION_PREFIX) {
        if let Err(error) = state.choose(app, session_id) {
            tracing::warn!(%error, "cannot attach from the tray");
        }
        window::show_main(app);
    } else {
        match TrayAction::from_id(id) {
            Some(TrayAction::Detach) => state.detach(app),
            Some(TrayAction::OpenWorkspace) => crate::workspaces::pick(app),
            Some(TrayAction::ShowHide) => window::toggle_main(app),
            Some(TrayAction::Quit) => {
                state.detach(app);
                app.exit(0);
            }
            None => {}
        }
    }
    refresh(app);
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
