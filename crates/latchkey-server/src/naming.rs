//! Names for new passkeys: the provider's name from the authenticator's AAGUID where we know it, else
//! the browser and system it was made on ("Chrome on macOS"), which people recognise in a list.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::user_agent;

/// A passkey provider we know by AAGUID, with its monogram's colours.
#[derive(Clone, Debug, Deserialize)]
pub struct Provider {
    /// The AAGUID, as a lowercase UUID.
    pub aaguid: String,
    /// The name people know it by.
    pub name: String,
    /// The monogram's colour on light backgrounds.
    pub light: String,
    /// The monogram's colour on dark backgrounds.
    pub dark: String,
}

#[derive(Deserialize)]
struct Table {
    providers: Vec<Provider>,
}

/// The curated table in `data/providers.json`, parsed once (a test checks that it parses).
fn providers() -> &'static [Provider] {
    static TABLE: OnceLock<Vec<Provider>> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str::<Table>(include_str!("../data/providers.json")).map_or_else(
            |e| {
                tracing::error!(%e, "data/providers.json");
                Vec::new()
            },
            |t| t.providers,
        )
    })
}

/// The provider of an AAGUID we know.
pub fn provider(aaguid: &[u8]) -> Option<&'static Provider> {
    let text = uuid_text(aaguid)?;
    providers().iter().find(|p| p.aaguid == text)
}

/// A monogram icon, as an SVG data URI: the first letter of `name` on a circle of `colour`. Latchkey
/// ships these rather than the providers' logos, which are their trademarks.
pub fn monogram(name: &str, colour: &str, on_dark: bool) -> String {
    let letter: String = name.chars().find(|c| c.is_alphanumeric()).map_or('?', |c| c).to_uppercase().collect();
    let text = if on_dark { "#111827" } else { "#ffffff" };
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><circle cx='16' cy='16' r='16' \
         fill='{colour}'/><text x='16' y='21' font-family='system-ui,sans-serif' font-size='15' \
         font-weight='600' text-anchor='middle' fill='{text}'>{letter}</text></svg>"
    );
    format!("data:image/svg+xml,{}", svg.replace('#', "%23").replace('<', "%3C").replace('>', "%3E"))
}

/// The name a new passkey gets: its provider's, else the browser and system from `user_agent`.
pub fn passkey_name(aaguid: &[u8], user_agent: Option<&str>) -> String {
    provider(aaguid).map_or_else(|| device_name(user_agent.unwrap_or_default()), |p| p.name.clone())
}

/// An AAGUID as a lowercase UUID.
pub fn uuid_text(bytes: &[u8]) -> Option<String> {
    if bytes.len() != 16 {
        return None;
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Some([&hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]].join("-"))
}

/// "Browser on machine" from a User-Agent header ("Safari on iPhone"), or "Passkey" when neither is
/// recognisable.
fn device_name(user_agent: &str) -> String {
    let described = user_agent::describe(user_agent);
    match (described.browser, described.machine()) {
        (Some(browser), Some(machine)) => format!("{browser} on {machine}"),
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => "Passkey".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_providers_are_named_by_aaguid() {
        let gpm = [0xea, 0x9b, 0x8d, 0x66, 0x4d, 0x01, 0x1d, 0x21, 0x3c, 0xe4, 0xb6, 0xb4, 0x8c, 0xb5, 0x75, 0xd4];
        assert_eq!(passkey_name(&gpm, Some("Mozilla/5.0")), "Google Password Manager");
    }

    #[test]
    fn the_provider_table_parses_and_every_entry_is_a_uuid_with_colours() {
        assert!(providers().len() >= 15);
        for provider in providers() {
            assert_eq!(provider.aaguid.len(), 36, "{}", provider.aaguid);
            assert!(provider.light.starts_with('#') && provider.dark.starts_with('#'));
        }
        assert!(monogram("1Password", "#0572ec", false).starts_with("data:image/svg+xml,%3Csvg"));
    }

    #[test]
    fn unknown_providers_are_named_by_browser_and_system() {
        let chrome_linux =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
        let edge_windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0";
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        assert_eq!(passkey_name(&[0; 16], Some(chrome_linux)), "Chrome on Linux");
        assert_eq!(passkey_name(&[0; 16], Some(edge_windows)), "Edge on Windows");
        assert_eq!(passkey_name(&[0; 16], Some(safari_iphone)), "Safari on iPhone");
        assert_eq!(passkey_name(&[0; 16], None), "Passkey");
    }
}
