//! The UserInfo endpoint (OpenID Connect Core 1.0 §5.3): the claims the grant's scope releases, for a live
//! access token (RFC 6750 §2.1, in the `Authorization` header).

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};

use super::{
    error::{OAuthCode, OAuthError},
    token::person,
    tokens::{PersonClaims, Released},
    verify,
};
use crate::state::AppState;

/// `GET` or `POST /oauth2/userinfo`.
pub async fn userinfo(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, OAuthError> {
    let refused = || OAuthError::new(OAuthCode::InvalidToken, "the access token is missing, expired or revoked");
    // RFC 9110 §11.1: the scheme's name is case-insensitive.
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
        .map(|(_, token)| token)
        .ok_or_else(OAuthError::no_token)?;
    let verified = verify::access_token(&app, token.trim()).await?.ok_or_else(refused)?;
    let grant_id = verified.text("sid").ok_or_else(refused)?.to_owned();
    // The signature says who; the grant says whether it still holds (not revoked, the account enabled).
    let grant = app.store.live_grant(grant_id).await?.ok_or_else(refused)?;
    if verified.text("client_id") != Some(grant.client_id.as_str()) {
        return Err(refused());
    }
    let person = person(&grant);
    let claims = PersonClaims::of(&person, Released::by(&grant.scope));
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(claims)).into_response())
}
