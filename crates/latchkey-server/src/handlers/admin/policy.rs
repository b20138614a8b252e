//! The passkey policy through the admin API: read, and changed at once without a restart (every node
//! applies it within a second), each change logged with what it changed; and the related origins the
//! policy publishes.

use axum::{
    Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use latchkey_proto::{ErrorCode, Policy, events::EventCode};
use serde_json::{Value, json};

use super::Admin;
use crate::{
    error::ApiError,
    events::{self, Client, Event},
    http::{ApiJson, no_store},
    state::{AppState, InForce},
};

/// `GET /api/admin/policy`.
pub async fn get_policy(_: Admin, InForce(live): InForce) -> Response {
    no_store(Json(live.policy.clone()))
}

/// `PUT /api/admin/policy`: checks, stores and applies a new policy, and logs which members changed.
pub async fn put_policy(
    _: Admin,
    State(app): State<AppState>,
    client: Client,
    ApiJson(policy): ApiJson<Policy>,
) -> Result<Response, ApiError> {
    let policy =
        app.config.checked_policy(policy).map_err(|e| ApiError::with_detail(ErrorCode::MalformedRequest, e.0))?;
    // One change at a time: the stored policy, the one in force and the logged difference stay in step.
    // The policy this request arrived under may be stale by now, so the latest one is read under the lock.
    let _turn = app.policy_changes.lock().await;
    let before = app.live().policy.clone();
    let version = app.store.save_policy(&policy).await?;
    app.apply_policy(policy.clone(), version).map_err(|e| ApiError::internal("applying the policy", e))?;
    let changed = changed_members(&before, &policy);
    events::record(&app, &client, Event::new(EventCode::PolicyChanged).detail(json!({ "changed": changed }))).await;
    Ok(no_store(Json(policy)))
}

/// The policy members whose values differ, with their old and new values.
fn changed_members(before: &Policy, after: &Policy) -> Value {
    let (Ok(Value::Object(old)), Ok(Value::Object(new))) = (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Value::Null;
    };
    new.into_iter()
        .filter(|(key, value)| old.get(key) != Some(value))
        .map(|(key, value)| (key.clone(), json!({ "from": old.get(&key), "to": value })))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// `GET /.well-known/webauthn`: the related origins that may use this RP ID (WebAuthn L3 §5.11.1).
pub async fn related_origins(InForce(live): InForce) -> Response {
    let origins = live.policy.related_origins.clone();
    ([(header::CACHE_CONTROL, "max-age=300")], Json(json!({ "origins": origins }))).into_response()
}
