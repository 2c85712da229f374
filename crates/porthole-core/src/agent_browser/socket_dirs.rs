//! The directories agent-browser keeps its session files in.
//!
//! agent-browser picks ONE base directory, the first that applies of
//! `$AGENT_BROWSER_SOCKET_DIR`, `$XDG_RUNTIME_DIR/agent-browser`, `$HOME/.agent-browser`
//! and `$TMPDIR/agent-browser`, and puts a namespaced session (`--namespace NS`) in
//! `<base>/namespaces/NS/run/`. The agent's shell may not have the same environment as
//! Porthole, so Porthole scans every candidate, in that precedence, and every namespace
//! under each.
//!
//! ```no_run
//! use porthole_core::agent_browser::socket_dirs::{SocketDirEnv, session_dirs};
//! for dir in session_dirs(&SocketDirEnv::from_process().base_dirs()) {
//!     println!("{} (namespace {:?})", dir.path.display(), dir.namespace);
//! }
//! ```

use std::path::{Path, PathBuf};

use super::names;

/// The parts of the environment that decide where agent-browser's files are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SocketDirEnv {
    pub socket_dir: Option<PathBuf>,
    pub xdg_runtime_dir: Option<PathBuf>,
    pub home: Option<PathBuf>,
    pub tmp_dir: Option<PathBuf>,
}

impl SocketDirEnv {
    /// Reads this process's environment. An empty variable counts as unset, as it does
    /// for agent-browser.
    pub fn from_process() -> Self {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Self {
            socket_dir: var("AGENT_BROWSER_SOCKET_DIR"),
            xdg_runtime_dir: var("XDG_RUNTIME_DIR"),
            home: var("HOME").or_else(dirs::home_dir),
            tmp_dir: Some(var("TMPDIR").unwrap_or_else(std::env::temp_dir)),
        }
    }

    /// The candidate base directories, in agent-browser's precedence, without duplicates.
    pub fn base_dirs(&self) -> Vec<PathBuf> {
        let candidates = [
            self.socket_dir.clone(),
            self.xdg_runtime_dir
                .as_ref()
                .map(|d| d.join("agent-browser")),
            self.home.as_ref().map(|d| d.join(".agent-browser")),
            self.tmp_dir.as_ref().map(|d| d.join("agent-browser")),
        ];
        let mut dirs: Vec<PathBuf> = Vec::new();
        for dir in candidates.into_iter().flatten() {
            let same = |d: &PathBuf| d == &dir || same_file(d, &dir);
            if !dirs.iter().any(same) {
                dirs.push(dir);
            }
        }
        dirs
    }
}

/// A directory that holds session files: a base directory, or a namespace's `run/` in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionDir {
    /// Where the files are.
    pub path: PathBuf,
    /// The base directory (what `AGENT_BROWSER_SOCKET_DIR` must be to reach it).
    pub base: PathBuf,
    /// The namespace, for `<base>/namespaces/NS/run/`.
    pub namespace: Option<String>,
}

/// The session directories that exist now under `bases`: each base, then its namespaces
/// in name order. Missing directories are skipped; namespace names agent-browser would
/// refuse are skipped too.
pub fn session_dirs(bases: &[PathBuf]) -> Vec<SessionDir> {
    let mut out = Vec::new();
    for base in bases {
        if !base.is_dir() {
            continue;
        }
        out.push(SessionDir {
            path: base.clone(),
            base: base.clone(),
            namespace: None,
        });
        let Ok(entries) = std::fs::read_dir(base.join("namespaces")) else {
            continue;
        };
        let mut namespaces: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|ns| names::validate_namespace(ns).is_ok())
            .collect();
        namespaces.sort();
        for ns in namespaces {
            let path = namespace_run_dir(base, &ns);
            if path.is_dir() {
                out.push(SessionDir {
                    path,
                    base: base.clone(),
                    namespace: Some(ns),
                });
            }
        }
    }
    out
}

/// `<base>/namespaces/NS/run`.
pub fn namespace_run_dir(base: &Path, namespace: &str) -> PathBuf {
    base.join("namespaces").join(namespace).join("run")
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(root: &Path) -> SocketDirEnv {
        SocketDirEnv {
            socket_dir: Some(root.join("explicit")),
            xdg_runtime_dir: Some(root.join("xdg")),
            home: Some(root.join("home")),
            tmp_dir: Some(root.join("tmp")),
        }
    }

    #[test]
    fn base_dirs_follow_agent_browser_precedence() {
        let root = Path::new("/r");
        assert_eq!(
            env(root).base_dirs(),
            vec![
                root.join("explicit"),
                root.join("xdg/agent-browser"),
                root.join("home/.agent-browser"),
                root.join("tmp/agent-browser"),
            ],
            "every candidate is scanned, the explicit socket dir first"
        );
    }

    #[test]
    fn unset_variables_drop_their_candidate_and_duplicates_collapse() {
        let e = SocketDirEnv {
            socket_dir: Some(PathBuf::from("/h/.agent-browser")),
            xdg_runtime_dir: None,
            home: Some(PathBuf::from("/h")),
            tmp_dir: None,
        };
        assert_eq!(
            e.base_dirs(),
            vec![PathBuf::from("/h/.agent-browser")],
            "the same directory reached two ways is scanned once"
        );
    }

    #[test]
    fn session_dirs_include_namespaces_and_skip_what_is_missing() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let e = env(tmp.path());
        let home = tmp.path().join("home/.agent-browser");
        std::fs::create_dir_all(namespace_run_dir(&home, "team-b")).expect("mkdir");
        std::fs::create_dir_all(namespace_run_dir(&home, "alpha")).expect("mkdir");
        std::fs::create_dir_all(home.join("namespaces/not run")).expect("mkdir");
        std::fs::create_dir_all(home.join("namespaces/empty")).expect("mkdir");

        let dirs = session_dirs(&e.base_dirs());
        let got: Vec<(PathBuf, Option<&str>)> = dirs
            .iter()
            .map(|d| (d.path.clone(), d.namespace.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (home.clone(), None),
                (namespace_run_dir(&home, "alpha"), Some("alpha")),
                (namespace_run_dir(&home, "team-b"), Some("team-b")),
            ],
            "only existing dirs, namespaces sorted, invalid or run-less namespaces skipped"
        );
    }
}
