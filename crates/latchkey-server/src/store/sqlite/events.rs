//! SQLite: The event log's table: rows written beside the changes they record, and pages read back.

use latchkey_proto::events::{EventCode, EventPage, EventRecord};
use rusqlite::{Connection, params};
use serde_json::Value;

use super::Sqlite;
use crate::store::{EventFilter, NewEvent, StoreError, events::MAX_PAGE};

const INSERT: &str = "INSERT INTO events (at, code, user_id, email, ip, user_agent, reason, detail)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

impl Sqlite {
    /// Writes one event.
    pub(in crate::store) async fn record_event(&self, event: NewEvent) -> Result<(), StoreError> {
        self.write(move |tx| insert(tx, &event)).await
    }

    /// A page of events, newest first (or, with `after`, oldest first), with the cursor of the next page.
    pub(in crate::store) async fn events_page(&self, filter: EventFilter) -> Result<EventPage<Value>, StoreError> {
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
    let rows = rows.collect::<Result<Vec<_>, _>>()?;
    // More pages exist if the query found more rows than a page, whether or not all of them had known
    // codes.
    let more = rows.len() > limit as usize;
    let mut events: Vec<_> = rows.into_iter().flatten().collect();
    events.truncate(limit as usize);
    let next_cursor = (more && filter.after.is_none()).then(|| events.last().map(|e| e.id.to_string())).flatten();
    Ok(EventPage { events, next_cursor })
}
