//! What every view shares: the route from the address bar, announcements
//! and toasts, the app context that carries them, and which bundle this is.
//! Views depend on this module; it depends on none of them.

use std::time::Duration;

use leptos::prelude::*;
use moot_shared::JoinCode;

use crate::status::ConnectionState;

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

/// A button's content when what it shows is a symbol ("+", "↑", "✕"): the
/// symbol for the eyes, hidden from assistive technology, and the words for
/// everyone else, so the button's name is words and no `aria-label` differs
/// from what is on screen (axe's `label-content-name-mismatch`).
#[component]
pub fn Symbol(symbol: &'static str, #[prop(into)] name: String) -> impl IntoView {
    view! {
        <span aria-hidden="true">{symbol}</span>
        <span class="visually-hidden">{name}</span>
    }
}

/// Mounts its children in a task of their own, after the view around it and
/// after every `Later` created before it, one per frame.
///
/// The first render of a meetup page builds every card at once, and on a
/// phone's CPU that one task (running the views, V8 compiling the wasm
/// functions they call for the first time, building the DOM) and the style
/// and layout of all of it in the next frame block the page for most of a
/// second: a tap does nothing meanwhile. Wrapped in `Later`, each card is
/// built by a short task of its own, in page order, and laid out in the
/// frame after it, so the top of the page shows first and the page answers
/// input between the cards. On a laptop the whole page is there within a
/// few frames. With `last`, it waits for every card not marked so, built
/// or queued later: for what is out of sight at first (the bodies of the
/// facilitator's closed menus).
#[component]
pub fn Later(children: ChildrenFn, #[prop(optional)] last: bool) -> impl IntoView {
    let mounted = RwSignal::new(false);
    later_queue::push(mounted, last);
    move || mounted.get().then(|| children())
}

/// The cards waiting to be mounted by [`Later`], oldest first, and the one
/// scheduled step that mounts the next.
mod later_queue {
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;
    use std::time::Duration;

    use leptos::prelude::*;

    thread_local! {
        static WAITING: RefCell<VecDeque<RwSignal<bool>>> = const { RefCell::new(VecDeque::new()) };
        /// Those that wait for every one in `WAITING`.
        static WAITING_LAST: RefCell<VecDeque<RwSignal<bool>>> = const { RefCell::new(VecDeque::new()) };
        static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    }

    pub fn push(mounted: RwSignal<bool>, last: bool) {
        let queue = if last { &WAITING_LAST } else { &WAITING };
        queue.with_borrow_mut(|waiting| waiting.push_back(mounted));
        if !SCHEDULED.replace(true) {
            schedule();
        }
    }

    /// The next card is built in a task right after the next frame has laid
    /// out the one before. A hidden tab draws no frames: there it follows
    /// at once.
    fn schedule() {
        if document().hidden() {
            set_timeout(mount_next, Duration::ZERO);
        } else {
            request_animation_frame(|| set_timeout(mount_next, Duration::ZERO));
        }
    }

    fn mount_next() {
        // A card whose view is already gone (the meetup ended, the page
        // changed) is skipped without waiting a frame for it.
        let next = || {
            WAITING
                .with_borrow_mut(VecDeque::pop_front)
                .or_else(|| WAITING_LAST.with_borrow_mut(VecDeque::pop_front))
        };
        while let Some(mounted) = next() {
            if mounted.try_set(true).is_none() {
                break;
            }
        }
        if WAITING.with_borrow(VecDeque::is_empty) && WAITING_LAST.with_borrow(VecDeque::is_empty) {
            SCHEDULED.set(false);
        } else {
            schedule();
        }
    }
}

/// `later! { <Card .. /> }`: the card is built by a task of its own
/// ([`Later`]). Both bundles: the participant bundle built its page at once
/// while it was short, until the goals card made that one task block a
/// phone for 300 ms (Lighthouse, BENCHMARKS.md); the wrapper costs 2.3 KB.
macro_rules! later {
    ($($view:tt)*) => {{
        leptos::view! { <crate::app::Later>$($view)*</crate::app::Later> }
    }};
}
pub(crate) use later;

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
    /// How many of this page's commands the server has not acknowledged yet
    /// (sent while offline, or in flight): the indicator shows them while
    /// the connection is not live.
    pub waiting: RwSignal<usize>,
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

/// Whether the browser believes it has a network.
pub fn navigator_online() -> bool {
    window().navigator().on_line()
}
