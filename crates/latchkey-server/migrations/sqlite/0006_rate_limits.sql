-- Rate limits: one counter per limit and subject (a client address, an account, an address and an
-- account together), shared by every node, so a limit holds however requests are spread.
CREATE TABLE rate_limits (
    -- SHA-256 of the limit's name and its subject: no email or address is kept in the clear here.
    bucket    BLOB    PRIMARY KEY,
    -- What the window has counted so far.
    hits      INTEGER NOT NULL,
    -- When the window ends and the count starts again from zero.
    resets_at INTEGER NOT NULL
);

-- The sweeper deletes counters whose window has ended.
CREATE INDEX rate_limits_by_expiry ON rate_limits (resets_at);
