//! The languages besides English, each a [`Texts`] value (one that lacks a text does not build),
//! and the choice of one from a request's `Accept-Language`.
//!
//! Written in the register and with the words of the widget's own translations
//! (`latchkey-widget/src/catalog/languages`), so a mail names the widget's links ("Forgot password?")
//! as the person saw them; Chinese mails and pages alone say 您 where the widget says 你, as Chinese
//! sites' mail does.

mod ar;
mod de;
mod es;
mod fr;
mod it;
mod ja;
mod nl;
mod pl;
mod pt_br;
mod zh_cn;

use latchkey_proto::languages::choose;

use super::{ENGLISH, Texts};

/// The words of `language`, one of `latchkey_proto::languages::LANGUAGES`; English for any other.
pub fn texts_for(language: &str) -> &'static Texts {
    match language {
        "de" => &de::TEXTS,
        "fr" => &fr::TEXTS,
        "es" => &es::TEXTS,
        "it" => &it::TEXTS,
        "pt-BR" => &pt_br::TEXTS,
        "nl" => &nl::TEXTS,
        "pl" => &pl::TEXTS,
        "ja" => &ja::TEXTS,
        "zh-CN" => &zh_cn::TEXTS,
        "ar" => &ar::TEXTS,
        _ => &ENGLISH,
    }
}

/// The language to write to a person whose request said `accept_language` (RFC 9110 §12.5.4): its
/// ranges in order of their weights (`q`, 1 when absent; stable, so equal weights keep the order they
/// came in), those of weight 0 left out, then the first Latchkey speaks; English when none is.
pub fn language_of(accept_language: &str) -> &'static str {
    let mut ranges: Vec<(u16, &str)> = accept_language
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let range = parts.next()?.trim();
            let weight = parts.find_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")));
            let weight = weight.map_or(1000, thousandths);
            (weight > 0 && !range.is_empty()).then_some((weight, range))
        })
        .collect();
    ranges.sort_by_key(|(weight, _)| std::cmp::Reverse(*weight));
    let preferences: Vec<&str> = ranges.into_iter().map(|(_, range)| range).collect();
    choose(&preferences.join(","))
}

/// A `qvalue` (RFC 9110 §12.4.2: `0` to `1` with at most three decimals) in thousandths; 0 if malformed,
/// so a range with a weight nobody can read is not preferred.
fn thousandths(qvalue: &str) -> u16 {
    let (whole, fraction) = qvalue.split_once('.').unwrap_or((qvalue, ""));
    let digits = fraction.len() <= 3 && fraction.bytes().all(|b| b.is_ascii_digit());
    let fraction_value = format!("{fraction:0<3}").parse::<u16>().unwrap_or(0);
    match (whole, digits) {
        ("1", true) if fraction_value == 0 => 1000,
        ("0", true) => fraction_value,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use latchkey_proto::languages::LANGUAGES;

    use super::*;

    #[test]
    fn the_heaviest_language_spoken_is_chosen() {
        assert_eq!(language_of("fr"), "fr");
        assert_eq!(language_of("sv, de;q=0.5, fr;q=0.9"), "fr");
        assert_eq!(language_of("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"), "fr");
        assert_eq!(language_of("ja;q=0, de"), "de", "a weight of 0 means not at all");
        assert_eq!(language_of("de;q=0.8, it;q=0.8"), "de", "equal weights keep their order");
        assert_eq!(language_of("pt-PT;q=1.0"), "pt-BR");
        assert_eq!(language_of("es;q=2, it;q=0.1"), "it", "a weight out of range is no weight");
        assert_eq!(language_of(""), "en");
        assert_eq!(language_of("*"), "en");
    }

    #[test]
    fn every_language_has_its_texts_with_the_marks_english_has() {
        for language in LANGUAGES {
            let texts = texts_for(language);
            let english = texts.passkey_added_subject == ENGLISH.passkey_added_subject;
            assert_eq!(english, language == "en", "{language} has its own texts");
            for ((name, english), (_, text)) in ENGLISH.list().into_iter().zip(texts.list()) {
                assert_eq!(marks(text), marks(english), "{language}'s {name}: {text}");
                assert!(!text.trim().is_empty(), "{language}'s {name} is empty");
            }
        }
    }

    /// The `{mark}`s of a text, sorted.
    fn marks(text: &str) -> Vec<&str> {
        let mut marks: Vec<&str> = text.split('{').skip(1).map(|rest| rest.split('}').next().unwrap_or(rest)).collect();
        marks.sort_unstable();
        marks
    }
}
