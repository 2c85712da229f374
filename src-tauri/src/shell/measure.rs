//! Measuring the window, for the benchmarks: `porthole --measure-seconds S
//! --measure-out FILE [--measure-warmup W] [--measure-hidden] [--transport T] WORKSPACE`
//! opens the window as usual, waits for the panel to go Live and then W seconds more
//! (default 1), counts for S seconds the frames the window acks as painted, writes the
//! figures as JSON and quits. With `--measure-hidden` the window goes to the tray after
//! the warm-up, as from the tray menu, and the count is of what the hidden app costs
//! (and, in `programs`, what the agent's browser does meanwhile).
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
use crate::shell::window;
use porthole_core::resources::{webview_processes, GroupedCpu, Usage, UsageSummary};
use porthole_core::stream::attachment::AttachState;
use porthole_core::stream::frames::{FrameStats, FrameSummary};

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

/// What to measure.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// How long to count.
    pub seconds: f64,
    /// How long after Live to start counting.
    pub warmup: f64,
    /// Hide the window to the tray before counting.
    pub hidden: bool,
}

/// Starts the measurement task; the app exits when it is written (code 1 on failure).
pub fn start(app: &AppHandle, plan: Plan, out: PathBuf, opened_at_ms: f64) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let code = match measure(&app, plan, opened_at_ms).await {
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

async fn measure(app: &AppHandle, plan: Plan, opened_at_ms: f64) -> Result<Measurement, String> {
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
    tokio::time::sleep(Duration::from_secs_f64(plan.warmup)).await;
    let session = live.session().name.clone();
    let live = if plan.hidden {
        // Not held here while hidden: an attachment that hiding ends must end.
        drop(live);
        let handle = app.clone();
        app.run_on_main_thread(move || window::hide_main(&handle))
            .map_err(|e| format!("cannot hide the window: {e}"))?;
        // Let the attachment end, or change its pace, before counting.
        tokio::time::sleep(Duration::from_secs(1)).await;
        state.attachment()
    } else {
        Some(live)
    };
    let me = std::process::id();
    let web = webview_processes(me).first().copied();
    let usage_before = (Usage::of(me), web.and_then(Usage::of));
    let groups_before = (GroupedCpu::threads_of(me), GroupedCpu::programs());
    let before = live.as_ref().map(|l| (l.stats(), l.shown_stats()));
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs_f64(plan.seconds.max(0.1))).await;
    let elapsed = started.elapsed();
    let usage_after = (Usage::of(me), web.and_then(Usage::of));
    let groups_after = (GroupedCpu::threads_of(me), GroupedCpu::programs());
    if live.as_ref().is_some_and(|l| l.state().borrow().is_over()) {
        return Err("the session ended during the measurement".into());
    }
    let (received, shown) = before.unwrap_or_else(|| (FrameStats::new(), FrameStats::new()));
    // Hidden without recording there is no attachment: no frames, by design.
    let (received_now, shown_now) = live.as_ref().map_or_else(
        || (FrameStats::new(), FrameStats::new()),
        |l| (l.stats(), l.shown_stats()),
    );
    Ok(Measurement {
        transport: state.transport,
        seconds: elapsed.as_secs_f64(),
        session,
        received: received_now.summary_since(&received, elapsed),
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
