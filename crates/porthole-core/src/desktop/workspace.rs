//! Which folder is the workspace: one rule for the command line, a second `porthole DIR`,
//! the folder picker, the recent list and a folder dropped on the window.

use std::path::{Path, PathBuf};

use crate::discovery::resolve;
use crate::error::{Coded, ErrorCode};

/// A folder Porthole cannot open as a workspace.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} is not a folder Porthole can open", .0.display())]
pub struct NotAFolder(pub PathBuf);

impl Coded for NotAFolder {
    fn code(&self) -> ErrorCode {
        ErrorCode::NotADirectory
    }

    fn retryable(&self) -> bool {
        false
    }
}

/// The workspace to open: `given` (relative to `cwd` when it is relative), else `last`
/// while it is still a folder, else `cwd`; symlinks resolved. It must be an existing
/// directory.
pub fn choose(
    given: Option<&Path>,
    cwd: Option<&Path>,
    last: Option<&Path>,
) -> Result<PathBuf, NotAFolder> {
    let candidate = match given {
        Some(dir) => cwd.map(|c| c.join(dir)).unwrap_or_else(|| dir.to_owned()),
        None => last
            .filter(|w| w.is_dir())
            .or(cwd)
            .map(Path::to_owned)
            .ok_or_else(|| NotAFolder(PathBuf::from(".")))?,
    };
    let dir = resolve(&candidate);
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(NotAFolder(dir))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_folder_wins_and_is_resolved_against_the_callers_directory() {
        let root = tempfile::tempdir().expect("tempdir");
        let sub = root.path().join("app");
        std::fs::create_dir(&sub).expect("mkdir");
        let chosen = choose(Some(Path::new("app")), Some(root.path()), None).expect("a folder");
        assert_eq!(
            chosen,
            resolve(&sub),
            "relative to the caller's own directory"
        );
    }

    #[test]
    fn without_one_the_last_workspace_then_the_current_directory() {
        let root = tempfile::tempdir().expect("tempdir");
        let last = root.path().join("last");
        std::fs::create_dir(&last).expect("mkdir");
        assert_eq!(
            choose(None, Some(root.path()), Some(&last)),
            Ok(resolve(&last)),
            "the last workspace while it is still a folder"
        );
        let gone = root.path().join("gone");
        assert_eq!(
            choose(None, Some(root.path()), Some(&gone)),
            Ok(resolve(root.path())),
            "a last workspace that was removed falls back to the current directory"
        );
    }

    #[test]
    fn a_missing_folder_is_refused_with_its_path() {
        let root = tempfile::tempdir().expect("tempdir");
        let missing = root.path().join("missing");
        let error = choose(Some(&missing), None, None).expect_err("not a folder");
        assert_eq!(error.code(), ErrorCode::NotADirectory);
        assert!(
            error.to_string().contains("missing"),
            "the message names the folder: {error}"
        );
    }
}
