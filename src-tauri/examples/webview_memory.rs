//! What each kind of per-frame work costs WebKitGTK's web process in memory, one kind at a
//! time, at a rate far above a stream's, so that a growth of a few hundred bytes per
//! frame shows in minutes instead of hours (docs/ARCHITECTURE.md, "Memory: the
//! window's web process").
//!
//! The window's frame path is made of three WebKit operations, and this runs each alone
//! in a bare webview (wry and tao, as Tauri builds them, without Tauri):
//!
//! - `eval`: the app evaluates a script in the page, as Tauri's `emit` delivers an event
//!   (the `frame` event): a new script text each time, carrying a frame-event-sized
//!   payload;
//! - `fetch`: the page POSTs to a custom URI scheme and reads the answer, as Tauri's
//!   `invoke` does on Linux (the `frame_painted` ack);
//! - `image`: one reused `<img>` loads and decodes a JPEG from a custom URI scheme, as the
//!   panel loads each frame from `frame://`;
//! - `image-ab`: `image` alternating between two URLs rather than one per frame;
//! - `blob`: the frame fetched with its metadata in a header, drawn through a `blob:` URL
//!   in one reused `<img>`;
//! - `eval-same`: `eval` with the same script text every time;
//! - `idle`: nothing, the baseline.
//!
//! It prints one JSON line every 10 s (the web process's RSS and how many operations ran)
//! and a last line with the slope fitted over the run, in MB per minute and in bytes per
//! operation.
//!
//! ```text
//! xvfb-run -a dbus-run-session -- target/debug/examples/webview_memory eval 300 180
//! ```

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use porthole_core::resources::{webview_processes, Usage};
use tao::event::{Event, WindowEvent};
use tao::event_loop::{ControlFlow, EventLoopBuilder};
use tao::window::WindowBuilder;
use wry::http::{header::CONTENT_TYPE, Response};
use wry::WebViewBuilder;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    Idle,
    Eval,
    /// The same script text every time: does the growth come with each new source?
    EvalSame,
    Fetch,
    Image,
    /// `image` alternating between two URLs instead of a new one per frame.
    ImageAb,
    /// The frame fetched (its metadata in a header), then drawn through a blob: URL.
    Blob,
}

/// A 1280x720 JPEG at quality 80, as the daemon sends; drawn at start (GdkPixbuf encodes
/// it) so the example needs no file.
fn jpeg() -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    use gtk::gdk_pixbuf::{Colorspace, Pixbuf};
    let (w, h) = (1280i32, 720i32);
    let pixbuf = Pixbuf::new(Colorspace::Rgb, false, 8, w, h).ok_or("no pixbuf")?;
    for y in 0..h {
        for x in 0..w {
            pixbuf.put_pixel(
                x as u32,
                y as u32,
                (x % 256) as u8,
                (y % 256) as u8,
                ((x ^ y) % 256) as u8,
                255,
            );
        }
    }
    Ok(pixbuf.save_to_bufferv("jpeg", &[("quality", "80")])?)
}

fn page(mode: Mode, rate: u32) -> String {
    let period = 1000.0 / f64::from(rate.max(1));
    let body = match mode {
        Mode::Idle | Mode::Eval | Mode::EvalSame => String::new(),
        Mode::Fetch => format!(
            "let n = 0, busy = false;
             setInterval(async () => {{
               if (busy) return; busy = true;
               const r = await fetch('probe://localhost/ack', {{ method: 'POST', body: JSON.stringify({{ seq: n++ }}) }});
               await r.arrayBuffer(); busy = false;
             }}, {period});"
        ),
        Mode::Image => format!(
            "const img = new Image(); let n = 0, busy = false;
             setInterval(async () => {{
               if (busy) return; busy = true;
               img.src = 'probe://localhost/frame/' + (n++);
               try {{ await img.decode(); }} catch (e) {{}}
               busy = false;
             }}, {period});"
        ),
        Mode::ImageAb => format!(
            "const img = new Image(); let n = 0, busy = false;
             setInterval(async () => {{
               if (busy) return; busy = true;
               img.src = 'probe://localhost/frame/' + ((n++) % 2 ? 'a' : 'b');
               try {{ await img.decode(); }} catch (e) {{}}
               busy = false;
             }}, {period});"
        ),
        Mode::Blob => format!(
            "const img = new Image(); let n = 0, busy = false;
             setInterval(async () => {{
               if (busy) return; busy = true;
               const r = await fetch('probe://localhost/frame/' + (n++));
               window.__meta = r.headers.get('x-frame');
               const url = URL.createObjectURL(await r.blob());
               img.src = url;
               try {{ await img.decode(); }} catch (e) {{}}
               URL.revokeObjectURL(url);
               busy = false;
             }}, {period});"
        ),
    };
    format!(
        "<!doctype html><html><body><script>window.__seen = 0; window.__tick = (e) => {{ window.__seen = e.seq; }};
         {body}</script></body></html>"
    )
}

/// The slope of `points` (minutes, MB) by least squares, MB per minute.
fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx == 0.0 {
        0.0
    } else {
        sxy / sxx
    }
}

fn say(line: serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

enum Wake {
    Eval(u64),
    Sample,
    Done,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match args.first().map(String::as_str) {
        Some("idle") => Mode::Idle,
        Some("eval") => Mode::Eval,
        Some("eval-same") => Mode::EvalSame,
        Some("fetch") => Mode::Fetch,
        Some("image") => Mode::Image,
        Some("image-ab") => Mode::ImageAb,
        Some("blob") => Mode::Blob,
        _ => {
            eprintln!("usage: webview_memory idle|eval|eval-same|fetch|image|image-ab|blob [RATE per s] [SECONDS]");
            std::process::exit(2);
        }
    };
    let rate: u32 = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(300);
    let seconds: u64 = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(180);

    let served = Arc::new(AtomicU64::new(0));
    gtk::init()?;
    let frame = Arc::new(jpeg()?);
    let html = page(mode, rate);
    let event_loop = EventLoopBuilder::<Wake>::with_user_event().build();
    let window = WindowBuilder::new()
        .with_title("webview memory")
        .build(&event_loop)?;
    let counter = served.clone();
    let builder = WebViewBuilder::new()
        .with_custom_protocol("probe".into(), move |_id, request| {
            let path = request.uri().path();
            let response = if path == "/" {
                Response::builder()
                    .header(CONTENT_TYPE, "text/html")
                    .body(html.clone().into_bytes())
            } else if path.starts_with("/frame/") {
                counter.fetch_add(1, Ordering::Relaxed);
                Response::builder()
                    .header(CONTENT_TYPE, "image/jpeg")
                    .header("cache-control", "no-store")
                    .header(
                        "x-frame",
                        format!("{{\"seq\":{}}}", counter.load(Ordering::Relaxed)),
                    )
                    .header("access-control-expose-headers", "x-frame")
                    .body(frame.as_ref().clone())
            } else {
                counter.fetch_add(1, Ordering::Relaxed);
                Response::builder()
                    .header(CONTENT_TYPE, "application/json")
                    .body(b"null".to_vec())
            };
            response
                .unwrap_or_else(|_| Response::new(Vec::new()))
                .map(Into::into)
        })
        .with_url("probe://localhost/");
    let webview = {
        use tao::platform::unix::WindowExtUnix;
        use wry::WebViewBuilderExtUnix;
        let vbox = window.default_vbox().ok_or("no GTK box in the window")?;
        builder.build_gtk(vbox)?
    };

    let proxy = event_loop.create_proxy();
    let started = Instant::now();
    std::thread::spawn(move || {
        let period = Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
        let mut next_sample = Duration::from_secs(10);
        let mut n = 0u64;
        loop {
            let elapsed = started.elapsed();
            if elapsed >= Duration::from_secs(seconds) {
                let _ = proxy.send_event(Wake::Done);
                return;
            }
            if elapsed >= next_sample {
                let _ = proxy.send_event(Wake::Sample);
                next_sample += Duration::from_secs(10);
            }
            if matches!(mode, Mode::Eval | Mode::EvalSame) {
                n += 1;
                let _ = proxy.send_event(Wake::Eval(n));
            }
            std::thread::sleep(period);
        }
    });

    let me = std::process::id();
    let mut points: Vec<(f64, f64)> = Vec::new();
    let mut evals = 0u64;
    event_loop.run(move |event, _, control_flow| {
        *control_flow = ControlFlow::Wait;
        match event {
            Event::UserEvent(Wake::Eval(n)) => {
                // Shaped like Tauri's event delivery: a fresh script with a JSON payload.
                let n = if mode == Mode::EvalSame { 0 } else { n };
                let script = format!(
                    "window.__tick({{\"seq\":{n},\"jpeg\":null,\"metadata\":{{\"deviceWidth\":1280,\"deviceHeight\":720,\"offsetTop\":0,\"pageScaleFactor\":1,\"scrollOffsetX\":0,\"scrollOffsetY\":{n},\"timestamp\":{}}},\"receivedAtMs\":{}}})",
                    1_795_347_719_108u64 + n,
                    1_795_347_719_108u64 + n
                );
                if webview.evaluate_script(&script).is_ok() {
                    evals += 1;
                }
            }
            Event::UserEvent(Wake::Sample) => {
                let web: u64 = webview_processes(me)
                    .into_iter()
                    .filter_map(Usage::of)
                    .map(|u| u.rss)
                    .sum();
                let minutes = started.elapsed().as_secs_f64() / 60.0;
                let mb = web as f64 / 1_048_576.0;
                points.push((minutes, mb));
                let ops = evals + served.load(Ordering::Relaxed);
                say(serde_json::json!({ "minutes": minutes, "webMb": mb, "operations": ops }));
            }
            Event::UserEvent(Wake::Done) => {
                // The first minute settles (caches, the JIT); the slope is fitted after it.
                let settled: Vec<(f64, f64)> =
                    points.iter().copied().filter(|p| p.0 >= 1.0).collect();
                let per_minute = slope(&settled);
                let ops = evals + served.load(Ordering::Relaxed);
                let ops_per_minute = ops as f64 / (started.elapsed().as_secs_f64() / 60.0);
                let bytes_per_op = if ops_per_minute > 0.0 {
                    per_minute * 1_048_576.0 / ops_per_minute
                } else {
                    0.0
                };
                say(serde_json::json!({
                    "mode": format!("{mode:?}").to_lowercase(),
                    "rate": rate,
                    "operations": ops,
                    "mbPerMinute": per_minute,
                    "bytesPerOperation": bytes_per_op,
                }));
                *control_flow = ControlFlow::Exit;
            }
            Event::WindowEvent {
                event: WindowEvent::CloseRequested,
                ..
            } => *control_flow = ControlFlow::Exit,
            _ => {}
        }
    });
}
