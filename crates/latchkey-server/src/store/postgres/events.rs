//! PostgreSQL: the event log's table, rows written beside the changes they record and pages read back.

use deadpool_postgres::GenericClient;
use latchkey_proto::events::{EventCode, EventPage, EventRecord};
use serde_json::Value;

use super::Postgres;
use crate::store::{EventFilter, NewEvent, StoreError, events::MAX_PAGE};

const INSERT: &str = "INSERT INTO events (at, code, user_id, email, ip, user_agent, reason, detail)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

impl Postgres {
    pub(in crate::store) async fn record_event(&self, event: NewEvent) -> Result<(), StoreError> {
        insert(&self.client().await?, &event).await
    }

    pub(in crate::store) async fn events_page(&self, filter: EventFilter) -> Result<EventPage<Value>, StoreError> {
        let limit = filter.limit.unwrap_or(50).clamp(1, MAX_PAGE);
        let order = if filter.after.is_some() { "ASC" } else { "DESC" };
        let sql = format!(
            "SELECT id, at, code, user_id, email, ip, user_agent, reason, detail FROM events
             WHERE ($1::BIGINT IS NULL OR user_id = $1) AND ($2::TEXT IS NULL OR code = $2)
               AND ($3::BIGINT IS NULL OR at >= $3) AND ($4::BIGINT IS NULL OR at < $4)
               AND ($5::BIGINT IS NULL OR id < $5) AND ($6::BIGINT IS NULL OR id > $6)
             ORDER BY id {order} LIMIT $7"
        );
        let client = self.client().await?;
        let rows = client
            .query(
                &client.prepare_cached(&sql).await?,
                &[
                    &filter.user,
                    &filter.code,
                    &filter.since,
                    &filter.until,
                    &filter.cursor,
                    &filter.after,
                    &(i64::from(limit) + 1),
                ],
            )
            .await?;
        let mut events = Vec::with_capacity(rows.len());
        for r in &rows {
            let code: String = r.try_get(2)?;
            // A code a newer server wrote is skipped rather than failing the page.
            let Some(code) = EventCode::from_wire(&code) else { continue };
            let detail: Option<String> = r.try_get(8)?;
            events.push(EventRecord {
                id: r.try_get(0)?,
                at: r.try_get(1)?,
                code,
                user_id: r.try_get(3)?,
                email: r.try_get(4)?,
                ip: r.try_get(5)?,
                user_agent: r.try_get(6)?,
                reason: r.try_get(7)?,
                detail: detail.and_then(|d| serde_json::from_str(&d).ok()),
            });
        }
        let more = rows.len() > limit as usize;
        events.truncate(limit as usize);
        let next_cursor = (more && filter.after.is_none()).then(|| events.last().map(|e| e.id.to_string())).flatten();
        Ok(EventPage { events, next_cursor })
    }
}

pub(super) async fn insert(client: &impl GenericClient, event: &NewEvent) -> Result<(), StoreError> {
    client
        .execute(
            &client.prepare_cached(INSERT).await?,
            &[
                &event.at,
                &event.code,
                &event.user_id,
                &event.email,
                &event.ip,
                &event.user_agent,
                &event.reason,
                &event.detail,
            ],
        )
        .await?;
    Ok(())
}
