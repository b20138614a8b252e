//! SQLite: email links, and the proof, claim or move their use makes.

use rusqlite::{OptionalExtension, params};

use super::Sqlite;
use crate::store::{EmailLink, EmailProof, Moved, Proved, StoreError, now};

const ISSUE: &str = "INSERT INTO email_links (token_hash, user_id, new_email, session_hash, expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)";
const WITHDRAW: &str = "DELETE FROM email_links WHERE token_hash = ?1";
const PEEK: &str = "SELECT u.id, u.email, u.created_at, u.email_verified_at IS NOT NULL, l.new_email, l.session_hash
                    FROM email_links l JOIN users u ON u.id = l.user_id
                    WHERE l.token_hash = ?1 AND l.expires_at > ?2";
const TAKE: &str = "DELETE FROM email_links WHERE token_hash = ?1 AND new_email IS NULL RETURNING user_id, expires_at";
/// A change link is taken only in the browser of the open session that asked for it.
const TAKE_CHANGE: &str = "DELETE FROM email_links WHERE token_hash = ?1 AND new_email IS NOT NULL AND expires_at > ?3
                             AND session_hash = ?2
                             AND EXISTS (SELECT 1 FROM sessions s WHERE s.id_hash = ?2 AND s.user_id = email_links.user_id
                                         AND s.revoked_at IS NULL AND s.expires_at > ?3)
                           RETURNING user_id, new_email";
const CHANGE_LIVE: &str =
    "SELECT EXISTS (SELECT 1 FROM email_links WHERE token_hash = ?1 AND new_email IS NOT NULL AND expires_at > ?2)";
const EMAIL_TAKEN: &str = "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1)";
const MOVE: &str = "UPDATE users SET email = ?2, email_verified_at = ?3 WHERE id = ?1";
const EMAIL: &str = "SELECT email FROM users WHERE id = ?1";
/// The first proof of the email: changes a row only if there was none before.
const PROVE_EMAIL: &str = "UPDATE users SET email_verified_at = ?2 WHERE id = ?1 AND email_verified_at IS NULL";
const END_LINKS: &str = "DELETE FROM email_links WHERE user_id = ?1";
/// What a claim removes: every way in made before the proof (these, and the passkeys last, whose
/// count it reports), and whatever any of them opened (the revocations).
const CLAIM: [&str; 4] = [
    "DELETE FROM ceremonies WHERE user_id = ?1",
    "DELETE FROM password_resets WHERE user_id = ?1",
    "DELETE FROM outbox WHERE reset_for = ?1 OR verify_for = ?1 OR change_for = ?1",
    "UPDATE users SET password_hash = NULL WHERE id = ?1",
];
const REVOKE: [&str; 2] = [
    "UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
    "UPDATE grants SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
];
const END_PASSKEYS: &str = "DELETE FROM passkeys WHERE user_id = ?1";

impl Sqlite {
    pub(in crate::store) async fn issue_email_link(
        &self,
        user_id: i64,
        token_hash: Vec<u8>,
        change: Option<(String, Vec<u8>)>,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let (new_email, session_hash) = change.unzip();
        self.write(move |tx| {
            let row = params![token_hash, user_id, new_email, session_hash, expires_at];
            Ok(tx.prepare_cached(ISSUE)?.execute(row).map(drop)?)
        })
        .await
    }

    pub(in crate::store) async fn withdraw_email_link(&self, token_hash: Vec<u8>) -> Result<(), StoreError> {
        self.write(move |tx| Ok(tx.prepare_cached(WITHDRAW)?.execute([token_hash]).map(drop)?)).await
    }

    pub(in crate::store) async fn email_link(&self, token_hash: Vec<u8>) -> Result<Option<EmailLink>, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .prepare_cached(PEEK)?
                .query_row(params![token_hash, now()], |r| {
                    Ok(EmailLink {
                        user_id: r.get(0)?,
                        email: r.get(1)?,
                        created_at: r.get(2)?,
                        verified: r.get(3)?,
                        new_email: r.get(4)?,
                        session_hash: r.get(5)?,
                    })
                })
                .optional()?)
        })
        .await
    }

    pub(in crate::store) async fn use_email_link(
        &self,
        token_hash: Vec<u8>,
        proof: EmailProof,
    ) -> Result<Option<Proved>, StoreError> {
        self.write(move |tx| {
            let time = now();
            let taken = tx
                .prepare_cached(TAKE)?
                .query_row([token_hash], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
                .optional()?;
            let Some((user_id, _)) = taken.filter(|&(_, expires_at)| expires_at > time) else { return Ok(None) };
            let email: String = tx.prepare_cached(EMAIL)?.query_row([user_id], |r| r.get(0))?;
            let first_proof = tx.prepare_cached(PROVE_EMAIL)?.execute(params![user_id, time])? > 0;
            tx.prepare_cached(END_LINKS)?.execute([user_id])?;
            let claimed = if first_proof && proof == EmailProof::Claim {
                for statement in CLAIM {
                    tx.prepare_cached(statement)?.execute([user_id])?;
                }
                for statement in REVOKE {
                    tx.prepare_cached(statement)?.execute(params![user_id, time])?;
                }
                Some(tx.prepare_cached(END_PASSKEYS)?.execute([user_id])? as u64)
            } else {
                None
            };
            Ok(Some(Proved { user_id, email, first_proof, claimed }))
        })
        .await
    }

    pub(in crate::store) async fn move_email(
        &self,
        token_hash: Vec<u8>,
        session: Vec<u8>,
    ) -> Result<Option<Moved>, StoreError> {
        self.write(move |tx| {
            let time = now();
            let taken = tx
                .prepare_cached(TAKE_CHANGE)?
                .query_row(params![token_hash, session, time], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                .optional()?;
            let Some((user_id, to)) = taken else {
                let live: bool = tx.prepare_cached(CHANGE_LIVE)?.query_row(params![token_hash, time], |r| r.get(0))?;
                return Ok(live.then_some(Moved::NotThisSession));
            };
            if tx.prepare_cached(EMAIL_TAKEN)?.query_row([&to], |r| r.get::<_, bool>(0))? {
                return Ok(Some(Moved::Taken));
            }
            let from: String = tx.prepare_cached(EMAIL)?.query_row([user_id], |r| r.get(0))?;
            tx.prepare_cached(MOVE)?.execute(params![user_id, to, time])?;
            tx.prepare_cached(END_LINKS)?.execute([user_id])?;
            Ok(Some(Moved::Done { user_id, from, to }))
        })
        .await
    }
}
