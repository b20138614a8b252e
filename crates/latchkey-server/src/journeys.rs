//! HTTP handlers of the journeys beside passkey-only sign-in: identifier-first sign-in, passwords and
//! their reset, adding a passkey (progressive and local enrollment), and the passkey second factor.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use latchkey_proto::{
    AddPasskey, AuthMethod, CeremonyFinish, DeclinePasskey, ErrorCode, Identified, Identify, Next, PasskeyInfo,
    PasswordReset, PasswordSignIn, PasswordSignUp, RenamePasskey, SignInStep, events::EventCode, normalize_email,
};
use serde_json::{json, value::RawValue};
use tokio::sync::Semaphore;

use crate::{
    AppState,
    api::{
        ApiJson, account_by_id, logged, next_after_passkey, no_store, parse_credential, record_sign_in, save_ceremony,
        session_user, start_session, take_ceremony, take_ceremony_of,
    },
    ceremony::NewCredentialFor,
    db::{self, Account, AddPasskeyRefused, CeremonyKind, CeremonyRow, PendingUser, now},
    error::ApiError,
    events::{self, Client, Event},
    naming, password, session, stand_in,
};

/// How long a password reset link works: 15 minutes.
const RESET_LINK_SECS: i64 = 15 * 60;

/// The longest passkey name, in characters.
const MAX_PASSKEY_NAME_CHARS: usize = 64;

type Options = Box<RawValue>;

/// `POST /api/signin/identify`: identifier-first sign-in. An account with passkeys gets request options
/// limited to them; one without gets none (the password field). An email without an account gets a
/// stand-in derived from it ([`stand_in`]), in the same shape, after the same database work.
pub async fn identify(State(app): State<AppState>, ApiJson(body): ApiJson<Identify>) -> Result<Response, ApiError> {
    let email = normalize_email(&body.email)?;
    let lookup = email.clone();
    let (user_id, passkeys) = app.db.run(move |conn| db::identify(conn, &lookup)).await?;
    let credentials = match user_id {
        Some(_) => Some(passkeys),
        None => stand_in::credentials(&app.stand_in_key, &email),
    };
    let passkey = match credentials.filter(|c| !c.is_empty()) {
        Some(credentials) => {
            let started = app.live().rp.start_identified(&credentials, false)?;
            let row = CeremonyRow { user_id, ..CeremonyRow::new(&app, started.state) };
            Some(save_ceremony(&app, CeremonyKind::Identified, row, started.options_json).await?)
        }
        None => None,
    };
    Ok(no_store(Json(Identified { passkey })))
}

/// `POST /api/signin/verify`: finishes an identifier-first or second-factor passkey step. Only a passkey
/// of the account the ceremony was started for can finish it: a valid assertion from anyone else's
/// discoverable credential is refused (the mistake behind CVE-2026-46419).
pub async fn verify_passkey(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CeremonyFinish<Options>>,
) -> Result<Response, ApiError> {
    // A refusal is a failed sign-in, or a failed second factor once the ceremony says it was one.
    let mut failed = Event::new(EventCode::SignInFailed);
    let result = verify_steps(&app, &client, &headers, body, &mut failed).await;
    logged(&app, &client, failed, result).await
}

async fn verify_steps(
    app: &AppState,
    client: &Client,
    headers: &HeaderMap,
    body: CeremonyFinish<Options>,
    failed: &mut Event,
) -> Result<Response, ApiError> {
    let credential = parse_credential(&body.credential)?;
    // One policy for the whole request, even if the console changes it meanwhile.
    let live = app.live();
    let response = live.rp.parse_identified(&credential)?;
    const KINDS: &[CeremonyKind] = &[CeremonyKind::Identified, CeremonyKind::SecondFactor];
    let (kind, ceremony) = take_ceremony_of(app, body.ceremony, KINDS).await?;
    if kind == CeremonyKind::SecondFactor {
        *failed = Event::new(EventCode::MfaFailed);
    }
    if let Some(user_id) = ceremony.user_id {
        failed.user_id = Some(user_id);
    }
    let credential_id = response.credential_id().to_vec();
    let stored =
        app.db.run(move |conn| db::find_passkey(conn, &credential_id)).await?.ok_or(ErrorCode::CredentialUnknown)?;
    // §7.2 step 5: the credential must be one the options allowed, that is, one of this account's.
    if ceremony.user_id != Some(stored.user_id) {
        return Err(ApiError::with_detail(ErrorCode::CredentialRejected, "passkey of another account"));
    }
    let verified = live.rp.finish_identified(&ceremony.state, &response, &stored)?;
    let mut methods = verified.methods;
    if kind == CeremonyKind::SecondFactor {
        methods.insert(0, AuthMethod::Pwd);
    }
    let session = start_session(app, headers, stored.user_id, methods, Some(verified.passkey_use)).await?;
    if kind == CeremonyKind::SecondFactor {
        events::record(app, client, Event::new(EventCode::MfaPassed).user(stored.user_id)).await;
    }
    record_sign_in(app, client, stored.user_id, &session).await;
    let next = match kind {
        CeremonyKind::SecondFactor => Next::Done,
        _ => next_after_passkey(app, stored.user_id, &credential).await?,
    };
    Ok(session.respond(next))
}

/// `POST /api/password/signin`. A wrong password and an unknown email get the same answer after the
/// same argon2 work.
pub async fn password_sign_in(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PasswordSignIn>,
) -> Result<Response, ApiError> {
    let mut failed = Event::new(EventCode::SignInFailed).email(body.email.trim());
    let result = password_sign_in_steps(&app, &client, &headers, body, &mut failed).await;
    logged(&app, &client, failed, result).await
}

async fn password_sign_in_steps(
    app: &AppState,
    client: &Client,
    headers: &HeaderMap,
    body: PasswordSignIn,
    failed: &mut Event,
) -> Result<Response, ApiError> {
    let email = normalize_email(&body.email)?;
    let account = app.db.run(move |conn| db::find_account(conn, &email)).await?;
    failed.user_id = account.as_ref().map(|a| a.id);
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let matches = argon2(move || password::verify(stored.as_deref(), &body.password)).await?;
    match account {
        Some(account) if matches => after_password(app, client, headers, account, true).await,
        _ => Err(ErrorCode::WrongPassword.into()),
    }
}

/// `POST /api/password/signup`: an account with a password instead of a passkey ("Continue without a
/// passkey").
pub async fn password_sign_up(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PasswordSignUp>,
) -> Result<Response, ApiError> {
    let failed = Event::new(EventCode::SignUpFailed).email(body.email.trim());
    let result = password_sign_up_steps(&app, &client, &headers, body).await;
    logged(&app, &client, failed, result).await
}

async fn password_sign_up_steps(
    app: &AppState,
    client: &Client,
    headers: &HeaderMap,
    body: PasswordSignUp,
) -> Result<Response, ApiError> {
    let app = app.clone();
    let email = normalize_email(&body.email)?;
    check_new_password(&app, &body.password, &email)?;
    let lookup = email.clone();
    if app.db.run(move |conn| db::email_exists(conn, &lookup)).await? {
        return Err(ErrorCode::EmailTaken.into());
    }
    let hash = argon2(move || password::hash(&body.password)).await?.map_err(|e| ApiError::internal("hashing", e))?;
    let pending = PendingUser { handle: crate::ceremony::new_user_handle(), display_name: email.clone(), email };
    let user_id = app
        .db
        .run(move |conn| db::create_password_account(conn, &pending, &hash))
        .await?
        .ok_or(ErrorCode::EmailTaken)?;
    let account = account_by_id(&app, user_id).await?;
    let event = Event::new(EventCode::SignUp).user(user_id).email(&account.email).methods(&[AuthMethod::Pwd]);
    events::record(&app, client, event).await;
    // The person has just turned a passkey down: no offer now.
    after_password(&app, client, headers, account, false).await
}

/// What a verified password leads to: under `mfa = "passkey"` the passkey step (or its enrollment);
/// otherwise a session, with the passkey offer of progressive enrollment if it applies.
/// `signing_in` is false for a sign-up, whose `sign_up` event stands for its session too, and which
/// makes no passkey offer (the person has just turned one down).
async fn after_password(
    app: &AppState,
    client: &Client,
    headers: &HeaderMap,
    account: Account,
    signing_in: bool,
) -> Result<Response, ApiError> {
    let policy = &app.live().policy;
    if policy.mfa == latchkey_proto::policy::Mfa::Passkey {
        return second_factor_step(app, account).await;
    }
    let offer = signing_in && policy.progressive_enrollment && account.passkeys == 0 && account.offer_passkey;
    let session = start_session(app, headers, account.id, vec![AuthMethod::Pwd], None).await?;
    if signing_in {
        record_sign_in(app, client, account.id, &session).await;
    }
    Ok(session.respond(if offer { Next::OfferPasskey } else { Next::Done }))
}

/// The passkey step after a password, without a session yet: request options limited to the account's
/// passkeys, or, for an account with none, a marker ceremony to enroll one with.
async fn second_factor_step(app: &AppState, account: Account) -> Result<Response, ApiError> {
    let id = account.id;
    let credentials = app.db.run(move |conn| db::passkey_descriptors(conn, id)).await?;
    let (next, kind, started) = if credentials.is_empty() {
        (Next::EnrollSecondFactor, CeremonyKind::EnrollSecondFactor, None)
    } else {
        (Next::SecondFactor, CeremonyKind::SecondFactor, Some(app.live().rp.start_identified(&credentials, false)?))
    };
    let (state, options) = match started {
        Some(started) => (started.state, started.options_json),
        None => (Vec::new(), "null".to_owned()),
    };
    let row = CeremonyRow { user_id: Some(id), ..CeremonyRow::new(app, state) };
    let ceremony = save_ceremony(app, kind, row, options).await?;
    Ok(no_store(Json(SignInStep { session: None, next, ceremony: Some(ceremony), passkey: None })))
}

/// `POST /api/password/forgot`: mails a one-time reset link if the email has an account. The answer is
/// `204` at once, before any lookup, and the rest happens in the background, so neither the answer nor
/// its timing tells whether the account exists.
pub async fn password_forgot(
    State(app): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<Identify>,
) -> Result<Response, ApiError> {
    let email = normalize_email(&body.email)?;
    tokio::spawn(async move {
        if let Err(e) = send_reset_link(&app, &client, email).await {
            tracing::error!(error = ?e, "sending a reset link");
        }
    });
    Ok(no_store(StatusCode::NO_CONTENT))
}

/// Stores a reset token for the account of `email`, if there is one, and mails it the link.
async fn send_reset_link(app: &AppState, client: &Client, email: String) -> Result<(), ApiError> {
    let Some(account) = app.db.run(move |conn| db::find_account(conn, &email)).await? else { return Ok(()) };
    let session::NewSecret { secret: token, id_hash: token_hash } = session::new_secret();
    let expires_at = now() + RESET_LINK_SECS;
    let stored = app.db.run(move |conn| db::insert_password_reset(conn, &token_hash, account.id, expires_at)).await?;
    if stored {
        let (subject, text) = reset_mail(
            &app.config.rp_name,
            &format!("{}#latchkey-reset={token}", app.config.reset_page(&app.live().policy)),
        );
        app.mailer.send(&app.config.mail_from, &account.email, &subject, text).await;
        let event = Event::new(EventCode::PasswordResetRequested).user(account.id).email(&account.email);
        events::record(app, client, event).await;
    }
    Ok(())
}

/// The reset mail's subject and text.
fn reset_mail(site: &str, link: &str) -> (String, String) {
    let text = format!(
        "Someone asked to reset the password of your {site} account.\n\n\
         To choose a new password, open this link within 15 minutes:\n\n{link}\n\n\
         If it wasn't you, ignore this email: your password stays as it is.\n"
    );
    (format!("Reset your {site} password"), text)
}

/// `POST /api/password/reset`: sets the new password, uses the link up and signs every session of the
/// account out, in one transaction.
pub async fn password_reset(
    State(app): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<PasswordReset>,
) -> Result<Response, ApiError> {
    check_new_password(&app, &body.password, "")?;
    let token_hash = session::hash_secret(&body.token);
    // A dead link is refused before the hashing, so it costs no argon2 work.
    let lookup = token_hash.clone();
    if !app.db.run(move |conn| db::reset_token_is_live(conn, &lookup)).await? {
        return Err(ErrorCode::ResetLinkInvalid.into());
    }
    let hash = argon2(move || password::hash(&body.password)).await?.map_err(|e| ApiError::internal("hashing", e))?;
    let user_id = app
        .db
        .run(move |conn| db::reset_password(conn, &token_hash, &hash))
        .await?
        .ok_or(ErrorCode::ResetLinkInvalid)?;
    events::record(&app, &client, Event::new(EventCode::PasswordReset).user(user_id)).await;
    Ok(no_store(StatusCode::NO_CONTENT))
}

/// `POST /api/passkeys/start`: creation options for one more passkey of the signed-in account (or, with
/// a second-factor enrollment ceremony, of the account whose password was just verified), excluding the
/// passkeys it has.
pub async fn add_passkey_start(
    State(app): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<AddPasskey>,
) -> Result<Response, ApiError> {
    let (user_id, then_sign_in) = match body.ceremony {
        Some(id) => (enrollment_user(&app, id).await?, true),
        None => (session_user(&app, &headers).await?, false),
    };
    let account = account_by_id(&app, user_id).await?;
    // The enrollment is for an account's first passkey: one that has a passkey answers with it.
    if then_sign_in && account.passkeys > 0 {
        return Err(ErrorCode::CeremonyUnknown.into());
    }
    if account.passkeys >= app.live().policy.passkeys_per_user {
        return Err(ErrorCode::TooManyPasskeys.into());
    }
    let exclude = app.db.run(move |conn| db::passkey_descriptors(conn, user_id)).await?;
    let new = NewCredentialFor {
        handle: Some(&account.handle),
        email: &account.email,
        display_name: &account.display_name,
        exclude,
        conditional: body.conditional,
        other_device: body.other_device,
    };
    let (started, _) = app.live().rp.start_new_credential(&new)?;
    let from_account = body.from_account;
    let row =
        CeremonyRow { user_id: Some(user_id), then_sign_in, from_account, ..CeremonyRow::new(&app, started.state) };
    let ceremony = save_ceremony(&app, CeremonyKind::AddPasskey, row, started.options_json).await?;
    Ok(no_store(Json(ceremony)))
}

/// The account of a live second-factor enrollment marker. The marker stays until it expires, so a
/// cancelled prompt can be tried again.
async fn enrollment_user(app: &AppState, id: String) -> Result<i64, ApiError> {
    let found = app.db.run(move |conn| db::peek_ceremony(conn, &id, CeremonyKind::EnrollSecondFactor)).await?;
    let (user_id, expires_at) = found.ok_or(ErrorCode::CeremonyUnknown)?;
    if expires_at < now() {
        return Err(ErrorCode::CeremonyExpired.into());
    }
    Ok(user_id)
}

/// `POST /api/passkeys/finish`: verifies and stores the new passkey, named after its provider or the
/// browser and system. A second-factor enrollment then signs the person in.
pub async fn add_passkey_finish(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CeremonyFinish<Options>>,
) -> Result<Response, ApiError> {
    let mut failed = Event::new(EventCode::EnrollmentFailed);
    let result = add_passkey_steps(&app, &client, &headers, body, &mut failed).await;
    logged(&app, &client, failed, result).await
}

async fn add_passkey_steps(
    app: &AppState,
    client: &Client,
    headers: &HeaderMap,
    body: CeremonyFinish<Options>,
    failed: &mut Event,
) -> Result<Response, ApiError> {
    let app = app.clone();
    let live = app.live();
    let response = live.rp.parse_registration(&parse_credential(&body.credential)?)?;
    let ceremony = take_ceremony(&app, body.ceremony, &[CeremonyKind::AddPasskey]).await?;
    let user_id = ceremony.user_id.ok_or_else(|| ApiError::internal("add-passkey ceremony", "no account"))?;
    failed.user_id = Some(user_id);
    // Without a second-factor enrollment, the passkey goes to the signed-in account only.
    if !ceremony.then_sign_in && session_user(&app, headers).await? != user_id {
        return Err(ErrorCode::NotSignedIn.into());
    }
    let account = account_by_id(&app, user_id).await?;
    let verified = live.rp.finish_registration(&ceremony.state, &response)?;
    // The options named the account's user handle (§5.4.3); the state echoes it, so a mismatch is ours.
    if verified.user_handle != account.handle {
        return Err(ApiError::internal("add passkey", "user handle differs from the account's"));
    }
    let mut passkey = verified.passkey;
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    passkey.name = naming::passkey_name(&passkey.aaguid, user_agent);
    let name = passkey.name.clone();
    let max = live.policy.passkeys_per_user;
    let enrolls = ceremony.then_sign_in;
    let added = app.db.run(move |conn| db::add_passkey(conn, user_id, &passkey, max, enrolls)).await?;
    let id = added.map_err(|refused| match refused {
        AddPasskeyRefused::CredentialExists => ErrorCode::CredentialExists,
        AddPasskeyRefused::TooMany => ErrorCode::TooManyPasskeys,
    })?;
    let code = if ceremony.from_account { EventCode::PasskeyAdded } else { EventCode::EnrollmentComplete };
    let event = Event::new(code).user(user_id).email(&account.email).detail(json!({ "passkey": id, "name": name }));
    events::record(&app, client, event).await;
    let passkey = Some(PasskeyInfo { id, name });
    if !ceremony.then_sign_in {
        return Ok(no_store(Json(SignInStep::<Options> { session: None, next: Next::Done, ceremony: None, passkey })));
    }
    let mut methods = verified.methods;
    methods.insert(0, AuthMethod::Pwd);
    let session = start_session(&app, headers, user_id, methods, None).await?;
    events::record(&app, client, Event::new(EventCode::MfaPassed).user(user_id)).await;
    record_sign_in(&app, client, user_id, &session).await;
    let info = Some(session.info().clone());
    Ok(session.respond_with(SignInStep { session: info, next: Next::Done, ceremony: None, passkey }))
}

/// `POST /api/passkeys/rename`: names one of the signed-in account's passkeys.
pub async fn rename_passkey(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RenamePasskey>,
) -> Result<Response, ApiError> {
    let user_id = session_user(&app, &headers).await?;
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > MAX_PASSKEY_NAME_CHARS {
        return Err(ErrorCode::InvalidDisplayName.into());
    }
    let stored = name.clone();
    let renamed = app.db.run(move |conn| db::rename_passkey(conn, user_id, body.id, &stored)).await?;
    if !renamed {
        return Err(ErrorCode::CredentialUnknown.into());
    }
    let event = Event::new(EventCode::PasskeyRenamed).user(user_id).detail(json!({ "passkey": body.id, "name": name }));
    events::record(&app, &client, event).await;
    Ok(no_store(StatusCode::NO_CONTENT))
}

/// `POST /api/passkeys/decline`: "Not now" snoozes the passkey offer for the policy's days; "Don't ask
/// again" stops it.
pub async fn decline_passkey(
    State(app): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<DeclinePasskey>,
) -> Result<Response, ApiError> {
    let user_id = session_user(&app, &headers).await?;
    let until = (!body.forever).then(|| now() + i64::from(app.live().policy.enrollment_snooze_days) * 24 * 3600);
    app.db.run(move |conn| db::decline_passkey_offer(conn, user_id, until)).await?;
    Ok(no_store(StatusCode::NO_CONTENT))
}

/// The password rules, with the words an attacker would try first for this account.
pub(crate) fn check_new_password(app: &AppState, password: &str, email: &str) -> Result<(), ApiError> {
    let local_part = email.split('@').next().unwrap_or_default();
    let context = [email, local_part, app.config.rp_name.as_str()];
    password::check_rules(password, &context).map_err(ApiError::new)
}

/// Most argon2 computations at once: each holds 19 MiB for tens of milliseconds, so a burst of password
/// requests queues here instead of filling memory.
const MAX_ARGON2_AT_ONCE: usize = 4;

/// Runs argon2 work off the async runtime, at most [`MAX_ARGON2_AT_ONCE`] at a time.
pub(crate) async fn argon2<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    static PERMITS: Semaphore = Semaphore::const_new(MAX_ARGON2_AT_ONCE);
    let _permit = PERMITS.acquire().await.map_err(|e| ApiError::internal("argon2 permits", e))?;
    tokio::task::spawn_blocking(work).await.map_err(|e| ApiError::internal("blocking task", e))
}
