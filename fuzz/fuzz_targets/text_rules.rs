//! Fuzzes the email and name rules: any text, and every address or name the server accepts must be
//! accepted again unchanged (one spelling per account), be one the widget's own check lets through, and
//! be free of what the rules exist to keep out.
#![no_main]

use latchkey_proto::is_plausible_email;
use latchkey_server::text_rules;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(email) = text_rules::email(text) {
        assert_eq!(text_rules::email(&email).as_deref(), Ok(email.as_str()), "the stored form is kept as it is");
        assert!(is_plausible_email(&email), "the widget lets through what the server accepts: {email:?}");
        assert_eq!(email.matches('@').count(), 1, "{email:?}");
        assert!(email.len() <= 254, "{email:?}");
        assert!(!email.chars().any(|c| c.is_control() || c.is_whitespace()), "{email:?}");
    }
    if let Ok(name) = text_rules::name(text) {
        assert_eq!(text_rules::name(&name).as_deref(), Ok(name.as_str()), "a name is kept as it is");
        assert!((1..=text_rules::MAX_NAME_CHARS).contains(&name.chars().count()), "{name:?}");
        assert!(!name.chars().any(char::is_control), "{name:?}");
    }
});
