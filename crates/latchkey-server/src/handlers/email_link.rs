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
    texts::{Texts, fill, texts_for, utc_time},
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

/// `GET /email?token=`: the question, or why the link no longer works, in the browser's language.
pub async fn open_link(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Query(opened): Query<Opened>,
) -> Response {
    let says = Says::to(&client);
    let Some(token) = opened.token else { return says.expired() };
    match app.store.email_link(session::hash_secret(&token)).await {
        Ok(Some(link)) if link.new_email.is_some() => match asking_session(&app, &headers, &link).await {
            Ok(true) => says.move_question(&app, &link, &token),
            Ok(false) => says.elsewhere(),
            Err(e) => says.failed(&e),
        },
        Ok(Some(link)) if link.verified => says.already_verified(&app),
        Ok(Some(link)) => says.question(&app, &link, &token),
        Ok(None) => says.expired(),
        Err(e) => says.failed(&e),
    }
}

/// `POST /email`: the owner's answer, from our own page only.
pub async fn answer_link(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Form(answered): Form<Answered>,
) -> Response {
    let says = Says::to(&client);
    if !http::from_own_origin(app.config.issuer(), &headers) {
        let texts = says.texts;
        return says.document(StatusCode::FORBIDDEN, texts.expired_heading, texts.open_again);
    }
    let proof = match answered.answer.as_str() {
        "keep" => EmailProof::Keep,
        "claim" => EmailProof::Claim,
        "move" => {
            return match move_account(&app, &client, &headers, &answered.token).await {
                Ok(page) => page,
                Err(e) => says.failed(&e),
            };
        }
        _ => return says.expired(),
    };
    match answer(&app, &client, &answered.token, proof).await {
        Ok(page) => page,
        Err(e) => says.failed(&e),
    }
}

async fn answer(app: &AppState, client: &Client, token: &str, proof: EmailProof) -> Result<Response, StoreError> {
    let says = Says::to(client);
    let Some(proved) = app.store.use_email_link(session::hash_secret(token), proof).await? else {
        return Ok(says.expired());
    };
    let Proved { user_id, email, first_proof, claimed } = proved;
    Ok(match (proof, claimed) {
        (EmailProof::Keep, _) => {
            if first_proof {
                events::record(app, client, Event::new(EventCode::EmailVerified).user(user_id).email(&email)).await;
            }
            says.verified(app)
        }
        (EmailProof::Claim, Some(passkeys)) => {
            let detail = json!({ "passkeys": passkeys, "proof": "verification_link" });
            let event = Event::new(EventCode::AccountClaimed).user(user_id).email(&email).detail(detail);
            events::record(app, client, event).await;
            notices::notify(app, client, &email, Notice::AccountTakenBack).await;
            says.taken_back(app, user_id).await?
        }
        // The address was proved before: whoever proved it holds the mailbox, and nothing is removed.
        (EmailProof::Claim, None) => says.already_verified(app),
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
    let says = Says::to(client);
    let Some((session, _)) = browser_session(app, headers).await? else { return Ok(says.elsewhere()) };
    Ok(match app.store.move_email(session::hash_secret(token), session).await? {
        None => says.expired(),
        Some(Moved::NotThisSession) => says.elsewhere(),
        Some(Moved::Taken) => {
            let texts = says.texts;
            says.document(StatusCode::CONFLICT, texts.address_taken_heading, texts.address_taken)
        }
        Some(Moved::Done { user_id, from, to }) => {
            let event = Event::new(EventCode::EmailChanged).user(user_id).email(&to).detail(json!({ "from": from }));
            events::record(app, client, event).await;
            notices::notify(app, client, &from, Notice::EmailChanged(&to)).await;
            says.moved(app, &to)
        }
    })
}

/// The link's pages in one language: the browser's, from its `Accept-Language`.
#[derive(Clone, Copy)]
struct Says {
    language: &'static str,
    texts: &'static Texts,
}

impl Says {
    fn to(client: &Client) -> Self {
        Self { language: client.language, texts: texts_for(client.language) }
    }

    /// A page of the link: `body` under `title`, in this language.
    fn page(self, status: StatusCode, title: &str, body: &str) -> Response {
        page::document(status, self.language, title, body, CONTENT_SECURITY_POLICY, SCRIPTS)
    }

    /// The question of a change link.
    fn move_question(self, app: &AppState, link: &EmailLink, token: &str) -> Response {
        let texts = self.texts;
        let question = fill(
            texts.move_question,
            &[
                ("site", &escape(&app.config.rp_name)),
                ("email", &escape(&link.email)),
                ("to", &escape(link.new_email.as_deref().unwrap_or_default())),
            ],
        );
        let body = format!(
            r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">{heading}</h1>
  <p class="lk-idp-text">{question}</p>
  <form method="post" action="{action}">
    <input type="hidden" name="token" value="{token}">
    <button class="lk-primary" type="submit" name="answer" value="move">{button}</button>
  </form>
</div></main>"#,
            heading = escape(texts.move_heading),
            button = escape(texts.use_this_address),
            action = paths::EMAIL_LINK,
            token = escape(token),
        );
        self.page(StatusCode::OK, texts.move_heading, &body)
    }

    /// After a change link: the account's new address.
    fn moved(self, app: &AppState, to: &str) -> Response {
        let texts = self.texts;
        let body = format!(
            r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">{heading}</h1>
  <p class="lk-idp-text" role="status">{moved} <a href="{account}">{go}</a></p>
</div></main>"#,
            heading = escape(texts.moved_heading),
            moved = escape(&fill(texts.moved, &[("to", to)])),
            account = escape(&app.config.account_page(&app.live().policy)),
            go = escape(texts.go_to_account),
        );
        self.page(StatusCode::OK, texts.moved_heading, &body)
    }

    /// The question, with the link's token in the form (never in a page another site could read: the
    /// page is `no-store`, framed by nobody, and sends no referrer).
    fn question(self, app: &AppState, link: &EmailLink, token: &str) -> Response {
        let texts = self.texts;
        let question = fill(
            texts.verify_question,
            &[
                ("site", &escape(&app.config.rp_name)),
                ("email", &escape(&link.email)),
                ("date", &escape(&utc_time(link.created_at))),
            ],
        );
        let body = format!(
            r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">{heading}</h1>
  <p class="lk-idp-text">{question}</p>
  <form method="post" action="{action}">
    <input type="hidden" name="token" value="{token}">
    <button class="lk-primary" type="submit" name="answer" value="keep">{keep}</button>
    <p class="lk-idp-text">{explained}</p>
    <button class="lk-secondary" type="submit" name="answer" value="claim">{claim}</button>
  </form>
</div></main>"#,
            heading = escape(texts.verify_heading),
            keep = escape(texts.it_was_me),
            explained = escape(texts.take_back_explained),
            claim = escape(texts.it_wasnt_me),
            action = paths::EMAIL_LINK,
            token = escape(token),
        );
        self.page(StatusCode::OK, texts.verify_heading, &body)
    }

    /// After "It was me".
    fn verified(self, app: &AppState) -> Response {
        let texts = self.texts;
        let body = format!(
            r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">{heading}</h1>
  <p class="lk-idp-text" role="status">{thanks} <a href="{account}">{go}</a></p>
</div></main>"#,
            heading = escape(texts.verified_heading),
            thanks = escape(texts.thank_you),
            account = escape(&app.config.account_page(&app.live().policy)),
            go = escape(texts.go_to_account),
        );
        self.page(StatusCode::OK, texts.verified_heading, &body)
    }

    /// After "It wasn't me": the account is empty, so the owner gets a password link at once (a reset
    /// token, stored as its hash like any other), and the browser's passkey provider is told that no
    /// passkey of the account is valid any more (WebAuthn L3 §5.1.11).
    async fn taken_back(self, app: &AppState, user_id: i64) -> Result<Response, StoreError> {
        let account = match account_by_id(app, user_id).await {
            Ok(account) => account,
            Err(_) => return Ok(self.expired()),
        };
        let reset = session::new_secret();
        app.store.issue_reset_token(user_id, reset.id_hash, now() + RESET_LINK_SECS).await?;
        let policy = &app.live().policy;
        let texts = self.texts;
        let body = format!(
            r#"<main class="lk-idp" data-signal-rp="{rp}" data-signal-user="{user}"><div class="latchkey">
  <h1 class="lk-idp-heading">{heading}</h1>
  <p class="lk-idp-text" role="status">{taken_back}</p>
  <a class="lk-primary" href="{reset}#latchkey-reset={token}">{choose}</a>
</div></main>"#,
            rp = escape(&app.config.rp_id),
            user = URL_SAFE_NO_PAD.encode(&account.handle),
            heading = escape(texts.taken_back_heading),
            taken_back = escape(texts.taken_back),
            reset = escape(&app.config.reset_page(policy)),
            token = reset.secret,
            choose = escape(texts.choose_password),
        );
        Ok(self.page(StatusCode::OK, texts.taken_back_heading, &body))
    }

    fn already_verified(self, app: &AppState) -> Response {
        let texts = self.texts;
        let body = format!(
            r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">{heading}</h1>
  <p class="lk-idp-text">{text} <a href="{account}">{go}</a></p>
</div></main>"#,
            heading = escape(texts.already_verified_heading),
            text = escape(texts.already_verified),
            account = escape(&app.config.account_page(&app.live().policy)),
            go = escape(texts.go_to_account),
        );
        self.page(StatusCode::OK, texts.already_verified_heading, &body)
    }

    /// A change link opened where the asking session is not.
    fn elsewhere(self) -> Response {
        self.document(StatusCode::FORBIDDEN, self.texts.elsewhere_heading, self.texts.elsewhere)
    }

    fn expired(self) -> Response {
        self.document(StatusCode::GONE, self.texts.expired_heading, self.texts.expired)
    }

    fn failed(self, e: &StoreError) -> Response {
        tracing::error!(%e, "email link");
        self.document(StatusCode::INTERNAL_SERVER_ERROR, self.texts.failed_heading, self.texts.failed)
    }

    /// A page with a heading and one sentence.
    fn document(self, status: StatusCode, heading: &str, text: &str) -> Response {
        let body = format!(
            r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">{heading}</h1>
  <p class="lk-idp-text" role="alert">{text}</p>
</div></main>"#,
            heading = escape(heading),
            text = escape(text),
        );
        self.page(status, heading, &body)
    }
}
