//! The account's email, on either engine: the verification link a sign-up mails ("It was me" verifies;
//! "It wasn't me" takes the account back from whoever signed up with the address), and a change of
//! address that the new address confirms and the old one hears of.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use std::time::Duration;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use http_body_util::BodyExt;
use latchkey_server::{config::EmailVerification, texts::texts_for};
use serde_json::json;
use support::{Algorithm, Device, TestServer, reset_token_in};
use tower::ServiceExt;

const STRONG: &str = "velvet-anchor-tulip-92";
/// The demo's origin, which is the server's own (the issuer) in tests.
const ORIGIN: &str = "http://localhost:8080";

/// Waits for the mail to `to` whose subject starts with `subject`.
async fn wait_for(server: &TestServer, to: &str, subject: &str) -> String {
    let matches = |m: &str| m.contains(&format!("To: {to}\r\n")) && m.contains(&format!("Subject: {subject}"));
    server.wait_for_mail(&format!("\"{subject}\" to {to}"), matches).await
}

/// The token of the email link in a mail.
fn email_token(mail: &str) -> String {
    let start = mail.find("/email?token=").expect("an email link") + "/email?token=".len();
    mail[start..].split_whitespace().next().unwrap().to_owned()
}

/// A page: its status and HTML.
async fn page(server: &TestServer, request: Request<Body>) -> (StatusCode, String) {
    let response = server.router().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn open(server: &TestServer, token: &str) -> (StatusCode, String) {
    open_as(server, token, "").await
}

/// The link opened in a browser with this cookie (`""` for none).
async fn open_as(server: &TestServer, token: &str, cookie: &str) -> (StatusCode, String) {
    let request = Request::get(format!("/email?token={token}")).header(header::COOKIE, cookie);
    page(server, request.body(Body::empty()).unwrap()).await
}

/// The page's form, sent from our own page (as a browser sends it: with its `Origin`).
async fn answer(server: &TestServer, token: &str, answer: &str) -> (StatusCode, String) {
    answer_as(server, token, answer, "").await
}

/// The page's form, from a browser with this cookie.
async fn answer_as(server: &TestServer, token: &str, answer: &str, cookie: &str) -> (StatusCode, String) {
    let request = Request::post("/email")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, cookie)
        .body(Body::from(format!("token={token}&answer={answer}")))
        .unwrap();
    page(server, request).await
}

async fn verified(server: &TestServer, cookie: &str) -> bool {
    server.get_with_cookie("/api/account", cookie).await.body["emailVerified"].as_bool().unwrap()
}

#[tokio::test]
async fn it_was_me_verifies_the_email_and_keeps_everything_and_the_link_works_once() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    let cookie = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
    let mail = wait_for(&server, "ada@example.com", "Verify your email for Latchkey demo").await;
    assert!(mail.contains("From: Chrome on Linux") || mail.contains("From: an unknown browser"), "{mail}");
    let token = email_token(&mail);
    assert!(!verified(&server, &cookie).await);

    // Opening the link (as a mail scanner would) only asks.
    for _ in 0..2 {
        let (status, html) = open(&server, &token).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Was it you?") && html.contains("ada@example.com"), "{html}");
    }
    assert!(!verified(&server, &cookie).await, "a GET changes nothing");

    let (status, html) = answer(&server, &token, "keep").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Your email is verified"), "{html}");
    assert!(verified(&server, &cookie).await);
    assert_eq!(server.counts().await.passkeys, 1);
    assert_eq!(server.sign_in(&mut device).await.status, StatusCode::OK, "the passkey still signs in");
    assert_eq!(server.query_i64("SELECT count(*) FROM events WHERE code = 'email_verified'").await, 1);
    assert_eq!(answer(&server, &token, "keep").await.0, StatusCode::GONE, "single use");
}

#[tokio::test]
async fn the_links_pages_speak_the_browsers_language() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    server.sign_up(&mut device, "yui@example.com").await;
    let mail = wait_for(&server, "yui@example.com", "Verify your email for Latchkey demo").await;
    let token = email_token(&mail);
    let in_language = |accept_language: &'static str| {
        let request = Request::get(format!("/email?token={token}")).header(header::ACCEPT_LANGUAGE, accept_language);
        request.body(Body::empty()).unwrap()
    };

    let japanese = texts_for("ja");
    let (status, html) = page(&server, in_language("ja-JP,en;q=0.5")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="ja" dir="ltr">"#), "{html}");
    assert!(html.contains(japanese.verify_heading) && html.contains(japanese.it_was_me), "{html}");
    assert!(html.contains("<strong>yui@example.com</strong>"), "the address is marked up, not escaped twice: {html}");

    let (_, html) = page(&server, in_language("ar")).await;
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#), "Arabic reads right to left: {html}");
    assert!(html.contains(texts_for("ar").verify_heading), "{html}");

    let (_, html) = page(&server, in_language("sv, fi;q=0.8")).await;
    assert!(html.contains(r#"<html lang="en" dir="ltr">"#) && html.contains("Verify your email"), "{html}");
}

#[tokio::test]
async fn it_wasnt_me_takes_the_account_back_from_whoever_signed_up_with_the_address() {
    let server = TestServer::new();
    let mut attacker = Device::new(Algorithm::Es256);
    let theirs = server.sign_up(&mut attacker, "victim@example.com").await.cookie.unwrap();
    let set = server.post_as("/api/account/password", &theirs, &json!({ "password": STRONG })).await;
    let theirs = set.cookie.unwrap();
    let token = email_token(&wait_for(&server, "victim@example.com", "Verify your email").await);

    let (status, html) = answer(&server, &token, "claim").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("The account is yours"), "{html}");
    assert!(html.contains("data-signal-user=") && html.contains("/email-link.js"), "the page signals: {html}");
    assert_eq!(server.get_with_cookie("/api/session", &theirs).await.status, StatusCode::NO_CONTENT);
    assert_eq!(server.sign_in(&mut attacker).await.code(), "credential_unknown");
    let guess =
        server.post("/api/password/signin", &json!({ "email": "victim@example.com", "password": STRONG })).await;
    assert_eq!(guess.code(), "wrong_password", "the attacker's password went too");
    assert_eq!(server.counts().await.passkeys, 0);
    let claimed = server.query_text("SELECT detail FROM events WHERE code = 'account_claimed'").await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&claimed).unwrap()["passkeys"], 1);
    wait_for(&server, "victim@example.com", "Your Latchkey demo account is yours alone now").await;

    // The page's "Choose a password" is a reset link of the owner's own.
    let reset = reset_token_in(&html).expect("a password link on the page");
    let reset = reset.split('"').next().unwrap();
    let body = json!({ "token": reset, "password": "marble-otter-sunrise-58" });
    assert_eq!(server.post("/api/password/reset", &body).await.status, StatusCode::NO_CONTENT);
    let mine = json!({ "email": "victim@example.com", "password": "marble-otter-sunrise-58" });
    assert_eq!(server.post("/api/password/signin", &mine).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_link_answered_from_another_site_or_after_a_proof_removes_nothing() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    server.sign_up(&mut device, "ada@example.com").await;
    let token = email_token(&wait_for(&server, "ada@example.com", "Verify your email").await);
    let foreign = Request::post("/email")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(format!("token={token}&answer=claim")))
        .unwrap();
    assert_eq!(page(&server, foreign).await.0, StatusCode::FORBIDDEN);
    assert_eq!(server.counts().await.passkeys, 1);

    // After another proof of the address (a reset link), "It wasn't me" removes nothing: whoever
    // proved it holds the mailbox.
    server.exec("UPDATE users SET email_verified_at = 1").await;
    let (status, html) = open(&server, &token).await;
    assert!(status == StatusCode::OK && html.contains("verified already"), "{html}");
    let (status, html) = answer(&server, &token, "claim").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("verified already"), "{html}");
    assert_eq!(server.counts().await.passkeys, 1);
    assert_eq!(server.sign_in(&mut device).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_link_can_be_mailed_again_from_the_account_page_until_the_email_is_verified() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    let cookie = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
    wait_for(&server, "ada@example.com", "Verify your email").await;
    assert_eq!(server.post_as("/api/account/email/verify", &cookie, &json!({})).await.status, StatusCode::NO_CONTENT);
    for _ in 0..250 {
        if server.mails().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let tokens: Vec<String> = server.mails().iter().map(|m| email_token(m)).collect();
    assert_eq!(tokens.len(), 2);
    assert_ne!(tokens[0], tokens[1]);
    assert_eq!(answer(&server, &tokens[1], "keep").await.0, StatusCode::OK);
    assert_eq!(open(&server, &tokens[0]).await.0, StatusCode::GONE, "the proof ends the other links");
    for _ in 0..3 {
        server.post_as("/api/account/email/verify", &cookie, &json!({})).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.mails().len(), 2, "a verified email gets no more links");
}

#[tokio::test]
async fn a_change_of_email_needs_a_recent_sign_in_and_the_new_address_and_the_old_one_is_told() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    let cookie = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
    server.exec("UPDATE sessions SET created_at = created_at - 16 * 60").await;
    let change = json!({ "email": "Ada.Lovelace@example.com" });
    let refused = server.post_as("/api/account/email", &cookie, &change).await;
    assert_eq!(refused.code(), "reauthentication_required");

    let cookie = server.sign_in(&mut device).await.cookie.unwrap();
    assert_eq!(server.post_as("/api/account/email", &cookie, &change).await.status, StatusCode::NO_CONTENT);
    let mail = wait_for(&server, "Ada.Lovelace@example.com", "Confirm your new email").await;
    let account = server.get_with_cookie("/api/account", &cookie).await.body;
    assert_eq!(account["user"]["email"], "ada@example.com", "nothing changes before the new address confirms");

    let token = email_token(&mail);
    let (status, html) = open_as(&server, &token, &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Use this address?") && html.contains("Ada.Lovelace@example.com"), "{html}");
    assert_eq!(answer(&server, &token, "claim").await.0, StatusCode::GONE, "a change link verifies nothing");
    let (status, html) = answer_as(&server, &token, "move", &cookie).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let account = server.get_with_cookie("/api/account", &cookie).await.body;
    assert_eq!(account["user"]["email"], "Ada.Lovelace@example.com");
    assert_eq!(account["emailVerified"], true);
    assert_eq!(account["passkeys"].as_array().unwrap().len(), 1, "the account keeps its passkeys");
    assert_eq!(server.sign_in(&mut device).await.status, StatusCode::OK);
    let told = wait_for(&server, "ada@example.com", "Your Latchkey demo account uses another email now").await;
    assert!(told.contains("Ada.Lovelace@example.com"), "{told}");
    assert_eq!(server.query_i64("SELECT count(*) FROM events WHERE code = 'email_changed'").await, 1);
}

#[tokio::test]
async fn a_change_link_works_only_in_the_browser_that_asked_while_its_session_is_open() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    let asking = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
    let other = server.sign_in(&mut device).await.cookie.unwrap();
    let change = json!({ "email": "new@example.com" });
    assert_eq!(server.post_as("/api/account/email", &asking, &change).await.status, StatusCode::NO_CONTENT);
    let token = email_token(&wait_for(&server, "new@example.com", "Confirm your new email").await);

    // The mailbox's owner, in a browser without that session (the address's owner being someone
    // else, or the account's owner elsewhere): the question is not even asked.
    for cookie in ["", other.as_str()] {
        let (status, html) = open_as(&server, &token, cookie).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
        assert!(html.contains("Open this link where you asked for the change"), "{html}");
        assert_eq!(answer_as(&server, &token, "move", cookie).await.0, StatusCode::FORBIDDEN);
    }
    let email = server.get_with_cookie("/api/account", &asking).await.body["user"]["email"].clone();
    assert_eq!(email, "ada@example.com", "nothing moved");

    // Once the asking session ends (signed out, a reset, a claim), the link moves nothing anywhere.
    server.post_as("/api/signout", &asking, &json!({})).await;
    assert_eq!(answer_as(&server, &token, "move", &asking).await.0, StatusCode::FORBIDDEN);
    let email = server.get_with_cookie("/api/account", &other).await.body["user"]["email"].clone();
    assert_eq!(email, "ada@example.com");
}

#[tokio::test]
async fn a_change_to_an_address_with_an_account_answers_the_same_and_tells_only_that_mailbox() {
    let server = TestServer::new();
    let cookie = server.sign_up(&mut Device::new(Algorithm::Es256), "ada@example.com").await.cookie.unwrap();
    server.sign_up(&mut Device::new(Algorithm::Es256), "lin@example.com").await;
    let answer = server.post_as("/api/account/email", &cookie, &json!({ "email": "lin@example.com" })).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "the same answer as for a free address");
    let mail = wait_for(&server, "lin@example.com", "Your email and Latchkey demo").await;
    assert!(mail.contains("has a Latchkey demo account already") && !mail.contains("/email?token="), "{mail}");
    let invalid = server.post_as("/api/account/email", &cookie, &json!({ "email": "not an address" })).await;
    assert_eq!(invalid.code(), "invalid_email");
}

#[tokio::test]
async fn with_email_verification_off_a_sign_up_mails_nothing() {
    let server = TestServer::with_config(|c| c.email_verification = EmailVerification::Off);
    server.sign_up(&mut Device::new(Algorithm::Es256), "ada@example.com").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(server.mails().is_empty(), "{:?}", server.mails());
}
