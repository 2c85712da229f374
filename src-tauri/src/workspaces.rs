//! Opening another workspace in the running app: from a second `porthole DIR` (through
//! tauri-plugin-single-instance), the Open Workspace... folder picker, the recent list,
//! or a folder dropped on the window. The app switches, tells the window, and comes to
//! the front.

use std::path::Path;

use clap::Parser;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_dialog::DialogExt;

use crate::args::Cli;
use crate::commands::AppInfo;
use crate::discovery;
use crate::error::UiError;
use crate::events::WORKSPACE_CHANGED;
use crate::state::AppState;
use crate::{tray, window};

/// Called by the single-instance plugin while the second `porthole` waits for the
/// answer (on Linux, inside a D-Bus call with no time limit). So it only hands the
/// command line to the main thread, where the tray's and the window's own events run,
/// and returns at once: the second process exits as soon as the handover is made, and
/// nothing the switch does can keep it waiting.
pub fn hand_over(app: &AppHandle, argv: Vec<String>, cwd: String) {
    let handle = app.clone();
    let queued = app.run_on_main_thread(move || {
        if handle.try_state::<AppState>().is_some() {
            open_from_second_instance(&handle, &argv, &cwd);
        } else {
            tracing::warn!("a second porthole asked to switch before the app was ready; ignored");
        }
    });
    if let Err(error) = queued {
        tracing::warn!(%error, "cannot take the second porthole's workspace");
    }
}

/// `argv` and `cwd` are the second instance's. Its workspace is resolved against its own
/// directory; without one it only brings the window forward.
fn open_from_second_instance(app: &AppHandle, argv: &[String], cwd: &str) {
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

/// Opens `dir` if it is a directory; what else to say is for the caller.
pub fn open_dir(app: &AppHandle, dir: &Path) -> Result<(), UiError> {
    let dir = discovery::resolve(dir);
    if !dir.is_dir() {
        return Err(UiError {
            code: "not_a_directory".into(),
            message: format!("{} is not a folder Porthole can open", dir.display()),
            retryable: false,
        });
    }
    open(app, dir);
    Ok(())
}

/// Shows the folder picker; the chosen folder becomes the workspace.
pub fn pick(app: &AppHandle) {
    let handle = app.clone();
    let start = app.state::<AppState>().workspace();
    app.dialog()
        .file()
        .set_title("Open Workspace")
        .set_directory(start)
        .pick_folder(move |folder| {
            let Some(folder) = folder else {
                return;
            };
            match folder.into_path() {
                Ok(dir) => {
                    if let Err(error) = open_dir(&handle, &dir) {
                        tracing::warn!(%error, "cannot open the picked folder");
                    }
                }
                Err(error) => tracing::warn!(%error, "the picked folder has no local path"),
            }
        });
}

/// A folder dropped on the window becomes the workspace; files are ignored.
pub fn dropped(app: &AppHandle, paths: &[std::path::PathBuf]) {
    if let Some(dir) = paths.iter().find(|p| p.is_dir()) {
        if let Err(error) = open_dir(app, dir) {
            tracing::warn!(%error, "cannot open the dropped folder");
        }
        window::show_main(app);
    }
}
