//! Test support: the server on a fresh database, and 1Password's software authenticator speaking the
//! W3C JSON serialization, so every test runs real ceremonies with real signatures.
//!
//! The database is a new SQLite file, or, when `LATCHKEY_TEST_POSTGRES` names a PostgreSQL server
//! (`scripts/test` starts one), a new database on it: the whole suite runs on both engines.
// Each test binary (tests/api.rs, benches/ceremonies.rs) uses a different part of this module.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, missing_docs)]

pub mod node;

use async_trait::async_trait;
use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use http_body_util::BodyExt;
use latchkey_server::{AppState, app, config::Config};
use passkey_authenticator::{
    Authenticator, CredentialStore, DiscoverabilitySupport, StoreInfo, UiHint, UserCheck, UserValidationMethod,
};
use passkey_client::{Client, DefaultClientData};
use passkey_crypto::{
    SecretKeyT,
    hash::Sha256Backend,
    iana,
    rust_crypto::{RustCryptoBackend, RustCryptoSecretKey, RustCryptoSha2},
};
use passkey_types::{
    Passkey,
    ctap2::{
        Aaguid, Ctap2Error, StatusCode as CtapStatus,
        make_credential::{Options, PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity},
    },
    encoding::{base64url, try_from_base64url},
    webauthn,
};
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

/// A desktop Chrome's User-Agent header.
pub const CHROME_ON_LINUX: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/// The demo's origin, which the test server allows.
pub const ORIGIN: &str = "http://localhost:8080";

/// The server under test, on its own database file.
pub struct TestServer {
    pub state: AppState,
    router: Router,
    _dir: TempDir,
}

/// A database of its own for one test server: a new SQLite file in `dir`, or a new database on the
/// PostgreSQL server `LATCHKEY_TEST_POSTGRES` names.
pub fn fresh_database(dir: &TempDir) -> String {
    match std::env::var("LATCHKEY_TEST_POSTGRES") {
        Ok(server) => fresh_postgres_database(&server),
        Err(_) => format!("sqlite://{}", dir.path().join("test.sqlite3").display()),
    }
}

/// Creates a database with a random name on `server` (a `postgres://…/postgres` URL) and returns its
/// URL. The synchronous client runs on a thread of its own, outside the test's runtime.
pub fn fresh_postgres_database(server: &str) -> String {
    let name = format!("t_{:016x}", rand::random::<u64>());
    let admin = server.to_owned();
    let created = name.clone();
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
        client.batch_execute(&format!("CREATE DATABASE {created}")).unwrap();
    })
    .join()
    .unwrap();
    let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
    format!("{base}/{name}")
}

/// One HTTP answer.
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub cookie: Option<String>,
    /// Header names (lowercase) and values.
    pub headers: Vec<(String, String)>,
}

impl Answer {
    /// The value of a header (by its lowercase name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The error code of an error answer.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("<none>")
    }
}

impl TestServer {
    pub fn new() -> Self {
        Self::with_config(|_| {})
    }

    /// A server on a SQLite file whatever the environment says, for tests of SQLite itself.
    pub fn on_sqlite() -> Self {
        Self::with_database(|dir| format!("sqlite://{}", dir.path().join("test.sqlite3").display()), |_| {})
    }

    pub fn with_config(adjust: impl FnOnce(&mut Config)) -> Self {
        Self::with_database(fresh_database, adjust)
    }

    fn with_database(database: impl FnOnce(&TempDir) -> String, adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            database_url: database(&dir),
            static_dir: dir.path().to_path_buf(),
            outbox_dir: dir.path().join("outbox"),
            ..Config::default()
        };
        adjust(&mut config);
        let state = AppState::new(config).unwrap();
        Self { router: app(state.clone()), state, _dir: dir }
    }

    /// The router itself, for tests that read an answer's raw bytes.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// Sends a request and reads the answer.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_owned);
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap_or_default().to_owned()))
            .collect();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer { status, body, cookie, headers }
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.post_raw(path, "application/json", body.to_string()).await
    }

    /// A JSON `POST` over a connection from `peer` (an address, as the connection loop records it),
    /// with extra `headers`.
    pub async fn post_from(&self, peer: &str, path: &str, body: &Value, headers: &[(&str, &str)]) -> Answer {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = request.body(Body::from(body.to_string())).unwrap();
        let peer: std::net::IpAddr = peer.parse().unwrap();
        request.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((peer, 50_000))));
        self.send(request).await
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: String) -> Answer {
        let request = Request::post(path).header(header::CONTENT_TYPE, content_type).body(Body::from(body)).unwrap();
        self.send(request).await
    }

    /// A JSON `POST` with the session cookie (and a browser's User-Agent, which names new passkeys).
    pub async fn post_as(&self, path: &str, cookie: &str, body: &Value) -> Answer {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie)
            .header(header::USER_AGENT, CHROME_ON_LINUX)
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// The directory reset mail is written to.
    pub fn outbox(&self) -> std::path::PathBuf {
        self.state.config.outbox_dir.clone()
    }

    /// Every message written to the outbox so far, decoded from quoted-printable as far as ASCII needs
    /// (soft line breaks, and `=` written as `=3D`).
    pub fn mails(&self) -> Vec<String> {
        self.raw_mails().into_iter().map(|mail| mail.replace("=\r\n", "").replace("=3D", "=")).collect()
    }

    /// Every message written to the outbox so far, as written (for a MIME parser to read).
    pub fn raw_mails(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(self.outbox()) else { return Vec::new() };
        dir.map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// The token of every reset link mailed so far.
    pub fn reset_tokens(&self) -> Vec<String> {
        self.mails().iter().filter_map(|mail| reset_token_in(mail)).collect()
    }

    /// Waits (up to 5 s: the worker sends in the background) for a mail that `matches`, and returns it;
    /// `what` names it in the failure.
    pub async fn wait_for_mail(&self, what: &str, matches: impl Fn(&str) -> bool) -> String {
        for _ in 0..250 {
            if let Some(mail) = self.mails().into_iter().find(|m| matches(m)) {
                return mail;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("no mail {what} in {:?}", self.mails());
    }

    /// Waits for a reset link that is not among `before`, and returns its token.
    pub async fn next_reset_token(&self, before: &[String]) -> String {
        let mail = self
            .wait_for_mail("with a new reset link", |m| reset_token_in(m).is_some_and(|t| !before.contains(&t)))
            .await;
        reset_token_in(&mail).unwrap()
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> Answer {
        self.send(Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
    }

    /// Rows in each table, and every passkey's counter, backup state and last use, to prove a refused
    /// request changed nothing.
    pub async fn counts(&self) -> Counts {
        let count = |table: &str| self.query_i64_owned(format!("SELECT count(*) FROM {table}"));
        let passkey_state = self
            .state
            .store
            .query_text_for_tests(if self.state.store.is_postgres() {
                "SELECT string_agg(sign_count || ':' || backup_state || ':' || coalesce(last_used_at::text, '-'), ','
                                   ORDER BY id)
                 FROM passkeys"
                    .into()
            } else {
                "SELECT group_concat(sign_count || ':' || backup_state || ':' || ifnull(last_used_at, '-'))
                 FROM (SELECT * FROM passkeys ORDER BY id)"
                    .into()
            })
            .await
            .unwrap()
            .unwrap_or_default();
        Counts {
            users: count("users").await,
            passkeys: count("passkeys").await,
            sessions: count("sessions").await,
            live_sessions: self.query_i64("SELECT count(*) FROM sessions WHERE revoked_at IS NULL").await,
            passkey_state,
        }
    }

    /// Runs SQL, for tests that age or inspect rows directly.
    pub async fn exec(&self, sql: &'static str) {
        self.state.store.execute_batch_for_tests(sql).await.unwrap();
    }

    pub async fn query_i64(&self, sql: &'static str) -> i64 {
        self.query_i64_owned(sql.to_owned()).await
    }

    pub async fn query_text(&self, sql: &'static str) -> String {
        self.state.store.query_text_for_tests(sql.to_owned()).await.unwrap().unwrap_or_default()
    }

    async fn query_i64_owned(&self, sql: String) -> i64 {
        self.state.store.query_i64_for_tests(sql).await.unwrap()
    }

    /// Starts a sign-up and returns the ceremony ID and the creation options.
    pub async fn start_sign_up(&self, email: &str) -> (String, Value) {
        let started = self.post("/api/signup/start", &json!({ "email": email })).await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.body);
        (started.body["ceremony"].as_str().unwrap().to_owned(), started.body["publicKey"].clone())
    }

    pub async fn start_sign_in(&self) -> (String, Value) {
        let started = self.post("/api/signin/start", &json!({})).await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.body);
        (started.body["ceremony"].as_str().unwrap().to_owned(), started.body["publicKey"].clone())
    }

    pub async fn finish(&self, path: &str, ceremony: &str, credential: &Value) -> Answer {
        self.post(path, &json!({ "ceremony": ceremony, "credential": credential })).await
    }

    /// A full passkey sign-up through the API.
    pub async fn sign_up(&self, device: &mut Device, email: &str) -> Answer {
        let (ceremony, options) = self.start_sign_up(email).await;
        let credential = device.create(&options).await;
        self.finish("/api/signup/finish", &ceremony, &credential).await
    }

    /// A full discoverable passkey sign-in through the API.
    pub async fn sign_in(&self, device: &mut Device) -> Answer {
        let (ceremony, options) = self.start_sign_in().await;
        let credential = device.get(&options).await;
        self.finish("/api/signin/finish", &ceremony, &credential).await
    }
}

#[derive(Debug, PartialEq, Eq, Clone, Default)]
pub struct Counts {
    pub users: i64,
    pub passkeys: i64,
    pub sessions: i64,
    pub live_sessions: i64,
    pub passkey_state: String,
}

/// A credential store that, unlike passkey-rs's `MemoryStore`, answers a discoverable request (no
/// allow list) with every credential of the RP, newest first.
#[derive(Default, Clone)]
pub struct VecStore {
    pub creds: Vec<Passkey>,
}

#[async_trait]
impl CredentialStore for VecStore {
    type PasskeyItem = Passkey;

    async fn find_credentials(
        &self,
        ids: Option<&[webauthn::PublicKeyCredentialDescriptor]>,
        rp_id: &str,
        _user_handle: Option<&[u8]>,
    ) -> Result<Vec<Passkey>, CtapStatus> {
        let found: Vec<Passkey> = self
            .creds
            .iter()
            .rev()
            .filter(|p| p.rp_id == rp_id)
            .filter(|p| ids.is_none_or(|list| list.iter().any(|d| d.id == p.credential_id)))
            .cloned()
            .collect();
        if found.is_empty() { Err(Ctap2Error::NoCredentials.into()) } else { Ok(found) }
    }

    async fn save_credential(
        &mut self,
        cred: Passkey,
        _user: PublicKeyCredentialUserEntity,
        _rp: PublicKeyCredentialRpEntity,
        _options: Options,
    ) -> Result<(), CtapStatus> {
        self.creds.push(cred);
        Ok(())
    }

    async fn update_credential(&mut self, cred: &Passkey) -> Result<(), CtapStatus> {
        if let Some(slot) = self.creds.iter_mut().find(|p| p.credential_id == cred.credential_id) {
            *slot = cred.clone();
        }
        Ok(())
    }

    async fn get_info(&self) -> StoreInfo {
        StoreInfo { discoverability: DiscoverabilitySupport::ForcedDiscoverable }
    }
}

/// A person who always consents and can verify themselves.
pub struct ConsentingUser;

#[async_trait]
impl UserValidationMethod for ConsentingUser {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        hint: UiHint<'a, Passkey>,
        presence: bool,
        verification: bool,
    ) -> Result<UserCheck, Ctap2Error> {
        // Like a browser, refuse to make a second credential where excludeCredentials names one.
        if let UiHint::InformExcludedCredentialFound(_) = hint {
            return Err(Ctap2Error::CredentialExcluded);
        }
        Ok(UserCheck { presence, verification })
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }
}

type SoftClient = Client<VecStore, ConsentingUser, RustCryptoBackend, public_suffix::PublicSuffixList, ()>;

/// A device with a software authenticator and a browser-like client at [`ORIGIN`].
pub struct Device {
    client: SoftClient,
    origin: url::Url,
}

/// The signature algorithm a device's authenticator uses.
#[derive(Clone, Copy)]
pub enum Algorithm {
    Es256,
    Ed25519,
}

impl Device {
    /// A device whose authenticator keeps a signature counter and uses `algorithm`.
    pub fn new(algorithm: Algorithm) -> Self {
        Self::at_origin(algorithm, ORIGIN)
    }

    pub fn at_origin(algorithm: Algorithm, origin: &str) -> Self {
        let mut authenticator =
            Authenticator::new(Aaguid::new_empty(), VecStore::default(), ConsentingUser, RustCryptoBackend);
        authenticator.set_make_credentials_with_signature_counter(true);
        let alg = match algorithm {
            Algorithm::Es256 => iana::Algorithm::ES256,
            Algorithm::Ed25519 => iana::Algorithm::EdDSA,
        };
        authenticator.set_algorithms(&[alg]).unwrap();
        let client = Client::new(authenticator).allows_insecure_localhost(true);
        Self { client, origin: url::Url::parse(origin).unwrap() }
    }

    /// `navigator.credentials.create` followed by `toJSON()`.
    pub async fn create(&mut self, options: &Value) -> Value {
        let public_key: webauthn::PublicKeyCredentialCreationOptions = serde_json::from_value(options.clone()).unwrap();
        let request = webauthn::CredentialCreationOptions { public_key };
        let created = self.client.register(&self.origin, request, DefaultClientData).await.unwrap();
        let r = &created.response;
        json!({
            "id": created.id,
            "rawId": base64url(&created.raw_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": base64url(&r.client_data_json),
                "attestationObject": base64url(&r.attestation_object),
                "authenticatorData": base64url(&r.authenticator_data),
                "transports": r.transports,
                "publicKey": r.public_key.as_ref().map(|k| base64url(k)),
                "publicKeyAlgorithm": r.public_key_algorithm,
            },
            "authenticatorAttachment": created.authenticator_attachment,
            "clientExtensionResults": created.client_extension_results,
        })
    }

    /// `navigator.credentials.get` followed by `toJSON()`.
    pub async fn get(&mut self, options: &Value) -> Value {
        let public_key: webauthn::PublicKeyCredentialRequestOptions = serde_json::from_value(options.clone()).unwrap();
        let request = webauthn::CredentialRequestOptions { public_key };
        let asserted = self.client.authenticate(&self.origin, request, DefaultClientData).await.unwrap();
        let r = &asserted.response;
        json!({
            "id": asserted.id,
            "rawId": base64url(&asserted.raw_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": base64url(&r.client_data_json),
                "authenticatorData": base64url(&r.authenticator_data),
                "signature": base64url(&r.signature),
                "userHandle": r.user_handle.as_ref().map(|h| base64url(h)),
            },
            "authenticatorAttachment": asserted.authenticator_attachment,
            "clientExtensionResults": asserted.client_extension_results,
        })
    }

    /// The newest passkey's credential ID, user handle and private key, for a load client that signs
    /// its own assertions (the benchmark).
    pub fn newest_passkey(&self) -> (Vec<u8>, Vec<u8>, RustCryptoSecretKey) {
        let passkey = self.client.authenticator().store().creds.last().unwrap();
        let user_handle = passkey.user_handle.as_ref().map(|h| h.to_vec()).unwrap_or_default();
        (passkey.credential_id.to_vec(), user_handle, RustCryptoSecretKey::from_cose_key(&passkey.key).unwrap())
    }

    /// A device whose authenticator keeps no signature counter (counter 0), as most platform
    /// passkeys do: its assertions can be signed by anyone holding the key, in any order.
    pub fn without_counter() -> Self {
        let mut device = Self::new(Algorithm::Es256);
        device.client.authenticator_mut().set_make_credentials_with_signature_counter(false);
        device
    }

    /// A second device holding a copy of this one's passkeys: what a cloned authenticator would be.
    pub fn clone_authenticator(&self) -> Self {
        let mut copy = Self::new(Algorithm::Es256);
        copy.client.authenticator_mut().store_mut().creds = self.client.authenticator().store().creds.clone();
        copy.origin = self.origin.clone();
        copy
    }

    /// Signs an assertion again after a test changed its signed parts, as a malicious authenticator
    /// holding the private key could; this isolates the check under test from the signature check.
    pub fn resign(&self, credential: &Value) -> Value {
        let mut credential = credential.clone();
        let id = decode(&credential["rawId"]);
        let passkey = self.client.authenticator().store().creds.iter().find(|p| *p.credential_id == *id).unwrap();
        let mut key = RustCryptoSecretKey::from_cose_key(&passkey.key).unwrap();
        let mut message = decode(&credential["response"]["authenticatorData"]);
        message.extend_from_slice(&RustCryptoSha2::sha256(&decode(&credential["response"]["clientDataJSON"])));
        credential["response"]["signature"] = Value::String(base64url(&key.sign(&message)));
        credential
    }
}

/// A device with a passkey for a new account of `email`.
pub async fn signed_up(server: &TestServer, algorithm: Algorithm, email: &str) -> Device {
    let mut device = Device::new(algorithm);
    let answer = server.sign_up(&mut device, email).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    device
}

/// Asserts a refusal and that the users, passkeys (with their counters) and sessions are as they were.
pub async fn assert_refused(server: &TestServer, before: &Counts, answer: &Answer, status: StatusCode, code: &str) {
    assert_eq!((answer.status, answer.code()), (status, code), "{}", answer.body);
    assert!(answer.body["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(answer.cookie.is_none(), "a refusal must not set a cookie");
    assert_eq!(&server.counts().await, before);
}

/// The token of the reset link in a mail, if it has one.
pub fn reset_token_in(mail: &str) -> Option<String> {
    let start = mail.find("#latchkey-reset=")? + "#latchkey-reset=".len();
    Some(mail[start..].split_whitespace().next()?.to_owned())
}

/// Decodes a base64url JSON string.
pub fn decode(value: &Value) -> Vec<u8> {
    try_from_base64url(value.as_str().unwrap()).unwrap()
}

/// Decodes the base64url string at `pointer`, changes it and encodes it back.
pub fn tamper(credential: &Value, pointer: &str, change: impl FnOnce(&mut Vec<u8>)) -> Value {
    let mut credential = credential.clone();
    let slot = credential.pointer_mut(pointer).unwrap();
    let mut bytes = try_from_base64url(slot.as_str().unwrap()).unwrap();
    change(&mut bytes);
    *slot = Value::String(base64url(&bytes));
    credential
}

/// Replaces text in the client data JSON (not signed in a `none` attestation registration).
pub fn with_client_data(credential: &Value, from: &str, to: &str) -> Value {
    tamper(credential, "/response/clientDataJSON", |bytes| {
        *bytes = String::from_utf8(bytes.clone()).unwrap().replace(from, to).into_bytes();
    })
}

/// Changes a registration's authenticator data, both the copy the server verifies (inside the
/// attestation object) and the convenience copy beside it.
pub fn tamper_registration_auth_data(credential: &Value, change: impl FnOnce(&mut Vec<u8>)) -> Value {
    let old = decode(&credential["response"]["authenticatorData"]);
    let mut new = old.clone();
    change(&mut new);
    assert_eq!(old.len(), new.len());
    let mut credential = tamper(credential, "/response/attestationObject", |att| {
        let at = att.windows(old.len()).position(|w| w == old.as_slice()).unwrap();
        att[at..at + old.len()].copy_from_slice(&new);
    });
    credential["response"]["authenticatorData"] = Value::String(base64url(&new));
    credential
}

/// `created` (a registration response) answered with `taken`'s credential ID instead of its own, as a
/// malicious authenticator could: attestation "none" signs nothing, so only the bytes change.
pub fn with_credential_id_of(created: &Value, taken: &Value) -> Value {
    let (taken_id, own_id) = (decode(&taken["rawId"]), decode(&created["rawId"]));
    assert_eq!(taken_id.len(), own_id.len(), "the swap keeps the authenticator data's length");
    let swap = |bytes: &mut Vec<u8>| {
        let at = bytes.windows(own_id.len()).position(|w| w == own_id.as_slice()).unwrap();
        bytes[at..at + taken_id.len()].copy_from_slice(&taken_id);
    };
    let mut stolen = tamper_registration_auth_data(created, swap);
    stolen["id"] = taken["id"].clone();
    stolen["rawId"] = taken["rawId"].clone();
    stolen
}

pub fn encode(bytes: &[u8]) -> String {
    base64url(bytes)
}
