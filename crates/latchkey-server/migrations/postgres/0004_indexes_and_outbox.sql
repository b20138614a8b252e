-- Indexes for every lookup a request or the sweeper makes, the durable outbox, and the policy's version
-- (sqlite/0004_indexes_and_outbox.sql in SQLite's dialect).

CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX password_resets_by_user ON password_resets (user_id, expires_at);
CREATE INDEX password_resets_by_expiry ON password_resets (expires_at);
CREATE INDEX ceremonies_by_user ON ceremonies (user_id);

-- "Forgot password?" requests, committed before the answer and turned into reset links (or nothing,
-- for an email without an account) by an outbox worker on any node.
CREATE TABLE reset_requests (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        TEXT   NOT NULL,
    ip           TEXT,
    user_agent   TEXT,
    requested_at BIGINT NOT NULL
);

-- Mail waiting for delivery. A worker holds a row with FOR UPDATE SKIP LOCKED while it delivers it,
-- deletes it once delivered, and on failure schedules the next attempt.
CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient       TEXT   NOT NULL,
    subject         TEXT   NOT NULL,
    body            TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts        BIGINT NOT NULL,
    -- When the message is no use any more (for a reset link, 15 minutes after the request): it is
    -- dropped then, delivered or not.
    expires_at      BIGINT NOT NULL,
    -- For a reset link's mail: the account whose token is minted when the mail is sent (and stored as
    -- its hash then), so the link itself is never in the database.
    reset_for       BIGINT REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX outbox_by_due ON outbox (next_attempt_at);
CREATE INDEX outbox_by_expiry ON outbox (expires_at);
CREATE INDEX outbox_by_account ON outbox (reset_for);

-- The policy's version: every change adds one, and each node applies a newer version within a second.
ALTER TABLE policy ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
