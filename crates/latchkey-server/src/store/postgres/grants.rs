//! PostgreSQL: grants, their authorization codes and refresh tokens. The conditional `UPDATE … RETURNING`
//! that uses a code or refresh token takes its row lock, so of two concurrent uses one finds it used.

use deadpool_postgres::GenericClient;

use super::Postgres;
use crate::store::{CodeRow, GrantRow, NewCode, NewGrant, NewRefreshToken, RefreshUse, StoreError, now};

const INSERT_GRANT: &str = "INSERT INTO grants (id, client_id, user_id, session_hash, scope, methods, auth_time,
                                                nonce, created_at, expires_at)
                            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const INSERT_CODE: &str = "INSERT INTO authorization_codes (code_hash, grant_id, redirect_uri, code_challenge,
                                                            expires_at)
                           VALUES ($1, $2, $3, $4, $5)";
const LIVE_GRANT: &str = "SELECT g.id, g.client_id, g.user_id, u.handle, u.email, u.display_name, g.scope,
                                 g.methods, g.auth_time, g.nonce, u.email_verified_at IS NOT NULL
                          FROM grants g JOIN users u ON u.id = g.user_id
                          WHERE g.id = $1 AND g.revoked_at IS NULL AND g.expires_at > $2
                            AND u.disabled_at IS NULL";
const CODE: &str = "SELECT grant_id, redirect_uri, code_challenge, used_at IS NOT NULL, expires_at <= $2
                    FROM authorization_codes WHERE code_hash = $1";
/// Used only while its grant is live: a grant revoked (or an account disabled) since the code was read
/// issues nothing.
const USE_CODE: &str = "UPDATE authorization_codes SET used_at = $2
                        WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
                          AND EXISTS (SELECT 1 FROM grants g JOIN users u ON u.id = g.user_id
                                      WHERE g.id = authorization_codes.grant_id AND g.revoked_at IS NULL
                                        AND u.disabled_at IS NULL)
                        RETURNING grant_id";
const GRANT_OF_CODE: &str = "SELECT grant_id FROM authorization_codes WHERE code_hash = $1";
const INSERT_REFRESH: &str = "INSERT INTO refresh_tokens (token_hash, grant_id, expires_at) VALUES ($1, $2, $3)";
const USE_REFRESH: &str = "UPDATE refresh_tokens SET used_at = $3
                           WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $3
                             AND EXISTS (SELECT 1 FROM grants g WHERE g.id = refresh_tokens.grant_id AND g.client_id = $2)
                           RETURNING grant_id";
const USED_REFRESH: &str = "SELECT r.grant_id FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id
                            WHERE r.token_hash = $1 AND g.client_id = $2 AND r.used_at IS NOT NULL";
const REVOKE: &str = "UPDATE grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
const REVOKE_BY_REFRESH: &str = "UPDATE grants SET revoked_at = $3
                                 WHERE revoked_at IS NULL AND client_id = $2
                                   AND id = (SELECT grant_id FROM refresh_tokens WHERE token_hash = $1)";
const REVOKE_BY_SESSION: &str = "UPDATE grants SET revoked_at = $2 WHERE session_hash = $1 AND revoked_at IS NULL";

impl Postgres {
    pub(in crate::store) async fn issue_code(&self, grant: NewGrant, code: NewCode) -> Result<(), StoreError> {
        let mut db = self.client().await?;
        let tx = db.transaction().await?;
        let (insert_grant, insert_code) =
            tokio::try_join!(tx.prepare_cached(INSERT_GRANT), tx.prepare_cached(INSERT_CODE))?;
        tx.execute(
            &insert_grant,
            &[
                &grant.id,
                &grant.client_id,
                &grant.user_id,
                &grant.session_hash,
                &grant.scope,
                &grant.methods,
                &grant.auth_time,
                &grant.nonce,
                &now(),
                &grant.expires_at,
            ],
        )
        .await?;
        tx.execute(
            &insert_code,
            &[&code.code_hash, &grant.id, &code.redirect_uri, &code.code_challenge, &code.expires_at],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(in crate::store) async fn find_code(&self, code_hash: Vec<u8>) -> Result<Option<CodeRow>, StoreError> {
        let db = self.client().await?;
        let Some(row) = db.query_opt(&db.prepare_cached(CODE).await?, &[&code_hash, &now()]).await? else {
            return Ok(None);
        };
        let grant_id: String = row.try_get(0)?;
        let grant = live_grant(&db, &grant_id).await?;
        Ok(Some(CodeRow {
            grant_id,
            grant,
            redirect_uri: row.try_get(1)?,
            code_challenge: row.try_get(2)?,
            used: row.try_get(3)?,
            expired: row.try_get(4)?,
        }))
    }

    pub(in crate::store) async fn use_code(
        &self,
        code_hash: Vec<u8>,
        refresh: NewRefreshToken,
    ) -> Result<bool, StoreError> {
        let mut db = self.client().await?;
        let tx = db.transaction().await?;
        let time = now();
        let used = tx.query_opt(&tx.prepare_cached(USE_CODE).await?, &[&code_hash, &time]).await?;
        if let Some(row) = used {
            let grant_id: String = row.try_get(0)?;
            tx.execute(
                &tx.prepare_cached(INSERT_REFRESH).await?,
                &[&refresh.token_hash, &grant_id, &refresh.expires_at],
            )
            .await?;
            tx.commit().await?;
            return Ok(true);
        }
        if let Some(row) = tx.query_opt(&tx.prepare_cached(GRANT_OF_CODE).await?, &[&code_hash]).await? {
            revoke(&tx, &row.try_get::<_, String>(0)?).await?;
        }
        tx.commit().await?;
        Ok(false)
    }

    pub(in crate::store) async fn use_refresh_token(
        &self,
        token_hash: Vec<u8>,
        client_id: String,
        next: NewRefreshToken,
    ) -> Result<RefreshUse, StoreError> {
        let mut db = self.client().await?;
        let tx = db.transaction().await?;
        let used = tx.query_opt(&tx.prepare_cached(USE_REFRESH).await?, &[&token_hash, &client_id, &now()]).await?;
        let outcome = if let Some(row) = used {
            let grant_id: String = row.try_get(0)?;
            match live_grant(&tx, &grant_id).await? {
                Some(grant) => {
                    tx.execute(
                        &tx.prepare_cached(INSERT_REFRESH).await?,
                        &[&next.token_hash, &grant_id, &next.expires_at],
                    )
                    .await?;
                    RefreshUse::Rotated(Box::new(grant))
                }
                None => RefreshUse::Refused,
            }
        } else {
            match tx.query_opt(&tx.prepare_cached(USED_REFRESH).await?, &[&token_hash, &client_id]).await? {
                Some(row) => {
                    revoke(&tx, &row.try_get::<_, String>(0)?).await?;
                    RefreshUse::Replayed
                }
                None => RefreshUse::Refused,
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    pub(in crate::store) async fn live_grant(&self, grant_id: String) -> Result<Option<GrantRow>, StoreError> {
        live_grant(&self.client().await?, &grant_id).await
    }

    pub(in crate::store) async fn revoke_grant(&self, grant_id: String) -> Result<(), StoreError> {
        revoke(&self.client().await?, &grant_id).await
    }

    pub(in crate::store) async fn revoke_refresh_token(
        &self,
        token_hash: Vec<u8>,
        client_id: String,
    ) -> Result<(), StoreError> {
        let db = self.client().await?;
        db.execute(&db.prepare_cached(REVOKE_BY_REFRESH).await?, &[&token_hash, &client_id, &now()]).await?;
        Ok(())
    }

    pub(in crate::store) async fn revoke_session_grants(&self, session_hash: Vec<u8>) -> Result<(), StoreError> {
        let db = self.client().await?;
        db.execute(&db.prepare_cached(REVOKE_BY_SESSION).await?, &[&session_hash, &now()]).await?;
        Ok(())
    }
}

async fn live_grant(db: &impl GenericClient, grant_id: &str) -> Result<Option<GrantRow>, StoreError> {
    let Some(r) = db.query_opt(&db.prepare_cached(LIVE_GRANT).await?, &[&grant_id, &now()]).await? else {
        return Ok(None);
    };
    Ok(Some(GrantRow {
        id: r.try_get(0)?,
        client_id: r.try_get(1)?,
        user_id: r.try_get(2)?,
        user_handle: r.try_get(3)?,
        email: r.try_get(4)?,
        display_name: r.try_get(5)?,
        scope: r.try_get(6)?,
        methods: r.try_get(7)?,
        auth_time: r.try_get(8)?,
        nonce: r.try_get(9)?,
        email_verified: r.try_get(10)?,
    }))
}

async fn revoke(db: &impl GenericClient, grant_id: &str) -> Result<(), StoreError> {
    db.execute(&db.prepare_cached(REVOKE).await?, &[&grant_id, &now()]).await?;
    Ok(())
}
