//! Every statement the sign-in journeys run uses an index: a real sign-up, passkey sign-in,
//! identifier-first sign-in, password sign-in, session check and an application's sign-in through the
//! OpenID provider (code, tokens, refresh, userinfo) run with statement tracing on, and each statement they
//! ran is explained; a full-table scan fails the test. Only `signing_keys` may be scanned: it holds the key
//! that signs and those retired in the last few minutes, a handful of rows whatever the load.
//!
//! SQLite traces every statement with its values, so this runs on SQLite; the PostgreSQL migrations
//! create the same indexes under the same names (a test in `tests/nodes.rs` compares them).
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use latchkey_proto::clients::{NewClient, TokenEndpointAuthMethod};
use serde_json::json;
use sha2::{Digest, Sha256};
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
    // What start-up ran (migrations, seeding) is not a request's.
    latchkey_server::store::take_traced_statements();
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
    sign_in_to_an_application(&server, &cookie).await;

    let mut statements: Vec<String> =
        latchkey_server::store::take_traced_statements().into_iter().filter(|sql| is_row_statement(sql)).collect();
    statements.sort();
    statements.dedup();
    assert!(statements.len() >= 10, "the journeys ran their statements: {statements:#?}");
    let mut scans = Vec::new();
    for sql in &statements {
        let plan = server.state.store.query_plan(sql.clone()).await.unwrap();
        let scanning: Vec<&String> = plan
            .iter()
            .filter(|step| step.starts_with("SCAN ") && !step.starts_with("SCAN CONSTANT ROW"))
            .filter(|step| !step.starts_with("SCAN signing_keys"))
            .collect();
        if !scanning.is_empty() {
            scans.push(format!("{sql}\n  {scanning:?}"));
        }
    }
    assert!(scans.is_empty(), "full-table scans:\n{}", scans.join("\n"));
}

/// A code, its tokens, a refresh and userinfo for a public client, as `tests/oidc.rs` runs them.
async fn sign_in_to_an_application(server: &TestServer, cookie: &str) {
    let new = NewClient {
        client_name: "Notes".into(),
        redirect_uris: vec!["https://app.example.com/cb".into()],
        post_logout_redirect_uris: vec![],
        token_endpoint_auth_method: TokenEndpointAuthMethod::None,
    };
    let client = latchkey_server::oidc::clients::register(&server.state.store, new).await.unwrap().unwrap();
    let verifier = "a-fresh-code-verifier-of-forty-three-chars-x";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let path = format!(
        "/oauth2/authorize?response_type=code&client_id={}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb\
         &scope=openid+email&code_challenge={challenge}&code_challenge_method=S256",
        client.client_id
    );
    let answer = server.get_with_cookie(&path, cookie).await;
    let location = url::Url::parse(answer.header("location").expect("a redirect")).unwrap();
    let code = location.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let form =
        |pairs: &[(&str, &str)]| url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    let exchange = form(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", "https://app.example.com/cb"),
        ("code_verifier", verifier),
        ("client_id", &client.client_id),
    ]);
    let tokens = server.post_raw("/oauth2/token", "application/x-www-form-urlencoded", exchange).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.body);
    let refresh = form(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens.body["refresh_token"].as_str().unwrap()),
        ("client_id", &client.client_id),
    ]);
    assert_eq!(
        server.post_raw("/oauth2/token", "application/x-www-form-urlencoded", refresh).await.status,
        StatusCode::OK
    );
    let request = Request::get("/oauth2/userinfo")
        .header(header::AUTHORIZATION, format!("Bearer {}", tokens.body["access_token"].as_str().unwrap()))
        .body(Body::empty())
        .unwrap();
    assert_eq!(server.send(request).await.status, StatusCode::OK);
}
