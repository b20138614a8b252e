//! The console's Users section through the admin API: find accounts by email; see one with its passkeys,
//! sessions and recent events; disable (every way in stops at once), enable, or delete it with everything
//! of it. Each change is logged.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use latchkey_proto::{
    ErrorCode,
    admin::{AdminUser, AdminUserDetail},
    events::EventCode,
};
use serde::Deserialize;
use serde_json::Value;

use super::Admin;
use crate::{
    error::ApiError,
    events::{self, Client, Event},
    handlers::{account, sessions::liveness},
    http::no_store,
    state::AppState,
    store::{AccountSummary, EventFilter},
};

/// How many of an account's events its page shows.
const RECENT_EVENTS: u32 = 20;

/// The query of [`search`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    /// The start of the email address; all accounts (the first page of them) when empty.
    #[serde(default)]
    email: String,
}

/// `GET /api/admin/users?email=`: accounts whose email starts with that, by email.
pub async fn search(_: Admin, State(app): State<AppState>, Query(query): Query<Search>) -> Result<Response, ApiError> {
    let found = app.store.search_accounts(query.email.trim().to_owned()).await?;
    Ok(no_store(Json(found.into_iter().map(admin_user).collect::<Vec<_>>())))
}

/// `GET /api/admin/users/{id}`: the account with its passkeys, live sessions and recent events.
pub async fn detail(_: Admin, State(app): State<AppState>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let user = app.store.account_summary(id).await?.ok_or(ErrorCode::NotFound)?;
    let passkeys = app.store.account_passkeys(id).await?.into_iter().map(account::summary).collect();
    let live = app.store.live_sessions(id, liveness(&app.live().policy)).await?;
    // The console is no one's browser: no session is "this device".
    let sessions = live.into_iter().map(|s| account::listing(s, &[])).collect();
    let filter = EventFilter { user: Some(id), limit: Some(RECENT_EVENTS), ..EventFilter::default() };
    let events = app.store.events_page(filter).await?.events;
    let detail: AdminUserDetail<Value> = AdminUserDetail { user: admin_user(user), passkeys, sessions, events };
    Ok(no_store(Json(detail)))
}

/// `POST /api/admin/users/{id}/disable`: the account can no longer sign in by any method; its sessions,
/// grants (refresh tokens, and access tokens as `userinfo` sees them) and ceremonies end now.
pub async fn disable(
    _: Admin,
    State(app): State<AppState>,
    client: Client,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let took_effect = app.store.disable_account(id).await?;
    changed(&app, &client, id, took_effect, EventCode::AccountDisabled).await
}

/// `POST /api/admin/users/{id}/enable`.
pub async fn enable(
    _: Admin,
    State(app): State<AppState>,
    client: Client,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let took_effect = app.store.enable_account(id).await?;
    changed(&app, &client, id, took_effect, EventCode::AccountEnabled).await
}

/// `DELETE /api/admin/users/{id}`: the account and its passkeys, sessions, grants, links and mail.
pub async fn delete(
    _: Admin,
    State(app): State<AppState>,
    client: Client,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let email = app.store.delete_account(id).await?.ok_or(ErrorCode::NotFound)?;
    events::record(&app, &client, Event::new(EventCode::AccountDeleted).user(id).email(&email)).await;
    Ok(no_store(StatusCode::NO_CONTENT))
}

/// Answers the account as it is now, recording `code` about it if the change took effect (disabling a
/// disabled account changes nothing and logs nothing).
async fn changed(
    app: &AppState,
    client: &Client,
    id: i64,
    took_effect: bool,
    code: EventCode,
) -> Result<Response, ApiError> {
    let user = app.store.account_summary(id).await?.ok_or(ErrorCode::NotFound)?;
    if took_effect {
        events::record(app, client, Event::new(code).user(id).email(&user.email)).await;
    }
    Ok(no_store(Json(admin_user(user))))
}

fn admin_user(row: AccountSummary) -> AdminUser {
    AdminUser {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        created_at: row.created_at,
        disabled: row.disabled_at.is_some(),
        passkeys: u32::try_from(row.passkeys).unwrap_or(u32::MAX),
        has_password: row.has_password,
    }
}
