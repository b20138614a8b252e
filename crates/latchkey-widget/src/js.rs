//! Reading and writing members of JavaScript objects: the one place the widget touches `Reflect`, for the
//! browser's WebAuthn objects and the server's JSON alike.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// Reads a member; `undefined` when it is missing or `target` is not an object.
pub fn member(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Writes a member; a target that refuses it (not an object, frozen) is left as it is.
pub fn set_member(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Builds an object from members.
pub fn object(members: &[(&str, &JsValue)]) -> JsValue {
    let object: JsValue = Object::new().into();
    for (key, value) in members {
        set_member(&object, key, value);
    }
    object
}
