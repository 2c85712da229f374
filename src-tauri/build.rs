//! Runs tauri-build against the configuration at the repository root, and restricts the
//! webview to the commands of the surface: a command missing from the app manifest
//! cannot be called from the window even when it is registered. The list is read from
//! `capabilities/main.json`, which the bindings test writes from the one definition of
//! the command surface (`src/shell/commands.rs`): each `allow-NAME` there is a command.

const CAPABILITY: &str = "capabilities/main.json";

fn commands() -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(CAPABILITY).map_err(|e| format!("{CAPABILITY}: {e}"))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{CAPABILITY} is not JSON: {e}"))?;
    let permissions = json["permissions"]
        .as_array()
        .ok_or_else(|| format!("{CAPABILITY} has no permissions list"))?;
    Ok(permissions
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|name| name.replace('-', "_"))
        .collect())
}

fn main() {
    println!("cargo:rerun-if-changed={CAPABILITY}");
    let commands = match commands() {
        Ok(commands) => commands,
        Err(message) => {
            eprintln!("cannot read the command surface: {message}");
            std::process::exit(1);
        }
    };
    // tauri-build keeps the names for the whole build script's run.
    let names: &'static [&'static str] = Box::leak(
        commands
            .into_iter()
            .map(|c| &*Box::leak(c.into_boxed_str()))
            .collect(),
    );
    let attributes = tauri_build::Attributes::new()
        .config_path("tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(names));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
