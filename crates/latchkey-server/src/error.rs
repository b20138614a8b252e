//! API errors: a code from the closed set, turned into a `{"code", "message"}` response. The one place
//! where the domain's errors (ceremonies, the store and its refusals) become codes and HTTP statuses.

use axum::{
    Json,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use latchkey_proto::{ErrorBody, ErrorCode};

use crate::{
    ceremony::CeremonyError,
    store::{AddPasskeyRefused, CreateAccountError, DeleteRefused, ResetRefused, SignInRefused, StoreError},
};

/// An error a handler returns; it answers with its code and never with internal details.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    /// Why, for the server log only.
    detail: Option<String>,
    /// With `rate_limited`: the seconds until the client may try again.
    retry_after: Option<u64>,
}

impl ApiError {
    /// An error with nothing more to log than its code.
    pub fn new(code: ErrorCode) -> Self {
        Self { code, detail: None, retry_after: None }
    }

    /// `rate_limited`, for `retry_after` more seconds; `limit` names the limit in the log.
    pub fn rate_limited(limit: &str, retry_after: u64) -> Self {
        Self { code: ErrorCode::RateLimited, detail: Some(format!("limit {limit}")), retry_after: Some(retry_after) }
    }

    /// An error with a cause worth logging, which the client never sees.
    pub fn with_detail(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self { code, detail: Some(detail.into()), retry_after: None }
    }

    /// The server failed at `what`: answers `internal`, and logs `cause` (never sent to the client).
    pub fn internal(what: &str, cause: impl std::fmt::Debug) -> Self {
        Self::with_detail(ErrorCode::Internal, format!("{what}: {cause:?}"))
    }

    /// The code this error answers with.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// For `rate_limited`: the seconds until the limit's window ends.
    pub fn retry_after(&self) -> Option<u64> {
        self.retry_after
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        Self::new(code)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        Self::with_detail(ErrorCode::Internal, e.0)
    }
}

impl From<CeremonyError> for ApiError {
    fn from(e: CeremonyError) -> Self {
        match e {
            CeremonyError::Malformed(detail) => Self::with_detail(ErrorCode::MalformedRequest, detail),
            CeremonyError::CredentialIdTooLong => Self::new(ErrorCode::CredentialIdTooLong),
            CeremonyError::InvalidEmail => Self::new(ErrorCode::InvalidEmail),
            CeremonyError::InvalidDisplayName => Self::new(ErrorCode::InvalidDisplayName),
            CeremonyError::Expired(detail) => Self::with_detail(ErrorCode::CeremonyExpired, detail),
            CeremonyError::WrongOrigin(detail) => Self::with_detail(ErrorCode::OriginNotAllowed, detail),
            CeremonyError::CounterRegression(detail) => Self::with_detail(ErrorCode::CounterRegression, detail),
            CeremonyError::Rejected(detail) => Self::with_detail(ErrorCode::CredentialRejected, detail),
            CeremonyError::Internal(what, cause) => Self::internal(what, cause),
        }
    }
}

impl From<CreateAccountError> for ApiError {
    fn from(e: CreateAccountError) -> Self {
        Self::new(match e {
            CreateAccountError::EmailTaken => ErrorCode::EmailTaken,
            CreateAccountError::CredentialExists => ErrorCode::CredentialExists,
            CreateAccountError::ProofSpent => ErrorCode::EmailCodeInvalid,
        })
    }
}

impl From<AddPasskeyRefused> for ApiError {
    fn from(e: AddPasskeyRefused) -> Self {
        Self::new(match e {
            AddPasskeyRefused::CredentialExists => ErrorCode::CredentialExists,
            AddPasskeyRefused::TooMany => ErrorCode::TooManyPasskeys,
            AddPasskeyRefused::EnrollmentUsed => ErrorCode::CeremonyUnknown,
            AddPasskeyRefused::SessionEnded => ErrorCode::NotSignedIn,
            AddPasskeyRefused::LinkUsed => ErrorCode::ResetLinkInvalid,
            AddPasskeyRefused::AccountDisabled => ErrorCode::AccountDisabled,
        })
    }
}

impl From<ResetRefused> for ApiError {
    fn from(e: ResetRefused) -> Self {
        Self::new(match e {
            ResetRefused::LinkInvalid => ErrorCode::ResetLinkInvalid,
            ResetRefused::AccountDisabled => ErrorCode::AccountDisabled,
        })
    }
}

impl From<DeleteRefused> for ApiError {
    fn from(e: DeleteRefused) -> Self {
        Self::new(match e {
            DeleteRefused::Unknown => ErrorCode::CredentialUnknown,
            DeleteRefused::LastSignInMethod => ErrorCode::LastSignInMethod,
        })
    }
}

impl From<SignInRefused> for ApiError {
    fn from(e: SignInRefused) -> Self {
        match e {
            SignInRefused::PasskeyChanged => {
                Self::with_detail(ErrorCode::CounterRegression, "a concurrent sign-in used this passkey")
            }
            SignInRefused::UserGone => Self::with_detail(ErrorCode::Internal, "session user vanished"),
            SignInRefused::AccountDisabled => Self::new(ErrorCode::AccountDisabled),
            // The password checked is no longer the account's: as wrong as any other.
            SignInRefused::PasswordChanged => Self::new(ErrorCode::WrongPassword),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match (&self.detail, self.code) {
            // Details often quote the client's text (a JSON error names the value it could not take, a
            // refused origin is the one sent): `Debug` writes it escaped, so no newline or control
            // character in it can end the log line or forge the next.
            (Some(detail), ErrorCode::Internal) => {
                tracing::error!(code = self.code.as_str(), ?detail)
            }
            (Some(detail), _) => {
                tracing::info!(code = self.code.as_str(), ?detail, "request refused")
            }
            (None, _) => tracing::info!(code = self.code.as_str(), "request refused"),
        }
        let status = StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody { retry_after: self.retry_after, ..ErrorBody::from(self.code) };
        let mut response = (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            // RFC 9110 §10.2.3: the delay in seconds, which every HTTP client understands.
            response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Collects what the log writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn client_text_in_a_detail_cannot_split_or_forge_a_log_line() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
        let forged = "invalid type: string \"x\n2026-12-02T00:00:00Z  INFO admin signed in\u{1b}[2K\"";
        tracing::subscriber::with_default(subscriber, || {
            drop(ApiError::with_detail(ErrorCode::MalformedRequest, forged).into_response());
        });
        let log = String::from_utf8(captured.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone())
            .unwrap_or_default();
        assert_eq!(log.lines().count(), 1, "one line: {log:?}");
        assert!(!log.contains('\u{1b}'), "no terminal escape: {log:?}");
        assert!(log.contains("malformed_request") && log.contains("\\n2026"), "{log:?}");
    }
}
