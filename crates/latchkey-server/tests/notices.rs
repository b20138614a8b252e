//! Security notifications, on either engine: every change to an account's ways in (a passkey added or
//! deleted, a password set, changed or reset) mails its owner, through the outbox, what happened, when,
//! from which browser and address, with a link to the account page.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::http::StatusCode;
use latchkey_server::texts::{fill, texts_for};
use serde_json::json;
use support::{Algorithm, Device, TestServer};

const STRONG: &str = "velvet-anchor-tulip-92";

/// Waits for the message whose subject is `subject`, and returns it.
async fn wait_for(server: &TestServer, subject: &str) -> String {
    server.wait_for_mail(subject, |m| m.contains(&format!("Subject: {subject}\r\n"))).await
}

#[tokio::test]
async fn every_change_to_a_way_in_is_mailed_to_the_owner() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    let cookie = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();

    let started = server.post_as("/api/passkeys/start", &cookie, &json!({ "fromAccount": true })).await;
    let created = Device::new(Algorithm::Es256).create(&started.body["publicKey"]).await;
    let body = json!({ "ceremony": started.body["ceremony"], "credential": created });
    let added = server.post_as("/api/passkeys/finish", &cookie, &body).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let mail = wait_for(&server, "A passkey was added to your Latchkey demo account").await;
    assert!(mail.contains("To: ada@example.com"), "{mail}");
    assert!(mail.contains("The passkey \"Chrome on Linux\" was added"), "{mail}");
    assert!(mail.contains("From: Chrome on Linux"), "the browser that added it: {mail}");
    assert!(mail.contains("When: ") && mail.contains(" UTC"), "{mail}");
    assert!(mail.contains("http://localhost:8080/account.html"), "the account page: {mail}");

    let set = server.post_as("/api/account/password", &cookie, &json!({ "password": STRONG })).await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.body);
    wait_for(&server, "A password was set for your Latchkey demo account").await;
    let cookie = set.cookie.unwrap();

    let change = json!({ "current": STRONG, "password": "marble-otter-sunrise-58" });
    let changed = server.post_as("/api/account/password", &cookie, &change).await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
    wait_for(&server, "Your Latchkey demo password was changed").await;
    let before_change = cookie;
    let cookie = changed.cookie.unwrap();
    let old_id = server.get_with_cookie("/api/session", &before_change).await;
    assert_eq!(old_id.status, StatusCode::NO_CONTENT, "the change gave the session a new ID; the old one is worthless");
    assert_eq!(server.get_with_cookie("/api/session", &cookie).await.status, StatusCode::OK);

    let newest = added.body["passkey"]["id"].clone();
    let deleted = server.post_as("/api/passkeys/delete", &cookie, &json!({ "id": newest })).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    let mail = wait_for(&server, "A passkey was deleted from your Latchkey demo account").await;
    assert!(mail.contains("The passkey \"Chrome on Linux\" was deleted"), "{mail}");

    let notices: Vec<String> =
        server.mails().into_iter().filter(|m| !m.contains("Subject: Verify your email")).collect();
    assert_eq!(notices.len(), 4, "one notification per change; the sign-up mails its verification link only");
    for mail in &notices {
        assert!(mail.contains("When: ") && mail.contains(" UTC"), "when: {mail}");
        assert!(mail.contains("From: Chrome on Linux"), "from which browser and system: {mail}");
        assert!(mail.contains("http://localhost:8080/account.html"), "the account page: {mail}");
    }
}

/// "Forgot password?" for pat@, then a new password with the link, from Firefox on Linux at
/// 198.51.100.23.
async fn reset_from_firefox(server: &TestServer, password: &str) {
    let before = server.reset_tokens();
    assert_eq!(
        server.post("/api/password/forgot", &json!({ "email": "pat@example.com" })).await.status,
        StatusCode::NO_CONTENT
    );
    let token = server.next_reset_token(&before).await;
    let reset = server
        .post_from(
            "198.51.100.23",
            "/api/password/reset",
            &json!({ "token": token, "password": password }),
            &[("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")],
        )
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
}

#[tokio::test]
async fn a_reset_is_mailed_with_where_it_was_used_and_the_first_says_the_account_was_claimed() {
    let server = TestServer::new();
    let signed_up =
        server.post("/api/password/signup", &json!({ "email": "pat@example.com", "password": STRONG })).await;
    assert_eq!(signed_up.status, StatusCode::OK);
    reset_from_firefox(&server, "marble-otter-sunrise-58").await;
    let claimed = wait_for(&server, "Your Latchkey demo account is yours alone now").await;
    assert!(claimed.contains("It was the first time this address was confirmed"), "{claimed}");
    assert!(claimed.contains("From: Firefox on Linux, 198.51.100.23"), "{claimed}");

    reset_from_firefox(&server, "copper-lantern-fjord-31").await;
    let reset = wait_for(&server, "Your Latchkey demo password was reset").await;
    assert!(reset.contains("From: Firefox on Linux, 198.51.100.23"), "{reset}");
}

/// A mail of the outbox as a mail program reads it (mail-parser, which nobody here wrote): its subject and
/// its text, whatever their encoding.
fn decoded(raw: &str) -> (String, String) {
    let message = mail_parser::MessageParser::default().parse(raw.as_bytes()).unwrap();
    (message.subject().unwrap_or_default().to_owned(), message.body_text(0).unwrap_or_default().into_owned())
}

#[tokio::test]
async fn a_reset_link_is_mailed_in_the_language_of_the_page_that_asked_for_it() {
    let server = TestServer::new();
    let signed_up =
        server.post("/api/password/signup", &json!({ "email": "pat@example.com", "password": STRONG })).await;
    assert_eq!(signed_up.status, StatusCode::OK);
    // The request is kept for the outbox worker, with its language, until the worker writes the mail.
    let asked = server
        .post_from(
            "198.51.100.23",
            "/api/password/forgot",
            &json!({ "email": "pat@example.com" }),
            &[
                ("accept-language", "sv, fr;q=0.9, de;q=0.5"),
                ("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::NO_CONTENT);

    let french = texts_for("fr");
    let site = [("site", "Latchkey demo")];
    let subject = fill(french.reset_subject, &site);
    server.wait_for_mail("a reset link", |mail| mail.contains("#latchkey-reset=")).await;
    let found = server.raw_mails().iter().map(|raw| decoded(raw)).find(|(s, _)| *s == subject);
    let (_, text) = found.unwrap_or_else(|| panic!("no mail titled {subject}: {:?}", server.raw_mails()));
    assert!(text.starts_with(&fill(french.reset_asked, &site)), "{text}");
    assert!(text.contains("Provenance\u{202f}: Firefox sous Linux, 198.51.100.23"), "{text}");
    assert!(text.contains("#latchkey-reset="), "the link: {text}");
}
