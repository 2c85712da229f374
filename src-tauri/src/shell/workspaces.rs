//! Opening another workspace in the running app: from a second `porthole DIR` (through
//! tauri-plugin-single-instance), the Open Workspace... folder picker, the recent list,
//! or a folder dropped on the window. Which folder that is follows one rule,
//! [`porthole_core::desktop::workspace::choose`]; the app switches, tells the window,
//! and comes to the front.

use std::path::{Path, PathBuf};

use clap::Parser;
use tauri::{AppHandle, DragDropEvent, Manager, WebviewWindow, WindowEvent};
use tauri_plugin_dialog::DialogExt;

use porthole_core::desktop::workspace::{self, NotAFolder};

use crate::args::{Cli, Command};
use crate::shell::state::AppState;
use crate::shell::window;
use crate::shell::{browsers, notify};

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
            if let Err(error) = open_dir(app, &dir, Some(Path::new(cwd))) {
                tracing::warn!(%error, "a second porthole named a workspace that is not a directory");
            }
        }
        Ok(Cli {
            command: Some(Command::Connect(args)),
            ..
        }) => match browsers::parse(&args.address) {
            Ok(endpoint) => browsers::connect(app, endpoint),
            Err(error) => {
                tracing::warn!(error = %error.message, "a second porthole named an address Porthole does not connect to")
            }
        },
        Ok(_) => {}
        Err(error) => {
            tracing::warn!(%error, "cannot read the second porthole's command line");
        }
    }
    window::show_main(app);
}

/// Opens `dir` (relative to `cwd` if given) as the workspace if it is a folder.
pub fn open_dir(app: &AppHandle, dir: &Path, cwd: Option<&Path>) -> Result<(), NotAFolder> {
    let dir = workspace::choose(Some(dir), cwd, None)?;
    notify::send(app, app.state::<AppState>().open_workspace(dir));
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
                    if let Err(error) = open_dir(&handle, &dir, None) {
                        tracing::warn!(%error, "cannot open the picked folder");
                    }
                }
                Err(error) => tracing::warn!(%error, "the picked folder has no local path"),
            }
        });
}

/// A folder dropped on `window` becomes the workspace; files are ignored.
pub fn open_dropped_folders(window: &WebviewWindow) {
    let app = window.app_handle().clone();
    window.on_window_event(move |event| {
        if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
            dropped(&app, paths);
        }
    });
}

fn dropped(app: &AppHandle, paths: &[PathBuf]) {
    if let Some(dir) = paths.iter().find(|p| p.is_dir()) {
        if let Err(error) = open_dir(app, dir, None) {
            tracing::warn!(%error, "cannot open the dropped folder");
        }
        window::show_main(app);
    }
}
