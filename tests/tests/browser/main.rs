//! End-to-end tests in real headless Chromium against the embedded web app.
//! One binary (one chromedriver per test), one module per feature.
//! Screenshots of the main views go to `artifacts/screenshots/`.

mod agenda;
mod board;
mod breakouts;
mod bundles;
mod connection;
mod facilitator_surface;
mod fallback;
mod focus;
mod foundation;
mod german;
mod goals;
mod lifecycle;
mod look;
mod narrow;
mod phone_nav;
mod poll;
mod queue;
mod roti;
mod screen;
mod timer;
