//! Storage: the schema, its migrations and every statement the server runs, as named operations on
//! [`Store`], one module per table group.
//!
//! Architecture Invariant: no SQL outside this folder. Handlers call operations named for what a
//! request does (`take_ceremony_and_passkey`, `start_session`, …), so a second engine is a second
//! implementation of the same operations, never a change to a handler.
//!
//! SQLite runs in WAL mode: readers never wait for the writer, and the one writer never waits for a
//! reader. Writes take the writer connection in turn ([`Store::write`]) and reads take one of a few
//! reader connections ([`Store::read`]); both wait for their turn on the async side, so a burst of
//! requests queues as futures, not as threads of the blocking pool, and each operation is one trip
//! to that pool.

mod accounts;
mod ceremonies;
mod events;
mod outbox;
mod passkeys;
mod resets;
mod sessions;
mod settings;
mod sweep;

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use rusqlite::Connection;
use tokio::sync::Semaphore;

pub use accounts::{Account, CreateAccountError, PendingUser, UserRow};
pub use ceremonies::{CeremonyKind, CeremonyRow, Taken};
pub use events::{EventFilter, NewEvent};
pub use outbox::{Mail, OutgoingMail, ResetLink, ResetRequest};
pub use passkeys::{AddPasskeyRefused, DeleteRefused, PasskeyRow};
pub use sessions::{SessionRow, SessionStart, SignInRefused};
pub use sweep::Swept;

/// Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_initial.sql"),
    include_str!("../../migrations/0002_journeys.sql"),
    include_str!("../../migrations/0003_policy_and_events.sql"),
    include_str!("../../migrations/0004_indexes_and_outbox.sql"),
];

/// Reader connections kept open: enough for both cores and a request waiting on I/O.
const READERS: usize = 4;

/// Prepared statements kept per connection; the server runs fewer distinct statements than this, so
/// none is parsed twice.
const STATEMENT_CACHE: usize = 128;

/// How long a connection waits for SQLite's own locks (only the sweeper's checkpoint competes with the
/// writer, and only briefly).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A storage failure: the server answers `internal` and logs the cause.
#[derive(Debug)]
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

/// Seconds since the Unix epoch: the unit of every time column.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The database, shared by every request and the background workers.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Sqlite>,
}

struct Sqlite {
    path: PathBuf,
    /// The one connection that writes; [`Sqlite::write_turn`] hands it out.
    writer: Arc<Mutex<Connection>>,
    write_turn: Semaphore,
    /// Idle reader connections; [`Sqlite::read_turns`] bounds how many are out at once.
    readers: Arc<Mutex<Vec<Connection>>>,
    read_turns: Semaphore,
}

impl Store {
    /// Opens (creating if needed) the database a URL names (`sqlite://PATH` or a bare path) and
    /// migrates it.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let path = PathBuf::from(url.strip_prefix("sqlite://").unwrap_or(url));
        let mut writer = open_connection(&path)?;
        migrate(&mut writer)?;
        let inner = Sqlite {
            path,
            writer: Arc::new(Mutex::new(writer)),
            write_turn: Semaphore::new(1),
            readers: Arc::new(Mutex::new(Vec::with_capacity(READERS))),
            read_turns: Semaphore::new(READERS),
        };
        Ok(Self { inner: Arc::new(inner) })
    }

    /// Runs `f` in a transaction on the writer connection, on the blocking pool, after waiting for
    /// its turn without holding a thread.
    async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        let _turn = self.inner.write_turn.acquire().await.map_err(|e| StoreError(e.to_string()))?;
        let writer = Arc::clone(&self.inner.writer);
        blocking(move || {
            let mut conn = writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        })
        .await
    }

    /// Runs `f` in a transaction on the writer, on the calling thread: for start-up, before the server
    /// serves, when there is nothing to wait for.
    fn write_now<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.inner.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `f` on a reader connection, on the blocking pool; it sees the last committed write.
    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let _turn = self.inner.read_turns.acquire().await.map_err(|e| StoreError(e.to_string()))?;
        let readers = Arc::clone(&self.inner.readers);
        let path = self.inner.path.clone();
        blocking(move || {
            let idle = readers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
            let conn = match idle {
                Some(conn) => conn,
                None => open_connection(&path)?,
            };
            let value = f(&conn);
            readers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(conn);
            value
        })
        .await
    }

    /// Runs one batch of SQL on the writer: for tests that age or inspect rows directly.
    pub async fn execute_batch_for_tests(&self, sql: &'static str) -> Result<(), StoreError> {
        self.write(move |tx| Ok(tx.execute_batch(sql)?)).await
    }

    /// The first column of the first row of `sql`, as an integer: for tests that count rows.
    pub async fn query_i64_for_tests(&self, sql: String) -> Result<i64, StoreError> {
        self.read(move |conn| Ok(conn.query_row(&sql, [], |r| r.get(0))?)).await
    }

    /// The first column of the first row of `sql`, as text: for tests that compare rows.
    pub async fn query_text_for_tests(&self, sql: String) -> Result<Option<String>, StoreError> {
        self.read(move |conn| Ok(conn.query_row(&sql, [], |r| r.get(0))?)).await
    }

    /// The query plan SQLite chooses for `sql`, one line per step (`SEARCH users USING INDEX …`).
    pub async fn query_plan(&self, sql: String) -> Result<Vec<String>, StoreError> {
        self.read(move |conn| {
            let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let rows = statement.query_map([], |r| r.get::<_, String>(3))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }
}

/// Runs `f` on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| StoreError(format!("blocking task: {e}")))?
}

/// Whether new connections report every statement they run to [`take_traced_statements`].
static TRACING: AtomicBool = AtomicBool::new(false);
static TRACED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn traced(event: rusqlite::trace::TraceEvent<'_>) {
    if let rusqlite::trace::TraceEvent::Stmt(statement, sql) = event {
        let expanded = statement.expanded_sql().map_or_else(|| sql.to_owned(), |s| s.to_string());
        TRACED.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(expanded);
    }
}

/// Makes connections opened from now on record every statement they run, with its values: the
/// query-plan test runs a real sign-in and explains each statement it saw.
pub fn trace_statements() {
    TRACING.store(true, Ordering::SeqCst);
}

/// The statements recorded since the last call.
pub fn take_traced_statements() -> Vec<String> {
    std::mem::take(&mut *TRACED.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// A connection with the settings every connection needs.
///
/// `synchronous = NORMAL` in WAL mode: a commit is durable once the operating system has it, and is
/// synced to disk at the next checkpoint. A process crash (kill -9) loses nothing; a power failure or
/// kernel crash may lose the last commits before the checkpoint, never corrupt the file.
fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    if TRACING.load(Ordering::SeqCst) {
        conn.trace_v2(rusqlite::trace::TraceEventCodes::SQLITE_TRACE_STMT, Some(traced));
    }
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let done: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}
