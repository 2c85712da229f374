//! Stills: small pictures of the page at moments of the timeline, so a person can see
//! what was on screen when the agent gave a command.
//!
//! A still is a frame of the stream, decoded, downscaled by a whole factor to at most
//! [`MAX_WIDTH`] pixels wide (a box average, so text stays legible) and encoded as WebP.
//! The recording takes one when a command is given (the page before it), one after its
//! result (the first frame Chrome captured after it, or the page as it stands
//! [`AFTER_WAIT`] later when the page does not change), and one a second while the page
//! keeps changing. They are files beside the session's
//! timeline, `<session>.stills/<epoch ms>.webp`, so none is held in memory.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::control::screenshot::{decode_rgb, ScreenshotError};

/// The widest a still is, in pixels.
pub const MAX_WIDTH: u32 = 640;
/// WebP quality of a still (0–100).
pub const QUALITY: f32 = 70.0;
/// While the page keeps changing, a still this often.
pub const EVERY: Duration = Duration::from_secs(1);
/// After a command's result, how long to wait for a frame captured after it before
/// taking the page as it stands.
pub const AFTER_WAIT: Duration = Duration::from_millis(500);

/// One still on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Still {
    /// When the page looked like this, epoch milliseconds.
    pub at: f64,
    pub path: PathBuf,
}

/// A frame's JPEG as a still: downscaled and WebP-encoded.
pub fn encode(jpeg: &[u8]) -> Result<Vec<u8>, ScreenshotError> {
    let (rgb, width, height) = decode_rgb(jpeg)?;
    let (small, w, h) = downscale(&rgb, width, height, MAX_WIDTH);
    Ok(webp::Encoder::from_rgb(&small, w, h)
        .encode(QUALITY)
        .to_vec())
}

/// RGB pixels shrunk by the smallest whole factor that fits `max_width`, each pixel the
/// average of the block it replaces.
pub fn downscale(rgb: &[u8], width: u32, height: u32, max_width: u32) -> (Vec<u8>, u32, u32) {
    let factor = width.div_ceil(max_width.max(1)).max(1);
    if factor == 1 {
        return (rgb.to_vec(), width, height);
    }
    let (w, h) = (width / factor, height / factor);
    let (row, f) = (width as usize * 3, factor as usize);
    let mut out = Vec::with_capacity(w as usize * h as usize * 3);
    for y in 0..h as usize {
        for x in 0..w as usize {
            let mut sum = [0u32; 3];
            for dy in 0..f {
                let start = (y * f + dy) * row + x * f * 3;
                for px in rgb[start..start + f * 3].chunks_exact(3) {
                    sum[0] += u32::from(px[0]);
                    sum[1] += u32::from(px[1]);
                    sum[2] += u32::from(px[2]);
                }
            }
            let n = (f * f) as u32;
            out.extend(sum.map(|s| ((s + n / 2) / n) as u8));
        }
    }
    (out, w, h)
}

/// The stills in `dir`, oldest first; files not named `<epoch ms>.webp` are ignored.
pub fn list(dir: &Path) -> Vec<Still> {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut stills: Vec<Still> = listing
        .flatten()
        .filter_map(|item| {
            let path = item.path();
            let at = path
                .file_name()?
                .to_str()?
                .strip_suffix(".webp")?
                .parse::<u64>()
                .ok()?;
            Some(Still {
                at: at as f64,
                path,
            })
        })
        .collect();
    stills.sort_by(|a, b| a.at.total_cmp(&b.at));
    stills
}

/// The page before a moment: the latest still at or before `at`.
pub fn before(stills: &[Still], at: f64) -> Option<&Still> {
    let i = stills.partition_point(|s| s.at <= at);
    i.checked_sub(1).map(|i| &stills[i])
}

/// The page after a moment: the first still at or after `at`.
pub fn after(stills: &[Still], at: f64) -> Option<&Still> {
    stills.get(stills.partition_point(|s| s.at < at))
}

/// The file name of a still taken at `at`.
pub fn file_name(at: f64) -> String {
    format!("{}.webp", at.max(0.0).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downscaling_averages_each_block_and_keeps_the_aspect() {
        // 4x2 pixels: a black 2x2 block and a white one.
        let mut rgb = Vec::new();
        for _ in 0..2 {
            rgb.extend([0u8; 6]);
            rgb.extend([255u8; 6]);
        }
        let (small, w, h) = downscale(&rgb, 4, 2, 2);
        assert_eq!((w, h), (2, 1), "halved both ways");
        assert_eq!(small, vec![0, 0, 0, 255, 255, 255], "each block's average");
        let (same, w, h) = downscale(&rgb, 4, 2, 640);
        assert_eq!(
            (w, h, same.len()),
            (4, 2, rgb.len()),
            "a small frame stays as it is"
        );
    }

    #[test]
    fn a_moment_finds_the_page_before_and_after_it() {
        let stills: Vec<Still> = [1000.0, 2000.0, 3000.0]
            .iter()
            .map(|&at| Still {
                at,
                path: PathBuf::from(file_name(at)),
            })
            .collect();
        assert_eq!(
            before(&stills, 2000.0).map(|s| s.at),
            Some(2000.0),
            "taken as the command came"
        );
        assert_eq!(before(&stills, 2500.0).map(|s| s.at), Some(2000.0));
        assert_eq!(before(&stills, 500.0), None, "nothing before the recording");
        assert_eq!(after(&stills, 2100.0).map(|s| s.at), Some(3000.0));
        assert_eq!(after(&stills, 3100.0), None);
    }
}
