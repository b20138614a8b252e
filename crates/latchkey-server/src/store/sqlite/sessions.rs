//! SQLite: sessions, started with the passkey's new state and the sign-in's events in one transaction,
//! looked up by the hash of the cookie's secret while live, listed, and ended.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Sqlite, accounts, events};
use crate::{
    passkey::PasskeyUse,
    store::{Liveness, NewEvent, SessionRow, SessionStart, SessionSummary, SignInRefused, StoreError, UserRow, now},
};

const USE_PASSKEY: &str = "UPDATE passkeys SET dynamic_state = ?3, sign_count = ?4, backup_state = ?5,
                                               last_used_at = ?6
                           WHERE id = ?1 AND dynamic_state = ?2";
/// The password a password sign-in verified must still be the account's when its session starts.
const PASSWORD_HASH: &str = "SELECT password_hash FROM users WHERE id = ?1";
const INSERT: &str = "INSERT INTO sessions (id_hash, user_id, methods, created_at, expires_at, last_seen_at,
                                          user_agent, ip, passkey_id)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6, ?7, ?8)";
/// A live session: `?2` is now, `?3` the earliest last use, `?4` the earliest start.
const LIVE: &str = "s.revoked_at IS NULL AND s.expires_at > ?2 AND s.last_seen_at >= ?3 AND s.created_at >= ?4";
const FIND: &str = "SELECT u.email, u.display_name, s.methods, s.user_id, s.created_at, s.last_seen_at
                    FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.id_hash = ?1 AND u.disabled_at IS NULL AND ";
const TOUCH: &str = "UPDATE sessions SET last_seen_at = ?2 WHERE id_hash = ?1 AND last_seen_at < ?2";
const REVOKE: &str = "UPDATE sessions SET revoked_at = ?2 WHERE id_hash = ?1 AND revoked_at IS NULL";
const LIST: &str = "SELECT s.id_hash, s.created_at, s.last_seen_at, s.methods, s.user_agent, s.ip FROM sessions s
                    WHERE s.user_id = ?1 AND ";
const END_ONE: &str = "UPDATE sessions SET revoked_at = ?3 WHERE user_id = ?1 AND id_hash = ?2 AND revoked_at IS NULL";
const END_ONES_GRANTS: &str = "UPDATE grants SET revoked_at = ?3
                               WHERE user_id = ?1 AND session_hash = ?2 AND revoked_at IS NULL";
const END_OTHERS: &str =
    "UPDATE sessions SET revoked_at = ?3 WHERE user_id = ?1 AND id_hash != ?2 AND revoked_at IS NULL";
const END_OTHERS_GRANTS: &str = "UPDATE grants SET revoked_at = ?3
                                 WHERE user_id = ?1 AND session_hash != ?2 AND revoked_at IS NULL";

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
            if let Some(verified) = &start.password_hash {
                let current: Option<String> =
                    tx.prepare_cached(PASSWORD_HASH)?.query_row([start.user_id], |r| r.get(0))?;
                if current.as_ref() != Some(verified) {
                    return Ok(Err(SignInRefused::PasswordChanged));
                }
            }
            if let Some(used) = &passkey_use {
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
                start.expires_at,
                start.user_agent,
                start.ip,
                start.passkey_id,
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

    pub(in crate::store) async fn find_session(
        &self,
        id_hash: Vec<u8>,
        live: Liveness,
    ) -> Result<Option<SessionRow>, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .prepare_cached(&format!("{FIND}{LIVE}"))?
                .query_row(params![id_hash, live.now, live.used_since, live.begun_since], |r| {
                    Ok(SessionRow {
                        user: UserRow { email: r.get(0)?, display_name: r.get(1)? },
                        methods: r.get(2)?,
                        user_id: r.get(3)?,
                        created_at: r.get(4)?,
                        last_seen_at: r.get(5)?,
                    })
                })
                .optional()?)
        })
        .await
    }

    pub(in crate::store) async fn touch_session(&self, id_hash: Vec<u8>, at: i64) -> Result<(), StoreError> {
        self.write(move |tx| Ok(tx.prepare_cached(TOUCH)?.execute(params![id_hash, at]).map(drop)?)).await
    }

    pub(in crate::store) async fn revoke_session(&self, id_hash: Vec<u8>) -> Result<(), StoreError> {
        self.write(move |tx| revoke(tx, &id_hash)).await
    }

    pub(in crate::store) async fn live_sessions(
        &self,
        user_id: i64,
        live: Liveness,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(&format!("{LIST}{LIVE} ORDER BY s.last_seen_at DESC"))?;
            let rows = statement.query_map(params![user_id, live.now, live.used_since, live.begun_since], |r| {
                Ok(SessionSummary {
                    id_hash: r.get(0)?,
                    created_at: r.get(1)?,
                    last_seen_at: r.get(2)?,
                    methods: r.get(3)?,
                    user_agent: r.get(4)?,
                    ip: r.get(5)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    pub(in crate::store) async fn end_account_session(
        &self,
        user_id: i64,
        id_hash: Vec<u8>,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| {
            let time = now();
            let ended = tx.prepare_cached(END_ONE)?.execute(params![user_id, id_hash, time])?;
            tx.prepare_cached(END_ONES_GRANTS)?.execute(params![user_id, id_hash, time])?;
            Ok(ended > 0)
        })
        .await
    }

    pub(in crate::store) async fn end_other_sessions(&self, user_id: i64, keep: Vec<u8>) -> Result<u64, StoreError> {
        self.write(move |tx| {
            let time = now();
            let ended = tx.prepare_cached(END_OTHERS)?.execute(params![user_id, keep, time])?;
            tx.prepare_cached(END_OTHERS_GRANTS)?.execute(params![user_id, keep, time])?;
            Ok(ended as u64)
        })
        .await
    }
}

fn revoke(conn: &Connection, id_hash: &[u8]) -> Result<(), StoreError> {
    conn.prepare_cached(REVOKE)?.execute(params![id_hash, now()])?;
    Ok(())
}
