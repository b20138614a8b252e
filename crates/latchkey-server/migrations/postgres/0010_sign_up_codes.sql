-- Sign-up codes, under the policy's email_verification = "before_sign_up". A row is a code mailed to
-- an address (proved false: the SHA-256 of the address and the code, minted as its mail is sent) or the
-- proof a correct code was exchanged for (proved true: the SHA-256 of the proof, which the transaction
-- that creates the account deletes). The address is the normalized email, ASCII-lowercased. Neither
-- secret is stored.
CREATE TABLE sign_up_codes (
    secret_hash BYTEA   PRIMARY KEY,
    email       TEXT    NOT NULL,
    proved      BOOLEAN NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX sign_up_codes_by_email ON sign_up_codes (email);
CREATE INDEX sign_up_codes_by_expiry ON sign_up_codes (expires_at);

-- A code's mail names its address here until the worker mints the code as it sends it.
ALTER TABLE outbox ADD COLUMN code_for TEXT;

-- A sign-up ceremony started with a proof keeps the proof's hash, so its finish uses the proof up.
ALTER TABLE ceremonies ADD COLUMN email_proof BYTEA;
