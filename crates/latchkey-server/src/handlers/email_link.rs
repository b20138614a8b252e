//! The page a mailed email link opens. `GET /email?token=` says what the link is for and asks the
//! mailbox owner; opening it changes nothing, so a mail scanner that follows links does no harm. The
//! answer is a form, `POST /email`. On a verification link, "It was me" verifies the email and keeps the
//! account as it is; "It wasn't me" claims it, so whoever signed up with the address first loses every
//! way in (no pre-hijacking), and offers the owner a password of their own. A change link works only in
//! the browser whose session asked for it, while that session is open, so it proves both the account's
//! owner and the new mailbox's: "Use this address" moves the account there, and the old address is told.

use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use latchkey_proto::{events::EventCode, paths};
use serde::Deserialize;
use serde_json::json;

use crate::{
    background::RESET_LINK_SECS,
    events::{self, Client, Event},
    handlers::{account::account_by_id, sessions::browser_session},
    http::{self, CONTENT_SECURITY_POLICY},
    notices::{self, Notice},
    page::{self, escape},
    session,
    state::AppState,
    store::{EmailLink, EmailProof, Moved, Proved, StoreError, now},
};

/// Every page of the link runs this one script of ours: it takes the token off the address bar, and
/// after a claim tells the passkey provider.
const SCRIPTS: &[&str] = &["/email-link.js"];

/// The link's query.
#[derive(Debug, Deserialize)]
pub struct Opened {
    token: Option<String>,
}

/// The page's form: the link's token and the owner's answer (`keep`, `claim` or `move`).
#[derive(Debug, Deserialize)]
pub struct Answered {
    token: String,
    answer: String,
}

/// `GET /email?token=`: the question, or why the link no longer works.
pub async fn open_link(State(app): State<AppState>, headers: HeaderMap, Query(opened): Query<Opened>) -> Response {
    let Some(token) = opened.token else { return expired() };
    match app.store.email_link(session::hash_secret(&token)).await {
        Ok(Some(link)) if link.new_email.is_some() => match asking_session(&app, &headers, &link).await {
            Ok(true) => move_question(&app, &link, &token),
            Ok(false) => elsewhere(),
            Err(e) => failed(&e),
        },
        Ok(Some(link)) if link.verified => already_verified(&app),
        Ok(Some(link)) => question(&app, &link, &token),
        Ok(None) => expired(),
        Err(e) => failed(&e),
    }
}

/// `POST /email`: the owner's answer, from our own page only.
pub async fn answer_link(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Form(answered): Form<Answered>,
) -> Response {
    if !http::from_own_origin(app.config.issuer(), &headers) {
        return document(StatusCode::FORBIDDEN, "This link doesn't work", "Open the link from your mail again.");
    }
    let proof = match answered.answer.as_str() {
        "keep" => EmailProof::Keep,
        "claim" => EmailProof::Claim,
        "move" => {
            return match move_account(&app, &client, &headers, &answered.token).await {
                Ok(page) => page,
                Err(e) => failed(&e),
            };
        }
        _ => return expired(),
    };
    match answer(&app, &client, &answered.token, proof).await {
        Ok(page) => page,
        Err(e) => failed(&e),
    }
}

async fn answer(app: &AppState, client: &Client, token: &str, proof: EmailProof) -> Result<Response, StoreError> {
    let Some(proved) = app.store.use_email_link(session::hash_secret(token), proof).await? else {
        return Ok(expired());
    };
    let Proved { user_id, email, first_proof, claimed } = proved;
    Ok(match (proof, claimed) {
        (EmailProof::Keep, _) => {
            if first_proof {
                events::record(app, client, Event::new(EventCode::EmailVerified).user(user_id).email(&email)).await;
            }
            verified(app)
        }
        (EmailProof::Claim, Some(passkeys)) => {
            let detail = json!({ "passkeys": passkeys, "proof": "verification_link" });
            let event = Event::new(EventCode::AccountClaimed).user(user_id).email(&email).detail(detail);
            events::record(app, client, event).await;
            notices::notify(app, client, &email, Notice::AccountTakenBack).await;
            taken_back(app, user_id).await?
        }
        // The address was proved before: whoever proved it holds the mailbox, and nothing is removed.
        (EmailProof::Claim, None) => already_verified(app),
    })
}

/// Whether the browser's live session is the one that asked for this change link.
async fn asking_session(app: &AppState, headers: &HeaderMap, link: &EmailLink) -> Result<bool, StoreError> {
    let current = browser_session(app, headers).await?.map(|(id_hash, _)| id_hash);
    Ok(current.is_some() && current == link.session_hash)
}

async fn move_account(
    app: &AppState,
    client: &Client,
    headers: &HeaderMap,
    token: &str,
) -> Result<Response, StoreError> {
    let Some((session, _)) = browser_session(app, headers).await? else { return Ok(elsewhere()) };
    Ok(match app.store.move_email(session::hash_secret(token), session).await? {
        None => expired(),
        Some(Moved::NotThisSession) => elsewhere(),
        Some(Moved::Taken) => document(
            StatusCode::CONFLICT,
            "This address has an account already",
            "Nothing changed. Sign in to that account, or choose another address.",
        ),
        Some(Moved::Done { user_id, from, to }) => {
            let event = Event::new(EventCode::EmailChanged).user(user_id).email(&to).detail(json!({ "from": from }));
            events::record(app, client, event).await;
            notices::notify(app, client, &from, Notice::EmailChanged(&to)).await;
            moved(app, &to)
        }
    })
}

/// The question of a change link.
fn move_question(app: &AppState, link: &EmailLink, token: &str) -> Response {
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">Use this address?</h1>
  <p class="lk-idp-text">Your {site} account uses <strong>{from}</strong>. It will use <strong>{to}</strong>
  instead, and keep its passkeys and password.</p>
  <form method="post" action="{action}">
    <input type="hidden" name="token" value="{token}">
    <button class="lk-primary" type="submit" name="answer" value="move">Use this address</button>
  </form>
</div></main>"#,
        site = escape(&app.config.rp_name),
        from = escape(&link.email),
        to = escape(link.new_email.as_deref().unwrap_or_default()),
        action = paths::EMAIL_LINK,
        token = escape(token),
    );
    page::document(StatusCode::OK, "Use this address?", &body, CONTENT_SECURITY_POLICY, SCRIPTS)
}

/// After a change link: the account's new address.
fn moved(app: &AppState, to: &str) -> Response {
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">Your email is changed</h1>
  <p class="lk-idp-text" role="status">Your account uses {to} now. <a href="{account}">Go to your account</a></p>
</div></main>"#,
        to = escape(to),
        account = escape(&app.config.account_page(&app.live().policy)),
    );
    page::document(StatusCode::OK, "Your email is changed", &body, CONTENT_SECURITY_POLICY, SCRIPTS)
}

/// The question, with the link's token in the form (never in a page another site could read: the
/// page is `no-store`, framed by nobody, and sends no referrer).
fn question(app: &AppState, link: &EmailLink, token: &str) -> Response {
    let site = escape(&app.config.rp_name);
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">Verify your email</h1>
  <p class="lk-idp-text">A {site} account was made with <strong>{email}</strong> on {date}. Was it you?</p>
  <form method="post" action="{action}">
    <input type="hidden" name="token" value="{token}">
    <button class="lk-primary" type="submit" name="answer" value="keep">Yes, it was me</button>
    <p class="lk-idp-text">If it wasn't you, take the account back: its passkeys, password and sessions are
    removed, so whoever made it can no longer sign in, and you can set it up for yourself.</p>
    <button class="lk-secondary" type="submit" name="answer" value="claim">It wasn't me: take the account back</button>
  </form>
</div></main>"#,
        email = escape(&link.email),
        date = escape(&httpdate::fmt_http_date(
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(link.created_at.unsigned_abs())
        )),
        action = paths::EMAIL_LINK,
        token = escape(token),
    );
    page::document(StatusCode::OK, "Verify your email", &body, CONTENT_SECURITY_POLICY, SCRIPTS)
}

/// After "It was me".
fn verified(app: &AppState) -> Response {
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">Your email is verified</h1>
  <p class="lk-idp-text" role="status">Thank you. <a href="{account}">Go to your account</a></p>
</div></main>"#,
        account = escape(&app.config.account_page(&app.live().policy)),
    );
    page::document(StatusCode::OK, "Your email is verified", &body, CONTENT_SECURITY_POLICY, SCRIPTS)
}

/// After "It wasn't me": the account is empty, so the owner gets a password link at once (a reset
/// token, stored as its hash like any other), and the browser's passkey provider is told that no
/// passkey of the account is valid any more (WebAuthn L3 §5.1.11).
async fn taken_back(app: &AppState, user_id: i64) -> Result<Response, StoreError> {
    let account = match account_by_id(app, user_id).await {
        Ok(account) => account,
        Err(_) => return Ok(expired()),
    };
    let reset = session::new_secret();
    app.store.issue_reset_token(user_id, reset.id_hash, now() + RESET_LINK_SECS).await?;
    let policy = &app.live().policy;
    let body = format!(
        r#"<main class="lk-idp" data-signal-rp="{rp}" data-signal-user="{user}"><div class="latchkey">
  <h1 class="lk-idp-heading">The account is yours</h1>
  <p class="lk-idp-text" role="status">Its passkeys, password and sessions are gone: whoever made it can't
  sign in any more. Choose a password within 15 minutes, then add a passkey.</p>
  <a class="lk-primary" href="{reset}#latchkey-reset={token}">Choose a password</a>
</div></main>"#,
        rp = escape(&app.config.rp_id),
        user = URL_SAFE_NO_PAD.encode(&account.handle),
        reset = escape(&app.config.reset_page(policy)),
        token = reset.secret,
    );
    Ok(page::document(StatusCode::OK, "The account is yours", &body, CONTENT_SECURITY_POLICY, SCRIPTS))
}

fn already_verified(app: &AppState) -> Response {
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">This email is verified already</h1>
  <p class="lk-idp-text">Nothing was changed. If you don't know the account, reset its password from the
  sign-in page. <a href="{account}">Go to your account</a></p>
</div></main>"#,
        account = escape(&app.config.account_page(&app.live().policy)),
    );
    page::document(StatusCode::OK, "Email verified already", &body, CONTENT_SECURITY_POLICY, SCRIPTS)
}

/// A change link opened where the asking session is not.
fn elsewhere() -> Response {
    document(
        StatusCode::FORBIDDEN,
        "Open this link where you asked for the change",
        "It works only in the browser where you asked to use this address, while you are signed in there. \
         If you didn't ask, ignore it: nothing changes.",
    )
}

fn expired() -> Response {
    document(
        StatusCode::GONE,
        "This link doesn't work",
        "It has expired or was used already. Sign in and send a new one from your account page.",
    )
}

fn failed(e: &StoreError) -> Response {
    tracing::error!(%e, "email link");
    document(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "Try the link again in a moment.")
}

/// A page with a heading and one sentence.
fn document(status: StatusCode, heading: &str, text: &str) -> Response {
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">{heading}</h1>
  <p class="lk-idp-text" role="alert">{text}</p>
</div></main>"#,
        heading = escape(heading),
        text = escape(text),
    );
    page::document(status, heading, &body, CONTENT_SECURITY_POLICY, SCRIPTS)
}
