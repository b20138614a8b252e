//! SQLite: sign-up codes and the proofs they are exchanged for.

use rusqlite::{Connection, params};

use super::Sqlite;
use crate::store::{StoreError, now};

const ISSUE: &str = "INSERT INTO sign_up_codes (secret_hash, email, proved, expires_at) VALUES (?1, ?2, 0, ?3)";
const WITHDRAW: &str = "DELETE FROM sign_up_codes WHERE secret_hash = ?1 AND proved = 0";
/// A code is taken only for the address it was mailed to, and only while it is live.
const TAKE_CODE: &str =
    "DELETE FROM sign_up_codes WHERE secret_hash = ?1 AND email = ?2 AND proved = 0 AND expires_at > ?3";
const END_CODES: &str = "DELETE FROM sign_up_codes WHERE email = ?1 AND proved = 0";
const PROVE: &str = "INSERT INTO sign_up_codes (secret_hash, email, proved, expires_at) VALUES (?1, ?2, 1, ?3)";
const LIVE_PROOF: &str = "SELECT EXISTS (SELECT 1 FROM sign_up_codes
                                        WHERE secret_hash = ?1 AND email = ?2 AND proved = 1 AND expires_at > ?3)";
const USE_PROOF: &str =
    "DELETE FROM sign_up_codes WHERE secret_hash = ?1 AND email = ?2 AND proved = 1 AND expires_at > ?3";

impl Sqlite {
    pub(in crate::store) async fn issue_sign_up_code(
        &self,
        email: String,
        code_hash: Vec<u8>,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        self.write(move |tx| Ok(tx.prepare_cached(ISSUE)?.execute(params![code_hash, email, expires_at]).map(drop)?))
            .await
    }

    pub(in crate::store) async fn withdraw_sign_up_code(&self, code_hash: Vec<u8>) -> Result<(), StoreError> {
        self.write(move |tx| Ok(tx.prepare_cached(WITHDRAW)?.execute([code_hash]).map(drop)?)).await
    }

    pub(in crate::store) async fn prove_sign_up_code(
        &self,
        email: String,
        code_hash: Vec<u8>,
        proof_hash: Vec<u8>,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| {
            if tx.prepare_cached(TAKE_CODE)?.execute(params![code_hash, email, now()])? == 0 {
                return Ok(false);
            }
            tx.prepare_cached(END_CODES)?.execute([&email])?;
            tx.prepare_cached(PROVE)?.execute(params![proof_hash, email, expires_at])?;
            Ok(true)
        })
        .await
    }

    pub(in crate::store) async fn sign_up_proof_is_live(
        &self,
        email: String,
        proof_hash: Vec<u8>,
    ) -> Result<bool, StoreError> {
        self.read(move |conn| {
            Ok(conn.prepare_cached(LIVE_PROOF)?.query_row(params![proof_hash, email, now()], |r| r.get(0))?)
        })
        .await
    }
}

/// Uses up a live proof of `email` inside the transaction that creates the account;
/// `false` when it is spent or expired.
pub(super) fn use_proof(tx: &Connection, email: &str, proof_hash: &[u8]) -> Result<bool, StoreError> {
    Ok(tx.prepare_cached(USE_PROOF)?.execute(params![proof_hash, email.to_ascii_lowercase(), now()])? == 1)
}
