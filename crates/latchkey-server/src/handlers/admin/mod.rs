//! The administrator's API, one module per section of the console: the passkey policy, the event log,
//! the applications and the users. Every request needs the configured bearer token ([`Admin`]).

pub mod clients;
pub mod events;
pub mod policy;
pub mod users;

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts},
};
use latchkey_proto::ErrorCode;
use sha2::{Digest, Sha256};

use crate::{
    error::ApiError,
    events::Client,
    limits::{self, Subject},
    session,
    state::AppState,
};

/// Proof that a request carries the administrator's token. Without a configured token, or with a
/// wrong one, the request is refused with `forbidden`; an address that sent too many wrong tokens
/// ([`limits::ADMIN_FAILURES_PER_IP`]) is refused with `rate_limited` before its token is compared.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let Ok(client) = Client::from_request_parts(parts, app).await;
        // A read before the comparison, which is instant: a burst of wrong tokens is bounded by the
        // connection cap, and the token's 16 characters at least put it beyond guessing anyway.
        limits::check(app, limits::ADMIN_FAILURES_PER_IP, Subject::Ip(&client)).await?;
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match (given, &app.config.admin_token) {
            (Some(given), Some(expected)) if same_secret(given, expected) => Ok(Admin),
            _ => {
                limits::count(app, limits::ADMIN_FAILURES_PER_IP, Subject::Ip(&client)).await?;
                Err(ApiError::new(ErrorCode::Forbidden))
            }
        }
    }
}

/// Compares two secrets in time that depends on neither: their SHA-256 digests (equal length whatever
/// the inputs) are compared byte by byte without stopping at the first difference.
fn same_secret(given: &str, expected: &str) -> bool {
    session::same_bytes(&Sha256::digest(given.as_bytes()), &Sha256::digest(expected.as_bytes()))
}
