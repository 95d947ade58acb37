//! Server settings. `main` fills them from flags and environment variables;
//! tests build them directly.

use std::path::PathBuf;
use std::time::Duration;

use moot_shared::limits::{
    FACILITATOR_FALLBACK_MILLIS, FACILITATOR_RECLAIM_MILLIS, PRESENCE_GRACE_MILLIS,
};

use crate::clock::Clock;
use crate::store::{self, Durability};

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where meetups are stored (the database file `moot.sqlite3` lives here).
    pub data_dir: PathBuf,
    /// How hard storage works to survive a power loss.
    pub sync: Durability,
    /// A PostgreSQL database shared with other nodes, in place of the
    /// SQLite file in `data_dir` (`--store postgres://…`).
    pub shared_store: Option<store::postgres::Settings>,
    /// How long ended meetups are kept before they are purged.
    pub retention: Duration,
    /// The address people use to reach this server, e.g.
    /// `https://moot.example.org`, for links behind a reverse proxy. Without
    /// it, links use the `Host` the request came in on.
    pub public_url: Option<String>,
    /// Origins other than the server's own that may open WebSockets.
    pub allowed_origins: Vec<String>,
    /// Believe the last address in `X-Forwarded-For` (set this behind a proxy,
    /// never when clients connect directly).
    pub trust_forwarded_for: bool,
    /// The most meetups this server holds at once.
    pub max_rooms: usize,
    /// Failed handshakes (unknown join code, bad credential) per client
    /// address per minute before further attempts are refused.
    pub failed_attempts_per_minute: u32,
    /// Meetups one client address may open per minute.
    pub openings_per_minute: u32,
    /// Frames queued for one connection before it counts as stalled and is cut off.
    pub send_queue_frames: usize,
    /// Events each room keeps in memory for replay to reconnecting clients.
    pub replay_events: usize,
    /// How long a disconnected participant shows as away before "gone".
    pub presence_grace: Duration,
    /// How long the facilitator's connections may be silent (closed, or
    /// unanswered) before a stand-in takes the role.
    pub facilitator_fallback: Duration,
    /// How long a returning facilitator stays connected before the role
    /// goes back to them from their stand-in.
    pub facilitator_reclaim: Duration,
    /// The time rooms see: the system clock, or a manual one in tests.
    pub clock: Clock,
    /// How long a client has to send a request's headers once it connected
    /// or finished its previous request; an idle keep-alive connection is
    /// closed after the same time. Zero turns the timeout off.
    pub http_header_timeout: Duration,
    /// How long one request may take from its headers to its answer, body
    /// included; slower requests are answered 408.
    pub http_request_timeout: Duration,
    /// Open connections (HTTP and WebSocket together) one client address may
    /// hold; 0 means no cap. IPv6 addresses count by their /64. Not applied
    /// with `trust_forwarded_for`, where every connection comes from the proxy.
    pub max_connections_per_address: usize,
}

impl Config {
    /// Where the store keeps meetups.
    pub fn store_location(&self) -> store::Location {
        match &self.shared_store {
            Some(settings) => store::Location::Postgres(settings.clone()),
            None => store::Location::Sqlite {
                data_dir: self.data_dir.clone(),
                sync: self.sync,
            },
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            data_dir: store::default_data_dir(),
            sync: Durability::Full,
            shared_store: None,
            retention: Duration::from_secs(30 * 24 * 60 * 60),
            public_url: None,
            allowed_origins: Vec::new(),
            trust_forwarded_for: false,
            max_rooms: 10_000,
            failed_attempts_per_minute: 20,
            openings_per_minute: 30,
            send_queue_frames: 256,
            replay_events: 1024,
            presence_grace: Duration::from_millis(PRESENCE_GRACE_MILLIS),
            facilitator_fallback: Duration::from_millis(FACILITATOR_FALLBACK_MILLIS),
            facilitator_reclaim: Duration::from_millis(FACILITATOR_RECLAIM_MILLIS),
            clock: Clock::system(),
            http_header_timeout: Duration::from_secs(10),
            http_request_timeout: Duration::from_secs(10),
            max_connections_per_address: 256,
        }
    }
}
