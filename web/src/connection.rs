//! The connection to a room: one WebSocket, kept alive across flaky phone
//! networks.
//!
//! - The first message is `hello`; `welcome` brings a snapshot or is followed
//!   by the events missed since `last_seq`. Events are folded with the same
//!   reducer the server runs ([`Room::on_event`]); a gap in sequence numbers
//!   means something was lost, so the client reconnects and resumes.
//! - Commands carry a random request id and stay in an outbox (persisted in
//!   `localStorage`) until `ack` or `rejected`; after a reconnect they are
//!   resent with the same id, and the server applies each id once.
//! - Reconnects back off exponentially (0.5 s to 10 s, with jitter), happen at
//!   once when the network or the tab comes back, and stop for refusals that
//!   cannot get better (wrong version, unknown code, bad credential, removed).
//! - `time_sync` round trips estimate the server's clock; [`Connection::server_now`]
//!   uses the sample with the shortest round trip.
//!
//! The socket, timers and listeners live in a `Rc<RefCell<Link>>` that only
//! this module touches; views see reactive signals and a few methods.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use moot_shared::Command;
use moot_shared::json::{self, ObjectWriter, ToJson};
use moot_shared::protocol::{
    ClientMessage, HelloAuth, PROTOCOL_VERSION, ServerMessage, clock_offset_millis,
};
use moot_shared::room::{Membership, ReportedPresence};
use moot_shared::{Event, JoinCode, ParticipantId, Rejection, Room, Seq, Timestamp};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::i18n::t;
use crate::storage::{
    Pending, RawJson, get_item, load_outbox, outbox_key, remove_item, save_outbox, screen_key,
    store_token, stored_token, token_key,
};
use crate::{AppContext, Notices, navigator_online};

/// What the connection indicator shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionState {
    /// The first attempt is under way.
    Connecting,
    /// Welcomed and in sync.
    Live,
    /// Lost; trying again.
    Reconnecting,
    /// The browser has no network, or the connection has ended for good.
    Offline,
}

impl ConnectionState {
    /// The value of the indicator's `data-state` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionState::Connecting => "connecting",
            ConnectionState::Live => "live",
            ConnectionState::Reconnecting => "reconnecting",
            ConnectionState::Offline => "offline",
        }
    }
}

/// Who this connection speaks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Auth {
    /// A new participant with this name (the join page).
    Join(String),
    /// A participant coming back with their stored token.
    Rejoin(String),
    /// Someone who left coming back under a new name, because another person
    /// took theirs meanwhile (token, name).
    RejoinAs(String, String),
    /// The shared screen, with a facilitator's token.
    Screen(String),
}

/// Why a connection stopped for good; views show a page for each.
#[derive(Clone, Debug, PartialEq)]
pub enum Ended {
    /// A facilitator removed this participant.
    Removed,
    /// This participant left.
    Left,
    /// The stored token is not valid here (it has been dropped).
    BadCredential,
    /// No meetup has this code.
    UnknownCode,
    /// The server speaks another protocol version.
    Version,
    /// A join attempt was refused (name taken, locked, full, …).
    JoinRefused(Rejection, String),
}

/// How long to wait for `welcome` before giving up on an attempt.
const HANDSHAKE_TIMEOUT_MS: f64 = 15_000.0;
/// Silence after which a live socket is presumed dead (the server pings more often).
const SILENCE_TIMEOUT_MS: f64 = 45_000.0;
/// `time_sync` round trips per connection.
const TIME_SYNC_SAMPLES: u32 = 4;
const BACKOFF_START_MS: f64 = 500.0;
const BACKOFF_MAX_MS: f64 = 10_000.0;

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
    link: StoredValue<Rc<RefCell<Link>>, LocalStorage>,
}

/// A `command` message ([`ClientMessage::Command`]) built around an outbox
/// entry's stored JSON; writes the same text.
struct CommandMessage<'a>(&'a Pending);

impl ToJson for CommandMessage<'_> {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field("type", "command")
            .field("request_id", &self.0.request_id)
            .field("command", &self.0.command)
            .finish();
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

/// The private side of a connection.
struct Link {
    code: JoinCode,
    auth: Auth,
    room: RwSignal<Option<Room>>,
    me: RwSignal<Option<ParticipantId>>,
    ended: RwSignal<Option<Ended>>,
    state: RwSignal<ConnectionState>,
    app_status: RwSignal<Option<ConnectionState>>,
    notices: Notices,
    socket: Option<Socket>,
    welcomed: bool,
    ever_welcomed: bool,
    attempt: u32,
    retry: Option<TimeoutHandle>,
    last_seq: Option<Seq>,
    last_heard: f64,
    outbox: Vec<Pending>,
    refusal: Option<(Rejection, String)>,
    syncs_sent: u32,
    best_sync: Option<(u64, i64)>,
    clock_offset: i64,
    stopped: bool,
    listeners: Vec<WindowListenerHandle>,
    watchdog: Option<IntervalHandle>,
}

type Shared = Rc<RefCell<Link>>;

impl Connection {
    /// Opens a connection to the room `code` as `auth`. Call it inside a
    /// component (it uses the app context); the page renders at once and the
    /// socket catches up.
    pub fn start(app: AppContext, code: JoinCode, auth: Auth) -> Connection {
        let state = RwSignal::new(ConnectionState::Connecting);
        app.status.set(Some(ConnectionState::Connecting));
        let link = Link {
            outbox: load_outbox(&code),
            code: code.clone(),
            auth,
            room: RwSignal::new(None),
            me: RwSignal::new(None),
            ended: RwSignal::new(None),
            state,
            app_status: app.status,
            notices: app.notices,
            socket: None,
            welcomed: false,
            ever_welcomed: false,
            attempt: 0,
            retry: None,
            last_seq: None,
            last_heard: now_ms(),
            refusal: None,
            syncs_sent: 0,
            best_sync: None,
            clock_offset: 0,
            stopped: false,
            listeners: Vec::new(),
            watchdog: None,
        };
        let connection = Connection {
            room: link.room,
            me: link.me,
            ended: link.ended,
            state,
            code: StoredValue::new(code),
            link: StoredValue::new_local(Rc::new(RefCell::new(link))),
        };
        let shared = connection.shared();
        install_listeners(&shared);
        open(&shared);
        connection
    }

    fn shared(&self) -> Shared {
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
                let message = reason.to_string();
                let notices = self.shared().borrow().notices;
                notices.show_toast(t().rejection(&reason, &message));
                false
            }
        }
    }

    /// Sends a command; it is kept until acknowledged and resent after a
    /// reconnect, so nothing is lost while the network is away.
    pub fn send(&self, command: Command) {
        let shared = self.shared();
        let mut link = shared.borrow_mut();
        if link.stopped {
            return;
        }
        let pending = Pending {
            request_id: uuid::Uuid::new_v4().simple().to_string(),
            command: RawJson(json::to_string(&command)),
        };
        if link.welcomed {
            link.send_pending(&pending);
        }
        link.outbox.push(pending);
        save_outbox(&link.code, &link.outbox);
    }

    /// The server's clock now, as well as this client can tell.
    pub fn server_now(&self) -> Timestamp {
        let offset = self.shared().borrow().clock_offset;
        Timestamp(u64::try_from(now_ms() as i64 + offset).unwrap_or(0))
    }

    /// The token this browser keeps for the room, if any.
    pub fn token(&self) -> Option<String> {
        self.code.with_value(stored_token)
    }

    /// Stops for good: closes the socket and removes timers and listeners.
    pub fn shutdown(&self) {
        // The arena value may be gone already when the owner is being disposed.
        if let Some(shared) = self.link.try_get_value() {
            shared.borrow_mut().stop();
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
        let shared = self.shared();
        {
            let mut link = shared.borrow_mut();
            link.stopped = false;
            link.attempt = 0;
            link.ended.set(None);
            if let Some(token) = stored_token(&link.code) {
                link.auth = match name {
                    Some(name) => Auth::RejoinAs(token, name),
                    None => Auth::Rejoin(token),
                };
            }
        }
        install_listeners(&shared);
        open(&shared);
    }
}

impl Link {
    fn send_message(&self, message: &impl ToJson) {
        let Some(socket) = &self.socket else { return };
        if socket.ws.ready_state() != WebSocket::OPEN {
            return;
        }
        let _ = socket.ws.send_with_str(&json::to_string(message));
    }

    fn send_pending(&self, pending: &Pending) {
        self.send_message(&CommandMessage(pending));
    }

    fn set_state(&self, state: ConnectionState) {
        if self.state.get_untracked() != state {
            self.state.set(state);
        }
        self.app_status.set(Some(state));
    }

    fn stop(&mut self) {
        self.stopped = true;
        self.welcomed = false;
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
    }

    /// Ends the connection and says why.
    fn end(&mut self, why: Ended) {
        self.stop();
        // The page stays on this room, so the indicator keeps saying there is no connection.
        self.set_state(ConnectionState::Offline);
        self.ended.set(Some(why));
    }

    fn hello(&self) -> ClientMessage {
        let auth = match &self.auth {
            Auth::Join(name) => HelloAuth::Join { name: name.clone() },
            Auth::Rejoin(token) => HelloAuth::Rejoin {
                token: token.clone(),
                name: None,
            },
            Auth::RejoinAs(token, name) => HelloAuth::Rejoin {
                token: token.clone(),
                name: Some(name.clone()),
            },
            Auth::Screen(token) => HelloAuth::Screen {
                token: token.clone(),
            },
        };
        ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            join_code: self.code.to_string(),
            auth,
            // Only a client that holds the room can be caught up by replay.
            last_seq: if self.room.with_untracked(Option::is_some) {
                self.last_seq
            } else {
                None
            },
        }
    }

    fn on_welcome(
        &mut self,
        participant: Option<ParticipantId>,
        token: Option<String>,
        seq: Seq,
        snapshot: Option<Box<Room>>,
    ) {
        if let Some(token) = token {
            store_token(&self.code, &token);
            self.auth = Auth::Rejoin(token);
        } else if let Auth::RejoinAs(token, _) = &self.auth {
            // Back under the new name, which the room now has: later
            // reconnects are plain rejoins.
            self.auth = Auth::Rejoin(token.clone());
        }
        self.me.set(participant);
        if let Some(room) = snapshot {
            self.room.set(Some(*room));
            self.last_seq = Some(seq);
        }
        if self.ever_welcomed && !self.welcomed {
            self.notices.announce(t().connection_back);
        }
        self.welcomed = true;
        self.ever_welcomed = true;
        self.attempt = 0;
        self.refusal = None;
        self.set_state(ConnectionState::Live);
        for pending in &self.outbox {
            self.send_pending(pending);
        }
        self.syncs_sent = 0;
        self.best_sync = None;
        self.send_time_sync();
        if participant.is_some() && document_hidden() {
            self.send_presence(ReportedPresence::Away);
        }
    }

    fn send_time_sync(&mut self) {
        self.syncs_sent += 1;
        self.send_message(&ClientMessage::TimeSync {
            client_time: now_ms() as u64,
        });
    }

    fn on_time_sync(&mut self, client_time: u64, server_time: Timestamp) {
        let received = now_ms() as u64;
        let round_trip = received.saturating_sub(client_time);
        let offset = clock_offset_millis(client_time, server_time, received);
        if self
            .best_sync
            .is_none_or(|(best_round_trip, _)| round_trip < best_round_trip)
        {
            self.best_sync = Some((round_trip, offset));
            self.clock_offset = offset;
        }
        if self.syncs_sent < TIME_SYNC_SAMPLES {
            self.send_time_sync();
        }
    }

    fn send_presence(&self, presence: ReportedPresence) {
        // Presence is only news while connected; it is not kept in the outbox
        // because a stale "away" resent later would be wrong.
        self.send_message(&ClientMessage::Command {
            request_id: uuid::Uuid::new_v4().simple().to_string(),
            command: Command::SetPresence { presence },
        });
    }

    /// Folds one event. Returns `false` when the client must resync.
    fn on_event(&mut self, seq: Seq, at: Timestamp, event: Event) -> bool {
        let last = self.last_seq.unwrap_or_default();
        if seq <= last {
            return true; // A duplicate from a replay; already folded.
        }
        if seq != last.next() {
            return false;
        }
        let announcement = self.room.with_untracked(|room| {
            room.as_ref()
                .and_then(|room| announcement(room, &event, self.me.get_untracked()))
        });
        let mut folded = true;
        self.room.update(|room| match room {
            Some(room) => room.on_event(&event),
            None => {
                *room = Room::opened(&event, at);
                folded = room.is_some();
            }
        });
        if !folded {
            return false;
        }
        self.last_seq = Some(seq);
        if let Some(text) = announcement {
            self.notices.announce(text);
        }
        // Did this event end our own membership?
        if let Some(me) = self.me.get_untracked() {
            match event {
                Event::ParticipantRemoved { participant } if participant == me => {
                    self.end(Ended::Removed);
                }
                Event::ParticipantLeft { participant } if participant == me => {
                    self.end(Ended::Left);
                }
                _ => {}
            }
        }
        true
    }

    fn on_close(&mut self, close_code: u16) {
        let was_welcomed = self.welcomed;
        self.welcomed = false;
        retire(self.socket.take());
        if self.stopped {
            return;
        }
        let refusal = self.refusal.take();
        match close_code {
            4001 => return self.end(Ended::Version),
            4004 => return self.end(Ended::UnknownCode),
            4005 => {
                match &self.auth {
                    Auth::Screen(_) => remove_item(&screen_key(&self.code)),
                    _ => {
                        remove_item(&token_key(&self.code));
                        remove_item(&outbox_key(&self.code));
                    }
                }
                return self.end(Ended::BadCredential);
            }
            4010 => {
                self.notices.announce(t().you_were_removed);
                return self.end(Ended::Removed);
            }
            _ => {}
        }
        // A refused join will not get better by itself: the person changes the name or asks.
        // Nor will coming back to a taken name or a full room; other refusals
        // of a rejoin (a busy server) are worth retrying.
        let gives_up = match (&self.auth, &refusal) {
            (Auth::Join(_), Some(_)) => true,
            (Auth::Rejoin(_) | Auth::RejoinAs(..), Some((reason, _))) => {
                matches!(reason, Rejection::NameTaken | Rejection::RoomFull { .. })
            }
            _ => false,
        };
        if gives_up && let Some((reason, message)) = refusal {
            return self.end(Ended::JoinRefused(reason, message));
        }
        if let Some((reason, message)) = refusal {
            self.notices.show_toast(t().rejection(&reason, &message));
        }
        if was_welcomed {
            self.notices.announce(t().connection_lost);
        }
        self.set_state(if navigator_online() {
            ConnectionState::Reconnecting
        } else {
            ConnectionState::Offline
        });
    }

    fn next_backoff(&mut self) -> Duration {
        let exponent = self.attempt.min(10);
        self.attempt = self.attempt.saturating_add(1);
        let ceiling = (BACKOFF_START_MS * 2f64.powi(exponent as i32)).min(BACKOFF_MAX_MS);
        // Jitter spreads reconnects so a restarted server is not hit by everyone at once.
        let jittered = ceiling * (0.5 + 0.5 * js_sys::Math::random());
        Duration::from_millis(jittered as u64)
    }
}

/// Drops a socket on the next tick: it may be the one whose callback is running.
fn retire(socket: Option<Socket>) {
    if let Some(socket) = socket {
        set_timeout(move || drop(socket), Duration::ZERO);
    }
}

/// Schedules a connection attempt after `delay`, replacing any pending one.
fn schedule(shared: &Shared, delay: Duration) {
    let mut link = shared.borrow_mut();
    if link.stopped {
        return;
    }
    if let Some(retry) = link.retry.take() {
        retry.clear();
    }
    let weak = Rc::downgrade(shared);
    link.retry = set_timeout_with_handle(
        move || {
            if let Some(shared) = weak.upgrade() {
                shared.borrow_mut().retry = None;
                open(&shared);
            }
        },
        delay,
    )
    .ok();
}

/// Drops the current socket (if any) and connects again right away.
fn reconnect_now(shared: &Shared) {
    {
        let mut link = shared.borrow_mut();
        link.welcomed = false;
        retire(link.socket.take());
        link.set_state(if link.ever_welcomed {
            ConnectionState::Reconnecting
        } else {
            ConnectionState::Connecting
        });
    }
    schedule(shared, Duration::ZERO);
}

/// Reconnects after the backoff delay.
fn reconnect_later(shared: &Shared) {
    let delay = shared.borrow_mut().next_backoff();
    schedule(shared, delay);
}

fn ws_url() -> String {
    let location = window().location();
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss:",
        _ => "ws:",
    };
    let host = location.host().unwrap_or_default();
    format!("{scheme}//{host}/ws")
}

/// Opens a new socket and wires its callbacks.
fn open(shared: &Shared) {
    if shared.borrow().stopped {
        return;
    }
    let ws = match WebSocket::new(&ws_url()) {
        Ok(ws) => ws,
        Err(_) => return reconnect_later(shared),
    };
    let weak = Rc::downgrade(shared);
    let on_open = Closure::<dyn FnMut()>::new({
        let weak = weak.clone();
        move || {
            if let Some(shared) = weak.upgrade() {
                let link = shared.borrow();
                link.send_message(&link.hello());
            }
        }
    });
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
        let weak = weak.clone();
        move |event: MessageEvent| {
            if let (Some(shared), Some(text)) = (weak.upgrade(), event.data().as_string()) {
                on_message(&shared, &text);
            }
        }
    });
    let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
        if let Some(shared) = weak.upgrade() {
            shared.borrow_mut().on_close(event.code());
            let stopped = shared.borrow().stopped;
            if !stopped {
                reconnect_later(&shared);
            }
        }
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut link = shared.borrow_mut();
    let now = now_ms();
    link.last_heard = now;
    retire(link.socket.replace(Socket {
        ws,
        opened_at: now,
        _on_open: on_open,
        _on_message: on_message,
        _on_close: on_close,
    }));
    if !link.ever_welcomed {
        link.set_state(ConnectionState::Connecting);
    }
}

fn on_message(shared: &Shared, text: &str) {
    // Unknown or newer messages are skipped rather than breaking the page.
    let Ok(message) = json::from_str::<ServerMessage>(text) else {
        return;
    };
    let mut link = shared.borrow_mut();
    link.last_heard = now_ms();
    match message {
        ServerMessage::Welcome {
            participant,
            token,
            seq,
            snapshot,
            ..
        } => link.on_welcome(participant, token, seq, snapshot),
        ServerMessage::Event { seq, at, event } => {
            if !link.on_event(seq, at, event) {
                drop(link);
                reconnect_now(shared);
            }
        }
        ServerMessage::Ack { request_id, .. } => {
            link.outbox
                .retain(|pending| pending.request_id != request_id);
            save_outbox(&link.code, &link.outbox);
        }
        ServerMessage::Rejected {
            request_id,
            reason,
            message,
        } => {
            if let Some(request_id) = request_id {
                link.outbox
                    .retain(|pending| pending.request_id != request_id);
                save_outbox(&link.code, &link.outbox);
            }
            link.notices.show_toast(t().rejection(&reason, &message));
        }
        ServerMessage::Refused { reason, message } => {
            // The close that follows decides what to do; keep the words for it.
            link.refusal = Some((reason, message));
        }
        ServerMessage::Ping { .. } => link.send_message(&ClientMessage::Pong),
        ServerMessage::TimeSync {
            client_time,
            server_time,
        } => link.on_time_sync(client_time, server_time),
    }
}

/// Window listeners (network back, tab visible again) and the watchdog that
/// notices a silent socket.
fn install_listeners(shared: &Shared) {
    let weak = Rc::downgrade(shared);
    let online = window_event_listener_untyped("online", {
        let weak = weak.clone();
        move |_| {
            if let Some(shared) = weak.upgrade() {
                let live = shared.borrow().welcomed;
                if !live {
                    shared.borrow_mut().attempt = 0;
                    reconnect_now(&shared);
                }
            }
        }
    });
    let offline = window_event_listener_untyped("offline", {
        let weak = weak.clone();
        move |_| {
            if let Some(shared) = weak.upgrade() {
                let link = shared.borrow();
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
            let Some(shared) = weak.upgrade() else { return };
            let hidden = document_hidden();
            let (live, has_me) = {
                let link = shared.borrow();
                (link.welcomed, link.me.get_untracked().is_some())
            };
            if live {
                if has_me {
                    shared.borrow().send_presence(if hidden {
                        ReportedPresence::Away
                    } else {
                        ReportedPresence::Here
                    });
                }
            } else if !hidden {
                shared.borrow_mut().attempt = 0;
                reconnect_now(&shared);
            }
        }
    });
    let watchdog = set_interval_with_handle(
        move || {
            let Some(shared) = weak.upgrade() else { return };
            let now = now_ms();
            let dead = {
                let link = shared.borrow();
                match &link.socket {
                    Some(socket) if link.welcomed => now - link.last_heard > SILENCE_TIMEOUT_MS,
                    Some(socket) => now - socket.opened_at > HANDSHAKE_TIMEOUT_MS,
                    None => false,
                }
            };
            if dead {
                reconnect_now(&shared);
            }
        },
        Duration::from_secs(5),
    )
    .ok();
    let mut link = shared.borrow_mut();
    link.listeners = vec![online, offline, visibility];
    if let Some(old) = std::mem::replace(&mut link.watchdog, watchdog) {
        old.clear();
    }
}

/// What to announce for an event, worded from the room before it is folded
/// (so a rename can say the old name).
fn announcement(room: &Room, event: &Event, me: Option<ParticipantId>) -> Option<String> {
    let texts = t();
    let name = |id: ParticipantId| {
        room.participant(id)
            .map(|participant| participant.name.to_string())
            .unwrap_or_default()
    };
    Some(match event {
        Event::ParticipantJoined { name, .. } => (texts.joined)(name.as_str()),
        Event::ParticipantRejoined { participant } => {
            let was_gone = room
                .participant(*participant)
                .is_some_and(|participant| participant.membership != Membership::Active);
            if !was_gone || me == Some(*participant) {
                return None;
            }
            (texts.came_back)(&name(*participant))
        }
        Event::ParticipantLeft { participant } if me != Some(*participant) => {
            (texts.left)(&name(*participant))
        }
        Event::ParticipantRemoved { participant } if me == Some(*participant) => {
            texts.you_were_removed.to_owned()
        }
        Event::ParticipantRemoved { participant } => (texts.was_removed)(&name(*participant)),
        Event::ParticipantRenamed {
            participant,
            name: new_name,
        } => (texts.renamed)(&name(*participant), new_name.as_str()),
        Event::FacilitatorHandedOver { to, .. } if me == Some(*to) => {
            texts.you_are_facilitator.to_owned()
        }
        Event::FacilitatorHandedOver { to, .. } => (texts.now_facilitator)(&name(*to)),
        Event::CoFacilitatorAdded { participant } => (texts.now_co)(&name(*participant)),
        Event::CoFacilitatorRemoved { participant } => (texts.no_longer_co)(&name(*participant)),
        Event::LockChanged { locked: true } => texts.meetup_locked.to_owned(),
        Event::LockChanged { locked: false } => texts.meetup_unlocked.to_owned(),
        Event::SeatCapChanged { seat_cap } => (texts.seat_cap_changed)(*seat_cap),
        Event::PollOpened { setup, .. } => {
            (crate::i18n::poll_texts().poll_opened)(setup.question.as_str())
        }
        // Worded from the revealed poll, so it reads as the screen does.
        Event::PollRevealed { poll, results, .. } => {
            let mut revealed = room.polls.get(*poll)?.clone();
            revealed.results = Some(results.clone());
            (crate::i18n::poll_texts().poll_revealed)(&crate::poll::reading_text(&revealed)?)
        }
        Event::VotesRevealed { .. } => crate::i18n::board_texts().votes_revealed.to_owned(),
        Event::TimerExtended { by_ms, .. } => {
            (crate::i18n::timer_texts().extended)(&crate::timer::clock_text(*by_ms))
        }
        Event::TopicStarted { topic, .. } => {
            (crate::i18n::board_texts().now_discussing)(room.board.topic(*topic)?.title.as_str())
        }
        _ => return None,
    })
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
