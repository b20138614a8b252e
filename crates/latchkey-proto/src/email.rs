//! The one email rule both sides apply, so the widget refuses exactly what the server would.

use crate::ErrorCode;

/// The longest address SMTP can carry (RFC 5321 §4.5.3.1.3 path limit less the brackets).
const MAX_EMAIL_LEN: usize = 254;

/// Trims an email address, lowercases its domain and checks its shape.
///
/// The check is deliberately loose (one `@`, a non-empty local part, a dotted domain, no spaces): the
/// only real test of an address is mail reaching it, and a strict grammar refuses real people.
pub fn normalize_email(raw: &str) -> Result<String, ErrorCode> {
    let trimmed = raw.trim();
    let (local, domain) = trimmed.rsplit_once('@').ok_or(ErrorCode::InvalidEmail)?;
    let domain_ok =
        domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains("..");
    let shape_ok = !local.is_empty() && domain_ok && !trimmed.chars().any(char::is_whitespace);
    if !shape_ok || trimmed.len() > MAX_EMAIL_LEN {
        return Err(ErrorCode::InvalidEmail);
    }
    Ok([local, "@", &domain.to_ascii_lowercase()].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_lowercases_the_domain_only() {
        assert_eq!(normalize_email("  Ada@Example.COM ").as_deref(), Ok("Ada@example.com"));
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
