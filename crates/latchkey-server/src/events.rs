//! The event log: every authentication event with who, from where and why (`docs/EVENTS.md` documents
//! the codes). Events are written by the store, most in the transaction of the change they record.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{header, request::Parts},
};
use latchkey_proto::{AuthMethod, events::EventCode};
use serde_json::{Value, json};

use crate::{
    client_ip::{Proxies, client_ip, limit_subject},
    error::ApiError,
    limits::{self, Subject, Tally},
    state::AppState,
    store::{NewEvent, now},
    texts,
};

/// Who sent a request, as the log records it and rate limits count it.
#[derive(Clone, Debug)]
pub struct Client {
    /// The client's address: the peer's, or the one a trusted proxy reports ([`client_ip`]).
    pub ip: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The language to write to this client in, from its `Accept-Language` (the widget, the account page
    /// and the console send the language they show); English when it names none Latchkey speaks.
    pub language: &'static str,
}

impl Default for Client {
    /// A client that said nothing of itself: no address, no agent, English.
    fn default() -> Self {
        Self { ip: None, user_agent: None, language: "en" }
    }
}

impl Client {
    /// An administration command run on the server's machine: no address, the command as its agent.
    pub fn command_line() -> Self {
        Self { ip: None, user_agent: Some("latchkey-server (command line)".into()), language: "en" }
    }

    /// Whom rate limits and argon2's fair share count this client as: its address's [`limit_subject`],
    /// or `unknown` for a request that came without one (a test driving the router directly).
    pub fn limit_subject(&self) -> String {
        let ip = self.ip.as_deref().and_then(|ip| ip.parse().ok());
        ip.map_or_else(|| "unknown".to_owned(), limit_subject)
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
        let proxies = Proxies { trusted: &app.config.trusted_proxies, header: app.config.forwarded_header };
        let ip = peer.map(|peer| client_ip(peer, &parts.headers, proxies).to_string());
        let user_agent = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let accept_language = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        let language = accept_language.map_or("en", texts::language_of);
        Ok(Self { ip, user_agent, language })
    }
}

/// An event to record.
#[derive(Clone, Debug)]
pub struct Event {
    /// What happened.
    pub code: EventCode,
    /// The account, if known.
    pub user_id: Option<i64>,
    /// The email, as known or typed.
    pub email: Option<String>,
    /// On failures, the error code.
    pub reason: Option<&'static str>,
    /// Code-specific facts.
    pub detail: Option<Value>,
}

impl Event {
    /// An event of `code` about nobody in particular yet.
    pub fn new(code: EventCode) -> Self {
        Self { code, user_id: None, email: None, reason: None, detail: None }
    }

    /// About this account.
    pub fn user(mut self, user_id: i64) -> Self {
        self.user_id = Some(user_id);
        self
    }

    /// With this email.
    pub fn email(mut self, email: &str) -> Self {
        self.email = Some(email.to_owned());
        self
    }

    /// A failure for this reason (an error code).
    pub fn reason(mut self, reason: &'static str) -> Self {
        self.reason = Some(reason);
        self
    }

    /// With these facts.
    pub fn detail(mut self, detail: Value) -> Self {
        self.detail = Some(detail);
        self
    }

    /// With the methods of a sign-in.
    pub fn methods(self, methods: &[AuthMethod]) -> Self {
        self.detail(json!({ "methods": methods }))
    }
}

/// Records an event. The log must not fail a request: a storage error is logged and the request goes on.
pub async fn record(app: &AppState, client: &Client, event: Event) {
    let code = event.code;
    if let Err(e) = app.store.record_event(event.row(client)).await {
        tracing::error!(code = code.as_str(), %e, "recording an event");
    }
}

/// Passes a handler's result on, recording `failed` with the error's code as the reason when it failed.
pub async fn logged<T>(
    app: &AppState,
    client: &Client,
    failed: Event,
    result: Result<T, ApiError>,
) -> Result<T, ApiError> {
    if let Err(error) = &result {
        record_failure(app, client, failed.reason(error.code().as_str())).await;
    }
    result
}

/// Records a failure; one about no account only within the address's
/// [`limits::ANONYMOUS_FAILURE_EVENTS_PER_IP`]. The first one past that cap is recorded with the time
/// until which the address's next ones are not (`unrecorded_until`), so the log says what it left out.
async fn record_failure(app: &AppState, client: &Client, failed: Event) {
    if failed.user_id.is_some() {
        return record(app, client, failed).await;
    }
    match limits::tally(app, limits::ANONYMOUS_FAILURE_EVENTS_PER_IP, Subject::Ip(client)).await {
        Ok(Tally::Within) => record(app, client, failed).await,
        Ok(Tally::Reached { resets_at }) => {
            record(app, client, failed.detail(json!({ "unrecorded_until": resets_at }))).await;
        }
        Ok(Tally::Beyond) => {}
        Err(e) => tracing::error!(code = failed.code.as_str(), %e, "counting a failure event"),
    }
}

/// The longest email or `User-Agent` kept: anyone can fail a sign-in, so what they send is capped.
const MAX_TEXT_CHARS: usize = 256;

/// How long events are kept: 400 days, a year of history with room for yearly comparisons.
pub const RETENTION_SECS: i64 = 400 * 24 * 3600;

/// The first [`MAX_TEXT_CHARS`] characters of a text the client chose.
pub fn capped(text: Option<&str>) -> Option<String> {
    text.map(|t| t.chars().take(MAX_TEXT_CHARS).collect())
}

impl Event {
    /// The row to store for this event, sent by `client`, happening now.
    pub fn row(&self, client: &Client) -> NewEvent {
        NewEvent {
            at: now(),
            code: self.code.as_str(),
            user_id: self.user_id,
            email: capped(self.email.as_deref()),
            ip: client.ip.clone(),
            user_agent: capped(client.user_agent.as_deref()),
            reason: self.reason,
            detail: self.detail.as_ref().map(Value::to_string),
        }
    }
}
