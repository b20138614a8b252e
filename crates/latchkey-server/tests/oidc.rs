//! The OpenID Connect provider through `oneshot`, with real passkeys and both database engines: the code
//! flow with PKCE, refresh rotation, userinfo, revocation, logout, key rotation and the embedded session
//! token; and every refusal, each checked to have issued nothing. (The end-to-end tests run the same flow
//! with `openid-client` and a real browser.)
#![allow(clippy::unwrap_used, missing_docs)]

mod support;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use http_body_util::BodyExt;
use latchkey_proto::clients::{ClientInfo, NewClient, TokenEndpointAuthMethod};
use latchkey_server::{
    oidc::{self, jws},
    texts::{fill, texts_for},
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use support::{Algorithm, Answer, Device, TestServer};
use tower::ServiceExt;

const REDIRECT: &str = "https://app.example.com/callback";
const VERIFIER: &str = "a-fresh-code-verifier-of-forty-three-chars-x";

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

async fn register(server: &TestServer, auth: TokenEndpointAuthMethod) -> ClientInfo {
    let new = NewClient {
        client_name: "Acme <Notes>".into(),
        redirect_uris: vec![REDIRECT.into()],
        post_logout_redirect_uris: vec!["https://app.example.com/bye".into()],
        token_endpoint_auth_method: auth,
    };
    oidc::clients::register(&server.state.store, new).await.unwrap().unwrap()
}

/// The query of an authorization request for `client`, with `extra` parameters added or replacing.
fn authorize_path(client: &ClientInfo, extra: &[(&str, &str)]) -> String {
    let challenge = challenge(VERIFIER);
    let mut params: Vec<(&str, &str)> = vec![
        ("response_type", "code"),
        ("client_id", &client.client_id),
        ("redirect_uri", REDIRECT),
        ("scope", "openid email profile"),
        ("state", "st4te"),
        ("nonce", "n0nce"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ];
    for (name, value) in extra {
        params.retain(|(n, _)| n != name);
        if !value.is_empty() {
            params.push((name, value));
        }
    }
    let query: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish();
    format!("/oauth2/authorize?{query}")
}

async fn get(server: &TestServer, path: &str, cookie: Option<&str>) -> Answer {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    server.send(request.body(Body::empty()).unwrap()).await
}

/// The query parameters of a redirect's `Location`.
fn redirected(answer: &Answer) -> Vec<(String, String)> {
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "a redirect: {:?}", answer.headers);
    let location = url::Url::parse(answer.header("location").unwrap()).unwrap();
    location.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

async fn code_for(server: &TestServer, client: &ClientInfo, cookie: &str) -> String {
    let answer = get(server, &authorize_path(client, &[]), Some(cookie)).await;
    let pairs = redirected(&answer);
    assert_eq!(param(&pairs, "state"), Some("st4te"));
    assert_eq!(param(&pairs, "iss"), Some(server.state.config.issuer()), "RFC 9207");
    param(&pairs, "code").unwrap().to_owned()
}

async fn token_request(server: &TestServer, client: &ClientInfo, form: &[(&str, &str)]) -> Answer {
    server.send(token_request_body(client, form)).await
}

/// A token request, its client authenticated with HTTP Basic when it has a secret.
fn token_request_body(client: &ClientInfo, form: &[(&str, &str)]) -> Request<Body> {
    let body: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let mut request = Request::post("/oauth2/token").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(secret) = &client.client_secret {
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{}:{secret}", client.client_id));
        request = request.header(header::AUTHORIZATION, format!("Basic {basic}"));
    }
    request.body(Body::from(body)).unwrap()
}

async fn exchange(server: &TestServer, client: &ClientInfo, code: &str, verifier: &str) -> Answer {
    let mut form = vec![("grant_type", "authorization_code"), ("code", code), ("redirect_uri", REDIRECT)];
    form.push(("code_verifier", verifier));
    if client.client_secret.is_none() {
        form.push(("client_id", &client.client_id));
    }
    token_request(server, client, &form).await
}

async fn refresh(server: &TestServer, client: &ClientInfo, token: &str) -> Answer {
    token_request(server, client, &[("grant_type", "refresh_token"), ("refresh_token", token)]).await
}

async fn userinfo(server: &TestServer, access_token: &str) -> Answer {
    let request = Request::get("/oauth2/userinfo").header(header::AUTHORIZATION, format!("Bearer {access_token}"));
    server.send(request.body(Body::empty()).unwrap()).await
}

/// Verifies a token against the keys the server publishes now, whichever of our two types it is.
async fn claims(server: &TestServer, token: &str) -> Result<Value, jws::Refused> {
    let keys = oidc::keys::published(&server.state.store).await.unwrap();
    jws::verify(token, "JWT", &keys)
        .or_else(|_| jws::verify(token, "at+jwt", &keys))
        .or_else(|_| jws::verify(token, oidc::tokens::SESSION_TOKEN_TYPE, &keys))
}

async fn signed_up(server: &TestServer) -> String {
    signed_up_as(server, "ada@example.com").await
}

async fn signed_up_as(server: &TestServer, email: &str) -> String {
    let mut device = Device::new(Algorithm::Es256);
    server.sign_up(&mut device, email).await.cookie.unwrap()
}

async fn grants(server: &TestServer) -> (i64, i64) {
    (
        server.query_i64("SELECT count(*) FROM grants").await,
        server.query_i64("SELECT count(*) FROM refresh_tokens").await,
    )
}

#[tokio::test]
async fn a_signed_in_person_is_sent_back_with_a_code_that_pkce_turns_into_tokens() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let code = code_for(&server, &client, &cookie).await;
    let tokens = exchange(&server, &client, &code, VERIFIER).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.body);
    assert_eq!(
        (tokens.body["token_type"].as_str(), tokens.header("cache-control")),
        (Some("Bearer"), Some("no-store"))
    );

    let id = claims(&server, tokens.body["id_token"].as_str().unwrap()).await.unwrap();
    assert_eq!(
        (id["iss"].as_str(), id["aud"].as_str()),
        (Some(server.state.config.issuer()), Some(client.client_id.as_str()))
    );
    assert_eq!(
        (id["nonce"].as_str(), id["email"].as_str(), id["email_verified"].as_bool()),
        (Some("n0nce"), Some("ada@example.com"), Some(false))
    );
    assert_eq!(id["amr"], json!(["swk", "user", "mfa"]), "a synced passkey with user verification");
    assert_eq!(id["acr"], "phr");
    let sub = id["sub"].as_str().unwrap();
    assert!(!sub.contains('@'), "the subject is never the email");
    assert!(id["exp"].as_i64().unwrap() > id["iat"].as_i64().unwrap());
    assert!(id["auth_time"].as_i64().unwrap() <= id["iat"].as_i64().unwrap());

    let access_token = tokens.body["access_token"].as_str().unwrap();
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(access_token.split('.').next().unwrap()).unwrap()).unwrap();
    assert_eq!(header["typ"], "at+jwt", "RFC 9068 §2.1");
    let access = claims(&server, access_token).await.unwrap();
    assert_eq!((access["sub"].as_str(), access["client_id"].as_str()), (Some(sub), Some(client.client_id.as_str())));
    let info = userinfo(&server, access_token).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.body);
    assert_eq!(
        info.body,
        json!({ "sub": sub, "email": "ada@example.com", "email_verified": false, "name": "ada@example.com" })
    );

    let refreshed = refresh(&server, &client, tokens.body["refresh_token"].as_str().unwrap()).await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.body);
    assert_ne!(refreshed.body["refresh_token"], tokens.body["refresh_token"], "rotated");
    let again = claims(&server, refreshed.body["id_token"].as_str().unwrap()).await.unwrap();
    assert_eq!((again["sub"].as_str(), again["auth_time"].as_i64()), (Some(sub), id["auth_time"].as_i64()));
}

#[tokio::test]
async fn an_unknown_client_or_a_redirect_uri_it_did_not_register_gets_a_page_and_no_redirect() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    for path in [
        authorize_path(&client, &[("client_id", "unknown")]),
        authorize_path(&client, &[("redirect_uri", "https://app.example.com/callback/../evil")]),
        authorize_path(&client, &[("redirect_uri", "https://evil.example/callback")]),
        authorize_path(&client, &[("redirect_uri", "")]),
        format!("{}&client_id=again", authorize_path(&client, &[])),
    ] {
        let answer = get(&server, &path, Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(answer.header("location"), None, "never redirected: {path}");
        assert!(answer.header("content-type").unwrap().starts_with("text/html"));
    }
    assert_eq!(grants(&server).await, (0, 0), "nothing issued");
}

#[tokio::test]
async fn pkce_is_required_and_a_wrong_verifier_gets_nothing() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::None).await;
    let cookie = signed_up(&server).await;
    for extra in [[("code_challenge", "")], [("code_challenge_method", "plain")], [("code_challenge_method", "")]] {
        let pairs = redirected(&get(&server, &authorize_path(&client, &extra), Some(&cookie)).await);
        assert_eq!(param(&pairs, "error"), Some("invalid_request"), "{extra:?}");
        assert_eq!((param(&pairs, "state"), param(&pairs, "code")), (Some("st4te"), None));
    }
    assert_eq!(grants(&server).await, (0, 0));
    let code = code_for(&server, &client, &cookie).await;
    let wrong = exchange(&server, &client, &code, "another-verifier-of-forty-three-characters!!").await;
    assert_eq!((wrong.status, wrong.body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")));
    assert_eq!(grants(&server).await, (1, 0), "no refresh token for a wrong verifier");
    let public_client_tokens = exchange(&server, &client, &code, VERIFIER).await;
    assert_eq!(
        public_client_tokens.status,
        StatusCode::OK,
        "a public client with the right verifier: {}",
        public_client_tokens.body
    );
}

#[tokio::test]
async fn a_code_used_twice_revokes_what_its_first_use_issued() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let code = code_for(&server, &client, &cookie).await;
    let first = exchange(&server, &client, &code, VERIFIER).await;
    assert_eq!(first.status, StatusCode::OK);
    let second = exchange(&server, &client, &code, VERIFIER).await;
    assert_eq!(second.body["error"], "invalid_grant");
    assert!(second.body.get("access_token").is_none());
    assert_eq!(userinfo(&server, first.body["access_token"].as_str().unwrap()).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refresh(&server, &client, first.body["refresh_token"].as_str().unwrap()).await.body["error"],
        "invalid_grant"
    );
    assert_eq!(server.query_i64("SELECT count(*) FROM events WHERE code = 'token_replayed'").await, 1);
}

#[tokio::test]
async fn an_expired_code_or_another_clients_code_is_refused() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let other = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let code = code_for(&server, &client, &cookie).await;
    assert_eq!(exchange(&server, &other, &code, VERIFIER).await.body["error"], "invalid_grant");
    server.exec("UPDATE authorization_codes SET expires_at = 1").await;
    let expired = exchange(&server, &client, &code, VERIFIER).await;
    assert_eq!((expired.status, expired.body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")));
    assert_eq!(grants(&server).await.1, 0, "no refresh token");
    let mut wrong_secret = client.clone();
    wrong_secret.client_secret = Some("guessed".into());
    let refused = exchange(&server, &wrong_secret, &code, VERIFIER).await;
    assert_eq!((refused.status, refused.body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_client")));
    assert_eq!(refused.header("www-authenticate"), Some(r#"Basic realm="latchkey""#));
}

#[tokio::test]
async fn a_reused_refresh_token_revokes_the_whole_family() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let code = code_for(&server, &client, &cookie).await;
    let first = exchange(&server, &client, &code, VERIFIER).await;
    let old = first.body["refresh_token"].as_str().unwrap();
    let next = refresh(&server, &client, old).await;
    assert_eq!(next.status, StatusCode::OK);
    let replay = refresh(&server, &client, old).await;
    assert_eq!(replay.body["error"], "invalid_grant");
    let newest = refresh(&server, &client, next.body["refresh_token"].as_str().unwrap()).await;
    assert_eq!(newest.body["error"], "invalid_grant", "the thief's replay ended the family, the newest token too");
    assert_eq!(userinfo(&server, next.body["access_token"].as_str().unwrap()).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn prompt_none_without_a_session_answers_login_required_and_prompt_login_asks_again() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let pairs = redirected(&get(&server, &authorize_path(&client, &[("prompt", "none")]), None).await);
    assert_eq!((param(&pairs, "error"), param(&pairs, "code")), (Some("login_required"), None));
    assert_eq!(grants(&server).await, (0, 0));

    let page = get(&server, &authorize_path(&client, &[("login_hint", "ada@example.com")]), None).await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = signed_up(&server).await;
    let login = authorize_path(&client, &[("prompt", "login")]);
    let again = get(&server, &login, Some(&cookie)).await;
    assert_eq!((again.status, again.header("location")), (StatusCode::OK, None), "a page that asks, not a code");
    assert_eq!(server.counts().await.live_sessions, 1, "a link alone ends no session");
    let request = login.split_once('?').unwrap().1.to_owned();
    let form: String = url::form_urlencoded::Serializer::new(String::new()).append_pair("request", &request).finish();
    let confirm = |origin: &'static str| {
        Request::post("/oauth2/authorize/again")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .header(header::ORIGIN, origin)
            .body(Body::from(form.clone()))
            .unwrap()
    };
    assert_eq!(server.send(confirm("https://evil.example")).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(server.counts().await.live_sessions, 1, "not from another site's form");
    let confirmed = server.send(confirm(support::ORIGIN)).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(confirmed.header("location"), Some(login.as_str()), "back to the request");
    assert_eq!(server.counts().await.live_sessions, 0, "the old session ended so the widget starts at sign-in");
    let login_page = get(&server, &login, None).await;
    assert_eq!((login_page.status, login_page.header("location")), (StatusCode::OK, None));

    let cookie = signed_up_as(&server, "grace@example.com").await;
    server.exec("UPDATE sessions SET created_at = created_at - 100").await;
    let old = get(&server, &authorize_path(&client, &[("max_age", "10")]), Some(&cookie)).await;
    assert_eq!(old.header("location"), None, "a sign-in older than max_age is not enough");
    assert_eq!(
        redirected(&get(&server, &authorize_path(&client, &[("max_age", "1000")]), Some(&cookie)).await).len(),
        3
    );
}

#[tokio::test]
async fn a_token_signed_by_a_removed_key_is_refused_and_rotation_keeps_old_tokens_valid_until_then() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let code = code_for(&server, &client, &cookie).await;
    let tokens = exchange(&server, &client, &code, VERIFIER).await;
    let access_token = tokens.body["access_token"].as_str().unwrap();
    let new_kid = oidc::keys::rotate(&server.state.store).await.unwrap();
    let jwks = get(&server, "/oauth2/jwks.json", None).await;
    assert_eq!(jwks.body["keys"].as_array().unwrap().len(), 2, "the old key stays published");
    assert_eq!(userinfo(&server, access_token).await.status, StatusCode::OK, "an old token still works");
    let next = refresh(&server, &client, tokens.body["refresh_token"].as_str().unwrap()).await;
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD.decode(next.body["id_token"].as_str().unwrap().split('.').next().unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(header["kid"], new_kid.as_str(), "new tokens are signed with the new key");

    server.exec("UPDATE signing_keys SET published_until = 1 WHERE retired_at IS NOT NULL").await;
    assert_eq!(get(&server, "/oauth2/jwks.json", None).await.body["keys"].as_array().unwrap().len(), 1);
    let refused = userinfo(&server, access_token).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.header("www-authenticate").unwrap().starts_with(r#"Bearer error="invalid_token""#));
    let keys = oidc::keys::published(&server.state.store).await.unwrap();
    assert_eq!(jws::verify(access_token, "at+jwt", &keys).err(), Some(jws::Refused::UnknownKey));
}

#[tokio::test]
async fn revoking_a_refresh_token_ends_its_grant() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let code = code_for(&server, &client, &cookie).await;
    let tokens = exchange(&server, &client, &code, VERIFIER).await;
    let refresh_token = tokens.body["refresh_token"].as_str().unwrap();
    let body: String =
        url::form_urlencoded::Serializer::new(String::new()).append_pair("token", refresh_token).finish();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        client.client_id,
        client.client_secret.clone().unwrap()
    ));
    let request = Request::post("/oauth2/revoke")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::AUTHORIZATION, format!("Basic {basic}"))
        .body(Body::from(body))
        .unwrap();
    assert_eq!(server.send(request).await.status, StatusCode::OK);
    assert_eq!(refresh(&server, &client, refresh_token).await.body["error"], "invalid_grant");
    assert_eq!(userinfo(&server, tokens.body["access_token"].as_str().unwrap()).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_with_a_hint_ends_the_session_and_returns_only_to_a_registered_uri() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let code = code_for(&server, &client, &cookie).await;
    let tokens = exchange(&server, &client, &code, VERIFIER).await;
    let hint = tokens.body["id_token"].as_str().unwrap();
    let evil = format!("/oauth2/logout?id_token_hint={hint}&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F");
    let refused = get(&server, &evil, Some(&cookie)).await;
    assert_eq!((refused.status, refused.header("location")), (StatusCode::BAD_REQUEST, None));
    assert_eq!(server.counts().await.live_sessions, 1);
    let path = format!(
        "/oauth2/logout?id_token_hint={hint}&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fbye&state=s1"
    );
    let back = get(&server, &path, Some(&cookie)).await;
    assert_eq!(
        (back.status, back.header("location")),
        (StatusCode::SEE_OTHER, Some("https://app.example.com/bye?state=s1"))
    );
    assert_eq!(server.counts().await.live_sessions, 0);
    assert_eq!(
        refresh(&server, &client, tokens.body["refresh_token"].as_str().unwrap()).await.body["error"],
        "invalid_grant"
    );
    let unconfirmed = get(&server, "/oauth2/logout", None).await;
    assert_eq!(unconfirmed.status, StatusCode::OK, "without a hint, a page asks first");
}

#[tokio::test]
async fn the_embedded_session_token_is_signed_for_the_pages_origin() {
    let server = TestServer::new();
    let cookie = signed_up(&server).await;
    let request = Request::post("/api/session/token")
        .header(header::COOKIE, &cookie)
        .header(header::ORIGIN, support::ORIGIN)
        .body(Body::empty())
        .unwrap();
    let answer = server.send(request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["expiresIn"], 300);
    let token = claims(&server, answer.body["token"].as_str().unwrap()).await.unwrap();
    assert_eq!((token["aud"].as_str(), token["email"].as_str()), (Some(support::ORIGIN), Some("ada@example.com")));
    assert_eq!(token["exp"].as_i64().unwrap() - token["iat"].as_i64().unwrap(), 300);
    let anonymous = server.post("/api/session/token", &json!({})).await;
    assert_eq!(anonymous.code(), "not_signed_in");
    let without_origin =
        Request::post("/api/session/token").header(header::COOKIE, &cookie).body(Body::empty()).unwrap();
    assert_eq!(server.send(without_origin).await.code(), "origin_not_allowed", "a token is always for some page");
}

#[tokio::test]
async fn applications_are_registered_listed_and_removed_through_the_admin_api() {
    let token = "an-admin-token-for-tests-0123";
    let server = TestServer::with_config(|c| c.admin_token = Some(token.into()));
    let send = |method: &str, path: &str, body: Option<Value>| {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .unwrap();
        server.send(request)
    };
    let unsafe_uri = json!({ "client_name": "Bad", "redirect_uris": ["http://evil.example/cb"] });
    assert_eq!(send("POST", "/api/admin/clients", Some(unsafe_uri)).await.code(), "malformed_request");
    let added =
        send("POST", "/api/admin/clients", Some(json!({ "client_name": "Notes", "redirect_uris": [REDIRECT] }))).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert!(added.body["client_secret"].as_str().unwrap().len() >= 43, "shown once");
    let listed = send("GET", "/api/admin/clients", None).await;
    assert_eq!(listed.body[0]["client_id"], added.body["client_id"]);
    assert!(listed.body[0].get("client_secret").is_none(), "never shown again");
    let path = format!("/api/admin/clients/{}", added.body["client_id"].as_str().unwrap());
    assert_eq!(send("DELETE", &path, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(send("GET", "/api/admin/clients", None).await.body, json!([]));
}

#[tokio::test]
async fn a_disabled_accounts_tokens_stop_working_and_it_gets_no_new_code() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let code = code_for(&server, &client, &cookie).await;
    let tokens = exchange(&server, &client, &code, VERIFIER).await;
    let user_id = server.query_i64("SELECT id FROM users").await;
    assert!(server.state.store.disable_account(user_id).await.unwrap());
    assert_eq!(userinfo(&server, tokens.body["access_token"].as_str().unwrap()).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refresh(&server, &client, tokens.body["refresh_token"].as_str().unwrap()).await.body["error"],
        "invalid_grant"
    );
    let page = get(&server, &authorize_path(&client, &[]), Some(&cookie)).await;
    assert_eq!((page.status, page.header("location")), (StatusCode::OK, None), "the login page, not a code");
    let none = redirected(&get(&server, &authorize_path(&client, &[("prompt", "none")]), Some(&cookie)).await);
    assert_eq!(param(&none, "error"), Some("login_required"));
    assert_eq!(grants(&server).await.0, 1, "no new grant");
}

#[tokio::test]
async fn an_id_token_or_session_token_is_not_an_access_token() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let code = code_for(&server, &client, &cookie).await;
    let tokens = exchange(&server, &client, &code, VERIFIER).await;
    assert_eq!(userinfo(&server, tokens.body["id_token"].as_str().unwrap()).await.status, StatusCode::UNAUTHORIZED);
    let request = Request::post("/api/session/token")
        .header(header::COOKIE, &cookie)
        .header(header::ORIGIN, support::ORIGIN)
        .body(Body::empty())
        .unwrap();
    let session_token = server.send(request).await.body["token"].as_str().unwrap().to_owned();
    assert_eq!(userinfo(&server, &session_token).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_logout_without_a_hint_is_confirmed_on_our_own_page_only() {
    let server = TestServer::new();
    /// The confirmation's form, as a browser posts it with `origin` and `Sec-Fetch-Site: site`.
    fn confirmation(cookie: &str, origin: Option<&str>, site: Option<&str>) -> Request<Body> {
        let mut request = Request::post("/oauth2/logout")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie);
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.body(Body::empty()).unwrap()
    }
    let cookie = signed_up(&server).await;
    for (origin, site) in
        [(None, None), (Some("https://evil.example"), None), (Some("null"), None), (Some("null"), Some("cross-site"))]
    {
        assert_eq!(
            server.send(confirmation(&cookie, origin, site)).await.status,
            StatusCode::BAD_REQUEST,
            "{origin:?} {site:?}"
        );
        assert_eq!(server.counts().await.live_sessions, 1, "a cross-site form does not sign anyone out");
    }
    // What Chromium sends for our own form under `Referrer-Policy: no-referrer`.
    let own_form = server.send(confirmation(&cookie, Some("null"), Some("same-origin"))).await;
    assert_eq!(own_form.status, StatusCode::OK);
    assert_eq!(server.counts().await.live_sessions, 0);
    let cookie = signed_up_as(&server, "grace@example.com").await;
    let confirmed = server.send(confirmation(&cookie, Some(support::ORIGIN), None)).await;
    assert_eq!(confirmed.status, StatusCode::OK);
    assert_eq!(server.counts().await.live_sessions, 0);
}

#[tokio::test]
async fn a_logout_hint_of_someone_else_or_one_that_no_longer_verifies_asks_first() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let mallory = signed_up_as(&server, "mallory@example.com").await;
    let code = code_for(&server, &client, &mallory).await;
    let hint = exchange(&server, &client, &code, VERIFIER).await.body["id_token"].as_str().unwrap().to_owned();
    let ada = signed_up(&server).await;
    let live = server.counts().await.live_sessions;
    let path = format!("/oauth2/logout?id_token_hint={hint}");
    let asked = get(&server, &path, Some(&ada)).await;
    assert_eq!((asked.status, asked.header("location"), asked.cookie.as_deref()), (StatusCode::OK, None, None));
    assert_eq!(server.counts().await.live_sessions, live, "Mallory's own ID token signs Ada out of nothing");
    oidc::keys::rotate(&server.state.store).await.unwrap();
    server.exec("UPDATE signing_keys SET published_until = 1 WHERE retired_at IS NOT NULL").await;
    let stale = get(&server, &format!("/oauth2/logout?id_token_hint={hint}"), Some(&mallory)).await;
    assert_eq!((stale.status, stale.header("location")), (StatusCode::OK, None), "asked, not an error");
    assert_eq!(server.counts().await.live_sessions, live);
}

#[tokio::test]
async fn signing_out_or_a_new_password_ends_the_applications_grants() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let code = code_for(&server, &client, &cookie).await;
    let tokens = exchange(&server, &client, &code, VERIFIER).await;
    let signed_out = server.post_as("/api/signout", &cookie, &json!({})).await;
    assert_eq!(signed_out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        refresh(&server, &client, tokens.body["refresh_token"].as_str().unwrap()).await.body["error"],
        "invalid_grant"
    );

    let password = json!({ "email": "pat@example.com", "password": "velvet-anchor-tulip-92" });
    let pat = server.post("/api/password/signup", &password).await.cookie.unwrap();
    let elsewhere = server.post("/api/password/signin", &password).await.cookie.unwrap();
    let code = code_for(&server, &client, &elsewhere).await;
    let other_device = exchange(&server, &client, &code, VERIFIER).await;
    let code = code_for(&server, &client, &pat).await;
    let this_device = exchange(&server, &client, &code, VERIFIER).await;
    let change = json!({ "current": "velvet-anchor-tulip-92", "password": "another-anchor-tulip-93" });
    assert_eq!(server.post_as("/api/account/password", &pat, &change).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        refresh(&server, &client, other_device.body["refresh_token"].as_str().unwrap()).await.body["error"],
        "invalid_grant"
    );
    assert_eq!(
        refresh(&server, &client, this_device.body["refresh_token"].as_str().unwrap()).await.status,
        StatusCode::OK,
        "the session that changed it keeps its own"
    );
}

#[tokio::test]
async fn the_authorization_request_may_come_as_a_form() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let query = authorize_path(&client, &[]).split_once('?').unwrap().1.to_owned();
    let request = Request::post("/oauth2/authorize")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from(query))
        .unwrap();
    let pairs = redirected(&server.send(request).await);
    assert!(param(&pairs, "code").is_some());
}

#[tokio::test]
async fn a_confidential_client_may_send_its_secret_in_the_form_but_not_two_ways_at_once() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let cookie = signed_up(&server).await;
    let code = code_for(&server, &client, &cookie).await;
    let secret = client.client_secret.clone().unwrap();
    let mut form_only = client.clone();
    form_only.client_secret = None;
    let base = [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", REDIRECT)];
    let mut both = base.to_vec();
    both.extend([("code_verifier", VERIFIER), ("client_secret", secret.as_str())]);
    let twice = token_request(&server, &client, &both).await;
    assert_eq!(twice.body["error"], "invalid_request", "Basic and the form together");
    let without_secret = [&base[..], &[("code_verifier", VERIFIER), ("client_id", client.client_id.as_str())]].concat();
    let refused = token_request(&server, &form_only, &without_secret).await;
    assert_eq!((refused.status, refused.body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_client")));
    assert_eq!(refused.header("www-authenticate"), Some(r#"Basic realm="latchkey""#));
    let post = [&without_secret[..], &[("client_secret", secret.as_str())]].concat();
    let tokens = token_request(&server, &form_only, &post).await;
    assert_eq!(tokens.status, StatusCode::OK, "client_secret_post: {}", tokens.body);
}

#[tokio::test]
async fn twenty_failed_client_authentications_stop_the_address_even_with_the_right_secret() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    let mut impostor = client.clone();
    impostor.client_secret = Some("not-the-secret".into());
    let refresh = [("grant_type", "refresh_token"), ("refresh_token", "made-up")];
    let from = |peer: [u8; 4], who: &ClientInfo| {
        let mut request = token_request_body(who, &refresh);
        let peer = std::net::SocketAddr::from((peer, 50_000));
        request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        request
    };
    for _ in 0..20 {
        let refused = server.send(from([203, 0, 113, 66], &impostor)).await;
        assert_eq!(refused.body["error"], "invalid_client", "{}", refused.body);
    }
    let limited = server.send(from([203, 0, 113, 66], &client)).await;
    assert_eq!(
        (limited.status, limited.body["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("temporarily_unavailable"))
    );
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((890..=900).contains(&wait), "the rest of the quarter hour: {wait}");
    let elsewhere = server.send(from([198, 51, 100, 20], &client)).await;
    assert_eq!(elsewhere.body["error"], "invalid_grant", "another address is authenticated: {}", elsewhere.body);
}

/// A page of the provider as a browser asking for `accept_language` gets it: its HTML.
async fn page_in(server: &TestServer, path: &str, accept_language: &str) -> String {
    let request = Request::get(path).header(header::ACCEPT_LANGUAGE, accept_language).body(Body::empty()).unwrap();
    let response = server.router().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

#[tokio::test]
async fn the_login_page_speaks_ui_locales_else_the_browsers_language_and_discovery_says_which() {
    let server = TestServer::new();
    let client = register(&server, TokenEndpointAuthMethod::ClientSecretBasic).await;
    // The application's name as the page writes it: escaped.
    let heading = |language| fill(texts_for(language).log_in_to_continue, &[("client", "Acme &lt;Notes&gt;")]);

    // OpenID Connect Core 1.0 §3.1.2.1: the first of `ui_locales` Latchkey speaks wins over the browser.
    let html = page_in(&server, &authorize_path(&client, &[("ui_locales", "sv de-CH")]), "fr").await;
    assert!(html.contains(r#"<html lang="de" dir="ltr">"#), "{html}");
    assert!(html.contains(&heading("de")), "{html}");
    // The widget on the page takes the page's `lang`, so it speaks German too.
    assert!(html.contains("<latchkey-login "), "{html}");

    let html = page_in(&server, &authorize_path(&client, &[]), "fr-CA,fr;q=0.9").await;
    assert!(html.contains(r#"<html lang="fr" dir="ltr">"#) && html.contains(&heading("fr")), "{html}");
    let html = page_in(&server, &authorize_path(&client, &[("ui_locales", "tlh")]), "").await;
    assert!(html.contains(r#"<html lang="en" dir="ltr">"#) && html.contains(&heading("en")), "{html}");

    let discovery = get(&server, "/.well-known/openid-configuration", None).await;
    let supported: Vec<&str> =
        discovery.body["ui_locales_supported"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(supported, latchkey_proto::languages::LANGUAGES);
}
