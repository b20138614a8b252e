//! Rate-limit counters: fixed windows counted in the database, so every node sees the same count.

use super::{Store, StoreError};

/// A counter's state: what its window has counted, and when the window ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    /// Hits counted in the window (0 when there is no live window).
    pub hits: i64,
    /// When the window ends, in Unix seconds.
    pub resets_at: i64,
}

impl Store {
    /// Counts one hit on `bucket` in one statement: in its live window, or in a new `window_secs` one
    /// starting at `now` if the last has ended. Returns the count with this hit.
    pub async fn count_hit(&self, bucket: Vec<u8>, now: i64, window_secs: i64) -> Result<Count, StoreError> {
        on_backend!(self.count_hit(bucket, now, window_secs))
    }

    /// Takes back one hit of `bucket`'s window ending at `resets_at` (an attempt reserved, then not a
    /// failure); nothing if that window has been replaced since.
    pub async fn give_back(&self, bucket: Vec<u8>, resets_at: i64) -> Result<(), StoreError> {
        on_backend!(self.give_back(bucket, resets_at))
    }

    /// What `bucket`'s live window has counted, without counting anything.
    pub async fn hits(&self, bucket: Vec<u8>, now: i64) -> Result<Count, StoreError> {
        on_backend!(self.hits(bucket, now))
    }
}
