//! Is there a display to open a window on?
//!
//! GTK panics during initialisation when there is none; Porthole checks first and says
//! what to do in one line.

/// `Err` with a one-line explanation when no display can be reached.
pub fn check() -> Result<(), String> {
    if cfg!(not(target_os = "linux")) {
        return Ok(());
    }
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("DISPLAY") || set("WAYLAND_DISPLAY") {
        Ok(())
    } else {
        Err("no display found (neither DISPLAY nor WAYLAND_DISPLAY is set); to run without a screen, use a virtual one: xvfb-run -a porthole [WORKSPACE]".into())
    }
}
