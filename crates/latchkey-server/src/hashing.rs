//! Where argon2 runs: on the blocking pool, at most [`MAX_AT_ONCE`] at a time, and at most one at a time
//! per client address. A guesser's burst then queues behind its own requests and holds one slot, leaving
//! the rest to everyone else's sign-ins.

use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
};

use tokio::sync::Semaphore;

use crate::{error::ApiError, events::Client};

/// Most argon2 computations at once: each holds 19 MiB for tens of milliseconds, so a burst of password
/// requests queues here instead of filling memory.
pub const MAX_AT_ONCE: usize = 4;

/// Each address's turn: one semaphore of one permit per address with work queued or running, removed
/// when its last user is done.
type Turns = Mutex<HashMap<String, Arc<Semaphore>>>;

/// The shared slots.
static SLOTS: Semaphore = Semaphore::const_new(MAX_AT_ONCE);

/// The addresses' turns.
static TURNS: LazyLock<Turns> = LazyLock::new(Turns::default);

/// Runs argon2 work for `client` off the async runtime: first its address's turn, then one of the shared
/// slots. Permits go with the work, so a request given up on still counts until its hash is done.
pub async fn argon2<T: Send + 'static>(
    client: &Client,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let turn = Turn::of(client.limit_subject());
    let turn_permit =
        Arc::clone(&turn.semaphore).acquire_owned().await.map_err(|e| ApiError::internal("argon2 turn", e))?;
    let slot = SLOTS.acquire().await.map_err(|e| ApiError::internal("argon2 slots", e))?;
    tokio::task::spawn_blocking(move || {
        let _held = (slot, turn_permit, turn);
        work()
    })
    .await
    .map_err(|e| ApiError::internal("blocking task", e))
}

/// One request's use of its address's turn. Dropping it (when the work is done, or when the request is
/// given up on while it waits) forgets the turn once nobody else holds or awaits it, so the map stays as
/// small as the number of addresses hashing right now.
struct Turn {
    address: String,
    semaphore: Arc<Semaphore>,
}

impl Turn {
    /// The turn of `address`, made if it has none.
    fn of(address: String) -> Self {
        let semaphore = Arc::clone(lock(&TURNS).entry(address.clone()).or_insert_with(|| Arc::new(Semaphore::new(1))));
        Self { address, semaphore }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut turns = lock(&TURNS);
        // The map's reference and this one: nobody else's.
        if Arc::strong_count(&self.semaphore) == 2 {
            turns.remove(&self.address);
        }
    }
}

/// The map, even if a thread panicked while holding it (it holds no invariant a panic could break).
fn lock(turns: &Turns) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Semaphore>>> {
    turns.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    fn from(ip: &str) -> Client {
        Client { ip: Some(ip.into()), user_agent: None, language: "en" }
    }

    /// The slots are one static: these tests take turns with them, so neither times the other's work.
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_address_waits_for_itself_while_another_goes_first() {
        let _alone = ONE_AT_A_TIME.lock().await;
        let sleep = || std::thread::sleep(Duration::from_millis(200));
        let guesser = from("198.51.100.9");
        // Twice as many as there are slots: without turns, the burst would fill them all.
        let burst: Vec<_> = (0..2 * MAX_AT_ONCE)
            .map(|_| {
                let guesser = guesser.clone();
                tokio::spawn(async move { argon2(&guesser, sleep).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        let started = Instant::now();
        argon2(&from("203.0.113.4"), sleep).await.expect("the other address's work runs");
        let other_took = started.elapsed();
        // 200 ms of its own work; waiting for a slot the burst held would add another 200.
        assert!(other_took < Duration::from_millis(350), "waited behind the burst: {other_took:?}");
        for work in burst {
            work.await.expect("joined").expect("the burst runs too");
        }
        let turns = lock(&TURNS);
        assert!(!turns.contains_key("198.51.100.9") && !turns.contains_key("203.0.113.4"), "turns are forgotten");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_given_up_on_while_waiting_for_a_slot_leaves_no_turn_behind() {
        let _alone = ONE_AT_A_TIME.lock().await;
        // Four other addresses hold every slot; the fifth has its turn but waits for a slot, and is
        // given up on (a timeout, a client gone) right there.
        let holders: Vec<_> = (0..MAX_AT_ONCE)
            .map(|n| {
                let holder = from(&format!("192.0.2.{}", 10 + n));
                tokio::spawn(async move { argon2(&holder, || std::thread::sleep(Duration::from_millis(150))).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(30)).await;
        let waiter = from("192.0.2.77");
        let waiting = argon2(&waiter, || ());
        assert!(tokio::time::timeout(Duration::from_millis(20), waiting).await.is_err(), "no slot was free");
        assert!(!lock(&TURNS).contains_key("192.0.2.77"), "the given-up request's turn is gone");
        for holder in holders {
            holder.await.expect("joined").expect("the holders run");
        }
    }
}
