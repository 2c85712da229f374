//! Porthole's app: the window and the headless subcommands, a thin layer over
//! [`porthole_core`], which knows nothing of Tauri.
//!
//! - [`args`] and [`logging`]: the command line and where logs go;
//! - [`headless`]: `porthole sessions` and `porthole watch`, over the same core as the
//!   window;
//! - [`shell`]: the Tauri shell, wired together by [`run_gui`] here.

pub mod args;
pub mod headless;
pub mod logging;
pub mod shell;

#[cfg(test)]
mod bindings;

use std::path::PathBuf;
use std::process::ExitCode;

use args::{Command, MeasureArgs};
use porthole_core::cdp::endpoint::Endpoint;
use porthole_core::desktop::settings::SettingsStore;
use porthole_core::desktop::workspace;
use porthole_core::stream::frames;
use shell::{
    announce, browsers, commands, display, frame_scheme, measure, notify, state, tray, window,
    workspaces,
};
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
            Command::Open(args) => headless::open(args).await,
            Command::Timeline(args) => headless::timeline(args),
            // Opens the window: main() sends it to run_gui.
            Command::Connect(_) => ExitCode::from(2),
        }
    })
}

/// How the window is opened.
pub struct Launch {
    /// The workspace (default: the last workspace, else the current directory).
    pub workspace: Option<PathBuf>,
    pub measure: MeasureArgs,
    /// Show the browser at this DevTools endpoint.
    pub connect: Option<Endpoint>,
    /// Start hidden in the tray (at login), if the desktop shows one.
    pub hidden: bool,
}

/// Opens the window as `launch` says, or hands it to the Porthole already running.
pub fn run_gui(launch: Launch) -> ExitCode {
    let Launch {
        workspace,
        measure,
        connect,
        hidden,
    } = launch;
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
    let settings = SettingsStore::default_path().map(SettingsStore::load);
    let last = settings.as_ref().and_then(|s| s.get().last_workspace);
    let cwd = std::env::current_dir().ok();
    let workspace = match workspace::choose(workspace.as_deref(), cwd.as_deref(), last.as_deref()) {
        Ok(dir) => dir,
        Err(workspace::NotAFolder(dir)) => {
            eprintln!(
                "porthole: the workspace must be an existing directory: {} is not one",
                dir.display()
            );
            return ExitCode::from(2);
        }
    };
    tracing::info!(workspace = %workspace.display(), version = env!("CARGO_PKG_VERSION"), "starting Porthole");

    let app = tauri::Builder::default()
        // First: a second `porthole DIR` hands DIR to this instance and exits.
        .plugin(tauri_plugin_single_instance::init(workspaces::hand_over))
        .invoke_handler(commands::handler())
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
            workspaces::open_dropped_folders(&window::create_main(app.handle())?);
            tray::install(app.handle());
            // Hidden before discovery is followed, so a start in the tray attaches nothing.
            if hidden {
                window::start_hidden(app.handle());
            }
            notify::forward_discovery(app.handle());
            announce::watch(app.handle());
            if let Some(endpoint) = connect {
                browsers::connect(app.handle(), endpoint);
            }
            if let (Some(seconds), Some(out)) = (measure.measure_seconds, measure.measure_out) {
                let plan = measure::Plan {
                    seconds,
                    warmup: measure.measure_warmup,
                    hidden: measure.measure_hidden,
                };
                measure::start(app.handle(), plan, out, opened_at_ms);
            }
            Ok(())
        })
        .build(tauri::generate_context!("tauri.conf.json"));
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
