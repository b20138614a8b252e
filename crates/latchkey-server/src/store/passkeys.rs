//! Passkeys: looked up by credential ID for a sign-in, listed, added, renamed and deleted for an account.

use super::{Store, StoreError};
use crate::passkey::{Descriptor, NewPasskey};

/// A passkey as the account page lists it.
#[derive(Clone, Debug)]
pub struct PasskeyRow {
    /// Row ID.
    pub id: i64,
    /// Credential ID.
    pub credential_id: Vec<u8>,
    /// Its name.
    pub name: String,
    /// Authenticator model.
    pub aaguid: Vec<u8>,
    /// BE flag: synced.
    pub backup_eligible: bool,
    /// Created.
    pub created_at: i64,
    /// Last sign-in.
    pub last_used_at: Option<i64>,
}

/// Why a passkey could not be added to an account.
#[derive(Debug)]
pub enum AddPasskeyRefused {
    /// The credential ID is registered already.
    CredentialExists,
    /// The account has `max` passkeys already.
    TooMany,
    /// The second-factor enrollment this passkey was for has been used by another passkey already.
    EnrollmentUsed,
    /// The session adding it ended meanwhile (signed out, or the account claimed by a reset).
    SessionEnded,
    /// The reset link it was added on is used, expired, or for another account.
    LinkUsed,
    /// The reset link's account is disabled.
    AccountDisabled,
}

/// On whose word a passkey is added, checked in the transaction that adds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddedBy {
    /// A signed-in session (this ID hash), which must still be open: a reset that claims the account
    /// between the ceremony and the insert ends it, and then nothing is added.
    Session(Vec<u8>),
    /// A second-factor enrollment after a verified password, which it uses up: one verified password
    /// enrolls one passkey.
    SecondFactorEnrollment,
}

/// Why a passkey was not deleted.
#[derive(Debug, PartialEq, Eq)]
pub enum DeleteRefused {
    /// The account has no passkey with this ID.
    Unknown,
    /// It is the account's last passkey and the account has no password: no way to sign in would remain.
    LastSignInMethod,
}

impl Store {
    /// The credential IDs and encoded transports of an account's passkeys, for `allowCredentials` and
    /// `excludeCredentials`.
    pub async fn passkey_descriptors(&self, user_id: i64) -> Result<Vec<Descriptor>, StoreError> {
        on_backend!(self.passkey_descriptors(user_id))
    }

    /// An account's passkeys, oldest first.
    pub async fn account_passkeys(&self, user_id: i64) -> Result<Vec<PasskeyRow>, StoreError> {
        on_backend!(self.account_passkeys(user_id))
    }

    /// Adds a passkey to an account, within the per-account cap, if `by` still vouches for it (see
    /// [`AddedBy`]); returns its row ID.
    pub async fn add_passkey(
        &self,
        user_id: i64,
        passkey: NewPasskey,
        max: u32,
        by: AddedBy,
    ) -> Result<Result<i64, AddPasskeyRefused>, StoreError> {
        on_backend!(self.add_passkey(user_id, passkey, max, by))
    }

    /// Renames one of an account's passkeys; `false` when the account has no passkey with this ID.
    pub async fn rename_passkey(&self, user_id: i64, passkey_id: i64, name: String) -> Result<bool, StoreError> {
        on_backend!(self.rename_passkey(user_id, passkey_id, name))
    }

    /// Deletes one of an account's passkeys, unless it is the last way to sign in, and in the same
    /// transaction ends the sessions it opened (and their applications' grants) but `keep`, the one
    /// deleting it; returns its name. With `passkey_required` (the second-factor policy), the last
    /// passkey stays even beside a password: without it, the password alone would enroll whoever knows it.
    pub async fn delete_passkey(
        &self,
        user_id: i64,
        passkey_id: i64,
        passkey_required: bool,
        keep: Vec<u8>,
    ) -> Result<Result<String, DeleteRefused>, StoreError> {
        on_backend!(self.delete_passkey(user_id, passkey_id, passkey_required, keep))
    }
}
