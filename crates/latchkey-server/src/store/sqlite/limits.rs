//! SQLite: rate-limit counters, each counted by one upsert.

use rusqlite::{OptionalExtension, params};

use super::Sqlite;
use crate::store::{StoreError, limits::Count};

/// A hit in the live window, or the first of a new one (`?2` is now, `?3` the window's length).
const COUNT_HIT: &str = "INSERT INTO rate_limits (bucket, hits, resets_at) VALUES (?1, 1, ?2 + ?3)
                         ON CONFLICT (bucket) DO UPDATE SET
                             hits = CASE WHEN rate_limits.resets_at <= ?2 THEN 1 ELSE rate_limits.hits + 1 END,
                             resets_at = CASE WHEN rate_limits.resets_at <= ?2 THEN ?2 + ?3
                                              ELSE rate_limits.resets_at END
                         RETURNING hits, resets_at";
const GIVE_BACK: &str = "UPDATE rate_limits SET hits = hits - 1 WHERE bucket = ?1 AND resets_at = ?2 AND hits > 0";
const HITS: &str = "SELECT hits, resets_at FROM rate_limits WHERE bucket = ?1 AND resets_at > ?2";

impl Sqlite {
    pub(in crate::store) async fn count_hit(
        &self,
        bucket: Vec<u8>,
        now: i64,
        window_secs: i64,
    ) -> Result<Count, StoreError> {
        self.write(move |tx| {
            let count = tx.prepare_cached(COUNT_HIT)?.query_row(params![bucket, now, window_secs], |r| {
                Ok(Count { hits: r.get(0)?, resets_at: r.get(1)? })
            })?;
            Ok(count)
        })
        .await
    }

    pub(in crate::store) async fn give_back(&self, bucket: Vec<u8>, resets_at: i64) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.prepare_cached(GIVE_BACK)?.execute(params![bucket, resets_at])?;
            Ok(())
        })
        .await
    }

    pub(in crate::store) async fn hits(&self, bucket: Vec<u8>, now: i64) -> Result<Count, StoreError> {
        self.read(move |conn| {
            let count = conn
                .prepare_cached(HITS)?
                .query_row(params![bucket, now], |r| Ok(Count { hits: r.get(0)?, resets_at: r.get(1)? }))
                .optional()?;
            Ok(count.unwrap_or(Count { hits: 0, resets_at: now }))
        })
        .await
    }
}
