//! The page's browser APIs other than WebAuthn and `fetch`: the reset link's token in the URL (taken
//! off the address bar and the history), and focus after a screen renders.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;

use crate::js::member;

/// Takes `#latchkey-reset=TOKEN` off the page's URL (so it is neither bookmarked nor sent on as a
/// referrer) and returns the token.
pub(crate) fn take_reset_token() -> Option<String> {
    let location = member(&js_sys::global(), "location");
    let token = member(&location, "hash").as_string()?.strip_prefix("#latchkey-reset=")?.to_owned();
    let history = member(&js_sys::global(), "history");
    let plain = [member(&location, "pathname"), member(&location, "search")]
        .map(|v| v.as_string().unwrap_or_default())
        .concat();
    if let Ok(replace) = member(&history, "replaceState").dyn_into::<js_sys::Function>() {
        let _ = replace.call3(&history, &JsValue::NULL, &JsValue::from_str(""), &JsValue::from_str(&plain));
    }
    Some(token)
}

/// Moves focus to the element `id` once the screen showing it has rendered, so screen readers announce
/// where the person is.
pub(crate) fn focus_after_render(id: String) {
    // The new screen renders in a microtask; an animation frame comes after it.
    request_animation_frame(move || {
        let heading = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<HtmlElement>().ok());
        if let Some(heading) = heading {
            let _ = heading.focus();
        }
    });
}
