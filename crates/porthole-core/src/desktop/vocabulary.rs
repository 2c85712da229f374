//! The words a person reads for each session status and each group of sessions,
//! defined once. The window's sidebar (through a generated TypeScript module), the tray
//! menu and `porthole sessions` all take them from here, so one thing never has two
//! names.

use std::path::Path;

use crate::discovery::{SessionKind, SessionStatus};

impl SessionStatus {
    /// Every status, for the generated TypeScript.
    pub const ALL: [SessionStatus; 4] = [
        SessionStatus::Attachable,
        SessionStatus::MissingStream,
        SessionStatus::Stale,
        SessionStatus::NotAttachable,
    ];

    /// One or two words, shown beside the session's name.
    pub fn label(self) -> &'static str {
        match self {
            SessionStatus::Attachable => "Streaming",
            SessionStatus::MissingStream => "Streaming off",
            SessionStatus::Stale => "Ended",
            SessionStatus::NotAttachable => "Cannot attach",
        }
    }

    /// A sentence saying what the status means, for a tooltip.
    pub fn hint(self) -> &'static str {
        match self {
            SessionStatus::Attachable => "The stream of this session is on",
            SessionStatus::MissingStream => {
                "The daemon is running with streaming off; Porthole turns it on when it attaches"
            }
            SessionStatus::Stale => "Its daemon is no longer running: only its files are left",
            SessionStatus::NotAttachable => {
                "The browser runs, but it offers no DevTools port Porthole can connect to"
            }
        }
    }
}

impl SessionKind {
    /// Every kind, for the generated TypeScript.
    pub const ALL: [SessionKind; 2] = [SessionKind::AgentBrowser, SessionKind::Cdp];

    /// A word beside the name, for the kinds that are not the usual agent-browser
    /// session; empty for those.
    pub fn badge(self) -> &'static str {
        match self {
            SessionKind::AgentBrowser => "",
            SessionKind::Cdp => "DevTools",
        }
    }

    /// What the kind means, for a tooltip.
    pub fn hint(self) -> &'static str {
        match self {
            SessionKind::AgentBrowser => "An agent-browser session, shown through its stream",
            SessionKind::Cdp => {
                "A browser with DevTools open, driven by another tool; shown over the DevTools protocol"
            }
        }
    }
}

/// The heading of the open workspace's sessions.
pub const IN_THIS_WORKSPACE: &str = "In this workspace";
/// The heading of another directory's sessions, before the directory.
pub const ELSEWHERE: &str = "Elsewhere";
/// The heading of sessions whose daemon ended before Porthole saw where it ran.
pub const ENDED_FOLDER_UNKNOWN: &str = "Ended, folder unknown";
/// Between a heading and the directory it names.
pub const SEPARATOR: &str = " · ";
/// Said under the open workspace's heading when it has no session.
pub const NO_SESSION_HERE: &str =
    "No agent-browser session or DevTools browser runs here yet. Those the agent starts in this folder appear at once.";

/// The heading of the sessions whose daemon ran in `cwd`, or whose folder is unknown.
pub fn elsewhere(cwd: Option<&Path>) -> String {
    match cwd {
        Some(dir) => format!("{ELSEWHERE}{SEPARATOR}{}", dir.display()),
        None => ENDED_FOLDER_UNKNOWN.to_owned(),
    }
}

/// The heading of the open workspace's sessions, naming it.
pub fn in_workspace(name: &str) -> String {
    format!("{IN_THIS_WORKSPACE}{SEPARATOR}{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_has_its_own_words() {
        let labels: std::collections::HashSet<_> =
            SessionStatus::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(
            labels.len(),
            SessionStatus::ALL.len(),
            "no two statuses read the same"
        );
    }

    #[test]
    fn a_folder_is_named_and_an_unknown_one_says_so() {
        assert_eq!(
            elsewhere(Some(Path::new("/srv/app"))),
            "Elsewhere · /srv/app"
        );
        assert_eq!(elsewhere(None), "Ended, folder unknown");
    }
}
