//! Copying to the person's clipboard: the frame on screen, and text the window offers
//! to copy (the command that starts a session).
//!
//! WebKitGTK refuses a page's `navigator.clipboard.write` of images, so the copy is made
//! here, through GTK's clipboard, from the frame's own JPEG: the pixels the daemon sent,
//! not a canvas re-encoded by the webview. GTK's clipboard belongs to the main thread;
//! Tauri runs synchronous commands there. The running app serves the image to whoever
//! pastes it (and hands it to a clipboard manager, where the desktop has one).

/// Puts the JPEG on the clipboard as an image; returns its size in pixels.
#[cfg(target_os = "linux")]
pub fn copy_jpeg(jpeg: &[u8]) -> Result<(u32, u32), String> {
    use gtk::gdk_pixbuf::PixbufLoader;
    use gtk::prelude::*;

    if !gtk::is_initialized_main_thread() {
        return Err("the clipboard can only be reached from the window's thread".into());
    }
    let loader = PixbufLoader::with_type("jpeg")
        .map_err(|e| format!("this system cannot read JPEG images: {e}"))?;
    loader
        .write(jpeg)
        .and_then(|()| loader.close())
        .map_err(|e| format!("the frame could not be decoded: {e}"))?;
    let pixbuf = loader
        .pixbuf()
        .ok_or("the frame could not be decoded: no picture in it")?;
    let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
    clipboard.set_image(&pixbuf);
    clipboard.store();
    let size = |v: i32| u32::try_from(v).unwrap_or(0);
    Ok((size(pixbuf.width()), size(pixbuf.height())))
}

#[cfg(not(target_os = "linux"))]
pub fn copy_jpeg(_jpeg: &[u8]) -> Result<(u32, u32), String> {
    Err("copying images is not built for this platform yet".into())
}

/// Puts text on the clipboard.
#[cfg(target_os = "linux")]
pub fn copy_text(text: &str) -> Result<(), String> {
    if !gtk::is_initialized_main_thread() {
        return Err("the clipboard can only be reached from the window's thread".into());
    }
    let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
    clipboard.set_text(text);
    clipboard.store();
    Ok(())
}

#[cfg(not(target_os = "linux"))]
pub fn copy_text(_text: &str) -> Result<(), String> {
    Err("copying text is not built for this platform yet".into())
}
