//! PostgreSQL: what the server keeps about itself, the policy the console edits (with the version every
//! node watches) and secrets made by whichever node starts first.

use latchkey_proto::Policy;

use super::Postgres;
use crate::store::{StoreError, now};

const INSERT_SECRET: &str = "INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
const SECRET: &str = "SELECT value FROM secrets WHERE name = $1";
const SEED_POLICY: &str = "INSERT INTO policy (id, json, updated_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING";
const POLICY: &str = "SELECT json, version FROM policy WHERE id = 1";
const SAVE_POLICY: &str = "UPDATE policy SET json = $1, updated_at = $2, version = version + 1 WHERE id = 1
                           RETURNING version";
const POLICY_VERSION: &str = "SELECT version FROM policy WHERE id = 1";

impl Postgres {
    pub(in crate::store) fn secret(&self, name: &str) -> Result<Vec<u8>, StoreError> {
        let mut fresh = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut fresh);
        self.write_now(|tx| {
            tx.execute(INSERT_SECRET, &[&name, &fresh.as_slice()])?;
            Ok(tx.query_one(SECRET, &[&name])?.try_get(0)?)
        })
    }

    pub(in crate::store) fn load_policy(&self, seed: &Policy) -> Result<(Policy, i64), StoreError> {
        let json = serde_json::to_string(seed).map_err(|e| StoreError(e.to_string()))?;
        let (stored, version): (String, i64) = self.write_now(|tx| {
            tx.execute(SEED_POLICY, &[&json, &now()])?;
            let row = tx.query_one(POLICY, &[])?;
            Ok((row.try_get(0)?, row.try_get(1)?))
        })?;
        let policy = serde_json::from_str(&stored).map_err(|e| StoreError(format!("stored policy: {e}")))?;
        Ok((policy, version))
    }

    pub(in crate::store) async fn save_policy(&self, json: String) -> Result<i64, StoreError> {
        let client = self.client().await?;
        Ok(client.query_one(&client.prepare_cached(SAVE_POLICY).await?, &[&json, &now()]).await?.try_get(0)?)
    }

    pub(in crate::store) async fn policy_if_newer(&self, applied: i64) -> Result<Option<(String, i64)>, StoreError> {
        let client = self.client().await?;
        let version: i64 = client.query_one(&client.prepare_cached(POLICY_VERSION).await?, &[]).await?.try_get(0)?;
        if version <= applied {
            return Ok(None);
        }
        let row = client.query_one(&client.prepare_cached(POLICY).await?, &[]).await?;
        Ok(Some((row.try_get(0)?, row.try_get(1)?)))
    }
}
