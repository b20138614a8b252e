//! Ceremonies in flight: stored at the start, taken for good at the finish.

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError, passkeys};
use crate::passkey::StoredPasskey;

/// The kind of WebAuthn ceremony a stored state belongs to; a state is only ever finished as its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CeremonyKind {
    /// A passkey sign-up (`create`).
    Registration,
    /// A passkey sign-in without an identifier (`get`, empty `allowCredentials`).
    Authentication,
    /// An identifier-first passkey sign-in (`get` limited to one account's credentials).
    Identified,
    /// The passkey step after a verified password, under the `mfa = "passkey"` policy.
    SecondFactor,
    /// A new passkey for an existing account (`create` with `excludeCredentials`).
    AddPasskey,
    /// A verified password waiting for the account's first passkey, under the `mfa = "passkey"` policy;
    /// it holds no WebAuthn state and is exchanged for an [`CeremonyKind::AddPasskey`] one.
    EnrollSecondFactor,
}

impl CeremonyKind {
    const ALL: [Self; 6] = [
        Self::Registration,
        Self::Authentication,
        Self::Identified,
        Self::SecondFactor,
        Self::AddPasskey,
        Self::EnrollSecondFactor,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::Authentication => "authentication",
            Self::Identified => "identified",
            Self::SecondFactor => "second_factor",
            Self::AddPasskey => "add_passkey",
            Self::EnrollSecondFactor => "enroll_second_factor",
        }
    }

    fn from_str(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// A ceremony as stored between its start and its finish.
#[derive(Clone, Debug)]
pub struct CeremonyRow {
    /// The `webauthn_rp` server state, encoded.
    pub state: Vec<u8>,
    /// For sign-ups, the account to create.
    pub pending_user: Option<super::PendingUser>,
    /// The existing account the ceremony is for, if any.
    pub user_id: Option<i64>,
    /// Whether finishing signs the person in (a second-factor enrollment).
    pub then_sign_in: bool,
    /// Whether an added passkey came from the account page rather than an enrollment journey.
    pub from_account: bool,
    /// When the ceremony stops being acceptable.
    pub expires_at: i64,
}

const INSERT: &str = "INSERT INTO ceremonies (id, kind, state, user_handle, email, display_name, user_id,
                                              then_sign_in, expires_at, from_account)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

/// `?2` is a comma-framed list of kind names (`,identified,second_factor,`): a filter on the one row
/// the primary key finds, so a ceremony of another kind is left in place.
const TAKE: &str = "DELETE FROM ceremonies WHERE id = ?1 AND instr(?2, ',' || kind || ',') > 0
                    RETURNING state, user_handle, email, display_name, expires_at, user_id, then_sign_in, kind,
                              from_account";

const PEEK_ENROLLMENT: &str = "SELECT user_id, expires_at FROM ceremonies
                               WHERE id = ?1 AND kind = 'enroll_second_factor' AND user_id IS NOT NULL";

/// A taken ceremony with its kind.
pub type Taken = Option<(CeremonyKind, CeremonyRow)>;

impl Store {
    /// Stores a started ceremony under its random ID.
    pub async fn insert_ceremony(&self, id: String, kind: CeremonyKind, row: CeremonyRow) -> Result<(), StoreError> {
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
                row.from_account
            ])?;
            Ok(())
        })
        .await
    }

    /// Removes and returns a ceremony of one of `kinds`: the delete-on-read makes every ceremony single
    /// use, even when two finishes race.
    pub async fn take_ceremony(&self, id: String, kinds: &'static [CeremonyKind]) -> Result<Taken, StoreError> {
        self.write(move |tx| take(tx, &id, kinds)).await
    }

    /// A sign-in's first step in one trip: takes its ceremony and looks up the passkey the browser used.
    pub async fn take_ceremony_and_passkey(
        &self,
        id: String,
        kinds: &'static [CeremonyKind],
        credential_id: Vec<u8>,
    ) -> Result<(Taken, Option<StoredPasskey>), StoreError> {
        self.write(move |tx| Ok((take(tx, &id, kinds)?, passkeys::find(tx, &credential_id)?))).await
    }

    /// The account and expiry of a second-factor enrollment marker, left in place so a cancelled prompt
    /// can be tried again.
    pub async fn peek_enrollment(&self, id: String) -> Result<Option<(i64, i64)>, StoreError> {
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
        (Some(handle), Some(email), Some(display_name)) => Some(super::PendingUser { handle, email, display_name }),
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
