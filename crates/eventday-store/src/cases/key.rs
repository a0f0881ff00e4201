//! The key that encrypts consumers' names and phones at rest (ChaCha20-Poly1305, RustCrypto).
//!
//! Each value is sealed with a fresh random 96-bit nonce and bound to its row and column (the
//! associated data), so a ciphertext copied to another case does not open. Stored as
//! `v1:` + hex(nonce ‖ ciphertext ‖ tag).

use crate::error::StoreError;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use std::sync::OnceLock;

/// A 256-bit key. Its `Debug` never shows the bytes.
#[derive(Clone)]
pub struct CaseKey([u8; 32]);

impl std::fmt::Debug for CaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaseKey(<redacted>)")
    }
}

fn crypto_err(what: &str) -> StoreError {
    StoreError::Io(format!("case data encryption: {what}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

impl CaseKey {
    /// Reads a key written as 64 hexadecimal characters (what `EVENTDAY_CASE_KEY` and the
    /// generated key file hold).
    ///
    /// # Errors
    /// A message (without the value) when it is not 64 hexadecimal characters.
    pub fn from_hex(text: &str) -> Result<Self, String> {
        let bytes = unhex(text.trim()).ok_or("the case key must be 64 hexadecimal characters")?;
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "the case key must be 64 hexadecimal characters (32 bytes)".to_owned())?;
        Ok(CaseKey(arr))
    }

    /// A new random key.
    ///
    /// # Errors
    /// When the system has no randomness.
    pub fn generate() -> Result<Self, StoreError> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k).map_err(|_| crypto_err("no randomness available"))?;
        Ok(CaseKey(k))
    }

    /// The key as 64 hexadecimal characters, for writing the key file (never for logs).
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// A key for this process only (tests and servers started without a configured key never
    /// reach here through the binary, which always configures one).
    ///
    /// # Errors
    /// When the system has no randomness.
    pub fn process_key() -> Result<&'static CaseKey, StoreError> {
        static KEY: OnceLock<Option<CaseKey>> = OnceLock::new();
        KEY.get_or_init(|| CaseKey::generate().ok())
            .as_ref()
            .ok_or_else(|| crypto_err("no randomness available"))
    }

    /// Seals `plain`, bound to `aad` (row and column).
    ///
    /// # Errors
    /// No randomness, or the cipher failed.
    pub fn seal(&self, aad: &str, plain: &str) -> Result<String, StoreError> {
        let cipher = ChaCha20Poly1305::new(&Key::from(self.0));
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|_| crypto_err("no randomness available"))?;
        let ct = cipher
            .encrypt(&Nonce::from(nonce), Payload { msg: plain.as_bytes(), aad: aad.as_bytes() })
            .map_err(|_| crypto_err("sealing failed"))?;
        let mut all = nonce.to_vec();
        all.extend_from_slice(&ct);
        Ok(format!("v1:{}", hex(&all)))
    }

    /// Opens a value [`seal`](Self::seal)ed with this key and `aad`.
    ///
    /// # Errors
    /// A malformed value, another key or another row (the tag does not match).
    pub fn open(&self, aad: &str, sealed: &str) -> Result<String, StoreError> {
        let bytes =
            sealed.strip_prefix("v1:").and_then(unhex).ok_or_else(|| crypto_err("malformed value"))?;
        if bytes.len() < 12 + 16 {
            return Err(crypto_err("malformed value"));
        }
        let (nonce, ct) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| crypto_err("malformed value"))?;
        let cipher = ChaCha20Poly1305::new(&Key::from(self.0));
        let plain = cipher
            .decrypt(&Nonce::from(nonce), Payload { msg: ct, aad: aad.as_bytes() })
            .map_err(|_| crypto_err("the value does not open with the configured key"))?;
        String::from_utf8(plain).map_err(|_| crypto_err("malformed value"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_row() -> Result<(), StoreError> {
        let k = CaseKey::generate()?;
        let s = k.seal("complaint_cases:1:phone", "13812341234")?;
        assert!(!s.contains("13812341234"));
        assert_eq!(k.open("complaint_cases:1:phone", &s)?, "13812341234");
        assert!(k.open("complaint_cases:2:phone", &s).is_err());
        assert!(CaseKey::generate()?.open("complaint_cases:1:phone", &s).is_err());
        assert_eq!(format!("{k:?}"), "CaseKey(<redacted>)");
        assert_eq!(CaseKey::from_hex(&k.to_hex()).map(|x| x.0), Ok(k.0));
        assert!(CaseKey::from_hex("abc").is_err());
        Ok(())
    }
}
