//! Is a pid an agent-browser daemon, and where does it run?
//!
//! Pids are reused, so a pid file is only trusted when the process behind it is an
//! agent-browser daemon: its executable or command line names agent-browser, and, where
//! its environment can be read, it is a daemon (`AGENT_BROWSER_DAEMON`), not a CLI call,
//! and the daemon of that very session (`AGENT_BROWSER_SESSION`). The daemon's cwd (the
//! agent's workspace) and executable come from the same look. A zombie (killed, not yet reaped) counts as dead. Reads `/proc` through
//! sysinfo; spawns nothing.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::PathBuf;

use sysinfo::{Pid, ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System, UpdateKind};

/// What Porthole needs to know of a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessInfo {
    /// The executable and the command line mention agent-browser.
    pub looks_like_agent_browser: bool,
    /// `AGENT_BROWSER_SESSION` of its environment, when readable.
    pub env_session: Option<String>,
    /// Whether its environment marks it as a daemon (`AGENT_BROWSER_DAEMON=1`), when
    /// readable: a CLI call runs the same executable.
    pub env_daemon: Option<bool>,
    /// Its working directory, when readable.
    pub cwd: Option<PathBuf>,
    /// Its executable: the path it was started from while that file is there, else
    /// `/proc/PID/exe`, which runs the same program for as long as the process lives.
    pub exe: Option<PathBuf>,
    /// When it started, seconds since the Unix epoch.
    pub start_time: u64,
}

/// Looks processes up by pid. A trait so classification is unit-tested without processes.
pub trait ProcessTable {
    /// Information for each of `pids` that is running; dead pids are absent.
    fn inspect(&mut self, pids: &[u32]) -> HashMap<u32, ProcessInfo>;
}

/// `/proc/PID/exe` where the system has it.
fn proc_exe(pid: u32) -> Option<PathBuf> {
    let path = PathBuf::from(format!("/proc/{pid}/exe"));
    path.exists().then_some(path)
}

/// The real table, backed by sysinfo.
pub struct SysinfoTable {
    system: System,
}

impl SysinfoTable {
    pub fn new() -> Result<Self, sysinfo::Error> {
        Ok(Self {
            system: System::new()?,
        })
    }
}

impl ProcessTable for SysinfoTable {
    fn inspect(&mut self, pids: &[u32]) -> HashMap<u32, ProcessInfo> {
        let wanted: Vec<Pid> = pids.iter().map(|&p| Pid::from_u32(p)).collect();
        // Always re-read: a pid seen before may now be another process.
        let kind = ProcessRefreshKind::nothing()
            .with_cmd(UpdateKind::Always)
            .with_exe(UpdateKind::Always)
            .with_cwd(UpdateKind::Always)
            .with_environ(UpdateKind::Always)
            .without_tasks();
        self.system
            .refresh_processes_specifics(ProcessesToUpdate::Some(&wanted), true, kind);
        wanted
            .iter()
            .filter_map(|pid| {
                let p = self.system.process(*pid)?;
                // A killed daemon nobody has reaped yet is a zombie: dead for our purposes.
                if p.thread_kind().is_some()
                    || matches!(p.status(), ProcessStatus::Zombie | ProcessStatus::Dead)
                {
                    return None;
                }
                let mentions = |s: &OsStr| s.to_string_lossy().contains("agent-browser");
                let looks_like_agent_browser = p.exe().is_some_and(|e| mentions(e.as_os_str()))
                    || p.cmd().first().is_some_and(|c| mentions(c))
                    || mentions(p.name());
                let env = |key: &str| {
                    p.environ()
                        .iter()
                        .find_map(|kv| kv.to_str()?.strip_prefix(key).map(str::to_owned))
                };
                let env_session = env("AGENT_BROWSER_SESSION=");
                let env_daemon =
                    (!p.environ().is_empty()).then(|| env("AGENT_BROWSER_DAEMON=").is_some());
                Some((
                    pid.as_u32(),
                    ProcessInfo {
                        looks_like_agent_browser,
                        env_session,
                        env_daemon,
                        cwd: p.cwd().map(PathBuf::from),
                        exe: p
                            .exe()
                            .filter(|e| e.is_file())
                            .map(PathBuf::from)
                            .or_else(|| proc_exe(pid.as_u32())),
                        start_time: p.start_time(),
                    },
                ))
            })
            .collect()
    }
}
