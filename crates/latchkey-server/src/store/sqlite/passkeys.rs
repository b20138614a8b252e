//! SQLite: Passkeys: looked up by credential ID for a sign-in, listed, added, renamed and deleted for an account.

use rusqlite::{Connection, OptionalExtension, params};

use super::Sqlite;
use crate::{
    passkey::{Descriptor, NewPasskey, StoredPasskey},
    store::{AddPasskeyRefused, AddedBy, DeleteRefused, PasskeyRow, StoreError, now},
};

const FIND: &str = "SELECT p.id, p.user_id, u.handle, p.static_state, p.dynamic_state
                    FROM passkeys p JOIN users u ON u.id = p.user_id WHERE p.credential_id = ?1";
const INSERT: &str = "INSERT INTO passkeys (user_id, credential_id, static_state, dynamic_state, metadata,
                                            transports, sign_count, backup_eligible, backup_state, user_verified,
                                            aaguid, name, created_at)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
const EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM passkeys WHERE credential_id = ?1)";
const DESCRIPTORS: &str = "SELECT credential_id, transports FROM passkeys WHERE user_id = ?1 ORDER BY id";
pub(super) const COUNT: &str = "SELECT count(*) FROM passkeys WHERE user_id = ?1";
const LIST: &str = "SELECT id, credential_id, name, aaguid, backup_eligible, created_at, last_used_at
                    FROM passkeys WHERE user_id = ?1 ORDER BY id";
const RENAME: &str = "UPDATE passkeys SET name = ?3 WHERE id = ?1 AND user_id = ?2";
const NAME: &str = "SELECT name FROM passkeys WHERE id = ?1 AND user_id = ?2";
const HAS_PASSWORD: &str = "SELECT password_hash IS NOT NULL FROM users WHERE id = ?1";
const DELETE: &str = "DELETE FROM passkeys WHERE id = ?1";
/// The grants of the sessions a passkey (`?1`) opened, but those of `?2`'s, end with it.
const END_ITS_GRANTS: &str = "UPDATE grants SET revoked_at = ?3
    WHERE revoked_at IS NULL
      AND session_hash IN (SELECT id_hash FROM sessions WHERE passkey_id = ?1 AND id_hash != ?2)";
/// The sessions a passkey (`?1`) opened, but `?2`, end with it.
const END_ITS_SESSIONS: &str = "UPDATE sessions SET revoked_at = ?3
                                WHERE passkey_id = ?1 AND id_hash != ?2 AND revoked_at IS NULL";
/// A second-factor enrollment is live while its marker exists and the password it was earned with is
/// still the account's.
const ENROLLMENT_LIVE: &str = "SELECT EXISTS (SELECT 1 FROM ceremonies c JOIN users u ON u.id = c.user_id
                                             WHERE c.user_id = ?1 AND c.kind = 'enroll_second_factor'
                                               AND c.state = CAST(u.password_hash AS BLOB))";
const END_ENROLLMENT: &str = "DELETE FROM ceremonies WHERE user_id = ?1 AND kind = 'enroll_second_factor'";
const SESSION_OPEN: &str =
    "SELECT EXISTS (SELECT 1 FROM sessions WHERE id_hash = ?1 AND user_id = ?2 AND revoked_at IS NULL)";

impl Sqlite {
    /// The credential IDs and encoded transports of an account's passkeys, for `allowCredentials` and
    /// `excludeCredentials`.
    pub(in crate::store) async fn passkey_descriptors(&self, user_id: i64) -> Result<Vec<Descriptor>, StoreError> {
        self.read(move |conn| descriptors(conn, user_id)).await
    }

    /// An account's passkeys, oldest first.
    pub(in crate::store) async fn account_passkeys(&self, user_id: i64) -> Result<Vec<PasskeyRow>, StoreError> {
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(LIST)?;
            let rows = statement.query_map([user_id], |r| {
                Ok(PasskeyRow {
                    id: r.get(0)?,
                    credential_id: r.get(1)?,
                    name: r.get(2)?,
                    aaguid: r.get(3)?,
                    backup_eligible: r.get(4)?,
                    created_at: r.get(5)?,
                    last_used_at: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Adds a passkey to an account, within the per-account cap; returns its row ID. A second-factor
    /// enrollment (`enrolls_second_factor`) also uses up the account's enrollment ceremonies, so one
    /// verified password enrolls one passkey.
    pub(in crate::store) async fn add_passkey(
        &self,
        user_id: i64,
        passkey: NewPasskey,
        max: u32,
        by: AddedBy,
    ) -> Result<Result<i64, AddPasskeyRefused>, StoreError> {
        self.write(move |tx| {
            // WebAuthn §7.1 step 26: a credential ID registered to any account already is refused.
            if exists(tx, &passkey.credential_id)? {
                return Ok(Err(AddPasskeyRefused::CredentialExists));
            }
            let count: u32 = tx.prepare_cached(COUNT)?.query_row([user_id], |r| r.get(0))?;
            if count >= max {
                return Ok(Err(AddPasskeyRefused::TooMany));
            }
            match &by {
                AddedBy::Session(id_hash) => {
                    if !tx.prepare_cached(SESSION_OPEN)?.query_row(params![id_hash, user_id], |r| r.get(0))? {
                        return Ok(Err(AddPasskeyRefused::SessionEnded));
                    }
                }
                // One verified password enrolls one passkey, however many prompts were started from it.
                AddedBy::SecondFactorEnrollment => {
                    if !tx.prepare_cached(ENROLLMENT_LIVE)?.query_row([user_id], |r| r.get(0))? {
                        return Ok(Err(AddPasskeyRefused::EnrollmentUsed));
                    }
                    tx.prepare_cached(END_ENROLLMENT)?.execute([user_id])?;
                }
            }
            Ok(Ok(insert(tx, user_id, &passkey)?))
        })
        .await
    }

    /// Renames one of an account's passkeys; `false` when the account has no passkey with this ID.
    pub(in crate::store) async fn rename_passkey(
        &self,
        user_id: i64,
        passkey_id: i64,
        name: String,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| Ok(tx.prepare_cached(RENAME)?.execute(params![passkey_id, user_id, name])? == 1)).await
    }

    /// Deletes one of an account's passkeys, unless it is the last way to sign in; returns its name.
    /// With `passkey_required` (the second-factor policy), the last passkey stays even beside a
    /// password: without it, the password alone would enroll whoever knows it.
    pub(in crate::store) async fn delete_passkey(
        &self,
        user_id: i64,
        passkey_id: i64,
        passkey_required: bool,
        keep: Vec<u8>,
    ) -> Result<Result<String, DeleteRefused>, StoreError> {
        self.write(move |tx| {
            let name: Option<String> =
                tx.prepare_cached(NAME)?.query_row(params![passkey_id, user_id], |r| r.get(0)).optional()?;
            let Some(name) = name else { return Ok(Err(DeleteRefused::Unknown)) };
            let passkeys: i64 = tx.prepare_cached(COUNT)?.query_row([user_id], |r| r.get(0))?;
            let has_password: bool = tx.prepare_cached(HAS_PASSWORD)?.query_row([user_id], |r| r.get(0))?;
            if passkeys <= 1 && (!has_password || passkey_required) {
                return Ok(Err(DeleteRefused::LastSignInMethod));
            }
            let time = now();
            tx.prepare_cached(END_ITS_GRANTS)?.execute(params![passkey_id, keep, time])?;
            tx.prepare_cached(END_ITS_SESSIONS)?.execute(params![passkey_id, keep, time])?;
            tx.prepare_cached(DELETE)?.execute([passkey_id])?;
            Ok(Ok(name))
        })
        .await
    }
}

/// Looks a passkey up by credential ID, with its owner's user handle.
pub(super) fn find(conn: &Connection, credential_id: &[u8]) -> Result<Option<StoredPasskey>, StoreError> {
    Ok(conn
        .prepare_cached(FIND)?
        .query_row([credential_id], |r| {
            Ok(StoredPasskey {
                id: r.get(0)?,
                user_id: r.get(1)?,
                user_handle: r.get(2)?,
                static_state: r.get(3)?,
                dynamic_state: r.get(4)?,
            })
        })
        .optional()?)
}

pub(super) fn descriptors(conn: &Connection, user_id: i64) -> Result<Vec<Descriptor>, StoreError> {
    let mut statement = conn.prepare_cached(DESCRIPTORS)?;
    let rows = statement.query_map([user_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn insert(conn: &Connection, user_id: i64, passkey: &NewPasskey) -> Result<i64, StoreError> {
    conn.prepare_cached(INSERT)?.execute(params![
        user_id,
        passkey.credential_id,
        passkey.static_state,
        passkey.dynamic_state,
        passkey.metadata,
        passkey.transports,
        passkey.sign_count,
        passkey.backup_eligible,
        passkey.backup_state,
        passkey.user_verified,
        passkey.aaguid,
        passkey.name,
        now()
    ])?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn exists(conn: &Connection, credential_id: &[u8]) -> Result<bool, StoreError> {
    Ok(conn.prepare_cached(EXISTS)?.query_row([credential_id], |r| r.get(0))?)
}
