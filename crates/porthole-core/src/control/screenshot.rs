//! Saving what the panel shows: the newest frame, decoded from Chrome's JPEG and written
//! as a lossless PNG or a WebP, in the person's pictures folder.
//!
//! ```no_run
//! # fn demo(jpeg: &[u8]) -> Result<(), porthole_core::control::screenshot::ScreenshotError> {
//! use porthole_core::control::screenshot::{encode, ImageFormat};
//! let png = encode(jpeg, ImageFormat::Png)?;
//! std::fs::write("page.png", png).expect("write");
//! # Ok(()) }
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;
use ts_rs::TS;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use crate::error::{Coded, ErrorCode};

/// WebP quality for screenshots: visually lossless for pages, a fraction of a PNG.
const WEBP_QUALITY: f32 = 90.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    Png,
    Webp,
}

impl ImageFormat {
    fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Webp => "webp",
        }
    }
}

#[derive(Debug, Error)]
pub enum ScreenshotError {
    #[error("there is no frame to save yet")]
    NoFrame,
    #[error("the frame could not be decoded: {0}")]
    Decode(String),
    #[error("the picture could not be encoded: {0}")]
    Encode(String),
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Coded for ScreenshotError {
    fn code(&self) -> ErrorCode {
        match self {
            ScreenshotError::NoFrame => ErrorCode::NoFrame,
            ScreenshotError::Decode(_) => ErrorCode::FrameUndecodable,
            ScreenshotError::Encode(_) => ErrorCode::EncodeFailed,
            ScreenshotError::Write { .. } => ErrorCode::WriteFailed,
        }
    }

    fn retryable(&self) -> bool {
        matches!(
            self,
            ScreenshotError::NoFrame | ScreenshotError::Write { .. }
        )
    }
}

/// A JPEG frame's pixels: RGB, 3 bytes each, row by row, and its width and height.
pub fn decode_rgb(jpeg: &[u8]) -> Result<(Vec<u8>, u32, u32), ScreenshotError> {
    let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::RGB);
    let mut decoder = JpegDecoder::new_with_options(jpeg, options);
    let rgb = decoder
        .decode()
        .map_err(|e| ScreenshotError::Decode(format!("{e:?}")))?;
    let (width, height) = decoder
        .dimensions()
        .ok_or_else(|| ScreenshotError::Decode("no dimensions".into()))?;
    Ok((rgb, width as u32, height as u32))
}

/// Re-encodes a JPEG frame.
pub fn encode(jpeg: &[u8], format: ImageFormat) -> Result<Vec<u8>, ScreenshotError> {
    let (rgb, width, height) = decode_rgb(jpeg)?;
    match format {
        ImageFormat::Png => {
            let mut out = Vec::new();
            let mut encoder = png::Encoder::new(&mut out, width, height);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder
                .write_header()
                .map_err(|e| ScreenshotError::Encode(e.to_string()))?;
            writer
                .write_image_data(&rgb)
                .map_err(|e| ScreenshotError::Encode(e.to_string()))?;
            writer
                .finish()
                .map_err(|e| ScreenshotError::Encode(e.to_string()))?;
            Ok(out)
        }
        ImageFormat::Webp => Ok(webp::Encoder::from_rgb(&rgb, width, height)
            .encode(WEBP_QUALITY)
            .to_vec()),
    }
}

/// Where screenshots go: the pictures folder's `Porthole`, else the home folder's.
pub fn default_dir() -> PathBuf {
    dirs::picture_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(std::env::temp_dir)
        .join("Porthole")
}

/// Saves `jpeg` in `dir` as `SESSION YYYY-MM-DD HH.MM.SS.EXT` (local time), returning
/// the path. A name already taken gets a counter.
pub fn save(
    jpeg: &[u8],
    session: &str,
    format: ImageFormat,
    dir: &Path,
) -> Result<PathBuf, ScreenshotError> {
    let bytes = encode(jpeg, format)?;
    crate::files::save_new(dir, session, format.extension(), &bytes)
        .map_err(|(path, source)| ScreenshotError::Write { path, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Real frames are saved in tests/integration/attach.rs.
    #[test]
    fn what_is_not_a_jpeg_is_refused() {
        let err = encode(b"not a jpeg", ImageFormat::Png).expect_err("garbage");
        assert_eq!(err.code(), ErrorCode::FrameUndecodable);
    }

    #[test]
    fn formats_name_their_files() {
        assert_eq!(ImageFormat::Png.extension(), "png");
        assert_eq!(ImageFormat::Webp.extension(), "webp");
        let f: ImageFormat = serde_json::from_str(r#""webp""#).expect("json");
        assert_eq!(f, ImageFormat::Webp);
    }
}
