//! The texts chosen by what happened: a server's error code, a browser's failure, how long to wait, and
//! what an account keeps when a reset link recovers it.

use latchkey_proto::ErrorCode;

use super::Lang;
use crate::{api::ApiError, webauthn::BrowserError};

impl Lang {
    /// The three benefits of a passkey.
    pub fn benefits(self) -> [&'static str; 3] {
        [self.benefit_no_password(), self.benefit_all_devices(), self.benefit_alongside()]
    }

    /// What a reset link's screen says the account keeps besides the new passkey or password: its
    /// `passkeys` and whether it has a password. Either choice must read true: a new password replaces
    /// the old one.
    pub fn recovery_keeps(self, (passkeys, password): (u32, bool)) -> &'static str {
        match (passkeys, password) {
            (0, false) => self.keeps_nothing(),
            (0, true) => self.keeps_password(),
            (1, false) => self.keeps_passkey(),
            (1, true) => self.keeps_passkey_and_password(),
            (_, false) => self.keeps_passkeys(),
            (_, true) => self.keeps_passkeys_and_password(),
        }
    }

    /// The message for a failed browser ceremony; `None` when there is nothing to tell (our own abort).
    pub fn browser_error(self, error: BrowserError) -> Option<&'static str> {
        Some(match error {
            BrowserError::Abort => return None,
            BrowserError::NotAllowed => self.browser_not_allowed(),
            BrowserError::InvalidState => self.browser_invalid_state(),
            BrowserError::Security => self.browser_security(),
            BrowserError::NotSupported => self.browser_not_supported(),
            BrowserError::Unavailable => self.unsupported_body(),
            BrowserError::Other => self.browser_other(),
        })
    }

    /// The message for a failed server call.
    pub fn api_error(self, error: ApiError) -> &'static str {
        match error {
            ApiError::Network => self.unreachable(),
            ApiError::Server(code) => self.server_error(code),
            ApiError::RateLimited(seconds) => self.wait_message(seconds),
        }
    }

    /// What to do after too many attempts: the server's wait, rounded up to the limit windows it uses.
    pub fn wait_message(self, seconds: u32) -> &'static str {
        match seconds {
            0..=60 => self.wait_minute(),
            61..=900 => self.wait_quarter_hour(),
            _ => self.wait_hour(),
        }
    }

    /// The message for each code of the closed set.
    pub fn server_error(self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::MalformedRequest | ErrorCode::PayloadTooLarge | ErrorCode::UnsupportedMediaType => {
                self.error_unreadable()
            }
            ErrorCode::InvalidEmail => self.check_email(),
            ErrorCode::InvalidDisplayName => self.error_invalid_display_name(),
            ErrorCode::EmailTaken => self.error_email_taken(),
            ErrorCode::CeremonyUnknown | ErrorCode::CeremonyExpired => self.error_too_long(),
            ErrorCode::CredentialRejected => self.error_credential_rejected(),
            ErrorCode::CredentialUnknown => self.error_credential_unknown(),
            ErrorCode::CredentialExists => self.error_credential_exists(),
            ErrorCode::CredentialIdTooLong => self.error_credential_id_too_long(),
            ErrorCode::CounterRegression => self.error_counter_regression(),
            ErrorCode::OriginNotAllowed => self.error_origin_not_allowed(),
            ErrorCode::PasswordTooShort => self.error_password_too_short(),
            ErrorCode::PasswordTooLong => self.error_password_too_long(),
            ErrorCode::PasswordTooCommon => self.error_password_too_common(),
            ErrorCode::WrongPassword => self.error_wrong_password(),
            ErrorCode::ResetLinkInvalid => self.error_reset_link_invalid(),
            ErrorCode::EmailCodeInvalid => self.error_email_code_invalid(),
            ErrorCode::NotSignedIn => self.error_not_signed_in(),
            ErrorCode::ReauthenticationRequired => self.error_reauthentication_required(),
            ErrorCode::TooManyPasskeys => self.error_too_many_passkeys(),
            ErrorCode::Forbidden => self.error_forbidden(),
            ErrorCode::LastSignInMethod => self.error_last_sign_in_method(),
            ErrorCode::AccountDisabled => self.error_account_disabled(),
            ErrorCode::RateLimited => self.wait_hour(),
            ErrorCode::NotFound | ErrorCode::MethodNotAllowed | ErrorCode::Internal => self.error_ours(),
        }
    }
}
