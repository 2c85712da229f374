//! What Porthole remembers between runs, in `settings.json` in the app's config folder:
//! the last workspace opened (a bare `porthole` reopens it) and, per workspace, the
//! session the person chose last (auto-attach prefers it); whether the window is in
//! compact mode; whether a hidden window announces a browser the agent opens
//! (`notifyNewBrowser`, on by default); and what the person may set by hand:
//! `quitOnClose`, `agentBrowser` (the CLI to use), `minFreeMb` (the free memory a
//! new browser needs), and the timeline's: `recordTimeline` (on by default),
//! `recordWhileHidden` (off by default), `historyDays` and `historyLimitMb` (7 days,
//! 500 MB per workspace).
//!
//! A file that cannot be read is never overwritten: it is moved aside to
//! `settings.json.bad` with a warning, and Porthole starts from defaults. Writes go to a
//! temporary file renamed over the old one, so a crash never leaves half a file. A file
//! edited by hand while Porthole runs is read again before it is used or changed, so
//! the edit counts at once and is never written over.
//!
//! ```no_run
//! use porthole_core::desktop::settings::SettingsStore;
//! let store = SettingsStore::load(SettingsStore::default_path().expect("a config dir"));
//! store.remember_choice(std::path::Path::new("/home/me/app"), "main");
//! assert_eq!(store.chosen_session(std::path::Path::new("/home/me/app")).as_deref(), Some("main"));
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::sync::lock;
use crate::timeline::store::Retention;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub workspaces: BTreeMap<PathBuf, WorkspaceSettings>,
    pub last_workspace: Option<PathBuf>,
    /// Workspaces opened, most recent first.
    pub recent: Vec<PathBuf>,
    /// Closing the window quits Porthole, instead of keeping it in the tray.
    pub quit_on_close: bool,
    /// Compact mode is on: the window's size (physical pixels) to return to when it
    /// is left.
    pub compact: Option<WindowSize>,
    /// The agent-browser CLI to run; without it, `$PORTHOLE_AGENT_BROWSER`, then
    /// `agent-browser` on `PATH`, then the copy this project pins.
    pub agent_browser: Option<PathBuf>,
    /// While the window is hidden in the tray, a browser the agent opens in the
    /// workspace is announced with a desktop notification.
    pub notify_new_browser: bool,
    /// The free memory, in MB, below which "New browser…" asks before starting one
    /// (default: what a session was measured to need; `PORTHOLE_MIN_FREE_MB` wins).
    pub min_free_mb: Option<u64>,
    /// The agent's commands, console and errors are recorded while a session is
    /// attached (see [`crate::timeline`]).
    pub record_timeline: bool,
    /// While the window is hidden in the tray, the timeline goes on being recorded (the
    /// agent's browser then keeps screencasting for Porthole).
    pub record_while_hidden: bool,
    /// Recorded history older than this many days goes (default 7).
    pub history_days: Option<u64>,
    /// A workspace's recorded history stays under this many MB (default 500).
    pub history_limit_mb: Option<u64>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            workspaces: BTreeMap::new(),
            last_workspace: None,
            recent: Vec::new(),
            quit_on_close: false,
            compact: None,
            agent_browser: None,
            notify_new_browser: true,
            min_free_mb: None,
            record_timeline: true,
            record_while_hidden: false,
            history_days: None,
            history_limit_mb: None,
        }
    }
}

impl Settings {
    /// How much recorded history a workspace keeps: the settings, else the defaults.
    pub fn retention(&self) -> Retention {
        let default = Retention::default();
        Retention {
            max_age: self.history_days.map_or(default.max_age, |days| {
                Duration::from_secs(days.saturating_mul(24 * 3600))
            }),
            max_bytes: self
                .history_limit_mb
                .map_or(default.max_bytes, |mb| mb.saturating_mul(1024 * 1024)),
        }
    }
}

/// A window size in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowSize {
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkspaceSettings {
    /// The name of the session the person chose last in this workspace.
    pub chosen_session: Option<String>,
}

/// How many recent workspaces are kept.
pub const MAX_RECENT: usize = 10;

/// The settings file: read when it changed on disk, written on every change.
#[derive(Debug)]
pub struct SettingsStore {
    path: PathBuf,
    settings: Mutex<Loaded>,
}

/// The settings as last read or written, and the file's time then.
#[derive(Debug)]
struct Loaded {
    settings: Settings,
    modified: Option<SystemTime>,
}

impl SettingsStore {
    /// `$XDG_CONFIG_HOME/dev.porthole.app/settings.json` on Linux.
    pub fn default_path() -> Option<PathBuf> {
        dirs::config_dir().map(|d| d.join(crate::APP_ID).join("settings.json"))
    }

    /// Loads `path`; a missing file is empty settings, an unreadable one is moved aside.
    pub fn load(path: PathBuf) -> Self {
        let loaded = read(&path);
        Self {
            path,
            settings: Mutex::new(loaded),
        }
    }

    /// The settings, read again first when the file changed since Porthole last saw it.
    fn lock(&self) -> std::sync::MutexGuard<'_, Loaded> {
        let mut loaded = lock(&self.settings);
        if modified(&self.path) != loaded.modified {
            *loaded = read(&self.path);
        }
        loaded
    }

    pub fn get(&self) -> Settings {
        self.lock().settings.clone()
    }

    /// The session the person chose last in `workspace`.
    pub fn chosen_session(&self, workspace: &Path) -> Option<String> {
        self.lock()
            .settings
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
    /// The recent workspaces whose folder is still there, most recent first. A folder
    /// that was deleted or unmounted drops out of the list, and is back if it returns.
    pub fn recent_existing(&self) -> Vec<PathBuf> {
        let mut recent = self.get().recent;
        recent.retain(|w| w.is_dir());
        recent
    }

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
        let mut loaded = self.lock();
        change(&mut loaded.settings);
        match write(&self.path, &loaded.settings) {
            Ok(()) => loaded.modified = modified(&self.path),
            Err(error) => {
                tracing::warn!(%error, path = %self.path.display(), "cannot save the settings")
            }
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Reads `path`: a missing file is empty settings, an unreadable one is moved aside.
fn read(path: &Path) -> Loaded {
    let settings = match std::fs::read(path) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(settings) => settings,
            Err(error) => {
                let aside = path.with_extension("json.bad");
                tracing::warn!(%error, path = %path.display(), aside = %aside.display(), "the settings file cannot be read; it is kept aside and Porthole starts from defaults");
                if let Err(error) = std::fs::rename(path, &aside) {
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
    Loaded {
        settings,
        // After a move aside there is no file: the next look finds nothing new.
        modified: modified(path),
    }
}

fn write(path: &Path, settings: &Settings) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, path)
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
    fn recent_workspaces_whose_folder_is_gone_drop_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SettingsStore::load(dir.path().join("settings.json"));
        let kept = dir.path().join("kept");
        let gone = dir.path().join("gone");
        std::fs::create_dir(&kept).expect("mkdir kept");
        std::fs::create_dir(&gone).expect("mkdir gone");
        store.remember_workspace(&kept);
        store.remember_workspace(&gone);
        std::fs::remove_dir(&gone).expect("rmdir gone");
        assert_eq!(
            store.recent_existing(),
            std::slice::from_ref(&kept),
            "a deleted folder is not offered"
        );
        std::fs::create_dir(&gone).expect("mkdir gone again");
        assert_eq!(
            store.recent_existing(),
            [gone, kept],
            "a folder that returns is offered again"
        );
    }

    #[test]
    fn announcing_new_browsers_is_on_unless_turned_off() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"quitOnClose": true}"#).expect("write");
        let store = SettingsStore::load(path.clone());
        assert!(
            store.get().notify_new_browser,
            "a file from before the setting existed keeps it on"
        );
        store.update(|s| s.notify_new_browser = false);
        let again = SettingsStore::load(path);
        assert!(
            !again.get().notify_new_browser,
            "turning it off is remembered"
        );
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

    #[test]
    fn a_hand_edit_while_running_counts_at_once_and_is_not_written_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        let store = SettingsStore::load(path.clone());
        store.remember_workspace(Path::new("/a"));
        // A later mtime than the write above, even on a coarse clock.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut edited: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        edited["quitOnClose"] = true.into();
        edited["agentBrowser"] = "/opt/agent-browser".into();
        std::fs::write(&path, serde_json::to_vec(&edited).expect("json")).expect("edit");
        let file = std::fs::File::options()
            .append(true)
            .open(&path)
            .expect("open");
        file.set_modified(SystemTime::now() + std::time::Duration::from_secs(5))
            .expect("touch");
        assert!(
            store.get().quit_on_close,
            "the edit is read without a restart"
        );
        store.remember_choice(Path::new("/a"), "main");
        let again = SettingsStore::load(path).get();
        assert!(
            again.quit_on_close,
            "saving a choice kept the person's edit"
        );
        assert_eq!(
            again.agent_browser,
            Some(PathBuf::from("/opt/agent-browser"))
        );
        assert_eq!(
            again.workspaces[Path::new("/a")].chosen_session.as_deref(),
            Some("main")
        );
    }
}
