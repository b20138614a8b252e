//! PostgreSQL: the registered applications.

use tokio_postgres::Row;

use super::Postgres;
use crate::store::{
    ClientRow, StoreError,
    clients::{decode_uris, encode_uris},
};

const INSERT: &str = "INSERT INTO clients (id, name, secret_hash, redirect_uris, post_logout_redirect_uris, created_at)
                      VALUES ($1, $2, $3, $4, $5, $6)";
const ALL: &str = "SELECT id, name, secret_hash, redirect_uris, post_logout_redirect_uris, created_at FROM clients
                   ORDER BY created_at, id";
const ONE: &str = "SELECT id, name, secret_hash, redirect_uris, post_logout_redirect_uris, created_at FROM clients
                   WHERE id = $1";
const REMOVE: &str = "DELETE FROM clients WHERE id = $1";

impl Postgres {
    pub(in crate::store) async fn add_client(&self, client: ClientRow) -> Result<(), StoreError> {
        let db = self.client().await?;
        let (redirects, logouts) = (encode_uris(&client.redirect_uris), encode_uris(&client.post_logout_redirect_uris));
        db.execute(
            &db.prepare_cached(INSERT).await?,
            &[&client.id, &client.name, &client.secret_hash, &redirects, &logouts, &client.created_at],
        )
        .await?;
        Ok(())
    }

    pub(in crate::store) async fn clients(&self) -> Result<Vec<ClientRow>, StoreError> {
        let db = self.client().await?;
        db.query(&db.prepare_cached(ALL).await?, &[]).await?.iter().map(client_row).collect()
    }

    pub(in crate::store) async fn find_client(&self, id: String) -> Result<Option<ClientRow>, StoreError> {
        let db = self.client().await?;
        db.query_opt(&db.prepare_cached(ONE).await?, &[&id]).await?.as_ref().map(client_row).transpose()
    }

    pub(in crate::store) async fn remove_client(&self, id: String) -> Result<bool, StoreError> {
        let db = self.client().await?;
        Ok(db.execute(&db.prepare_cached(REMOVE).await?, &[&id]).await? > 0)
    }
}

fn client_row(r: &Row) -> Result<ClientRow, StoreError> {
    Ok(ClientRow {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        secret_hash: r.try_get(2)?,
        redirect_uris: decode_uris(r.try_get(3)?),
        post_logout_redirect_uris: decode_uris(r.try_get(4)?),
        created_at: r.try_get(5)?,
    })
}
