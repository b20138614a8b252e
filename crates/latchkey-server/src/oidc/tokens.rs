//! What the provider's tokens say: the ID token (OpenID Connect Core 1.0 §2), the access token (the JWT
//! profile of RFC 9068 §2.2, so a resource server checks it offline) and the embedded widget's session
//! token, with the `amr` and `acr` values a session's methods give.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use latchkey_proto::AuthMethod;
use serde::Serialize;

use super::jws::{self, Signing};

/// How long an ID token is valid: 10 minutes, the time an application takes to read it.
pub const ID_TOKEN_SECS: i64 = 600;
/// How long an access token is valid: 10 minutes; the refresh token gets the next one.
pub const ACCESS_TOKEN_SECS: i64 = 600;
/// How long the embedded widget's session token is valid: 5 minutes.
pub const SESSION_TOKEN_SECS: i64 = 300;
/// The session token's `typ` (RFC 8725 §3.11): its own, so it never passes for an ID token, nor one for it.
pub const SESSION_TOKEN_TYPE: &str = "latchkey-session+jwt";
/// The longest of the above: how long a retired key must stay published.
pub const LONGEST_TOKEN_SECS: i64 = ID_TOKEN_SECS;

/// The signed-in person, as the tokens describe them.
pub struct Person {
    /// The stable subject: the account's random WebAuthn user handle, base64url; never the email.
    pub sub: String,
    /// The email address.
    pub email: String,
    /// The display name.
    pub name: String,
    /// Whether the mailbox owner has proved the email.
    pub email_verified: bool,
    /// How the session was earned.
    pub methods: Vec<AuthMethod>,
    /// When the session was earned.
    pub auth_time: i64,
}

/// The `sub` of an account with this user handle.
pub fn subject(user_handle: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(user_handle)
}

/// Which of the person's claims a scope releases (OpenID Connect Core 1.0 §5.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Released {
    /// `email` and `email_verified`, for the `email` scope.
    pub email: bool,
    /// `name`, for the `profile` scope.
    pub profile: bool,
}

impl Released {
    /// The claims `scope` (space-separated) releases.
    pub fn by(scope: &str) -> Self {
        let has = |wanted: &str| scope.split(' ').any(|s| s == wanted);
        Self { email: has("email"), profile: has("profile") }
    }
}

/// The claims about the person that a scope releases, in ID tokens, the session token and `userinfo`.
#[derive(Serialize)]
pub struct PersonClaims<'a> {
    /// The subject.
    pub sub: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    /// Whether the mailbox owner proved the address (OpenID Connect Core 1.0 §5.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    email_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

impl<'a> PersonClaims<'a> {
    /// The claims of `person` that `released` allows.
    pub fn of(person: &'a Person, released: Released) -> Self {
        Self {
            sub: &person.sub,
            email: released.email.then_some(person.email.as_str()),
            email_verified: released.email.then_some(person.email_verified),
            name: released.profile.then_some(person.name.as_str()),
        }
    }
}

/// Who a token is for and what it is about.
pub struct Issue<'a> {
    /// The signing key.
    pub key: &'a Signing,
    /// The issuer identifier.
    pub issuer: &'a str,
    /// The person.
    pub person: &'a Person,
    /// When the token is issued.
    pub now: i64,
}

#[derive(Serialize)]
struct IdToken<'a> {
    iss: &'a str,
    aud: &'a str,
    exp: i64,
    iat: i64,
    auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    amr: Vec<&'static str>,
    acr: &'static str,
    azp: &'a str,
    sid: &'a str,
    #[serde(flatten)]
    person: PersonClaims<'a>,
}

/// An ID token for `client_id` (OpenID Connect Core 1.0 §2 and §3.1.3.6).
pub fn id_token(issue: &Issue<'_>, client_id: &str, scope: &str, nonce: Option<&str>, sid: &str) -> String {
    let claims = IdToken {
        iss: issue.issuer,
        aud: client_id,
        exp: issue.now + ID_TOKEN_SECS,
        iat: issue.now,
        auth_time: issue.person.auth_time,
        nonce,
        amr: amr(&issue.person.methods),
        acr: acr(&issue.person.methods),
        azp: client_id,
        sid,
        person: PersonClaims::of(issue.person, Released::by(scope)),
    };
    jws::sign(issue.key, "JWT", &claims)
}

#[derive(Serialize)]
struct AccessToken<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: i64,
    iat: i64,
    jti: String,
    client_id: &'a str,
    scope: &'a str,
    auth_time: i64,
    amr: Vec<&'static str>,
    acr: &'static str,
    sid: &'a str,
}

/// An access token in the JWT profile (RFC 9068 §2.2), `typ` `at+jwt` (§2.1). Without resource indicators
/// its audience is the issuer itself, whose `userinfo` is the resource it opens (§3).
pub fn access_token(issue: &Issue<'_>, client_id: &str, scope: &str, sid: &str) -> String {
    let claims = AccessToken {
        iss: issue.issuer,
        sub: &issue.person.sub,
        aud: issue.issuer,
        exp: issue.now + ACCESS_TOKEN_SECS,
        iat: issue.now,
        jti: crate::session::new_secret().secret,
        client_id,
        scope,
        auth_time: issue.person.auth_time,
        amr: amr(&issue.person.methods),
        acr: acr(&issue.person.methods),
        sid,
    };
    jws::sign(issue.key, "at+jwt", &claims)
}

#[derive(Serialize)]
struct SessionToken<'a> {
    iss: &'a str,
    aud: &'a str,
    exp: i64,
    iat: i64,
    auth_time: i64,
    amr: Vec<&'static str>,
    acr: &'static str,
    #[serde(flatten)]
    person: PersonClaims<'a>,
}

/// The embedded widget's token for the page at `origin` (its audience): who is signed in, with every claim.
pub fn session_token(issue: &Issue<'_>, origin: &str) -> String {
    let claims = SessionToken {
        iss: issue.issuer,
        aud: origin,
        exp: issue.now + SESSION_TOKEN_SECS,
        iat: issue.now,
        auth_time: issue.person.auth_time,
        amr: amr(&issue.person.methods),
        acr: acr(&issue.person.methods),
        person: PersonClaims::of(issue.person, Released { email: true, profile: true }),
    };
    jws::sign(issue.key, SESSION_TOKEN_TYPE, &claims)
}

/// RFC 8176 §2 values: the session's methods (`pwd`, `hwk` or `swk`, `user`), and `mfa` when two kinds
/// of factor were used: a password and a passkey, or a passkey and the user verification that unlocked it.
pub fn amr(methods: &[AuthMethod]) -> Vec<&'static str> {
    let mut values: Vec<&'static str> = methods.iter().map(|m| m.as_str()).collect();
    let key = methods.iter().any(|m| matches!(m, AuthMethod::Hwk | AuthMethod::Swk));
    let other_factor = methods.iter().any(|m| matches!(m, AuthMethod::Pwd | AuthMethod::User));
    if key && other_factor {
        values.push("mfa");
    }
    values
}

/// The `acr`: `phr` (phishing-resistant, OpenID EAP ACR Values 1.0 §2) when a passkey was used, and `0`
/// (OpenID Connect Core 1.0 §2: no assurance claimed) for a password alone.
pub fn acr(methods: &[AuthMethod]) -> &'static str {
    if methods.iter().any(|m| matches!(m, AuthMethod::Hwk | AuthMethod::Swk)) { "phr" } else { "0" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amr_says_mfa_for_two_kinds_of_factor() {
        assert_eq!(amr(&[AuthMethod::Swk, AuthMethod::User]), ["swk", "user", "mfa"]);
        assert_eq!(amr(&[AuthMethod::Pwd, AuthMethod::Hwk, AuthMethod::User]), ["pwd", "hwk", "user", "mfa"]);
        assert_eq!(amr(&[AuthMethod::Pwd]), ["pwd"]);
        assert_eq!(amr(&[AuthMethod::Swk]), ["swk"], "a passkey without user verification is one factor");
        assert_eq!((acr(&[AuthMethod::Pwd]), acr(&[AuthMethod::Hwk])), ("0", "phr"));
    }

    #[test]
    fn claims_follow_the_scope() {
        let person = Person {
            sub: "h".into(),
            email: "ada@example.com".into(),
            name: "Ada".into(),
            email_verified: false,
            methods: vec![],
            auth_time: 1,
        };
        let claims = serde_json::to_value(PersonClaims::of(&person, Released::by("openid email"))).expect("json");
        assert_eq!(claims, serde_json::json!({ "sub": "h", "email": "ada@example.com", "email_verified": false }));
        let proved = Person { email_verified: true, ..person };
        let claims = serde_json::to_value(PersonClaims::of(&proved, Released::by("openid profile"))).expect("json");
        assert_eq!(
            claims,
            serde_json::json!({ "sub": "h", "name": "Ada" }),
            "email_verified goes with the email scope"
        );
        let claims = serde_json::to_value(PersonClaims::of(&proved, Released::by("openid email"))).expect("json");
        assert_eq!(claims["email_verified"], true);
    }
}
