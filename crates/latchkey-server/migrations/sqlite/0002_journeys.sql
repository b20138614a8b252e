-- The journeys beside passkeys: passwords, reset links, the passkey offer's answers, and ceremonies
-- that belong to an existing account (identifier-first sign-in, second factor, adding a passkey).

-- argon2id PHC string; NULL for accounts made with a passkey and never given a password.
ALTER TABLE users ADD COLUMN password_hash TEXT;
-- Progressive enrollment: "Not now" offers the passkey again after this time; "Don't ask again" never.
ALTER TABLE users ADD COLUMN passkey_offer_after INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN passkey_offer_declined INTEGER NOT NULL DEFAULT 0;

CREATE TABLE password_resets (
    -- SHA-256 of the token in the link; the link itself is never stored.
    token_hash BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
);

-- Server secrets made on first start, such as the key that derives stand-in credentials for unknown
-- emails, so the stand-ins stay the same across restarts.
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

-- Ceremonies live minutes, so the table is recreated rather than migrated (SQLite cannot alter a CHECK).
DROP TABLE ceremonies;
CREATE TABLE ceremonies (
    id            TEXT    PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('registration', 'authentication', 'identified',
                                                   'second_factor', 'add_passkey', 'enroll_second_factor')),
    state         BLOB    NOT NULL,
    -- The account the ceremony is for; NULL for sign-ups, discoverable sign-ins and unknown emails.
    user_id       INTEGER REFERENCES users (id) ON DELETE CASCADE,
    -- Sign-ups only: the account to create once the passkey verifies.
    user_handle   BLOB,
    email         TEXT,
    display_name  TEXT,
    -- Whether finishing signs the person in: a second-factor enrollment after a verified password.
    then_sign_in  INTEGER NOT NULL DEFAULT 0,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX ceremonies_by_expiry ON ceremonies (expires_at);
