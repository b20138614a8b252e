-- Latchkey's first schema: users, their passkeys, ceremonies in flight and sessions.
-- Times are seconds since the Unix epoch; booleans are 0 or 1.

CREATE TABLE users (
    id           INTEGER PRIMARY KEY,
    -- The WebAuthn user handle: random, never derived from the email (WebAuthn §14.6.1).
    handle       BLOB    NOT NULL UNIQUE CHECK (length(handle) BETWEEN 1 AND 64),
    -- Normalized by latchkey-proto; NOCASE so Ada@ and ada@ are one account.
    email        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);

CREATE TABLE passkeys (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- WebAuthn §7.1 step 24 (registration): at most 1023 bytes, unique across all users.
    credential_id   BLOB    NOT NULL UNIQUE CHECK (length(credential_id) BETWEEN 1 AND 1023),
    -- webauthn_rp's encoded StaticState (the public key) and DynamicState (counter, UV, BS).
    static_state    BLOB    NOT NULL,
    dynamic_state   BLOB    NOT NULL,
    metadata        BLOB    NOT NULL,
    -- webauthn_rp's encoded AuthTransports bit set.
    transports      INTEGER NOT NULL,
    -- Readable copies of what DynamicState holds, for people and queries.
    sign_count      INTEGER NOT NULL,
    backup_eligible INTEGER NOT NULL,
    backup_state    INTEGER NOT NULL,
    user_verified   INTEGER NOT NULL,
    aaguid          BLOB    NOT NULL,
    name            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER
);
CREATE INDEX passkeys_by_user ON passkeys (user_id);

CREATE TABLE ceremonies (
    -- Opaque random ID handed to the browser; the row is deleted when the ceremony is finished.
    id           TEXT    PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('registration', 'authentication')),
    state        BLOB    NOT NULL,
    -- Sign-ups only: the account to create once the passkey verifies.
    user_handle  BLOB,
    email        TEXT,
    display_name TEXT,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX ceremonies_by_expiry ON ceremonies (expires_at);

CREATE TABLE sessions (
    -- SHA-256 of the secret session ID in the cookie.
    id_hash    BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- RFC 8176 authentication method references, as a JSON array.
    methods    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX sessions_by_user ON sessions (user_id);
