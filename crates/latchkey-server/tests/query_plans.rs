//! Every statement the sign-in journeys run uses an index: a real sign-up, passkey sign-in,
//! identifier-first sign-in, password sign-in and session check run with statement tracing on, and each
//! statement they ran is explained; a full-table scan fails the test.
//!
//! SQLite traces every statement with its values, so this runs on SQLite; the PostgreSQL migrations
//! create the same indexes under the same names (a test in `tests/nodes.rs` compares them).
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{Algorithm, Device, TestServer};

/// The statements that read or write rows (not `BEGIN`, `COMMIT` or the connection's pragmas).
fn is_row_statement(sql: &str) -> bool {
    let first = sql.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
    matches!(first.as_str(), "SELECT" | "INSERT" | "UPDATE" | "DELETE")
}

#[tokio::test]
async fn no_statement_of_a_sign_in_scans_a_table() {
    latchkey_server::store::trace_statements();
    let server = TestServer::on_sqlite();
    let mut device = Device::new(Algorithm::Es256);
    let signed_up = server.sign_up(&mut device, "ada@example.com").await;
    assert_eq!(signed_up.status, StatusCode::OK, "{}", signed_up.body);
    let signed_in = server.sign_in(&mut device).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    let cookie = signed_in.cookie.unwrap();
    assert_eq!(server.get_with_cookie("/api/session", &cookie).await.status, StatusCode::OK);
    let identified = server.post("/api/signin/identify", &json!({ "email": "ada@example.com" })).await;
    let (ceremony, options) =
        (identified.body["passkey"]["ceremony"].clone(), &identified.body["passkey"]["publicKey"]);
    let credential = device.get(options).await;
    let verified = server.post("/api/signin/verify", &json!({ "ceremony": ceremony, "credential": credential })).await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    let password = json!({ "email": "pat@example.com", "password": "velvet-anchor-tulip-92" });
    assert_eq!(server.post("/api/password/signup", &password).await.status, StatusCode::OK);
    assert_eq!(server.post("/api/password/signin", &password).await.status, StatusCode::OK);

    let mut statements: Vec<String> =
        latchkey_server::store::take_traced_statements().into_iter().filter(|sql| is_row_statement(sql)).collect();
    statements.sort();
    statements.dedup();
    assert!(statements.len() >= 10, "the journeys ran their statements: {statements:#?}");
    let mut scans = Vec::new();
    for sql in &statements {
        let plan = server.state.store.query_plan(sql.clone()).await.unwrap();
        let scanning: Vec<&String> =
            plan.iter().filter(|step| step.starts_with("SCAN ") && !step.starts_with("SCAN CONSTANT ROW")).collect();
        if !scanning.is_empty() {
            scans.push(format!("{sql}\n  {scanning:?}"));
        }
    }
    assert!(scans.is_empty(), "full-table scans:\n{}", scans.join("\n"));
}
