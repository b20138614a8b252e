//! Dates and times in the page's language and the person's own format, through `Intl`
//! (`toLocale…String` with the page's locale: its language, in the region the person asked for).

use wasm_bindgen::JsValue;

/// A date as `language` (a BCP 47 tag) writes it.
pub(super) fn date(seconds: i64, language: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    String::from(date.to_locale_date_string(language, &JsValue::UNDEFINED))
}

/// A date and time of day as `language` writes it ("Dec 2, 2026, 1:20 PM" in English).
pub(super) fn date_and_time(seconds: i64, language: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    let options = js_sys::Object::new();
    for (name, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        // Setting a member of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&options, &name.into(), &value.into());
    }
    String::from(date.to_locale_string(language, &options))
}
