//! The PostgreSQL engine: a `deadpool-postgres` pool of `tokio-postgres` connections, statements
//! prepared once per connection, and migrations applied under an advisory lock so that nodes starting
//! at the same moment migrate once (`store/postgres/*.rs` holds its SQL).
//!
//! Nothing a request needs lives in one node: ceremonies, sessions, the policy and the secrets are all
//! rows, so any node can finish what another started.

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

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio_postgres::{NoTls, Row, error::SqlState};

use super::StoreError;

/// The schema's migrations in PostgreSQL's dialect, one for each of SQLite's, in the same order.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/postgres/0001_initial.sql"),
    include_str!("../../../migrations/postgres/0002_journeys.sql"),
    include_str!("../../../migrations/postgres/0003_policy_and_events.sql"),
    include_str!("../../../migrations/postgres/0004_indexes_and_outbox.sql"),
    include_str!("../../../migrations/postgres/0005_openid_provider.sql"),
    include_str!("../../../migrations/postgres/0006_rate_limits.sql"),
    include_str!("../../../migrations/postgres/0007_session_devices.sql"),
    include_str!("../../../migrations/postgres/0008_email_proof.sql"),
    include_str!("../../../migrations/postgres/0009_email_links.sql"),
    include_str!("../../../migrations/postgres/0010_sign_up_codes.sql"),
    include_str!("../../../migrations/postgres/0011_reset_request_language.sql"),
];

/// Connections per node: a few per core keeps the server busy while others wait on the network.
const POOL_SIZE: usize = 16;

/// The advisory lock migrations take: any fixed number, the same on every node ("Latch" in ASCII).
const MIGRATION_LOCK: i64 = 0x004c_6174_6368;

/// The PostgreSQL engine.
pub(super) struct Postgres {
    pool: Pool,
    url: String,
}

impl Postgres {
    /// Connects to the server a `postgres://` URL names and migrates its database. The pool connects
    /// lazily, inside the runtime that serves.
    pub(super) fn open(url: &str) -> Result<Self, StoreError> {
        let config: tokio_postgres::Config = url.parse().map_err(|e| StoreError(format!("database URL: {e}")))?;
        on_own_thread(url, migrate)?;
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(POOL_SIZE).build().map_err(|e| StoreError(e.to_string()))?;
        Ok(Self { pool, url: url.to_owned() })
    }

    /// A pooled connection.
    pub(super) async fn client(&self) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(|e| StoreError(format!("connection pool: {e}")))
    }

    /// Runs `f` with a connection of its own, on a thread of its own: for start-up, before the server
    /// serves, where the caller is not async.
    pub(super) fn write_now<T: Send>(
        &self,
        f: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        on_own_thread(&self.url, |client| {
            let mut tx = client.transaction()?;
            let value = f(&mut tx)?;
            tx.commit()?;
            Ok(value)
        })
    }

    /// Runs SQL written for SQLite in tests, with its blob literals (`x'00'`) in PostgreSQL's form.
    pub(super) async fn execute_batch_for_tests(&self, sql: &'static str) -> Result<(), StoreError> {
        Ok(self.client().await?.batch_execute(&postgres_literals(sql)).await?)
    }

    pub(super) async fn query_i64_for_tests(&self, sql: String) -> Result<i64, StoreError> {
        let row = self.client().await?.query_one(&sql, &[]).await?;
        first_integer(&row)
    }

    pub(super) async fn query_text_for_tests(&self, sql: String) -> Result<Option<String>, StoreError> {
        Ok(self.client().await?.query_one(&sql, &[]).await?.try_get(0)?)
    }

    /// The plan PostgreSQL chooses, with sequential scans discouraged: tables in tests are so small
    /// that a scan would always win, and the question is whether an index can serve the statement.
    pub(super) async fn query_plan(&self, sql: String) -> Result<Vec<String>, StoreError> {
        let client = self.client().await?;
        client.batch_execute("SET enable_seqscan = off").await?;
        let rows = client.query(&format!("EXPLAIN {sql}"), &[]).await;
        client.batch_execute("RESET enable_seqscan").await?;
        rows?.iter().map(|row| Ok(row.try_get(0)?)).collect()
    }
}

/// Runs `f` with a synchronous client on a thread of its own, so no Tokio runtime is nested in the
/// caller's.
fn on_own_thread<T: Send>(
    url: &str,
    f: impl FnOnce(&mut postgres::Client) -> Result<T, StoreError> + Send,
) -> Result<T, StoreError> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let mut client = postgres::Client::connect(url, NoTls)?;
                f(&mut client)
            })
            .join()
            .unwrap_or_else(|_| Err(StoreError("start-up thread panicked".into())))
    })
}

/// Applies the migrations not yet applied, all in one transaction under [`MIGRATION_LOCK`], so that
/// two nodes starting at once cannot both apply one.
fn migrate(client: &mut postgres::Client) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    // `IF NOT EXISTS` and dropped tables answer with notices, which are not worth a log line each start.
    tx.batch_execute("SET LOCAL client_min_messages = warning")?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )?;
    let done: i32 = tx.query_one("SELECT coalesce(max(version), 0) FROM schema_migrations", &[])?.try_get(0)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(done as usize) {
        tx.batch_execute(sql)?;
        let version = index as i32 + 1;
        tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", &[&version, &super::now()])?;
    }
    tx.commit()?;
    Ok(())
}

/// The constraint a statement violated, if it failed on a unique one: two nodes racing to create the
/// same account or passkey, caught by the index after both checked.
pub(super) fn unique_violation(e: &tokio_postgres::Error) -> Option<&str> {
    e.as_db_error().filter(|db| *db.code() == SqlState::UNIQUE_VIOLATION).and_then(|db| db.constraint())
}

fn first_integer(row: &Row) -> Result<i64, StoreError> {
    if let Ok(value) = row.try_get::<_, i64>(0) {
        return Ok(value);
    }
    if let Ok(value) = row.try_get::<_, i32>(0) {
        return Ok(i64::from(value));
    }
    Ok(i64::from(row.try_get::<_, bool>(0)?))
}

/// SQLite's blob literals (`x'0a1b'` after a space, comma or parenthesis) written as PostgreSQL's
/// `'\x0a1b'::bytea`.
fn postgres_literals(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(start) = [" x'", "(x'", ",x'"].iter().filter_map(|p| rest.find(p)).min() {
        let hex_at = start + 3;
        let Some(len) = rest[hex_at..].find('\'') else { break };
        out.push_str(&rest[..=start]);
        out.push_str(&format!("'\\x{}'::bytea", &rest[hex_at..hex_at + len]));
        rest = &rest[hex_at + len + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn blob_literals_are_written_for_postgresql() {
        assert_eq!(super::postgres_literals("VALUES (x'00', 1, 'box')"), "VALUES ('\\x00'::bytea, 1, 'box')");
    }
}
