//! Random secrets, their stored hashes, and password hashing (argon2id off the async runtime).

use super::db_err;
use crate::error::StoreError;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// A new random secret: 32 bytes from the OS, hex encoded.
///
/// # Errors
/// When the operating system's random source fails.
pub fn random_secret() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| db_err(format!("no randomness available: {e}")))?;
    Ok(hex(&bytes))
}

/// A random password people can type: 16 characters without look-alikes (about 90 bits).
///
/// # Errors
/// When the operating system's random source fails.
pub fn random_password() -> Result<String, StoreError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| db_err(format!("no randomness available: {e}")))?;
    // 256 % 55 leaves a slight bias; irrelevant at this length.
    Ok(bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// SHA-256 of a secret, hex: what the database keeps instead of the secret.
#[must_use]
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Compares two strings in time independent of where they differ.
#[must_use]
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hashes a password with argon2id (default parameters) on a blocking thread.
///
/// # Errors
/// When hashing fails or the blocking task is lost.
pub async fn hash_password(password: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || {
        argon2::Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| db_err(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| db_err(format!("password hashing task failed: {e}")))?
}

/// A hash of a password nobody knows, verified against when the login is unknown so that an
/// unknown login costs the same time as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        argon2::Argon2::default()
            .hash_password(b"no such user; this hash only burns time")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Computes the dummy hash ahead of the first login, so that the first unknown login does not
/// take longer than a wrong password (call once at start-up).
pub async fn warm_up() {
    let _ = tokio::task::spawn_blocking(|| dummy_hash().len()).await;
}

/// Checks a password against a stored hash (or against a dummy hash when `hash` is `None`,
/// which always fails) on a blocking thread.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = argon2::Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok();
        ok && known
    })
    .await
    .unwrap_or(false)
}
