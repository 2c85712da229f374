//! Would re-encoding the stream's JPEG frames as WebP pay? Times, for each JPEG given,
//! what the live path would have to add: decoding the JPEG to RGBA and encoding it as
//! WebP, and reports the sizes. `make bench` runs it on frames saved from a live session.
//!
//! ```text
//! cargo run --release --example transcode -- FRAME.jpg [FRAME.jpg ...]
//! ```

use std::process::ExitCode;
use std::time::Instant;

use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

const ROUNDS: u32 = 10;

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: transcode FRAME.jpg [FRAME.jpg ...]");
        return ExitCode::from(2);
    }
    println!("frame\tsize\tjpeg_bytes\tdecode_ms\twebp_q75_ms\twebp_q75_bytes\twebp_q50_ms\twebp_q50_bytes");
    for path in &paths {
        let jpeg = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("transcode: cannot read {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::RGBA);
        let started = Instant::now();
        let mut decoded = None;
        for _ in 0..ROUNDS {
            let mut decoder = JpegDecoder::new_with_options(&jpeg, options);
            match decoder.decode() {
                Ok(pixels) => decoded = Some((pixels, decoder.dimensions())),
                Err(e) => {
                    eprintln!("transcode: {path} is not a JPEG: {e:?}");
                    return ExitCode::FAILURE;
                }
            }
        }
        let decode_ms = ms(started) / f64::from(ROUNDS);
        let Some((rgba, Some((w, h)))) = decoded else {
            eprintln!("transcode: {path} has no dimensions");
            return ExitCode::FAILURE;
        };
        let encoder = webp::Encoder::from_rgba(&rgba, w as u32, h as u32);
        let mut row = format!("{path}\t{w}x{h}\t{}\t{decode_ms:.2}", jpeg.len());
        for quality in [75.0, 50.0] {
            let started = Instant::now();
            let mut size = 0;
            for _ in 0..ROUNDS {
                size = encoder.encode(quality).len();
            }
            row.push_str(&format!("\t{:.2}\t{size}", ms(started) / f64::from(ROUNDS)));
        }
        println!("{row}");
    }
    ExitCode::SUCCESS
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
