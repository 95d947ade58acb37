//! # moot-shared
//!
//! Everything the server and the browser must agree on: identifiers, validated
//! text, limits, the wire protocol, and the room itself as a pure state
//! machine. This crate has no IO, no clock and no randomness: time and random
//! values are passed in, so the same code decides on the server and folds
//! events in the browser, and it is tested without a network.
//!
//! # Layout
//!
//! - [`ids`]: newtype identifiers (`ParticipantId`, `JoinCode`, `RequestId`, `Seq`).
//! - [`text`]: validated user text (`DisplayName`, `MeetupTitle`).
//! - [`lang`]: the languages moot speaks and how a reader's is chosen.
//! - [`time`]: `Timestamp`, milliseconds since the Unix epoch, always passed in.
//! - [`limits`]: every bound the server enforces, in one place.
//! - [`room`]: the room model, its commands, events, rejections and reducer.
//! - [`protocol`]: the JSON messages exchanged over the WebSocket.
//! - [`json`]: a small JSON codec, derived from the types' serde
//!   attributes, so the browser's wasm needs no serde.
//! - [`session`]: the client side of a connection (sync, outbox, resume,
//!   back-off), without IO, for the browser, the tests and the load generator.
//! - [`minutes`]: the minutes of a meetup, as JSON and Markdown.
//! - [`words`]: words the browser and the exports share (poll labels, readings).

pub mod ids;
pub mod json;
pub mod lang;
pub mod limits;
pub mod minutes;
pub mod protocol;
mod random;
pub mod room;
pub mod session;
pub mod text;
pub mod time;
pub mod words;

pub use ids::{Credential, JoinCode, ParticipantId, RequestId, Seq};
pub use lang::Lang;
pub use room::{Actor, Command, Event, Rejection, Room};
pub use text::{DisplayName, MeetupTitle, TextProblem};
pub use time::Timestamp;
