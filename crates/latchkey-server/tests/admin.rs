//! The administrator's API and the event log, through `oneshot` with real ceremonies and a real SQLite
//! file: the token guard, the policy applied at once and audited, every journey's event, and the log's
//! filters and cursor pagination.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use latchkey_server::config::Mfa;
use serde_json::{Value, json};
use support::{Algorithm, Answer, Device, TestServer};

const TOKEN: &str = "correct-horse-admin-token";
const STRONG: &str = "velvet-anchor-tulip-92";

fn admin_server() -> TestServer {
    TestServer::with_config(|c| c.admin_token = Some(TOKEN.into()))
}

async fn as_admin(server: &TestServer, method: &str, path: &str, token: &str, body: Option<Value>) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    server.send(request).await
}

async fn events(server: &TestServer, query: &str) -> Value {
    let answer = as_admin(server, "GET", &format!("/api/admin/events{query}"), TOKEN, None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

/// The codes of the log, oldest first.
async fn codes(server: &TestServer) -> Vec<String> {
    let page = events(server, "?limit=200").await;
    let mut codes: Vec<String> =
        page["events"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap().to_owned()).collect();
    codes.reverse();
    codes
}

async fn password_sign_in(server: &TestServer, email: &str, password: &str) -> Answer {
    server.post("/api/password/signin", &json!({ "email": email, "password": password })).await
}

mod guard {
    use super::*;

    #[tokio::test]
    async fn without_the_token_the_admin_api_is_forbidden() {
        let server = admin_server();
        for token in ["", "wrong-token", "correct-horse-admin-toke"] {
            let answer = as_admin(&server, "GET", "/api/admin/policy", token, None).await;
            assert_eq!((answer.status, answer.code()), (StatusCode::FORBIDDEN, "forbidden"), "{token:?}");
        }
        let anonymous = server.send(Request::get("/api/admin/events").body(Body::empty()).unwrap()).await;
        assert_eq!(anonymous.code(), "forbidden");
        assert_eq!(as_admin(&server, "GET", "/api/admin/policy", TOKEN, None).await.status, StatusCode::OK);
    }

    #[tokio::test]
    async fn with_no_token_configured_nobody_is_admin() {
        let server = TestServer::new();
        let answer = as_admin(&server, "GET", "/api/admin/policy", "", None).await;
        assert_eq!(answer.code(), "forbidden");
    }
}

mod policy {
    use super::*;

    #[tokio::test]
    async fn turning_progressive_enrollment_off_changes_the_next_sign_in_at_once_and_is_logged() {
        let server = admin_server();
        server.post("/api/password/signup", &json!({ "email": "pat@example.com", "password": STRONG })).await;
        assert_eq!(password_sign_in(&server, "pat@example.com", STRONG).await.body["next"], "offer_passkey");
        let mut policy = as_admin(&server, "GET", "/api/admin/policy", TOKEN, None).await.body;
        assert_eq!(policy["progressive_enrollment"], true);
        policy["progressive_enrollment"] = json!(false);
        let saved = as_admin(&server, "PUT", "/api/admin/policy", TOKEN, Some(policy)).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!(password_sign_in(&server, "pat@example.com", STRONG).await.body["next"], "done");
        let changed = events(&server, "?code=policy_changed").await;
        assert_eq!(
            changed["events"][0]["detail"]["changed"],
            json!({ "progressive_enrollment": { "from": true, "to": false } })
        );
    }

    #[tokio::test]
    async fn the_second_factor_and_the_passkey_cap_apply_without_a_restart() {
        let server = admin_server();
        let cookie = server
            .post("/api/password/signup", &json!({ "email": "pat@example.com", "password": STRONG }))
            .await
            .cookie
            .unwrap();
        let mut policy = as_admin(&server, "GET", "/api/admin/policy", TOKEN, None).await.body;
        policy["mfa"] = json!("passkey");
        policy["passkeys_per_user"] = json!(1);
        as_admin(&server, "PUT", "/api/admin/policy", TOKEN, Some(policy)).await;
        assert_eq!(password_sign_in(&server, "pat@example.com", STRONG).await.body["next"], "enroll_second_factor");
        let mut device = Device::new(Algorithm::Es256);
        let started = server.post_as("/api/passkeys/start", &cookie, &json!({})).await;
        let created = device.create(&started.body["publicKey"]).await;
        let body = json!({ "ceremony": started.body["ceremony"], "credential": created });
        assert_eq!(server.post_as("/api/passkeys/finish", &cookie, &body).await.status, StatusCode::OK);
        let second = server.post_as("/api/passkeys/start", &cookie, &json!({})).await;
        assert_eq!(second.code(), "too_many_passkeys");
    }

    #[tokio::test]
    async fn a_policy_with_bad_origins_is_refused_and_changes_nothing() {
        let server = admin_server();
        let before = as_admin(&server, "GET", "/api/admin/policy", TOKEN, None).await.body;
        for origins in [json!([]), json!(["https://evil.example"]), json!(["http://example.localhost.evil"])] {
            let mut policy = before.clone();
            policy["origins"] = origins.clone();
            let refused = as_admin(&server, "PUT", "/api/admin/policy", TOKEN, Some(policy)).await;
            assert_eq!(refused.code(), "malformed_request", "{origins}");
        }
        let unknown = as_admin(&server, "PUT", "/api/admin/policy", TOKEN, Some(json!({ "root": true }))).await;
        assert_eq!(unknown.code(), "malformed_request");
        assert_eq!(as_admin(&server, "GET", "/api/admin/policy", TOKEN, None).await.body, before);
    }

    #[tokio::test]
    async fn a_related_origin_may_call_the_api_and_an_unrelated_one_may_not() {
        let server = admin_server();
        let mut policy = as_admin(&server, "GET", "/api/admin/policy", TOKEN, None).await.body;
        policy["related_origins"] = json!(["https://shop.example.co.uk"]);
        as_admin(&server, "PUT", "/api/admin/policy", TOKEN, Some(policy)).await;
        let from = |origin: &str| {
            Request::post("/api/signin/start")
                .header(header::ORIGIN, origin)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap()
        };
        assert_eq!(server.send(from("https://shop.example.co.uk")).await.status, StatusCode::OK);
        assert_eq!(server.send(from("https://other.example")).await.code(), "origin_not_allowed");
    }

    #[tokio::test]
    async fn related_origins_are_served_at_the_well_known_address() {
        let server = admin_server();
        let mut policy = as_admin(&server, "GET", "/api/admin/policy", TOKEN, None).await.body;
        policy["related_origins"] = json!(["https://shop.example.co.uk/"]);
        as_admin(&server, "PUT", "/api/admin/policy", TOKEN, Some(policy)).await;
        let answer = server.send(Request::get("/.well-known/webauthn").body(Body::empty()).unwrap()).await;
        assert_eq!(answer.body, json!({ "origins": ["https://shop.example.co.uk"] }));
    }
}

mod log {
    use super::*;

    #[tokio::test]
    async fn each_journey_writes_its_event() {
        let server = TestServer::with_config(|c| c.admin_token = Some(TOKEN.into()));
        let mut device = Device::new(Algorithm::Es256);
        let cookie = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
        server.sign_in(&mut device).await;
        server.post("/api/signout", &json!({})).await;
        server.send(Request::post("/api/signout").header(header::COOKIE, &cookie).body(Body::empty()).unwrap()).await;
        password_sign_in(&server, "ada@example.com", "not-the-password-1").await;
        server.post("/api/password/signup", &json!({ "email": "pat@example.com", "password": "password" })).await;
        let pat = server.post("/api/password/signup", &json!({ "email": "pat@example.com", "password": STRONG })).await;
        let pat_cookie = pat.cookie.unwrap();
        let mut pats_device = Device::new(Algorithm::Es256);
        let started = server.post_as("/api/passkeys/start", &pat_cookie, &json!({ "fromAccount": true })).await;
        let created = pats_device.create(&started.body["publicKey"]).await;
        let body = json!({ "ceremony": started.body["ceremony"], "credential": created });
        let added = server.post_as("/api/passkeys/finish", &pat_cookie, &body).await;
        let rename = json!({ "id": added.body["passkey"]["id"], "name": "Work laptop" });
        server.post_as("/api/passkeys/rename", &pat_cookie, &rename).await;
        assert_eq!(
            codes(&server).await,
            [
                "sign_up",
                "sign_in",
                "sign_out",
                "sign_in_failed",
                "sign_up_failed",
                "sign_up",
                "passkey_added",
                "passkey_renamed"
            ]
        );
        let page = events(&server, "?limit=200").await;
        let by_code =
            |code: &str| page["events"].as_array().unwrap().iter().find(|e| e["code"] == code).unwrap().clone();
        assert_eq!(by_code("sign_in")["detail"], json!({ "methods": ["swk", "user"] }));
        assert_eq!(by_code("sign_in_failed")["reason"], "wrong_password");
        assert_eq!(by_code("sign_in_failed")["email"], "ada@example.com");
        assert_eq!(by_code("sign_up_failed")["reason"], "password_too_common");
        assert_eq!(by_code("passkey_renamed")["detail"]["name"], "Work laptop");
        assert_eq!(by_code("sign_up")["user_agent"], Value::Null, "oneshot requests carry no User-Agent");
    }

    #[tokio::test]
    async fn the_second_factor_and_a_reset_write_theirs() {
        let server = TestServer::with_config(|c| {
            c.admin_token = Some(TOKEN.into());
            c.mfa = Mfa::Passkey;
        });
        let step =
            server.post("/api/password/signup", &json!({ "email": "pat@example.com", "password": STRONG })).await;
        let mut device = Device::new(Algorithm::Es256);
        let marker = step.body["ceremony"]["ceremony"].clone();
        let started = server.post("/api/passkeys/start", &json!({ "ceremony": marker })).await;
        let created = device.create(&started.body["publicKey"]).await;
        server.finish("/api/passkeys/finish", started.body["ceremony"].as_str().unwrap(), &created).await;
        let mut mallory = Device::new(Algorithm::Es256);
        server.sign_up(&mut mallory, "mallory@example.com").await;
        let step = password_sign_in(&server, "pat@example.com", STRONG).await;
        let mut options = step.body["ceremony"]["publicKey"].clone();
        options["allowCredentials"] = json!([]);
        let forged = mallory.get(&options).await;
        server.finish("/api/signin/verify", step.body["ceremony"]["ceremony"].as_str().unwrap(), &forged).await;
        server.post("/api/password/forgot", &json!({ "email": "pat@example.com" })).await;
        for _ in 0..100 {
            if codes(&server).await.last().is_some_and(|c| c == "password_reset_requested") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(
            codes(&server).await,
            [
                "sign_up",
                "enrollment_complete",
                "mfa_passed",
                "sign_in",
                "sign_up",
                "mfa_failed",
                "password_reset_requested"
            ]
        );
        let failed = events(&server, "?code=mfa_failed").await;
        assert_eq!(failed["events"][0]["reason"], "credential_rejected");
    }

    #[tokio::test]
    async fn filters_and_cursor_pages_cover_the_log_exactly_once() {
        let server = admin_server();
        for i in 0..7 {
            password_sign_in(&server, &format!("nobody{i}@example.com"), "not-the-password-1").await;
        }
        let mut device = Device::new(Algorithm::Es256);
        server.sign_up(&mut device, "ada@example.com").await;
        let mut seen = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = events(&server, &format!("?limit=3{cursor}")).await;
            let ids: Vec<i64> = page["events"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
            assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
            seen.extend(ids);
            match page["next_cursor"].as_str() {
                Some(next) => cursor = format!("&cursor={next}"),
                None => break,
            }
        }
        assert_eq!(seen.len(), 8);
        seen.dedup();
        assert_eq!(seen.len(), 8, "no event twice");
        let failures = events(&server, "?code=sign_in_failed&limit=200").await;
        assert_eq!(failures["events"].as_array().unwrap().len(), 7);
        let ada = server.query_i64("SELECT id FROM users WHERE email = 'ada@example.com'").await;
        let hers = events(&server, &format!("?user={ada}")).await;
        assert_eq!(hers["events"].as_array().unwrap().len(), 1);
        let future = events(&server, "?since=4102444800").await;
        assert_eq!(future["events"], json!([]));
        let past = events(&server, "?until=1").await;
        assert_eq!(past["events"], json!([]));
        let bad = as_admin(&server, "GET", "/api/admin/events?code=nonsense", TOKEN, None).await;
        assert_eq!(bad.code(), "malformed_request");
    }
}

mod command {
    use super::*;

    #[tokio::test]
    async fn the_events_subcommand_prints_the_log_as_json_lines() {
        let server = admin_server();
        password_sign_in(&server, "nobody@example.com", "not-the-password-1").await;
        let mut device = Device::new(Algorithm::Es256);
        server.sign_up(&mut device, "ada@example.com").await;
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_latchkey-server"))
            .args(["events", "--limit", "10"])
            .env("LATCHKEY_DATABASE_URL", &server.state.config.database_url)
            .env("LATCHKEY_OUTBOX_DIR", server.outbox())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let lines: Vec<Value> =
            String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let codes: Vec<&str> = lines.iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["sign_in_failed", "sign_up"], "oldest first");
        assert_eq!(lines[1]["email"], "ada@example.com");
        let refused = std::process::Command::new(env!("CARGO_BIN_EXE_latchkey-server"))
            .args(["events", "--bogus"])
            .env("LATCHKEY_DATABASE_URL", &server.state.config.database_url)
            .env("LATCHKEY_OUTBOX_DIR", server.outbox())
            .output()
            .unwrap();
        assert!(!refused.status.success());
    }
}

mod users {
    use super::*;

    async fn user_id(server: &TestServer, email: &str) -> i64 {
        let found = as_admin(server, "GET", &format!("/api/admin/users?email={email}"), TOKEN, None).await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        found.body[0]["id"].as_i64().unwrap()
    }

    #[tokio::test]
    async fn users_are_found_by_the_start_of_their_email_with_their_passkeys_sessions_and_events() {
        let server = admin_server();
        let mut device = Device::new(Algorithm::Es256);
        server.sign_up(&mut device, "ada@example.com").await;
        let password = json!({ "email": "adam@example.com", "password": STRONG });
        server.post("/api/password/signup", &password).await;
        server.post("/api/password/signup", &json!({ "email": "bob@example.com", "password": STRONG })).await;
        let found = as_admin(&server, "GET", "/api/admin/users?email=ADA", TOKEN, None).await;
        let emails: Vec<&str> = found.body.as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
        assert_eq!(emails, ["ada@example.com", "adam@example.com"], "prefix, case ignored, by email");
        let wildcard = as_admin(&server, "GET", "/api/admin/users?email=%25", TOKEN, None).await;
        assert_eq!(wildcard.body, json!([]), "a % is a character, not a wildcard");

        let ada = user_id(&server, "ada").await;
        let detail = as_admin(&server, "GET", &format!("/api/admin/users/{ada}"), TOKEN, None).await;
        assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
        assert_eq!(
            (detail.body["user"]["passkeys"].as_u64(), detail.body["user"]["hasPassword"].as_bool()),
            (Some(1), Some(false))
        );
        assert_eq!(detail.body["passkeys"].as_array().unwrap().len(), 1);
        assert_eq!(detail.body["sessions"][0]["methods"], json!(["swk", "user"]));
        assert_eq!(detail.body["events"][0]["code"], "sign_up");
        assert_eq!(as_admin(&server, "GET", "/api/admin/users/999", TOKEN, None).await.code(), "not_found");
        assert_eq!(as_admin(&server, "GET", "/api/admin/users", "wrong-token", None).await.code(), "forbidden");
    }

    #[tokio::test]
    async fn a_disabled_account_cannot_sign_in_by_any_method_and_its_sessions_end() {
        let server = admin_server();
        let mut device = Device::new(Algorithm::Es256);
        let cookie = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
        let password = json!({ "email": "pat@example.com", "password": STRONG });
        let pat_cookie = server.post("/api/password/signup", &password).await.cookie.unwrap();
        let (ada, pat) = (user_id(&server, "ada").await, user_id(&server, "pat").await);
        for id in [ada, pat] {
            let disabled = as_admin(&server, "POST", &format!("/api/admin/users/{id}/disable"), TOKEN, None).await;
            assert_eq!((disabled.status, disabled.body["disabled"].as_bool()), (StatusCode::OK, Some(true)));
        }
        assert_eq!(server.counts().await.live_sessions, 0, "their sessions ended");
        for cookie in [&cookie, &pat_cookie] {
            assert_eq!(server.get_with_cookie("/api/session", cookie).await.status, StatusCode::NO_CONTENT);
        }
        let passkey = server.sign_in(&mut device).await;
        assert_eq!((passkey.status, passkey.code()), (StatusCode::FORBIDDEN, "account_disabled"), "passkey included");
        let by_password = password_sign_in(&server, "pat@example.com", STRONG).await;
        assert_eq!(by_password.code(), "account_disabled");
        let wrong = password_sign_in(&server, "pat@example.com", "not-the-password-at-all").await;
        assert_eq!(wrong.code(), "wrong_password", "nothing is told before the password is proved");
        assert_eq!(server.counts().await.live_sessions, 0);
        assert!(codes(&server).await.ends_with(&[
            "sign_in_failed".to_owned(),
            "sign_in_failed".into(),
            "sign_in_failed".into()
        ]));

        let enabled = as_admin(&server, "POST", &format!("/api/admin/users/{ada}/enable"), TOKEN, None).await;
        assert_eq!(enabled.body["disabled"], false);
        assert_eq!(server.sign_in(&mut device).await.status, StatusCode::OK, "enabled again, the passkey works");
        let codes = codes(&server).await;
        assert!(codes.contains(&"account_disabled".to_owned()) && codes.contains(&"account_enabled".to_owned()));
    }

    #[tokio::test]
    async fn deleting_an_account_removes_everything_of_it() {
        let server = admin_server();
        let mut device = Device::new(Algorithm::Es256);
        server.sign_up(&mut device, "ada@example.com").await;
        let ada = user_id(&server, "ada").await;
        let deleted = as_admin(&server, "DELETE", &format!("/api/admin/users/{ada}"), TOKEN, None).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        let counts = server.counts().await;
        assert_eq!((counts.users, counts.passkeys, counts.sessions), (0, 0, 0));
        assert_eq!(
            as_admin(&server, "DELETE", &format!("/api/admin/users/{ada}"), TOKEN, None).await.code(),
            "not_found"
        );
        assert_eq!(codes(&server).await.last().map(String::as_str), Some("account_deleted"));
        assert_eq!(server.sign_in(&mut device).await.code(), "credential_unknown");
    }
}
