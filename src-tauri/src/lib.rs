//! Porthole: a live window onto the browser a coding agent drives through agent-browser.
//!
//! The crate is a thin Tauri shell over a core that knows nothing of Tauri:
//!
//! - core: [`agent_browser`] (session files, the typed CLI, the stream's HTTP side),
//!   [`discovery`] (which sessions exist and whose they are, kept current by a watch),
//!   [`stream_control`] (making a stream attachable), [`attach`] and [`frames`] (the
//!   stream client and frame pump), [`navigation`] (toolbar and tabs through the CLI),
//!   [`screenshot`] (saving the frame on screen), [`settings`] (what is remembered),
//!   [`tray_menu`] (what the tray lists), [`auto_attach`] (what is attached by
//!   itself), [`resources`] (CPU and memory, for the benchmarks), [`headless`] (the
//!   subcommands),
//!   [`error`], [`args`], [`logging`];
//! - shell: `commands`, `events`, `clipboard`, `frame_scheme`, `measure`, `window`,
//!   `tray`, `workspaces`, wired together by [`run_gui`] here.
//!
//! Only the shell modules use Tauri types, so the core is tested and benchmarked
//! without a window.

pub mod activity;
pub mod agent_browser;
pub mod args;
pub mod attach;
pub mod auto_attach;
pub mod discovery;
pub mod error;
pub mod frames;
pub mod headless;
pub mod logging;
pub mod navigation;
pub mod resources;
pub mod screenshot;
pub mod settings;
pub mod stream_control;
pub mod tray_menu;

mod clipboard;
mod commands;
mod display;
mod events;
mod frame_scheme;
mod measure;
mod state;
mod tray;
mod window;
mod workspaces;

use std::path::PathBuf;
use std::process::ExitCode;

use args::{Command, MeasureArgs};
use tauri::Manager;

/// Runs a headless subcommand on a fresh tokio runtime.
pub fn run_headless(command: Command) -> ExitCode {
    logging::init_headless();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("porthole: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        match command {
            Command::Sessions(args) => headless::sessions(args).await,
            Command::Watch(args) => headless::watch(args).await,
        }
    })
}

/// Opens the window on `workspace` (default: the last workspace, else the current
/// directory), or hands it to the Porthole already running.
pub fn run_gui(workspace: Option<PathBuf>, measure: MeasureArgs) -> ExitCode {
    // "Workspace opened", for the attach-time measurement.
    let opened_at_ms = frames::now_ms();
    // First, while this is the only thread: it sets an environment variable.
    let software_renderer = display::choose_renderer();
    if let Err(message) = display::check() {
        eprintln!("porthole: {message}");
        return ExitCode::from(2);
    }
    let _log_guard = logging::init_gui();
    if software_renderer {
        tracing::info!("no GPU render node: WebKit's DMA-BUF renderer is turned off");
    }
    let settings = settings::SettingsStore::default_path().map(settings::SettingsStore::load);
    // No workspace given: the last one opened, else the current directory.
    let last = settings
        .as_ref()
        .and_then(|s| s.get().last_workspace)
        .filter(|w| w.is_dir());
    let workspace = workspace
        .or(last)
        .or_else(|| std::env::current_dir().ok())
        .map(|w| discovery::resolve(&w));
    let workspace = match workspace {
        Some(dir) if dir.is_dir() => dir,
        other => {
            let what = other.map(|w| format!(": {} is not one", w.display()));
            eprintln!(
                "porthole: the workspace must be an existing directory{}",
                what.unwrap_or_default()
            );
            return ExitCode::from(2);
        }
    };
    tracing::info!(workspace = %workspace.display(), version = env!("CARGO_PKG_VERSION"), "starting Porthole");

    let app = tauri::Builder::default()
        // First: a second `porthole DIR` hands DIR to this instance and exits.
        .plugin(tauri_plugin_single_instance::init(workspaces::hand_over))
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_sessions,
            commands::attach,
            commands::detach,
            commands::attachment,
            commands::frame_painted,
            commands::frame_channel,
            commands::send_input,
            commands::request_frame,
            commands::navigate,
            commands::open_external,
            commands::save_screenshot,
            commands::copy_screenshot,
            commands::open_workspace,
            commands::pick_workspace,
            commands::set_compact
        ])
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .register_asynchronous_uri_scheme_protocol(frame_scheme::SCHEME, frame_scheme::handle)
        .setup(move |app| {
            // Managed before anything that reads it starts: the forwarder's task may run
            // at once, on another thread.
            app.manage(state::AppState::start(
                workspace,
                measure.transport,
                settings,
            )?);
            events::forward_discovery(app.handle());
            window::create_main(app.handle())?;
            tray::install(app.handle());
            if let (Some(seconds), Some(out)) = (measure.measure_seconds, measure.measure_out) {
                measure::start(app.handle(), seconds, out, opened_at_ms);
            }
            Ok(())
        })
        .build(tauri::generate_context!("../tauri.conf.json"));
    match app {
        Ok(app) => {
            app.run(|_, _| {});
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!(error = %e, "Porthole could not start");
            eprintln!("porthole: could not start: {e}");
            ExitCode::FAILURE
        }
    }
}
