//! Fuzzes reading the configuration (a TOML file and `LATCHKEY_*` variables): any file and variables
//! give a configuration or an error, never a panic; an accepted one has origins written as a browser
//! sends them, and builds a relying party.
#![no_main]

use latchkey_server::{ceremony::RelyingParty, config::Config};
use libfuzzer_sys::fuzz_target;

/// The variables the fuzzer may set, by index.
const VARIABLES: [&str; 22] = [
    "LATCHKEY_PORT",
    "LATCHKEY_RP_ID",
    "LATCHKEY_RP_NAME",
    "LATCHKEY_LISTEN",
    "LATCHKEY_ORIGINS",
    "LATCHKEY_DATABASE_URL",
    "LATCHKEY_STATIC_DIR",
    "LATCHKEY_MFA",
    "LATCHKEY_PROGRESSIVE_ENROLLMENT",
    "LATCHKEY_LOCAL_ENROLLMENT",
    "LATCHKEY_SMTP_URL",
    "LATCHKEY_MAIL_FROM",
    "LATCHKEY_OUTBOX_DIR",
    "LATCHKEY_RESET_URL",
    "LATCHKEY_ADMIN_TOKEN",
    "LATCHKEY_ISSUER",
    "LATCHKEY_HEADER_TIMEOUT_SECS",
    "LATCHKEY_REQUEST_TIMEOUT_SECS",
    "LATCHKEY_MAX_CONNECTIONS",
    "LATCHKEY_TRUSTED_PROXIES",
    "LATCHKEY_FORWARDED_HEADER",
    "LATCHKEY_USER_VERIFICATION",
];

// The input: a TOML file, then lines `INDEX=VALUE` setting variables, split at the first NUL.
fuzz_target!(|text: &str| {
    let (toml, variables) = text.split_once('\0').unwrap_or((text, ""));
    let env: Vec<(&str, &str)> = variables
        .lines()
        .filter_map(|line| line.split_once('='))
        .filter_map(|(index, value)| Some((*VARIABLES.get(index.parse::<usize>().ok()?)?, value)))
        .collect();
    let lookup = |name: &str| env.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned());
    let file = (!toml.is_empty()).then_some(("latchkey.toml", toml));
    let Ok(config) = Config::from_sources(file, lookup) else { return };
    assert!(!config.origins.is_empty());
    for origin in &config.origins {
        let parsed = url::Url::parse(origin).expect("a checked origin parses");
        assert_eq!(&parsed.origin().ascii_serialization(), origin, "origins are kept as browsers send them");
    }
    drop(RelyingParty::new(&config, &config.seed_policy()));
});
