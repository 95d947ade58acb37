//! The task that owns one room. It receives connections and commands over its
//! inbox and applies commands one at a time with the shared reducer. Each
//! command's events get the room's next sequence numbers and are stored
//! durably *before* they are folded, fanned out and acknowledged, so an
//! acknowledged action is never lost (the store's writer queues their
//! frames the moment they are committed, see [`fanout`]). A connection
//! whose queue is full is cut off rather than allowed to slow the room; it
//! comes back and resumes.
//!
//! - [`inbox`]: what the task is sent, and what it sends down a connection.
//! - [`connect`]: admitting a connection, `welcome`, replay or snapshot.
//! - [`fanout`]: serialising events once and queueing them on connections.
//! - [`presence`]: telling the room when people connect and disconnect.
//! - [`query`]: answering what is asked over HTTP with a credential.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use moot_shared::limits::REMEMBERED_REQUESTS_PER_PARTICIPANT;
use moot_shared::protocol::ServerMessage;
use moot_shared::room::Viewer;
use moot_shared::{
    Actor, Command, Event, JoinCode, ParticipantId, Rejection, RequestId, Room, Seq, Timestamp,
};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

use crate::config::Config;
use crate::metrics::Metrics;
use crate::secrets;
use crate::store::{LoadedMeetup, SNAPSHOT_EVERY, Snapshot, Store, StoredEvent};

mod connect;
mod fanout;
mod inbox;
mod presence;
mod query;
#[cfg(test)]
mod tests;

pub use fanout::frame;
pub use inbox::{Admission, Arrived, ConnectionId, Outbound, ROOM_INBOX, ToRoom};
pub use query::Query;

use fanout::Kept;

/// A participant's command being applied: who sent it, its request id,
/// the connection its `ack` goes to, and when it arrived.
struct Request {
    participant: ParticipantId,
    request_id: RequestId,
    conn: ConnectionId,
    arrived: std::time::Instant,
}

/// How a command was answered, remembered so a resent request id gets the
/// same answer without being applied again.
#[derive(Clone)]
enum Answer {
    Ack(Seq),
    Rejected(Rejection),
}

struct Connection {
    /// `None` for the shared screen, which watches but cannot act.
    participant: Option<ParticipantId>,
    outbound: mpsc::Sender<Outbound>,
}

impl Connection {
    fn viewer(&self) -> Viewer {
        self.participant.map_or(Viewer::Screen, Viewer::Participant)
    }
}

/// One room's task and everything it owns.
pub struct RoomTask {
    code: JoinCode,
    room: Room,
    seq: Seq,
    config: Config,
    store: Store,
    /// The latest events, for replay to reconnecting clients.
    recent: VecDeque<(Seq, Kept)>,
    connections: HashMap<ConnectionId, Connection>,
    next_conn: u64,
    /// Recent request ids per participant, oldest first.
    answered: HashMap<ParticipantId, VecDeque<(RequestId, Answer)>>,
    /// Participants whose last connection closed, each with how long that
    /// connection had been silent; their presence is updated once the
    /// current message is handled.
    departed: Vec<(ParticipantId, Duration)>,
    /// Events stored since the last snapshot.
    since_snapshot: u64,
    /// Set when the meetup was deleted or purged: the task ends.
    stopped: bool,
    /// Set when a shared store failed to store events: whether they were
    /// committed is unknown (or another node owns the meetup now), so the
    /// task ends and the meetup is read back from the database on next use.
    reload: bool,
    /// After a tick whose events could not be stored: when to try again,
    /// and how long the wait was. The deadline stays due, so without this
    /// the task would retry at once, forever: one core spinning and an
    /// error line per try, for every room, while the disk is failing.
    tick_retry: Option<(Instant, Duration)>,
    /// What the server counts.
    metrics: Arc<Metrics>,
}

/// The first wait before a failed tick is tried again; each further failure
/// doubles it, up to [`TICK_RETRY_MAX`].
const TICK_RETRY_FIRST: Duration = Duration::from_millis(500);
/// The longest wait between two tries of a tick that cannot be stored.
const TICK_RETRY_MAX: Duration = Duration::from_secs(30);

impl RoomTask {
    /// The task of a room that was just opened and stored with `seq` 1.
    pub fn opened(
        code: JoinCode,
        room: Room,
        opening_at: Timestamp,
        opening: &Event,
        config: Config,
        store: Store,
        metrics: Arc<Metrics>,
    ) -> RoomTask {
        let mut task = RoomTask::empty(code, room, config, store, metrics);
        task.metrics.event(opening);
        task.seq = task.seq.next();
        task.keep(task.seq, opening_at, opening);
        task.since_snapshot = 1;
        task
    }

    /// The task of a room read back from storage. Nobody is connected after
    /// a restart, so everyone in the meetup is marked as departed: they turn
    /// away now and gone after the grace period, unless they reconnect
    /// first. Whoever was already disconnected keeps the deadline stored in
    /// the room (the reducer never postpones one), so the time the server
    /// was down counts towards it.
    pub fn restored(
        loaded: LoadedMeetup,
        config: Config,
        store: Store,
        metrics: Arc<Metrics>,
    ) -> RoomTask {
        let mut task = RoomTask::empty(loaded.code, loaded.room, config, store, metrics);
        // Commands answered before the snapshot, oldest first, then the tail's:
        // a command resent after the restart is answered, not applied again.
        for (participant, request_id, seq) in loaded.answered.into_iter().rev() {
            task.remember(participant, request_id, Answer::Ack(seq));
        }
        task.seq = Seq(loaded.seq.0 - loaded.tail.len() as u64);
        for stored in &loaded.tail {
            task.seq = stored.seq;
            task.keep(stored.seq, stored.at, &stored.event);
            if let Some((participant, request_id)) = &stored.request {
                task.remember(*participant, request_id.clone(), Answer::Ack(stored.seq));
            }
        }
        task.seq = loaded.seq;
        task.since_snapshot = loaded.since_snapshot;
        task.departed = task
            .room
            .active_participants()
            .map(|participant| (participant.id, Duration::ZERO))
            .collect();
        task
    }

    fn empty(
        code: JoinCode,
        room: Room,
        config: Config,
        store: Store,
        metrics: Arc<Metrics>,
    ) -> RoomTask {
        RoomTask {
            code,
            room,
            seq: Seq(0),
            config,
            store,
            recent: VecDeque::new(),
            connections: HashMap::new(),
            next_conn: 0,
            answered: HashMap::new(),
            departed: Vec::new(),
            since_snapshot: 0,
            stopped: false,
            reload: false,
            tick_retry: None,
            metrics,
        }
    }

    /// Runs the room until every handle to it is dropped.
    ///
    /// The handling of each message (and of each tick) is boxed while it
    /// runs: an async function keeps room for the largest of the futures it
    /// awaits for as long as it lives, and for an idle room, which most
    /// rooms are most of the time, that was 2 KiB of a 5.8 KiB task (the
    /// store's round trip, a connection's welcome) held for nothing. The
    /// task itself comes boxed because an async function also keeps its
    /// arguments apart from the locals they move into: a `RoomTask` by
    /// value was held twice.
    pub async fn run(mut self: Box<Self>, mut inbox: mpsc::Receiver<ToRoom>) {
        self.settle_any_departures().await;
        // A manual clock (tests) says when it moves, so deadlines it reaches
        // are acted on at once; the system clock has no such signal.
        let mut clock_moved = self.config.clock.changes();
        loop {
            let next_deadline = self.next_deadline();
            tokio::select! {
                Some(()) = async { clock_moved.as_mut()?.changed().await.ok() }, if clock_moved.is_some() => {
                    Box::pin(self.tick()).await;
                }
                message = inbox.recv() => match message {
                    Some(message) => Box::pin(self.handle(message)).await,
                    None => break,
                },
                () = sleep_until(next_deadline.unwrap_or_else(Instant::now)), if next_deadline.is_some() => {
                    Box::pin(self.tick()).await;
                }
            }
            if self.reload {
                // After the rejections of the failed commands were queued,
                // so each client gets its answer first.
                self.release(crate::socket::RELOADING);
            }
            if self.stopped {
                break;
            }
            self.settle_any_departures().await;
        }
    }

    /// Records the departures waiting, if there are any. The future that
    /// records them is over a kilobyte and boxed (so an idle room's task
    /// stays small); made for every message, nearly always for nothing, it
    /// cost the workers an allocation and a copy of that size per action
    /// (BENCHMARKS.md, "tenth look").
    async fn settle_any_departures(&mut self) {
        if !self.departed.is_empty() {
            Box::pin(self.settle_departures()).await;
        }
    }

    fn now(&self) -> Timestamp {
        self.config.clock.now()
    }

    async fn handle(&mut self, message: ToRoom) {
        match message {
            ToRoom::Connect {
                admission,
                last_seq,
                outbound,
                reply,
            } => {
                let answer = self.connect(*admission, last_seq, outbound).await;
                // If the socket gave up waiting, its connection is cleaned up here.
                if let Err(Ok(conn)) = reply.send(answer) {
                    self.drop_connection(conn, Duration::ZERO);
                }
            }
            ToRoom::Command {
                conn,
                request_id,
                command,
            } => {
                let Arrived { command, at } = *command;
                self.command(conn, request_id, command, at).await;
            }
            ToRoom::Disconnect { conn, silent_for } => self.drop_connection(conn, silent_for),
            ToRoom::Query {
                credential,
                query,
                reply,
            } => {
                let answer = self.query(&credential, query).await;
                let _ = reply.send(answer);
            }
            ToRoom::NextMeetup { code, screen_key } => {
                let command = Command::LinkNextMeetup {
                    code,
                    screen_key: Some(screen_key),
                };
                // Refused never; a storage failure leaves the group where it
                // is, with the next meetup's link still in the facilitator's hands.
                let _ = self.apply(Actor::System, command, None).await;
            }
            ToRoom::Shutdown => self.shut_down(),
            ToRoom::Stop => self.release(crate::socket::SHUTTING_DOWN),
            ToRoom::Release => self.release(crate::socket::MOVED),
        }
    }

    /// Stops for a server that is stopping, or for a meetup this node no
    /// longer owns, telling clients to come back with `reason`. Whatever
    /// came before is stored and acknowledged; the acknowledgements are
    /// queued before the close, so each client gets them first. Nobody's
    /// departure is recorded: whoever loads the room next marks everyone
    /// as departed.
    fn release(&mut self, reason: &'static str) {
        for (_, connection) in self.connections.drain() {
            // A full queue cannot take it; the socket still closes with the
            // same code when this sender is dropped.
            let _ = connection.outbound.try_send(Outbound::Resume(reason));
        }
        self.departed.clear();
        self.stopped = true;
    }

    /// Closes every connection (as if the meetup never existed: clients stop
    /// retrying) and marks the task to stop.
    fn shut_down(&mut self) {
        for (_, connection) in self.connections.drain() {
            let _ = connection
                .outbound
                .try_send(Outbound::Close(Rejection::UnknownJoinCode));
        }
        self.departed.clear();
        self.stopped = true;
    }

    /// When the task must next wake up by itself: something in the room
    /// running out (a timer, a poll's time limit, a participant turning
    /// "gone").
    fn next_deadline(&self) -> Option<Instant> {
        let due = self
            .room
            .next_deadline()
            .and_then(|deadline| self.config.clock.instant_of(deadline))?;
        Some(match self.tick_retry {
            Some((retry_at, _)) => due.max(retry_at),
            None => due,
        })
    }

    /// Lets the room act on whatever has run out.
    async fn tick(&mut self) {
        if self
            .room
            .next_deadline()
            .is_some_and(|deadline| deadline <= self.now())
        {
            // A tick that finds nothing due yields no events; a storage failure
            // leaves the deadline in place, so a later tick retries it, after
            // a wait that grows while the failures go on.
            self.tick_retry = match self.apply(Actor::System, Command::Tick, None).await {
                Err(Rejection::StorageFailed) => {
                    let wait = self
                        .tick_retry
                        .map_or(TICK_RETRY_FIRST, |(_, wait)| (wait * 2).min(TICK_RETRY_MAX));
                    Some((Instant::now() + wait, wait))
                }
                _ => None,
            };
        }
    }

    /// Decides a command, stores its events, then folds and publishes them.
    /// Returns the number of events; when there were any, a participant's
    /// `ack` went out with them.
    async fn apply(
        &mut self,
        actor: Actor,
        command: Command,
        request: Option<Request>,
    ) -> Result<usize, Rejection> {
        let now = self.now();
        self.metrics.command(&command);
        let events = self.room.apply(actor, command, now)?;
        let count = events.len();
        if count == 0 {
            return Ok(0);
        }
        let first = self.seq.0 + 1;
        let stored: Vec<StoredEvent> = events
            .iter()
            .enumerate()
            .map(|(index, event)| StoredEvent {
                seq: Seq(first + index as u64),
                at: now,
                event: event.clone(),
                request: request
                    .as_ref()
                    .filter(|_| index + 1 == count)
                    .map(|request| (request.participant, request.request_id.clone())),
            })
            .collect();
        let snapshot = (self.since_snapshot + count as u64 >= SNAPSHOT_EVERY).then(|| {
            let mut after = self.room.clone();
            events.iter().for_each(|event| after.on_event(event));
            let room_json = serde_json::to_string(&after).expect("a room serialises to JSON");
            Snapshot {
                seq: Seq(first + count as u64 - 1),
                room_json,
            }
        });
        let snapshotted = snapshot.is_some();
        let ended_at = events.iter().find_map(|event| match event {
            Event::MeetupEnded { ended_at } => Some(*ended_at),
            _ => None,
        });
        let mut outgoing = self.outgoing(now, &events);
        if let Some(request) = &request {
            // In the same write as the events, which it follows.
            let ack = ServerMessage::Ack {
                request_id: request.request_id.as_str().to_owned(),
                seq: Seq(first + count as u64 - 1),
            };
            outgoing.add(request.conn, frame(&ack));
        }
        // A participant's command is timed from its arrival to its frames
        // queued; the server's own commands (joins, ticks) are not.
        let on_commit = outgoing.on_commit(
            request
                .as_ref()
                .map(|request| (request.arrived, Arc::clone(&self.metrics))),
        );
        if let Err(error) = self
            .store
            .append_then(&self.code, stored, snapshot, ended_at, Some(on_commit))
            .await
        {
            tracing::error!(code = %self.code, %error, "storing events failed; the command is refused");
            self.reload = self.store.is_shared();
            return Err(Rejection::StorageFailed);
        }
        self.since_snapshot = if snapshotted {
            0
        } else {
            self.since_snapshot + count as u64
        };
        let screen_changes = self.room.screen.changes;
        self.published(&events, outgoing);
        // People who were removed stop receiving the room at once, and so
        // do screens opened with a link that was replaced or stopped.
        for event in &events {
            if let Event::ParticipantRemoved { participant } = event {
                self.close_participant(*participant, Rejection::Removed);
            }
        }
        if self.room.screen.changes != screen_changes {
            self.close_screens();
        }
        Ok(count)
    }

    fn remember(&mut self, participant: ParticipantId, request_id: RequestId, answer: Answer) {
        let answers = self.answered.entry(participant).or_default();
        if answers.len() == REMEMBERED_REQUESTS_PER_PARTICIPANT {
            answers.pop_front();
        }
        answers.push_back((request_id, answer));
    }

    async fn command(
        &mut self,
        conn: ConnectionId,
        request_id: RequestId,
        command: Command,
        arrived: std::time::Instant,
    ) {
        let Some(connection) = self.connections.get(&conn) else {
            return;
        };
        let Some(participant) = connection.participant else {
            self.metrics.rejection(&Rejection::NotInMeetup);
            let rejected = ServerMessage::rejected(
                Some(request_id.as_str().to_owned()),
                Rejection::NotInMeetup,
            );
            self.send_frame(conn, frame(&rejected));
            return;
        };
        let remembered = self.answered.get(&participant).and_then(|answers| {
            answers
                .iter()
                .find(|(seen, _)| *seen == request_id)
                .map(|(_, answer)| answer.clone())
        });
        let answer = match remembered {
            Some(answer) => answer,
            None => {
                let request = Some(Request {
                    participant,
                    request_id: request_id.clone(),
                    conn,
                    arrived,
                });
                // Randomness a command needs (a round's order) is drawn here,
                // before the pure reducer sees it.
                let command = secrets::with_seed(command);
                let answer = match self
                    .apply(Actor::Participant(participant), command, request)
                    .await
                {
                    Ok(events) if events > 0 => {
                        // The ack went out with the events (see `apply`).
                        self.remember(participant, request_id, Answer::Ack(self.seq));
                        return;
                    }
                    Ok(_) => Answer::Ack(self.seq),
                    Err(rejection) => Answer::Rejected(rejection),
                };
                // A storage failure is not an answer to remember: a resend may succeed.
                if !matches!(answer, Answer::Rejected(Rejection::StorageFailed)) {
                    self.remember(participant, request_id.clone(), answer.clone());
                }
                answer
            }
        };
        let request_id = request_id.as_str().to_owned();
        let message = match answer {
            Answer::Ack(seq) => ServerMessage::Ack { request_id, seq },
            Answer::Rejected(reason) => {
                self.metrics.rejection(&reason);
                ServerMessage::rejected(Some(request_id), reason)
            }
        };
        // The connection may have been cut off meanwhile (a stalled queue).
        if self.connections.contains_key(&conn) {
            self.send_frame(conn, frame(&message));
        }
    }
}
