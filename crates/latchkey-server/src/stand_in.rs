//! Stand-in answers for emails without an account, so identifier-first sign-in does not reveal which
//! emails have one (account enumeration).
//!
//! An unknown email gets what a real account could get: either request options listing passkeys, or no
//! passkey (the password field). Both are derived from the email with HMAC-SHA-256 under a server
//! secret, so asking twice gives the same answer, as it would for a real account, and no one without
//! the secret can tell the stand-ins from real credential IDs.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::passkey::Descriptor;

/// `internal` and `hybrid`, in `webauthn_rp`'s transport encoding: what a platform passkey reports.
const PLATFORM_TRANSPORTS: u8 = 0x4 | 0x2;

/// Credential ID lengths seen from common providers (16 for Google Password Manager and Chrome, 20 for
/// iCloud Keychain, 32 for others), so a stand-in's length is unremarkable.
const ID_LENGTHS: [usize; 3] = [16, 20, 32];

/// The stand-in passkeys of an email without an account; `None` for the share of emails that look
/// like accounts with a password and no passkey.
pub fn credentials(secret: &[u8], email: &str) -> Option<Vec<Descriptor>> {
    // The account lookup folds ASCII case only (COLLATE NOCASE), so the stand-in folds exactly that:
    // folding more (the Kelvin sign to `k`) would give an unknown email the stand-in of a real one's
    // spelling, and a real account's answer would then differ from it.
    let email = &email.to_ascii_lowercase();
    let digest = keyed(secret, b"shape", email);
    // About one email in four looks like a password-only account.
    if digest[0] < 64 {
        return None;
    }
    let count = 1 + usize::from(digest[1].is_multiple_of(4));
    let credentials = (0..count)
        .map(|index| {
            let id = keyed(secret, &[b'i', b'd', index as u8], email);
            let len = ID_LENGTHS[usize::from(digest[2 + index]) % ID_LENGTHS.len()];
            (id[..len].to_vec(), PLATFORM_TRANSPORTS)
        })
        .collect();
    Some(credentials)
}

/// HMAC-SHA-256 of `label` and the email, stretched to 64 bytes so IDs up to 32 bytes have room.
fn keyed(secret: &[u8], label: &[u8], email: &str) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (half, chunk) in out.chunks_mut(32).enumerate() {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else { return out };
        mac.update(label);
        mac.update(&[half as u8]);
        mac.update(email.as_bytes());
        chunk.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_are_stable_per_email_and_differ_between_emails() {
        let secret = [7u8; 32];
        let emails: Vec<String> = (0..200).map(|i| format!("person{i}@example.com")).collect();
        let answers: Vec<_> = emails.iter().map(|e| credentials(&secret, e)).collect();
        for (email, answer) in emails.iter().zip(&answers) {
            assert_eq!(&credentials(&secret, email), answer, "stable for {email}");
        }
        let password_only = answers.iter().filter(|a| a.is_none()).count();
        assert!((20..=80).contains(&password_only), "about a quarter look password-only: {password_only}");
        for ids in answers.iter().flatten() {
            assert!(ids.iter().all(|(id, _)| ID_LENGTHS.contains(&id.len())));
        }
    }

    #[test]
    fn case_folds_as_the_database_does_ascii_only() {
        let secret = [3u8; 32];
        assert_eq!(credentials(&secret, "Kim@Example.com"), credentials(&secret, "kim@example.com"));
        let kelvin = credentials(&secret, "\u{212A}im@example.com");
        assert!(kelvin.is_none() || kelvin != credentials(&secret, "kim@example.com"));
    }

    #[test]
    fn another_secret_gives_other_credential_ids() {
        let email = (0..).map(|i| format!("p{i}@example.com")).find(|e| credentials(&[1; 32], e).is_some());
        let email = email.expect("some email has stand-in passkeys");
        let ids = |secret: &[u8]| {
            credentials(secret, &email).unwrap_or_default().into_iter().map(|c| c.0).collect::<Vec<_>>()
        };
        assert_ne!(ids(&[1; 32]), ids(&[2; 32]));
    }
}
