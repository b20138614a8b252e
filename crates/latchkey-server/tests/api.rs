//! The API end to end through `oneshot`: real ceremonies from a software authenticator, real
//! signatures, a real SQLite file; every refusal checks its error code and that nothing changed.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{
    Algorithm, Counts, Device, TestServer, assert_refused, decode, encode, signed_up, tamper,
    tamper_registration_auth_data, with_client_data, with_credential_id_of,
};

const SIGN_UP_FINISH: &str = "/api/signup/finish";
const SIGN_IN_FINISH: &str = "/api/signin/finish";

mod happy_paths {
    use super::*;

    async fn sign_up_then_sign_in(algorithm: Algorithm) {
        let server = TestServer::new();
        let mut device = Device::new(algorithm);
        let (ceremony, options) = server.start_sign_up("Ada@Example.com").await;
        assert_eq!(options["authenticatorSelection"]["residentKey"], "required");
        assert_eq!(options["rp"], json!({ "name": "Latchkey demo", "id": "localhost" }));
        let created = device.create(&options).await;
        let signed_up = server.finish(SIGN_UP_FINISH, &ceremony, &created).await;
        assert_eq!(signed_up.status, StatusCode::OK, "{}", signed_up.body);
        assert_eq!(
            signed_up.body["session"]["user"],
            json!({ "email": "Ada@example.com", "displayName": "Ada@example.com" })
        );
        assert_eq!(signed_up.body["session"]["methods"], json!(["swk", "user"]));
        let cookie = signed_up.cookie.clone().unwrap();
        let counts = server.counts().await;
        assert_eq!((counts.users, counts.passkeys, counts.sessions), (1, 1, 1));

        let session = server.get_with_cookie("/api/session", &cookie).await;
        assert_eq!(session.body["user"]["email"], "Ada@example.com");

        let (ceremony, options) = server.start_sign_in().await;
        assert_eq!(options["allowCredentials"], json!([]));
        let asserted = device.get(&options).await;
        let signed_in = server.finish(SIGN_IN_FINISH, &ceremony, &asserted).await;
        assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
        assert_eq!(signed_in.body["session"]["methods"], json!(["swk", "user"]));
        let second_cookie = signed_in.cookie.unwrap();
        assert_ne!(second_cookie, cookie, "every sign-in gets a new session ID");
        assert_eq!(server.query_i64("SELECT sign_count FROM passkeys").await, 1);
        assert_eq!(server.query_i64("SELECT last_used_at IS NOT NULL FROM passkeys").await, 1);
    }

    #[tokio::test]
    async fn es256_passkey_signs_up_and_in() {
        sign_up_then_sign_in(Algorithm::Es256).await;
    }

    #[tokio::test]
    async fn ed25519_passkey_signs_up_and_in() {
        sign_up_then_sign_in(Algorithm::Ed25519).await;
    }

    #[tokio::test]
    async fn sign_out_revokes_the_session() {
        let server = TestServer::new();
        let mut device = Device::new(Algorithm::Es256);
        let cookie = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
        let request = axum::http::Request::post("/api/signout")
            .header(axum::http::header::COOKIE, &cookie)
            .body(axum::body::Body::empty())
            .unwrap();
        let out = server.send(request).await;
        assert_eq!(out.status, StatusCode::NO_CONTENT);
        assert!(out.cookie.unwrap().ends_with('='), "the cookie is cleared");
        let session = server.get_with_cookie("/api/session", &cookie).await;
        assert_eq!(session.status, StatusCode::NO_CONTENT);
    }

    #[tokio::test]
    async fn https_deployments_use_a_host_prefixed_secure_cookie() {
        let server = TestServer::with_config(|c| c.origins = vec!["https://localhost:8443".into()]);
        let mut device = Device::at_origin(Algorithm::Es256, "https://localhost:8443");
        let answer = server.sign_up(&mut device, "ada@example.com").await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert!(answer.cookie.unwrap().starts_with("__Host-latchkey="));
    }

    #[tokio::test]
    async fn a_display_name_is_kept() {
        let server = TestServer::new();
        let started =
            server.post("/api/signup/start", &json!({ "email": "ada@example.com", "displayName": "Ada L." })).await;
        assert_eq!(started.body["publicKey"]["user"]["displayName"], "Ada L.");
        assert_eq!(started.body["publicKey"]["user"]["name"], "ada@example.com");
        assert!(decode(&started.body["publicKey"]["user"]["id"]).len() <= 64);
    }
}

mod refusals {
    use super::*;

    #[tokio::test]
    async fn an_email_with_an_account_is_refused_at_start() {
        let server = TestServer::new();
        signed_up(&server, Algorithm::Es256, "ada@example.com").await;
        let before = server.counts().await;
        let again = server.post("/api/signup/start", &json!({ "email": "ADA@example.com" })).await;
        assert_refused(&server, &before, &again, StatusCode::CONFLICT, "email_taken").await;
    }

    #[tokio::test]
    async fn two_sign_ups_racing_for_one_email_create_one_account() {
        let server = TestServer::new();
        let (first, first_options) = server.start_sign_up("ada@example.com").await;
        let (second, second_options) = server.start_sign_up("ada@example.com").await;
        let mut device = Device::new(Algorithm::Es256);
        let ok = server.finish(SIGN_UP_FINISH, &first, &device.create(&first_options).await).await;
        assert_eq!(ok.status, StatusCode::OK);
        let before = server.counts().await;
        let late = server.finish(SIGN_UP_FINISH, &second, &device.create(&second_options).await).await;
        assert_refused(&server, &before, &late, StatusCode::CONFLICT, "email_taken").await;
    }

    #[tokio::test]
    async fn a_replayed_assertion_is_refused() {
        let server = TestServer::new();
        let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
        let (ceremony, options) = server.start_sign_in().await;
        let asserted = device.get(&options).await;
        assert_eq!(server.finish(SIGN_IN_FINISH, &ceremony, &asserted).await.status, StatusCode::OK);
        let before = server.counts().await;

        // The same body again: its ceremony is gone.
        let replay = server.finish(SIGN_IN_FINISH, &ceremony, &asserted).await;
        assert_refused(&server, &before, &replay, StatusCode::GONE, "ceremony_unknown").await;
        // The old assertion under a fresh ceremony: its challenge is not the fresh one.
        let (fresh, _) = server.start_sign_in().await;
        let replay = server.finish(SIGN_IN_FINISH, &fresh, &asserted).await;
        assert_refused(&server, &before, &replay, StatusCode::FORBIDDEN, "credential_rejected").await;
    }

    #[tokio::test]
    async fn two_finishes_racing_for_one_ceremony_sign_in_once() {
        let server = TestServer::new();
        let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
        let (ceremony, options) = server.start_sign_in().await;
        let asserted = device.get(&options).await;
        let (first, second) = tokio::join!(
            server.finish(SIGN_IN_FINISH, &ceremony, &asserted),
            server.finish(SIGN_IN_FINISH, &ceremony, &asserted)
        );
        let mut outcomes = [first.status, second.status];
        outcomes.sort();
        assert_eq!(outcomes, [StatusCode::OK, StatusCode::GONE]);
        assert_eq!(server.counts().await.sessions, 2, "the sign-up's session and one sign-in");
    }

    #[tokio::test]
    async fn a_cloned_authenticator_racing_the_original_signs_in_once() {
        let server = TestServer::new();
        let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
        let mut clone = device.clone_authenticator();
        let (first, first_options) = server.start_sign_in().await;
        let (second, second_options) = server.start_sign_in().await;
        let (a, b) = (device.get(&first_options).await, clone.get(&second_options).await);
        assert_eq!(support::decode(&a["response"]["authenticatorData"])[33..37], [0, 0, 0, 1]);
        assert_eq!(support::decode(&b["response"]["authenticatorData"])[33..37], [0, 0, 0, 1]);
        let (first, second) =
            tokio::join!(server.finish(SIGN_IN_FINISH, &first, &a), server.finish(SIGN_IN_FINISH, &second, &b));
        let mut outcomes = [first.code().to_owned(), second.code().to_owned()];
        outcomes.sort();
        assert_eq!(outcomes, ["<none>", "counter_regression"], "{} {}", first.body, second.body);
        assert_eq!(server.query_i64("SELECT sign_count FROM passkeys").await, 1);
    }

    #[tokio::test]
    async fn a_sign_in_revokes_the_session_it_replaces() {
        let server = TestServer::new();
        let mut device = Device::new(Algorithm::Es256);
        let old = server.sign_up(&mut device, "ada@example.com").await.cookie.unwrap();
        let (ceremony, options) = server.start_sign_in().await;
        let asserted = device.get(&options).await;
        let request = axum::http::Request::post(SIGN_IN_FINISH)
            .header("content-type", "application/json")
            .header("cookie", &old)
            .body(axum::body::Body::from(json!({ "ceremony": ceremony, "credential": asserted }).to_string()))
            .unwrap();
        let new = server.send(request).await.cookie.unwrap();
        assert_eq!(server.get_with_cookie("/api/session", &old).await.status, StatusCode::NO_CONTENT);
        assert_eq!(server.get_with_cookie("/api/session", &new).await.status, StatusCode::OK);
    }

    #[tokio::test]
    async fn a_used_sign_up_ceremony_is_refused() {
        let server = TestServer::new();
        let mut device = Device::new(Algorithm::Es256);
        let (ceremony, options) = server.start_sign_up("ada@example.com").await;
        let created = device.create(&options).await;
        assert_eq!(server.finish(SIGN_UP_FINISH, &ceremony, &created).await.status, StatusCode::OK);
        let before = server.counts().await;
        let again = server.finish(SIGN_UP_FINISH, &ceremony, &created).await;
        assert_refused(&server, &before, &again, StatusCode::GONE, "ceremony_unknown").await;
    }

    #[tokio::test]
    async fn an_expired_ceremony_is_refused() {
        let server = TestServer::new();
        let mut device = Device::new(Algorithm::Es256);
        let (ceremony, options) = server.start_sign_up("ada@example.com").await;
        let created = device.create(&options).await;
        server.exec("UPDATE ceremonies SET expires_at = expires_at - 100000").await;
        let before = server.counts().await;
        let late = server.finish(SIGN_UP_FINISH, &ceremony, &created).await;
        assert_refused(&server, &before, &late, StatusCode::GONE, "ceremony_expired").await;
    }

    #[tokio::test]
    async fn a_sign_in_ceremony_cannot_finish_a_sign_up() {
        let server = TestServer::new();
        let mut device = Device::new(Algorithm::Es256);
        let (_, options) = server.start_sign_up("ada@example.com").await;
        let created = device.create(&options).await;
        let (sign_in_ceremony, _) = server.start_sign_in().await;
        let answer = server.finish(SIGN_UP_FINISH, &sign_in_ceremony, &created).await;
        assert_refused(&server, &Counts::default(), &answer, StatusCode::GONE, "ceremony_unknown").await;
    }

    #[tokio::test]
    async fn other_origins_are_refused_at_sign_up() {
        let server = TestServer::new();
        let empty = server.counts().await;
        for origin in [
            "https://localhost:8080",
            "http://localhost:8081",
            "http://localhost",
            "http://evil-localhost:8080",
            "http://localhost.evil.example:8080",
            "http://sub.localhost:8080",
        ] {
            let mut device = Device::new(Algorithm::Es256);
            let (ceremony, options) = server.start_sign_up("ada@example.com").await;
            let created = device.create(&options).await;
            let moved = with_client_data(&created, "\"http://localhost:8080\"", &format!("\"{origin}\""));
            let answer = server.finish(SIGN_UP_FINISH, &ceremony, &moved).await;
            assert_refused(&server, &empty, &answer, StatusCode::FORBIDDEN, "origin_not_allowed").await;
        }
    }

    #[tokio::test]
    async fn another_origin_is_refused_at_sign_in_even_when_signed() {
        let server = TestServer::new();
        let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
        let before = server.counts().await;
        let (ceremony, options) = server.start_sign_in().await;
        let asserted = device.get(&options).await;
        let moved =
            device.resign(&with_client_data(&asserted, "\"http://localhost:8080\"", "\"http://evil-localhost:8080\""));
        let answer = server.finish(SIGN_IN_FINISH, &ceremony, &moved).await;
        assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    }

    #[tokio::test]
    async fn a_tampered_signature_is_refused() {
        for algorithm in [Algorithm::Es256, Algorithm::Ed25519] {
            let server = TestServer::new();
            let mut device = signed_up(&server, algorithm, "ada@example.com").await;
            let before = server.counts().await;
            let (ceremony, options) = server.start_sign_in().await;
            let asserted = device.get(&options).await;
            // The last byte keeps an ES256 signature well-formed DER, so the signature check itself fails.
            let forged = tamper(&asserted, "/response/signature", |s| {
                let last = s.len() - 1;
                s[last] ^= 0x01;
            });
            let answer = server.finish(SIGN_IN_FINISH, &ceremony, &forged).await;
            assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "credential_rejected").await;
            assert_eq!(server.query_i64("SELECT sign_count FROM passkeys").await, 0, "the counter did not move");
        }
    }

    #[tokio::test]
    async fn a_wrong_rp_id_hash_is_refused() {
        let server = TestServer::new();
        let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
        let before = server.counts().await;
        let (ceremony, options) = server.start_sign_in().await;
        let asserted = device.get(&options).await;
        let elsewhere = device.resign(&tamper(&asserted, "/response/authenticatorData", |a| a[0] ^= 0xFF));
        let answer = server.finish(SIGN_IN_FINISH, &ceremony, &elsewhere).await;
        assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "credential_rejected").await;

        let (ceremony, options) = server.start_sign_up("bob@example.com").await;
        let created = Device::new(Algorithm::Es256).create(&options).await;
        let elsewhere = tamper_registration_auth_data(&created, |a| a[0] ^= 0xFF);
        let answer = server.finish(SIGN_UP_FINISH, &ceremony, &elsewhere).await;
        assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "credential_rejected").await;
    }

    #[tokio::test]
    async fn a_cleared_user_verification_flag_is_refused() {
        let server = TestServer::new();
        let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
        let before = server.counts().await;
        let (ceremony, options) = server.start_sign_in().await;
        let asserted = device.get(&options).await;
        let unverified = device.resign(&tamper(&asserted, "/response/authenticatorData", |a| a[32] &= !0x04));
        let answer = server.finish(SIGN_IN_FINISH, &ceremony, &unverified).await;
        assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "credential_rejected").await;
    }

    #[tokio::test]
    async fn a_user_handle_not_owning_the_credential_is_refused() {
        let server = TestServer::new();
        let mut ada = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
        let mut bob = signed_up(&server, Algorithm::Es256, "bob@example.com").await;
        // Ada's user handle, as her authenticator returns it (the user handle is not signed).
        let (_, options) = server.start_sign_in().await;
        let ada_handle = ada.get(&options).await["response"]["userHandle"].clone();
        let before = server.counts().await;
        let (ceremony, options) = server.start_sign_in().await;
        let mut bobs = bob.get(&options).await;
        bobs["response"]["userHandle"] = ada_handle;
        let answer = server.finish(SIGN_IN_FINISH, &ceremony, &bobs).await;
        assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "credential_rejected").await;
    }

    #[tokio::test]
    async fn a_counter_going_backwards_is_refused() {
        let server = TestServer::new();
        let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
        for _ in 0..2 {
            assert_eq!(server.sign_in(&mut device).await.status, StatusCode::OK);
        }
        assert_eq!(server.query_i64("SELECT sign_count FROM passkeys").await, 2);
        let before = server.counts().await;
        let (ceremony, options) = server.start_sign_in().await;
        let asserted = device.get(&options).await;
        let cloned = device.resign(&tamper(&asserted, "/response/authenticatorData", |a| {
            a[33..37].copy_from_slice(&1u32.to_be_bytes());
        }));
        let answer = server.finish(SIGN_IN_FINISH, &ceremony, &cloned).await;
        assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "counter_regression").await;
        assert_eq!(server.query_i64("SELECT sign_count FROM passkeys").await, 2);
    }

    #[tokio::test]
    async fn a_credential_id_over_1023_bytes_is_refused() {
        let server = TestServer::new();
        let mut device = Device::new(Algorithm::Es256);
        let (ceremony, options) = server.start_sign_up("ada@example.com").await;
        let mut created = device.create(&options).await;
        let before = server.counts().await;
        let long_id = encode(&[7u8; 1024]);
        created["id"] = Value::String(long_id.clone());
        created["rawId"] = Value::String(long_id.clone());
        let answer = server.finish(SIGN_UP_FINISH, &ceremony, &created).await;
        assert_refused(&server, &before, &answer, StatusCode::BAD_REQUEST, "credential_id_too_long").await;

        let mut device = signed_up(&server, Algorithm::Es256, "bob@example.com").await;
        let before = server.counts().await;
        let (ceremony, options) = server.start_sign_in().await;
        let mut asserted = device.get(&options).await;
        asserted["id"] = Value::String(long_id.clone());
        asserted["rawId"] = Value::String(long_id);
        let answer = server.finish(SIGN_IN_FINISH, &ceremony, &asserted).await;
        assert_refused(&server, &before, &answer, StatusCode::BAD_REQUEST, "credential_id_too_long").await;
    }

    #[tokio::test]
    async fn a_credential_id_already_registered_is_refused() {
        let server = TestServer::new();
        let mut ada = Device::new(Algorithm::Es256);
        let (ceremony, options) = server.start_sign_up("ada@example.com").await;
        let adas = ada.create(&options).await;
        assert_eq!(server.finish(SIGN_UP_FINISH, &ceremony, &adas).await.status, StatusCode::OK);
        let before = server.counts().await;

        // Mallory's authenticator answers with Ada's credential ID.
        let (ceremony, options) = server.start_sign_up("mallory@example.com").await;
        let mallorys = Device::new(Algorithm::Es256).create(&options).await;
        let stolen = with_credential_id_of(&mallorys, &adas);
        let answer = server.finish(SIGN_UP_FINISH, &ceremony, &stolen).await;
        assert_refused(&server, &before, &answer, StatusCode::CONFLICT, "credential_exists").await;
    }

    #[tokio::test]
    async fn an_unknown_credential_is_refused_with_its_own_code() {
        let server = TestServer::new();
        let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
        server.exec("DELETE FROM passkeys").await;
        let before = server.counts().await;
        let answer = server.sign_in(&mut device).await;
        assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "credential_unknown").await;
    }

    /// Regression: webauthn_rp 0.3.0 panics on a discoverable assertion whose `userHandle` is JSON null.
    #[tokio::test]
    async fn a_null_user_handle_is_refused_without_a_panic() {
        let server = TestServer::new();
        let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
        let before = server.counts().await;
        let (ceremony, options) = server.start_sign_in().await;
        let mut asserted = device.get(&options).await;
        asserted["response"]["userHandle"] = Value::Null;
        let answer = server.finish(SIGN_IN_FINISH, &ceremony, &asserted).await;
        assert_refused(&server, &before, &answer, StatusCode::BAD_REQUEST, "malformed_request").await;
        // The server still works afterwards.
        assert_eq!(server.sign_in(&mut device).await.status, StatusCode::OK);
    }

    #[tokio::test]
    async fn a_credential_the_client_says_is_not_discoverable_is_refused() {
        let server = TestServer::new();
        let (ceremony, options) = server.start_sign_up("ada@example.com").await;
        assert_eq!(options["extensions"]["credProps"], true, "credProps is asked for (WebAuthn L3 §10.1.3)");
        assert_eq!(options["authenticatorSelection"]["residentKey"], "required");
        let before = server.counts().await;
        let mut created = Device::new(Algorithm::Es256).create(&options).await;
        // A server-side credential could never be offered by autofill: the account would have no way in.
        created["clientExtensionResults"] = json!({ "credProps": { "rk": false } });
        let answer = server.finish(SIGN_UP_FINISH, &ceremony, &created).await;
        assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "credential_rejected").await;
    }

    #[tokio::test]
    async fn a_discoverable_credential_and_a_client_without_cred_props_both_register() {
        let server = TestServer::new();
        for (email, results) in
            [("ada@example.com", json!({ "credProps": { "rk": true } })), ("bob@example.com", json!({}))]
        {
            let (ceremony, options) = server.start_sign_up(email).await;
            let mut created = Device::new(Algorithm::Es256).create(&options).await;
            created["clientExtensionResults"] = results;
            let answer = server.finish(SIGN_UP_FINISH, &ceremony, &created).await;
            assert_eq!(answer.status, StatusCode::OK, "{email}: {}", answer.body);
        }
    }
}

mod bad_input {
    use super::*;

    #[tokio::test]
    async fn malformed_bodies_get_error_codes_not_500s() {
        let server = TestServer::new();
        let empty = server.counts().await;
        let cases: Vec<(&str, &str, String, StatusCode, &str)> = vec![
            ("/api/signup/start", "application/json", "{".into(), StatusCode::BAD_REQUEST, "malformed_request"),
            ("/api/signup/start", "application/json", "[]".into(), StatusCode::BAD_REQUEST, "malformed_request"),
            // Every member of a passkey sign-in start is optional: an array is still not an object.
            ("/api/signin/start", "application/json", " []".into(), StatusCode::BAD_REQUEST, "malformed_request"),
            ("/api/signin/start", "application/json", "null".into(), StatusCode::BAD_REQUEST, "malformed_request"),
            (
                "/api/signin/start",
                "application/json",
                format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000)),
                StatusCode::BAD_REQUEST,
                "malformed_request",
            ),
            ("/api/signin/start", "application/vnd.latchkey+json", "{}".into(), StatusCode::OK, "<none>"),
            (
                "/api/signup/start",
                "application/json",
                r#"{"email":7}"#.into(),
                StatusCode::BAD_REQUEST,
                "malformed_request",
            ),
            (
                "/api/signup/start",
                "text/plain",
                r#"{"email":"a@b.co"}"#.into(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            ),
            (
                "/api/signup/start",
                "application/json",
                r#"{"email":"nope"}"#.into(),
                StatusCode::BAD_REQUEST,
                "invalid_email",
            ),
            (
                "/api/signup/start",
                "application/json",
                r#"{"email":"a@b.co","displayName":"  "}"#.into(),
                StatusCode::BAD_REQUEST,
                "invalid_display_name",
            ),
            (
                "/api/signup/start",
                "application/json",
                format!(r#"{{"email":"{}@b.co"}}"#, "a".repeat(70_000)),
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
            ),
            (
                "/api/signin/finish",
                "application/json",
                r#"{"ceremony":"x","credential":{}}"#.into(),
                StatusCode::BAD_REQUEST,
                "malformed_request",
            ),
            (
                "/api/signup/finish",
                "application/json",
                r#"{"ceremony":"x","credential":{"id":"!!","rawId":"!!"}}"#.into(),
                StatusCode::BAD_REQUEST,
                "malformed_request",
            ),
            ("/api/nowhere", "application/json", "{}".into(), StatusCode::NOT_FOUND, "not_found"),
            (
                "/api/signin/start",
                "application/json",
                r#"{"email":"a@b.co"}"#.into(),
                StatusCode::BAD_REQUEST,
                "malformed_request",
            ),
            ("/api/session", "application/json", "{}".into(), StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        ];
        for (path, content_type, body, status, code) in cases {
            let answer = server.post_raw(path, content_type, body).await;
            assert_eq!((answer.status, answer.code()), (status, code), "{path} {content_type}: {}", answer.body);
        }
        assert_eq!(server.counts().await, empty);
    }

    #[tokio::test]
    async fn bad_base64url_in_a_real_response_is_refused() {
        let server = TestServer::new();
        let mut device = Device::new(Algorithm::Es256);
        let (ceremony, options) = server.start_sign_up("ada@example.com").await;
        let mut created = device.create(&options).await;
        let before = server.counts().await;
        created["response"]["attestationObject"] = Value::String("not*base64url".into());
        let answer = server.finish(SIGN_UP_FINISH, &ceremony, &created).await;
        assert_refused(&server, &before, &answer, StatusCode::BAD_REQUEST, "malformed_request").await;
    }

    #[tokio::test]
    async fn an_unknown_ceremony_is_refused() {
        let server = TestServer::new();
        let mut device = Device::new(Algorithm::Es256);
        let (_, options) = server.start_sign_up("ada@example.com").await;
        let created = device.create(&options).await;
        let before = server.counts().await;
        let answer = server.finish(SIGN_UP_FINISH, "no-such-ceremony", &created).await;
        assert_refused(&server, &before, &answer, StatusCode::GONE, "ceremony_unknown").await;
    }

    #[tokio::test]
    async fn allowed_origins_may_call_the_api_with_credentials() {
        let server = TestServer::new();
        let preflight = axum::http::Request::builder()
            .method("OPTIONS")
            .uri("/api/signin/start")
            .header("origin", "http://localhost:8080")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(latchkey_server::app(server.state.clone()), preflight).await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["access-control-allow-origin"], "http://localhost:8080");
        assert_eq!(headers["access-control-allow-credentials"], "true");
    }

    #[tokio::test]
    async fn requests_from_foreign_pages_are_refused() {
        let server = TestServer::new();
        let request = axum::http::Request::post("/api/signin/start")
            .header("content-type", "application/json")
            .header("origin", "https://evil.example")
            .body(axum::body::Body::from("{}"))
            .unwrap();
        let answer = server.send(request).await;
        assert_eq!((answer.status, answer.code()), (StatusCode::FORBIDDEN, "origin_not_allowed"));
    }

    #[tokio::test]
    async fn a_forged_session_cookie_is_nobody() {
        let server = TestServer::new();
        let answer = server.get_with_cookie("/api/session", "latchkey=forged").await;
        assert_eq!((answer.status, answer.body.clone()), (StatusCode::NO_CONTENT, Value::Null));
    }
    #[tokio::test]
    async fn static_files_cannot_be_reached_outside_their_directory() {
        use axum::{body::Body, http::Request};
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir(outside.path().join("static")).unwrap();
        std::fs::write(outside.path().join("static/index.html"), "the page").unwrap();
        std::fs::write(outside.path().join("secret.txt"), "SECRET-NEXT-DOOR").unwrap();
        let static_dir = outside.path().join("static");
        let server = TestServer::with_config(|c| c.static_dir = static_dir);
        assert_eq!(server.send(Request::get("/index.html").body(Body::empty()).unwrap()).await.status, StatusCode::OK);
        for path in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%2fsecret.txt",
            "/static/../../secret.txt",
            "/..%5csecret.txt",
            "/%252e%252e/secret.txt",
            "//../secret.txt",
        ] {
            let request = Request::get(path).body(Body::empty()).unwrap();
            let response = tower::ServiceExt::oneshot(server.router(), request).await.unwrap();
            let status = response.status();
            let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
            assert!(status.is_client_error(), "{path}: {status}");
            assert!(!String::from_utf8_lossy(&bytes).contains("SECRET-NEXT-DOOR"), "{path} reached the file");
        }
    }
}
