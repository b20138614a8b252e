//! Storage: the schema, its migrations and every query the server makes, behind one small type.
//!
//! Architecture Invariant: no SQL outside this module. Handlers call named operations
//! (`take_ceremony`, `create_account`, …) so a PostgreSQL backend can be added beside SQLite by
//! implementing the same operations, without touching the ceremony code.

use std::{
    path::Path,
    sync::{Arc, Mutex},
    time::{SystemTime, UNIX_EPOCH},
};

use rusqlite::{Connection, OptionalExtension, params};

use latchkey_proto::Policy;

use crate::ceremony::Descriptor;

/// Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_journeys.sql"),
    include_str!("../migrations/0003_policy_and_events.sql"),
];

/// A storage failure: the server answers `internal` and logs the cause.
#[derive(Debug)]
pub struct DbError(pub String);

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "database: {}", self.0)
    }
}

impl std::error::Error for DbError {}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        Self(e.to_string())
    }
}

/// Seconds since the Unix epoch: the unit of every time column.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The kind of WebAuthn ceremony a stored state belongs to; a state is only ever finished as its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CeremonyKind {
    /// A passkey sign-up (`create`).
    Registration,
    /// A passkey sign-in without an identifier (`get`, empty `allowCredentials`).
    Authentication,
    /// An identifier-first passkey sign-in (`get` limited to one account's credentials).
    Identified,
    /// The passkey step after a verified password, under the `mfa = "passkey"` policy.
    SecondFactor,
    /// A new passkey for an existing account (`create` with `excludeCredentials`).
    AddPasskey,
    /// A verified password waiting for the account's first passkey, under the `mfa = "passkey"` policy;
    /// it holds no WebAuthn state and is exchanged for an [`CeremonyKind::AddPasskey`] one.
    EnrollSecondFactor,
}

impl CeremonyKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::Authentication => "authentication",
            Self::Identified => "identified",
            Self::SecondFactor => "second_factor",
            Self::AddPasskey => "add_passkey",
            Self::EnrollSecondFactor => "enroll_second_factor",
        }
    }
}

/// The account a sign-up will create once its passkey verifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingUser {
    /// The random WebAuthn user handle sent in the creation options.
    pub handle: Vec<u8>,
    /// Normalized email address.
    pub email: String,
    /// Display name.
    pub display_name: String,
}

/// A ceremony as stored between its start and its finish.
#[derive(Clone, Debug)]
pub struct CeremonyRow {
    /// The `webauthn_rp` server state, encoded.
    pub state: Vec<u8>,
    /// For sign-ups, the account to create.
    pub pending_user: Option<PendingUser>,
    /// The existing account the ceremony is for, if any.
    pub user_id: Option<i64>,
    /// Whether finishing signs the person in (a second-factor enrollment).
    pub then_sign_in: bool,
    /// Whether an added passkey came from the account page rather than an enrollment journey.
    pub from_account: bool,
    /// When the ceremony stops being acceptable.
    pub expires_at: i64,
}

/// A passkey to store: every column of the `passkeys` table the server writes at registration.
#[derive(Clone, Debug)]
pub struct NewPasskey {
    /// Credential ID, at most 1023 bytes.
    pub credential_id: Vec<u8>,
    /// Encoded `webauthn_rp` static state (the public key).
    pub static_state: Vec<u8>,
    /// Encoded `webauthn_rp` dynamic state (sign count, UV, backup state).
    pub dynamic_state: Vec<u8>,
    /// Encoded `webauthn_rp` metadata (AAGUID and friends).
    pub metadata: Vec<u8>,
    /// Transports the browser reported, as `webauthn_rp`'s encoded bit set.
    pub transports: u8,
    /// The signature counter at registration.
    pub sign_count: u32,
    /// BE flag.
    pub backup_eligible: bool,
    /// BS flag.
    pub backup_state: bool,
    /// UV flag at registration.
    pub user_verified: bool,
    /// Authenticator model.
    pub aaguid: Vec<u8>,
    /// A name for people.
    pub name: String,
}

/// A stored passkey with its owner, as a sign-in needs it.
#[derive(Clone, Debug)]
pub struct StoredPasskey {
    /// Row ID.
    pub id: i64,
    /// Owner's row ID.
    pub user_id: i64,
    /// Owner's WebAuthn user handle.
    pub user_handle: Vec<u8>,
    /// Encoded static state.
    pub static_state: Vec<u8>,
    /// Encoded dynamic state.
    pub dynamic_state: Vec<u8>,
}

/// What changed about a passkey in a sign-in.
#[derive(Clone, Debug)]
pub struct PasskeyUse {
    /// Row ID of the passkey.
    pub passkey_id: i64,
    /// The encoded dynamic state the verification started from.
    pub previous_dynamic_state: Vec<u8>,
    /// New encoded dynamic state.
    pub dynamic_state: Vec<u8>,
    /// New signature counter.
    pub sign_count: u32,
    /// New BS flag.
    pub backup_state: bool,
}

/// A user as sessions show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    /// Email address.
    pub email: String,
    /// Display name.
    pub display_name: String,
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

/// Why an account could not be created.
#[derive(Debug)]
pub enum CreateAccountError {
    /// The email address already has an account.
    EmailTaken,
    /// The credential ID is already registered.
    CredentialExists,
    /// Storage failed.
    Db(DbError),
}

/// The database: one SQLite connection shared by the server's tasks.
///
/// SQLite serializes writers anyway, so one connection behind a mutex costs nothing in throughput at
/// our scale and makes every multi-statement operation trivially atomic.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (creating if needed) the SQLite file at `path`, in WAL mode, and migrates it.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, DbError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let db = Self { conn: Arc::new(Mutex::new(conn)) };
        db.migrate()?;
        Ok(db)
    }

    /// Runs `f` on the connection on a blocking thread, so queries never stall the async runtime.
    pub async fn run<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| DbError("connection lock poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| DbError(e.to_string()))?
    }

    /// Runs `f` on the connection on the calling thread: for start-up, before the runtime serves.
    pub fn blocking<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, DbError>) -> Result<T, DbError> {
        let mut guard = self.conn.lock().map_err(|_| DbError("connection lock poisoned".into()))?;
        f(&mut guard)
    }

    fn migrate(&self) -> Result<(), DbError> {
        let mut conn = self.conn.lock().map_err(|_| DbError("connection lock poisoned".into()))?;
        let done: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(done) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index + 1)?;
            tx.commit()?;
        }
        Ok(())
    }
}

/// Stores a started ceremony, and drops expired ones so the table stays small.
pub fn insert_ceremony(conn: &Connection, id: &str, kind: CeremonyKind, row: &CeremonyRow) -> Result<(), DbError> {
    conn.execute("DELETE FROM ceremonies WHERE expires_at < ?1", params![now()])?;
    let user = row.pending_user.as_ref();
    conn.execute(
        "INSERT INTO ceremonies (id, kind, state, user_handle, email, display_name, user_id, then_sign_in,
                                 expires_at, from_account)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            id,
            kind.as_str(),
            row.state,
            user.map(|u| &u.handle),
            user.map(|u| &u.email),
            user.map(|u| &u.display_name),
            row.user_id,
            row.then_sign_in,
            row.expires_at,
            row.from_account
        ],
    )?;
    Ok(())
}

/// Removes and returns a ceremony of one of `kinds`, with its kind: the delete-on-read makes every
/// ceremony single use, even when two finishes race.
pub fn take_ceremony(
    conn: &Connection,
    id: &str,
    kinds: &[CeremonyKind],
) -> Result<Option<(CeremonyKind, CeremonyRow)>, DbError> {
    let names = kinds.iter().map(|k| format!("\"{}\"", k.as_str())).collect::<Vec<_>>().join(",");
    let row = conn
        .query_row(
            "DELETE FROM ceremonies WHERE id = ?1 AND kind IN (SELECT value FROM json_each(?2))
             RETURNING state, user_handle, email, display_name, expires_at, user_id, then_sign_in, kind,
                       from_account",
            params![id, format!("[{names}]")],
            |r| {
                let handle: Option<Vec<u8>> = r.get(1)?;
                let email: Option<String> = r.get(2)?;
                let display_name: Option<String> = r.get(3)?;
                let pending_user = match (handle, email, display_name) {
                    (Some(handle), Some(email), Some(display_name)) => {
                        Some(PendingUser { handle, email, display_name })
                    }
                    _ => None,
                };
                let kind: String = r.get(7)?;
                let row = CeremonyRow {
                    state: r.get(0)?,
                    pending_user,
                    expires_at: r.get(4)?,
                    user_id: r.get(5)?,
                    then_sign_in: r.get(6)?,
                    from_account: r.get(8)?,
                };
                Ok((kind, row))
            },
        )
        .optional()?;
    Ok(row.and_then(|(name, row)| kinds.iter().find(|k| k.as_str() == name).map(|&kind| (kind, row))))
}

/// A ceremony of `kind`, left in place (the second-factor enrollment marker, which a retried prompt
/// uses again).
pub fn peek_ceremony(conn: &Connection, id: &str, kind: CeremonyKind) -> Result<Option<(i64, i64)>, DbError> {
    Ok(conn
        .query_row(
            "SELECT user_id, expires_at FROM ceremonies WHERE id = ?1 AND kind = ?2 AND user_id IS NOT NULL",
            params![id, kind.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Whether an account uses this email address.
pub fn email_exists(conn: &Connection, email: &str) -> Result<bool, DbError> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1)", [email], |r| r.get(0))?)
}

/// Creates a user and their first passkey in one transaction; returns the user's row ID.
pub fn create_account(
    conn: &mut Connection,
    user: &PendingUser,
    passkey: &NewPasskey,
) -> Result<i64, CreateAccountError> {
    let db = |e: rusqlite::Error| CreateAccountError::Db(e.into());
    let tx = conn.transaction().map_err(db)?;
    if email_exists(&tx, &user.email).map_err(CreateAccountError::Db)? {
        return Err(CreateAccountError::EmailTaken);
    }
    if credential_exists(&tx, &passkey.credential_id).map_err(db)? {
        return Err(CreateAccountError::CredentialExists);
    }
    tx.execute(
        "INSERT INTO users (handle, email, display_name, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![user.handle, user.email, user.display_name, now()],
    )
    .map_err(db)?;
    let user_id = tx.last_insert_rowid();
    insert_passkey(&tx, user_id, passkey).map_err(db)?;
    tx.commit().map_err(db)?;
    Ok(user_id)
}

fn insert_passkey(conn: &Connection, user_id: i64, passkey: &NewPasskey) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO passkeys (user_id, credential_id, static_state, dynamic_state, metadata, transports,
                               sign_count, backup_eligible, backup_state, user_verified, aaguid, name,
                               created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            user_id,
            passkey.credential_id,
            passkey.static_state,
            passkey.dynamic_state,
            passkey.metadata,
            passkey.transports,
            passkey.sign_count,
            passkey.backup_eligible,
            passkey.backup_state,
            passkey.user_verified,
            passkey.aaguid,
            passkey.name,
            now()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn credential_exists(conn: &Connection, credential_id: &[u8]) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM passkeys WHERE credential_id = ?1)", [credential_id], |r| r.get(0))
}

/// Looks a passkey up by credential ID, with its owner's user handle.
pub fn find_passkey(conn: &Connection, credential_id: &[u8]) -> Result<Option<StoredPasskey>, DbError> {
    Ok(conn
        .query_row(
            "SELECT p.id, p.user_id, u.handle, p.static_state, p.dynamic_state
             FROM passkeys p JOIN users u ON u.id = p.user_id WHERE p.credential_id = ?1",
            [credential_id],
            |r| {
                Ok(StoredPasskey {
                    id: r.get(0)?,
                    user_id: r.get(1)?,
                    user_handle: r.get(2)?,
                    static_state: r.get(3)?,
                    dynamic_state: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// How long an ended session's row is kept: 30 days.
const SESSION_RECORD_SECS: i64 = 30 * 24 * 3600;

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
}

/// Records a sign-in in one transaction: the passkey's new counter, backup state and last use (only if
/// its state is still the one the verification started from), the new session, and the revocation of
/// the session it replaces.
pub fn sign_in(
    conn: &mut Connection,
    start: &SessionStart,
    passkey_use: Option<&PasskeyUse>,
) -> Result<Result<UserRow, SignInRefused>, DbError> {
    let tx = conn.transaction()?;
    let time = now();
    if let Some(used) = passkey_use {
        let changed = tx.execute(
            "UPDATE passkeys SET dynamic_state = ?3, sign_count = ?4, backup_state = ?5, last_used_at = ?6
             WHERE id = ?1 AND dynamic_state = ?2",
            params![
                used.passkey_id,
                used.previous_dynamic_state,
                used.dynamic_state,
                used.sign_count,
                used.backup_state,
                time
            ],
        )?;
        if changed == 0 {
            return Ok(Err(SignInRefused::PasskeyChanged));
        }
    }
    if let Some(old) = &start.replaces {
        revoke_session(&tx, old)?;
    }
    // Sessions are kept a while after they end, for the record, then dropped so the table stays small.
    tx.execute("DELETE FROM sessions WHERE expires_at < ?1", params![time - SESSION_RECORD_SECS])?;
    tx.execute(
        "INSERT INTO sessions (id_hash, user_id, methods, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![start.id_hash, start.user_id, start.methods, time, start.expires_at],
    )?;
    let Some(user) = find_user(&tx, start.user_id)? else { return Ok(Err(SignInRefused::UserGone)) };
    tx.commit()?;
    Ok(Ok(user))
}

/// The live (unexpired, unrevoked) session with this ID hash.
pub fn find_session(conn: &Connection, id_hash: &[u8]) -> Result<Option<SessionRow>, DbError> {
    Ok(conn
        .query_row(
            "SELECT u.email, u.display_name, s.methods, s.user_id, s.created_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.id_hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2",
            params![id_hash, now()],
            |r| {
                Ok(SessionRow {
                    user: UserRow { email: r.get(0)?, display_name: r.get(1)? },
                    methods: r.get(2)?,
                    user_id: r.get(3)?,
                    created_at: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// Revokes a session; revoked rows are kept for the record.
pub fn revoke_session(conn: &Connection, id_hash: &[u8]) -> Result<(), DbError> {
    conn.execute(
        "UPDATE sessions SET revoked_at = ?2 WHERE id_hash = ?1 AND revoked_at IS NULL",
        params![id_hash, now()],
    )?;
    Ok(())
}

/// Looks a user up by row ID.
pub fn find_user(conn: &Connection, user_id: i64) -> Result<Option<UserRow>, DbError> {
    Ok(conn
        .query_row("SELECT email, display_name FROM users WHERE id = ?1", [user_id], |r| {
            Ok(UserRow { email: r.get(0)?, display_name: r.get(1)? })
        })
        .optional()?)
}

/// An account as the password and identifier-first journeys need it.
#[derive(Clone, Debug)]
pub struct Account {
    /// Row ID.
    pub id: i64,
    /// WebAuthn user handle.
    pub handle: Vec<u8>,
    /// Email address.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// argon2id PHC string, if the account has a password.
    pub password_hash: Option<String>,
    /// How many passkeys it has.
    pub passkeys: u32,
    /// Whether progressive enrollment may offer a passkey now: not declined for good, not snoozed.
    pub offer_passkey: bool,
}

/// Looks an account up by its (normalized) email address.
pub fn find_account(conn: &Connection, email: &str) -> Result<Option<Account>, DbError> {
    find_account_where(conn, "u.email = ?1", &email)
}

/// Looks an account up by row ID.
pub fn find_account_by_id(conn: &Connection, user_id: i64) -> Result<Option<Account>, DbError> {
    find_account_where(conn, "u.id = ?1", &user_id)
}

fn find_account_where(
    conn: &Connection,
    condition: &str,
    key: &dyn rusqlite::ToSql,
) -> Result<Option<Account>, DbError> {
    let sql = format!(
        "SELECT u.id, u.handle, u.email, u.display_name, u.password_hash,
                (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id),
                u.passkey_offer_declined = 0 AND u.passkey_offer_after <= ?2
         FROM users u WHERE {condition}"
    );
    Ok(conn
        .query_row(&sql, params![key, now()], |r| {
            Ok(Account {
                id: r.get(0)?,
                handle: r.get(1)?,
                email: r.get(2)?,
                display_name: r.get(3)?,
                password_hash: r.get(4)?,
                passkeys: r.get(5)?,
                offer_passkey: r.get(6)?,
            })
        })
        .optional()?)
}

/// The credential IDs and encoded transports of an account's passkeys, for `allowCredentials` and
/// `excludeCredentials`.
pub fn passkey_descriptors(conn: &Connection, user_id: i64) -> Result<Vec<Descriptor>, DbError> {
    let mut statement =
        conn.prepare("SELECT credential_id, transports FROM passkeys WHERE user_id = ?1 ORDER BY id")?;
    let rows = statement.query_map([user_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Identifier-first lookup: the account's row ID (if any) and its passkeys. Both queries run for every
/// email, known or not, so the time taken does not tell which it was.
pub fn identify(conn: &Connection, email: &str) -> Result<(Option<i64>, Vec<Descriptor>), DbError> {
    let user_id: Option<i64> =
        conn.query_row("SELECT id FROM users WHERE email = ?1", [email], |r| r.get(0)).optional()?;
    let passkeys = passkey_descriptors(conn, user_id.unwrap_or(0))?;
    Ok((user_id, passkeys))
}

/// Creates an account with a password and no passkey; `None` when the email is taken.
pub fn create_password_account(
    conn: &mut Connection,
    user: &PendingUser,
    password_hash: &str,
) -> Result<Option<i64>, DbError> {
    let tx = conn.transaction()?;
    if email_exists(&tx, &user.email)? {
        return Ok(None);
    }
    tx.execute(
        "INSERT INTO users (handle, email, display_name, created_at, password_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![user.handle, user.email, user.display_name, now(), password_hash],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(Some(id))
}

/// Why a passkey could not be added to an account.
#[derive(Debug)]
pub enum AddPasskeyRefused {
    /// The credential ID is registered already.
    CredentialExists,
    /// The account has `max` passkeys already.
    TooMany,
}

/// Adds a passkey to an account, within the per-account cap; returns its row ID. A second-factor
/// enrollment (`enrolls_second_factor`) also uses up the account's enrollment ceremonies, so one verified
/// password enrolls one passkey.
pub fn add_passkey(
    conn: &mut Connection,
    user_id: i64,
    passkey: &NewPasskey,
    max: u32,
    enrolls_second_factor: bool,
) -> Result<Result<i64, AddPasskeyRefused>, DbError> {
    let tx = conn.transaction()?;
    // WebAuthn §7.1 step 26: a credential ID registered to any account already is refused.
    if credential_exists(&tx, &passkey.credential_id)? {
        return Ok(Err(AddPasskeyRefused::CredentialExists));
    }
    let count: u32 = tx.query_row("SELECT count(*) FROM passkeys WHERE user_id = ?1", [user_id], |r| r.get(0))?;
    if count >= max {
        return Ok(Err(AddPasskeyRefused::TooMany));
    }
    let id = insert_passkey(&tx, user_id, passkey)?;
    if enrolls_second_factor {
        tx.execute("DELETE FROM ceremonies WHERE user_id = ?1 AND kind = 'enroll_second_factor'", [user_id])?;
    }
    tx.commit()?;
    Ok(Ok(id))
}

/// Renames one of an account's passkeys; `false` when the account has no passkey with this ID.
pub fn rename_passkey(conn: &Connection, user_id: i64, passkey_id: i64, name: &str) -> Result<bool, DbError> {
    let changed = conn
        .execute("UPDATE passkeys SET name = ?3 WHERE id = ?1 AND user_id = ?2", params![passkey_id, user_id, name])?;
    Ok(changed == 1)
}

/// Records the answer to the passkey offer: snoozed until `until`, or (with `None`) never asked again.
pub fn decline_passkey_offer(conn: &Connection, user_id: i64, until: Option<i64>) -> Result<(), DbError> {
    match until {
        Some(until) => {
            conn.execute("UPDATE users SET passkey_offer_after = ?2 WHERE id = ?1", params![user_id, until])?
        }
        None => conn.execute("UPDATE users SET passkey_offer_declined = 1 WHERE id = ?1", [user_id])?,
    };
    Ok(())
}

/// Most reset links one account may have live at once; more requests send nothing, so "Forgot
/// password?" cannot be used to flood a mailbox.
const MAX_LIVE_RESETS: i64 = 3;

/// Stores a password reset token's hash; `false` (and nothing stored) when the account already has
/// [`MAX_LIVE_RESETS`] live links. Older unused links stay valid until they expire.
pub fn insert_password_reset(
    conn: &Connection,
    token_hash: &[u8],
    user_id: i64,
    expires_at: i64,
) -> Result<bool, DbError> {
    conn.execute("DELETE FROM password_resets WHERE expires_at < ?1", [now()])?;
    let live: i64 =
        conn.query_row("SELECT count(*) FROM password_resets WHERE user_id = ?1", [user_id], |r| r.get(0))?;
    if live >= MAX_LIVE_RESETS {
        return Ok(false);
    }
    conn.execute(
        "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
        params![token_hash, user_id, expires_at],
    )?;
    Ok(true)
}

/// Whether a reset token is live, checked before the expensive hashing of the new password.
pub fn reset_token_is_live(conn: &Connection, token_hash: &[u8]) -> Result<bool, DbError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM password_resets WHERE token_hash = ?1 AND expires_at > ?2)",
        params![token_hash, now()],
        |r| r.get(0),
    )?)
}

/// Uses a reset token: in one transaction, takes it (single use), sets the new password, and ends every
/// way in that the old password opened: the account's sessions, its other reset links, and its ceremonies
/// in flight (a second factor or passkey enrollment begun with the old password). `None` when the token
/// is unknown, used or expired.
pub fn reset_password(conn: &mut Connection, token_hash: &[u8], password_hash: &str) -> Result<Option<i64>, DbError> {
    let tx = conn.transaction()?;
    let time = now();
    let user_id: Option<i64> = tx
        .query_row(
            "DELETE FROM password_resets WHERE token_hash = ?1 RETURNING user_id, expires_at",
            [token_hash],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        )
        .optional()?
        .filter(|&(_, expires_at)| expires_at > time)
        .map(|(user_id, _)| user_id);
    if let Some(user_id) = user_id {
        replace_password(&tx, user_id, password_hash, None)?;
        tx.execute("DELETE FROM ceremonies WHERE user_id = ?1", [user_id])?;
    }
    // An expired token is used up too: committing keeps it deleted.
    tx.commit()?;
    Ok(user_id)
}

/// A server secret by name, made (32 random bytes) on first use.
pub fn secret(conn: &Connection, name: &str) -> Result<Vec<u8>, DbError> {
    let mut fresh = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut fresh);
    conn.execute("INSERT OR IGNORE INTO secrets (name, value) VALUES (?1, ?2)", params![name, fresh.as_slice()])?;
    Ok(conn.query_row("SELECT value FROM secrets WHERE name = ?1", [name], |r| r.get(0))?)
}

/// The stored policy; on first start, `seed` is stored and returned.
pub fn load_policy(conn: &Connection, seed: &Policy) -> Result<Policy, DbError> {
    let json = serde_json::to_string(seed).map_err(|e| DbError(e.to_string()))?;
    conn.execute("INSERT OR IGNORE INTO policy (id, json, updated_at) VALUES (1, ?1, ?2)", params![json, now()])?;
    let stored: String = conn.query_row("SELECT json FROM policy WHERE id = 1", [], |r| r.get(0))?;
    serde_json::from_str(&stored).map_err(|e| DbError(format!("stored policy: {e}")))
}

/// Stores a new policy.
pub fn save_policy(conn: &Connection, policy: &Policy) -> Result<(), DbError> {
    let json = serde_json::to_string(policy).map_err(|e| DbError(e.to_string()))?;
    conn.execute("UPDATE policy SET json = ?1, updated_at = ?2 WHERE id = 1", params![json, now()])?;
    Ok(())
}

/// A passkey as the account page lists it.
#[derive(Clone, Debug)]
pub struct PasskeyRow {
    /// Row ID.
    pub id: i64,
    /// Credential ID.
    pub credential_id: Vec<u8>,
    /// Its name.
    pub name: String,
    /// Authenticator model.
    pub aaguid: Vec<u8>,
    /// BE flag: synced.
    pub backup_eligible: bool,
    /// Created.
    pub created_at: i64,
    /// Last sign-in.
    pub last_used_at: Option<i64>,
}

/// An account's passkeys, oldest first.
pub fn account_passkeys(conn: &Connection, user_id: i64) -> Result<Vec<PasskeyRow>, DbError> {
    let mut statement = conn.prepare(
        "SELECT id, credential_id, name, aaguid, backup_eligible, created_at, last_used_at
         FROM passkeys WHERE user_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([user_id], |r| {
        Ok(PasskeyRow {
            id: r.get(0)?,
            credential_id: r.get(1)?,
            name: r.get(2)?,
            aaguid: r.get(3)?,
            backup_eligible: r.get(4)?,
            created_at: r.get(5)?,
            last_used_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Why a passkey was not deleted.
#[derive(Debug, PartialEq, Eq)]
pub enum DeleteRefused {
    /// The account has no passkey with this ID.
    Unknown,
    /// It is the account's last passkey and the account has no password: no way to sign in would remain.
    LastSignInMethod,
}

/// Deletes one of an account's passkeys, unless it is the last way to sign in; returns its name. With
/// `passkey_required` (the second-factor policy), the last passkey stays even beside a password: without
/// it, the password alone would enroll whoever knows it.
pub fn delete_passkey(
    conn: &mut Connection,
    user_id: i64,
    passkey_id: i64,
    passkey_required: bool,
) -> Result<Result<String, DeleteRefused>, DbError> {
    let tx = conn.transaction()?;
    let name: Option<String> = tx
        .query_row("SELECT name FROM passkeys WHERE id = ?1 AND user_id = ?2", params![passkey_id, user_id], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(name) = name else { return Ok(Err(DeleteRefused::Unknown)) };
    let (passkeys, has_password): (i64, bool) = tx.query_row(
        "SELECT (SELECT count(*) FROM passkeys WHERE user_id = ?1), password_hash IS NOT NULL FROM users WHERE id = ?1",
        [user_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if passkeys <= 1 && (!has_password || passkey_required) {
        return Ok(Err(DeleteRefused::LastSignInMethod));
    }
    tx.execute("DELETE FROM passkeys WHERE id = ?1", [passkey_id])?;
    tx.commit()?;
    Ok(Ok(name))
}

/// Sets an account's password hash and, in the same transaction, ends what the old credentials opened
/// elsewhere: the account's other sessions and its reset links. `keep` is the session making the change.
pub fn set_password(conn: &mut Connection, user_id: i64, password_hash: &str, keep: &[u8]) -> Result<(), DbError> {
    let tx = conn.transaction()?;
    replace_password(&tx, user_id, password_hash, Some(keep))?;
    tx.commit()?;
    Ok(())
}

/// Sets the password hash and ends what the old password opened: every session but `keep`, and the
/// account's reset links. Runs inside the caller's transaction.
fn replace_password(tx: &Connection, user_id: i64, password_hash: &str, keep: Option<&[u8]>) -> Result<(), DbError> {
    tx.execute("UPDATE users SET password_hash = ?2 WHERE id = ?1", params![user_id, password_hash])?;
    tx.execute(
        "UPDATE sessions SET revoked_at = ?3
         WHERE user_id = ?1 AND (?2 IS NULL OR id_hash != ?2) AND revoked_at IS NULL",
        params![user_id, keep, now()],
    )?;
    tx.execute("DELETE FROM password_resets WHERE user_id = ?1", [user_id])?;
    Ok(())
}
