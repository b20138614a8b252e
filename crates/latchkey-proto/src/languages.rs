//! The languages Latchkey speaks, and how one is chosen from a list of preferences: the widget chooses
//! from its element's `lang`, the page's and the browser's; the server from a request's
//! `Accept-Language`, which the widget sets to the language it chose, so its mails match the page.

/// Every language Latchkey speaks (the widget and the server's mails), by its BCP 47 tag, which names
/// the widget's language files.
pub const LANGUAGES: [&str; 11] = ["en", "de", "fr", "es", "it", "pt-BR", "nl", "pl", "ja", "zh-CN", "ar"];

/// The first of `preferences` (BCP 47 tags, most preferred first, separated by commas) that
/// Latchkey speaks, by its language and, where it has one variant, whatever the region: `de-AT` is
/// German, `pt-PT` is the Brazilian Portuguese it has. Traditional Chinese is not Simplified Chinese, so
/// it is passed over. English when none is spoken.
pub fn choose(preferences: &str) -> &'static str {
    // Over bytes, ASCII only (tags are ASCII): `str`'s splitting by a set of characters and Unicode
    // trimming cost the widget's first chunk several hundred bytes more.
    let is = |part: &[u8], name: &str| part.eq_ignore_ascii_case(name.as_bytes());
    for tag in preferences.as_bytes().split(|byte| *byte == b',') {
        let mut parts = tag.trim_ascii().split(|byte| *byte == b'-' || *byte == b'_');
        let primary = parts.next().unwrap_or_default();
        let chosen = if is(primary, "zh") {
            let traditional = parts.any(|part| ["hant", "tw", "hk", "mo"].iter().any(|name| is(part, name)));
            (!traditional).then_some("zh-CN")
        } else if is(primary, "pt") {
            Some("pt-BR")
        } else {
            LANGUAGES.iter().copied().find(|language| is(primary, language))
        };
        if let Some(language) = chosen {
            return language;
        }
    }
    "en"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_language_spoken_is_chosen_by_its_language_whatever_the_region() {
        assert_eq!(choose("de-AT,fr"), "de");
        assert_eq!(choose("sv,fr-CA"), "fr");
        assert_eq!(choose("pt-PT"), "pt-BR");
        assert_eq!(choose("zh-Hans-CN"), "zh-CN");
        assert_eq!(choose("zh-TW,ja"), "ja", "Traditional Chinese is passed over");
        assert_eq!(choose("zh_Hant,en-GB"), "en");
        assert_eq!(choose(",  ,AR-eg"), "ar");
        assert_eq!(choose("sv,fi"), "en", "English when none is spoken");
    }
}
