//! Passwords: "Forgot password?" (queued for the outbox worker), the reset link's new password, and
//! setting or changing the password from the account page; the password rules and argon2's limits.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use latchkey_proto::{ChangePassword, ErrorCode, Identify, PasswordReset, events::EventCode};
use serde_json::json;
use tokio::sync::Semaphore;

use crate::{
    error::ApiError,
    events::{self, Client, Event, capped},
    handlers::{
        account::account_by_id,
        sessions::{cookie_lifetime_secs, recently_signed_in, signed_in},
    },
    hashing::argon2,
    http::{ApiJson, no_store},
    limits::{self, Subject},
    notices::{self, Notice},
    password, session,
    state::AppState,
    text_rules,
};

/// `POST /api/password/forgot`: queues a reset link for the email. The answer is `204` once the request
/// is stored, before any lookup: whether the email has an account shows neither in the answer nor in
/// its timing. The outbox worker looks the account up, issues the link and mails it
/// (`background.rs`); the queued request survives a crash.
pub async fn password_forgot(
    State(app): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<Identify>,
) -> Result<Response, ApiError> {
    let email = text_rules::email(&body.email)?;
    // Both limits count every request, account or not, so a refusal says nothing about the address.
    limits::take(&app, limits::RESET_REQUESTS_PER_IP, Subject::Ip(&client)).await?;
    limits::take(&app, limits::RESET_REQUESTS_PER_EMAIL, Subject::Email(&email)).await?;
    app.store.queue_reset_request(email, client.ip, capped(client.user_agent.as_deref()), client.language).await?;
    app.outbox_ready.notify_one();
    Ok(no_store(StatusCode::NO_CONTENT))
}

/// `POST /api/password/reset`: sets the new password, uses the link up and signs every session of the
/// account out, in one transaction; the first proof of the account's email claims it too (its passkeys
/// go), recorded as `account_claimed`.
pub async fn password_reset(
    State(app): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<PasswordReset>,
) -> Result<Response, ApiError> {
    password::check_length(&body.password)?;
    limits::take(&app, limits::RESETS_PER_IP, Subject::Ip(&client)).await?;
    let token_hash = session::hash_secret(&body.token);
    // A dead link is refused before the strength check and the hashing, so it costs neither.
    if !app.store.reset_token_is_live(token_hash.clone()).await? {
        return Err(ErrorCode::ResetLinkInvalid.into());
    }
    check_new_password(&app, &body.password, "").await?;
    let new = body.password;
    let hash = argon2(&client, move || password::hash(&new)).await?.map_err(|e| ApiError::internal("hashing", e))?;
    let reset = app.store.reset_password(token_hash, hash).await??;
    let user_id = reset.user_id;
    events::record(&app, &client, Event::new(EventCode::PasswordReset).user(user_id)).await;
    let account = account_by_id(&app, user_id).await?;
    let notice = match reset.claimed {
        // The mailbox owner proved the address for the first time: what was made before is gone.
        Some(passkeys) => {
            let claimed = Event::new(EventCode::AccountClaimed).user(user_id).detail(json!({ "passkeys": passkeys }));
            events::record(&app, &client, claimed).await;
            Notice::AccountClaimed
        }
        None => Notice::PasswordReset,
    };
    notices::notify(&app, &client, &account.email, notice).await;
    Ok(no_store(StatusCode::NO_CONTENT))
}

/// `POST /api/account/password`: sets a password (an account without one) or changes it (the current
/// one is checked first, with the same argon2 work as a sign-in).
pub async fn change_password(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<Response, ApiError> {
    let (user_id, session) = signed_in(&app, &headers).await?;
    let account = account_by_id(&app, user_id).await?;
    password::check_length(&body.password)?;
    match account.password_hash.clone() {
        Some(stored) => {
            // The current password is a guess like a sign-in's, limited the same way, and checked before
            // the new one's strength: only a right guess is worth that work, and gets its place back.
            let guesses = limits::password_guesses(&account.email, &client);
            let reservation = limits::reserve(&app, &guesses).await?;
            let current = body.current.unwrap_or_default();
            if !argon2(&client, move || password::verify(Some(&stored), &current)).await? {
                return Err(ErrorCode::WrongPassword.into());
            }
            reservation.give_back(&app).await?;
        }
        // No old password to check: the sign-in itself must be recent.
        None => {
            recently_signed_in(&app, &headers).await?;
        }
    }
    check_new_password(&app, &body.password, &account.email).await?;
    let new = body.password;
    let hash = argon2(&client, move || password::hash(&new)).await?.map_err(|e| ApiError::internal("hashing", e))?;
    // The session goes on under a new ID: one that leaked before the change is worth nothing after it.
    let renewed = session::new_secret();
    let cookie = session::set_cookie(&renewed.secret, app.config.is_https(), cookie_lifetime_secs(&app))?;
    if !app.store.set_password(user_id, hash, session, renewed.id_hash).await? {
        return Err(ApiError::with_detail(ErrorCode::NotSignedIn, "the session ended during the change"));
    }
    events::record(&app, &client, Event::new(EventCode::PasswordChanged).user(user_id).email(&account.email)).await;
    let notice = if account.password_hash.is_some() { Notice::PasswordChanged } else { Notice::PasswordSet };
    notices::notify(&app, &client, &account.email, notice).await;
    Ok(no_store((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)])))
}

/// The password rules, with the words an attacker would try first for this account: the length at once,
/// then zxcvbn's estimate on the blocking pool, at most [`MAX_STRENGTH_CHECKS_AT_ONCE`] at a time, so
/// slow inputs cannot stall the async workers (and with them every other request).
pub async fn check_new_password(app: &AppState, password: &str, email: &str) -> Result<(), ApiError> {
    password::check_length(password)?;
    static PERMITS: Semaphore = Semaphore::const_new(MAX_STRENGTH_CHECKS_AT_ONCE);
    let permit = PERMITS.acquire().await.map_err(|e| ApiError::internal("strength permits", e))?;
    let local_part = email.split('@').next().unwrap_or_default();
    let context = [email.to_owned(), local_part.to_owned(), app.config.rp_name.clone()];
    let password = password.to_owned();
    // The permit goes with the work: a request given up on (its client gone, its time out) still holds
    // its place until the estimate it started is done.
    let verdict = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let context: Vec<&str> = context.iter().map(String::as_str).collect();
        password::check_strength(&password, &context)
    })
    .await
    .map_err(|e| ApiError::internal("blocking task", e))?;
    verdict.map_err(ApiError::new)
}

/// Most zxcvbn estimates at once: one per core, so a burst of slow inputs queues here.
const MAX_STRENGTH_CHECKS_AT_ONCE: usize = 2;
