//! PostgreSQL: email links, and the proof, claim or move their use makes.

use super::Postgres;
use crate::store::{EmailLink, EmailProof, Moved, Proved, StoreError, now};

const ISSUE: &str = "INSERT INTO email_links (token_hash, user_id, new_email, session_hash, expires_at)
                     VALUES ($1, $2, $3, $4, $5)";
const WITHDRAW: &str = "DELETE FROM email_links WHERE token_hash = $1";
const PEEK: &str = "SELECT u.id, u.email, u.created_at, u.email_verified_at IS NOT NULL, l.new_email, l.session_hash
                    FROM email_links l JOIN users u ON u.id = l.user_id
                    WHERE l.token_hash = $1 AND l.expires_at > $2";
const TAKE: &str = "DELETE FROM email_links WHERE token_hash = $1 AND new_email IS NULL RETURNING user_id, expires_at";
/// A change link is taken only in the browser of the open session that asked for it.
const TAKE_CHANGE: &str = "DELETE FROM email_links WHERE token_hash = $1 AND new_email IS NOT NULL AND expires_at > $3
                             AND session_hash = $2
                             AND EXISTS (SELECT 1 FROM sessions s WHERE s.id_hash = $2 AND s.user_id = email_links.user_id
                                         AND s.revoked_at IS NULL AND s.expires_at > $3)
                           RETURNING user_id, new_email";
/// The account of a change link, locked before the link is taken: every change to an account's ways in
/// locks the account first, so a claim and a move cannot wait on each other.
const LOCK_CHANGE_ACCOUNT: &str = "SELECT u.id FROM email_links l JOIN users u ON u.id = l.user_id
                                   WHERE l.token_hash = $1 FOR NO KEY UPDATE OF u";
const CHANGE_LIVE: &str =
    "SELECT EXISTS (SELECT 1 FROM email_links WHERE token_hash = $1 AND new_email IS NOT NULL AND expires_at > $2)";
const EMAIL_TAKEN: &str =
    "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email COLLATE \"C\") = lower($1 COLLATE \"C\"))";
const MOVE: &str = "UPDATE users SET email = $2, email_verified_at = $3 WHERE id = $1";
/// The account is locked for the proof, so a passkey added meanwhile waits and then sees the claim (the
/// same lock as adding one takes, which rows referring to the account do not wait for).
const EMAIL: &str = "SELECT email FROM users WHERE id = $1 FOR NO KEY UPDATE";
/// The first proof of the email: changes a row only if there was none before.
const PROVE_EMAIL: &str = "UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL";
const END_LINKS: &str = "DELETE FROM email_links WHERE user_id = $1";
/// What a claim removes: every way in made before the proof (these, and the passkeys last, whose
/// count it reports), and whatever any of them opened (the revocations).
const CLAIM: [&str; 4] = [
    "DELETE FROM ceremonies WHERE user_id = $1",
    "DELETE FROM password_resets WHERE user_id = $1",
    "DELETE FROM outbox WHERE reset_for = $1 OR verify_for = $1 OR change_for = $1",
    "UPDATE users SET password_hash = NULL WHERE id = $1",
];
const REVOKE: [&str; 2] = [
    "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
    "UPDATE grants SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
];
const END_PASSKEYS: &str = "DELETE FROM passkeys WHERE user_id = $1";

impl Postgres {
    pub(in crate::store) async fn issue_email_link(
        &self,
        user_id: i64,
        token_hash: Vec<u8>,
        change: Option<(String, Vec<u8>)>,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let (new_email, session_hash) = change.unzip();
        let client = self.client().await?;
        let statement = client.prepare_cached(ISSUE).await?;
        client.execute(&statement, &[&token_hash, &user_id, &new_email, &session_hash, &expires_at]).await?;
        Ok(())
    }

    pub(in crate::store) async fn withdraw_email_link(&self, token_hash: Vec<u8>) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.execute(&client.prepare_cached(WITHDRAW).await?, &[&token_hash]).await?;
        Ok(())
    }

    pub(in crate::store) async fn email_link(&self, token_hash: Vec<u8>) -> Result<Option<EmailLink>, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt(&client.prepare_cached(PEEK).await?, &[&token_hash, &now()]).await?;
        row.map(|r| {
            Ok(EmailLink {
                user_id: r.try_get(0)?,
                email: r.try_get(1)?,
                created_at: r.try_get(2)?,
                verified: r.try_get(3)?,
                new_email: r.try_get(4)?,
                session_hash: r.try_get(5)?,
            })
        })
        .transpose()
    }

    pub(in crate::store) async fn use_email_link(
        &self,
        token_hash: Vec<u8>,
        proof: EmailProof,
    ) -> Result<Option<Proved>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let time = now();
        let taken = tx.query_opt(&tx.prepare_cached(TAKE).await?, &[&token_hash]).await?;
        let mut proved = None;
        if let Some(row) = taken {
            let (user_id, expires_at): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
            if expires_at > time {
                let email: String = tx.query_one(&tx.prepare_cached(EMAIL).await?, &[&user_id]).await?.try_get(0)?;
                let first_proof = tx.execute(&tx.prepare_cached(PROVE_EMAIL).await?, &[&user_id, &time]).await? > 0;
                tx.execute(&tx.prepare_cached(END_LINKS).await?, &[&user_id]).await?;
                let claimed = if first_proof && proof == EmailProof::Claim {
                    for statement in CLAIM {
                        tx.execute(&tx.prepare_cached(statement).await?, &[&user_id]).await?;
                    }
                    for statement in REVOKE {
                        tx.execute(&tx.prepare_cached(statement).await?, &[&user_id, &time]).await?;
                    }
                    Some(tx.execute(&tx.prepare_cached(END_PASSKEYS).await?, &[&user_id]).await?)
                } else {
                    None
                };
                proved = Some(Proved { user_id, email, first_proof, claimed });
            }
        }
        // An expired link is used up too: committing keeps it deleted.
        tx.commit().await?;
        Ok(proved)
    }

    pub(in crate::store) async fn move_email(
        &self,
        token_hash: Vec<u8>,
        session: Vec<u8>,
    ) -> Result<Option<Moved>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let time = now();
        tx.query_opt(&tx.prepare_cached(LOCK_CHANGE_ACCOUNT).await?, &[&token_hash]).await?;
        let taken = tx.query_opt(&tx.prepare_cached(TAKE_CHANGE).await?, &[&token_hash, &session, &time]).await?;
        let Some(row) = taken else {
            let statement = tx.prepare_cached(CHANGE_LIVE).await?;
            let live: bool = tx.query_one(&statement, &[&token_hash, &time]).await?.try_get(0)?;
            return Ok(live.then_some(Moved::NotThisSession));
        };
        let (user_id, to): (i64, String) = (row.try_get(0)?, row.try_get(1)?);
        let exists: bool = tx.query_one(&tx.prepare_cached(EMAIL_TAKEN).await?, &[&to]).await?.try_get(0)?;
        let moved = if exists {
            Moved::Taken
        } else {
            let from: String = tx.query_one(&tx.prepare_cached(EMAIL).await?, &[&user_id]).await?.try_get(0)?;
            tx.execute(&tx.prepare_cached(MOVE).await?, &[&user_id, &to, &time]).await?;
            tx.execute(&tx.prepare_cached(END_LINKS).await?, &[&user_id]).await?;
            Moved::Done { user_id, from, to }
        };
        // The link is used up either way. A unique violation (the address taken by a sign-up between
        // the check and the move) fails the whole transaction, and the link with it.
        tx.commit().await?;
        Ok(Some(moved))
    }
}
