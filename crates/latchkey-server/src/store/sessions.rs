//! Sessions: started with the passkey's new state and the sign-in's events in one transaction, looked
//! up by the hash of the cookie's secret (live only while used within the idle timeout and younger
//! than the absolute lifetime), listed for their account, and ended one, all but one, or by the passkey
//! that opened them.

use super::{NewEvent, Store, StoreError, UserRow, now};
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
    /// The browser's `User-Agent`, capped, for the account page's list.
    pub user_agent: Option<String>,
    /// The client's address.
    pub ip: Option<String>,
    /// The passkey that opened it, if one did: deleting the passkey ends the session.
    pub passkey_id: Option<i64>,
    /// The password hash a password sign-in verified, which must still be the account's.
    pub password_hash: Option<String>,
}

/// When a session counts as live: not revoked, not past its `expires_at`, used at or after `used_since`
/// (the idle timeout) and begun at or after `begun_since` (the absolute lifetime). The cut-offs come
/// from the policy in force, so shortening either applies to the sessions open already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Liveness {
    /// The moment.
    pub now: i64,
    /// The earliest last use a live session may have.
    pub used_since: i64,
    /// The earliest start a live session may have.
    pub begun_since: i64,
}

impl Liveness {
    /// Liveness now, for an idle timeout and an absolute lifetime in seconds.
    pub fn now(idle_secs: i64, lifetime_secs: i64) -> Self {
        let now = now();
        Self { now, used_since: now - idle_secs, begun_since: now - lifetime_secs }
    }
}

/// A live session as the account page and the console list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSummary {
    /// SHA-256 of its secret: what names it to end it.
    pub id_hash: Vec<u8>,
    /// When it started.
    pub created_at: i64,
    /// When it was last used (to the minute: uses are recorded at most once a minute).
    pub last_seen_at: i64,
    /// RFC 8176 methods as a JSON array.
    pub methods: String,
    /// The `User-Agent` it was opened with.
    pub user_agent: Option<String>,
    /// The address it was opened from.
    pub ip: Option<String>,
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
    /// The password was reset, changed or removed (a claim) while the sign-in checked it.
    PasswordChanged,
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
    /// When it was last used.
    pub last_seen_at: i64,
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

    /// The session with this ID hash if it is live, of an account that is not disabled.
    pub async fn find_session(&self, id_hash: Vec<u8>, live: Liveness) -> Result<Option<SessionRow>, StoreError> {
        on_backend!(self.find_session(id_hash, live))
    }

    /// Records that a session was used at `at`.
    pub async fn touch_session(&self, id_hash: Vec<u8>, at: i64) -> Result<(), StoreError> {
        on_backend!(self.touch_session(id_hash, at))
    }

    /// Revokes a session; revoked rows are kept for the record until the sweeper drops them.
    pub async fn revoke_session(&self, id_hash: Vec<u8>) -> Result<(), StoreError> {
        on_backend!(self.revoke_session(id_hash))
    }

    /// An account's live sessions, most recently used first.
    pub async fn live_sessions(&self, user_id: i64, live: Liveness) -> Result<Vec<SessionSummary>, StoreError> {
        on_backend!(self.live_sessions(user_id, live))
    }

    /// Ends one of an account's sessions and the applications' grants it made, in one transaction;
    /// `false` if the account has no such session open.
    pub async fn end_account_session(&self, user_id: i64, id_hash: Vec<u8>) -> Result<bool, StoreError> {
        on_backend!(self.end_account_session(user_id, id_hash))
    }

    /// Ends every session of an account but `keep`, and the applications' grants they made, in one
    /// transaction; how many sessions ended.
    pub async fn end_other_sessions(&self, user_id: i64, keep: Vec<u8>) -> Result<u64, StoreError> {
        on_backend!(self.end_other_sessions(user_id, keep))
    }
}
