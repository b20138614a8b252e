-- When the mailbox owner first proved the account's email (a reset link, for now). Until then anything
-- on the account may be someone else's who signed up with that address first, so the first proof
-- claims the account: what was created before it goes (see ARCHITECTURE.md, "no pre-hijacking").
-- Accounts from before this migration have never proved theirs.
ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
