//! PostgreSQL: the durable outbox. Workers on every node drain it; `FOR UPDATE SKIP LOCKED` hands each
//! message to one of them, and the request's own row is deleted in the transaction that issues its link.

use super::{Postgres, events};
use crate::store::{Mail, OutgoingMail, ResetLink, ResetRequest, StoreError, now, outbox::MAX_LIVE_RESETS};

const QUEUE_REQUEST: &str = "INSERT INTO reset_requests (email, ip, user_agent, requested_at) VALUES ($1, $2, $3, $4)";
const PENDING_REQUESTS: &str = "SELECT id, email, ip, user_agent FROM reset_requests ORDER BY id LIMIT $1";
const DONE_REQUEST: &str = "DELETE FROM reset_requests WHERE id = $1";
/// Locks the account's row, so two nodes issuing links for it count them one after the other.
const LOCK_ACCOUNT: &str = "SELECT 1 FROM users WHERE id = $1 FOR UPDATE";
const LIVE_RESETS: &str = "SELECT count(*) FROM password_resets WHERE user_id = $1 AND expires_at > $2";
const INSERT_RESET: &str = "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)";
const QUEUE_MAIL: &str = "INSERT INTO outbox (recipient, subject, body, created_at, next_attempt_at, attempts)
                          VALUES ($1, $2, $3, $4, $4, 0)";
const CLAIM_MAIL: &str = "UPDATE outbox SET next_attempt_at = $2, attempts = attempts + 1
                          WHERE id IN (SELECT id FROM outbox WHERE next_attempt_at <= $1
                                       ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
                          RETURNING id, attempts, recipient, subject, body";
const DELIVERED: &str = "DELETE FROM outbox WHERE id = $1";
const RETRY: &str = "UPDATE outbox SET next_attempt_at = $2 WHERE id = $1";

impl Postgres {
    pub(in crate::store) async fn queue_reset_request(
        &self,
        email: String,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.execute(&client.prepare_cached(QUEUE_REQUEST).await?, &[&email, &ip, &user_agent, &now()]).await?;
        Ok(())
    }

    pub(in crate::store) async fn pending_reset_requests(&self, limit: u32) -> Result<Vec<ResetRequest>, StoreError> {
        let client = self.client().await?;
        let rows = client.query(&client.prepare_cached(PENDING_REQUESTS).await?, &[&i64::from(limit)]).await?;
        rows.iter()
            .map(|r| {
                Ok(ResetRequest {
                    id: r.try_get(0)?,
                    email: r.try_get(1)?,
                    ip: r.try_get(2)?,
                    user_agent: r.try_get(3)?,
                })
            })
            .collect()
    }

    pub(in crate::store) async fn finish_reset_request(
        &self,
        request_id: i64,
        link: Option<ResetLink>,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        if tx.execute(&tx.prepare_cached(DONE_REQUEST).await?, &[&request_id]).await? == 0 {
            return Ok(false);
        }
        let issued = match link {
            Some(link) => {
                tx.execute(&tx.prepare_cached(LOCK_ACCOUNT).await?, &[&link.user_id]).await?;
                let statement = tx.prepare_cached(LIVE_RESETS).await?;
                let live: i64 = tx.query_one(&statement, &[&link.user_id, &now()]).await?.try_get(0)?;
                if live < MAX_LIVE_RESETS {
                    let statement = tx.prepare_cached(INSERT_RESET).await?;
                    tx.execute(&statement, &[&link.token_hash, &link.user_id, &link.expires_at]).await?;
                    let statement = tx.prepare_cached(QUEUE_MAIL).await?;
                    tx.execute(&statement, &[&link.mail.to, &link.mail.subject, &link.mail.text, &now()]).await?;
                    events::insert(&tx, &link.event).await?;
                }
                live < MAX_LIVE_RESETS
            }
            None => false,
        };
        tx.commit().await?;
        Ok(issued)
    }

    pub(in crate::store) async fn claim_mail(
        &self,
        limit: u32,
        lease_secs: i64,
    ) -> Result<Vec<OutgoingMail>, StoreError> {
        let client = self.client().await?;
        let time = now();
        let statement = client.prepare_cached(CLAIM_MAIL).await?;
        let rows = client.query(&statement, &[&time, &(time + lease_secs), &i64::from(limit)]).await?;
        rows.iter()
            .map(|r| {
                Ok(OutgoingMail {
                    id: r.try_get(0)?,
                    attempts: r.try_get(1)?,
                    mail: Mail { to: r.try_get(2)?, subject: r.try_get(3)?, text: r.try_get(4)? },
                })
            })
            .collect()
    }

    pub(in crate::store) async fn mail_delivered(&self, id: i64) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.execute(&client.prepare_cached(DELIVERED).await?, &[&id]).await?;
        Ok(())
    }

    pub(in crate::store) async fn mail_failed(&self, id: i64, retry_at: i64) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.execute(&client.prepare_cached(RETRY).await?, &[&id, &retry_at]).await?;
        Ok(())
    }
}
