//! Passwords: the rules a new one must meet, and argon2id hashing and verification.
//!
//! The rules follow NIST SP 800-63B §3.1.1.2: a length range, no composition rules, and a check against
//! common and easily guessed passwords (zxcvbn's estimate). Passwords are never logged: they live only
//! in the request body and in these functions' arguments.

use std::sync::OnceLock;

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::{SaltString, rand_core::OsRng},
};
use latchkey_proto::ErrorCode;

/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 8;
/// Most characters a password may have; longer ones only cost hashing time.
pub const MAX_CHARS: usize = 128;
/// Lowest zxcvbn score accepted. 2 refuses what falls to 10^6 guesses (dictionary words, common
/// passwords, keyboard runs, names with digits) yet accepts any 8 random characters, which zxcvbn rates
/// at 10^8: a higher bar would quietly raise the minimum length above 8.
const MIN_SCORE: u8 = 2;

/// argon2id with OWASP's first recommended setting: 19 MiB of memory, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    match Params::new(19 * 1024, 2, 1, None) {
        Ok(params) => Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
        Err(_) => Argon2::default(),
    }
}

/// The characters of a password zxcvbn looks at. Its matching grows much faster than the length (a
/// 128-character string of digits and punctuation takes it about a second), and no common password is
/// longer than this, so a longer one is judged by its start: the cost of a request stays bounded.
pub const STRENGTH_CHARS: usize = 40;

/// Checks a new password's length: at once, before any costly work.
pub fn check_length(password: &str) -> Result<(), ErrorCode> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(ErrorCode::PasswordTooShort);
    }
    if chars > MAX_CHARS {
        return Err(ErrorCode::PasswordTooLong);
    }
    Ok(())
}

/// Checks that a new password is not common or easily guessed (zxcvbn's estimate of its first
/// [`STRENGTH_CHARS`] characters); `context` holds words an attacker would try first (the email
/// address, the site's name). Call it off the async workers: it takes up to tens of milliseconds.
pub fn check_strength(password: &str, context: &[&str]) -> Result<(), ErrorCode> {
    let cut = |text: &str| text.chars().take(STRENGTH_CHARS).collect::<String>();
    let judged = cut(password);
    // The context is cut the same way, so a long email still matches a password made of it.
    let context: Vec<String> = context.iter().map(|word| cut(word)).collect();
    let context: Vec<&str> = context.iter().map(String::as_str).collect();
    if u8::from(zxcvbn::zxcvbn(&judged, &context).score()) < MIN_SCORE {
        return Err(ErrorCode::PasswordTooCommon);
    }
    Ok(())
}

/// Hashes a password into a PHC string with a fresh random salt.
pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Verifies a password against a stored hash. Without one (unknown email, or an account with no
/// password) it verifies against a dummy hash and fails, so the answer takes as long either way.
pub fn verify(stored: Option<&str>, password: &str) -> bool {
    let candidate = match stored {
        Some(stored) => stored,
        None => dummy_hash(),
    };
    let matches =
        PasswordHash::new(candidate).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok());
    matches && stored.is_some()
}

/// A hash of a random password, made once, with the same parameters as real hashes.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let random = SaltString::generate(&mut OsRng);
        hash(random.as_str()).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds_count_characters_not_bytes() {
        assert_eq!(check_length("short1!"), Err(ErrorCode::PasswordTooShort));
        assert_eq!(check_length(&"é".repeat(129)), Err(ErrorCode::PasswordTooLong));
        // 8 two-byte characters are 8 characters: long enough, and not a dictionary word.
        assert_eq!((check_length("ßøæþðŋħĸ"), check_strength("ßøæþðŋħĸ", &[])), (Ok(()), Ok(())));
    }

    #[test]
    fn a_long_password_is_judged_by_its_start() {
        // Weak at the start stays weak however it goes on; strong at the start is strong.
        let weak_start = format!("{}{}", "password".repeat(5), "x7#Qm!2v");
        assert_eq!(check_strength(&weak_start, &[]), Err(ErrorCode::PasswordTooCommon));
        let strong: String = "velvet-anchor-tulip-92-".chars().cycle().take(MAX_CHARS).collect();
        assert_eq!(check_strength(&strong, &[]), Ok(()));
        let long_email = "ada.augusta.lovelace.countess.of.lovelace@example.com";
        assert_eq!(check_strength(long_email, &[long_email]), Err(ErrorCode::PasswordTooCommon), "still the email");
    }

    #[test]
    fn common_and_guessable_passwords_are_refused() {
        for weak in ["password", "password123", "12345678", "qwertyuiop", "iloveyou1"] {
            assert_eq!(check_strength(weak, &[]), Err(ErrorCode::PasswordTooCommon), "{weak}");
        }
        assert_eq!(check_strength("ada.lovelace1", &["ada.lovelace"]), Err(ErrorCode::PasswordTooCommon));
    }

    #[test]
    fn no_composition_rules_for_strong_passwords() {
        for strong in ["correct horse battery staple", "velvet-anchor-tulip-92", "Tr0ub4dor&3xyzzyq"] {
            assert_eq!(check_strength(strong, &[]), Ok(()), "{strong}");
        }
    }

    #[test]
    fn hashes_are_argon2id_with_the_chosen_cost_and_verify() {
        let stored = hash("velvet-anchor-tulip-92").expect("hashes");
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(verify(Some(&stored), "velvet-anchor-tulip-92"));
        assert!(!verify(Some(&stored), "velvet-anchor-tulip-93"));
        assert!(!verify(None, "velvet-anchor-tulip-92"));
    }
}
