//! The journeys beside passkey-only sign-in, through the API with real signatures and a real SQLite
//! file: identifier-first sign-in and its enumeration rule, passwords and their reset, progressive and
//! local enrollment, and the passkey as a second factor.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::http::StatusCode;
use latchkey_server::config::Mfa;
use serde_json::{Value, json};
use support::{Algorithm, Answer, Device, TestServer};

const STRONG: &str = "velvet-anchor-tulip-92";

async fn password_account(server: &TestServer, email: &str) -> Answer {
    let answer = server.post("/api/password/signup", &json!({ "email": email, "password": STRONG })).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer
}

async fn password_sign_in(server: &TestServer, email: &str, password: &str) -> Answer {
    server.post("/api/password/signin", &json!({ "email": email, "password": password })).await
}

async fn identify(server: &TestServer, email: &str) -> Value {
    let answer = server.post("/api/signin/identify", &json!({ "email": email })).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

/// Adds a passkey to the signed-in account (progressive enrollment's modal path).
async fn add_passkey(server: &TestServer, cookie: &str, device: &mut Device) -> Answer {
    let started = server.post_as("/api/passkeys/start", cookie, &json!({})).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let created = device.create(&started.body["publicKey"]).await;
    let body = json!({ "ceremony": started.body["ceremony"], "credential": created });
    server.post_as("/api/passkeys/finish", cookie, &body).await
}

/// The member names of a JSON object, recursively, with array items merged: the shape of an answer.
fn shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), shape(v))).collect::<serde_json::Map<_, _>>().into(),
        Value::Array(items) => Value::Array(items.first().map(shape).into_iter().collect()),
        Value::String(_) => json!("string"),
        Value::Number(_) => json!("number"),
        Value::Bool(_) => json!("bool"),
        Value::Null => Value::Null,
    }
}

mod enumeration {
    use super::*;

    #[tokio::test]
    async fn an_unknown_email_gets_the_same_shape_as_an_account_with_passkeys() {
        let server = TestServer::new();
        let mut device = Device::new(Algorithm::Es256);
        server.sign_up(&mut device, "ada@example.com").await;
        let known = identify(&server, "ada@example.com").await;
        // Find an unknown email whose stand-in has passkeys (about three in four do).
        let unknown = (0..20)
            .map(|i| format!("nobody{i}@example.com"))
            .find(|email| !server_blocking_identify(&server, email).is_null())
            .unwrap();
        let unknown = identify(&server, &unknown).await;
        assert_eq!(shape(&known), shape(&unknown), "{known} vs {unknown}");
        let ids = |v: &Value| v["passkey"]["publicKey"]["allowCredentials"].as_array().unwrap().len();
        assert!(ids(&known) == 1 && ids(&unknown) >= 1);
        assert_eq!(server.counts().await.users, 1, "asking creates nothing");
    }

    fn server_blocking_identify(server: &TestServer, email: &str) -> Value {
        let key = server.state.stand_in_key.clone();
        latchkey_server::stand_in::credentials(&key, email).map_or(Value::Null, |c| json!(c.len()))
    }

    #[tokio::test]
    async fn the_stand_in_for_an_unknown_email_is_the_same_every_time() {
        let server = TestServer::new();
        // An email whose stand-in has passkeys under this server's secret (about three in four do).
        let key = server.state.stand_in_key.clone();
        let ghost = (0..100)
            .map(|i| format!("ghost{i}@example.com"))
            .find(|e| latchkey_server::stand_in::credentials(&key, e).is_some())
            .unwrap();
        let first = identify(&server, &ghost).await;
        let second = identify(&server, &ghost.replace("ghost", "Ghost").replace("example", "Example")).await;
        let ids = |v: &Value| v["passkey"]["publicKey"]["allowCredentials"].clone();
        assert_eq!(ids(&first), ids(&second));
        assert_ne!(first["passkey"]["publicKey"]["challenge"], second["passkey"]["publicKey"]["challenge"]);
    }

    #[tokio::test]
    async fn an_account_without_passkeys_gets_the_password_field_as_some_unknown_emails_do() {
        let server = TestServer::new();
        password_account(&server, "pat@example.com").await;
        assert_eq!(identify(&server, "pat@example.com").await, json!({ "passkey": null }));
        let key = server.state.stand_in_key.clone();
        let lookalike = (0..100)
            .map(|i| format!("nobody{i}@example.com"))
            .find(|e| latchkey_server::stand_in::credentials(&key, e).is_none())
            .unwrap();
        assert_eq!(identify(&server, &lookalike).await, json!({ "passkey": null }));
    }

    #[tokio::test]
    async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
        let server = TestServer::new();
        password_account(&server, "pat@example.com").await;
        let wrong = password_sign_in(&server, "pat@example.com", "not-the-password-1").await;
        let unknown = password_sign_in(&server, "nobody@example.com", "not-the-password-1").await;
        let passkey_only = {
            let mut device = Device::new(Algorithm::Es256);
            server.sign_up(&mut device, "ada@example.com").await;
            password_sign_in(&server, "ada@example.com", STRONG).await
        };
        for answer in [&wrong, &unknown, &passkey_only] {
            assert_eq!((answer.status, answer.code()), (StatusCode::UNAUTHORIZED, "wrong_password"));
            assert_eq!(answer.body, wrong.body);
            assert!(answer.cookie.is_none());
        }
    }

    #[tokio::test]
    async fn identifier_first_sign_in_with_the_listed_passkey() {
        let server = TestServer::new();
        let mut device = Device::new(Algorithm::Es256);
        server.sign_up(&mut device, "ada@example.com").await;
        let identified = identify(&server, "ada@example.com").await;
        let ceremony = &identified["passkey"]["ceremony"];
        let asserted = device.get(&identified["passkey"]["publicKey"]).await;
        let signed_in = server.finish("/api/signin/verify", ceremony.as_str().unwrap(), &asserted).await;
        assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
        assert_eq!(signed_in.body["session"]["methods"], json!(["swk", "user"]));
        assert_eq!(signed_in.body["next"], "done");
    }
}

mod passwords {
    use super::*;

    #[tokio::test]
    async fn sign_up_with_a_password_signs_in_with_pwd() {
        let server = TestServer::new();
        let answer = password_account(&server, "Pat@Example.com").await;
        assert_eq!(answer.body["session"]["methods"], json!(["pwd"]));
        assert_eq!(answer.body["next"], "done", "no passkey offer right after turning one down");
        let stored = server.query_text("SELECT password_hash FROM users").await;
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(!stored.contains(STRONG));
    }

    #[tokio::test]
    async fn the_password_rules_refuse_and_create_nothing() {
        let server = TestServer::new();
        for (password, code) in [
            ("short", "password_too_short"),
            (&*"x7".repeat(65), "password_too_long"),
            ("password1", "password_too_common"),
            ("qwertyuiop", "password_too_common"),
            ("pat.example2024", "password_too_common"),
        ] {
            let answer = server
                .post("/api/password/signup", &json!({ "email": "pat.example@mail.com", "password": password }))
                .await;
            assert_eq!((answer.status, answer.code()), (StatusCode::BAD_REQUEST, code), "{password}");
        }
        assert_eq!(server.counts().await.users, 0);
    }

    #[tokio::test]
    async fn a_taken_email_is_refused_for_password_sign_up() {
        let server = TestServer::new();
        password_account(&server, "pat@example.com").await;
        let again =
            server.post("/api/password/signup", &json!({ "email": "PAT@example.com", "password": STRONG })).await;
        assert_eq!(again.code(), "email_taken");
    }

    /// The reset link mailed to pat@, if its mail has arrived (security notifications may be there too).
    fn reset_link(server: &TestServer) -> Option<String> {
        let text = server.mails().into_iter().find(|text| text.contains("#latchkey-reset="))?;
        assert!(text.contains("To: pat@example.com"), "{text}");
        support::reset_token_in(&text)
    }

    pub(super) async fn wait_for_mail(server: &TestServer) -> String {
        for _ in 0..100 {
            if let Some(link) = reset_link(server) {
                return link;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("no mail arrived");
    }

    #[tokio::test]
    async fn a_reset_link_sets_a_new_password_once_and_signs_every_session_out() {
        let server = TestServer::new();
        let first = password_account(&server, "pat@example.com").await;
        password_sign_in(&server, "pat@example.com", STRONG).await;
        assert_eq!(server.counts().await.live_sessions, 2);
        let forgot = server.post("/api/password/forgot", &json!({ "email": "pat@example.com" })).await;
        assert_eq!(forgot.status, StatusCode::NO_CONTENT);
        let token = wait_for_mail(&server).await;
        // The token was minted as the mail was sent: the database has its hash, and the link nowhere.
        let in_outbox = format!("SELECT count(*) FROM outbox WHERE body LIKE '%{token}%'");
        assert_eq!(server.state.store.query_i64_for_tests(in_outbox).await.unwrap(), 0);
        assert_eq!(server.query_i64("SELECT count(*) FROM password_resets").await, 1);
        let new_password = "marble-otter-sunrise-58";
        let reset = server.post("/api/password/reset", &json!({ "token": token, "password": new_password })).await;
        assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
        assert_eq!(server.counts().await.live_sessions, 0, "a reset signs every session out");
        let old_cookie = first.cookie.unwrap();
        assert_eq!(server.get_with_cookie("/api/session", &old_cookie).await.status, StatusCode::NO_CONTENT);
        assert_eq!(password_sign_in(&server, "pat@example.com", STRONG).await.code(), "wrong_password");
        assert_eq!(password_sign_in(&server, "pat@example.com", new_password).await.status, StatusCode::OK);
        let again =
            server.post("/api/password/reset", &json!({ "token": token, "password": "another-fine-pass-77" })).await;
        assert_eq!((again.status, again.code()), (StatusCode::GONE, "reset_link_invalid"), "single use");
    }

    #[tokio::test]
    async fn forgot_password_is_limited_to_three_an_hour_per_address_with_or_without_an_account() {
        let server = TestServer::new();
        password_account(&server, "pat@example.com").await;
        for email in ["pat@example.com", "nobody@example.com"] {
            let body = json!({ "email": email });
            let mut answers: Vec<Answer> = Vec::new();
            for _ in 0..5 {
                answers.push(server.post("/api/password/forgot", &body).await);
            }
            let statuses: Vec<StatusCode> = answers.iter().map(|answer| answer.status).collect();
            let sent = statuses.iter().filter(|s| **s == StatusCode::NO_CONTENT).count();
            let limited = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
            assert_eq!((sent, limited), (3, 2), "{email}: {statuses:?}");
            let refused = answers.iter().find(|answer| answer.status == StatusCode::TOO_MANY_REQUESTS).unwrap();
            assert_eq!(refused.code(), "rate_limited");
            let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
            assert!((3_500..=3_600).contains(&wait), "the rest of the hour: {wait}");
            assert_eq!(refused.body["retryAfter"], wait);
        }
        // The mail leaves in the background: wait (up to 5 s) for the three, then make sure no fourth follows.
        let mails = || server.reset_tokens().len();
        for _ in 0..250 {
            if mails() >= 3 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(mails(), 3);
        assert_eq!(server.query_i64("SELECT count(*) FROM password_resets").await, 3);
    }

    #[tokio::test]
    async fn a_spoofed_host_does_not_move_the_reset_link() {
        // CVE-2026-135175's mistake: a link built from the request's `Host` or `X-Forwarded-Host` would
        // send the token to the attacker's site. The link follows the configuration alone.
        use axum::{body::Body, http::Request};
        let server = TestServer::new();
        password_account(&server, "pat@example.com").await;
        let request = Request::post("/api/password/forgot")
            .header("content-type", "application/json")
            .header("host", "evil.example")
            .header("x-forwarded-host", "evil.example")
            .header("forwarded", "host=evil.example;proto=https")
            .body(Body::from(json!({ "email": "pat@example.com" }).to_string()))
            .unwrap();
        assert_eq!(server.send(request).await.status, StatusCode::NO_CONTENT);
        wait_for_mail(&server).await;
        let mails = server.mails();
        assert!(mails.iter().all(|m| !m.contains("evil.example")), "{mails:?}");
        let text = mails.into_iter().find(|m| m.contains("#latchkey-reset=")).unwrap();
        assert!(text.contains("http://localhost:8080/#latchkey-reset="), "the configured origin: {text}");
    }

    #[tokio::test]
    async fn an_expired_reset_link_is_refused_and_an_unknown_email_gets_no_mail() {
        let server = TestServer::new();
        password_account(&server, "pat@example.com").await;
        let unknown = server.post("/api/password/forgot", &json!({ "email": "nobody@example.com" })).await;
        assert_eq!(unknown.status, StatusCode::NO_CONTENT, "the same answer as for an account");
        server.post("/api/password/forgot", &json!({ "email": "pat@example.com" })).await;
        let token = wait_for_mail(&server).await;
        assert_eq!(server.reset_tokens().len(), 1, "only the account got a reset link");
        assert!(!server.mails().iter().any(|m| m.contains("To: nobody@example.com")), "the unknown email got no mail");
        server.exec("UPDATE password_resets SET expires_at = expires_at - 15 * 60 - 1").await;
        let reset =
            server.post("/api/password/reset", &json!({ "token": token, "password": "marble-otter-sunrise-58" })).await;
        assert_eq!(reset.code(), "reset_link_invalid");
        assert_eq!(password_sign_in(&server, "pat@example.com", STRONG).await.status, StatusCode::OK);
    }
}

mod enrollment {
    use super::*;

    #[tokio::test]
    async fn a_password_sign_in_offers_a_passkey_which_is_named_and_then_not_offered_again() {
        let server = TestServer::new();
        password_account(&server, "pat@example.com").await;
        let signed_in = password_sign_in(&server, "pat@example.com", STRONG).await;
        assert_eq!(signed_in.body["next"], "offer_passkey");
        let cookie = signed_in.cookie.unwrap();
        let mut device = Device::new(Algorithm::Es256);
        let added = add_passkey(&server, &cookie, &mut device).await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
        assert_eq!(added.body["passkey"]["name"], "Chrome on Linux", "named after the browser and system");
        let id = added.body["passkey"]["id"].clone();
        let renamed =
            server.post_as("/api/passkeys/rename", &cookie, &json!({ "id": id, "name": " Work laptop " })).await;
        assert_eq!(renamed.status, StatusCode::NO_CONTENT);
        let name = server.query_text("SELECT name FROM passkeys").await;
        assert_eq!(name, "Work laptop");
        assert_eq!(password_sign_in(&server, "pat@example.com", STRONG).await.body["next"], "done");
        assert_eq!(server.sign_in(&mut device).await.status, StatusCode::OK, "the new passkey signs in");
    }

    #[tokio::test]
    async fn not_now_snoozes_the_offer_and_dont_ask_again_stops_it() {
        let server = TestServer::new();
        password_account(&server, "pat@example.com").await;
        let cookie = password_sign_in(&server, "pat@example.com", STRONG).await.cookie.unwrap();
        let snooze = server.post_as("/api/passkeys/decline", &cookie, &json!({ "forever": false })).await;
        assert_eq!(snooze.status, StatusCode::NO_CONTENT);
        assert_eq!(password_sign_in(&server, "pat@example.com", STRONG).await.body["next"], "done");
        // 30 days later the offer comes back.
        server.exec("UPDATE users SET passkey_offer_after = passkey_offer_after - 30 * 86400").await;
        let later = password_sign_in(&server, "pat@example.com", STRONG).await;
        assert_eq!(later.body["next"], "offer_passkey");
        let cookie = later.cookie.unwrap();
        server.post_as("/api/passkeys/decline", &cookie, &json!({ "forever": true })).await;
        server.exec("UPDATE users SET passkey_offer_after = 0").await;
        assert_eq!(password_sign_in(&server, "pat@example.com", STRONG).await.body["next"], "done");
    }

    #[tokio::test]
    async fn progressive_enrollment_off_makes_no_offer() {
        let server = TestServer::with_config(|c| c.progressive_enrollment = false);
        password_account(&server, "pat@example.com").await;
        assert_eq!(password_sign_in(&server, "pat@example.com", STRONG).await.body["next"], "done");
    }

    #[tokio::test]
    async fn a_sign_in_with_a_passkey_from_another_device_offers_one_here() {
        let server = TestServer::new();
        let mut device = Device::new(Algorithm::Es256);
        server.sign_up(&mut device, "ada@example.com").await;
        let (ceremony, options) = server.start_sign_in().await;
        let mut asserted = device.get(&options).await;
        // The attachment is the client's report, outside the signature, as a browser would set it.
        asserted["authenticatorAttachment"] = json!("cross-platform");
        let answer = server.finish("/api/signin/finish", &ceremony, &asserted).await;
        assert_eq!(answer.body["next"], "offer_local_passkey");
        let (ceremony, options) = server.start_sign_in().await;
        let mut here = device.get(&options).await;
        here["authenticatorAttachment"] = json!("platform");
        assert_eq!(server.finish("/api/signin/finish", &ceremony, &here).await.body["next"], "done");
    }

    #[tokio::test]
    async fn adding_a_passkey_needs_a_session_and_respects_the_cap() {
        let server = TestServer::with_config(|c| c.passkeys_per_user = 1);
        let anonymous = server.post("/api/passkeys/start", &json!({})).await;
        assert_eq!((anonymous.status, anonymous.code()), (StatusCode::UNAUTHORIZED, "not_signed_in"));
        let cookie = password_account(&server, "pat@example.com").await.cookie.unwrap();
        assert_eq!(add_passkey(&server, &cookie, &mut Device::new(Algorithm::Es256)).await.status, StatusCode::OK);
        let second = server.post_as("/api/passkeys/start", &cookie, &json!({})).await;
        assert_eq!(second.code(), "too_many_passkeys");
    }

    #[tokio::test]
    async fn another_device_and_automatic_upgrade_options() {
        let server = TestServer::new();
        let cookie = password_account(&server, "pat@example.com").await.cookie.unwrap();
        let hybrid = server.post_as("/api/passkeys/start", &cookie, &json!({ "otherDevice": true })).await;
        let selection = &hybrid.body["publicKey"]["authenticatorSelection"];
        assert_eq!(selection["authenticatorAttachment"], "cross-platform");
        assert_eq!(hybrid.body["publicKey"]["hints"], json!(["hybrid"]));
        let conditional = server.post_as("/api/passkeys/start", &cookie, &json!({ "conditional": true })).await;
        assert_eq!(conditional.body["publicKey"]["authenticatorSelection"]["userVerification"], "discouraged");
    }
}

mod second_factor {
    use super::*;

    fn mfa_server() -> TestServer {
        TestServer::with_config(|c| c.mfa = Mfa::Passkey)
    }

    /// Pat has a password and a passkey; returns Pat's device.
    async fn pat_with_passkey(server: &TestServer) -> Device {
        let mut device = Device::new(Algorithm::Es256);
        let cookie = password_account(server, "pat@example.com").await;
        // Under the policy, sign-up with a password asks for a passkey before any session.
        assert_eq!(cookie.body["next"], "enroll_second_factor");
        enroll(server, &cookie.body, &mut device).await;
        device
    }

    async fn enroll(server: &TestServer, step: &Value, device: &mut Device) -> Answer {
        let marker = step["ceremony"]["ceremony"].clone();
        let started = server.post("/api/passkeys/start", &json!({ "ceremony": marker })).await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.body);
        let created = device.create(&started.body["publicKey"]).await;
        server.finish("/api/passkeys/finish", started.body["ceremony"].as_str().unwrap(), &created).await
    }

    #[tokio::test]
    async fn a_password_alone_starts_no_session_and_the_owners_passkey_completes_it() {
        let server = mfa_server();
        let mut device = pat_with_passkey(&server).await;
        let live = server.counts().await.live_sessions;
        let step = password_sign_in(&server, "pat@example.com", STRONG).await;
        assert_eq!(step.status, StatusCode::OK);
        assert_eq!((step.body["next"].as_str(), step.body.get("session")), (Some("second_factor"), None));
        assert!(step.cookie.is_none(), "no session before the passkey");
        assert_eq!(server.counts().await.live_sessions, live);
        let options = &step.body["ceremony"]["publicKey"];
        assert_eq!(options["allowCredentials"].as_array().unwrap().len(), 1);
        let asserted = device.get(options).await;
        let done =
            server.finish("/api/signin/verify", step.body["ceremony"]["ceremony"].as_str().unwrap(), &asserted).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(done.body["session"]["methods"], json!(["pwd", "swk", "user"]));
    }

    #[tokio::test]
    async fn a_pending_second_factor_cannot_register_a_passkey() {
        // CVE-2026-111949's shape: Mallory knows Pat's password, so she gets Pat's second-factor step,
        // and tries to enroll a passkey of her own with it instead of answering it.
        let server = mfa_server();
        pat_with_passkey(&server).await;
        let step = password_sign_in(&server, "pat@example.com", STRONG).await;
        assert_eq!(step.body["next"], "second_factor");
        let before = server.counts().await;
        let pending = step.body["ceremony"]["ceremony"].clone();
        let started = server.post("/api/passkeys/start", &json!({ "ceremony": pending })).await;
        assert_eq!((started.status, started.code()), (StatusCode::GONE, "ceremony_unknown"), "{}", started.body);
        assert_eq!(server.counts().await, before, "no passkey, no session");
    }

    #[tokio::test]
    async fn another_users_valid_assertion_does_not_complete_the_second_factor() {
        // CVE-2026-46419's scenario: Mallory knows Pat's password and answers Pat's passkey challenge with
        // Mallory's own discoverable passkey, validly signed over the same challenge.
        let server = mfa_server();
        pat_with_passkey(&server).await;
        let mut mallory = Device::new(Algorithm::Es256);
        assert_eq!(server.sign_up(&mut mallory, "mallory@example.com").await.status, StatusCode::OK);
        let before = server.counts().await;
        let step = password_sign_in(&server, "pat@example.com", STRONG).await;
        let mut options = step.body["ceremony"]["publicKey"].clone();
        options["allowCredentials"] = json!([]);
        let forged = mallory.get(&options).await;
        let refused =
            server.finish("/api/signin/verify", step.body["ceremony"]["ceremony"].as_str().unwrap(), &forged).await;
        assert_eq!(
            (refused.status, refused.code()),
            (StatusCode::FORBIDDEN, "credential_rejected"),
            "{}",
            refused.body
        );
        assert!(refused.cookie.is_none());
        assert_eq!(server.counts().await, before, "no session, no counter change");
    }

    #[tokio::test]
    async fn one_verified_password_enrolls_one_passkey() {
        let server = mfa_server();
        let step = password_account(&server, "pat@example.com").await;
        enroll(&server, &step.body, &mut Device::new(Algorithm::Es256)).await;
        let marker = step.body["ceremony"]["ceremony"].clone();
        let again = server.post("/api/passkeys/start", &json!({ "ceremony": marker })).await;
        assert_eq!(again.code(), "ceremony_unknown", "the enrollment was used up");
    }

    #[tokio::test]
    async fn two_prompts_started_from_one_enrollment_enroll_one_passkey() {
        let server = mfa_server();
        let step = password_account(&server, "pat@example.com").await;
        let marker = step.body["ceremony"]["ceremony"].clone();
        let first = server.post("/api/passkeys/start", &json!({ "ceremony": marker })).await;
        let second = server.post("/api/passkeys/start", &json!({ "ceremony": marker })).await;
        let (mut one, mut two) = (Device::new(Algorithm::Es256), Device::new(Algorithm::Es256));
        let (made_first, made_second) =
            (one.create(&first.body["publicKey"]).await, two.create(&second.body["publicKey"]).await);
        let enrolled =
            server.finish("/api/passkeys/finish", first.body["ceremony"].as_str().unwrap(), &made_first).await;
        assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
        let before = server.counts().await;
        let refused =
            server.finish("/api/passkeys/finish", second.body["ceremony"].as_str().unwrap(), &made_second).await;
        assert_eq!((refused.status, refused.code()), (StatusCode::GONE, "ceremony_unknown"), "{}", refused.body);
        assert_eq!(server.counts().await, before, "no second passkey, no second session");
    }

    #[tokio::test]
    async fn a_reset_ends_second_factor_ceremonies_begun_with_the_old_password() {
        let server = mfa_server();
        let mut device = pat_with_passkey(&server).await;
        let step = password_sign_in(&server, "pat@example.com", STRONG).await;
        server.post("/api/password/forgot", &json!({ "email": "pat@example.com" })).await;
        let token = super::passwords::wait_for_mail(&server).await;
        let reset =
            server.post("/api/password/reset", &json!({ "token": token, "password": "marble-otter-sunrise-58" })).await;
        assert_eq!(reset.status, StatusCode::NO_CONTENT);
        let asserted = device.get(&step.body["ceremony"]["publicKey"]).await;
        let late =
            server.finish("/api/signin/verify", step.body["ceremony"]["ceremony"].as_str().unwrap(), &asserted).await;
        assert_eq!(late.code(), "ceremony_unknown");
        assert!(late.cookie.is_none());
    }

    #[tokio::test]
    async fn a_passkey_sign_in_needs_no_password() {
        let server = mfa_server();
        let mut device = pat_with_passkey(&server).await;
        let signed_in = server.sign_in(&mut device).await;
        assert_eq!(signed_in.status, StatusCode::OK);
        assert_eq!(signed_in.body["session"]["methods"], json!(["swk", "user"]));
    }

    #[tokio::test]
    async fn enrolling_the_first_passkey_completes_the_sign_in() {
        let server = mfa_server();
        let mut device = Device::new(Algorithm::Es256);
        let step = password_account(&server, "pat@example.com").await;
        assert!(step.cookie.is_none());
        let enrolled = enroll(&server, &step.body, &mut device).await;
        assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
        assert_eq!(enrolled.body["session"]["methods"], json!(["pwd", "swk", "user"]));
        assert!(enrolled.cookie.is_some());
        assert_eq!(server.counts().await.passkeys, 1);
    }
}
