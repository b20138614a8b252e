//! Fuzzes the widget's base64url (RFC 4648 §5), which its WebAuthn JSON fallback uses for every binary
//! member in browsers without `parseCreationOptionsFromJSON`: any bytes survive a round trip, no text
//! makes it panic, and it decodes what the `base64` crate decodes the same way.
#![no_main]

use base64::{
    Engine,
    alphabet::URL_SAFE,
    engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig},
};
use latchkey_widget::webauthn::{base64url_decode, base64url_encode};
use libfuzzer_sys::fuzz_target;

/// The reference: unpadded base64url that, like the widget, ignores the unused bits of the last symbol.
const REFERENCE: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

fuzz_target!(|data: &[u8]| {
    let encoded = base64url_encode(data);
    assert_eq!(encoded, REFERENCE.encode(data));
    assert_eq!(base64url_decode(&encoded).as_deref(), Some(data));
    if let Ok(text) = std::str::from_utf8(data) {
        let ours = base64url_decode(text);
        // The widget also takes `=` padding; the reference is asked about the text without it.
        if let Ok(reference) = REFERENCE.decode(text.trim_end_matches('=')) {
            assert_eq!(ours, Some(reference), "{text:?}");
        }
    }
});
