//! The languages besides English, each a [`Texts`] value: one that lacks a text does not build. The
//! `latchkey-languages` binary writes each to `<tag>.json`, which a widget in that language fetches.
//!
//! Written as a native speaker says it, in the register of each language's own sign-in pages (German
//! and Dutch informal "du"/"je" as most sites use them now, French "vous", Polish impersonal forms,
//! Spanish as written in Spain), with a name or "this site" read right wherever `{}` puts it, and kept
//! short enough for the 320-pixel layout: no label runs past two lines there (`tests/languages.test.js`
//! checks every language).

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
    use super::*;
    use crate::catalog::{ENGLISH, LANGUAGES};

    #[test]
    fn the_files_are_the_languages_the_widget_offers() {
        let tags: Vec<&str> = ALL.iter().map(|(tag, _)| *tag).collect();
        assert_eq!(tags, LANGUAGES[1..]);
    }

    #[test]
    fn every_text_is_written_and_keeps_its_placeholder() {
        let english = ENGLISH.list();
        for (tag, texts) in ALL {
            for (index, (text, original)) in texts.list().into_iter().zip(&english).enumerate() {
                assert!(!text.trim().is_empty(), "{tag}: text {index} is empty");
                assert_eq!(text.matches("{}").count(), original.matches("{}").count(), "{tag}: {text:?}");
                // A lead is followed by a name or an address in bold: it ends in a space (or, in Chinese
                // and Japanese, a full-width colon, which needs none).
                let lead = text.ends_with([' ', '：']);
                assert_eq!(lead, original.ends_with(' '), "{tag}: {text:?} against {original:?}");
            }
        }
    }
}
