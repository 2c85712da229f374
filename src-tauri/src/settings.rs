//! What Porthole remembers between runs, in `settings.json` in the app's config folder:
//! the last workspace opened (a bare `porthole` reopens it) and, per workspace, the
//! session the person chose last (auto-attach prefers it).
//!
//! A file that cannot be read is never overwritten: it is moved aside to
//! `settings.json.bad` with a warning, and Porthole starts from defaults. Writes go to a
//! temporary file renamed over the old one, so a crash never leaves half a file.
//!
//! ```no_run
//! use porthole::settings::SettingsStore;
//! let store = SettingsStore::load(SettingsStore::default_path().expect("a config dir"));
//! store.remember_choice(std::path::Path::new("/home/me/app"), "main");
//! assert_eq!(store.chosen_session(std::path::Path::new("/home/me/app")).as_deref(), Some("main"));
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub workspaces: BTreeMap<PathBuf, WorkspaceSettings>,
    pub last_workspace: Option<PathBuf>,
    /// Workspaces opened, most recent first.
    pub recent: Vec<PathBuf>,
    /// Closing the window quits Porthole, instead of keeping it in the tray.
    pub quit_on_close: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkspaceSettings {
    /// The name of the session the person chose last in this workspace.
    pub chosen_session: Option<String>,
}

/// How many recent workspaces are kept.
pub const MAX_RECENT: usize = 10;

/// The settings file, loaded once and written on every change.
#[derive(Debug)]
pub struct SettingsStore {
    path: PathBuf,
    settings: Mutex<Settings>,
}

impl SettingsStore {
    /// `$XDG_CONFIG_HOME/dev.porthole.app/settings.json` on Linux.
    pub fn default_path() -> Option<PathBuf> {
        dirs::config_dir().map(|d| d.join(crate::logging::APP_ID).join("settings.json"))
    }

    /// Loads `path`; a missing file is empty settings, an unreadable one is moved aside.
    pub fn load(path: PathBuf) -> Self {
        let settings = match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(settings) => settings,
                Err(error) => {
                    let aside = path.with_extension("json.bad");
                    tracing::warn!(%error, path = %path.display(), aside = %aside.display(), "the settings file cannot be read; it is kept aside and Porthole starts from defaults");
                    if let Err(error) = std::fs::rename(&path, &aside) {
                        tracing::warn!(%error, "cannot move the unreadable settings aside");
                    }
                    Settings::default()
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
            Err(error) => {
                tracing::warn!(%error, path = %path.display(), "cannot read the settings");
                Settings::default()
            }
        };
        Self {
            path,
            settings: Mutex::new(settings),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn get(&self) -> Settings {
        self.lock().clone()
    }

    /// The session the person chose last in `workspace`.
    pub fn chosen_session(&self, workspace: &Path) -> Option<String> {
        self.lock()
            .workspaces
            .get(workspace)
            .and_then(|w| w.chosen_session.clone())
    }

    pub fn remember_choice(&self, workspace: &Path, session: &str) {
        self.update(|s| {
            s.workspaces
                .entry(workspace.to_owned())
                .or_default()
                .chosen_session = Some(session.to_owned());
        });
    }

    /// Records `workspace` as the last one opened, at the head of the recent list.
    pub fn remember_workspace(&self, workspace: &Path) {
        self.update(|s| {
            s.last_workspace = Some(workspace.to_owned());
            s.recent.retain(|w| w != workspace);
            s.recent.insert(0, workspace.to_owned());
            s.recent.truncate(MAX_RECENT);
        });
    }

    /// Changes the settings and writes them; a failed write is logged, the change kept
    /// in memory.
    pub fn update(&self, change: impl FnOnce(&mut Settings)) {
        let snapshot = {
            let mut settings = self.lock();
            change(&mut settings);
            settings.clone()
        };
        if let Err(error) = self.write(&snapshot) {
            tracing::warn!(%error, path = %self.path.display(), "cannot save the settings");
        }
    }

    fn write(&self, settings: &Settings) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?;
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, json)?;
        std::fs::rename(&tmp, &self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_remembered_per_workspace_across_loads() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("conf/settings.json");
        let store = SettingsStore::load(path.clone());
        assert_eq!(store.chosen_session(Path::new("/a")), None);
        store.remember_choice(Path::new("/a"), "main");
        store.remember_choice(Path::new("/b"), "other");
        store.remember_workspace(Path::new("/b"));
        let again = SettingsStore::load(path);
        assert_eq!(
            again.chosen_session(Path::new("/a")).as_deref(),
            Some("main")
        );
        assert_eq!(
            again.chosen_session(Path::new("/b")).as_deref(),
            Some("other")
        );
    }

    #[test]
    fn recent_workspaces_are_most_recent_first_without_repeats() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SettingsStore::load(dir.path().join("settings.json"));
        for w in ["/a", "/b", "/a", "/c"] {
            store.remember_workspace(Path::new(w));
        }
        let recent: Vec<_> = store.get().recent;
        assert_eq!(recent, [PathBuf::from("/c"), "/a".into(), "/b".into()]);
        for n in 0..20 {
            store.remember_workspace(&PathBuf::from(format!("/w{n}")));
        }
        assert_eq!(store.get().recent.len(), MAX_RECENT, "the list is bounded");
    }

    #[test]
    fn an_unreadable_file_is_kept_aside_not_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{ not json").expect("write");
        let store = SettingsStore::load(path.clone());
        assert_eq!(
            store.get(),
            Settings::default(),
            "defaults after a bad file"
        );
        let aside = std::fs::read_to_string(dir.path().join("settings.json.bad")).expect("kept");
        assert_eq!(aside, "{ not json", "the person's file is kept as it was");
        store.remember_choice(Path::new("/a"), "s");
        assert!(path.exists(), "a fresh file is written");
    }
}
