//! Measuring the window, for the benchmarks: `porthole --measure-seconds S
//! --measure-out FILE [--measure-warmup W] [--transport T] WORKSPACE` opens the window as
//! usual, waits for the panel to go Live and then W seconds more (default 1), counts for
//! S seconds the frames the window acks as painted, writes the figures as JSON and quits.
//!
//! "Shown" latency runs from Chrome's capture time to the window's ack, sent right after
//! the frame is drawn on the canvas; the compositor's last step to the screen is not in
//! it, the ack's trip back to the Rust side is. "Received" is the same frames as they
//! reached Porthole's Rust side. Beside the frames it records what the measurement cost
//! (CPU and peak RSS of this process and of the webview's web process, this process's
//! CPU by thread and the machine's by program) and when the first frame was painted,
//! for the attach times.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::{AppHandle, Manager};

use crate::args::Transport;
use crate::shell::state::AppState;
use porthole_core::resources::{webview_processes, GroupedCpu, Usage, UsageSummary};
use porthole_core::stream::attachment::AttachState;
use porthole_core::stream::frames::FrameSummary;

/// What a measurement writes.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Measurement {
    transport: Transport,
    seconds: f64,
    session: String,
    received: FrameSummary,
    shown: FrameSummary,
    /// When Porthole started on the workspace, epoch milliseconds.
    opened_at_ms: f64,
    /// When the window acked its first frame, epoch milliseconds.
    first_shown_at_ms: Option<f64>,
    /// That first frame's latency (shown minus captured), milliseconds.
    first_shown_latency_ms: Option<f64>,
    /// The Rust side: this process.
    porthole: Option<UsageSummary>,
    /// The webview's web process (WebKitWebProcess), where the page and its canvas run.
    webview: Option<UsageSummary>,
    /// This process's CPU by thread group, percent of one core.
    threads: BTreeMap<String, f64>,
    /// The whole machine's CPU by program, percent of one core.
    programs: BTreeMap<String, f64>,
}

/// Starts the measurement task; the app exits when it is written (code 1 on failure).
pub fn start(app: &AppHandle, seconds: f64, warmup: f64, out: PathBuf, opened_at_ms: f64) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let code = match measure(&app, seconds, warmup, opened_at_ms).await {
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

async fn measure(
    app: &AppHandle,
    seconds: f64,
    warmup: f64,
    opened_at_ms: f64,
) -> Result<Measurement, String> {
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
    tokio::time::sleep(Duration::from_secs_f64(warmup)).await;
    let me = std::process::id();
    let web = webview_processes(me).first().copied();
    let usage_before = (Usage::of(me), web.and_then(Usage::of));
    let groups_before = (GroupedCpu::threads_of(me), GroupedCpu::programs());
    let (received, shown) = (live.stats(), live.shown_stats());
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs_f64(seconds.max(0.1))).await;
    let elapsed = started.elapsed();
    let usage_after = (Usage::of(me), web.and_then(Usage::of));
    let groups_after = (GroupedCpu::threads_of(me), GroupedCpu::programs());
    if live.state().borrow().is_over() {
        return Err("the session ended during the measurement".into());
    }
    let shown_now = live.shown_stats();
    Ok(Measurement {
        transport: state.transport,
        seconds: elapsed.as_secs_f64(),
        session: live.session().name.clone(),
        received: live.stats().summary_since(&received, elapsed),
        shown: shown_now.summary_since(&shown, elapsed),
        opened_at_ms,
        first_shown_at_ms: shown_now.first_frame_at_ms(),
        first_shown_latency_ms: shown_now.first_latency_ms(),
        porthole: summary(usage_before.0, usage_after.0),
        webview: summary(usage_before.1, usage_after.1),
        threads: shares(groups_before.0, groups_after.0),
        programs: shares(groups_before.1, groups_after.1),
    })
}

fn summary(before: Option<Usage>, after: Option<Usage>) -> Option<UsageSummary> {
    before
        .zip(after)
        .map(|(b, a)| UsageSummary::between(&b, &a))
}

fn shares(before: Option<GroupedCpu>, after: Option<GroupedCpu>) -> BTreeMap<String, f64> {
    before
        .zip(after)
        .map(|(b, a)| a.percent_since(&b))
        .unwrap_or_default()
}
