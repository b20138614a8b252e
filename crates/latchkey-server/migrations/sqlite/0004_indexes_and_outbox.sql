-- Indexes for every lookup a request or the sweeper makes, and the durable outbox.

-- The sweeper deletes by expiry; a reset counts and ends an account's links and ceremonies.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX password_resets_by_user ON password_resets (user_id, expires_at);
CREATE INDEX password_resets_by_expiry ON password_resets (expires_at);
CREATE INDEX ceremonies_by_user ON ceremonies (user_id);

-- "Forgot password?" requests, committed before the answer and turned into reset links (or nothing,
-- for an email without an account) by the outbox worker.
CREATE TABLE reset_requests (
    id           INTEGER PRIMARY KEY,
    email        TEXT    NOT NULL,
    ip           TEXT,
    user_agent   TEXT,
    requested_at INTEGER NOT NULL
);

-- Mail waiting for delivery. The one worker deletes a row once delivered and on failure schedules the
-- next attempt.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL,
    -- When the message is no use any more (a reset link's expiry): it is dropped then, delivered or not,
    -- so the link it carries is in the database no longer than it works.
    expires_at      INTEGER NOT NULL
);
CREATE INDEX outbox_by_due ON outbox (next_attempt_at);
CREATE INDEX outbox_by_expiry ON outbox (expires_at);

-- The policy's version: every change adds one, and each node applies a newer version within a second.
ALTER TABLE policy ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
