//! Making a session's stream attachable: [`ensure_stream`].
//!
//! Since agent-browser 0.41 streaming is on by default, but a session started by an older
//! version, or with streaming turned off, has no stream until `stream enable`. This module
//! is the one place that decides: use the port when it answers for this session,
//! otherwise ask `stream status`, `stream enable` when it is off, and verify. The GUI and
//! `porthole sessions --ensure` both call it.
//!
//! It re-checks that the daemon is alive right before every CLI call: the CLI starts a
//! new daemon for a session that is gone, and Porthole must never do that.

use std::time::Duration;

use thiserror::Error;

use crate::agent_browser::cli::{AgentBrowserCli, CliError, StreamStatus};
use crate::agent_browser::stream_probe::{self, Probe};
use crate::cdp::endpoint::Endpoint;
use crate::discovery::{Discovery, Session};
use crate::error::{Coded, ErrorCode};

/// The first agent-browser with the runtime `stream` commands, checked on the real
/// binaries: 0.22.2's daemon answers `Unknown command: stream`, 0.22.3's turns streaming
/// on (its sessions start with it off).
pub const FIRST_RUNTIME_STREAM_VERSION: &str = "0.22.3";

const PROBE_TIMEOUT: Duration = Duration::from_millis(1500);

/// Why a stream could not be made attachable.
#[derive(Debug, Error)]
pub enum EnsureError {
    #[error("session \"{name}\" is gone: {reason}")]
    SessionGone { name: String, reason: String },
    #[error("{0}")]
    CliNotFound(String),
    #[error("session \"{name}\" runs agent-browser {version}, which cannot turn streaming on while running: agent-browser {FIRST_RUNTIME_STREAM_VERSION} or newer is needed (start the session with it, or with AGENT_BROWSER_STREAM_PORT set)")]
    CliTooOld { name: String, version: String },
    #[error("{0}")]
    CliMismatch(String),
    #[error("agent-browser could not turn streaming on for \"{name}\": {message}")]
    EnableFailed { name: String, message: String },
    #[error("streaming for \"{name}\" was turned on but does not answer: {reason}")]
    VerifyFailed { name: String, reason: String },
    #[error("agent-browser did not answer in time for \"{name}\": {source}")]
    Timeout {
        name: String,
        #[source]
        source: CliError,
    },
    #[error("session \"{name}\" cannot stream, and its browser's DevTools cannot be reached either: {reason}")]
    NoDevTools { name: String, reason: String },
    #[error("cannot talk to session \"{name}\": {source}")]
    Cli {
        name: String,
        #[source]
        source: CliError,
    },
}

impl Coded for EnsureError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::SessionGone { .. } => ErrorCode::SessionGone,
            Self::NoDevTools { .. } => ErrorCode::NotAttachable,
            Self::CliNotFound(_) => ErrorCode::CliNotFound,
            Self::CliTooOld { .. } => ErrorCode::CliTooOld,
            Self::CliMismatch(_) => ErrorCode::CliVersionMismatch,
            Self::EnableFailed { .. } => ErrorCode::EnableFailed,
            Self::VerifyFailed { .. } => ErrorCode::VerifyFailed,
            Self::Timeout { .. } => ErrorCode::Timeout,
            Self::Cli { .. } => ErrorCode::CliFailed,
        }
    }

    fn retryable(&self) -> bool {
        match self {
            Self::EnableFailed { .. } | Self::VerifyFailed { .. } | Self::Timeout { .. } => true,
            // The CLI ran and said no: that can pass. An invalid name, a CLI that cannot
            // be started or an answer Porthole cannot read stay as they are.
            Self::Cli { source, .. } => matches!(source, CliError::Failed { .. }),
            Self::SessionGone { .. }
            | Self::CliNotFound(_)
            | Self::CliTooOld { .. }
            | Self::NoDevTools { .. }
            | Self::CliMismatch(_) => false,
        }
    }
}

/// The session with its stream verified.
#[derive(Debug, Clone)]
pub struct Ensured {
    pub session: Session,
    pub port: u16,
    /// Whether Porthole had to run `stream enable`.
    pub enabled_now: bool,
}

/// Makes `session`'s stream attachable and returns its port.
///
/// `cli` is located lazily by the caller: a session whose port already answers needs no
/// CLI at all, so a missing CLI is only an error when one is needed.
pub async fn ensure_stream(
    discovery: &mut Discovery,
    cli: Result<&AgentBrowserCli, &CliError>,
    session: &Session,
) -> Result<Ensured, EnsureError> {
    let name = session.name.clone();
    let live = fresh(discovery, session)?;
    // Without the CLI only a port that names this session is trusted: a port file can
    // outlive its server, and another program may hold the port now. An older daemon
    // that cannot say whose stream it serves is confirmed by `stream status` below.
    if let Some(port) = live.stream_port {
        if stream_probe::probe(port, &name, PROBE_TIMEOUT).await == Probe::Serves {
            return Ok(Ensured {
                session: live,
                port,
                enabled_now: false,
            });
        }
    }
    // A CLI of the daemon's own version: any other would restart the agent's daemon.
    let cli = AgentBrowserCli::for_daemon(cli, live.version.as_deref(), live.executable.as_deref())
        .await
        .map_err(|e| classify_cli_error(&live, e))?;
    let cli = &cli;
    let target = live.cli_ref().map_err(|e| EnsureError::Cli {
        name: name.clone(),
        source: e.into(),
    })?;
    let cli_error = |source: CliError| classify_cli_error(&live, source);

    let status = cli.stream_status(&target).await.map_err(cli_error)?;
    if let Some(port) = usable(&status) {
        if verify(port, &name).await.is_ok() {
            return Ok(Ensured {
                session: fresh(discovery, session)?,
                port,
                enabled_now: false,
            });
        }
    }

    // The CLI would start a new daemon if this one died since the last look.
    fresh(discovery, session)?;
    match cli.stream_enable(&target).await {
        Ok(_) => {}
        Err(CliError::Failed { message, .. })
            if message.to_lowercase().contains("already enabled") => {}
        Err(CliError::Failed { message, .. }) => {
            return Err(EnsureError::EnableFailed { name, message });
        }
        Err(other) => return Err(cli_error(other)),
    }

    fresh(discovery, session)?;
    let status = cli.stream_status(&target).await.map_err(cli_error)?;
    let port = usable(&status).ok_or_else(|| EnsureError::VerifyFailed {
        name: name.clone(),
        reason: "`stream status` still reports streaming off".into(),
    })?;
    verify(port, &name)
        .await
        .map_err(|reason| EnsureError::VerifyFailed {
            name: name.clone(),
            reason,
        })?;
    let mut session = fresh(discovery, session)?;
    session.stream_port = Some(port);
    Ok(Ensured {
        session,
        port,
        enabled_now: true,
    })
}

/// Where the browser of a session that cannot stream speaks DevTools, from
/// `get cdp-url` through the daemon's own CLI (a session of agent-browser before
/// [`FIRST_RUNTIME_STREAM_VERSION`]). Only loopback is accepted.
pub async fn devtools_endpoint(
    discovery: &mut Discovery,
    cli: Result<&AgentBrowserCli, &CliError>,
    session: &Session,
) -> Result<Endpoint, EnsureError> {
    let live = fresh(discovery, session)?;
    let cli = AgentBrowserCli::for_daemon(cli, live.version.as_deref(), live.executable.as_deref())
        .await
        .map_err(|e| classify_cli_error(&live, e))?;
    let target = live.cli_ref().map_err(|e| EnsureError::Cli {
        name: live.name.clone(),
        source: e.into(),
    })?;
    // The CLI would start a new daemon if this one died since the last look.
    fresh(discovery, session)?;
    let url = cli
        .cdp_url(&target)
        .await
        .map_err(|e| classify_cli_error(&live, e))?;
    url.parse::<Endpoint>()
        .map_err(|e| EnsureError::NoDevTools {
            name: live.name.clone(),
            reason: format!("`get cdp-url` answered {url}: {e}"),
        })
}

/// Rescans and returns the session as it is now, or why it is gone.
fn fresh(discovery: &mut Discovery, session: &Session) -> Result<Session, EnsureError> {
    discovery
        .recheck(&session.id)
        .map_err(|gone| EnsureError::SessionGone {
            name: session.name.clone(),
            reason: gone.reason,
        })
}

fn usable(status: &StreamStatus) -> Option<u16> {
    status.port.filter(|_| status.enabled)
}

async fn verify(port: u16, name: &str) -> Result<(), String> {
    match stream_probe::probe(port, name, PROBE_TIMEOUT).await {
        Probe::Serves | Probe::Unverified => Ok(()),
        Probe::OtherSession => Err(format!("port {port} streams another session")),
        Probe::NoAnswer(reason) => Err(reason),
    }
}

fn classify_cli_error(session: &Session, source: CliError) -> EnsureError {
    let name = session.name.clone();
    match source {
        CliError::Unsupported { .. } => EnsureError::CliTooOld {
            name,
            version: session
                .version
                .clone()
                .unwrap_or_else(|| "of unknown version".into()),
        },
        CliError::NotFound { .. } => EnsureError::CliNotFound(source.to_string()),
        CliError::VersionMismatch { .. } => EnsureError::CliMismatch(source.to_string()),
        CliError::Timeout { .. } => EnsureError::Timeout { name, source },
        other => EnsureError::Cli {
            name,
            source: other,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_retry_advice_are_stable() {
        let gone = EnsureError::SessionGone {
            name: "a".into(),
            reason: "r".into(),
        };
        assert_eq!(gone.code(), ErrorCode::SessionGone);
        assert!(
            !gone.retryable(),
            "a gone session does not come back by retrying"
        );
        let old = EnsureError::CliTooOld {
            name: "a".into(),
            version: "0.20.0".into(),
        };
        assert_eq!(old.code(), ErrorCode::CliTooOld);
        assert!(
            old.to_string().contains(FIRST_RUNTIME_STREAM_VERSION),
            "the message says which version is needed: {old}"
        );
        let failed = EnsureError::EnableFailed {
            name: "a".into(),
            message: "boom".into(),
        };
        assert!(failed.retryable());
        let unreadable = EnsureError::Cli {
            name: "a".into(),
            source: CliError::BadOutput {
                command: "stream status".into(),
                reason: "not JSON".into(),
                output: "?".into(),
            },
        };
        assert!(
            !unreadable.retryable(),
            "an answer Porthole cannot read does not become readable by asking again"
        );
        let refused = EnsureError::Cli {
            name: "a".into(),
            source: CliError::Failed {
                command: "stream status".into(),
                message: "busy".into(),
            },
        };
        assert!(refused.retryable(), "a CLI that said no may say yes later");
        assert_eq!(
            failed.to_ui().message,
            "agent-browser could not turn streaming on for \"a\": boom",
            "the CLI's own message reaches the person"
        );
    }
}
