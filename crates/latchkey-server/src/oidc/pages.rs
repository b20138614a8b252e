//! The provider's own pages: the login page of the authorization endpoint (Latchkey's widget, every
//! journey), the page for a request that cannot be sent back, and the page after a logout. Everything
//! interpolated is escaped; the pages run only our scripts (the same Content-Security-Policy as `/`).

use axum::{http::StatusCode, response::Response};

use crate::{
    http::{CONTENT_SECURITY_POLICY, content_security_policy_with_form_target},
    page::{self, escape},
};

/// What the login page needs.
pub struct LoginPage<'a> {
    /// The relying party's name, which passkey prompts show.
    pub rp_name: &'a str,
    /// The application the person is signing in to.
    pub client_name: &'a str,
    /// Where the browser goes when the journey ends: the authorization request again, now with a session.
    pub continue_to: &'a str,
    /// The email the application suggested (`login_hint`), filled in for the person.
    pub login_hint: Option<&'a str>,
}

/// The authorization endpoint's login page: `<latchkey-login>`, and `provider.js`, which fills in the
/// hint and continues to `continue_to` once the widget says the person is signed in.
pub fn login(page: &LoginPage<'_>) -> Response {
    let client = escape(page.client_name);
    let body = format!(
        r#"<main class="lk-idp" data-continue="{continue_to}" data-login-hint="{hint}">
  <h1 class="lk-idp-heading">Log in to continue to {client}</h1>
  <latchkey-login app-name="{rp_name}"></latchkey-login>
</main>"#,
        continue_to = escape(page.continue_to),
        hint = escape(page.login_hint.unwrap_or_default()),
        rp_name = escape(page.rp_name),
    );
    document(StatusCode::OK, &format!("Log in to {}", page.client_name), &body)
}

/// The question for a person signed in, but not recently enough for the application (`prompt=login`,
/// `max_age`): a form that posts `request` (the authorization request's parameters) to
/// `/oauth2/authorize/again`, which ends the session and returns to the request.
pub fn sign_in_again(client_name: &str, email: &str, request: &str) -> Response {
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">Sign in again to continue to {client}</h1>
  <p class="lk-idp-text">{client} asks you to sign in again. You're signed in as {email}.</p>
  <form method="post" action="/oauth2/authorize/again">
    <input type="hidden" name="request" value="{request}">
    <button class="lk-primary" type="submit">Sign in again</button>
  </form>
</div></main>"#,
        client = escape(client_name),
        email = escape(email),
        request = escape(request),
    );
    document(StatusCode::OK, &format!("Sign in again to {client_name}"), &body)
}

/// A page that says why the request stops here, for requests that must not be redirected.
pub fn problem(status: StatusCode, message: &str) -> Response {
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">This sign-in link doesn't work</h1>
  <p class="lk-idp-text" role="alert">{}</p>
  <p class="lk-idp-text">Go back to the application and try again. If it keeps happening, tell its developers.</p>
</div></main>"#,
        escape(message)
    );
    document(status, "Sign-in problem", &body)
}

/// The question a logout without an ID token hint asks: a form that posts back with the request's
/// `fields`, and may then lead to `return_to` (a registered post-logout URI).
pub fn confirm_logout(rp_name: &str, fields: &[(&str, &str)], return_to: Option<&str>) -> Response {
    let hidden: String = fields
        .iter()
        .map(|(name, value)| {
            format!(r#"    <input type="hidden" name="{}" value="{}">"#, escape(name), escape(value)) + "\n"
        })
        .collect();
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">Sign out of {rp}?</h1>
  <form method="post" action="/oauth2/logout">
{hidden}    <button class="lk-primary" type="submit">Sign out</button>
  </form>
</div></main>"#,
        rp = escape(rp_name)
    );
    // An https or http URI is allowed by its origin; a native app's private-use scheme (whose origin is
    // opaque) by the scheme itself (CSP 3 scheme-source).
    let origin = return_to.and_then(|uri| url::Url::parse(uri).ok()).map(|u| match u.origin() {
        origin @ url::Origin::Tuple(..) => origin.ascii_serialization(),
        url::Origin::Opaque(_) => format!("{}:", u.scheme()),
    });
    let policy = match origin {
        Some(origin) => content_security_policy_with_form_target(&origin),
        None => CONTENT_SECURITY_POLICY.to_owned(),
    };
    document_with_policy(StatusCode::OK, "Sign out", &body, &policy)
}

/// The page after a logout that names no registered place to return to.
pub fn signed_out() -> Response {
    let body = r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">You're signed out</h1>
  <p class="lk-idp-text" role="status">You can close this page.</p>
</div></main>"#;
    document(StatusCode::OK, "Signed out", body)
}

fn document(status: StatusCode, title: &str, body: &str) -> Response {
    document_with_policy(status, title, body, CONTENT_SECURITY_POLICY)
}

/// A provider page: the widget's scripts with ours, which continue once it says who is signed in.
fn document_with_policy(status: StatusCode, title: &str, body: &str, policy: &str) -> Response {
    page::document(status, title, body, policy, &["/latchkey.js", "/provider.js"])
}
