//! SQLite: what the server keeps about itself, the policy the console edits (with its version) and
//! secrets made on first start.

use latchkey_proto::Policy;
use rusqlite::{OptionalExtension, params};

use super::Sqlite;
use crate::store::{StoreError, now};

const INSERT_SECRET: &str = "INSERT OR IGNORE INTO secrets (name, value) VALUES (?1, ?2)";
const SECRET: &str = "SELECT value FROM secrets WHERE name = ?1";
const SEED_POLICY: &str = "INSERT OR IGNORE INTO policy (id, json, updated_at) VALUES (1, ?1, ?2)";
const POLICY: &str = "SELECT json, version FROM policy WHERE id = 1";
const SAVE_POLICY: &str = "UPDATE policy SET json = ?1, updated_at = ?2, version = version + 1 WHERE id = 1
                           RETURNING version";
const NEWER_POLICY: &str = "SELECT json, version FROM policy WHERE id = 1 AND version > ?1";

impl Sqlite {
    pub(in crate::store) fn secret(&self, name: &str) -> Result<Vec<u8>, StoreError> {
        let mut fresh = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut fresh);
        let name = name.to_owned();
        self.write_now(move |tx| {
            tx.execute(INSERT_SECRET, params![name, fresh.as_slice()])?;
            Ok(tx.query_row(SECRET, [name], |r| r.get(0))?)
        })
    }

    pub(in crate::store) fn load_policy(&self, seed: &Policy) -> Result<(Policy, i64), StoreError> {
        let json = serde_json::to_string(seed).map_err(|e| StoreError(e.to_string()))?;
        let (stored, version): (String, i64) = self.write_now(move |tx| {
            tx.execute(SEED_POLICY, params![json, now()])?;
            Ok(tx.query_row(POLICY, [], |r| Ok((r.get(0)?, r.get(1)?)))?)
        })?;
        let policy = serde_json::from_str(&stored).map_err(|e| StoreError(format!("stored policy: {e}")))?;
        Ok((policy, version))
    }

    pub(in crate::store) async fn save_policy(&self, json: String) -> Result<i64, StoreError> {
        self.write(move |tx| Ok(tx.prepare_cached(SAVE_POLICY)?.query_row(params![json, now()], |r| r.get(0))?)).await
    }

    pub(in crate::store) async fn policy_if_newer(&self, applied: i64) -> Result<Option<(String, i64)>, StoreError> {
        self.read(move |conn| {
            Ok(conn.prepare_cached(NEWER_POLICY)?.query_row([applied], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
        })
        .await
    }
}
