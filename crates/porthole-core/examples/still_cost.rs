//! What one timeline still costs: decoding a stream frame, shrinking it and encoding it
//! as WebP, as the recording does about once a second while the page changes.
//!
//! ```text
//! cargo run --release -p porthole-core --example still_cost -- FRAME.jpg [ROUNDS]
//! ```
//!
//! A frame to try: `porthole watch --session NAME --frames 30 --save-frame FRAME.jpg` on
//! a session showing `tests/pages/bench/`. Prints the frame's size, the still's size and
//! the CPU time per still (the process's own CPU time, not the wall clock).

use std::time::Instant;

use porthole_core::resources::Usage;
use porthole_core::timeline::stills;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: still_cost FRAME.jpg [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: u32 = args.next().and_then(|r| r.parse().ok()).unwrap_or(50);
    let jpeg = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let me = std::process::id();
    let Some(before) = Usage::of(me) else {
        eprintln!("cannot read this process's CPU time");
        std::process::exit(1);
    };
    let wall = Instant::now();
    let mut size = 0;
    for _ in 0..rounds {
        match stills::encode(&jpeg) {
            Ok(webp) => size = webp.len(),
            Err(e) => {
                eprintln!("cannot make a still of {path}: {e}");
                std::process::exit(1);
            }
        }
    }
    let after = Usage::of(me).unwrap_or(before);
    let cpu_ms = after.cpu.saturating_sub(before.cpu).as_secs_f64() * 1000.0 / f64::from(rounds);
    let wall_ms = wall.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds);
    println!(
        "{{\"frameBytes\":{},\"stillBytes\":{size},\"cpuMsPerStill\":{cpu_ms:.2},\"wallMsPerStill\":{wall_ms:.2},\"rounds\":{rounds}}}",
        jpeg.len()
    );
}
