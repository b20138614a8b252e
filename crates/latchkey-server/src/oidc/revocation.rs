//! Token revocation (RFC 7009): an application hands back a refresh token or an access token, and the grant
//! behind it ends, with every token it issued.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{
    clients,
    error::{OAuthCode, OAuthError},
    verify,
};
use crate::{events::Client, session, state::AppState};

/// `POST /oauth2/revoke`: `200` whether or not the token was known (RFC 7009 §2.2), so the answer tells
/// nothing about other applications' tokens.
pub async fn revoke(
    State(app): State<AppState>,
    requester: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let (client, form) = clients::authenticated_form(&app, &requester, &headers, &body).await?;
    let token = form.get("token").ok_or(OAuthError::new(OAuthCode::InvalidRequest, "token is missing"))?;
    // Our access tokens are JWTs and our refresh tokens are not, so the token says which it is whatever
    // `token_type_hint` claims (§2.1 lets the server look further than the hint).
    match verify::access_token(&app, token).await? {
        Some(access) if access.text("client_id") == Some(client.id.as_str()) => {
            if let Some(grant_id) = access.text("sid") {
                app.store.revoke_grant(grant_id.to_owned()).await?;
            }
        }
        Some(_) => {}
        None => app.store.revoke_refresh_token(session::hash_secret(token), client.id).await?,
    }
    Ok((StatusCode::OK, [(header::CACHE_CONTROL, "no-store")]).into_response())
}
