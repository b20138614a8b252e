//! Ceremonies in flight: stored at the start, taken for good at the finish.

use super::{Store, StoreError};
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

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::Authentication => "authentication",
            Self::Identified => "identified",
            Self::SecondFactor => "second_factor",
            Self::AddPasskey => "add_passkey",
            Self::EnrollSecondFactor => "enroll_second_factor",
        }
    }

    pub(super) fn from_str(name: &str) -> Option<Self> {
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

/// A taken ceremony with its kind.
pub type Taken = Option<(CeremonyKind, CeremonyRow)>;

impl Store {
    /// Stores a started ceremony under its random ID.
    pub async fn insert_ceremony(&self, id: String, kind: CeremonyKind, row: CeremonyRow) -> Result<(), StoreError> {
        on_backend!(self.insert_ceremony(id, kind, row))
    }

    /// Removes and returns a ceremony of one of `kinds`: the delete-on-read makes every ceremony single
    /// use, even when two finishes race.
    pub async fn take_ceremony(&self, id: String, kinds: &'static [CeremonyKind]) -> Result<Taken, StoreError> {
        on_backend!(self.take_ceremony(id, kinds))
    }

    /// A sign-in's first step in one trip: takes its ceremony and looks up the passkey the browser used.
    pub async fn take_ceremony_and_passkey(
        &self,
        id: String,
        kinds: &'static [CeremonyKind],
        credential_id: Vec<u8>,
    ) -> Result<(Taken, Option<StoredPasskey>), StoreError> {
        on_backend!(self.take_ceremony_and_passkey(id, kinds, credential_id))
    }

    /// The account and expiry of a second-factor enrollment marker, left in place so a cancelled prompt
    /// can be tried again.
    pub async fn peek_enrollment(&self, id: String) -> Result<Option<(i64, i64)>, StoreError> {
        on_backend!(self.peek_enrollment(id))
    }
}
