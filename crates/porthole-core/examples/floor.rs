//! The floor of the live path: the least a viewer can do with a session's stream.
//! Connects to the stream WebSocket as any client would (push pacing, the daemon's
//! default), decodes nothing (no JSON parse of the frame, no base64, no JPEG), and for
//! each frame notes its arrival time against the capture time the frame carries. What
//! Porthole adds to a frame's latency is measured against this. `make bench` runs it.
//!
//! ```text
//! cargo run --example floor -- PORT SECONDS
//! ```
//!
//! Prints one JSON object: `{"frames","fps","latencyMs":{"p50","p90","p99"},"bytes"}`,
//! counted after a one-second warm-up.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use porthole_core::stream::frames::{now_ms, percentiles};
use tokio_tungstenite::tungstenite::Message;

const WARM_UP: Duration = Duration::from_secs(1);

/// The capture time of a frame message, read without parsing it: the only unescaped
/// `"timestamp":` of a frame is its metadata's (base64 cannot hold a quote).
fn capture_time(text: &str) -> Option<f64> {
    let at = text.rfind("\"timestamp\":")? + "\"timestamp\":".len();
    let rest = &text[at..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(port), Some(seconds)) = (
        args.first().and_then(|p| p.parse::<u16>().ok()),
        args.get(1).and_then(|s| s.parse::<f64>().ok()),
    ) else {
        eprintln!("usage: floor PORT SECONDS");
        return ExitCode::from(2);
    };
    let (mut socket, _) =
        match tokio_tungstenite::connect_async(format!("ws://127.0.0.1:{port}/")).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("floor: cannot connect to the stream on port {port}: {e}");
                return ExitCode::FAILURE;
            }
        };
    let warm = Instant::now() + WARM_UP;
    let until = warm + Duration::from_secs_f64(seconds);
    let (mut frames, mut bytes, mut latencies) = (0u64, 0u64, Vec::new());
    loop {
        let message = match tokio::time::timeout_at(until.into(), socket.next()).await {
            Err(_) => break,
            Ok(None) => {
                eprintln!("floor: the stream closed");
                return ExitCode::FAILURE;
            }
            Ok(Some(Err(e))) => {
                eprintln!("floor: the stream failed: {e}");
                return ExitCode::FAILURE;
            }
            Ok(Some(Ok(m))) => m,
        };
        let arrived = now_ms();
        let Message::Text(text) = message else {
            continue;
        };
        // Keys come in any order (the daemon sorts them): look for the type anywhere. A
        // quote inside a string is escaped, so no title can fake it.
        if !text.contains("\"type\":\"frame\"") || Instant::now() < warm {
            continue;
        }
        frames += 1;
        bytes += text.len() as u64;
        if let Some(captured) = capture_time(&text) {
            latencies.push((arrived - captured).max(0.0));
        }
    }
    let report = serde_json::json!({
        "frames": frames,
        "fps": frames as f64 / seconds,
        "latencyMs": percentiles(&latencies),
        "bytes": bytes,
    });
    println!("{report}");
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::capture_time;

    #[test]
    fn reads_the_capture_time_at_the_end_of_a_frame() {
        let text = r#"{"data":"/9j/4AAQ","metadata":{"deviceWidth":1280,"timestamp":1795347719012.5},"seq":3,"type":"frame"}"#;
        assert_eq!(capture_time(text), Some(1795347719012.5));
        assert_eq!(
            capture_time(r#"{"type":"frame","data":""}"#),
            None,
            "no timestamp, no latency"
        );
    }
}
