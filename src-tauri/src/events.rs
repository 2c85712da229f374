//! The events Porthole sends to the window, and the tasks that send them.
//!
//! Event names are defined once, here; `ui/src/generated/events.ts` is written from
//! the list in this module's test, so the TypeScript side cannot drift.

use tauri::{AppHandle, Emitter};

use crate::discovery::Report;
use crate::state::AppState;

/// Payload: [`Report`]. Sent whenever discovery changes.
pub const SESSIONS_CHANGED: &str = "sessions-changed";

/// Pushes every discovery change to the window as a [`SESSIONS_CHANGED`] event.
pub fn forward_discovery(app: &AppHandle, state: &AppState) {
    let mut rx = state.subscribe();
    let workspace = state.workspace.clone();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while rx.changed().await.is_ok() {
            let sessions = rx.borrow_and_update().as_ref().clone();
            let report = Report::for_workspace(&workspace, sessions);
            if let Err(error) = app.emit(SESSIONS_CHANGED, &report) {
                tracing::warn!(%error, "cannot send sessions to the window");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event name, with the TypeScript constant it becomes.
    const NAMES: &[(&str, &str)] = &[("SESSIONS_CHANGED", SESSIONS_CHANGED)];

    /// Writes the TypeScript event names next to the ts-rs bindings.
    #[test]
    fn export_event_names() {
        let mut ts = String::from(
            "// Generated from src-tauri/src/events.rs by `cargo test`. Do not edit.\n\n",
        );
        for (constant, name) in NAMES {
            ts.push_str(&format!("export const {constant} = \"{name}\";\n"));
        }
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/generated/events.ts");
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(&path, ts).expect("write events.ts");
    }
}
