//! Time to make the thumbnail of a phone-sized photo: `cargo bench -p eventday-web --bench thumbs`.
//!
//! The photo is made up (4000×3000, gradients with grain, JPEG quality 90, a few MB like a
//! phone's), the same every run; the thumbnail is made as the server makes it.

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use std::time::Instant;

fn photo(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545_F491_4F6C_DD1D_u64;
    let img = RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let grain = (seed % 12) as u32;
        let r = (x * 255 / width + grain) % 256;
        let g = (y * 255 / height + grain) % 256;
        let b = ((x + y) * 255 / (width + height) + grain / 2) % 256;
        Rgb([r as u8, g as u8, b as u8])
    });
    let mut out = Vec::new();
    if let Err(e) = JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img) {
        eprintln!("the photo could not be encoded: {e}");
    }
    out
}

fn main() {
    let runs: usize = std::env::args().filter_map(|a| a.parse().ok()).next().unwrap_or(7);
    let jpeg = photo(4000, 3000);
    println!("photo: 4000x3000 JPEG, {} bytes", jpeg.len());
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let made = eventday_web::thumbnail::make(&jpeg);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        last = Some(made);
    }
    times.sort_by(f64::total_cmp);
    match last {
        Some(Ok(t)) => println!("thumbnail: {}x{} JPEG, {} bytes", t.width, t.height, t.bytes.len()),
        Some(Err(e)) => println!("thumbnail failed: {e}"),
        None => {}
    }
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let (min, max) = (times.first().copied().unwrap_or_default(), times.last().copied().unwrap_or_default());
    println!("make: median {median:.1} ms, min {min:.1} ms, max {max:.1} ms over {runs} runs");
}
