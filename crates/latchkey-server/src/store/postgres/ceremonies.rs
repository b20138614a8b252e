//! PostgreSQL: ceremonies in flight, stored at the start and taken for good at the finish.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::{Postgres, passkeys};
use crate::{
    passkey::StoredPasskey,
    store::{CeremonyKind, CeremonyRow, PendingUser, StoreError, Taken},
};

const INSERT: &str = "INSERT INTO ceremonies (id, kind, state, user_handle, email, display_name, user_id,
                                              then_sign_in, expires_at, from_account, email_proof)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
const TAKE: &str = "DELETE FROM ceremonies WHERE id = $1 AND kind = ANY($2)
                    RETURNING state, user_handle, email, display_name, expires_at, user_id, then_sign_in, kind,
                              from_account, email_proof";
const PEEK_ENROLLMENT: &str = "SELECT user_id, expires_at FROM ceremonies
                               WHERE id = $1 AND kind = 'enroll_second_factor' AND user_id IS NOT NULL";

impl Postgres {
    pub(in crate::store) async fn insert_ceremony(
        &self,
        id: String,
        kind: CeremonyKind,
        row: CeremonyRow,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        let user = row.pending_user.as_ref();
        client
            .execute(
                &client.prepare_cached(INSERT).await?,
                &[
                    &id,
                    &kind.as_str(),
                    &row.state,
                    &user.map(|u| &u.handle),
                    &user.map(|u| &u.email),
                    &user.map(|u| &u.display_name),
                    &row.user_id,
                    &row.then_sign_in,
                    &row.expires_at,
                    &row.from_account,
                    &user.and_then(|u| u.proof.as_ref()),
                ],
            )
            .await?;
        Ok(())
    }

    pub(in crate::store) async fn take_ceremony(
        &self,
        id: String,
        kinds: &'static [CeremonyKind],
    ) -> Result<Taken, StoreError> {
        take(&self.client().await?, &id, kinds).await
    }

    pub(in crate::store) async fn take_ceremony_and_passkey(
        &self,
        id: String,
        kinds: &'static [CeremonyKind],
        credential_id: Vec<u8>,
    ) -> Result<(Taken, Option<StoredPasskey>), StoreError> {
        let client = self.client().await?;
        // Two statements pipelined in one round trip; no transaction is needed, since the passkey's
        // state is checked again when the sign-in is recorded.
        tokio::try_join!(take(&client, &id, kinds), passkeys::find(&client, &credential_id))
    }

    pub(in crate::store) async fn peek_enrollment(&self, id: String) -> Result<Option<(i64, i64)>, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt(&client.prepare_cached(PEEK_ENROLLMENT).await?, &[&id]).await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }
}

async fn take(client: &impl GenericClient, id: &str, kinds: &[CeremonyKind]) -> Result<Taken, StoreError> {
    let names: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
    let row = client.query_opt(&client.prepare_cached(TAKE).await?, &[&id, &names]).await?;
    let Some(row) = row else { return Ok(None) };
    let (name, ceremony) = taken_row(&row)?;
    Ok(CeremonyKind::from_str(&name).map(|kind| (kind, ceremony)))
}

fn taken_row(r: &Row) -> Result<(String, CeremonyRow), StoreError> {
    let handle: Option<Vec<u8>> = r.try_get(1)?;
    let email: Option<String> = r.try_get(2)?;
    let display_name: Option<String> = r.try_get(3)?;
    let pending_user = match (handle, email, display_name) {
        (Some(handle), Some(email), Some(display_name)) => {
            Some(PendingUser { handle, email, display_name, proof: r.try_get(9)? })
        }
        _ => None,
    };
    let row = CeremonyRow {
        state: r.try_get(0)?,
        pending_user,
        expires_at: r.try_get(4)?,
        user_id: r.try_get(5)?,
        then_sign_in: r.try_get(6)?,
        from_account: r.try_get(8)?,
    };
    Ok((r.try_get(7)?, row))
}
