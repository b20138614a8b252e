//! PostgreSQL: the signing keys.

use super::Postgres;
use crate::store::{KeyRow, StoreError, now};

const PUBLISHED: &str = "SELECT kid, private_key, public_key, created_at, retired_at FROM signing_keys
                         WHERE published_until IS NULL OR published_until > $1
                         ORDER BY retired_at IS NULL DESC, created_at DESC, kid";
/// Nodes starting at once on an empty database all try; `signing_keys_one_signing` lets one key in.
const INSERT_IF_NONE_SIGNS: &str = "INSERT INTO signing_keys (kid, private_key, public_key, created_at)
                                    VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
const RETIRE: &str = "UPDATE signing_keys SET retired_at = $1, published_until = $2 WHERE retired_at IS NULL";
const INSERT: &str = "INSERT INTO signing_keys (kid, private_key, public_key, created_at) VALUES ($1, $2, $3, $4)";

impl Postgres {
    pub(in crate::store) async fn signing_keys(&self) -> Result<Vec<KeyRow>, StoreError> {
        let db = self.client().await?;
        let rows = db.query(&db.prepare_cached(PUBLISHED).await?, &[&now()]).await?;
        rows.iter()
            .map(|r| {
                Ok(KeyRow {
                    kid: r.try_get(0)?,
                    private_key: r.try_get(1)?,
                    public_key: r.try_get(2)?,
                    created_at: r.try_get(3)?,
                    retired_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    pub(in crate::store) fn ensure_signing_key(&self, key: KeyRow) -> Result<(), StoreError> {
        self.write_now(|tx| {
            tx.execute(INSERT_IF_NONE_SIGNS, &[&key.kid, &key.private_key, &key.public_key, &key.created_at])?;
            Ok(())
        })
    }

    pub(in crate::store) async fn rotate_signing_key(
        &self,
        key: KeyRow,
        published_until: i64,
    ) -> Result<(), StoreError> {
        let mut db = self.client().await?;
        let tx = db.transaction().await?;
        tx.execute(RETIRE, &[&key.created_at, &published_until]).await?;
        tx.execute(INSERT, &[&key.kid, &key.private_key, &key.public_key, &key.created_at]).await?;
        tx.commit().await?;
        Ok(())
    }
}
