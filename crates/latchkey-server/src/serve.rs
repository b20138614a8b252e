//! Accepting connections: the server's own loop over the listener, so each connection has the limits
//! axum's `serve` cannot set: a deadline for the request head (a client that sends half a request is
//! closed), a cap on open connections (one over it is closed at once), and a graceful shutdown that
//! lets the requests in flight finish.

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    extract::{ConnectInfo, Request},
};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::Semaphore};
use tower::ServiceExt;

/// The limits of each connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// How long a client may take to send a request's head (line and headers).
    pub header_timeout: Duration,
    /// How many connections may be open at once.
    pub max_connections: usize,
}

/// How long shutdown waits for the requests in flight before it gives up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The longest a connection stays open, however busy: browsers open a new one when it closes.
const CONNECTION_LIFETIME: Duration = Duration::from_secs(120);

/// How long a connection asked to close may take to finish the request in flight.
const CLOSING_GRACE: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `shutdown` resolves, then waits (at most [`SHUTDOWN_GRACE`]) for
/// the connections still open to finish their requests.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopping) = tokio::sync::watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // A connection that went away before it was taken: take the next at once.
                Err(e) if is_per_connection(&e) => continue,
                // Out of file descriptors, say: the listener is fine, so wait a moment rather than spin.
                Err(e) => {
                    tracing::warn!(%e, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = Arc::clone(&open).try_acquire_owned() else {
            tracing::warn!(%peer, max = limits.max_connections, "too many open connections; closing a new one");
            drop(stream);
            continue;
        };
        // The peer's address goes where the event log's `Client` extractor looks for it.
        let service = TowerToHyperService::new(app.clone().map_request(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        }));
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            // A connection lives at most `CONNECTION_LIFETIME`: one whose client reads a response
            // too slowly (or never) would otherwise hold its place for good. Then, or at shutdown, it
            // finishes the request in flight, and gets `CLOSING_GRACE` for that.
            let ended = tokio::select! {
                finished = connection.as_mut() => Some(finished),
                _ = stopping.changed() => None,
                () = tokio::time::sleep(CONNECTION_LIFETIME) => None,
            };
            let finished = match ended {
                Some(finished) => finished,
                None => {
                    connection.as_mut().graceful_shutdown();
                    tokio::time::timeout(CLOSING_GRACE, connection).await.unwrap_or(Ok(()))
                }
            };
            if let Err(e) = finished {
                tracing::debug!(%peer, %e, "connection ended");
            }
            drop(permit);
        });
    }
    // New connections are refused from now on rather than left waiting in the backlog.
    drop(listener);
    let _ = stop.send(true);
    // Every connection holds a permit until it ends: having them all back means all have ended.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(SHUTDOWN_GRACE, open.acquire_many(all)).await.is_err() {
        tracing::warn!("shutting down with requests still in flight");
    }
    Ok(())
}

/// Whether an accept error belongs to one connection (reset or aborted before it was taken) rather than
/// to the listener.
fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(e.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset)
}
