//! The Tauri shell: thin layers over [`porthole_core`], each module one concern. They
//! stack without cycles, in the order of [`LAYERS`]; a module uses only the ones below
//! it, and a test holds them to it:
//!
//! - `error`, `display`, `clipboard`: leaves (the shell's own errors, the display and
//!   WebKit's renderer checked before the window, the GTK clipboard);
//! - `state`: what the commands share; it returns what changed and tells no one;
//! - `frame_scheme`, `tray_icon`: read the state (the `frame:` URI scheme, drawing the
//!   tray icon and menu);
//! - `notify`: the one module that tells the window and the tray about a change;
//! - `window`, then `browsers`, `announce` and `measure`, then `workspaces`, then
//!   `tray`: the window's life, connecting to a browser by hand, the desktop
//!   notification of a browser the agent opened, the benchmarks' measurement (which
//!   hides the window as the tray does), opening workspaces, the tray menu's actions;
//! - `commands`: what the webview may call, on top.

pub mod announce;
pub mod browsers;
pub mod clipboard;
pub mod commands;
pub mod display;
pub mod error;
pub mod frame_scheme;
pub mod measure;
pub mod notify;
pub mod state;
pub mod tray;
pub mod tray_icon;
pub mod window;
pub mod workspaces;

/// The shell's modules from the bottom up, by layer: a module may use the modules of
/// the layers before its own, never its own layer's or a later one's.
pub const LAYERS: &[&[&str]] = &[
    &["error", "display", "clipboard"],
    &["state"],
    &["frame_scheme", "tray_icon"],
    &["notify"],
    &["window"],
    &["browsers", "announce", "measure"],
    &["workspaces"],
    &["tray"],
    &["commands"],
];

#[cfg(test)]
mod tests {
    use super::LAYERS;

    fn layer(module: &str) -> usize {
        LAYERS
            .iter()
            .position(|l| l.contains(&module))
            .unwrap_or_else(|| panic!("shell/{module}.rs is placed in a layer of LAYERS"))
    }

    /// The shell modules `text` uses, from `use crate::shell::…` lines and paths.
    fn uses(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        for (at, _) in text.match_indices("crate::shell::") {
            let rest = &text[at + "crate::shell::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = &group[..group.find('}').unwrap_or(group.len())];
                found.extend(
                    inner
                        .split(',')
                        .map(|part| part.trim().split("::").next().unwrap_or("").to_owned()),
                );
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                found.push(name);
            }
        }
        found.retain(|m| !m.is_empty());
        found
    }

    #[test]
    fn no_shell_module_uses_one_above_it() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/shell");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).expect("read src/shell") {
            let path = entry.expect("an entry").path();
            let module = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if module == "mod" {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read a shell module");
            // Code only: a doc comment may point anywhere.
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            for used in uses(&code) {
                assert!(
                    layer(&used) < layer(module),
                    "shell/{module}.rs uses shell/{used}.rs, which is not below it in LAYERS"
                );
            }
            checked += 1;
        }
        let listed: usize = LAYERS.iter().map(|l| l.len()).sum();
        assert_eq!(
            checked, listed,
            "every shell module is in LAYERS, and only those"
        );
    }

    #[test]
    fn the_check_sees_both_forms_of_use() {
        assert_eq!(
            uses("use crate::shell::{notify, tray_icon};\nuse crate::shell::state::AppState;"),
            ["notify", "tray_icon", "state"],
            "grouped and single imports are both read"
        );
    }
}
