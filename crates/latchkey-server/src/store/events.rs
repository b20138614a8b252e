//! The event log's table: rows written beside the changes they record, and pages read back.

use latchkey_proto::events::{EventCode, EventPage, EventRecord};
use rusqlite::{Connection, params};
use serde_json::Value;

use super::{Store, StoreError};

/// An event row to write.
#[derive(Clone, Debug)]
pub struct NewEvent {
    /// When, in seconds since the Unix epoch.
    pub at: i64,
    /// The event code's wire name.
    pub code: &'static str,
    /// The account, if known.
    pub user_id: Option<i64>,
    /// The email as known or typed, capped.
    pub email: Option<String>,
    /// The client's address.
    pub ip: Option<String>,
    /// The client's `User-Agent`, capped.
    pub user_agent: Option<String>,
    /// On failures, the error code.
    pub reason: Option<&'static str>,
    /// Code-specific facts as JSON text.
    pub detail: Option<String>,
}

/// Which events to read: all of them by default; each filter narrows.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFilter {
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

const INSERT: &str = "INSERT INTO events (at, code, user_id, email, ip, user_agent, reason, detail)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

impl Store {
    /// Writes one event.
    pub async fn record_event(&self, event: NewEvent) -> Result<(), StoreError> {
        self.write(move |tx| insert(tx, &event)).await
    }

    /// A page of events, newest first (or, with `after`, oldest first), with the cursor of the next page.
    pub async fn events_page(&self, filter: EventFilter) -> Result<EventPage<Value>, StoreError> {
        self.read(move |conn| page(conn, &filter)).await
    }
}

pub(super) fn insert(conn: &Connection, event: &NewEvent) -> Result<(), StoreError> {
    conn.prepare_cached(INSERT)?.execute(params![
        event.at,
        event.code,
        event.user_id,
        event.email,
        event.ip,
        event.user_agent,
        event.reason,
        event.detail
    ])?;
    Ok(())
}

fn page(conn: &Connection, filter: &EventFilter) -> Result<EventPage<Value>, StoreError> {
    let limit = filter.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let order = if filter.after.is_some() { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT id, at, code, user_id, email, ip, user_agent, reason, detail FROM events
         WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR code = ?2) AND (?3 IS NULL OR at >= ?3)
           AND (?4 IS NULL OR at < ?4) AND (?5 IS NULL OR id < ?5) AND (?6 IS NULL OR id > ?6)
         ORDER BY id {order} LIMIT ?7"
    );
    let mut statement = conn.prepare_cached(&sql)?;
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
