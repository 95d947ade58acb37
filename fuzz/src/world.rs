//! A live meetup to fuzz against: the server's room, the people who have
//! been in it, the clock, and a browser that follows the room through the
//! frames the server would send it.
//!
//! Every change goes through [`World::apply`], which decides with
//! `Room::apply`, folds the events one by one and checks the room's
//! invariants after each, as the server does. A broken invariant or a
//! codec disagreement is a [`Finding`].

use moot_shared::limits::{FACILITATOR_FALLBACK_MILLIS, FACILITATOR_RECLAIM_MILLIS};
use std::collections::{BTreeMap, VecDeque};

use moot_shared::json;
use moot_shared::protocol::{PROTOCOL_VERSION, ServerMessage, parse_display_name};
use moot_shared::room::lifecycle::{CarriedOver, carry_over};
use moot_shared::room::{CredentialDigest, Membership, OpenMeetup, Role, ScreenKey, Viewer};

/// The screen link's key a fuzzed meetup opens with.
pub static SCREEN_KEY: std::sync::LazyLock<ScreenKey> =
    std::sync::LazyLock::new(|| ScreenKey::new([7; 16]));
use moot_shared::session::{Auth, Session};
use moot_shared::{
    Actor, Command, DisplayName, Event, JoinCode, MeetupTitle, ParticipantId, Rejection, Room,
    Timestamp,
};
use serde_json::Value;
use uuid::Uuid;

use crate::rng::Rng;
use crate::values;

/// A property that does not hold: a broken invariant, or two codecs that
/// disagree. Unlike a panic it is not caught by `catch_unwind`; the
/// harness returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding(pub String);

/// The moment every world starts at: 2026-01-07 16:00 UTC, as the tests use.
pub const START: Timestamp = Timestamp(1_767_801_600_000);

/// Frames kept for the browser before it is declared lost and starts over
/// with a snapshot (the server's replay buffer is bounded too).
const MAX_QUEUED_FRAMES: usize = 256;

/// The browser side: a session and the room it folds, as one viewer.
#[derive(Clone, Debug)]
pub struct Browser {
    /// The client protocol state.
    pub session: Session,
    /// The room as this browser holds it.
    pub room: Option<Room>,
    /// Who is looking.
    pub viewer: Viewer,
    /// The next frame must be a `welcome` with a snapshot (a fresh page,
    /// or after a resync).
    pub needs_welcome: bool,
    /// Only unmodified frames were folded since the last snapshot, so the
    /// browser's room must equal the server's room as this viewer sees it.
    pub faithful: bool,
    /// Frames the server sent that the browser has not read yet.
    pub frames: VecDeque<String>,
}

/// One meetup under fuzzing.
#[derive(Clone, Debug)]
pub struct World {
    /// The server's room.
    pub room: Room,
    /// The server's clock.
    pub now: Timestamp,
    /// The room's latest sequence number.
    pub seq: u64,
    /// The ids the room holds, by what they name (see [`World::id_of`]),
    /// for commands that name something real.
    numbers: BTreeMap<&'static str, Vec<u64>>,
    /// The browser following this room.
    pub browser: Browser,
    /// People admitted so far; the next one gets the next id.
    admitted: u128,
    /// Commands applied to this room, to start over before it grows large.
    pub steps: usize,
    /// The first invariant that broke between two events of one command
    /// and held again after its last (see [`World::apply`]).
    pub transient: Option<String>,
}

impl World {
    /// A meetup opened at [`START`] with a title and facilitator name drawn
    /// from `rng` (a plain one when the drawn text is refused), following
    /// `follows` when given.
    pub fn open(rng: &mut Rng, follows: Option<CarriedOver>) -> World {
        let title = MeetupTitle::parse(&values::text(rng))
            .or_else(|_| MeetupTitle::parse("Guild"))
            .expect("\"Guild\" is a valid title");
        let facilitator_name = DisplayName::parse(&values::text(rng))
            .or_else(|_| DisplayName::parse("Fran"))
            .expect("\"Fran\" is a valid name");
        let opening = OpenMeetup {
            code: JoinCode::from_random_bits(rng.next_u64()),
            title,
            facilitator: person(1),
            facilitator_name,
            credential: digest(person(1)),
            screen_key: SCREEN_KEY.clone(),
        };
        let event = match follows {
            Some(carried) => opening.into_event_following(carried),
            None => opening.into_event(),
        };
        let room = Room::opened(&event, START).expect("a meetup_opened event opens a room");
        let viewer = Viewer::Participant(person(1));
        let mut world = World {
            browser: Browser {
                session: Session::new(room.code.clone(), Auth::Join("Fran".into()), Vec::new()),
                room: None,
                viewer,
                needs_welcome: true,
                faithful: false,
                frames: VecDeque::new(),
            },
            room,
            now: START,
            seq: 1,
            numbers: BTreeMap::new(),
            admitted: 1,
            steps: 0,
            transient: None,
        };
        world.refresh_numbers();
        world
    }

    /// A meetup with a few people in it, some of them here, one gone and
    /// one removed, as "a few random earlier steps" leave it.
    ///
    /// # Errors
    ///
    /// A [`Finding`] when one of the steps breaks an invariant.
    pub fn populated(rng: &mut Rng, follows: Option<CarriedOver>) -> Result<World, Finding> {
        let mut world = World::open(rng, follows);
        // The facilitator opened the meetup and has connected since.
        let _ = world.system(Command::MarkConnected {
            participant: person(1),
            reclaim_ms: FACILITATOR_RECLAIM_MILLIS,
        })?;
        for _ in 0..rng.between(2, 8) {
            let name = values::text(rng);
            let _ = world.join(&name)?;
        }
        for _ in 0..rng.between(0, 3) {
            world.system_step(rng)?;
        }
        world.pick_viewer(rng);
        Ok(world)
    }

    /// The meetup that follows this one in its series, carrying what it
    /// left open.
    ///
    /// # Errors
    ///
    /// A [`Finding`] when setting it up breaks an invariant.
    pub fn next_in_series(&self, rng: &mut Rng) -> Result<World, Finding> {
        let mut carried = carry_over(&self.room);
        // Few fuzzed meetups get as far as action items, so the review has
        // some made up, read through the decoder as a store would read them.
        let owner = |rng: &mut Rng| json::to_string(values::text(rng).as_str());
        let made_up = format!(
            r#"{{"from_code":"7KQ2M9XD","from_title":"Earlier","topics":[{{"title":"Carried","author":{}}}],"action_items":[{{"text":"Do it","owner":{}}},{{"text":"And this","owner":"Ada","due":"2026-03-01"}}]}}"#,
            owner(rng),
            owner(rng)
        );
        if let Ok(extra) = json::from_str::<CarriedOver>(&made_up) {
            carried.topics.extend(extra.topics);
            carried.action_items.extend(extra.action_items);
        }
        World::populated(rng, Some(carried))
    }

    /// Admits a new participant named `name` (as typed) the way the server
    /// does after a `hello` with mode `join`.
    ///
    /// # Errors
    ///
    /// A [`Finding`] when the admission breaks an invariant.
    pub fn join(&mut self, name: &str) -> Result<Result<(), Rejection>, Finding> {
        let name = match parse_display_name(name) {
            Ok(name) => name,
            Err(rejection) => return Ok(Err(rejection)),
        };
        self.admitted += 1;
        let participant = person(self.admitted);
        let command = Command::Join {
            participant,
            name,
            credential: digest(participant),
        };
        Ok(self.apply(Actor::System, command)?.map(|_| ()))
    }

    /// One thing the server does by itself: a presence change, someone
    /// leaving or coming back, a removal, a deadline passing, or a join.
    ///
    /// # Errors
    ///
    /// A [`Finding`] when it breaks an invariant.
    pub fn system_step(&mut self, rng: &mut Rng) -> Result<(), Finding> {
        let someone = self.someone(rng);
        // No grace, the server's, and the longest there is.
        let grace_ms = *rng.pick(&[0, 1, 60_000, u64::MAX]).unwrap_or(&60_000);
        let _ = match rng.below(8) {
            0 => self.system(Command::MarkConnected {
                participant: someone,
                reclaim_ms: FACILITATOR_RECLAIM_MILLIS,
            })?,
            1 => self.system(Command::MarkDisconnected {
                participant: someone,
                grace_ms,
                fallback_ms: FACILITATOR_FALLBACK_MILLIS,
            })?,
            2 => self.apply(Actor::Participant(someone), Command::Leave)?,
            3 => {
                let credential = if rng.chance(3, 4) {
                    digest(someone)
                } else {
                    CredentialDigest("wrong".into())
                };
                let name = DisplayName::parse(&values::text(rng)).ok();
                self.system(Command::Rejoin {
                    participant: someone,
                    credential,
                    name,
                })?
            }
            4 => {
                let facilitator = self.room.facilitator().map(|facilitator| facilitator.id);
                let actor = facilitator.map_or(Actor::System, Actor::Participant);
                self.apply(
                    actor,
                    Command::Remove {
                        participant: someone,
                    },
                )?
            }
            5 => {
                let name = values::text(rng);
                self.join(&name)?.map(|()| Vec::new())
            }
            _ => {
                self.advance(rng)?;
                Ok(Vec::new())
            }
        };
        Ok(())
    }

    /// Moves the clock (now and then backwards, as a system clock may) and
    /// applies the deadline tick when something ran out, as the server's
    /// room task does.
    ///
    /// # Errors
    ///
    /// A [`Finding`] when the tick breaks an invariant.
    pub fn advance(&mut self, rng: &mut Rng) -> Result<(), Finding> {
        const STEPS: &[u64] = &[
            0, 1, 999, 1_000, 10_000, 59_999, 60_000, 61_000, 300_000, 3_600_000,
        ];
        let by = *rng.pick(STEPS).unwrap_or(&1_000);
        self.now = if rng.chance(1, 40) {
            Timestamp(self.now.0.saturating_sub(by))
        } else {
            Timestamp(self.now.0.saturating_add(by))
        };
        if self.room.next_deadline().is_some_and(|due| due <= self.now) {
            let _ = self.system(Command::Tick)?;
        }
        Ok(())
    }

    /// [`World::apply`] by the server itself.
    ///
    /// # Errors
    ///
    /// A [`Finding`] when it breaks an invariant.
    pub fn system(&mut self, command: Command) -> Result<Result<Vec<Event>, Rejection>, Finding> {
        self.apply(Actor::System, command)
    }

    /// Decides `command` by `actor` now; when accepted, folds its events one
    /// at a time, checks the invariants after the last (and notes in
    /// [`World::transient`] the first that breaks between two), and sends
    /// the events to the browser. Deciding twice must give the same answer: the reducer is a
    /// pure function.
    ///
    /// # Errors
    ///
    /// A [`Finding`] when an invariant breaks, or an event's two encodings
    /// disagree.
    pub fn apply(
        &mut self,
        actor: Actor,
        mut command: Command,
    ) -> Result<Result<Vec<Event>, Rejection>, Finding> {
        // The server draws a round's order seed; the wire has none.
        // So does a new screen link's key.
        match &mut command {
            Command::StartRound { seed, .. }
            | Command::NextPhase { seed, .. }
            | Command::GoToPhase { seed, .. } => {
                *seed = self.seq.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            }
            Command::NewScreenLink { key } => {
                *key = Some(ScreenKey::new(
                    self.seq
                        .to_be_bytes()
                        .repeat(2)
                        .try_into()
                        .unwrap_or([7; 16]),
                ));
            }
            _ => {}
        }
        let decided = self.room.apply(actor, command.clone(), self.now);
        if self.seq.is_multiple_of(16)
            && self.room.apply(actor, command.clone(), self.now) != decided
        {
            return Err(Finding(format!(
                "deciding {command:?} by {actor:?} twice gave two answers"
            )));
        }
        let events = match decided {
            Ok(events) => events,
            Err(rejection) => {
                // Every rejection has words and a close code.
                let _ = (rejection.to_string(), rejection.close_code());
                return Ok(Err(rejection));
            }
        };
        let mut room = self.room.clone();
        for event in &events {
            room.on_event(event);
            // Between two events of one command a browser holds the room as
            // it stands, so a break here is visible to people; counted, but
            // the reducer promises the invariants only per command.
            if self.transient.is_none()
                && let Err(broken) = room.check_invariants()
            {
                self.transient = Some(format!(
                    "{broken}, after {event:?} of {} events from {command:?} by {actor:?}",
                    events.len()
                ));
            }
            self.seq += 1;
            self.send_event(event)?;
        }
        room.check_invariants().map_err(|broken| {
            Finding(format!(
                "{broken}, after {events:?} from {command:?} by {actor:?}"
            ))
        })?;
        self.room = room;
        self.steps += 1;
        if !events.is_empty() {
            self.refresh_numbers();
        }
        Ok(Ok(events))
    }

    /// Queues the `event` frame for the browser, as its viewer may see it,
    /// after checking that both encoders write it alike and the browser's
    /// decoder reads it back.
    fn send_event(&mut self, event: &Event) -> Result<(), Finding> {
        let message = ServerMessage::Event {
            seq: moot_shared::Seq(self.seq),
            at: self.now,
            event: event.for_viewer(self.browser.viewer).into_owned(),
        };
        let text = encode_alike(&message)?;
        if self.browser.frames.len() == MAX_QUEUED_FRAMES {
            // The browser fell too far behind: it starts over with a snapshot.
            self.browser.frames.clear();
            self.browser.needs_welcome = true;
        }
        self.browser.frames.push_back(text);
        Ok(())
    }

    /// The `welcome` a browser gets when it cannot be caught up by replay.
    pub fn welcome_frame(&self) -> String {
        let participant = match self.browser.viewer {
            Viewer::Participant(id) => Some(id),
            Viewer::Screen => None,
        };
        json::to_string(&ServerMessage::Welcome {
            protocol: PROTOCOL_VERSION,
            participant,
            token: None,
            server_time: self.now,
            seq: moot_shared::Seq(self.seq),
            snapshot: Some(Box::new(self.room.for_viewer(self.browser.viewer))),
        })
    }

    /// Starts the browser over as someone in the room (or the screen).
    pub fn pick_viewer(&mut self, rng: &mut Rng) {
        let active: Vec<ParticipantId> = self.room.active_participants().map(|p| p.id).collect();
        self.browser.viewer = match rng.pick(&active) {
            Some(id) if rng.chance(5, 6) => Viewer::Participant(*id),
            _ => Viewer::Screen,
        };
        self.browser.room = None;
        self.browser.session = Session::new(
            self.room.code.clone(),
            Auth::Rejoin("0".repeat(64)),
            Vec::new(),
        );
        self.browser.needs_welcome = true;
        self.browser.faithful = false;
        self.browser.frames.clear();
    }

    /// Someone who was ever in the room (the facilitator when nobody else).
    pub fn someone(&self, rng: &mut Rng) -> ParticipantId {
        rng.pick(&self.room.participants)
            .map_or(person(1), |participant| participant.id)
    }

    /// Who acts on a command: the server, the facilitator, a co-facilitator,
    /// anyone in the meetup, someone who left or was removed, or a stranger.
    pub fn pick_actor(&self, rng: &mut Rng) -> Actor {
        let with = |wanted: &dyn Fn(Membership, Role) -> bool, rng: &mut Rng| {
            let found: Vec<ParticipantId> = self
                .room
                .participants
                .iter()
                .filter(|participant| wanted(participant.membership, participant.role))
                .map(|participant| participant.id)
                .collect();
            rng.pick(&found).copied()
        };
        let chosen = match rng.below(20) {
            0 | 1 => return Actor::System,
            2..=6 => with(
                &|membership, role| membership == Membership::Active && role == Role::Facilitator,
                rng,
            ),
            7 | 8 => with(
                &|membership, role| membership == Membership::Active && role == Role::CoFacilitator,
                rng,
            ),
            9..=15 => with(&|membership, _| membership == Membership::Active, rng),
            16 | 17 => with(&|membership, _| membership != Membership::Active, rng),
            _ => None,
        };
        Actor::Participant(chosen.unwrap_or_else(|| stranger(rng)))
    }

    /// One actor of each kind this room has, for replaying a corpus case
    /// against all of them.
    pub fn every_kind_of_actor(&self) -> Vec<Actor> {
        let mut actors = vec![
            Actor::System,
            Actor::Participant(ParticipantId(Uuid::from_u128(u128::MAX))),
        ];
        let mut kinds: Vec<(Membership, Role)> = Vec::new();
        for participant in &self.room.participants {
            let kind = (participant.membership, participant.role);
            if !kinds.contains(&kind) {
                kinds.push(kind);
                actors.push(Actor::Participant(participant.id));
            }
        }
        actors
    }

    /// Reads the whole numbers out of the room's JSON: whatever ids and
    /// indexes it holds now, for commands that name something real.
    fn refresh_numbers(&mut self) {
        let mut numbers = BTreeMap::new();
        if let Ok(value) = serde_json::to_value(&self.room) {
            collect_numbers(&value, "", &mut numbers);
        }
        for ids in numbers.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }
        self.numbers = numbers;
    }

    /// An id of the kind `kind` names (`topic`, `poll`, `entry`, `note`,
    /// `item`, `turn`) that the room holds, or a small number when it holds
    /// none.
    pub fn id_of(&self, kind: &str, rng: &mut Rng) -> u64 {
        self.numbers
            .get(kind)
            .and_then(|ids| rng.pick(ids).copied())
            .unwrap_or_else(|| rng.below(4) as u64)
    }
}

/// Participant `n` of a world.
pub fn person(n: u128) -> ParticipantId {
    ParticipantId(Uuid::from_u128(
        0x5eed_0000_0000_0000_0000_0000_0000_0000 | n,
    ))
}

/// Someone who was never in any world.
pub fn stranger(rng: &mut Rng) -> ParticipantId {
    let high = u128::from(rng.next_u64()) << 64;
    ParticipantId(Uuid::from_u128(high | u128::from(rng.next_u64())))
}

/// The credential secret of a participant in the fuzzer's worlds: the same
/// 32 hex digits as their id, so a `hello` token built from an id rejoins.
pub fn secret(participant: ParticipantId) -> String {
    participant.0.simple().to_string()
}

/// The digest the fuzzer's server keeps of a participant's secret (the real
/// server hashes it; the reducer only compares digests).
pub fn digest(participant: ParticipantId) -> CredentialDigest {
    CredentialDigest(format!("digest:{}", secret(participant)))
}

/// Writes a message with the derived encoder, checking that serde_json
/// writes the same text and that the derived decoder reads it back whole.
///
/// # Errors
///
/// A [`Finding`] naming the disagreement.
pub fn encode_alike<T>(message: &T) -> Result<String, Finding>
where
    T: json::ToJson + json::FromJson + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let ours = json::to_string(message);
    match serde_json::to_string(message) {
        Ok(theirs) if theirs == ours => {}
        Ok(theirs) => {
            return Err(Finding(format!(
                "the derived encoder wrote {ours} where serde_json writes {theirs}"
            )));
        }
        Err(error) => {
            return Err(Finding(format!(
                "serde_json cannot write {message:?}: {error}"
            )));
        }
    }
    match json::from_str::<T>(&ours) {
        Ok(back) if back == *message => Ok(ours),
        other => Err(Finding(format!(
            "the derived decoder read {ours} back as {other:?}"
        ))),
    }
}

/// Collects the ids in a room's JSON by what they name: an `id` inside
/// `topics` is a topic's, inside `history` a poll's, and so on; `last_*`
/// counters give the id the next one gets too. `kind` is what the
/// enclosing array holds.
fn collect_numbers(
    value: &Value,
    kind: &'static str,
    numbers: &mut BTreeMap<&'static str, Vec<u64>>,
) {
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_numbers(item, kind, numbers)),
        Value::Object(fields) => {
            for (key, field) in fields {
                let named = match key.as_str() {
                    "topics" | "topic" | "last_topic" => "topic",
                    "history" | "poll" | "vote" => "poll",
                    "entries" | "entry" => "entry",
                    "notes" | "note" | "last_note" => "note",
                    "action_items" | "review" | "item" | "last_action_item" => "item",
                    "turn" | "last_turn" => "turn",
                    "id" => kind,
                    _ => "",
                };
                match field.as_u64() {
                    Some(number) if !named.is_empty() => {
                        let ids = numbers.entry(named).or_default();
                        ids.push(number);
                        if key.starts_with("last_") || key == "turn" {
                            ids.push(number + 1);
                        }
                    }
                    _ => {
                        collect_numbers(field, if named.is_empty() { kind } else { named }, numbers)
                    }
                }
            }
        }
        _ => {}
    }
}
