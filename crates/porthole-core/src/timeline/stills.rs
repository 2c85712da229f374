//! Stills: small pictures of the page at moments of the timeline, so a person can see
//! what was on screen when the agent gave a command.
//!
//! A still is a frame of the stream, decoded, downscaled by a whole factor to at most
//! [`MAX_WIDTH`] pixels wide (a box average, so text stays legible) and encoded as WebP.
//! The recording takes one when a command is given (the page before it), one after its
//! result (the first frame Chrome captured after it, or the page as it stands once the
//! stream has been free to send a newer frame for [`AFTER_WAIT`] and sent none: the page
//! did not change), and one a second while the page keeps changing. They are files
//! beside the session's timeline, `<session>.stills/<epoch ms>.webp`, so none is held in
//! memory.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::control::screenshot::{decode_rgb, ScreenshotError};

/// The widest a still is, in pixels.
pub const MAX_WIDTH: u32 = 640;
/// WebP quality of a still (0–100).
pub const QUALITY: f32 = 70.0;
/// While the page keeps changing, a still this often.
pub const EVERY: Duration = Duration::from_secs(1);
/// After a command's result, how long the stream must have been free to send a frame
/// (no frame waiting for the window's ack) with none captured after the result, before
/// the page as it stands is taken as the page after the command.
pub const AFTER_WAIT: Duration = Duration::from_millis(500);
/// The longest a command waits for its still after: past this, the page as it stands,
/// whatever the stream does (a window that never acks, a browser whose clock is not
/// this machine's).
pub const AFTER_GIVE_UP: Duration = Duration::from_secs(3);

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
///
/// Written as plain loops over one row of sums: the debug build (`make run`) leaves this
/// crate unoptimised, where iterator adapters per pixel cost several times as much.
pub fn downscale(rgb: &[u8], width: u32, height: u32, max_width: u32) -> (Vec<u8>, u32, u32) {
    let factor = width.div_ceil(max_width.max(1)).max(1);
    if factor == 1 {
        return (rgb.to_vec(), width, height);
    }
    let (w, h) = (width / factor, height / factor);
    let (f, row_len, out_len) = (factor as usize, width as usize * 3, w as usize * 3);
    let n = (f * f) as u32;
    let mut out = vec![0u8; out_len * h as usize];
    let mut sums = vec![0u32; out_len];
    for y in 0..h as usize {
        sums.fill(0);
        for dy in 0..f {
            let start = (y * f + dy) * row_len;
            // Only the columns the output covers: a width that is not a multiple of
            // the factor leaves a sliver at the right, as the rows leave one at the end.
            let line = &rgb[start..start + out_len * f];
            let mut i = 0;
            while i < line.len() {
                let o = i / (3 * f) * 3;
                sums[o] += u32::from(line[i]);
                sums[o + 1] += u32::from(line[i + 1]);
                sums[o + 2] += u32::from(line[i + 2]);
                i += 3;
            }
        }
        let row = &mut out[y * out_len..(y + 1) * out_len];
        for (pixel, sum) in row.iter_mut().zip(&sums) {
            *pixel = ((sum + n / 2) / n) as u8;
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
    fn downscaling_an_odd_sized_frame_averages_each_channel_of_each_block() {
        // 1283x721 at most 640 wide: factor 3, 427x240, slivers left over at the right
        // and the bottom. Each output pixel is checked against its block, channel by
        // channel, on pixels that differ everywhere.
        let (width, height) = (1283u32, 721u32);
        let rgb: Vec<u8> = (0..width * height * 3)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let (small, w, h) = downscale(&rgb, width, height, 640);
        assert_eq!((w, h), (427, 240), "the smallest whole factor that fits, 3");
        assert_eq!(small.len(), (w * h * 3) as usize);
        for (x, y) in [(0, 0), (1, 0), (426, 0), (0, 239), (426, 239), (200, 117)] {
            for c in 0..3 {
                let mut sum = 0u32;
                for dy in 0..3 {
                    for dx in 0..3 {
                        sum +=
                            u32::from(rgb[(((y * 3 + dy) * width + x * 3 + dx) * 3 + c) as usize]);
                    }
                }
                assert_eq!(
                    u32::from(small[((y * w + x) * 3 + c) as usize]),
                    (sum + 4) / 9,
                    "pixel ({x},{y}) channel {c} is the rounded mean of its 3x3 block"
                );
            }
        }
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
