//! JSON over `fetch` for the account page and the console: typed bodies with serde (this module is not
//! under the login page's size budget), the session cookie, and the console's bearer token.

use latchkey_proto::{ErrorBody, ErrorCode};
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCredentials, RequestInit, Response};

use latchkey_widget::{catalog::Lang, js::object};

/// Why a request failed: a code from the closed set, or no answer from our API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server's code.
    Server(ErrorCode),
    /// Unreachable, or an answer that is not our API's.
    Network,
    /// The browser's passkey prompt failed.
    Browser(latchkey_widget::webauthn::BrowserError),
}

impl Failure {
    /// The sentence to show, from the widget's catalog in the page's language.
    pub(crate) fn message(self, lang: Lang) -> &'static str {
        match self {
            Self::Server(code) => lang.server_error(code),
            Self::Network => lang.unreachable(),
            Self::Browser(error) => lang.browser_error(error).unwrap_or_default(),
        }
    }
}

/// Who sends a request: the language of the page, which the server writes any mail the request causes
/// in (as the login widget does, whatever the browser's own languages), and, for the console, the
/// administrator's bearer token.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sender<'a> {
    /// A tag of `LANGUAGES`.
    pub(crate) language: &'a str,
    /// The console's token; `None` on the account page, which goes by the session cookie.
    pub(crate) token: Option<&'a str>,
}

/// A browser object (a credential's `toJSON()`) as a serde value, to send in a typed body.
pub(crate) fn json_value(value: &JsValue) -> Result<serde_json::Value, Failure> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .and_then(|text| serde_json::from_str(&text).ok())
        .ok_or(Failure::Network)
}

/// `GET`s JSON.
pub(crate) async fn get<T: DeserializeOwned>(path: &str, sender: Sender<'_>) -> Result<T, Failure> {
    let text = call("GET", path, None, sender).await?;
    serde_json::from_str(&text).map_err(|_| Failure::Network)
}

/// Sends a JSON body and reads a JSON answer (`()` for `204 No Content`).
pub(crate) async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &B,
    sender: Sender<'_>,
) -> Result<T, Failure> {
    let body = serde_json::to_string(body).map_err(|_| Failure::Network)?;
    let text = call(method, path, Some(&body), sender).await?;
    serde_json::from_str(if text.is_empty() { "null" } else { &text }).map_err(|_| Failure::Network)
}

async fn call(method: &str, path: &str, body: Option<&str>, sender: Sender<'_>) -> Result<String, Failure> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    let authorization = sender.token.map(|t| ["Bearer ", t].concat()).unwrap_or_default();
    let mut headers = vec![
        ("content-type", JsValue::from_str("application/json")),
        ("accept-language", JsValue::from_str(sender.language)),
    ];
    if sender.token.is_some() {
        headers.push(("authorization", JsValue::from_str(&authorization)));
    }
    let pairs: Vec<(&str, &JsValue)> = headers.iter().map(|(k, v)| (*k, v)).collect();
    init.set_headers(&object(&pairs));
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let window = web_sys::window().ok_or(Failure::Network)?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| Failure::Network)?
        .unchecked_into();
    let text = JsFuture::from(response.text().map_err(|_| Failure::Network)?).await.map_err(|_| Failure::Network)?;
    let text = text.as_string().unwrap_or_default();
    if response.ok() {
        return Ok(text);
    }
    let error: ErrorBody = serde_json::from_str(&text).map_err(|_| Failure::Network)?;
    Err(Failure::Server(error.code))
}
