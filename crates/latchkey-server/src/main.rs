//! The `latchkey-server` binary: reads the configuration, opens the database and serves; or runs one of
//! the administration commands (`events`, `clients`, `keys`; see `commands/`).

use latchkey_server::{AppState, app, commands, config::Config};
use tracing_subscriber::EnvFilter;

/// mimalloc rather than glibc's malloc: measured in BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let config = Config::load(|name| std::env::var(name).ok())?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(ran) = commands::run(config.clone(), &args).await {
        if let Err(e) = ran {
            eprintln!("latchkey-server: {e}");
            std::process::exit(1);
        }
        return Ok(());
    }
    let listen = config.listen;
    let origins = config.origins.join(", ");
    let state = AppState::new(config)?;
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!("Latchkey is listening on {listen}; open {origins}");
    let limits = state.config.connection_limits();
    latchkey_server::serve::serve(listener, app(state), limits, shutdown_signal()).await?;
    Ok(())
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
