//! Several nodes on one PostgreSQL: two real server processes share a database, and whatever one starts
//! the other finishes. These need a PostgreSQL server (`LATCHKEY_TEST_POSTGRES`), so they are ignored in
//! a plain `cargo test`; `scripts/test` runs them against its throw-away cluster.
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::json;
use support::{
    Algorithm, Device, TestServer,
    node::{ADMIN_TOKEN, Node},
};
use tempfile::TempDir;

const NEEDS_POSTGRES: &str = "needs PostgreSQL: scripts/test runs it with LATCHKEY_TEST_POSTGRES";

/// A fresh database on the test server, and a directory for the nodes' mail.
fn shared_database() -> (String, TempDir) {
    let server = std::env::var("LATCHKEY_TEST_POSTGRES").expect(NEEDS_POSTGRES);
    (support::fresh_postgres_database(&server), tempfile::tempdir().unwrap())
}

/// Two nodes on one database, started one after the other.
async fn two_nodes() -> (Node, Node, TempDir) {
    let (url, outbox) = shared_database();
    let a = Node::start(&url, outbox.path()).await;
    let b = Node::start(&url, outbox.path()).await;
    (a, b, outbox)
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test runs it with LATCHKEY_TEST_POSTGRES"]
async fn nodes_started_at_the_same_moment_migrate_the_database_once() {
    let (url, outbox) = shared_database();
    let nodes: Vec<Node> = (0..3).map(|_| Node::spawn(&url, outbox.path())).collect();
    for node in &nodes {
        node.wait_until_ready().await;
    }
    let server = TestServer::with_config(|c| c.database_url = url.clone());
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres")).unwrap().count();
    let migrations = i64::try_from(migrations).unwrap();
    assert_eq!(server.query_i64("SELECT count(*) FROM schema_migrations").await, migrations);
    assert_eq!(server.query_i64("SELECT count(DISTINCT version) FROM schema_migrations").await, migrations);
    assert_eq!(
        server.query_i64("SELECT count(*) FROM secrets").await,
        2,
        "one stand-in and one provider secret for all"
    );
    assert_eq!(server.query_i64("SELECT count(*) FROM signing_keys").await, 1, "one signing key for all");
    assert_eq!(server.query_i64("SELECT count(*) FROM policy").await, 1);
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test runs it with LATCHKEY_TEST_POSTGRES"]
async fn a_sign_up_started_on_one_node_finishes_on_another_and_its_passkey_signs_in_on_either() {
    let (a, b, _outbox) = two_nodes().await;
    let mut device = Device::new(Algorithm::Es256);
    let started = a.post("/api/signup/start", &json!({ "email": "ada@example.com" })).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let credential = device.create(&started.body["publicKey"]).await;
    let finished =
        b.post("/api/signup/finish", &json!({ "ceremony": started.body["ceremony"], "credential": credential })).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
    assert_eq!(finished.body["session"]["user"]["email"], "ada@example.com");

    // A sign-in started on B with the passkey made through A, finished on A.
    let started = b.post("/api/signin/start", &json!({})).await;
    let assertion = device.get(&started.body["publicKey"]).await;
    let signed_in =
        a.post("/api/signin/finish", &json!({ "ceremony": started.body["ceremony"], "credential": assertion })).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);

    // The used ceremony is gone on both.
    let again =
        b.post("/api/signin/finish", &json!({ "ceremony": started.body["ceremony"], "credential": assertion })).await;
    assert_eq!((again.status, again.code()), (StatusCode::GONE, "ceremony_unknown"));
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test runs it with LATCHKEY_TEST_POSTGRES"]
async fn a_session_made_on_one_node_is_valid_on_the_other_and_ends_on_both() {
    let (a, b, _outbox) = two_nodes().await;
    let password = json!({ "email": "pat@example.com", "password": "velvet-anchor-tulip-92" });
    let signed_up = a.post("/api/password/signup", &password).await;
    assert_eq!(signed_up.status, StatusCode::OK, "{}", signed_up.body);
    let cookie = signed_up.cookie.unwrap();
    let session = b.get_as("/api/session", &cookie).await;
    assert_eq!(session.status, StatusCode::OK);
    assert_eq!(session.body["user"]["email"], "pat@example.com");
    assert_eq!(b.post_as("/api/signout", &cookie, &json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(a.get_as("/api/session", &cookie).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test runs it with LATCHKEY_TEST_POSTGRES"]
async fn wrong_passwords_counted_by_one_node_are_refused_by_the_other() {
    let (a, b, _outbox) = two_nodes().await;
    let right = json!({ "email": "pat@example.com", "password": "velvet-anchor-tulip-92" });
    assert_eq!(a.post("/api/password/signup", &right).await.status, StatusCode::OK);
    let wrong = json!({ "email": "pat@example.com", "password": "wrong-guess-1" });
    for n in 0..10 {
        let node = if n % 2 == 0 { &a } else { &b };
        assert_eq!(node.post("/api/password/signin", &wrong).await.code(), "wrong_password", "guess {n}");
    }
    for node in [&a, &b] {
        let refused = node.post("/api/password/signin", &right).await;
        assert_eq!((refused.status, refused.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test runs it with LATCHKEY_TEST_POSTGRES"]
async fn a_policy_change_through_one_node_is_in_force_on_the_other_within_a_second() {
    let (a, b, _outbox) = two_nodes().await;
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let auth = [("Authorization", bearer.as_str())];
    let mut policy = a.request("GET", "/api/admin/policy", None, None, &auth).await.body;
    assert_eq!(b.request("GET", "/api/session", None, None, &[]).await.header("latchkey-challenge-ui"), Some("both"));
    policy["challenge_ui"] = json!("button");
    let changed_at = Instant::now();
    let stored = a.request("PUT", "/api/admin/policy", Some(&policy), None, &auth).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    loop {
        let answer = b.request("GET", "/api/session", None, None, &[]).await;
        if answer.header("latchkey-challenge-ui") == Some("button") {
            break;
        }
        assert!(changed_at.elapsed() < Duration::from_secs(1), "B still has the old policy after a second");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let on_b = b.request("GET", "/api/admin/policy", None, None, &auth).await;
    assert_eq!(on_b.body["challenge_ui"], "button");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test runs it with LATCHKEY_TEST_POSTGRES"]
async fn both_engines_have_the_same_indexes() {
    let postgres = TestServer::with_config(|_| {});
    assert!(postgres.state.store.is_postgres(), "{NEEDS_POSTGRES}");
    let sqlite = TestServer::on_sqlite();
    let on_sqlite = sqlite
        .query_text(
            "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master
             WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name)",
        )
        .await;
    let on_postgres = postgres
        .query_text(
            "SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes
             WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'
               AND indexname != 'users_by_email'",
        )
        .await;
    // SQLite's email index is the automatic one of `email UNIQUE COLLATE NOCASE`; PostgreSQL's is
    // `users_by_email` on the ASCII-folded email, and the accounts tests show both refuse `Ada@` once
    // `ada@` exists.
    assert_eq!(on_postgres, on_sqlite);
    assert!(on_sqlite.split(' ').count() >= 11, "{on_sqlite}");
}
