//! SQLite: the console's account operations.

use rusqlite::{OptionalExtension, Row, params};

use super::Sqlite;
use crate::store::{AccountSummary, StoreError, admin::SEARCH_LIMIT, now};

const SUMMARY: &str = "SELECT u.id, u.email, u.display_name, u.created_at, u.disabled_at,
                              (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id),
                              u.password_hash IS NOT NULL
                       FROM users u";
const DISABLE: &str = "UPDATE users SET disabled_at = ?2 WHERE id = ?1 AND disabled_at IS NULL";
const END_SESSIONS: &str = "UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL";
const END_GRANTS: &str = "UPDATE grants SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL";
const END_CEREMONIES: &str = "DELETE FROM ceremonies WHERE user_id = ?1";
const ENABLE: &str = "UPDATE users SET disabled_at = NULL WHERE id = ?1 AND disabled_at IS NOT NULL";
const DELETE: &str = "DELETE FROM users WHERE id = ?1 RETURNING email";

impl Sqlite {
    pub(in crate::store) async fn search_accounts(&self, pattern: String) -> Result<Vec<AccountSummary>, StoreError> {
        self.read(move |conn| {
            // `email` is COLLATE NOCASE, so this LIKE ignores ASCII case and can use `users.email`'s index.
            let sql = format!("{SUMMARY} WHERE u.email LIKE ?1 ESCAPE '\\' ORDER BY u.email LIMIT ?2");
            let mut statement = conn.prepare_cached(&sql)?;
            let rows = statement.query_map(params![pattern, SEARCH_LIMIT], summary)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    pub(in crate::store) async fn account_summary(&self, user_id: i64) -> Result<Option<AccountSummary>, StoreError> {
        self.read(move |conn| {
            Ok(conn.prepare_cached(&format!("{SUMMARY} WHERE u.id = ?1"))?.query_row([user_id], summary).optional()?)
        })
        .await
    }

    pub(in crate::store) async fn disable_account(&self, user_id: i64) -> Result<bool, StoreError> {
        self.write(move |tx| {
            let time = now();
            if tx.prepare_cached(DISABLE)?.execute(params![user_id, time])? == 0 {
                return Ok(false);
            }
            tx.prepare_cached(END_SESSIONS)?.execute(params![user_id, time])?;
            tx.prepare_cached(END_GRANTS)?.execute(params![user_id, time])?;
            tx.prepare_cached(END_CEREMONIES)?.execute([user_id])?;
            Ok(true)
        })
        .await
    }

    pub(in crate::store) async fn enable_account(&self, user_id: i64) -> Result<bool, StoreError> {
        self.write(move |tx| {
            if tx.prepare_cached(ENABLE)?.execute([user_id])? == 0 {
                return Ok(false);
            }
            // A session or grant that a sign-in racing the disable made stays ended.
            let time = now();
            tx.prepare_cached(END_SESSIONS)?.execute(params![user_id, time])?;
            tx.prepare_cached(END_GRANTS)?.execute(params![user_id, time])?;
            Ok(true)
        })
        .await
    }

    pub(in crate::store) async fn delete_account(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        self.write(move |tx| Ok(tx.prepare_cached(DELETE)?.query_row([user_id], |r| r.get(0)).optional()?)).await
    }
}

fn summary(r: &Row<'_>) -> rusqlite::Result<AccountSummary> {
    Ok(AccountSummary {
        id: r.get(0)?,
        email: r.get(1)?,
        display_name: r.get(2)?,
        created_at: r.get(3)?,
        disabled_at: r.get(4)?,
        passkeys: r.get(5)?,
        has_password: r.get(6)?,
    })
}
