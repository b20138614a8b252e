//! The HTTP kit every handler uses: the JSON extractor with our error codes, `no_store`, the fallbacks
//! for unknown paths and methods, and the origin rules (the `Origin` check and CORS).

use axum::{
    Json,
    extract::{FromRequest, Request},
    http::{HeaderName, HeaderValue, Method, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use latchkey_proto::ErrorCode;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::{error::ApiError, state};

/// The policy for every page the server serves: our scripts only, WASM allowed, nothing framed.
pub const CONTENT_SECURITY_POLICY: &str =
    "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The header of `GET /api/session` that carries the policy's `challenge_ui`.
pub const CHALLENGE_UI_HEADER: &str = "latchkey-challenge-ui";

/// `Json` whose rejections answer with our error codes instead of axum's plain-text bodies.
#[derive(FromRequest)]
#[from_request(via(Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// Marks an API answer as never cacheable: options carry challenges and sessions carry identities.
pub fn no_store(response: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], response).into_response()
}

/// Any other `/api/…` path.
pub async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound)
}

/// A known `/api/…` path with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(ErrorCode::MethodNotAllowed)
}

/// Whether the request's pinned policy allows this origin.
fn allows(parts: &Parts, origin: &HeaderValue) -> bool {
    let live = state::pinned(parts);
    origin.to_str().is_ok_and(|o| live.is_some_and(|live| live.policy.allows_origin(o)))
}

/// Lets the configured origins call the API with the session cookie, so a login page on
/// `https://www.example.com` can use a server on `https://login.example.com` (the element's `api`
/// attribute). The cookie stays `SameSite=Lax`, so this works within one site, never across sites.
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, parts: &Parts| allows(parts, origin)))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .expose_headers([HeaderName::from_static(CHALLENGE_UI_HEADER)])
}

/// Refuses API calls a browser made from a page we do not serve. Browsers always send `Origin` on
/// cross-origin requests and on POSTs, so this stops cross-site request forgery (sign-out included);
/// requests without the header (curl, server-to-server) are left to the other checks.
pub async fn refuse_foreign_origins(request: Request, next: Next) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    if let Some(origin) = parts.headers.get(header::ORIGIN)
        && !allows(&parts, origin)
    {
        return Err(ApiError::with_detail(ErrorCode::OriginNotAllowed, format!("Origin {origin:?}")));
    }
    Ok(next.run(Request::from_parts(parts, body)).await)
}
