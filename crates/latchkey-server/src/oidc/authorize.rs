//! The authorization endpoint (RFC 6749 §4.1.1, OpenID Connect Core 1.0 §3.1.2): checks the application
//! and its redirect URI before anything else, then either sends the signed-in person back with a code,
//! answers `login_required` for `prompt=none`, asks a person whose sign-in is not enough to sign in again,
//! or shows Latchkey's login page, whose journey ends by coming back here.

use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use latchkey_proto::{events::EventCode, languages::choose};
use serde_json::json;
use sha2::Sha256;

use super::{
    error::{NotRedirected, OAuthCode},
    pages::{self, LoginPage},
    params::{Params, with_query},
    paths,
};
use crate::{
    error::ApiError,
    events::{self, Client, Event},
    handlers::sessions::browser_session,
    http, session,
    state::AppState,
    store::{ClientRow, NewCode, NewGrant, SessionRow, now},
};

/// How long a code may wait for its token request: a minute (RFC 6749 §4.1.2 recommends at most ten).
pub const CODE_SECS: i64 = 60;
/// How long a grant lives, however often it is refreshed: 90 days, then the person signs in again.
pub const GRANT_SECS: i64 = 90 * 24 * 3600;
/// The scopes this provider knows; others in a request are dropped from the grant (RFC 6749 §3.3).
pub const SCOPES: [&str; 4] = ["openid", "email", "profile", "offline_access"];

/// The parameters the login page adds when it sends the browser back: when it was shown, and a MAC that
/// proves this server wrote that time, so a sign-in after it satisfies `prompt=login` and `max_age`.
const SHOWN_AT: &str = "latchkey_shown_at";
const SHOWN_MAC: &str = "latchkey_shown_mac";

/// `GET /oauth2/authorize`: the parameters in the query.
pub async fn authorize(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, NotRedirected> {
    answer(&app, &client, &headers, query.as_deref().unwrap_or_default()).await
}

/// `POST /oauth2/authorize`: the parameters as a form (OpenID Connect Core 1.0 §3.1.2.1).
pub async fn authorize_form(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, NotRedirected> {
    let form = std::str::from_utf8(&body).map_err(|_| NotRedirected("The sign-in request is not readable."))?;
    answer(&app, &client, &headers, form).await
}

async fn answer(app: &AppState, client: &Client, headers: &HeaderMap, text: &str) -> Result<Response, NotRedirected> {
    let params = Params::parse(text).map_err(|_| NotRedirected("The sign-in link repeats a parameter."))?;
    let app_client = match params.get("client_id") {
        Some(id) => app.store.find_client(id.to_owned()).await?,
        None => None,
    };
    let app_client =
        app_client.ok_or(NotRedirected("The application asking you to sign in is not registered here."))?;
    let redirect_uri = params
        .get("redirect_uri")
        .filter(|uri| app_client.redirect_uris.iter().any(|registered| redirect_matches(registered, uri)))
        .ok_or(NotRedirected("The application's return address does not match the one registered here."))?
        .to_owned();
    let back =
        Back { redirect_uri, state: params.get("state").map(str::to_owned), issuer: app.config.issuer().to_owned() };
    let request = match Request::read(&params) {
        Ok(request) => request,
        Err((code, description)) => return Ok(back.error(code, description)),
    };
    let session = browser_session(app, headers).await?;
    let shown_at = shown_at(app, &params);
    let satisfied = session.as_ref().filter(|(_, s)| request.is_satisfied_by(s, shown_at));
    if let Some((id_hash, session)) = satisfied {
        let code = issue_code(app, &app_client, &request, session, id_hash.clone(), &back).await?;
        events::record(app, client, app_sign_in(session.user_id, &session.user.email, &app_client)).await;
        return Ok(back.with(&[("code", &code)]));
    }
    if request.prompt_none {
        return Ok(back.error(OAuthCode::LoginRequired, "nobody is signed in recently enough"));
    }
    let request_query = params.encode_without(&[SHOWN_AT, SHOWN_MAC]);
    let language = page_language(&params, client);
    if let Some((_, session)) = session {
        // Signed in, but not enough (`prompt=login`, `max_age`): the person confirms on our own page,
        // which ends the session and comes back, so a link from elsewhere cannot sign anyone out.
        return Ok(pages::sign_in_again(language, &app_client.name, &session.user.email, &request_query));
    }
    let continue_to = format!("{}?{}", paths::AUTHORIZE, shown_now(app, &request_query));
    Ok(pages::login(&LoginPage {
        rp_name: &app.config.rp_name,
        client_name: &app_client.name,
        continue_to: &continue_to,
        login_hint: request.login_hint.as_deref(),
        language,
    }))
}

/// The language of the provider's pages: the first of the request's `ui_locales` (OpenID Connect Core
/// 1.0 §3.1.2.1: BCP 47 tags separated by spaces, most preferred first) that Latchkey speaks, else the
/// browser's.
fn page_language(params: &Params, client: &Client) -> &'static str {
    let ui_locales = params.get("ui_locales").unwrap_or_default().replace(' ', ",");
    choose(&[ui_locales.as_str(), client.language].join(","))
}

/// `POST /oauth2/authorize/again`: "Sign in again" on that page. Only our own origin may send it; it ends
/// the session (the grants it made stay: the same person is signing in again) and returns to the request.
pub async fn sign_in_again(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, NotRedirected> {
    if !http::from_own_origin(app.config.issuer(), &headers) {
        return Err(NotRedirected("Sign in again from Latchkey's own page."));
    }
    let form = Params::parse(std::str::from_utf8(&body).unwrap_or_default())
        .map_err(|_| NotRedirected("The form repeats a field."))?;
    let request = Params::parse(form.get("request").unwrap_or_default())
        .map_err(|_| NotRedirected("The sign-in link repeats a parameter."))?;
    if let Some((id_hash, _)) = browser_session(&app, &headers).await? {
        app.store.revoke_session(id_hash).await?;
    }
    let location = format!("{}?{}", paths::AUTHORIZE, request.encode_without(&[SHOWN_AT, SHOWN_MAC]));
    let clear = session::clear_cookie(app.config.is_https());
    Ok((StatusCode::SEE_OTHER, [(header::SET_COOKIE, clear)], [(header::LOCATION, location)]).into_response())
}

/// Whether a request's `redirect_uri` is the registered one: the same string (RFC 9700 §4.1.3), except
/// that a native app's loopback IP address may have any port (RFC 8252 §7.3), since it listens wherever
/// the system let it.
fn redirect_matches(registered: &str, given: &str) -> bool {
    if registered == given {
        return true;
    }
    let (Ok(mut registered), Ok(mut given)) = (url::Url::parse(registered), url::Url::parse(given)) else {
        return false;
    };
    let loopback_ip = |url: &url::Url| url.scheme() == "http" && matches!(url.host_str(), Some("127.0.0.1" | "[::1]"));
    if !(loopback_ip(&registered) && loopback_ip(&given)) {
        return false;
    }
    let _ = (registered.set_port(None), given.set_port(None));
    registered == given
}

/// Where answers go once the application and its redirect URI are known.
struct Back {
    redirect_uri: String,
    state: Option<String>,
    issuer: String,
}

impl Back {
    /// A `303` to the application with `pairs`, `state` as sent and `iss` (RFC 9207 §2).
    fn with(&self, pairs: &[(&str, &str)]) -> Response {
        let mut all = pairs.to_vec();
        if let Some(state) = &self.state {
            all.push(("state", state));
        }
        all.push(("iss", &self.issuer));
        let location = with_query(&self.redirect_uri, &all);
        (StatusCode::SEE_OTHER, [(header::LOCATION, location), (header::CACHE_CONTROL, "no-store".into())])
            .into_response()
    }

    /// An error answer (RFC 6749 §4.1.2.1).
    fn error(&self, code: OAuthCode, description: &str) -> Response {
        tracing::info!(error = code.as_str(), description, "authorization request refused");
        self.with(&[("error", code.as_str()), ("error_description", description)])
    }
}

/// A checked authorization request.
struct Request {
    scope: String,
    code_challenge: String,
    nonce: Option<String>,
    prompt_none: bool,
    prompt_login: bool,
    max_age: Option<i64>,
    login_hint: Option<String>,
}

impl Request {
    /// Checks what RFC 6749 §4.1.1, RFC 7636 §4.3 and OpenID Connect Core 1.0 §3.1.2.1 require.
    fn read(params: &Params) -> Result<Self, (OAuthCode, &'static str)> {
        if params.get("request").is_some() || params.get("request_uri").is_some() {
            return Err((OAuthCode::RequestNotSupported, "request objects are not supported"));
        }
        match params.get("response_type") {
            Some("code") => {}
            Some(_) => return Err((OAuthCode::UnsupportedResponseType, "only response_type=code is supported")),
            None => return Err((OAuthCode::InvalidRequest, "response_type is missing")),
        }
        let requested = params.get("scope").unwrap_or_default();
        if !requested.split(' ').any(|s| s == "openid") {
            return Err((OAuthCode::InvalidScope, "the scope must include openid"));
        }
        let scope =
            SCOPES.iter().filter(|known| requested.split(' ').any(|s| s == **known)).copied().collect::<Vec<_>>();
        // RFC 9700 §2.1.1 and OAuth 2.1: PKCE for every client, and only S256.
        let code_challenge = params
            .get("code_challenge")
            .filter(|_| params.get("code_challenge_method") == Some("S256"))
            .filter(|c| c.len() == 43 && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
            .ok_or((
                OAuthCode::InvalidRequest,
                "PKCE is required: send code_challenge with code_challenge_method=S256",
            ))?;
        let prompts: Vec<&str> =
            params.get("prompt").unwrap_or_default().split(' ').filter(|p| !p.is_empty()).collect();
        if prompts.iter().any(|p| !matches!(*p, "none" | "login" | "consent" | "select_account")) {
            return Err((OAuthCode::InvalidRequest, "unknown prompt value"));
        }
        let prompt_none = prompts.contains(&"none");
        if prompt_none && prompts.len() > 1 {
            return Err((OAuthCode::InvalidRequest, "prompt=none cannot be combined with other values"));
        }
        let max_age = match params.get("max_age") {
            Some(text) => {
                Some(text.parse::<u32>().map_err(|_| (OAuthCode::InvalidRequest, "max_age must be seconds"))?)
            }
            None => None,
        };
        Ok(Self {
            scope: scope.join(" "),
            code_challenge: code_challenge.to_owned(),
            nonce: params.get("nonce").map(str::to_owned),
            prompt_none,
            // Latchkey has no consent screen and one account per browser, so `consent` needs nothing
            // more and `select_account` is a fresh sign-in.
            prompt_login: prompts.iter().any(|p| matches!(*p, "login" | "select_account")),
            max_age: max_age.map(i64::from),
            login_hint: params.get("login_hint").map(str::to_owned),
        })
    }

    /// Whether `session` is enough: a sign-in since the login page was shown always is; otherwise only
    /// without `prompt=login` and within `max_age`.
    fn is_satisfied_by(&self, session: &SessionRow, shown_at: Option<i64>) -> bool {
        if shown_at.is_some_and(|shown| session.created_at >= shown) {
            return true;
        }
        !self.prompt_login && self.max_age.is_none_or(|max_age| now() - session.created_at <= max_age)
    }
}

/// The request's parameters with the time the login page is shown and its MAC.
fn shown_now(app: &AppState, request: &str) -> String {
    let at = now().to_string();
    let mac = URL_SAFE_NO_PAD.encode(mac(app, &at, request).finalize().into_bytes());
    format!("{request}&{SHOWN_AT}={at}&{SHOWN_MAC}={mac}")
}

/// When the login page was shown for this very request, if the browser came back from it.
fn shown_at(app: &AppState, params: &Params) -> Option<i64> {
    let at = params.get(SHOWN_AT)?;
    let given = URL_SAFE_NO_PAD.decode(params.get(SHOWN_MAC)?).ok()?;
    let request = params.encode_without(&[SHOWN_AT, SHOWN_MAC]);
    mac(app, at, &request).verify_slice(&given).ok()?;
    at.parse().ok()
}

fn mac(app: &AppState, at: &str, request: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(&app.provider_key).unwrap_or_else(|_| unreachable!());
    mac.update(at.as_bytes());
    mac.update(b"|");
    mac.update(request.as_bytes());
    mac
}

/// Stores a grant and its code for `session`; returns the code.
async fn issue_code(
    app: &AppState,
    client: &ClientRow,
    request: &Request,
    session: &SessionRow,
    session_hash: Vec<u8>,
    back: &Back,
) -> Result<String, ApiError> {
    let code = session::new_secret();
    let time = now();
    let grant = NewGrant {
        id: session::new_secret().secret,
        client_id: client.id.clone(),
        user_id: session.user_id,
        session_hash,
        scope: request.scope.clone(),
        methods: session.methods.clone(),
        auth_time: session.created_at,
        nonce: request.nonce.clone(),
        expires_at: time + GRANT_SECS,
    };
    let stored = NewCode {
        code_hash: code.id_hash,
        redirect_uri: back.redirect_uri.clone(),
        code_challenge: request.code_challenge.clone(),
        expires_at: time + CODE_SECS,
    };
    app.store.issue_code(grant, stored).await?;
    Ok(code.secret)
}

fn app_sign_in(user_id: i64, email: &str, client: &ClientRow) -> Event {
    Event::new(EventCode::AppSignIn)
        .user(user_id)
        .email(email)
        .detail(json!({ "client": client.id, "name": client.name }))
}

#[cfg(test)]
mod tests {
    use super::redirect_matches;

    #[test]
    fn redirect_uris_match_exactly_but_a_loopback_ip_takes_any_port() {
        assert!(redirect_matches("https://a.example/cb", "https://a.example/cb"));
        assert!(!redirect_matches("https://a.example/cb", "https://a.example/cb/"));
        assert!(!redirect_matches("https://a.example/cb", "https://a.example:8443/cb"));
        assert!(redirect_matches("http://127.0.0.1/cb", "http://127.0.0.1:51004/cb"));
        assert!(redirect_matches("http://[::1]:80/cb", "http://[::1]:6000/cb"));
        assert!(!redirect_matches("http://127.0.0.1/cb", "http://127.0.0.1:51004/other"));
        assert!(!redirect_matches("http://localhost:3000/cb", "http://localhost:3001/cb"), "a name is not an IP");
    }
}
