//! "Can't sign in?" with a passkey, on either engine: a reset link makes a new passkey for an account
//! whose device is gone, ends its sessions, keeps its other ways in (or claims an account whose email
//! was never proved), signs the person in, and works once.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{Algorithm, Answer, Device, TestServer};

const OWNER: &str = "nadia@example.com";
const NEW_PASSWORD: &str = "marble-otter-sunrise-58";

/// "Can't sign in?" for `email`: the reset link's token.
async fn link_token(server: &TestServer, email: &str) -> String {
    let before = server.reset_tokens();
    let forgot = server.post("/api/password/forgot", &json!({ "email": email })).await;
    assert_eq!(forgot.status, StatusCode::NO_CONTENT);
    server.next_reset_token(&before).await
}

/// The recovery ceremony on `token`, finished by `device`.
async fn recover(server: &TestServer, token: &str, device: &mut Device) -> (Value, Answer) {
    let started = server.post("/api/recovery/start", &json!({ "token": token })).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let created = device.create(&started.body["publicKey"]).await;
    let body = json!({ "ceremony": started.body["ceremony"], "credential": created, "token": token });
    (started.body["keeps"].clone(), server.post("/api/recovery/finish", &body).await)
}

#[tokio::test]
async fn a_passkey_only_account_whose_device_is_gone_makes_a_new_passkey_from_the_link_and_keeps_the_rest() {
    let server = TestServer::new();
    let mut lost = Device::new(Algorithm::Es256);
    let old_session = server.sign_up(&mut lost, OWNER).await.cookie.unwrap();
    server.exec("UPDATE users SET email_verified_at = 1").await;

    let token = link_token(&server, OWNER).await;
    let mut replacement = Device::new(Algorithm::Ed25519);
    let (keeps, finished) = recover(&server, &token, &mut replacement).await;
    assert_eq!(keeps, json!({ "passkeys": 1, "password": false }), "the screen says what stays");
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
    assert_eq!(finished.body["session"]["user"]["email"], OWNER, "signed in with the new passkey");
    assert!(finished.body["passkey"]["name"].is_string(), "named, ready for \"Name your passkey\"");
    let cookie = finished.cookie.unwrap();
    assert_eq!(server.get_with_cookie("/api/session", &cookie).await.status, StatusCode::OK);

    let old = server.get_with_cookie("/api/session", &old_session).await;
    assert_eq!(old.status, StatusCode::NO_CONTENT, "the lost device's session is signed out");
    assert_eq!(server.counts().await.passkeys, 2, "the old passkey is kept: the address was proved");
    assert_eq!(server.sign_in(&mut replacement).await.status, StatusCode::OK);
    let mail = server.wait_for_mail("the notification", |m| m.contains("A new passkey was made")).await;
    assert!(mail.contains("Its other passkey still works."), "says what the account kept: {mail}");
    let proof = server.query_text("SELECT detail FROM events WHERE code = 'passkey_added'").await;
    assert_eq!(serde_json::from_str::<Value>(&proof).unwrap()["proof"], "reset_link");

    // The link worked once.
    let again = server.post("/api/recovery/start", &json!({ "token": token })).await;
    assert_eq!(again.code(), "reset_link_invalid");
}

#[tokio::test]
async fn recovery_on_an_address_never_proved_claims_the_account_for_the_new_passkey_alone() {
    let server = TestServer::new();
    let mut attackers = Device::new(Algorithm::Es256);
    let attackers_session = server.sign_up(&mut attackers, OWNER).await.cookie.unwrap();

    let token = link_token(&server, OWNER).await;
    let mut owners = Device::new(Algorithm::Es256);
    let (keeps, finished) = recover(&server, &token, &mut owners).await;
    assert_eq!(keeps, json!({ "passkeys": 0, "password": false }), "nothing made before the proof stays");
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);

    assert_eq!(server.get_with_cookie("/api/session", &attackers_session).await.status, StatusCode::NO_CONTENT);
    let refused = server.sign_in(&mut attackers).await;
    assert_eq!(refused.code(), "credential_unknown", "{}", refused.body);
    assert_eq!(server.counts().await.passkeys, 1, "the owner's passkey is the account's one way in");
    let detail = server.query_text("SELECT detail FROM events WHERE code = 'account_claimed'").await;
    assert_eq!(serde_json::from_str::<Value>(&detail).unwrap(), json!({ "passkeys": 1, "proof": "reset_link" }));
    assert_eq!(server.sign_in(&mut owners).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_recovery_without_a_live_link_for_the_account_changes_nothing() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    server.sign_up(&mut device, OWNER).await;
    let unknown = server.post("/api/recovery/start", &json!({ "token": "not-a-token" })).await;
    assert_eq!((unknown.status.as_u16(), unknown.code()), (410, "reset_link_invalid"), "{}", unknown.body);

    // A ceremony started on a real link, finished with another token: refused, and the link still works.
    let token = link_token(&server, OWNER).await;
    let started = server.post("/api/recovery/start", &json!({ "token": token })).await;
    let mut other = Device::new(Algorithm::Es256);
    let created = other.create(&started.body["publicKey"]).await;
    let body = json!({ "ceremony": started.body["ceremony"], "credential": created, "token": "guessed" });
    let before = server.counts().await;
    let refused = server.post("/api/recovery/finish", &body).await;
    assert_eq!(refused.code(), "reset_link_invalid", "{}", refused.body);
    assert!(refused.cookie.is_none());
    assert_eq!(server.counts().await, before, "no passkey, no session, nothing ended");
    let (_, finished) = recover(&server, &token, &mut other).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
}

#[tokio::test]
async fn a_disabled_account_is_not_changed_by_its_reset_link_until_it_is_enabled() {
    let server = TestServer::new();
    let mut lost = Device::new(Algorithm::Es256);
    server.sign_up(&mut lost, OWNER).await;
    server.exec("UPDATE users SET email_verified_at = 1").await;
    let token = link_token(&server, OWNER).await;
    let started = server.post("/api/recovery/start", &json!({ "token": token })).await;
    let mut replacement = Device::new(Algorithm::Es256);
    let created = replacement.create(&started.body["publicKey"]).await;

    server.exec("UPDATE users SET disabled_at = 1").await;
    let before = server.counts().await;
    let again = server.post("/api/recovery/start", &json!({ "token": token })).await;
    assert_eq!((again.status.as_u16(), again.code()), (403, "account_disabled"), "{}", again.body);
    let body = json!({ "ceremony": started.body["ceremony"], "credential": created, "token": token });
    let finish = server.post("/api/recovery/finish", &body).await;
    assert_eq!(finish.code(), "account_disabled", "refused inside the transaction: {}", finish.body);
    let reset = server.post("/api/password/reset", &json!({ "token": token, "password": NEW_PASSWORD })).await;
    assert_eq!(reset.code(), "account_disabled", "{}", reset.body);
    assert!(reset.cookie.is_none() && finish.cookie.is_none());
    assert_eq!(server.counts().await, before, "no passkey, no password, nothing ended");
    assert_eq!(server.query_i64("SELECT count(*) FROM users WHERE password_hash IS NOT NULL").await, 0);

    // Enabled again, the same link still works.
    server.exec("UPDATE users SET disabled_at = NULL").await;
    let reset = server.post("/api/password/reset", &json!({ "token": token, "password": NEW_PASSWORD })).await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
}

#[tokio::test]
async fn an_account_with_the_most_passkeys_gets_no_ceremony_and_can_still_set_a_password() {
    let server = TestServer::with_config(|c| c.passkeys_per_user = 1);
    let mut lost = Device::new(Algorithm::Es256);
    server.sign_up(&mut lost, OWNER).await;
    server.exec("UPDATE users SET email_verified_at = 1").await;
    let token = link_token(&server, OWNER).await;
    let started = server.post("/api/recovery/start", &json!({ "token": token })).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    assert_eq!(started.body["keeps"], json!({ "passkeys": 1, "password": false }));
    assert!(started.body.get("ceremony").is_none() && started.body.get("publicKey").is_none(), "{}", started.body);
    let reset = server.post("/api/password/reset", &json!({ "token": token, "password": NEW_PASSWORD })).await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
}

#[tokio::test]
async fn a_password_reset_and_a_passkey_recovery_racing_on_one_link_let_exactly_one_through() {
    let server = TestServer::new();
    // One account a round: "Forgot password?" sends one address only so many links an hour.
    for round in 0..8u64 {
        let email = format!("nadia{round}@example.com");
        server.sign_up(&mut Device::new(Algorithm::Es256), &email).await;
        server.exec("UPDATE users SET email_verified_at = 1").await;
        let token = link_token(&server, &email).await;
        let started = server.post("/api/recovery/start", &json!({ "token": token })).await;
        let mut replacement = Device::new(Algorithm::Es256);
        let created = replacement.create(&started.body["publicKey"]).await;
        let finish = json!({ "ceremony": started.body["ceremony"], "credential": created, "token": token });
        let reset = json!({ "token": token, "password": NEW_PASSWORD });
        // The reset hashes its password before it reaches the store, so the finish starts a little later
        // each round, to meet it there at some round.
        let late = Duration::from_millis(2 * round);
        let (recovered, reset) = tokio::join!(
            async {
                tokio::time::sleep(late).await;
                server.post("/api/recovery/finish", &finish).await
            },
            server.post("/api/password/reset", &reset)
        );
        let outcomes = [(recovered.status.as_u16(), recovered.code()), (reset.status.as_u16(), reset.code())];
        let through = outcomes.iter().filter(|(status, _)| *status < 300).count();
        assert_eq!(through, 1, "round {round}: {outcomes:?} ({} / {})", recovered.body, reset.body);
        let refused = outcomes.iter().find(|(status, _)| *status >= 300).unwrap();
        assert_eq!(refused.1, "reset_link_invalid", "round {round}: the other finds the link used, {outcomes:?}");
    }
}
