//! Sign-up codes (the policy's `email_verification = "before_sign_up"`): a code mailed to an address,
//! minted as its mail is sent, and the proof a correct code is exchanged for, which the transaction that
//! creates the account uses up. Both are stored as hashes only; addresses are keyed ASCII-lowercased.

use super::{Store, StoreError};

impl Store {
    /// Stores the hash of a code mailed to `email`, minted as its mail is sent, live until `expires_at`.
    pub async fn issue_sign_up_code(
        &self,
        email: String,
        code_hash: Vec<u8>,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let email = email.to_ascii_lowercase();
        on_backend!(self.issue_sign_up_code(email, code_hash, expires_at))
    }

    /// Removes a code whose mail could not be sent.
    pub async fn withdraw_sign_up_code(&self, code_hash: Vec<u8>) -> Result<(), StoreError> {
        on_backend!(self.withdraw_sign_up_code(code_hash))
    }

    /// Exchanges a live code of `email` for a proof, in one transaction: takes the code (single use), ends
    /// the address's other codes, and stores the proof's hash, live until `expires_at`. `false`, with
    /// nothing changed, when the code is wrong, used or expired.
    pub async fn prove_sign_up_code(
        &self,
        email: String,
        code_hash: Vec<u8>,
        proof_hash: Vec<u8>,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        let email = email.to_ascii_lowercase();
        on_backend!(self.prove_sign_up_code(email, code_hash, proof_hash, expires_at))
    }

    /// Whether `proof_hash` is a live proof of `email`, checked when a sign-up starts (the account's
    /// creation uses it up).
    pub async fn sign_up_proof_is_live(&self, email: String, proof_hash: Vec<u8>) -> Result<bool, StoreError> {
        let email = email.to_ascii_lowercase();
        on_backend!(self.sign_up_proof_is_live(email, proof_hash))
    }
}
