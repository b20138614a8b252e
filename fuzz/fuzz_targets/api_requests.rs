//! Fuzzes every request body the server parses, through the whole router as the network would deliver
//! it: any body to any endpoint, as JSON or as a form, with or without a session and the admin token,
//! from one of 256 addresses. Whatever arrives is answered, and never with a 5xx: a handler that
//! panicked would be caught by the panic boundary and show here as a 500.
#![no_main]

use std::{net::SocketAddr, sync::LazyLock};

use axum::{
    Router,
    body::Body,
    extract::ConnectInfo,
    http::{Method, Request, header},
};
use http_body_util::BodyExt;
use latchkey_server::{AppState, app, config::Config};
use libfuzzer_sys::fuzz_target;
use tempfile::TempDir;
use tokio::runtime::Runtime;
use tower::ServiceExt;

const ORIGIN: &str = "http://localhost:8080";
const ADMIN_TOKEN: &str = "fuzz-admin-token-0123456789";

/// Every endpoint that reads a body, with its method and the media type it expects.
const ROUTES: [(Method, &str, Media); 35] = [
    (Method::POST, "/api/signup/start", Media::Json),
    (Method::POST, "/api/signup/finish", Media::Json),
    (Method::POST, "/api/password/signup", Media::Json),
    (Method::POST, "/api/signin/start", Media::Json),
    (Method::POST, "/api/signin/finish", Media::Json),
    (Method::POST, "/api/signin/identify", Media::Json),
    (Method::POST, "/api/signin/verify", Media::Json),
    (Method::POST, "/api/password/signin", Media::Json),
    (Method::POST, "/api/session/token", Media::Json),
    (Method::POST, "/api/signout", Media::Json),
    (Method::POST, "/api/password/forgot", Media::Json),
    (Method::POST, "/api/password/reset", Media::Json),
    (Method::POST, "/api/account/password", Media::Json),
    (Method::POST, "/api/passkeys/start", Media::Json),
    (Method::POST, "/api/passkeys/finish", Media::Json),
    (Method::POST, "/api/passkeys/rename", Media::Json),
    (Method::POST, "/api/passkeys/decline", Media::Json),
    (Method::POST, "/api/passkeys/delete", Media::Json),
    (Method::POST, "/api/account/email", Media::Json),
    (Method::POST, "/api/account/email/verify", Media::Json),
    (Method::PUT, "/api/admin/policy", Media::Json),
    (Method::POST, "/api/admin/clients", Media::Json),
    (Method::DELETE, "/api/admin/clients/fuzz", Media::Json),
    (Method::POST, "/api/admin/users/1/disable", Media::Json),
    (Method::POST, "/api/admin/users/1/enable", Media::Json),
    (Method::GET, "/api/admin/events?limit=5", Media::Json),
    (Method::POST, "/oauth2/token", Media::Form),
    (Method::POST, "/oauth2/revoke", Media::Form),
    (Method::POST, "/oauth2/userinfo", Media::Form),
    (Method::POST, "/oauth2/authorize", Media::Form),
    (Method::POST, "/oauth2/authorize/again", Media::Form),
    (Method::POST, "/oauth2/logout", Media::Form),
    (Method::GET, "/oauth2/authorize", Media::Query),
    (Method::POST, "/email", Media::Form),
    (Method::GET, "/email", Media::Query),
];

/// How a route takes its parameters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Media {
    Json,
    Form,
    /// In the query: the fuzzed bytes are appended to the path after `?`.
    Query,
}

/// A server on a SQLite file, with one person signed up with a password and signed in.
struct Server {
    runtime: Runtime,
    router: Router,
    cookie: String,
    _dir: TempDir,
}

static SERVER: LazyLock<Server> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let dir = tempfile::tempdir().expect("a directory");
    let config = Config {
        database_url: format!("sqlite://{}", dir.path().join("fuzz.sqlite3").display()),
        static_dir: dir.path().to_path_buf(),
        outbox_dir: dir.path().join("outbox"),
        admin_token: Some(ADMIN_TOKEN.into()),
        ..Config::default()
    };
    let (router, cookie) = runtime.block_on(async {
        let router = app(AppState::new(config).expect("the server's state"));
        let body = r#"{"email":"fuzz@example.com","password":"velvet-anchor-tulip-92"}"#;
        let request = Request::post("/api/password/signup")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ORIGIN, ORIGIN)
            .body(Body::from(body))
            .expect("a request");
        let answer = router.clone().oneshot(with_peer(request, 1)).await.expect("an answer");
        let cookie = answer.headers().get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).expect("a session");
        (router, cookie.split(';').next().unwrap_or_default().to_owned())
    });
    Server { runtime, router, cookie, _dir: dir }
});

fn with_peer(mut request: Request<Body>, peer: u8) -> Request<Body> {
    request.extensions_mut().insert(ConnectInfo(SocketAddr::from(([192, 0, 2, peer], 40_000))));
    request
}

// The input: a route, an address, flags (bit 0: the session cookie, bit 1: the admin token, bit 2:
// the other media type), then the body.
fuzz_target!(|data: &[u8]| {
    let [route, peer, flags, body @ ..] = data else { return };
    let server = &*SERVER;
    let (method, path, media) = &ROUTES[usize::from(*route) % ROUTES.len()];
    let swapped = flags & 4 != 0;
    let content_type = match (media, swapped) {
        (Media::Json, false) | (Media::Form, true) => "application/json",
        _ => "application/x-www-form-urlencoded",
    };
    let (uri, body) = match media {
        Media::Query => (format!("{path}?{}", String::from_utf8_lossy(body)), Vec::new()),
        _ => ((*path).to_owned(), body.to_vec()),
    };
    let Ok(mut request) = Request::builder()
        .method(method.clone())
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ORIGIN, ORIGIN)
        .body(Body::from(body))
    else {
        return;
    };
    if flags & 1 != 0 {
        request.headers_mut().insert(header::COOKIE, server.cookie.parse().expect("a cookie header"));
    }
    if flags & 2 != 0 {
        let bearer = format!("Bearer {ADMIN_TOKEN}").parse().expect("an authorization header");
        request.headers_mut().insert(header::AUTHORIZATION, bearer);
    }
    let request = with_peer(request, *peer);
    server.runtime.block_on(async {
        let answer = server.router.clone().oneshot(request).await.expect("an answer");
        let status = answer.status();
        let body = answer.into_body().collect().await.expect("the answer's body").to_bytes();
        assert!(!status.is_server_error(), "{method} {path}: {status} {}", String::from_utf8_lossy(&body));
    });
});
