//! The account page's sessions: ending one (another browser's, or this one's), and "Sign out everywhere
//! else". Each ends the applications' grants the sessions made too, and is recorded as
//! `sessions_ended`; the list itself comes with the account (`GET /api/account`).

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use latchkey_proto::{EndSession, ErrorCode, events::EventCode};
use serde_json::json;

use crate::{
    error::ApiError,
    events::{self, Client, Event},
    handlers::sessions::signed_in,
    http::{ApiJson, no_store},
    session,
    state::AppState,
};

/// `POST /api/sessions/end`: ends one of the signed-in account's sessions. Ending the current one is
/// signing out, and clears its cookie; an ID that names none of the account's live sessions (ended
/// meanwhile, or someone else's) is `not_found`.
pub async fn end_session(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<EndSession>,
) -> Result<Response, ApiError> {
    let (user_id, current) = signed_in(&app, &headers).await?;
    let id_hash = URL_SAFE_NO_PAD.decode(&body.id).map_err(|_| ErrorCode::NotFound)?;
    let ending_current = id_hash == current;
    if !app.store.end_account_session(user_id, id_hash).await? {
        return Err(ErrorCode::NotFound.into());
    }
    record_ended(&app, &client, user_id, 1).await;
    if ending_current {
        let clear = session::clear_cookie(app.config.is_https());
        return Ok(no_store((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)])));
    }
    Ok(no_store(StatusCode::NO_CONTENT))
}

/// `POST /api/sessions/end-others`: "Sign out everywhere else", every session of the account but this
/// one.
pub async fn end_other_sessions(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (user_id, current) = signed_in(&app, &headers).await?;
    let ended = app.store.end_other_sessions(user_id, current).await?;
    if ended > 0 {
        record_ended(&app, &client, user_id, ended).await;
    }
    Ok(no_store(StatusCode::NO_CONTENT))
}

async fn record_ended(app: &AppState, client: &Client, user_id: i64, count: u64) {
    let event = Event::new(EventCode::SessionsEnded).user(user_id).detail(json!({ "sessions": count }));
    events::record(app, client, event).await;
}
