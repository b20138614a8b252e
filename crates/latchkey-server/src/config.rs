//! Server configuration: localhost defaults, overridden by an optional TOML file, then by environment
//! variables, so the demo needs none and a deployment needs no code.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use serde::Deserialize;

use latchkey_proto::Policy;

use crate::client_ip::{ForwardedHeader, Network};
pub use latchkey_proto::policy::{EmailVerification, Mfa, UserVerification};

/// Everything the server needs to run. Its `Debug` hides the secrets it holds (the admin token, passwords
/// in the SMTP and database URLs), so printing a configuration never leaks them.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The WebAuthn relying party ID: the registrable domain passkeys are bound to.
    pub rp_id: String,
    /// The relying party's name (`rp.name`), which some passkey prompts show.
    pub rp_name: String,
    /// Exact origins (scheme, host and port) allowed to run ceremonies.
    pub origins: Vec<String>,
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// Database URL: `sqlite://PATH` (the default) or a bare path, or `postgres://…` for PostgreSQL.
    pub database_url: String,
    /// Directory of the built widget and demo page, served at `/`.
    pub static_dir: PathBuf,
    /// The user verification the server asks for and enforces.
    pub user_verification: UserVerification,
    /// How long a started ceremony may take, in seconds.
    pub ceremony_timeout_secs: u64,
    /// Passkey as a second factor after a password.
    pub mfa: Mfa,
    /// Offer a passkey after a password sign-in by someone without one.
    pub progressive_enrollment: bool,
    /// How long "Not now" silences the offer, in days.
    pub enrollment_snooze_days: u32,
    /// Offer a passkey on this device after a sign-in with a passkey from another device.
    pub local_enrollment: bool,
    /// Most passkeys one account may have.
    pub passkeys_per_user: u32,
    /// A session unused this many days ends (seeds the policy).
    pub session_idle_days: u32,
    /// A session ends this many days after it began (seeds the policy).
    pub session_lifetime_days: u32,
    /// How recent a sign-in must be to add a way in (seeds the policy).
    pub reauthentication_minutes: u32,
    /// When a new account proves its email address (seeds the policy).
    pub email_verification: EmailVerification,
    /// SMTP server for reset mail, as a lettre URL (`smtps://user:password@smtp.example.com`); without
    /// one, mail goes to the outbox directory and the log.
    pub smtp_url: Option<String>,
    /// The sender of reset mail.
    pub mail_from: String,
    /// Where mail is written (as `.eml` files) when no SMTP server is configured.
    pub outbox_dir: PathBuf,
    /// The page reset links open, with `#latchkey-reset=TOKEN` appended; default: the first origin.
    pub reset_url: Option<String>,
    /// The account page security notifications link to; default: `/account.html` of the first origin.
    pub account_url: Option<String>,
    /// The console's bearer token; without one the admin API and console refuse everyone.
    pub admin_token: Option<String>,
    /// The OpenID Connect issuer identifier: an https URL (http on localhost) without query or fragment;
    /// default: the first origin.
    pub issuer: Option<String>,
    /// How long a client may take to send a request's head, in seconds.
    pub header_timeout_secs: u64,
    /// How long a request may take, body included, in seconds.
    pub request_timeout_secs: u64,
    /// Most connections open at once; a new one over the cap is closed at once.
    pub max_connections: usize,
    /// The proxies (addresses or networks) whose `Forwarded` or `X-Forwarded-For` names the client;
    /// default: none, so the peer is the client.
    pub trusted_proxies: Vec<Network>,
    /// The header the trusted proxies write the client's address in.
    pub forwarded_header: ForwardedHeader,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            rp_id: "localhost".into(),
            rp_name: "Latchkey demo".into(),
            origins: vec!["http://localhost:8080".into()],
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://latchkey.sqlite3".into(),
            static_dir: PathBuf::from("dist"),
            user_verification: UserVerification::Required,
            ceremony_timeout_secs: 300,
            mfa: Mfa::Off,
            progressive_enrollment: true,
            enrollment_snooze_days: 30,
            local_enrollment: true,
            passkeys_per_user: 20,
            session_idle_days: 30,
            session_lifetime_days: 400,
            reauthentication_minutes: 15,
            email_verification: EmailVerification::AfterSignUp,
            smtp_url: None,
            mail_from: "Latchkey <no-reply@localhost>".into(),
            outbox_dir: PathBuf::from("outbox"),
            reset_url: None,
            account_url: None,
            admin_token: None,
            issuer: None,
            header_timeout_secs: 10,
            request_timeout_secs: 30,
            max_connections: 512,
            trusted_proxies: Vec::new(),
            forwarded_header: ForwardedHeader::XForwardedFor,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("rp_id", &self.rp_id)
            .field("rp_name", &self.rp_name)
            .field("origins", &self.origins)
            .field("listen", &self.listen)
            .field("database_url", &without_password(&self.database_url))
            .field("static_dir", &self.static_dir)
            .field("user_verification", &self.user_verification)
            .field("ceremony_timeout_secs", &self.ceremony_timeout_secs)
            .field("mfa", &self.mfa)
            .field("progressive_enrollment", &self.progressive_enrollment)
            .field("enrollment_snooze_days", &self.enrollment_snooze_days)
            .field("local_enrollment", &self.local_enrollment)
            .field("passkeys_per_user", &self.passkeys_per_user)
            .field("session_idle_days", &self.session_idle_days)
            .field("session_lifetime_days", &self.session_lifetime_days)
            .field("reauthentication_minutes", &self.reauthentication_minutes)
            .field("email_verification", &self.email_verification)
            .field("smtp_url", &self.smtp_url.as_deref().map(without_password))
            .field("mail_from", &self.mail_from)
            .field("outbox_dir", &self.outbox_dir)
            .field("reset_url", &self.reset_url)
            .field("account_url", &self.account_url)
            .field("admin_token", &self.admin_token.as_ref().map(|_| REDACTED))
            .field("issuer", &self.issuer)
            .field("header_timeout_secs", &self.header_timeout_secs)
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("max_connections", &self.max_connections)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("forwarded_header", &self.forwarded_header)
            .finish()
    }
}

/// What `Debug` shows in place of a secret.
const REDACTED: &str = "[redacted]";

/// A URL with its password, if any, replaced by [`REDACTED`].
fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some(REDACTED));
            }
            // tokio-postgres also takes the password as a query parameter.
            if parsed.query_pairs().any(|(name, _)| name == "password") {
                let pairs: Vec<(String, String)> = parsed
                    .query_pairs()
                    .map(|(name, value)| {
                        let value = if name == "password" { REDACTED.to_owned() } else { value.into_owned() };
                        (name.into_owned(), value)
                    })
                    .collect();
                parsed.query_pairs_mut().clear().extend_pairs(pairs);
            }
            parsed.to_string()
        }
        // An unparsable URL could hold anything: show its scheme only.
        Err(_) => {
            url.split_once("://").map_or_else(|| REDACTED.to_owned(), |(scheme, _)| format!("{scheme}://{REDACTED}"))
        }
    }
}

/// The longest `reauthentication_minutes`: a day.
pub const MAX_REAUTHENTICATION_MINUTES: u32 = 24 * 60;

/// The shortest admin token accepted: it is the console's only guard, so a guessable one is refused.
pub const MIN_ADMIN_TOKEN_CHARS: usize = 16;

/// A configuration that could not be read.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads the configuration: defaults, then the TOML file named by `LATCHKEY_CONFIG` if set, then
    /// the `LATCHKEY_*` variables of `env`.
    pub fn load(env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let file = match env("LATCHKEY_CONFIG") {
            Some(path) => Some(
                std::fs::read_to_string(&path)
                    .map(|text| (path.clone(), text))
                    .map_err(|e| ConfigError(format!("reading {path}: {e}")))?,
            ),
            None => None,
        };
        let toml = file.as_ref().map(|(path, text)| (path.as_str(), text.as_str()));
        Self::from_sources(toml, env)
    }

    /// What [`Config::load`] does once the file is read: defaults, then `toml` (the file's name and text)
    /// if given, then the `LATCHKEY_*` variables of `env`, checked. The fuzzer calls it directly.
    pub fn from_sources(toml: Option<(&str, &str)>, env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut config = match toml {
            Some((path, text)) => Self::from_toml(path, text)?,
            None => Self::default(),
        };
        config.apply_env(&env)?;
        config.check()?;
        Ok(config)
    }

    fn from_toml(path: &str, text: &str) -> Result<Self, ConfigError> {
        // The error's message only: its full text quotes the line, which may hold the admin token.
        toml::from_str(text).map_err(|e: toml::de::Error| ConfigError(format!("parsing {path}: {}", e.message())))
    }

    fn apply_env(&mut self, env: &impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        let port_only = env("LATCHKEY_PORT");
        if let Some(v) = env("LATCHKEY_RP_ID") {
            self.rp_id = v;
        }
        if let Some(v) = env("LATCHKEY_RP_NAME") {
            self.rp_name = v;
        }
        if let Some(v) = env("LATCHKEY_LISTEN") {
            self.listen = v.parse().map_err(|e| ConfigError(format!("LATCHKEY_LISTEN={v}: {e}")))?;
        }
        if let Some(v) = &port_only {
            let port: u16 = v.parse().map_err(|e| ConfigError(format!("LATCHKEY_PORT={v}: {e}")))?;
            self.listen.set_port(port);
            // With only a port given, the demo's origin follows it, so `LATCHKEY_PORT=9000` just works.
            if env("LATCHKEY_ORIGINS").is_none() && self.origins == Config::default().origins {
                self.origins = vec![format!("http://localhost:{port}")];
            }
        }
        if let Some(v) = env("LATCHKEY_ORIGINS") {
            self.origins = v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
        }
        if let Some(v) = env("LATCHKEY_DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = env("LATCHKEY_STATIC_DIR") {
            self.static_dir = v.into();
        }
        if let Some(v) = env("LATCHKEY_MFA") {
            self.mfa = match v.as_str() {
                "off" => Mfa::Off,
                "passkey" => Mfa::Passkey,
                _ => return Err(ConfigError(format!("LATCHKEY_MFA={v}: use off or passkey"))),
            };
        }
        if let Some(v) = env("LATCHKEY_EMAIL_VERIFICATION") {
            self.email_verification = match v.as_str() {
                "after_sign_up" => EmailVerification::AfterSignUp,
                "before_sign_up" => EmailVerification::BeforeSignUp,
                "off" => EmailVerification::Off,
                _ => {
                    return Err(ConfigError(format!(
                        "LATCHKEY_EMAIL_VERIFICATION={v}: use after_sign_up, before_sign_up or off"
                    )));
                }
            };
        }
        if let Some(v) = env("LATCHKEY_REAUTHENTICATION_MINUTES") {
            self.reauthentication_minutes =
                u32::try_from(parse_positive("LATCHKEY_REAUTHENTICATION_MINUTES", &v)?).unwrap_or(u32::MAX);
        }
        if let Some(v) = env("LATCHKEY_PROGRESSIVE_ENROLLMENT") {
            self.progressive_enrollment = parse_bool("LATCHKEY_PROGRESSIVE_ENROLLMENT", &v)?;
        }
        if let Some(v) = env("LATCHKEY_LOCAL_ENROLLMENT") {
            self.local_enrollment = parse_bool("LATCHKEY_LOCAL_ENROLLMENT", &v)?;
        }
        if let Some(v) = env("LATCHKEY_SMTP_URL") {
            self.smtp_url = Some(v);
        }
        if let Some(v) = env("LATCHKEY_MAIL_FROM") {
            self.mail_from = v;
        }
        if let Some(v) = env("LATCHKEY_OUTBOX_DIR") {
            self.outbox_dir = v.into();
        }
        if let Some(v) = env("LATCHKEY_RESET_URL") {
            self.reset_url = Some(v);
        }
        if let Some(v) = env("LATCHKEY_ACCOUNT_URL") {
            self.account_url = Some(v);
        }
        if let Some(v) = env("LATCHKEY_ADMIN_TOKEN").filter(|v| !v.is_empty()) {
            self.admin_token = Some(v);
        }
        if let Some(v) = env("LATCHKEY_ISSUER").filter(|v| !v.is_empty()) {
            self.issuer = Some(v);
        }
        if let Some(v) = env("LATCHKEY_CEREMONY_TIMEOUT_SECS") {
            self.ceremony_timeout_secs = parse_positive("LATCHKEY_CEREMONY_TIMEOUT_SECS", &v)?;
        }
        if let Some(v) = env("LATCHKEY_HEADER_TIMEOUT_SECS") {
            self.header_timeout_secs = parse_positive("LATCHKEY_HEADER_TIMEOUT_SECS", &v)?;
        }
        if let Some(v) = env("LATCHKEY_REQUEST_TIMEOUT_SECS") {
            self.request_timeout_secs = parse_positive("LATCHKEY_REQUEST_TIMEOUT_SECS", &v)?;
        }
        if let Some(v) = env("LATCHKEY_MAX_CONNECTIONS") {
            self.max_connections = parse_positive("LATCHKEY_MAX_CONNECTIONS", &v)? as usize;
        }
        if let Some(v) = env("LATCHKEY_TRUSTED_PROXIES") {
            self.trusted_proxies = v
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(Network::parse)
                .collect::<Result<_, _>>()
                .map_err(|e| ConfigError(format!("LATCHKEY_TRUSTED_PROXIES: {e}")))?;
        }
        if let Some(v) = env("LATCHKEY_FORWARDED_HEADER") {
            self.forwarded_header =
                ForwardedHeader::parse(&v).map_err(|e| ConfigError(format!("LATCHKEY_FORWARDED_HEADER={e}")))?;
        }
        if let Some(v) = env("LATCHKEY_USER_VERIFICATION") {
            self.user_verification = match v.as_str() {
                "required" => UserVerification::Required,
                "preferred" => UserVerification::Preferred,
                _ => {
                    return Err(ConfigError(format!("LATCHKEY_USER_VERIFICATION={v}: use required or preferred")));
                }
            };
        }
        Ok(())
    }

    /// Checks the configuration and writes each origin the way browsers serialize it (lowercase host,
    /// no default port, no trailing slash), so the exact comparisons with `Origin` and
    /// `clientDataJSON.origin` match.
    fn check(&mut self) -> Result<(), ConfigError> {
        if self.origins.is_empty() {
            return Err(ConfigError("at least one origin is required".into()));
        }
        for origin in &mut self.origins {
            *origin = checked_origin(origin, &self.rp_id)?;
        }
        if let Some(issuer) = &self.issuer {
            self.issuer = Some(checked_issuer(issuer)?);
        }
        if self.admin_token.as_ref().is_some_and(|token| token.chars().count() < MIN_ADMIN_TOKEN_CHARS) {
            return Err(ConfigError(format!("the admin token needs at least {MIN_ADMIN_TOKEN_CHARS} characters")));
        }
        if let Some((scheme, _)) = self
            .database_url
            .split_once("://")
            .filter(|(scheme, _)| !matches!(*scheme, "sqlite" | "postgres" | "postgresql"))
        {
            return Err(ConfigError(format!(
                "database URL scheme {scheme}:// is not supported; use sqlite://PATH or postgres://…"
            )));
        }
        Ok(())
    }

    /// Whether every allowed origin is https, so cookies can be `Secure` with the `__Host-` prefix.
    pub fn is_https(&self) -> bool {
        self.origins.iter().all(|o| o.starts_with("https://"))
    }

    /// The policy a new database starts with: the configuration's settings; the console changes it after.
    pub fn seed_policy(&self) -> Policy {
        Policy {
            progressive_enrollment: self.progressive_enrollment,
            enrollment_snooze_days: self.enrollment_snooze_days,
            local_enrollment: self.local_enrollment,
            user_verification: self.user_verification,
            mfa: self.mfa,
            passkeys_per_user: self.passkeys_per_user,
            session_idle_days: self.session_idle_days,
            session_lifetime_days: self.session_lifetime_days,
            reauthentication_minutes: self.reauthentication_minutes,
            email_verification: self.email_verification,
            origins: self.origins.clone(),
            ..Policy::default()
        }
    }

    /// Checks a policy before it is applied, writing its origins as browsers serialize them.
    pub fn checked_policy(&self, mut policy: Policy) -> Result<Policy, ConfigError> {
        if policy.origins.is_empty() {
            return Err(ConfigError("at least one origin is required".into()));
        }
        for origin in policy.origins.iter_mut() {
            *origin = checked_origin(origin, &self.rp_id)?;
        }
        for origin in policy.related_origins.iter_mut() {
            *origin = url::Url::parse(origin)
                .ok()
                .filter(|u| u.scheme() == "https")
                .map(|u| u.origin().ascii_serialization())
                .ok_or_else(|| ConfigError(format!("related origin {origin} must be an https origin")))?;
        }
        if policy.passkeys_per_user == 0 {
            return Err(ConfigError("passkeys_per_user must be at least 1".into()));
        }
        // Browsers keep a cookie at most 400 days (RFC 6265bis §5.5), so a longer session could not last.
        if !(1..=MAX_SESSION_DAYS).contains(&policy.session_lifetime_days) {
            return Err(ConfigError(format!("session_lifetime_days must be 1 to {MAX_SESSION_DAYS}")));
        }
        if !(1..=policy.session_lifetime_days).contains(&policy.session_idle_days) {
            return Err(ConfigError("session_idle_days must be 1 to session_lifetime_days".into()));
        }
        // A day at most: a confirmation older than that is no confirmation of who holds the session.
        if !(1..=MAX_REAUTHENTICATION_MINUTES).contains(&policy.reauthentication_minutes) {
            return Err(ConfigError(format!("reauthentication_minutes must be 1 to {MAX_REAUTHENTICATION_MINUTES}")));
        }
        Ok(policy)
    }

    /// The account page security notifications link to: `account_url`, else `/account.html` of the
    /// first origin in `policy` (the demo's).
    pub fn account_page(&self, policy: &Policy) -> String {
        match &self.account_url {
            Some(url) => url.clone(),
            None => format!("{}/account.html", policy.origins.first().map(String::as_str).unwrap_or_default()),
        }
    }

    /// The page reset links open: `reset_url`, else the root page of the first origin in `policy`.
    pub fn reset_page(&self, policy: &Policy) -> String {
        match &self.reset_url {
            Some(url) => url.clone(),
            None => format!("{}/", policy.origins.first().map(String::as_str).unwrap_or_default()),
        }
    }

    /// The OpenID Connect issuer: `issuer`, else the first origin. Tokens name it in `iss`, and every
    /// endpoint of the provider is under it.
    pub fn issuer(&self) -> &str {
        self.issuer.as_deref().unwrap_or_else(|| self.origins.first().map_or("", String::as_str))
    }

    /// How long a request may take.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// The limits of each connection.
    pub fn connection_limits(&self) -> crate::serve::Limits {
        crate::serve::Limits {
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            max_connections: self.max_connections,
        }
    }

    /// The ceremony time limit.
    pub fn ceremony_timeout(&self) -> Duration {
        Duration::from_secs(self.ceremony_timeout_secs)
    }
}

/// The longest a browser keeps a cookie, in days (RFC 6265bis §5.5).
const MAX_SESSION_DAYS: u32 = 400;

fn parse_positive(name: &str, value: &str) -> Result<u64, ConfigError> {
    value
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ConfigError(format!("{name}={value}: use a whole number above 0")))
}

fn parse_bool(name: &str, value: &str) -> Result<bool, ConfigError> {
    match value {
        "true" | "1" | "on" => Ok(true),
        "false" | "0" | "off" => Ok(false),
        _ => Err(ConfigError(format!("{name}={value}: use true or false"))),
    }
}

/// An origin within the RP ID, serialized as browsers do; plain http only on the loopback interface,
/// where browsers treat it as secure and where no one else can listen.
fn checked_origin(origin: &str, rp_id: &str) -> Result<String, ConfigError> {
    let url = url::Url::parse(origin).map_err(|e| ConfigError(format!("origin {origin}: {e}")))?;
    let host = url.host_str().unwrap_or_default();
    let in_rp_id = host == rp_id || host.ends_with(&format!(".{rp_id}"));
    let loopback = matches!(host, "localhost" | "127.0.0.1" | "[::1]") || host.ends_with(".localhost");
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    if !in_rp_id || !scheme_ok || url.path() != "/" || url.query().is_some() {
        return Err(ConfigError(format!(
            "origin {origin} must be an https origin within RP ID {rp_id} (http only on localhost)"
        )));
    }
    Ok(url.origin().ascii_serialization())
}

/// An issuer identifier as OpenID Connect Discovery 1.0 §3 requires it (https, no query or fragment),
/// and an origin, since the provider's endpoints are at the root of the server: http only on the
/// loopback interface, written without a trailing slash so that `{issuer}/.well-known/openid-configuration`
/// is its discovery document.
fn checked_issuer(issuer: &str) -> Result<String, ConfigError> {
    let url = url::Url::parse(issuer).map_err(|e| ConfigError(format!("issuer {issuer}: {e}")))?;
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    if !scheme_ok || url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError(format!(
            "issuer {issuer} must be an https origin such as https://login.example.com (http only on localhost)"
        )));
    }
    Ok(url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::load(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_serve_the_demo_on_localhost() {
        let config = load(&[]).expect("defaults are valid");
        assert_eq!(config.origins, ["http://localhost:8080"]);
        assert!(!config.is_https());
    }

    #[test]
    fn a_port_alone_moves_the_demo_origin() {
        let config = load(&[("LATCHKEY_PORT", "9000")]).expect("valid");
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.origins, ["http://localhost:9000"]);
    }

    #[test]
    fn origins_are_written_as_browsers_send_them() {
        let config = load(&[("LATCHKEY_RP_ID", "example.com"), ("LATCHKEY_ORIGINS", "HTTPS://Login.Example.com:443/")])
            .expect("valid");
        assert_eq!(config.origins, ["https://login.example.com"]);
    }

    #[test]
    fn plain_http_is_only_for_localhost() {
        assert!(load(&[("LATCHKEY_RP_ID", "example.com"), ("LATCHKEY_ORIGINS", "http://example.com")]).is_err());
        assert!(load(&[("LATCHKEY_ORIGINS", "http://localhost:3000")]).is_ok());
    }

    #[test]
    fn sqlite_and_postgresql_databases_are_accepted() {
        assert!(load(&[("LATCHKEY_DATABASE_URL", "mysql://db/latchkey")]).is_err());
        assert!(load(&[("LATCHKEY_DATABASE_URL", "postgres://latchkey@db/latchkey")]).is_ok());
        assert!(load(&[("LATCHKEY_DATABASE_URL", "/var/lib/latchkey.sqlite3")]).is_ok());
    }

    #[test]
    fn origins_outside_the_rp_id_are_refused() {
        assert!(load(&[("LATCHKEY_ORIGINS", "https://evil-localhost")]).is_err());
        assert!(load(&[("LATCHKEY_RP_ID", "example.com"), ("LATCHKEY_ORIGINS", "https://login.example.com")]).is_ok());
    }

    #[test]
    fn the_issuer_defaults_to_the_first_origin_and_must_be_https() {
        assert_eq!(load(&[]).expect("valid").issuer(), "http://localhost:8080");
        let config = load(&[("LATCHKEY_ISSUER", "https://login.example.com/")]).expect("valid");
        assert_eq!(config.issuer(), "https://login.example.com");
        assert!(load(&[("LATCHKEY_ISSUER", "http://login.example.com")]).is_err());
        assert!(load(&[("LATCHKEY_ISSUER", "https://login.example.com/?tenant=1")]).is_err());
        assert!(load(&[("LATCHKEY_ISSUER", "https://example.com/login")]).is_err(), "the endpoints are at the root");
    }

    #[test]
    fn debug_output_hides_every_secret() {
        let config = load(&[
            ("LATCHKEY_ADMIN_TOKEN", "a-long-enough-token-42"),
            ("LATCHKEY_SMTP_URL", "smtps://mailer:smtp-s3cret@smtp.example.com"),
            ("LATCHKEY_DATABASE_URL", "postgres://latchkey:db-s3cret@db.internal/latchkey"),
        ])
        .expect("valid");
        let printed = format!("{config:?}");
        for secret in ["a-long-enough-token-42", "smtp-s3cret", "db-s3cret"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        let in_query = without_password("postgres://latchkey@db.internal/latchkey?password=q-s3cret&sslmode=disable");
        assert!(!in_query.contains("q-s3cret") && in_query.contains("sslmode=disable"), "{in_query}");
        assert!(printed.contains("smtp.example.com") && printed.contains("db.internal"), "the rest is shown");
    }

    #[test]
    fn a_short_admin_token_is_refused() {
        assert!(load(&[("LATCHKEY_ADMIN_TOKEN", "hunter2")]).is_err());
        assert!(load(&[("LATCHKEY_ADMIN_TOKEN", "a-long-enough-token-42")]).is_ok());
    }

    #[test]
    fn a_toml_file_is_read_and_env_wins() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("latchkey.toml");
        std::fs::write(&path, "rp_id = \"example.com\"\norigins = [\"https://example.com\"]\nrp_name = \"Ex\"\n")
            .expect("write");
        let config =
            load(&[("LATCHKEY_CONFIG", path.to_str().expect("utf-8")), ("LATCHKEY_RP_NAME", "Env")]).expect("valid");
        assert_eq!((config.rp_id.as_str(), config.rp_name.as_str()), ("example.com", "Env"));
        assert!(config.is_https());
    }
}
