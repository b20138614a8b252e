//! The account page's view of the signed-in account: who it is, its passkeys with their providers,
//! whether it has a password, and its sessions with the browser and system of each.

use axum::{Json, extract::State, http::HeaderMap, response::Response};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use latchkey_proto::{AccountInfo, ErrorCode, PasskeySummary, SessionListing, UserInfo};

use crate::{
    error::ApiError,
    handlers::sessions::{liveness, signed_in},
    http::no_store,
    naming,
    state::{AppState, InForce, Live},
    store::{Account, PasskeyRow, SessionSummary},
    user_agent,
};

/// `GET /api/account`: the signed-in account, its passkeys and its sessions.
pub async fn account(
    State(app): State<AppState>,
    InForce(live): InForce,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (user_id, session) = signed_in(&app, &headers).await?;
    Ok(no_store(Json(account_info(&app, &live, user_id, &session).await?)))
}

/// The account behind a row ID that a session or ceremony named.
pub async fn account_by_id(app: &AppState, user_id: i64) -> Result<Account, ApiError> {
    app.store
        .find_account_by_id(user_id)
        .await?
        .ok_or_else(|| ApiError::with_detail(ErrorCode::NotSignedIn, "account gone"))
}

/// The account as the account page shows it to the session `current`.
pub async fn account_info(app: &AppState, live: &Live, user_id: i64, current: &[u8]) -> Result<AccountInfo, ApiError> {
    let account = account_by_id(app, user_id).await?;
    let rows = app.store.account_passkeys(user_id).await?;
    let sessions = app.store.live_sessions(user_id, liveness(&live.policy)).await?;
    Ok(AccountInfo {
        sessions: sessions.into_iter().map(|s| listing(s, current)).collect(),
        user_handle: URL_SAFE_NO_PAD.encode(&account.handle),
        rp_id: app.config.rp_id.clone(),
        has_password: account.password_hash.is_some(),
        email_verified: account.email_verified,
        passkeys: rows.into_iter().map(summary).collect(),
        max_passkeys: live.policy.passkeys_per_user,
        user: UserInfo { email: account.email, display_name: account.display_name },
    })
}

/// A session as the account page and the console list it; `current` is the asking browser's.
pub fn listing(session: SessionSummary, current: &[u8]) -> SessionListing {
    let described = session.user_agent.as_deref().map(user_agent::describe);
    SessionListing {
        id: URL_SAFE_NO_PAD.encode(&session.id_hash),
        browser: described.and_then(|d| d.browser).map(str::to_owned),
        system: described.and_then(|d| d.system).map(str::to_owned),
        ip: session.ip,
        created_at: session.created_at,
        last_seen_at: session.last_seen_at,
        methods: crate::session::decode_methods(&session.methods),
        current: session.id_hash == current,
    }
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
