//! What applications hold (the `grants`, `authorization_codes` and `refresh_tokens` tables): a grant is
//! made with its code when a person signs in to an application, and lives on through refresh tokens
//! until it expires or is revoked. A code or refresh token used twice revokes its grant
//! (OAuth 2.0 Security BCP, RFC 9700 §4.5 and §4.14).

use super::{Store, StoreError};

/// A grant to store with its authorization code.
#[derive(Clone, Debug)]
pub struct NewGrant {
    /// Random ID; the tokens carry it as `sid`.
    pub id: String,
    /// The application.
    pub client_id: String,
    /// The account.
    pub user_id: i64,
    /// The Latchkey session the sign-in made.
    pub session_hash: Vec<u8>,
    /// The granted scope, space-separated.
    pub scope: String,
    /// RFC 8176 methods of the session as a JSON array.
    pub methods: String,
    /// When the session was earned.
    pub auth_time: i64,
    /// The authorization request's `nonce`, for the ID token.
    pub nonce: Option<String>,
    /// When the grant ends, however often it is refreshed.
    pub expires_at: i64,
}

/// An authorization code to store.
#[derive(Clone, Debug)]
pub struct NewCode {
    /// SHA-256 of the code.
    pub code_hash: Vec<u8>,
    /// The `redirect_uri` it was sent to, which the token request must repeat.
    pub redirect_uri: String,
    /// The PKCE S256 `code_challenge`.
    pub code_challenge: String,
    /// When it stops working.
    pub expires_at: i64,
}

/// A refresh token to store.
#[derive(Clone, Debug)]
pub struct NewRefreshToken {
    /// SHA-256 of the token.
    pub token_hash: Vec<u8>,
    /// When it stops working.
    pub expires_at: i64,
}

/// A live grant with what its tokens say about the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantRow {
    /// Its ID.
    pub id: String,
    /// The application.
    pub client_id: String,
    /// The account's row ID.
    pub user_id: i64,
    /// The account's WebAuthn user handle: the stable `sub`.
    pub user_handle: Vec<u8>,
    /// The account's email.
    pub email: String,
    /// The account's display name.
    pub display_name: String,
    /// The granted scope.
    pub scope: String,
    /// RFC 8176 methods as a JSON array.
    pub methods: String,
    /// When the session was earned.
    pub auth_time: i64,
    /// The authorization request's `nonce`.
    pub nonce: Option<String>,
    /// Whether the person's email is proved, as `email_verified` says.
    pub email_verified: bool,
}

/// A stored authorization code, as the token endpoint checks it.
#[derive(Clone, Debug)]
pub struct CodeRow {
    /// Its grant's ID.
    pub grant_id: String,
    /// Its grant, if still live (not revoked or expired, the account not disabled).
    pub grant: Option<GrantRow>,
    /// The `redirect_uri` it was sent to.
    pub redirect_uri: String,
    /// The PKCE S256 `code_challenge`.
    pub code_challenge: String,
    /// Whether it has been used.
    pub used: bool,
    /// Whether it has expired.
    pub expired: bool,
}

/// What using a refresh token did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefreshUse {
    /// It was live: it is used up and the next one stored; here is the grant.
    Rotated(Box<GrantRow>),
    /// It was used before: a replay, so its whole grant is revoked now.
    Replayed,
    /// Unknown, expired, another application's, or its grant is no longer live.
    Refused,
}

impl Store {
    /// Stores a new grant and its authorization code in one transaction.
    pub async fn issue_code(&self, grant: NewGrant, code: NewCode) -> Result<(), StoreError> {
        on_backend!(self.issue_code(grant, code))
    }

    /// The authorization code with this hash, used or not.
    pub async fn find_code(&self, code_hash: Vec<u8>) -> Result<Option<CodeRow>, StoreError> {
        on_backend!(self.find_code(code_hash))
    }

    /// Uses a code once: marks it used and stores the grant's first refresh token, in one transaction.
    /// `false` if it was used (or expired) meanwhile: then nothing is stored and the grant is revoked.
    pub async fn use_code(&self, code_hash: Vec<u8>, refresh: NewRefreshToken) -> Result<bool, StoreError> {
        on_backend!(self.use_code(code_hash, refresh))
    }

    /// Uses `client_id`'s refresh token once, storing `next` in its place (rotation); a token used before
    /// revokes its grant.
    pub async fn use_refresh_token(
        &self,
        token_hash: Vec<u8>,
        client_id: String,
        next: NewRefreshToken,
    ) -> Result<RefreshUse, StoreError> {
        on_backend!(self.use_refresh_token(token_hash, client_id, next))
    }

    /// The grant with this ID, if it is live.
    pub async fn live_grant(&self, grant_id: String) -> Result<Option<GrantRow>, StoreError> {
        on_backend!(self.live_grant(grant_id))
    }

    /// Revokes a grant: its refresh tokens and access tokens stop working.
    pub async fn revoke_grant(&self, grant_id: String) -> Result<(), StoreError> {
        on_backend!(self.revoke_grant(grant_id))
    }

    /// Revokes the grant `client_id`'s refresh token belongs to (RFC 7009 §2.1); nothing if it is
    /// unknown or another application's.
    pub async fn revoke_refresh_token(&self, token_hash: Vec<u8>, client_id: String) -> Result<(), StoreError> {
        on_backend!(self.revoke_refresh_token(token_hash, client_id))
    }

    /// Revokes every grant a Latchkey session made: what logging out of it ends.
    pub async fn revoke_session_grants(&self, session_hash: Vec<u8>) -> Result<(), StoreError> {
        on_backend!(self.revoke_session_grants(session_hash))
    }
}
