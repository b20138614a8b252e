//! PostgreSQL: sessions, started with the passkey's new state and the sign-in's events in one
//! transaction, looked up by the hash of the cookie's secret, and revoked.

use deadpool_postgres::GenericClient;

use super::{Postgres, accounts, events};
use crate::{
    passkey::PasskeyUse,
    store::{NewEvent, SessionRow, SessionStart, SignInRefused, StoreError, UserRow, now},
};

const USE_PASSKEY: &str = "UPDATE passkeys SET dynamic_state = $3, sign_count = $4, backup_state = $5,
                                               last_used_at = $6
                           WHERE id = $1 AND dynamic_state = $2";
const INSERT: &str = "INSERT INTO sessions (id_hash, user_id, methods, created_at, expires_at)
                      VALUES ($1, $2, $3, $4, $5)";
const FIND: &str = "SELECT u.email, u.display_name, s.methods, s.user_id, s.created_at
                    FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2";
const REVOKE: &str = "UPDATE sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL";

impl Postgres {
    pub(in crate::store) async fn start_session(
        &self,
        start: SessionStart,
        passkey_use: Option<PasskeyUse>,
        recorded: Vec<NewEvent>,
    ) -> Result<Result<UserRow, SignInRefused>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let time = now();
        if let Some(used) = passkey_use {
            // The row lock this takes makes a concurrent sign-in with the same passkey wait, then find
            // the state changed: one of two racing clones wins.
            let changed = tx
                .execute(
                    &tx.prepare_cached(USE_PASSKEY).await?,
                    &[
                        &used.passkey_id,
                        &used.previous_dynamic_state,
                        &used.dynamic_state,
                        &i64::from(used.sign_count),
                        &used.backup_state,
                        &time,
                    ],
                )
                .await?;
            if changed == 0 {
                return Ok(Err(SignInRefused::PasskeyChanged));
            }
        }
        let Some(user) = accounts::find_user(&tx, start.user_id).await? else {
            return Ok(Err(SignInRefused::UserGone));
        };
        if let Some(old) = &start.replaces {
            revoke(&tx, old).await?;
        }
        let statement = tx.prepare_cached(INSERT).await?;
        tx.execute(&statement, &[&start.id_hash, &start.user_id, &start.methods, &time, &start.expires_at]).await?;
        for mut event in recorded {
            // The sign-in's events name the account by the email it has now.
            if event.email.is_none() && event.user_id == Some(start.user_id) {
                event.email = Some(user.email.clone());
            }
            events::insert(&tx, &event).await?;
        }
        tx.commit().await?;
        Ok(Ok(user))
    }

    pub(in crate::store) async fn find_session(&self, id_hash: Vec<u8>) -> Result<Option<SessionRow>, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt(&client.prepare_cached(FIND).await?, &[&id_hash, &now()]).await?;
        row.map(|r| {
            Ok(SessionRow {
                user: UserRow { email: r.try_get(0)?, display_name: r.try_get(1)? },
                methods: r.try_get(2)?,
                user_id: r.try_get(3)?,
                created_at: r.try_get(4)?,
            })
        })
        .transpose()
    }

    pub(in crate::store) async fn revoke_session(&self, id_hash: Vec<u8>) -> Result<(), StoreError> {
        revoke(&self.client().await?, &id_hash).await
    }
}

async fn revoke(client: &impl GenericClient, id_hash: &[u8]) -> Result<(), StoreError> {
    client.execute(&client.prepare_cached(REVOKE).await?, &[&id_hash, &now()]).await?;
    Ok(())
}
