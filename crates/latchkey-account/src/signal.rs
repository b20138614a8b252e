//! The WebAuthn Signal API (WebAuthn L3 §5.1.10-§5.1.12): telling the browser's passkey provider what
//! the server knows, so a deleted passkey stops being offered and a renamed account shows its new
//! name. Each call is feature-detected: browsers without it skip it silently.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use latchkey_widget::js::{member, object};

async fn call(method: &str, options: &JsValue) {
    let class = member(&js_sys::global(), "PublicKeyCredential");
    let Ok(function) = member(&class, method).dyn_into::<Function>() else { return };
    if let Ok(Ok(promise)) = function.call1(&class, options).map(|p| p.dyn_into::<Promise>()) {
        // The provider may refuse or ignore a signal; nothing on the page depends on it.
        let _ = JsFuture::from(promise).await;
    }
}

/// `signalAllAcceptedCredentials`: the passkeys the account still has; the provider hides the others.
pub(crate) async fn all_accepted_credentials(rp_id: &str, user_id: &str, credential_ids: &[String]) {
    let ids: Array = credential_ids.iter().map(|id| JsValue::from_str(id)).collect();
    let options = object(&[
        ("rpId", &JsValue::from_str(rp_id)),
        ("userId", &JsValue::from_str(user_id)),
        ("allAcceptedCredentialIds", &ids),
    ]);
    call("signalAllAcceptedCredentials", &options).await
}

/// `signalCurrentUserDetails`: the account's name and display name as they are now.
pub(crate) async fn current_user_details(rp_id: &str, user_id: &str, name: &str, display_name: &str) {
    let options = object(&[
        ("rpId", &JsValue::from_str(rp_id)),
        ("userId", &JsValue::from_str(user_id)),
        ("name", &JsValue::from_str(name)),
        ("displayName", &JsValue::from_str(display_name)),
    ]);
    call("signalCurrentUserDetails", &options).await
}
