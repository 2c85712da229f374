//! Where Porthole's logs go.
//!
//! The window logs to stderr and to a daily file in the app's data directory
//! (`$XDG_DATA_HOME/dev.porthole.app/logs/porthole.YYYY-MM-DD.log` on Linux, seven days
//! kept). Headless commands log to stderr only, warnings and up, so their stdout stays
//! clean for `--json`. `PORTHOLE_LOG` takes a tracing filter (`debug`,
//! `porthole_core=trace`, ...).

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

pub use porthole_core::APP_ID;

/// The environment variable holding the log filter.
pub const ENV_FILTER: &str = "PORTHOLE_LOG";

/// The directory log files go to.
pub fn log_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_ID).join("logs"))
}

/// Starts logging for the window. Keep the guard alive: dropping it flushes the file.
pub fn init_gui() -> Option<WorkerGuard> {
    let filter = || EnvFilter::try_from_env(ENV_FILTER).unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());
    let file = log_dir().and_then(|dir| {
        if let Err(e) = std::fs::create_dir_all(&dir) {
            eprintln!("porthole: cannot write logs to {}: {e}", dir.display());
            return None;
        }
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("porthole")
            .filename_suffix("log")
            .max_log_files(7)
            .build(&dir)
            .map_err(|e| eprintln!("porthole: cannot write logs to {}: {e}", dir.display()))
            .ok()
    });
    let (file_layer, guard) = match file {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(filter());
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };
    tracing_subscriber::registry()
        .with(stderr)
        .with(file_layer)
        .init();
    guard
}

/// Starts logging for a headless command: stderr, warnings and up unless `PORTHOLE_LOG`
/// says otherwise.
pub fn init_headless() {
    let filter = EnvFilter::try_from_env(ENV_FILTER).unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::registry()
        .with(
            fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(filter),
        )
        .init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_id_is_the_one_tauri_uses() {
        let conf = include_str!("../../tauri.conf.json");
        let conf: serde_json::Value = serde_json::from_str(conf).expect("tauri.conf.json is JSON");
        assert_eq!(
            conf["identifier"], APP_ID,
            "logs must live in the same data dir Tauri gives the app"
        );
    }
}
