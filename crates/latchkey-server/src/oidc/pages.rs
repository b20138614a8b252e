//! The provider's own pages: the login page of the authorization endpoint (Latchkey's widget, every
//! journey), the page for a request that cannot be sent back, and the page after a logout. Everything
//! interpolated is escaped; the pages run only our scripts (the same Content-Security-Policy as `/`).

use axum::{http::StatusCode, response::Response};

use crate::{
    http::{CONTENT_SECURITY_POLICY, content_security_policy_with_form_target},
    page::{self, escape},
    texts::{fill, texts_for},
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
    /// The language of the page and of the widget on it (`ui_locales`, else the browser's).
    pub language: &'static str,
}

/// The authorization endpoint's login page: `<latchkey-login>`, and `provider.js`, which fills in the
/// hint and continues to `continue_to` once the widget says the person is signed in.
pub fn login(page: &LoginPage<'_>) -> Response {
    let texts = texts_for(page.language);
    let client = [("client", page.client_name)];
    let body = format!(
        r#"<main class="lk-idp" data-continue="{continue_to}" data-login-hint="{hint}">
  <h1 class="lk-idp-heading">{heading}</h1>
  <latchkey-login app-name="{rp_name}"></latchkey-login>
</main>"#,
        heading = escape(&fill(texts.log_in_to_continue, &client)),
        continue_to = escape(page.continue_to),
        hint = escape(page.login_hint.unwrap_or_default()),
        rp_name = escape(page.rp_name),
    );
    document(StatusCode::OK, page.language, &fill(texts.log_in_title, &client), &body)
}

/// The question for a person signed in, but not recently enough for the application (`prompt=login`,
/// `max_age`): a form that posts `request` (the authorization request's parameters) to
/// `/oauth2/authorize/again`, which ends the session and returns to the request.
pub fn sign_in_again(language: &'static str, client_name: &str, email: &str, request: &str) -> Response {
    let texts = texts_for(language);
    let values = [("client", client_name), ("email", email)];
    let heading = fill(texts.sign_in_again_heading, &values);
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">{heading}</h1>
  <p class="lk-idp-text">{why}</p>
  <form method="post" action="/oauth2/authorize/again">
    <input type="hidden" name="request" value="{request}">
    <button class="lk-primary" type="submit">{again}</button>
  </form>
</div></main>"#,
        heading = escape(&heading),
        why = escape(&fill(texts.sign_in_again_why, &values)),
        again = escape(texts.sign_in_again),
        request = escape(request),
    );
    document(StatusCode::OK, language, &heading, &body)
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
    // Said to whoever follows a broken link, and meant for the application's developers: in English.
    document(status, "en", "Sign-in problem", &body)
}

/// The question a logout without an ID token hint asks: a form that posts back with the request's
/// `fields`, and may then lead to `return_to` (a registered post-logout URI).
pub fn confirm_logout(
    language: &'static str,
    rp_name: &str,
    fields: &[(&str, &str)],
    return_to: Option<&str>,
) -> Response {
    let texts = texts_for(language);
    let hidden: String = fields
        .iter()
        .map(|(name, value)| {
            format!(r#"    <input type="hidden" name="{}" value="{}">"#, escape(name), escape(value)) + "\n"
        })
        .collect();
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">{question}</h1>
  <form method="post" action="/oauth2/logout">
{hidden}    <button class="lk-primary" type="submit">{sign_out}</button>
  </form>
</div></main>"#,
        question = escape(&fill(texts.sign_out_question, &[("site", rp_name)])),
        sign_out = escape(texts.sign_out),
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
    document_with_policy(StatusCode::OK, language, texts.sign_out, &body, &policy)
}

/// The page after a logout that names no registered place to return to.
pub fn signed_out(language: &'static str) -> Response {
    let texts = texts_for(language);
    let body = format!(
        r#"<main class="lk-idp"><div class="latchkey">
  <h1 class="lk-idp-heading">{heading}</h1>
  <p class="lk-idp-text" role="status">{close}</p>
</div></main>"#,
        heading = escape(texts.signed_out_heading),
        close = escape(texts.close_this_page),
    );
    document(StatusCode::OK, language, texts.signed_out_heading, &body)
}

fn document(status: StatusCode, language: &str, title: &str, body: &str) -> Response {
    document_with_policy(status, language, title, body, CONTENT_SECURITY_POLICY)
}

/// A provider page: the widget's scripts with ours, which continue once it says who is signed in.
fn document_with_policy(status: StatusCode, language: &str, title: &str, body: &str, policy: &str) -> Response {
    page::document(status, language, title, body, policy, &["/latchkey.js", "/provider.js"])
}
