//! What the console does to accounts: find them by email, disable and enable an
//! account (which ends its sessions, grants and ceremonies at once), and delete one with everything of it.

use super::{Store, StoreError};

/// An account as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountSummary {
    /// Row ID.
    pub id: i64,
    /// Email address.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// When it was created.
    pub created_at: i64,
    /// When an administrator disabled it, if one has.
    pub disabled_at: Option<i64>,
    /// How many passkeys it has.
    pub passkeys: i64,
    /// Whether it has a password.
    pub has_password: bool,
}

/// The most accounts one search returns.
pub(super) const SEARCH_LIMIT: i64 = 50;

impl Store {
    /// Accounts whose email starts with `prefix` (ASCII case ignored), by email, at most [`SEARCH_LIMIT`].
    pub async fn search_accounts(&self, prefix: String) -> Result<Vec<AccountSummary>, StoreError> {
        let pattern = format!("{}%", prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        on_backend!(self.search_accounts(pattern))
    }

    /// One account as the console shows it.
    pub async fn account_summary(&self, user_id: i64) -> Result<Option<AccountSummary>, StoreError> {
        on_backend!(self.account_summary(user_id))
    }

    /// Disables an account in one transaction: it can no longer sign in, and its sessions, grants and
    /// ceremonies in flight end. `false` if there is no such account or it was disabled already.
    pub async fn disable_account(&self, user_id: i64) -> Result<bool, StoreError> {
        on_backend!(self.disable_account(user_id))
    }

    /// Enables a disabled account: it can sign in again, and its sessions and grants stay ended (any that a
    /// sign-in racing the disable made end now). `false` if there is no such account or it was not
    /// disabled.
    pub async fn enable_account(&self, user_id: i64) -> Result<bool, StoreError> {
        on_backend!(self.enable_account(user_id))
    }

    /// Deletes an account and, by the schema's cascades, its passkeys, sessions, grants, reset links,
    /// ceremonies and queued mail; returns its email, or `None` if there was no such account.
    pub async fn delete_account(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        on_backend!(self.delete_account(user_id))
    }
}
