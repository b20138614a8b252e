//! Rate limits, on either engine: password guesses stop at their limits without locking the owner out
//! of a passkey or of another address, an address with no account is limited exactly like one with, a
//! spoofed `X-Forwarded-For` resets nothing, and starts and admin tokens are limited per address.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{Algorithm, Answer, Device, TestServer, node::ADMIN_TOKEN};

const STRONG: &str = "velvet-anchor-tulip-92";
const GUESSER: &str = "203.0.113.66";

fn guess(email: &str, password: &str) -> Value {
    json!({ "email": email, "password": password })
}

/// The seconds a refusal asks to wait, after checking it is one.
fn refused_for(answer: &Answer) -> u64 {
    assert_eq!((answer.status, answer.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"), "{}", answer.body);
    let wait: u64 = answer.header("retry-after").unwrap().parse().unwrap();
    assert_eq!(answer.body["retryAfter"], wait, "the body says what the header says");
    wait
}

/// An account with both a passkey and a password.
async fn account_with_passkey_and_password(server: &TestServer, email: &str) -> Device {
    let mut device = Device::new(Algorithm::Es256);
    let signed_up = server.sign_up(&mut device, email).await;
    let cookie = signed_up.cookie.clone().unwrap();
    let set = server.post_as("/api/account/password", &cookie, &json!({ "password": STRONG })).await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.body);
    device
}

#[tokio::test]
async fn ten_wrong_passwords_from_one_address_stop_it_but_not_the_passkey_or_the_owner_elsewhere() {
    let server = TestServer::new();
    let mut device = account_with_passkey_and_password(&server, "kim@example.com").await;
    for _ in 0..10 {
        let wrong =
            server.post_from(GUESSER, "/api/password/signin", &guess("kim@example.com", "wrong-guess-1"), &[]).await;
        assert_eq!(wrong.code(), "wrong_password");
    }
    let even_right = server.post_from(GUESSER, "/api/password/signin", &guess("kim@example.com", STRONG), &[]).await;
    let wait = refused_for(&even_right);
    assert!((890..=900).contains(&wait), "the rest of the quarter hour: {wait}");
    let events_before = server.query_i64("SELECT count(*) FROM events").await;
    let again = server.post_from(GUESSER, "/api/password/signin", &guess("kim@example.com", "x"), &[]).await;
    refused_for(&again);
    assert_eq!(server.query_i64("SELECT count(*) FROM events").await, events_before, "a refusal writes no event");

    let owner = server.post_from("198.51.100.20", "/api/password/signin", &guess("kim@example.com", STRONG), &[]).await;
    assert_eq!(owner.status, StatusCode::OK, "the owner, elsewhere, still signs in: {}", owner.body);
    let passkey = server.sign_in(&mut device).await;
    assert_eq!(passkey.status, StatusCode::OK, "the passkey still signs in at once: {}", passkey.body);
}

#[tokio::test]
async fn an_address_without_an_account_is_limited_exactly_like_one_with() {
    let server = TestServer::new();
    account_with_passkey_and_password(&server, "kim@example.com").await;
    let mut seen = Vec::new();
    for email in ["kim@example.com", "nobody@example.com"] {
        let mut codes = Vec::new();
        for _ in 0..11 {
            let answer = server.post_from(GUESSER, "/api/password/signin", &guess(email, "wrong-guess-1"), &[]).await;
            codes.push(answer.code().to_owned());
        }
        seen.push(codes);
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[0].last().map(String::as_str), Some("rate_limited"));
}

#[tokio::test]
async fn an_account_takes_at_most_a_hundred_wrong_passwords_an_hour_from_everywhere() {
    let server = TestServer::new();
    account_with_passkey_and_password(&server, "kim@example.com").await;
    // 100 guesses from 20 addresses, five each: under every per-address limit.
    for n in 0..100 {
        let address = format!("198.51.100.{}", n / 5 + 1);
        let wrong =
            server.post_from(&address, "/api/password/signin", &guess("kim@example.com", "wrong-guess-1"), &[]).await;
        assert_eq!(wrong.code(), "wrong_password", "guess {n}");
    }
    let fresh_address =
        server.post_from("192.0.2.200", "/api/password/signin", &guess("kim@example.com", STRONG), &[]).await;
    let wait = refused_for(&fresh_address);
    assert!(wait <= 3600);
}

#[tokio::test]
async fn a_spoofed_forwarded_for_resets_nothing_and_a_trusted_proxys_names_the_client() {
    let server = TestServer::with_config(|c| {
        c.trusted_proxies = vec![latchkey_server::client_ip::Network::parse("10.0.0.0/8").unwrap()]
    });
    account_with_passkey_and_password(&server, "kim@example.com").await;
    for n in 0..10 {
        // Straight from the guesser, each with a new made-up address: the header is not believed.
        let made_up = format!("192.0.2.{n}");
        let from = [("x-forwarded-for", made_up.as_str())];
        let wrong =
            server.post_from(GUESSER, "/api/password/signin", &guess("kim@example.com", "wrong-1"), &from).await;
        assert_eq!(wrong.code(), "wrong_password");
    }
    let spoofed = [("x-forwarded-for", "192.0.2.99")];
    refused_for(&server.post_from(GUESSER, "/api/password/signin", &guess("kim@example.com", STRONG), &spoofed).await);
    // Through the proxy, a made-up entry left of the proxy's own is ignored too: the guesser stays limited.
    let through_proxy = [("x-forwarded-for", &*format!("192.0.2.98, {GUESSER}"))];
    refused_for(
        &server.post_from("10.1.2.3", "/api/password/signin", &guess("kim@example.com", STRONG), &through_proxy).await,
    );
    // And the owner behind the same proxy is someone else.
    let owner = [("x-forwarded-for", "198.51.100.20")];
    let signed_in =
        server.post_from("10.1.2.3", "/api/password/signin", &guess("kim@example.com", STRONG), &owner).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    let events = server.query_text("SELECT ip FROM events WHERE code = 'sign_in' ORDER BY id DESC LIMIT 1").await;
    assert_eq!(events, "198.51.100.20", "the log records the client, not the proxy");
}

#[tokio::test]
async fn ceremony_starts_and_lookups_are_limited_per_address() {
    let server = TestServer::new();
    for _ in 0..120 {
        assert_eq!(server.post_from(GUESSER, "/api/signin/start", &json!({}), &[]).await.status, StatusCode::OK);
    }
    let wait = refused_for(&server.post_from(GUESSER, "/api/signin/start", &json!({}), &[]).await);
    assert!(wait <= 60);
    let sign_up = server.post_from(GUESSER, "/api/signup/start", &json!({ "email": "new@example.com" }), &[]).await;
    refused_for(&sign_up);
    let elsewhere = server.post_from("198.51.100.20", "/api/signin/start", &json!({}), &[]).await;
    assert_eq!(elsewhere.status, StatusCode::OK, "another address is not affected");
    assert_eq!(server.query_i64("SELECT count(*) FROM ceremonies").await, 120 + 1, "a refusal stores no ceremony");
    for _ in 0..30 {
        let found = server.post_from(GUESSER, "/api/signin/identify", &json!({ "email": "a@example.com" }), &[]).await;
        assert_eq!(found.status, StatusCode::OK);
    }
    // Whether an unknown email's stand-in has passkeys depends on the server's secret, so the count
    // before the refusal is the baseline.
    let before = server.query_i64("SELECT count(*) FROM ceremonies").await;
    refused_for(&server.post_from(GUESSER, "/api/signin/identify", &json!({ "email": "a@example.com" }), &[]).await);
    assert_eq!(server.query_i64("SELECT count(*) FROM ceremonies").await, before);
}

#[tokio::test]
async fn ten_wrong_admin_tokens_stop_the_address_even_with_the_right_one() {
    use axum::{body::Body, http::Request};
    let server = TestServer::with_config(|c| c.admin_token = Some(ADMIN_TOKEN.into()));
    let policy = |token: &str| {
        let mut request = Request::get("/api/admin/policy")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let peer = std::net::SocketAddr::from(([203, 0, 113, 66], 50_000));
        request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        request
    };
    assert_eq!(server.send(policy(ADMIN_TOKEN)).await.status, StatusCode::OK);
    for _ in 0..10 {
        assert_eq!(server.send(policy("not-the-admin-token")).await.code(), "forbidden");
    }
    let wait = refused_for(&server.send(policy(ADMIN_TOKEN)).await);
    assert!((3590..=3600).contains(&wait), "the rest of the hour: {wait}");
}

#[tokio::test]
async fn the_sweeper_deletes_counters_whose_window_has_ended() {
    let server = TestServer::new();
    server.post_from(GUESSER, "/api/signin/start", &json!({}), &[]).await;
    assert_eq!(server.query_i64("SELECT count(*) FROM rate_limits").await, 1);
    server.state.store.execute_batch_for_tests("UPDATE rate_limits SET resets_at = 0").await.unwrap();
    let swept = server.state.store.sweep(latchkey_server::store::now(), 0, 0).await.unwrap();
    assert_eq!(swept.rate_limits, 1);
    assert_eq!(server.query_i64("SELECT count(*) FROM rate_limits").await, 0);
}

#[tokio::test]
async fn a_burst_of_guesses_sent_at_once_stops_at_the_limit_too() {
    let server = TestServer::new();
    account_with_passkey_and_password(&server, "kim@example.com").await;
    let body = guess("kim@example.com", "wrong-guess-1");
    let burst = (0..20).map(|_| server.post_from(GUESSER, "/api/password/signin", &body, &[]));
    let answers = futures_util::future::join_all(burst).await;
    let wrong = answers.iter().filter(|answer| answer.code() == "wrong_password").count();
    let limited = answers.iter().filter(|answer| answer.code() == "rate_limited").count();
    assert_eq!((wrong, limited), (10, 10), "each guess reserved its place before hashing");
}

#[tokio::test]
async fn the_case_of_the_email_typed_makes_no_new_counter() {
    let server = TestServer::new();
    account_with_passkey_and_password(&server, "kim@example.com").await;
    for n in 0..10 {
        let spelling = if n % 2 == 0 { "KIM@example.com" } else { "Kim@Example.com" };
        let wrong = server.post_from(GUESSER, "/api/password/signin", &guess(spelling, "wrong-guess-1"), &[]).await;
        assert_eq!(wrong.code(), "wrong_password");
    }
    refused_for(&server.post_from(GUESSER, "/api/password/signin", &guess("kim@example.com", STRONG), &[]).await);
}

#[tokio::test]
async fn a_right_password_gives_its_place_back() {
    let server = TestServer::new();
    account_with_passkey_and_password(&server, "kim@example.com").await;
    for _ in 0..9 {
        server.post_from(GUESSER, "/api/password/signin", &guess("kim@example.com", "wrong-guess-1"), &[]).await;
    }
    for _ in 0..3 {
        let right = server.post_from(GUESSER, "/api/password/signin", &guess("kim@example.com", STRONG), &[]).await;
        assert_eq!(right.status, StatusCode::OK, "only failures count: {}", right.body);
    }
    let tenth =
        server.post_from(GUESSER, "/api/password/signin", &guess("kim@example.com", "wrong-guess-1"), &[]).await;
    assert_eq!(tenth.code(), "wrong_password");
    refused_for(&server.post_from(GUESSER, "/api/password/signin", &guess("kim@example.com", STRONG), &[]).await);
}

#[tokio::test]
async fn failures_about_no_account_are_recorded_a_hundred_an_hour_per_address() {
    let server = TestServer::new();
    let mut device = Device::new(Algorithm::Es256);
    assert_eq!(server.sign_up(&mut device, "kim@example.com").await.status, StatusCode::OK);
    let garbled = json!({ "ceremony": "made-up", "credential": { "id": "AAAA" } });
    let failed = "SELECT count(*) FROM events WHERE code = 'sign_in_failed'";
    for _ in 0..105 {
        let answer = server.post_from(GUESSER, "/api/signin/finish", &garbled, &[]).await;
        assert_eq!(answer.code(), "malformed_request", "each is still answered");
    }
    assert_eq!(server.query_i64(failed).await, 101, "a hundred, and the one that says the rest are not");
    let last =
        server.query_text("SELECT detail FROM events WHERE code = 'sign_in_failed' ORDER BY id DESC LIMIT 1").await;
    let until: Value = serde_json::from_str(&last).unwrap();
    let in_an_hour = latchkey_server::store::now() + 3600;
    assert!((in_an_hour - 10..=in_an_hour).contains(&until["unrecorded_until"].as_i64().unwrap()), "{last}");
    server.post_from("198.51.100.20", "/api/signin/finish", &garbled, &[]).await;
    assert_eq!(server.query_i64(failed).await, 102, "another address is recorded");

    // A failure about an account needs a ceremony, and is recorded whatever the address sent before.
    server.exec("UPDATE users SET disabled_at = 1").await;
    let started = server.post_from(GUESSER, "/api/signin/start", &json!({}), &[]).await;
    let credential = device.get(&started.body["publicKey"]).await;
    let finish = json!({ "ceremony": started.body["ceremony"], "credential": credential });
    let refused = server.post_from(GUESSER, "/api/signin/finish", &finish, &[]).await;
    assert_eq!(refused.code(), "account_disabled", "{}", refused.body);
    let recorded = "SELECT count(*) FROM events WHERE code = 'sign_in_failed' AND user_id IS NOT NULL";
    assert_eq!(server.query_i64(recorded).await, 1);
}
