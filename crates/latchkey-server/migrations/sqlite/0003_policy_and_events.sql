-- The passkey policy, changed at run time from the console, and the event log of every authentication
-- event (docs/EVENTS.md lists the codes).

-- One row: the policy as JSON (latchkey-proto's Policy). Missing members take their defaults, so a
-- policy saved by an older server still loads.
CREATE TABLE policy (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    json       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    code       TEXT    NOT NULL,
    -- No foreign key: the record of an account outlives the account.
    user_id    INTEGER,
    -- The email as known or typed at the time.
    email      TEXT,
    ip         TEXT,
    user_agent TEXT,
    -- On failures, the error code.
    reason     TEXT,
    -- Code-specific facts as JSON: the methods of a sign-in, a passkey's name, a policy change.
    detail     TEXT
);
CREATE INDEX events_by_user ON events (user_id, id);
CREATE INDEX events_by_code ON events (code, id);
CREATE INDEX events_by_time ON events (at, id);

-- Whether an add-passkey ceremony came from the account page (`passkey_added`) rather than an
-- enrollment journey (`enrollment_complete`).
ALTER TABLE ceremonies ADD COLUMN from_account INTEGER NOT NULL DEFAULT 0;
