//! Request and response bodies of the Latchkey HTTP API (`docs/API.md` documents each endpoint).

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// The API's paths, relative to the server's base URL.
pub mod paths {
    /// Starts a passkey sign-up: [`super::SignUpStart`] → [`super::CeremonyStarted`]; under the policy's
    /// `email_verification = "before_sign_up"` without a [`super::SignUpStart::proof`], mails a code
    /// instead → [`super::CodeSent`], whether or not the email has an account (a proof that is not live
    /// for the email is refused with `email_code_invalid`).
    pub const SIGN_UP_START: &str = "/api/signup/start";
    /// Exchanges the mailed code for the proof a sign-up presents: [`super::EnterCode`] →
    /// [`super::EmailProved`].
    pub const SIGN_UP_CODE: &str = "/api/signup/code";
    /// Finishes a passkey sign-up: [`super::CeremonyFinish`] → [`super::SignInStep`].
    pub const SIGN_UP_FINISH: &str = "/api/signup/finish";
    /// Starts a passkey sign-in (no identifier): [`super::SignInStart`] → [`super::CeremonyStarted`].
    pub const SIGN_IN_START: &str = "/api/signin/start";
    /// Finishes a passkey sign-in: [`super::CeremonyFinish`] → [`super::SignInStep`].
    pub const SIGN_IN_FINISH: &str = "/api/signin/finish";
    /// The current session: `GET` → [`super::SessionInfo`], or `204 No Content` when nobody is signed in.
    pub const SESSION: &str = "/api/session";
    /// Ends the current session: `POST` → `204 No Content`.
    pub const SIGN_OUT: &str = "/api/signout";
    /// Identifier-first sign-in: [`super::Identify`] → [`super::Identified`].
    pub const IDENTIFY: &str = "/api/signin/identify";
    /// Finishes an identifier-first or second-factor passkey step: [`super::CeremonyFinish`] →
    /// [`super::SignInStep`]. Only a credential of the account the ceremony is for can finish it.
    pub const VERIFY_PASSKEY: &str = "/api/signin/verify";
    /// Sign-in with a password: [`super::PasswordSignIn`] → [`super::SignInStep`].
    pub const PASSWORD_SIGN_IN: &str = "/api/password/signin";
    /// Sign-up with a password instead of a passkey: [`super::PasswordSignUp`] → [`super::SignInStep`].
    pub const PASSWORD_SIGN_UP: &str = "/api/password/signup";
    /// Sends a reset link if the account exists: [`super::Identify`] → `204 No Content` either way.
    pub const PASSWORD_FORGOT: &str = "/api/password/forgot";
    /// Sets a new password with a reset link's token: [`super::PasswordReset`] → `204 No Content`.
    pub const PASSWORD_RESET: &str = "/api/password/reset";
    /// Creation options for a new passkey on a reset link's token, with what the account keeps:
    /// [`super::RecoveryStart`] → [`super::RecoveryStarted`].
    pub const RECOVERY_START: &str = "/api/recovery/start";
    /// Stores the new passkey, uses the link up and signs in: [`super::RecoveryFinish`] →
    /// [`super::SignInStep`].
    pub const RECOVERY_FINISH: &str = "/api/recovery/finish";
    /// Starts adding a passkey to the signed-in account: [`super::AddPasskey`] → [`super::CeremonyStarted`].
    pub const PASSKEY_ADD_START: &str = "/api/passkeys/start";
    /// Finishes adding a passkey (also the second-factor enrollment): [`super::CeremonyFinish`] →
    /// [`super::SignInStep`] with [`super::SignInStep::passkey`].
    pub const PASSKEY_ADD_FINISH: &str = "/api/passkeys/finish";
    /// Renames one of the signed-in account's passkeys: [`super::RenamePasskey`] → `204 No Content`.
    pub const PASSKEY_RENAME: &str = "/api/passkeys/rename";
    /// "Not now" / "Don't ask again" to the passkey offer: [`super::DeclinePasskey`] → `204 No Content`.
    pub const PASSKEY_DECLINE: &str = "/api/passkeys/decline";
    /// The signed-in account and its passkeys: `GET` → [`super::AccountInfo`].
    pub const ACCOUNT: &str = "/api/account";
    /// Deletes one of the signed-in account's passkeys: [`super::DeletePasskey`] → [`super::AccountInfo`].
    pub const PASSKEY_DELETE: &str = "/api/passkeys/delete";
    /// Sets or changes the signed-in account's password: [`super::ChangePassword`] → `204 No Content`.
    pub const PASSWORD_CHANGE: &str = "/api/account/password";
    /// The policy (admin token): `GET` → `Policy`; `PUT` a `Policy` to change it at once.
    pub const ADMIN_POLICY: &str = "/api/admin/policy";
    /// The event log (admin token): `GET` with filters → `EventPage`.
    pub const ADMIN_EVENTS: &str = "/api/admin/events";
    /// The applications (admin token): `GET` → a list of `ClientInfo`; `POST` a `NewClient` → the
    /// `ClientInfo` with its secret, shown this once.
    pub const ADMIN_CLIENTS: &str = "/api/admin/clients";
    /// One application (admin token): `DELETE` → `204 No Content`.
    pub const ADMIN_CLIENT: &str = "/api/admin/clients/{client_id}";
    /// Accounts whose email starts with `?email=` (admin token): `GET` → a list of `AdminUser`.
    pub const ADMIN_USERS: &str = "/api/admin/users";
    /// One account (admin token): `GET` → `AdminUserDetail`; `DELETE` deletes it and everything of it.
    pub const ADMIN_USER: &str = "/api/admin/users/{id}";
    /// Disables an account (admin token): `POST` → `AdminUser`.
    pub const ADMIN_USER_DISABLE: &str = "/api/admin/users/{id}/disable";
    /// Enables a disabled account (admin token): `POST` → `AdminUser`.
    pub const ADMIN_USER_ENABLE: &str = "/api/admin/users/{id}/enable";
    /// A short-lived signed token for the current session, which the page's own backend verifies
    /// against the JWKS: `POST` → [`super::SessionToken`].
    pub const SESSION_TOKEN: &str = "/api/session/token";
    /// Ends one of the signed-in account's sessions (the current one too): [`super::EndSession`] →
    /// `204 No Content`.
    pub const SESSION_END: &str = "/api/sessions/end";
    /// "Sign out everywhere else": ends every session of the signed-in account but the current one:
    /// `POST` → `204 No Content`.
    pub const SESSIONS_END_OTHERS: &str = "/api/sessions/end-others";
    /// Asks to move the signed-in account to another email address, after a recent sign-in: a link is
    /// mailed to the new address, and the change happens when it is opened: [`super::ChangeEmail`] →
    /// `204 No Content`, whether or not the address is free (the mail says).
    pub const EMAIL_CHANGE: &str = "/api/account/email";
    /// Mails the verification link of the signed-in account's email again: `POST` → `204 No Content`.
    pub const EMAIL_VERIFY: &str = "/api/account/email/verify";
    /// The page a mailed email link opens (`?token=`): `GET` shows what the link does, a `POST` of its
    /// form does it. Server-rendered HTML, not JSON.
    pub const EMAIL_LINK: &str = "/email";
}

/// Body of [`paths::EMAIL_CHANGE`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeEmail {
    /// The new address, as typed.
    pub email: String,
}

/// Body of [`paths::SIGN_UP_START`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignUpStart {
    /// The email address the account is known by; it becomes the passkey's user name.
    pub email: String,
    /// The name shown in passkey pickers; defaults to the email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// "Try another way": create the passkey on another device (`authenticatorAttachment:
    /// "cross-platform"`, `hints: ["hybrid"]`).
    #[serde(default)]
    pub other_device: bool,
    /// The proof of the email from [`paths::SIGN_UP_CODE`], under `email_verification = "before_sign_up"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<String>,
}

/// Answer of [`paths::SIGN_UP_START`] when a code was mailed instead of a ceremony started: the same for
/// every email, with an account or without (that mail says so to the mailbox's owner).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeSent {
    /// Always `true`; the member tells this answer from a [`CeremonyStarted`].
    pub code_sent: bool,
}

/// Body of [`paths::SIGN_UP_CODE`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnterCode {
    /// The email the code was mailed to, as typed.
    pub email: String,
    /// The code, as typed (spaces and dashes are ignored).
    pub code: String,
}

/// Answer of [`paths::SIGN_UP_CODE`]: the proof that the person reads the email's mailbox, which the
/// sign-up sends as its `proof` and which is used up when the account is created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailProved {
    /// Opaque, single use, and live for 30 minutes.
    pub proof: String,
}

/// Body of [`paths::SIGN_IN_START`]: no account is named (`{}` for autofill and the passkey button).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInStart {
    /// "Use a passkey from another device": `hints: ["hybrid"]`, so the browser offers the QR code.
    #[serde(default)]
    pub other_device: bool,
}

/// A ceremony the server has started: its ID and the WebAuthn options for the browser.
///
/// `O` is the options in W3C JSON form (`PublicKeyCredentialCreationOptionsJSON` or
/// `PublicKeyCredentialRequestOptionsJSON`); each side picks the type that carries JSON best for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CeremonyStarted<O> {
    /// Opaque, single-use ceremony ID to send back with the browser's response.
    pub ceremony: String,
    /// Options for `navigator.credentials.create` / `get`, in W3C JSON form.
    pub public_key: O,
}

/// The browser's answer to a ceremony: the ceremony ID and the credential in W3C JSON form
/// (`RegistrationResponseJSON` or `AuthenticationResponseJSON`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CeremonyFinish<C> {
    /// The ID from [`CeremonyStarted::ceremony`].
    pub ceremony: String,
    /// `PublicKeyCredential.toJSON()` of the new or asserted credential.
    pub credential: C,
}

/// Body of [`paths::IDENTIFY`] and [`paths::PASSWORD_FORGOT`]: the email the person typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identify {
    /// The email address as typed.
    pub email: String,
}

/// Answer of [`paths::IDENTIFY`]. An email without an account gets the same shape as one with: a passkey
/// ceremony listing credentials derived from the email (or, for some emails, none), so the answer does
/// not tell whether an account exists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identified<O> {
    /// A passkey ceremony limited to the account's credentials (`allowCredentials`); `None` when the
    /// account has no passkey, so the person is asked for their password.
    pub passkey: Option<CeremonyStarted<O>>,
}

/// Body of [`paths::PASSWORD_SIGN_IN`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordSignIn {
    /// The account's email address.
    pub email: String,
    /// The password, as typed.
    pub password: String,
}

/// Body of [`paths::PASSWORD_SIGN_UP`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordSignUp {
    /// The new account's email address.
    pub email: String,
    /// The password, as typed.
    pub password: String,
    /// The proof of the email from [`paths::SIGN_UP_CODE`], under `email_verification = "before_sign_up"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<String>,
}

/// Body of [`paths::PASSWORD_RESET`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// The token from the reset link.
    pub token: String,
    /// The new password.
    pub password: String,
}

/// Body of [`paths::RECOVERY_START`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryStart {
    /// The token from the reset link.
    pub token: String,
}

/// What an account keeps when it is recovered with a new passkey: none of it when the recovery claims
/// the account (its email was never proved).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keeps {
    /// How many passkeys it keeps.
    pub passkeys: u32,
    /// Whether it keeps its password.
    pub password: bool,
}

/// Answer of [`paths::RECOVERY_START`]: the ceremony, and what the account keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryStarted<O> {
    /// The registration ceremony for the new passkey; absent when the account has the most passkeys
    /// the policy allows, and then the link can only set a new password.
    #[serde(flatten)]
    pub started: Option<CeremonyStarted<O>>,
    /// What the account keeps besides the new passkey.
    pub keeps: Keeps,
}

/// Body of [`paths::RECOVERY_FINISH`]: the ceremony's answer and the reset link's token again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryFinish<C> {
    /// The ID from [`RecoveryStarted`]'s ceremony.
    pub ceremony: String,
    /// `PublicKeyCredential.toJSON()` of the new credential.
    pub credential: C,
    /// The token from the reset link.
    pub token: String,
}

/// Body of [`paths::PASSKEY_ADD_START`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddPasskey {
    /// Ask for an automatic upgrade: `mediation: "conditional"` creation options, which the password
    /// manager that just filled the password may answer without a prompt.
    #[serde(default)]
    pub conditional: bool,
    /// Create the passkey on another device: `hints: ["hybrid"]`, `authenticatorAttachment:
    /// "cross-platform"`.
    #[serde(default)]
    pub other_device: bool,
    /// For the second-factor enrollment that a password sign-in asked for: its ceremony ID, which stands
    /// in for the session the person does not have yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceremony: Option<String>,
    /// Added from the account page (logged as `passkey_added`) rather than by an enrollment journey
    /// (`enrollment_complete`).
    #[serde(default)]
    pub from_account: bool,
}

/// Body of [`paths::PASSKEY_RENAME`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenamePasskey {
    /// The passkey's ID, from [`PasskeyInfo::id`].
    pub id: i64,
    /// The new name: 1 to 64 characters after trimming.
    pub name: String,
}

/// Body of [`paths::PASSKEY_DECLINE`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclinePasskey {
    /// `true` for "Don't ask again"; `false` for "Not now", which asks again after the snooze period.
    pub forever: bool,
}

/// A passkey as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyInfo {
    /// Stable ID, for renaming.
    pub id: i64,
    /// The name shown in lists: the provider's name when known, else the browser and system.
    pub name: String,
}

/// One passkey on the account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasskeySummary {
    /// Stable ID, for renaming and deleting.
    pub id: i64,
    /// The credential ID, base64url, as the Signal API takes it.
    pub credential_id: String,
    /// The name the person gave it.
    pub name: String,
    /// The provider's name, from the AAGUID, when known.
    pub provider: Option<String>,
    /// The provider's icon for light backgrounds (a data URI).
    pub icon_light: Option<String>,
    /// The provider's icon for dark backgrounds.
    pub icon_dark: Option<String>,
    /// Backup eligible: a synced passkey ("Synced") rather than one bound to a device ("This device only").
    pub synced: bool,
    /// When it was created, in seconds since the Unix epoch.
    pub created_at: i64,
    /// When it last signed in, if ever.
    pub last_used_at: Option<i64>,
}

/// The signed-in account, as the account page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    /// Who.
    pub user: UserInfo,
    /// The WebAuthn user handle, base64url, as the Signal API takes it.
    pub user_handle: String,
    /// The RP ID, as the Signal API takes it.
    pub rp_id: String,
    /// Whether the account has a password.
    pub has_password: bool,
    /// Its passkeys, oldest first.
    pub passkeys: Vec<PasskeySummary>,
    /// The most passkeys the policy allows.
    pub max_passkeys: u32,
    /// Its live sessions, most recently used first.
    pub sessions: Vec<SessionListing>,
    /// Whether the mailbox owner has proved the email (a verification or reset link).
    pub email_verified: bool,
}

/// A live session, as the account page and the console list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionListing {
    /// What names it to [`paths::SESSION_END`] (base64url).
    pub id: String,
    /// The browser its `User-Agent` names ("Chrome", "Safari", …), if it names one we know.
    pub browser: Option<String>,
    /// The operating system ("Windows", "iOS", …), likewise.
    pub system: Option<String>,
    /// The address it was opened from.
    pub ip: Option<String>,
    /// When it started.
    pub created_at: i64,
    /// When it was last used, to the minute.
    pub last_seen_at: i64,
    /// How it was earned.
    pub methods: Vec<AuthMethod>,
    /// Whether it is the session of the browser asking ("this device"); never, in the console.
    pub current: bool,
}

/// Body of [`paths::SESSION_END`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndSession {
    /// The session's [`SessionListing::id`].
    pub id: String,
}

/// Body of [`paths::PASSKEY_DELETE`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeletePasskey {
    /// The passkey's ID.
    pub id: i64,
}

/// Body of [`paths::PASSWORD_CHANGE`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// The current password; required when the account has one.
    #[serde(default)]
    pub current: Option<String>,
    /// The new password.
    pub password: String,
}

/// What the person is asked to do after a sign-in step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Next {
    /// Nothing: the person is signed in.
    #[default]
    Done,
    /// Progressive enrollment: offer to create a passkey (signed in with a password, no passkey yet).
    OfferPasskey,
    /// Local enrollment: offer a passkey on this device (signed in with a passkey from another device).
    OfferLocalPasskey,
    /// The password was right; the policy wants a passkey too. [`SignInStep::ceremony`] has request
    /// options limited to this account's passkeys.
    SecondFactor,
    /// The password was right; the policy wants a passkey and the account has none.
    /// [`SignInStep::ceremony`] has the ID to start the enrollment with ([`AddPasskey::ceremony`]).
    EnrollSecondFactor,
}

impl Next {
    /// Every step, for clients that read JSON without serde.
    pub const ALL: [Next; 5] =
        [Self::Done, Self::OfferPasskey, Self::OfferLocalPasskey, Self::SecondFactor, Self::EnrollSecondFactor];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::OfferPasskey => "offer_passkey",
            Self::OfferLocalPasskey => "offer_local_passkey",
            Self::SecondFactor => "second_factor",
            Self::EnrollSecondFactor => "enroll_second_factor",
        }
    }

    /// The step with this wire name.
    pub fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|next| next.as_str() == name)
    }
}

/// The answer of every step that can sign a person in: the session if one started, and what comes next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInStep<O> {
    /// The new session; `None` while a second factor is outstanding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionInfo>,
    /// What to offer or ask next.
    pub next: Next,
    /// For [`Next::SecondFactor`] and [`Next::EnrollSecondFactor`]: the ceremony to continue with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceremony: Option<CeremonyStarted<O>>,
    /// After [`paths::PASSKEY_ADD_FINISH`]: the new passkey, with the name it was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passkey: Option<PasskeyInfo>,
}

/// How a session's user proved who they are, as RFC 8176 authentication method references.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// A password.
    Pwd,
    /// A key that can leave the device it was made on: a synced passkey (backup eligible).
    Swk,
    /// A key bound to one device: a device-bound passkey or security key.
    Hwk,
    /// The authenticator verified the user (PIN or biometrics): the UV flag was set.
    User,
}

impl AuthMethod {
    /// Every method, for clients that read JSON without serde.
    pub const ALL: [AuthMethod; 4] = [Self::Pwd, Self::Swk, Self::Hwk, Self::User];

    /// The RFC 8176 name, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pwd => "pwd",
            Self::Swk => "swk",
            Self::Hwk => "hwk",
            Self::User => "user",
        }
    }

    /// The method with this wire name.
    pub fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|method| method.as_str() == name)
    }
}

/// The signed-in person as the widget shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    /// The account's email address.
    pub email: String,
    /// The name the person chose, or their email address.
    pub display_name: String,
}

/// A signed-in session: who, and how they signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// The signed-in user.
    pub user: UserInfo,
    /// How they proved who they are.
    pub methods: Vec<AuthMethod>,
}

/// Body of [`paths::SESSION_TOKEN`]'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionToken {
    /// A JWT signed ES256 with the keys of the JWKS (`docs/OIDC.md` lists its claims).
    pub token: String,
    /// Seconds until it expires.
    pub expires_in: u64,
}

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong, from the closed set.
    pub code: ErrorCode,
    /// A sentence for developers; the widget shows its own catalog message instead.
    pub message: String,
    /// With `rate_limited`: seconds until the request may be sent again (as the `Retry-After` header).
    #[serde(default, rename = "retryAfter", skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl From<ErrorCode> for ErrorBody {
    fn from(code: ErrorCode) -> Self {
        Self { code, message: code.developer_message().to_owned(), retry_after: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_up_start_refuses_unknown_members() {
        let ok: SignUpStart = serde_json::from_str(r#"{"email":"a@b.co","displayName":"Ada"}"#).expect("valid body");
        assert_eq!(ok.display_name.as_deref(), Some("Ada"));
        assert!(serde_json::from_str::<SignUpStart>(r#"{"email":"a@b.co","admin":true}"#).is_err());
    }

    #[test]
    fn session_info_uses_camel_case_and_amr_names() {
        let info = SessionInfo {
            user: UserInfo { email: "a@b.co".into(), display_name: "Ada".into() },
            methods: vec![AuthMethod::Swk, AuthMethod::User],
        };
        let json = serde_json::to_string(&info).expect("serializes");
        assert_eq!(json, r#"{"user":{"email":"a@b.co","displayName":"Ada"},"methods":["swk","user"]}"#);
    }

    #[test]
    fn auth_method_wire_names_match_serde() {
        for method in AuthMethod::ALL {
            let json = serde_json::to_string(&method).expect("serializes");
            assert_eq!(json, format!("\"{}\"", method.as_str()));
            assert_eq!(AuthMethod::from_wire(method.as_str()), Some(method));
        }
    }

    #[test]
    fn error_body_carries_the_code_and_a_message() {
        let json = serde_json::to_string(&ErrorBody::from(ErrorCode::EmailTaken)).expect("serializes");
        assert!(json.starts_with(r#"{"code":"email_taken","message":"#));
    }
}
