//! The HTTP/1.1 client of the load benchmark and the soak: keep-alive loopback connections that honour
//! `Connection: close`, and a passkey account that signs its own assertions.
// A module of a bench target: `pub` for its readers, unreachable from outside it.
#![allow(unreachable_pub)]

use std::io;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use passkey_crypto::{SecretKeyT, rust_crypto::RustCryptoSecretKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

use super::support::{Device, ORIGIN};

/// One keep-alive HTTP/1.1 connection, opened again after the server said it would close it.
pub struct Connection {
    stream: Option<BufReader<TcpStream>>,
    host: String,
}

impl Connection {
    pub async fn open(host: &str) -> Self {
        let mut connection = Self { stream: None, host: host.to_owned() };
        connection.stream().await.unwrap();
        connection
    }

    async fn stream(&mut self) -> io::Result<&mut BufReader<TcpStream>> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(&self.host).await?;
            stream.set_nodelay(true)?;
            self.stream = Some(BufReader::new(stream));
        }
        Ok(self.stream.as_mut().expect("opened above"))
    }

    /// POSTs `body` as `content_type` with `headers` (header lines, each ending in CRLF) added; the
    /// status and the answer's bytes. An error drops the connection, so the next request opens a new
    /// one.
    pub async fn send(
        &mut self,
        path: &str,
        content_type: &str,
        body: &[u8],
        headers: &str,
    ) -> io::Result<(u16, Vec<u8>)> {
        let reused = self.stream.is_some();
        let mut answer = self.exchange(path, content_type, body, headers).await;
        if answer.is_err() {
            self.stream = None;
        }
        // A kept-alive connection the server closed before it read the request (after an answer to a
        // request whose body it did not read, say): retried once on a new one, as RFC 9112 §9.3.1
        // allows and browsers do, since the server never saw it.
        if reused && answer.as_ref().is_err_and(closed_before_reading) {
            answer = self.exchange(path, content_type, body, headers).await;
            if answer.is_err() {
                self.stream = None;
            }
        }
        answer
    }

    async fn exchange(
        &mut self,
        path: &str,
        content_type: &str,
        body: &[u8],
        headers: &str,
    ) -> io::Result<(u16, Vec<u8>)> {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{headers}\r\n",
            self.host,
            body.len()
        );
        let stream = self.stream().await?;
        stream.get_mut().write_all(head.as_bytes()).await?;
        stream.get_mut().write_all(body).await?;
        let mut line = String::new();
        if stream.read_line(&mut line).await? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed before an answer"));
        }
        let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        // Past the status line a failure is an answer cut off, never one to send again.
        let (bytes, closing) =
            read_after_status(stream, line).await.map_err(|e| io::Error::other(format!("an answer cut off: {e}")))?;
        if closing {
            self.stream = None;
        }
        Ok((status, bytes))
    }
}

/// The headers and the body after the status line: the body, and whether the server will close.
async fn read_after_status(stream: &mut BufReader<TcpStream>, mut line: String) -> io::Result<(Vec<u8>, bool)> {
    let (mut length, mut closing) = (0usize, false);
    loop {
        line.clear();
        stream.read_line(&mut line).await?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().map_err(|_| io::Error::other("a bad Content-Length"))?;
            }
            closing |= name.eq_ignore_ascii_case("connection") && value.trim().eq_ignore_ascii_case("close");
        }
    }
    let mut bytes = vec![0; length];
    stream.read_exact(&mut bytes).await?;
    Ok((bytes, closing))
}

/// Whether an error says the server closed the connection without answering.
fn closed_before_reading(error: &io::Error) -> bool {
    matches!(error.kind(), io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe)
}

/// A registered account as the client signs for it.
pub struct Account {
    pub credential_id: Vec<u8>,
    pub user_handle: Vec<u8>,
    pub key: RustCryptoSecretKey,
}

/// A `navigator.credentials.get()` answer for `options`, signed with the account's key: the flags are
/// UP, UV, BE and BS (a synced passkey, as 1Password's authenticator registers it), and the counter stays 0
/// (the authenticator keeps none), as a platform passkey answers.
pub fn assertion(account: &mut Account, options: &Value) -> Value {
    let challenge = options["challenge"].as_str().unwrap_or_default();
    let client_data =
        format!(r#"{{"type":"webauthn.get","challenge":"{challenge}","origin":"{ORIGIN}","crossOrigin":false}}"#);
    let mut auth_data = Sha256::digest(b"localhost").to_vec();
    auth_data.push(0x1d);
    auth_data.extend_from_slice(&0u32.to_be_bytes());
    let mut signed = auth_data.clone();
    signed.extend_from_slice(&Sha256::digest(client_data.as_bytes()));
    let id = URL_SAFE_NO_PAD.encode(&account.credential_id);
    json!({
        "id": id,
        "rawId": id,
        "type": "public-key",
        "response": {
            "clientDataJSON": URL_SAFE_NO_PAD.encode(client_data),
            "authenticatorData": URL_SAFE_NO_PAD.encode(&auth_data),
            "signature": URL_SAFE_NO_PAD.encode(account.key.sign(&signed)),
            "userHandle": URL_SAFE_NO_PAD.encode(&account.user_handle),
        },
        "authenticatorAttachment": "platform",
        "clientExtensionResults": {},
    })
}

/// One passkey sign-up through the API, with `headers` on both requests; the finish's status, and the
/// account if it was created.
pub async fn sign_up(connection: &mut Connection, email: &str, headers: &str) -> io::Result<(u16, Option<Account>)> {
    let body = json!({ "email": email }).to_string();
    let (_, started) = connection.send("/api/signup/start", "application/json", body.as_bytes(), headers).await?;
    let started: Value = serde_json::from_slice(&started).unwrap_or(Value::Null);
    let mut device = Device::without_counter();
    let credential = device.create(&started["publicKey"]).await;
    let finish = json!({ "ceremony": started["ceremony"], "credential": credential }).to_string();
    let (status, _) = connection.send("/api/signup/finish", "application/json", finish.as_bytes(), headers).await?;
    let (credential_id, user_handle, key) = device.newest_passkey();
    Ok((status, (status == 200).then_some(Account { credential_id, user_handle, key })))
}
