//! Benchmark: how long the server takes to finish passkey sign-ups and sign-ins, through `oneshot`
//! with a real SQLite file, for ES256 and Ed25519 passkeys. Only the finish request is timed (ceremony
//! lookup, `webauthn_rp` verification, database writes, session); the software authenticator's signing
//! happens outside the clock. Run with `cargo bench -p latchkey-server`; results go in BENCHMARKS.md.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

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

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    bench(Algorithm::Es256, "ES256").await;
    bench(Algorithm::Ed25519, "Ed25519").await;
}
