//! Applications as the provider knows them: registering one (its redirect URIs checked, its secret made
//! and stored hashed), showing one, and authenticating one at the token endpoint with
//! `client_secret_basic`, `client_secret_post` or, for a public client, `none` (RFC 6749 §2.3.1, OpenID
//! Connect Core 1.0 §9).

use axum::http::{HeaderMap, header};
use base64::{Engine, engine::general_purpose::STANDARD};
use latchkey_proto::clients::{ClientInfo, NewClient, TokenEndpointAuthMethod};

use super::{
    error::{OAuthCode, OAuthError},
    params::{self, Params},
};
use crate::{
    events::Client,
    limits::{self, Subject},
    session,
    state::AppState,
    store::{ClientRow, Store, StoreError, now},
};

/// Why an application could not be registered.
#[derive(Debug, PartialEq, Eq)]
pub enum RegistrationRefused {
    /// It has no name.
    NoName,
    /// It has no redirect URI.
    NoRedirectUri,
    /// A URI is not one codes or logouts may be sent to.
    UnsafeUri(String),
}

impl std::fmt::Display for RegistrationRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoName => f.write_str("an application needs a name"),
            Self::NoRedirectUri => f.write_str("an application needs at least one redirect URI"),
            Self::UnsafeUri(uri) => write!(
                f,
                "{uri} is not allowed: use an absolute https URI without a fragment (http only on localhost, or \
                 a native app's private-use scheme such as com.example.app:/callback)"
            ),
        }
    }
}

/// Registers an application; the answer carries its secret, the only time it is shown.
pub async fn register(store: &Store, new: NewClient) -> Result<Result<ClientInfo, RegistrationRefused>, StoreError> {
    let name = new.client_name.trim().to_owned();
    if name.is_empty() {
        return Ok(Err(RegistrationRefused::NoName));
    }
    if new.redirect_uris.is_empty() {
        return Ok(Err(RegistrationRefused::NoRedirectUri));
    }
    if let Some(unsafe_uri) = new.redirect_uris.iter().chain(&new.post_logout_redirect_uris).find(|u| !is_safe_uri(u)) {
        return Ok(Err(RegistrationRefused::UnsafeUri(unsafe_uri.clone())));
    }
    let secret = (new.token_endpoint_auth_method != TokenEndpointAuthMethod::None).then(session::new_secret);
    let row = ClientRow {
        id: session::new_secret().secret[..22].to_owned(),
        name,
        secret_hash: secret.as_ref().map(|s| s.id_hash.clone()),
        redirect_uris: new.redirect_uris,
        post_logout_redirect_uris: new.post_logout_redirect_uris,
        created_at: now(),
    };
    store.add_client(row.clone()).await?;
    Ok(Ok(info(&row, secret.map(|s| s.secret))))
}

/// An application as the admin API and `clients list` show it (without its secret, which is not kept).
pub fn info(row: &ClientRow, secret: Option<String>) -> ClientInfo {
    ClientInfo {
        client_id: row.id.clone(),
        client_secret: secret,
        client_name: row.name.clone(),
        redirect_uris: row.redirect_uris.clone(),
        post_logout_redirect_uris: row.post_logout_redirect_uris.clone(),
        token_endpoint_auth_method: match row.secret_hash {
            Some(_) => TokenEndpointAuthMethod::ClientSecretBasic,
            None => TokenEndpointAuthMethod::None,
        },
        client_id_issued_at: row.created_at,
    }
}

/// A redirect URI that codes may be sent to (RFC 6749 §3.1.2, RFC 9700 §2.1, RFC 8252 §7): absolute and
/// without a fragment; https, plain http only to this machine, or a private-use scheme with a dot in it
/// (a native app's reversed domain name).
fn is_safe_uri(uri: &str) -> bool {
    let Ok(url) = url::Url::parse(uri) else { return false };
    if url.fragment().is_some() {
        return false;
    }
    match url.scheme() {
        "https" => url.host_str().is_some(),
        "http" => matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")),
        scheme => scheme.contains('.'),
    }
}

/// What the client sent in the form to identify itself.
struct FormCredentials<'a> {
    /// `client_id`.
    client_id: Option<&'a str>,
    /// `client_secret` (`client_secret_post`).
    client_secret: Option<&'a str>,
}

/// The form of a token or revocation request (RFC 6749 §3.2: `application/x-www-form-urlencoded`, each
/// parameter once) and the client it authenticates. An address with too many failed authentications
/// ([`limits::CLIENT_AUTH_FAILURES_PER_IP`]) is refused before its credentials are looked at.
pub async fn authenticated_form(
    app: &AppState,
    requester: &Client,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(ClientRow, Params), OAuthError> {
    limits::check(app, limits::CLIENT_AUTH_FAILURES_PER_IP, Subject::Ip(requester)).await?;
    if !params::is_form(headers) {
        return Err(OAuthError::new(OAuthCode::InvalidRequest, "send the parameters as a form"));
    }
    let text = std::str::from_utf8(body).map_err(|_| OAuthError::new(OAuthCode::InvalidRequest, "not UTF-8"))?;
    let form =
        Params::parse(text).map_err(|_| OAuthError::new(OAuthCode::InvalidRequest, "a parameter is repeated"))?;
    let credentials = FormCredentials { client_id: form.get("client_id"), client_secret: form.get("client_secret") };
    match authenticate(&app.store, headers, credentials).await {
        Ok(client) => Ok((client, form)),
        Err(refused) if refused.code() == OAuthCode::InvalidClient => {
            limits::count(app, limits::CLIENT_AUTH_FAILURES_PER_IP, Subject::Ip(requester)).await?;
            Err(refused)
        }
        Err(refused) => Err(refused),
    }
}

/// Authenticates the client of a token or revocation request (RFC 6749 §2.3 and §3.2.1): a confidential
/// client by its secret, in the `Authorization` header or the form (one, not both); a public client by
/// its `client_id` alone.
async fn authenticate(store: &Store, headers: &HeaderMap, form: FormCredentials<'_>) -> Result<ClientRow, OAuthError> {
    let basic = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic "));
    let (client_id, secret) = match basic {
        Some(encoded) => {
            if form.client_secret.is_some() {
                return Err(OAuthError::new(OAuthCode::InvalidRequest, "use one client authentication method"));
            }
            let (id, secret) = basic_credentials(encoded).ok_or_else(OAuthError::client_refused)?;
            if form.client_id.is_some_and(|form_id| form_id != id) {
                return Err(OAuthError::client_refused());
            }
            (id, Some(secret))
        }
        None => {
            let id = form.client_id.ok_or(OAuthError::new(OAuthCode::InvalidClient, "client_id is missing"))?;
            (id.to_owned(), form.client_secret.map(str::to_owned))
        }
    };
    let client = store.find_client(client_id).await?.ok_or_else(OAuthError::client_refused)?;
    let authenticated = match (&client.secret_hash, &secret) {
        (Some(stored), Some(given)) => session::matches_hash(given, stored),
        (None, None) => true,
        // A confidential client without its secret, or a public client claiming one.
        _ => false,
    };
    if authenticated { Ok(client) } else { Err(OAuthError::client_refused()) }
}

/// `client_id:client_secret` from HTTP Basic credentials, each form-urlencoded first (RFC 6749 §2.3.1).
fn basic_credentials(encoded: &str) -> Option<(String, String)> {
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let form_decoded =
        |part: &str| url::form_urlencoded::parse(format!("x={part}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((form_decoded(id)?, form_decoded(secret)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_redirect_uris_are_registered() {
        for good in [
            "https://app.example.com/callback",
            "http://localhost:3000/cb",
            "http://127.0.0.1:9/cb",
            "com.example.app:/cb",
        ] {
            assert!(is_safe_uri(good), "{good}");
        }
        for bad in [
            "http://app.example.com/cb",
            "https://app.example.com/cb#x",
            "javascript:alert(1)",
            "data:text/html,x",
            "/relative",
        ] {
            assert!(!is_safe_uri(bad), "{bad}");
        }
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let encoded = STANDARD.encode("my%20app:s%3Acret+1");
        assert_eq!(basic_credentials(&encoded), Some(("my app".into(), "s:cret 1".into())));
        assert_eq!(basic_credentials("not base64!"), None);
    }
}
