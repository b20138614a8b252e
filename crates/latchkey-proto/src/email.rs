//! The one email rule both sides apply, so the widget refuses exactly what the server would.

use crate::ErrorCode;

/// The longest address SMTP can carry (RFC 5321 §4.5.3.1.3 path limit less the brackets).
const MAX_EMAIL_LEN: usize = 254;

/// Whether a trimmed email address has the shape of one: one `@` before a dotted domain, a non-empty
/// local part, no spaces, at most 254 bytes.
///
/// The check is deliberately loose: the only real test of an address is mail reaching it, and a strict
/// grammar refuses real people. The widget runs this check before any request; the server runs it again
/// through [`normalize_email`].
pub fn is_plausible_email(trimmed: &str) -> bool {
    let Some((local, domain)) = trimmed.rsplit_once('@') else { return false };
    // A byte-pair scan rather than `contains("..")`: the substring searcher would add kilobytes to the
    // widget's WASM for a two-byte pattern.
    let empty_label = domain.as_bytes().windows(2).any(|pair| pair == b"..");
    let domain_ok = domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !empty_label;
    !local.is_empty() && domain_ok && !trimmed.contains(char::is_whitespace) && trimmed.len() <= MAX_EMAIL_LEN
}

/// Trims an email address, checks its shape and lowercases its domain, giving the form accounts are
/// stored and compared in.
pub fn normalize_email(raw: &str) -> Result<String, ErrorCode> {
    let trimmed = raw.trim();
    match trimmed.rsplit_once('@') {
        Some((local, domain)) if is_plausible_email(trimmed) => Ok([local, "@", &domain.to_ascii_lowercase()].concat()),
        _ => Err(ErrorCode::InvalidEmail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_lowercases_the_domain_only() {
        assert_eq!(normalize_email("  Ada@Example.COM ").as_deref(), Ok("Ada@example.com"));
    }

    #[test]
    fn the_shape_check_agrees_with_normalization() {
        for text in ["ada@example.com", "ada@example", "a b@example.com", "@example.com", "Ada@Example.COM"] {
            assert_eq!(is_plausible_email(text), normalize_email(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn refuses_what_cannot_be_an_address() {
        for bad in ["", "ada", "@example.com", "ada@", "ada@example", "ada@.com", "a b@example.com", "ada@ex..com"] {
            assert_eq!(normalize_email(bad), Err(ErrorCode::InvalidEmail), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(normalize_email(&long), Err(ErrorCode::InvalidEmail));
    }
}
