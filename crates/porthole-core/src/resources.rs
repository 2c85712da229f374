//! What a process costs: CPU time and resident memory, for the benchmarks.
//!
//! The targets Porthole holds itself to are about its own process (the Rust side) and
//! its webview's web process, with one live session: CPU as user+sys seconds per second
//! (100% is one core busy) and peak RSS. [`Usage::of`] reads both for one pid; two
//! readings taken around a measurement give the CPU share over it with
//! [`Usage::cpu_share_since`]. [`webview_processes`] finds the WebKit web processes a
//! Porthole window runs (its children). CPU time comes through sysinfo; peak RSS
//! (`VmHWM`) is read from `/proc/PID/status`, which sysinfo does not expose, so it is
//! `None` off Linux.
//!
//! To say where the time goes, [`GroupedCpu`] reads CPU time by group: the threads of
//! one process ([`GroupedCpu::threads_of`]: the main thread, the async runtime, the
//! rest) or every process of the machine by program ([`GroupedCpu::programs`]: Porthole,
//! WebKit, Chromium, the agent-browser daemon, ...). Two readings give each group's
//! share over the time between them ([`GroupedCpu::percent_since`]).

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use serde::Serialize;
use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};

/// One reading of a process.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    pub pid: u32,
    /// User + system CPU time since the process started.
    pub cpu: Duration,
    /// Resident memory now, bytes.
    pub rss: u64,
    /// The highest resident memory so far, bytes (Linux only).
    pub peak_rss: Option<u64>,
    at: Instant,
}

impl Usage {
    /// Reads process `pid`; `None` when it is not running.
    pub fn of(pid: u32) -> Option<Usage> {
        let mut system = System::new().ok()?;
        let pid_ = Pid::from_u32(pid);
        system.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[pid_]),
            true,
            ProcessRefreshKind::nothing().with_cpu().with_memory(),
        );
        let p = system.process(pid_)?;
        Some(Usage {
            pid,
            cpu: Duration::from_millis(p.accumulated_cpu_time()),
            rss: p.memory(),
            peak_rss: peak_rss(pid),
            at: Instant::now(),
        })
    }

    /// The CPU this process used between `earlier` (a reading of the same process) and
    /// this reading, as a share of one core: 1.0 is one core busy all the time.
    pub fn cpu_share_since(&self, earlier: &Usage) -> f64 {
        let wall = self.at.saturating_duration_since(earlier.at).as_secs_f64();
        if wall <= 0.0 {
            return 0.0;
        }
        self.cpu.saturating_sub(earlier.cpu).as_secs_f64() / wall
    }
}

/// The figures of one process over a measurement, as reports print them.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageSummary {
    pub pid: u32,
    /// CPU over the measurement, percent of one core.
    pub cpu_percent: f64,
    /// Peak resident memory, megabytes (MiB); the current RSS where the peak is unknown.
    pub peak_rss_mb: f64,
}

impl UsageSummary {
    pub fn between(before: &Usage, after: &Usage) -> Self {
        Self {
            pid: after.pid,
            cpu_percent: after.cpu_share_since(before) * 100.0,
            peak_rss_mb: after.peak_rss.unwrap_or(after.rss) as f64 / (1024.0 * 1024.0),
        }
    }
}

/// `VmHWM` of `/proc/PID/status`, in bytes.
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_vm_hwm(&status)
}

fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// The pids of the WebKit web processes that `ancestor` started, directly or through a
/// sandbox launcher (a webview's page runs in one), oldest first.
pub fn webview_processes(ancestor: u32) -> Vec<u32> {
    let Ok(system) = process_table() else {
        return Vec::new();
    };
    let mut found: Vec<(u64, u32)> = family(&system, ancestor)
        .into_iter()
        .filter(|p| p.name().to_string_lossy().starts_with("WebKitWebProces"))
        .map(|p| (p.start_time(), p.pid().as_u32()))
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, pid)| pid).collect()
}

/// Every process below `ancestor` in the process tree (its children, theirs, ...).
pub fn descendants(ancestor: u32) -> Vec<u32> {
    process_table()
        .map(|system| {
            family(&system, ancestor)
                .into_iter()
                .map(|p| p.pid().as_u32())
                .collect()
        })
        .unwrap_or_default()
}

fn process_table() -> Result<System, sysinfo::Error> {
    let mut system = System::new()?;
    system.refresh_processes_specifics(ProcessesToUpdate::All, true, ProcessRefreshKind::nothing());
    Ok(system)
}

fn family(system: &System, ancestor: u32) -> Vec<&sysinfo::Process> {
    let processes: Vec<_> = system
        .processes()
        .values()
        .filter(|p| p.thread_kind().is_none())
        .collect();
    let mut parents = vec![Pid::from_u32(ancestor)];
    let mut found = Vec::new();
    while let Some(parent) = parents.pop() {
        for &child in processes.iter().filter(|p| p.parent() == Some(parent)) {
            parents.push(child.pid());
            found.push(child);
        }
    }
    found
}

/// CPU time so far of a set of threads or processes, each in a named group.
#[derive(Debug, Clone)]
pub struct GroupedCpu {
    /// Thread or process id -> (group, CPU time since it started).
    entries: HashMap<u32, (&'static str, Duration)>,
    at: Instant,
}

/// The group of a thread of a Porthole process.
pub fn thread_group(pid: u32, tid: u32, name: &str) -> &'static str {
    if tid == pid {
        // GTK's main loop: the window, WebKit's UI side, Tauri's event loop and IPC.
        "main thread"
    } else if name.starts_with("tokio-runtime") || name.starts_with("tokio-rt") {
        // Tauri's async runtime: stream clients, frame pumps, discovery.
        "async runtime"
    } else if name == crate::timeline::store::WRITER_THREAD {
        // The timeline's writer: stills decoded, shrunk and encoded, entries written.
        "timeline recording"
    } else {
        "other threads"
    }
}

/// The program a process belongs to, by its (possibly truncated) name.
pub fn program_group(name: &str) -> &'static str {
    if name == "porthole" {
        "Porthole"
    } else if name.starts_with("WebKit") {
        "WebKit (web and network processes)"
    } else if name.starts_with("chrom") {
        "Chromium"
    } else if name.starts_with("agent-browser") {
        "agent-browser daemon"
    } else if name == "Xvfb" {
        "Xvfb"
    } else {
        "everything else"
    }
}

impl GroupedCpu {
    /// The threads of process `pid`, grouped by [`thread_group`]; `None` when it is not
    /// running.
    pub fn threads_of(pid: u32) -> Option<GroupedCpu> {
        let mut system = System::new().ok()?;
        let pid_ = Pid::from_u32(pid);
        system.refresh_processes_specifics(
            ProcessesToUpdate::All,
            true,
            ProcessRefreshKind::nothing().with_cpu().with_tasks(),
        );
        let process = system.process(pid_)?;
        let total = Duration::from_millis(process.accumulated_cpu_time());
        let mut entries = HashMap::new();
        for tid in process.tasks().cloned().unwrap_or_default() {
            if let Some(thread) = system.process(tid) {
                let tid = tid.as_u32();
                let group = thread_group(pid, tid, &thread.name().to_string_lossy());
                let cpu = Duration::from_millis(thread.accumulated_cpu_time());
                entries.insert(tid, (group, cpu));
            }
        }
        if !entries.contains_key(&pid) {
            // Where the task list leaves the main thread out, it has what the others
            // do not account for (including threads that have ended).
            let others: Duration = entries.values().map(|(_, cpu)| *cpu).sum();
            let main = (thread_group(pid, pid, ""), total.saturating_sub(others));
            entries.insert(pid, main);
        }
        Some(GroupedCpu {
            entries,
            at: Instant::now(),
        })
    }

    /// Every process of the machine (not their threads), grouped by [`program_group`].
    pub fn programs() -> Option<GroupedCpu> {
        let mut system = System::new().ok()?;
        system.refresh_processes_specifics(
            ProcessesToUpdate::All,
            true,
            ProcessRefreshKind::nothing().with_cpu(),
        );
        let entries = system
            .processes()
            .values()
            .filter(|p| p.thread_kind().is_none())
            .map(|p| {
                (
                    p.pid().as_u32(),
                    (
                        program_group(&p.name().to_string_lossy()),
                        Duration::from_millis(p.accumulated_cpu_time()),
                    ),
                )
            })
            .collect();
        Some(GroupedCpu {
            entries,
            at: Instant::now(),
        })
    }

    /// Each group's CPU between `earlier` and this reading, in percent of one core.
    /// Threads or processes that started in between count from zero; those that ended
    /// in between are not counted.
    pub fn percent_since(&self, earlier: &GroupedCpu) -> BTreeMap<String, f64> {
        let wall = self.at.saturating_duration_since(earlier.at).as_secs_f64();
        let mut groups = BTreeMap::new();
        for (id, (group, cpu)) in &self.entries {
            let before = earlier
                .entries
                .get(id)
                .filter(|(g, _)| g == group)
                .map_or(Duration::ZERO, |(_, c)| *c);
            let share = if wall > 0.0 {
                cpu.saturating_sub(before).as_secs_f64() / wall * 100.0
            } else {
                0.0
            };
            *groups.entry((*group).to_owned()).or_insert(0.0) += share;
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_peak_rss_line_in_bytes() {
        let status = "Name:\tporthole\nVmPeak:\t  900 kB\nVmHWM:\t   51200 kB\nVmRSS:\t 40000 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(51200 * 1024));
        assert_eq!(parse_vm_hwm("Name:\tx\n"), None, "no VmHWM line, no figure");
        assert_eq!(
            parse_vm_hwm("VmHWM:\tlots kB\n"),
            None,
            "a malformed figure is no figure"
        );
    }

    #[test]
    fn a_busy_process_shows_its_cpu_and_memory() {
        let me = std::process::id();
        let before = Usage::of(me).expect("this process is running");
        // Burn CPU for a while so the share cannot be zero.
        let until = Instant::now() + Duration::from_millis(300);
        let mut x = 0u64;
        while Instant::now() < until {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        let after = Usage::of(me).expect("this process is running");
        let share = after.cpu_share_since(&before);
        // Other tests run on other threads of this process meanwhile, so the share is
        // at least this thread's and at most every core: a share of a core, not a percent.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        assert!(
            share > 0.2 && share <= cores + 0.1,
            "one busy thread shows as a share of a core (0.2..={cores}), got {share}"
        );
        assert!(
            after.rss > 1024 * 1024,
            "a running test has more than 1 MB resident"
        );
        if cfg!(target_os = "linux") {
            let peak = after.peak_rss.expect("Linux reports the peak RSS");
            assert!(
                peak >= after.rss * 9 / 10,
                "the peak is not below the current RSS (read a moment apart)"
            );
        }
        let summary = UsageSummary::between(&before, &after);
        assert_eq!(summary.pid, me);
        assert!(
            summary.cpu_percent > 20.0,
            "percent of one core, got {}",
            summary.cpu_percent
        );
    }

    #[test]
    fn a_process_that_is_not_running_has_no_usage() {
        // Pids are below 2^22 on Linux.
        assert!(Usage::of(u32::MAX - 1).is_none());
    }

    #[test]
    fn a_process_without_a_webview_has_no_web_processes() {
        assert!(webview_processes(std::process::id()).is_empty());
    }

    #[test]
    fn a_child_and_its_child_are_descendants() {
        let mut shell = std::process::Command::new("sh")
            .args(["-c", "sleep 30 & wait"])
            .spawn()
            .expect("sh starts");
        let shell_pid = shell.id();
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut below = descendants(std::process::id());
        while below.len() < 2 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            below = descendants(std::process::id());
        }
        for pid in &below {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
        let _ = shell.wait();
        assert!(
            below.contains(&shell_pid),
            "the child is a descendant, got {below:?}"
        );
        assert!(
            below.len() >= 2,
            "the child's own child (sleep) is a descendant too, got {below:?}"
        );
    }

    #[test]
    fn threads_and_programs_fall_into_their_groups() {
        assert_eq!(thread_group(10, 10, "porthole"), "main thread");
        assert_eq!(thread_group(10, 11, "tokio-runtime-w"), "async runtime");
        assert_eq!(
            thread_group(10, 13, "tokio-rt-worker"),
            "async runtime",
            "newer tokio names its workers tokio-rt-worker"
        );
        assert_eq!(thread_group(10, 12, "gdbus"), "other threads");
        assert_eq!(
            thread_group(10, 14, "timeline"),
            "timeline recording",
            "the recording's thread is counted apart, so its cost can be read"
        );
        assert_eq!(program_group("porthole"), "Porthole");
        assert_eq!(
            program_group("WebKitWebProces"),
            "WebKit (web and network processes)"
        );
        assert_eq!(program_group("chromium"), "Chromium");
        assert_eq!(program_group("chrome_crashpad"), "Chromium");
        assert_eq!(program_group("agent-browser-l"), "agent-browser daemon");
        assert_eq!(program_group("bash"), "everything else");
    }

    #[test]
    fn a_busy_thread_shows_in_its_group() {
        let me = std::process::id();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let before = GroupedCpu::threads_of(me).expect("this process is running");
        let programs_before = GroupedCpu::programs().expect("the process table is readable");
        let burner = std::thread::Builder::new()
            .name("tokio-runtime-worker".into())
            .spawn(move || {
                let mut x = 0u64;
                while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                    x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
                }
            })
            .expect("a thread can be started");
        std::thread::sleep(Duration::from_millis(400));
        let after = GroupedCpu::threads_of(me).expect("this process is running");
        let programs_after = GroupedCpu::programs().expect("the process table is readable");
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        burner.join().expect("the busy thread ends");
        let shares = after.percent_since(&before);
        let runtime = shares.get("async runtime").copied().unwrap_or(0.0);
        // The machine may be busy with other tests: the spinning thread's share can be
        // small, but it lands in its group, and outweighs the idle ones.
        let others = shares
            .iter()
            .filter(|(group, _)| group.as_str() != "async runtime")
            .map(|(_, share)| *share)
            .fold(0.0, f64::max);
        assert!(
            runtime > 5.0 && runtime > others,
            "a thread named like a runtime worker that spins shows in the runtime group, got {shares:?}"
        );
        let total: f64 = programs_after
            .percent_since(&programs_before)
            .values()
            .sum();
        assert!(
            total > 20.0,
            "the machine's processes together used at least the spinning thread, got {total}"
        );
    }
}
