//! The pre-hijack attack, on either engine: someone signs up first with the victim's address and their
//! own passkey; when the victim proves the mailbox with a reset link, the account is claimed, so the
//! attacker's passkey and session stop, and a later reset claims nothing more.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{Algorithm, Device, TestServer};

const VICTIM: &str = "victim@example.com";
const NEW_PASSWORD: &str = "marble-otter-sunrise-58";

/// "Forgot password?" for the victim, then the new password with the link that arrives.
async fn reset_by_mail(server: &TestServer) {
    let before = server.reset_tokens();
    let forgot = server.post("/api/password/forgot", &json!({ "email": VICTIM })).await;
    assert_eq!(forgot.status, StatusCode::NO_CONTENT);
    let token = server.next_reset_token(&before).await;
    let reset = server.post("/api/password/reset", &json!({ "token": token, "password": NEW_PASSWORD })).await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
}

/// How many accounts were claimed.
async fn claims(server: &TestServer) -> i64 {
    server.query_i64("SELECT count(*) FROM events WHERE code = 'account_claimed'").await
}

/// The `email_verified` claim of the session token a page's backend would get for `cookie`.
async fn email_verified_in_session_token(server: &TestServer, cookie: &str) -> bool {
    use axum::{body::Body, http::Request};
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let request = Request::post("/api/session/token")
        .header("cookie", cookie)
        .header("origin", support::ORIGIN)
        .body(Body::empty())
        .unwrap();
    let answer = server.send(request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let payload = answer.body["token"].as_str().unwrap().split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["email_verified"].as_bool().unwrap()
}

#[tokio::test]
async fn the_owners_reset_ends_the_passkey_and_session_of_whoever_signed_up_with_the_address_first() {
    let server = TestServer::new();
    let mut attackers_device = Device::new(Algorithm::Es256);
    let signed_up = server.sign_up(&mut attackers_device, VICTIM).await;
    assert_eq!(signed_up.status, StatusCode::OK);
    let attackers_session = signed_up.cookie.unwrap();
    assert!(!email_verified_in_session_token(&server, &attackers_session).await, "nobody proved it");

    // The owner finds the address taken, and uses "Forgot password?".
    let taken = server.post("/api/signup/start", &json!({ "email": VICTIM })).await;
    assert_eq!(taken.code(), "email_taken");
    reset_by_mail(&server).await;

    let session = server.get_with_cookie("/api/session", &attackers_session).await;
    assert_eq!(session.status, StatusCode::NO_CONTENT, "the attacker's session is gone");
    let again = server.sign_in(&mut attackers_device).await;
    assert_eq!((again.status, again.code()), (StatusCode::FORBIDDEN, "credential_unknown"), "{}", again.body);
    assert!(again.cookie.is_none());
    assert_eq!(server.counts().await.passkeys, 0, "the attacker's passkey went with the claim");
    assert_eq!(claims(&server).await, 1);
    let detail = server.query_text("SELECT detail FROM events WHERE code = 'account_claimed'").await;
    assert_eq!(serde_json::from_str::<Value>(&detail).unwrap(), json!({ "passkeys": 1 }));

    let owner = server.post("/api/password/signin", &json!({ "email": VICTIM, "password": NEW_PASSWORD })).await;
    assert_eq!(owner.status, StatusCode::OK, "the owner signs in: {}", owner.body);
}

#[tokio::test]
async fn once_the_address_is_proved_a_later_reset_claims_nothing() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    server.sign_up(&mut device, VICTIM).await;
    reset_by_mail(&server).await;
    let owner = server.post("/api/password/signin", &json!({ "email": VICTIM, "password": NEW_PASSWORD })).await;
    let cookie = owner.cookie.unwrap();
    let started = server.post_as("/api/passkeys/start", &cookie, &json!({ "fromAccount": true })).await;
    let created = device.create(&started.body["publicKey"]).await;
    let body = json!({ "ceremony": started.body["ceremony"], "credential": created });
    assert_eq!(server.post_as("/api/passkeys/finish", &cookie, &body).await.status, StatusCode::OK);

    assert!(email_verified_in_session_token(&server, &cookie).await, "the reset proved the address");
    reset_by_mail(&server).await;
    assert_eq!(server.counts().await.passkeys, 1, "the owner's own passkey stays");
    assert_eq!(claims(&server).await, 1, "one claim, the first proof's");
    assert_eq!(server.sign_in(&mut device).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_password_checked_just_before_a_claim_or_reset_opens_no_session_after_it() {
    use latchkey_server::store::{SessionStart, SignInRefused};
    let server = TestServer::new();
    let body = json!({ "email": VICTIM, "password": "velvet-anchor-tulip-92" });
    assert_eq!(server.post("/api/password/signup", &body).await.status, StatusCode::OK);
    let user_id = server.query_i64("SELECT id FROM users").await;
    let before = server.counts().await.live_sessions;
    // The sign-in's argon2 check verified this hash; a claim or reset replaced it before its session
    // started.
    let start = SessionStart {
        id_hash: vec![7; 32],
        user_id,
        methods: r#"["pwd"]"#.into(),
        expires_at: i64::from(u32::MAX),
        replaces: None,
        user_agent: None,
        ip: None,
        passkey_id: None,
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$the-hash-before-the-reset".into()),
    };
    let refused = server.state.store.start_session(start, None, Vec::new()).await.unwrap();
    assert!(matches!(refused, Err(SignInRefused::PasswordChanged)), "{refused:?}");
    assert_eq!(server.counts().await.live_sessions, before);
}

#[tokio::test]
async fn a_second_factor_enrollment_earned_with_a_password_since_replaced_adds_no_passkey() {
    let server = TestServer::with_config(|c| c.mfa = latchkey_server::config::Mfa::Passkey);
    let body = json!({ "email": VICTIM, "password": "velvet-anchor-tulip-92" });
    let step = server.post("/api/password/signup", &body).await;
    let marker = step.body["ceremony"]["ceremony"].clone();
    // A claim (or a reset) replaced the password after this one was checked, while the marker was saved.
    server.exec("UPDATE users SET password_hash = NULL").await;
    let started = server.post("/api/passkeys/start", &json!({ "ceremony": marker })).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let created = Device::new(Algorithm::Es256).create(&started.body["publicKey"]).await;
    let finished = server.finish("/api/passkeys/finish", started.body["ceremony"].as_str().unwrap(), &created).await;
    assert_eq!(finished.code(), "ceremony_unknown", "{}", finished.body);
    assert!(finished.cookie.is_none());
    assert_eq!(server.counts().await.passkeys, 0);
}

#[tokio::test]
async fn a_claim_ends_the_ceremonies_the_attacker_had_in_flight() {
    let server = TestServer::new();
    let mut attackers_device = Device::new(Algorithm::Es256);
    let attackers_session = server.sign_up(&mut attackers_device, VICTIM).await.cookie.unwrap();
    // The attacker starts adding a second passkey, to finish once the owner has claimed the account.
    let started = server.post_as("/api/passkeys/start", &attackers_session, &json!({ "fromAccount": true })).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let spare = Device::new(Algorithm::Es256).create(&started.body["publicKey"]).await;

    reset_by_mail(&server).await;
    assert_eq!(server.query_i64("SELECT count(*) FROM ceremonies WHERE kind = 'add_passkey'").await, 0);
    let body = json!({ "ceremony": started.body["ceremony"], "credential": spare });
    let finished = server.post_as("/api/passkeys/finish", &attackers_session, &body).await;
    assert_ne!(finished.status, StatusCode::OK, "{}", finished.body);
    assert_eq!(server.counts().await.passkeys, 0, "nothing the attacker began before the claim survives it");
}
