//! RP-Initiated Logout 1.0: an application sends the person here to end their Latchkey session and the
//! grants it made, then (to a URI it registered) back. With a valid `id_token_hint` that happens at once;
//! without one a page asks first (§2: a logout nobody can tie to the person is confirmed), so another
//! site cannot sign people out with a link.

use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use latchkey_proto::events::EventCode;

use super::{
    error::NotRedirected,
    pages,
    params::{Params, with_query},
    tokens,
    verify::{self, Expiry},
};
use crate::{
    events::{self, Client, Event},
    handlers::account::account_by_id,
    session,
    state::AppState,
};

/// The parameters a logout carries on to its confirmation and back to the application.
const CARRIED: [&str; 3] = ["client_id", "post_logout_redirect_uri", "state"];

/// `GET /oauth2/logout`.
pub async fn logout(
    State(app): State<AppState>,
    requester: Client,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, NotRedirected> {
    let params = Params::parse(query.as_deref().unwrap_or_default())
        .map_err(|_| NotRedirected("The sign-out link repeats a parameter."))?;
    let hint = match params.get("id_token_hint") {
        Some(token) => Some(
            verify::ours(&app, token, "JWT", Expiry::Ignored)
                .await
                .map_err(server_failed)?
                .ok_or(NotRedirected("The sign-out link carries a token this server did not issue."))?,
        ),
        None => None,
    };
    let hinted_client = hint.as_ref().and_then(|h| h.text("aud")).map(str::to_owned);
    let return_to = checked_return(&app, &params, hinted_client.as_deref()).await?;
    let Some(hint) = hint else {
        let fields: Vec<(&str, &str)> = CARRIED.iter().filter_map(|name| Some((*name, params.get(name)?))).collect();
        return Ok(pages::confirm_logout(&app.config.rp_name, &fields));
    };
    end_session(&app, &requester, &headers, hint.text("sub")).await?;
    Ok(finish(&app, return_to, params.get("state")))
}

/// `POST /oauth2/logout`: the confirmation page's "Sign out". Only that page, on our own origin, may send it.
pub async fn confirm_logout(
    State(app): State<AppState>,
    requester: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, NotRedirected> {
    let issuer_origin =
        url::Url::parse(app.config.issuer()).map(|u| u.origin().ascii_serialization()).unwrap_or_default();
    if headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) != Some(issuer_origin.as_str()) {
        return Err(NotRedirected("Sign out from Latchkey's own page."));
    }
    let text = std::str::from_utf8(&body).unwrap_or_default();
    let params = Params::parse(text).map_err(|_| NotRedirected("The sign-out form repeats a field."))?;
    let return_to = checked_return(&app, &params, None).await?;
    end_session(&app, &requester, &headers, None).await?;
    Ok(finish(&app, return_to, params.get("state")))
}

/// The `post_logout_redirect_uri`, if one was sent: exactly one the application registered, else the
/// logout stops at a page (never an open redirect).
async fn checked_return(
    app: &AppState,
    params: &Params,
    hinted_client: Option<&str>,
) -> Result<Option<String>, NotRedirected> {
    let Some(uri) = params.get("post_logout_redirect_uri") else { return Ok(None) };
    let client_id = match (params.get("client_id"), hinted_client) {
        (Some(given), Some(hinted)) if given != hinted => {
            return Err(NotRedirected("The sign-out link names two different applications."));
        }
        (Some(id), _) | (None, Some(id)) => id.to_owned(),
        (None, None) => return Err(NotRedirected("The sign-out link does not say which application sent it.")),
    };
    let client = app.store.find_client(client_id).await.map_err(server_failed)?;
    client
        .filter(|c| c.post_logout_redirect_uris.iter().any(|registered| registered == uri))
        .map(|_| Some(uri.to_owned()))
        .ok_or(NotRedirected("The application's return address after signing out is not registered here."))
}

/// Ends the browser's session and the grants it made. With a hint, only the session of the person the
/// hint names: a stale hint does not sign someone else out.
async fn end_session(
    app: &AppState,
    requester: &Client,
    headers: &HeaderMap,
    hinted_sub: Option<&str>,
) -> Result<(), NotRedirected> {
    let Some(secret) = session::secret_from(headers, app.config.is_https()) else { return Ok(()) };
    let id_hash = session::hash_secret(&secret);
    let Some(row) = app.store.find_session(id_hash.clone()).await.map_err(server_failed)? else { return Ok(()) };
    if let Some(sub) = hinted_sub {
        let account = account_by_id(app, row.user_id).await.map_err(server_failed)?;
        if tokens::subject(&account.handle) != sub {
            return Ok(());
        }
    }
    app.store.revoke_session_grants(id_hash.clone()).await.map_err(server_failed)?;
    app.store.revoke_session(id_hash).await.map_err(server_failed)?;
    events::record(app, requester, Event::new(EventCode::SignOut).user(row.user_id).email(&row.user.email)).await;
    Ok(())
}

/// Back to the application with its `state`, or the signed-out page; the cookie goes either way.
fn finish(app: &AppState, return_to: Option<String>, state: Option<&str>) -> Response {
    let clear = (header::SET_COOKIE, session::clear_cookie(app.config.is_https()));
    match return_to {
        Some(uri) => {
            let location = match state {
                Some(state) => with_query(&uri, &[("state", state)]),
                None => uri,
            };
            (
                StatusCode::SEE_OTHER,
                [clear, (header::LOCATION, location.parse().unwrap_or(header::HeaderValue::from_static("/")))],
            )
                .into_response()
        }
        None => ([clear], pages::signed_out()).into_response(),
    }
}

fn server_failed(e: impl std::fmt::Debug) -> NotRedirected {
    tracing::error!(?e, "logout endpoint");
    NotRedirected("The server failed; try again.")
}
