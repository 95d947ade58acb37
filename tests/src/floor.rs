//! The floor (issue 19): the least a room broadcast costs on this machine,
//! measured with moot's own load generator, so that moot's figures can be
//! read against what any server would show here rather than against numbers
//! taken with another generator.
//!
//! It speaks just enough of moot's protocol for `moot-loadgen`: `/healthz`,
//! `POST /api/meetups`, and on `/ws` a `hello` answered by a `welcome`, then
//! every `command` relayed to the whole room as an `event` with the room's
//! next sequence number and acknowledged to its sender, in the order moot
//! sends them. It validates nothing, keeps no room state and folds
//! nothing, and probes its clients only when asked to (then as moot does):
//! what is left is the cost of the sockets, the tasks, the probes if asked
//! and (in [`Mode::Durable`] and [`Mode::Inline`]) a log synced to disk
//! before anything is shown.
//!
//! It is built on the same crates as moot (axum's WebSocket, two tokio
//! workers), so the difference between the two is moot's own path.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt as _;
use std::path::Path;
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use futures_util::{SinkExt, StreamExt};
use moot_server::clock::Clock;
use moot_server::http::OpenedMeetupResponse;
use moot_server::room_task::frame;
use moot_server::socket::{PING_INTERVAL, first_probe};
use moot_shared::protocol::ServerMessage;
use moot_shared::{JoinCode, ParticipantId, Seq};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior, interval_at};
use uuid::Uuid;

use crate::load::string_after;

/// What stands between a command and its event being shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Nothing: the event goes to the room's sockets at once, from the
    /// task that read the command (a bare relay).
    Relay,
    /// A log: one thread appends every event to a file, syncs it
    /// (`fdatasync`, one sync for whatever waited during the last) and only
    /// then hands the events to the room's sockets. The fewest hops a server
    /// that stores before it shows can make: a worker, the syncing thread, a
    /// worker.
    Durable,
    /// The same log, written and synced by the worker that read the
    /// command, before it shows the events: whoever finds no sync running
    /// syncs everything waiting, again until nothing waits, while the others
    /// go on. No thread hop at all: what a server whose threads each own
    /// their rooms, sockets and share of the log would pay.
    Inline,
}

impl std::str::FromStr for Mode {
    type Err = String;

    fn from_str(mode: &str) -> Result<Mode, String> {
        match mode {
            "relay" => Ok(Mode::Relay),
            "durable" => Ok(Mode::Durable),
            "inline" => Ok(Mode::Inline),
            other => Err(format!("no mode {other:?}: relay, durable or inline")),
        }
    }
}

/// How many frames a connection may have queued before it is cut off (as
/// moot cuts off a stalled reader rather than hold the room back).
const QUEUE: usize = 256;

/// The log is written in place, over a file of this size made beforehand:
/// moot's write-ahead log is too (BENCHMARKS.md, seventh look), and an
/// append that grows the file costs the file system's journal as well.
const LOG_BYTES: u64 = 64 << 20;

/// One meetup: its sequence numbers and its members' queues.
#[derive(Default)]
struct Room {
    /// The last event made.
    seq: u64,
    /// The last event shown: a member who joins now is welcomed at this
    /// number and gets every event after it (in [`Mode::Durable`] some may
    /// still be on their way to disk).
    shown: u64,
    members: Vec<(u64, mpsc::Sender<Utf8Bytes>)>,
}

type SharedRoom = Arc<Mutex<Room>>;

fn lock(room: &SharedRoom) -> std::sync::MutexGuard<'_, Room> {
    room.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An event made, waiting to be shown.
struct Relayed {
    room: SharedRoom,
    seq: u64,
    event: Utf8Bytes,
    sender: u64,
    ack: Utf8Bytes,
}

impl Relayed {
    /// Queues the event on every member, and the ack on its sender after it.
    fn show(self) {
        let room = Arc::clone(&self.room);
        self.show_in(&mut lock(&room));
    }

    /// The same, with the room's lock held.
    fn show_in(self, room: &mut Room) {
        room.shown = self.seq;
        for (id, queue) in &room.members {
            // A full queue drops the frame: the load generator counts it as
            // lost, which is how a stalled floor would show.
            let _ = queue.try_send(self.event.clone());
            if *id == self.sender {
                let _ = queue.try_send(self.ack.clone());
            }
        }
    }
}

/// The events waiting for a sync in [`Mode::Inline`], and whether a worker
/// is syncing (and so will show them).
#[derive(Default)]
struct Waiting {
    events: Vec<Relayed>,
    syncing: bool,
}

/// Where a relayed event goes before it is shown.
enum Route {
    /// Nowhere ([`Mode::Relay`]).
    Direct,
    /// The syncing thread's queue ([`Mode::Durable`]).
    Thread(Mutex<std_mpsc::Sender<Relayed>>),
    /// The events waiting for a sync and whether one runs, and the log
    /// ([`Mode::Inline`]).
    Inline(Mutex<Waiting>, Mutex<Log>),
}

struct Floor {
    rooms: Mutex<HashMap<String, SharedRoom>>,
    route: Route,
    /// Whether connections are probed as moot probes them.
    probes: bool,
}

impl Floor {
    fn room(&self, code: &str) -> Option<SharedRoom> {
        self.rooms
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(code)
            .cloned()
    }

    /// Makes the room's next event for a command and shows it, at once or
    /// once it is on disk.
    fn relay(&self, shared: &SharedRoom, sender: u64, request_id: &str) {
        let mut room = lock(shared);
        room.seq += 1;
        let seq = room.seq;
        let relayed = Relayed {
            room: Arc::clone(shared),
            seq,
            event: format!(r#"{{"type":"event","seq":{seq},"at":0,"event":{{"type":"relayed"}}}}"#)
                .into(),
            sender,
            ack: frame(&ServerMessage::Ack {
                request_id: request_id.to_owned(),
                seq: Seq(seq),
            }),
        };
        // Each is handed on under the room's lock, so the log holds each
        // room's events in the order of their numbers.
        match &self.route {
            Route::Thread(queue) => {
                let _ = queue
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .send(relayed);
            }
            // Shown under the lock, so that no later event of the room
            // overtakes it.
            Route::Direct => relayed.show_in(&mut room),
            Route::Inline(waiting, log) => {
                let syncing = {
                    let mut waiting = waiting.lock().unwrap_or_else(PoisonError::into_inner);
                    waiting.events.push(relayed);
                    std::mem::replace(&mut waiting.syncing, true)
                };
                // Showing takes the room's lock.
                drop(room);
                if !syncing {
                    sync_while_waiting(waiting, log);
                }
            }
        }
    }
}

/// Syncs and shows what waits until nothing does ([`Mode::Inline`]).
fn sync_while_waiting(waiting: &Mutex<Waiting>, log: &Mutex<Log>) {
    loop {
        let group = {
            let mut waiting = waiting.lock().unwrap_or_else(PoisonError::into_inner);
            if waiting.events.is_empty() {
                waiting.syncing = false;
                return;
            }
            std::mem::take(&mut waiting.events)
        };
        let written = log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write(&group);
        if written.is_err() {
            // Nothing unsynced may be shown, and no sync ends this one:
            // the floor stops showing.
            return;
        }
        group.into_iter().for_each(Relayed::show);
    }
}

/// Serves the floor on `listener` until the process ends; the log (in
/// [`Mode::Durable`] and [`Mode::Inline`]) goes into `data_dir`. With
/// `probes`, every connection is probed as moot probes it (every
/// [`PING_INTERVAL`] on moot's shared slots, a WebSocket ping and the
/// `ping` message in turn; the answers are read and dropped), which a bare
/// relay does not do and a server for phones must.
///
/// # Errors
///
/// When the log cannot be made or the listener fails.
pub async fn serve(
    listener: TcpListener,
    mode: Mode,
    probes: bool,
    data_dir: &Path,
) -> io::Result<()> {
    let route = match mode {
        Mode::Relay => Route::Direct,
        Mode::Durable => {
            let mut log = Log::create(data_dir)?;
            let (queue, inbox) = std_mpsc::channel();
            std::thread::Builder::new()
                .name("floor-sync".into())
                .spawn(move || sync_loop(&mut log, &inbox))?;
            Route::Thread(Mutex::new(queue))
        }
        Mode::Inline => Route::Inline(
            Mutex::new(Waiting::default()),
            Mutex::new(Log::create(data_dir)?),
        ),
    };
    let floor = Arc::new(Floor {
        rooms: Mutex::new(HashMap::new()),
        route,
        probes,
    });
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/meetups", post(open))
        .route("/ws", get(upgrade))
        .with_state(floor);
    axum::serve(listener, app).await
}

/// The log file, written in place from the start and around again.
struct Log {
    file: File,
    offset: u64,
    bytes: Vec<u8>,
}

impl Log {
    /// Makes `floor.log` in `data_dir`, [`LOG_BYTES`] long and synced.
    fn create(data_dir: &Path) -> io::Result<Log> {
        std::fs::create_dir_all(data_dir)?;
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(data_dir.join("floor.log"))?;
        let zeros = vec![0; 1 << 20];
        for block in 0..LOG_BYTES / (1 << 20) {
            file.write_all_at(&zeros, block << 20)?;
        }
        file.sync_all()?;
        Ok(Log {
            file,
            offset: 0,
            bytes: Vec::new(),
        })
    }

    /// Writes a group's events, a line each, and syncs them.
    fn write(&mut self, group: &[Relayed]) -> io::Result<()> {
        self.bytes.clear();
        for relayed in group {
            self.bytes.extend_from_slice(relayed.event.as_bytes());
            self.bytes.push(b'\n');
        }
        if self.offset + self.bytes.len() as u64 > LOG_BYTES {
            self.offset = 0;
        }
        let written = self
            .file
            .write_all_at(&self.bytes, self.offset)
            .and_then(|()| self.file.sync_data());
        if let Err(error) = &written {
            eprintln!("moot-floor: the log failed: {error}");
        }
        self.offset += self.bytes.len() as u64;
        written
    }
}

/// Writes whatever waits, syncs once, shows it; until the process ends
/// ([`Mode::Durable`]).
fn sync_loop(log: &mut Log, inbox: &std_mpsc::Receiver<Relayed>) {
    while let Ok(first) = inbox.recv() {
        let mut group = vec![first];
        group.extend(inbox.try_iter());
        if log.write(&group).is_err() {
            // Nothing unsynced may be shown: the floor stops showing.
            return;
        }
        group.into_iter().for_each(Relayed::show);
    }
}

async fn open(State(floor): State<Arc<Floor>>) -> impl IntoResponse {
    let bits = Uuid::new_v4().as_u64_pair().0;
    let join_code = JoinCode::from_random_bits(bits);
    floor
        .rooms
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(join_code.to_string(), SharedRoom::default());
    let token = Uuid::new_v4().simple().to_string();
    (
        StatusCode::CREATED,
        axum::Json(OpenedMeetupResponse {
            join_url: format!("/join/{join_code}"),
            facilitator_url: format!("/join/{join_code}#{token}"),
            screen_url: format!("/screen/{join_code}"),
            join_code,
            participant: ParticipantId(Uuid::new_v4()),
            token,
        }),
    )
}

async fn upgrade(State(floor): State<Arc<Floor>>, upgrade: WebSocketUpgrade) -> impl IntoResponse {
    // moot's buffer sizes: tungstenite zeroes its read buffer before each
    // read, so a larger one would cost the floor CPU that moot does not pay.
    upgrade
        .read_buffer_size(1024)
        .write_buffer_size(0)
        .on_upgrade(move |socket| connection(socket, floor))
}

/// One member: `hello`, `welcome`, then commands in and frames out.
async fn connection(socket: WebSocket, floor: Arc<Floor>) {
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let (mut sink, mut stream) = socket.split();
    let Some(Ok(Message::Text(hello))) = stream.next().await else {
        return;
    };
    let Some(room) = string_after(&hello, "\"join_code\":\"").and_then(|code| floor.room(code))
    else {
        return;
    };
    let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (queue, mut outbound) = mpsc::channel(QUEUE);
    let welcome = {
        let mut state = lock(&room);
        state.members.push((id, queue));
        format!(
            r#"{{"type":"welcome","seq":{},"participant":"{}"}}"#,
            state.shown,
            Uuid::new_v4()
        )
    };
    let mut probes = floor
        .probes
        .then(|| interval_at(first_probe(Instant::now()), PING_INTERVAL));
    if let Some(probes) = &mut probes {
        probes.set_missed_tick_behavior(MissedTickBehavior::Skip);
    }
    let mut with_time = false;
    if sink.send(Message::text(welcome)).await.is_ok() {
        loop {
            tokio::select! {
                Some(_) = async { Some(probes.as_mut()?.tick().await) }, if probes.is_some() => {
                    with_time = !with_time;
                    let probe = if with_time {
                        Message::Text(frame(&ServerMessage::Ping { server_time: Clock::system().now() }))
                    } else {
                        Message::Ping(Default::default())
                    };
                    if sink.send(probe).await.is_err() {
                        break;
                    }
                }
                incoming = stream.next() => match incoming {
                    Some(Ok(Message::Text(text))) if text.starts_with("{\"type\":\"command\"") => {
                        // The load generator's request ids are plain, so
                        // they end at the first quote.
                        if let Some(request_id) = string_after(&text, "\"request_id\":\"") {
                            floor.relay(&room, id, request_id);
                        }
                    }
                    Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                    Some(Ok(_)) => {}
                },
                frame = outbound.recv() => {
                    let Some(frame) = frame else { break };
                    let mut sent = sink.feed(Message::Text(frame)).await;
                    while sent.is_ok() {
                        let Ok(frame) = outbound.try_recv() else { break };
                        sent = sink.feed(Message::Text(frame)).await;
                    }
                    if sent.and(sink.flush().await).is_err() {
                        break;
                    }
                }
            }
        }
    }
    lock(&room).members.retain(|(member, _)| *member != id);
}
