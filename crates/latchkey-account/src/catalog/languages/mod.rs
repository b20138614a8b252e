//! The account page's languages besides English, each a [`Texts`] value: one that lacks a text does
//! not build. The `latchkey-account-languages` binary writes each to `<tag>-<keys>.json`, which an
//! account page in that language fetches.
//!
//! Written in the register and with the words of the widget's translations
//! (`latchkey-widget/src/catalog/languages`), so the account page and the sign-in screens read alike.

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

use super::Texts;

/// Every language besides English, by the tag its file is named after, in `LANGUAGES`' order.
pub const ALL: [(&str, &Texts); 10] = [
    ("de", &de::TEXTS),
    ("fr", &fr::TEXTS),
    ("es", &es::TEXTS),
    ("it", &it::TEXTS),
    ("pt-BR", &pt_br::TEXTS),
    ("nl", &nl::TEXTS),
    ("pl", &pl::TEXTS),
    ("ja", &ja::TEXTS),
    ("zh-CN", &zh_cn::TEXTS),
    ("ar", &ar::TEXTS),
];

#[cfg(test)]
mod tests {
    use latchkey_widget::catalog::LANGUAGES;

    use super::*;
    use crate::catalog::ENGLISH;

    #[test]
    fn the_files_are_the_languages_latchkey_speaks() {
        let tags: Vec<&str> = ALL.iter().map(|(tag, _)| *tag).collect();
        assert_eq!(tags, LANGUAGES[1..]);
    }

    #[test]
    fn every_text_is_written_and_keeps_its_placeholders_and_leads() {
        let english = ENGLISH.list();
        for (tag, texts) in ALL {
            for (index, (text, original)) in texts.list().into_iter().zip(&english).enumerate() {
                assert!(!text.trim().is_empty(), "{tag}: text {index} is empty");
                assert_eq!(text.matches("{}").count(), original.matches("{}").count(), "{tag}: {text:?}");
                // A lead is followed by a link, a button or an address in bold: it ends in a space (or,
                // in Chinese and Japanese, in punctuation that needs none).
                let lead = text.ends_with([' ', '：', '。']);
                assert!(lead || !original.ends_with(' '), "{tag}: {text:?} against {original:?}");
            }
        }
    }
}
