//! The work no request waits for: the outbox worker, which turns queued "Forgot password?" requests
//! into reset links and delivers mail with retries, the sweeper, which deletes what has expired, and
//! the policy watcher, which applies a policy another node stored.

use std::time::Duration;

use latchkey_proto::{events::EventCode, paths};

use crate::{
    events::{Client, Event},
    mail::Mailer,
    notices, session, sign_up_code,
    state::AppState,
    store::{Account, Delivered, Delivery, Mail, MailLink, NewEvent, ResetLink, ResetRequest, StoreError, now},
};

/// How often the outbox worker looks for work queued by other nodes and for retries coming due, when no
/// request of this node has woken it.
const OUTBOX_POLL: Duration = Duration::from_secs(1);

/// How often the sweeper runs.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// "Forgot password?" requests read per round.
const BATCH: u32 = 50;

/// The longest wait between two delivery attempts.
const MAX_RETRY_SECS: i64 = 3600;

/// How long a password reset link works: 15 minutes.
pub const RESET_LINK_SECS: i64 = 15 * 60;

/// How long an ended session's row is kept, for the record: 30 days.
const SESSION_RECORD_SECS: i64 = 30 * 24 * 3600;

/// How often a node checks whether another has changed the policy: a change through any node is in
/// force on every node within a second.
const POLICY_POLL: Duration = Duration::from_millis(500);

/// Starts the outbox worker, the sweeper and the policy watcher on the current Tokio runtime.
pub fn start(app: AppState, mailer: Mailer) {
    tokio::spawn(outbox(app.clone(), mailer));
    tokio::spawn(sweeper(app.clone()));
    tokio::spawn(policy_watcher(app));
}

/// Applies a policy another node stored, once its version is newer than the one in force.
async fn policy_watcher(app: AppState) {
    let mut every = tokio::time::interval(POLICY_POLL);
    loop {
        every.tick().await;
        let applied = app.live().version;
        let newer = match app.store.policy_if_newer(applied).await {
            Ok(newer) => newer,
            Err(e) => {
                tracing::error!(%e, "reading the policy");
                continue;
            }
        };
        let Some((policy, version)) = newer else { continue };
        let applied = app
            .config
            .checked_policy(policy)
            .map_err(|e| e.to_string())
            .and_then(|policy| app.apply_policy(policy, version));
        match applied {
            Ok(()) => tracing::info!(version, "applied the policy another node stored"),
            Err(e) => tracing::error!(%e, version, "the stored policy cannot be applied"),
        }
    }
}

async fn outbox(app: AppState, mailer: Mailer) {
    loop {
        if let Err(e) = drain_outbox(&app, &mailer).await {
            tracing::error!(%e, "outbox");
        }
        // Woken by this node's requests at once; by the clock for everything else.
        let _ = tokio::time::timeout(OUTBOX_POLL, app.outbox_ready.notified()).await;
    }
}

/// Issues the links of every queued reset request, then delivers every message that is due.
async fn drain_outbox(app: &AppState, mailer: &Mailer) -> Result<(), StoreError> {
    loop {
        let requests = app.store.pending_reset_requests(BATCH).await?;
        if requests.is_empty() {
            break;
        }
        for request in requests {
            let account = app.store.find_account(request.email.clone()).await?;
            let link = account.map(|account| reset_link(app, &account, &request));
            app.store.finish_reset_request(request.id, link).await?;
        }
    }
    let deliver = |mail: Mail| -> Delivery {
        let (app, mailer) = (app.clone(), mailer.clone());
        Box::pin(async move { send(&app, &mailer, mail).await })
    };
    loop {
        match app.store.deliver_next_mail(&deliver, retry_after).await? {
            Delivered::NothingDue => return Ok(()),
            Delivered::Sent => {}
            Delivered::Failed { attempts, error } => {
                tracing::warn!(%error, attempts, retry_in_secs = retry_after(attempts), "delivering mail");
            }
        }
    }
}

/// Where a mail has its link (or its sign-up code), until it is minted as the mail is sent.
pub const LINK_SLOT: &str = "{link}";

/// How long a verification link works: a day.
pub const VERIFY_LINK_SECS: i64 = 24 * 3600;

/// Sends one message. A link (or sign-up code) is minted here: its secret is stored as its hash before
/// the mail leaves (so it works when it arrives) and withdrawn if the mail does not go; the secret itself
/// exists only in the message.
async fn send(app: &AppState, mailer: &Mailer, mut mail: Mail) -> Result<(), String> {
    let from = &app.config.mail_from;
    let Some(link) = mail.link.clone() else { return mailer.deliver(from, &mail).await };
    let (slot, secret_hash) = mint(app, &link, &mail.to).await.map_err(|e| e.to_string())?;
    mail.text = mail.text.replace(LINK_SLOT, &slot);
    let sent = mailer.deliver(from, &mail).await;
    if sent.is_err() {
        let withdrawn = match link {
            MailLink::Reset(_) => app.store.withdraw_reset_token(secret_hash).await,
            MailLink::Verify(_) | MailLink::ChangeEmail(..) => app.store.withdraw_email_link(secret_hash).await,
            MailLink::SignUpCode(_) => app.store.withdraw_sign_up_code(secret_hash).await,
        };
        if let Err(e) = withdrawn {
            tracing::error!(%e, "withdrawing the secret of an unsent mail");
        }
    }
    sent
}

/// Mints what `link` puts in its mail to `to` and stores its hash: the link's URL, or a sign-up code.
async fn mint(app: &AppState, link: &MailLink, to: &str) -> Result<(String, Vec<u8>), StoreError> {
    let session::NewSecret { secret: token, id_hash: token_hash } = session::new_secret();
    // The email link's page is the server's own, under the issuer URL like every provider page.
    let email_link = || format!("{}{}?token={token}", app.config.issuer(), paths::EMAIL_LINK);
    match link {
        MailLink::Reset(user_id) => {
            app.store.issue_reset_token(*user_id, token_hash.clone(), now() + RESET_LINK_SECS).await?;
            Ok((format!("{}#latchkey-reset={token}", app.config.reset_page(&app.live().policy)), token_hash))
        }
        MailLink::Verify(user_id) => {
            app.store.issue_email_link(*user_id, token_hash.clone(), None, now() + VERIFY_LINK_SECS).await?;
            Ok((email_link(), token_hash))
        }
        MailLink::ChangeEmail(user_id, session) => {
            let change = Some((to.to_owned(), session.clone()));
            app.store.issue_email_link(*user_id, token_hash.clone(), change, now() + VERIFY_LINK_SECS).await?;
            Ok((email_link(), token_hash))
        }
        MailLink::SignUpCode(email) => {
            let code = sign_up_code::new_code();
            let code_hash = sign_up_code::code_hash(email, &code);
            app.store.issue_sign_up_code(email.clone(), code_hash.clone(), now() + sign_up_code::CODE_SECS).await?;
            Ok((code, code_hash))
        }
    }
}

/// Seconds before the next attempt: 10 s after the first failure, doubling, at most an hour.
fn retry_after(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(u32::MAX).min(16);
    (10i64 << doublings).min(MAX_RETRY_SECS)
}

/// The reset link mail for `account` (its link is minted when it is sent), in the language of the page
/// that asked, and its event.
fn reset_link(app: &AppState, account: &Account, request: &ResetRequest) -> ResetLink {
    let language = latchkey_proto::languages::choose(&request.language);
    let client = Client { ip: request.ip.clone(), user_agent: request.user_agent.clone(), language };
    let mail = notices::reset_mail(&app.config.rp_name, &client, request.requested_at, account.id, &account.email);
    let requested = Event::new(EventCode::PasswordResetRequested).user(account.id).email(&account.email);
    let event = NewEvent { at: request.requested_at, ..requested.row(&client) };
    // A request's mail is of use for as long as its link would have been, counted from the request.
    ResetLink { user_id: account.id, expires_at: request.requested_at + RESET_LINK_SECS, mail, event }
}

async fn sweeper(app: AppState) {
    // The first sweep waits a full period: a ceremony that has just expired answers `ceremony_expired`
    // until a sweep removes it, and a server that restarts often still sweeps.
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + SWEEP_EVERY, SWEEP_EVERY);
    loop {
        every.tick().await;
        let time = now();
        match app.store.sweep(time, time - SESSION_RECORD_SECS, time - crate::events::RETENTION_SECS).await {
            Ok(swept) if swept != Default::default() => tracing::debug!(?swept, "swept"),
            Ok(_) => {}
            Err(e) => tracing::error!(%e, "sweeping"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!([1, 2, 3].map(retry_after), [10, 20, 40]);
        assert_eq!(retry_after(30), MAX_RETRY_SECS);
    }
}
