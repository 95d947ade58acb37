//! The state of the page's connection, which the indicator, the
//! announcements and every view word the same way.

/// What the connection indicator shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionState {
    /// The first attempt is under way.
    Connecting,
    /// Welcomed and in sync.
    Live,
    /// Lost; trying again.
    Reconnecting,
    /// The browser has no network, or the connection has ended for good.
    Offline,
}

impl ConnectionState {
    /// The value of the indicator's `data-state` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionState::Connecting => "connecting",
            ConnectionState::Live => "live",
            ConnectionState::Reconnecting => "reconnecting",
            ConnectionState::Offline => "offline",
        }
    }
}
