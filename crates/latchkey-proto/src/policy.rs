//! The passkey policy: what the console edits and the server applies at once, without a restart.

use serde::{Deserialize, Serialize};

/// How the sign-in screen asks for a passkey.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeUi {
    /// Passkeys in the email field's autofill only.
    Autofill,
    /// The "Continue with a passkey" button only.
    Button,
    /// Both (the default).
    #[default]
    Both,
}

/// Whether the authenticator must verify the user (PIN or biometrics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserVerification {
    /// Refuse responses without the UV flag (the default).
    #[default]
    Required,
    /// Ask for it, accept responses without it.
    Preferred,
}

/// Which kind of authenticator new passkeys should live on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attachment {
    /// Any (the default): the browser offers everything it has.
    #[default]
    Any,
    /// This device's own provider (`platform`).
    Platform,
    /// A security key or a phone (`cross-platform`).
    CrossPlatform,
}

/// Whether a password sign-in also needs a passkey.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mfa {
    /// A password alone signs in (the default).
    #[default]
    Off,
    /// A password sign-in must be completed with one of the account's passkeys.
    Passkey,
}

/// When a new account proves its email address.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailVerification {
    /// The account works at once; a link is mailed, and the email counts as verified once it is opened
    /// (the default).
    #[default]
    AfterSignUp,
    /// A code is mailed and entered before the first passkey or password is made, so nobody can make an
    /// account with an address whose mailbox they cannot read.
    BeforeSignUp,
    /// No verification mail at sign-up; the address is proved when its owner asks for a link from the
    /// account page, or by a reset link.
    Off,
}

/// The policy. Every member has a default, so a partial JSON object is a valid policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// How the sign-in screen asks for a passkey.
    pub challenge_ui: ChallengeUi,
    /// "Allow passkey progressive enrollment": offer a passkey after a password sign-in.
    pub progressive_enrollment: bool,
    /// How long "Not now" silences that offer, in days.
    pub enrollment_snooze_days: u32,
    /// Offer a passkey on this device after a sign-in with one from another device.
    pub local_enrollment: bool,
    /// User verification for every ceremony.
    pub user_verification: UserVerification,
    /// Where new passkeys should live.
    pub authenticator_attachment: Attachment,
    /// Passkey as a second factor after a password.
    pub mfa: Mfa,
    /// Most passkeys one account may have.
    pub passkeys_per_user: u32,
    /// Exact origins allowed to run ceremonies and call the API.
    pub origins: Vec<String>,
    /// Other origins that may use this RP ID, served at `/.well-known/webauthn` (WebAuthn L3 §5.11).
    pub related_origins: Vec<String>,
    /// A session unused this many days ends (the idle timeout).
    pub session_idle_days: u32,
    /// A session ends this many days after it began, however much it is used (the absolute lifetime).
    pub session_lifetime_days: u32,
    /// Adding a way in (a passkey, a first password, a new email) or deleting a passkey needs a sign-in
    /// this many minutes old at most; an older session confirms it's the person first.
    pub reauthentication_minutes: u32,
    /// When a new account proves its email address.
    pub email_verification: EmailVerification,
}

/// Seconds in a day, for the policy's day counts.
const DAY_SECS: i64 = 24 * 3600;

impl Policy {
    /// The idle timeout in seconds.
    pub fn session_idle_secs(&self) -> i64 {
        i64::from(self.session_idle_days) * DAY_SECS
    }

    /// The absolute lifetime in seconds.
    pub fn session_lifetime_secs(&self) -> i64 {
        i64::from(self.session_lifetime_days) * DAY_SECS
    }

    /// How old a sign-in may be for a change that adds a way in, in seconds.
    pub fn reauthentication_secs(&self) -> i64 {
        i64::from(self.reauthentication_minutes) * 60
    }

    /// Whether `origin` may run ceremonies and call the API: one of `origins`, or of `related_origins`
    /// (WebAuthn L3 §5.11: other sites using this RP ID, which the browser checks against
    /// `/.well-known/webauthn`).
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.origins.iter().chain(&self.related_origins).any(|allowed| allowed == origin)
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            challenge_ui: ChallengeUi::Both,
            progressive_enrollment: true,
            enrollment_snooze_days: 30,
            local_enrollment: true,
            user_verification: UserVerification::Required,
            authenticator_attachment: Attachment::Any,
            mfa: Mfa::Off,
            passkeys_per_user: 20,
            origins: Vec::new(),
            related_origins: Vec::new(),
            session_idle_days: 30,
            session_lifetime_days: 400,
            reauthentication_minutes: 15,
            email_verification: EmailVerification::AfterSignUp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_policy_takes_defaults_and_unknown_members_are_refused() {
        let policy: Policy = serde_json::from_str(r#"{"progressive_enrollment":false}"#).expect("valid");
        assert!(!policy.progressive_enrollment);
        assert_eq!(policy.passkeys_per_user, 20);
        assert!(serde_json::from_str::<Policy>(r#"{"admin":true}"#).is_err());
    }
}
