//! PostgreSQL: the console's account operations.

use tokio_postgres::Row;

use super::Postgres;
use crate::store::{AccountSummary, StoreError, admin::SEARCH_LIMIT, now};

const SEARCH: &str = "SELECT u.id, u.email, u.display_name, u.created_at, u.disabled_at,
                             (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id),
                             u.password_hash IS NOT NULL
                      FROM users u
                      WHERE lower(u.email COLLATE \"C\") LIKE lower($1 COLLATE \"C\")
                      ORDER BY lower(u.email COLLATE \"C\") LIMIT $2";
const SUMMARY: &str = "SELECT u.id, u.email, u.display_name, u.created_at, u.disabled_at,
                              (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id),
                              u.password_hash IS NOT NULL
                       FROM users u WHERE u.id = $1";
const DISABLE: &str = "UPDATE users SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL";
const END_SESSIONS: &str = "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
const END_GRANTS: &str = "UPDATE grants SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
const END_CEREMONIES: &str = "DELETE FROM ceremonies WHERE user_id = $1";
const ENABLE: &str = "UPDATE users SET disabled_at = NULL WHERE id = $1 AND disabled_at IS NOT NULL";
const DELETE: &str = "DELETE FROM users WHERE id = $1 RETURNING email";
/// The account's queued mail goes first. The outbox worker holds a message's row while it sends it, and
/// mints the message's link on another connection, which waits for the account's row; deleting the
/// account first would wait for that row's message in turn, a deadlock PostgreSQL cannot see.
const DELETE_MAIL: &str = "DELETE FROM outbox WHERE reset_for = $1 OR verify_for = $1 OR change_for = $1";

impl Postgres {
    pub(in crate::store) async fn search_accounts(&self, pattern: String) -> Result<Vec<AccountSummary>, StoreError> {
        let db = self.client().await?;
        db.query(&db.prepare_cached(SEARCH).await?, &[&pattern, &SEARCH_LIMIT]).await?.iter().map(summary).collect()
    }

    pub(in crate::store) async fn account_summary(&self, user_id: i64) -> Result<Option<AccountSummary>, StoreError> {
        let db = self.client().await?;
        db.query_opt(&db.prepare_cached(SUMMARY).await?, &[&user_id]).await?.as_ref().map(summary).transpose()
    }

    pub(in crate::store) async fn disable_account(&self, user_id: i64) -> Result<bool, StoreError> {
        let mut db = self.client().await?;
        let tx = db.transaction().await?;
        let time = now();
        if tx.execute(DISABLE, &[&user_id, &time]).await? == 0 {
            return Ok(false);
        }
        tx.execute(END_SESSIONS, &[&user_id, &time]).await?;
        tx.execute(END_GRANTS, &[&user_id, &time]).await?;
        tx.execute(END_CEREMONIES, &[&user_id]).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(in crate::store) async fn enable_account(&self, user_id: i64) -> Result<bool, StoreError> {
        let mut db = self.client().await?;
        let tx = db.transaction().await?;
        if tx.execute(ENABLE, &[&user_id]).await? == 0 {
            return Ok(false);
        }
        // A session or grant that a sign-in racing the disable made stays ended.
        let time = now();
        tx.execute(END_SESSIONS, &[&user_id, &time]).await?;
        tx.execute(END_GRANTS, &[&user_id, &time]).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(in crate::store) async fn delete_account(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        let mut db = self.client().await?;
        let tx = db.transaction().await?;
        // A message queued between the two deletes and taken by the worker would make the second wait
        // in a cycle PostgreSQL cannot see; waiting at most this long turns that into a retryable error.
        tx.batch_execute("SET LOCAL lock_timeout = '5s'").await?;
        tx.execute(&tx.prepare_cached(DELETE_MAIL).await?, &[&user_id]).await?;
        let email =
            tx.query_opt(&tx.prepare_cached(DELETE).await?, &[&user_id]).await?.map(|r| r.try_get(0)).transpose()?;
        tx.commit().await?;
        Ok(email)
    }
}

fn summary(r: &Row) -> Result<AccountSummary, StoreError> {
    Ok(AccountSummary {
        id: r.try_get(0)?,
        email: r.try_get(1)?,
        display_name: r.try_get(2)?,
        created_at: r.try_get(3)?,
        disabled_at: r.try_get(4)?,
        passkeys: r.try_get(5)?,
        has_password: r.try_get(6)?,
    })
}
