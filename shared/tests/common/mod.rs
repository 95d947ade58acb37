//! Fixtures shared by the reducer's integration tests: participant ids, the
//! moment every test meetup opens, a meetup opened with its facilitator and
//! the people who joined it, and applying a command the way the server does
//! (fold every event, check the room's invariants after each).
//!
//! Every file in `tests/` is a crate of its own and takes this module in
//! with `mod common;`. What differs between files (titles, names, digests,
//! who facilitates) is a parameter here, so each test still sees exactly
//! the room it was written against.

// Each test crate uses only some of these helpers, and the rest would be
// dead code in that crate.
#![allow(dead_code)]

pub mod commands;

use moot_shared::limits::FACILITATOR_RECLAIM_MILLIS;
use moot_shared::room::lifecycle::CarriedOver;
use moot_shared::room::{CredentialDigest, OpenMeetup, Viewer};
use moot_shared::{
    Actor, Command, DisplayName, Event, JoinCode, MeetupTitle, ParticipantId, Rejection, Room,
    Timestamp,
};
use uuid::Uuid;

/// When test meetups open, and the time of every step that does not say
/// otherwise: 2026-01-07 16:00 UTC.
pub const NOW: Timestamp = Timestamp(1_767_801_600_000);

/// Participant `n`. Small numbers let tests name people by them.
pub fn id(n: u128) -> ParticipantId {
    ParticipantId(Uuid::from_u128(n))
}

/// Participant `n` acting.
pub fn who(n: u128) -> Actor {
    Actor::Participant(id(n))
}

/// Every viewer of a room with participants 1..=`last`, and the screen.
pub fn viewers(last: u128) -> Vec<Viewer> {
    let mut viewers: Vec<Viewer> = (1..=last).map(|n| Viewer::Participant(id(n))).collect();
    viewers.push(Viewer::Screen);
    viewers
}

/// How a test meetup opens. The default is the commonest: "Guild",
/// facilitated by participant 1 named "P1" with the credential digest "d",
/// following no earlier meetup.
#[derive(Clone, Debug)]
pub struct Opening {
    pub title: &'static str,
    pub facilitator: u128,
    pub facilitator_name: &'static str,
    pub credential: CredentialDigest,
    /// What this meetup carries over from the one before it in a series.
    pub follows: Option<CarriedOver>,
}

impl Default for Opening {
    fn default() -> Opening {
        Opening {
            title: "Guild",
            facilitator: 1,
            facilitator_name: "P1",
            credential: CredentialDigest("d".into()),
            follows: None,
        }
    }
}

impl Opening {
    /// The `meetup_opened` event the server records for this opening.
    pub fn event(&self) -> Event {
        let opening = OpenMeetup {
            code: JoinCode::parse("7KQ2M9XD").expect("a join code"),
            title: MeetupTitle::parse(self.title).expect("a title"),
            facilitator: id(self.facilitator),
            facilitator_name: DisplayName::parse(self.facilitator_name).expect("a name"),
            credential: self.credential.clone(),
            screen_key: moot_shared::room::ScreenKey::new([7; 16]),
        };
        match self.follows.clone() {
            Some(carried) => opening.into_event_following(carried),
            None => opening.into_event(),
        }
    }
}

/// The server admitting participant `n` as `name`.
pub fn join(n: u128, name: &str, credential: CredentialDigest) -> Command {
    Command::Join {
        participant: id(n),
        name: DisplayName::parse(name).expect("a name"),
        credential,
    }
}

/// Participants 2..=`last` joining as "P2", "P3", … with the credential
/// digests "d2", "d3", ….
pub fn numbered_joins(last: u128) -> Vec<Command> {
    (2..=last)
        .map(|n| join(n, &format!("P{n}"), CredentialDigest(format!("d{n}"))))
        .collect()
}

/// A room opened as `opening` at `now`, with every command of `joins`
/// applied by the server at `now` and folded as [`run_at`] does; and the
/// events that made the room, the opening first.
pub fn open(
    opening: &Opening,
    joins: impl IntoIterator<Item = Command>,
    now: Timestamp,
) -> (Room, Vec<Event>) {
    let opened = opening.event();
    let mut room = Room::opened(&opened, now).expect("a meetup_opened event opens a room");
    let mut events = vec![opened];
    for command in joins {
        events.extend(run_at(&mut room, Actor::System, command, now).expect("joins"));
    }
    (room, events)
}

/// The meetup the property tests start from: "Props" at [`NOW`], with
/// participants 2..=`last` ("P2", …) joined; and the events that made it.
pub fn props_meetup(last: u128) -> (Room, Vec<Event>) {
    let opening = Opening {
        title: "Props",
        ..Opening::default()
    };
    open(&opening, numbered_joins(last), NOW)
}

/// A `title` meetup at [`NOW`] facilitated by participant 1, "Fran", with
/// participants 2..=`last` ("P2", …) joined, and everyone here (Fran too:
/// a facilitator opens a meetup away until they connect).
pub fn meetup_all_here(title: &'static str, last: u128) -> Room {
    let opening = Opening {
        title,
        facilitator_name: "Fran",
        ..Opening::default()
    };
    let (mut room, _) = open(&opening, numbered_joins(last), NOW);
    let here = Command::MarkConnected {
        participant: id(opening.facilitator),
        reclaim_ms: FACILITATOR_RECLAIM_MILLIS,
    };
    run(&mut room, Actor::System, here).expect("Fran is here");
    room
}

/// [`run_at`] at [`NOW`].
pub fn run(room: &mut Room, actor: Actor, command: Command) -> Result<Vec<Event>, Rejection> {
    run_at(room, actor, command, NOW)
}

/// Applies a command at `now` and folds its events, checking that applying
/// changes nothing and that the room's invariants hold after every event.
pub fn run_at(
    room: &mut Room,
    actor: Actor,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let before = room.clone();
    let result = room.apply(actor, command, now);
    assert_eq!(*room, before, "apply never changes the room");
    let events = result?;
    for event in &events {
        room.on_event(event);
        room.check_invariants()
            .expect("every reachable room is valid");
    }
    Ok(events)
}

/// A breakout phase of `minutes`, titled "Groups", without a prompt.
pub fn breakout_spec(
    size: u8,
    forming: moot_shared::room::breakout::Forming,
    script: moot_shared::room::breakout::BreakoutScript,
    minutes: u32,
) -> moot_shared::room::agenda::PhaseSpec {
    moot_shared::room::agenda::PhaseSpec {
        kind: moot_shared::room::agenda::PhaseKind::Breakout {
            size,
            forming,
            script,
        },
        title: moot_shared::text::PhaseTitle::parse("Groups").expect("a title"),
        prompt: None,
        planned_secs: minutes * 60,
        title_key: None,
        prompt_key: None,
    }
}
