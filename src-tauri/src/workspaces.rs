//! Opening another workspace in the running app: a second `porthole DIR` (through
//! tauri-plugin-single-instance) hands its arguments here, and the app switches to DIR,
//! tells the window, and comes to the front.

use std::path::Path;

use clap::Parser;
use tauri::{AppHandle, Emitter, Manager};

use crate::args::Cli;
use crate::commands::AppInfo;
use crate::discovery;
use crate::events::WORKSPACE_CHANGED;
use crate::state::AppState;
use crate::{tray, window};

/// `argv` and `cwd` are the second instance's. Its workspace is resolved against its own
/// directory; without one it only brings the window forward.
pub fn open_from_second_instance(app: &AppHandle, argv: &[String], cwd: &str) {
    match Cli::try_parse_from(argv) {
        Ok(Cli {
            workspace: Some(dir),
            command: None,
            ..
        }) => {
            let dir = discovery::resolve(&Path::new(cwd).join(dir));
            if dir.is_dir() {
                open(app, dir);
            } else {
                tracing::warn!(dir = %dir.display(), "a second porthole named a workspace that is not a directory");
            }
        }
        Ok(_) => {}
        Err(error) => {
            tracing::warn!(%error, "cannot read the second porthole's command line");
        }
    }
    window::show_main(app);
}

/// Switches the app to `workspace` (resolved) and tells the window.
pub fn open(app: &AppHandle, workspace: std::path::PathBuf) {
    let state = app.state::<AppState>();
    if !state.open_workspace(app, workspace) {
        return;
    }
    if let Err(error) = app.emit(WORKSPACE_CHANGED, AppInfo::of(&state)) {
        tracing::warn!(%error, "cannot tell the window about the workspace");
    }
    if let Err(error) = app.emit(crate::events::SESSIONS_CHANGED, state.report()) {
        tracing::warn!(%error, "cannot send sessions to the window");
    }
    window::retitle(app);
    tray::refresh(app);
}
