//! SQLite: Ceremonies in flight: stored at the start, taken for good at the finish.

use rusqlite::{OptionalExtension, Row, params};

use super::{Sqlite, passkeys};
use crate::{
    passkey::StoredPasskey,
    store::{CeremonyKind, CeremonyRow, PendingUser, StoreError, Taken},
};

const INSERT: &str = "INSERT INTO ceremonies (id, kind, state, user_handle, email, display_name, user_id,
                                              then_sign_in, expires_at, from_account, email_proof)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/// `?2` is a comma-framed list of kind names (`,identified,second_factor,`): a filter on the one row
/// the primary key finds, so a ceremony of another kind is left in place.
const TAKE: &str = "DELETE FROM ceremonies WHERE id = ?1 AND instr(?2, ',' || kind || ',') > 0
                    RETURNING state, user_handle, email, display_name, expires_at, user_id, then_sign_in, kind,
                              from_account, email_proof";

const PEEK_ENROLLMENT: &str = "SELECT user_id, expires_at FROM ceremonies
                               WHERE id = ?1 AND kind = 'enroll_second_factor' AND user_id IS NOT NULL";

impl Sqlite {
    /// Stores a started ceremony under its random ID.
    pub(in crate::store) async fn insert_ceremony(
        &self,
        id: String,
        kind: CeremonyKind,
        row: CeremonyRow,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            let user = row.pending_user.as_ref();
            tx.prepare_cached(INSERT)?.execute(params![
                id,
                kind.as_str(),
                row.state,
                user.map(|u| &u.handle),
                user.map(|u| &u.email),
                user.map(|u| &u.display_name),
                row.user_id,
                row.then_sign_in,
                row.expires_at,
                row.from_account,
                user.and_then(|u| u.proof.as_ref())
            ])?;
            Ok(())
        })
        .await
    }

    /// Removes and returns a ceremony of one of `kinds`: the delete-on-read makes every ceremony single
    /// use, even when two finishes race.
    pub(in crate::store) async fn take_ceremony(
        &self,
        id: String,
        kinds: &'static [CeremonyKind],
    ) -> Result<Taken, StoreError> {
        self.write(move |tx| take(tx, &id, kinds)).await
    }

    /// A sign-in's first step in one trip: takes its ceremony and looks up the passkey the browser used.
    pub(in crate::store) async fn take_ceremony_and_passkey(
        &self,
        id: String,
        kinds: &'static [CeremonyKind],
        credential_id: Vec<u8>,
    ) -> Result<(Taken, Option<StoredPasskey>), StoreError> {
        self.write(move |tx| Ok((take(tx, &id, kinds)?, passkeys::find(tx, &credential_id)?))).await
    }

    /// The account and expiry of a second-factor enrollment marker, left in place so a cancelled prompt
    /// can be tried again.
    pub(in crate::store) async fn peek_enrollment(&self, id: String) -> Result<Option<(i64, i64)>, StoreError> {
        self.read(move |conn| {
            Ok(conn.prepare_cached(PEEK_ENROLLMENT)?.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
        })
        .await
    }
}

fn take(tx: &rusqlite::Connection, id: &str, kinds: &[CeremonyKind]) -> Result<Taken, StoreError> {
    let names: String = kinds.iter().fold(String::from(","), |list, kind| list + kind.as_str() + ",");
    let taken = tx.prepare_cached(TAKE)?.query_row(params![id, names], taken_row).optional()?;
    Ok(taken.and_then(|(name, row)| CeremonyKind::from_str(&name).map(|kind| (kind, row))))
}

fn taken_row(r: &Row<'_>) -> rusqlite::Result<(String, CeremonyRow)> {
    let handle: Option<Vec<u8>> = r.get(1)?;
    let email: Option<String> = r.get(2)?;
    let display_name: Option<String> = r.get(3)?;
    let pending_user = match (handle, email, display_name) {
        (Some(handle), Some(email), Some(display_name)) => {
            Some(PendingUser { handle, email, display_name, proof: r.get(9)? })
        }
        _ => None,
    };
    let row = CeremonyRow {
        state: r.get(0)?,
        pending_user,
        expires_at: r.get(4)?,
        user_id: r.get(5)?,
        then_sign_in: r.get(6)?,
        from_account: r.get(8)?,
    };
    Ok((r.get(7)?, row))
}
