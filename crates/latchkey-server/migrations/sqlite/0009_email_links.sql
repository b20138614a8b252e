-- Email links, each minted as its mail is sent and stored only as its SHA-256, like a reset link.
-- A verification link (no new_email), mailed after a sign-up, proves the mailbox: the owner keeps the
-- account as it is ("It was me") or claims it ("It wasn't me"), which removes every way in made before
-- the proof. A change link, mailed to new_email, moves the account there once it is opened in the
-- browser whose session asked for it (session_hash), while that session is open.
CREATE TABLE email_links (
    token_hash   BLOB    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    new_email    TEXT,
    session_hash BLOB,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX email_links_by_user ON email_links (user_id);
CREATE INDEX email_links_by_expiry ON email_links (expires_at);

-- A verification or change link's mail names its account in one of these until the worker mints the
-- link as it sends it (a change link's new address is the mail's recipient, and change_session the
-- session that asked).
ALTER TABLE outbox ADD COLUMN verify_for INTEGER REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE outbox ADD COLUMN change_for INTEGER REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE outbox ADD COLUMN change_session BLOB;
-- A claim and an account's deletion end the account's queued link mail by these.
CREATE INDEX outbox_by_verify_account ON outbox (verify_for);
CREATE INDEX outbox_by_change_account ON outbox (change_for);
