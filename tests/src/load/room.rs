//! One meetup under load: its members' connections (joined at the
//! pacer's slots), the facilitator's setup, then an action every interval
//! from a rotating member, with every member's arrivals timed and checked
//! for gaps and repeats.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::{Context as _, bail};
use futures_util::stream::{SplitSink, select_all};
use futures_util::{SinkExt, StreamExt};
use moot_server::http::OpenedMeetupResponse;
use moot_shared::ParticipantId;
use moot_shared::json;
use moot_shared::protocol::{ClientMessage, HelloAuth, PROTOCOL_VERSION};
use moot_shared::session::{Auth, Session};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::Barrier;
use tokio::time::{Instant, MissedTickBehavior, interval_at, timeout};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{WebSocketStream, client_async_with_config};

use super::mix::Mix;
use super::{Counters, LoadConfig, Pacer};

type Socket = WebSocketStream<TcpStream>;

/// Finds `"key":` followed by an unsigned number in a JSON text, without
/// parsing the whole message (the load generator shares the CPU it measures).
fn number_after(text: &str, key: &str) -> Option<u64> {
    let start = text.find(key)? + key.len();
    let digits: &str = &text[start..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// The string after `key` in a JSON text, up to the next quote (no
/// escapes are expected where it is used).
pub(crate) fn string_after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let start = text.find(key)? + key.len();
    let rest = &text[start..];
    Some(&rest[..rest.find('"')?])
}

/// Opens a WebSocket for the meetup `code` (named in the URL, as the web
/// app does, so a proxy can route by it).
async fn connect(config: &LoadConfig, index: usize, code: &str) -> anyhow::Result<Socket> {
    let source = IpAddr::V4(Ipv4Addr::new(
        127,
        0,
        0,
        1 + (index % usize::from(config.source_addresses.max(1))) as u8,
    ));
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source, 0))?;
    let stream = socket.connect(config.server).await?;
    stream.set_nodelay(true)?;
    let url = format!("ws://{}/ws?code={code}", config.server);
    // tungstenite zeroes its read buffer before each read: at its default
    // 128 KiB that memset was a third of the load generator's CPU (every
    // frame moot sends here is far smaller), taken from the cores the
    // server is measured on. The server reads with 1 KiB for the same reason.
    let config = WebSocketConfig::default().read_buffer_size(4096);
    let (socket, _) = client_async_with_config(url, stream, Some(config)).await?;
    Ok(socket)
}

/// Sends `hello` and waits for `welcome`; returns the welcome's sequence
/// number and its text.
async fn hello(
    socket: &mut Socket,
    join_code: &str,
    auth: HelloAuth,
) -> anyhow::Result<(u64, String)> {
    let hello = ClientMessage::Hello {
        protocol: PROTOCOL_VERSION,
        join_code: join_code.to_owned(),
        auth,
        last_seq: None,
    };
    socket.send(Message::text(json::to_string(&hello))).await?;
    loop {
        let message = timeout(Duration::from_secs(30), socket.next())
            .await
            .context("no welcome in time")?;
        match message {
            Some(Ok(Message::Text(text))) if text.starts_with("{\"type\":\"welcome\"") => {
                let seq = number_after(&text, "\"seq\":").context("welcome without seq")?;
                return Ok((seq, text.to_string()));
            }
            Some(Ok(Message::Text(text))) if text.starts_with("{\"type\":\"refused\"") => {
                bail!("refused: {text}")
            }
            Some(Ok(_)) => {}
            _ => bail!("closed before welcome"),
        }
    }
}

/// Per-room bookkeeping of latencies.
#[derive(Default)]
struct Timing {
    /// Send time of each action, by request id, until its ack.
    sent: HashMap<String, Instant>,
    /// Send time of each acknowledged action, by the event's sequence number.
    by_seq: HashMap<u64, (Instant, usize)>,
    /// Arrivals of events whose ack has not come yet.
    early: HashMap<u64, Vec<Instant>>,
    /// One per member per action.
    samples: Vec<u32>,
    /// One per action that reached every member: when it was sent, and how
    /// long until its event reached the last of them.
    complete: Vec<(Instant, u32)>,
}

/// From `sent` to `arrived`, in microseconds.
fn micros(sent: Instant, arrived: Instant) -> u32 {
    u32::try_from(arrived.saturating_duration_since(sent).as_micros()).unwrap_or(u32::MAX)
}

impl Timing {
    fn arrived(&mut self, seq: u64, at: Instant, members: usize) {
        match self.by_seq.get_mut(&seq) {
            Some((sent, seen)) => {
                let sent = *sent;
                *seen += 1;
                if *seen >= members {
                    self.by_seq.remove(&seq);
                    self.complete.push((sent, micros(sent, at)));
                }
                self.samples.push(micros(sent, at));
            }
            None => self.early.entry(seq).or_default().push(at),
        }
    }

    fn acked(&mut self, request_id: &str, seq: u64, members: usize) {
        let Some(sent) = self.sent.remove(request_id) else {
            return;
        };
        let early = self.early.remove(&seq).unwrap_or_default();
        for at in &early {
            self.samples.push(micros(sent, *at));
        }
        if early.len() < members {
            self.by_seq.insert(seq, (sent, early.len()));
        } else if let Some(last) = early.iter().max() {
            // Every member had the event before its sender had the ack.
            self.complete.push((sent, micros(sent, *last)));
        }
    }
}

/// What one room measured.
#[derive(Default)]
pub(super) struct RoomOutcome {
    /// Per-member latencies.
    pub(super) samples: Vec<u32>,
    /// Room-complete latencies, with when each action was sent.
    pub(super) complete: Vec<(Instant, u32)>,
    /// Actions sent, by command type.
    pub(super) kinds: HashMap<String, u64>,
    /// Each welcomed connection: when it began, and how long until its
    /// `welcome`.
    pub(super) joins: Vec<(Instant, u32)>,
}

/// Where the rooms wait for each other: all connected (and the main task
/// with them), all starting their actions (the same), all done measuring
/// (the same, which reads the server's figures before anyone hangs up).
pub(super) struct Steps {
    pub(super) connected: Barrier,
    pub(super) start_actions: Barrier,
    pub(super) finished: Barrier,
}

/// Where a room starts its rotation of actors ([`actor`]). Rooms start at
/// different points, as independent meetups are at different points of
/// theirs: begun in step, every room's facilitator acted in the same
/// interval, so at four times the rate 2,400 `next_speaker`s (two events
/// each) came within half a second, every fourth interval, a burst no real
/// set of meetups makes (BENCHMARKS.md, "eleventh look").
fn rotation_start(room_index: usize) -> u64 {
    (room_index % ROTATION) as u64
}

/// The slots over which rooms' starting points are spread: eight hold two
/// facilitator turns, one calling the next speaker and one restarting the
/// timebox, so both kinds are spread as well.
const ROTATION: usize = 8;

/// Who takes a room's action in `slot`, and which of their turns it is:
/// every fourth is the facilitator's (member 0: calling the next speaker,
/// restarting the timebox); the others rotate among the participants.
fn actor(slot: u64, members: usize) -> (usize, u64) {
    let member = if slot.is_multiple_of(4) || members == 1 {
        0
    } else {
        1 + (slot as usize) % (members - 1)
    };
    (member, slot / 4)
}

/// One room: connect its members, wait for everyone, then act and measure.
pub(super) async fn run_room(
    config: Arc<LoadConfig>,
    room_index: usize,
    opened: OpenedMeetupResponse,
    pacer: Arc<Pacer>,
    counters: Arc<Counters>,
    steps: Arc<Steps>,
) -> RoomOutcome {
    let Steps {
        connected,
        start_actions,
        finished,
    } = &*steps;
    let code = opened.join_code.to_string();
    let mut sinks: Vec<SplitSink<Socket, Message>> = Vec::new();
    let mut streams = Vec::new();
    let mut last_seq = Vec::new();
    let mut mix = Mix {
        session: Session::new(
            opened.join_code.clone(),
            Auth::Rejoin(opened.token.clone()),
            Vec::new(),
        ),
        room: None,
        ids: Vec::new(),
        dotted: Vec::new(),
        proposed: Vec::new(),
        voted: Vec::new(),
    };
    let mut joins = Vec::with_capacity(config.participants);
    for member in 0..config.participants {
        pacer.wait(room_index * config.participants + member).await;
        let began = Instant::now();
        let auth = if member == 0 {
            HelloAuth::Rejoin {
                token: opened.token.clone(),
                name: None,
            }
        } else {
            HelloAuth::Join {
                name: format!("P{member}"),
            }
        };
        let outcome = async {
            let mut socket =
                connect(&config, room_index * config.participants + member, &code).await?;
            let welcome = hello(&mut socket, &code, auth).await?;
            anyhow::Ok((socket, welcome))
        };
        match outcome.await {
            Ok((socket, (seq, welcome))) => {
                joins.push((began, micros(began, Instant::now())));
                counters.connected.fetch_add(1, Ordering::Relaxed);
                // From here on a member is known by its position among the connected.
                let position = sinks.len();
                let (sink, stream) = socket.split();
                sinks.push(sink);
                streams.push(stream.map(move |message| (position, message)));
                last_seq.push(seq);
                let id = string_after(&welcome, "\"participant\":\"")
                    .and_then(|id| uuid::Uuid::parse_str(id).ok());
                mix.ids.push(id.map(ParticipantId));
                if position == 0 {
                    mix.observe(&welcome);
                }
            }
            Err(_) => {
                counters.connect_failures.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    let members = sinks.len();
    let mut incoming = select_all(streams);
    let mut timing = Timing::default();
    mix.dotted = vec![false; members];
    mix.proposed = vec![0; members];
    mix.voted = vec![1; members];
    // The facilitator sets the room up: a topic for dots, a poll for votes.
    // Their events arrive while the other rooms connect, and are not measured.
    if mix.ids.first().is_some_and(Option::is_some) {
        for (index, command) in Mix::setup().into_iter().enumerate() {
            let message = ClientMessage::Command {
                request_id: format!("setup-{index}"),
                command,
            };
            let _ = sinks[0]
                .send(Message::text(json::to_string(&message)))
                .await;
        }
    }
    let mut pongs = Vec::new();

    // Until every room is connected and the idle period is over, keep reading
    // (pings, presence of later joiners) without measuring.
    let mut waiting = std::pin::pin!(async {
        connected.wait().await;
        start_actions.wait().await;
    });
    loop {
        tokio::select! {
            () = &mut waiting => break,
            message = incoming.next() => match message {
                Some((member, Ok(Message::Text(text)))) => {
                    if member == 0 {
                        mix.observe(&text);
                    }
                    if text.starts_with("{\"type\":\"event\"") {
                        if let Some(seq) = number_after(&text, "\"seq\":") {
                            last_seq[member] = seq;
                        }
                    } else if text.starts_with("{\"type\":\"ping\"") {
                        pongs.push(member);
                    }
                }
                Some((_, Ok(_))) => {}
                Some((_, Err(_))) | None => {}
            },
        }
        for member in pongs.drain(..) {
            if let Some(sink) = sinks.get_mut(member) {
                let _ = sink.send(Message::text("{\"type\":\"pong\"}")).await;
            }
        }
    }
    if members == 0 {
        finished.wait().await;
        return RoomOutcome {
            joins,
            ..RoomOutcome::default()
        };
    }
    // Members may have been read up to different points; align them on the
    // highest sequence number seen so far (earlier events are not measured).
    let phase = Instant::now();
    let deadline = phase + config.duration;
    // Spread rooms' first actions over one interval, so they do not all fire at once.
    let offset = config
        .action_interval
        .mul_f64((room_index % 997) as f64 / 997.0);
    let mut ticks = interval_at(phase + offset, config.action_interval);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let rotation = rotation_start(room_index);
    let mut count: u64 = 0;
    let mut kinds: HashMap<String, u64> = HashMap::new();
    let mut open = vec![true; members];
    let drain_until = deadline + Duration::from_secs(5);
    loop {
        tokio::select! {
            _ = ticks.tick(), if Instant::now() < deadline => {
                let (member, turn) = actor(count + rotation, members);
                let command = mix.next(member, turn);
                let request_id = format!("a{count}");
                let text = json::to_string(&ClientMessage::Command { request_id: request_id.clone(), command });
                let kind = string_after(&text, "\"command\":{\"type\":\"").unwrap_or("?");
                *kinds.entry(kind.to_owned()).or_default() += 1;
                timing.sent.insert(request_id, Instant::now());
                if sinks[member].send(Message::text(text)).await.is_ok() {
                    counters.actions.fetch_add(1, Ordering::Relaxed);
                }
                count += 1;
            }
            message = incoming.next() => {
                let arrived = Instant::now();
                match message {
                    Some((member, Ok(Message::Text(text)))) => {
                        if member == 0 {
                            mix.observe(&text);
                        }
                        if text.starts_with("{\"type\":\"event\"") {
                            let Some(seq) = number_after(&text, "\"seq\":") else { continue };
                            let last = &mut last_seq[member];
                            if seq <= *last {
                                counters.duplicated.fetch_add(1, Ordering::Relaxed);
                            } else {
                                counters.lost.fetch_add(seq - *last - 1, Ordering::Relaxed);
                                *last = seq;
                                timing.arrived(seq, arrived, members);
                            }
                        } else if text.starts_with("{\"type\":\"ack\"") {
                            counters.acked.fetch_add(1, Ordering::Relaxed);
                            if let (Some(request_id), Some(seq)) = (string_after(&text, "\"request_id\":\""), number_after(&text, "\"seq\":")) {
                                let request_id = request_id.to_owned();
                                timing.acked(&request_id, seq, members);
                            }
                        } else if text.starts_with("{\"type\":\"rejected\"") {
                            counters.rejected.fetch_add(1, Ordering::Relaxed);
                            if let Some(request_id) = string_after(&text, "\"request_id\":\"") {
                                let request_id = request_id.to_owned();
                                timing.sent.remove(&request_id);
                            }
                        } else if text.starts_with("{\"type\":\"ping\"") {
                            let _ = sinks[member].send(Message::text("{\"type\":\"pong\"}")).await;
                        }
                    }
                    Some((member, Ok(Message::Close(_)) | Err(_))) => {
                        if std::mem::replace(&mut open[member], false) {
                            counters.dropped.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Some((_, Ok(_))) => {}
                    None => break,
                }
            }
            () = tokio::time::sleep_until(drain_until) => break,
        }
        // Done once the last action's event reached everyone.
        if Instant::now() >= deadline && timing.sent.is_empty() && timing.by_seq.is_empty() {
            break;
        }
    }
    // Nobody hangs up before every room is done measuring: 19,200
    // connections closing while other rooms' last actions are in flight
    // would measure the server handling the departures (each one a
    // presence event, stored and sent to the room), not the actions.
    finished.wait().await;
    for mut sink in sinks {
        let _ = sink.close().await;
    }
    RoomOutcome {
        samples: timing.samples,
        complete: timing.complete,
        kinds,
        joins,
    }
}

#[cfg(test)]
mod tests {
    use super::{ROTATION, actor, rotation_start};

    /// In any one interval, a fourth of the rooms have their facilitator
    /// act, half of those calling the next speaker: never every room at
    /// once.
    #[test]
    fn rooms_take_their_facilitators_turns_in_different_intervals() {
        let rooms = 2400;
        for count in 0..16 {
            let facilitators: Vec<u64> = (0..rooms)
                .filter_map(|room| {
                    let (member, turn) = actor(count + rotation_start(room), 8);
                    (member == 0).then_some(turn)
                })
                .collect();
            assert_eq!(facilitators.len(), rooms / 4, "interval {count}");
            let calling = facilitators
                .iter()
                .filter(|turn| turn.is_multiple_of(2))
                .count();
            assert_eq!(calling, rooms / 8, "interval {count}");
        }
    }

    /// Over a whole rotation every member acts, the facilitator on every
    /// fourth slot, whatever the room's starting point.
    #[test]
    fn every_member_acts_in_a_rotation() {
        for start in 0..ROTATION as u64 {
            let mut acted = [0; 8];
            for slot in start..start + 4 * 7 {
                acted[actor(slot, 8).0] += 1;
            }
            assert_eq!(acted[0], 7, "start {start}");
            assert!(
                acted[1..].iter().all(|&times| times == 3),
                "start {start}: {acted:?}"
            );
        }
    }
}
