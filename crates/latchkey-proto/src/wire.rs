//! Request and response bodies of the Latchkey HTTP API (`docs/API.md` documents each endpoint).

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// The API's paths, relative to the server's base URL.
pub mod paths {
    /// Starts a passkey sign-up: [`super::SignUpStart`] → [`super::CeremonyStarted`].
    pub const SIGN_UP_START: &str = "/api/signup/start";
    /// Finishes a passkey sign-up: [`super::CeremonyFinish`] → [`super::SessionInfo`].
    pub const SIGN_UP_FINISH: &str = "/api/signup/finish";
    /// Starts a passkey sign-in (no identifier): [`super::SignInStart`] → [`super::CeremonyStarted`].
    pub const SIGN_IN_START: &str = "/api/signin/start";
    /// Finishes a passkey sign-in: [`super::CeremonyFinish`] → [`super::SessionInfo`].
    pub const SIGN_IN_FINISH: &str = "/api/signin/finish";
    /// The current session: `GET` → [`super::SessionInfo`], or `204 No Content` when nobody is signed in.
    pub const SESSION: &str = "/api/session";
    /// Ends the current session: `POST` → `204 No Content`.
    pub const SIGN_OUT: &str = "/api/signout";
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
}

/// Body of [`paths::SIGN_IN_START`]: empty, since the sign-in names no account (`{}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInStart {}

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

/// How a session's user proved who they are, as RFC 8176 authentication method references.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// A key that can leave the device it was made on: a synced passkey (backup eligible).
    Swk,
    /// A key bound to one device: a device-bound passkey or security key.
    Hwk,
    /// The authenticator verified the user (PIN or biometrics): the UV flag was set.
    User,
}

impl AuthMethod {
    /// Every method, for clients that read JSON without serde.
    pub const ALL: [AuthMethod; 3] = [Self::Swk, Self::Hwk, Self::User];

    /// The RFC 8176 name, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
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

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong, from the closed set.
    pub code: ErrorCode,
    /// A sentence for developers; the widget shows its own catalog message instead.
    pub message: String,
}

impl From<ErrorCode> for ErrorBody {
    fn from(code: ErrorCode) -> Self {
        Self { code, message: code.developer_message().to_owned() }
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
