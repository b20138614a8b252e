//! What applications read before anything else: the provider's metadata (OpenID Connect Discovery 1.0 §3,
//! RFC 8414 §2) and its public keys (RFC 7517 §5).

use axum::{
    Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use latchkey_proto::languages::LANGUAGES;
use serde_json::json;

use super::{authorize::SCOPES, error::OAuthError, keys, paths};
use crate::state::AppState;

/// `GET /.well-known/openid-configuration`.
pub async fn openid_configuration(State(app): State<AppState>) -> Response {
    let issuer = app.config.issuer();
    let at = |path: &str| format!("{issuer}{path}");
    let client_auth = ["client_secret_basic", "client_secret_post", "none"];
    let metadata = json!({
        "issuer": issuer,
        "authorization_endpoint": at(paths::AUTHORIZE),
        "token_endpoint": at(paths::TOKEN),
        "userinfo_endpoint": at(paths::USERINFO),
        "jwks_uri": at(paths::JWKS),
        "revocation_endpoint": at(paths::REVOKE),
        "end_session_endpoint": at(paths::LOGOUT),
        "scopes_supported": SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "token_endpoint_auth_methods_supported": client_auth,
        "revocation_endpoint_auth_methods_supported": client_auth,
        "code_challenge_methods_supported": ["S256"],
        "prompt_values_supported": ["none", "login", "consent", "select_account"],
        "acr_values_supported": ["phr", "0"],
        // The languages of the login page and its widget, chosen by `ui_locales` (OpenID Connect Discovery
        // 1.0 §3).
        "ui_locales_supported": LANGUAGES,
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "amr", "acr", "azp", "sid",
                             "email", "email_verified", "name"],
        "authorization_response_iss_parameter_supported": true,
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
    });
    ([(header::CACHE_CONTROL, "max-age=300")], Json(metadata)).into_response()
}

/// `GET /oauth2/jwks.json`: read from the database each time, so a rotated key is published by every
/// node at once; clients may cache it for a minute and fetch it again for a `kid` they do not know.
pub async fn jwks(State(app): State<AppState>) -> Result<Response, OAuthError> {
    let keys = keys::jwks(&app.store).await?;
    Ok(([(header::CACHE_CONTROL, "max-age=60")], Json(keys)).into_response())
}
