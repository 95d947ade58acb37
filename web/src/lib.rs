//! # moot-web
//!
//! moot's browser app: a Leptos client-side app compiled to WebAssembly. The
//! server hands out the same `index.html` for every route; this crate reads
//! `window.location.pathname` and shows the matching view. There is no
//! router crate, which keeps the download small for phones.
//!
//! # Layout
//!
//! - [`connection`]: the WebSocket to the room: hello, reconnect with backoff,
//!   resume by sequence number, outbox of unacknowledged commands, clock offset.
//! - [`i18n`]: every string a person reads, in one place per language.
//! - [`landing`]: `/`: start a meetup or type a join code.
//! - [`join`]: `/j/{code}`: pick a name and join.
//! - [`room`]: `/m/{code}`: the meetup as a participant sees it.
//! - [`facilitator`]: the controls a facilitator or co-facilitator adds to the room.
//! - [`screen`]: `/m/{code}/screen`: the shared screen for a projector.
//! - [`storage`]: tokens and outboxes kept in `localStorage`.
//! - [`timer`]: the countdown on every screen and the facilitator's timer controls.
//!
//! # Two bundles
//!
//! The crate is built twice. The full app (feature `facilitation`, on by
//! default) has everything. The participant bundle leaves out what only
//! whoever runs a meetup uses (the start page, the shared screen, every
//! facilitator control), so a phone downloads much less. The loader in
//! `index.html` picks one: the participant bundle for `/j/{code}` and
//! `/m/{code}`, the full app for every other path and for `?facilitate`.
//! When the participant bundle learns that its person runs the meetup (they
//! opened their own room, or were made co-facilitator), it reloads the page
//! as `?facilitate`; the connection resumes with the stored token.

// The participant bundle (built without `facilitation`) leaves the
// facilitator's components unused; the full build still checks them.
#![cfg_attr(not(feature = "facilitation"), allow(dead_code, unused_imports))]

pub mod board;
pub mod connection;
pub mod facilitator;
pub mod i18n;
pub mod join;
pub mod landing;
pub mod lifecycle;
pub mod poll;
pub mod queue;
pub mod room;
pub mod screen;
pub mod storage;
pub mod timer;

use std::time::Duration;

use leptos::prelude::*;
use moot_shared::JoinCode;

use crate::connection::ConnectionState;
use crate::i18n::t;

/// Whether this build is the full app, with the facilitator's controls.
pub const FACILITATION: bool = cfg!(feature = "facilitation");

/// The query that makes the loader in `index.html` pick the full app.
pub const FACILITATE_QUERY: &str = "facilitate";

/// A part of a view only the full app carries. In the participant bundle
/// `view` is never called, so its code is not in the download at all.
pub fn facilitation_only(view: impl FnOnce() -> AnyView) -> Option<AnyView> {
    facilitation_if(true, view)
}

/// [`facilitation_only`] for a part shown only when `shown` (say, the
/// viewer runs the meetup).
pub fn facilitation_if(shown: bool, view: impl FnOnce() -> AnyView) -> Option<AnyView> {
    (FACILITATION && shown).then(view)
}

/// Makes sure whoever runs the meetup has the full app. The participant
/// bundle reloads the page as `?facilitate`, so the loader picks the full
/// app and the connection resumes there; the full app marks its own address
/// the same way, so a reload goes straight to the full app.
pub fn keep_facilitation_loaded() {
    let location = window().location();
    let search = location.search().unwrap_or_default();
    let marked = search
        .trim_start_matches('?')
        .split('&')
        .any(|part| part == FACILITATE_QUERY);
    if marked {
        // Already asked for the full app; a participant bundle here would
        // mean the loader disagrees, and reloading again would loop.
        return;
    }
    let target = format!(
        "{}?{FACILITATE_QUERY}",
        location.pathname().unwrap_or_default()
    );
    if FACILITATION {
        set_address(&target, true);
    } else {
        let _ = location.replace(&target);
    }
}

/// Which view the address bar asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// `/`
    Landing,
    /// `/j/{code}`
    Join(JoinCode),
    /// `/m/{code}`
    Room(JoinCode),
    /// `/m/{code}/screen`
    Screen(JoinCode),
    /// Anything else, or a malformed code.
    NotFound,
}

impl Route {
    /// Reads a path such as `/m/7KQ2M9XD/screen`. Codes are parsed forgivingly,
    /// so a hand-typed `/j/7kq2-m9xd` works too.
    pub fn parse(path: &str) -> Route {
        let segments: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
        let code = |raw: &str| JoinCode::parse(raw).ok();
        match segments.as_slice() {
            [] => Route::Landing,
            ["j", raw] => code(raw).map_or(Route::NotFound, Route::Join),
            ["m", raw] => code(raw).map_or(Route::NotFound, Route::Room),
            ["m", raw, "screen"] => code(raw).map_or(Route::NotFound, Route::Screen),
            _ => Route::NotFound,
        }
    }

    /// The path for this route.
    pub fn path(&self) -> String {
        match self {
            Route::Landing | Route::NotFound => "/".to_owned(),
            Route::Join(code) => format!("/j/{code}"),
            Route::Room(code) => format!("/m/{code}"),
            Route::Screen(code) => format!("/m/{code}/screen"),
        }
    }
}

/// Messages for people: the polite live region and the alert toast. Shared by
/// every view through context.
#[derive(Clone, Copy)]
pub struct Notices {
    /// The latest announcement for screen readers ("Ada joined").
    pub announcement: RwSignal<String>,
    /// A rejection or error to show until dismissed.
    pub toast: RwSignal<Option<String>>,
}

impl Notices {
    /// Announces a change through the `aria-live` region.
    pub fn announce(&self, text: impl Into<String>) {
        self.announcement.set(text.into());
    }

    /// Shows a message in the toast; it hides itself after a while.
    pub fn show_toast(&self, text: impl Into<String>) {
        let text = text.into();
        self.toast.set(Some(text.clone()));
        let toast = self.toast;
        set_timeout(
            move || {
                // Only hide it if a newer message has not replaced it.
                if toast.get_untracked().as_deref() == Some(text.as_str()) {
                    toast.set(None);
                }
            },
            Duration::from_secs(8),
        );
    }
}

/// App-wide handles, provided as context.
#[derive(Clone, Copy)]
pub struct AppContext {
    /// The current view.
    pub route: RwSignal<Route>,
    /// Announcements and toasts.
    pub notices: Notices,
    /// The state of the open connection, `None` on views without one.
    pub status: RwSignal<Option<ConnectionState>>,
}

impl AppContext {
    /// Goes to another view, adding a history entry (or replacing the current
    /// one for redirects the back button should skip).
    pub fn navigate(&self, route: Route, replace: bool) {
        set_address(&route.path(), replace);
        self.route.set(route);
    }
}

/// Changes the address bar without loading a page.
pub fn set_address(path: &str, replace: bool) {
    if let Ok(history) = window().history() {
        let _ = if replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        };
    }
}

/// The app's own context; every component is rendered inside [`App`].
pub fn app_context() -> AppContext {
    expect_context::<AppContext>()
}

/// The whole app: header with connection state, the routed view, and the
/// regions for announcements and toasts.
#[component]
pub fn App() -> impl IntoView {
    let path = window().location().pathname().unwrap_or_default();
    let app = AppContext {
        route: RwSignal::new(Route::parse(&path)),
        notices: Notices {
            announcement: RwSignal::new(String::new()),
            toast: RwSignal::new(None),
        },
        status: RwSignal::new(None),
    };
    provide_context(app);

    // Back and forward buttons change the path without a page load.
    let popstate = window_event_listener_untyped("popstate", move |_| {
        let path = window().location().pathname().unwrap_or_default();
        app.route.set(Route::parse(&path));
    });
    on_cleanup(move || popstate.remove());

    let view = move || match app.route.get() {
        Route::Landing => {
            facilitation_only(|| landing::Landing().into_any()).unwrap_or_else(load_full_app)
        }
        Route::Join(code) => view! { <join::JoinPage code=code /> }.into_any(),
        Route::Room(code) => view! { <room::RoomPage code=code /> }.into_any(),
        Route::Screen(code) => {
            facilitation_only(|| view! { <screen::ScreenPage code=code /> }.into_any())
                .unwrap_or_else(load_full_app)
        }
        Route::NotFound => NotFound().into_any(),
    };

    let toast = app.notices.toast;
    view! {
        <header class="bar">
            <a class="brand" href="/">{t().app_name}</a>
            <ConnectionIndicator />
        </header>
        <main id="main" class="main">{view}</main>
        <div data-testid="announcer" class="visually-hidden" aria-live="polite" aria-atomic="true">
            {move || app.notices.announcement.get()}
        </div>
        <div data-testid="toast" class="toast" role="alert" hidden=move || toast.with(Option::is_none)>
            <span class="toast-text">{move || toast.get().unwrap_or_default()}</span>
            <button type="button" class="toast-close" on:click=move |_| toast.set(None)>
                {t().dismiss}
            </button>
        </div>
    }
}

/// For a route only the full app shows: loading the page again lets the
/// loader in `index.html` pick the full app, which it does for every path
/// but a participant's.
fn load_full_app() -> AnyView {
    let _ = window().location().reload();
    ().into_any()
}

/// The small pill that says whether the page is connected. On views without
/// a connection it says whether the browser is online at all.
#[component]
fn ConnectionIndicator() -> impl IntoView {
    let app = app_context();
    let online = RwSignal::new(navigator_online());
    let on = window_event_listener_untyped("online", move |_| online.set(true));
    let off = window_event_listener_untyped("offline", move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    let state = move || {
        app.status.get().unwrap_or(if online.get() {
            ConnectionState::Live
        } else {
            ConnectionState::Offline
        })
    };
    view! {
        <span data-testid="connection-status" class="status" data-state=move || state().as_str() role="status">
            <span class="status-dot" aria-hidden="true"></span>
            {move || t().connection_state(state())}
        </span>
    }
}

/// Whether the browser believes it has a network.
pub fn navigator_online() -> bool {
    window().navigator().on_line()
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>{t().not_found_heading}</h1>
            <p>{t().not_found_body}</p>
            <p><a class="button" href="/">{t().back_to_start}</a></p>
        </section>
    }
}
