//! PostgreSQL: housekeeping in small batches, by the index on each time column.

use super::Postgres;
use crate::store::{
    StoreError,
    sweep::{BATCH, Expiring},
};

const CEREMONIES: &str = "DELETE FROM ceremonies WHERE id IN
                          (SELECT id FROM ceremonies WHERE expires_at < $1 LIMIT $2)";
const RESETS: &str = "DELETE FROM password_resets WHERE token_hash IN
                      (SELECT token_hash FROM password_resets WHERE expires_at < $1 LIMIT $2)";
const SESSIONS: &str = "DELETE FROM sessions WHERE id_hash IN
                        (SELECT id_hash FROM sessions WHERE expires_at < $1 LIMIT $2)";
const MAIL: &str = "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE expires_at < $1 LIMIT $2)";
const EVENTS: &str = "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE at < $1 LIMIT $2)";
const GRANTS: &str = "DELETE FROM grants WHERE id IN (SELECT id FROM grants WHERE expires_at < $1 LIMIT $2)";
const REFRESH_TOKENS: &str = "DELETE FROM refresh_tokens WHERE token_hash IN
                              (SELECT token_hash FROM refresh_tokens WHERE expires_at < $1 LIMIT $2)";
const SIGNING_KEYS: &str = "DELETE FROM signing_keys WHERE kid IN
                            (SELECT kid FROM signing_keys WHERE published_until < $1 LIMIT $2)";
const RATE_LIMITS: &str = "DELETE FROM rate_limits WHERE bucket IN
                           (SELECT bucket FROM rate_limits WHERE resets_at < $1 LIMIT $2)";
const EMAIL_LINKS: &str = "DELETE FROM email_links WHERE token_hash IN
                           (SELECT token_hash FROM email_links WHERE expires_at < $1 LIMIT $2)";

const SIGN_UP_CODES: &str = "DELETE FROM sign_up_codes WHERE secret_hash IN
                         (SELECT secret_hash FROM sign_up_codes WHERE expires_at < $1 LIMIT $2)";

impl Postgres {
    /// Deletes one batch of `table`'s rows from before `before`; returns how many.
    pub(in crate::store) async fn delete_batch(&self, table: Expiring, before: i64) -> Result<u64, StoreError> {
        let sql = match table {
            Expiring::Ceremonies => CEREMONIES,
            Expiring::Resets => RESETS,
            Expiring::Sessions => SESSIONS,
            Expiring::Mail => MAIL,
            Expiring::Events => EVENTS,
            Expiring::Grants => GRANTS,
            Expiring::RefreshTokens => REFRESH_TOKENS,
            Expiring::SigningKeys => SIGNING_KEYS,
            Expiring::RateLimits => RATE_LIMITS,
            Expiring::EmailLinks => EMAIL_LINKS,
            Expiring::SignUpCodes => SIGN_UP_CODES,
        };
        let client = self.client().await?;
        Ok(client.execute(&client.prepare_cached(sql).await?, &[&before, &BATCH]).await?)
    }
}
