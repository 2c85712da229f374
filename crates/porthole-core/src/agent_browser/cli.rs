//! The agent-browser CLI, typed.
//!
//! Every call goes through [`AgentBrowserCli::run`]: the session's name and namespace are
//! validated, `AGENT_BROWSER_SOCKET_DIR` points the CLI at the directory the session was
//! found in, `--json` output is parsed into typed structs, and every call has a timeout
//! after which the child is killed.
//!
//! The CLI is a side effect twice over: a session command for a dead daemon starts a new
//! daemon, and one for a daemon of another version restarts it ("Daemon version mismatch
//! detected, restarting...": the agent's browser, its tabs and state, are gone). Only
//! call it for a session just seen alive (see [`crate::discovery`]), through the CLI
//! [`AgentBrowserCli::for_daemon`] picks.
//!
//! ```no_run
//! # async fn demo() -> Result<(), porthole_core::agent_browser::cli::CliError> {
//! use porthole_core::agent_browser::cli::{AgentBrowserCli, SessionRef};
//! let cli = AgentBrowserCli::locate(None)?;
//! let session = SessionRef::new("default", None, "/root/.agent-browser".into())?;
//! let status = cli.stream_status(&session).await?;
//! println!("streaming on port {:?}", status.port);
//! # Ok(()) }
//! ```

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use thiserror::Error;
use tokio::process::Command;

use super::names::{self, InvalidName};

/// The environment variable that names the CLI to use.
pub const ENV_CLI: &str = "PORTHOLE_AGENT_BROWSER";

/// How long one CLI call may take before it is killed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// Where the CLI was found, in the order Porthole looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliSource {
    /// Given by the caller (a setting or a flag).
    Explicit,
    /// `$PORTHOLE_AGENT_BROWSER`.
    Environment,
    /// `agent-browser` on `PATH`.
    Path,
    /// The copy pinned by this project's `package.json` (`node_modules/agent-browser`).
    Pinned,
    /// The executable of the session's own daemon.
    Daemon,
}

/// A session as the CLI addresses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRef {
    name: String,
    namespace: Option<String>,
    socket_base: PathBuf,
}

impl SessionRef {
    /// Validates the names before they can reach a command line.
    pub fn new(
        name: &str,
        namespace: Option<&str>,
        socket_base: PathBuf,
    ) -> Result<Self, InvalidName> {
        names::validate_session(name)?;
        if let Some(ns) = namespace {
            names::validate_namespace(ns)?;
        }
        Ok(Self {
            name: name.to_owned(),
            namespace: namespace.map(str::to_owned),
            socket_base,
        })
    }
}

/// The `data` of `stream status` and `stream enable`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StreamStatus {
    pub enabled: bool,
    pub port: Option<u16>,
    #[serde(default)]
    pub connected: bool,
    #[serde(default)]
    pub screencasting: bool,
}

/// The `data` of `get cdp-url`: the DevTools WebSocket of the session's browser.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CdpUrl {
    pub cdp_url: String,
}

/// `session --json`'s `data`: the session a command with no `--session` uses.
#[derive(Debug, Deserialize)]
struct CurrentSession {
    session: String,
}

/// The envelope of every `--json` answer.
#[derive(Debug, Deserialize)]
struct Envelope {
    success: bool,
    #[serde(default)]
    data: serde_json::Value,
    #[serde(default)]
    error: Option<String>,
}

/// Why a CLI call did not give an answer.
#[derive(Debug, Error)]
pub enum CliError {
    #[error("the agent-browser CLI was not found (looked at {})", .searched.join(", "))]
    NotFound { searched: Vec<String> },
    #[error("{program} could not be started: {source}")]
    Spawn {
        program: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`agent-browser {command}` did not answer within {} s", .after.as_secs())]
    Timeout { command: String, after: Duration },
    #[error("`agent-browser {command}` failed: {message}")]
    Failed { command: String, message: String },
    #[error("`agent-browser {command}` is not supported by this agent-browser: {output}")]
    Unsupported { command: String, output: String },
    #[error("`agent-browser {command}` gave an answer Porthole cannot read ({reason}): {output}")]
    BadOutput {
        command: String,
        reason: String,
        output: String,
    },
    #[error(transparent)]
    InvalidName(#[from] InvalidName),
    #[error("the agent-browser CLI here is {cli}, the session's daemon runs {daemon}: the CLI would restart that daemon, and the daemon's own executable cannot be run")]
    VersionMismatch { cli: String, daemon: String },
}

/// A located agent-browser CLI.
#[derive(Debug, Clone)]
pub struct AgentBrowserCli {
    program: PathBuf,
    source: CliSource,
    timeout: Duration,
}

impl AgentBrowserCli {
    /// Uses `program` as it is (tests, benchmarks).
    pub fn at(program: PathBuf, source: CliSource) -> Self {
        Self {
            program,
            source,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Finds the CLI: `explicit`, then `$PORTHOLE_AGENT_BROWSER`, then `agent-browser` on
    /// `PATH`, then this project's pinned copy. A GUI started from a desktop may not
    /// have npm's bin directory on `PATH`, hence the last one.
    pub fn locate(explicit: Option<&Path>) -> Result<Self, CliError> {
        let env = std::env::var_os(ENV_CLI)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let on_path = which::which("agent-browser").ok();
        let pinned = pinned_copy();
        let candidates = [
            (explicit.map(Path::to_owned), CliSource::Explicit),
            (env, CliSource::Environment),
            (on_path, CliSource::Path),
            (Some(pinned), CliSource::Pinned),
        ];
        let mut searched = Vec::new();
        for (candidate, source) in candidates {
            let Some(path) = candidate else { continue };
            if path.is_file() {
                return Ok(Self::at(path, source));
            }
            // An explicit choice that does not exist is an error, not a reason to
            // silently run some other CLI.
            if matches!(source, CliSource::Explicit | CliSource::Environment) {
                return Err(CliError::NotFound {
                    searched: vec![path.display().to_string()],
                });
            }
            searched.push(path.display().to_string());
        }
        if searched.len() < 2 {
            searched.insert(0, "agent-browser on PATH".into());
        }
        Err(CliError::NotFound { searched })
    }

    /// The CLI to run for a live session whose daemon runs `daemon_version` (from its
    /// `.version` file) from `daemon_exe`.
    ///
    /// agent-browser's CLI restarts a daemon whose version differs from its own, so the
    /// located CLI is used only when its version is the daemon's; otherwise the daemon's
    /// own executable, which is that version by definition. Asking `--version` starts
    /// nothing.
    pub async fn for_daemon(
        located: Result<&AgentBrowserCli, &CliError>,
        daemon_version: Option<&str>,
        daemon_exe: Option<&Path>,
    ) -> Result<AgentBrowserCli, CliError> {
        let located_version = match located {
            Ok(cli) => cli.version().await.ok(),
            Err(_) => None,
        };
        if let (Ok(cli), Some(version)) = (located, daemon_version) {
            if located_version.as_deref() == Some(version) {
                return Ok(cli.clone());
            }
        }
        if let Some(exe) = daemon_exe.filter(|e| e.exists()) {
            let timeout = located.map(|c| c.timeout).unwrap_or(DEFAULT_TIMEOUT);
            return Ok(Self::at(exe.to_owned(), CliSource::Daemon).with_timeout(timeout));
        }
        match located {
            Err(CliError::NotFound { searched }) => Err(CliError::NotFound {
                searched: searched.clone(),
            }),
            _ => Err(CliError::VersionMismatch {
                cli: located_version.unwrap_or_else(|| "of unknown version".into()),
                daemon: daemon_version.unwrap_or("an unknown version").to_owned(),
            }),
        }
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    pub fn source(&self) -> CliSource {
        self.source
    }

    /// Sets the per-call timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// `agent-browser --version`, e.g. `0.41.2`. Starts no daemon.
    pub async fn version(&self) -> Result<String, CliError> {
        let mut cmd = Command::new(&self.program);
        cmd.arg("--version");
        let out = self.output(cmd, "--version").await?;
        let text = String::from_utf8_lossy(&out.stdout);
        text.split_whitespace()
            .last()
            .map(str::to_owned)
            .ok_or_else(|| CliError::BadOutput {
                command: "--version".into(),
                reason: "no version printed".into(),
                output: excerpt(&text),
            })
    }

    /// `stream status` of a live session.
    pub async fn stream_status(&self, session: &SessionRef) -> Result<StreamStatus, CliError> {
        self.run(session, &["stream", "status"]).await
    }

    /// `stream enable`. "Already enabled" comes back as [`CliError::Failed`]; the caller
    /// decides that it is a success.
    pub async fn stream_enable(&self, session: &SessionRef) -> Result<StreamStatus, CliError> {
        self.run(session, &["stream", "enable"]).await
    }

    /// `get cdp-url`: where the session's browser speaks DevTools. Every version
    /// answers it, including those that cannot stream.
    pub async fn cdp_url(&self, session: &SessionRef) -> Result<String, CliError> {
        self.run::<CdpUrl>(session, &["get", "cdp-url"])
            .await
            .map(|d| d.cdp_url)
    }

    /// The session name this CLI uses when a command names none, run in `cwd` with
    /// Porthole's environment: `AGENT_BROWSER_SESSION` if set, else `default`. `session`
    /// starts no daemon (checked on 0.41.2).
    pub async fn current_session(&self, cwd: &Path) -> Result<String, CliError> {
        let mut cmd = Command::new(&self.program);
        cmd.args(["--json", "session"]).current_dir(cwd);
        let out = self.output(cmd, "session").await?;
        parse_answer::<CurrentSession>("session", &out.stdout, &out.stderr).map(|d| d.session)
    }

    /// `open URL` for the session `name`, run in `cwd`: a session that is not running is
    /// started there, so its daemon belongs to that workspace. The socket directory is
    /// the one this process's environment gives, as it is for the agent's own CLI.
    /// `url` must be a URL (see `control::navigation::normalize_url`), never a flag.
    pub async fn open(&self, name: &str, url: &str, cwd: &Path) -> Result<(), CliError> {
        names::validate_session(name)?;
        if url.starts_with('-') {
            return Err(CliError::Failed {
                command: "open".into(),
                message: format!("“{url}” is not an address"),
            });
        }
        let mut cmd = Command::new(&self.program);
        cmd.args(["--json", "--session", name, "open", url])
            .current_dir(cwd)
            .env_remove("AGENT_BROWSER_SESSION");
        let out = self.output(cmd, "open").await?;
        let answer = parse_answer::<serde_json::Value>("open", &out.stdout, &out.stderr)?;
        tracing::debug!(session = name, %answer, "opened");
        Ok(())
    }

    /// Runs `agent-browser --json --session NAME [--namespace NS] ARGS...` and parses the
    /// answer's `data` as `T`.
    pub async fn run<T: DeserializeOwned>(
        &self,
        session: &SessionRef,
        args: &[&str],
    ) -> Result<T, CliError> {
        let command = args.join(" ");
        let mut cmd = Command::new(&self.program);
        cmd.arg("--json").arg("--session").arg(&session.name);
        if let Some(ns) = &session.namespace {
            cmd.arg("--namespace").arg(ns);
        }
        cmd.args(args)
            .env("AGENT_BROWSER_SOCKET_DIR", &session.socket_base)
            .env_remove("AGENT_BROWSER_SESSION")
            .env_remove("AGENT_BROWSER_NAMESPACE");
        let out = self.output(cmd, &command).await?;
        parse_answer(&command, &out.stdout, &out.stderr)
    }

    async fn output(
        &self,
        mut cmd: Command,
        command: &str,
    ) -> Result<std::process::Output, CliError> {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        tracing::debug!(program = %self.program.display(), command, "running agent-browser");
        let child = cmd.spawn().map_err(|source| CliError::Spawn {
            program: self.program.clone(),
            source,
        })?;
        match tokio::time::timeout(self.timeout, child.wait_with_output()).await {
            Err(_) => Err(CliError::Timeout {
                command: command.to_owned(),
                after: self.timeout,
            }),
            Ok(Err(source)) => Err(CliError::Spawn {
                program: self.program.clone(),
                source,
            }),
            Ok(Ok(out)) => Ok(out),
        }
    }
}

/// Reads a `--json` answer. Split out so the parsing is unit-tested without a process.
fn parse_answer<T: DeserializeOwned>(
    command: &str,
    stdout: &[u8],
    stderr: &[u8],
) -> Result<T, CliError> {
    let text = String::from_utf8_lossy(stdout);
    let json_line = text.lines().rev().find(|l| l.trim_start().starts_with('{'));
    let Some(line) = json_line else {
        let both = format!("{}{}", text.trim(), String::from_utf8_lossy(stderr).trim());
        let lower = both.to_lowercase();
        if lower.contains("unknown command") || lower.contains("unrecognized") {
            return Err(CliError::Unsupported {
                command: command.to_owned(),
                output: excerpt(&both),
            });
        }
        return Err(CliError::BadOutput {
            command: command.to_owned(),
            reason: "no JSON answer".into(),
            output: excerpt(&both),
        });
    };
    let envelope: Envelope = serde_json::from_str(line).map_err(|e| CliError::BadOutput {
        command: command.to_owned(),
        reason: e.to_string(),
        output: excerpt(line),
    })?;
    if !envelope.success {
        let message = envelope
            .error
            .unwrap_or_else(|| "no reason given".to_owned());
        let lower = message.to_lowercase();
        if lower.contains("unknown command") || lower.contains("unknown action") {
            return Err(CliError::Unsupported {
                command: command.to_owned(),
                output: message,
            });
        }
        return Err(CliError::Failed {
            command: command.to_owned(),
            message,
        });
    }
    serde_json::from_value(envelope.data).map_err(|e| CliError::BadOutput {
        command: command.to_owned(),
        reason: e.to_string(),
        output: excerpt(line),
    })
}

/// The native binary the npm package ships for this platform, inside this project's
/// `node_modules` (pinned by `package.json`).
fn pinned_copy() -> PathBuf {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    };
    let ext = if cfg!(windows) { ".exe" } else { "" };
    // This crate is crates/porthole-core; node_modules is at the repository's root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../node_modules/agent-browser/bin")
        .join(format!("agent-browser-{os}-{arch}{ext}"))
}

fn excerpt(text: &str) -> String {
    const MAX: usize = 300;
    let text = text.trim();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pinned_copy_is_the_one_in_the_repository_node_modules() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let expected = root.join("node_modules/agent-browser/bin");
        let pinned = pinned_copy();
        let dir = pinned.parent().expect("a directory");
        assert_eq!(
            dir.canonicalize().ok(),
            expected.canonicalize().ok(),
            "the fallback CLI lives in package.json's node_modules at the repository root"
        );
        if root.join("node_modules/agent-browser").is_dir() {
            assert!(
                pinned.is_file(),
                "{} is this platform's binary",
                pinned.display()
            );
        }
    }

    #[test]
    fn parses_stream_status_of_current_and_older_versions() {
        let now = br#"{"success":true,"data":{"connected":true,"enabled":true,"lifecycle":{"launched":false},"port":40013,"screencasting":false},"error":null}"#;
        let s: StreamStatus = parse_answer("stream status", now, b"").expect("0.41 answer");
        assert_eq!(
            s,
            StreamStatus {
                enabled: true,
                port: Some(40013),
                connected: true,
                screencasting: false
            }
        );
        let old = br#"{"success":true,"data":{"enabled":false,"port":null},"error":null}"#;
        let s: StreamStatus = parse_answer("stream status", old, b"").expect("older answer");
        assert!(!s.enabled && s.port.is_none(), "streaming off has no port");
    }

    #[test]
    fn a_failed_answer_carries_the_clis_message() {
        let out = br#"{"success":false,"data":null,"error":"Streaming is already enabled for this session"}"#;
        let err = parse_answer::<StreamStatus>("stream enable", out, b"").unwrap_err();
        assert!(
            matches!(&err, CliError::Failed { message, .. } if message.contains("already enabled")),
            "the CLI's own words reach the caller: {err}"
        );
    }

    #[test]
    fn output_that_is_not_json_is_an_error_not_a_panic() {
        let err = parse_answer::<StreamStatus>("stream status", b"garbage\n", b"").unwrap_err();
        assert!(matches!(err, CliError::BadOutput { .. }), "{err}");
        let err =
            parse_answer::<StreamStatus>("stream status", b"{\"success\":tr", b"").unwrap_err();
        assert!(matches!(err, CliError::BadOutput { .. }), "{err}");
        let err = parse_answer::<StreamStatus>("stream status", b"", b"Unknown command: stream")
            .unwrap_err();
        assert!(
            matches!(err, CliError::Unsupported { .. }),
            "an unknown command means the CLI is too old: {err}"
        );
    }

    #[test]
    fn a_missing_explicit_cli_is_reported_not_replaced() {
        let err = AgentBrowserCli::locate(Some(Path::new("/nonexistent/agent-browser")))
            .expect_err("an explicit path that does not exist");
        assert!(
            err.to_string().contains("/nonexistent/agent-browser"),
            "the message names the path that was asked for: {err}"
        );
    }

    /// A stand-in CLI that only knows its version.
    fn cli_of_version(dir: &Path, version: &str) -> AgentBrowserCli {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(format!("agent-browser-{version}"));
        std::fs::write(&path, format!("#!/bin/sh\necho agent-browser {version}\n")).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        AgentBrowserCli::at(path, CliSource::Pinned)
    }

    #[tokio::test]
    async fn a_cli_of_another_version_than_the_daemon_is_never_run() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cli = cli_of_version(dir.path(), "0.41.2");
        let same = AgentBrowserCli::for_daemon(Ok(&cli), Some("0.41.2"), None)
            .await
            .expect("the same version is used as it is");
        assert_eq!(same.source(), CliSource::Pinned);

        let daemon_exe = dir.path().join("the-daemons-own");
        std::fs::write(&daemon_exe, "").expect("write");
        let other = AgentBrowserCli::for_daemon(Ok(&cli), Some("0.40.0"), Some(&daemon_exe))
            .await
            .expect("the daemon's own executable");
        assert_eq!(other.source(), CliSource::Daemon);
        assert_eq!(other.program(), daemon_exe);
        let unversioned = AgentBrowserCli::for_daemon(Ok(&cli), None, Some(&daemon_exe))
            .await
            .expect("a daemon without a .version file runs its own executable");
        assert_eq!(unversioned.source(), CliSource::Daemon);

        let error = AgentBrowserCli::for_daemon(Ok(&cli), Some("0.40.0"), None)
            .await
            .expect_err("no CLI of the daemon's version");
        assert!(
            matches!(&error, CliError::VersionMismatch { cli, daemon } if cli == "0.41.2" && daemon == "0.40.0"),
            "refused, naming both versions, rather than restarting the daemon: {error}"
        );
    }

    #[test]
    fn session_names_are_checked_before_any_command() {
        assert!(SessionRef::new("--all", None, PathBuf::from("/tmp")).is_err());
        assert!(SessionRef::new("ok", Some("bad ns"), PathBuf::from("/tmp")).is_err());
        assert!(SessionRef::new("ok", Some("team"), PathBuf::from("/tmp")).is_ok());
    }
}
