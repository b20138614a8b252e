//! Sign-up: an account made with its first passkey, or with a password instead ("Continue without a
//! passkey"); under `email_verification = "before_sign_up"`, only with a proof of the email from the
//! code step (`sign_up_code.rs`).

use axum::{
    extract::State,
    http::{HeaderMap, header},
    response::Response,
};
use latchkey_proto::{
    CeremonyFinish, ErrorCode, Next, PasswordSignUp, SignUpStart, events::EventCode, policy::EmailVerification,
};

use crate::{
    ceremony::NewCredentialFor,
    error::ApiError,
    events::{Client, Event, logged},
    handlers::{
        ceremonies::{self, Options},
        passwords::check_new_password,
        sessions::{Earned, start_session},
        sign_in::{PasswordFor, after_password},
        sign_up_code::{live_proof, send_code},
    },
    hashing::argon2,
    http::ApiJson,
    limits::{self, Subject},
    naming, notices, password,
    state::{AppState, InForce, Live},
    store::{CeremonyKind, CeremonyRow, Created, PendingUser},
    text_rules,
};

/// `POST /api/signup/start`: creation options for a new account's first passkey. Under
/// `email_verification = "before_sign_up"`, a start without a proof of the email mails a code instead
/// and answers `{"codeSent": true}`, whether or not the email has an account; one with a proof that is
/// not live is refused with `email_code_invalid`.
pub async fn sign_up_start(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    ApiJson(body): ApiJson<SignUpStart>,
) -> Result<Response, ApiError> {
    limits::take(&app, limits::CEREMONY_STARTS_PER_IP, Subject::Ip(&client)).await?;
    let email = text_rules::email(&body.email)?;
    let display_name = display_name_or_email(body.display_name.as_deref(), &email)?;
    let proof = match (live.policy.email_verification, body.proof.as_deref()) {
        (EmailVerification::BeforeSignUp, None) => return send_code(&app, &client, &email).await,
        // A proof that is spent, expired or another address's is refused rather than answered with a
        // new code, so the page knows its proof is no use and asks for a code itself.
        (EmailVerification::BeforeSignUp, proof) => Some(live_proof(&app, &email, proof).await?),
        (EmailVerification::AfterSignUp | EmailVerification::Off, _) => None,
    };
    // A taken email is refused here already, so the person is not asked for a passkey that cannot be
    // saved; the finish checks again, inside the transaction that creates the account.
    if app.store.email_exists(email.clone()).await? {
        return Err(ErrorCode::EmailTaken.into());
    }
    let new = NewCredentialFor {
        handle: None,
        email: &email,
        display_name: &display_name,
        exclude: Vec::new(),
        conditional: false,
        other_device: body.other_device,
    };
    let (started, handle) = live.rp.start_new_credential(&new)?;
    let pending = PendingUser { handle, email, display_name, proof };
    let row = CeremonyRow { pending_user: Some(pending), ..ceremonies::new_row(&app, started.state) };
    ceremonies::respond_started(&app, CeremonyKind::Registration, row, started.options_json).await
}

/// `POST /api/signup/finish`: verifies the new passkey, then creates the account and its passkey in one
/// transaction and signs the person in.
pub async fn sign_up_finish(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CeremonyFinish<Options>>,
) -> Result<Response, ApiError> {
    let result = async {
        let response = live.rp.parse_registration(body.credential.get())?;
        let (_, ceremony) = ceremonies::take(&app, body.ceremony, &[CeremonyKind::Registration]).await?;
        let pending = ceremony.pending_user.ok_or_else(|| ApiError::internal("sign-up", "no pending user"))?;
        let verified = live.rp.finish_registration(&ceremony.state, &response)?;
        if verified.user_handle != pending.handle {
            return Err(ApiError::internal("sign-up", "user handle differs from the ceremony's"));
        }
        let mut passkey = verified.passkey;
        passkey.name = naming::passkey_name(&passkey.aaguid, user_agent(&headers));
        let (email, unproved) = (pending.email.clone(), pending.proof.is_none());
        let Created { user_id, passkey_id } = app.store.create_account(pending, passkey).await??;
        let methods = verified.methods;
        let event = Event::new(EventCode::SignUp).user(user_id).methods(&methods);
        let earned = Earned { user_id, methods, new_passkey: Some(passkey_id), ..Earned::default() };
        let session = start_session(&app, &headers, &client, earned, &[event]).await?;
        if unproved {
            verify_email_after_sign_up(&app, &live, &client, user_id, &email).await;
        }
        Ok(session.respond(Next::Done))
    }
    .await;
    logged(&app, &client, Event::new(EventCode::SignUpFailed), result).await
}

/// `POST /api/password/signup`: an account with a password instead of a passkey.
pub async fn password_sign_up(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PasswordSignUp>,
) -> Result<Response, ApiError> {
    limits::take(&app, limits::PASSWORD_SIGN_UPS_PER_IP, Subject::Ip(&client)).await?;
    let failed = Event::new(EventCode::SignUpFailed).email(body.email.trim());
    let result = async {
        let email = text_rules::email(&body.email)?;
        // Checked before the costly strength check and hashing, which a sign-up without it would waste.
        let proof = match live.policy.email_verification {
            EmailVerification::BeforeSignUp => Some(live_proof(&app, &email, body.proof.as_deref()).await?),
            EmailVerification::AfterSignUp | EmailVerification::Off => None,
        };
        check_new_password(&app, &body.password, &email).await?;
        if app.store.email_exists(email.clone()).await? {
            return Err(ErrorCode::EmailTaken.into());
        }
        let password = body.password;
        let hash =
            argon2(&client, move || password::hash(&password)).await?.map_err(|e| ApiError::internal("hashing", e))?;
        let pending =
            PendingUser { handle: crate::ceremony::new_user_handle(), display_name: email.clone(), email, proof };
        let unproved = pending.proof.is_none();
        let user_id = app.store.create_password_account(pending, hash).await??;
        let account = super::account::account_by_id(&app, user_id).await?;
        if unproved {
            verify_email_after_sign_up(&app, &live, &client, user_id, &account.email).await;
        }
        after_password(&app, &live, &client, &headers, account, PasswordFor::SignUp).await
    }
    .await;
    logged(&app, &client, failed, result).await
}

/// Mails the verification link of a new account's address that no code proved, unless the policy is
/// `off`: the account works at once, and its email counts as verified once the link is opened. The
/// callers check for the proof rather than the policy alone, since the policy may change between a
/// sign-up's start and its finish.
async fn verify_email_after_sign_up(app: &AppState, live: &Live, client: &Client, user_id: i64, email: &str) {
    if live.policy.email_verification != EmailVerification::Off {
        notices::mail_verification_link(app, client, user_id, email).await;
    }
}

/// The browser's `User-Agent`, which names new passkeys when their provider is unknown.
pub fn user_agent(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok())
}

/// The display name asked for, by the rule every name follows, or else the email.
fn display_name_or_email(display_name: Option<&str>, email: &str) -> Result<String, ErrorCode> {
    display_name.map_or_else(|| Ok(email.to_owned()), text_rules::name)
}
