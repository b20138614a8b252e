//! The closed set of error codes the server answers with and the widget explains to people.

use serde::{Deserialize, Serialize};

/// Everything that can go wrong in a Latchkey request, as one closed set.
///
/// The server sends the code in `{"code", "message"}`; the widget maps each code to a message and a way
/// forward in its string catalog. Adding a variant is a protocol change: both sides must learn it, which
/// the exhaustive `match`es on this type enforce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body was not the JSON this endpoint expects (syntax, missing fields, wrong types, bad base64url).
    MalformedRequest,
    /// The body was larger than the server accepts.
    PayloadTooLarge,
    /// The request did not declare `Content-Type: application/json`.
    UnsupportedMediaType,
    /// The email address is not one we can use.
    InvalidEmail,
    /// The display name is empty after trimming or too long.
    InvalidDisplayName,
    /// An account with this email address already exists.
    EmailTaken,
    /// The ceremony ID is unknown or the ceremony was already used.
    CeremonyUnknown,
    /// The ceremony took longer than its time limit.
    CeremonyExpired,
    /// The passkey's response did not verify: challenge, origin, RP ID, flags or signature.
    CredentialRejected,
    /// The passkey is not registered here (it may have been deleted).
    CredentialUnknown,
    /// The passkey is already registered to an account.
    CredentialExists,
    /// The authenticator returned a credential ID over the 1023-byte limit of the WebAuthn spec.
    CredentialIdTooLong,
    /// The passkey's signature counter went backwards: it may have been cloned.
    CounterRegression,
    /// The request came from an origin this server does not serve.
    OriginNotAllowed,
    /// The password is shorter than 8 characters.
    PasswordTooShort,
    /// The password is longer than 128 characters.
    PasswordTooLong,
    /// The password is common or easy to guess (zxcvbn score below 2).
    PasswordTooCommon,
    /// The email address and password do not match an account (deliberately not saying which).
    WrongPassword,
    /// The password reset link is unknown, used already, or older than 15 minutes.
    ResetLinkInvalid,
    /// The sign-up code is wrong, used already or older than 15 minutes, or the proof it gave is spent
    /// or older than 30 minutes.
    EmailCodeInvalid,
    /// The request needs a signed-in session and has none.
    NotSignedIn,
    /// The change needs a sign-in more recent than the policy's `reauthentication_minutes`: the person
    /// confirms it's them (a passkey or the password) and sends it again.
    ReauthenticationRequired,
    /// The account has as many passkeys as the policy allows.
    TooManyPasskeys,
    /// The request needs the administrator's token.
    Forbidden,
    /// Deleting this passkey would leave the account no way to sign in.
    LastSignInMethod,
    /// An administrator disabled the account; told only after the person proved who they are, so it
    /// reveals nothing to anyone else.
    AccountDisabled,
    /// Too many requests of this kind from this client or for this account; `retryAfter` says when to
    /// try again. Password guesses are limited per account, so a passkey still signs its owner in.
    RateLimited,
    /// No such endpoint.
    NotFound,
    /// The endpoint exists but not for this HTTP method.
    MethodNotAllowed,
    /// Something failed on the server; the request can be retried later.
    Internal,
}

impl ErrorCode {
    /// Every code, for exhaustive tests and documentation.
    pub const ALL: [ErrorCode; 30] = [
        Self::MalformedRequest,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::InvalidEmail,
        Self::InvalidDisplayName,
        Self::EmailTaken,
        Self::CeremonyUnknown,
        Self::CeremonyExpired,
        Self::CredentialRejected,
        Self::CredentialUnknown,
        Self::CredentialExists,
        Self::CredentialIdTooLong,
        Self::CounterRegression,
        Self::OriginNotAllowed,
        Self::PasswordTooShort,
        Self::PasswordTooLong,
        Self::PasswordTooCommon,
        Self::WrongPassword,
        Self::ResetLinkInvalid,
        Self::EmailCodeInvalid,
        Self::NotSignedIn,
        Self::ReauthenticationRequired,
        Self::TooManyPasskeys,
        Self::Forbidden,
        Self::LastSignInMethod,
        Self::AccountDisabled,
        Self::RateLimited,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::Internal,
    ];

    /// The code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedRequest => "malformed_request",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidDisplayName => "invalid_display_name",
            Self::EmailTaken => "email_taken",
            Self::CeremonyUnknown => "ceremony_unknown",
            Self::CeremonyExpired => "ceremony_expired",
            Self::CredentialRejected => "credential_rejected",
            Self::CredentialUnknown => "credential_unknown",
            Self::CredentialExists => "credential_exists",
            Self::CredentialIdTooLong => "credential_id_too_long",
            Self::CounterRegression => "counter_regression",
            Self::OriginNotAllowed => "origin_not_allowed",
            Self::PasswordTooShort => "password_too_short",
            Self::PasswordTooLong => "password_too_long",
            Self::PasswordTooCommon => "password_too_common",
            Self::WrongPassword => "wrong_password",
            Self::ResetLinkInvalid => "reset_link_invalid",
            Self::EmailCodeInvalid => "email_code_invalid",
            Self::NotSignedIn => "not_signed_in",
            Self::ReauthenticationRequired => "reauthentication_required",
            Self::TooManyPasskeys => "too_many_passkeys",
            Self::Forbidden => "forbidden",
            Self::LastSignInMethod => "last_sign_in_method",
            Self::AccountDisabled => "account_disabled",
            Self::RateLimited => "rate_limited",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Internal => "internal",
        }
    }

    /// The code with this wire name, for clients that read JSON without serde.
    pub fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.as_str() == name)
    }

    /// The HTTP status the server answers this code with.
    ///
    /// Only [`ErrorCode::Internal`] is a 5xx: every other code is the client's to fix.
    pub fn http_status(self) -> u16 {
        match self {
            Self::MalformedRequest
            | Self::InvalidEmail
            | Self::InvalidDisplayName
            | Self::CredentialIdTooLong
            | Self::PasswordTooShort
            | Self::PasswordTooLong
            | Self::PasswordTooCommon
            | Self::EmailCodeInvalid => 400,
            Self::WrongPassword | Self::NotSignedIn | Self::ReauthenticationRequired => 401,
            Self::CredentialRejected
            | Self::CredentialUnknown
            | Self::CounterRegression
            | Self::OriginNotAllowed
            | Self::Forbidden
            | Self::AccountDisabled => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::EmailTaken | Self::CredentialExists | Self::TooManyPasskeys | Self::LastSignInMethod => 409,
            Self::CeremonyUnknown | Self::CeremonyExpired | Self::ResetLinkInvalid => 410,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::RateLimited => 429,
            Self::Internal => 500,
        }
    }

    /// A sentence for developers reading the raw response; people see the widget's catalog instead.
    pub fn developer_message(self) -> &'static str {
        match self {
            Self::MalformedRequest => "The request body is not valid JSON for this endpoint.",
            Self::PayloadTooLarge => "The request body is too large.",
            Self::UnsupportedMediaType => "Send the body with Content-Type: application/json.",
            Self::InvalidEmail => "The email address is not valid.",
            Self::InvalidDisplayName => "The name must be 1 to 64 characters, none of them a control character.",
            Self::EmailTaken => "An account with this email address already exists.",
            Self::CeremonyUnknown => "The ceremony is unknown or was already used.",
            Self::CeremonyExpired => "The ceremony expired; start a new one.",
            Self::CredentialRejected => "The passkey response did not verify.",
            Self::CredentialUnknown => "This passkey is not registered here.",
            Self::CredentialExists => "This passkey is already registered.",
            Self::CredentialIdTooLong => "The credential ID is longer than 1023 bytes.",
            Self::CounterRegression => "The passkey's signature counter went backwards.",
            Self::OriginNotAllowed => "The response came from an origin this server does not serve.",
            Self::PasswordTooShort => "The password must have at least 8 characters.",
            Self::PasswordTooLong => "The password must have at most 128 characters.",
            Self::PasswordTooCommon => "The password is too common or too easy to guess.",
            Self::WrongPassword => "The email address or password is wrong.",
            Self::ResetLinkInvalid => "The reset link is unknown, used or expired.",
            Self::EmailCodeInvalid => "The code is wrong, used or expired; ask for a new one with /api/signup/start.",
            Self::NotSignedIn => "This request needs a signed-in session.",
            Self::ReauthenticationRequired => "This change needs a recent sign-in: sign in again, then retry.",
            Self::TooManyPasskeys => "The account has the most passkeys the policy allows.",
            Self::Forbidden => "This request needs the administrator's bearer token.",
            Self::LastSignInMethod => "This passkey is the account's last way to sign in.",
            Self::AccountDisabled => "An administrator has disabled this account.",
            Self::RateLimited => "Too many requests; wait the retryAfter seconds before sending this again.",
            Self::NotFound => "No such endpoint.",
            Self::MethodNotAllowed => "This endpoint does not take this HTTP method.",
            Self::Internal => "The server failed; try again later.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).expect("codes serialize");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            let back: ErrorCode = serde_json::from_str(&json).expect("codes deserialize");
            assert_eq!(back, code);
            assert_eq!(ErrorCode::from_wire(code.as_str()), Some(code));
        }
    }

    #[test]
    fn only_internal_is_a_server_error() {
        for code in ErrorCode::ALL {
            assert_eq!(code.http_status() >= 500, code == ErrorCode::Internal, "{code:?}");
            assert!(code.http_status() >= 400);
        }
    }
}
