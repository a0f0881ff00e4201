//! What the report needs to know of a photo's bytes: a JPEG's size and colour components from its
//! frame header (the PDF embeds the JPEG as it is, `/DCTDecode`), and a PNG's size and pixels
//! (decoded with the `png` crate, the alpha channel split off as a soft mask).

/// Width and height of a JPEG from its start-of-frame marker.
pub(crate) fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    jpeg_frame(b).map(|f| (f.width, f.height))
}

/// A JPEG's frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JpegFrame {
    pub width: u32,
    pub height: u32,
    /// 1 (grey), 3 (YCbCr/RGB) or 4 (CMYK/YCCK).
    pub components: u8,
    /// An Adobe APP14 marker: a four-component JPEG's values are then stored inverted.
    pub adobe: bool,
}

/// Walks the markers up to the first start-of-frame (SOF0..SOF15 but DHT, JPG and DAC).
pub(crate) fn jpeg_frame(b: &[u8]) -> Option<JpegFrame> {
    let mut i = 2usize;
    let mut adobe = false;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if len < 2 {
            return None;
        }
        let seg = b.get(i + 4..i + 2 + len)?;
        if marker == 0xEE && seg.starts_with(b"Adobe") {
            adobe = true;
        }
        let sof = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if sof {
            let height = u32::from(u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]));
            let width = u32::from(u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]));
            let components = *seg.get(5)?;
            return Some(JpegFrame { width, height, components, adobe });
        }
        if marker == 0xDA {
            return None;
        }
        i += 2 + len;
    }
    None
}

/// Width and height of a PNG from its IHDR chunk.
pub(crate) fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(b.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(b.get(20..24)?.try_into().ok()?);
    Some((w, h))
}

/// Decoded pixels, 8 bits per component.
pub(crate) struct Raster {
    pub width: u32,
    pub height: u32,
    /// 1 (grey) or 3 (RGB) components per pixel, rows top to bottom.
    pub components: u8,
    pub color: Vec<u8>,
    /// One alpha byte per pixel, when the picture has transparency.
    pub alpha: Option<Vec<u8>>,
}

/// The largest PNG decoded, in pixels (a 5 MiB photo is far below; a crafted header is refused
/// before anything is allocated).
const MAX_PIXELS: u64 = 40_000_000;

/// Decodes a PNG (palette, 16-bit and grey-alpha pictures normalized to 8-bit grey or RGB, with
/// alpha split off); `None` for damaged or oversized data.
pub(crate) fn decode_png(b: &[u8]) -> Option<Raster> {
    let (w, h) = png_size(b)?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return None;
    }
    let mut dec = png::Decoder::new(std::io::Cursor::new(b));
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = dec.read_info().ok()?;
    let mut buf = vec![0u8; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    buf.truncate(info.buffer_size());
    let (width, height) = (info.width, info.height);
    let (components, has_alpha) = match info.color_type {
        png::ColorType::Grayscale => (1u8, false),
        png::ColorType::GrayscaleAlpha => (1, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (3, true),
        png::ColorType::Indexed => return None,
    };
    if !has_alpha {
        return Some(Raster { width, height, components, color: buf, alpha: None });
    }
    let step = usize::from(components) + 1;
    let mut color = Vec::with_capacity(buf.len() / step * usize::from(components));
    let mut alpha = Vec::with_capacity(buf.len() / step);
    for px in buf.chunks_exact(step) {
        color.extend_from_slice(&px[..step - 1]);
        alpha.push(px[step - 1]);
    }
    // Fully opaque: no mask needed.
    let alpha = alpha.iter().any(|a| *a != 255).then_some(alpha);
    Some(Raster { width, height, components, color, alpha })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jpeg_frame_header_gives_size_and_components() {
        // SOI, APP0 (4 bytes of payload), SOF0 with 3 components, 20 x 10.
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x06, b'J', b'F', b'I', b'F'];
        b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x0A, 0x00, 0x14, 0x03]);
        b.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        let f = jpeg_frame(&b);
        assert_eq!(f, Some(JpegFrame { width: 20, height: 10, components: 3, adobe: false }));
        assert_eq!(jpeg_frame(&b[..12]), None, "a cut header is refused");
        assert_eq!(jpeg_frame(b"\xFF\xD8\xFF\xDA\x00\x02"), None, "no frame before the scan");
    }

    #[test]
    fn a_png_is_decoded_with_its_alpha_split_off() {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, 2, 1);
            enc.set_color(png::ColorType::Rgba);
            enc.set_depth(png::BitDepth::Eight);
            let Ok(mut w) = enc.write_header() else { panic!("header") };
            assert!(w.write_image_data(&[255, 0, 0, 255, 0, 0, 255, 128]).is_ok());
        }
        assert_eq!(png_size(&out), Some((2, 1)));
        let Some(r) = decode_png(&out) else { panic!("decodes") };
        assert_eq!((r.width, r.height, r.components), (2, 1, 3));
        assert_eq!(r.color, vec![255, 0, 0, 0, 0, 255]);
        assert_eq!(r.alpha, Some(vec![255, 128]));
        assert!(decode_png(b"\x89PNG\r\n\x1a\nnot really").is_none());
    }
}
