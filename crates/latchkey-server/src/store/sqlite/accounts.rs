//! SQLite: Accounts (the `users` table): created with a passkey or a password, looked up by email or row ID,
//! and the answer to the passkey offer.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Sqlite, passkeys, sign_up_codes};
use crate::{
    passkey::{Descriptor, NewPasskey},
    store::{Account, CreateAccountError, Created, PendingUser, StoreError, UserRow, now},
};

const EMAIL_EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1)";
/// A sign-up with a proof of its email records the email as verified when the account is made.
const INSERT: &str = "INSERT INTO users (handle, email, display_name, created_at, password_hash, email_verified_at)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const USER: &str = "SELECT email, display_name FROM users WHERE id = ?1";
const DISABLED: &str = "SELECT disabled_at IS NOT NULL FROM users WHERE id = ?1";
const ID_BY_EMAIL: &str = "SELECT id FROM users WHERE email = ?1";
const ACCOUNT_COLUMNS: &str = "SELECT u.id, u.handle, u.email, u.display_name, u.password_hash,
                                      (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id),
                                      u.passkey_offer_declined = 0 AND u.passkey_offer_after <= ?2,
                                      u.email_verified_at IS NOT NULL, u.disabled_at IS NOT NULL
                               FROM users u";
const SNOOZE_OFFER: &str = "UPDATE users SET passkey_offer_after = ?2 WHERE id = ?1";
const DECLINE_OFFER: &str = "UPDATE users SET passkey_offer_declined = 1 WHERE id = ?1";

impl Sqlite {
    /// Whether an account uses this email address.
    pub(in crate::store) async fn email_exists(&self, email: String) -> Result<bool, StoreError> {
        self.read(move |conn| email_exists(conn, &email)).await
    }

    /// Creates a user and their first passkey in one transaction; returns the user's row ID.
    pub(in crate::store) async fn create_account(
        &self,
        user: PendingUser,
        passkey: NewPasskey,
    ) -> Result<Result<Created, CreateAccountError>, StoreError> {
        self.write(move |tx| {
            if email_exists(tx, &user.email)? {
                return Ok(Err(CreateAccountError::EmailTaken));
            }
            if passkeys::exists(tx, &passkey.credential_id)? {
                return Ok(Err(CreateAccountError::CredentialExists));
            }
            if !proof_used(tx, &user)? {
                return Ok(Err(CreateAccountError::ProofSpent));
            }
            let user_id = insert(tx, &user, None)?;
            let passkey_id = passkeys::insert(tx, user_id, &passkey)?;
            Ok(Ok(Created { user_id, passkey_id }))
        })
        .await
    }

    /// Creates an account with a password and no passkey; returns its row ID.
    pub(in crate::store) async fn create_password_account(
        &self,
        user: PendingUser,
        password_hash: String,
    ) -> Result<Result<i64, CreateAccountError>, StoreError> {
        self.write(move |tx| {
            if email_exists(tx, &user.email)? {
                return Ok(Err(CreateAccountError::EmailTaken));
            }
            if !proof_used(tx, &user)? {
                return Ok(Err(CreateAccountError::ProofSpent));
            }
            Ok(Ok(insert(tx, &user, Some(&password_hash))?))
        })
        .await
    }

    /// Looks an account up by its (normalized) email address.
    pub(in crate::store) async fn find_account(&self, email: String) -> Result<Option<Account>, StoreError> {
        self.read(move |conn| account_where(conn, "u.email = ?1", &email)).await
    }

    /// Looks an account up by row ID.
    pub(in crate::store) async fn find_account_by_id(&self, user_id: i64) -> Result<Option<Account>, StoreError> {
        self.read(move |conn| account_where(conn, "u.id = ?1", &user_id)).await
    }

    /// Identifier-first lookup: the account's row ID (if any) and its passkeys. Both queries run for
    /// every email, known or not, so the time taken does not tell which it was.
    pub(in crate::store) async fn identify(&self, email: String) -> Result<(Option<i64>, Vec<Descriptor>), StoreError> {
        self.read(move |conn| {
            let user_id: Option<i64> = conn.prepare_cached(ID_BY_EMAIL)?.query_row([email], |r| r.get(0)).optional()?;
            let passkeys = passkeys::descriptors(conn, user_id.unwrap_or(0))?;
            Ok((user_id, passkeys))
        })
        .await
    }

    /// Records the answer to the passkey offer: snoozed until `until`, or (with `None`) never asked again.
    pub(in crate::store) async fn decline_passkey_offer(
        &self,
        user_id: i64,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            match until {
                Some(until) => tx.prepare_cached(SNOOZE_OFFER)?.execute(params![user_id, until])?,
                None => tx.prepare_cached(DECLINE_OFFER)?.execute([user_id])?,
            };
            Ok(())
        })
        .await
    }
}

pub(super) fn email_exists(conn: &Connection, email: &str) -> Result<bool, StoreError> {
    Ok(conn.prepare_cached(EMAIL_EXISTS)?.query_row([email], |r| r.get(0))?)
}

fn insert(conn: &Connection, user: &PendingUser, password_hash: Option<&str>) -> Result<i64, StoreError> {
    let time = now();
    let verified_at = user.proof.as_ref().map(|_| time);
    let row = params![user.handle, user.email, user.display_name, time, password_hash, verified_at];
    conn.prepare_cached(INSERT)?.execute(row)?;
    Ok(conn.last_insert_rowid())
}

/// Uses up the sign-up's proof of its email, if it presented one: `false` when that proof is spent.
fn proof_used(tx: &Connection, user: &PendingUser) -> Result<bool, StoreError> {
    user.proof.as_ref().map_or(Ok(true), |proof| sign_up_codes::use_proof(tx, &user.email, proof))
}

/// Looks a user up by row ID.
pub(super) fn find_user(conn: &Connection, user_id: i64) -> Result<Option<UserRow>, StoreError> {
    Ok(conn
        .prepare_cached(USER)?
        .query_row([user_id], |r| Ok(UserRow { email: r.get(0)?, display_name: r.get(1)? }))
        .optional()?)
}

/// Whether an administrator has disabled the account.
pub(super) fn is_disabled(conn: &Connection, user_id: i64) -> Result<bool, StoreError> {
    Ok(conn.prepare_cached(DISABLED)?.query_row([user_id], |r| r.get(0)).optional()?.unwrap_or(false))
}

fn account_where(conn: &Connection, condition: &str, key: &dyn rusqlite::ToSql) -> Result<Option<Account>, StoreError> {
    let sql = format!("{ACCOUNT_COLUMNS} WHERE {condition}");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![key, now()], |r| {
            Ok(Account {
                id: r.get(0)?,
                handle: r.get(1)?,
                email: r.get(2)?,
                display_name: r.get(3)?,
                password_hash: r.get(4)?,
                passkeys: r.get(5)?,
                offer_passkey: r.get(6)?,
                email_verified: r.get(7)?,
                disabled: r.get(8)?,
            })
        })
        .optional()?)
}
