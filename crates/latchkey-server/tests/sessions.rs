//! Sessions as their owner sees and ends them, on either engine: listed with browser, system and
//! address, "this device" marked; one ended, or every other; the sessions a deleted passkey opened
//! ended with it; the idle timeout and the absolute lifetime; a new session ID with a new password.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{Algorithm, Answer, Device, TestServer};

const FIREFOX_ON_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_ON_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
                                (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const STRONG: &str = "velvet-anchor-tulip-92";

/// A passkey sign-up from `peer` with `user_agent`; the session's cookie.
async fn sign_up_from(server: &TestServer, device: &mut Device, email: &str, peer: &str, user_agent: &str) -> String {
    let headers = [("user-agent", user_agent)];
    let started = server.post_from(peer, "/api/signup/start", &json!({ "email": email }), &headers).await;
    let credential = device.create(&started.body["publicKey"]).await;
    let body = json!({ "ceremony": started.body["ceremony"], "credential": credential });
    let finished = server.post_from(peer, "/api/signup/finish", &body, &headers).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
    finished.cookie.unwrap()
}

/// A discoverable passkey sign-in from `peer` with `user_agent`; the session's cookie.
async fn sign_in_from(server: &TestServer, device: &mut Device, peer: &str, user_agent: &str) -> String {
    let headers = [("user-agent", user_agent)];
    let started = server.post_from(peer, "/api/signin/start", &json!({}), &headers).await;
    let credential = device.get(&started.body["publicKey"]).await;
    let body = json!({ "ceremony": started.body["ceremony"], "credential": credential });
    let finished = server.post_from(peer, "/api/signin/finish", &body, &headers).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
    finished.cookie.unwrap()
}

async fn sessions(server: &TestServer, cookie: &str) -> Vec<Value> {
    let account = server.get_with_cookie("/api/account", cookie).await;
    assert_eq!(account.status, StatusCode::OK, "{}", account.body);
    account.body["sessions"].as_array().unwrap().clone()
}

async fn signed_in(server: &TestServer, cookie: &str) -> bool {
    let answer = server.get_with_cookie("/api/session", cookie).await;
    assert!(matches!(answer.status, StatusCode::OK | StatusCode::NO_CONTENT), "{}", answer.status);
    answer.status == StatusCode::OK
}

/// Ada signed up on Firefox on Windows and signed in again on Safari on her iPhone.
async fn ada_on_two_devices(server: &TestServer) -> (Device, String, String) {
    let mut device = Device::new(Algorithm::Es256);
    let laptop = sign_up_from(server, &mut device, "ada@example.com", "198.51.100.7", FIREFOX_ON_WINDOWS).await;
    let phone = sign_in_from(server, &mut device, "203.0.113.9", SAFARI_ON_IPHONE).await;
    (device, laptop, phone)
}

#[tokio::test]
async fn sessions_are_listed_with_browser_system_and_address_and_this_device_marked() {
    let server = TestServer::new();
    let (_, laptop, phone) = ada_on_two_devices(&server).await;
    let listed = sessions(&server, &laptop).await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    // Found by browser: within one minute the order (most recently used first) is a tie.
    let find = |browser: &str| listed.iter().find(|s| s["browser"] == browser).unwrap().clone();
    let (on_laptop, on_phone) = (find("Firefox"), find("Safari"));
    assert_eq!((on_laptop["system"].as_str(), on_laptop["ip"].as_str()), (Some("Windows"), Some("198.51.100.7")));
    assert_eq!((on_phone["system"].as_str(), on_phone["ip"].as_str()), (Some("iOS"), Some("203.0.113.9")));
    assert_eq!((on_laptop["current"].as_bool(), on_phone["current"].as_bool()), (Some(true), Some(false)));
    assert_eq!(on_laptop["methods"], json!(["swk", "user"]));
    for session in &listed {
        assert!(session["id"].as_str().is_some_and(|id| id.len() == 43), "{session}");
        assert!(session["createdAt"].as_i64().unwrap() <= session["lastSeenAt"].as_i64().unwrap());
    }
    let from_phone = sessions(&server, &phone).await;
    assert_eq!(from_phone.iter().filter(|s| s["current"] == true).count(), 1);
    assert_eq!(from_phone.iter().find(|s| s["current"] == true).unwrap()["browser"], "Safari");
}

#[tokio::test]
async fn ending_another_session_signs_it_out_and_ending_ones_own_clears_the_cookie() {
    let server = TestServer::new();
    let (_, laptop, phone) = ada_on_two_devices(&server).await;
    let listed = sessions(&server, &laptop).await;
    let phones_id = listed.iter().find(|s| s["current"] == false).unwrap()["id"].clone();
    let ended = server.post_as("/api/sessions/end", &laptop, &json!({ "id": phones_id })).await;
    assert_eq!(ended.status, StatusCode::NO_CONTENT, "{}", ended.body);
    assert!(ended.cookie.is_none(), "the laptop's own cookie stays");
    assert!(!signed_in(&server, &phone).await, "the phone is signed out");
    assert!(signed_in(&server, &laptop).await);
    assert_eq!(sessions(&server, &laptop).await.len(), 1);

    let again = server.post_as("/api/sessions/end", &laptop, &json!({ "id": phones_id })).await;
    assert_eq!((again.status, again.code()), (StatusCode::NOT_FOUND, "not_found"), "ended already");

    let own_id = sessions(&server, &laptop).await[0]["id"].clone();
    let own = server.post_as("/api/sessions/end", &laptop, &json!({ "id": own_id })).await;
    assert_eq!(own.status, StatusCode::NO_CONTENT);
    assert!(own.cookie.as_deref().is_some_and(|c| c.ends_with('=')), "the cookie is cleared: {:?}", own.cookie);
    assert!(!signed_in(&server, &laptop).await);
    let events = server.query_i64("SELECT count(*) FROM events WHERE code = 'sessions_ended'").await;
    assert_eq!(events, 2);
}

#[tokio::test]
async fn nobody_ends_another_accounts_session() {
    let server = TestServer::new();
    let (_, adas_laptop, _) = ada_on_two_devices(&server).await;
    let adas_id = sessions(&server, &adas_laptop).await[0]["id"].clone();
    let mut bobs_device = Device::new(Algorithm::Es256);
    let bob = sign_up_from(&server, &mut bobs_device, "bob@example.com", "192.0.2.1", FIREFOX_ON_WINDOWS).await;
    let before = server.counts().await;
    for id in [adas_id, json!("not base64url!"), json!("")] {
        let answer = server.post_as("/api/sessions/end", &bob, &json!({ "id": id })).await;
        assert_eq!((answer.status, answer.code()), (StatusCode::NOT_FOUND, "not_found"), "{}", answer.body);
    }
    assert_eq!(server.counts().await, before);
    assert!(signed_in(&server, &adas_laptop).await);
    let anonymous = server.post("/api/sessions/end-others", &json!({})).await;
    assert_eq!(anonymous.code(), "not_signed_in");
}

#[tokio::test]
async fn sign_out_everywhere_else_keeps_only_this_session_and_ends_the_others_grants() {
    let server = TestServer::new();
    let (mut device, laptop, phone) = ada_on_two_devices(&server).await;
    let tablet = sign_in_from(&server, &mut device, "203.0.113.10", SAFARI_ON_IPHONE).await;
    let ended = server.post_as("/api/sessions/end-others", &phone, &json!({})).await;
    assert_eq!(ended.status, StatusCode::NO_CONTENT, "{}", ended.body);
    assert!(signed_in(&server, &phone).await);
    assert!(!signed_in(&server, &laptop).await && !signed_in(&server, &tablet).await);
    let listed = sessions(&server, &phone).await;
    assert_eq!((listed.len(), listed[0]["current"].as_bool()), (1, Some(true)));
    let detail = server.query_text("SELECT detail FROM events WHERE code = 'sessions_ended'").await;
    assert_eq!(serde_json::from_str::<Value>(&detail).unwrap(), json!({ "sessions": 2 }));
}

/// Adds a second passkey, on `other`, to the account `cookie` is signed in to.
async fn add_passkey(server: &TestServer, cookie: &str, other: &mut Device) -> i64 {
    let started = server.post_as("/api/passkeys/start", cookie, &json!({ "fromAccount": true })).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let credential = other.create(&started.body["publicKey"]).await;
    let body = json!({ "ceremony": started.body["ceremony"], "credential": credential });
    let finished = server.post_as("/api/passkeys/finish", cookie, &body).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
    finished.body["passkey"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn deleting_a_passkey_ends_the_sessions_it_opened_but_not_the_one_deleting_it() {
    let server = TestServer::new();
    let (mut first, laptop, _) = ada_on_two_devices(&server).await;
    let mut security_key = Device::new(Algorithm::Es256);
    let key_id = add_passkey(&server, &laptop, &mut security_key).await;
    let with_key = sign_in_from(&server, &mut security_key, "192.0.2.44", FIREFOX_ON_WINDOWS).await;
    let with_first = sign_in_from(&server, &mut first, "192.0.2.45", FIREFOX_ON_WINDOWS).await;
    // Deleting from the session the key itself opened: that one stays, as the person deleting is there.
    let second_with_key = sign_in_from(&server, &mut security_key, "192.0.2.46", SAFARI_ON_IPHONE).await;
    let deleted = server.post_as("/api/passkeys/delete", &second_with_key, &json!({ "id": key_id })).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert!(!signed_in(&server, &with_key).await, "the key's other session ends");
    assert!(signed_in(&server, &second_with_key).await, "the deleting session stays");
    assert!(signed_in(&server, &with_first).await && signed_in(&server, &laptop).await, "others stay");
    let listed = deleted.body["sessions"].as_array().unwrap();
    assert_eq!(listed.len(), 4, "the answer lists what is left: {listed:?}");
}

#[tokio::test]
async fn an_idle_session_ends_and_so_does_one_past_its_lifetime_however_used() {
    let server = TestServer::new();
    let (_, laptop, phone) = ada_on_two_devices(&server).await;
    // 29 days unused: still live, and the use moves its last use forward.
    server
        .exec("UPDATE sessions SET last_seen_at = last_seen_at - 29 * 86400, created_at = created_at - 29 * 86400")
        .await;
    assert!(signed_in(&server, &laptop).await);
    let fresh = server.query_i64("SELECT count(*) FROM sessions WHERE last_seen_at > created_at + 86400").await;
    assert_eq!(fresh, 1, "the laptop's use was recorded, the phone's was not");
    server.exec("UPDATE sessions SET last_seen_at = last_seen_at - 2 * 86400").await;
    assert!(signed_in(&server, &laptop).await, "unused for two days only");
    assert!(!signed_in(&server, &phone).await, "31 days idle: ended");

    // Used every day, but begun 401 days ago: past the lifetime.
    server.exec("UPDATE sessions SET created_at = created_at - 372 * 86400").await;
    assert!(!signed_in(&server, &laptop).await);
}

#[tokio::test]
async fn a_shorter_idle_timeout_in_the_policy_applies_to_open_sessions() {
    let server = TestServer::with_config(|config| config.session_idle_days = 1);
    let (_, laptop, _) = ada_on_two_devices(&server).await;
    assert!(signed_in(&server, &laptop).await);
    server.exec("UPDATE sessions SET last_seen_at = last_seen_at - 2 * 86400").await;
    assert!(!signed_in(&server, &laptop).await);
}

fn cookie_of(answer: &Answer) -> String {
    answer.cookie.clone().unwrap_or_else(|| panic!("no cookie: {} {}", answer.status, answer.body))
}

#[tokio::test]
async fn a_password_change_gives_the_session_a_new_id_and_the_old_one_is_worthless() {
    let server = TestServer::new();
    let (_, laptop, phone) = ada_on_two_devices(&server).await;
    let set = server.post_as("/api/account/password", &laptop, &json!({ "password": STRONG })).await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.body);
    let renewed = cookie_of(&set);
    assert_ne!(renewed, laptop);
    assert!(!signed_in(&server, &laptop).await, "the old ID no longer signs in");
    assert!(!signed_in(&server, &phone).await, "other sessions end with the old password");
    assert!(signed_in(&server, &renewed).await, "the same session goes on under the new ID");
    let listed = sessions(&server, &renewed).await;
    assert_eq!((listed.len(), listed[0]["browser"].as_str()), (1, Some("Firefox")), "{listed:?}");
}

#[tokio::test]
async fn deleting_the_passkey_made_at_sign_up_ends_the_sign_up_session() {
    let server = TestServer::new();
    let mut first = Device::new(Algorithm::Es256);
    let signed_up = sign_up_from(&server, &mut first, "ada@example.com", "198.51.100.7", FIREFOX_ON_WINDOWS).await;
    let mut phone = Device::new(Algorithm::Es256);
    add_passkey(&server, &signed_up, &mut phone).await;
    let on_phone = sign_in_from(&server, &mut phone, "203.0.113.9", SAFARI_ON_IPHONE).await;
    assert_eq!(sessions(&server, &on_phone).await.len(), 2);
    let account = server.get_with_cookie("/api/account", &on_phone).await;
    let made_at_sign_up = account.body["passkeys"][0]["id"].clone();
    let deleted = server.post_as("/api/passkeys/delete", &on_phone, &json!({ "id": made_at_sign_up })).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert!(!signed_in(&server, &signed_up).await, "the session the sign-up opened ends with its passkey");
    assert!(signed_in(&server, &on_phone).await);
}
