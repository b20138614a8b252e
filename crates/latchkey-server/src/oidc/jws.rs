//! JSON Web Tokens signed with ES256 in the JWS compact serialization (RFC 7519 §7, RFC 7515 §7.1, RFC 7518
//! §3.4): what every token Latchkey issues is, and the one check `userinfo` makes of its own access tokens.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use p256::ecdsa::{
    Signature, SigningKey, VerifyingKey,
    signature::{Signer, Verifier},
};
use serde::Serialize;
use serde_json::{Value, json};

/// A key that signs, with the `kid` its tokens name.
pub struct Signing {
    /// The key ID in every header, which tells a verifier which JWKS entry to use.
    pub kid: String,
    /// The P-256 private key.
    pub key: SigningKey,
}

/// A published public key.
pub struct Published {
    /// Its key ID.
    pub kid: String,
    /// The P-256 public key.
    pub key: VerifyingKey,
}

/// Why a token was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not three base64url parts of JSON, or not ES256 with our header.
    Malformed,
    /// Its `kid` is not published (never was, or the key has been removed).
    UnknownKey,
    /// The signature does not verify.
    BadSignature,
}

/// Signs `claims` as a JWT whose header says `typ` (`JWT`, or `at+jwt` for an RFC 9068 access token).
pub fn sign(key: &Signing, typ: &str, claims: &impl Serialize) -> String {
    let header = json!({ "alg": "ES256", "typ": typ, "kid": key.kid });
    let signing_input = format!("{}.{}", encode_json(&header), encode_json(&claims));
    // RFC 7518 §3.4: the signature is R and S, 32 bytes each, concatenated (not DER).
    let signature: Signature = key.key.sign(signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

/// Verifies a JWT of type `typ` against the published keys and returns its claims (RFC 7515 §5.2). The
/// type keeps one kind of token from passing for another (RFC 8725 §3.11: an ID token is not an access
/// token); the claims themselves (`exp`, `iss`, …) are the caller's to check.
pub fn verify(token: &str, typ: &str, keys: &[Published]) -> Result<Value, Refused> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refused::Malformed);
    };
    let header = decode_json(header)?;
    // RFC 8725 §3.1: the algorithm is ours to decide, never the token's.
    if header["alg"] != "ES256" || header["typ"] != typ {
        return Err(Refused::Malformed);
    }
    let kid = header["kid"].as_str().ok_or(Refused::Malformed)?;
    let key = keys.iter().find(|k| k.kid == kid).ok_or(Refused::UnknownKey)?;
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| Refused::Malformed)?;
    let signature = Signature::from_slice(&signature).map_err(|_| Refused::Malformed)?;
    let signing_input = &token[..header_and_payload_len(token)];
    key.key.verify(signing_input.as_bytes(), &signature).map_err(|_| Refused::BadSignature)?;
    decode_json(payload)
}

fn header_and_payload_len(token: &str) -> usize {
    token.rfind('.').unwrap_or(0)
}

fn encode_json(value: &impl Serialize) -> String {
    // Serializing plain claims cannot fail: they have string keys and no maps of other keys.
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap_or_default())
}

fn decode_json(part: &str) -> Result<Value, Refused> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| Refused::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| Refused::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kid: &str, seed: u8) -> (Signing, Published) {
        let key = SigningKey::from_slice(&[seed; 32]).expect("a valid scalar");
        let public = *key.verifying_key();
        (Signing { kid: kid.into(), key }, Published { kid: kid.into(), key: public })
    }

    #[test]
    fn a_signed_token_verifies_and_says_what_was_signed() {
        let (signing, published) = key("k1", 7);
        let token = sign(&signing, "JWT", &json!({ "sub": "ada" }));
        let header = decode_json(token.split('.').next().expect("header")).expect("json");
        assert_eq!(header, json!({ "alg": "ES256", "typ": "JWT", "kid": "k1" }));
        assert_eq!(verify(&token, "JWT", std::slice::from_ref(&published)).expect("verifies")["sub"], "ada");
        assert_eq!(verify(&token, "at+jwt", &[published]), Err(Refused::Malformed), "another type of token");
    }

    #[test]
    fn a_changed_claim_another_key_or_alg_none_is_refused() {
        let (signing, published) = key("k1", 7);
        let (_, other) = key("k1", 8);
        let token = sign(&signing, "JWT", &json!({ "sub": "ada" }));
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], encode_json(&json!({ "sub": "eve" })), parts[2]);
        assert_eq!(verify(&forged, "JWT", std::slice::from_ref(&published)), Err(Refused::BadSignature));
        assert_eq!(verify(&token, "JWT", &[other]), Err(Refused::BadSignature));
        let none = format!("{}.{}.", encode_json(&json!({ "alg": "none", "kid": "k1" })), parts[1]);
        assert_eq!(verify(&none, "JWT", std::slice::from_ref(&published)), Err(Refused::Malformed));
        let (_, removed) = key("k2", 7);
        assert_eq!(verify(&token, "JWT", &[removed]), Err(Refused::UnknownKey));
    }
}
