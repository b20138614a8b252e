//! Sessions: started with the passkey's new state and the sign-in's events in one transaction, looked
//! up by the hash of the cookie's secret, and revoked.

use super::{NewEvent, Store, StoreError, UserRow};
use crate::passkey::PasskeyUse;

/// A session to start.
#[derive(Clone, Debug)]
pub struct SessionStart {
    /// SHA-256 of the new session's secret; a leaked database holds no usable session.
    pub id_hash: Vec<u8>,
    /// Its user.
    pub user_id: i64,
    /// RFC 8176 method names as a JSON array.
    pub methods: String,
    /// When it ends.
    pub expires_at: i64,
    /// The session the browser came with, which this sign-in replaces.
    pub replaces: Option<Vec<u8>>,
}

/// Why a verified sign-in could not be recorded.
#[derive(Debug)]
pub enum SignInRefused {
    /// Another sign-in changed the passkey's state since it was read: a cloned authenticator racing.
    PasskeyChanged,
    /// The user was deleted meanwhile.
    UserGone,
    /// An administrator disabled the account.
    AccountDisabled,
}

/// A live session.
#[derive(Clone, Debug)]
pub struct SessionRow {
    /// Its user's row ID.
    pub user_id: i64,
    /// Its user.
    pub user: UserRow,
    /// RFC 8176 method names as a JSON array.
    pub methods: String,
    /// When it started.
    pub created_at: i64,
}

impl Store {
    /// Records a sign-in in one transaction: the passkey's new counter, backup state and last use (only
    /// if its state is still the one the verification started from), the new session, the revocation
    /// of the session it replaces, and `recorded` (those about this account without an email get its
    /// email).
    pub async fn start_session(
        &self,
        start: SessionStart,
        passkey_use: Option<PasskeyUse>,
        recorded: Vec<NewEvent>,
    ) -> Result<Result<UserRow, SignInRefused>, StoreError> {
        on_backend!(self.start_session(start, passkey_use, recorded))
    }

    /// The live (unexpired, unrevoked) session with this ID hash, of an account that is not disabled.
    pub async fn find_session(&self, id_hash: Vec<u8>) -> Result<Option<SessionRow>, StoreError> {
        on_backend!(self.find_session(id_hash))
    }

    /// Revokes a session; revoked rows are kept for the record until the sweeper drops them.
    pub async fn revoke_session(&self, id_hash: Vec<u8>) -> Result<(), StoreError> {
        on_backend!(self.revoke_session(id_hash))
    }
}
