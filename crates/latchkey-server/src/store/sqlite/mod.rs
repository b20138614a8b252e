//! The SQLite engine: one file in WAL mode, a writer thread that owns the one writing connection and
//! commits the waiting writes together (group commit, each write in its savepoint), a few reader
//! connections used from the blocking pool, and a checkpointer thread (`store/sqlite/*.rs` holds the SQL).
//!
//! Readers never wait for the writer. The writer waits only for the checkpointer's short `RESTART`, at
//! most [`CHECKPOINT_BUSY_TIMEOUT`] a second. A burst of writes queues in the writer's channel, not as
//! threads of the blocking pool.

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
mod resets;
mod sessions;
mod settings;
mod sign_up_codes;
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
    include_str!("../../../migrations/sqlite/0005_openid_provider.sql"),
    include_str!("../../../migrations/sqlite/0006_rate_limits.sql"),
    include_str!("../../../migrations/sqlite/0007_session_devices.sql"),
    include_str!("../../../migrations/sqlite/0008_email_proof.sql"),
    include_str!("../../../migrations/sqlite/0009_email_links.sql"),
    include_str!("../../../migrations/sqlite/0010_sign_up_codes.sql"),
    include_str!("../../../migrations/sqlite/0011_reset_request_language.sql"),
];

/// Reader connections kept open: enough for both cores and a request waiting on I/O.
const READERS: usize = 4;

/// Prepared statements kept per connection; the server runs fewer distinct statements than this, so
/// none is parsed twice.
const STATEMENT_CACHE: usize = 128;

/// How long a connection waits for SQLite's own locks (only the checkpointer competes with the writer,
/// and only briefly).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Write operations one commit takes at most: enough to share the hot index pages among a burst of
/// requests, few enough that the first of them does not wait long for the last.
const MAX_BATCH: usize = 64;

/// A write operation for the writer thread: it runs the operation in its savepoint and says whether to
/// keep what it wrote; the [`Completion`] it returns hands the result over once the commit is known.
type Job = Box<dyn FnOnce(&Connection) -> (bool, Completion) + Send>;

/// Hands a job's result to its caller: given `None` once the batch committed, or the commit's error.
type Completion = Box<dyn FnOnce(Option<StoreError>) + Send>;

/// The size a restarted WAL file is cut back to: 16 MiB.
const WAL_SIZE_LIMIT: i64 = 16 * 1024 * 1024;

/// How often `BEGIN IMMEDIATE` is tried (each waiting up to [`BUSY_TIMEOUT`]) before a batch is dropped.
const BEGIN_ATTEMPTS: usize = 3;

/// How long the checkpointer's `RESTART` waits for readers before it gives up until the next round: the
/// writer waits behind it meanwhile, so this bounds that wait.
const CHECKPOINT_BUSY_TIMEOUT: Duration = Duration::from_millis(50);

/// How often the checkpointer copies the WAL into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// The SQLite engine.
pub(super) struct Sqlite {
    path: PathBuf,
    /// The writer thread's queue: it owns the one connection that writes.
    jobs: std::sync::mpsc::Sender<Job>,
    /// Dropped with the store, which ends the checkpointer thread.
    _checkpoints: std::sync::mpsc::Sender<()>,
    /// Idle reader connections; [`Sqlite::read_turns`] bounds how many are out at once.
    readers: Arc<Mutex<Vec<Connection>>>,
    read_turns: Semaphore,
}

impl Sqlite {
    /// Opens (creating if needed) the SQLite file at `path`, migrates it and starts its writer thread.
    pub(super) fn open(path: &str) -> Result<Self, StoreError> {
        let path = PathBuf::from(path);
        let mut writer = open_connection(&path)?;
        migrate(&mut writer)?;
        // Checkpoints (and the fsync each ends with) run on their own thread, not inside a commit.
        writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        // A restarted WAL is cut back to this size, so a burst leaves no large file behind.
        writer.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
        let (jobs, queue) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || write_batches(&writer, &queue))
            .map_err(|e| StoreError(format!("writer thread: {e}")))?;
        let checkpointer = open_connection(&path)?;
        checkpointer.busy_timeout(CHECKPOINT_BUSY_TIMEOUT)?;
        let (checkpoints, stop) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("sqlite-checkpointer".into())
            .spawn(move || checkpoint_until_dropped(&checkpointer, &stop))
            .map_err(|e| StoreError(format!("checkpointer thread: {e}")))?;
        Ok(Self {
            path,
            jobs,
            _checkpoints: checkpoints,
            readers: Arc::new(Mutex::new(Vec::with_capacity(READERS))),
            read_turns: Semaphore::new(READERS),
        })
    }

    /// Runs `f` on the writer thread, in the transaction of the next batch (group commit), and answers
    /// once that transaction has committed. An error from `f` undoes only what `f` wrote.
    pub(super) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.submit(f, move |result| drop(answer.send(result)))?;
        answered.await.map_err(|_| StoreError("the write was dropped (writer failed)".into()))?
    }

    /// Runs `f` on the writer thread and waits on the calling thread: for start-up, before the server
    /// serves, where the caller is not async.
    pub(super) fn write_now<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (answer, answered) = std::sync::mpsc::channel();
        self.submit(f, move |result| drop(answer.send(result)))?;
        answered.recv().map_err(|_| StoreError("the write was dropped (writer failed)".into()))?
    }

    fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
        answer: impl FnOnce(Result<T, StoreError>) + Send + 'static,
    ) -> Result<(), StoreError> {
        let job: Job = Box::new(move |conn| {
            let result = f(conn);
            let keep = result.is_ok();
            let completion: Completion = Box::new(move |failed_commit| {
                answer(match failed_commit {
                    None => result,
                    Some(e) => Err(e),
                });
            });
            (keep, completion)
        });
        self.jobs.send(job).map_err(|_| StoreError("the writer thread has stopped".into()))
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

    /// Runs one batch of SQL in a write: for tests that age or inspect rows directly.
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

/// The writer thread: takes the jobs waiting (at most [`MAX_BATCH`]), runs each in a savepoint of one
/// transaction, commits, and only then answers each. Ends when the store is dropped.
fn write_batches(conn: &Connection, queue: &std::sync::mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut completions: Vec<Completion> = Vec::with_capacity(batch.len());
        let mut open = begin(conn);
        for job in batch {
            if !open {
                // A batch that cannot begin drops its jobs: their callers get "the write was dropped".
                continue;
            }
            completions.extend(run_job(conn, job));
            // SQLite aborts the whole transaction on some errors (a full disk, I/O): the jobs so far fail
            // with it, and the rest start a new one rather than running outside any transaction.
            if conn.is_autocommit() {
                let aborted = StoreError("the write batch was rolled back by SQLite".into());
                completions.drain(..).for_each(|completion| completion(Some(aborted.clone())));
                open = begin(conn);
            }
        }
        if !open {
            continue;
        }
        let failed_commit = conn.execute_batch("COMMIT").err().map(StoreError::from);
        if let Some(e) = &failed_commit {
            tracing::error!(%e, "committing a write batch");
            let _ = conn.execute_batch("ROLLBACK");
        }
        for completion in completions {
            completion(failed_commit.clone());
        }
    }
}

/// Begins a batch's transaction, trying again while the checkpointer holds the lock briefly; `false`
/// when it cannot (the error is logged).
fn begin(conn: &Connection) -> bool {
    for _ in 0..BEGIN_ATTEMPTS {
        match conn.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => return true,
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy => continue,
            Err(e) => {
                tracing::error!(%e, "beginning a write batch");
                return false;
            }
        }
    }
    tracing::error!("beginning a write batch: the database stayed locked");
    false
}

/// Every [`CHECKPOINT_EVERY`] until the store is dropped: copies committed WAL frames into the database
/// file without blocking anyone (`PASSIVE`), then copies the few frames written meanwhile while the
/// writer waits (`RESTART`), so the next commit starts the WAL from its beginning. A writer that never
/// pauses would otherwise grow the WAL without bound; this way it waits a few milliseconds a second.
fn checkpoint_until_dropped(conn: &Connection, stop: &std::sync::mpsc::Receiver<()>) {
    while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(CHECKPOINT_EVERY) {
        for mode in ["PASSIVE", "RESTART"] {
            if let Err(e) = conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |_| Ok(())) {
                tracing::warn!(%e, mode, "checkpointing the WAL");
            }
        }
    }
}

/// Runs one job in its own savepoint, undoing its writes if it failed or panicked. A panicking job
/// loses its answer (its caller gets an error) but not the writer thread.
fn run_job(conn: &Connection, job: Job) -> Option<Completion> {
    conn.execute_batch("SAVEPOINT job").ok()?;
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(conn)));
    let (keep, completion) = match ran {
        Ok((keep, completion)) => (keep, Some(completion)),
        Err(_) => (false, None),
    };
    let ended = if keep { "RELEASE job" } else { "ROLLBACK TO job; RELEASE job" };
    if let Err(e) = conn.execute_batch(ended) {
        tracing::error!(%e, "ending a write's savepoint");
    }
    completion
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_write_in_a_batch_undoes_only_itself() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Arc::new(Sqlite::open(dir.path().join("t.sqlite3").to_str().expect("utf-8")).expect("opens"));
        let writes = (0..40).map(|i: i64| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .write(move |conn| {
                        conn.execute("INSERT INTO secrets (name, value) VALUES (?1, x'00')", [format!("s{i}")])?;
                        if i % 2 == 1 { Err(StoreError("refused".into())) } else { Ok(i) }
                    })
                    .await
            })
        });
        let mut kept = 0;
        for write in writes.collect::<Vec<_>>() {
            if write.await.expect("joined").is_ok() {
                kept += 1;
            }
        }
        let rows: i64 = store
            .query_i64_for_tests("SELECT count(*) FROM secrets WHERE name LIKE 's%'".into())
            .await
            .expect("counts");
        assert_eq!((kept, rows), (20, 20));
        let odd: i64 = store
            .query_i64_for_tests("SELECT count(*) FROM secrets WHERE CAST(substr(name, 2) AS INTEGER) % 2 = 1".into())
            .await
            .expect("counts");
        assert_eq!(odd, 0, "the refused writes left nothing");
    }
}
