//! Integration tests: a real server on port 0 and real WebSocket clients.
//! No sleeps: every test waits for the event it expects, with a timeout.
//! One binary, one module per feature.

mod agenda;
mod board;
mod breakouts;
mod fallback;
mod floor;
mod goals;
mod hardening;
mod lifecycle;
mod loadgen;
mod membership;
mod metrics;
mod names;
mod ops;
mod poll;
mod queue;
mod roti;
mod screen;
mod storage;
mod store_contract;
mod timer;
mod web_modules;
