//! An account's passkeys: adding one (from the account page, progressive or local enrollment, or the
//! second factor's enrollment), naming, deleting, and the answer to the passkey offer.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use latchkey_proto::{
    AddPasskey, AuthMethod, CeremonyFinish, DeclinePasskey, DeletePasskey, ErrorCode, Next, PasskeyInfo, RenamePasskey,
    SignInStep, events::EventCode, policy::Mfa,
};
use serde_json::json;

use crate::{
    ceremony::{NewCredentialFor, SignUpResponse, VerifiedRegistration},
    error::ApiError,
    events::{self, Client, Event, logged},
    handlers::{
        account::{account_by_id, account_info},
        ceremonies::{self, Options},
        sessions::{Earned, recently_signed_in, session_user, sign_in_event, start_session},
        sign_up::user_agent,
    },
    http::{ApiJson, no_store},
    limits::{self, Subject},
    naming,
    notices::{self, Notice},
    state::{AppState, InForce, Live},
    store::{Account, AddedBy, CeremonyKind, CeremonyRow, now},
    text_rules,
};

/// `POST /api/passkeys/start`: creation options for one more passkey of the signed-in account (or, with
/// a second-factor enrollment ceremony, of the account whose password was just verified), excluding the
/// passkeys it has.
pub async fn add_passkey_start(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<AddPasskey>,
) -> Result<Response, ApiError> {
    limits::take(&app, limits::CEREMONY_STARTS_PER_IP, Subject::Ip(&client)).await?;
    // A passkey is a way in for as long as it exists, so a session adds one only soon after its sign-in.
    let (user_id, then_sign_in) = match body.ceremony {
        Some(id) => (enrollment_user(&app, id).await?, true),
        None => (recently_signed_in(&app, &headers).await?.0, false),
    };
    let account = account_by_id(&app, user_id).await?;
    // The enrollment is for an account's first passkey: one that has a passkey answers with it.
    if then_sign_in && account.passkeys > 0 {
        return Err(ErrorCode::CeremonyUnknown.into());
    }
    if account.passkeys >= live.policy.passkeys_per_user {
        return Err(ErrorCode::TooManyPasskeys.into());
    }
    let exclude = app.store.passkey_descriptors(user_id).await?;
    let new = NewCredentialFor {
        handle: Some(&account.handle),
        email: &account.email,
        display_name: &account.display_name,
        exclude,
        conditional: body.conditional,
        other_device: body.other_device,
    };
    let (started, _) = live.rp.start_new_credential(&new)?;
    let from_account = body.from_account;
    let row =
        CeremonyRow { user_id: Some(user_id), then_sign_in, from_account, ..ceremonies::new_row(&app, started.state) };
    ceremonies::respond_started(&app, CeremonyKind::AddPasskey, row, started.options_json).await
}

/// The account of a live second-factor enrollment marker. The marker stays until it expires, so a
/// cancelled prompt can be tried again.
async fn enrollment_user(app: &AppState, id: String) -> Result<i64, ApiError> {
    let (user_id, expires_at) = app.store.peek_enrollment(id).await?.ok_or(ErrorCode::CeremonyUnknown)?;
    if expires_at < now() {
        return Err(ErrorCode::CeremonyExpired.into());
    }
    Ok(user_id)
}

/// `POST /api/passkeys/finish`: verifies and stores the new passkey, named after its provider or the
/// browser and system. A second-factor enrollment then signs the person in.
pub async fn add_passkey_finish(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CeremonyFinish<Options>>,
) -> Result<Response, ApiError> {
    let mut failed = Event::new(EventCode::EnrollmentFailed);
    let result = async {
        let response = live.rp.parse_registration(body.credential.get())?;
        let (_, ceremony) = ceremonies::take(&app, body.ceremony, &[CeremonyKind::AddPasskey]).await?;
        let user_id = ceremony.user_id.ok_or_else(|| ApiError::internal("add-passkey ceremony", "no account"))?;
        failed.user_id = Some(user_id);
        // Without a second-factor enrollment, the passkey goes to the signed-in account only, while its
        // sign-in is recent, and only while that session is still open when it is stored.
        let added_by = if ceremony.then_sign_in {
            AddedBy::SecondFactorEnrollment
        } else {
            let (signed_in, session) = recently_signed_in(&app, &headers).await?;
            if signed_in != user_id {
                return Err(ErrorCode::NotSignedIn.into());
            }
            AddedBy::Session(session)
        };
        let account = account_by_id(&app, user_id).await?;
        let verified = verify_new_passkey(&live, &ceremony.state, &response, &account, &headers)?;
        let passkey = verified.passkey;
        let name = passkey.name.clone();
        let max = live.policy.passkeys_per_user;
        let id = app.store.add_passkey(user_id, passkey, max, added_by).await??;
        notices::notify(&app, &client, &account.email, Notice::PasskeyAdded(&name)).await;
        let code = if ceremony.from_account { EventCode::PasskeyAdded } else { EventCode::EnrollmentComplete };
        let added = Event::new(code).user(user_id).email(&account.email).detail(json!({ "passkey": id, "name": name }));
        let passkey = Some(PasskeyInfo { id, name });
        if !ceremony.then_sign_in {
            events::record(&app, &client, added).await;
            return Ok(no_store(Json(SignInStep::<Options> {
                session: None,
                next: Next::Done,
                ceremony: None,
                passkey,
            })));
        }
        let mut methods = verified.methods;
        methods.insert(0, AuthMethod::Pwd);
        let recorded = [added, Event::new(EventCode::MfaPassed).user(user_id), sign_in_event(user_id, &methods)];
        let earned = Earned { user_id, methods, new_passkey: Some(id), ..Earned::default() };
        let session = start_session(&app, &headers, &client, earned, &recorded).await?;
        let info = Some(session.info().clone());
        Ok(session.respond_with(SignInStep { session: info, next: Next::Done, ceremony: None, passkey }))
    }
    .await;
    logged(&app, &client, failed, result).await
}

/// Verifies a new passkey of `account` (WebAuthn §7.1) and names it after its provider, or the browser
/// and system.
pub(super) fn verify_new_passkey(
    live: &Live,
    state: &[u8],
    response: &SignUpResponse,
    account: &Account,
    headers: &HeaderMap,
) -> Result<VerifiedRegistration, ApiError> {
    let mut verified = live.rp.finish_registration(state, response)?;
    // The options named the account's user handle (§5.4.3); the state echoes it, so a mismatch is ours.
    if verified.user_handle != account.handle {
        return Err(ApiError::internal("new passkey", "user handle differs from the account's"));
    }
    verified.passkey.name = naming::passkey_name(&verified.passkey.aaguid, user_agent(headers));
    Ok(verified)
}

/// `POST /api/passkeys/rename`: names one of the signed-in account's passkeys.
pub async fn rename_passkey(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RenamePasskey>,
) -> Result<Response, ApiError> {
    let user_id = session_user(&app, &headers).await?;
    let name = text_rules::name(&body.name)?;
    if !app.store.rename_passkey(user_id, body.id, name.clone()).await? {
        return Err(ErrorCode::CredentialUnknown.into());
    }
    let event = Event::new(EventCode::PasskeyRenamed).user(user_id).detail(json!({ "passkey": body.id, "name": name }));
    events::record(&app, &client, event).await;
    Ok(no_store(StatusCode::NO_CONTENT))
}

/// `POST /api/passkeys/delete`: deletes a passkey, unless no way to sign in would remain; answers with
/// the account as it is now, whose credential IDs the page passes to `signalAllAcceptedCredentials`.
pub async fn delete_passkey(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<DeletePasskey>,
) -> Result<Response, ApiError> {
    let (user_id, session) = recently_signed_in(&app, &headers).await?;
    let passkey_required = live.policy.mfa == Mfa::Passkey;
    let name = app.store.delete_passkey(user_id, body.id, passkey_required, session.clone()).await??;
    let account = account_by_id(&app, user_id).await?;
    notices::notify(&app, &client, &account.email, Notice::PasskeyDeleted(&name)).await;
    let event = Event::new(EventCode::PasskeyDeleted).user(user_id).detail(json!({ "passkey": body.id, "name": name }));
    events::record(&app, &client, event).await;
    Ok(no_store(Json(account_info(&app, &live, user_id, &session).await?)))
}

/// `POST /api/passkeys/decline`: "Not now" snoozes the passkey offer for the policy's days; "Don't ask
/// again" stops it.
pub async fn decline_passkey(
    State(app): State<AppState>,
    InForce(live): InForce,
    headers: HeaderMap,
    ApiJson(body): ApiJson<DeclinePasskey>,
) -> Result<Response, ApiError> {
    let user_id = session_user(&app, &headers).await?;
    let until = (!body.forever).then(|| now() + i64::from(live.policy.enrollment_snooze_days) * 24 * 3600);
    app.store.decline_passkey_offer(user_id, until).await?;
    Ok(no_store(StatusCode::NO_CONTENT))
}
