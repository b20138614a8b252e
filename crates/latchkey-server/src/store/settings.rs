//! What the server keeps about itself: the policy the console edits, with a version every node watches,
//! and secrets made by whichever node starts first.

use latchkey_proto::Policy;

use super::{Store, StoreError};

impl Store {
    /// A server secret by name, made (32 random bytes) by whichever start comes first. Called once at
    /// start-up, before the server serves, so it runs on the calling thread.
    pub fn secret(&self, name: &str) -> Result<Vec<u8>, StoreError> {
        on_backend!(self.secret(name) sync)
    }

    /// The stored policy and its version; on first start, `seed` is stored and returned. Called at
    /// start-up.
    pub fn load_policy(&self, seed: &Policy) -> Result<(Policy, i64), StoreError> {
        on_backend!(self.load_policy(seed) sync)
    }

    /// Stores a new policy; returns its version.
    pub async fn save_policy(&self, policy: &Policy) -> Result<i64, StoreError> {
        let json = serde_json::to_string(policy).map_err(|e| StoreError(e.to_string()))?;
        on_backend!(self.save_policy(json))
    }

    /// The stored policy and its version, if its version is newer than `applied` (another node changed
    /// it); an unreadable stored policy is an error.
    pub async fn policy_if_newer(&self, applied: i64) -> Result<Option<(Policy, i64)>, StoreError> {
        let Some((json, version)) = on_backend!(self.policy_if_newer(applied))? else { return Ok(None) };
        let policy = serde_json::from_str(&json).map_err(|e| StoreError(format!("stored policy: {e}")))?;
        Ok(Some((policy, version)))
    }
}
