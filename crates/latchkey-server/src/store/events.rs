//! The event log's table: rows written beside the changes they record, and pages read back.

use latchkey_proto::events::EventPage;
use serde_json::Value;

use super::{Store, StoreError};

/// An event row to write.
#[derive(Clone, Debug)]
pub struct NewEvent {
    /// When, in seconds since the Unix epoch.
    pub at: i64,
    /// The event code's wire name.
    pub code: &'static str,
    /// The account, if known.
    pub user_id: Option<i64>,
    /// The email as known or typed, capped.
    pub email: Option<String>,
    /// The client's address.
    pub ip: Option<String>,
    /// The client's `User-Agent`, capped.
    pub user_agent: Option<String>,
    /// On failures, the error code.
    pub reason: Option<&'static str>,
    /// Code-specific facts as JSON text.
    pub detail: Option<String>,
}

/// Which events to read: all of them by default; each filter narrows.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFilter {
    /// Only this account's.
    pub user: Option<i64>,
    /// Only this code.
    pub code: Option<String>,
    /// Only at or after this time (seconds since the Unix epoch).
    pub since: Option<i64>,
    /// Only before this time.
    pub until: Option<i64>,
    /// Only older than this cursor (from a previous page's `next_cursor`).
    pub cursor: Option<i64>,
    /// Page size, 1 to 200; default 50.
    pub limit: Option<u32>,
    /// Only newer than this event ID, oldest first (for following the log).
    pub after: Option<i64>,
}

/// The largest page.
pub(super) const MAX_PAGE: u32 = 200;

impl Store {
    /// Writes one event.
    pub async fn record_event(&self, event: NewEvent) -> Result<(), StoreError> {
        on_backend!(self.record_event(event))
    }

    /// A page of events, newest first (or, with `after`, oldest first), with the cursor of the next page.
    pub async fn events_page(&self, filter: EventFilter) -> Result<EventPage<Value>, StoreError> {
        on_backend!(self.events_page(filter))
    }
}
