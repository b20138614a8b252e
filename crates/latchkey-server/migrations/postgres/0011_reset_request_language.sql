-- The language of the page that asked for a reset link (a tag of latchkey_proto::languages::LANGUAGES):
-- the worker writes the link's mail in it.
ALTER TABLE reset_requests ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
