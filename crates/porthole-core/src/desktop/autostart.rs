//! Start at login: an XDG autostart entry, written and removed by the setting.
//!
//! The entry itself is the setting: `$XDG_CONFIG_HOME/autostart/dev.porthole.app.desktop`
//! exists (and is not switched off with `Hidden=true` or
//! `X-GNOME-Autostart-enabled=false`, which a desktop's own settings may write) exactly
//! when Porthole starts at login. Nothing else records it, so the two cannot disagree.
//! The entry starts `porthole --hidden`: in the tray if the desktop shows one, else as a
//! window.
//!
//! ```no_run
//! use porthole_core::desktop::autostart::Autostart;
//! let autostart = Autostart::default_location().expect("a config folder");
//! autostart.set(true, &std::env::current_exe().unwrap()).unwrap();
//! assert!(autostart.is_on());
//! ```

use std::path::{Path, PathBuf};

use crate::error::{Coded, ErrorCode};

/// The autostart entry's place.
#[derive(Debug, Clone)]
pub struct Autostart {
    path: PathBuf,
}

/// The entry could not be written or removed.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}: {source}", path.display())]
pub struct AutostartError {
    action: &'static str,
    path: PathBuf,
    #[source]
    source: std::io::Error,
}

impl Coded for AutostartError {
    fn code(&self) -> ErrorCode {
        ErrorCode::WriteFailed
    }

    fn retryable(&self) -> bool {
        true
    }
}

impl Autostart {
    /// `$XDG_CONFIG_HOME/autostart/dev.porthole.app.desktop`.
    pub fn default_location() -> Option<Self> {
        dirs::config_dir().map(|dir| Self::at(dir.join("autostart")))
    }

    /// The entry in the autostart folder `dir`.
    pub fn at(dir: PathBuf) -> Self {
        Self {
            path: dir.join(format!("{}.desktop", crate::APP_ID)),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether Porthole starts at login.
    pub fn is_on(&self) -> bool {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => !text.lines().map(str::trim).any(|line| {
                line.eq_ignore_ascii_case("Hidden=true")
                    || line.eq_ignore_ascii_case("X-GNOME-Autostart-enabled=false")
            }),
            Err(_) => false,
        }
    }

    /// Writes the entry to start `exe` at login, or removes it.
    pub fn set(&self, on: bool, exe: &Path) -> Result<(), AutostartError> {
        if !on {
            return match std::fs::remove_file(&self.path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(AutostartError {
                    action: "remove",
                    path: self.path.clone(),
                    source: e,
                }),
                _ => Ok(()),
            };
        }
        let fail = |source| AutostartError {
            action: "write",
            path: self.path.clone(),
            source,
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let temporary = self.path.with_extension("desktop.tmp");
        std::fs::write(&temporary, entry(exe)).map_err(fail)?;
        std::fs::rename(&temporary, &self.path).map_err(fail)
    }
}

/// The desktop entry that starts `exe` hidden in the tray.
pub fn entry(exe: &Path) -> String {
    format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=Porthole\n\
         Comment=A live window onto the browser your coding agent is driving\n\
         Exec={} --hidden\n\
         Icon=porthole\n\
         Terminal=false\n\
         Categories=Development;\n\
         X-GNOME-Autostart-enabled=true\n",
        exec_quote(&exe.to_string_lossy())
    )
}

/// Quotes an argument for a desktop entry's `Exec` key: in double quotes when it holds
/// anything but plain characters, with `"`, `` ` ``, `$` and `\` escaped (the Desktop
/// Entry Specification), and `%` doubled.
fn exec_quote(arg: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+%".contains(c);
    let arg = arg.replace('%', "%%");
    if arg.chars().all(plain) {
        return arg;
    }
    let mut out = String::from("\"");
    for c in arg.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_writes_an_entry_that_starts_porthole_hidden_and_off_removes_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let autostart = Autostart::at(dir.path().join("autostart"));
        assert!(!autostart.is_on(), "off by default: there is no entry");
        autostart
            .set(true, Path::new("/usr/bin/porthole"))
            .expect("written");
        assert!(autostart.is_on());
        let text = std::fs::read_to_string(autostart.path()).expect("the entry");
        assert!(text.starts_with("[Desktop Entry]\n"), "{text}");
        assert!(
            text.contains("\nExec=/usr/bin/porthole --hidden\n"),
            "{text}"
        );
        autostart
            .set(false, Path::new("/usr/bin/porthole"))
            .expect("removed");
        assert!(!autostart.is_on());
        assert!(!autostart.path().exists());
        autostart
            .set(false, Path::new("/usr/bin/porthole"))
            .expect("removing what is not there is not an error");
    }

    #[test]
    fn an_entry_the_desktop_switched_off_counts_as_off() {
        let dir = tempfile::tempdir().expect("temp dir");
        let autostart = Autostart::at(dir.path().to_path_buf());
        std::fs::write(
            autostart.path(),
            "[Desktop Entry]\nExec=porthole\nHidden=true\n",
        )
        .expect("write");
        assert!(!autostart.is_on());
    }

    #[test]
    fn a_path_with_spaces_or_quotes_is_quoted_for_exec() {
        assert_eq!(exec_quote("/opt/porthole"), "/opt/porthole");
        assert_eq!(
            exec_quote("/home/me/My Apps/por\"t$hole"),
            "\"/home/me/My Apps/por\\\"t\\$hole\""
        );
        assert_eq!(exec_quote("/a%b"), "/a%%b");
    }
}
