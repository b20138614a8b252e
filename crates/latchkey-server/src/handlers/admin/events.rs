//! The event log through the admin API: pages of it, newest first, with filters.

use axum::{
    Json,
    extract::{Query, State},
    response::Response,
};
use latchkey_proto::{ErrorCode, events::EventCode};

use super::Admin;
use crate::{error::ApiError, http::no_store, state::AppState, store::EventFilter};

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
