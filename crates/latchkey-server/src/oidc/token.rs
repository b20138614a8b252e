//! The token endpoint (RFC 6749 §3.2): an authorization code for the first tokens (§4.1.3, with the PKCE
//! check of RFC 7636 §4.6), a refresh token for the next (§6, rotated on every use). A code or refresh
//! token used twice revokes its grant (RFC 9700 §4.5.3 and §4.14.2): its refresh tokens stop working, and
//! `userinfo` refuses its access tokens, which a resource server checking them offline sees expire within
//! ten minutes.

use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use latchkey_proto::events::EventCode;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{
    clients,
    error::{OAuthCode, OAuthError},
    keys,
    params::Params,
    tokens::{self, ACCESS_TOKEN_SECS, Issue, Person},
};
use crate::{
    events::{self, Client, Event},
    session,
    state::AppState,
    store::{ClientRow, GrantRow, NewRefreshToken, RefreshUse, now},
};

/// How long a refresh token is valid: 30 days, each one replaced by the next when used.
pub const REFRESH_TOKEN_SECS: i64 = 30 * 24 * 3600;

/// `POST /oauth2/token`.
pub async fn token(
    State(app): State<AppState>,
    requester: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let (client, form) = clients::authenticated_form(&app, &requester, &headers, &body).await?;
    match form.get("grant_type") {
        Some("authorization_code") => exchange_code(&app, &requester, &client, &form).await,
        Some("refresh_token") => refresh(&app, &requester, &client, &form).await,
        Some(_) => Err(OAuthError::new(OAuthCode::UnsupportedGrantType, "use authorization_code or refresh_token")),
        None => Err(OAuthError::new(OAuthCode::InvalidRequest, "grant_type is missing")),
    }
}

/// RFC 6749 §4.1.3: the code is the client's, for this redirect URI, unused and unexpired, and the
/// verifier matches its challenge.
async fn exchange_code(
    app: &AppState,
    requester: &Client,
    client: &ClientRow,
    form: &Params,
) -> Result<Response, OAuthError> {
    let (Some(code), Some(redirect_uri), Some(verifier)) =
        (form.get("code"), form.get("redirect_uri"), form.get("code_verifier"))
    else {
        return Err(OAuthError::new(OAuthCode::InvalidRequest, "code, redirect_uri and code_verifier are required"));
    };
    let refused = |description| OAuthError::new(OAuthCode::InvalidGrant, description);
    let code_hash = session::hash_secret(code);
    let stored = app.store.find_code(code_hash.clone()).await?.ok_or(refused("unknown code"))?;
    if stored.used {
        app.store.revoke_grant(stored.grant_id.clone()).await?;
        replayed(app, requester, stored.grant.as_ref(), "authorization_code").await;
        return Err(refused("the code was used before; what it issued is revoked"));
    }
    let grant = stored
        .grant
        .filter(|g| !stored.expired && g.client_id == client.id)
        .ok_or(refused("unknown or expired code"))?;
    if stored.redirect_uri != redirect_uri {
        return Err(refused("redirect_uri differs from the authorization request's"));
    }
    if !pkce_matches(verifier, &stored.code_challenge) {
        return Err(refused("code_verifier does not match the code_challenge"));
    }
    let refresh = session::new_secret();
    let next = NewRefreshToken { token_hash: refresh.id_hash, expires_at: now() + REFRESH_TOKEN_SECS };
    if !app.store.use_code(code_hash, next).await? {
        replayed(app, requester, Some(&grant), "authorization_code").await;
        return Err(refused("the code was used before; what it issued is revoked"));
    }
    tokens_response(app, &grant, &refresh.secret).await
}

/// RFC 6749 §6: the refresh token is the client's and live; it is used up and replaced.
async fn refresh(
    app: &AppState,
    requester: &Client,
    client: &ClientRow,
    form: &Params,
) -> Result<Response, OAuthError> {
    let token =
        form.get("refresh_token").ok_or(OAuthError::new(OAuthCode::InvalidRequest, "refresh_token is missing"))?;
    let next = session::new_secret();
    let stored = NewRefreshToken { token_hash: next.id_hash, expires_at: now() + REFRESH_TOKEN_SECS };
    match app.store.use_refresh_token(session::hash_secret(token), client.id.clone(), stored).await? {
        RefreshUse::Rotated(grant) => tokens_response(app, &grant, &next.secret).await,
        RefreshUse::Replayed => {
            replayed(app, requester, None, "refresh_token").await;
            Err(OAuthError::new(OAuthCode::InvalidGrant, "the refresh token was used before; its grant is revoked"))
        }
        RefreshUse::Refused => Err(OAuthError::new(OAuthCode::InvalidGrant, "unknown or expired refresh token")),
    }
}

/// RFC 7636 §4.6: `BASE64URL(SHA256(code_verifier)) == code_challenge`, for a verifier of 43 to 128
/// unreserved characters.
fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    well_formed && session::same_bytes(computed.as_bytes(), challenge.as_bytes())
}

/// The person a grant is about, as its tokens describe them now.
pub fn person(grant: &GrantRow) -> Person {
    Person {
        sub: tokens::subject(&grant.user_handle),
        email: grant.email.clone(),
        name: grant.display_name.clone(),
        email_verified: grant.email_verified,
        methods: session::decode_methods(&grant.methods),
        auth_time: grant.auth_time,
    }
}

/// RFC 6749 §5.1 and OpenID Connect Core 1.0 §3.1.3.3: the access token, the ID token and the next
/// refresh token, never cached.
async fn tokens_response(app: &AppState, grant: &GrantRow, refresh_token: &str) -> Result<Response, OAuthError> {
    let key = keys::signer(&app.store).await?;
    let person = person(grant);
    let issue = Issue { key: &key, issuer: app.config.issuer(), person: &person, now: now() };
    let body = json!({
        "access_token": tokens::access_token(&issue, &grant.client_id, &grant.scope, &grant.id),
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_SECS,
        "refresh_token": refresh_token,
        "id_token": tokens::id_token(&issue, &grant.client_id, &grant.scope, grant.nonce.as_deref(), &grant.id),
        "scope": grant.scope,
    });
    Ok(([(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")], Json(body)).into_response())
}

async fn replayed(app: &AppState, requester: &Client, grant: Option<&GrantRow>, what: &str) {
    let mut event = Event::new(EventCode::TokenReplayed).detail(json!({ "token": what }));
    if let Some(grant) = grant {
        event =
            event.user(grant.user_id).email(&grant.email).detail(json!({ "token": what, "client": grant.client_id }));
    }
    events::record(app, requester, event).await;
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pkce_check_is_rfc_7636s() {
        // The challenge computed independently (Python's hashlib and base64).
        let verifier = "dBjftJeZ4CVP-mJ92K1uoZ7WM0PRsi-Oc4_pT1Y6Ky3";
        assert!(super::pkce_matches(verifier, "iqeWsoeC6YXq-BzSBV4ovR9dg5LaPX_HxV6o7c8lDxc"));
        assert!(!super::pkce_matches(verifier, "iqeWsoeC6YXq-BzSBV4ovR9dg5LaPX_HxV6o7c8lDxd"));
        assert!(!super::pkce_matches("short", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }
}
