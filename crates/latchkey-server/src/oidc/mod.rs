//! The OpenID Connect provider: any application signs people in with Latchkey through the authorization
//! code flow with PKCE (OpenID Connect Core 1.0, OAuth 2.0 under the OAuth 2.1 and RFC 9700 rules) and
//! gets ES256-signed tokens it can check offline against the JWKS. `docs/OIDC.md` is its manual.
//!
//! Architecture Invariant: the provider's answers are OAuth's own (`error.rs`), never the API's error
//! codes, and nothing here redirects to a URI the application did not register exactly.

pub mod authorize;
pub mod clients;
pub mod discovery;
pub mod error;
pub mod jws;
pub mod keys;
pub mod logout;
pub mod pages;
pub mod params;
pub mod revocation;
pub mod token;
pub mod tokens;
pub mod userinfo;
pub mod verify;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{Method, header},
    routing::get,
};
use tower_http::cors::{Any, CorsLayer};

use crate::state::AppState;

/// The provider's paths, under the issuer.
pub mod paths {
    /// The discovery document (OpenID Connect Discovery 1.0 §4).
    pub const DISCOVERY: &str = "/.well-known/openid-configuration";
    /// The authorization endpoint.
    pub const AUTHORIZE: &str = "/oauth2/authorize";
    /// "Sign in again" on the page for a sign-in that is not recent enough.
    pub const SIGN_IN_AGAIN: &str = "/oauth2/authorize/again";
    /// The token endpoint.
    pub const TOKEN: &str = "/oauth2/token";
    /// The UserInfo endpoint.
    pub const USERINFO: &str = "/oauth2/userinfo";
    /// The JWK Set.
    pub const JWKS: &str = "/oauth2/jwks.json";
    /// Token revocation.
    pub const REVOKE: &str = "/oauth2/revoke";
    /// RP-initiated logout.
    pub const LOGOUT: &str = "/oauth2/logout";
}

/// The largest form the token and revocation endpoints read: their parameters are a few hundred bytes.
const MAX_FORM_BYTES: usize = 8 * 1024;

/// The provider's routes. The ones applications call from scripts (discovery, keys, token, userinfo,
/// revocation) answer any origin without credentials, since single-page apps call them from their own
/// origin and prove themselves with PKCE and tokens, never cookies. The ones browsers navigate to
/// (authorization, logout) get no CORS at all.
pub fn router() -> Router<AppState> {
    let for_scripts = Router::new()
        .route(paths::DISCOVERY, get(discovery::openid_configuration))
        .route(paths::JWKS, get(discovery::jwks))
        .route(paths::TOKEN, axum::routing::post(token::token))
        .route(paths::USERINFO, get(userinfo::userinfo).post(userinfo::userinfo))
        .route(paths::REVOKE, axum::routing::post(revocation::revoke))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]),
        );
    let for_browsers = Router::new()
        .route(paths::AUTHORIZE, get(authorize::authorize).post(authorize::authorize_form))
        .route(paths::SIGN_IN_AGAIN, axum::routing::post(authorize::sign_in_again))
        .route(paths::LOGOUT, get(logout::logout).post(logout::confirm_logout));
    for_scripts.merge(for_browsers).layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
}
