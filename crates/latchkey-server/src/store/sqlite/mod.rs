//! The SQLite engine: one file in WAL mode, one writer connection handed out in turn and a few reader
//! connections, each operation one trip to the blocking pool (`store/sqlite/*.rs` holds its SQL).
//!
//! Readers never wait for the writer, and the writer never waits for a reader. Both wait for their turn
//! on the async side, so a burst of requests queues as futures, not as threads of the blocking pool.

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
    time::Duration,
};

use rusqlite::Connection;
use tokio::sync::Semaphore;

use super::StoreError;

/// Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/sqlite/0001_initial.sql"),
    include_str!("../../../migrations/sqlite/0002_journeys.sql"),
    include_str!("../../../migrations/sqlite/0003_policy_and_events.sql"),
    include_str!("../../../migrations/sqlite/0004_indexes_and_outbox.sql"),
];

/// Reader connections kept open: enough for both cores and a request waiting on I/O.
const READERS: usize = 4;

/// Prepared statements kept per connection; the server runs fewer distinct statements than this, so
/// none is parsed twice.
const STATEMENT_CACHE: usize = 128;

/// How long a connection waits for SQLite's own locks (only the sweeper's checkpoint competes with the
/// writer, and only briefly).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The SQLite engine.
pub(super) struct Sqlite {
    path: PathBuf,
    /// The one connection that writes; [`Sqlite::write_turn`] hands it out.
    writer: Arc<Mutex<Connection>>,
    write_turn: Semaphore,
    /// Idle reader connections; [`Sqlite::read_turns`] bounds how many are out at once.
    readers: Arc<Mutex<Vec<Connection>>>,
    read_turns: Semaphore,
}

impl Sqlite {
    /// Opens (creating if needed) the SQLite file at `path` and migrates it.
    pub(super) fn open(path: &str) -> Result<Self, StoreError> {
        let path = PathBuf::from(path);
        let mut writer = open_connection(&path)?;
        migrate(&mut writer)?;
        Ok(Self {
            path,
            writer: Arc::new(Mutex::new(writer)),
            write_turn: Semaphore::new(1),
            readers: Arc::new(Mutex::new(Vec::with_capacity(READERS))),
            read_turns: Semaphore::new(READERS),
        })
    }

    /// Runs `f` in a transaction on the writer connection, on the blocking pool, after waiting for
    /// its turn without holding a thread.
    pub(super) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        let _turn = self.write_turn.acquire().await.map_err(|e| StoreError(e.to_string()))?;
        let writer = Arc::clone(&self.writer);
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
    pub(super) fn write_now<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `f` on a reader connection, on the blocking pool; it sees the last committed write.
    pub(super) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let _turn = self.read_turns.acquire().await.map_err(|e| StoreError(e.to_string()))?;
        let readers = Arc::clone(&self.readers);
        let path = self.path.clone();
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
    pub(super) async fn execute_batch_for_tests(&self, sql: &'static str) -> Result<(), StoreError> {
        self.write(move |tx| Ok(tx.execute_batch(sql)?)).await
    }

    /// The first column of the first row of `sql`, as an integer: for tests that count rows.
    pub(super) async fn query_i64_for_tests(&self, sql: String) -> Result<i64, StoreError> {
        self.read(move |conn| Ok(conn.query_row(&sql, [], |r| r.get(0))?)).await
    }

    /// The first column of the first row of `sql`, as text: for tests that compare rows.
    pub(super) async fn query_text_for_tests(&self, sql: String) -> Result<Option<String>, StoreError> {
        self.read(move |conn| Ok(conn.query_row(&sql, [], |r| r.get(0))?)).await
    }

    /// The query plan SQLite chooses for `sql`, one line per step (`SEARCH users USING INDEX …`).
    pub(super) async fn query_plan(&self, sql: String) -> Result<Vec<String>, StoreError> {
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
