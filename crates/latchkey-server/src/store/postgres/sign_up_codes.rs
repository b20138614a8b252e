//! PostgreSQL: sign-up codes and the proofs they are exchanged for.

use deadpool_postgres::GenericClient;

use super::Postgres;
use crate::store::{StoreError, now};

const ISSUE: &str = "INSERT INTO sign_up_codes (secret_hash, email, proved, expires_at) VALUES ($1, $2, false, $3)";
const WITHDRAW: &str = "DELETE FROM sign_up_codes WHERE secret_hash = $1 AND NOT proved";
/// Exchanges of one address's codes take turns: two right codes entered at once would otherwise each
/// delete their own row and then wait for the other's (a deadlock).
const LOCK_ADDRESS: &str = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";
/// A code is taken only for the address it was mailed to, and only while it is live; of two requests
/// racing with one code, one deletes the row and the other finds none.
const TAKE_CODE: &str =
    "DELETE FROM sign_up_codes WHERE secret_hash = $1 AND email = $2 AND NOT proved AND expires_at > $3";
const END_CODES: &str = "DELETE FROM sign_up_codes WHERE email = $1 AND NOT proved";
const PROVE: &str = "INSERT INTO sign_up_codes (secret_hash, email, proved, expires_at) VALUES ($1, $2, true, $3)";
const LIVE_PROOF: &str = "SELECT EXISTS (SELECT 1 FROM sign_up_codes
                                        WHERE secret_hash = $1 AND email = $2 AND proved AND expires_at > $3)";
const USE_PROOF: &str =
    "DELETE FROM sign_up_codes WHERE secret_hash = $1 AND email = $2 AND proved AND expires_at > $3";

impl Postgres {
    pub(in crate::store) async fn issue_sign_up_code(
        &self,
        email: String,
        code_hash: Vec<u8>,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.execute(&client.prepare_cached(ISSUE).await?, &[&code_hash, &email, &expires_at]).await?;
        Ok(())
    }

    pub(in crate::store) async fn withdraw_sign_up_code(&self, code_hash: Vec<u8>) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.execute(&client.prepare_cached(WITHDRAW).await?, &[&code_hash]).await?;
        Ok(())
    }

    pub(in crate::store) async fn prove_sign_up_code(
        &self,
        email: String,
        code_hash: Vec<u8>,
        proof_hash: Vec<u8>,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute(&tx.prepare_cached(LOCK_ADDRESS).await?, &[&email]).await?;
        if tx.execute(&tx.prepare_cached(TAKE_CODE).await?, &[&code_hash, &email, &now()]).await? == 0 {
            return Ok(false);
        }
        tx.execute(&tx.prepare_cached(END_CODES).await?, &[&email]).await?;
        tx.execute(&tx.prepare_cached(PROVE).await?, &[&proof_hash, &email, &expires_at]).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(in crate::store) async fn sign_up_proof_is_live(
        &self,
        email: String,
        proof_hash: Vec<u8>,
    ) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let row = client.query_one(&client.prepare_cached(LIVE_PROOF).await?, &[&proof_hash, &email, &now()]).await?;
        Ok(row.try_get(0)?)
    }
}

/// Uses up a live proof of `email` inside the transaction that creates the account;
/// `false` when it is spent or expired.
pub(super) async fn use_proof(tx: &impl GenericClient, email: &str, proof_hash: &[u8]) -> Result<bool, StoreError> {
    Ok(tx.execute(&tx.prepare_cached(USE_PROOF).await?, &[&proof_hash, &email.to_ascii_lowercase(), &now()]).await?
        == 1)
}
