//! The connection to a room: one WebSocket, kept alive across flaky phone
//! networks.
//!
//! The protocol's rules — `hello` and resuming, folding events in order, the
//! outbox of unanswered commands, what a close means, the reconnect
//! back-off, the clock offset — live in [`moot_shared::session::Session`],
//! shared with the integration tests' client and the load generator. This
//! module is its browser half: the socket and its callbacks, timers, window
//! listeners (network back, tab visible again), `localStorage` for the token
//! and the outbox, and the signals views read. It also words announcements,
//! from the room as it was before each event.
//!
//! The socket, timers and listeners live in a `Rc<RefCell<Link>>` that only
//! this module touches; views see reactive signals and a few methods.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use moot_shared::protocol::ServerMessage;
use moot_shared::room::{
    Authority, Board, Breakouts, Goals, Participant, Polls, Queue, ReportedPresence, Timer,
};
use moot_shared::session::{self, AfterClose, Session, Step};
use moot_shared::{Actor, Command, Event, JoinCode, ParticipantId, Rejection, Room, Timestamp};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

pub use moot_shared::session::{Auth, Ended};

use crate::app::{AppContext, Notices, navigator_online};
use crate::i18n::t;
use crate::status::ConnectionState;
use crate::storage::{
    get_item, load_outbox, outbox_key, remove_item, save_outbox, screen_key, store_token,
    stored_token, token_key,
};

/// How a page words an event for screen readers, from the room just before
/// it and who is watching (`crate::announce::announcement` for the app's
/// pages). Handed in, so the connection depends on no feature's words.
pub type Announcer = fn(&Room, &Event, Option<ParticipantId>) -> Option<String>;

/// How long to wait for `welcome` before giving up on an attempt.
const HANDSHAKE_TIMEOUT_MS: f64 = 15_000.0;
/// Silence after which a live socket is presumed dead (the server pings more often).
const SILENCE_TIMEOUT_MS: f64 = 45_000.0;

/// A handle to a room connection for views: signals to read, methods to act.
/// `Copy`, so closures in views take it freely.
#[derive(Clone, Copy)]
pub struct Connection {
    /// The room as this client folded it; `None` until the first welcome.
    pub room: RwSignal<Option<Room>>,
    /// Who this connection acts as (`None` for the shared screen).
    pub me: RwSignal<Option<ParticipantId>>,
    /// Set when the connection has stopped for good.
    pub ended: RwSignal<Option<Ended>>,
    /// Connection state, mirrored into the app-wide indicator.
    pub state: RwSignal<ConnectionState>,
    /// The join code.
    pub code: StoredValue<JoinCode>,
    /// Each feature's part of the room. A memo recomputes when the room
    /// changes but tells its views only when its own part changed, so an
    /// event in the queue does not re-render the board.
    pub parts: RoomParts,
    link: StoredValue<LinkCell, LocalStorage>,
}

/// The room cut into what each feature's views read (see [`Connection::parts`]).
#[derive(Clone, Copy)]
pub struct RoomParts {
    /// Everyone who ever joined, with their roles and presence.
    pub people: Memo<Vec<Participant>>,
    /// The speaking queue.
    pub queue: Memo<Option<Queue>>,
    /// The topic board.
    pub board: Memo<Option<Board>>,
    /// The consensus polls.
    pub polls: Memo<Option<Polls>>,
    /// The timer.
    pub timer: Memo<Option<Timer>>,
    /// The goals this person may see, and the buddy pairs.
    pub goals: Memo<Option<Goals>>,
    /// The breakouts, with the group notes this person may read.
    pub breakouts: Memo<Option<Breakouts>>,
}

/// A memo of one part of the room.
fn part<T: Clone + PartialEq + Send + Sync + 'static>(
    room: RwSignal<Option<Room>>,
    cut: fn(&Room) -> T,
) -> Memo<Option<T>> {
    Memo::new(move |_| room.with(|room| room.as_ref().map(cut)))
}

impl RoomParts {
    fn of(room: RwSignal<Option<Room>>) -> RoomParts {
        RoomParts {
            people: Memo::new(move |_| {
                room.with(|room| {
                    room.as_ref()
                        .map(|room| room.participants.clone())
                        .unwrap_or_default()
                })
            }),
            queue: part(room, |room| room.queue.clone()),
            board: part(room, |room| room.board.clone()),
            polls: part(room, |room| room.polls.clone()),
            timer: part(room, |room| room.timer.clone()),
            goals: part(room, |room| room.goals.clone()),
            breakouts: part(room, |room| room.breakouts.clone()),
        }
    }

    /// A person's display name (empty for someone unknown).
    pub fn name_of(&self, id: ParticipantId) -> String {
        self.people.with(|people| {
            people
                .iter()
                .find(|person| person.id == id)
                .map(|person| person.name.to_string())
                .unwrap_or_default()
        })
    }
}

/// A socket and the callbacks attached to it. Dropping it detaches the
/// callbacks and closes the socket, so a replaced socket can never call back.
struct Socket {
    ws: WebSocket,
    opened_at: f64,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

/// The private side of a connection: the session and what the browser adds.
struct Link {
    session: Session,
    announcer: Announcer,
    room: RwSignal<Option<Room>>,
    me: RwSignal<Option<ParticipantId>>,
    ended: RwSignal<Option<Ended>>,
    state: RwSignal<ConnectionState>,
    app_status: RwSignal<Option<ConnectionState>>,
    /// The app's count of unanswered commands (see `AppContext::waiting`).
    waiting: RwSignal<usize>,
    notices: Notices,
    socket: Option<Socket>,
    retry: Option<TimeoutHandle>,
    last_heard: f64,
    stopped: bool,
    listeners: Vec<WindowListenerHandle>,
    watchdog: Option<IntervalHandle>,
}

/// The link, shared by the handle and the socket's callbacks.
type LinkCell = Rc<RefCell<Link>>;

impl Connection {
    /// Opens a connection to the room `code` as `auth`, announcing events as
    /// `announcer` words them. Call it inside a component (it uses the app
    /// context); the page renders at once and the socket catches up.
    pub fn start(app: AppContext, code: JoinCode, auth: Auth, announcer: Announcer) -> Connection {
        let state = RwSignal::new(ConnectionState::Connecting);
        app.status.set(Some(ConnectionState::Connecting));
        let outbox = load_outbox(&code);
        app.waiting.set(outbox.len());
        let link = Link {
            session: Session::new(code.clone(), auth, outbox),
            announcer,
            room: RwSignal::new(None),
            me: RwSignal::new(None),
            ended: RwSignal::new(None),
            state,
            app_status: app.status,
            waiting: app.waiting,
            notices: app.notices,
            socket: None,
            retry: None,
            last_heard: now_ms(),
            stopped: false,
            listeners: Vec::new(),
            watchdog: None,
        };
        let connection = Connection {
            parts: RoomParts::of(link.room),
            room: link.room,
            me: link.me,
            ended: link.ended,
            state,
            code: StoredValue::new(code),
            link: StoredValue::new_local(Rc::new(RefCell::new(link))),
        };
        let cell = connection.cell();
        install_listeners(&cell);
        open(&cell);
        connection
    }

    fn cell(&self) -> LinkCell {
        self.link.get_value()
    }

    /// Sends a command built from a form, or shows why the form's input
    /// cannot be sent (worded as the server's refusal would be). Returns
    /// whether it was sent, so the form keeps what was typed otherwise.
    pub fn submit(&self, command: Result<Command, Rejection>) -> bool {
        match command {
            Ok(command) => {
                self.send(command);
                true
            }
            Err(reason) => {
                // The reducer's own sentence for every refusal is in the full
                // app only; a phone's forms refuse only what the wording in
                // `i18n` covers (text fields, due dates), and the phone's
                // download stays without the rest.
                let message = if crate::app::FACILITATION {
                    reason.to_string()
                } else {
                    String::new()
                };
                let notices = self.cell().borrow().notices;
                notices.show_toast(t().rejection(&reason, &message));
                false
            }
        }
    }

    /// Sends a command; it is kept until acknowledged and resent after a
    /// reconnect, so nothing is lost while the network is away.
    pub fn send(&self, command: Command) {
        let cell = self.cell();
        let mut link = cell.borrow_mut();
        if link.stopped {
            return;
        }
        let request_id = uuid::Uuid::new_v4().simple().to_string();
        crate::pending::sent(&request_id);
        if let Some(frame) = link.session.submit(request_id, &command) {
            link.send_text(&frame);
        }
        link.save_outbox();
    }

    /// Why the reducer would refuse `command` from this connection's person
    /// now, or `None` if it would take it: what a button asks before it
    /// offers itself (tracked: it re-runs when the room changes). The shared
    /// screen, which acts as nobody, is refused everything.
    pub fn refusal(&self, command: Command) -> Option<Rejection> {
        let Some(me) = self.me.get() else {
            return Some(Rejection::NotInMeetup);
        };
        let now = self.server_now();
        self.room.with(|room| {
            let room = room.as_ref()?;
            let actor = Actor::Participant(me);
            // A phone's bundle asks only about a member's own commands (it
            // reloads as the full app for whoever runs the meetup), so it
            // carries only that part of the reducer.
            if crate::app::FACILITATION {
                room.check(actor, &command, now).err()
            } else {
                room.check_own(actor, command, now).err()
            }
        })
    }

    /// Whether the reducer would take `command` from this person now.
    pub fn allows(&self, command: Command) -> bool {
        self.refusal(command).is_none()
    }

    /// Whether this person holds `authority` (the room's own rule, as for
    /// commands; for what is not a command, such as deleting the meetup).
    pub fn may(&self, authority: Authority) -> bool {
        let Some(me) = self.me.get() else {
            return false;
        };
        self.room.with(|room| {
            room.as_ref()
                .is_some_and(|room| room.authorize(Actor::Participant(me), authority).is_ok())
        })
    }

    /// Whether this person runs the meetup.
    pub fn runs_meetup(&self) -> bool {
        self.may(Authority::Runner)
    }

    /// The server's clock now, as well as this client can tell.
    pub fn server_now(&self) -> Timestamp {
        self.cell().borrow().session.server_now(now_ms() as u64)
    }

    /// The token this browser keeps for the room, if any.
    pub fn token(&self) -> Option<String> {
        self.code.with_value(stored_token)
    }

    /// Stops for good: closes the socket and removes timers and listeners.
    pub fn shutdown(&self) {
        // The arena value may be gone already when the owner is being disposed.
        if let Some(cell) = self.link.try_get_value() {
            cell.borrow_mut().stop();
        }
    }

    /// Starts again after the connection ended (for "Rejoin" after leaving).
    pub fn restart(&self) {
        self.restart_as(None);
    }

    /// Starts again after the connection ended, coming back under `name`
    /// (when someone took the old one while this person was away), or under
    /// the old name with `None`.
    pub fn restart_as(&self, name: Option<String>) {
        let cell = self.cell();
        {
            let mut link = cell.borrow_mut();
            link.stopped = false;
            link.session.reset_backoff();
            link.ended.set(None);
            if let Some(token) = stored_token(link.session.join_code()) {
                link.session.set_auth(match name {
                    Some(name) => Auth::RejoinAs(token, name),
                    None => Auth::Rejoin(token),
                });
            }
        }
        install_listeners(&cell);
        open(&cell);
    }
}

impl Link {
    fn send_text(&self, text: &str) {
        let Some(socket) = &self.socket else { return };
        if socket.ws.ready_state() != WebSocket::OPEN {
            return;
        }
        let _ = socket.ws.send_with_str(text);
    }

    /// Stores the unanswered commands, which the indicator counts.
    fn save_outbox(&self) {
        let outbox = self.session.outbox();
        save_outbox(self.session.join_code(), outbox);
        crate::pending::settle(outbox);
        if self.waiting.get_untracked() != outbox.len() {
            self.waiting.set(outbox.len());
        }
    }

    fn set_state(&self, state: ConnectionState) {
        if self.state.get_untracked() != state {
            self.state.set(state);
        }
        self.app_status.set(Some(state));
    }

    fn stop(&mut self) {
        self.stopped = true;
        self.session.dropped();
        retire(self.socket.take());
        if let Some(retry) = self.retry.take() {
            retry.clear();
        }
        if let Some(watchdog) = self.watchdog.take() {
            watchdog.clear();
        }
        for listener in self.listeners.drain(..) {
            listener.remove();
        }
        self.app_status.set(None);
        // What is still stored is resent if this room is opened again.
        self.waiting.set(0);
        crate::pending::settle(&[]);
    }

    /// Ends the connection and says why.
    fn end(&mut self, why: Ended) {
        self.stop();
        // The page stays on this room, so the indicator keeps saying there is no connection.
        self.set_state(ConnectionState::Offline);
        self.ended.set(Some(why));
    }

    fn send_presence(&self, presence: ReportedPresence) {
        let request_id = uuid::Uuid::new_v4().simple().to_string();
        if let Some(frame) = self.session.presence(request_id, presence) {
            self.send_text(&frame);
        }
    }

    fn on_close(&mut self, close_code: u16) -> bool {
        retire(self.socket.take());
        if self.stopped {
            return false;
        }
        match self.session.closed(Some(close_code)) {
            AfterClose::End(ended) => {
                match (&ended, self.session.auth()) {
                    (Ended::BadCredential, Auth::Screen(_)) => {
                        remove_item(&screen_key(self.session.join_code()));
                    }
                    (Ended::BadCredential, _) => {
                        remove_item(&token_key(self.session.join_code()));
                        remove_item(&outbox_key(self.session.join_code()));
                    }
                    (Ended::Removed, _) => self.notices.announce(t().you_were_removed),
                    _ => {}
                }
                self.end(ended);
                false
            }
            AfterClose::Retry { refusal, was_live } => {
                if let Some((reason, message)) = refusal {
                    self.notices.show_toast(t().rejection(&reason, &message));
                }
                if was_live {
                    self.notices.announce(t().connection_lost);
                }
                self.set_state(if navigator_online() {
                    ConnectionState::Reconnecting
                } else {
                    ConnectionState::Offline
                });
                true
            }
        }
    }

    /// Does what the session says after a frame. Returns `true` when the
    /// socket must be dropped and reconnected later (a resync).
    fn follow(&mut self, steps: Vec<Step>, announcement: Option<String>) -> bool {
        let mut resync = false;
        for step in steps {
            match step {
                Step::Send(text) => self.send_text(&text),
                Step::Welcomed { token, came_back } => {
                    if let Some(token) = token {
                        store_token(self.session.join_code(), &token);
                    }
                    let me = self.session.me();
                    self.me.set(me);
                    if came_back {
                        self.notices.announce(t().connection_back);
                    }
                    self.set_state(ConnectionState::Live);
                    if me.is_some() && document_hidden() {
                        self.send_presence(ReportedPresence::Away);
                    }
                }
                Step::Folded { .. } => {
                    if let Some(text) = &announcement {
                        self.notices.announce(text.clone());
                    }
                }
                Step::Answered {
                    request_id,
                    outcome,
                } => {
                    if request_id.is_some() {
                        self.save_outbox();
                    }
                    if let Err((reason, message)) = outcome {
                        self.notices.show_toast(t().rejection(&reason, &message));
                    }
                }
                Step::Resync => resync = true,
                Step::Incompatible => self.end(Ended::Version),
                Step::Ended(ended) => self.end(ended),
            }
        }
        resync
    }
}

/// Drops a socket on the next tick: it may be the one whose callback is running.
fn retire(socket: Option<Socket>) {
    if let Some(socket) = socket {
        set_timeout(move || drop(socket), Duration::ZERO);
    }
}

/// Schedules a connection attempt after `delay`, replacing any pending one.
fn schedule(cell: &LinkCell, delay: Duration) {
    let mut link = cell.borrow_mut();
    if link.stopped {
        return;
    }
    if let Some(retry) = link.retry.take() {
        retry.clear();
    }
    let weak = Rc::downgrade(cell);
    link.retry = set_timeout_with_handle(
        move || {
            if let Some(cell) = weak.upgrade() {
                cell.borrow_mut().retry = None;
                open(&cell);
            }
        },
        delay,
    )
    .ok();
}

/// Drops the current socket (if any) and connects again right away: the
/// network or the tab just came back, or the socket went silent.
fn reconnect_now(cell: &LinkCell) {
    {
        let mut link = cell.borrow_mut();
        link.session.dropped();
        retire(link.socket.take());
        link.set_state(if link.session.ever_welcomed() {
            ConnectionState::Reconnecting
        } else {
            ConnectionState::Connecting
        });
    }
    schedule(cell, Duration::ZERO);
}

/// Reconnects after the session's back-off (with jitter).
fn reconnect_later(cell: &LinkCell) {
    let random = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    let delay = cell
        .borrow_mut()
        .session
        .next_backoff_ms(now_ms() as u64, random);
    schedule(cell, Duration::from_millis(u64::from(delay)));
}

/// The WebSocket's address. It names the meetup (`?code=`) so that a proxy
/// in front of several moot nodes can route it by join code; the server
/// reads the code from `hello`.
fn ws_url(code: &JoinCode) -> String {
    let location = window().location();
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss:",
        _ => "ws:",
    };
    let host = location.host().unwrap_or_default();
    format!("{scheme}//{host}/ws?code={code}")
}

/// Opens a new socket and wires its callbacks.
fn open(cell: &LinkCell) {
    if cell.borrow().stopped {
        return;
    }
    let url = ws_url(cell.borrow().session.join_code());
    let ws = match WebSocket::new(&url) {
        Ok(ws) => ws,
        Err(_) => return reconnect_later(cell),
    };
    let weak = Rc::downgrade(cell);
    let on_open = Closure::<dyn FnMut()>::new({
        let weak = weak.clone();
        move || {
            if let Some(cell) = weak.upgrade() {
                let link = cell.borrow();
                let holds_room = link.room.with_untracked(Option::is_some);
                link.send_text(&link.session.hello(holds_room));
            }
        }
    });
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
        let weak = weak.clone();
        move |event: MessageEvent| {
            if let (Some(cell), Some(text)) = (weak.upgrade(), event.data().as_string()) {
                on_message(&cell, &text);
            }
        }
    });
    let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
        if let Some(cell) = weak.upgrade() {
            let retry = cell.borrow_mut().on_close(event.code());
            if retry {
                reconnect_later(&cell);
            }
        }
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut link = cell.borrow_mut();
    let now = now_ms();
    link.last_heard = now;
    retire(link.socket.replace(Socket {
        ws,
        opened_at: now,
        _on_open: on_open,
        _on_message: on_message,
        _on_close: on_close,
    }));
    if !link.session.ever_welcomed() {
        link.set_state(ConnectionState::Connecting);
    }
}

fn on_message(cell: &LinkCell, text: &str) {
    let resync = {
        let mut guard = cell.borrow_mut();
        let link = &mut *guard;
        link.last_heard = now_ms();
        // A frame came through: whatever the browser's `offline` event said
        // (it fires on a flaky network while the socket survives), the
        // connection works.
        if link.session.is_live() && link.state.get_untracked() == ConnectionState::Offline {
            link.set_state(ConnectionState::Live);
        }
        let Ok(message) = session::decode(text) else {
            // Not skipped: the next event would look like a gap and the
            // resync would replay this same frame forever. The app is out of
            // date for this server.
            link.end(Ended::Version);
            return;
        };
        // Worded from the room before the event folds (a rename says the old name).
        let announcement = match &message {
            ServerMessage::Event { event, .. } => {
                let me = link.me.get_untracked();
                let announce = link.announcer;
                link.room
                    .with_untracked(|room| room.as_ref().and_then(|room| announce(room, event, me)))
            }
            _ => None,
        };
        let changes_room = matches!(
            message,
            ServerMessage::Event { .. }
                | ServerMessage::Welcome {
                    snapshot: Some(_),
                    ..
                }
        );
        let now = now_ms() as u64;
        let mut steps = Vec::new();
        if changes_room {
            // Views re-render only when the room really changed (a repeat
            // from a replay folds nothing).
            link.room.maybe_update(|room| {
                steps = link.session.handle(room, message, now);
                steps
                    .iter()
                    .any(|step| matches!(step, Step::Folded { .. } | Step::Welcomed { .. }))
            });
        } else {
            link.room
                .update_untracked(|room| steps = link.session.handle(room, message, now));
        }
        let resync = link.follow(steps, announcement);
        if resync {
            link.session.dropped();
            retire(link.socket.take());
            link.set_state(ConnectionState::Reconnecting);
        }
        resync
    };
    if resync {
        reconnect_later(cell);
    }
}

/// Window listeners (network back, tab visible again) and the watchdog that
/// notices a silent socket.
fn install_listeners(cell: &LinkCell) {
    let weak = Rc::downgrade(cell);
    let online = window_event_listener_untyped("online", {
        let weak = weak.clone();
        move |_| {
            if let Some(cell) = weak.upgrade() {
                let live = cell.borrow().session.is_live();
                if live {
                    // The socket outlived the outage: say so.
                    cell.borrow().set_state(ConnectionState::Live);
                } else {
                    cell.borrow_mut().session.reset_backoff();
                    reconnect_now(&cell);
                }
            }
        }
    });
    let offline = window_event_listener_untyped("offline", {
        let weak = weak.clone();
        move |_| {
            if let Some(cell) = weak.upgrade() {
                let link = cell.borrow();
                if !link.stopped {
                    link.set_state(ConnectionState::Offline);
                }
            }
        }
    });
    // `visibilitychange` fires on the document and bubbles to the window.
    let visibility = window_event_listener_untyped("visibilitychange", {
        let weak = weak.clone();
        move |_| {
            let Some(cell) = weak.upgrade() else { return };
            let hidden = document_hidden();
            let (live, has_me) = {
                let link = cell.borrow();
                (link.session.is_live(), link.me.get_untracked().is_some())
            };
            if live {
                if has_me {
                    cell.borrow().send_presence(if hidden {
                        ReportedPresence::Away
                    } else {
                        ReportedPresence::Here
                    });
                }
            } else if !hidden {
                cell.borrow_mut().session.reset_backoff();
                reconnect_now(&cell);
            }
        }
    });
    let watchdog = set_interval_with_handle(
        move || {
            let Some(cell) = weak.upgrade() else { return };
            let now = now_ms();
            let dead = {
                let link = cell.borrow();
                match &link.socket {
                    Some(_) if link.session.is_live() => now - link.last_heard > SILENCE_TIMEOUT_MS,
                    Some(socket) => now - socket.opened_at > HANDSHAKE_TIMEOUT_MS,
                    None => false,
                }
            };
            if dead {
                reconnect_now(&cell);
            }
        },
        Duration::from_secs(5),
    )
    .ok();
    let mut link = cell.borrow_mut();
    link.listeners = vec![online, offline, visibility];
    if let Some(old) = std::mem::replace(&mut link.watchdog, watchdog) {
        old.clear();
    }
}

/// This device's clock, in milliseconds since the Unix epoch: every clock
/// reading of the app goes through here (and through the measured offset
/// in [`Connection::server_now`] for server time).
fn now_ms() -> f64 {
    js_sys::Date::now() + TEST_CLOCK_SKEW_MS.with(|skew| *skew)
}

thread_local! {
    /// A test hook: `localStorage['moot.test.clock_skew_ms']` makes this
    /// device's clock read that much off, as a phone with a wrong clock
    /// would, so end-to-end tests can show that screens with different
    /// clocks still agree on the timer. Read once, at start; 0 when unset.
    /// Whole milliseconds: parsing a float would add kilobytes of wasm.
    static TEST_CLOCK_SKEW_MS: f64 = get_item("moot.test.clock_skew_ms")
        .and_then(|value| value.trim().parse::<i64>().ok())
        .map_or(0.0, |skew| skew as f64);
}

fn document_hidden() -> bool {
    document().hidden()
}
