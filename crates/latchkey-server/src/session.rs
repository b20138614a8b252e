//! Server-side sessions: a random secret in an `HttpOnly` cookie, its SHA-256 in the database.

use axum::http::{HeaderMap, HeaderValue, header};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use latchkey_proto::{AuthMethod, ErrorCode};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// Cookie name over https: the `__Host-` prefix makes browsers refuse it unless it is `Secure`, has
/// `Path=/` and no `Domain`, so no sibling subdomain can plant or read it.
const SECURE_COOKIE: &str = "__Host-latchkey";
/// Cookie name over plain http (the localhost demo), where `__Host-` cookies cannot be set.
const PLAIN_COOKIE: &str = "latchkey";

/// A new secret (a session ID, a reset link's token) and what to store about it.
pub struct NewSecret {
    /// The secret that goes to the browser: in the cookie, or in the mailed link.
    pub secret: String,
    /// What the database keeps: the secret's SHA-256, so a leaked database holds nothing usable.
    pub id_hash: Vec<u8>,
}

/// Makes a fresh 256-bit secret, base64url. Every sign-in gets a new one, so a session ID planted before
/// sign-in is never promoted (session fixation); reset links use the same kind.
pub fn new_secret() -> NewSecret {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let id_hash = hash_secret(&secret);
    NewSecret { secret, id_hash }
}

/// The SHA-256 of a session secret, as stored.
pub fn hash_secret(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Whether `secret` is the one whose hash is `stored`, in time that does not depend on where they differ.
pub fn matches_hash(secret: &str, stored: &[u8]) -> bool {
    same_bytes(&hash_secret(secret), stored)
}

/// Compares two byte strings of public length without stopping at the first difference.
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

fn cookie_name(https: bool) -> &'static str {
    if https { SECURE_COOKIE } else { PLAIN_COOKIE }
}

/// The `Set-Cookie` value that stores a session secret.
pub fn set_cookie(secret: &str, https: bool, max_age_secs: u64) -> Result<HeaderValue, ApiError> {
    cookie(secret, https, max_age_secs)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(https: bool) -> HeaderValue {
    // Only a secret could make the header invalid, and this one has none.
    cookie("", https, 0).unwrap_or(HeaderValue::from_static("latchkey=; Path=/; Max-Age=0"))
}

fn cookie(value: &str, https: bool, max_age_secs: u64) -> Result<HeaderValue, ApiError> {
    let secure = if https { "; Secure" } else { "" };
    let text =
        format!("{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}", cookie_name(https));
    HeaderValue::from_str(&text).map_err(|e| ApiError::with_detail(ErrorCode::Internal, e.to_string()))
}

/// The session secret a request carries, if any.
pub fn secret_from(headers: &HeaderMap, https: bool) -> Option<String> {
    let name = cookie_name(https);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Encodes authentication methods for the `sessions.methods` column.
pub fn encode_methods(methods: &[AuthMethod]) -> String {
    serde_json::to_string(methods).unwrap_or_else(|_| "[]".into())
}

/// Decodes the `sessions.methods` column; an unreadable value shows as no methods rather than failing.
pub fn decode_methods(text: &str) -> Vec<AuthMethod> {
    serde_json::from_str(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_cookies_use_the_host_prefix_and_secure() {
        let value = set_cookie("abc", true, 60).expect("valid cookie");
        let text = value.to_str().expect("ascii");
        assert!(text.starts_with("__Host-latchkey=abc; Path=/; HttpOnly; SameSite=Lax"));
        assert!(text.ends_with("; Secure"));
        assert!(!set_cookie("abc", false, 60).expect("valid cookie").to_str().expect("ascii").contains("Secure"));
    }

    #[test]
    fn the_secret_is_read_back_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; latchkey=s3cret; b=2"));
        assert_eq!(secret_from(&headers, false).as_deref(), Some("s3cret"));
        assert_eq!(secret_from(&headers, true), None);
    }

    #[test]
    fn secrets_are_fresh_and_stored_hashed() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.id_hash, hash_secret(&a.secret));
        assert_eq!(a.id_hash.len(), 32);
    }
}
