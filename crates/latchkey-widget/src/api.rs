//! Calls to the Latchkey server: JSON over `fetch`, with the session in a cookie.
//!
//! Written on `web_sys::fetch` and `js_sys::Reflect` (through [`crate::js`]) directly rather than gloo-net and serde: the widget
//! reads and writes a handful of members, and the generic (de)serializers cost more bytes than the
//! whole rest of the flow (see BENCHMARKS.md). The member names are those of `latchkey_proto`'s types.

use js_sys::{Array, JSON};
use latchkey_proto::{AuthMethod, ErrorCode, Next, SessionInfo, UserInfo, paths};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCredentials, RequestInit, Response};

use crate::js::{member, object};

/// Why a server call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The server answered with an error code.
    Server(ErrorCode),
    /// The server refused the request as one too many (`rate_limited`); it may be sent again after
    /// this many seconds.
    RateLimited(u32),
    /// The server could not be reached, or answered something that is not our API.
    Network,
}

/// A started ceremony: its ID and the WebAuthn options as a JSON object.
#[derive(Clone)]
pub struct Ceremony {
    /// Single-use ceremony ID.
    pub id: String,
    /// `PublicKeyCredentialCreationOptionsJSON` or `PublicKeyCredentialRequestOptionsJSON`.
    pub public_key: JsValue,
}

/// A `SignInStep`: the session if one started, what comes next, and the ceremony or new passkey it names.
pub struct Step {
    /// The new session, if one started.
    pub session: Option<SessionInfo>,
    /// What to offer or ask next.
    pub next: Next,
    /// The second-factor ceremony (`publicKey` is `null` for an enrollment marker).
    pub ceremony: Option<Ceremony>,
    /// A passkey just added: its ID and name.
    pub passkey: Option<(f64, String)>,
    /// The endpoint that answered, which tells what the server recorded in its event log.
    pub from: &'static str,
}

/// The server at one base URL (empty: the page's own origin), and the language the widget speaks to
/// the person, which the server writes its mails in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    base: String,
    language: &'static str,
}

impl Server {
    /// A server at `base`, e.g. `https://login.example.com` (a trailing `/` is ignored), for a widget
    /// speaking `language` (a tag of `LANGUAGES`).
    pub fn new(base: &str, language: &'static str) -> Self {
        Self { base: base.trim_end_matches('/').to_owned(), language }
    }

    /// The server's base URL, without a trailing `/` (empty: the page's own origin).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Asks for the current session now; [`Sent::session`] reads the answer.
    pub fn ask_session(&self) -> Sent {
        self.send("GET", paths::SESSION, None)
    }

    /// `POST`s a JSON body (none when `undefined`) to `path`; the answer's JSON, or `null` for
    /// `204 No Content`.
    pub async fn post(&self, path: &str, body: &JsValue) -> Result<JsValue, ApiError> {
        self.send_post(path, body).json().await
    }

    /// Sends the `POST` of [`Server::post`] now, so other work can go on while it travels; [`Sent::json`]
    /// reads the answer.
    pub fn send_post(&self, path: &str, body: &JsValue) -> Sent {
        self.send("POST", path, Some(body).filter(|b| !b.is_undefined()))
    }

    /// Starts the request (`fetch` is called before this returns).
    fn send(&self, method: &str, path: &str, body: Option<&JsValue>) -> Sent {
        Sent(self.fetch(method, path, body))
    }

    fn fetch(&self, method: &str, path: &str, body: Option<&JsValue>) -> Result<JsFuture, ApiError> {
        let init = RequestInit::new();
        init.set_method(method);
        // Include: a page may name a server on another origin of the same site with the `api` attribute.
        init.set_credentials(RequestCredentials::Include);
        if let Some(body) = body {
            let text = JSON::stringify(body).map_err(|_| ApiError::Network)?;
            init.set_body(&text);
            // The widget's language, not the browser's, on every request that can send mail (a `POST`):
            // a mail is then in the language of the page it was asked for from.
            let language = JsValue::from_str(self.language);
            init.set_headers(&object(&[
                ("content-type", &JsValue::from_str("application/json")),
                ("accept-language", &language),
            ]));
        }
        let url = [self.base.as_str(), path].concat();
        let window = web_sys::window().ok_or(ApiError::Network)?;
        Ok(JsFuture::from(window.fetch_with_str_and_init(&url, &init)))
    }
}

/// A request on its way: the fetch started when it was made, and awaiting reads its answer.
pub struct Sent(Result<JsFuture, ApiError>);

impl Sent {
    /// Reads the answer of [`Server::ask_session`]: the session, `None` when nobody is signed in, and the
    /// policy's passkey prompt for the sign-in screen (`Latchkey-Challenge-UI`: `autofill`, `button` or
    /// `both`), which the server sends on this answer.
    pub async fn session(self) -> Result<(Option<SessionInfo>, String), ApiError> {
        let (json, challenge_ui) = self.answer().await?;
        let session = if json.is_null() { None } else { Some(session_from(&json)?) };
        Ok((session, challenge_ui))
    }

    /// The answer's JSON, or `null` for `204 No Content`.
    pub async fn json(self) -> Result<JsValue, ApiError> {
        self.answer().await.map(|(json, _)| json)
    }

    /// The answer's JSON (`null` for `204 No Content`) and its `Latchkey-Challenge-UI` header.
    async fn answer(self) -> Result<(JsValue, String), ApiError> {
        let response: Response = self.0?.await.map_err(|_| ApiError::Network)?.unchecked_into();
        let challenge_ui = response.headers().get("latchkey-challenge-ui").ok().flatten().unwrap_or_default();
        if response.status() == 204 {
            return Ok((JsValue::NULL, challenge_ui));
        }
        let promise = response.json().map_err(|_| ApiError::Network)?;
        let json = JsFuture::from(promise).await.map_err(|_| ApiError::Network)?;
        if response.ok() {
            return Ok((json, challenge_ui));
        }
        // `ErrorBody`: an answer without a known code is not from our API.
        let code = member(&json, "code").as_string().and_then(|c| ErrorCode::from_wire(&c)).ok_or(ApiError::Network)?;
        Err(match code {
            ErrorCode::RateLimited => ApiError::RateLimited(member(&json, "retryAfter").as_f64().unwrap_or(0.0) as u32),
            code => ApiError::Server(code),
        })
    }
}

/// Reads a `CeremonyStarted`; its options stay a JSON object (or `null` for an enrollment marker).
pub fn ceremony_from(json: &JsValue) -> Result<Ceremony, ApiError> {
    let id = member(json, "ceremony").as_string().ok_or(ApiError::Network)?;
    Ok(Ceremony { id, public_key: member(json, "publicKey") })
}

/// Reads a `SignInStep`, the answer of the endpoint `from`.
pub fn step_from(json: &JsValue, from: &'static str) -> Result<Step, ApiError> {
    let present = |key| Some(member(json, key)).filter(|v| v.is_object());
    let next = member(json, "next").as_string().and_then(|n| Next::from_wire(&n)).ok_or(ApiError::Network)?;
    let passkey = present("passkey")
        .map(|p| (member(&p, "id").as_f64().unwrap_or_default(), member(&p, "name").as_string().unwrap_or_default()));
    Ok(Step {
        session: present("session").map(|s| session_from(&s)).transpose()?,
        next,
        ceremony: present("ceremony").map(|c| ceremony_from(&c)).transpose()?,
        passkey,
        from,
    })
}

/// Reads a `SessionInfo`.
fn session_from(json: &JsValue) -> Result<SessionInfo, ApiError> {
    let user = member(json, "user");
    let text = |key: &str| member(&user, key).as_string().ok_or(ApiError::Network);
    let methods = member(json, "methods")
        .dyn_into::<Array>()
        .map_err(|_| ApiError::Network)?
        .iter()
        .filter_map(|m| m.as_string().and_then(|m| AuthMethod::from_wire(&m)))
        .collect();
    Ok(SessionInfo { user: UserInfo { email: text("email")?, display_name: text("displayName")? }, methods })
}

/// Writes a `SessionInfo`, for the element's event details.
pub fn session_to_js(session: &SessionInfo) -> JsValue {
    let user = object(&[
        ("email", &JsValue::from_str(&session.user.email)),
        ("displayName", &JsValue::from_str(&session.user.display_name)),
    ]);
    object(&[("user", &user), ("methods", &methods_to_js(&session.methods))])
}

/// The RFC 8176 method names of a session, as a JavaScript array.
pub fn methods_to_js(methods: &[AuthMethod]) -> JsValue {
    methods.iter().map(|m| JsValue::from_str(m.as_str())).collect::<Array>().into()
}
