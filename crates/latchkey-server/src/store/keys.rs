//! The keys tokens are signed with (the `signing_keys` table): made on first start, rotated by the
//! administrator, and published until the tokens they signed have expired.

use super::{Store, StoreError};

/// A stored ES256 key pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRow {
    /// Its `kid`: the RFC 7638 thumbprint of the public key.
    pub kid: String,
    /// The P-256 private scalar.
    pub private_key: Vec<u8>,
    /// The uncompressed SEC1 public point.
    pub public_key: Vec<u8>,
    /// When it was made.
    pub created_at: i64,
    /// When a newer key replaced it; `None` for the key that signs.
    pub retired_at: Option<i64>,
}

impl Store {
    /// The published keys (the one that signs and the retired ones still in the JWKS), newest first.
    pub async fn signing_keys(&self) -> Result<Vec<KeyRow>, StoreError> {
        on_backend!(self.signing_keys())
    }

    /// Stores `key` unless a key that signs exists already: on first start, before the server serves.
    pub fn ensure_signing_key(&self, key: KeyRow) -> Result<(), StoreError> {
        on_backend!(self.ensure_signing_key(key) sync)
    }

    /// Makes `key` the one that signs: in one transaction, the keys that signed so far retire (kept in the
    /// JWKS until `published_until`) and `key` is added.
    pub async fn rotate_signing_key(&self, key: KeyRow, published_until: i64) -> Result<(), StoreError> {
        on_backend!(self.rotate_signing_key(key, published_until))
    }
}
