//! Storage: the schema, its migrations and every statement the server runs, as named operations on
//! [`Store`], one module per table group. Each group's module holds its types and the operations;
//! `sqlite/` and `postgres/` hold the SQL of each engine, module for module.
//!
//! Architecture Invariant: no SQL outside this folder. Handlers call operations named for what a
//! request does (`take_ceremony_and_passkey`, `start_session`, …) and never know the engine.

/// Runs an operation on whichever engine the store has, with the same name and arguments on both.
macro_rules! on_backend {
    ($store:ident . $op:ident ( $($arg:expr),* ) sync) => {
        match &*$store.backend {
            $crate::store::Backend::Sqlite(db) => db.$op($($arg),*),
            $crate::store::Backend::Postgres(db) => db.$op($($arg),*),
        }
    };
    ($store:ident . $op:ident ( $($arg:expr),* )) => {
        match &*$store.backend {
            $crate::store::Backend::Sqlite(db) => db.$op($($arg),*).await,
            $crate::store::Backend::Postgres(db) => db.$op($($arg),*).await,
        }
    };
}

mod accounts;
mod admin;
mod ceremonies;
mod clients;
mod email_links;
mod events;
mod grants;
mod keys;
mod limits;
mod outbox;
mod passkeys;
mod postgres;
mod resets;
mod sessions;
mod settings;
mod sign_up_codes;
mod sqlite;
mod sweep;

use std::{
    sync::Arc,
    time::{SystemTime, UNIX_EPOCH},
};

pub use accounts::{Account, CreateAccountError, Created, PendingUser, UserRow};
pub use admin::AccountSummary;
pub use ceremonies::{CeremonyKind, CeremonyRow, Taken};
pub use clients::ClientRow;
pub use email_links::{EmailLink, EmailProof, Moved, Proved};
pub use events::{EventFilter, NewEvent};
pub use grants::{CodeRow, GrantRow, NewCode, NewGrant, NewRefreshToken, RefreshUse};
pub use keys::KeyRow;
pub use limits::Count;
pub use outbox::{Delivered, Delivery, Mail, MailLink, ResetLink, ResetRequest};
pub use passkeys::{AddPasskeyRefused, AddedBy, DeleteRefused, PasskeyRow};
pub use resets::{Recovered, Reset, ResetRefused};
pub use sessions::{Liveness, SessionRow, SessionStart, SessionSummary, SignInRefused};
pub use sqlite::{take_traced_statements, trace_statements};
pub use sweep::Swept;

/// A storage failure: the server answers `internal` and logs the cause.
#[derive(Clone, Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "database: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self(e.to_string())
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        Self(e.as_db_error().map_or_else(|| e.to_string(), |db| format!("{}: {}", db.code().code(), db.message())))
    }
}

/// Seconds since the Unix epoch: the unit of every time column.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The database, shared by every request and the background workers.
#[derive(Clone)]
pub struct Store {
    backend: Arc<Backend>,
}

/// The engine behind a [`Store`].
enum Backend {
    /// An embedded SQLite file: the demo and a single machine.
    Sqlite(sqlite::Sqlite),
    /// A PostgreSQL server, which several nodes can share.
    Postgres(postgres::Postgres),
}

impl Store {
    /// Opens the database a URL names and migrates it: `postgres://…` (or `postgresql://…`) for
    /// PostgreSQL, else `sqlite://PATH` or a bare path for SQLite.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres(postgres::Postgres::open(url)?)
        } else {
            Backend::Sqlite(sqlite::Sqlite::open(url.strip_prefix("sqlite://").unwrap_or(url))?)
        };
        Ok(Self { backend: Arc::new(backend) })
    }

    /// Whether this store is on PostgreSQL (tests pick their dialect by it).
    pub fn is_postgres(&self) -> bool {
        matches!(*self.backend, Backend::Postgres(_))
    }

    /// Runs SQL in the engine's dialect: for tests that age or inspect rows directly.
    pub async fn execute_batch_for_tests(&self, sql: &'static str) -> Result<(), StoreError> {
        on_backend!(self.execute_batch_for_tests(sql))
    }

    /// The first column of the first row of `sql`, as an integer: for tests that count rows.
    pub async fn query_i64_for_tests(&self, sql: String) -> Result<i64, StoreError> {
        on_backend!(self.query_i64_for_tests(sql))
    }

    /// The first column of the first row of `sql`, as text: for tests that compare rows.
    pub async fn query_text_for_tests(&self, sql: String) -> Result<Option<String>, StoreError> {
        on_backend!(self.query_text_for_tests(sql))
    }

    /// The plan the engine chooses for `sql`, one line per step (`SEARCH users USING INDEX …` on
    /// SQLite, `Index Scan using …` on PostgreSQL).
    pub async fn query_plan(&self, sql: String) -> Result<Vec<String>, StoreError> {
        on_backend!(self.query_plan(sql))
    }
}
