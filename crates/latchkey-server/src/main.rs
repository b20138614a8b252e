//! The `latchkey-server` binary: reads the configuration, opens the database and serves.

use latchkey_server::{AppState, app, config::Config};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let config = Config::load(|name| std::env::var(name).ok())?;
    let listen = config.listen;
    let origins = config.origins.join(", ");
    let state = AppState::new(config)?;
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!("Latchkey is listening on {listen}; open {origins}");
    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown_signal()).await?;
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
