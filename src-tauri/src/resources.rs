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
    let Ok(mut system) = System::new() else {
        return Vec::new();
    };
    system.refresh_processes_specifics(ProcessesToUpdate::All, true, ProcessRefreshKind::nothing());
    let processes: Vec<_> = system
        .processes()
        .values()
        .filter(|p| p.thread_kind().is_none())
        .collect();
    let mut family = vec![Pid::from_u32(ancestor)];
    let mut found: Vec<(u64, u32)> = Vec::new();
    while let Some(parent) = family.pop() {
        for child in processes.iter().filter(|p| p.parent() == Some(parent)) {
            family.push(child.pid());
            if child
                .name()
                .to_string_lossy()
                .starts_with("WebKitWebProces")
            {
                found.push((child.start_time(), child.pid().as_u32()));
            }
        }
    }
    found.sort_unstable();
    found.into_iter().map(|(_, pid)| pid).collect()
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
        assert!(
            share > 0.2 && share < 1.5,
            "one busy thread shows about one core, got {share}"
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
}
