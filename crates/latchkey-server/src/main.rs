//! The `latchkey-server` binary: reads the configuration, opens the database and serves; or, as
//! `latchkey-server events [--follow] [--user ID] [--code CODE] [--limit N]`, prints the event log.

use std::{net::SocketAddr, time::Duration};

use latchkey_server::{AppState, app, config::Config, store::EventFilter};
use tracing_subscriber::EnvFilter;

/// mimalloc rather than glibc's malloc: measured in BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let config = Config::load(|name| std::env::var(name).ok())?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("events") {
        return print_events(AppState::without_workers(config)?, &args[1..]).await;
    }
    let listen = config.listen;
    let origins = config.origins.join(", ");
    let state = AppState::new(config)?;
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!("Latchkey is listening on {listen}; open {origins}");
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

/// `events`: prints the newest events (oldest first), then with `--follow` every new one as it comes.
async fn print_events(state: AppState, args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let mut filter = EventFilter::default();
    let mut follow = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--follow" | "-f" => follow = true,
            "--user" => filter.user = Some(value()?.parse()?),
            "--code" => filter.code = Some(value()?),
            "--limit" => filter.limit = Some(value()?.parse()?),
            other => return Err(format!("unknown option {other}; use --follow, --user, --code, --limit").into()),
        }
    }
    let query = filter.clone();
    let mut newest = state.store.events_page(query).await?.events;
    newest.reverse();
    let mut last = newest.last().map_or(0, |e| e.id);
    newest.iter().for_each(print_event);
    if !follow {
        return Ok(());
    }
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let query = EventFilter { after: Some(last), limit: Some(200), ..filter.clone() };
        let page = state.store.events_page(query).await?;
        last = page.events.last().map_or(last, |e| e.id);
        page.events.iter().for_each(print_event);
    }
}

fn print_event(event: &latchkey_proto::events::EventRecord<serde_json::Value>) {
    match serde_json::to_string(event) {
        Ok(line) => println!("{line}"),
        Err(e) => eprintln!("event {}: {e}", event.id),
    }
}

/// Resolves on Ctrl-C or SIGTERM (what service managers send), so in-flight requests finish first.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
