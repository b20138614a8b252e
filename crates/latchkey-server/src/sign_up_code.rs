//! Sign-up codes (`email_verification = "before_sign_up"`): six digits mailed to the address a sign-up
//! names, exchanged once for a proof that the sign-up presents and that creating the account uses up.
//!
//! Six digits are few, so a code is worth guessing only while it lives (15 minutes), only for the
//! address it was mailed to, and only within the wrong-code limits of `limits.rs`; every code request
//! mails the address's owner, who would notice someone asking for codes.

use rand::Rng;
use sha2::{Digest, Sha256};

/// How long a mailed code works: 15 minutes.
pub const CODE_SECS: i64 = 15 * 60;

/// How long the proof a code is exchanged for works: 30 minutes, enough to make a passkey or choose a
/// password.
pub const PROOF_SECS: i64 = 30 * 60;

/// Digits in a code.
const DIGITS: usize = 6;

/// A fresh code, uniform over the six-digit numbers.
pub fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// The code as typed, without the spaces or dashes people add when they copy it; `None` when it is
/// not six digits (no code, so no guess to count).
pub fn typed(code: &str) -> Option<String> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// What is stored of a code: the SHA-256 of the address (ASCII-lowercased, as accounts are looked up)
/// and the code, so a code works only for the address it was mailed to.
pub fn code_hash(email: &str, code: &str) -> Vec<u8> {
    Sha256::new()
        .chain_update("latchkey sign-up code\0")
        .chain_update(email.to_ascii_lowercase())
        .chain_update([0])
        .chain_update(code)
        .finalize()
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_typed_ones_are_read_leniently() {
        let code = new_code();
        assert_eq!(typed(&code), Some(code.clone()));
        assert_eq!(typed(" 123 456 "), Some("123456".into()));
        assert_eq!(typed("123-456"), Some("123456".into()));
        assert_eq!(typed("12345"), None);
        assert_eq!(typed("12345a"), None);
        assert_eq!(typed("１２３４５６"), None, "only ASCII digits");
    }

    #[test]
    fn a_code_is_bound_to_its_address_whatever_its_case() {
        assert_eq!(code_hash("Kim@Example.com", "123456"), code_hash("kim@example.com", "123456"));
        assert_ne!(code_hash("kim@example.com", "123456"), code_hash("ann@example.com", "123456"));
    }
}
