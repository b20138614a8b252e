//! SQLite: Passwords and their reset links: a password set or reset in the transaction that ends what the old
//! one opened.

use rusqlite::{Connection, OptionalExtension, params};

use super::{
    Sqlite, accounts,
    passkeys::{COUNT, exists, insert},
};
use crate::{
    passkey::NewPasskey,
    store::{AddPasskeyRefused, Recovered, Reset, ResetRefused, StoreError, now},
};

const LIVE_TOKEN: &str = "SELECT EXISTS (SELECT 1 FROM password_resets WHERE token_hash = ?1 AND expires_at > ?2)";
const TOKEN_OWNER: &str = "SELECT user_id FROM password_resets WHERE token_hash = ?1";
const TAKE_TOKEN: &str = "DELETE FROM password_resets WHERE token_hash = ?1 RETURNING expires_at";
const END_CEREMONIES: &str = "DELETE FROM ceremonies WHERE user_id = ?1";
/// The first proof of the email: changes a row only if there was none before.
const PROVE_EMAIL: &str = "UPDATE users SET email_verified_at = ?2 WHERE id = ?1 AND email_verified_at IS NULL";
/// A claimed account's passkeys go (their sessions end with the password's replacement).
const END_PASSKEYS: &str = "DELETE FROM passkeys WHERE user_id = ?1";
const SET_HASH: &str = "UPDATE users SET password_hash = ?2 WHERE id = ?1";
const REVOKE_OTHERS: &str = "UPDATE sessions SET revoked_at = ?3
                             WHERE user_id = ?1 AND (?2 IS NULL OR id_hash != ?2) AND revoked_at IS NULL";
/// The applications' grants end with the password, but those of the session that changed it.
const REVOKE_OTHER_GRANTS: &str = "UPDATE grants SET revoked_at = ?3
                                   WHERE user_id = ?1 AND (?2 IS NULL OR session_hash != ?2) AND revoked_at IS NULL";
const TOKEN_ACCOUNT: &str = "SELECT user_id FROM password_resets WHERE token_hash = ?1 AND expires_at > ?2";
const LIVE_TOKEN_OF: &str =
    "SELECT EXISTS (SELECT 1 FROM password_resets WHERE token_hash = ?1 AND user_id = ?2 AND expires_at > ?3)";
const UNPROVED: &str = "SELECT email_verified_at IS NULL FROM users WHERE id = ?1";
/// A claimed account's password goes with its passkeys.
const END_PASSWORD: &str = "UPDATE users SET password_hash = NULL WHERE id = ?1";
const ISSUE: &str = "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)";
const WITHDRAW: &str = "DELETE FROM password_resets WHERE token_hash = ?1";
const END_RESETS: &str = "DELETE FROM password_resets WHERE user_id = ?1";
/// The session that changed the password goes on under a new ID, its grants with it.
const RENEW_SESSION: &str = "UPDATE sessions SET id_hash = ?2 WHERE id_hash = ?1 AND revoked_at IS NULL";
const RENEW_GRANTS: &str = "UPDATE grants SET session_hash = ?2 WHERE session_hash = ?1";

impl Sqlite {
    /// Whether a reset token is live, checked before the expensive hashing of the new password.
    pub(in crate::store) async fn reset_token_is_live(&self, token_hash: Vec<u8>) -> Result<bool, StoreError> {
        self.read(move |conn| {
            Ok(conn.prepare_cached(LIVE_TOKEN)?.query_row(params![token_hash, now()], |r| r.get(0))?)
        })
        .await
    }

    /// Uses a reset token: in one transaction, takes it (single use), sets the new password, and ends
    /// every way in that the old password opened: the account's sessions, its other reset links, and
    /// its ceremonies in flight (a second factor or passkey enrollment begun with the old password).
    /// Refused when the token is unknown, used or expired (an expired token is used up too), and, with
    /// nothing changed, when the account is disabled.
    pub(in crate::store) async fn reset_password(
        &self,
        token_hash: Vec<u8>,
        password_hash: String,
    ) -> Result<Result<Reset, ResetRefused>, StoreError> {
        self.write(move |tx| {
            let time = now();
            let owner = tx.prepare_cached(TOKEN_OWNER)?.query_row([&token_hash], |r| r.get(0)).optional()?;
            let Some(user_id) = owner else { return Ok(Err(ResetRefused::LinkInvalid)) };
            if accounts::is_disabled(tx, user_id)? {
                return Ok(Err(ResetRefused::AccountDisabled));
            }
            let expires_at: i64 = tx.prepare_cached(TAKE_TOKEN)?.query_row([&token_hash], |r| r.get(0))?;
            if expires_at <= time {
                return Ok(Err(ResetRefused::LinkInvalid));
            }
            let claimed = if tx.prepare_cached(PROVE_EMAIL)?.execute(params![user_id, time])? > 0 {
                Some(tx.prepare_cached(END_PASSKEYS)?.execute([user_id])? as u64)
            } else {
                None
            };
            replace_password(tx, user_id, &password_hash, None)?;
            tx.prepare_cached(END_CEREMONIES)?.execute([user_id])?;
            Ok(Ok(Reset { user_id, claimed }))
        })
        .await
    }

    /// Sets an account's password hash and, in the same transaction, ends what the old credentials
    /// opened elsewhere: the account's other sessions and its reset links. `keep` is the session
    /// making the change.
    pub(in crate::store) async fn set_password(
        &self,
        user_id: i64,
        password_hash: String,
        keep: Vec<u8>,
        renewed: Vec<u8>,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| {
            // The renewal comes first and changes nothing when the session has ended (or a change sent
            // twice renewed it already), and then nothing else is done.
            if tx.prepare_cached(RENEW_SESSION)?.execute(params![keep, renewed])? == 0 {
                return Ok(false);
            }
            tx.prepare_cached(RENEW_GRANTS)?.execute(params![keep, renewed])?;
            replace_password(tx, user_id, &password_hash, Some(&renewed))?;
            Ok(true)
        })
        .await
    }

    pub(in crate::store) async fn recover_with_passkey(
        &self,
        token_hash: Vec<u8>,
        user_id: i64,
        passkey: NewPasskey,
        max: u32,
    ) -> Result<Result<Recovered, AddPasskeyRefused>, StoreError> {
        self.write(move |tx| {
            let time = now();
            // Every refusal comes before the first change.
            if !tx.prepare_cached(LIVE_TOKEN_OF)?.query_row(params![token_hash, user_id, time], |r| r.get(0))? {
                return Ok(Err(AddPasskeyRefused::LinkUsed));
            }
            if accounts::is_disabled(tx, user_id)? {
                return Ok(Err(AddPasskeyRefused::AccountDisabled));
            }
            // WebAuthn §7.1 step 26: a credential ID registered to any account already is refused.
            if exists(tx, &passkey.credential_id)? {
                return Ok(Err(AddPasskeyRefused::CredentialExists));
            }
            let claims: bool = tx.prepare_cached(UNPROVED)?.query_row([user_id], |r| r.get(0))?;
            let count: u32 = tx.prepare_cached(COUNT)?.query_row([user_id], |r| r.get(0))?;
            if !claims && count >= max {
                return Ok(Err(AddPasskeyRefused::TooMany));
            }
            tx.prepare_cached(WITHDRAW)?.execute([&token_hash])?;
            let claimed = if claims {
                tx.prepare_cached(PROVE_EMAIL)?.execute(params![user_id, time])?;
                tx.prepare_cached(END_PASSWORD)?.execute([user_id])?;
                Some(tx.prepare_cached(END_PASSKEYS)?.execute([user_id])? as u64)
            } else {
                None
            };
            end_ways_in(tx, user_id, None)?;
            tx.prepare_cached(END_CEREMONIES)?.execute([user_id])?;
            let passkey_id = insert(tx, user_id, &passkey)?;
            Ok(Ok(Recovered { passkey_id, claimed }))
        })
        .await
    }

    pub(in crate::store) async fn reset_token_account(&self, token_hash: Vec<u8>) -> Result<Option<i64>, StoreError> {
        self.read(move |conn| {
            Ok(conn.prepare_cached(TOKEN_ACCOUNT)?.query_row(params![token_hash, now()], |r| r.get(0)).optional()?)
        })
        .await
    }

    pub(in crate::store) async fn issue_reset_token(
        &self,
        user_id: i64,
        token_hash: Vec<u8>,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            Ok(tx.prepare_cached(ISSUE)?.execute(params![token_hash, user_id, expires_at]).map(drop)?)
        })
        .await
    }

    pub(in crate::store) async fn withdraw_reset_token(&self, token_hash: Vec<u8>) -> Result<(), StoreError> {
        self.write(move |tx| Ok(tx.prepare_cached(WITHDRAW)?.execute([token_hash]).map(drop)?)).await
    }
}

/// Sets the password hash and ends what the old password opened. Runs inside the caller's transaction.
fn replace_password(tx: &Connection, user_id: i64, password_hash: &str, keep: Option<&[u8]>) -> Result<(), StoreError> {
    tx.prepare_cached(SET_HASH)?.execute(params![user_id, password_hash])?;
    end_ways_in(tx, user_id, keep)
}

/// Ends every session of the account but `keep`, their grants, and its reset links. Runs inside the
/// caller's transaction.
fn end_ways_in(tx: &Connection, user_id: i64, keep: Option<&[u8]>) -> Result<(), StoreError> {
    tx.prepare_cached(REVOKE_OTHERS)?.execute(params![user_id, keep, now()])?;
    tx.prepare_cached(REVOKE_OTHER_GRANTS)?.execute(params![user_id, keep, now()])?;
    tx.prepare_cached(END_RESETS)?.execute([user_id])?;
    Ok(())
}
