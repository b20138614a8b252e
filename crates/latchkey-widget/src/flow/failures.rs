//! How a failure is told: the catalog's message in the status line (with "Log in" where the email has an
//! account), the page's error callback with a stable code, and what a failed ceremony leaves behind.

use latchkey_proto::ErrorCode;
use leptos::prelude::*;

use super::{ErrorReport, Flow, Problem, Status};
use crate::{api::ApiError, webauthn::BrowserError};

/// Where a ceremony failed, to pick what to say.
#[derive(Clone, Copy)]
pub(super) enum Failure {
    Browser(BrowserError),
    Api(ApiError),
}

impl From<BrowserError> for Failure {
    fn from(e: BrowserError) -> Self {
        Self::Browser(e)
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

impl Flow {
    pub(super) fn fail(self, failure: Failure) {
        let (message, code) = match failure {
            Failure::Browser(e) => match self.lang().browser_error(e) {
                Some(message) => (message, browser_code(e)),
                None => return self.set_busy(None),
            },
            Failure::Api(ApiError::Network) => (self.lang().api_error(ApiError::Network), "network"),
            Failure::Api(ApiError::Server(code)) => (self.lang().server_error(code), code.as_str()),
            Failure::Api(error @ ApiError::RateLimited(_)) => (self.lang().api_error(error), "rate_limited"),
        };
        let offer_log_in = matches!(
            failure,
            Failure::Api(ApiError::Server(
                ErrorCode::EmailTaken | ErrorCode::CredentialExists | ErrorCode::NotSignedIn
            )) | Failure::Browser(BrowserError::InvalidState)
        );
        if matches!(failure, Failure::Api(ApiError::Server(ErrorCode::CeremonyUnknown | ErrorCode::CeremonyExpired))) {
            self.inner.update_value(|i| {
                i.sign_up = None;
                i.step = None;
                i.marker = None;
                i.recovery = None;
            });
        }
        if matches!(failure, Failure::Api(ApiError::Server(ErrorCode::EmailCodeInvalid))) && self.ask_for_new_code() {
            return;
        }
        self.show(Problem { message, offer_log_in }, code);
    }

    pub(super) fn show(self, problem: Problem, code: &'static str) {
        self.status.set(Status { problem: Some(problem), ..Status::default() });
        if let Some(callback) = self.callbacks().error {
            callback.run(ErrorReport { code, message: problem.message });
        }
    }

    /// Tells the page about a browser condition the screen already explains.
    pub(super) fn report(self, error: BrowserError) {
        if let (Some(callback), Some(message)) = (self.callbacks().error, self.lang().browser_error(error)) {
            callback.run(ErrorReport { code: browser_code(error), message });
        }
    }
}

fn browser_code(error: BrowserError) -> &'static str {
    match error {
        BrowserError::NotAllowed => "not_allowed",
        BrowserError::Abort => "aborted",
        BrowserError::InvalidState => "invalid_state",
        BrowserError::Security => "security",
        BrowserError::NotSupported => "not_supported",
        BrowserError::Unavailable => "unavailable",
        BrowserError::Other => "browser_error",
    }
}
