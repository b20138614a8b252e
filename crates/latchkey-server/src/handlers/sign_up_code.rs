//! The code step of a sign-up under `email_verification = "before_sign_up"`: the code mailed when a
//! sign-up starts without a live proof of its email, and the code's exchange for that proof.

use axum::{Json, extract::State, response::Response};
use latchkey_proto::{CodeSent, EmailProved, EnterCode, ErrorCode, events::EventCode};

use crate::{
    error::ApiError,
    events::{Client, Event, logged},
    http::{ApiJson, no_store},
    limits::{self, Subject},
    notices, session,
    sign_up_code::{self, PROOF_SECS, code_hash},
    state::AppState,
    store::now,
    text_rules,
};

/// Mails `email` a sign-up code, or, when the address has an account already, a mail saying so, and
/// answers [`CodeSent`] either way: the same statements run for both, and only the mailbox's owner
/// learns which it was.
pub(super) async fn send_code(app: &AppState, client: &Client, email: &str) -> Result<Response, ApiError> {
    limits::take(app, limits::SIGN_UP_CODES_PER_IP, Subject::Ip(client)).await?;
    limits::take(app, limits::SIGN_UP_CODES_PER_EMAIL, Subject::Email(email)).await?;
    if app.store.email_exists(email.to_owned()).await? {
        notices::mail_account_exists(app, client, email).await;
    } else {
        notices::mail_sign_up_code(app, client, email).await;
    }
    Ok(no_store(Json(CodeSent { code_sent: true })))
}

/// `POST /api/signup/code`: exchanges a live code for the proof the sign-up presents. A wrong code
/// counts against the address's and the client's wrong-code limits; a right one gives its place back.
pub async fn enter_code(
    State(app): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<EnterCode>,
) -> Result<Response, ApiError> {
    let failed = Event::new(EventCode::SignUpFailed).email(body.email.trim());
    let result = async {
        let email = text_rules::email(&body.email)?;
        // Anything but six digits cannot be a code, so it is refused without a guess counted.
        let code = sign_up_code::typed(&body.code).ok_or(ErrorCode::EmailCodeInvalid)?;
        let guesses = [
            (limits::SIGN_UP_CODE_FAILURES_PER_IP, Subject::Ip(&client)),
            (limits::SIGN_UP_CODE_FAILURES_PER_EMAIL, Subject::Email(&email)),
        ];
        let reservation = limits::reserve(&app, &guesses).await?;
        let proof = session::new_secret();
        let hash = code_hash(&email, &code);
        if !app.store.prove_sign_up_code(email.clone(), hash, proof.id_hash, now() + PROOF_SECS).await? {
            // The guess stays counted.
            return Err(ErrorCode::EmailCodeInvalid.into());
        }
        reservation.give_back(&app).await?;
        Ok(no_store(Json(EmailProved { proof: proof.secret })))
    }
    .await;
    logged(&app, &client, failed, result).await
}

/// The hash of the proof a sign-up presents for `email`; `email_code_invalid` when there is none, or it
/// is spent, expired or another address's.
pub(super) async fn live_proof(app: &AppState, email: &str, proof: Option<&str>) -> Result<Vec<u8>, ApiError> {
    let hash = session::hash_secret(proof.ok_or(ErrorCode::EmailCodeInvalid)?);
    if !app.store.sign_up_proof_is_live(email.to_owned(), hash.clone()).await? {
        return Err(ErrorCode::EmailCodeInvalid.into());
    }
    Ok(hash)
}
