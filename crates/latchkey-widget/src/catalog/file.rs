//! A language file: fetched when a widget speaks that language, its texts kept for the page's lifetime
//! (they become `'static`, like English's); and the languages the page and the browser ask for.

use std::future::Future;

use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, prelude::wasm_bindgen};
use wasm_bindgen_futures::JsFuture;

use super::Lang;

// In JavaScript: these few lines would take many times their size as `web-sys` calls in the first
// chunk of the WASM.
#[wasm_bindgen(inline_js = r#"
export function fetchTexts(at, api, language, keys) {
  const url = `${at || `${api}/i18n/`}${language}-${keys.toString(16)}.json`;
  return fetch(url, { signal: AbortSignal.timeout(5000) })
    .then((answer) => (answer.ok ? answer.json() : null))
    .catch(() => null);
}
export function preferredLanguages(locale) {
  return [locale, document.documentElement.lang, ...(navigator.languages || [])].join(',');
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = fetchTexts)]
    fn fetch_texts(at: &str, api: &str, language: &str, keys: u32) -> Promise;
    #[wasm_bindgen(js_name = preferredLanguages)]
    fn preferred(locale: &str) -> String;
}

/// Where a widget's language file is: its language, and the folder of the language files (empty for
/// `i18n/` at the server the widget talks to).
#[derive(Clone, Debug)]
pub struct LanguageFile {
    /// One of `LANGUAGES`, not English (which is built in).
    pub language: &'static str,
    /// The folder's URL, ending in `/`; empty for `i18n/` at the widget's server.
    pub at: String,
}

/// Fetches `file` from beside the server at `api` (its base, without a trailing `/`) now, and gives its texts once they arrive; English
/// when they cannot be had within 5 seconds (a failed or slow fetch, or a file from another build), so
/// the widget always speaks.
/// (A second widget in the same language fetches the file again, from the browser's cache.)
pub fn fetch_language(file: &LanguageFile, api: &str) -> impl Future<Output = Lang> + use<> {
    // Not through `fetch_file`: its `Option` costs the first chunk about 40 bytes.
    let fetched = JsFuture::from(fetch_texts(&file.at, api, file.language, super::KEYS_ID));
    async move {
        let Ok(texts) = fetched.await.and_then(JsCast::dyn_into::<Array>) else { return Lang::ENGLISH };
        Lang::from_file(leak_texts(&texts)).unwrap_or_default()
    }
}

/// Fetches `file` of the catalog whose [`KEYS_ID`](super::KEYS_ID) is `keys` (the widget's, or another
/// catalog made with [`texts!`](crate::texts)) now, and gives its texts once they arrive: `None` when
/// they cannot be had within 5 seconds, for the catalog's `Lang::from_file` to check and English to
/// stand in for.
pub fn fetch_file(
    file: &LanguageFile,
    api: &str,
    keys: u32,
) -> impl Future<Output = Option<&'static [&'static str]>> + use<> {
    let fetched = JsFuture::from(fetch_texts(&file.at, api, file.language, keys));
    async move {
        let texts = fetched.await.and_then(JsCast::dyn_into::<Array>).ok()?;
        Some(leak_texts(&texts))
    }
}

/// A language file's texts, kept for the page's lifetime like English's.
fn leak_texts(texts: &Array) -> &'static [&'static str] {
    let texts: Vec<&'static str> = texts.iter().map(|text| &*text.as_string().unwrap_or_default().leak()).collect();
    texts.leak()
}

/// The languages to try, most preferred first and separated by commas: `locale` (the element's or the
/// component's, if given), the document's `lang`, then the browser's `navigator.languages`.
pub fn preferred_languages(locale: &str) -> String {
    preferred(locale)
}
