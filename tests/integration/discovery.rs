//! Discovery against real daemons: where sessions are found, whose they are, what is
//! stale, and that looking never starts a daemon.

use std::os::unix::fs::symlink;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use porthole_core::discovery::watch::{DiscoveryWatch, WatchOptions};
use porthole_core::discovery::{Report, Session, SessionStatus};

use crate::support::{find, kill9, Sandbox};

#[test]
fn sessions_are_grouped_by_the_daemons_cwd_through_symlinks() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("root", &ws);
    sb.start("deep", &sb.dir("ws/app/web"));
    sb.start("foreign", &sb.dir("elsewhere"));
    std::fs::create_dir_all(sb.dir("ws2")).expect("mkdir");
    let daemons = sb.daemons();
    assert_eq!(daemons.len(), 3, "the three sessions run");

    let report = sb.report(&ws);
    let names = |v: &[Session]| v.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    let mut current = names(&report.current);
    current.sort();
    assert_eq!(
        current,
        ["deep", "root"],
        "the workspace root and a subdir belong to it"
    );
    assert_eq!(names(&report.other), ["foreign"], "another dir is other");
    let root = find(&report, "root");
    assert_eq!(
        root.status,
        SessionStatus::Attachable,
        "0.41 streams by default"
    );
    assert!(root.stream_port.is_some(), "with its port");
    assert_eq!(root.cwd.as_deref(), Some(ws.as_path()));
    assert_eq!(root.version.as_deref(), Some("0.41.2"));
    assert_eq!(root.pid, Some(daemons_for(&sb, "root")));
    assert_eq!(
        find(&report, "foreign").cwd.as_deref(),
        Some(sb.path().join("elsewhere").as_path()),
        "others carry their cwd"
    );

    let link = sb.path().join("ws-link");
    symlink(&ws, &link).expect("symlink");
    let via_link = sb.report(&link);
    assert_eq!(
        via_link.workspace, ws,
        "the workspace is resolved through the symlink"
    );
    assert_eq!(
        names(&via_link.current).len(),
        2,
        "and finds the same sessions"
    );
    let sibling = sb.report(&sb.path().join("ws2"));
    assert!(
        sibling.current.is_empty(),
        "ws2 is not ws, though it shares a prefix"
    );

    assert_eq!(sb.daemons(), daemons, "discovery started no daemon");
}

fn daemons_for(sb: &Sandbox, name: &str) -> u32 {
    std::fs::read_to_string(sb.sockets.join(format!("{name}.pid")))
        .expect("pid file")
        .trim()
        .parse()
        .expect("pid")
}

#[test]
fn namespaced_and_xdg_runtime_sessions_are_found() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    let sockets = sb.sockets.display().to_string();
    sb.start_with(
        "spaced",
        &ws,
        vec![("AGENT_BROWSER_SOCKET_DIR".into(), sockets)],
        &["--namespace", "team"],
    );
    let xdg = sb.xdg.display().to_string();
    sb.start_with("xdg", &ws, vec![("XDG_RUNTIME_DIR".into(), xdg)], &[]);
    assert!(
        sb.xdg.join("agent-browser/xdg.pid").exists(),
        "agent-browser put the XDG session under $XDG_RUNTIME_DIR/agent-browser"
    );
    let before = sb.daemons();

    let report = sb.report(&ws);
    let spaced = find(&report, "spaced");
    assert_eq!(spaced.namespace.as_deref(), Some("team"));
    assert_eq!(spaced.socket_dir, sb.sockets, "the base dir, for the CLI");
    assert_eq!(spaced.status, SessionStatus::Attachable);
    let xdg = find(&report, "xdg");
    assert_eq!(xdg.socket_dir, sb.xdg.join("agent-browser"));
    assert_eq!(xdg.status, SessionStatus::Attachable);
    assert_eq!(sb.daemons(), before, "discovery started no daemon");
}

#[test]
fn a_killed_daemon_leaves_a_stale_session_that_is_never_acted_on() {
    let mut sb = Sandbox::new();
    let ws = sb.dir("ws");
    sb.start("doomed", &ws);
    let pid = daemons_for(&sb, "doomed");
    kill9(pid);
    assert!(
        sb.sockets.join("doomed.pid").exists(),
        "SIGKILL leaves the files"
    );
    let report = sb.report(&ws);
    let s = find(&report, "doomed");
    assert_eq!(s.status, SessionStatus::Stale);
    assert_eq!(s.stream_port, None, "a stale session offers no port");
    assert!(
        s.problem
            .as_deref()
            .is_some_and(|p| p.contains("not running")),
        "it says why: {:?}",
        s.problem
    );
    assert!(sb.daemons().is_empty(), "looking at it started nothing");
    assert!(
        sb.sockets.join("doomed.pid").exists(),
        "and removed nothing"
    );
}

#[test]
fn malformed_files_and_foreign_pids_are_stale_not_errors() {
    let sb = Sandbox::new();
    let ws = sb.dir("ws");
    let mut sleeper = Command::new("sleep")
        .arg("30")
        .current_dir(&ws)
        .spawn()
        .expect("sleep");
    let write =
        |file: &str, content: &str| std::fs::write(sb.sockets.join(file), content).expect("write");
    write("empty.pid", "");
    write("garbage.pid", "not-a-pid");
    write("garbage.stream", "port");
    write("foreign.pid", &sleeper.id().to_string());
    write("foreign.stream", "1");
    write("nopid.sock", "");
    write("closed.target", "{}");

    let report = sb.report(&ws);
    let all: Vec<&Session> = report.current.iter().chain(&report.other).collect();
    let mut names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        ["empty", "foreign", "garbage", "nopid"],
        "every marker file is a session; a lone .target is not"
    );
    for s in &all {
        assert_eq!(s.status, SessionStatus::Stale, "{} is stale", s.name);
        assert!(s.problem.is_some(), "{} says why", s.name);
    }
    let foreign = find(&report, "foreign");
    assert!(
        foreign
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("another program")),
        "a live pid of another program is not a daemon: {:?}",
        foreign.problem
    );
    assert!(sb.daemons().is_empty(), "no daemon was started");
    let _ = sleeper.kill();
    let _ = sleeper.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watch_knows_new_sessions_within_250ms_and_dead_ones_within_2s() {
    let sb = Sandbox::new();
    let ws = sb.dir("ws");
    let watch = DiscoveryWatch::spawn(sb.discovery(), WatchOptions::default());

    // The agent starts a session: how long after its pid file appears does the watch
    // report it alive?
    let pid_file = sb.sockets.join("watched.pid");
    let env = vec![(
        "AGENT_BROWSER_SOCKET_DIR".to_owned(),
        sb.sockets.display().to_string(),
    )];
    let (sb, mut rx, lag) = watch_lag(sb, watch.subscribe(), "watched", pid_file, env, &[]).await;
    assert!(
        lag < Duration::from_millis(250),
        "a started session is known within 250 ms of its pid file (took {lag:?})"
    );

    let pid = daemons_for(&sb, "watched");
    let killed_at = Instant::now();
    kill9(pid);
    let stale = tokio::time::timeout(Duration::from_secs(3), async {
        loop {
            let stale = rx
                .borrow_and_update()
                .iter()
                .any(|s| s.name == "watched" && s.status == SessionStatus::Stale);
            if stale {
                return Instant::now();
            }
            rx.changed().await.expect("watch alive");
        }
    })
    .await
    .expect("the watch reports the killed daemon");
    let lag = stale.duration_since(killed_at);
    assert!(
        lag < Duration::from_secs(2),
        "a killed daemon is known within 2 s (took {lag:?})"
    );
    let report = Report::for_workspace(&ws, watch.current().as_ref().clone());
    assert_eq!(
        report.current.iter().map(|s| s.status).collect::<Vec<_>>(),
        [SessionStatus::Stale],
        "a daemon the watch saw alive stays in its workspace once dead, as stale"
    );
    assert!(
        report.auto_attach_candidate().is_none(),
        "and a stale session is never a candidate"
    );
    let fresh = Report::for_workspace(&ws, sb.discovery().scan());
    assert!(
        fresh.current.is_empty() && fresh.other.len() == 1,
        "a discovery that never saw it alive has no cwd for it: it is with the others"
    );
}

/// Starts session `name` with `env` and `flags` while the watch runs, and returns how
/// long after `pid_file` appeared the watch reported the session alive.
async fn watch_lag(
    sb: Sandbox,
    rx: tokio::sync::watch::Receiver<Arc<Vec<Session>>>,
    name: &'static str,
    pid_file: std::path::PathBuf,
    env: Vec<(String, String)>,
    flags: &'static [&'static str],
) -> (
    Sandbox,
    tokio::sync::watch::Receiver<Arc<Vec<Session>>>,
    Duration,
) {
    let mut rx = rx;
    let seen_file = tokio::spawn(async move {
        loop {
            if pid_file.exists() {
                return Instant::now();
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    });
    let seen_alive = tokio::spawn(async move {
        loop {
            if rx
                .borrow_and_update()
                .iter()
                .any(|s| s.name == name && s.can_attach())
            {
                return (Instant::now(), rx);
            }
            if rx.changed().await.is_err() {
                panic!("the watch ended");
            }
        }
    });
    let sb = tokio::task::spawn_blocking(move || {
        let mut sb = sb;
        let ws = sb.dir("ws");
        sb.start_with(name, &ws, env, flags);
        sb
    })
    .await
    .expect("start");
    let file_at = seen_file.await.expect("pid file seen");
    let (alive_at, rx) = tokio::time::timeout(Duration::from_secs(5), seen_alive)
        .await
        .unwrap_or_else(|_| panic!("the watch never reported {name}"))
        .expect("task");
    (sb, rx, alive_at.saturating_duration_since(file_at))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watch_finds_sessions_in_socket_dirs_and_namespaces_that_appear_later() {
    let sb = Sandbox::new();
    let agent_dir = sb.xdg.join("agent-browser");
    assert!(
        !agent_dir.exists(),
        "the XDG socket dir does not exist before the first session"
    );
    let watch = DiscoveryWatch::spawn(sb.discovery(), WatchOptions::default());
    let rx = watch.subscribe();

    let xdg = vec![("XDG_RUNTIME_DIR".to_owned(), sb.xdg.display().to_string())];
    let pid_file = agent_dir.join("late.pid");
    let (sb, rx, lag) = watch_lag(sb, rx, "late", pid_file, xdg, &[]).await;
    assert!(
        lag < Duration::from_millis(250),
        "a session in a socket dir created after the watch started is known within 250 ms (took {lag:?})"
    );

    let sockets = vec![(
        "AGENT_BROWSER_SOCKET_DIR".to_owned(),
        sb.sockets.display().to_string(),
    )];
    let pid_file = sb.sockets.join("namespaces/fresh/run/spaced.pid");
    let (sb, _rx, lag) = watch_lag(
        sb,
        rx,
        "spaced",
        pid_file,
        sockets,
        &["--namespace", "fresh"],
    )
    .await;
    assert!(
        lag < Duration::from_millis(250),
        "a session in a new namespace is known within 250 ms (took {lag:?})"
    );
    assert_eq!(
        sb.daemons().len(),
        2,
        "only the two sessions the test started run: watching started none"
    );
}
