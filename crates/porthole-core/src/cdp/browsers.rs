//! Which running browsers speak the DevTools protocol, and how to reach each one.
//!
//! Agents also drive Chrome without agent-browser: Puppeteer and chrome-devtools-mcp
//! start it with `--remote-debugging-port=0` and read the real port from
//! `DevToolsActivePort` in the profile directory; other setups use a fixed port such as
//! 9222; Playwright talks over a pipe (`--remote-debugging-pipe`), which nobody else can
//! join. This module looks at a browser's main process (the one without `--type=`) and
//! says which of these it is. The Chromium an agent-browser daemon started is left out:
//! Porthole shows that one as the session. It is known by its ancestry (a live daemon
//! above it) or by the daemon's environment it inherited (`AGENT_BROWSER_DAEMON`), which
//! still marks it when its daemon was killed and it lingers as an orphan.
//!
//! Classification is pure: the process table and the file read are passed in, so every
//! rule is unit-tested without a browser.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};

/// A process as the classification needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserProcess {
    pub pid: u32,
    /// Its executable's path or name.
    pub exe: PathBuf,
    /// Its arguments, the program first.
    pub cmd: Vec<String>,
    pub cwd: Option<PathBuf>,
    /// When it started, seconds since the Unix epoch.
    pub start_time: u64,
}

/// How Porthole can reach a browser's DevTools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// A TCP port on loopback, with the browser's WebSocket path when known.
    Port { port: u16, ws_path: Option<String> },
    /// The browser picked its own port and has not said which (yet).
    PortUnknown { reason: String },
    /// Only the process that started it can talk to it.
    Pipe,
}

impl Reach {
    /// Why Porthole cannot attach, for a person; `None` when it can.
    pub fn not_attachable(&self) -> Option<String> {
        match self {
            Reach::Port { .. } => None,
            Reach::PortUnknown { reason } => Some(reason.clone()),
            Reach::Pipe => Some(
                "started with --remote-debugging-pipe (Playwright's way): only the program that \
                 started it can talk to it"
                    .into(),
            ),
        }
    }
}

/// A browser whose DevTools Porthole may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdpBrowser {
    pub pid: u32,
    /// What a person calls it: Chromium, Google Chrome…
    pub product: String,
    pub exe: PathBuf,
    pub cwd: Option<PathBuf>,
    /// When it started, seconds since the Unix epoch.
    pub started_at: u64,
    pub reach: Reach,
}

impl CdpBrowser {
    /// "Chromium · port 9222 · pid 4242".
    pub fn label(&self) -> String {
        match &self.reach {
            Reach::Port { port, .. } => {
                format!("{} · port {port} · pid {}", self.product, self.pid)
            }
            Reach::PortUnknown { .. } | Reach::Pipe => {
                format!("{} · pid {}", self.product, self.pid)
            }
        }
    }
}

/// The value of `--name=VALUE` in `cmd`.
fn flag<'a>(cmd: &'a [String], name: &str) -> Option<&'a str> {
    let prefix = format!("{name}=");
    cmd.iter().find_map(|arg| arg.strip_prefix(prefix.as_str()))
}

fn has_flag(cmd: &[String], name: &str) -> bool {
    cmd.iter()
        .any(|arg| arg == name || arg.starts_with(&format!("{name}=")))
}

/// The browser's name from its executable.
fn product(exe: &Path) -> String {
    let name = exe
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match name.as_str() {
        "chromium" | "chromium-browser" => "Chromium".into(),
        "chrome" | "google-chrome" | "google-chrome-stable" => "Google Chrome".into(),
        "chrome-headless-shell" => "Chrome Headless Shell".into(),
        "msedge" | "microsoft-edge" => "Microsoft Edge".into(),
        "brave" | "brave-browser" => "Brave".into(),
        "" => "Browser".into(),
        other => other.to_owned(),
    }
}

/// A process's arguments. Chromium may rewrite its command line for its process title,
/// after which `/proc/PID/cmdline` holds one string, the arguments joined by spaces:
/// that string is split again (an argument with a space in it cannot be told apart
/// then, which no flag read here has).
pub fn arguments(cmd: &[std::ffi::OsString]) -> Vec<String> {
    let args: Vec<String> = cmd
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    match args.as_slice() {
        [joined] if joined.contains(" --") => {
            joined.split_whitespace().map(str::to_owned).collect()
        }
        _ => args,
    }
}

/// Reads `DevToolsActivePort`: the port on the first line, the browser's WebSocket
/// path on the second.
pub fn parse_active_port(text: &str) -> Option<(u16, Option<String>)> {
    let mut lines = text.lines();
    let port = lines
        .next()?
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|&p| p != 0)?;
    let path = lines
        .next()
        .map(str::trim)
        .filter(|p| p.starts_with('/'))
        .map(str::to_owned);
    Some((port, path))
}

/// Classifies one process; `None` when it is not a browser's main process with DevTools
/// open. `read` reads a file (for `DevToolsActivePort`).
pub fn classify(
    process: &BrowserProcess,
    read: impl Fn(&Path) -> Option<String>,
) -> Option<CdpBrowser> {
    let cmd = &process.cmd;
    // Renderers, the GPU process and utilities carry --type=; only the main process
    // owns the DevTools endpoint.
    if has_flag(cmd, "--type") {
        return None;
    }
    let reach = if let Some(port) = flag(cmd, "--remote-debugging-port") {
        match port.parse::<u16>() {
            Ok(0) => {
                let profile = flag(cmd, "--user-data-dir").map(|dir| {
                    let dir = PathBuf::from(dir);
                    match (&process.cwd, dir.is_relative()) {
                        (Some(cwd), true) => cwd.join(dir),
                        _ => dir,
                    }
                });
                match profile {
                    Some(profile) => match read(&profile.join("DevToolsActivePort"))
                        .as_deref()
                        .and_then(parse_active_port)
                    {
                        Some((port, ws_path)) => Reach::Port { port, ws_path },
                        None => Reach::PortUnknown {
                            reason: format!(
                                "it chose its own port and has not written it to {} yet",
                                profile.join("DevToolsActivePort").display()
                            ),
                        },
                    },
                    None => Reach::PortUnknown {
                        reason: "it chose its own port, and without --user-data-dir there is no \
                                 DevToolsActivePort to read it from"
                            .into(),
                    },
                }
            }
            Ok(port) => Reach::Port {
                port,
                ws_path: None,
            },
            Err(_) => return None,
        }
    } else if has_flag(cmd, "--remote-debugging-pipe") {
        Reach::Pipe
    } else {
        return None;
    };
    Some(CdpBrowser {
        pid: process.pid,
        product: product(&process.exe),
        exe: process.exe.clone(),
        cwd: process.cwd.clone(),
        started_at: process.start_time,
        reach,
    })
}

/// Whether `pid` descends from one of `daemons` (agent-browser daemons), by `parents`
/// (pid to parent pid).
pub fn owned_by_daemon(pid: u32, parents: &HashMap<u32, u32>, daemons: &HashSet<u32>) -> bool {
    let mut at = pid;
    // A bound on the walk: a table read while processes come and go can hold a cycle.
    for _ in 0..64 {
        match parents.get(&at) {
            Some(&parent) if daemons.contains(&parent) => return true,
            Some(&parent) if parent > 1 && parent != at => at = parent,
            _ => return false,
        }
    }
    false
}

/// Every browser on this machine with DevTools open, except those `daemons` (the pids
/// of agent-browser daemons) started. Reads `/proc` once; spawns nothing.
pub fn scan(daemons: &HashSet<u32>) -> Result<Vec<CdpBrowser>, sysinfo::Error> {
    Ok(BrowserScanner::new()?.scan(daemons))
}

/// [`scan`] again and again (discovery's tick) without starting from scratch. Each scan
/// lists `/proc` (one directory read) and reads the command line of new processes only:
/// a process's arguments are fixed once it has started its program, so a process already
/// read needs no second look. The executable, working directory, environment and
/// ancestry are read only of the few processes with DevTools open.
///
/// A process is read on its first [`SETTLE_SCANS`] scans, not just its first: a process
/// seen between `fork` and `exec` still shows its parent's command line (the daemon that
/// is about to start Chromium, say).
pub struct BrowserScanner {
    system: System,
    /// Browsers seen as an agent-browser session's: they stay the session's after its
    /// daemon dies (an orphan can outlive it by a moment, too briefly to attach and
    /// sometimes too far gone to read its environment).
    sessions_own: HashSet<u32>,
    /// Every live process, by pid: whether its command line opens DevTools.
    seen: HashMap<u32, Seen>,
    /// The processes with DevTools open at the last scan, whose details `system` holds.
    candidates: Vec<Pid>,
}

/// What the scanner knows of one process from its command line.
#[derive(Debug, Clone, Copy)]
struct Seen {
    devtools: bool,
    scans: u8,
}

/// How many scans read a new process's command line.
const SETTLE_SCANS: u8 = 3;

/// The pids `/proc` lists: one per process (threads are not listed at the top level).
fn live_pids() -> HashSet<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return HashSet::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect()
}

/// Whether `pid`'s command line has a `--remote-debugging-…` argument; false when it
/// cannot be read (gone, or a kernel thread's empty one).
fn opens_devtools(pid: u32) -> bool {
    const FLAG: &[u8] = b"--remote-debugging-";
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .is_ok_and(|cmd| cmd.windows(FLAG.len()).any(|w| w == FLAG))
}

/// `pid`'s parent, from `/proc/PID/stat` (the field after the state, which follows the
/// last `)`: the command name before it may hold spaces and parentheses).
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(1)?.parse().ok()
}

impl BrowserScanner {
    pub fn new() -> Result<Self, sysinfo::Error> {
        Ok(Self {
            system: System::new()?,
            sessions_own: HashSet::new(),
            seen: HashMap::new(),
            candidates: Vec::new(),
        })
    }

    /// The live processes whose command line opens DevTools, in no order.
    fn candidates(&mut self) -> Vec<Pid> {
        let live = live_pids();
        self.seen.retain(|pid, _| live.contains(pid));
        for pid in live {
            let seen = self.seen.entry(pid).or_insert(Seen {
                devtools: false,
                scans: 0,
            });
            if seen.scans < SETTLE_SCANS {
                seen.scans += 1;
                seen.devtools = opens_devtools(pid);
            }
        }
        self.seen
            .iter()
            .filter(|(_, s)| s.devtools)
            .map(|(&pid, _)| Pid::from_u32(pid))
            .collect()
    }

    pub fn scan(&mut self, daemons: &HashSet<u32>) -> Vec<CdpBrowser> {
        let candidates = self.candidates();
        self.sessions_own
            .retain(|pid| candidates.contains(&Pid::from_u32(*pid)));
        // Last scan's candidates are refreshed too, so those that died leave the table.
        let mut refresh = candidates.clone();
        refresh.extend(self.candidates.iter().filter(|p| !candidates.contains(p)));
        self.candidates = candidates.clone();
        if refresh.is_empty() {
            return Vec::new();
        }
        let details = ProcessRefreshKind::nothing()
            .with_cmd(UpdateKind::Always)
            .with_exe(UpdateKind::Always)
            .with_cwd(UpdateKind::Always)
            .with_environ(UpdateKind::Always)
            .without_tasks();
        self.system
            .refresh_processes_specifics(ProcessesToUpdate::Some(&refresh), true, details);
        // The ancestry of each candidate, up to a daemon or init.
        let mut parents: HashMap<u32, u32> = HashMap::new();
        for pid in &candidates {
            let mut at = pid.as_u32();
            for _ in 0..64 {
                if at <= 1 || daemons.contains(&at) || parents.contains_key(&at) {
                    break;
                }
                let Some(parent) = parent_of(at) else { break };
                parents.insert(at, parent);
                at = parent;
            }
        }
        let sessions_own = &mut self.sessions_own;
        let system = &self.system;
        let mut found: Vec<CdpBrowser> = candidates
            .iter()
            .filter_map(|pid| {
                let p = system.process(*pid)?;
                // A browser an agent-browser daemon started inherits its environment: it
                // is that session's, even once the daemon is gone (an orphan about to
                // exit, which must not be attached in the session's place).
                let inherited = p
                    .environ()
                    .iter()
                    .any(|kv| kv.to_string_lossy().starts_with("AGENT_BROWSER_DAEMON="));
                if inherited || owned_by_daemon(pid.as_u32(), &parents, daemons) {
                    sessions_own.insert(pid.as_u32());
                }
                if sessions_own.contains(&pid.as_u32()) {
                    return None;
                }
                let cmd = arguments(p.cmd());
                let process = BrowserProcess {
                    pid: pid.as_u32(),
                    exe: p
                        .exe()
                        .map(Path::to_path_buf)
                        .or_else(|| cmd.first().map(PathBuf::from))
                        .unwrap_or_default(),
                    cmd,
                    cwd: p.cwd().map(Path::to_path_buf),
                    start_time: p.start_time(),
                };
                classify(&process, |path| std::fs::read_to_string(path).ok())
            })
            .collect();
        found.sort_by_key(|b| b.pid);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;
    use std::process::{Child, Command, Stdio};
    use std::time::Duration;

    /// A process whose command line opens DevTools as far as a scan can tell.
    fn pretend_browser() -> Child {
        Command::new("sleep")
            .arg0("sleep --remote-debugging-port=1")
            .arg("30")
            .spawn()
            .expect("sleep runs")
    }

    fn listed(scanner: &mut BrowserScanner, pid: u32) -> bool {
        scanner.candidates().contains(&Pid::from_u32(pid))
    }

    #[test]
    fn the_scanner_finds_a_process_that_opens_devtools_and_forgets_it_once_it_ends() {
        let mut scanner = BrowserScanner::new().expect("a process table");
        let mut child = pretend_browser();
        let pid = child.id();
        // Scanned as discovery's tick scans, a little apart: `spawn` returns once the
        // child's exec has begun, and until the kernel has laid out the new program's
        // arguments its command line reads empty (seen on a loaded machine).
        let found = (0..SETTLE_SCANS).any(|_| {
            let hit = listed(&mut scanner, pid);
            if !hit {
                std::thread::sleep(Duration::from_millis(100));
            }
            hit
        });
        assert!(
            found,
            "a process with --remote-debugging-… is a candidate within the scans that read it"
        );
        assert!(
            !listed(&mut scanner, std::process::id()),
            "the test itself does not open DevTools"
        );
        child.kill().expect("the child can be killed");
        child.wait().expect("the child is reaped");
        assert!(
            !listed(&mut scanner, pid),
            "a process that ended is no candidate"
        );
        assert!(
            !scanner.seen.contains_key(&pid),
            "an ended process is forgotten, so the scanner does not grow over a day"
        );
    }

    #[test]
    fn a_process_that_starts_a_browser_after_it_was_first_seen_is_still_found() {
        let mut scanner = BrowserScanner::new().expect("a process table");
        // Seen first as a plain shell, which then becomes the "browser" (as a daemon's
        // fork does between fork and exec); the trailing `:` keeps the inner shell from
        // handing itself over to sleep.
        let mut child = Command::new("sh")
            .args([
                "-c",
                // Spelled in two halves, so the first command line lacks the flag.
                "sleep 0.3; f=--remote-debugging; exec sh -c 'sleep 5; :' $f-port=1",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sh runs");
        let pid = child.id();
        assert!(
            !listed(&mut scanner, pid),
            "before its exec the shell opens nothing"
        );
        std::thread::sleep(Duration::from_millis(800));
        let found = listed(&mut scanner, pid);
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            found,
            "the command line of a young process is read again on the next scan"
        );
    }

    #[test]
    fn a_parent_is_read_from_stat_even_when_the_name_holds_parentheses() {
        let mut child = Command::new("sleep")
            .arg0("odd) name (x")
            .arg("30")
            .spawn()
            .expect("sleep runs");
        let parent = parent_of(child.id());
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            parent,
            Some(std::process::id()),
            "the child's parent is this test"
        );
    }

    #[test]
    fn a_command_line_chromium_rewrote_into_one_string_is_split_again() {
        let joined = vec![std::ffi::OsString::from(
            "/usr/lib/chromium/chromium --headless=new --remote-debugging-port=0 --user-data-dir=profile about:blank",
        )];
        let args = arguments(&joined);
        assert_eq!(args.len(), 5, "{args:?}");
        assert_eq!(args[2], "--remote-debugging-port=0");
        let process = BrowserProcess {
            pid: 7,
            exe: "/usr/lib/chromium/chromium".into(),
            cmd: args,
            cwd: Some("/ws".into()),
            start_time: 1,
        };
        let found = classify(&process, |_| Some("4321\n/devtools/browser/x\n".into()))
            .expect("still a DevTools browser");
        assert!(matches!(found.reach, Reach::Port { port: 4321, .. }));
        let plain = vec![
            std::ffi::OsString::from("a b"),
            std::ffi::OsString::from("--x"),
        ];
        assert_eq!(
            arguments(&plain),
            ["a b", "--x"],
            "real arguments are kept whole"
        );
    }

    fn process(pid: u32, exe: &str, args: &[&str]) -> BrowserProcess {
        let mut cmd = vec![exe.to_owned()];
        cmd.extend(args.iter().map(|a| (*a).to_owned()));
        BrowserProcess {
            pid,
            exe: PathBuf::from(exe),
            cmd,
            cwd: Some(PathBuf::from("/work/app")),
            start_time: 100,
        }
    }

    fn nothing(_: &Path) -> Option<String> {
        None
    }

    #[test]
    fn a_fixed_port_is_reachable_and_named_for_a_person() {
        let p = process(
            4242,
            "/usr/lib/chromium/chromium",
            &["--remote-debugging-port=9222", "about:blank"],
        );
        let b = classify(&p, nothing).expect("a browser with a debugging port");
        assert_eq!(
            b.reach,
            Reach::Port {
                port: 9222,
                ws_path: None
            }
        );
        assert_eq!(b.label(), "Chromium · port 9222 · pid 4242");
        assert_eq!(b.reach.not_attachable(), None, "a port can be attached");
        assert_eq!(
            b.cwd.as_deref(),
            Some(Path::new("/work/app")),
            "the workspace comes from its cwd"
        );
    }

    #[test]
    fn port_zero_is_read_from_the_profile_s_devtools_active_port() {
        let p = process(
            7,
            "/opt/google/chrome/chrome",
            &["--remote-debugging-port=0", "--user-data-dir=profile"],
        );
        let read = |path: &Path| {
            (path == Path::new("/work/app/profile/DevToolsActivePort"))
                .then(|| "41234\n/devtools/browser/2f4e\n".to_owned())
        };
        let b = classify(&p, read).expect("a browser that picked its port");
        assert_eq!(
            b.reach,
            Reach::Port {
                port: 41234,
                ws_path: Some("/devtools/browser/2f4e".into())
            },
            "a relative profile is under the browser's cwd"
        );
        assert_eq!(b.label(), "Google Chrome · port 41234 · pid 7");
    }

    #[test]
    fn port_zero_without_its_file_says_why_it_cannot_be_attached() {
        let p = process(
            8,
            "chromium",
            &["--remote-debugging-port=0", "--user-data-dir=/tmp/p"],
        );
        let b = classify(&p, nothing).expect("still listed");
        let why = b.reach.not_attachable().expect("not attachable yet");
        assert!(
            why.contains("/tmp/p/DevToolsActivePort"),
            "names the file it waits for: {why}"
        );
        let p = process(9, "chromium", &["--remote-debugging-port=0"]);
        let why = classify(&p, nothing)
            .and_then(|b| b.reach.not_attachable())
            .expect("no profile");
        assert!(why.contains("--user-data-dir"), "{why}");
    }

    #[test]
    fn a_pipe_browser_is_listed_as_not_attachable() {
        let p = process(
            10,
            "/ms-playwright/chromium-1200/chrome-linux/chrome",
            &["--remote-debugging-pipe", "--headless"],
        );
        let b = classify(&p, nothing).expect("a pipe browser is listed");
        assert_eq!(b.reach, Reach::Pipe);
        assert!(
            b.reach.not_attachable().is_some_and(|w| w.contains("pipe")),
            "and says why"
        );
        assert_eq!(b.label(), "Google Chrome · pid 10");
    }

    #[test]
    fn only_the_main_process_of_a_browser_with_devtools_counts() {
        let renderer = process(
            11,
            "chromium",
            &["--type=renderer", "--remote-debugging-port=9222"],
        );
        assert_eq!(
            classify(&renderer, nothing),
            None,
            "a renderer does not own the endpoint"
        );
        let plain = process(12, "chromium", &["--headless", "https://example.com"]);
        assert_eq!(
            classify(&plain, nothing),
            None,
            "no DevTools, nothing to show"
        );
        let odd = process(13, "chromium", &["--remote-debugging-port=x"]);
        assert_eq!(
            classify(&odd, nothing),
            None,
            "an unreadable port is no endpoint"
        );
    }

    #[test]
    fn devtools_active_port_must_hold_a_port() {
        assert_eq!(
            parse_active_port("9222\n/devtools/browser/a"),
            Some((9222, Some("/devtools/browser/a".into())))
        );
        assert_eq!(parse_active_port("9222"), Some((9222, None)));
        assert_eq!(parse_active_port("0\n/x"), None);
        assert_eq!(parse_active_port(""), None);
        assert_eq!(parse_active_port("port\n"), None);
    }

    #[test]
    fn the_chromium_a_daemon_started_is_the_session_not_a_second_entry() {
        // daemon 100 ─ chromium 200 ─ zygote 300; another chromium 400 under a shell 50.
        let parents = HashMap::from([(200, 100), (300, 200), (100, 1), (400, 50), (50, 1)]);
        let daemons = HashSet::from([100]);
        assert!(owned_by_daemon(200, &parents, &daemons));
        assert!(owned_by_daemon(300, &parents, &daemons));
        assert!(
            !owned_by_daemon(400, &parents, &daemons),
            "a browser of its own is listed"
        );
        let cycle = HashMap::from([(5, 6), (6, 5)]);
        assert!(
            !owned_by_daemon(5, &cycle, &daemons),
            "a cycle in a racy table ends the walk"
        );
    }
}
