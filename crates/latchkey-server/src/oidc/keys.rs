//! The provider's signing keys: made on first start and by `latchkey-server keys rotate`, read from the
//! database for every token signed or checked (so every node signs with the newest key the moment it is
//! stored), and published as a JWK Set (RFC 7517 §5).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use p256::ecdsa::{SigningKey, VerifyingKey};
use rand::RngCore;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{
    jws::{Published, Signing},
    tokens::LONGEST_TOKEN_SECS,
};
use crate::store::{KeyRow, Store, StoreError, now};

/// How long a retired key stays in the JWKS beyond the longest token lifetime: for verifiers whose clocks
/// run a little behind.
const CLOCK_SKEW_SECS: i64 = 60;

/// A new P-256 key pair, named by its RFC 7638 thumbprint.
pub fn new_key() -> KeyRow {
    let key = loop {
        let mut scalar = [0u8; 32];
        rand::rng().fill_bytes(&mut scalar);
        // Nearly every 32 random bytes are a valid scalar; zero and values past the group order are not.
        if let Ok(key) = SigningKey::from_slice(&scalar) {
            break key;
        }
    };
    let public = key.verifying_key().to_encoded_point(false).as_bytes().to_vec();
    KeyRow {
        kid: thumbprint(key.verifying_key()),
        private_key: key.to_bytes().to_vec(),
        public_key: public,
        created_at: now(),
        retired_at: None,
    }
}

/// Makes a key on first start, so the provider can sign from its first request.
pub fn ensure_key(store: &Store) -> Result<(), StoreError> {
    store.ensure_signing_key(new_key())
}

/// Replaces the key that signs with a new one; the old one stays published until every token it signed
/// has expired. Returns the new key's ID.
pub async fn rotate(store: &Store) -> Result<String, StoreError> {
    let key = new_key();
    let kid = key.kid.clone();
    store.rotate_signing_key(key, now() + LONGEST_TOKEN_SECS + CLOCK_SKEW_SECS).await?;
    Ok(kid)
}

/// The key that signs now: the newest one not retired.
pub async fn signer(store: &Store) -> Result<Signing, StoreError> {
    let keys = store.signing_keys().await?;
    let row = keys.into_iter().find(|k| k.retired_at.is_none()).ok_or_else(|| StoreError("no signing key".into()))?;
    let key = SigningKey::from_slice(&row.private_key).map_err(|_| StoreError(format!("signing key {}", row.kid)))?;
    Ok(Signing { kid: row.kid, key })
}

/// Every published key, as verifiers see them.
pub async fn published(store: &Store) -> Result<Vec<Published>, StoreError> {
    store
        .signing_keys()
        .await?
        .into_iter()
        .map(|row| {
            let key = VerifyingKey::from_sec1_bytes(&row.public_key)
                .map_err(|_| StoreError(format!("public key {}", row.kid)))?;
            Ok(Published { kid: row.kid, key })
        })
        .collect()
}

/// The JWK Set of the published keys (RFC 7517 §5, RFC 7518 §6.2.1): public members only.
pub async fn jwks(store: &Store) -> Result<Value, StoreError> {
    let keys: Vec<Value> = published(store).await?.iter().map(|k| jwk(&k.kid, &k.key)).collect();
    Ok(json!({ "keys": keys }))
}

fn jwk(kid: &str, key: &VerifyingKey) -> Value {
    let (x, y) = coordinates(key);
    json!({ "kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": kid, "use": "sig", "alg": "ES256" })
}

fn coordinates(key: &VerifyingKey) -> (String, String) {
    let point = key.to_encoded_point(false);
    let encode = |c: Option<&p256::FieldBytes>| c.map(|c| URL_SAFE_NO_PAD.encode(c)).unwrap_or_default();
    (encode(point.x()), encode(point.y()))
}

/// RFC 7638 §3.2: the SHA-256 of the required members in lexicographic order, without whitespace.
fn thumbprint(key: &VerifyingKey) -> String {
    let (x, y) = coordinates(key);
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_is_named_by_its_thumbprint_and_publishes_only_its_public_half() {
        let row = new_key();
        let public = VerifyingKey::from_sec1_bytes(&row.public_key).expect("a point");
        assert_eq!(row.kid, thumbprint(&public));
        let jwk = jwk(&row.kid, &public);
        assert_eq!(
            (jwk["kty"].as_str(), jwk["crv"].as_str(), jwk["alg"].as_str()),
            (Some("EC"), Some("P-256"), Some("ES256"))
        );
        assert!(jwk.get("d").is_none(), "no private member");
        assert_eq!(URL_SAFE_NO_PAD.decode(jwk["x"].as_str().expect("x")).expect("base64url").len(), 32);
    }
}
