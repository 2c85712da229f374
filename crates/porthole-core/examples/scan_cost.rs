//! What one discovery scan costs: the work the discovery watch does on each liveness
//! tick (once a second), with the machine's processes as they are.
//!
//! ```text
//! cargo run --release -p porthole-core --example scan_cost -- [ROUNDS]
//! ```
//!
//! Prints how many processes the machine runs, how many sessions and DevTools browsers
//! the scan found, and the CPU time per scan (the process's own CPU time, not the wall
//! clock). Start a session or two first (`agent-browser open …`) to see a scan at work.

use std::time::Instant;

use porthole_core::discovery::Discovery;
use porthole_core::resources::Usage;

fn main() {
    let rounds: u32 = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    let mut discovery = match Discovery::new() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot read the process table: {e}");
            std::process::exit(1);
        }
    };
    // The first scan reads every command line; the watch's ticks are the ones after.
    let found = discovery.scan().len();
    let me = std::process::id();
    let Some(before) = Usage::of(me) else {
        eprintln!("cannot read this process's CPU time");
        std::process::exit(1);
    };
    let wall = Instant::now();
    for _ in 0..rounds {
        discovery.scan();
    }
    let after = Usage::of(me).unwrap_or(before);
    let cpu_ms = after.cpu.saturating_sub(before.cpu).as_secs_f64() * 1000.0 / f64::from(rounds);
    let wall_ms = wall.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds);
    let processes = std::fs::read_dir("/proc")
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok())
                .count()
        })
        .unwrap_or(0);
    println!(
        "{{\"processes\":{processes},\"found\":{found},\"cpuMsPerScan\":{cpu_ms:.3},\"wallMsPerScan\":{wall_ms:.3},\"rounds\":{rounds}}}"
    );
}
