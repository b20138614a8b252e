//! The account page's view of the signed-in account: who it is, its passkeys with their providers, and
//! whether it has a password.

use axum::{Json, extract::State, http::HeaderMap, response::Response};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use latchkey_proto::{AccountInfo, ErrorCode, PasskeySummary, UserInfo};

use crate::{
    error::ApiError,
    handlers::sessions::session_user,
    http::no_store,
    naming,
    state::{AppState, InForce, Live},
    store::{Account, PasskeyRow},
};

/// `GET /api/account`: the signed-in account and its passkeys.
pub async fn account(
    State(app): State<AppState>,
    InForce(live): InForce,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let user_id = session_user(&app, &headers).await?;
    Ok(no_store(Json(account_info(&app, &live, user_id).await?)))
}

/// The account behind a row ID that a session or ceremony named.
pub async fn account_by_id(app: &AppState, user_id: i64) -> Result<Account, ApiError> {
    app.store
        .find_account_by_id(user_id)
        .await?
        .ok_or_else(|| ApiError::with_detail(ErrorCode::NotSignedIn, "account gone"))
}

/// The account as the account page shows it.
pub async fn account_info(app: &AppState, live: &Live, user_id: i64) -> Result<AccountInfo, ApiError> {
    let account = account_by_id(app, user_id).await?;
    let rows = app.store.account_passkeys(user_id).await?;
    Ok(AccountInfo {
        user_handle: URL_SAFE_NO_PAD.encode(&account.handle),
        rp_id: app.config.rp_id.clone(),
        has_password: account.password_hash.is_some(),
        passkeys: rows.into_iter().map(summary).collect(),
        max_passkeys: live.policy.passkeys_per_user,
        user: UserInfo { email: account.email, display_name: account.display_name },
    })
}

/// A passkey as the account page and the console show it, with its provider's name and icons.
pub fn summary(row: PasskeyRow) -> PasskeySummary {
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
