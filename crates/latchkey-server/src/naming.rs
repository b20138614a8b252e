//! Names for new passkeys: the provider's name from the authenticator's AAGUID where we know it, else
//! the browser and system it was made on ("Chrome on macOS"), which people recognise in a list.

/// Passkey providers by AAGUID, from the community list at github.com/passkeydeveloper/passkey-authenticator-aaguids.
const PROVIDERS: &[(&str, &str)] = &[
    ("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", "Google Password Manager"),
    ("adce0002-35bc-c60a-648b-0b25f1f05503", "Chrome on Mac"),
    ("b5397666-4885-aa6b-cebf-e52262a439a2", "Chromium Browser"),
    ("771b48fd-d3d4-4f74-9232-fc157ab0507a", "Edge on Mac"),
    ("fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "iCloud Keychain"),
    ("dd4ec289-e01d-41c9-bb89-70fa845d4bf2", "iCloud Keychain (Managed)"),
    ("08987058-cadc-4b81-b6e1-30de50dcbe96", "Windows Hello"),
    ("9ddd1817-af5a-4672-a2b9-3e3dd95000a9", "Windows Hello"),
    ("6028b017-b1d4-4c02-b4b3-afcdafc96bb2", "Windows Hello"),
    ("bada5566-a7aa-401f-bd96-45619a55120d", "1Password"),
    ("d548826e-79b4-db40-a3d8-11116f7e8349", "Bitwarden"),
    ("531126d6-e717-415c-9320-3d9aa6981239", "Dashlane"),
    ("b84e4048-15dc-4dd0-8640-f4f60813c8af", "NordPass"),
    ("50726f74-6f6e-5061-7373-50726f746f6e", "Proton Pass"),
    ("fdb141b2-5d84-443e-8a35-4698c205a502", "KeePassXC"),
    ("53414d53-554e-4700-0000-000000000000", "Samsung Pass"),
    ("f3809540-7f14-49c1-a8b3-8f813b225541", "Enpass"),
];

/// The name a new passkey gets: its provider's, else the browser and system from `user_agent`.
pub fn passkey_name(aaguid: &[u8], user_agent: Option<&str>) -> String {
    provider_name(aaguid).map_or_else(|| device_name(user_agent.unwrap_or_default()), str::to_owned)
}

/// The provider's name for an AAGUID we know.
pub fn provider_name(aaguid: &[u8]) -> Option<&'static str> {
    let text = uuid_text(aaguid)?;
    PROVIDERS.iter().find(|(id, _)| *id == text).map(|(_, name)| *name)
}

fn uuid_text(bytes: &[u8]) -> Option<String> {
    if bytes.len() != 16 {
        return None;
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Some([&hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]].join("-"))
}

/// "Browser on System" from a User-Agent header, or "Passkey" when neither is recognisable.
fn device_name(user_agent: &str) -> String {
    // Order matters: Edge and Opera also say "Chrome", and Chrome also says "Safari".
    const BROWSERS: &[(&str, &str)] = &[
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    const SYSTEMS: &[(&str, &str)] = &[
        ("Windows", "Windows"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Mac OS X", "macOS"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| table.iter().find(|(key, _)| user_agent.contains(key)).map(|e| e.1);
    match (find(BROWSERS), find(SYSTEMS)) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
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
