//! Dates and times in the person's own format, through `Intl` (`toLocale…String`).

use wasm_bindgen::JsValue;

/// A date in the person's own format.
pub(super) fn date(seconds: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    String::from(date.to_locale_date_string("default", &JsValue::UNDEFINED))
}

/// A date and time of day in the person's own format ("Dec 2, 2026, 1:20 PM").
pub(super) fn date_and_time(seconds: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    let options = js_sys::Object::new();
    for (name, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        // Setting a member of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&options, &name.into(), &value.into());
    }
    String::from(date.to_locale_string("default", &options))
}
