//! PostgreSQL: the durable outbox. Workers on every node drain it; `FOR UPDATE SKIP LOCKED` hands each
//! message to one of them, and the request's own row is deleted in the transaction that issues its link.

use deadpool_postgres::GenericClient;

use super::{Postgres, events};
use crate::store::{
    Delivered, Delivery, Mail, MailLink, ResetLink, ResetRequest, StoreError, now, outbox::MAX_LIVE_RESETS,
};

const QUEUE_REQUEST: &str = "INSERT INTO reset_requests (email, ip, user_agent, language, requested_at)
                             VALUES ($1, $2, $3, $4, $5)";
const PENDING_REQUESTS: &str =
    "SELECT id, email, ip, user_agent, language, requested_at FROM reset_requests ORDER BY id LIMIT $1";
const DONE_REQUEST: &str = "DELETE FROM reset_requests WHERE id = $1";
/// Locks the account's row, so two nodes issuing links for it count them one after the other (`NO KEY
/// UPDATE`: sign-ins of the account, whose inserts take key-share locks, do not wait for it).
const LOCK_ACCOUNT: &str = "SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE";
/// Live links and links queued in mail, which become live when sent.
const LIVE_RESETS: &str = "SELECT (SELECT count(*) FROM password_resets WHERE user_id = $1 AND expires_at > $2)
                               + (SELECT count(*) FROM outbox WHERE reset_for = $1 AND expires_at > $2)";
const QUEUE_MAIL: &str = "INSERT INTO outbox (recipient, subject, body, created_at, next_attempt_at, attempts,
                                             expires_at, reset_for, verify_for, change_for, change_session,
                                             code_for)
                          VALUES ($1, $2, $3, $4, $4, 0, $5, $6, $7, $8, $9, $10)";

/// Locks the oldest due message that no other node holds; the lock lasts while it is delivered.
const NEXT_DUE: &str =
    "SELECT id, attempts, recipient, subject, body, reset_for, verify_for, change_for, change_session, code_for
                          FROM outbox
                          WHERE next_attempt_at <= $1
                          AND expires_at > $1 ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED";
const DELIVERED: &str = "DELETE FROM outbox WHERE id = $1";
const RETRY: &str = "UPDATE outbox SET attempts = $2, next_attempt_at = $3 WHERE id = $1";

impl Postgres {
    pub(in crate::store) async fn queue_reset_request(
        &self,
        email: String,
        ip: Option<String>,
        user_agent: Option<String>,
        language: &'static str,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(&client.prepare_cached(QUEUE_REQUEST).await?, &[&email, &ip, &user_agent, &language, &now()])
            .await?;
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
                    language: r.try_get(4)?,
                    requested_at: r.try_get(5)?,
                })
            })
            .collect()
    }

    pub(in crate::store) async fn queue_mail(&self, mail: Mail, expires_at: i64) -> Result<(), StoreError> {
        insert_mail(&self.client().await?, &mail, expires_at).await
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
                    insert_mail(&tx, &link.mail, link.expires_at).await?;
                    events::insert(&tx, &link.event).await?;
                }
                live < MAX_LIVE_RESETS
            }
            None => false,
        };
        tx.commit().await?;
        Ok(issued)
    }

    /// The message stays locked by this transaction while it is delivered: other nodes skip it, and if
    /// this node dies its connection closes, the lock goes, and the message is due again at once.
    pub(in crate::store) async fn deliver_next_mail(
        &self,
        deliver: &(dyn Fn(Mail) -> Delivery + Sync),
        backoff: fn(i64) -> i64,
    ) -> Result<Delivered, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(row) = tx.query_opt(&tx.prepare_cached(NEXT_DUE).await?, &[&now()]).await? else {
            return Ok(Delivered::NothingDue);
        };
        let (id, attempts): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        let mail = Mail {
            to: row.try_get(2)?,
            subject: row.try_get(3)?,
            text: row.try_get(4)?,
            link: MailLink::from_columns(
                row.try_get(5)?,
                row.try_get(6)?,
                (row.try_get(7)?, row.try_get(8)?),
                row.try_get(9)?,
            ),
        };
        let outcome = match deliver(mail).await {
            Ok(()) => {
                tx.execute(&tx.prepare_cached(DELIVERED).await?, &[&id]).await?;
                Delivered::Sent
            }
            Err(error) => {
                let attempts = attempts + 1;
                let retry_at = now() + backoff(attempts);
                tx.execute(&tx.prepare_cached(RETRY).await?, &[&id, &attempts, &retry_at]).await?;
                Delivered::Failed { attempts, error }
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }
}

/// Queues `mail`, with the kind and account (or address) of the link or code the worker will mint for it.
async fn insert_mail(db: &impl GenericClient, mail: &Mail, expires_at: i64) -> Result<(), StoreError> {
    let (reset_for, verify_for) = (mail.reset_for(), mail.verify_for());
    let (change_for, change_session) = (mail.change_for(), mail.change_session());
    let code_for = mail.code_for();
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 10] = [
        &mail.to,
        &mail.subject,
        &mail.text,
        &now(),
        &expires_at,
        &reset_for,
        &verify_for,
        &change_for,
        &change_session,
        &code_for,
    ];
    db.execute(&db.prepare_cached(QUEUE_MAIL).await?, &params).await?;
    Ok(())
}
