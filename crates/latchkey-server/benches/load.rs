//! The load benchmark's client (`scripts/bench` runs it; results go in BENCHMARKS.md). It talks HTTP/1.1
//! over keep-alive loopback connections to a server (Latchkey, or the Node peer in `scripts/bench-peer`):
//!
//! - `verify SECONDS`: the raw ES256 verify rate of RustCrypto's `p256`, the backend `webauthn_rp`
//!   uses, on the core this runs on.
//! - `run URL USERS SECONDS PHASES`: registers `USERS` accounts with 1Password's software authenticator
//!   (real attestation, real keys), then runs each phase for `SECONDS`: `64` is full passkey sign-ins
//!   (options, a real ES256 assertion signed here, verify) at concurrency 64, `up64` sign-ups at 64.
//! - `fill DATABASE_URL ROWS`: adds `ROWS` rows to the sessions and the events tables, directly, so the
//!   next `run` measures a large database.
//!
//! Each phase prints one JSON line: completions per second, the finish request's p50/p95/p99/max, and the
//! fewest completions in any one second (0 means a stall).
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

#[path = "client/mod.rs"]
mod client;

use std::{
    cell::RefCell,
    time::{Duration, Instant},
};

use client::{Account, Connection, assertion};
use serde_json::{Value, json};

/// One passkey sign-up through the API; returns the finish's status.
async fn sign_up(connection: &mut Connection, email: &str) -> (u16, Option<Account>) {
    client::sign_up(connection, email, "").await.unwrap()
}

/// POSTs JSON and returns the status and the JSON answer; the benchmark fails on any I/O error.
async fn post(connection: &mut Connection, path: &str, body: &Value) -> (u16, Value) {
    let (status, bytes) = connection.send(path, "application/json", body.to_string().as_bytes(), "").await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Timings of one phase.
#[derive(Default)]
struct Phase {
    finishes: Vec<Duration>,
    per_second: Vec<u32>,
    failures: u32,
}

impl Phase {
    fn record(&mut self, started: Instant, finish_took: Duration, ok: bool) {
        if !ok {
            self.failures += 1;
            return;
        }
        self.finishes.push(finish_took);
        let second = started.elapsed().as_secs() as usize;
        if self.per_second.len() <= second {
            self.per_second.resize(second + 1, 0);
        }
        self.per_second[second] += 1;
    }

    fn report(mut self, phase: &str, concurrency: usize, seconds: f64) {
        self.finishes.sort();
        let at = |q: f64| {
            let index = ((self.finishes.len() as f64 - 1.0) * q).round() as usize;
            self.finishes.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        // The last second is partial: the deadline falls inside it.
        let full_seconds =
            &self.per_second[..self.per_second.len().saturating_sub(1).max(1).min(self.per_second.len())];
        let line = json!({
            "phase": phase,
            "concurrency": concurrency,
            "per_second": self.finishes.len() as f64 / seconds,
            "p50_ms": at(0.50),
            "p95_ms": at(0.95),
            "p99_ms": at(0.99),
            "max_ms": at(1.0),
            "fewest_in_a_second": full_seconds.iter().min().copied().unwrap_or(0),
            "failures": self.failures,
        });
        println!("{line}");
    }
}

/// Sign-ins at `concurrency` for `seconds`, accounts taken round-robin.
async fn sign_ins(host: &str, accounts: &RefCell<Vec<Account>>, concurrency: usize, seconds: f64) {
    let phase = RefCell::new(Phase::default());
    let next = RefCell::new(0usize);
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let (phase_ref, next) = (&phase, &next);
    let worker = move |_| async move {
        let phase = phase_ref;
        let mut connection = Connection::open(host).await;
        while Instant::now() < deadline {
            let (_, options) = post(&mut connection, "/api/signin/start", &json!({})).await;
            let credential = {
                let mut accounts = accounts.borrow_mut();
                let index = {
                    let mut next = next.borrow_mut();
                    *next = (*next + 1) % accounts.len();
                    *next
                };
                assertion(&mut accounts[index], &options["publicKey"])
            };
            let finish = json!({ "ceremony": options["ceremony"], "credential": credential });
            let sent = Instant::now();
            let (status, answer) = post(&mut connection, "/api/signin/finish", &finish).await;
            if status != 200 && phase.borrow().failures == 0 {
                eprintln!("sign-in refused ({status}): {answer}");
            }
            phase.borrow_mut().record(started, sent.elapsed(), status == 200);
        }
    };
    futures_util::future::join_all((0..concurrency).map(worker)).await;
    phase.into_inner().report("sign_in", concurrency, started.elapsed().as_secs_f64());
}

/// Sign-ups at `concurrency` for `seconds`, each a new email.
async fn sign_ups(host: &str, concurrency: usize, seconds: f64, run: &str) {
    let phase = RefCell::new(Phase::default());
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let phase_ref = &phase;
    let worker = move |id: usize| {
        let phase = phase_ref;
        async move {
            let mut connection = Connection::open(host).await;
            for n in 0.. {
                if Instant::now() >= deadline {
                    break;
                }
                let sent = Instant::now();
                let (status, _) = sign_up(&mut connection, &format!("load-{run}-{id}-{n}@example.com")).await;
                phase.borrow_mut().record(started, sent.elapsed(), status == 200);
            }
        }
    };
    futures_util::future::join_all((0..concurrency).map(worker)).await;
    phase.into_inner().report("sign_up", concurrency, started.elapsed().as_secs_f64());
}

async fn run(url: &str, users: usize, seconds: f64, phases: &str) {
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let run = format!("{:x}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros());
    let run = run.as_str();
    let mut registered = Vec::with_capacity(users);
    let mut connection = Connection::open(host).await;
    for i in 0..users {
        let (status, account) = sign_up(&mut connection, &format!("user-{run}-{i}@example.com")).await;
        assert_eq!(status, 200, "registering user {i}");
        registered.extend(account);
    }
    let accounts = RefCell::new(registered);
    for phase in phases.split(',') {
        match phase.strip_prefix("up") {
            Some(concurrency) => sign_ups(host, concurrency.parse().unwrap(), seconds, run).await,
            None => sign_ins(host, &accounts, phase.parse().unwrap(), seconds).await,
        }
    }
}

/// The raw ES256 verify rate of `p256` 0.13 (webauthn_rp's backend): one message, one key.
fn verify_rate(seconds: f64) {
    use p256::ecdsa::{Signature, SigningKey, VerifyingKey, signature::Signer, signature::Verifier};
    let signing = SigningKey::from_slice(&[7u8; 32]).unwrap();
    let verifying = VerifyingKey::from(&signing);
    let message = [42u8; 69];
    let signature: Signature = signing.sign(&message);
    let started = Instant::now();
    let mut count = 0u64;
    while started.elapsed().as_secs_f64() < seconds {
        for _ in 0..100 {
            verifying.verify(&message, &signature).unwrap();
        }
        count += 100;
    }
    println!("{}", json!({ "phase": "verify", "per_second": count as f64 / started.elapsed().as_secs_f64() }));
}

/// Adds `rows` live sessions of the first user and `rows` recent events, directly: rows the sweeper
/// keeps, so every later request runs against tables of that size.
async fn fill(database_url: &str, rows: i64) {
    if database_url.starts_with("postgres") {
        let (client, connection) = tokio_postgres::connect(database_url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        client
            .batch_execute(&format!(
                "INSERT INTO sessions (id_hash, user_id, methods, created_at, expires_at)
                   SELECT sha256(i::text::bytea), (SELECT min(id) FROM users), '[\"swk\"]',
                          extract(epoch FROM now())::bigint, extract(epoch FROM now())::bigint + 86400
                   FROM generate_series(1, {rows}) AS i;
                 INSERT INTO events (at, code, user_id, email, ip, user_agent)
                   SELECT extract(epoch FROM now())::bigint - 1000 + i % 1000, 'sign_in', 1, 'fill@example.com',
                          '127.0.0.1', 'load'
                   FROM generate_series(1, {rows}) AS i;
                 ANALYZE"
            ))
            .await
            .unwrap();
    } else {
        let conn = rusqlite::Connection::open(database_url.trim_start_matches("sqlite://")).unwrap();
        conn.busy_timeout(Duration::from_secs(30)).unwrap();
        conn.execute_batch(&format!(
            "BEGIN;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
             INSERT INTO sessions (id_hash, user_id, methods, created_at, expires_at)
               SELECT randomblob(32), (SELECT min(id) FROM users), '[\"swk\"]', unixepoch(), unixepoch() + 86400 FROM n;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
             INSERT INTO events (at, code, user_id, email, ip, user_agent)
               SELECT unixepoch() - 1000 + i % 1000, 'sign_in', 1, 'fill@example.com', '127.0.0.1', 'load' FROM n;
             COMMIT;"
        ))
        .unwrap();
    }
    println!("{}", json!({ "phase": "fill", "rows": rows }));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["verify", seconds] => verify_rate(seconds.parse().unwrap()),
        ["run", url, users, seconds, phases] => {
            runtime.block_on(run(url, users.parse().unwrap(), seconds.parse().unwrap(), phases));
        }
        ["fill", database_url, rows] => runtime.block_on(fill(database_url, rows.parse().unwrap())),
        _ => eprintln!("usage: load verify SECONDS | run URL USERS SECONDS 1,16,64,up64,… | fill DATABASE_URL ROWS"),
    }
}
