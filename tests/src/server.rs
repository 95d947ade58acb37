//! The server a test talks to: moot in-process on an ephemeral port
//! ([`TestServer`]), or one running elsewhere ([`External`]), and the
//! HTTP calls that open meetups on either.

use std::net::SocketAddr;

use moot_server::http::OpenedMeetupResponse;
use moot_server::{AppState, Config};
use moot_shared::JoinCode;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::http;

/// Anything a test client can connect to.
pub trait Server {
    /// Where it listens.
    fn addr(&self) -> SocketAddr;

    /// Its WebSocket URL.
    fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr())
    }
}

impl Server for TestServer {
    fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// A server running elsewhere (another process), known by its address.
pub struct External {
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Server for External {
    fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// Opens a meetup on `server` through the HTTP API.
///
/// # Panics
///
/// When the server does not answer 201 with the documented body.
pub async fn open_meetup(
    server: &impl Server,
    title: &str,
    facilitator_name: &str,
) -> OpenedMeetupResponse {
    let body =
        serde_json::json!({ "title": title, "facilitator_name": facilitator_name }).to_string();
    let json = [("content-type", "application/json")];
    let response = http::request(server.addr(), "POST", "/api/meetups", &json, &body)
        .await
        .expect("the server answers HTTP");
    assert_eq!(response.status, 201, "opening a meetup: {}", response.body);
    serde_json::from_str(&response.body).expect("the documented response body")
}

/// Opens the next meetup of a series on `server` through the HTTP API:
/// `title`, by "Fran", following `earlier` with a facilitator's `token` of it.
///
/// # Panics
///
/// When the server does not answer 201 with the documented body.
pub async fn open_following(
    server: &impl Server,
    title: &str,
    earlier: &JoinCode,
    token: &str,
) -> OpenedMeetupResponse {
    let body = serde_json::json!({
        "title": title,
        "facilitator_name": "Fran",
        "follows": { "join_code": earlier, "token": token },
    })
    .to_string();
    let json = [("content-type", "application/json")];
    let response = http::request(server.addr(), "POST", "/api/meetups", &json, &body)
        .await
        .expect("the server answers HTTP");
    assert_eq!(response.status, 201, "the next meetup: {}", response.body);
    serde_json::from_str(&response.body).expect("the documented response body")
}

/// The screen key in a screen link (`…/screen#k=<key>`).
///
/// # Panics
///
/// When the link holds no key.
pub fn screen_key_in(screen_url: &str) -> String {
    screen_url
        .split_once("/screen#k=")
        .map(|(_, key)| key.to_owned())
        .expect("a screen link with a key")
}

/// A fresh, empty data directory under the system's temporary directory.
pub fn temp_data_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("moot-test-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    dir
}

/// The server, running in this process on 127.0.0.1 and an ephemeral port,
/// storing into its own temporary data directory. It runs on a runtime of its
/// own, so dropping it ends every task at once, as a crash would: what was
/// acknowledged must then be found in the data directory.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Where it stores meetups.
    pub data_dir: std::path::PathBuf,
    /// Where it serves `/metrics`, when started with them.
    pub metrics_addr: Option<SocketAddr>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server with default settings.
    pub async fn start() -> TestServer {
        TestServer::with_config(Config::default()).await
    }

    /// Starts a server with these settings, in a fresh data directory.
    pub async fn with_config(mut config: Config) -> TestServer {
        config.data_dir = temp_data_dir();
        TestServer::with_data(config).await
    }

    /// Starts a server on the data directory in `config` (which may hold
    /// meetups from an earlier server).
    ///
    /// # Panics
    ///
    /// When the data directory cannot be opened.
    pub async fn with_data(config: Config) -> TestServer {
        TestServer::launch(config, false).await
    }

    /// Starts a server with these settings, in a fresh data directory, that
    /// also serves `/metrics` on a second ephemeral port ([`TestServer::metrics_addr`]).
    pub async fn with_metrics(mut config: Config) -> TestServer {
        config.data_dir = temp_data_dir();
        TestServer::launch(config, true).await
    }

    async fn launch(config: Config, metrics: bool) -> TestServer {
        let metrics_listener = metrics.then(|| {
            let listener =
                std::net::TcpListener::bind("127.0.0.1:0").expect("an ephemeral port is free");
            listener
                .set_nonblocking(true)
                .expect("the listener can be non-blocking");
            listener
        });
        let metrics_addr = metrics_listener.as_ref().map(|listener| {
            listener
                .local_addr()
                .expect("a bound listener has an address")
        });
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").expect("an ephemeral port is free");
        listener
            .set_nonblocking(true)
            .expect("the listener can be non-blocking");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let data_dir = config.data_dir.clone();
        let mut config = config;
        if let Some(settings) = config.shared_store.as_mut() {
            // Where other nodes say this one lives.
            settings.node_url = format!("http://{addr}");
        }
        let (stop, stopped) = oneshot::channel::<()>();
        let (ready, is_ready) = oneshot::channel::<Result<(), String>>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime starts");
            runtime.block_on(async move {
                let state = match AppState::open(config) {
                    Ok(state) => state,
                    Err(error) => {
                        let _ = ready.send(Err(error.to_string()));
                        return;
                    }
                };
                let listener =
                    TcpListener::from_std(listener).expect("the listener joins the runtime");
                if let Some(metrics) = metrics_listener {
                    let metrics =
                        TcpListener::from_std(metrics).expect("the listener joins the runtime");
                    tokio::spawn(moot_server::metrics::serve(metrics, state.clone()));
                }
                let _ = ready.send(Ok(()));
                let shutdown = async {
                    let _ = stopped.await;
                };
                let _ = moot_server::serve(listener, state.clone(), shutdown).await;
                // Stop storage before the runtime goes, so that no write of
                // this server lands after a later server has opened the files.
                state.store().shutdown().await;
            });
            // Dropping the runtime here aborts every room and socket task.
        });
        if let Err(error) = is_ready.await.expect("the server thread reports") {
            panic!("the server did not start: {error}");
        }
        TestServer {
            addr,
            base_url: format!("http://{addr}"),
            data_dir,
            metrics_addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Stops the server abruptly, as a crash would, and returns its data directory.
    pub fn crash(mut self) -> std::path::PathBuf {
        self.stop_now();
        self.data_dir.clone()
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Opens a meetup through the HTTP API.
    ///
    /// # Panics
    ///
    /// When the server does not answer 201 with the documented body.
    pub async fn open_meetup(&self, title: &str, facilitator_name: &str) -> OpenedMeetupResponse {
        open_meetup(self, title, facilitator_name).await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop_now();
    }
}
