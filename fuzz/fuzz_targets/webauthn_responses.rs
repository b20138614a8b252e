//! Fuzzes the parsing of `RegistrationResponseJSON` and `AuthenticationResponseJSON` (WebAuthn L3
//! §5.1.3.1, §5.1.4.1) exactly as the finish endpoints do it, before any ceremony is looked up: whatever
//! a client sends, parsing answers and never panics. The first byte picks the ceremony.
#![no_main]

use std::sync::LazyLock;

use latchkey_server::{
    ceremony::{AssertionKind, RelyingParty},
    config::Config,
};
use libfuzzer_sys::fuzz_target;

static RP: LazyLock<RelyingParty> = LazyLock::new(|| {
    let config = Config::default();
    RelyingParty::new(&config, &config.seed_policy()).expect("the default configuration's relying party")
});

fuzz_target!(|data: &[u8]| {
    let Some((&ceremony, json)) = data.split_first() else { return };
    let Ok(json) = std::str::from_utf8(json) else { return };
    match ceremony % 3 {
        0 => drop(RP.parse_registration(json)),
        1 => drop(RP.parse_assertion(json, AssertionKind::Discoverable)),
        _ => drop(RP.parse_assertion(json, AssertionKind::Identified)),
    }
});
