//! Sign-in: with a passkey (autofill or the button, no identifier), identifier-first (a prompt limited
//! to the account's passkeys, or the password), with a password, and the passkey second factor after
//! one. Every finish ends in a session, or in the step the policy puts before it.

use axum::{Json, extract::State, http::HeaderMap, response::Response};
use latchkey_proto::{
    AuthMethod, CeremonyFinish, ErrorCode, Identified, Identify, Next, PasswordSignIn, SignInStart, SignInStep,
    events::EventCode, policy::Mfa,
};

use crate::{
    ceremony::{Assertion, AssertionKind, Parsed},
    error::ApiError,
    events::{Client, Event, logged},
    handlers::{
        ceremonies::{self, Options},
        sessions::{Earned, sign_in_event, start_session},
    },
    hashing::argon2,
    http::{ApiJson, no_store},
    limits::{self, Subject},
    password, stand_in,
    state::{AppState, InForce, Live},
    store::{Account, CeremonyKind, CeremonyRow},
    text_rules,
};

/// The ceremonies a discoverable finish accepts.
const DISCOVERABLE: &[CeremonyKind] = &[CeremonyKind::Authentication];

/// The ceremonies an identifier-first or second-factor finish accepts.
const IDENTIFIED: &[CeremonyKind] = &[CeremonyKind::Identified, CeremonyKind::SecondFactor];

/// `POST /api/signin/start`: request options with no identifier, for autofill and the button alike.
pub async fn sign_in_start(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    ApiJson(body): ApiJson<SignInStart>,
) -> Result<Response, ApiError> {
    limits::take(&app, limits::CEREMONY_STARTS_PER_IP, Subject::Ip(&client)).await?;
    let started = live.rp.start_authentication(body.other_device)?;
    let row = ceremonies::new_row(&app, started.state);
    ceremonies::respond_started(&app, CeremonyKind::Authentication, row, started.options_json).await
}

/// `POST /api/signin/finish`: verifies a discoverable assertion and signs its owner in.
pub async fn sign_in_finish(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CeremonyFinish<Options>>,
) -> Result<Response, ApiError> {
    let mut failed = Event::new(EventCode::SignInFailed);
    let result =
        finish_with_passkey(&app, &live, &client, &headers, body, AssertionKind::Discoverable, &mut failed).await;
    logged(&app, &client, failed, result).await
}

/// `POST /api/signin/verify`: finishes an identifier-first or second-factor passkey step. Only a passkey
/// of the account the ceremony was started for can finish it: a valid assertion from anyone else's
/// discoverable credential is refused (the mistake behind CVE-2026-46419).
pub async fn verify_passkey(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CeremonyFinish<Options>>,
) -> Result<Response, ApiError> {
    // A refusal is a failed sign-in, or a failed second factor once the ceremony says it was one.
    let mut failed = Event::new(EventCode::SignInFailed);
    let result =
        finish_with_passkey(&app, &live, &client, &headers, body, AssertionKind::Identified, &mut failed).await;
    logged(&app, &client, failed, result).await
}

/// Both passkey finishes: parse → take the ceremony and the passkey (one trip) → check the owner →
/// verify → session and events (one transaction) → respond.
async fn finish_with_passkey(
    app: &AppState,
    live: &std::sync::Arc<Live>,
    client: &Client,
    headers: &HeaderMap,
    body: CeremonyFinish<Options>,
    kind: AssertionKind,
    failed: &mut Event,
) -> Result<Response, ApiError> {
    let Parsed { response, cross_platform } = live.rp.parse_assertion(body.credential.get(), kind)?;
    let kinds = if kind == AssertionKind::Discoverable { DISCOVERABLE } else { IDENTIFIED };
    let credential_id = response.credential_id().to_vec();
    let (taken, stored) = app.store.take_ceremony_and_passkey(body.ceremony, kinds, credential_id).await?;
    let (ceremony_kind, ceremony) = ceremonies::live(taken)?;
    let second_factor = ceremony_kind == CeremonyKind::SecondFactor;
    if second_factor {
        *failed = Event::new(EventCode::MfaFailed);
    }
    failed.user_id = ceremony.user_id.or(failed.user_id);
    let stored = stored.ok_or(ErrorCode::CredentialUnknown)?;
    check_owner(&response, ceremony.user_id, stored.user_id, &stored.user_handle)?;
    let verified = verify_off_the_runtime(live, ceremony.state, response, stored.clone()).await?;
    // Verified, the passkey names its account: a refusal from here on (a disabled account) is that account's.
    failed.user_id = Some(stored.user_id);
    let mut methods = verified.methods;
    let mut recorded = Vec::with_capacity(2);
    if second_factor {
        methods.insert(0, AuthMethod::Pwd);
        recorded.push(Event::new(EventCode::MfaPassed).user(stored.user_id));
    }
    recorded.push(sign_in_event(stored.user_id, &methods));
    let earned =
        Earned { user_id: stored.user_id, methods, passkey_use: Some(verified.passkey_use), ..Earned::default() };
    let session = start_session(app, headers, client, earned, &recorded).await?;
    let next =
        if second_factor { Next::Done } else { next_after_passkey(app, live, stored.user_id, cross_platform).await? };
    Ok(session.respond(next))
}

/// The passkey must belong to the account the sign-in is for: the one its user handle names (WebAuthn
/// L3 §7.2 step 6, discoverable), or the one the ceremony was started for (§7.2 step 5, identified).
fn check_owner(
    response: &Assertion,
    ceremony_user: Option<i64>,
    owner: i64,
    owner_handle: &[u8],
) -> Result<(), ApiError> {
    match response.user_handle() {
        Some(handle) if handle != owner_handle => {
            Err(ApiError::with_detail(ErrorCode::CredentialRejected, "user handle is not the credential owner's"))
        }
        Some(_) => Ok(()),
        None if ceremony_user != Some(owner) => {
            Err(ApiError::with_detail(ErrorCode::CredentialRejected, "passkey of another account"))
        }
        None => Ok(()),
    }
}

/// Verifies the assertion on the blocking pool: a P-384 or RSA signature takes long enough to stall
/// every other request on the async worker that ran it.
async fn verify_off_the_runtime(
    live: &std::sync::Arc<Live>,
    state: Vec<u8>,
    response: Assertion,
    stored: crate::passkey::StoredPasskey,
) -> Result<crate::ceremony::VerifiedSignIn, ApiError> {
    let live = std::sync::Arc::clone(live);
    tokio::task::spawn_blocking(move || live.rp.finish_sign_in(&state, &response, &stored))
        .await
        .map_err(|e| ApiError::internal("verifying", e))?
        .map_err(ApiError::from)
}

/// Local enrollment: after a sign-in with a passkey from another device (the response's
/// `authenticatorAttachment` is `cross-platform`, WebAuthn §5.1), offer one on this device, unless the
/// policy is off or the person said "Not now" or "Don't ask again".
async fn next_after_passkey(app: &AppState, live: &Live, user_id: i64, cross_platform: bool) -> Result<Next, ApiError> {
    if !(live.policy.local_enrollment && cross_platform) {
        return Ok(Next::Done);
    }
    let account = app.store.find_account_by_id(user_id).await?;
    Ok(if account.is_some_and(|a| a.offer_passkey) { Next::OfferLocalPasskey } else { Next::Done })
}

/// `POST /api/signin/identify`: identifier-first sign-in. An account with passkeys gets request options
/// limited to them; one without gets none (the password field). An email without an account gets a
/// stand-in derived from it ([`stand_in`]), in the same shape, after the same database work.
pub async fn identify(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    ApiJson(body): ApiJson<Identify>,
) -> Result<Response, ApiError> {
    let email = text_rules::email(&body.email)?;
    limits::take(&app, limits::IDENTIFY_PER_IP, Subject::Ip(&client)).await?;
    let (user_id, passkeys) = app.store.identify(email.clone()).await?;
    let credentials = match user_id {
        Some(_) => Some(passkeys),
        None => stand_in::credentials(&app.stand_in_key, &email),
    };
    let passkey = match credentials.filter(|c| !c.is_empty()) {
        Some(credentials) => {
            let started = live.rp.start_identified(&credentials, false)?;
            let row = CeremonyRow { user_id, ..ceremonies::new_row(&app, started.state) };
            Some(ceremonies::save(&app, CeremonyKind::Identified, row, started.options_json).await?)
        }
        None => None,
    };
    Ok(no_store(Json(Identified { passkey })))
}

/// `POST /api/password/signin`. A wrong password and an unknown email get the same answer after the
/// same argon2 work, and are limited alike: each guess reserves a place under [`limits::password_guesses`]
/// before any hashing, and gets it back if right; one over is refused at once, without an event.
pub async fn password_sign_in(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PasswordSignIn>,
) -> Result<Response, ApiError> {
    let email = text_rules::email(&body.email)?;
    let guesses = limits::password_guesses(&email, &client);
    let reservation = limits::reserve(&app, &guesses).await?;
    let mut failed = Event::new(EventCode::SignInFailed).email(&email);
    let result = async {
        let account = app.store.find_account(email.clone()).await?;
        failed.user_id = account.as_ref().map(|a| a.id);
        let stored = account.as_ref().and_then(|a| a.password_hash.clone());
        let matches = argon2(&client, move || password::verify(stored.as_deref(), &body.password)).await?;
        match account {
            Some(account) if matches => {
                reservation.give_back(&app).await?;
                after_password(&app, &live, &client, &headers, account, PasswordFor::SignIn).await
            }
            _ => Err(ErrorCode::WrongPassword.into()),
        }
    }
    .await;
    logged(&app, &client, failed, result).await
}

/// What a verified password was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordFor {
    /// A sign-in: its session is a `sign_in`, and progressive enrollment may offer a passkey.
    SignIn,
    /// A sign-up without a passkey: its `sign_up` event stands for the session too, and there is no
    /// offer (the person has just turned a passkey down).
    SignUp,
}

/// What a verified password leads to: under `mfa = "passkey"` the passkey step (or its enrollment);
/// otherwise a session, with the passkey offer of progressive enrollment if it applies.
pub async fn after_password(
    app: &AppState,
    live: &Live,
    client: &Client,
    headers: &HeaderMap,
    account: Account,
    purpose: PasswordFor,
) -> Result<Response, ApiError> {
    let methods = vec![AuthMethod::Pwd];
    let event = match purpose {
        PasswordFor::SignIn => sign_in_event(account.id, &methods),
        PasswordFor::SignUp => Event::new(EventCode::SignUp).user(account.id).email(&account.email).methods(&methods),
    };
    if live.policy.mfa == Mfa::Passkey {
        if purpose == PasswordFor::SignUp {
            crate::events::record(app, client, event).await;
        }
        return second_factor_step(app, live, account).await;
    }
    let offer = purpose == PasswordFor::SignIn
        && live.policy.progressive_enrollment
        && account.passkeys == 0
        && account.offer_passkey;
    let earned = Earned { user_id: account.id, methods, password_hash: account.password_hash, ..Earned::default() };
    let session = start_session(app, headers, client, earned, &[event]).await?;
    Ok(session.respond(if offer { Next::OfferPasskey } else { Next::Done }))
}

/// The passkey step after a password, without a session yet: request options limited to the account's
/// passkeys, or, for an account with none, a marker ceremony to enroll one with.
async fn second_factor_step(app: &AppState, live: &Live, account: Account) -> Result<Response, ApiError> {
    let credentials = app.store.passkey_descriptors(account.id).await?;
    let (next, kind, state, options) = if credentials.is_empty() {
        // The marker keeps the password hash it was earned with: a reset, change or claim that replaces
        // the password, even one committed while this password was being checked, voids it.
        let earned_with = account.password_hash.clone().unwrap_or_default().into_bytes();
        (Next::EnrollSecondFactor, CeremonyKind::EnrollSecondFactor, earned_with, "null".to_owned())
    } else {
        let started = live.rp.start_identified(&credentials, false)?;
        (Next::SecondFactor, CeremonyKind::SecondFactor, started.state, started.options_json)
    };
    let row = CeremonyRow { user_id: Some(account.id), ..ceremonies::new_row(app, state) };
    let ceremony = ceremonies::save(app, kind, row, options).await?;
    Ok(no_store(Json(SignInStep { session: None, next, ceremony: Some(ceremony), passkey: None })))
}
