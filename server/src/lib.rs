//! # moot-server
//!
//! The moot server: an HTTP API to open meetups, one WebSocket per
//! participant, and one tokio task per room that owns the room's state and
//! applies commands in order. The web app is embedded, so `moot` is one file.
//!
//! # Layout
//!
//! - [`config`]: the settings `main` reads from flags and the environment.
//! - [`clock`]: the time rooms see: the system clock, or a manual one in tests.
//! - [`registry`]: the rooms of this server, by join code, and opening new ones.
//! - [`room_task`]: the task that owns one room: applies, sequences, fans out.
//! - [`socket`]: one WebSocket connection: handshake, limits, forwarding.
//! - [`http`]: the HTTP routes and the JSON error type.
//! - [`assets`]: the embedded web app.
//! - [`serve`]: accepting connections: the per-address cap, HTTP timeouts, shutdown.
//! - [`connections`]: the cap on open connections per client address.
//! - [`site`]: which `Host` names and `Origin`s are this server's own.
//! - [`headers`]: security headers on every response, and the page's CSP.
//! - [`throttle`]: rate limits per connection and per client address.
//! - [`secrets`]: random join codes and credentials, and credential digests.
//! - [`store`]: durable storage of every event: an embedded SQLite file, or
//!   a PostgreSQL database shared by several nodes.
//! - [`lease`]: renewing this node's leases on a shared store, and letting
//!   go of the meetups it lost.
//! - [`checkpoint`]: copying SQLite's log into the database off the commit path.
//! - [`backup`]: `moot backup` and `moot restore`.
//! - [`metrics`]: Prometheus counters, and `/metrics` on a listener of its own.
//! - [`shutdown`]: stopping in order: rooms, then the store, then the sockets.

pub mod assets;
pub mod backup;
pub mod checkpoint;
pub mod clock;
pub mod config;
pub mod connections;
pub mod headers;
pub mod http;
pub mod lease;
pub mod metrics;
pub mod registry;
pub mod room_task;
pub mod secrets;
pub mod serve;
pub mod shutdown;
pub mod site;
pub mod socket;
pub mod store;
pub mod throttle;

use std::sync::Arc;

use moot_shared::Timestamp;

pub use clock::Clock;
pub use config::Config;
pub use http::app;
use registry::Registry;
pub use serve::serve;
use throttle::AddressThrottle;

/// Everything the routes share. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Services>,
}

/// What every route and room reaches through [`AppState`]: configuration,
/// the rooms, the store and the per-address bookkeeping.
struct Services {
    config: Config,
    registry: Registry,
    store: store::Store,
    /// Failed handshakes (unknown codes, bad credentials) per client address.
    failed_attempts: AddressThrottle,
    /// Meetups opened per client address.
    openings: AddressThrottle,
    /// The names and origins this server answers to.
    site: site::Site,
    /// What the server counts, for `/metrics`.
    metrics: Arc<metrics::Metrics>,
    /// Whether the server is stopping, and its open sockets.
    stopping: shutdown::Stopping,
}

impl AppState {
    /// Opens the store in the configured data directory and brings every
    /// stored meetup back online, each in its own task. Call within a tokio
    /// runtime.
    ///
    /// # Errors
    ///
    /// A [`store::StoreError`] when the data directory holds something that
    /// is not a readable moot database, or the shared database cannot be
    /// reached; nothing is changed then.
    pub fn open(config: Config) -> Result<AppState, store::StoreError> {
        let metrics = Arc::new(metrics::Metrics::new());
        let (store, meetups) = store::open(&config.store_location(), &metrics)?;
        let failed_attempts = AddressThrottle::new(config.failed_attempts_per_minute);
        let openings = AddressThrottle::new(config.openings_per_minute);
        let site = site::Site::lenient(config.public_url.as_deref(), &config.allowed_origins);
        let registry = Registry::new(config.max_rooms, Arc::clone(&metrics));
        let restored = meetups.len();
        for meetup in meetups {
            let _ = registry.restore(meetup, &config, &store);
        }
        if restored > 0 {
            tracing::info!(restored, "meetups restored from storage");
        }
        let shared = Services {
            config,
            registry,
            store,
            failed_attempts,
            openings,
            site,
            metrics,
            stopping: shutdown::Stopping::default(),
        };
        let state = AppState {
            inner: Arc::new(shared),
        };
        if state.store().is_shared() {
            tokio::spawn(lease::renew(state.clone()));
        }
        // Ended meetups are kept for the retention period, then purged; the
        // first pass runs at start, then hourly.
        let purging = state.clone();
        tokio::spawn(async move {
            let mut hourly = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
            loop {
                hourly.tick().await;
                purging.purge_expired().await;
            }
        });
        Ok(state)
    }

    /// Stops the rooms, then the store, then waits for the sockets to
    /// close, in that order (see [`shutdown`]). Call after [`serve`] has
    /// returned, so no new connection or request comes in.
    pub async fn shut_down(&self) {
        self.inner.stopping.begin();
        self.registry().stop_all().await;
        // Everything acknowledged is committed; this closes the database cleanly.
        self.store().shutdown().await;
        // A socket closes within its grace period once its client answers
        // the close frame, or when the grace period runs out.
        self.inner
            .stopping
            .sockets_closed(socket::CLOSE_GRACE + std::time::Duration::from_secs(1))
            .await;
    }

    /// Whether the server is stopping, and its open sockets.
    pub fn stopping(&self) -> &shutdown::Stopping {
        &self.inner.stopping
    }

    /// Deletes meetups that ended longer ago than the retention period, and
    /// stops their rooms. Returns how many were purged.
    pub async fn purge_expired(&self) -> usize {
        // The store closes during a shutdown; the next start purges.
        if self.stopping().is_stopping() {
            return 0;
        }
        let retention = u64::try_from(self.config().retention.as_millis()).unwrap_or(u64::MAX);
        let ended_before = Timestamp(self.config().clock.now().0.saturating_sub(retention));
        match self.store().purge(ended_before).await {
            Ok(codes) => {
                for code in &codes {
                    if let Some(room) = self.registry().remove(code) {
                        let _ = room.send(room_task::ToRoom::Shutdown).await;
                    }
                }
                if !codes.is_empty() {
                    tracing::info!(
                        purged = codes.len(),
                        "ended meetups past their retention were deleted"
                    );
                }
                codes.len()
            }
            Err(error) => {
                tracing::error!(%error, "purging ended meetups failed");
                0
            }
        }
    }

    /// The store.
    pub fn store(&self) -> &store::Store {
        &self.inner.store
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The rooms.
    pub fn registry(&self) -> &Registry {
        &self.inner.registry
    }

    pub(crate) fn failed_attempts(&self) -> &AddressThrottle {
        &self.inner.failed_attempts
    }

    pub(crate) fn openings(&self) -> &AddressThrottle {
        &self.inner.openings
    }

    /// The names and origins this server answers to.
    pub fn site(&self) -> &site::Site {
        &self.inner.site
    }

    /// What the server counts.
    pub fn metrics(&self) -> &Arc<metrics::Metrics> {
        &self.inner.metrics
    }
}

/// The system clock, in the form rooms use (rooms read
/// [`Config::clock`], which is this clock unless a test swaps it).
pub fn now() -> Timestamp {
    clock::system_now()
}
