//! Runs tauri-build against the configuration at the repository root, and restricts the
//! webview to the commands listed here: a command missing from this list cannot be called
//! from the window even when it is registered, and each one listed still needs its
//! `allow-*` permission in `capabilities/`.

const COMMANDS: &[&str] = &[
    "app_info",
    "list_sessions",
    "attach",
    "detach",
    "attachment",
    "frame_painted",
    "frame_channel",
    "send_input",
    "request_frame",
    "navigate",
    "open_external",
    "save_screenshot",
    "copy_screenshot",
    "open_workspace",
    "pick_workspace",
    "set_compact",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
