//! The server under the requests an attacker would send, against a real server process: half-sent
//! requests are closed within the header timeout while others are served, and slow password inputs
//! cannot stall the other requests.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::json;
use support::node::Node;

/// Digits and punctuation: the input zxcvbn is slowest on, at the longest length accepted.
fn slow_password() -> String {
    "1!2@3#4$5%6^7&8*9(0)".chars().cycle().take(128).collect()
}

#[tokio::test]
async fn slow_passwords_for_made_up_reset_links_leave_a_session_check_fast() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("abuse.sqlite3").display());
    let node = Node::start(&database, &dir.path().join("outbox")).await;
    let resets = (0..4).map(|i| {
        let body = json!({ "token": format!("made-up-token-{i}"), "password": slow_password() });
        let node = &node;
        async move { node.post("/api/password/reset", &body).await }
    });
    let check = async {
        // Sent while the four resets are in flight.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let started = Instant::now();
        let answer = node.request("GET", "/api/session", None, None, &[]).await;
        (answer.status, started.elapsed())
    };
    let (answers, (status, took)) = tokio::join!(futures_util::future::join_all(resets), check);
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(took < Duration::from_millis(50), "the session check took {took:?}");
    for answer in answers {
        assert_eq!(answer.code(), "reset_link_invalid", "refused before any strength check or hashing");
    }
}

#[tokio::test]
async fn https_deployments_get_hsts_and_every_answer_the_other_security_headers() {
    use axum::{body::Body, http::Request};
    let plain = support::TestServer::new();
    let secure = support::TestServer::with_config(|c| {
        c.rp_id = "example.com".into();
        c.origins = vec!["https://login.example.com".into()];
    });
    for server in [&plain, &secure] {
        let answer = server.send(Request::get("/api/session").body(Body::empty()).unwrap()).await;
        assert_eq!(answer.header("cross-origin-opener-policy"), Some("same-origin"));
        assert!(answer.header("permissions-policy").unwrap().contains("publickey-credentials-create=(self)"));
        assert_eq!(
            (answer.header("x-content-type-options"), answer.header("referrer-policy")),
            (Some("nosniff"), Some("no-referrer"))
        );
    }
    let over_https = secure.send(Request::get("/api/session").body(Body::empty()).unwrap()).await;
    assert_eq!(over_https.header("strict-transport-security"), Some("max-age=31536000"));
    let over_http = plain.send(Request::get("/api/session").body(Body::empty()).unwrap()).await;
    assert_eq!(over_http.header("strict-transport-security"), None, "never over plain http (RFC 6797 §7.2)");
}

#[tokio::test]
async fn half_sent_requests_are_closed_in_time_a_normal_one_is_served_and_the_cap_holds() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("slowloris.sqlite3").display());
    // Opening 500 connections can take seconds on a busy machine: the timeout leaves room for it, so
    // every connection is still open when the cap is tested.
    let settings = [("LATCHKEY_HEADER_TIMEOUT_SECS", "5"), ("LATCHKEY_MAX_CONNECTIONS", "505")];
    let node = Node::start_with(&database, &dir.path().join("outbox"), &settings).await;
    let mut half_sent = Vec::with_capacity(500);
    for _ in 0..500 {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", node.port())).await.unwrap();
        stream.write_all(b"GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").await.unwrap();
        half_sent.push(stream);
    }
    let opened = Instant::now();
    let started = Instant::now();
    let answer = node.request("GET", "/api/session", None, None, &[]).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "a normal request is served meanwhile");
    assert!(started.elapsed() < Duration::from_millis(1500), "before any timeout: {:?}", started.elapsed());
    // The cap is 505: of ten more, four or five find a place (the normal request's may not be given
    // back yet), and the rest are closed as they arrive, long before the header timeout.
    let mut over = Vec::with_capacity(10);
    for _ in 0..10 {
        over.push(tokio::net::TcpStream::connect(("127.0.0.1", node.port())).await.unwrap());
    }
    let refused_at_once = futures_util::future::join_all(over.iter_mut().map(|stream| async move {
        let mut rest = Vec::new();
        tokio::time::timeout(Duration::from_millis(1000), stream.read_to_end(&mut rest)).await.is_ok()
    }))
    .await
    .into_iter()
    .filter(|closed| *closed)
    .count();
    assert!((5..=6).contains(&refused_at_once), "{refused_at_once} of 10 over the cap closed at once");
    let closed = futures_util::future::join_all(half_sent.iter_mut().map(|stream| async move {
        let mut rest = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest)).await.is_ok()
    }))
    .await;
    let took = opened.elapsed();
    assert!(closed.iter().all(|c| *c), "{} of 500 still open", closed.iter().filter(|c| !**c).count());
    assert!(took < Duration::from_secs(8), "closed {took:?} after opening, with a 5 s header timeout");
}
