//! What the server keeps about itself: the policy the console edits and secrets made on first start.

use latchkey_proto::Policy;
use rusqlite::params;

use super::{Store, StoreError, now};

const INSERT_SECRET: &str = "INSERT OR IGNORE INTO secrets (name, value) VALUES (?1, ?2)";
const SECRET: &str = "SELECT value FROM secrets WHERE name = ?1";
const SEED_POLICY: &str = "INSERT OR IGNORE INTO policy (id, json, updated_at) VALUES (1, ?1, ?2)";
const POLICY: &str = "SELECT json FROM policy WHERE id = 1";
const SAVE_POLICY: &str = "UPDATE policy SET json = ?1, updated_at = ?2 WHERE id = 1";

impl Store {
    /// A server secret by name, made (32 random bytes) by whichever start comes first. Called once at
    /// start-up, before the server serves, so it runs on the calling thread.
    pub fn secret(&self, name: &str) -> Result<Vec<u8>, StoreError> {
        let mut fresh = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut fresh);
        self.write_now(|tx| {
            tx.execute(INSERT_SECRET, params![name, fresh.as_slice()])?;
            Ok(tx.query_row(SECRET, [name], |r| r.get(0))?)
        })
    }

    /// The stored policy; on first start, `seed` is stored and returned. Called at start-up.
    pub fn load_policy(&self, seed: &Policy) -> Result<Policy, StoreError> {
        let json = serde_json::to_string(seed).map_err(|e| StoreError(e.to_string()))?;
        let stored: String = self.write_now(|tx| {
            tx.execute(SEED_POLICY, params![json, now()])?;
            Ok(tx.query_row(POLICY, [], |r| r.get(0))?)
        })?;
        serde_json::from_str(&stored).map_err(|e| StoreError(format!("stored policy: {e}")))
    }

    /// Stores a new policy.
    pub async fn save_policy(&self, policy: &Policy) -> Result<(), StoreError> {
        let json = serde_json::to_string(policy).map_err(|e| StoreError(e.to_string()))?;
        self.write(move |tx| Ok(tx.prepare_cached(SAVE_POLICY)?.execute(params![json, now()]).map(drop)?)).await
    }
}
