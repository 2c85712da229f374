//! `ensure_stream` against real daemons: a stream turned off comes back, a live stream
//! needs no CLI at all, and a dead session is refused without starting anything.

use porthole_core::agent_browser::cli::CliError;
use porthole_core::agent_browser::stream_probe::{probe, Probe};
use porthole_core::discovery::SessionStatus;
use porthole_core::error::{Coded, ErrorCode};
use porthole_core::stream::ensure::ensure_stream;

use crate::support::{cli, find, kill9, Sandbox};

fn no_cli() -> CliError {
    CliError::NotFound {
        searched: vec!["(withheld by the test)".into()],
    }
}

#[tokio::test]
async fn a_live_stream_is_used_as_it_is_without_the_cli() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("live", &ws);
    let session = find(&sb.report(&ws), "live").clone();
    let port = session.stream_port.expect("0.41 streams by default");
    assert_eq!(
        probe(port, "live", std::time::Duration::from_secs(2)).await,
        Probe::Serves,
        "the port answers for this session"
    );
    let mut discovery = sb.discovery();
    let missing = no_cli();
    let ensured = ensure_stream(&mut discovery, Err(&missing), &session)
        .await
        .expect("an answering stream needs no CLI");
    assert_eq!(ensured.port, port);
    assert!(!ensured.enabled_now);
}

#[tokio::test]
async fn a_disabled_stream_is_enabled_and_verified() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("quiet", &ws);
    let out = sb.agent("quiet", &["--json", "stream", "disable"]);
    assert!(out.status.success(), "stream disable: {out:?}");
    let session = find(&sb.report(&ws), "quiet").clone();
    assert_eq!(
        session.status,
        SessionStatus::MissingStream,
        "streaming is off"
    );
    let daemons = sb.daemons();

    let cli = cli();
    let mut discovery = sb.discovery();
    let ensured = ensure_stream(&mut discovery, Ok(&cli), &session)
        .await
        .unwrap_or_else(|e| panic!("ensure_stream turns the stream on: {e}"));
    assert!(ensured.enabled_now, "Porthole ran stream enable");
    let again = find(&sb.report(&ws), "quiet").clone();
    assert_eq!(
        again.status,
        SessionStatus::Attachable,
        "discovery sees it on"
    );
    assert_eq!(
        again.stream_port,
        Some(ensured.port),
        "on the port ensure_stream gave"
    );
    assert_eq!(sb.daemons(), daemons, "no daemon was started or lost");

    let twice = ensure_stream(&mut discovery, Ok(&cli), &again)
        .await
        .expect("ensuring again is harmless");
    assert_eq!(twice.port, ensured.port);
}

#[tokio::test]
async fn a_dead_session_is_refused_and_no_daemon_is_started() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("dead", &ws);
    let session = find(&sb.report(&ws), "dead").clone();
    kill9(session.pid.expect("pid"));

    let cli = cli();
    let mut discovery = sb.discovery();
    let err = ensure_stream(&mut discovery, Ok(&cli), &session)
        .await
        .expect_err("a dead session cannot be streamed");
    assert_eq!(err.code(), ErrorCode::SessionGone, "{err}");
    assert!(!err.retryable(), "retrying cannot bring it back");
    assert!(
        sb.daemons().is_empty(),
        "the CLI was not run for a dead session, so no daemon was started"
    );
}

#[tokio::test]
async fn an_older_daemon_is_driven_by_its_own_version_and_never_restarted() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    // 0.22.3, the first release with runtime `stream` commands, starts with streaming off
    // and writes no .version file; Porthole's own CLI is 0.41.2, which would restart a
    // daemon of another version.
    sb.start_release("0.22.3", "elder", &ws);
    let daemons = sb.daemons();
    let session = find(&sb.report(&ws), "elder").clone();
    assert_eq!(session.status, SessionStatus::MissingStream, "{session:?}");
    assert_eq!(session.version, None, "0.22 daemons write no .version");
    let mut discovery = sb.discovery();
    let ensured = ensure_stream(&mut discovery, Ok(&cli()), &session)
        .await
        .expect("the old daemon's stream is turned on");
    assert!(ensured.enabled_now);
    assert_eq!(
        probe(ensured.port, "elder", std::time::Duration::from_secs(2)).await,
        Probe::Unverified,
        "an 0.22 stream server answers, without the session list of newer ones"
    );
    assert_eq!(
        sb.daemons(),
        daemons,
        "the agent's daemon is the one that was there: not restarted, none started"
    );
    let now = find(&sb.report(&ws), "elder").clone();
    assert_eq!(now.pid, session.pid, "same daemon");
    assert_eq!(now.stream_port, Some(ensured.port));

    // 0.22.2 has no `stream` commands: the error says which version is needed.
    sb.start_release("0.22.2", "ancient", &ws);
    let daemons = sb.daemons();
    let session = find(&sb.report(&ws), "ancient").clone();
    let error = ensure_stream(&mut discovery, Ok(&cli()), &session)
        .await
        .expect_err("0.22.2 cannot stream at run time");
    assert_eq!(error.code(), ErrorCode::CliTooOld, "{error}");
    assert!(!error.retryable());
    assert!(
        error.to_string().contains("0.22.3 or newer"),
        "the message names the version needed: {error}"
    );
    assert_eq!(sb.daemons(), daemons, "and the old daemon was left alone");
}
