-- The passkey policy and the event log (sqlite/0003_policy_and_events.sql in SQLite's dialect).

-- One row: the policy as JSON (latchkey-proto's Policy).
CREATE TABLE policy (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    json       TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL
);

CREATE TABLE events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         BIGINT NOT NULL,
    code       TEXT   NOT NULL,
    -- No foreign key: the record of an account outlives the account.
    user_id    BIGINT,
    -- The email as known or typed at the time.
    email      TEXT,
    ip         TEXT,
    user_agent TEXT,
    -- On failures, the error code.
    reason     TEXT,
    -- Code-specific facts as JSON text.
    detail     TEXT
);
CREATE INDEX events_by_user ON events (user_id, id);
CREATE INDEX events_by_code ON events (code, id);
CREATE INDEX events_by_time ON events (at, id);

-- Whether an add-passkey ceremony came from the account page rather than an enrollment journey.
ALTER TABLE ceremonies ADD COLUMN from_account BOOLEAN NOT NULL DEFAULT false;
