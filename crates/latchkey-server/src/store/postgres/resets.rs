//! PostgreSQL: passwords and their reset links, a password set or reset in the transaction that ends
//! what the old one opened.

use deadpool_postgres::GenericClient;

use super::{
    Postgres,
    passkeys::{COUNT, exists, insert},
    unique_violation,
};
use crate::{
    passkey::NewPasskey,
    store::{AddPasskeyRefused, Recovered, Reset, ResetRefused, StoreError, now},
};

const LIVE_TOKEN: &str = "SELECT EXISTS (SELECT 1 FROM password_resets WHERE token_hash = $1 AND expires_at > $2)";
const TOKEN_OWNER: &str = "SELECT user_id FROM password_resets WHERE token_hash = $1";
/// Takes the token, checked again under the account's lock: a recovery may have used it meanwhile.
const TAKE_TOKEN: &str = "DELETE FROM password_resets WHERE token_hash = $1 AND user_id = $2 RETURNING expires_at";
/// Takes the token if it is live and for this account, under the account's lock.
const TAKE_LIVE_TOKEN_OF: &str =
    "DELETE FROM password_resets WHERE token_hash = $1 AND user_id = $2 AND expires_at > $3";
const END_CEREMONIES: &str = "DELETE FROM ceremonies WHERE user_id = $1";
const SET_HASH: &str = "UPDATE users SET password_hash = $2 WHERE id = $1";
const REVOKE_OTHERS: &str = "UPDATE sessions SET revoked_at = $3
                             WHERE user_id = $1 AND ($2::BYTEA IS NULL OR id_hash != $2) AND revoked_at IS NULL";
/// The applications' grants end with the password, but those of the session that changed it.
const REVOKE_OTHER_GRANTS: &str = "UPDATE grants SET revoked_at = $3
                                   WHERE user_id = $1 AND ($2::BYTEA IS NULL OR session_hash != $2) AND revoked_at IS NULL";
const TOKEN_ACCOUNT: &str = "SELECT user_id FROM password_resets WHERE token_hash = $1 AND expires_at > $2";
/// A claimed account's password goes with its passkeys.
const END_PASSWORD: &str = "UPDATE users SET password_hash = NULL WHERE id = $1";
/// Locks the account (as a sign-in starting a session does) and says whether its email is unproved
/// and whether it is disabled.
const LOCK_STATE: &str =
    "SELECT email_verified_at IS NULL, disabled_at IS NOT NULL FROM users WHERE id = $1 FOR NO KEY UPDATE";
const ISSUE: &str = "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)";
const WITHDRAW: &str = "DELETE FROM password_resets WHERE token_hash = $1";
/// The first proof of the email: changes a row only if there was none before.
const PROVE_EMAIL: &str = "UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL";
/// A claimed account's passkeys go (their sessions end with the password's replacement).
const END_PASSKEYS: &str = "DELETE FROM passkeys WHERE user_id = $1";
/// The account is locked first, as every change to its ways in locks it, so a sign-in starting a
/// session (which locks it too) cannot wait on this change in the other order.
const LOCK_ACCOUNT: &str = "SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE";
/// The session that changed the password goes on under a new ID, its grants with it.
const RENEW_SESSION: &str = "UPDATE sessions SET id_hash = $2 WHERE id_hash = $1 AND revoked_at IS NULL";
const RENEW_GRANTS: &str = "UPDATE grants SET session_hash = $2 WHERE session_hash = $1";
const END_RESETS: &str = "DELETE FROM password_resets WHERE user_id = $1";

impl Postgres {
    pub(in crate::store) async fn reset_token_is_live(&self, token_hash: Vec<u8>) -> Result<bool, StoreError> {
        let client = self.client().await?;
        Ok(client.query_one(&client.prepare_cached(LIVE_TOKEN).await?, &[&token_hash, &now()]).await?.try_get(0)?)
    }

    pub(in crate::store) async fn reset_password(
        &self,
        token_hash: Vec<u8>,
        password_hash: String,
    ) -> Result<Result<Reset, ResetRefused>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(owner) = tx.query_opt(&tx.prepare_cached(TOKEN_OWNER).await?, &[&token_hash]).await? else {
            return Ok(Err(ResetRefused::LinkInvalid));
        };
        let user_id: i64 = owner.try_get(0)?;
        // The account is locked before the token is taken, in the order a recovery on the same link
        // takes them, so the two wait on each other instead of deadlocking. Every refusal but an
        // expired link returns before the commit, so the dropped transaction rolls back.
        let Some(state) = tx.query_opt(&tx.prepare_cached(LOCK_STATE).await?, &[&user_id]).await? else {
            return Ok(Err(ResetRefused::LinkInvalid));
        };
        if state.try_get::<_, bool>(1)? {
            return Ok(Err(ResetRefused::AccountDisabled));
        }
        let taken = tx.query_opt(&tx.prepare_cached(TAKE_TOKEN).await?, &[&token_hash, &user_id]).await?;
        let Some(taken) = taken else { return Ok(Err(ResetRefused::LinkInvalid)) };
        let time = now();
        if taken.try_get::<_, i64>(0)? <= time {
            // An expired token is used up too: committing keeps it deleted.
            tx.commit().await?;
            return Ok(Err(ResetRefused::LinkInvalid));
        }
        let claimed = if tx.execute(PROVE_EMAIL, &[&user_id, &time]).await? > 0 {
            Some(tx.execute(END_PASSKEYS, &[&user_id]).await?)
        } else {
            None
        };
        replace_password(&tx, user_id, &password_hash, None).await?;
        tx.execute(&tx.prepare_cached(END_CEREMONIES).await?, &[&user_id]).await?;
        tx.commit().await?;
        Ok(Ok(Reset { user_id, claimed }))
    }

    pub(in crate::store) async fn recover_with_passkey(
        &self,
        token_hash: Vec<u8>,
        user_id: i64,
        passkey: NewPasskey,
        max: u32,
    ) -> Result<Result<Recovered, AddPasskeyRefused>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let time = now();
        // Every refusal returns before the commit, so the dropped transaction rolls back.
        let Some(state) = tx.query_opt(&tx.prepare_cached(LOCK_STATE).await?, &[&user_id]).await? else {
            return Ok(Err(AddPasskeyRefused::LinkUsed));
        };
        let (claims, disabled): (bool, bool) = (state.try_get(0)?, state.try_get(1)?);
        if disabled {
            return Ok(Err(AddPasskeyRefused::AccountDisabled));
        }
        let take = tx.prepare_cached(TAKE_LIVE_TOKEN_OF).await?;
        if tx.execute(&take, &[&token_hash, &user_id, &time]).await? == 0 {
            return Ok(Err(AddPasskeyRefused::LinkUsed));
        }
        // WebAuthn §7.1 step 26: a credential ID registered to any account already is refused.
        if exists(&tx, &passkey.credential_id).await? {
            return Ok(Err(AddPasskeyRefused::CredentialExists));
        }
        let count: i64 = tx.query_one(&tx.prepare_cached(COUNT).await?, &[&user_id]).await?.try_get(0)?;
        if !claims && count >= i64::from(max) {
            return Ok(Err(AddPasskeyRefused::TooMany));
        }
        let claimed = if claims {
            tx.execute(PROVE_EMAIL, &[&user_id, &time]).await?;
            tx.execute(END_PASSWORD, &[&user_id]).await?;
            Some(tx.execute(END_PASSKEYS, &[&user_id]).await?)
        } else {
            None
        };
        end_ways_in(&tx, user_id, None).await?;
        tx.execute(&tx.prepare_cached(END_CEREMONIES).await?, &[&user_id]).await?;
        let passkey_id = match insert(&tx, user_id, &passkey).await {
            Err(e) if unique_violation(&e).is_some() => return Ok(Err(AddPasskeyRefused::CredentialExists)),
            inserted => inserted?,
        };
        tx.commit().await?;
        Ok(Ok(Recovered { passkey_id, claimed }))
    }

    pub(in crate::store) async fn reset_token_account(&self, token_hash: Vec<u8>) -> Result<Option<i64>, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt(&client.prepare_cached(TOKEN_ACCOUNT).await?, &[&token_hash, &now()]).await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    pub(in crate::store) async fn set_password(
        &self,
        user_id: i64,
        password_hash: String,
        keep: Vec<u8>,
        renewed: Vec<u8>,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.query_opt(&tx.prepare_cached(LOCK_ACCOUNT).await?, &[&user_id]).await?;
        // The renewal comes first and changes nothing when the session has ended (or a change sent twice
        // renewed it already); the transaction is then dropped, which rolls it back.
        if tx.execute(&tx.prepare_cached(RENEW_SESSION).await?, &[&keep, &renewed]).await? == 0 {
            return Ok(false);
        }
        tx.execute(&tx.prepare_cached(RENEW_GRANTS).await?, &[&keep, &renewed]).await?;
        replace_password(&tx, user_id, &password_hash, Some(&renewed)).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(in crate::store) async fn issue_reset_token(
        &self,
        user_id: i64,
        token_hash: Vec<u8>,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.execute(&client.prepare_cached(ISSUE).await?, &[&token_hash, &user_id, &expires_at]).await?;
        Ok(())
    }

    pub(in crate::store) async fn withdraw_reset_token(&self, token_hash: Vec<u8>) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.execute(&client.prepare_cached(WITHDRAW).await?, &[&token_hash]).await?;
        Ok(())
    }
}

async fn replace_password(
    tx: &impl GenericClient,
    user_id: i64,
    password_hash: &str,
    keep: Option<&[u8]>,
) -> Result<(), StoreError> {
    tx.execute(&tx.prepare_cached(SET_HASH).await?, &[&user_id, &password_hash]).await?;
    end_ways_in(tx, user_id, keep).await
}

/// Ends every session of the account but `keep`, their grants, and its reset links. Runs inside the
/// caller's transaction.
async fn end_ways_in(tx: &impl GenericClient, user_id: i64, keep: Option<&[u8]>) -> Result<(), StoreError> {
    tx.execute(&tx.prepare_cached(REVOKE_OTHERS).await?, &[&user_id, &keep, &now()]).await?;
    tx.execute(&tx.prepare_cached(REVOKE_OTHER_GRANTS).await?, &[&user_id, &keep, &now()]).await?;
    tx.execute(&tx.prepare_cached(END_RESETS).await?, &[&user_id]).await?;
    Ok(())
}
