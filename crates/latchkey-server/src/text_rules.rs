//! The one rule each for the text people type (email addresses, display names, passkey names), applied
//! on every path that takes it, so an account made one way can do everything any other account can.

use std::borrow::Cow;

use latchkey_proto::{ErrorCode, normalize_email};
use unicode_normalization::UnicodeNormalization;
use webauthn_rp::request::register::{Nickname, Username};

/// The longest display name or passkey name we keep, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// An email address as accounts store it, or `invalid_email`.
///
/// Three checks, each the strictest of its kind: the shape both sides share ([`normalize_email`]); the
/// WebAuthn user name rule (RFC 8265's UsernameCasePreserved, which passkey sign-up applies), asked to
/// leave the address unchanged, so the name a passkey carries is the account's address and a width or
/// compatibility variant (`ａda@`) is refused rather than folded into another spelling; and the mailer's
/// own parser, so no address is accepted that mail could not be sent to. (Accounts are matched ignoring
/// ASCII case; an IDN domain written as Unicode and as `xn--` is not yet folded to one form.)
pub fn email(raw: &str) -> Result<String, ErrorCode> {
    let email = normalize_email(raw)?;
    let same_as_user_name = Username::try_from(email.as_str()).is_ok_and(|name| name.as_ref() == email);
    if same_as_user_name && email.parse::<lettre::Address>().is_ok() { Ok(email) } else { Err(ErrorCode::InvalidEmail) }
}

/// A name as RFC 8266's Nickname rule (which the passkey's user entity applies) writes it (spaces
/// trimmed and runs of them made one, compatibility forms folded), of 1 to [`MAX_NAME_CHARS`]
/// characters and without control characters; else `invalid_display_name`.
pub fn name(raw: &str) -> Result<String, ErrorCode> {
    let prepared = nickname_mapped(raw).ok_or(ErrorCode::InvalidDisplayName)?;
    let name = Nickname::try_from(prepared.as_str()).map(|nickname| Cow::from(nickname).into_owned());
    match name {
        Ok(name) if !name.is_empty() && name.chars().count() <= MAX_NAME_CHARS => Ok(name),
        _ => Err(ErrorCode::InvalidDisplayName),
    }
}

/// How many rounds of mapping a name may need before it stops changing (RFC 8264 §7 asks for a
/// string that one more round leaves as it is; real names need one, rare compositions two).
const MAX_MAPPING_ROUNDS: usize = 4;

/// RFC 8266 §2.2's mapping, steps 1 and 3 (spaces, then NFKC), repeated until the text no longer
/// changes, as the Nickname profile's enforcement does; `None` if it never settles. The profile then
/// finds nothing left to map and only checks the code points. This is done here because
/// precis-profiles 0.1.13, under webauthn_rp's `Nickname`, slices the text at a character count as if
/// it were a byte offset while it trims spaces, and panics on any name with a non-ASCII letter before
/// a space it removes (`"José "`, `"Ξ "`: found by the `text_rules` fuzz target). Conjoining jamo that
/// NFKC composes are the one input taken here that the profile alone refuses; they are taken composed.
fn nickname_mapped(raw: &str) -> Option<String> {
    let mut text = spaces_folded(raw);
    for _ in 0..MAX_MAPPING_ROUNDS {
        let next = spaces_folded(&text.nfkc().collect::<String>());
        if next == text {
            return Some(text);
        }
        text = next;
    }
    None
}

/// RFC 8266 §2.2 step 1: every space separator (Unicode `Zs`) becomes an ASCII space, those at either
/// end go, and a run of them becomes one.
fn spaces_folded(text: &str) -> String {
    text.split(is_space_separator).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Whether `c` is in Unicode's `Zs` (space separator) category.
fn is_space_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_addresses_of_the_review_are_refused_on_every_path() {
        for bad in [
            "ad\u{202e}a@example.com",
            "ad\u{0}a@example.com",
            "a\u{200b}da@example.com",
            "ada\u{1f600}@example.com",
            "x<evil@evil.com>@example.com",
            "a@example.com,b@evil.com",
            &format!("{}@example.com", "a".repeat(242)),
        ] {
            assert_eq!(email(bad), Err(ErrorCode::InvalidEmail), "{bad:?}");
        }
    }

    #[test]
    fn ordinary_and_international_addresses_are_kept() {
        assert_eq!(email(" Ada@Example.com ").as_deref(), Ok("Ada@example.com"));
        assert_eq!(email("jürgen@müller.de").as_deref(), Ok("jürgen@müller.de"));
    }

    #[test]
    fn an_address_the_user_name_rule_would_rewrite_is_refused() {
        // A fullwidth `ａ` would be mapped to `a`, making a second spelling of `ada@example.com`.
        assert_eq!(email("\u{ff41}da@example.com"), Err(ErrorCode::InvalidEmail));
    }

    #[test]
    fn names_are_trimmed_and_refused_for_their_real_reason() {
        assert_eq!(name("  Ada   Lovelace ").as_deref(), Ok("Ada Lovelace"));
        for bad in ["", "   ", "Ada\u{7}", "Ada\u{202e}", &"a".repeat(65)] {
            assert_eq!(name(bad), Err(ErrorCode::InvalidDisplayName), "{bad:?}");
        }
        assert!(name(&"é".repeat(64)).is_ok());
    }

    #[test]
    fn a_non_ascii_name_with_spaces_to_trim_is_trimmed() {
        // The first two panic in precis-profiles 0.1.13 alone (the fuzzer found `"Ξ "`): the trailing
        // space is found by character count and cut as a byte offset, inside the letter before it.
        assert_eq!(name("Ξ ").as_deref(), Ok("Ξ"));
        assert_eq!(name("José ").as_deref(), Ok("José"));
        assert_eq!(name("Jürgen  Müller").as_deref(), Ok("Jürgen Müller"));
        assert_eq!(name("ΞΞ \u{a8}").as_deref(), Ok("ΞΞ \u{308}"), "NFKC's space (of U+00A8) is kept once");
        assert_eq!(name("山田\u{3000}太郎").as_deref(), Ok("山田 太郎"), "an ideographic space becomes ASCII");
    }
}
