//! The administrator's API: the passkey policy (read, and changed at once without a restart, every
//! change logged), the event log and the registered applications. Every request needs the configured
//! bearer token.

use axum::{
    Json,
    extract::{FromRequestParts, Path, Query, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use latchkey_proto::{
    ErrorCode, Policy,
    clients::{ClientInfo, NewClient},
    events::EventCode,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    error::ApiError,
    events::{self, Client, Event},
    http::{ApiJson, no_store},
    oidc, session,
    state::{AppState, InForce},
    store::EventFilter,
};

/// Proof that a request carries the administrator's token. Without a configured token, or with a
/// wrong one, the request is refused with `forbidden`.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match (given, &app.config.admin_token) {
            (Some(given), Some(expected)) if same_secret(given, expected) => Ok(Admin),
            _ => Err(ApiError::new(ErrorCode::Forbidden)),
        }
    }
}

/// Compares two secrets in time that depends on neither: their SHA-256 digests (equal length whatever
/// the inputs) are compared byte by byte without stopping at the first difference.
fn same_secret(given: &str, expected: &str) -> bool {
    session::same_bytes(&Sha256::digest(given.as_bytes()), &Sha256::digest(expected.as_bytes()))
}

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

/// `GET /api/admin/events?user=&code=&since=&until=&cursor=&limit=`: a page of the log, newest first.
pub async fn list_events(
    _: Admin,
    State(app): State<AppState>,
    Query(filter): Query<EventFilter>,
) -> Result<Response, ApiError> {
    if filter.code.as_deref().is_some_and(|code| EventCode::from_wire(code).is_none()) {
        return Err(ApiError::with_detail(ErrorCode::MalformedRequest, "unknown event code"));
    }
    let page = app.store.events_page(filter).await?;
    Ok(no_store(Json(page)))
}

/// `GET /.well-known/webauthn`: the related origins that may use this RP ID (WebAuthn L3 §5.11.1).
pub async fn related_origins(InForce(live): InForce) -> Response {
    let origins = live.policy.related_origins.clone();
    ([(header::CACHE_CONTROL, "max-age=300")], Json(json!({ "origins": origins }))).into_response()
}

/// `GET /api/admin/clients`: the registered applications, oldest first.
pub async fn list_clients(_: Admin, State(app): State<AppState>) -> Result<Response, ApiError> {
    let clients: Vec<ClientInfo> =
        app.store.clients().await?.iter().map(|row| oidc::clients::info(row, None)).collect();
    Ok(no_store(Json(clients)))
}

/// `POST /api/admin/clients`: registers an application; the answer holds its secret, this once.
pub async fn add_client(
    _: Admin,
    State(app): State<AppState>,
    client: Client,
    ApiJson(new): ApiJson<NewClient>,
) -> Result<Response, ApiError> {
    let added = oidc::clients::register(&app.store, new)
        .await?
        .map_err(|refused| ApiError::with_detail(ErrorCode::MalformedRequest, refused.to_string()))?;
    let detail = json!({ "client": added.client_id, "name": added.client_name });
    events::record(&app, &client, Event::new(EventCode::ClientAdded).detail(detail)).await;
    Ok(no_store((StatusCode::CREATED, Json(added))))
}

/// `DELETE /api/admin/clients/{client_id}`: removes an application and every grant it holds.
pub async fn remove_client(
    _: Admin,
    State(app): State<AppState>,
    client: Client,
    Path(client_id): Path<String>,
) -> Result<Response, ApiError> {
    if !app.store.remove_client(client_id.clone()).await? {
        return Err(ApiError::new(ErrorCode::NotFound));
    }
    events::record(&app, &client, Event::new(EventCode::ClientRemoved).detail(json!({ "client": client_id }))).await;
    Ok(no_store(StatusCode::NO_CONTENT))
}
