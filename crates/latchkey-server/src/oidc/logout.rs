//! RP-Initiated Logout 1.0: an application sends the person here to end their Latchkey session and the
//! grants it made, then (to a URI it registered) back. With an `id_token_hint` naming the person signed
//! in here, that happens at once; otherwise a page asks first (§2: a logout nobody can tie to the person
//! is confirmed), so another site cannot sign people out with a link, not even with its own ID token.

use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{
    error::NotRedirected,
    pages,
    params::{Params, with_query},
    tokens,
    verify::{self, Expiry},
};
use crate::{
    events::Client,
    handlers::{
        account::account_by_id,
        sessions::{browser_session, end_session},
    },
    http, session,
    state::AppState,
    store::SessionRow,
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
    let hint = id_token_hint(&app, &params).await?;
    let return_to = checked_return(&app, &params, hint.as_ref().map(|h| h.client_id.as_str())).await?;
    let Some(current) = current_session(&app, &headers).await? else {
        // Nobody is signed in here: nothing to end, and nothing to ask.
        return Ok(finish(&app, requester.language, return_to, params.get("state")));
    };
    match hint {
        Some(hint) if hint.sub == current.sub => {
            end(&app, &requester, current).await?;
            Ok(finish(&app, requester.language, return_to, params.get("state")))
        }
        // No hint, one that no longer verifies (its key rotated out), or someone else's: ask.
        _ => {
            let fields: Vec<(&str, &str)> =
                CARRIED.iter().filter_map(|name| Some((*name, params.get(name)?))).collect();
            Ok(pages::confirm_logout(requester.language, &app.config.rp_name, &fields, return_to.as_deref()))
        }
    }
}

/// Who an `id_token_hint` names: an ID token of ours (expired or not) for a registered application.
struct Hint {
    sub: String,
    client_id: String,
}

/// The logout's hint, if it is one of our ID tokens for an application registered here; anything else
/// counts as no hint, so the person is asked rather than shown an error.
async fn id_token_hint(app: &AppState, params: &Params) -> Result<Option<Hint>, NotRedirected> {
    let Some(token) = params.get("id_token_hint") else { return Ok(None) };
    let Some(verified) = verify::ours(app, token, "JWT", Expiry::Ignored).await? else {
        return Ok(None);
    };
    let (Some(sub), Some(client_id)) = (verified.text("sub"), verified.text("aud")) else { return Ok(None) };
    let registered = app.store.find_client(client_id.to_owned()).await?.is_some();
    Ok(registered.then(|| Hint { sub: sub.to_owned(), client_id: client_id.to_owned() }))
}

/// `POST /oauth2/logout`: the confirmation page's "Sign out". Only that page, on our own origin, may send it.
pub async fn confirm_logout(
    State(app): State<AppState>,
    requester: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, NotRedirected> {
    if !http::from_own_origin(app.config.issuer(), &headers) {
        return Err(NotRedirected("Sign out from Latchkey's own page."));
    }
    let text = std::str::from_utf8(&body).unwrap_or_default();
    let params = Params::parse(text).map_err(|_| NotRedirected("The sign-out form repeats a field."))?;
    let return_to = checked_return(&app, &params, None).await?;
    if let Some(current) = current_session(&app, &headers).await? {
        end(&app, &requester, current).await?;
    }
    Ok(finish(&app, requester.language, return_to, params.get("state")))
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
    let client = app.store.find_client(client_id).await?;
    client
        .filter(|c| c.post_logout_redirect_uris.iter().any(|registered| registered == uri))
        .map(|_| Some(uri.to_owned()))
        .ok_or(NotRedirected("The application's return address after signing out is not registered here."))
}

/// The browser's Latchkey session, with the `sub` of its account.
struct Current {
    id_hash: Vec<u8>,
    row: SessionRow,
    sub: String,
}

async fn current_session(app: &AppState, headers: &HeaderMap) -> Result<Option<Current>, NotRedirected> {
    let Some((id_hash, row)) = browser_session(app, headers).await? else { return Ok(None) };
    let account = account_by_id(app, row.user_id).await?;
    Ok(Some(Current { id_hash, row, sub: tokens::subject(&account.handle) }))
}

/// Ends a session and the grants it made, as signing out does.
async fn end(app: &AppState, requester: &Client, current: Current) -> Result<(), NotRedirected> {
    Ok(end_session(app, requester, current.id_hash, &current.row).await?)
}

/// Back to the application with its `state`, or the signed-out page in `language`; the cookie goes either
/// way.
fn finish(app: &AppState, language: &'static str, return_to: Option<String>, state: Option<&str>) -> Response {
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
        None => ([clear], pages::signed_out(language)).into_response(),
    }
}
