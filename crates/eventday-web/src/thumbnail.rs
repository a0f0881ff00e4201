//! Thumbnails of the day's photos: at most [`SIDE`] pixels on the longest side, JPEG at quality
//! [`QUALITY`], upright by the photo's EXIF orientation, transparency laid on white. Decoding
//! is CPU work: callers run [`make`] on a blocking thread, a few at a time (see [`SLOTS`]).

use eventday_store::photos::NewThumb;
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};
use std::io::Cursor;

/// The longest side of a thumbnail, in pixels.
pub const SIDE: u32 = 320;

/// JPEG quality of a thumbnail.
pub const QUALITY: u8 = 80;

/// The most memory one decode may take (a 4000×3000 photo takes 36 MB): a photo claiming more
/// is refused, and served as it is.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// Thumbnails made at once in this process: each holds a whole decoded photo in memory, and a
/// page of a hundred new photos must not decode a hundred at once.
pub(crate) static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// The thumbnail of a JPEG, PNG or WebP photo.
///
/// # Errors
/// The decoder's or encoder's error: not an image of these kinds, damaged, or too big to decode.
pub fn make(bytes: &[u8]) -> Result<NewThumb, image::ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    // A damaged EXIF block leaves the picture as stored rather than refusing it.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder)?;
    if img.width().max(img.height()) > SIDE {
        img = img.thumbnail(SIDE, SIDE);
    }
    img.apply_orientation(orientation);
    let rgb = on_white(img);
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, QUALITY).encode_image(&rgb)?;
    Ok(NewThumb { bytes: out, width: rgb.width(), height: rgb.height() })
}

/// The picture without transparency: see-through parts on white, as a page shows them.
fn on_white(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(p[3]);
        for c in 0..3 {
            let v = (u16::from(p[c]) * a + 255 * (255 - a) + 127) / 255;
            o[c] = u8::try_from(v).unwrap_or(u8::MAX);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgb, Rgba, RgbaImage};

    fn encoded(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).expect("encode");
        out.into_inner()
    }

    fn decoded(t: &NewThumb) -> RgbImage {
        image::load_from_memory_with_format(&t.bytes, ImageFormat::Jpeg).expect("a JPEG").into_rgb8()
    }

    #[test]
    fn a_large_photo_shrinks_to_320_on_its_longest_side_keeping_its_shape() {
        let img =
            DynamicImage::ImageRgb8(RgbImage::from_fn(1200, 900, |x, _| Rgb([(x % 256) as u8, 90, 30])));
        let t = make(&encoded(&img, ImageFormat::Jpeg)).expect("thumbnail");
        assert_eq!((t.width, t.height), (320, 240));
        let back = decoded(&t);
        assert_eq!(back.dimensions(), (320, 240));
    }

    #[test]
    fn a_photo_taken_upright_comes_out_upright_by_its_exif_orientation() {
        let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(640, 480, Rgb([10, 120, 10])));
        let plain = encoded(&img, ImageFormat::Jpeg);
        // An APP1 segment with a big-endian TIFF block of one entry: Orientation (0x0112) = 6,
        // "rotate 90° clockwise to show", as a phone held upright writes it.
        let mut tiff = b"Exif\0\0MM\0\x2A\0\0\0\x08\0\x01".to_vec();
        tiff.extend_from_slice(b"\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0");
        let len = u16::try_from(tiff.len() + 2).expect("short");
        let mut jpeg = plain[..2].to_vec();
        jpeg.extend_from_slice(&[0xFF, 0xE1]);
        jpeg.extend_from_slice(&len.to_be_bytes());
        jpeg.extend_from_slice(&tiff);
        jpeg.extend_from_slice(&plain[2..]);
        let t = make(&jpeg).expect("thumbnail");
        assert_eq!((t.width, t.height), (240, 320), "turned upright");
        assert_eq!(decoded(&t).dimensions(), (240, 320));
    }

    #[test]
    fn a_small_photo_keeps_its_size_and_transparency_becomes_white() {
        let img = DynamicImage::ImageRgba8(RgbaImage::from_pixel(100, 40, Rgba([0, 0, 0, 0])));
        let t = make(&encoded(&img, ImageFormat::Png)).expect("thumbnail");
        assert_eq!((t.width, t.height), (100, 40));
        let px = decoded(&t).get_pixel(50, 20).0;
        assert!(px.iter().all(|c| *c > 245), "white, not black: {px:?}");
    }

    #[test]
    fn webp_photos_are_read_too() {
        let img = DynamicImage::ImageRgba8(RgbaImage::from_pixel(640, 480, Rgba([200, 10, 10, 255])));
        let t = make(&encoded(&img, ImageFormat::WebP)).expect("thumbnail");
        assert_eq!((t.width, t.height), (320, 240));
    }

    #[test]
    fn bytes_that_only_start_like_an_image_are_refused() {
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend((0..200u32).map(|i| (i % 251) as u8));
        assert!(make(&fake).is_err());
        assert!(make(b"\xFF\xD8\xFF\xE0 not really").is_err());
    }
}
