//! SQLite: Sessions: started with the passkey's new state and the sign-in's events in one transaction, looked
//! up by the hash of the cookie's secret, and revoked.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Sqlite, accounts, events};
use crate::{
    passkey::PasskeyUse,
    store::{NewEvent, SessionRow, SessionStart, SignInRefused, StoreError, UserRow, now},
};

const USE_PASSKEY: &str = "UPDATE passkeys SET dynamic_state = ?3, sign_count = ?4, backup_state = ?5,
                                               last_used_at = ?6
                           WHERE id = ?1 AND dynamic_state = ?2";
const INSERT: &str = "INSERT INTO sessions (id_hash, user_id, methods, created_at, expires_at)
                      VALUES (?1, ?2, ?3, ?4, ?5)";
const FIND: &str = "SELECT u.email, u.display_name, s.methods, s.user_id, s.created_at
                    FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.id_hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2
                      AND u.disabled_at IS NULL";
const REVOKE: &str = "UPDATE sessions SET revoked_at = ?2 WHERE id_hash = ?1 AND revoked_at IS NULL";

impl Sqlite {
    /// Records a sign-in in one transaction: the passkey's new counter, backup state and last use (only
    /// if its state is still the one the verification started from), the new session, the revocation
    /// of the session it replaces, and `recorded` (those about this account without an email get its
    /// email).
    pub(in crate::store) async fn start_session(
        &self,
        start: SessionStart,
        passkey_use: Option<PasskeyUse>,
        recorded: Vec<NewEvent>,
    ) -> Result<Result<UserRow, SignInRefused>, StoreError> {
        self.write(move |tx| {
            let time = now();
            // Every refusal comes before the first write: a write that answers `Ok(Err(_))` is kept.
            let Some(user) = accounts::find_user(tx, start.user_id)? else { return Ok(Err(SignInRefused::UserGone)) };
            if accounts::is_disabled(tx, start.user_id)? {
                return Ok(Err(SignInRefused::AccountDisabled));
            }
            if let Some(used) = passkey_use {
                let changed = tx.prepare_cached(USE_PASSKEY)?.execute(params![
                    used.passkey_id,
                    used.previous_dynamic_state,
                    used.dynamic_state,
                    used.sign_count,
                    used.backup_state,
                    time
                ])?;
                if changed == 0 {
                    return Ok(Err(SignInRefused::PasskeyChanged));
                }
            }
            if let Some(old) = &start.replaces {
                revoke(tx, old)?;
            }
            tx.prepare_cached(INSERT)?.execute(params![
                start.id_hash,
                start.user_id,
                start.methods,
                time,
                start.expires_at
            ])?;
            for mut event in recorded {
                // The sign-in's events name the account by the email it has now.
                if event.email.is_none() && event.user_id == Some(start.user_id) {
                    event.email = Some(user.email.clone());
                }
                events::insert(tx, &event)?;
            }
            Ok(Ok(user))
        })
        .await
    }

    /// The live (unexpired, unrevoked) session with this ID hash.
    pub(in crate::store) async fn find_session(&self, id_hash: Vec<u8>) -> Result<Option<SessionRow>, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .prepare_cached(FIND)?
                .query_row(params![id_hash, now()], |r| {
                    Ok(SessionRow {
                        user: UserRow { email: r.get(0)?, display_name: r.get(1)? },
                        methods: r.get(2)?,
                        user_id: r.get(3)?,
                        created_at: r.get(4)?,
                    })
                })
                .optional()?)
        })
        .await
    }

    /// Revokes a session; revoked rows are kept for the record until the sweeper drops them.
    pub(in crate::store) async fn revoke_session(&self, id_hash: Vec<u8>) -> Result<(), StoreError> {
        self.write(move |tx| revoke(tx, &id_hash)).await
    }
}

fn revoke(conn: &Connection, id_hash: &[u8]) -> Result<(), StoreError> {
    conn.prepare_cached(REVOKE)?.execute(params![id_hash, now()])?;
    Ok(())
}
