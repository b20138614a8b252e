-- Sessions remember where they were opened and when last used: the account page lists them by browser
-- and system, the idle timeout ends one unused too long, and deleting a passkey ends the sessions it
-- opened. Sessions from before this migration have none of it, and count as last used when they began.
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN ip TEXT;
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN passkey_id INTEGER REFERENCES passkeys (id) ON DELETE SET NULL;
UPDATE sessions SET last_seen_at = created_at;

-- Deleting a passkey ends its sessions by this index.
CREATE INDEX sessions_by_passkey_id ON sessions (passkey_id) WHERE passkey_id IS NOT NULL;
