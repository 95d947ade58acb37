//! # moot-tests
//!
//! Black-box tests of moot: a real server on port 0 and real WebSocket
//! clients that speak the protocol and fold events into a room, as the
//! browser does.
//!
//! # Layout
//!
//! - [`TestServer`] (in `server.rs`): the server in-process on an ephemeral
//!   port, stopped on drop; [`External`] for one in another process.
//! - [`TestClient`] (in `client.rs`): one WebSocket participant (or shared screen).
//! - [`http`]: a minimal HTTP/1.1 client for the JSON API.
//! - [`browser`]: headless Chromium sessions through chromedriver, by `data-testid`.
//! - [`load`]: the load generator behind `moot-loadgen` and its smoke test.
//! - [`floor`]: the least a room broadcast costs here (`moot-floor`), to
//!   read moot's load figures against.
//! - [`resend`]: a batch resent across a snapshot and a restart (issue 17).
//! - [`postgres`]: a throwaway PostgreSQL cluster, for the shared store.
//! - `tests/integration.rs`: protocol and room behaviour.
//! - `tests/browser.rs`: end-to-end in headless Chromium.

pub mod browser;
mod client;
pub mod floor;
pub mod http;
pub mod load;
pub mod postgres;
pub mod process;
pub mod resend;
mod server;

pub use client::{Closed, Saved, TestClient};
pub use server::{
    External, Server, TestServer, open_following, open_meetup, screen_key_in, temp_data_dir,
};

use std::time::Duration;

use moot_shared::TextProblem;
use moot_shared::room::board::DueDate;
use moot_shared::room::poll::{PollKind, PollSetup, Secrecy};

/// A validated text for a command (a topic title, a note, a name, …), for
/// tests that build commands from text they know is valid. Invalid text is
/// sent as raw JSON ([`TestClient::send_raw`]), as a hostile client would.
///
/// # Panics
///
/// When the text is not valid for `T`.
pub fn text<T: TryFrom<String, Error = TextProblem>>(raw: &str) -> T {
    T::try_from(raw.to_owned()).unwrap_or_else(|problem| panic!("{raw:?}: {problem}"))
}

/// A poll of `kind` (with its built-in answers) on `question`, revealed by
/// hand, without a time limit.
///
/// # Panics
///
/// When the question is not valid.
pub fn poll_setup(question: &str, kind: PollKind, secrecy: Secrecy) -> PollSetup {
    PollSetup {
        question: text(question),
        kind,
        options: Vec::new(),
        secrecy,
        auto_reveal: false,
        time_limit_secs: None,
        question_key: None,
    }
}

/// A due date for an action item.
///
/// # Panics
///
/// When it is not a real `YYYY-MM-DD` date.
pub fn date(raw: &str) -> DueDate {
    DueDate::parse(raw).unwrap_or_else(|_| panic!("{raw:?} is not a date"))
}

/// How long a test waits for something the server should do promptly.
pub const PATIENCE: Duration = Duration::from_secs(10);
