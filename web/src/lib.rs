//! # moot-web
//!
//! moot's browser app: a Leptos client-side app compiled to WebAssembly. The
//! server hands out the same `index.html` for every route; this crate reads
//! `window.location.pathname` and shows the matching view. There is no
//! router crate, which keeps the download small for phones.
//!
//! # Layout
//!
//! - [`app`]: what every view shares: route, announcements and toasts, the
//!   app context, which bundle this is. Depends on no view.
//! - [`status`]: the connection's state, as the indicator shows it.
//! - [`connection`]: the WebSocket to the room, around the shared client
//!   session: socket, reconnects, `localStorage`, the signals views read,
//!   and one memo per feature so a view re-renders only for its own part.
//! - [`announce`]: what screen readers hear for each event.
//! - [`cue`]: the vibration and beep for "your turn" and the timer.
//! - [`i18n`]: every string a person reads, in one place per language.
//! - [`phone_nav`]: the participant's section bar: now, topics, queue,
//!   mine, and the hand toggle, one tap each.
//! - [`landing`]: `/`: start a meetup or type a join code.
//! - [`join`]: `/j/{code}`: pick a name and join.
//! - [`room`]: `/m/{code}`: the meetup as a participant sees it.
//! - [`facilitator`]: the controls a facilitator or co-facilitator adds to the room.
//! - [`surface`]: the meetup page of whoever runs it: regions, menus, the
//!   primary action and its `N` shortcut.
//! - [`screen`]: `/m/{code}/screen`: the shared screen for a projector.
//! - [`storage`]: tokens and outboxes kept in `localStorage`.
//! - [`pending`]: the control that sent a command shows it waits until
//!   the server has it.
//! - [`timer`]: the countdown on every screen and the facilitator's timer controls.
//! - [`board`], [`poll`], [`queue`], [`lifecycle`]: each feature's views.
//! - [`breakout`]: a phone's group in a breakout, the screen's map of the
//!   groups, and the facilitator's controls.
//! - [`goals`]: one's goals with their check-ins, the group's, and setting one.
//! - [`roti`]: the closing feedback's trend over a series, for the shared
//!   screen and whoever runs the meetup.
//!
//! Modules form no import cycle (a test in `tests/` reads them to make
//! sure): views depend on the connection, the app and the words, never the
//! other way round; the connection asks the page for its [`announce`]r.
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

pub mod agenda;
pub mod announce;
pub mod app;
pub mod board;
pub mod breakout;
pub mod connection;
pub mod cue;
pub mod facilitator;
pub mod focus;
pub mod goals;
pub mod i18n;
pub mod join;
pub mod landing;
pub mod lifecycle;
pub mod pending;
pub mod people;
pub mod phone_nav;
pub mod poll;
pub mod queue;
pub mod room;
pub mod roti;
pub mod screen;
pub mod status;
pub mod storage;
pub mod surface;
pub mod timer;

use leptos::prelude::*;

use crate::app::{AppContext, Notices, Route, app_context, facilitation_only, navigator_online};
use crate::i18n::t;
use crate::status::ConnectionState;

/// The whole app: header with connection state, the routed view, and the
/// regions for announcements and toasts.
#[component]
pub fn App() -> impl IntoView {
    i18n::choose_language();
    let path = window().location().pathname().unwrap_or_default();
    let app = AppContext {
        route: RwSignal::new(Route::parse(&path)),
        notices: Notices {
            announcement: RwSignal::new(String::new()),
            toast: RwSignal::new(None),
        },
        status: RwSignal::new(None),
        waiting: RwSignal::new(0),
    };
    provide_context(app);

    // Back and forward buttons change the path without a page load.
    let popstate = window_event_listener_untyped("popstate", move |_| {
        let path = window().location().pathname().unwrap_or_default();
        app.route.set(Route::parse(&path));
    });
    on_cleanup(move || popstate.remove());
    focus::keep_focus_when_controls_go();
    pending::track_activations();

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
        // The first stop for a keyboard: past the header to the page. Focus
        // is moved by hand: following `#main` would change the address and
        // fire `popstate`, which rebuilds the page.
        <a class="skip-link" href="#main" data-testid="skip-link"
            on:click=|event| { event.prevent_default(); focus::focus_main(); }>
            {t().skip_to_content}
        </a>
        // The shared screen's header is set for the projector from the
        // first frame (by route, not by what has mounted), so nothing moves
        // when the screen's content arrives.
        <header class=move || match app.route.get() {
            Route::Screen(_) => "bar screen-bar",
            _ => "bar",
        }>
            <a class="brand" href="/">{t().app_name}</a>
            <span class="bar-end">
                <LanguageSwitch />
                <ConnectionIndicator />
            </span>
        </header>
        // The header shows first; the page is built by the next task (see
        // `Later`), in both bundles.
        <main id="main" class="main" tabindex="-1">{crate::app::later! { {view} }}</main>
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
    // What was done offline is kept and sent once back; until then the
    // indicator says how much is waiting, so a tap that changed nothing on
    // screen is not mistaken for a lost one. While live, commands are
    // answered within a round trip: no count flickers by.
    let waiting = move || match app.waiting.get() {
        0 => None,
        _ if state() == ConnectionState::Live => None,
        count => Some(count),
    };
    view! {
        <span data-testid="connection-status" class="status" data-state=move || state().as_str()
            data-waiting=move || waiting().map(|count| count.to_string()) role="status">
            <span class="status-dot" aria-hidden="true"></span>
            {move || t().connection_state(state())}
            {move || waiting().map(|count| (t().waiting_to_send)(count))}
        </span>
    }
}

/// A button for each other language moot speaks, named in that language
/// ("Deutsch"), so a reader lost in a language they do not read still finds
/// theirs. The choice is kept on this device.
#[component]
fn LanguageSwitch() -> impl IntoView {
    moot_shared::Lang::ALL
        .into_iter()
        .filter(|other| *other != i18n::lang())
        .map(|other| {
            view! {
                <button type="button" class="lang-switch" lang=other.code()
                    data-testid="language-switch" data-lang=other.code()
                    on:click=move |_| i18n::switch_language(other)>
                    {other.own_name()}
                </button>
            }
        })
        .collect_view()
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
