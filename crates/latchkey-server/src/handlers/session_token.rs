//! `POST /api/session/token`: a short-lived JWT that says who is signed in, for a page that embeds the
//! widget on its own site. The page hands it to its own backend, which verifies it against the JWKS with
//! any JOSE library, so no backend has to trust a browser-side event or call Latchkey back.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, header},
    response::Response,
};
use latchkey_proto::{ErrorCode, SessionToken};

use crate::{
    error::ApiError,
    handlers::{account::account_by_id, sessions::browser_session},
    http::no_store,
    oidc::{
        keys,
        tokens::{self, Issue, Person, SESSION_TOKEN_SECS},
    },
    session,
    state::{AppState, InForce},
    store::now,
};

/// Signs a token for the current session. Its audience is the page's origin, which must be one the
/// policy allows (browsers send `Origin` with every `POST`), so a backend accepts only tokens meant for
/// its own site.
pub async fn session_token(
    State(app): State<AppState>,
    InForce(live): InForce,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (_, row) = browser_session(&app, &headers).await?.ok_or(ErrorCode::NotSignedIn)?;
    let account = account_by_id(&app, row.user_id).await?;
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| live.policy.allows_origin(o))
        .ok_or_else(|| ApiError::with_detail(ErrorCode::OriginNotAllowed, "a session token needs the page's Origin"))?
        .to_owned();
    let person = Person {
        sub: tokens::subject(&account.handle),
        email: account.email,
        name: account.display_name,
        email_verified: account.email_verified,
        methods: session::decode_methods(&row.methods),
        auth_time: row.created_at,
    };
    let key = keys::signer(&app.store).await?;
    let token =
        tokens::session_token(&Issue { key: &key, issuer: app.config.issuer(), person: &person, now: now() }, &origin);
    Ok(no_store(Json(SessionToken { token, expires_in: SESSION_TOKEN_SECS as u64 })))
}
