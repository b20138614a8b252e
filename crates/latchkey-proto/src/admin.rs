//! The console's view of people: accounts as the admin API lists them, with their passkeys, sessions and
//! recent events.

use serde::{Deserialize, Serialize};

use crate::{PasskeySummary, SessionListing, events::EventRecord};

/// An account in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminUser {
    /// Its row ID, which the event log names.
    pub id: i64,
    /// Email address.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// When it was created, in seconds since the Unix epoch.
    pub created_at: i64,
    /// Whether an administrator has disabled it.
    pub disabled: bool,
    /// How many passkeys it has.
    pub passkeys: u32,
    /// Whether it has a password.
    pub has_password: bool,
}

/// One account with everything the console shows of it. `D` carries event details as each side
/// represents JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminUserDetail<D> {
    /// The account.
    pub user: AdminUser,
    /// Its passkeys.
    pub passkeys: Vec<PasskeySummary>,
    /// Its live sessions, most recently used first.
    pub sessions: Vec<SessionListing>,
    /// Its most recent events, newest first.
    pub events: Vec<EventRecord<D>>,
}
