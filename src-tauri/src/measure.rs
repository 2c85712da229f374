//! Measuring the window, for the benchmarks: `porthole --measure-seconds S
//! --measure-out FILE [--transport T] WORKSPACE` opens the window as usual, waits for the
//! panel to go Live, counts for S seconds the frames the window acks as painted, writes
//! the figures as JSON and quits.
//!
//! "Shown" latency runs from Chrome's capture time to the window's ack, sent right after
//! the frame is drawn on the canvas; the compositor's last step to the screen is not in
//! it. "Received" is the same frames as they reached Porthole's Rust side.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::{AppHandle, Manager};

use crate::args::Transport;
use crate::attach::AttachState;
use crate::frames::FrameSummary;
use crate::state::AppState;

/// What a measurement writes.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Measurement {
    transport: Transport,
    seconds: f64,
    session: String,
    received: FrameSummary,
    shown: FrameSummary,
}

/// Starts the measurement task; the app exits when it is written (code 1 on failure).
pub fn start(app: &AppHandle, seconds: f64, out: PathBuf) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let code = match measure(&app, seconds).await {
            Ok(m) => match serde_json::to_vec_pretty(&m).map(|json| std::fs::write(&out, json)) {
                Ok(Ok(())) => 0,
                Ok(Err(error)) => {
                    tracing::error!(%error, path = %out.display(), "cannot write the measurement");
                    1
                }
                Err(error) => {
                    tracing::error!(%error, "cannot serialize the measurement");
                    1
                }
            },
            Err(reason) => {
                tracing::error!(%reason, "the measurement failed");
                1
            }
        };
        app.exit(code);
    });
}

async fn measure(app: &AppHandle, seconds: f64) -> Result<Measurement, String> {
    let state = app.state::<AppState>();
    // Wait (up to a minute) for an attachment to go Live.
    let live = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            if let Some(a) = state.attachment() {
                if matches!(*a.state().borrow(), AttachState::Live { .. }) {
                    return a;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .map_err(|_| "no session went Live within a minute".to_owned())?;
    // Let the window warm up before counting.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (received, shown) = (live.stats(), live.shown_stats());
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs_f64(seconds.max(0.1))).await;
    let elapsed = started.elapsed();
    if live.state().borrow().is_over() {
        return Err("the session ended during the measurement".into());
    }
    Ok(Measurement {
        transport: state.transport,
        seconds: elapsed.as_secs_f64(),
        session: live.session().name.clone(),
        received: live.stats().summary_since(&received, elapsed),
        shown: live.shown_stats().summary_since(&shown, elapsed),
    })
}
