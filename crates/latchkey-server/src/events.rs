//! The event log: recording every authentication event with who, from where and why, and reading it
//! back page by page (`docs/EVENTS.md` documents the codes).

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{header, request::Parts},
};
use latchkey_proto::{
    AuthMethod,
    events::{EventCode, EventPage, EventRecord},
};
use rusqlite::{Connection, params};
use serde_json::{Value, json};

use crate::{
    AppState,
    db::{DbError, now},
};

/// Who sent a request, as the log records it.
#[derive(Clone, Debug, Default)]
pub struct Client {
    /// The peer address (the server sees proxies as the peer; see the README on deployments).
    pub ip: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip().to_string());
        let user_agent = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok(Self { ip, user_agent })
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
    let client = client.clone();
    let code = event.code;
    if let Err(e) = app.db.run(move |conn| insert(conn, &client, &event)).await {
        tracing::error!(code = code.as_str(), %e, "recording an event");
    }
}

/// The longest email or `User-Agent` kept: anyone can fail a sign-in, so what they send is capped.
const MAX_TEXT_CHARS: usize = 256;

/// How long events are kept: 400 days, a year of history with room for yearly comparisons.
const RETENTION_SECS: i64 = 400 * 24 * 3600;

fn capped(text: &Option<String>) -> Option<String> {
    text.as_ref().map(|t| t.chars().take(MAX_TEXT_CHARS).collect())
}

fn insert(conn: &Connection, client: &Client, event: &Event) -> Result<(), DbError> {
    conn.execute("DELETE FROM events WHERE at < ?1", [now() - RETENTION_SECS])?;
    conn.execute(
        "INSERT INTO events (at, code, user_id, email, ip, user_agent, reason, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            now(),
            event.code.as_str(),
            event.user_id,
            capped(&event.email),
            client.ip,
            capped(&client.user_agent),
            event.reason,
            event.detail.as_ref().map(Value::to_string)
        ],
    )?;
    Ok(())
}

/// Which events to read: all of them by default; each filter narrows.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// Only this account's.
    pub user: Option<i64>,
    /// Only this code.
    pub code: Option<String>,
    /// Only at or after this time (seconds since the Unix epoch).
    pub since: Option<i64>,
    /// Only before this time.
    pub until: Option<i64>,
    /// Only older than this cursor (from a previous page's `next_cursor`).
    pub cursor: Option<i64>,
    /// Page size, 1 to 200; default 50.
    pub limit: Option<u32>,
    /// Only newer than this event ID, oldest first (for following the log).
    pub after: Option<i64>,
}

/// The largest page.
const MAX_PAGE: u32 = 200;

/// A page of events, newest first (or, with `after`, oldest first), with the cursor of the next page.
pub fn page(conn: &Connection, filter: &Filter) -> Result<EventPage<Value>, DbError> {
    let limit = filter.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let order = if filter.after.is_some() { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT id, at, code, user_id, email, ip, user_agent, reason, detail FROM events
         WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR code = ?2) AND (?3 IS NULL OR at >= ?3)
           AND (?4 IS NULL OR at < ?4) AND (?5 IS NULL OR id < ?5) AND (?6 IS NULL OR id > ?6)
         ORDER BY id {order} LIMIT ?7"
    );
    let mut statement = conn.prepare(&sql)?;
    let rows = statement.query_map(
        params![filter.user, filter.code, filter.since, filter.until, filter.cursor, filter.after, limit + 1],
        |r| {
            let code: String = r.get(2)?;
            let detail: Option<String> = r.get(8)?;
            // A code a newer server wrote is skipped rather than failing the page.
            let Some(code) = EventCode::from_wire(&code) else { return Ok(None) };
            Ok(Some(EventRecord {
                id: r.get(0)?,
                at: r.get(1)?,
                code,
                user_id: r.get(3)?,
                email: r.get(4)?,
                ip: r.get(5)?,
                user_agent: r.get(6)?,
                reason: r.get(7)?,
                detail: detail.and_then(|d| serde_json::from_str(&d).ok()),
            }))
        },
    )?;
    let mut events = rows.filter_map(Result::transpose).collect::<Result<Vec<_>, _>>()?;
    let more = events.len() > limit as usize;
    events.truncate(limit as usize);
    let next_cursor = (more && filter.after.is_none()).then(|| events.last().map(|e| e.id.to_string())).flatten();
    Ok(EventPage { events, next_cursor })
}
