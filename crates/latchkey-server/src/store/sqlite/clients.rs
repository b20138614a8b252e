//! SQLite: the registered applications.

use rusqlite::{OptionalExtension, Row, params};

use super::Sqlite;
use crate::store::{
    ClientRow, StoreError,
    clients::{decode_uris, encode_uris},
};

const INSERT: &str = "INSERT INTO clients (id, name, secret_hash, redirect_uris, post_logout_redirect_uris, created_at)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const COLUMNS: &str = "SELECT id, name, secret_hash, redirect_uris, post_logout_redirect_uris, created_at FROM clients";
const REMOVE: &str = "DELETE FROM clients WHERE id = ?1";

impl Sqlite {
    pub(in crate::store) async fn add_client(&self, client: ClientRow) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.prepare_cached(INSERT)?.execute(params![
                client.id,
                client.name,
                client.secret_hash,
                encode_uris(&client.redirect_uris),
                encode_uris(&client.post_logout_redirect_uris),
                client.created_at
            ])?;
            Ok(())
        })
        .await
    }

    pub(in crate::store) async fn clients(&self) -> Result<Vec<ClientRow>, StoreError> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(&format!("{COLUMNS} ORDER BY created_at, id"))?;
            let rows = statement.query_map([], client_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    pub(in crate::store) async fn find_client(&self, id: String) -> Result<Option<ClientRow>, StoreError> {
        self.read(move |conn| {
            Ok(conn.prepare_cached(&format!("{COLUMNS} WHERE id = ?1"))?.query_row([id], client_row).optional()?)
        })
        .await
    }

    pub(in crate::store) async fn remove_client(&self, id: String) -> Result<bool, StoreError> {
        self.write(move |tx| Ok(tx.prepare_cached(REMOVE)?.execute([id])? > 0)).await
    }
}

fn client_row(r: &Row<'_>) -> rusqlite::Result<ClientRow> {
    Ok(ClientRow {
        id: r.get(0)?,
        name: r.get(1)?,
        secret_hash: r.get(2)?,
        redirect_uris: decode_uris(&r.get::<_, String>(3)?),
        post_logout_redirect_uris: decode_uris(&r.get::<_, String>(4)?),
        created_at: r.get(5)?,
    })
}
