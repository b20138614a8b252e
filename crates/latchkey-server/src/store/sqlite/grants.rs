//! SQLite: grants, their authorization codes and refresh tokens.

use rusqlite::{Connection, OptionalExtension, params};

use super::Sqlite;
use crate::store::{CodeRow, GrantRow, NewCode, NewGrant, NewRefreshToken, RefreshUse, StoreError, now};

const INSERT_GRANT: &str = "INSERT INTO grants (id, client_id, user_id, session_hash, scope, methods, auth_time,
                                                nonce, created_at, expires_at)
                            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
const INSERT_CODE: &str = "INSERT INTO authorization_codes (code_hash, grant_id, redirect_uri, code_challenge,
                                                            expires_at)
                           VALUES (?1, ?2, ?3, ?4, ?5)";
const LIVE_GRANT: &str = "SELECT g.id, g.client_id, g.user_id, u.handle, u.email, u.display_name, g.scope,
                                 g.methods, g.auth_time, g.nonce, u.email_verified_at IS NOT NULL
                          FROM grants g JOIN users u ON u.id = g.user_id
                          WHERE g.id = ?1 AND g.revoked_at IS NULL AND g.expires_at > ?2
                            AND u.disabled_at IS NULL";
const CODE: &str = "SELECT grant_id, redirect_uri, code_challenge, used_at IS NOT NULL, expires_at <= ?2
                    FROM authorization_codes WHERE code_hash = ?1";
/// Used only while its grant is live: a grant revoked (or an account disabled) since the code was read
/// issues nothing.
const USE_CODE: &str = "UPDATE authorization_codes SET used_at = ?2
                        WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2
                          AND EXISTS (SELECT 1 FROM grants g JOIN users u ON u.id = g.user_id
                                      WHERE g.id = authorization_codes.grant_id AND g.revoked_at IS NULL
                                        AND u.disabled_at IS NULL)
                        RETURNING grant_id";
const GRANT_OF_CODE: &str = "SELECT grant_id FROM authorization_codes WHERE code_hash = ?1";
const INSERT_REFRESH: &str = "INSERT INTO refresh_tokens (token_hash, grant_id, expires_at) VALUES (?1, ?2, ?3)";
const USE_REFRESH: &str = "UPDATE refresh_tokens SET used_at = ?3
                           WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?3
                             AND EXISTS (SELECT 1 FROM grants g WHERE g.id = refresh_tokens.grant_id AND g.client_id = ?2)
                           RETURNING grant_id";
const USED_REFRESH: &str = "SELECT r.grant_id FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id
                            WHERE r.token_hash = ?1 AND g.client_id = ?2 AND r.used_at IS NOT NULL";
const REVOKE: &str = "UPDATE grants SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";
const REVOKE_BY_REFRESH: &str = "UPDATE grants SET revoked_at = ?3
                                 WHERE revoked_at IS NULL AND client_id = ?2
                                   AND id = (SELECT grant_id FROM refresh_tokens WHERE token_hash = ?1)";
const REVOKE_BY_SESSION: &str = "UPDATE grants SET revoked_at = ?2 WHERE session_hash = ?1 AND revoked_at IS NULL";

impl Sqlite {
    pub(in crate::store) async fn issue_code(&self, grant: NewGrant, code: NewCode) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.prepare_cached(INSERT_GRANT)?.execute(params![
                grant.id,
                grant.client_id,
                grant.user_id,
                grant.session_hash,
                grant.scope,
                grant.methods,
                grant.auth_time,
                grant.nonce,
                now(),
                grant.expires_at
            ])?;
            tx.prepare_cached(INSERT_CODE)?.execute(params![
                code.code_hash,
                grant.id,
                code.redirect_uri,
                code.code_challenge,
                code.expires_at
            ])?;
            Ok(())
        })
        .await
    }

    pub(in crate::store) async fn find_code(&self, code_hash: Vec<u8>) -> Result<Option<CodeRow>, StoreError> {
        self.read(move |conn| {
            let time = now();
            let code = conn
                .prepare_cached(CODE)?
                .query_row(params![code_hash, time], |r| {
                    Ok(CodeRow {
                        grant_id: r.get(0)?,
                        grant: None,
                        redirect_uri: r.get(1)?,
                        code_challenge: r.get(2)?,
                        used: r.get(3)?,
                        expired: r.get(4)?,
                    })
                })
                .optional()?;
            let Some(mut code) = code else { return Ok(None) };
            code.grant = live_grant(conn, &code.grant_id)?;
            Ok(Some(code))
        })
        .await
    }

    pub(in crate::store) async fn use_code(
        &self,
        code_hash: Vec<u8>,
        refresh: NewRefreshToken,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| {
            let time = now();
            let used: Option<String> =
                tx.prepare_cached(USE_CODE)?.query_row(params![code_hash, time], |r| r.get(0)).optional()?;
            if let Some(grant_id) = used {
                tx.prepare_cached(INSERT_REFRESH)?.execute(params![
                    refresh.token_hash,
                    grant_id,
                    refresh.expires_at
                ])?;
                return Ok(true);
            }
            let grant_id: Option<String> =
                tx.prepare_cached(GRANT_OF_CODE)?.query_row([code_hash], |r| r.get(0)).optional()?;
            if let Some(grant_id) = grant_id {
                revoke(tx, &grant_id)?;
            }
            Ok(false)
        })
        .await
    }

    pub(in crate::store) async fn use_refresh_token(
        &self,
        token_hash: Vec<u8>,
        client_id: String,
        next: NewRefreshToken,
    ) -> Result<RefreshUse, StoreError> {
        self.write(move |tx| {
            let time = now();
            let used: Option<String> = tx
                .prepare_cached(USE_REFRESH)?
                .query_row(params![token_hash, client_id, time], |r| r.get(0))
                .optional()?;
            if let Some(grant_id) = used {
                let Some(grant) = live_grant(tx, &grant_id)? else { return Ok(RefreshUse::Refused) };
                tx.prepare_cached(INSERT_REFRESH)?.execute(params![next.token_hash, grant_id, next.expires_at])?;
                return Ok(RefreshUse::Rotated(Box::new(grant)));
            }
            let replayed: Option<String> =
                tx.prepare_cached(USED_REFRESH)?.query_row(params![token_hash, client_id], |r| r.get(0)).optional()?;
            let Some(grant_id) = replayed else { return Ok(RefreshUse::Refused) };
            revoke(tx, &grant_id)?;
            Ok(RefreshUse::Replayed)
        })
        .await
    }

    pub(in crate::store) async fn live_grant(&self, grant_id: String) -> Result<Option<GrantRow>, StoreError> {
        self.read(move |conn| live_grant(conn, &grant_id)).await
    }

    pub(in crate::store) async fn revoke_grant(&self, grant_id: String) -> Result<(), StoreError> {
        self.write(move |tx| revoke(tx, &grant_id)).await
    }

    pub(in crate::store) async fn revoke_refresh_token(
        &self,
        token_hash: Vec<u8>,
        client_id: String,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.prepare_cached(REVOKE_BY_REFRESH)?.execute(params![token_hash, client_id, now()])?;
            Ok(())
        })
        .await
    }

    pub(in crate::store) async fn revoke_session_grants(&self, session_hash: Vec<u8>) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.prepare_cached(REVOKE_BY_SESSION)?.execute(params![session_hash, now()])?;
            Ok(())
        })
        .await
    }
}

fn live_grant(conn: &Connection, grant_id: &str) -> Result<Option<GrantRow>, StoreError> {
    Ok(conn
        .prepare_cached(LIVE_GRANT)?
        .query_row(params![grant_id, now()], |r| {
            Ok(GrantRow {
                id: r.get(0)?,
                client_id: r.get(1)?,
                user_id: r.get(2)?,
                user_handle: r.get(3)?,
                email: r.get(4)?,
                display_name: r.get(5)?,
                scope: r.get(6)?,
                methods: r.get(7)?,
                auth_time: r.get(8)?,
                nonce: r.get(9)?,
                email_verified: r.get(10)?,
            })
        })
        .optional()?)
}

fn revoke(conn: &Connection, grant_id: &str) -> Result<(), StoreError> {
    conn.prepare_cached(REVOKE)?.execute(params![grant_id, now()])?;
    Ok(())
}
