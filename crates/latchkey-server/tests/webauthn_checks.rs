//! A negative test for each verification step of WebAuthn Level 3 §7.1 (registration) and §7.2
//! (authentication) that `api.rs` does not already cover: each response is a real one from a software
//! authenticator with one thing changed (and, where the change is under the signature, signed again as a
//! malicious authenticator holding the key could), and each must fail closed and write nothing: users,
//! passkeys with their counters, and sessions are as they were.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{
    Algorithm, Device, TestServer, assert_refused, encode, signed_up, tamper, tamper_registration_auth_data,
    with_client_data, with_credential_id_of,
};

const SIGN_UP_FINISH: &str = "/api/signup/finish";
const SIGN_IN_FINISH: &str = "/api/signin/finish";
const ADD_PASSKEY_START: &str = "/api/passkeys/start";
const ADD_PASSKEY_FINISH: &str = "/api/passkeys/finish";

/// The flags byte of authenticator data (§6.1): after the 32-byte RP ID hash.
const FLAGS: usize = 32;
const UP: u8 = 0x01;
const UV: u8 = 0x04;
const BE: u8 = 0x08;
const BS: u8 = 0x10;

/// Expects a sign-up whose response `change` altered to be refused with `code`.
async fn sign_up_refused(code: &str, change: impl FnOnce(&Value) -> Value) {
    let server = TestServer::new();
    let before = server.counts().await;
    let (ceremony, options) = server.start_sign_up("ada@example.com").await;
    let created = Device::new(Algorithm::Es256).create(&options).await;
    let answer = server.finish(SIGN_UP_FINISH, &ceremony, &change(&created)).await;
    assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, code).await;
}

/// Expects a sign-in whose assertion `change` altered (then signed again) to be refused with `code`.
async fn sign_in_refused(code: &str, change: impl FnOnce(&Value) -> Value) {
    let server = TestServer::new();
    let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
    let before = server.counts().await;
    let (ceremony, options) = server.start_sign_in().await;
    let asserted = device.get(&options).await;
    let changed = device.resign(&change(&asserted));
    let answer = server.finish(SIGN_IN_FINISH, &ceremony, &changed).await;
    assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, code).await;
}

/// Sets and clears bits of the flags byte.
fn flags(set: u8, clear: u8) -> impl FnOnce(&mut Vec<u8>) {
    move |data: &mut Vec<u8>| data[FLAGS] = (data[FLAGS] | set) & !clear
}

#[tokio::test]
async fn registration_with_the_type_of_an_assertion_is_refused() {
    // §7.1 step 7: `C.type` must be `webauthn.create`.
    sign_up_refused("credential_rejected", |created| {
        with_client_data(created, "\"webauthn.create\"", "\"webauthn.get\"")
    })
    .await;
}

#[tokio::test]
async fn assertion_with_the_type_of_a_registration_is_refused() {
    // §7.2 step 11: `C.type` must be `webauthn.get`.
    sign_in_refused("credential_rejected", |asserted| {
        with_client_data(asserted, "\"webauthn.get\"", "\"webauthn.create\"")
    })
    .await;
}

#[tokio::test]
async fn registration_without_user_presence_is_refused() {
    // §7.1 step 14: UP must be set.
    sign_up_refused("credential_rejected", |created| tamper_registration_auth_data(created, flags(0, UP))).await;
}

#[tokio::test]
async fn assertion_without_user_presence_is_refused() {
    // §7.2 step 16: UP must be set.
    sign_in_refused("credential_rejected", |asserted| tamper(asserted, "/response/authenticatorData", flags(0, UP)))
        .await;
}

#[tokio::test]
async fn registration_without_user_verification_is_refused() {
    // §7.1 step 15: UV must be set when user verification is required (the default policy).
    sign_up_refused("credential_rejected", |created| tamper_registration_auth_data(created, flags(0, UV))).await;
}

#[tokio::test]
async fn registration_backed_up_but_not_backup_eligible_is_refused() {
    // §7.1 step 16 and §6.1: BS without BE is invalid.
    sign_up_refused("credential_rejected", |created| tamper_registration_auth_data(created, flags(BS, BE))).await;
}

#[tokio::test]
async fn assertion_backed_up_but_not_backup_eligible_is_refused() {
    // §7.2 step 18: BS without BE is invalid.
    sign_in_refused("credential_rejected", |asserted| tamper(asserted, "/response/authenticatorData", flags(BS, BE)))
        .await;
}

#[tokio::test]
async fn assertion_whose_backup_eligibility_changed_since_registration_is_refused() {
    // §7.2 step 19: BE is fixed when the credential is made; a change means another authenticator. The
    // software authenticator registers with BE (and BS) set, so both are cleared: a valid pair on its
    // own, which only the comparison with the stored state refuses.
    sign_in_refused("credential_rejected", |asserted| {
        let registered = support::decode(&asserted["response"]["authenticatorData"]);
        assert_eq!(registered[FLAGS] & (BE | BS), BE | BS, "registered as backup eligible and backed up");
        tamper(asserted, "/response/authenticatorData", flags(0, BE | BS))
    })
    .await;
}

#[tokio::test]
async fn cross_origin_client_data_is_refused_in_both_ceremonies() {
    // §7.1 step 9 and §7.2 step 13 with §5.10.1: a ceremony run in a cross-origin iframe (`crossOrigin:
    // true`, with its `topOrigin`) is not one this relying party allows.
    let framed = |credential: &Value| {
        let cross = with_client_data(credential, "\"crossOrigin\":false", "\"crossOrigin\":true");
        let cross = if cross == *credential {
            // The client omitted the member: add it, as a browser in a frame writes it.
            with_client_data(credential, "}", ",\"crossOrigin\":true,\"topOrigin\":\"https://evil.example\"}")
        } else {
            with_client_data(&cross, "}", ",\"topOrigin\":\"https://evil.example\"}")
        };
        assert_ne!(&cross, credential);
        cross
    };
    sign_up_refused("origin_not_allowed", framed).await;
    sign_in_refused("origin_not_allowed", framed).await;
}

#[tokio::test]
async fn a_challenge_the_client_chose_is_refused() {
    // §7.2 step 12 (CVE-2026-28787's shape): the challenge must be the one the server sent for this
    // ceremony, not one the client wrote itself.
    sign_in_refused("credential_rejected", |asserted| {
        let data = support::decode(&asserted["response"]["clientDataJSON"]);
        let text = String::from_utf8(data).unwrap();
        let start = text.find("\"challenge\":\"").unwrap() + "\"challenge\":\"".len();
        let end = start + text[start..].find('"').unwrap();
        let chosen = encode(&[7; 32]);
        with_client_data(asserted, &text[start..end], &chosen)
    })
    .await;
}

#[tokio::test]
async fn an_ecdsa_signature_with_r_and_s_zero_is_refused() {
    // CVE-2022-21449's shape: the DER signature (r = 0, s = 0) that verified anything in Java's ECDSA.
    let server = TestServer::new();
    let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
    let before = server.counts().await;
    let (ceremony, options) = server.start_sign_in().await;
    let mut asserted = device.get(&options).await;
    asserted["response"]["signature"] = Value::String(encode(&[0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]));
    let answer = server.finish(SIGN_IN_FINISH, &ceremony, &asserted).await;
    assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "credential_rejected").await;
}

#[tokio::test]
async fn an_id_that_is_not_the_raw_id_is_refused_and_no_counter_moves() {
    // GitLab #585333's shape: `id` must be `rawId` in base64url. Here `id` names another real passkey,
    // whose counter must not move either.
    let server = TestServer::new();
    let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
    let mut other = signed_up(&server, Algorithm::Es256, "bob@example.com").await;
    let (_, options) = server.start_sign_in().await;
    let others_id = other.get(&options).await["id"].clone();
    let before = server.counts().await;
    let (ceremony, options) = server.start_sign_in().await;
    let mut asserted = device.get(&options).await;
    assert_ne!(asserted["id"], others_id);
    asserted["id"] = others_id;
    let answer = server.finish(SIGN_IN_FINISH, &ceremony, &asserted).await;
    assert_refused(&server, &before, &answer, StatusCode::BAD_REQUEST, "malformed_request").await;
}

#[tokio::test]
async fn an_extension_output_nobody_asked_for_is_refused() {
    // §7.1 step 18 and §9: the client extension outputs must be of extensions the options asked for; a
    // `prf` output was not asked for.
    sign_up_refused("credential_rejected", |created| {
        let mut unsolicited = created.clone();
        unsolicited["clientExtensionResults"]["prf"] = serde_json::json!({ "enabled": true });
        unsolicited
    })
    .await;
}

#[tokio::test]
async fn every_other_origin_is_refused_at_sign_in_as_at_sign_up() {
    // §7.2 step 13: the client data's origin must be one of ours exactly: not another scheme, port,
    // host, suffix or sub-domain (`api.rs` tries the same list at sign-up).
    for origin in [
        "https://localhost:8080",
        "http://localhost:8081",
        "http://localhost",
        "http://evil-localhost:8080",
        "http://localhost.evil.example:8080",
        "http://sub.localhost:8080",
    ] {
        let moved = format!("\"{origin}\"");
        sign_in_refused("origin_not_allowed", |asserted| {
            with_client_data(asserted, "\"http://localhost:8080\"", &moved)
        })
        .await;
    }
}

#[tokio::test]
async fn an_algorithm_not_offered_is_refused() {
    // §7.1 step 20: the credential public key's `alg` must be one of `pubKeyCredParams`. The options offer
    // every algorithm webauthn_rp verifies (EdDSA, ES256, ES384, RS256), so the P-256 key is relabelled
    // with an algorithm outside them: ESP256 (-9, the fully specified name for the same curve and hash)
    // and Ed25519 (-19), in the COSE key and in `publicKeyAlgorithm` alike.
    // webauthn_rp cannot read such a key, so the response is malformed before any check of the ceremony.
    for (label, cbor) in [(-9, 0x28_u8), (-19, 0x32)] {
        let server = TestServer::new();
        let before = server.counts().await;
        let (ceremony, options) = server.start_sign_up("ada@example.com").await;
        let created = Device::new(Algorithm::Es256).create(&options).await;
        assert_eq!(created["response"]["publicKeyAlgorithm"], -7);
        let mut relabelled = tamper_registration_auth_data(&created, |data| {
            // An EC2 COSE key (RFC 9053 §7.1.1) opens with {1: 2, 3: -7}: kty EC2, then alg ES256.
            let ec2_es256 = [0xa5, 0x01, 0x02, 0x03, 0x26];
            let at = data.windows(ec2_es256.len()).position(|w| w == ec2_es256).unwrap();
            data[at + 4] = cbor;
        });
        relabelled["response"]["publicKeyAlgorithm"] = json!(label);
        let answer = server.finish(SIGN_UP_FINISH, &ceremony, &relabelled).await;
        assert_refused(&server, &before, &answer, StatusCode::BAD_REQUEST, "malformed_request").await;
    }
}

/// Signs `email` up with a new device and returns the session cookie.
async fn signed_up_session(server: &TestServer, email: &str) -> (Device, String) {
    let mut device = Device::new(Algorithm::Es256);
    let answer = server.sign_up(&mut device, email).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    (device, answer.cookie.unwrap())
}

/// Adds a passkey from the account page whose response carries `taken`'s credential ID, expecting
/// `credential_exists` and no change.
async fn adding_a_taken_id_is_refused(server: &TestServer, cookie: &str, taken: &Value) {
    let before = server.counts().await;
    let started = server.post_as(ADD_PASSKEY_START, cookie, &json!({ "fromAccount": true })).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let created = Device::new(Algorithm::Es256).create(&started.body["publicKey"]).await;
    let body = json!({ "ceremony": started.body["ceremony"], "credential": with_credential_id_of(&created, taken) });
    let answer = server.post_as(ADD_PASSKEY_FINISH, cookie, &body).await;
    assert_refused(server, &before, &answer, StatusCode::CONFLICT, "credential_exists").await;
}

#[tokio::test]
async fn a_credential_id_registered_already_cannot_be_added_as_another_passkey() {
    // §7.1 step 26: a credential ID registered to any account is refused, through "add a passkey" as at
    // sign-up; `excludeCredentials` only asks honest authenticators. Another account's ID must not move
    // to Bob, and Ada's own must not be registered twice.
    let server = TestServer::new();
    let (mut ada, adas_cookie) = signed_up_session(&server, "ada@example.com").await;
    let (_, bobs_cookie) = signed_up_session(&server, "bob@example.com").await;
    let (_, options) = server.start_sign_in().await;
    let adas_credential = ada.get(&options).await;
    adding_a_taken_id_is_refused(&server, &bobs_cookie, &adas_credential).await;
    adding_a_taken_id_is_refused(&server, &adas_cookie, &adas_credential).await;
    let signed_in = server.sign_in(&mut ada).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    assert_eq!(signed_in.body["session"]["user"]["email"], "ada@example.com", "Ada's passkey still signs Ada in");
}

const IDENTIFY: &str = "/api/signin/identify";
const VERIFY: &str = "/api/signin/verify";

/// Identifier-first up to the prompt: the ceremony and the options `/identify` gave for Ada's passkey.
async fn identified(server: &TestServer) -> (String, Value) {
    let answer = server.post(IDENTIFY, &json!({ "email": "ada@example.com" })).await;
    let passkey = &answer.body["passkey"];
    (passkey["ceremony"].as_str().unwrap().to_owned(), passkey["publicKey"].clone())
}

#[tokio::test]
async fn identifier_first_verification_without_user_verification_is_refused() {
    // §7.2 step 17 at `/verify`: the policy requires user verification, so UV cleared (and signed again)
    // is refused there as at the discoverable finish.
    let server = TestServer::new();
    let mut device = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
    let before = server.counts().await;
    let (ceremony, options) = identified(&server).await;
    let asserted = device.get(&options).await;
    let unverified = device.resign(&tamper(&asserted, "/response/authenticatorData", flags(0, UV)));
    let answer = server.finish(VERIFY, &ceremony, &unverified).await;
    assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "credential_rejected").await;
}

#[tokio::test]
async fn a_null_user_handle_at_identifier_first_verification_signs_in_only_the_identified_account() {
    // §7.2 step 6: when the account was identified first, `userHandle` may be absent or null; the
    // credential must then belong to that account. A null one signs Ada in (webauthn_rp 0.3.0 panics on
    // null at the discoverable finish, so it must not reach that path), and Bob's credential answered to
    // Ada's ceremony, with a null user handle, is refused and writes nothing.
    let server = TestServer::new();
    let mut ada = signed_up(&server, Algorithm::Es256, "ada@example.com").await;
    let mut bob = signed_up(&server, Algorithm::Es256, "bob@example.com").await;

    let (ceremony, options) = identified(&server).await;
    let mut asserted = ada.get(&options).await;
    asserted["response"]["userHandle"] = Value::Null;
    let signed_in = server.finish(VERIFY, &ceremony, &asserted).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);

    let before = server.counts().await;
    let (ceremony, mut options) = identified(&server).await;
    // Bob's authenticator answers only for its own credential, so the prompt lists none.
    options["allowCredentials"] = json!([]);
    let mut bobs = bob.get(&options).await;
    bobs["response"]["userHandle"] = Value::Null;
    let answer = server.finish(VERIFY, &ceremony, &bobs).await;
    assert_refused(&server, &before, &answer, StatusCode::FORBIDDEN, "credential_rejected").await;
}
