//! Benchmark: how long the server takes to finish passkey sign-ups and sign-ins, through `oneshot`
//! with a real SQLite file, for ES256 and Ed25519 passkeys. Only the finish request is timed (ceremony
//! lookup, `webauthn_rp` verification, database writes, session); the software authenticator's signing
//! happens outside the clock. It then times the answers that must not tell whether an account exists
//! (identifier-first and password sign-in, for known and unknown emails). Run with
//! `cargo bench -p latchkey-server`; results go in BENCHMARKS.md.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::{Algorithm, Device, TestServer};

const ROUNDS: usize = 400;

fn summary(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let total: Duration = samples.iter().sum();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    println!(
        "{label:<28} n={:<4} mean={:>7.0} µs  p50={:>7.0} µs  p95={:>7.0} µs  ({:.0}/s one at a time)",
        samples.len(),
        total.as_micros() as f64 / samples.len() as f64,
        at(0.50).as_micros() as f64,
        at(0.95).as_micros() as f64,
        samples.len() as f64 / total.as_secs_f64(),
    );
}

async fn bench(algorithm: Algorithm, name: &str) {
    let server = TestServer::new();
    let mut sign_ups = Vec::with_capacity(ROUNDS);
    let mut devices = Vec::with_capacity(ROUNDS);
    for i in 0..ROUNDS {
        let mut device = Device::new(algorithm);
        let (ceremony, options) = server.start_sign_up(&format!("user{i}@example.com")).await;
        let credential = device.create(&options).await;
        let started = Instant::now();
        let answer = server.finish("/api/signup/finish", &ceremony, &credential).await;
        sign_ups.push(started.elapsed());
        assert!(answer.status.is_success());
        devices.push(device);
    }
    let mut sign_ins = Vec::with_capacity(ROUNDS);
    for device in &mut devices {
        let (ceremony, options) = server.start_sign_in().await;
        let credential = device.get(&options).await;
        let started = Instant::now();
        let answer = server.finish("/api/signin/finish", &ceremony, &credential).await;
        sign_ins.push(started.elapsed());
        assert!(answer.status.is_success());
    }
    summary(&format!("sign-up finish, {name}"), sign_ups);
    summary(&format!("sign-in finish, {name}"), sign_ins);
}

/// Rounds of each password request: argon2id at 19 MiB takes tens of milliseconds.
const PASSWORD_ROUNDS: usize = 60;

async fn time_post(server: &TestServer, path: &str, body: &serde_json::Value, rounds: usize) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        let answer = server.post(path, body).await;
        samples.push(started.elapsed());
        assert!(answer.status.as_u16() < 500, "{}", answer.body);
    }
    samples
}

/// Known and unknown emails, side by side: the enumeration rule in time as well as in shape.
async fn bench_enumeration() {
    let server = TestServer::new();
    let password = "velvet-anchor-tulip-92";
    server.post("/api/password/signup", &json!({ "email": "pat@example.com", "password": password })).await;
    let mut device = Device::new(Algorithm::Es256);
    server.sign_up(&mut device, "ada@example.com").await;
    let wrong = |email: &str| json!({ "email": email, "password": "not-the-password-1" });
    let sign_in = "/api/password/signin";
    summary("password, wrong", time_post(&server, sign_in, &wrong("pat@example.com"), PASSWORD_ROUNDS).await);
    summary(
        "password, unknown email",
        time_post(&server, sign_in, &wrong("nobody@example.com"), PASSWORD_ROUNDS).await,
    );
    summary("password, passkey-only", time_post(&server, sign_in, &wrong("ada@example.com"), PASSWORD_ROUNDS).await);
    let identify = |email: &str| json!({ "email": email });
    let path = "/api/signin/identify";
    summary("identify, account", time_post(&server, path, &identify("ada@example.com"), ROUNDS).await);
    let unknown = time_post(&server, path, &identify("nobody@example.com"), ROUNDS).await;
    summary("identify, unknown email", unknown);
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    bench(Algorithm::Es256, "ES256").await;
    bench(Algorithm::Ed25519, "Ed25519").await;
    bench_enumeration().await;
}
