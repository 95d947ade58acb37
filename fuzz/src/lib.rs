//! # moot-fuzz
//!
//! A fuzzer for everything in moot that reads input from outside: the
//! server's reader of client frames, the room reducer behind it, the
//! browser's decoder and session, and what the browser keeps in storage.
//! It runs on stable Rust without coverage instrumentation; instead it is
//! smart about moot: it starts from the protocol document's examples,
//! fills them with ids and people from a live room, damages them in the
//! ways that break parsers, and checks properties on the way (no panic,
//! the room's invariants, the two JSON codecs agreeing, the browser's room
//! matching the server's).
//!
//! `cargo run --profile fuzz -p moot-fuzz -- --inputs 10000000` runs it
//! (see README.md, "Fuzzing"); `cargo test -p moot-fuzz` runs a short smoke
//! run and replays the regression corpus.
//!
//! # Layout
//!
//! - [`rng`]: the seeded generator, so a run is reproducible.
//! - [`examples`]: the protocol document's examples and their vocabulary.
//! - [`values`]: odd texts and edge numbers.
//! - [`generate`]: structurally valid messages from random parts.
//! - [`mutate`]: damage to a message's text.
//! - [`world`]: a live meetup (server room, clock, people, a browser).
//! - [`check`]: one input through every reader, with the properties.
//! - [`run`]: the loop, panics caught and counted, failing inputs saved.
//! - [`corpus`]: the regression corpus, replayed by `cargo test`.

pub mod check;
pub mod corpus;
pub mod examples;
pub mod generate;
pub mod mutate;
pub mod rng;
pub mod run;
pub mod values;
pub mod world;
