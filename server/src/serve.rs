//! Accepting connections: the per-address cap, HTTP/1.1 on each connection
//! with header and keep-alive timeouts, and graceful shutdown.
//!
//! `axum::serve` has no knobs for timeouts, so moot drives hyper itself: one
//! task per accepted connection, serving the [`app`](crate::app) router with
//! the peer's address as [`ConnectInfo`].

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::Service as _;

use crate::AppState;
use crate::connections::{ConnectionLimit, CountedStream};

/// Request headers larger than this are answered 431. moot sets no cookies,
/// but a browser sends every cookie of the host (of any port), so leave room.
const MAX_HEADER_BYTES: usize = 32 * 1024;

/// How long to wait before accepting again after the listener failed (most
/// often: the process is out of file descriptors), so the loop neither spins
/// nor floods the log. The same second `axum::serve` waited.
const ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Serves the app on `listener` until `shutdown` completes, then lets the
/// open HTTP requests finish. Client addresses are made available to the
/// routes (for per-address throttling).
///
/// # Errors
///
/// None yet: failed accepts are logged and retried, failed connections
/// logged. The `Result` keeps the signature of `axum::serve`'s.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let config = state.config().clone();
    // Behind a trusted proxy every connection comes from the proxy, so a cap
    // per peer address would cap the proxy; the proxy limits its clients.
    let cap = if config.trust_forwarded_for {
        0
    } else {
        config.max_connections_per_address
    };
    let limit = ConnectionLimit::new(cap);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        // hyper starts this timer when it waits for a request head, both on
        // a fresh connection and on an idle keep-alive one, so it is also
        // the idle timeout.
        .header_read_timeout(Some(config.http_header_timeout).filter(|t| !t.is_zero()))
        .max_header_size(MAX_HEADER_BYTES)
        .keep_alive(true);
    let http = Arc::new(http);
    let mut make_service: IntoMakeServiceWithConnectInfo<axum::Router, SocketAddr> =
        crate::app(state).into_make_service_with_connect_info::<SocketAddr>();

    // Connection tasks watch `stop` to begin a graceful shutdown, and each
    // holds a clone of `finished`'s receiver until it ends, so
    // `finished.closed()` completes when the last one has.
    let (stop, _) = watch::channel(());
    let (finished, finished_rx) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // One client's connection failed before it was accepted.
                Err(error) if is_connection_error(&error) => continue,
                Err(error) => {
                    tracing::error!(%error, "accepting a connection failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(permit) = limit.admit(peer.ip()) else {
            // Dropping the stream closes it at once.
            continue;
        };
        // axum's make-service is always ready and never fails.
        let service = match make_service.call(peer).await {
            Ok(service) => service,
            Err(never) => match never {},
        };
        let io = TokioIo::new(CountedStream::new(nodelay(stream), permit));
        let http = Arc::clone(&http);
        let mut stop = stop.subscribe();
        let finished = finished_rx.clone();
        tokio::spawn(async move {
            let connection = http
                .serve_connection(io, TowerToHyperService::new(service))
                .with_upgrades();
            let mut connection = pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = result {
                // Timeouts of idle keep-alive connections end here too, so
                // this is routine, not a warning.
                tracing::debug!(%error, %peer, "connection ended");
            }
            drop(finished);
        });
    }
    drop(listener);
    let _ = stop.send(());
    drop(finished_rx);
    finished.closed().await;
    Ok(())
}

fn is_connection_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}

/// Turns Nagle's algorithm off: moot's frames are small and should leave
/// at once, and a close frame must be on the wire before the socket closes.
fn nodelay(stream: TcpStream) -> TcpStream {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "TCP_NODELAY could not be set");
    }
    stream
}
