//! The ceremony steps every journey shares: storing a started ceremony under a random ID, and taking
//! it back for good at the finish.

use axum::{Json, response::Response};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use latchkey_proto::{CeremonyStarted, ErrorCode};
use rand::RngCore;
use serde_json::value::RawValue;

use crate::{
    error::ApiError,
    http::no_store,
    state::AppState,
    store::{CeremonyKind, CeremonyRow, now},
};

/// Options as they travel: the W3C JSON serialization, passed through unparsed.
pub type Options = Box<RawValue>;

/// A row for `state` that expires after the configured ceremony timeout, for no account yet.
pub fn new_row(app: &AppState, state: Vec<u8>) -> CeremonyRow {
    CeremonyRow {
        state,
        pending_user: None,
        user_id: None,
        then_sign_in: false,
        from_account: false,
        expires_at: now() + app.config.ceremony_timeout_secs as i64,
    }
}

/// Stores a ceremony and answers with its ID and options.
pub async fn respond_started(
    app: &AppState,
    kind: CeremonyKind,
    row: CeremonyRow,
    options_json: String,
) -> Result<Response, ApiError> {
    Ok(no_store(Json(save(app, kind, row, options_json).await?)))
}

/// Stores a ceremony; returns its ID and options for a response.
pub async fn save(
    app: &AppState,
    kind: CeremonyKind,
    row: CeremonyRow,
    options_json: String,
) -> Result<CeremonyStarted<Options>, ApiError> {
    let options = RawValue::from_string(options_json).map_err(|e| ApiError::internal("options JSON", e))?;
    let id = new_id();
    app.store.insert_ceremony(id.clone(), kind, row).await?;
    Ok(CeremonyStarted { ceremony: id, public_key: options })
}

/// Takes a ceremony of any of `kinds` for good, with its kind: unknown or already used IDs and expired
/// ceremonies are refused.
pub async fn take(
    app: &AppState,
    id: String,
    kinds: &'static [CeremonyKind],
) -> Result<(CeremonyKind, CeremonyRow), ApiError> {
    live(app.store.take_ceremony(id, kinds).await?)
}

/// A taken ceremony, refused when unknown, used or expired.
pub fn live(taken: Option<(CeremonyKind, CeremonyRow)>) -> Result<(CeremonyKind, CeremonyRow), ApiError> {
    let (kind, row) = taken.ok_or(ErrorCode::CeremonyUnknown)?;
    if row.expires_at < now() {
        return Err(ErrorCode::CeremonyExpired.into());
    }
    Ok((kind, row))
}

/// 128 random bits, base64url: the ceremony's ID in the browser.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}
