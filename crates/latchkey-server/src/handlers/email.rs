//! The account's email from the account page: its verification link mailed again, and a change of
//! address, which a link mailed to the new address confirms.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};

use latchkey_proto::ChangeEmail;

use crate::{
    error::ApiError,
    events::Client,
    handlers::{
        account::account_by_id,
        sessions::{recently_signed_in, session_user},
    },
    http::{ApiJson, no_store},
    limits::{self, Subject},
    notices,
    state::AppState,
    text_rules,
};

/// `POST /api/account/email/verify`: mails the signed-in account's verification link again, unless the
/// email is verified already.
pub async fn resend_verification(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let account = account_by_id(&app, session_user(&app, &headers).await?).await?;
    if !account.email_verified {
        limits::take(&app, limits::EMAIL_LINKS_PER_EMAIL, Subject::Email(&account.email)).await?;
        notices::mail_verification_link(&app, &client, account.id, &account.email).await;
    }
    Ok(no_store(StatusCode::NO_CONTENT))
}

/// `POST /api/account/email`: asks to move the signed-in account to another address, after a recent
/// sign-in. The change waits for the new address's owner to open the link mailed there; the answer is
/// the same whether or not the address has an account (its mailbox is told which).
pub async fn change_email(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ChangeEmail>,
) -> Result<Response, ApiError> {
    let (user_id, session) = recently_signed_in(&app, &headers).await?;
    let email = text_rules::email(&body.email)?;
    let account = account_by_id(&app, user_id).await?;
    if email.eq_ignore_ascii_case(&account.email) {
        return Ok(no_store(StatusCode::NO_CONTENT));
    }
    // Each mailbox gets few of these mails, and each account sends few: no one mails strangers at will.
    limits::take(&app, limits::EMAIL_CHANGES_PER_ACCOUNT, Subject::Email(&account.email)).await?;
    limits::take(&app, limits::EMAIL_LINKS_PER_EMAIL, Subject::Email(&email)).await?;
    if app.store.email_exists(email.clone()).await? {
        notices::mail_address_in_use(&app, &client, &email).await;
    } else {
        notices::mail_change_link(&app, &client, user_id, session, &email).await;
    }
    Ok(no_store(StatusCode::NO_CONTENT))
}
