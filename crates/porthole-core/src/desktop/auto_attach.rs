//! When Porthole attaches a session by itself, and which one.
//!
//! The window shows one attachment at a time. Porthole fills it by itself when a
//! workspace opens and whenever discovery or the attachment changes; [`decide`] is the
//! one place that says what to attach then:
//!
//! - nothing is replaced while it runs: a live (or reconnecting) attachment stays, so
//!   the person's pick stands until it ends or they pick again;
//! - the person's last choice in this workspace wins while it is alive, else the
//!   workspace's newest live session;
//! - an attachment that ended is followed to the workspace's next session, but never
//!   to the same daemon again (discovery can lag a second behind the end it saw);
//! - a [`Hold`] stops all of it: after the person's Detach, and while the window is
//!   hidden in the tray.
//!
//! The shell (`state.rs`) calls [`decide`] with the attachment slot locked, so a pick
//! and an automatic attach cannot interleave.

use crate::discovery::{Report, Session, SessionKind};

/// What keeps auto-attach from acting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Hold {
    /// Auto-attach follows the rules.
    #[default]
    Free,
    /// The person detached: nothing is attached by itself until they pick a session or
    /// open a workspace.
    Detached,
    /// The window is hidden in the tray, so nothing streams. `resume` is the session
    /// (id) that was on screen, taken up again when the window shows. With `record`
    /// (the person keeps recording while hidden) an agent-browser session is still
    /// attached by the rules, for its timeline only.
    Hidden {
        resume: Option<String>,
        record: bool,
    },
}

/// The attachment on screen, as auto-attach needs to know it.
#[derive(Debug, Clone, Copy)]
pub struct OnScreen<'a> {
    pub id: &'a str,
    pub pid: Option<u32>,
    /// Ended or failed: nothing more comes of it.
    pub over: bool,
}

/// The session to attach now, if any. `preferred` is the name the person chose last in
/// this workspace.
pub fn decide<'a>(
    report: &'a Report,
    preferred: Option<&str>,
    on_screen: Option<OnScreen<'_>>,
    hold: &Hold,
) -> Option<&'a Session> {
    let recording_only = match hold {
        Hold::Free => false,
        Hold::Hidden { record: true, .. } => true,
        _ => return None,
    };
    let candidate = report.auto_attach_candidate_preferring(preferred)?;
    // Hidden, only what can be recorded: a DevTools browser has no agent commands.
    if recording_only && candidate.kind != SessionKind::AgentBrowser {
        return None;
    }
    if let Some(current) = on_screen {
        // The same name under a new pid is a restarted daemon, and is taken up.
        let same_daemon = current.id == candidate.id && current.pid == candidate.pid;
        if !current.over || same_daemon {
            return None;
        }
    }
    Some(candidate)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::discovery::{sample_session, SessionStatus};

    fn session(name: &str, pid: u32, started_at: u64) -> Session {
        Session {
            started_at: Some(started_at),
            ..sample_session(name, pid)
        }
    }

    fn report(sessions: Vec<Session>) -> Report {
        Report::for_workspace(Path::new("/ws"), sessions)
    }

    fn screen(s: &Session, over: bool) -> OnScreen<'_> {
        OnScreen {
            id: &s.id,
            pid: s.pid,
            over,
        }
    }

    #[test]
    fn the_newest_session_is_attached_when_nothing_is_on_screen() {
        let r = report(vec![session("old", 1, 10), session("new", 2, 20)]);
        let picked = decide(&r, None, None, &Hold::Free).map(|s| s.name.as_str());
        assert_eq!(picked, Some("new"), "without a choice, the newest wins");
    }

    #[test]
    fn the_persons_last_choice_wins_while_it_is_alive() {
        let r = report(vec![session("old", 1, 10), session("new", 2, 20)]);
        let picked = decide(&r, Some("old"), None, &Hold::Free).map(|s| s.name.as_str());
        assert_eq!(
            picked,
            Some("old"),
            "the remembered choice beats the newest"
        );
        let picked = decide(&r, Some("gone"), None, &Hold::Free).map(|s| s.name.as_str());
        assert_eq!(
            picked,
            Some("new"),
            "a choice that is not alive falls back to the newest"
        );
    }

    #[test]
    fn a_running_attachment_is_never_replaced() {
        let old = session("old", 1, 10);
        let r = report(vec![old.clone(), session("new", 2, 20)]);
        assert!(
            decide(&r, None, Some(screen(&old, false)), &Hold::Free).is_none(),
            "a newer session does not take the place of the one on screen"
        );
    }

    #[test]
    fn an_ended_attachment_is_followed_to_the_next_session_but_not_to_itself() {
        let ended = session("first", 1, 10);
        let r = report(vec![ended.clone(), session("second", 2, 20)]);
        let picked = decide(&r, None, Some(screen(&ended, true)), &Hold::Free);
        assert_eq!(picked.map(|s| s.name.as_str()), Some("second"));

        let r = report(vec![ended.clone()]);
        assert!(
            decide(&r, None, Some(screen(&ended, true)), &Hold::Free).is_none(),
            "the daemon that just ended is not taken up again while discovery lags"
        );
        let restarted = session("first", 7, 30);
        let r = report(vec![restarted]);
        let picked = decide(&r, None, Some(screen(&ended, true)), &Hold::Free);
        assert_eq!(
            picked.and_then(|s| s.pid),
            Some(7),
            "the same name under a new pid is a restarted daemon, and is followed"
        );
    }

    #[test]
    fn a_hold_stops_auto_attach() {
        let r = report(vec![session("only", 1, 10)]);
        assert!(
            decide(&r, None, None, &Hold::Detached).is_none(),
            "after the person's Detach nothing comes back by itself"
        );
        let hidden = Hold::Hidden {
            resume: Some("x".into()),
            record: false,
        };
        assert!(
            decide(&r, None, None, &hidden).is_none(),
            "nothing streams while the window is hidden"
        );
    }

    #[test]
    fn hidden_and_recording_an_agent_browser_session_is_attached_for_its_timeline() {
        let r = report(vec![session("only", 1, 10)]);
        let recording = Hold::Hidden {
            resume: None,
            record: true,
        };
        assert_eq!(
            decide(&r, None, None, &recording).map(|s| s.name.as_str()),
            Some("only"),
            "keeping the record while hidden, the agent's new session is recorded too"
        );
        let cdp = Session {
            kind: SessionKind::Cdp,
            ..session("devtools", 2, 20)
        };
        let r = report(vec![cdp]);
        assert!(
            decide(&r, None, None, &recording).is_none(),
            "a DevTools browser has no timeline, so nothing streams from it while hidden"
        );
    }

    #[test]
    fn stale_sessions_are_never_attached() {
        let mut dead = session("dead", 1, 30);
        dead.status = SessionStatus::Stale;
        dead.stream_port = None;
        let r = report(vec![dead, session("alive", 2, 10)]);
        let picked = decide(&r, Some("dead"), None, &Hold::Free).map(|s| s.name.as_str());
        assert_eq!(picked, Some("alive"));
    }
}
