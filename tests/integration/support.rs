//! Sandboxes and real agent-browser sessions for the integration tests.
//!
//! Shared by the core's integration tests and the headless tests; each uses a part.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use porthole_core::agent_browser::cli::{AgentBrowserCli, CliSource};
use porthole_core::agent_browser::socket_dirs::SocketDirEnv;
use porthole_core::discovery::process::SysinfoTable;
use porthole_core::discovery::{Discovery, Report, Session};

/// The repository's root, whichever crate's tests include this file.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("package.json").is_file())
        .expect("the tests run inside the repository")
        .to_owned()
}

pub fn cli_path() -> PathBuf {
    repo().join("node_modules/agent-browser/bin/agent-browser-linux-x64")
}

/// The native binary of an older agent-browser release, fetched for the tests.
pub fn release_path(version: &str) -> PathBuf {
    repo()
        .join("target/agent-browser-releases")
        .join(version)
        .join("agent-browser-linux-x64")
}

pub fn cli() -> AgentBrowserCli {
    AgentBrowserCli::at(cli_path(), CliSource::Explicit)
}

pub fn demo_page() -> String {
    let page = repo().join("tests/pages/demo/index.html");
    format!(
        "file://{}",
        page.canonicalize().expect("demo page").display()
    )
}

/// A temp root holding the socket dir, a home, an XDG runtime dir and workspaces.
pub struct Sandbox {
    pub root: tempfile::TempDir,
    pub sockets: PathBuf,
    pub home: PathBuf,
    pub xdg: PathBuf,
    started: Vec<Started>,
}

struct Started {
    /// The agent-browser it was started with, and is driven and closed with.
    program: PathBuf,
    name: String,
    cwd: PathBuf,
    env: Vec<(String, String)>,
    args: Vec<String>,
}

impl Sandbox {
    pub fn new() -> Self {
        let root = tempfile::Builder::new()
            .prefix("porthole-it-")
            .tempdir()
            .expect("temp dir");
        let dir = |name: &str| {
            let d = root.path().join(name);
            std::fs::create_dir_all(&d).expect("mkdir");
            d.canonicalize().expect("canonical")
        };
        Self {
            sockets: dir("sockets"),
            home: dir("home"),
            xdg: dir("xdg"),
            root,
            started: Vec::new(),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.root.path().canonicalize().expect("canonical root")
    }

    /// A directory under the sandbox, created.
    pub fn dir(&self, rel: &str) -> PathBuf {
        let d = self.path().join(rel);
        std::fs::create_dir_all(&d).expect("mkdir");
        d
    }

    /// The environment discovery sees: the sandbox's socket dir, XDG dir and home.
    pub fn socket_env(&self) -> SocketDirEnv {
        SocketDirEnv {
            socket_dir: Some(self.sockets.clone()),
            xdg_runtime_dir: Some(self.xdg.clone()),
            home: Some(self.home.clone()),
            tmp_dir: None,
        }
    }

    pub fn discovery(&self) -> Discovery {
        Discovery::with(
            self.socket_env(),
            Box::new(SysinfoTable::new().expect("process table")),
        )
    }

    pub fn report(&self, workspace: &Path) -> Report {
        Report::for_workspace(workspace, self.discovery().scan())
    }

    /// Starts a session in `cwd` on the demo page, as an agent would, in the sandbox's
    /// socket dir.
    pub fn start(&mut self, name: &str, cwd: &Path) {
        let env = vec![(
            "AGENT_BROWSER_SOCKET_DIR".to_owned(),
            self.sockets.display().to_string(),
        )];
        self.start_with(name, cwd, env, &[]);
    }

    /// Starts a session with extra environment and global flags.
    pub fn start_with(
        &mut self,
        name: &str,
        cwd: &Path,
        env: Vec<(String, String)>,
        flags: &[&str],
    ) {
        self.start_as(cli_path(), name, cwd, env, flags);
    }

    /// Starts a session with an older agent-browser release, as an agent that has not
    /// upgraded would (`scripts/old-agent-browsers.sh` fetches them; `make test` runs it).
    pub fn start_release(&mut self, version: &str, name: &str, cwd: &Path) {
        let program = release_path(version);
        assert!(
            program.is_file(),
            "agent-browser {version} is not at {}: run scripts/old-agent-browsers.sh",
            program.display()
        );
        let env = vec![(
            "AGENT_BROWSER_SOCKET_DIR".to_owned(),
            self.sockets.display().to_string(),
        )];
        self.start_as(program, name, cwd, env, &[]);
    }

    fn start_as(
        &mut self,
        program: PathBuf,
        name: &str,
        cwd: &Path,
        env: Vec<(String, String)>,
        flags: &[&str],
    ) {
        let started = Started {
            program,
            name: name.to_owned(),
            cwd: cwd.to_owned(),
            env,
            args: flags.iter().map(|s| s.to_string()).collect(),
        };
        let out = self
            .command(&started)
            .args(["open", &demo_page()])
            .output()
            .expect("run agent-browser");
        assert!(
            out.status.success(),
            "agent-browser open for {name} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        self.started.push(started);
    }

    /// The CLI as the agent of session `name` runs it.
    pub fn agent(&self, name: &str, args: &[&str]) -> std::process::Output {
        let started = self
            .started
            .iter()
            .find(|s| s.name == name)
            .expect("a session this sandbox started");
        self.command(started)
            .args(args)
            .output()
            .expect("run agent-browser")
    }

    fn command(&self, s: &Started) -> Command {
        let mut cmd = Command::new(&s.program);
        cmd.current_dir(&s.cwd)
            .env_remove("AGENT_BROWSER_SOCKET_DIR")
            .env_remove("XDG_RUNTIME_DIR")
            .env("HOME", &self.home)
            .env("AGENT_BROWSER_EXECUTABLE_PATH", chromium_program())
            .env(
                "AGENT_BROWSER_ARGS",
                "--disable-background-networking,--disable-component-update,--disable-sync",
            )
            .envs(s.env.iter().map(|(k, v)| (k, v)))
            .args(&s.args)
            .args(["--session", &s.name]);
        cmd
    }

    /// `PROGRAM` with the sandbox's environment: its socket dir, home, XDG dir and tmp
    /// dir, and the pinned CLI.
    pub fn env_command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("AGENT_BROWSER_SOCKET_DIR", &self.sockets)
            .env("HOME", &self.home)
            .env("XDG_RUNTIME_DIR", &self.xdg)
            .env("TMPDIR", self.path())
            .env("PORTHOLE_AGENT_BROWSER", cli_path());
        cmd
    }

    /// Pids of every agent-browser daemon whose environment points into this sandbox:
    /// the ones the tests started, and any that Porthole might wrongly have started.
    pub fn daemons(&self) -> Vec<u32> {
        let root = self.path().display().to_string();
        let mut pids = Vec::new();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return pids;
        };
        for entry in entries.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            // Chromium's processes inherit the daemon's environment; only the
            // agent-browser executable itself is a daemon.
            let is_agent_browser = std::fs::read_link(entry.path().join("exe"))
                .is_ok_and(|exe| exe.to_string_lossy().contains("agent-browser"));
            if !is_agent_browser {
                continue;
            }
            let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
                continue;
            };
            let vars: Vec<String> = environ
                .split(|b| *b == 0)
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .collect();
            let daemon = vars.iter().any(|v| v == "AGENT_BROWSER_DAEMON=1");
            let ours = vars.iter().any(|v| v.contains(&root));
            if daemon && ours {
                pids.push(pid);
            }
        }
        pids.sort();
        pids
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for s in &self.started {
            let _ = self.command(s).arg("close").output();
        }
        for pid in self.daemons() {
            kill9(pid);
        }
    }
}

/// The Chromium the tests run: agent-browser's, else Debian's.
pub fn chromium_program() -> String {
    std::env::var("AGENT_BROWSER_EXECUTABLE_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// Finds a session by name in a report, current first.
pub fn find<'a>(report: &'a Report, name: &str) -> &'a Session {
    report
        .find(name)
        .unwrap_or_else(|| panic!("session {name} is discovered; report: {report:#?}"))
}

/// SIGKILLs a process, as a crash would, and waits until it is gone; then kills what it
/// had started. A daemon's Chromium outlives it as an orphan that keeps rendering and
/// would load the machine for every later test.
pub fn kill9(pid: u32) {
    let family = porthole_core::resources::descendants(pid);
    let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Path::new(&format!("/proc/{pid}/exe")).exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    for child in family {
        let _ = Command::new("kill")
            .args(["-9", &child.to_string()])
            .status();
    }
}

/// A headless Chromium the test owns; killed with its children when dropped.
pub struct Browser(pub Child);

impl Drop for Browser {
    fn drop(&mut self) {
        kill9(self.0.id());
        let _ = self.0.wait();
    }
}

/// Debian's Chromium, headless, in `cwd`, on about:blank.
pub fn chromium(cwd: &Path, args: &[&str]) -> Browser {
    chromium_on(cwd, args, "about:blank")
}

/// Debian's Chromium, headless, in `cwd`, showing `url`.
pub fn chromium_on(cwd: &Path, args: &[&str], url: &str) -> Browser {
    let child = Command::new(chromium_program())
        .current_dir(cwd)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--no-first-run",
            "--disable-gpu",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .args(args)
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Debian's Chromium starts");
    Browser(child)
}

/// A page of the repository's tests/pages as a file URL.
pub fn page(rel: &str) -> String {
    let path = repo().join("tests/pages").join(rel);
    format!(
        "file://{}",
        path.canonicalize().expect("test page").display()
    )
}
