//! HTTP handlers of the account page: the signed-in person's passkeys (listed with their provider,
//! deleted with a guard on the last way to sign in) and their password.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use latchkey_proto::{
    AccountInfo, ChangePassword, DeletePasskey, ErrorCode, PasskeySummary, UserInfo, events::EventCode, policy::Mfa,
};
use serde_json::json;

use crate::{
    AppState,
    api::{ApiJson, RECENT_SIGN_IN_SECS, account_by_id, no_store, recent_session, session_user},
    db::{self, Account, DeleteRefused, PasskeyRow},
    error::ApiError,
    events::{self, Client, Event},
    journeys::{argon2, check_new_password},
    naming, password,
};

/// `GET /api/account`: the signed-in account and its passkeys.
pub async fn account(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let user_id = session_user(&app, &headers).await?;
    Ok(no_store(Json(account_info(&app, user_id).await?)))
}

/// `POST /api/passkeys/delete`: deletes a passkey, unless no way to sign in would remain; answers with
/// the account as it is now, whose credential IDs the page passes to `signalAllAcceptedCredentials`.
pub async fn delete_passkey(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<DeletePasskey>,
) -> Result<Response, ApiError> {
    let (user_id, _) = recent_session(&app, &headers, RECENT_SIGN_IN_SECS).await?;
    let passkey_required = app.live().policy.mfa == Mfa::Passkey;
    let deleted = app.db.run(move |conn| db::delete_passkey(conn, user_id, body.id, passkey_required)).await?;
    let name = deleted.map_err(|refused| match refused {
        DeleteRefused::Unknown => ErrorCode::CredentialUnknown,
        DeleteRefused::LastSignInMethod => ErrorCode::LastSignInMethod,
    })?;
    let event = Event::new(EventCode::PasskeyDeleted).user(user_id).detail(json!({ "passkey": body.id, "name": name }));
    events::record(&app, &client, event).await;
    Ok(no_store(Json(account_info(&app, user_id).await?)))
}

/// `POST /api/account/password`: sets a password (an account without one) or changes it (the current
/// one is checked first, with the same argon2 work as a sign-in).
pub async fn change_password(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<Response, ApiError> {
    let (user_id, session) = recent_session(&app, &headers, i64::MAX).await?;
    let account = account_by_id(&app, user_id).await?;
    check_new_password(&app, &body.password, &account.email)?;
    match account.password_hash.clone() {
        Some(stored) => {
            let current = body.current.unwrap_or_default();
            if !argon2(move || password::verify(Some(&stored), &current)).await? {
                return Err(ErrorCode::WrongPassword.into());
            }
        }
        // No old password to check: the sign-in itself must be recent.
        None => {
            recent_session(&app, &headers, RECENT_SIGN_IN_SECS).await?;
        }
    }
    let new = body.password;
    let hash = argon2(move || password::hash(&new)).await?.map_err(|e| ApiError::internal("hashing", e))?;
    app.db.run(move |conn| db::set_password(conn, user_id, &hash, &session)).await?;
    events::record(&app, &client, Event::new(EventCode::PasswordChanged).user(user_id).email(&account.email)).await;
    Ok(no_store(StatusCode::NO_CONTENT))
}

async fn account_info(app: &AppState, user_id: i64) -> Result<AccountInfo, ApiError> {
    let account = account_by_id(app, user_id).await?;
    let rows = app.db.run(move |conn| db::account_passkeys(conn, user_id)).await?;
    Ok(AccountInfo {
        user_handle: URL_SAFE_NO_PAD.encode(&account.handle),
        rp_id: app.config.rp_id.clone(),
        has_password: account.password_hash.is_some(),
        passkeys: rows.into_iter().map(summary).collect(),
        max_passkeys: app.live().policy.passkeys_per_user,
        user: user_info(account),
    })
}

fn user_info(account: Account) -> UserInfo {
    UserInfo { email: account.email, display_name: account.display_name }
}

fn summary(row: PasskeyRow) -> PasskeySummary {
    let provider = naming::provider(&row.aaguid);
    PasskeySummary {
        id: row.id,
        credential_id: URL_SAFE_NO_PAD.encode(&row.credential_id),
        provider: provider.map(|p| p.name.clone()),
        icon_light: provider.map(|p| naming::monogram(&p.name, &p.light, false)),
        icon_dark: provider.map(|p| naming::monogram(&p.name, &p.dark, true)),
        name: row.name,
        synced: row.backup_eligible,
        created_at: row.created_at,
        last_used_at: row.last_used_at,
    }
}
