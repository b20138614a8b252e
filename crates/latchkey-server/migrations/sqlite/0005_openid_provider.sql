-- The OpenID Connect provider: registered applications (clients), the keys tokens are signed with, and
-- the grants an application holds (its authorization code and refresh tokens); and disabled accounts.

-- An application that signs people in through Latchkey.
CREATE TABLE clients (
    -- The `client_id`: random, handed to the application's developer.
    id                        TEXT    PRIMARY KEY,
    name                      TEXT    NOT NULL,
    -- SHA-256 of the client secret (256 random bits, so no slow hash is needed); NULL for a public
    -- client (an SPA or native app), which proves itself with PKCE alone.
    secret_hash               BLOB,
    -- JSON arrays of exact URIs: where codes may be sent, and where a logout may return to.
    redirect_uris             TEXT    NOT NULL,
    post_logout_redirect_uris TEXT    NOT NULL,
    created_at                INTEGER NOT NULL
);

-- ES256 keys. The newest unretired key signs; a retired one stays published in the JWKS until every
-- token it signed has expired.
CREATE TABLE signing_keys (
    -- RFC 7638 thumbprint of the public key.
    kid             TEXT    PRIMARY KEY,
    -- The P-256 private scalar (32 bytes); never logged, never sent.
    private_key     BLOB    NOT NULL,
    -- The uncompressed SEC1 public point (65 bytes).
    public_key      BLOB    NOT NULL,
    created_at      INTEGER NOT NULL,
    retired_at      INTEGER,
    -- When a retired key leaves the JWKS (and the sweeper deletes it).
    published_until INTEGER
);
-- At most one key signs, however many nodes make the first one at the same moment.
CREATE UNIQUE INDEX signing_keys_one_signing ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;

-- What one sign-in gave one application: the code, then the refresh tokens that follow from it. Revoking
-- the grant ends all of them, and the access tokens `userinfo` checks.
CREATE TABLE grants (
    -- Random; the tokens carry it as `sid`.
    id           TEXT    PRIMARY KEY,
    client_id    TEXT    NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The Latchkey session the sign-in made; signing out of it (or logging out through the provider) ends
    -- the grant.
    session_hash BLOB    NOT NULL,
    scope        TEXT    NOT NULL,
    -- RFC 8176 methods of the session, as a JSON array, and when that session was earned.
    methods      TEXT    NOT NULL,
    auth_time    INTEGER NOT NULL,
    nonce        TEXT,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX grants_by_session ON grants (session_hash);
CREATE INDEX grants_by_user ON grants (user_id);
CREATE INDEX grants_by_expiry ON grants (expires_at);

-- Authorization codes: single use, a minute long, bound to the redirect URI and the PKCE challenge.
CREATE TABLE authorization_codes (
    -- SHA-256 of the code.
    code_hash      BLOB    PRIMARY KEY,
    grant_id       TEXT    NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    redirect_uri   TEXT    NOT NULL,
    -- The S256 `code_challenge` (RFC 7636 §4.2).
    code_challenge TEXT    NOT NULL,
    expires_at     INTEGER NOT NULL,
    used_at        INTEGER
);
CREATE INDEX authorization_codes_by_grant ON authorization_codes (grant_id);

-- Refresh tokens: each used once, then replaced; a second use revokes the whole grant.
CREATE TABLE refresh_tokens (
    -- SHA-256 of the token.
    token_hash BLOB    PRIMARY KEY,
    grant_id   TEXT    NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX refresh_tokens_by_grant ON refresh_tokens (grant_id);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

-- An administrator can disable an account: it cannot sign in by any method, and its sessions and
-- grants end, until enabled again.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
