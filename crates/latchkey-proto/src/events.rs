//! The event log's codes and records: every authentication event, as the admin API returns it
//! (`docs/EVENTS.md` maps the codes to Auth0's).

use serde::{Deserialize, Serialize};

/// What happened. The wire names are stable: logs, alerts and dashboards key on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventCode {
    /// An account was created (with a passkey or a password).
    SignUp,
    /// A sign-up was refused.
    SignUpFailed,
    /// A session started; the detail lists the methods.
    SignIn,
    /// A sign-in was refused.
    SignInFailed,
    /// A session ended by signing out.
    SignOut,
    /// A signed-in person ended sessions from the account page (one, or every other); the detail says
    /// how many.
    SessionsEnded,
    /// A passkey was added by an enrollment journey (progressive, local, second factor).
    EnrollmentComplete,
    /// Adding a passkey failed.
    EnrollmentFailed,
    /// A passkey was added from the account page.
    PasskeyAdded,
    /// A passkey was renamed.
    PasskeyRenamed,
    /// A passkey was deleted.
    PasskeyDeleted,
    /// A second factor (passkey after password) was passed.
    MfaPassed,
    /// A second factor was refused.
    MfaFailed,
    /// A reset link was sent.
    PasswordResetRequested,
    /// A password was set with a reset link.
    PasswordReset,
    /// A signed-in person set or changed their password.
    PasswordChanged,
    /// The mailbox owner proved the account's email for the first time (a reset link, or "It wasn't me"
    /// on the verification link), so what was made on the account before (passkeys, password, sessions)
    /// went; the detail says how many passkeys.
    AccountClaimed,
    /// The mailbox owner opened the verification link and confirmed the sign-up was theirs.
    EmailVerified,
    /// The account's email changed, once the new address was proved; the detail has the old one.
    EmailChanged,
    /// The policy was changed; the detail lists what changed.
    PolicyChanged,
    /// A signed-in person was sent to an application with an authorization code; the detail names it.
    AppSignIn,
    /// An authorization code or refresh token was used a second time, so its grant was revoked.
    TokenReplayed,
    /// An application was registered.
    ClientAdded,
    /// An application was removed, with every grant it held.
    ClientRemoved,
    /// A new signing key replaced the one that signed.
    SigningKeyRotated,
    /// An administrator disabled an account.
    AccountDisabled,
    /// An administrator enabled a disabled account again.
    AccountEnabled,
    /// An administrator deleted an account and everything of it.
    AccountDeleted,
}

impl EventCode {
    /// Every code, for documentation and filters.
    pub const ALL: [EventCode; 28] = [
        Self::SignUp,
        Self::SignUpFailed,
        Self::SignIn,
        Self::SignInFailed,
        Self::SignOut,
        Self::SessionsEnded,
        Self::EnrollmentComplete,
        Self::EnrollmentFailed,
        Self::PasskeyAdded,
        Self::PasskeyRenamed,
        Self::PasskeyDeleted,
        Self::MfaPassed,
        Self::MfaFailed,
        Self::PasswordResetRequested,
        Self::PasswordReset,
        Self::PasswordChanged,
        Self::AccountClaimed,
        Self::EmailVerified,
        Self::EmailChanged,
        Self::PolicyChanged,
        Self::AppSignIn,
        Self::TokenReplayed,
        Self::ClientAdded,
        Self::ClientRemoved,
        Self::SigningKeyRotated,
        Self::AccountDisabled,
        Self::AccountEnabled,
        Self::AccountDeleted,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignUp => "sign_up",
            Self::SignUpFailed => "sign_up_failed",
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::SignOut => "sign_out",
            Self::SessionsEnded => "sessions_ended",
            Self::EnrollmentComplete => "enrollment_complete",
            Self::EnrollmentFailed => "enrollment_failed",
            Self::PasskeyAdded => "passkey_added",
            Self::PasskeyRenamed => "passkey_renamed",
            Self::PasskeyDeleted => "passkey_deleted",
            Self::MfaPassed => "mfa_passed",
            Self::MfaFailed => "mfa_failed",
            Self::PasswordResetRequested => "password_reset_requested",
            Self::PasswordReset => "password_reset",
            Self::PasswordChanged => "password_changed",
            Self::AccountClaimed => "account_claimed",
            Self::EmailVerified => "email_verified",
            Self::EmailChanged => "email_changed",
            Self::PolicyChanged => "policy_changed",
            Self::AppSignIn => "app_sign_in",
            Self::TokenReplayed => "token_replayed",
            Self::ClientAdded => "client_added",
            Self::ClientRemoved => "client_removed",
            Self::SigningKeyRotated => "signing_key_rotated",
            Self::AccountDisabled => "account_disabled",
            Self::AccountEnabled => "account_enabled",
            Self::AccountDeleted => "account_deleted",
        }
    }

    /// The code with this wire name.
    pub fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.as_str() == name)
    }
}

/// One stored event. `D` carries the detail JSON, as each side represents JSON best.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord<D> {
    /// Its position in the log; newer events have larger IDs.
    pub id: i64,
    /// When, in seconds since the Unix epoch.
    pub at: i64,
    /// What happened.
    pub code: EventCode,
    /// The account, if known.
    pub user_id: Option<i64>,
    /// The email as known or typed at the time.
    pub email: Option<String>,
    /// The client's address.
    pub ip: Option<String>,
    /// The client's `User-Agent`.
    pub user_agent: Option<String>,
    /// On failures, the error code.
    pub reason: Option<String>,
    /// Code-specific facts (methods, a passkey's name, the policy members changed).
    pub detail: Option<D>,
}

/// A page of the event log, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPage<D> {
    /// The events.
    pub events: Vec<EventRecord<D>>,
    /// Pass as `cursor` for the next (older) page; `None` on the last page.
    pub next_cursor: Option<String>,
}
