//! Starting the agent's browser for a person: "New browser…" in the window and the tray,
//! and `porthole open`. The person signs in, accepts a cookie banner or passes a 2FA
//! prompt in it, and the agent's next `agent-browser` command in the workspace carries
//! on in the same browser.
//!
//! [`open`] starts an agent-browser session whose daemon runs in the workspace (so
//! discovery puts it there) and opens the person's URL in it. It is the only place
//! Porthole starts a session, and only when a person asks:
//!
//! - **The name** is the one the agent's CLI uses when it is given none, asked of that
//!   CLI (`session --json`, which starts nothing): `AGENT_BROWSER_SESSION` from the
//!   environment Porthole runs in, else `default`. The person may choose another.
//! - **A live session of that name** is not started again: it is reported as it is.
//! - **Room first**: unless forced, the available memory (sysinfo) must be at least what
//!   one session costs ([`SESSION_NEED_MB`], measured, with a margin), or
//!   `PORTHOLE_MIN_FREE_MB`, or the `minFreeMb` setting. The refusal says what is free,
//!   what a session needs, and how many agent-browser sessions already run.
//! - **The CLI** is the one Porthole would run for a new session (the person's, or the
//!   pinned copy), and [`Opened`] says which version it was.
//!
//! ```no_run
//! # async fn demo() -> Result<(), porthole_core::launch::OpenError> {
//! use porthole_core::launch::{open, OpenRequest};
//! let mut discovery = porthole_core::discovery::Discovery::new()?;
//! let cli = porthole_core::agent_browser::cli::AgentBrowserCli::locate(None)?;
//! let request = OpenRequest::new("/home/me/shop".into(), "about:blank");
//! let opened = open(&request, &cli, &mut discovery).await?;
//! println!("{} is live: {}", opened.session.name, opened.agent_command);
//! # Ok(()) }
//! ```

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;

use crate::agent_browser::cli::{AgentBrowserCli, CliError};
use crate::agent_browser::names::{self, InvalidName};
use crate::control::navigation::{normalize_url, NavError};
use crate::discovery::{Discovery, ProcessTableError, Session, SessionKind, SessionStatus};
use crate::error::{Coded, ErrorCode};

/// What one agent-browser session costs here, in MB, with a margin: the daemon and its
/// Chromium on the demo page summed 1109 MB of RSS over 11 processes (docs/BENCHMARKS.md,
/// "What a browser session costs"; 436 MB of PSS), and a quarter more for a heavier page.
pub const SESSION_NEED_MB: u64 = 1400;

/// Overrides the memory a new session needs, in MB (the tests set it far above what is
/// free to see the refusal).
pub const ENV_MIN_FREE: &str = "PORTHOLE_MIN_FREE_MB";

/// How long a started session may take to show its files after the CLI returned.
const APPEAR_WITHIN: Duration = Duration::from_secs(5);

/// What the person asked for.
#[derive(Debug, Clone)]
pub struct OpenRequest {
    /// The workspace, symlinks resolved: the daemon's cwd.
    pub workspace: PathBuf,
    /// The session name; `None` for the one the agent's CLI uses by default.
    pub session: Option<String>,
    /// What the person typed; normalised as the address bar does.
    pub url: String,
    /// Start even when memory is short.
    pub force: bool,
    /// The `minFreeMb` setting, if the person set one.
    pub min_free_mb: Option<u64>,
}

impl OpenRequest {
    pub fn new(workspace: PathBuf, url: &str) -> Self {
        Self {
            workspace,
            session: None,
            url: url.to_owned(),
            force: false,
            min_free_mb: None,
        }
    }
}

/// A session opened for the person.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Opened {
    pub session: Session,
    /// False when the session was already live and was only reported.
    pub started: bool,
    /// The version of the CLI that started it (or that would have).
    pub cli_version: String,
    /// How the agent's CLI reaches this browser from the workspace: `agent-browser`
    /// when it is the default session there, else `agent-browser --session NAME`, after
    /// the `AGENT_BROWSER_*` settings the browser was started with (see
    /// [`agent_command`]).
    pub agent_command: String,
}

#[derive(Debug, Error)]
pub enum OpenError {
    #[error(
        "There is not enough free memory for another browser: {free_mb} MB is available, and a \
         browser session needs about {need_mb} MB. {live} agent-browser session{plural} already \
         run{s} on this machine.",
        plural = if *.live == 1 { "" } else { "s" },
        s = if *.live == 1 { "s" } else { "" }
    )]
    NotEnoughMemory {
        free_mb: u64,
        need_mb: u64,
        live: usize,
    },
    #[error("{0} is not a folder")]
    NotADirectory(PathBuf),
    #[error(transparent)]
    InvalidName(#[from] InvalidName),
    #[error(transparent)]
    InvalidUrl(NavError),
    #[error("the browser could not be started: {0}")]
    Cli(#[from] CliError),
    #[error(
        "agent-browser said the browser opened, but no live session “{name}” appeared in {dir} \
         within {} s",
        APPEAR_WITHIN.as_secs()
    )]
    DidNotAppear { name: String, dir: String },
    #[error(transparent)]
    ProcessTable(#[from] ProcessTableError),
}

impl Coded for OpenError {
    fn code(&self) -> ErrorCode {
        match self {
            OpenError::NotEnoughMemory { .. } => ErrorCode::NotEnoughMemory,
            OpenError::NotADirectory(_) => ErrorCode::NotADirectory,
            OpenError::InvalidName(_) => ErrorCode::InvalidName,
            OpenError::InvalidUrl(_) => ErrorCode::InvalidUrl,
            OpenError::Cli(CliError::NotFound { .. }) => ErrorCode::CliNotFound,
            OpenError::Cli(CliError::Timeout { .. }) => ErrorCode::Timeout,
            OpenError::Cli(_) | OpenError::DidNotAppear { .. } => ErrorCode::StartFailed,
            OpenError::ProcessTable(_) => ErrorCode::ProcessTable,
        }
    }

    fn retryable(&self) -> bool {
        matches!(
            self,
            OpenError::Cli(CliError::Timeout { .. }) | OpenError::DidNotAppear { .. }
        )
    }
}

/// The `AGENT_BROWSER_*` variables of Porthole's environment that the browser is started
/// with, sorted, but the session's name. The agent's CLI must run with the same ones:
/// agent-browser relaunches a session's browser (a fresh page, the sign-in gone) when a
/// command comes with other launch settings (checked on 0.41.2 with
/// `AGENT_BROWSER_ARGS`), and finds it only in the same socket directory.
pub fn shared_settings() -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = std::env::vars()
        .filter(|(k, _)| k.starts_with("AGENT_BROWSER_") && k != "AGENT_BROWSER_SESSION")
        .collect();
    vars.sort();
    vars
}

/// The command line that reaches session `name` from the workspace: the `settings` it
/// was started with, then `agent-browser`, with `--session NAME` unless it is the
/// CLI's default there.
pub fn agent_command(name: &str, default_name: &str, settings: &[(String, String)]) -> String {
    let mut words: Vec<String> = settings
        .iter()
        .map(|(k, v)| format!("{k}={}", shell_quote(v)))
        .collect();
    words.push("agent-browser".into());
    if name != default_name {
        words.push(format!("--session {name}"));
    }
    words.join(" ")
}

/// Quotes `text` for a POSIX shell when it needs it.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./-_".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The memory a new session needs, in MB: `PORTHOLE_MIN_FREE_MB`, else the setting,
/// else [`SESSION_NEED_MB`].
pub fn need_mb(setting: Option<u64>) -> u64 {
    std::env::var(ENV_MIN_FREE)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .or(setting)
        .unwrap_or(SESSION_NEED_MB)
}

/// The memory available for new processes now, in MB (MemAvailable on Linux).
pub fn available_mb() -> Result<u64, ProcessTableError> {
    let mut system = sysinfo::System::new()?;
    system.refresh_memory();
    Ok(system.available_memory() / (1024 * 1024))
}

/// Whether there is room for one more session: refused below `need_mb` unless `force`.
pub fn check_room(free_mb: u64, need_mb: u64, live: usize, force: bool) -> Result<(), OpenError> {
    if force || free_mb >= need_mb {
        Ok(())
    } else {
        Err(OpenError::NotEnoughMemory {
            free_mb,
            need_mb,
            live,
        })
    }
}

/// Starts (or finds live) the session the request names, with `cli`, and returns it
/// live. See the module's documentation for the rules.
pub async fn open(
    request: &OpenRequest,
    cli: &AgentBrowserCli,
    discovery: &mut Discovery,
) -> Result<Opened, OpenError> {
    if !request.workspace.is_dir() {
        return Err(OpenError::NotADirectory(request.workspace.clone()));
    }
    let url = normalize_url(&request.url).map_err(OpenError::InvalidUrl)?;
    let default_name = cli.current_session(&request.workspace).await?;
    let name = request
        .session
        .clone()
        .unwrap_or_else(|| default_name.clone());
    names::validate_session(&name)?;
    let cli_version = cli.version().await?;
    let agent_command = agent_command(&name, &default_name, &shared_settings());
    let dir = discovery.base_dirs().into_iter().next();
    let find = |sessions: Vec<Session>| {
        sessions.into_iter().find(|s| {
            s.kind == SessionKind::AgentBrowser
                && s.name == name
                && s.namespace.is_none()
                && Some(&s.socket_dir) == dir.as_ref()
                && s.status != SessionStatus::Stale
        })
    };
    let sessions = discovery.scan();
    let live = sessions
        .iter()
        .filter(|s| s.kind == SessionKind::AgentBrowser && s.status != SessionStatus::Stale)
        .count();
    if let Some(session) = find(sessions) {
        tracing::info!(session = %name, "the session asked for is already live");
        return Ok(Opened {
            session,
            started: false,
            cli_version,
            agent_command,
        });
    }
    check_room(
        available_mb()?,
        need_mb(request.min_free_mb),
        live,
        request.force,
    )?;
    tracing::info!(session = %name, url = %url, workspace = %request.workspace.display(), version = %cli_version, "starting a browser for the person");
    cli.open(&name, &url, &request.workspace).await?;
    let deadline = tokio::time::Instant::now() + APPEAR_WITHIN;
    loop {
        if let Some(session) = find(discovery.scan()) {
            return Ok(Opened {
                session,
                started: true,
                cli_version,
                agent_command,
            });
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(OpenError::DidNotAppear {
                name,
                dir: dir
                    .map(|d| d.display().to_string())
                    .unwrap_or_else(|| "no socket directory".into()),
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_is_checked_against_the_need_unless_forced() {
        assert!(
            check_room(2000, 1400, 0, false).is_ok(),
            "enough room starts"
        );
        let refused = check_room(900, 1400, 2, false).expect_err("short of memory is refused");
        assert_eq!(refused.code(), ErrorCode::NotEnoughMemory);
        let message = refused.to_string();
        for part in [
            "900 MB is available",
            "about 1400 MB",
            "2 agent-browser sessions already run",
        ] {
            assert!(
                message.contains(part),
                "the refusal says {part:?}: {message}"
            );
        }
        assert!(
            check_room(900, 1400, 2, true).is_ok(),
            "--force starts anyway"
        );
    }

    #[test]
    fn one_live_session_is_said_in_the_singular() {
        let message = check_room(10, 20, 1, false)
            .expect_err("refused")
            .to_string();
        assert!(
            message.contains("1 agent-browser session already runs"),
            "{message}"
        );
    }

    #[test]
    fn the_command_line_that_reaches_the_browser_carries_its_settings() {
        assert_eq!(
            agent_command("default", "default", &[]),
            "agent-browser",
            "the default needs nothing"
        );
        assert_eq!(
            agent_command("login", "default", &[]),
            "agent-browser --session login",
            "another name is named"
        );
        let settings = [
            (
                "AGENT_BROWSER_ARGS".to_owned(),
                "--no-sandbox,--lang=fr".to_owned(),
            ),
            (
                "AGENT_BROWSER_SOCKET_DIR".to_owned(),
                "/tmp/my sockets".to_owned(),
            ),
        ];
        assert_eq!(
            agent_command("default", "default", &settings),
            "AGENT_BROWSER_ARGS=--no-sandbox,--lang=fr AGENT_BROWSER_SOCKET_DIR='/tmp/my sockets' agent-browser",
            "the launch settings the browser was started with come first, quoted for the shell"
        );
    }

    #[test]
    fn the_environment_overrides_the_setting_and_the_measured_need() {
        // The only test that touches the variable, so tests running in parallel see no change.
        std::env::remove_var(ENV_MIN_FREE);
        assert_eq!(
            need_mb(None),
            SESSION_NEED_MB,
            "the measured need by default"
        );
        assert_eq!(need_mb(Some(3000)), 3000, "the setting over the default");
        std::env::set_var(ENV_MIN_FREE, "123");
        assert_eq!(need_mb(Some(3000)), 123, "the environment over the setting");
        std::env::remove_var(ENV_MIN_FREE);
    }
}
