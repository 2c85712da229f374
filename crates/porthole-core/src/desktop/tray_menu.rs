//! What the tray menu lists, decided from a discovery [`Report`] without any Tauri type,
//! so its order, grouping and enabled states are unit-tested; `tray.rs` only turns the
//! items into a native menu.
//!
//! The menu: this workspace's sessions under its name, then every other session grouped
//! under its cwd, each with its status (stale ones shown, disabled: they cannot be
//! attached), then Detach, New browser…, Open Workspace..., Show/Hide and Quit. While
//! the window is hidden and the timeline goes on recording, the menu says so first.

use std::path::Path;

use crate::desktop::vocabulary;
use crate::discovery::{Report, Session, SessionKind};

/// One line of the tray menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayItem {
    /// A group's title, not clickable.
    Heading(String),
    /// A session; choosing it attaches it and shows the window.
    Session {
        id: String,
        label: String,
        /// The session on screen.
        attached: bool,
        enabled: bool,
    },
    Separator,
    Action {
        action: TrayAction,
        label: String,
        enabled: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    Detach,
    NewBrowser,
    OpenWorkspace,
    ShowHide,
    Quit,
}

impl TrayAction {
    /// The menu item id.
    pub fn id(self) -> &'static str {
        match self {
            TrayAction::Detach => "detach",
            TrayAction::NewBrowser => "new-browser",
            TrayAction::OpenWorkspace => "open-workspace",
            TrayAction::ShowHide => "show-hide",
            TrayAction::Quit => "quit",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        [
            TrayAction::Detach,
            TrayAction::NewBrowser,
            TrayAction::OpenWorkspace,
            TrayAction::ShowHide,
            TrayAction::Quit,
        ]
        .into_iter()
        .find(|a| a.id() == id)
    }
}

/// The prefix of a session item's id; what follows is the session's id.
pub const SESSION_PREFIX: &str = "session:";

/// The menu for `report`, with `attached` (a session id) on screen, and `recording`
/// (a session name) recorded while the window is hidden.
pub fn tray_items(
    report: &Report,
    attached: Option<&str>,
    recording: Option<&str>,
) -> Vec<TrayItem> {
    let mut items = Vec::new();
    if let Some(name) = recording {
        items.push(TrayItem::Heading(recording_label(name)));
        items.push(TrayItem::Separator);
    }
    items.push(TrayItem::Heading(vocabulary::in_workspace(&short(
        &report.workspace,
    ))));
    if report.current.is_empty() {
        items.push(TrayItem::Heading("No agent-browser session yet".into()));
    }
    items.extend(report.current.iter().map(|s| session_item(s, attached)));
    // Others are sorted by cwd already (see Report::for_workspace); group them.
    let mut last_cwd: Option<Option<&Path>> = None;
    for session in &report.other {
        let cwd = session.cwd.as_deref();
        if last_cwd != Some(cwd) {
            items.push(TrayItem::Separator);
            items.push(TrayItem::Heading(vocabulary::elsewhere(cwd)));
            last_cwd = Some(cwd);
        }
        items.push(session_item(session, attached));
    }
    items.push(TrayItem::Separator);
    items.push(TrayItem::Action {
        action: TrayAction::Detach,
        label: "Detach".into(),
        enabled: attached.is_some(),
    });
    items.push(TrayItem::Action {
        action: TrayAction::NewBrowser,
        label: "New browser…".into(),
        enabled: true,
    });
    items.push(TrayItem::Action {
        action: TrayAction::OpenWorkspace,
        label: "Open Workspace…".into(),
        enabled: true,
    });
    items.push(TrayItem::Action {
        action: TrayAction::ShowHide,
        label: "Show/Hide Porthole".into(),
        enabled: true,
    });
    items.push(TrayItem::Action {
        action: TrayAction::Quit,
        label: "Quit Porthole".into(),
        enabled: true,
    });
    items
}

/// What the tray says while it records `session` with the window hidden.
pub fn recording_label(session: &str) -> String {
    format!("● Recording {session} while hidden")
}

fn session_item(session: &Session, attached: Option<&str>) -> TrayItem {
    // A reachable DevTools browser is said by its kind; any other by its status.
    let status = if session.kind == SessionKind::Cdp && session.can_attach() {
        session.kind.badge()
    } else {
        session.status.label()
    };
    let ns = session
        .namespace
        .as_deref()
        .map(|n| format!(" [{n}]"))
        .unwrap_or_default();
    TrayItem::Session {
        id: session.id.clone(),
        label: format!("{}{ns} — {status}", session.name),
        attached: attached == Some(session.id.as_str()),
        enabled: session.can_attach(),
    }
}

/// The last component of a path, for a heading.
fn short(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::discovery::SessionStatus;

    fn session(name: &str, cwd: &str, status: SessionStatus) -> Session {
        Session {
            id: format!("/run/ab/{name}"),
            kind: SessionKind::AgentBrowser,
            name: name.into(),
            namespace: None,
            socket_dir: PathBuf::from("/run/ab"),
            pid: Some(100),
            cwd: Some(PathBuf::from(cwd)),
            status,
            stream_port: None,
            cdp_port: None,
            cdp_host: None,
            version: None,
            executable: None,
            started_at: None,
            problem: None,
        }
    }

    fn labels(items: &[TrayItem]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                TrayItem::Heading(h) => format!("# {h}"),
                TrayItem::Session {
                    label,
                    attached,
                    enabled,
                    ..
                } => format!(
                    "{}{label}{}",
                    if *attached { "* " } else { "" },
                    if *enabled { "" } else { " (disabled)" }
                ),
                TrayItem::Separator => "---".into(),
                TrayItem::Action { label, enabled, .. } => {
                    format!("{label}{}", if *enabled { "" } else { " (disabled)" })
                }
            })
            .collect()
    }

    #[test]
    fn this_workspace_first_then_others_grouped_by_cwd() {
        let report = Report {
            workspace: PathBuf::from("/home/me/app"),
            current: vec![
                session("main", "/home/me/app", SessionStatus::Attachable),
                session("old", "/home/me/app/sub", SessionStatus::Stale),
            ],
            other: vec![
                session("a", "/home/me/blog", SessionStatus::MissingStream),
                session("b", "/home/me/blog", SessionStatus::Attachable),
                session("c", "/srv/site", SessionStatus::Attachable),
            ],
        };
        let items = tray_items(&report, Some("/run/ab/main"), None);
        assert_eq!(
            labels(&items),
            [
                "# In this workspace · app",
                "* main — Streaming",
                "old — Ended (disabled)",
                "---",
                "# Elsewhere · /home/me/blog",
                "a — Streaming off",
                "b — Streaming",
                "---",
                "# Elsewhere · /srv/site",
                "c — Streaming",
                "---",
                "Detach",
                "New browser…",
                "Open Workspace…",
                "Show/Hide Porthole",
                "Quit Porthole",
            ]
        );
    }

    #[test]
    fn recording_while_hidden_is_said_first() {
        let report = Report {
            workspace: PathBuf::from("/home/me/app"),
            current: vec![session("main", "/home/me/app", SessionStatus::Attachable)],
            other: vec![],
        };
        let items = labels(&tray_items(&report, Some("/run/ab/main"), Some("main")));
        assert_eq!(
            items[..4],
            [
                "# ● Recording main while hidden",
                "---",
                "# In this workspace · app",
                "* main — Streaming"
            ],
            "a person glancing at the tray sees that Porthole still records"
        );
        assert!(
            !labels(&tray_items(&report, Some("/run/ab/main"), None))
                .iter()
                .any(|l| l.contains("Recording")),
            "nothing is said while nothing records hidden"
        );
    }

    #[test]
    fn a_devtools_browser_is_its_own_kind_and_an_unreachable_one_is_disabled() {
        let cdp = |name: &str, status| Session {
            id: format!("cdp:{name}"),
            kind: SessionKind::Cdp,
            name: name.into(),
            ..session(name, "/ws", status)
        };
        let report = Report {
            workspace: PathBuf::from("/ws"),
            current: vec![
                cdp("Chromium · port 9222 · pid 42", SessionStatus::Attachable),
                cdp("Chromium · pid 43", SessionStatus::NotAttachable),
            ],
            other: vec![],
        };
        let items = labels(&tray_items(&report, None, None));
        assert_eq!(items[1], "Chromium · port 9222 · pid 42 — DevTools");
        assert_eq!(
            items[2], "Chromium · pid 43 — Cannot attach (disabled)",
            "a pipe browser is listed, never attached"
        );
    }

    #[test]
    fn discovery_in_any_order_gives_one_heading_per_directory_newest_first() {
        let at = |name: &str, cwd: &str, started_at: u64| Session {
            started_at: Some(started_at),
            ..session(name, cwd, SessionStatus::Attachable)
        };
        // As a scan finds them: by socket dir and name, directories interleaved.
        let scanned = vec![
            at("x1", "/srv/site", 1),
            at("mine", "/home/me/app/web", 5),
            at("b1", "/home/me/blog", 2),
            at("x2", "/srv/site", 9),
            at("b2", "/home/me/blog", 7),
        ];
        let report = Report::for_workspace(Path::new("/home/me/app"), scanned);
        assert_eq!(
            labels(&tray_items(&report, None, None)),
            [
                "# In this workspace · app",
                "mine — Streaming",
                "---",
                "# Elsewhere · /home/me/blog",
                "b2 — Streaming",
                "b1 — Streaming",
                "---",
                "# Elsewhere · /srv/site",
                "x2 — Streaming",
                "x1 — Streaming",
                "---",
                "Detach (disabled)",
                "New browser…",
                "Open Workspace…",
                "Show/Hide Porthole",
                "Quit Porthole",
            ],
            "each directory is one group, its newest session first"
        );
    }

    #[test]
    fn an_empty_workspace_says_so_and_nothing_to_detach() {
        let report = Report {
            workspace: PathBuf::from("/w"),
            current: vec![],
            other: vec![],
        };
        assert_eq!(
            labels(&tray_items(&report, None, None)),
            [
                "# In this workspace · w",
                "# No agent-browser session yet",
                "---",
                "Detach (disabled)",
                "New browser…",
                "Open Workspace…",
                "Show/Hide Porthole",
                "Quit Porthole",
            ]
        );
    }

    #[test]
    fn actions_round_trip_through_their_ids() {
        for a in [
            TrayAction::Detach,
            TrayAction::OpenWorkspace,
            TrayAction::ShowHide,
            TrayAction::Quit,
        ] {
            assert_eq!(TrayAction::from_id(a.id()), Some(a));
        }
        assert_eq!(TrayAction::from_id("session:/x"), None);
    }
}
