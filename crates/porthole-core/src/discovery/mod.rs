//! Which agent-browser sessions exist, which are alive, and which belong to a workspace.
//!
//! Discovery reads the session files of every socket directory
//! ([`crate::agent_browser::socket_dirs`]) and checks each pid against the process table
//! ([`process`]). It spawns no process: calling the CLI for a dead session would start a
//! daemon the agent never asked for. [`watch`] keeps the result current from filesystem
//! events plus a cheap liveness tick.
//!
//! ```no_run
//! use porthole_core::discovery::{Discovery, Report};
//! let mut discovery = Discovery::new().expect("process table");
//! let report = Report::for_workspace(std::path::Path::new("."), discovery.scan());
//! for s in &report.current {
//!     println!("{} {:?} port {:?}", s.name, s.status, s.stream_port);
//! }
//! ```

pub mod process;
pub mod watch;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::agent_browser::cli::SessionRef;
use crate::agent_browser::names::InvalidName;
use crate::agent_browser::session_files::{self, SessionFiles};
use crate::agent_browser::socket_dirs::{self, SocketDirEnv};
use crate::cdp::browsers::{BrowserScanner, CdpBrowser, Reach};
use crate::error::{Coded, ErrorCode};
use process::{ProcessInfo, ProcessTable, SysinfoTable};

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Alive, and its stream port is known.
    Attachable,
    /// Alive, with streaming off: `stream enable` can turn it on.
    MissingStream,
    /// Files left behind by a daemon that is gone (or a pid that is not a daemon).
    /// Shown, never acted on.
    Stale,
    /// Running, but nobody else can reach it (a browser driven over a pipe, or one
    /// that has not said its port); `problem` says why.
    NotAttachable,
}

/// What drives the browser, and so how Porthole reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
pub enum SessionKind {
    /// An agent-browser daemon: its stream, its CLI.
    #[serde(rename = "agent-browser")]
    AgentBrowser,
    /// A browser with DevTools open on a port, driven by something else (Puppeteer,
    /// chrome-devtools-mcp, a person's Chrome): reached over CDP.
    #[serde(rename = "cdp")]
    Cdp,
}

/// One browser Porthole can show, as discovery sees it: an agent-browser session, or a
/// browser with DevTools open ([`SessionKind::Cdp`]). The agent-browser fields
/// (`namespace`, `socket_dir`, `stream_port`, `version`) are empty for a CDP browser,
/// and `cdp_port` is set only for one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// Unique across socket dirs and namespaces: the session's path without extension;
    /// `cdp:PID` for a CDP browser.
    pub id: String,
    pub kind: SessionKind,
    /// The session's name; for a CDP browser, what a person recognises it by
    /// ("Chromium · port 9222 · pid 4242").
    pub name: String,
    pub namespace: Option<String>,
    /// The base socket directory (what `AGENT_BROWSER_SOCKET_DIR` must be to reach it).
    #[ts(type = "string")]
    pub socket_dir: PathBuf,
    pub pid: Option<u32>,
    /// The daemon's working directory: the agent's workspace.
    #[ts(type = "string | null")]
    pub cwd: Option<PathBuf>,
    pub status: SessionStatus,
    pub stream_port: Option<u16>,
    /// A CDP browser's DevTools port on loopback.
    pub cdp_port: Option<u16>,
    /// The loopback host of that port when it is not 127.0.0.1 (a browser connected to
    /// by hand on `::1` or `localhost`).
    pub cdp_host: Option<String>,
    /// The agent-browser version that started the daemon (absent before 0.23 or so,
    /// whose daemons write no `.version` file).
    pub version: Option<String>,
    /// The daemon's own executable: the one CLI that can never restart it (see
    /// [`crate::agent_browser::cli::AgentBrowserCli::for_daemon`]).
    #[ts(type = "string | null")]
    pub executable: Option<PathBuf>,
    /// When the daemon started, seconds since the Unix epoch.
    #[ts(type = "number | null")]
    pub started_at: Option<u64>,
    /// Why the session is stale, or why its stream file was ignored, for a person.
    pub problem: Option<String>,
}

impl Session {
    /// How the CLI addresses this session. Only meaningful for a live session.
    pub fn cli_ref(&self) -> Result<SessionRef, InvalidName> {
        SessionRef::new(
            &self.name,
            self.namespace.as_deref(),
            self.socket_dir.clone(),
        )
    }

    /// Alive and reachable: what Porthole may attach.
    pub fn can_attach(&self) -> bool {
        matches!(
            self.status,
            SessionStatus::Attachable | SessionStatus::MissingStream
        )
    }

    /// An agent-browser session whose daemon runs.
    fn is_alive_daemon(&self) -> bool {
        self.kind == SessionKind::AgentBrowser && self.status != SessionStatus::Stale
    }

    /// Whether `name_or_id` names this session: its name, its id, or for a CDP browser
    /// its port.
    pub fn is_called(&self, name_or_id: &str) -> bool {
        self.name == name_or_id
            || self.id == name_or_id
            || self
                .cdp_port
                .is_some_and(|port| port.to_string() == name_or_id)
    }
}

/// The sessions of one workspace, and all the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The workspace, symlinks resolved.
    #[ts(type = "string")]
    pub workspace: PathBuf,
    /// Sessions whose daemon runs in the workspace or below it, newest first.
    pub current: Vec<Session>,
    /// Every other session, grouped by cwd, newest first within a cwd.
    pub other: Vec<Session>,
}

impl Report {
    /// Groups `sessions` for `workspace`.
    pub fn for_workspace(workspace: &Path, sessions: Vec<Session>) -> Self {
        let workspace = resolve(workspace);
        let (mut current, mut other): (Vec<_>, Vec<_>) = sessions
            .into_iter()
            .partition(|s| s.cwd.as_deref().is_some_and(|c| belongs_to(c, &workspace)));
        let newest_first = |a: &Session, b: &Session| {
            b.started_at
                .cmp(&a.started_at)
                .then_with(|| a.name.cmp(&b.name))
        };
        current.sort_by(|a, b| {
            (a.status == SessionStatus::Stale)
                .cmp(&(b.status == SessionStatus::Stale))
                .then_with(|| newest_first(a, b))
        });
        other.sort_by(|a, b| a.cwd.cmp(&b.cwd).then_with(|| newest_first(a, b)));
        Self {
            workspace,
            current,
            other,
        }
    }

    /// The session Porthole attaches by itself: this workspace's newest live session.
    pub fn auto_attach_candidate(&self) -> Option<&Session> {
        self.current.iter().find(|s| s.can_attach())
    }

    /// The live session of this workspace named `preferred` (the person's last choice),
    /// else [`Self::auto_attach_candidate`].
    pub fn auto_attach_candidate_preferring(&self, preferred: Option<&str>) -> Option<&Session> {
        preferred
            .and_then(|name| {
                self.current
                    .iter()
                    .find(|s| s.can_attach() && s.name == name)
            })
            .or_else(|| self.auto_attach_candidate())
    }

    /// The session named `name_or_id`: this workspace's sessions first, live ones before
    /// stale ones, then the others.
    pub fn find(&self, name_or_id: &str) -> Option<&Session> {
        live_first(&self.current, name_or_id).or_else(|| live_first(&self.other, name_or_id))
    }
}

/// `id` among `sessions` if its daemon is alive, else why it cannot be used: the one
/// answer to "is this session still there?", whether from a fresh scan or from what the
/// discovery watch saw last.
pub fn find_alive(sessions: &[Session], id: &str) -> Result<Session, Gone> {
    match sessions.iter().find(|s| s.id == id) {
        Some(s) if s.can_attach() => Ok(s.clone()),
        Some(s) => Err(Gone {
            reason: s
                .problem
                .clone()
                .unwrap_or_else(|| "its daemon is not running".into()),
        }),
        None => Err(Gone {
            reason: "its files are gone (the session was closed)".into(),
        }),
    }
}

/// A session that is no longer alive, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the session is no longer there: {reason}")]
pub struct Gone {
    pub reason: String,
}

impl Coded for Gone {
    fn code(&self) -> ErrorCode {
        ErrorCode::SessionNotFound
    }

    fn retryable(&self) -> bool {
        false
    }
}

/// The process table could not be read, so no daemon can be checked.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the process table: {0}")]
pub struct ProcessTableError(#[from] sysinfo::Error);

impl Coded for ProcessTableError {
    fn code(&self) -> ErrorCode {
        ErrorCode::ProcessTable
    }

    fn retryable(&self) -> bool {
        false
    }
}

fn live_first<'a>(sessions: &'a [Session], name_or_id: &str) -> Option<&'a Session> {
    sessions
        .iter()
        .filter(|s| s.is_called(name_or_id))
        .min_by_key(|s| !s.can_attach())
}

/// Resolves symlinks where the path exists; keeps it as given otherwise.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    absolute.canonicalize().unwrap_or(absolute)
}

/// A daemon belongs to a workspace when its cwd is the workspace or inside it.
/// `workspace` must already be resolved; `cwd` is resolved here (the kernel reports it
/// resolved, but a test or another platform may not).
pub fn belongs_to(cwd: &Path, workspace: &Path) -> bool {
    resolve(cwd).starts_with(workspace)
}

/// Scans socket directories and classifies what it finds.
pub struct Discovery {
    env: SocketDirEnv,
    table: Box<dyn ProcessTable + Send + Sync>,
    /// Browsers with DevTools open; `None` lists agent-browser sessions only (tests
    /// over a made-up process table).
    browsers: Option<BrowserScanner>,
    last_seen: LastSeen,
}

impl Discovery {
    /// Discovery over this process's environment and the real process table.
    pub fn new() -> Result<Self, ProcessTableError> {
        Self::with(SocketDirEnv::from_process(), Box::new(SysinfoTable::new()?)).with_browsers()
    }

    pub fn with(env: SocketDirEnv, table: Box<dyn ProcessTable + Send + Sync>) -> Self {
        Self {
            env,
            table,
            browsers: None,
            last_seen: LastSeen::default(),
        }
    }

    /// Also lists the browsers with DevTools open ([`SessionKind::Cdp`]), as
    /// [`Discovery::new`] does.
    pub fn with_browsers(mut self) -> Result<Self, ProcessTableError> {
        self.browsers = Some(BrowserScanner::new()?);
        Ok(self)
    }

    /// The base directories scanned, in precedence order.
    pub fn base_dirs(&self) -> Vec<PathBuf> {
        self.env.base_dirs()
    }

    /// Every session in every socket directory, in directory then name order, then the
    /// browsers with DevTools open that no daemon started, in pid order.
    pub fn scan(&mut self) -> Vec<Session> {
        let files: Vec<SessionFiles> = socket_dirs::session_dirs(&self.base_dirs())
            .iter()
            .flat_map(session_files::read_dir)
            .collect();
        let pids: Vec<u32> = files.iter().filter_map(|f| f.pid.clone().ok()).collect();
        let procs = self.table.inspect(&pids);
        let mut sessions: Vec<Session> = files
            .into_iter()
            .map(|f| {
                let info = f.pid.as_ref().ok().and_then(|pid| procs.get(pid));
                classify(f, info)
            })
            .collect();
        self.last_seen.apply(&mut sessions);
        if let Some(scanner) = self.browsers.as_mut() {
            let daemons: HashSet<u32> = sessions
                .iter()
                .filter(|s| s.is_alive_daemon())
                .filter_map(|s| s.pid)
                .collect();
            sessions.extend(scanner.scan(&daemons).into_iter().map(cdp_session));
        }
        sessions
    }

    /// Scans again and returns the session with this `id` if its daemon is still alive.
    pub fn recheck(&mut self, id: &str) -> Result<Session, Gone> {
        find_alive(&self.scan(), id)
    }
}

/// Where each daemon ran while it was alive, so that a session whose daemon dies stays
/// with its workspace (as stale, saying why) instead of moving to "left behind": a dead
/// process has no cwd to read. Keyed by session id and pid, so a session started again
/// under the same name is never mistaken for the old one.
#[derive(Debug, Default)]
struct LastSeen(HashMap<(String, u32), (PathBuf, Option<u64>)>);

impl LastSeen {
    /// Records the live sessions of a scan, fills in the cwd of the stale ones seen alive
    /// before, and forgets sessions whose files are gone.
    fn apply(&mut self, sessions: &mut [Session]) {
        self.0
            .retain(|(id, pid), _| sessions.iter().any(|s| &s.id == id && s.pid == Some(*pid)));
        for s in sessions.iter_mut() {
            let Some(pid) = s.pid else { continue };
            let key = (s.id.clone(), pid);
            match (&s.cwd, s.can_attach()) {
                (Some(cwd), true) => {
                    self.0.insert(key, (cwd.clone(), s.started_at));
                }
                (None, false) => {
                    if let Some((cwd, started_at)) = self.0.get(&key) {
                        s.cwd = Some(cwd.clone());
                        s.started_at = *started_at;
                    }
                }
                _ => {}
            }
        }
    }
}

/// A browser with DevTools open, as a [`Session`] of [`SessionKind::Cdp`].
pub fn cdp_session(browser: CdpBrowser) -> Session {
    let label = browser.label();
    let (status, cdp_port, problem) = match &browser.reach {
        Reach::Port { port, .. } => (SessionStatus::Attachable, Some(*port), None),
        unreachable => (
            SessionStatus::NotAttachable,
            None,
            unreachable.not_attachable(),
        ),
    };
    Session {
        id: format!("cdp:{}", browser.pid),
        kind: SessionKind::Cdp,
        name: label,
        namespace: None,
        socket_dir: PathBuf::new(),
        pid: Some(browser.pid),
        cwd: browser.cwd,
        status,
        stream_port: None,
        cdp_port,
        cdp_host: None,
        version: None,
        executable: Some(browser.exe),
        started_at: Some(browser.started_at),
        problem,
    }
}

/// Turns a session's files and its process (if running) into a [`Session`].
pub fn classify(files: SessionFiles, process: Option<&ProcessInfo>) -> Session {
    let id = files.dir.path.join(&files.name).display().to_string();
    let liveness: Result<&ProcessInfo, String> = match (&files.pid, process) {
        (Err(problem), _) => Err(problem.to_string()),
        (Ok(pid), None) => Err(format!("its daemon (pid {pid}) is not running")),
        (Ok(pid), Some(p)) if !p.looks_like_agent_browser => Err(format!(
            "pid {pid} belongs to another program, not an agent-browser daemon"
        )),
        (Ok(pid), Some(p)) if p.env_daemon == Some(false) => Err(format!(
            "pid {pid} is an agent-browser command, not the session's daemon"
        )),
        (Ok(pid), Some(p)) => match &p.env_session {
            Some(other) if other != &files.name => Err(format!(
                "pid {pid} is the daemon of session \"{other}\", not of this one"
            )),
            _ => Ok(p),
        },
    };
    let executable = liveness.as_ref().ok().and_then(|p| p.exe.clone());
    let (status, stream_port, problem, cwd, started_at) = match liveness {
        Err(problem) => (SessionStatus::Stale, None, Some(problem), None, None),
        Ok(p) => {
            let (status, port, problem) = match &files.stream_port {
                None => (SessionStatus::MissingStream, None, None),
                Some(Ok(port)) => (SessionStatus::Attachable, Some(*port), None),
                Some(Err(problem)) => (
                    SessionStatus::MissingStream,
                    None,
                    Some(problem.to_string()),
                ),
            };
            (status, port, problem, p.cwd.clone(), Some(p.start_time))
        }
    };
    Session {
        id,
        kind: SessionKind::AgentBrowser,
        name: files.name,
        namespace: files.dir.namespace,
        socket_dir: files.dir.base,
        pid: files.pid.ok(),
        cwd,
        status,
        stream_port,
        cdp_port: None,
        cdp_host: None,
        version: files.version,
        executable,
        started_at,
        problem,
    }
}

/// A live agent-browser session in `/ws`, streaming, for the desktop modules' tests:
/// change what a test is about with struct update syntax.
#[cfg(test)]
pub(crate) fn sample_session(name: &str, pid: u32) -> Session {
    Session {
        id: format!("/run/agent-browser/{name}"),
        kind: SessionKind::AgentBrowser,
        name: name.into(),
        namespace: None,
        socket_dir: PathBuf::from("/run/agent-browser"),
        pid: Some(pid),
        cwd: Some(PathBuf::from("/ws")),
        status: SessionStatus::Attachable,
        stream_port: Some(40000),
        cdp_port: None,
        cdp_host: None,
        version: Some("0.41.2".into()),
        executable: None,
        started_at: Some(u64::from(pid)),
        problem: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent_browser::session_files::FileProblem;
    use crate::agent_browser::socket_dirs::SessionDir;

    fn files(name: &str, pid: Result<u32, FileProblem>, port: Option<u16>) -> SessionFiles {
        SessionFiles {
            name: name.into(),
            dir: SessionDir {
                path: "/run/ab".into(),
                base: "/run/ab".into(),
                namespace: None,
            },
            pid,
            stream_port: port.map(Ok),
            version: Some("0.41.2".into()),
        }
    }

    fn daemon(session: &str, cwd: &str) -> ProcessInfo {
        ProcessInfo {
            looks_like_agent_browser: true,
            env_session: Some(session.into()),
            env_daemon: Some(true),
            cwd: Some(cwd.into()),
            exe: Some("/opt/agent-browser".into()),
            start_time: 100,
        }
    }

    #[test]
    fn auto_attach_prefers_the_persons_last_choice_while_it_is_live() {
        let live =
            |name: &str| classify(files(name, Ok(7), Some(4000)), Some(&daemon(name, "/ws")));
        let stale = classify(files("chosen", Ok(8), None), None);
        let report = Report {
            workspace: "/ws".into(),
            current: vec![live("newest"), live("chosen")],
            other: vec![],
        };
        let pick = |r: &Report, p: Option<&str>| {
            r.auto_attach_candidate_preferring(p)
                .map(|s| s.name.clone())
        };
        assert_eq!(pick(&report, Some("chosen")).as_deref(), Some("chosen"));
        assert_eq!(
            pick(&report, None).as_deref(),
            Some("newest"),
            "else the newest"
        );
        assert_eq!(pick(&report, Some("gone")).as_deref(), Some("newest"));
        let report = Report {
            current: vec![live("newest"), stale],
            ..report
        };
        assert_eq!(
            pick(&report, Some("chosen")).as_deref(),
            Some("newest"),
            "a stale chosen session is never attached"
        );
    }

    #[test]
    fn a_session_whose_daemon_dies_stays_with_its_workspace() {
        let mut seen = LastSeen::default();
        let mut alive = vec![classify(
            files("demo", Ok(7), Some(4000)),
            Some(&daemon("demo", "/ws")),
        )];
        seen.apply(&mut alive);
        let mut dead = vec![classify(files("demo", Ok(7), Some(4000)), None)];
        seen.apply(&mut dead);
        assert_eq!(dead[0].status, SessionStatus::Stale);
        assert_eq!(
            dead[0].cwd.as_deref(),
            Some(Path::new("/ws")),
            "a daemon seen alive keeps the cwd it ran in once it is gone"
        );
        let report = Report::for_workspace(Path::new("/ws"), dead.clone());
        assert_eq!(report.current.len(), 1, "so it is listed in its workspace");
        assert!(
            report.auto_attach_candidate().is_none(),
            "and is still never attached"
        );

        let mut restarted = vec![classify(files("demo", Ok(8), None), None)];
        seen.apply(&mut restarted);
        assert_eq!(
            restarted[0].cwd, None,
            "another pid under the same name is not the daemon that was seen"
        );
        seen.apply(&mut []);
        let mut again = vec![classify(files("demo", Ok(7), None), None)];
        seen.apply(&mut again);
        assert_eq!(
            again[0].cwd, None,
            "a session whose files went away is forgotten"
        );
    }

    #[test]
    fn a_live_daemon_with_a_port_is_attachable() {
        let s = classify(
            files("demo", Ok(7), Some(4000)),
            Some(&daemon("demo", "/ws")),
        );
        assert_eq!(s.status, SessionStatus::Attachable);
        assert_eq!(s.stream_port, Some(4000));
        assert_eq!(s.cwd.as_deref(), Some(Path::new("/ws")));
        assert_eq!(s.id, "/run/ab/demo");
    }

    #[test]
    fn find_alive_gives_the_live_session_or_says_why_it_is_gone() {
        let live = classify(
            files("live", Ok(7), Some(4000)),
            Some(&daemon("live", "/ws")),
        );
        let dead = classify(files("dead", Ok(8), None), None);
        let sessions = [live.clone(), dead.clone()];
        assert_eq!(
            find_alive(&sessions, &live.id),
            Ok(live),
            "a live daemon is found"
        );
        let gone = find_alive(&sessions, &dead.id).expect_err("a dead daemon is not alive");
        assert_eq!(
            Some(gone.reason),
            dead.problem,
            "the reason is discovery's own, naming the pid"
        );
        let closed = find_alive(&sessions, "/run/ab/closed").expect_err("no files, no session");
        assert!(
            closed.reason.contains("files are gone"),
            "a session whose files went away says so: {}",
            closed.reason
        );
    }

    #[test]
    fn a_live_daemon_without_a_stream_file_is_missing_its_stream() {
        let s = classify(files("demo", Ok(7), None), Some(&daemon("demo", "/ws")));
        assert_eq!(s.status, SessionStatus::MissingStream);
    }

    #[test]
    fn dead_reused_or_foreign_pids_make_stale_sessions_without_a_port() {
        let dead = classify(files("demo", Ok(7), Some(4000)), None);
        let mut foreign = daemon("demo", "/ws");
        foreign.looks_like_agent_browser = false;
        let foreign = classify(files("demo", Ok(7), Some(4000)), Some(&foreign));
        let other = classify(files("demo", Ok(7), Some(4000)), Some(&daemon("x", "/ws")));
        let mut client = daemon("demo", "/ws");
        client.env_daemon = Some(false);
        let client = classify(files("demo", Ok(7), Some(4000)), Some(&client));
        let mut unreadable = daemon("demo", "/ws");
        (unreadable.env_session, unreadable.env_daemon) = (None, None);
        assert!(
            classify(files("demo", Ok(7), Some(4000)), Some(&unreadable)).can_attach(),
            "a daemon whose environment cannot be read is judged by its executable alone"
        );
        let empty = classify(
            files(
                "demo",
                Err(FileProblem::Empty {
                    file: "demo.pid".into(),
                }),
                Some(4000),
            ),
            None,
        );
        assert!(
            client
                .problem
                .as_deref()
                .unwrap_or("")
                .contains("not the session's daemon"),
            "a CLI call that reuses the pid is not the daemon: {:?}",
            client.problem
        );
        for s in [&dead, &foreign, &other, &client, &empty] {
            assert_eq!(s.status, SessionStatus::Stale, "{:?}", s.problem);
            assert_eq!(s.stream_port, None, "a stale session is never attachable");
            assert!(s.problem.is_some(), "a stale session says why");
        }
        assert!(foreign
            .problem
            .as_deref()
            .unwrap_or("")
            .contains("another program"));
        assert!(other.problem.as_deref().unwrap_or("").contains("\"x\""));
    }

    #[test]
    fn workspace_membership_is_by_path_component() {
        let ws = Path::new("/home/me/proj");
        assert!(
            belongs_to(Path::new("/home/me/proj"), ws),
            "the root itself"
        );
        assert!(
            belongs_to(Path::new("/home/me/proj/web/app"), ws),
            "a subdirectory"
        );
        assert!(
            !belongs_to(Path::new("/home/me/project2"), ws),
            "a sibling with a common prefix"
        );
        assert!(!belongs_to(Path::new("/home/me"), ws), "a parent");
    }

    #[test]
    fn reports_group_current_first_newest_first() {
        let mut a = classify(files("a", Ok(1), Some(1)), Some(&daemon("a", "/w")));
        a.started_at = Some(10);
        let mut b = classify(files("b", Ok(2), Some(2)), Some(&daemon("b", "/w/sub")));
        b.started_at = Some(20);
        let c = classify(files("c", Ok(3), Some(3)), Some(&daemon("c", "/elsewhere")));
        let d = classify(files("d", Ok(4), None), None);
        let r = Report::for_workspace(Path::new("/w"), vec![a, b, c, d]);
        let names = |v: &[Session]| v.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&r.current),
            ["b", "a"],
            "the newest session of the workspace first"
        );
        assert_eq!(
            names(&r.other),
            ["d", "c"],
            "stale (no cwd) and foreign sessions are others"
        );
    }
}
