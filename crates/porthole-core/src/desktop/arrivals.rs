//! Which browsers the agent has just opened in the open workspace, so the app can tell a
//! person whose window is hidden in the tray.
//!
//! [`Arrivals`] remembers the live sessions of the workspace it last saw; each
//! discovery report is handed to [`Arrivals::update`], which returns the sessions that
//! were not there before. The first report of a workspace only seeds it: sessions that
//! were already running when Porthole started, or when another workspace was opened,
//! are not news. A session is known by its id and its process, so a daemon that ends
//! and starts again under the same name is news again.
//!
//! ```
//! use porthole_core::desktop::arrivals::Arrivals;
//! use porthole_core::discovery::Report;
//! let mut arrivals = Arrivals::default();
//! let report = Report::for_workspace(std::path::Path::new("/ws"), Vec::new());
//! assert!(arrivals.update(&report).is_empty(), "the first report only seeds");
//! ```

use std::collections::HashSet;
use std::path::PathBuf;

use crate::discovery::{Report, Session, SessionStatus};

#[derive(Debug, Default)]
pub struct Arrivals {
    /// The workspace the known sessions belong to; `None` before the first report.
    workspace: Option<PathBuf>,
    /// The live sessions seen there, as (id, pid).
    known: HashSet<(String, Option<u32>)>,
}

impl Arrivals {
    /// The sessions of `report`'s workspace that are live now and were not at the last
    /// update, newest first. Empty for the first report of a workspace.
    pub fn update(&mut self, report: &Report) -> Vec<Session> {
        let live: Vec<&Session> = report
            .current
            .iter()
            .filter(|s| s.status != SessionStatus::Stale)
            .collect();
        let now: HashSet<(String, Option<u32>)> =
            live.iter().map(|s| (s.id.clone(), s.pid)).collect();
        let seeding = self.workspace.as_ref() != Some(&report.workspace);
        let new = if seeding {
            Vec::new()
        } else {
            live.into_iter()
                .filter(|s| !self.known.contains(&(s.id.clone(), s.pid)))
                .cloned()
                .collect()
        };
        self.workspace = Some(report.workspace.clone());
        self.known = now;
        new
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::discovery::sample_session;

    fn session(name: &str, pid: u32, status: SessionStatus) -> Session {
        Session {
            status,
            ..sample_session(name, pid)
        }
    }

    fn report(workspace: &str, sessions: Vec<Session>) -> Report {
        Report::for_workspace(Path::new(workspace), sessions)
    }

    fn names(sessions: &[Session]) -> Vec<&str> {
        sessions.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn what_runs_at_start_is_not_news() {
        let mut arrivals = Arrivals::default();
        let first = arrivals.update(&report(
            "/ws",
            vec![session("a", 1, SessionStatus::Attachable)],
        ));
        assert!(
            first.is_empty(),
            "a session already running when Porthole starts is not announced"
        );
        let again = arrivals.update(&report(
            "/ws",
            vec![session("a", 1, SessionStatus::Attachable)],
        ));
        assert!(again.is_empty(), "an unchanged report announces nothing");
    }

    #[test]
    fn a_new_session_in_the_workspace_is_news_once() {
        let mut arrivals = Arrivals::default();
        arrivals.update(&report(
            "/ws",
            vec![session("a", 1, SessionStatus::Attachable)],
        ));
        let both = vec![
            session("b", 2, SessionStatus::MissingStream),
            session("a", 1, SessionStatus::Attachable),
        ];
        assert_eq!(
            names(&arrivals.update(&report("/ws", both.clone()))),
            ["b"],
            "the new one, streaming or not"
        );
        assert!(
            arrivals.update(&report("/ws", both)).is_empty(),
            "announced once"
        );
    }

    #[test]
    fn ended_sessions_and_other_workspaces_are_not_news() {
        let mut arrivals = Arrivals::default();
        arrivals.update(&report("/ws", Vec::new()));
        let ended = arrivals.update(&report(
            "/ws",
            vec![session("gone", 3, SessionStatus::Stale)],
        ));
        assert!(
            ended.is_empty(),
            "files of an ended daemon are not a browser opening"
        );
        let mut elsewhere = session("far", 4, SessionStatus::Attachable);
        elsewhere.cwd = Some(PathBuf::from("/other"));
        assert!(
            arrivals.update(&report("/ws", vec![elsewhere])).is_empty(),
            "a session in another workspace is not this workspace's news"
        );
    }

    #[test]
    fn a_session_started_again_is_news_again() {
        let mut arrivals = Arrivals::default();
        arrivals.update(&report(
            "/ws",
            vec![session("a", 1, SessionStatus::Attachable)],
        ));
        let restarted = arrivals.update(&report(
            "/ws",
            vec![session("a", 9, SessionStatus::Attachable)],
        ));
        assert_eq!(
            names(&restarted),
            ["a"],
            "the same name with a new daemon is a new browser"
        );
        arrivals.update(&report("/ws", Vec::new()));
        let back = arrivals.update(&report(
            "/ws",
            vec![session("a", 9, SessionStatus::Attachable)],
        ));
        assert_eq!(
            names(&back),
            ["a"],
            "a session that went away and came back is news"
        );
    }

    #[test]
    fn opening_another_workspace_seeds_it_quietly() {
        let mut arrivals = Arrivals::default();
        arrivals.update(&report("/ws", Vec::new()));
        let mut there = session("t", 5, SessionStatus::Attachable);
        there.cwd = Some(PathBuf::from("/other"));
        assert!(
            arrivals.update(&report("/other", vec![there])).is_empty(),
            "what already runs in a workspace just opened is not news"
        );
    }
}
