-- The journeys beside passkeys (sqlite/0002_journeys.sql in SQLite's dialect): passwords, reset links,
-- the passkey offer's answers, and ceremonies that belong to an existing account.

-- argon2id PHC string; NULL for accounts made with a passkey and never given a password.
ALTER TABLE users ADD COLUMN password_hash TEXT;
-- Progressive enrollment: "Not now" offers the passkey again after this time; "Don't ask again" never.
ALTER TABLE users ADD COLUMN passkey_offer_after BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN passkey_offer_declined BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE password_resets (
    -- SHA-256 of the token in the link; the link itself is never stored.
    token_hash BYTEA  PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);

-- Server secrets made by whichever node starts first, such as the key of the stand-in credentials.
CREATE TABLE secrets (
    name  TEXT  PRIMARY KEY,
    value BYTEA NOT NULL
);

-- Ceremonies live minutes, so the table is recreated rather than migrated, as in SQLite.
DROP TABLE ceremonies;
CREATE TABLE ceremonies (
    id           TEXT    PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('registration', 'authentication', 'identified',
                                                  'second_factor', 'add_passkey', 'enroll_second_factor')),
    state        BYTEA   NOT NULL,
    -- The account the ceremony is for; NULL for sign-ups, discoverable sign-ins and unknown emails.
    user_id      BIGINT  REFERENCES users (id) ON DELETE CASCADE,
    -- Sign-ups only: the account to create once the passkey verifies.
    user_handle  BYTEA,
    email        TEXT,
    display_name TEXT,
    -- Whether finishing signs the person in: a second-factor enrollment after a verified password.
    then_sign_in BOOLEAN NOT NULL DEFAULT false,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX ceremonies_by_expiry ON ceremonies (expires_at);
