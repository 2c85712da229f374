//! Frames as they leave the stream client, and what is measured of them.
//!
//! A [`Frame`] keeps the daemon's base64 JPEG as it came: the window's event path carries
//! base64 anyway, so nothing is decoded or re-encoded on the live path. The newest frame
//! is published through a `tokio::sync::watch` channel: a consumer that falls behind sees
//! the newest frame, never a queue. [`FrameStats`] counts frames and bytes and keeps the
//! latencies (receive time minus capture time) for percentiles.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde::Serialize;
use ts_rs::TS;

use crate::stream::protocol::{FrameMessage, FrameMetadata};

/// One screencast frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub seq: u64,
    /// The JPEG, base64 as the daemon sent it.
    pub jpeg_base64: Arc<str>,
    pub metadata: FrameMetadata,
    /// When Porthole received it, epoch milliseconds.
    pub received_at_ms: f64,
}

impl Frame {
    /// A frame from its message; `fallback_seq` numbers it when the daemon does not.
    pub fn from_message(message: FrameMessage, received_at_ms: f64, fallback_seq: u64) -> Self {
        Self {
            seq: message.seq.unwrap_or(fallback_seq),
            jpeg_base64: message.data.into(),
            metadata: message.metadata,
            received_at_ms,
        }
    }

    /// The size of the JPEG in bytes, without decoding it.
    pub fn jpeg_len(&self) -> usize {
        let b64 = self.jpeg_base64.trim_end_matches('=');
        b64.len() * 3 / 4
    }

    /// The JPEG bytes.
    pub fn jpeg(&self) -> Result<Vec<u8>, base64::DecodeError> {
        base64::engine::general_purpose::STANDARD.decode(self.jpeg_base64.as_bytes())
    }

    /// Receive time minus capture time, when the frame says when it was captured.
    pub fn latency_ms(&self) -> Option<f64> {
        self.metadata
            .timestamp_ms()
            .map(|captured| (self.received_at_ms - captured).max(0.0))
    }
}

/// Now, in epoch milliseconds.
pub fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, TS)]
pub struct Percentiles {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
}

/// Latencies kept per attachment: about 2.7 hours at 60 fps (4.8 MB). Later frames are
/// still counted, their latency no longer kept.
const MAX_LATENCY_SAMPLES: usize = 600_000;

/// Counts of one attachment's frames.
#[derive(Debug, Clone)]
pub struct FrameStats {
    started: Instant,
    first_frame: Option<Instant>,
    last_frame: Option<Instant>,
    pub frames: u64,
    pub bytes: u64,
    pub malformed: u64,
    latencies: Vec<f64>,
    first_latency: Option<f64>,
}

impl Default for FrameStats {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameStats {
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
            first_frame: None,
            last_frame: None,
            frames: 0,
            bytes: 0,
            malformed: 0,
            latencies: Vec::new(),
            first_latency: None,
        }
    }

    /// Counts a frame as received, its latency being receive time minus capture time.
    pub fn record(&mut self, frame: &Frame) {
        self.count(frame, frame.latency_ms());
    }

    /// Counts a frame as shown at `shown_at_ms` (epoch milliseconds), its latency being
    /// that time minus capture time: glass-to-glass, as far as the consumer can tell.
    pub fn record_shown(&mut self, frame: &Frame, shown_at_ms: f64) {
        let latency = frame
            .metadata
            .timestamp_ms()
            .map(|captured| (shown_at_ms - captured).max(0.0));
        self.count(frame, latency);
    }

    fn count(&mut self, frame: &Frame, latency: Option<f64>) {
        let now = Instant::now();
        if self.frames == 0 {
            self.first_latency = latency;
        }
        self.first_frame.get_or_insert(now);
        self.last_frame = Some(now);
        self.frames += 1;
        self.bytes += frame.jpeg_len() as u64;
        if let Some(latency) = latency.filter(|_| self.latencies.len() < MAX_LATENCY_SAMPLES) {
            self.latencies.push(latency);
        }
    }

    /// The figures of the frames counted after `earlier` (a copy of these same stats),
    /// over `elapsed`.
    pub fn summary_since(&self, earlier: &FrameStats, elapsed: Duration) -> FrameSummary {
        let frames = self.frames.saturating_sub(earlier.frames);
        let secs = elapsed.as_secs_f64();
        let from = earlier.latencies.len().min(self.latencies.len());
        FrameSummary {
            frames,
            fps: if secs > 0.0 {
                frames as f64 / secs
            } else {
                0.0
            },
            first_frame_ms: None,
            latency_ms: percentiles(&self.latencies[from..]),
            bytes: self.bytes.saturating_sub(earlier.bytes),
        }
    }

    /// Milliseconds from the start of the attachment to its first frame.
    pub fn first_frame_ms(&self) -> Option<f64> {
        self.first_frame
            .map(|t| t.duration_since(self.started).as_secs_f64() * 1000.0)
    }

    /// When the first frame came, epoch milliseconds.
    pub fn first_frame_at_ms(&self) -> Option<f64> {
        self.first_frame
            .map(|t| now_ms() - t.elapsed().as_secs_f64() * 1000.0)
    }

    /// The latency of the first frame, milliseconds (when it carried a capture time).
    pub fn first_latency_ms(&self) -> Option<f64> {
        self.first_latency
    }

    /// Frames per second between the first and the last frame.
    pub fn fps(&self) -> f64 {
        match (self.first_frame, self.last_frame) {
            (Some(first), Some(last)) if self.frames > 1 => {
                let secs = last.duration_since(first).as_secs_f64();
                if secs > 0.0 {
                    (self.frames - 1) as f64 / secs
                } else {
                    0.0
                }
            }
            _ => 0.0,
        }
    }

    pub fn latency(&self) -> Option<Percentiles> {
        percentiles(&self.latencies)
    }
}

/// The figures of a [`FrameStats`], as reports print them.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FrameSummary {
    pub frames: u64,
    pub fps: f64,
    pub first_frame_ms: Option<f64>,
    pub latency_ms: Option<Percentiles>,
    pub bytes: u64,
}

impl From<&FrameStats> for FrameSummary {
    fn from(stats: &FrameStats) -> Self {
        Self {
            frames: stats.frames,
            fps: stats.fps(),
            first_frame_ms: stats.first_frame_ms(),
            latency_ms: stats.latency(),
            bytes: stats.bytes,
        }
    }
}

/// Nearest-rank percentiles; `None` for no samples.
pub fn percentiles(samples: &[f64]) -> Option<Percentiles> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |p: f64| {
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    };
    Some(Percentiles {
        p50: at(50.0),
        p90: at(90.0),
        p99: at(99.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(seq: u64, data: &str, captured: Option<f64>, received: f64) -> Frame {
        Frame {
            seq,
            jpeg_base64: data.into(),
            metadata: FrameMetadata {
                timestamp: captured,
                ..Default::default()
            },
            received_at_ms: received,
        }
    }

    #[test]
    fn jpeg_length_is_known_without_decoding() {
        for bytes in [&b""[..], b"a", b"ab", b"abc", b"abcd", &[0xff; 1000]] {
            let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
            let f = frame(1, &b64, None, 0.0);
            assert_eq!(f.jpeg_len(), bytes.len(), "length of {} bytes", bytes.len());
            assert_eq!(f.jpeg().expect("decodes"), bytes);
        }
    }

    /// A realistic capture time, epoch milliseconds.
    const T: f64 = 1_795_347_719_000.0;

    #[test]
    fn latency_is_receive_minus_capture_and_never_negative() {
        assert_eq!(frame(1, "", Some(T), T + 16.0).latency_ms(), Some(16.0));
        assert_eq!(
            frame(1, "", Some(T + 10.0), T).latency_ms(),
            Some(0.0),
            "clock skew does not make a negative latency"
        );
        assert_eq!(frame(1, "", None, 5.0).latency_ms(), None);
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        let p = percentiles(&samples).expect("samples");
        assert_eq!((p.p50, p.p90, p.p99), (50.0, 90.0, 99.0));
        let one = percentiles(&[7.0]).expect("one sample");
        assert_eq!((one.p50, one.p99), (7.0, 7.0));
        assert_eq!(percentiles(&[]), None);
    }

    #[test]
    fn stats_count_frames_bytes_and_latency() {
        let mut stats = FrameStats::new();
        assert_eq!(stats.fps(), 0.0);
        stats.record(&frame(1, "AAAA", Some(T), T + 10.0));
        stats.record(&frame(2, "AAAAAAAA", Some(T + 100.0), T + 130.0));
        assert_eq!(stats.frames, 2);
        assert_eq!(stats.bytes, 3 + 6);
        assert!(stats.first_frame_ms().is_some());
        assert_eq!(
            stats.first_latency_ms(),
            Some(10.0),
            "the first frame's own latency is kept, not a later one's"
        );
        let at = stats.first_frame_at_ms().expect("a first frame");
        assert!(
            (now_ms() - at).abs() < 1000.0,
            "the first frame came just now, in epoch milliseconds"
        );
        let p = stats.latency().expect("latencies");
        assert_eq!((p.p50, p.p99), (10.0, 30.0));
    }

    #[test]
    fn a_summary_since_an_earlier_copy_counts_only_the_frames_after_it() {
        let mut stats = FrameStats::new();
        stats.record(&frame(1, "AAAA", Some(T), T + 500.0));
        let earlier = stats.clone();
        stats.record(&frame(2, "AAAAAAAA", Some(T), T + 10.0));
        stats.record(&frame(3, "AAAA", Some(T), T + 20.0));
        let s = stats.summary_since(&earlier, Duration::from_millis(500));
        assert_eq!(s.frames, 2, "only the frames after the copy");
        assert_eq!(s.fps, 4.0, "two frames in half a second");
        assert_eq!(s.bytes, 6 + 3);
        let p = s.latency_ms.expect("latencies");
        assert_eq!(p.p99, 20.0, "the 500 ms frame before the copy is left out");
    }

    #[test]
    fn shown_latency_runs_to_the_time_the_frame_was_shown() {
        let mut stats = FrameStats::new();
        stats.record_shown(&frame(1, "AAAA", Some(T), T + 10.0), T + 25.0);
        let p = stats.latency().expect("a latency");
        assert_eq!(p.p50, 25.0, "capture to shown, not capture to received");
    }
}
