//! "Can't sign in?": a reset link that makes a new passkey on this device instead of (or before) a new
//! password, for accounts whose passkeys are gone with a lost device. The link is the proof, as for a
//! password reset: its use ends every session, and claims an account whose email was never proved.

use axum::{Json, extract::State, http::HeaderMap, response::Response};
use latchkey_proto::{
    CeremonyStarted, ErrorCode, Keeps, Next, PasskeyInfo, RecoveryFinish, RecoveryStart, RecoveryStarted, SignInStep,
    events::EventCode,
};
use serde_json::json;

use crate::{
    ceremony::NewCredentialFor,
    error::ApiError,
    events::{Client, Event, logged},
    handlers::{
        account::account_by_id,
        ceremonies::{self, Options},
        passkeys::verify_new_passkey,
        sessions::{Earned, sign_in_event, start_session},
    },
    http::{ApiJson, no_store},
    limits::{self, Subject},
    notices::{self, Notice},
    session,
    state::{AppState, InForce, Live},
    store::{Account, CeremonyKind, CeremonyRow},
};

/// `POST /api/recovery/start`: creation options for a new passkey of the reset link's account, and what
/// the account keeps besides it. The link stays live: only the finish uses it.
pub async fn recovery_start(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    ApiJson(body): ApiJson<RecoveryStart>,
) -> Result<Response, ApiError> {
    limits::take(&app, limits::CEREMONY_STARTS_PER_IP, Subject::Ip(&client)).await?;
    let token_hash = session::hash_secret(&body.token);
    let user_id = app.store.reset_token_account(token_hash).await?.ok_or(ErrorCode::ResetLinkInvalid)?;
    let account = account_by_id(&app, user_id).await?;
    if account.disabled {
        return Err(ErrorCode::AccountDisabled.into());
    }
    let keeps = kept_by(&account);
    // An account with the most passkeys it may have can still set a new password with the link: the
    // answer says so by carrying no ceremony.
    let started = if keeps.passkeys < live.policy.passkeys_per_user {
        Some(start_ceremony(&app, &live, &account).await?)
    } else {
        None
    };
    Ok(no_store(Json(RecoveryStarted { started, keeps })))
}

/// What a recovery keeps of `account` besides the new passkey or password. An account whose email was
/// never proved is claimed: nothing made on it before is kept, so nothing of it is excluded or counted
/// either.
fn kept_by(account: &Account) -> Keeps {
    if account.email_verified {
        Keeps { passkeys: account.passkeys, password: account.password_hash.is_some() }
    } else {
        Keeps { passkeys: 0, password: false }
    }
}

/// The registration ceremony of the recovery's new passkey, saved for its finish.
async fn start_ceremony(app: &AppState, live: &Live, account: &Account) -> Result<CeremonyStarted<Options>, ApiError> {
    let exclude = if account.email_verified { app.store.passkey_descriptors(account.id).await? } else { Vec::new() };
    let new = NewCredentialFor {
        handle: Some(&account.handle),
        email: &account.email,
        display_name: &account.display_name,
        exclude,
        conditional: false,
        other_device: false,
    };
    let (started, _) = live.rp.start_new_credential(&new)?;
    let row = CeremonyRow { user_id: Some(account.id), ..ceremonies::new_row(app, started.state) };
    ceremonies::save(app, CeremonyKind::AddPasskey, row, started.options_json).await
}

/// `POST /api/recovery/finish`: verifies the new passkey, then in one transaction uses the link up, ends
/// every session and stores the passkey (claiming the account if its email was never proved), and signs
/// the person in with it.
pub async fn recovery_finish(
    State(app): State<AppState>,
    InForce(live): InForce,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RecoveryFinish<Options>>,
) -> Result<Response, ApiError> {
    let mut failed = Event::new(EventCode::EnrollmentFailed);
    let result = async {
        limits::take(&app, limits::RESETS_PER_IP, Subject::Ip(&client)).await?;
        let response = live.rp.parse_registration(body.credential.get())?;
        let (_, ceremony) = ceremonies::take(&app, body.ceremony, &[CeremonyKind::AddPasskey]).await?;
        let user_id = ceremony.user_id.ok_or_else(|| ApiError::internal("recovery ceremony", "no account"))?;
        failed.user_id = Some(user_id);
        let account = account_by_id(&app, user_id).await?;
        let verified = verify_new_passkey(&live, &ceremony.state, &response, &account, &headers)?;
        let passkey = verified.passkey;
        let name = passkey.name.clone();
        let token_hash = session::hash_secret(&body.token);
        let max = live.policy.passkeys_per_user;
        let recovered = app.store.recover_with_passkey(token_hash, user_id, passkey, max).await??;
        let id = recovered.passkey_id;
        let added = Event::new(EventCode::PasskeyAdded)
            .user(user_id)
            .detail(json!({ "passkey": id, "name": name, "proof": "reset_link" }));
        let mut recorded = vec![added];
        let notice = match recovered.claimed {
            Some(passkeys) => {
                let detail = json!({ "passkeys": passkeys, "proof": "reset_link" });
                recorded.push(Event::new(EventCode::AccountClaimed).user(user_id).detail(detail));
                Notice::ClaimedWithPasskey(&name)
            }
            None => Notice::RecoveredWithPasskey(&name, kept_by(&account)),
        };
        notices::notify(&app, &client, &account.email, notice).await;
        let methods = verified.methods;
        recorded.push(sign_in_event(user_id, &methods));
        let earned = Earned { user_id, methods, new_passkey: Some(id), ..Earned::default() };
        let session = start_session(&app, &headers, &client, earned, &recorded).await?;
        let info = Some(session.info().clone());
        let passkey = Some(PasskeyInfo { id, name });
        Ok(session.respond_with(SignInStep::<Options> { session: info, next: Next::Done, ceremony: None, passkey }))
    }
    .await;
    logged(&app, &client, failed, result).await
}
