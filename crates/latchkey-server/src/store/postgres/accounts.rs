//! PostgreSQL: accounts (the `users` table), created with a passkey or a password, looked up by email
//! (ASCII case folded, as SQLite's `NOCASE`) or row ID, and the answer to the passkey offer.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::{Postgres, passkeys, sign_up_codes, unique_violation};
use crate::{
    passkey::{Descriptor, NewPasskey},
    store::{Account, CreateAccountError, Created, PendingUser, StoreError, now},
};

/// The unique index on emails with ASCII case folded (`users_by_email` in the migrations).
const EMAIL_KEY: &str = "users_by_email";

const EMAIL_EXISTS: &str =
    "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email COLLATE \"C\") = lower($1 COLLATE \"C\"))";
/// A sign-up with a proof of its email records the email as verified when the account is made.
const INSERT: &str = "INSERT INTO users (handle, email, display_name, created_at, password_hash, email_verified_at)
                      VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
const ID_BY_EMAIL: &str = "SELECT id FROM users WHERE lower(email COLLATE \"C\") = lower($1 COLLATE \"C\")";
const ACCOUNT_BY_EMAIL: &str = "SELECT u.id, u.handle, u.email, u.display_name, u.password_hash,
                                       (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id),
                                       NOT u.passkey_offer_declined AND u.passkey_offer_after <= $2,
                                       u.email_verified_at IS NOT NULL, u.disabled_at IS NOT NULL
                                FROM users u WHERE lower(u.email COLLATE \"C\") = lower($1 COLLATE \"C\")";
const ACCOUNT_BY_ID: &str = "SELECT u.id, u.handle, u.email, u.display_name, u.password_hash,
                                    (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id),
                                    NOT u.passkey_offer_declined AND u.passkey_offer_after <= $2,
                                    u.email_verified_at IS NOT NULL, u.disabled_at IS NOT NULL
                             FROM users u WHERE u.id = $1";
const SNOOZE_OFFER: &str = "UPDATE users SET passkey_offer_after = $2 WHERE id = $1";
const DECLINE_OFFER: &str = "UPDATE users SET passkey_offer_declined = true WHERE id = $1";

impl Postgres {
    pub(in crate::store) async fn email_exists(&self, email: String) -> Result<bool, StoreError> {
        email_exists(&self.client().await?, &email).await
    }

    pub(in crate::store) async fn create_account(
        &self,
        user: PendingUser,
        passkey: NewPasskey,
    ) -> Result<Result<Created, CreateAccountError>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        if email_exists(&tx, &user.email).await? {
            return Ok(Err(CreateAccountError::EmailTaken));
        }
        if passkeys::exists(&tx, &passkey.credential_id).await? {
            return Ok(Err(CreateAccountError::CredentialExists));
        }
        if !proof_used(&tx, &user).await? {
            return Ok(Err(CreateAccountError::ProofSpent));
        }
        // Another node may create the same account or passkey between the checks and the inserts; the
        // unique indexes catch it, and the refusal is the same as the check's.
        let user_id = match insert(&tx, &user, None).await {
            Err(e) if unique_violation(&e) == Some(EMAIL_KEY) => return Ok(Err(CreateAccountError::EmailTaken)),
            inserted => inserted?,
        };
        let passkey_id = match passkeys::insert(&tx, user_id, &passkey).await {
            Err(e) if unique_violation(&e) == Some(passkeys::CREDENTIAL_ID_KEY) => {
                return Ok(Err(CreateAccountError::CredentialExists));
            }
            inserted => inserted?,
        };
        tx.commit().await?;
        Ok(Ok(Created { user_id, passkey_id }))
    }

    pub(in crate::store) async fn create_password_account(
        &self,
        user: PendingUser,
        password_hash: String,
    ) -> Result<Result<i64, CreateAccountError>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        if email_exists(&tx, &user.email).await? {
            return Ok(Err(CreateAccountError::EmailTaken));
        }
        if !proof_used(&tx, &user).await? {
            return Ok(Err(CreateAccountError::ProofSpent));
        }
        let user_id = match insert(&tx, &user, Some(&password_hash)).await {
            Err(e) if unique_violation(&e) == Some(EMAIL_KEY) => return Ok(Err(CreateAccountError::EmailTaken)),
            inserted => inserted?,
        };
        tx.commit().await?;
        Ok(Ok(user_id))
    }

    pub(in crate::store) async fn find_account(&self, email: String) -> Result<Option<Account>, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt(&client.prepare_cached(ACCOUNT_BY_EMAIL).await?, &[&email, &now()]).await?;
        row.as_ref().map(account).transpose()
    }

    pub(in crate::store) async fn find_account_by_id(&self, user_id: i64) -> Result<Option<Account>, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt(&client.prepare_cached(ACCOUNT_BY_ID).await?, &[&user_id, &now()]).await?;
        row.as_ref().map(account).transpose()
    }

    pub(in crate::store) async fn identify(&self, email: String) -> Result<(Option<i64>, Vec<Descriptor>), StoreError> {
        let client = self.client().await?;
        let row = client.query_opt(&client.prepare_cached(ID_BY_EMAIL).await?, &[&email]).await?;
        let user_id: Option<i64> = row.map(|r| r.try_get(0)).transpose()?;
        let passkeys = passkeys::descriptors(&client, user_id.unwrap_or(0)).await?;
        Ok((user_id, passkeys))
    }

    pub(in crate::store) async fn decline_passkey_offer(
        &self,
        user_id: i64,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        match until {
            Some(until) => client.execute(&client.prepare_cached(SNOOZE_OFFER).await?, &[&user_id, &until]).await?,
            None => client.execute(&client.prepare_cached(DECLINE_OFFER).await?, &[&user_id]).await?,
        };
        Ok(())
    }
}

async fn email_exists(client: &impl GenericClient, email: &str) -> Result<bool, StoreError> {
    Ok(client.query_one(&client.prepare_cached(EMAIL_EXISTS).await?, &[&email]).await?.try_get(0)?)
}

async fn insert(
    client: &impl GenericClient,
    user: &PendingUser,
    password_hash: Option<&str>,
) -> Result<i64, tokio_postgres::Error> {
    let statement = client.prepare_cached(INSERT).await?;
    let time = now();
    let verified_at = user.proof.as_ref().map(|_| time);
    let row = client
        .query_one(&statement, &[&user.handle, &user.email, &user.display_name, &time, &password_hash, &verified_at])
        .await?;
    row.try_get(0)
}

/// Uses up the sign-up's proof of its email, if it presented one: `false` when that proof is spent.
async fn proof_used(tx: &impl GenericClient, user: &PendingUser) -> Result<bool, StoreError> {
    match &user.proof {
        Some(proof) => sign_up_codes::use_proof(tx, &user.email, proof).await,
        None => Ok(true),
    }
}

fn account(r: &Row) -> Result<Account, StoreError> {
    let passkeys: i64 = r.try_get(5)?;
    Ok(Account {
        id: r.try_get(0)?,
        handle: r.try_get(1)?,
        email: r.try_get(2)?,
        display_name: r.try_get(3)?,
        password_hash: r.try_get(4)?,
        passkeys: u32::try_from(passkeys).unwrap_or(u32::MAX),
        offer_passkey: r.try_get(6)?,
        email_verified: r.try_get(7)?,
        disabled: r.try_get(8)?,
    })
}
