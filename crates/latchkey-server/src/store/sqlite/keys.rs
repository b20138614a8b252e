//! SQLite: the signing keys.

use rusqlite::{Connection, params};

use super::Sqlite;
use crate::store::{KeyRow, StoreError, now};

const PUBLISHED: &str = "SELECT kid, private_key, public_key, created_at, retired_at FROM signing_keys
                         WHERE published_until IS NULL OR published_until > ?1
                         ORDER BY retired_at IS NULL DESC, created_at DESC, kid";
/// `signing_keys_one_signing` lets only one key sign, so a second first key is ignored.
const INSERT_IF_NONE_SIGNS: &str = "INSERT OR IGNORE INTO signing_keys (kid, private_key, public_key, created_at)
                                    VALUES (?1, ?2, ?3, ?4)";
const RETIRE: &str = "UPDATE signing_keys SET retired_at = ?1, published_until = ?2 WHERE retired_at IS NULL";
const INSERT: &str = "INSERT INTO signing_keys (kid, private_key, public_key, created_at) VALUES (?1, ?2, ?3, ?4)";

impl Sqlite {
    pub(in crate::store) async fn signing_keys(&self) -> Result<Vec<KeyRow>, StoreError> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(PUBLISHED)?;
            let rows = statement.query_map([now()], |r| {
                Ok(KeyRow {
                    kid: r.get(0)?,
                    private_key: r.get(1)?,
                    public_key: r.get(2)?,
                    created_at: r.get(3)?,
                    retired_at: r.get(4)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    pub(in crate::store) fn ensure_signing_key(&self, key: KeyRow) -> Result<(), StoreError> {
        self.write_now(move |tx| insert(tx, INSERT_IF_NONE_SIGNS, &key))
    }

    pub(in crate::store) async fn rotate_signing_key(
        &self,
        key: KeyRow,
        published_until: i64,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.prepare_cached(RETIRE)?.execute(params![key.created_at, published_until])?;
            insert(tx, INSERT, &key)
        })
        .await
    }
}

fn insert(conn: &Connection, sql: &str, key: &KeyRow) -> Result<(), StoreError> {
    conn.prepare_cached(sql)?.execute(params![key.kid, key.private_key, key.public_key, key.created_at])?;
    Ok(())
}
