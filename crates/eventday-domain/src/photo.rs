//! Photos attached to log entries: the type is decided by the bytes, never by what the client declares.

use sha2::{Digest, Sha256};

/// The largest photo accepted (bytes).
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// The content type of a JPEG, PNG or WebP image judged by its magic bytes; `None` for anything else.
#[must_use]
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("image/webp")
    } else {
        None
    }
}

/// The largest evidence file on a task accepted (bytes): as a photo.
pub const MAX_EVIDENCE_BYTES: usize = MAX_PHOTO_BYTES;

/// The content type of a task's evidence judged by its magic bytes: a JPEG, PNG or WebP photo
/// or a PDF (a scanned notice, a signed plan); `None` for anything else.
#[must_use]
pub fn sniff_evidence(bytes: &[u8]) -> Option<&'static str> {
    sniff_image(bytes).or_else(|| bytes.starts_with(b"%PDF-").then_some("application/pdf"))
}

/// Lowercase hex SHA-256 of `bytes`.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_magic_bytes_only() {
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff_image(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_image(b"RIFF\x10\0\0\0WAVEfmt "), None);
        assert_eq!(sniff_image(b"hello, I am a PNG"), None);
        assert_eq!(sniff_image(b""), None);
    }

    #[test]
    fn evidence_is_a_photo_or_a_pdf_by_content() {
        assert_eq!(sniff_evidence(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff_evidence(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff_evidence(b"PK\x03\x04 a zip"), None);
        assert_eq!(sniff_evidence(b"<html>%PDF-"), None);
    }

    #[test]
    fn sha256_is_hex_of_64_characters() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
