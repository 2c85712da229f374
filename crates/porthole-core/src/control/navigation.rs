//! Driving the attached session's browser from the panel's toolbar and tab strip: back,
//! forward, reload, open a URL, and switch, open or close tabs.
//!
//! Every action is an agent-browser CLI command on the session (`back`, `open URL`,
//! `tab t2`, ...), the same way the agent drives it, so the agent's own view of the
//! browser stays true. The CLI starts a daemon for a session that is not running, and
//! restarts one of another version, so [`run`] first checks, from files and the process
//! table, that the session is alive, and runs a CLI of the daemon's own version
//! ([`AgentBrowserCli::for_daemon`]).
//!
//! ```no_run
//! # async fn demo(session: porthole_core::discovery::Session) -> Result<(), porthole_core::control::navigation::NavError> {
//! use porthole_core::agent_browser::cli::AgentBrowserCli;
//! use porthole_core::discovery::Discovery;
//! use porthole_core::control::navigation::{run, NavAction};
//! let cli = AgentBrowserCli::locate(None);
//! let mut discovery = Discovery::new().expect("process table");
//! let open = NavAction::Open { url: "example.com".into() };
//! run(cli.as_ref(), &mut discovery, &session, &open).await?;
//! # Ok(()) }
//! ```

use serde::Deserialize;
use thiserror::Error;
use ts_rs::TS;

use crate::agent_browser::cli::{AgentBrowserCli, CliError};
use crate::discovery::{Discovery, Session};
use crate::error::{Coded, ErrorCode};

/// What the person asked the browser to do.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(
    tag = "action",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum NavAction {
    Back,
    Forward,
    Reload,
    /// Open what the person typed in the URL field (see [`normalize_url`]).
    Open {
        url: String,
    },
    SwitchTab {
        tab_id: String,
    },
    NewTab,
    CloseTab {
        tab_id: String,
    },
}

/// Why an action did not happen.
#[derive(Debug, Error)]
pub enum NavError {
    #[error("“{input}” is not an address Porthole can open: {reason}")]
    InvalidUrl { input: String, reason: &'static str },
    #[error("“{0}” is not a tab of this browser")]
    InvalidTab(String),
    #[error("the session is no longer running")]
    SessionGone,
    #[error(transparent)]
    Cli(#[from] CliError),
    /// A DevTools browser refused the action, or its connection is down.
    #[error("the browser did not do it: {0}")]
    Browser(String),
}

impl Coded for NavError {
    fn code(&self) -> ErrorCode {
        match self {
            NavError::InvalidUrl { .. } => ErrorCode::InvalidUrl,
            NavError::InvalidTab(_) => ErrorCode::InvalidTab,
            NavError::SessionGone => ErrorCode::SessionGone,
            NavError::Cli(CliError::Timeout { .. }) => ErrorCode::Timeout,
            NavError::Cli(CliError::NotFound { .. }) => ErrorCode::CliNotFound,
            NavError::Cli(CliError::VersionMismatch { .. }) => ErrorCode::CliVersionMismatch,
            NavError::Cli(_) | NavError::Browser(_) => ErrorCode::NavigationFailed,
        }
    }

    fn retryable(&self) -> bool {
        matches!(
            self,
            NavError::Cli(CliError::Timeout { .. } | CliError::Failed { .. })
                | NavError::Browser(_)
        )
    }
}

/// Turns what a person types in a URL field into a URL: a scheme is kept (`file:`
/// included), an absolute path becomes a `file://` URL, `localhost` and loopback
/// addresses get `http://`, any other bare host `https://`.
pub fn normalize_url(input: &str) -> Result<String, NavError> {
    let text = input.trim();
    let invalid = |reason| NavError::InvalidUrl {
        input: input.to_owned(),
        reason,
    };
    if text.is_empty() {
        return Err(invalid("it is empty"));
    }
    if text.chars().any(char::is_whitespace) {
        return Err(invalid("an address has no spaces"));
    }
    if text.len() > 8192 {
        return Err(invalid("it is too long"));
    }
    if text.starts_with('/') {
        return Ok(format!("file://{text}"));
    }
    if has_scheme(text) {
        return Ok(text.to_owned());
    }
    let host = text
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .rsplit('@')
        .next()
        .unwrap_or_default();
    let hostname = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    if hostname.is_empty() {
        return Err(invalid("it names no host"));
    }
    let local = hostname == "localhost"
        || hostname.ends_with(".localhost")
        || hostname.starts_with("127.")
        || hostname == "::1"
        || hostname == "0.0.0.0";
    Ok(format!("{}://{text}", if local { "http" } else { "https" }))
}

/// `scheme:` at the start, where a host with a port (`localhost:3000`) is not a scheme.
fn has_scheme(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let port_follows = rest
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    is_scheme && !port_follows
}

/// A tab reference as the CLI takes it: `t3`, a label, or a CDP target id.
fn tab_ref(tab_id: &str) -> Result<&str, NavError> {
    let ok = !tab_id.is_empty()
        && tab_id.len() <= 64
        && !tab_id.starts_with('-')
        && tab_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then_some(tab_id)
        .ok_or_else(|| NavError::InvalidTab(tab_id.to_owned()))
}

impl NavAction {
    /// The CLI arguments of the action, validated.
    pub fn args(&self) -> Result<Vec<String>, NavError> {
        let args = match self {
            NavAction::Back => vec!["back".into()],
            NavAction::Forward => vec!["forward".into()],
            NavAction::Reload => vec!["reload".into()],
            NavAction::Open { url } => vec!["open".into(), normalize_url(url)?],
            NavAction::SwitchTab { tab_id } => vec!["tab".into(), tab_ref(tab_id)?.into()],
            NavAction::NewTab => vec!["tab".into(), "new".into()],
            NavAction::CloseTab { tab_id } => {
                vec!["tab".into(), "close".into(), tab_ref(tab_id)?.into()]
            }
        };
        Ok(args)
    }
}

/// Runs `action` on `session` through the CLI, if the session is still alive. `located`
/// is the CLI Porthole found; the daemon's own is used where their versions differ.
pub async fn run(
    located: Result<&AgentBrowserCli, &CliError>,
    discovery: &mut Discovery,
    session: &Session,
    action: &NavAction,
) -> Result<(), NavError> {
    let args = action.args()?;
    // The daemon that was attached, not one started since under the same name.
    let live = discovery
        .recheck(&session.id)
        .ok()
        .filter(|s| s.pid == session.pid)
        .ok_or(NavError::SessionGone)?;
    let cli =
        AgentBrowserCli::for_daemon(located, live.version.as_deref(), live.executable.as_deref())
            .await?;
    tracing::info!(session = %session.name, ?args, "navigating");
    let session_ref = session.cli_ref().map_err(CliError::from)?;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    cli.run::<serde_json::Value>(&session_ref, &args).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_host_gets_a_scheme_and_a_scheme_is_kept() {
        let cases = [
            ("example.com", "https://example.com"),
            ("example.com/a?b#c", "https://example.com/a?b#c"),
            ("  example.com  ", "https://example.com"),
            ("localhost:3000", "http://localhost:3000"),
            ("localhost", "http://localhost"),
            ("app.localhost:8080/x", "http://app.localhost:8080/x"),
            ("127.0.0.1:5173", "http://127.0.0.1:5173"),
            ("[::1]:8000/", "http://[::1]:8000/"),
            ("http://example.com", "http://example.com"),
            ("file:///tmp/a.html", "file:///tmp/a.html"),
            ("/tmp/a.html", "file:///tmp/a.html"),
            ("about:blank", "about:blank"),
            ("data:text/html,hi", "data:text/html,hi"),
        ];
        for (typed, url) in cases {
            assert_eq!(normalize_url(typed).expect(typed), url, "typed {typed:?}");
        }
    }

    #[test]
    fn what_is_not_an_address_says_why() {
        for typed in ["", "   ", "two words", "https ://x"] {
            let err = normalize_url(typed).expect_err(typed);
            assert_eq!(err.code(), ErrorCode::InvalidUrl, "{typed:?}");
            assert!(err.to_string().contains("not an address"), "{err}");
        }
    }

    #[test]
    fn actions_become_cli_arguments_and_tab_refs_are_checked() {
        let args = |a: NavAction| a.args().expect("valid");
        assert_eq!(args(NavAction::Back), ["back"]);
        assert_eq!(args(NavAction::Reload), ["reload"]);
        assert_eq!(
            args(NavAction::Open {
                url: "example.com".into()
            }),
            ["open", "https://example.com"]
        );
        assert_eq!(
            args(NavAction::SwitchTab {
                tab_id: "t2".into()
            }),
            ["tab", "t2"]
        );
        assert_eq!(
            args(NavAction::CloseTab {
                tab_id: "docs".into()
            }),
            ["tab", "close", "docs"]
        );
        assert_eq!(args(NavAction::NewTab), ["tab", "new"]);
        for bad in ["", "--all", "t1; rm", "a b"] {
            let err = NavAction::SwitchTab { tab_id: bad.into() }
                .args()
                .expect_err(bad);
            assert_eq!(
                err.code(),
                ErrorCode::InvalidTab,
                "{bad:?} never reaches a command line"
            );
        }
    }

    #[test]
    fn actions_arrive_from_the_window_as_tagged_json() {
        let action: NavAction =
            serde_json::from_str(r#"{"action":"switch_tab","tabId":"t3"}"#).expect("json");
        assert_eq!(
            action,
            NavAction::SwitchTab {
                tab_id: "t3".into()
            }
        );
        let action: NavAction = serde_json::from_str(r#"{"action":"back"}"#).expect("json");
        assert_eq!(action, NavAction::Back);
    }
}
