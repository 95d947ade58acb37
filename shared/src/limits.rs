//! Every bound moot enforces, in one place. Input outside a bound is rejected
//! with a typed reason (see [`crate::Rejection`]), never truncated silently.

/// Largest WebSocket message a client may send, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

/// Longest display name, in characters (after trimming).
pub const DISPLAY_NAME_MAX_CHARS: usize = 40;

/// Longest meetup title, in characters (after trimming).
pub const MEETUP_TITLE_MAX_CHARS: usize = 120;

/// Longest client-made request id, in bytes (printable ASCII only).
pub const REQUEST_ID_MAX_BYTES: usize = 64;

/// Seats in a new meetup unless the facilitator changes it.
pub const DEFAULT_SEAT_CAP: u16 = 16;

/// The most seats a facilitator may configure.
pub const MAX_SEAT_CAP: u16 = 64;

/// Sustained commands per second one connection may send.
pub const COMMANDS_PER_SECOND: u32 = 10;

/// Commands one connection may send in a burst before the rate applies.
pub const COMMAND_BURST: u32 = 30;

/// How long a disconnected participant stays "away" before becoming "gone".
pub const PRESENCE_GRACE_MILLIS: u64 = 60_000;

/// Request ids remembered per participant so a resent command applies once.
pub const REMEMBERED_REQUESTS_PER_PARTICIPANT: usize = 256;
