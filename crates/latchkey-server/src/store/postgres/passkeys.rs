//! PostgreSQL: passkeys, looked up by credential ID for a sign-in, listed, added, renamed and deleted.

use deadpool_postgres::GenericClient;

use super::{Postgres, unique_violation};
use crate::{
    passkey::{Descriptor, NewPasskey, StoredPasskey},
    store::{AddPasskeyRefused, AddedBy, DeleteRefused, PasskeyRow, StoreError, now},
};

const FIND: &str = "SELECT p.id, p.user_id, u.handle, p.static_state, p.dynamic_state
                    FROM passkeys p JOIN users u ON u.id = p.user_id WHERE p.credential_id = $1";
const INSERT: &str = "INSERT INTO passkeys (user_id, credential_id, static_state, dynamic_state, metadata,
                                            transports, sign_count, backup_eligible, backup_state, user_verified,
                                            aaguid, name, created_at)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id";
const EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM passkeys WHERE credential_id = $1)";
const DESCRIPTORS: &str = "SELECT credential_id, transports FROM passkeys WHERE user_id = $1 ORDER BY id";
pub(super) const COUNT: &str = "SELECT count(*) FROM passkeys WHERE user_id = $1";
const LIST: &str = "SELECT id, credential_id, name, aaguid, backup_eligible, created_at, last_used_at
                    FROM passkeys WHERE user_id = $1 ORDER BY id";
const RENAME: &str = "UPDATE passkeys SET name = $3 WHERE id = $1 AND user_id = $2";
/// Locks the account's row, so two changes to its passkeys (a count checked, then a row added or
/// deleted) on two nodes cannot interleave. `NO KEY UPDATE` does not conflict with the key-share locks
/// that inserts of the account's sessions and ceremonies take, so sign-ins neither wait nor deadlock.
const LOCK_ACCOUNT: &str = "SELECT password_hash IS NOT NULL FROM users WHERE id = $1 FOR NO KEY UPDATE";
const DELETE: &str = "DELETE FROM passkeys WHERE id = $1";
/// The grants of the sessions a passkey (`$1`) opened, but those of `$2`'s, end with it.
const END_ITS_GRANTS: &str = "UPDATE grants SET revoked_at = $3
    WHERE revoked_at IS NULL
      AND session_hash IN (SELECT id_hash FROM sessions WHERE passkey_id = $1 AND id_hash != $2)";
/// The sessions a passkey (`$1`) opened, but `$2`, end with it.
const END_ITS_SESSIONS: &str = "UPDATE sessions SET revoked_at = $3
                                WHERE passkey_id = $1 AND id_hash != $2 AND revoked_at IS NULL";
/// A second-factor enrollment is live while its marker exists and the password it was earned with is
/// still the account's.
const ENROLLMENT_LIVE: &str = "SELECT EXISTS (SELECT 1 FROM ceremonies c JOIN users u ON u.id = c.user_id
                                             WHERE c.user_id = $1 AND c.kind = 'enroll_second_factor'
                                               AND c.state = convert_to(u.password_hash, 'UTF8'))";
const END_ENROLLMENT: &str = "DELETE FROM ceremonies WHERE user_id = $1 AND kind = 'enroll_second_factor'";
const SESSION_OPEN: &str =
    "SELECT EXISTS (SELECT 1 FROM sessions WHERE id_hash = $1 AND user_id = $2 AND revoked_at IS NULL)";
/// Locks the passkey being deleted: a sign-in with it (which updates the row) either commits first,
/// and its session is then seen and ended, or waits and then finds the passkey gone.
const LOCK_PASSKEY: &str = "SELECT name FROM passkeys WHERE id = $1 AND user_id = $2 FOR UPDATE";

/// The unique constraint on credential IDs (PostgreSQL's name for `passkeys (credential_id) UNIQUE`).
pub(super) const CREDENTIAL_ID_KEY: &str = "passkeys_credential_id_key";

impl Postgres {
    pub(in crate::store) async fn passkey_descriptors(&self, user_id: i64) -> Result<Vec<Descriptor>, StoreError> {
        descriptors(&self.client().await?, user_id).await
    }

    pub(in crate::store) async fn account_passkeys(&self, user_id: i64) -> Result<Vec<PasskeyRow>, StoreError> {
        let client = self.client().await?;
        let rows = client.query(&client.prepare_cached(LIST).await?, &[&user_id]).await?;
        rows.iter()
            .map(|r| {
                Ok(PasskeyRow {
                    id: r.try_get(0)?,
                    credential_id: r.try_get(1)?,
                    name: r.try_get(2)?,
                    aaguid: r.try_get(3)?,
                    backup_eligible: r.try_get(4)?,
                    created_at: r.try_get(5)?,
                    last_used_at: r.try_get(6)?,
                })
            })
            .collect()
    }

    pub(in crate::store) async fn add_passkey(
        &self,
        user_id: i64,
        passkey: NewPasskey,
        max: u32,
        by: AddedBy,
    ) -> Result<Result<i64, AddPasskeyRefused>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.query_opt(&tx.prepare_cached(LOCK_ACCOUNT).await?, &[&user_id]).await?;
        // WebAuthn §7.1 step 26: a credential ID registered to any account already is refused.
        if exists(&tx, &passkey.credential_id).await? {
            return Ok(Err(AddPasskeyRefused::CredentialExists));
        }
        let count: i64 = tx.query_one(&tx.prepare_cached(COUNT).await?, &[&user_id]).await?.try_get(0)?;
        if count >= i64::from(max) {
            return Ok(Err(AddPasskeyRefused::TooMany));
        }
        match &by {
            // The account's lock orders this after a reset that claims the account, and then the
            // session is seen ended.
            AddedBy::Session(id_hash) => {
                let statement = tx.prepare_cached(SESSION_OPEN).await?;
                let open: bool = tx.query_one(&statement, &[id_hash, &user_id]).await?.try_get(0)?;
                if !open {
                    return Ok(Err(AddPasskeyRefused::SessionEnded));
                }
            }
            // One verified password enrolls one passkey, however many prompts were started from it (the
            // account's lock orders two finishes, and the second sees the marker gone).
            AddedBy::SecondFactorEnrollment => {
                let statement = tx.prepare_cached(ENROLLMENT_LIVE).await?;
                let live: bool = tx.query_one(&statement, &[&user_id]).await?.try_get(0)?;
                if !live {
                    return Ok(Err(AddPasskeyRefused::EnrollmentUsed));
                }
            }
        }
        let id = match insert(&tx, user_id, &passkey).await {
            Err(e) if unique_violation(&e) == Some(CREDENTIAL_ID_KEY) => {
                return Ok(Err(AddPasskeyRefused::CredentialExists));
            }
            inserted => inserted?,
        };
        if by == AddedBy::SecondFactorEnrollment {
            tx.execute(&tx.prepare_cached(END_ENROLLMENT).await?, &[&user_id]).await?;
        }
        tx.commit().await?;
        Ok(Ok(id))
    }

    pub(in crate::store) async fn rename_passkey(
        &self,
        user_id: i64,
        passkey_id: i64,
        name: String,
    ) -> Result<bool, StoreError> {
        let client = self.client().await?;
        Ok(client.execute(&client.prepare_cached(RENAME).await?, &[&passkey_id, &user_id, &name]).await? == 1)
    }

    pub(in crate::store) async fn delete_passkey(
        &self,
        user_id: i64,
        passkey_id: i64,
        passkey_required: bool,
        keep: Vec<u8>,
    ) -> Result<Result<String, DeleteRefused>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(account) = tx.query_opt(&tx.prepare_cached(LOCK_ACCOUNT).await?, &[&user_id]).await? else {
            return Ok(Err(DeleteRefused::Unknown));
        };
        let has_password: bool = account.try_get(0)?;
        let name = tx.query_opt(&tx.prepare_cached(LOCK_PASSKEY).await?, &[&passkey_id, &user_id]).await?;
        let Some(name) = name else { return Ok(Err(DeleteRefused::Unknown)) };
        let passkeys: i64 = tx.query_one(&tx.prepare_cached(COUNT).await?, &[&user_id]).await?.try_get(0)?;
        if passkeys <= 1 && (!has_password || passkey_required) {
            return Ok(Err(DeleteRefused::LastSignInMethod));
        }
        let time = now();
        tx.execute(END_ITS_GRANTS, &[&passkey_id, &keep, &time]).await?;
        tx.execute(END_ITS_SESSIONS, &[&passkey_id, &keep, &time]).await?;
        tx.execute(&tx.prepare_cached(DELETE).await?, &[&passkey_id]).await?;
        tx.commit().await?;
        Ok(Ok(name.try_get(0)?))
    }
}

pub(super) async fn find(
    client: &impl GenericClient,
    credential_id: &[u8],
) -> Result<Option<StoredPasskey>, StoreError> {
    let row = client.query_opt(&client.prepare_cached(FIND).await?, &[&credential_id]).await?;
    row.map(|r| {
        Ok(StoredPasskey {
            id: r.try_get(0)?,
            user_id: r.try_get(1)?,
            user_handle: r.try_get(2)?,
            static_state: r.try_get(3)?,
            dynamic_state: r.try_get(4)?,
        })
    })
    .transpose()
}

pub(super) async fn descriptors(client: &impl GenericClient, user_id: i64) -> Result<Vec<Descriptor>, StoreError> {
    let rows = client.query(&client.prepare_cached(DESCRIPTORS).await?, &[&user_id]).await?;
    rows.iter()
        .map(|r| {
            let transports: i16 = r.try_get(1)?;
            Ok((r.try_get(0)?, u8::try_from(transports).map_err(|e| StoreError(e.to_string()))?))
        })
        .collect()
}

/// Inserts a passkey; the error is PostgreSQL's, so a caller can tell a unique violation.
pub(super) async fn insert(
    client: &impl GenericClient,
    user_id: i64,
    passkey: &NewPasskey,
) -> Result<i64, tokio_postgres::Error> {
    let row = client
        .query_one(
            &client.prepare_cached(INSERT).await?,
            &[
                &user_id,
                &passkey.credential_id,
                &passkey.static_state,
                &passkey.dynamic_state,
                &passkey.metadata,
                &i16::from(passkey.transports),
                &i64::from(passkey.sign_count),
                &passkey.backup_eligible,
                &passkey.backup_state,
                &passkey.user_verified,
                &passkey.aaguid,
                &passkey.name,
                &now(),
            ],
        )
        .await?;
    row.try_get(0)
}

pub(super) async fn exists(client: &impl GenericClient, credential_id: &[u8]) -> Result<bool, StoreError> {
    Ok(client.query_one(&client.prepare_cached(EXISTS).await?, &[&credential_id]).await?.try_get(0)?)
}
