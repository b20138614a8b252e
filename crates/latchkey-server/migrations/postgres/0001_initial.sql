-- Latchkey's first schema in PostgreSQL's dialect (sqlite/0001_initial.sql is the same in SQLite's):
-- users, their passkeys, ceremonies in flight and sessions. Times are seconds since the Unix epoch.

CREATE TABLE users (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The WebAuthn user handle: random, never derived from the email (WebAuthn §14.6.1).
    handle       BYTEA  NOT NULL UNIQUE CHECK (length(handle) BETWEEN 1 AND 64),
    -- Normalized by latchkey-proto; unique with ASCII case folded, as SQLite's COLLATE NOCASE does.
    email        TEXT   NOT NULL,
    display_name TEXT   NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_by_email ON users (lower(email COLLATE "C"));

CREATE TABLE passkeys (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         BIGINT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- WebAuthn §7.1 step 24 (registration): at most 1023 bytes, unique across all users.
    credential_id   BYTEA    NOT NULL UNIQUE CHECK (length(credential_id) BETWEEN 1 AND 1023),
    -- webauthn_rp's encoded StaticState (the public key) and DynamicState (counter, UV, BS).
    static_state    BYTEA    NOT NULL,
    dynamic_state   BYTEA    NOT NULL,
    metadata        BYTEA    NOT NULL,
    -- webauthn_rp's encoded AuthTransports bit set.
    transports      SMALLINT NOT NULL,
    -- Readable copies of what DynamicState holds, for people and queries.
    sign_count      BIGINT   NOT NULL,
    backup_eligible BOOLEAN  NOT NULL,
    backup_state    BOOLEAN  NOT NULL,
    user_verified   BOOLEAN  NOT NULL,
    aaguid          BYTEA    NOT NULL,
    name            TEXT     NOT NULL,
    created_at      BIGINT   NOT NULL,
    last_used_at    BIGINT
);
CREATE INDEX passkeys_by_user ON passkeys (user_id);

CREATE TABLE ceremonies (
    -- Opaque random ID handed to the browser; the row is deleted when the ceremony is finished.
    id           TEXT   PRIMARY KEY,
    kind         TEXT   NOT NULL CHECK (kind IN ('registration', 'authentication')),
    state        BYTEA  NOT NULL,
    -- Sign-ups only: the account to create once the passkey verifies.
    user_handle  BYTEA,
    email        TEXT,
    display_name TEXT,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX ceremonies_by_expiry ON ceremonies (expires_at);

CREATE TABLE sessions (
    -- SHA-256 of the secret session ID in the cookie.
    id_hash    BYTEA  PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- RFC 8176 authentication method references, as a JSON array.
    methods    TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX sessions_by_user ON sessions (user_id);
