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
    -- When the message is no use any more (for a reset link, 15 minutes after the request): it is
    -- dropped then, delivered or not.
    expires_at      INTEGER NOT NULL,
    -- For a reset link's mail: the account whose token is minted when the mail is sent (and stored as
    -- its hash then), so the link itself is never in the database.
    reset_for       INTEGER REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX outbox_by_due ON outbox (next_attempt_at);
CREATE INDEX outbox_by_expiry ON outbox (expires_at);
CREATE INDEX outbox_by_account ON outbox (reset_for);

-- The policy's version: every change adds one, and each node applies a newer version within a second.
ALTER TABLE policy ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
