//! PostgreSQL: sessions, started with the passkey's new state and the sign-in's events in one
//! transaction, looked up by the hash of the cookie's secret while live, listed, and ended.

use deadpool_postgres::GenericClient;

use super::Postgres;
use crate::{
    passkey::PasskeyUse,
    store::{Liveness, NewEvent, SessionRow, SessionStart, SessionSummary, SignInRefused, StoreError, UserRow, now},
};

const USE_PASSKEY: &str = "UPDATE passkeys SET dynamic_state = $3, sign_count = $4, backup_state = $5,
                                               last_used_at = $6
                           WHERE id = $1 AND dynamic_state = $2";
const INSERT: &str = "INSERT INTO sessions (id_hash, user_id, methods, created_at, expires_at, last_seen_at,
                                          user_agent, ip, passkey_id)
                      VALUES ($1, $2, $3, $4, $5, $4, $6, $7, $8)";
/// A live session: `$2` is now, `$3` the earliest last use, `$4` the earliest start.
const LIVE: &str = "s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_seen_at >= $3 AND s.created_at >= $4";
const FIND: &str = "SELECT u.email, u.display_name, s.methods, s.user_id, s.created_at, s.last_seen_at
                    FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.id_hash = $1 AND u.disabled_at IS NULL AND ";
const TOUCH: &str = "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2";
const REVOKE: &str = "UPDATE sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL";
const LIST: &str = "SELECT s.id_hash, s.created_at, s.last_seen_at, s.methods, s.user_agent, s.ip FROM sessions s
                    WHERE s.user_id = $1 AND ";
const END_ONE: &str = "UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND id_hash = $2 AND revoked_at IS NULL";
const END_ONES_GRANTS: &str = "UPDATE grants SET revoked_at = $3
                               WHERE user_id = $1 AND session_hash = $2 AND revoked_at IS NULL";
const END_OTHERS: &str =
    "UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND id_hash != $2 AND revoked_at IS NULL";
const END_OTHERS_GRANTS: &str = "UPDATE grants SET revoked_at = $3
                                 WHERE user_id = $1 AND session_hash != $2 AND revoked_at IS NULL";
const USER: &str = "SELECT email, display_name, disabled_at IS NOT NULL FROM users WHERE id = $1";
/// For a password sign-in, the account is locked and its password read: a reset, change or claim either
/// committed before (and the verified password is no longer it) or waits, and then ends this session.
const USER_AND_PASSWORD: &str =
    "SELECT email, display_name, disabled_at IS NOT NULL, password_hash FROM users WHERE id = $1 FOR NO KEY UPDATE";
/// An event of a sign-in: one about the signed-in account (`$9`) without an email gets the account's.
const EVENT_WITH_ACCOUNT_EMAIL: &str = "INSERT INTO events (at, code, user_id, email, ip, user_agent, reason, detail)
    VALUES ($1, $2, $3,
            coalesce($4::TEXT, CASE WHEN $3::BIGINT = $9::BIGINT THEN (SELECT email FROM users WHERE id = $9) END),
            $5, $6, $7, $8)";

impl Postgres {
    /// The transaction's statements are pipelined: those that do not depend on each other go in one
    /// round trip, and a refusal rolls all of them back.
    pub(in crate::store) async fn start_session(
        &self,
        start: SessionStart,
        passkey_use: Option<PasskeyUse>,
        recorded: Vec<NewEvent>,
    ) -> Result<Result<UserRow, SignInRefused>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let (use_passkey, user, revoke, insert, event) = tokio::try_join!(
            tx.prepare_cached(USE_PASSKEY),
            tx.prepare_cached(if start.password_hash.is_some() { USER_AND_PASSWORD } else { USER }),
            tx.prepare_cached(REVOKE),
            tx.prepare_cached(INSERT),
            tx.prepare_cached(EVENT_WITH_ACCOUNT_EMAIL),
        )?;
        let time = now();
        // The row lock the passkey's update takes makes a concurrent sign-in with the same passkey wait,
        // then find the state changed: one of two racing clones wins.
        let used = async {
            let Some(used) = &passkey_use else { return Ok(None) };
            let sign_count = i64::from(used.sign_count);
            let params: [&(dyn tokio_postgres::types::ToSql + Sync); 6] = [
                &used.passkey_id,
                &used.previous_dynamic_state,
                &used.dynamic_state,
                &sign_count,
                &used.backup_state,
                &time,
            ];
            tx.execute(&use_passkey, &params).await.map(Some)
        };
        let revoked = async {
            let Some(old) = &start.replaces else { return Ok(0) };
            tx.execute(&revoke, &[old, &time]).await
        };
        let inserted = async {
            let params: [&(dyn tokio_postgres::types::ToSql + Sync); 8] = [
                &start.id_hash,
                &start.user_id,
                &start.methods,
                &time,
                &start.expires_at,
                &start.user_agent,
                &start.ip,
                &start.passkey_id,
            ];
            tx.execute(&insert, &params).await
        };
        let account = async { tx.query_opt(&user, &[&start.user_id]).await };
        // The sign-in's events name the account by the email it has now (the statement looks it up).
        let events = futures_util::future::try_join_all(recorded.iter().map(|e| async {
            let params: [&(dyn tokio_postgres::types::ToSql + Sync); 9] =
                [&e.at, &e.code, &e.user_id, &e.email, &e.ip, &e.user_agent, &e.reason, &e.detail, &start.user_id];
            tx.execute(&event, &params).await
        }));
        let (used, user, _, _, _) = tokio::try_join!(used, account, revoked, inserted, events)?;
        if used == Some(0) {
            return Ok(Err(SignInRefused::PasskeyChanged));
        }
        let Some(user) = user else { return Ok(Err(SignInRefused::UserGone)) };
        if user.try_get::<_, bool>(2)? {
            return Ok(Err(SignInRefused::AccountDisabled));
        }
        if let Some(verified) = &start.password_hash
            && user.try_get::<_, Option<String>>(3)?.as_ref() != Some(verified)
        {
            return Ok(Err(SignInRefused::PasswordChanged));
        }
        tx.commit().await?;
        Ok(Ok(UserRow { email: user.try_get(0)?, display_name: user.try_get(1)? }))
    }

    pub(in crate::store) async fn find_session(
        &self,
        id_hash: Vec<u8>,
        live: Liveness,
    ) -> Result<Option<SessionRow>, StoreError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(&format!("{FIND}{LIVE}")).await?;
        let row = client.query_opt(&statement, &[&id_hash, &live.now, &live.used_since, &live.begun_since]).await?;
        row.map(|r| {
            Ok(SessionRow {
                user: UserRow { email: r.try_get(0)?, display_name: r.try_get(1)? },
                methods: r.try_get(2)?,
                user_id: r.try_get(3)?,
                created_at: r.try_get(4)?,
                last_seen_at: r.try_get(5)?,
            })
        })
        .transpose()
    }

    pub(in crate::store) async fn touch_session(&self, id_hash: Vec<u8>, at: i64) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.execute(&client.prepare_cached(TOUCH).await?, &[&id_hash, &at]).await?;
        Ok(())
    }

    pub(in crate::store) async fn revoke_session(&self, id_hash: Vec<u8>) -> Result<(), StoreError> {
        revoke(&self.client().await?, &id_hash).await
    }

    pub(in crate::store) async fn live_sessions(
        &self,
        user_id: i64,
        live: Liveness,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(&format!("{LIST}{LIVE} ORDER BY s.last_seen_at DESC")).await?;
        let rows = client.query(&statement, &[&user_id, &live.now, &live.used_since, &live.begun_since]).await?;
        rows.iter()
            .map(|r| {
                Ok(SessionSummary {
                    id_hash: r.try_get(0)?,
                    created_at: r.try_get(1)?,
                    last_seen_at: r.try_get(2)?,
                    methods: r.try_get(3)?,
                    user_agent: r.try_get(4)?,
                    ip: r.try_get(5)?,
                })
            })
            .collect()
    }

    pub(in crate::store) async fn end_account_session(
        &self,
        user_id: i64,
        id_hash: Vec<u8>,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let time = now();
        let ended = tx.execute(END_ONE, &[&user_id, &id_hash, &time]).await?;
        tx.execute(END_ONES_GRANTS, &[&user_id, &id_hash, &time]).await?;
        tx.commit().await?;
        Ok(ended > 0)
    }

    pub(in crate::store) async fn end_other_sessions(&self, user_id: i64, keep: Vec<u8>) -> Result<u64, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let time = now();
        let ended = tx.execute(END_OTHERS, &[&user_id, &keep, &time]).await?;
        tx.execute(END_OTHERS_GRANTS, &[&user_id, &keep, &time]).await?;
        tx.commit().await?;
        Ok(ended)
    }
}

async fn revoke(client: &impl GenericClient, id_hash: &[u8]) -> Result<(), StoreError> {
    client.execute(&client.prepare_cached(REVOKE).await?, &[&id_hash, &now()]).await?;
    Ok(())
}
