//! Server processes for the tests of several nodes and of crashes: the real `latchkey-server` binary on
//! a loopback port, and a small HTTP/1.1 client to talk to it.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use axum::http::StatusCode;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::Answer;

/// The admin token every test node is started with.
pub const ADMIN_TOKEN: &str = "a-test-admin-token-of-some-length";

/// A running `latchkey-server` process; killed when dropped.
pub struct Node {
    child: Child,
    port: u16,
}

impl Node {
    /// Starts a node on `database_url`, writing mail to `outbox`, and waits until it answers.
    pub async fn start(database_url: &str, outbox: &Path) -> Self {
        let node = Self::spawn(database_url, outbox);
        node.wait_until_ready().await;
        node
    }

    /// Starts a node without waiting for it.
    pub fn spawn(database_url: &str, outbox: &Path) -> Self {
        Self::spawn_with(database_url, outbox, &[])
    }

    /// Starts a node with extra settings (`LATCHKEY_…` variables) and waits until it answers.
    pub async fn start_with(database_url: &str, outbox: &Path, settings: &[(&str, &str)]) -> Self {
        let node = Self::spawn_with(database_url, outbox, settings);
        node.wait_until_ready().await;
        node
    }

    fn spawn_with(database_url: &str, outbox: &Path, settings: &[(&str, &str)]) -> Self {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_latchkey-server"))
            .envs(settings.iter().copied())
            .env("LATCHKEY_LISTEN", format!("127.0.0.1:{port}"))
            .env("LATCHKEY_ORIGINS", super::ORIGIN)
            .env("LATCHKEY_DATABASE_URL", database_url)
            .env("LATCHKEY_OUTBOX_DIR", outbox)
            .env("LATCHKEY_STATIC_DIR", outbox)
            .env("LATCHKEY_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        Self { child, port }
    }

    /// Waits (up to 20 s) until the node answers `GET /api/session`.
    pub async fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.try_request("GET", "/api/session", None, None, &[]).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("node on port {} did not start", self.port);
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the process at once with `kill -9`: nothing is flushed or shut down.
    pub fn kill(&self) {
        let killed = Command::new("kill").args(["-9", &self.child.id().to_string()]).status().unwrap();
        assert!(killed.success());
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.request("POST", path, Some(body), None, &[]).await
    }

    pub async fn post_as(&self, path: &str, cookie: &str, body: &Value) -> Answer {
        self.request("POST", path, Some(body), Some(cookie), &[]).await
    }

    pub async fn get_as(&self, path: &str, cookie: &str) -> Answer {
        self.request("GET", path, None, Some(cookie), &[]).await
    }

    /// A request with extra headers; panics if the node does not answer.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        cookie: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Answer {
        self.try_request(method, path, body, cookie, headers).await.unwrap()
    }

    /// A request, or the I/O error of a node that is gone.
    pub async fn try_request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        cookie: Option<&str>,
        headers: &[(&str, &str)],
    ) -> std::io::Result<Answer> {
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nUser-Agent: {}\r\n",
            self.port,
            body.len(),
            super::CHROME_ON_LINUX
        );
        if let Some(cookie) = cookie {
            request.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(&body);
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse(&raw).ok_or_else(|| std::io::Error::other("incomplete answer"))
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Parses an HTTP/1.1 answer with a `Content-Length` body (what axum sends for JSON and empty bodies).
fn parse(raw: &[u8]) -> Option<Answer> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let body = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut cookie = None;
    let mut length = 0;
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_owned());
        match name.as_str() {
            "set-cookie" => cookie = value.split(';').next().map(str::to_owned),
            "content-length" => length = value.parse().ok()?,
            _ => {}
        }
        headers.push((name, value));
    }
    if body.len() < length {
        return None;
    }
    let body = serde_json::from_slice(&body[..length]).unwrap_or(Value::Null);
    Some(Answer { status: StatusCode::from_u16(status).ok()?, body, cookie, headers })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The `.eml` files in an outbox directory.
pub fn mails(outbox: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(outbox).map_or_else(|_| Vec::new(), |dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
}
