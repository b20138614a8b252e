//! Housekeeping: expired ceremonies, reset links, old sessions and events past their retention, deleted
//! in small batches by the periodic sweeper so no request ever pays for it.

use rusqlite::params;

use super::{Store, StoreError};

/// Rows deleted per batch: each batch is one short write transaction, so requests queue behind at most
/// one of them.
const BATCH: i64 = 500;

/// What one sweep deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Ceremonies past their expiry.
    pub ceremonies: u64,
    /// Reset links past their expiry.
    pub resets: u64,
    /// Sessions that ended before the cut-off.
    pub sessions: u64,
    /// Events older than the retention.
    pub events: u64,
}

/// One batch each, by the index on the time column (`ceremonies_by_expiry`, `password_resets_by_expiry`,
/// `sessions_by_expiry`, `events_by_time`).
const CEREMONIES: &str = "DELETE FROM ceremonies WHERE id IN
                          (SELECT id FROM ceremonies WHERE expires_at < ?1 LIMIT ?2)";
const RESETS: &str = "DELETE FROM password_resets WHERE token_hash IN
                      (SELECT token_hash FROM password_resets WHERE expires_at < ?1 LIMIT ?2)";
const SESSIONS: &str = "DELETE FROM sessions WHERE id_hash IN
                        (SELECT id_hash FROM sessions WHERE expires_at < ?1 LIMIT ?2)";
const EVENTS: &str = "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE at < ?1 LIMIT ?2)";

impl Store {
    /// Deletes ceremonies and reset links that expired before `now`, sessions that ended before
    /// `sessions_before` and events from before `events_before`, batch by batch.
    pub async fn sweep(&self, now: i64, sessions_before: i64, events_before: i64) -> Result<Swept, StoreError> {
        Ok(Swept {
            ceremonies: self.delete_in_batches(CEREMONIES, now).await?,
            resets: self.delete_in_batches(RESETS, now).await?,
            sessions: self.delete_in_batches(SESSIONS, sessions_before).await?,
            events: self.delete_in_batches(EVENTS, events_before).await?,
        })
    }

    async fn delete_in_batches(&self, sql: &'static str, before: i64) -> Result<u64, StoreError> {
        let mut total = 0;
        loop {
            let deleted = self.write(move |tx| Ok(tx.prepare_cached(sql)?.execute(params![before, BATCH])?)).await?;
            total += deleted as u64;
            if (deleted as i64) < BATCH {
                return Ok(total);
            }
        }
    }
}
