//! API errors: a code from the closed set, turned into a `{"code", "message"}` response.

use axum::{
    Json,
    extract::rejection::JsonRejection,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use latchkey_proto::{ErrorBody, ErrorCode};

use crate::db::DbError;

/// An error a handler returns; it answers with its code and never with internal details.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    /// Why, for the server log only.
    detail: Option<String>,
}

impl ApiError {
    /// An error with nothing more to log than its code.
    pub fn new(code: ErrorCode) -> Self {
        Self { code, detail: None }
    }

    /// An error with a cause worth logging, which the client never sees.
    pub fn with_detail(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self { code, detail: Some(detail.into()) }
    }

    /// The server failed at `what`: answers `internal`, and logs `cause` (never sent to the client).
    pub fn internal(what: &str, cause: impl std::fmt::Debug) -> Self {
        Self::with_detail(ErrorCode::Internal, format!("{what}: {cause:?}"))
    }

    /// The code this error answers with.
    pub fn code(&self) -> ErrorCode {
        self.code
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        Self::new(code)
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        Self::with_detail(ErrorCode::Internal, e.0)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let code = match &rejection {
            JsonRejection::MissingJsonContentType(_) => ErrorCode::UnsupportedMediaType,
            JsonRejection::BytesRejection(_) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ErrorCode::PayloadTooLarge
            }
            _ => ErrorCode::MalformedRequest,
        };
        Self::with_detail(code, rejection.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match (&self.detail, self.code) {
            (Some(detail), ErrorCode::Internal) => {
                tracing::error!(code = self.code.as_str(), %detail)
            }
            (Some(detail), _) => {
                tracing::info!(code = self.code.as_str(), %detail, "request refused")
            }
            (None, _) => tracing::info!(code = self.code.as_str(), "request refused"),
        }
        let status = StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, [(header::CACHE_CONTROL, "no-store")], Json(ErrorBody::from(self.code))).into_response()
    }
}
