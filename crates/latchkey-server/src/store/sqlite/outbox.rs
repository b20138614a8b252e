//! SQLite: The durable outbox: "Forgot password?" requests waiting to be turned into reset links, and mail
//! waiting to be delivered. A request commits its row before it is answered, so a crash after the
//! answer loses nothing; the workers in `background.rs` drain both tables.

use rusqlite::{OptionalExtension, params};

use super::{Sqlite, events};
use crate::store::{
    Delivered, Delivery, Mail, MailLink, ResetLink, ResetRequest, StoreError, now, outbox::MAX_LIVE_RESETS,
};

const QUEUE_REQUEST: &str = "INSERT INTO reset_requests (email, ip, user_agent, language, requested_at)
                             VALUES (?1, ?2, ?3, ?4, ?5)";
/// `id > 0` makes the queue's head a search of the primary key rather than a table scan with a limit.
const PENDING_REQUESTS: &str =
    "SELECT id, email, ip, user_agent, language, requested_at FROM reset_requests WHERE id > 0 ORDER BY id LIMIT ?1";
const DONE_REQUEST: &str = "DELETE FROM reset_requests WHERE id = ?1";
/// Live links and links queued in mail, which become live when sent.
const LIVE_RESETS: &str = "SELECT (SELECT count(*) FROM password_resets WHERE user_id = ?1 AND expires_at > ?2)
                               + (SELECT count(*) FROM outbox WHERE reset_for = ?1 AND expires_at > ?2)";
const NEXT_DUE: &str =
    "SELECT id, attempts, recipient, subject, body, reset_for, verify_for, change_for, change_session, code_for
                          FROM outbox
                          WHERE next_attempt_at <= ?1
                          AND expires_at > ?1 ORDER BY next_attempt_at LIMIT 1";
const DELIVERED: &str = "DELETE FROM outbox WHERE id = ?1";
const RETRY: &str = "UPDATE outbox SET attempts = ?2, next_attempt_at = ?3 WHERE id = ?1";
const QUEUE_MAIL: &str = "INSERT INTO outbox (recipient, subject, body, created_at, next_attempt_at, attempts,
                                             expires_at, reset_for, verify_for, change_for, change_session,
                                             code_for)
                          VALUES (?1, ?2, ?3, ?4, ?4, 0, ?5, ?6, ?7, ?8, ?9, ?10)";

impl Sqlite {
    /// Queues a "Forgot password?" request; the answer does not wait for the lookup.
    pub(in crate::store) async fn queue_reset_request(
        &self,
        email: String,
        ip: Option<String>,
        user_agent: Option<String>,
        language: &'static str,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.prepare_cached(QUEUE_REQUEST)?.execute(params![email, ip, user_agent, language, now()])?;
            Ok(())
        })
        .await
    }

    /// The oldest waiting "Forgot password?" requests.
    pub(in crate::store) async fn pending_reset_requests(&self, limit: u32) -> Result<Vec<ResetRequest>, StoreError> {
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(PENDING_REQUESTS)?;
            let rows = statement.query_map([limit], |r| {
                Ok(ResetRequest {
                    id: r.get(0)?,
                    email: r.get(1)?,
                    ip: r.get(2)?,
                    user_agent: r.get(3)?,
                    language: r.get(4)?,
                    requested_at: r.get(5)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    pub(in crate::store) async fn queue_mail(&self, mail: Mail, expires_at: i64) -> Result<(), StoreError> {
        self.write(move |tx| {
            let links =
                (mail.reset_for(), mail.verify_for(), mail.change_for(), mail.change_session(), mail.code_for());
            let queued = params![
                mail.to,
                mail.subject,
                mail.text,
                now(),
                expires_at,
                links.0,
                links.1,
                links.2,
                links.3,
                links.4
            ];
            Ok(tx.prepare_cached(QUEUE_MAIL)?.execute(queued).map(drop)?)
        })
        .await
    }

    /// Finishes a "Forgot password?" request in one transaction: removes it and, when `link` is given
    /// and the account has fewer than [`MAX_LIVE_RESETS`] live links, stores the token, queues its mail
    /// and records the event. Returns whether a link was issued; a request another worker finished
    /// first issues nothing.
    pub(in crate::store) async fn finish_reset_request(
        &self,
        request_id: i64,
        link: Option<ResetLink>,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| {
            if tx.prepare_cached(DONE_REQUEST)?.execute([request_id])? == 0 {
                return Ok(false);
            }
            let Some(link) = link else { return Ok(false) };
            let live: i64 = tx.prepare_cached(LIVE_RESETS)?.query_row(params![link.user_id, now()], |r| r.get(0))?;
            if live >= MAX_LIVE_RESETS {
                return Ok(false);
            }
            tx.prepare_cached(QUEUE_MAIL)?.execute(params![
                link.mail.to,
                link.mail.subject,
                link.mail.text,
                now(),
                link.expires_at,
                link.mail.reset_for(),
                link.mail.verify_for(),
                link.mail.change_for(),
                link.mail.change_session(),
                link.mail.code_for()
            ])?;
            events::insert(tx, &link.event)?;
            Ok(true)
        })
        .await
    }

    /// One process owns a SQLite file, and its one outbox worker delivers one message at a time, so
    /// a message needs no claim: a crash before it is removed leaves it due.
    pub(in crate::store) async fn deliver_next_mail(
        &self,
        deliver: &(dyn Fn(Mail) -> Delivery + Sync),
        backoff: fn(i64) -> i64,
    ) -> Result<Delivered, StoreError> {
        let due = self
            .read(|conn| {
                Ok(conn
                    .prepare_cached(NEXT_DUE)?
                    .query_row([now()], |r| {
                        let link = MailLink::from_columns(r.get(5)?, r.get(6)?, (r.get(7)?, r.get(8)?), r.get(9)?);
                        let mail = Mail { to: r.get(2)?, subject: r.get(3)?, text: r.get(4)?, link };
                        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, mail))
                    })
                    .optional()?)
            })
            .await?;
        let Some((id, attempts, mail)) = due else { return Ok(Delivered::NothingDue) };
        match deliver(mail).await {
            Ok(()) => {
                self.write(move |tx| Ok(tx.prepare_cached(DELIVERED)?.execute([id]).map(drop)?)).await?;
                Ok(Delivered::Sent)
            }
            Err(error) => {
                let attempts = attempts + 1;
                let retry_at = now() + backoff(attempts);
                self.write(move |tx| {
                    Ok(tx.prepare_cached(RETRY)?.execute(params![id, attempts, retry_at]).map(drop)?)
                })
                .await?;
                Ok(Delivered::Failed { attempts, error })
            }
        }
    }
}
