//! The provider's errors: the closed set of OAuth 2.0 and OpenID Connect error codes, and the one place
//! they become answers: JSON at the token and revocation endpoints (RFC 6749 §5.2), a `WWW-Authenticate`
//! challenge at `userinfo` (RFC 6750 §3), and at the authorization endpoint either a redirect back to the
//! application (RFC 6749 §4.1.2.1) or, when the application cannot be trusted with one, a page.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::pages;
use crate::{error::ApiError, store::StoreError};

/// An error code from RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1 and OpenID Connect Core
/// 1.0 §3.1.2.6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OAuthCode {
    /// A parameter is missing, repeated, or not understood.
    InvalidRequest,
    /// The client could not be authenticated.
    InvalidClient,
    /// The code or refresh token is unknown, used, expired, another client's, or its PKCE check failed.
    InvalidGrant,
    /// The grant type is not one this server issues.
    UnsupportedGrantType,
    /// The response type is not `code`.
    UnsupportedResponseType,
    /// The scope does not include `openid`.
    InvalidScope,
    /// `prompt=none` and nobody is signed in (or not recently enough).
    LoginRequired,
    /// `request` and `request_uri` are not supported.
    RequestNotSupported,
    /// The access token is missing, expired, revoked, or not ours.
    InvalidToken,
    /// Too many failed client authentications from this address (RFC 6749 §4.1.2.1's code for a server
    /// that cannot handle the request now), with `429` and `Retry-After`.
    TemporarilyUnavailable,
    /// The server failed.
    ServerError,
}

impl OAuthCode {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::LoginRequired => "login_required",
            Self::RequestNotSupported => "request_not_supported",
            Self::InvalidToken => "invalid_token",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::ServerError => "server_error",
        }
    }
}

/// An error of the token, revocation or userinfo endpoint.
#[derive(Debug)]
pub struct OAuthError {
    code: OAuthCode,
    /// For the developer reading the response (`error_description`).
    description: &'static str,
    /// What the request sent, which decides the 401's challenge.
    sent: Sent,
    /// For [`OAuthCode::TemporarilyUnavailable`]: the seconds to wait.
    retry_after: Option<u64>,
}

/// What a refused request sent, as far as its `WWW-Authenticate` challenge depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sent {
    /// Credentials that were wrong, or nothing that matters.
    Something,
    /// No access token at all: RFC 6750 §3.1's bare `Bearer` challenge, without an error.
    NoToken,
}

impl OAuthError {
    /// An error with its description.
    pub fn new(code: OAuthCode, description: &'static str) -> Self {
        Self { code, description, sent: Sent::Something, retry_after: None }
    }

    /// `invalid_client`: the client could not be authenticated.
    pub fn client_refused() -> Self {
        Self::new(OAuthCode::InvalidClient, "client authentication failed")
    }

    /// A request to a protected resource that carried no access token at all.
    pub fn no_token() -> Self {
        Self {
            code: OAuthCode::InvalidToken,
            description: "an access token is required",
            sent: Sent::NoToken,
            retry_after: None,
        }
    }

    /// The code.
    pub fn code(&self) -> OAuthCode {
        self.code
    }
}

impl From<StoreError> for OAuthError {
    fn from(e: StoreError) -> Self {
        tracing::error!(%e, "OpenID provider");
        Self::new(OAuthCode::ServerError, "the server failed; try again")
    }
}

impl From<ApiError> for OAuthError {
    fn from(e: ApiError) -> Self {
        if let Some(seconds) = e.retry_after() {
            let description = "too many failed client authentications from this address";
            return Self { retry_after: Some(seconds), ..Self::new(OAuthCode::TemporarilyUnavailable, description) };
        }
        tracing::error!(code = e.code().as_str(), "OpenID provider");
        Self::new(OAuthCode::ServerError, "the server failed; try again")
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        tracing::info!(error = self.code.as_str(), description = self.description, "OAuth request refused");
        let status = match self.code {
            OAuthCode::InvalidClient | OAuthCode::InvalidToken => StatusCode::UNAUTHORIZED,
            OAuthCode::TemporarilyUnavailable => StatusCode::TOO_MANY_REQUESTS,
            OAuthCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        };
        // RFC 9110 §15.5.2: every 401 names the scheme to use (for a client, Basic, whichever way it
        // tried: RFC 6749 §5.2).
        let challenge = match (self.code, self.sent) {
            (OAuthCode::InvalidToken, Sent::NoToken) => Some("Bearer".to_owned()),
            (OAuthCode::InvalidToken, Sent::Something) => {
                Some(format!(r#"Bearer error="invalid_token", error_description="{}""#, self.description))
            }
            (OAuthCode::InvalidClient, _) => Some(r#"Basic realm="latchkey""#.to_owned()),
            _ => None,
        };
        let body = json!({ "error": self.code.as_str(), "error_description": self.description });
        let mut response = (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response();
        if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
        }
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// An authorization request the server will not send back to the application: an unknown client or a
/// redirect URI it did not register. RFC 6749 §4.1.2.1: the user is told, and never redirected.
#[derive(Debug)]
pub struct NotRedirected(pub &'static str);

impl From<StoreError> for NotRedirected {
    fn from(e: StoreError) -> Self {
        tracing::error!(%e, "OpenID provider page");
        Self("The server failed; try again.")
    }
}

impl From<ApiError> for NotRedirected {
    fn from(e: ApiError) -> Self {
        tracing::error!(code = e.code().as_str(), "OpenID provider page");
        Self("The server failed; try again.")
    }
}

impl IntoResponse for NotRedirected {
    fn into_response(self) -> Response {
        tracing::info!(reason = self.0, "authorization request refused without a redirect");
        pages::problem(StatusCode::BAD_REQUEST, self.0)
    }
}
