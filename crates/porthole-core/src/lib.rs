//! Porthole without a window: everything that finds the agent-browser sessions of a
//! workspace, makes their stream attachable, pumps their frames and drives their page.
//! No Tauri, GTK or webview type appears here, so all of it is tested and benchmarked
//! headless; the app crate (`src-tauri/`) is a thin shell over it.
//!
//! The modules follow the data flow:
//!
//! - [`agent_browser`]: the session files, the typed CLI, the stream's HTTP side;
//! - [`cdp`]: browsers reached over the DevTools protocol: endpoints and discovery;
//! - [`discovery`]: which sessions exist, which are alive, whose workspace they are in,
//!   kept current by a watch;
//! - [`stream`]: one attachment: making the stream attachable ([`stream::ensure`]), the
//!   wire protocol, the client and frame pump ([`stream::attachment`]), frames and what
//!   the agent is doing ([`stream::activity`]);
//! - [`control`]: what the person does to the attached page: navigation and tabs through
//!   the CLI, screenshots of the frame on screen;
//! - [`desktop`]: what the desktop app decides without drawing anything: settings,
//!   auto-attach, the tray menu, and the words a person reads ([`desktop::vocabulary`]);
//! - [`timeline`]: the record of what the agent did, on disk, and its HTML report;
//! - [`launch`]: starting the agent's browser when a person asks, where there is room;
//! - [`resources`] (CPU and memory, for the benchmarks), [`error`] (what reaches a
//!   person), [`files`] (what a person saves), [`sync`].
//!
//! ```no_run
//! use porthole_core::discovery::{Discovery, Report};
//! let mut discovery = Discovery::new().expect("process table");
//! let report = Report::for_workspace(std::path::Path::new("."), discovery.scan());
//! println!("{} sessions here", report.current.len());
//! ```

pub mod agent_browser;
pub mod cdp;
pub mod control;
pub mod desktop;
pub mod discovery;
pub mod error;
pub mod files;
pub mod launch;
pub mod resources;
pub mod stream;
pub mod sync;
pub mod timeline;

/// The bundle identifier: the config and data directories are named after it, as Tauri
/// names them.
pub const APP_ID: &str = "dev.porthole.app";

#[cfg(test)]
mod tests {
    /// The packages `name` depends on, directly or not, as Cargo.lock resolves them.
    fn closure(lock: &str, name: &str) -> std::collections::BTreeSet<String> {
        let mut deps = std::collections::HashMap::<String, Vec<String>>::new();
        for package in lock.split("[[package]]").skip(1) {
            let field = |key: &str| {
                package
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map(|v| v.trim().trim_matches('"').to_owned())
            };
            let Some(pkg) = field("name = ") else {
                continue;
            };
            let list = package
                .split("dependencies = [")
                .nth(1)
                .and_then(|rest| rest.split(']').next())
                .unwrap_or("");
            let names = list
                .split(',')
                .filter_map(|d| d.trim().trim_matches('"').split(' ').next())
                .filter(|d| !d.is_empty())
                .map(str::to_owned);
            deps.entry(pkg).or_default().extend(names);
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut todo = vec![name.to_owned()];
        while let Some(next) = todo.pop() {
            for dep in deps.get(&next).into_iter().flatten() {
                if seen.insert(dep.clone()) {
                    todo.push(dep.clone());
                }
            }
        }
        seen
    }

    #[test]
    fn the_core_depends_on_no_window_crate() {
        let lock =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock"))
                .expect("the workspace's Cargo.lock");
        let deps = closure(&lock, "porthole-core");
        assert!(
            deps.contains("tokio") && deps.contains("sysinfo"),
            "the lock file was read: {deps:?}"
        );
        for dep in &deps {
            for window in [
                "tauri",
                "gtk",
                "gdk",
                "webkit",
                "wry",
                "tao",
                "zbus",
                "javascriptcore",
            ] {
                assert!(
                    !dep.starts_with(window),
                    "porthole-core must not depend on {dep}: the core builds without a window"
                );
            }
        }
    }
}
