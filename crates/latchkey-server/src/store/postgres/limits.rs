//! PostgreSQL: rate-limit counters, each counted by one upsert (atomic under concurrent nodes).

use super::Postgres;
use crate::store::{StoreError, limits::Count};

/// A hit in the live window, or the first of a new one (`$2` is now, `$3` the window's length).
const COUNT_HIT: &str = "INSERT INTO rate_limits (bucket, hits, resets_at) VALUES ($1, 1, $2::BIGINT + $3::BIGINT)
                         ON CONFLICT (bucket) DO UPDATE SET
                             hits = CASE WHEN rate_limits.resets_at <= $2 THEN 1 ELSE rate_limits.hits + 1 END,
                             resets_at = CASE WHEN rate_limits.resets_at <= $2 THEN $2::BIGINT + $3::BIGINT
                                              ELSE rate_limits.resets_at END
                         RETURNING hits, resets_at";
const GIVE_BACK: &str = "UPDATE rate_limits SET hits = hits - 1 WHERE bucket = $1 AND resets_at = $2 AND hits > 0";
const HITS: &str = "SELECT hits, resets_at FROM rate_limits WHERE bucket = $1 AND resets_at > $2";

impl Postgres {
    pub(in crate::store) async fn count_hit(
        &self,
        bucket: Vec<u8>,
        now: i64,
        window_secs: i64,
    ) -> Result<Count, StoreError> {
        let client = self.client().await?;
        let row = client.query_one(&client.prepare_cached(COUNT_HIT).await?, &[&bucket, &now, &window_secs]).await?;
        Ok(Count { hits: row.try_get(0)?, resets_at: row.try_get(1)? })
    }

    pub(in crate::store) async fn give_back(&self, bucket: Vec<u8>, resets_at: i64) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.execute(&client.prepare_cached(GIVE_BACK).await?, &[&bucket, &resets_at]).await?;
        Ok(())
    }

    pub(in crate::store) async fn hits(&self, bucket: Vec<u8>, now: i64) -> Result<Count, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt(&client.prepare_cached(HITS).await?, &[&bucket, &now]).await?;
        match row {
            Some(row) => Ok(Count { hits: row.try_get(0)?, resets_at: row.try_get(1)? }),
            None => Ok(Count { hits: 0, resets_at: now }),
        }
    }
}
