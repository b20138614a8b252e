//! The account page's API through `oneshot`, with real passkeys and a real SQLite file: the list,
//! deleting with the last-way-to-sign-in guard, and setting or changing the password.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{Algorithm, Device, TestServer};

const STRONG: &str = "velvet-anchor-tulip-92";

async fn account(server: &TestServer, cookie: &str) -> Value {
    let answer = server.get_with_cookie("/api/account", cookie).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

async fn add_passkey(server: &TestServer, cookie: &str, device: &mut Device) -> Value {
    let started = server.post_as("/api/passkeys/start", cookie, &json!({ "fromAccount": true })).await;
    let created = device.create(&started.body["publicKey"]).await;
    let body = json!({ "ceremony": started.body["ceremony"], "credential": created });
    let added = server.post_as("/api/passkeys/finish", cookie, &body).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    added.body
}

#[tokio::test]
async fn the_account_lists_its_passkeys_with_what_the_page_shows() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    let cookie = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
    let info = account(&server, &cookie).await;
    assert_eq!(info["user"]["email"], "ada@example.com");
    assert_eq!((info["hasPassword"].as_bool(), info["maxPasskeys"].as_u64()), (Some(false), Some(20)));
    assert_eq!(info["rpId"], "localhost");
    let passkey = &info["passkeys"][0];
    assert_eq!(passkey["synced"], true, "the software authenticator's passkeys are backup eligible");
    assert_eq!(passkey["provider"], Value::Null, "its AAGUID is not a known provider's");
    assert!(passkey["createdAt"].as_i64().unwrap() > 0);
    assert_eq!(passkey["lastUsedAt"], Value::Null);
    assert!(!passkey["credentialId"].as_str().unwrap().is_empty());
    assert_eq!(server.get_with_cookie("/api/account", "latchkey=nobody").await.code(), "not_signed_in");
}

#[tokio::test]
async fn the_last_way_to_sign_in_cannot_be_deleted() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    let cookie = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
    let only = account(&server, &cookie).await["passkeys"][0]["id"].clone();
    let refused = server.post_as("/api/passkeys/delete", &cookie, &json!({ "id": only })).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::CONFLICT, "last_sign_in_method"));
    assert_eq!(server.counts().await.passkeys, 1);

    let mut phone = Device::new(Algorithm::Ed25519);
    add_passkey(&server, &cookie, &mut phone).await;
    let deleted = server.post_as("/api/passkeys/delete", &cookie, &json!({ "id": only })).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    let remaining = deleted.body["passkeys"].as_array().unwrap();
    assert_eq!(remaining.len(), 1, "the answer lists what is left, for signalAllAcceptedCredentials");
    assert_ne!(remaining[0]["id"], only);
    assert_eq!(server.sign_in(&mut device).await.code(), "credential_unknown", "the deleted passkey is refused");
}

#[tokio::test]
async fn with_a_password_the_last_passkey_can_go() {
    let server = TestServer::new();
    let cookie = server
        .post("/api/password/signup", &json!({ "email": "pat@example.com", "password": STRONG }))
        .await
        .cookie
        .unwrap();
    let added = add_passkey(&server, &cookie, &mut Device::new(Algorithm::Es256)).await;
    let deleted = server.post_as("/api/passkeys/delete", &cookie, &json!({ "id": added["passkey"]["id"] })).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.body["passkeys"], json!([]));
}

#[tokio::test]
async fn another_accounts_passkey_is_unknown_here() {
    let server = TestServer::new();
    let mut ada = Device::new(Algorithm::Es256);
    server.sign_up(&mut ada, "ada@example.com").await;
    let mut bob = Device::new(Algorithm::Es256);
    let bobs_cookie = server.sign_up(&mut bob, "bob@example.com").await.cookie.unwrap();
    let adas_passkey = server
        .query_i64("SELECT p.id FROM passkeys p JOIN users u ON u.id = p.user_id WHERE u.email = 'ada@example.com'")
        .await;
    let refused = server.post_as("/api/passkeys/delete", &bobs_cookie, &json!({ "id": adas_passkey })).await;
    assert_eq!(refused.code(), "credential_unknown");
    let rename =
        server.post_as("/api/passkeys/rename", &bobs_cookie, &json!({ "id": adas_passkey, "name": "mine" })).await;
    assert_eq!(rename.code(), "credential_unknown");
    assert_eq!(server.counts().await.passkeys, 2);
}

#[tokio::test]
async fn a_password_is_changed_only_with_the_current_one_and_set_without_one() {
    let server = TestServer::new();
    let cookie = server
        .post("/api/password/signup", &json!({ "email": "pat@example.com", "password": STRONG }))
        .await
        .cookie
        .unwrap();
    let change = |current: &str, new: &str| json!({ "current": current, "password": new });
    let wrong =
        server.post_as("/api/account/password", &cookie, &change("not-it-at-all-9", "marble-otter-sunrise-58")).await;
    assert_eq!(wrong.code(), "wrong_password");
    let weak = server.post_as("/api/account/password", &cookie, &change(STRONG, "password1")).await;
    assert_eq!(weak.code(), "password_too_common");
    let changed = server.post_as("/api/account/password", &cookie, &change(STRONG, "marble-otter-sunrise-58")).await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT);
    let signed_in = server
        .post("/api/password/signin", &json!({ "email": "pat@example.com", "password": "marble-otter-sunrise-58" }))
        .await;
    assert_eq!(signed_in.status, StatusCode::OK);

    let mut device = Device::new(Algorithm::Es256);
    let adas = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
    assert_eq!(account(&server, &adas).await["hasPassword"], false);
    let set = server.post_as("/api/account/password", &adas, &json!({ "password": "copper-lantern-fjord-31" })).await;
    assert_eq!(set.status, StatusCode::NO_CONTENT);
    // The session goes on under the new ID the answer set.
    assert_eq!(account(&server, &set.cookie.unwrap()).await["hasPassword"], true);
}

#[tokio::test]
async fn under_the_second_factor_policy_the_last_passkey_stays_even_beside_a_password() {
    let server = TestServer::with_config(|c| c.mfa = latchkey_server::config::Mfa::Passkey);
    let step = server.post("/api/password/signup", &json!({ "email": "pat@example.com", "password": STRONG })).await;
    let marker = step.body["ceremony"]["ceremony"].clone();
    let started = server.post("/api/passkeys/start", &json!({ "ceremony": marker })).await;
    let created = Device::new(Algorithm::Es256).create(&started.body["publicKey"]).await;
    let enrolled = server.finish("/api/passkeys/finish", started.body["ceremony"].as_str().unwrap(), &created).await;
    let cookie = enrolled.cookie.unwrap();
    let refused =
        server.post_as("/api/passkeys/delete", &cookie, &json!({ "id": enrolled.body["passkey"]["id"] })).await;
    assert_eq!(refused.code(), "last_sign_in_method", "a password alone would then enroll whoever knows it");
}

#[tokio::test]
async fn adding_or_deleting_a_way_in_needs_a_recent_sign_in_and_a_passkey_confirmation_gives_one() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    let cookie = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
    add_passkey(&server, &cookie, &mut Device::new(Algorithm::Ed25519)).await;
    server.exec("UPDATE sessions SET created_at = created_at - 16 * 60").await;
    let first = account(&server, &cookie).await["passkeys"][0]["id"].clone();
    let delete = server.post_as("/api/passkeys/delete", &cookie, &json!({ "id": first })).await;
    assert_eq!(delete.code(), "reauthentication_required", "{}", delete.body);
    assert_eq!(delete.status, StatusCode::UNAUTHORIZED);
    let set = server.post_as("/api/account/password", &cookie, &json!({ "password": "copper-lantern-fjord-31" })).await;
    assert_eq!(set.code(), "reauthentication_required");
    let add = server.post_as("/api/passkeys/start", &cookie, &json!({ "fromAccount": true })).await;
    assert_eq!(add.code(), "reauthentication_required", "a stolen session cannot add its own way in");
    assert_eq!(server.counts().await.passkeys, 2);

    // Confirming it's them: the account's own passkey, through the identifier-first step.
    let identified = server.post_as("/api/signin/identify", &cookie, &json!({ "email": "ada@example.com" })).await;
    let asserted = device.get(&identified.body["passkey"]["publicKey"]).await;
    let body = json!({ "ceremony": identified.body["passkey"]["ceremony"], "credential": asserted });
    let confirmed = server.post_as("/api/signin/verify", &cookie, &body).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let fresh = confirmed.cookie.unwrap();
    assert_eq!(server.get_with_cookie("/api/session", &cookie).await.status, StatusCode::NO_CONTENT, "replaced");
    add_passkey(&server, &fresh, &mut Device::new(Algorithm::Es256)).await;
    let delete = server.post_as("/api/passkeys/delete", &fresh, &json!({ "id": first })).await;
    assert_eq!(delete.status, StatusCode::OK, "{}", delete.body);
    assert_eq!(server.counts().await.passkeys, 2);
}

#[tokio::test]
async fn the_policy_says_how_recent_a_sign_in_must_be() {
    let server = TestServer::with_config(|c| c.reauthentication_minutes = 60);
    let cookie = server.sign_up(&mut Device::new(Algorithm::Es256), "ada@example.com").await.cookie.unwrap();
    server.exec("UPDATE sessions SET created_at = created_at - 30 * 60").await;
    add_passkey(&server, &cookie, &mut Device::new(Algorithm::Ed25519)).await;
    server.exec("UPDATE sessions SET created_at = created_at - 31 * 60").await;
    let add = server.post_as("/api/passkeys/start", &cookie, &json!({ "fromAccount": true })).await;
    assert_eq!(add.code(), "reauthentication_required");
}

#[tokio::test]
async fn a_new_password_ends_the_other_sessions_and_reset_links() {
    let server = TestServer::new();
    let cookie = server
        .post("/api/password/signup", &json!({ "email": "pat@example.com", "password": STRONG }))
        .await
        .cookie
        .unwrap();
    let other = server.post("/api/password/signin", &json!({ "email": "pat@example.com", "password": STRONG })).await;
    let other = other.cookie.unwrap();
    server.exec("INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (x'00', 1, 9999999999)").await;
    let body = json!({ "current": STRONG, "password": "marble-otter-sunrise-58" });
    let changed = server.post_as("/api/account/password", &cookie, &body).await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT);
    assert_eq!(server.get_with_cookie("/api/session", &other).await.status, StatusCode::NO_CONTENT, "signed out");
    let renewed = changed.cookie.unwrap();
    assert_eq!(server.get_with_cookie("/api/session", &renewed).await.status, StatusCode::OK, "this one stays");
    assert_eq!(server.query_i64("SELECT count(*) FROM password_resets").await, 0);
}
