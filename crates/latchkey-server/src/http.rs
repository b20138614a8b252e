//! The HTTP kit every handler uses: the JSON extractor with our error codes, `no_store`, the fallbacks
//! for unknown paths and methods, the origin rules (the `Origin` check and CORS), the security headers
//! and the panic boundary.

use axum::{
    Router,
    body::Bytes,
    extract::{FromRequest, Request},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use latchkey_proto::ErrorCode;
use serde::de::DeserializeOwned;
use tower_http::{
    catch_panic::CatchPanicLayer,
    cors::{AllowOrigin, CorsLayer},
    set_header::SetResponseHeaderLayer,
};

use crate::{error::ApiError, state};

/// The policy for every page the server serves: everything from our own origin only (scripts, WASM,
/// styles, requests, forms), images also as `data:` (the passkey providers' monograms), no plugins, no
/// `<base>`, and never in a frame.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";

/// [`CONTENT_SECURITY_POLICY`] for a page whose form may also lead to `origin` (CSP 3 `form-action`
/// covers the redirects a form submission follows).
pub fn content_security_policy_with_form_target(origin: &str) -> String {
    CONTENT_SECURITY_POLICY.replacen("form-action 'self'", &format!("form-action 'self' {origin}"), 1)
}

/// The browser features our pages use (passkeys, from our own origin only) and the powerful ones they
/// never need, refused.
const PERMISSIONS_POLICY: &str = "publickey-credentials-get=(self), publickey-credentials-create=(self), \
    camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), bluetooth=()";

/// HTTP Strict Transport Security for a year, sent only when every origin is https (RFC 6797 §7.2: never
/// over plain http). Subdomains are left to their owners.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// Whether a form was posted from a page of `issuer`'s own origin (the provider's confirmation forms). Under our `Referrer-Policy:
/// no-referrer` browsers send a form `POST`'s `Origin` as `null` (Fetch §3.1, "serializing a request
/// origin"), so `Sec-Fetch-Site: same-origin`, which no page can forge, says it too.
pub fn from_own_origin(issuer: &str, headers: &HeaderMap) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let issuer = url::Url::parse(issuer).map(|u| u.origin().ascii_serialization()).unwrap_or_default();
    let origin = value(header::ORIGIN.as_str());
    origin == Some(issuer.as_str())
        || (matches!(origin, None | Some("null")) && value(SEC_FETCH_SITE) == Some("same-origin"))
}

/// Fetch Metadata's header (W3C Fetch Metadata Request Headers §2.4).
const SEC_FETCH_SITE: &str = "sec-fetch-site";

/// Adds the headers every answer carries: no MIME sniffing, no referrer (links carry codes and tokens),
/// a browsing context group of our own (`Cross-Origin-Opener-Policy`), the permissions policy, and over
/// https HSTS.
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(router: Router<S>, https: bool) -> Router<S> {
    let fixed = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    let router = router
        .layer(fixed(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(fixed(header::REFERRER_POLICY, "no-referrer"))
        .layer(fixed(HeaderName::from_static("cross-origin-opener-policy"), "same-origin"))
        .layer(fixed(HeaderName::from_static("permissions-policy"), PERMISSIONS_POLICY));
    if https { router.layer(fixed(header::STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY)) } else { router }
}

/// Turns a panic in a handler into `500 internal` (logged), so one bad request costs only itself: the
/// connection is answered and the server goes on.
pub fn panic_boundary() -> CatchPanicLayer<fn(Box<dyn std::any::Any + Send>) -> Response> {
    CatchPanicLayer::custom(answer_panic as fn(Box<dyn std::any::Any + Send>) -> Response)
}

fn answer_panic(panic: Box<dyn std::any::Any + Send>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    ApiError::internal("a handler panicked", message).into_response()
}

/// The header of `GET /api/session` that carries the policy's `challenge_ui`.
pub const CHALLENGE_UI_HEADER: &str = "latchkey-challenge-ui";

/// A JSON request body, refused with our error codes instead of axum's plain-text bodies: the
/// `Content-Type` must be JSON (`unsupported_media_type`), the body at most the limit
/// (`payload_too_large`), and a JSON object (`malformed_request`: serde would take `[]` for a struct
/// whose members are all optional).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers()) {
            return Err(ApiError::new(ErrorCode::UnsupportedMediaType));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            let code = match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
                _ => ErrorCode::MalformedRequest,
            };
            ApiError::with_detail(code, rejection.body_text())
        })?;
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::with_detail(ErrorCode::MalformedRequest, "the body must be a JSON object"));
        }
        let value = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::with_detail(ErrorCode::MalformedRequest, e.to_string()))?;
        Ok(Self(value))
    }
}

/// Whether the `Content-Type` is JSON: `application/json`, or a `+json` type (RFC 6839 §3.1).
fn is_json(headers: &HeaderMap) -> bool {
    let Some(media_type) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

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

#[cfg(test)]
mod tests {
    use axum::{Router, body::Body, http::Request, routing::get};
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("a bug")
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_internal_and_the_router_goes_on() {
        let router: Router = Router::new()
            .route("/boom", get(boom))
            .route("/fine", get(|| async { "fine" }))
            .layer(super::panic_boundary());
        let get = |path: &str| Request::get(path).body(Body::empty()).expect("a request");
        let boom = router.clone().oneshot(get("/boom")).await.expect("an answer");
        assert_eq!(boom.status(), 500);
        let body = axum::body::to_bytes(boom.into_body(), 1024).await.expect("a body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(body["code"], "internal");
        let fine = router.oneshot(get("/fine")).await.expect("an answer");
        assert_eq!(fine.status(), 200);
    }
}
