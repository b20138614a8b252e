//! Housekeeping: expired ceremonies, reset links, old sessions and events past their retention, deleted
//! in small batches by the periodic sweeper so no request ever pays for it.

use super::{Store, StoreError};

/// Rows deleted per batch: each batch is one short write transaction, so requests queue behind at most
/// one of them.
pub(super) const BATCH: i64 = 500;

/// The tables the sweeper keeps small, each deleted by the index on its time column
/// (`ceremonies_by_expiry`, `password_resets_by_expiry`, `sessions_by_expiry`, `outbox_by_expiry`,
/// `events_by_time`, `grants_by_expiry`, `refresh_tokens_by_expiry`, `rate_limits_by_expiry`, `email_links_by_expiry`,
/// `sign_up_codes_by_expiry`; the few
/// signing keys need none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Expiring {
    Ceremonies,
    Resets,
    Sessions,
    Mail,
    Events,
    Grants,
    RefreshTokens,
    SigningKeys,
    RateLimits,
    EmailLinks,
    SignUpCodes,
}

/// What one sweep deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Ceremonies past their expiry.
    pub ceremonies: u64,
    /// Reset links past their expiry.
    pub resets: u64,
    /// Mail no longer of use (its link expired), delivered or not.
    pub mail: u64,
    /// Sessions that ended before the cut-off.
    pub sessions: u64,
    /// Events older than the retention.
    pub events: u64,
    /// Grants past their end (with their codes and refresh tokens).
    pub grants: u64,
    /// Refresh tokens past their expiry, used or not.
    pub refresh_tokens: u64,
    /// Retired signing keys no longer published.
    pub signing_keys: u64,
    /// Rate-limit counters whose window has ended.
    pub rate_limits: u64,
    /// Verification links past their expiry.
    pub email_links: u64,
    /// Sign-up codes and proofs past their expiry.
    pub sign_up_codes: u64,
}

impl Store {
    /// Deletes ceremonies, reset links, mail, grants, refresh tokens, retired signing keys and rate-limit
    /// counters that expired before `now`, sessions that ended before
    /// `sessions_before` and events from before `events_before`, batch by batch.
    pub async fn sweep(&self, now: i64, sessions_before: i64, events_before: i64) -> Result<Swept, StoreError> {
        Ok(Swept {
            ceremonies: self.delete_in_batches(Expiring::Ceremonies, now).await?,
            resets: self.delete_in_batches(Expiring::Resets, now).await?,
            mail: self.delete_in_batches(Expiring::Mail, now).await?,
            sessions: self.delete_in_batches(Expiring::Sessions, sessions_before).await?,
            events: self.delete_in_batches(Expiring::Events, events_before).await?,
            grants: self.delete_in_batches(Expiring::Grants, now).await?,
            refresh_tokens: self.delete_in_batches(Expiring::RefreshTokens, now).await?,
            signing_keys: self.delete_in_batches(Expiring::SigningKeys, now).await?,
            rate_limits: self.delete_in_batches(Expiring::RateLimits, now).await?,
            email_links: self.delete_in_batches(Expiring::EmailLinks, now).await?,
            sign_up_codes: self.delete_in_batches(Expiring::SignUpCodes, now).await?,
        })
    }

    async fn delete_in_batches(&self, table: Expiring, before: i64) -> Result<u64, StoreError> {
        let mut total = 0;
        loop {
            let deleted = on_backend!(self.delete_batch(table, before))?;
            total += deleted;
            if deleted < BATCH as u64 {
                return Ok(total);
            }
        }
    }
}
