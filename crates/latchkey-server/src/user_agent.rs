//! Names the browser, the operating system and the device a `User-Agent` header describes, for new
//! passkeys' names, the account page's sessions and the security notifications: a person recognises
//! "Firefox on Windows", not the header. Only names people know are given, and nothing that would
//! single a browser out (no versions).

/// Tokens that name a browser, checked in this order because browsers borrow each other's: every
/// Chromium browser also says "Chrome/" and "Safari/", Chrome on iOS says "CriOS/" and "Safari/".
const BROWSERS: &[(&str, &str)] = &[
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("HeadlessChrome/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
];

/// Tokens that name a system, in the same spirit: iPhones and iPads also say "like Mac OS X", Android
/// says "Linux".
const SYSTEMS: &[(&str, &str)] = &[
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
];

/// Devices a person calls by their own name rather than their system's.
const DEVICES: &[(&str, &str)] = &[("iPhone", "iPhone"), ("iPad", "iPad")];

/// A browser, a system and a device, each if the header names one we know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Described {
    /// "Chrome", "Safari", "Firefox", …
    pub browser: Option<&'static str>,
    /// "Windows", "macOS", "iOS", …
    pub system: Option<&'static str>,
    /// "iPhone" or "iPad".
    pub device: Option<&'static str>,
}

impl Described {
    /// What a person calls the machine: the device when the header names one, else the system.
    pub fn machine(self) -> Option<&'static str> {
        self.device.or(self.system)
    }
}

/// What a `User-Agent` header says, in names people know.
pub fn describe(user_agent: &str) -> Described {
    let first = |names: &[(&str, &'static str)]| {
        names.iter().find(|(token, _)| user_agent.contains(token)).map(|&(_, name)| name)
    };
    Described { browser: first(BROWSERS), system: first(SYSTEMS), device: first(DEVICES) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(user_agent: &str) -> (Option<&'static str>, Option<&'static str>) {
        let described = describe(user_agent);
        (described.browser, described.system)
    }

    #[test]
    fn the_common_browsers_are_told_apart_on_every_system() {
        let cases = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                ("Chrome", "Windows"),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                ("Edge", "Windows"),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
                ("Safari", "macOS"),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                ("Safari", "iOS"),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
                ("Chrome", "iOS"),
            ),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", ("Firefox", "Linux")),
            (
                "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
                ("Samsung Internet", "Android"),
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
                ("Chrome", "Linux"),
            ),
        ];
        for (header, (browser, system)) in cases {
            assert_eq!(named(header), (Some(browser), Some(system)), "{header}");
        }
    }

    #[test]
    fn an_unknown_agent_names_nothing() {
        assert_eq!(named("curl/8.5.0"), (None, None));
        assert_eq!(named(""), (None, None));
    }
}
