//! The one email rule both sides apply, so the widget refuses exactly what the server would.

use crate::ErrorCode;

/// The longest address SMTP can carry (RFC 5321 §4.5.3.1.3 path limit less the brackets).
const MAX_EMAIL_LEN: usize = 254;

/// The longest local part SMTP must accept (RFC 5321 §4.5.3.1.1).
const MAX_LOCAL_LEN: usize = 64;

/// The longest label of a domain name (RFC 1035 §2.3.4).
const MAX_LABEL_LEN: usize = 63;

/// Whether a trimmed email address has the shape of one a mailbox can have:
/// - exactly one `@`, with a local part of 1 to 64 bytes and the whole at most 254 (RFC 5321 §4.5.3.1);
/// - a local part of dot-separated atoms (RFC 5322 §3.2.3 `dot-atom`): no quoting, no spaces, none of the
///   specials `"(),:;<>[\]` that would let one string name a second address (`x<evil@evil.com>@…`,
///   `a@example.com,b@evil.com`);
/// - a domain of at least two labels, each 1 to 63 bytes, not starting or ending with `-`;
/// - nowhere a control character, nor one of the invisible or direction-changing characters that make an
///   address look like another (`ad\u{202e}a@…`, a zero-width space in `ada@`).
///
/// Non-ASCII letters stay allowed (RFC 6531): the server applies its stricter identifier rule on top. The
/// widget runs this check before any request; the server runs it again through [`normalize_email`].
pub fn is_plausible_email(trimmed: &str) -> bool {
    let Some((local, domain)) = trimmed.rsplit_once('@') else { return false };
    trimmed.len() <= MAX_EMAIL_LEN
        && local.len() <= MAX_LOCAL_LEN
        && domain.contains('.')
        && is_dotted(local, Part::Local)
        && is_dotted(domain, Part::Domain)
}

/// The two parts of an address, whose labels have different rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Before the `@`: RFC 5322 atoms.
    Local,
    /// After it: RFC 1035 labels (or IDN ones).
    Domain,
}

/// Whether `text` is non-empty labels separated by single dots, each of characters `part` allows; a
/// domain label is also at most 63 bytes and neither starts nor ends with `-`. One pass, no iterator
/// adapters: this runs in the widget, where every generic instance costs bytes.
fn is_dotted(text: &str, part: Part) -> bool {
    let domain = part == Part::Domain;
    let mut label_len = 0;
    let mut previous = '.';
    for c in text.chars() {
        if c == '.' {
            if label_len == 0 || (domain && previous == '-') {
                return false;
            }
            label_len = 0;
        } else {
            let allowed = if c.is_ascii() {
                c.is_ascii_alphanumeric() || c == '-' || (!domain && is_atom_special(c))
            } else {
                is_visible(c)
            };
            label_len += c.len_utf8();
            if !allowed || (domain && ((c == '-' && previous == '.') || label_len > MAX_LABEL_LEN)) {
                return false;
            }
        }
        previous = c;
    }
    label_len > 0 && !(domain && previous == '-')
}

/// The `atext` characters of RFC 5322 §3.2.3 besides letters, digits and `-`.
fn is_atom_special(c: char) -> bool {
    matches!(
        c,
        '!' | '#' | '$' | '%' | '&' | '\'' | '*' | '+' | '/' | '=' | '?' | '^' | '_' | '`' | '{' | '|' | '}' | '~'
    )
}

/// Whether a non-ASCII character shows as itself: not a C1 control, not a space, and not one of the
/// characters that are invisible or reorder text (soft hyphen, combining grapheme joiner, Arabic letter
/// mark, Hangul fillers, Mongolian selectors, zero-width and joiner characters, bidirectional embeddings,
/// overrides and isolates, invisible operators, variation selectors, the byte-order mark, tags).
///
/// Ranges rather than Unicode property tables: the tables would add kilobytes to the widget's WASM.
fn is_visible(c: char) -> bool {
    !matches!(c,
        '\u{80}'..='\u{a0}'
        | '\u{ad}'
        | '\u{34f}'
        | '\u{61c}'
        | '\u{115f}'..='\u{1160}'
        | '\u{1680}'
        | '\u{180b}'..='\u{180f}'
        | '\u{2000}'..='\u{200f}'
        | '\u{2028}'..='\u{202f}'
        | '\u{205f}'..='\u{206f}'
        | '\u{3000}'
        | '\u{3164}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{feff}'
        | '\u{ffa0}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e01ef}')
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
    fn accepts_the_addresses_people_have() {
        for good in [
            "ada@example.com",
            "ada.lovelace+latchkey@mail.example.co.uk",
            "o'brien@example.ie",
            "x_y-z@sub-domain.example.com",
            "jürgen@müller.de",
            "用户@例子.中国",
        ] {
            assert!(normalize_email(good).is_ok(), "{good}");
        }
        let longest_local = format!("{}@example.com", "a".repeat(64));
        assert!(normalize_email(&longest_local).is_ok());
    }

    #[test]
    fn refuses_what_cannot_be_an_address() {
        for bad in ["", "ada", "@example.com", "ada@", "ada@example", "ada@.com", "a b@example.com", "ada@ex..com"] {
            assert_eq!(normalize_email(bad), Err(ErrorCode::InvalidEmail), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(normalize_email(&long), Err(ErrorCode::InvalidEmail));
    }

    #[test]
    fn refuses_one_string_naming_two_addresses() {
        for bad in [
            "x<evil@evil.com>@example.com",
            "a@example.com,b@evil.com",
            "\"ada\"@example.com",
            "ada@example.com;b@evil.com",
            "a(comment)@example.com",
            "a\\@b@example.com",
            "[ada]@example.com",
        ] {
            assert_eq!(normalize_email(bad), Err(ErrorCode::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn refuses_invisible_and_reordering_characters() {
        for bad in [
            "ad\u{202e}a@example.com",
            "ad\u{0}a@example.com",
            "a\u{200b}da@example.com",
            "ada@exa\u{200d}mple.com",
            "\u{feff}ada@example.com",
            "ada\u{7f}@example.com",
            "ada\u{85}@example.com",
            "ada@example.com\u{2066}",
            "ada\u{a0}@example.com",
            "ad\u{3000}a@example.com",
            "a\u{3164}da@example.com",
            "ada\u{e0100}@example.com",
        ] {
            assert_eq!(normalize_email(bad), Err(ErrorCode::InvalidEmail), "{bad:?}");
        }
    }

    #[test]
    fn refuses_local_parts_and_labels_over_their_limits() {
        let local = format!("{}@example.com", "a".repeat(65));
        let label = format!("ada@{}.com", "b".repeat(64));
        for bad in [
            local.as_str(),
            label.as_str(),
            "ada@-example.com",
            "ada@example-.com",
            ".ada@example.com",
            "a..da@example.com",
            "ada.@example.com",
        ] {
            assert_eq!(normalize_email(bad), Err(ErrorCode::InvalidEmail), "{bad}");
        }
    }
}
