//! Is there a display to open a window on?
//!
//! GTK panics during initialisation when it cannot open a display; Porthole checks
//! first, by opening it, and says what to do in one line.

/// `Err` with a one-line explanation when no display can be opened.
#[cfg(target_os = "linux")]
pub fn check() -> Result<(), String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let Some(display) = var("WAYLAND_DISPLAY").or_else(|| var("DISPLAY")) else {
        return Err("no display found (neither DISPLAY nor WAYLAND_DISPLAY is set); to run without a screen, use a virtual one: xvfb-run -a porthole [WORKSPACE]".into());
    };
    // Initialises GTK on this, the main, thread; Tauri's own initialisation later finds
    // it done.
    gtk::init().map_err(|e| {
        format!("the display {display} cannot be opened ({e}); check that it is running, or use a virtual one: xvfb-run -a porthole [WORKSPACE]")
    })
}

#[cfg(not(target_os = "linux"))]
pub fn check() -> Result<(), String> {
    Ok(())
}

/// Chooses WebKitGTK's renderer before the first window exists.
///
/// Without a GPU render node (`/dev/dri/renderD*`: Xvfb, containers, VMs without
/// passthrough), WebKitGTK's DMA-BUF renderer composites through software OpenGL,
/// which halves the frame rate of the Browser panel on such machines (measured in
/// docs/BENCHMARKS.md). There, Porthole turns it off, unless the person has set
/// `WEBKIT_DISABLE_DMABUF_RENDERER` themselves. Must run before any other thread starts
/// (it sets an environment variable); returns whether it turned the renderer off.
pub fn choose_renderer() -> bool {
    if cfg!(not(target_os = "linux")) || std::env::var_os(DMABUF_SWITCH).is_some() {
        return false;
    }
    if has_render_node(std::path::Path::new("/dev/dri")) {
        return false;
    }
    // Single-threaded still: run_gui calls this first thing, before logging, Tauri and tokio.
    std::env::set_var(DMABUF_SWITCH, "1");
    true
}

const DMABUF_SWITCH: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

fn has_render_node(dri: &std::path::Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_is_a_renderd_device() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(
            !has_render_node(&dir.path().join("absent")),
            "no /dev/dri at all"
        );
        std::fs::write(dir.path().join("card0"), "").expect("card0");
        assert!(!has_render_node(dir.path()), "a card without a render node");
        std::fs::write(dir.path().join("renderD128"), "").expect("renderD128");
        assert!(has_render_node(dir.path()), "renderD128 is a render node");
    }
}
