//! The applications (OAuth clients) through the admin API: listed, registered (the secret shown once) and
//! removed with every grant they hold.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use latchkey_proto::{
    ErrorCode,
    clients::{ClientInfo, NewClient},
    events::EventCode,
};
use serde_json::json;

use super::Admin;
use crate::{
    error::ApiError,
    events::{self, Client, Event},
    http::{ApiJson, no_store},
    oidc,
    state::AppState,
};

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
