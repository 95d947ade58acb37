//! Properties of the membership reducer over random command sequences:
//! random actors (the server, people in the meetup, people who left or were
//! removed, people who never joined), names from a small pool so collisions
//! happen, and random seat caps so rooms fill up.

mod common;

use common::{NOW, Opening, id};
use moot_shared::limits::PRESENCE_GRACE_MILLIS;
use moot_shared::limits::{FACILITATOR_FALLBACK_MILLIS, FACILITATOR_RECLAIM_MILLIS};
use moot_shared::protocol::ServerMessage;
use moot_shared::room::{CredentialDigest, FallbackMode, Membership, Presence, ReportedPresence};
use moot_shared::{Actor, Command, DisplayName, Event, Rejection, Room, Seq, Timestamp};
use proptest::prelude::*;

/// Ids 0..POOL; id 0 opens the meetup, the others may or may not ever join.
const POOL: u128 = 10;
/// Names that collide: "Ada" and "ADA" are the same name in a room.
const NAMES: &[&str] = &["Ada", "ADA", "Bo", "bo", "Chen", "Dee", "Eve Long"];

fn digest(n: u128) -> CredentialDigest {
    CredentialDigest(format!("digest-{n}"))
}

fn name(index: usize) -> DisplayName {
    DisplayName::parse(NAMES[index]).expect("pool names are valid")
}

fn opening() -> Event {
    Opening {
        title: "Property meetup",
        facilitator: 0,
        facilitator_name: NAMES[0],
        credential: digest(0),
        follows: None,
    }
    .event()
}

fn actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        1 => Just(Actor::System),
        4 => (0..POOL).prop_map(|n| Actor::Participant(id(n))),
    ]
}

fn command() -> impl Strategy<Value = Command> {
    let target = || (0..POOL).prop_map(id);
    prop_oneof![
        3 => (0..POOL, 0..NAMES.len()).prop_map(|(n, index)| Command::Join {
            participant: id(n),
            name: name(index),
            credential: digest(n),
        }),
        // Mostly the right credential, sometimes someone else's; sometimes
        // with a new name (for when someone took theirs).
        2 => (0..POOL, prop::bool::weighted(0.8), prop::option::weighted(0.3, 0..NAMES.len()))
            .prop_map(|(n, right, new_name)| Command::Rejoin {
                participant: id(n),
                credential: if right { digest(n) } else { digest(n + 1) },
                name: new_name.map(name),
            }),
        1 => Just(Command::Leave),
        1 => prop::bool::ANY.prop_map(|here| Command::SetPresence {
            presence: if here { ReportedPresence::Here } else { ReportedPresence::Away },
        }),
        1 => target().prop_map(|participant| Command::MarkConnected { participant, reclaim_ms: FACILITATOR_RECLAIM_MILLIS }),
        1 => (target(), 0u64..120_000).prop_map(|(participant, grace_ms)| {
            Command::MarkDisconnected { participant, grace_ms, fallback_ms: FACILITATOR_FALLBACK_MILLIS }
        }),
        1 => (0..NAMES.len()).prop_map(|index| Command::Rename { name: name(index) }),
        1 => any::<bool>().prop_map(|locked| if locked { Command::Lock } else { Command::Unlock }),
        1 => (0u16..=70).prop_map(|seat_cap| Command::SetSeatCap { seat_cap }),
        1 => target().prop_map(|participant| Command::Remove { participant }),
        1 => target().prop_map(|to| Command::HandOver { to }),
        1 => target().prop_map(|participant| Command::AddCoFacilitator { participant }),
        1 => target().prop_map(|participant| Command::RemoveCoFacilitator { participant }),
    ]
}

/// A starting seat cap (small, so rooms fill) and the steps.
fn script() -> impl Strategy<Value = (u16, Vec<(Actor, Command)>)> {
    (1u16..=8, prop::collection::vec((actor(), command()), 0..60))
}

/// Every command a person could send, for checking that removed people can
/// do none of them.
fn every_command_of(n: u128) -> Vec<Command> {
    vec![
        Command::Leave,
        Command::SetPresence {
            presence: ReportedPresence::Here,
        },
        Command::MarkConnected {
            participant: id(n),
            reclaim_ms: FACILITATOR_RECLAIM_MILLIS,
        },
        Command::MarkDisconnected {
            participant: id(n),
            grace_ms: 0,
            fallback_ms: FACILITATOR_FALLBACK_MILLIS,
        },
        Command::Rename { name: name(6) },
        Command::Lock,
        Command::Unlock,
        Command::SetSeatCap { seat_cap: 20 },
        Command::Remove { participant: id(0) },
        Command::HandOver { to: id(1) },
        Command::AddCoFacilitator { participant: id(1) },
        Command::RemoveCoFacilitator { participant: id(1) },
        Command::Join {
            participant: id(n),
            name: name(6),
            credential: digest(n),
        },
        Command::Rejoin {
            participant: id(n),
            credential: digest(n),
            name: None,
        },
    ]
}

/// The server's room and a browser's room, kept side by side. The browser
/// starts from the public opening event and folds each event after it went
/// through the wire as JSON, as the web app does.
struct World {
    server: Room,
    browser: Room,
    seq: Seq,
}

impl World {
    fn new(seat_cap: u16) -> World {
        let opening = opening();
        let server = Room::opened(&opening, NOW).expect("opened");
        let browser = Room::opened(&opening.for_clients(), NOW).expect("opened");
        let mut world = World {
            server,
            browser,
            seq: Seq(1),
        };
        world
            .step(Actor::System, Command::SetSeatCap { seat_cap })
            .expect("the server may set any cap in range");
        world
    }

    /// Applies one command on the server and folds its events on both sides.
    fn step(&mut self, actor: Actor, command: Command) -> Result<Vec<Event>, Rejection> {
        self.step_at(actor, command, NOW)
    }

    /// [`World::step`] at `now`.
    fn step_at(
        &mut self,
        actor: Actor,
        command: Command,
        now: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let events = self.server.apply(actor, command, now)?;
        for event in &events {
            self.server.on_event(event);
            self.seq = self.seq.next();
            let frame = serde_json::to_string(&ServerMessage::Event {
                seq: self.seq,
                at: now,
                event: event.for_clients().into_owned(),
            })
            .expect("events serialise");
            assert!(!frame.contains("\"credential\""), "{frame}");
            let ServerMessage::Event { event, .. } =
                serde_json::from_str(&frame).expect("events parse")
            else {
                panic!("an event frame parses as an event");
            };
            self.browser.on_event(&event);
        }
        Ok(events)
    }
}

fn removed_ids(room: &Room) -> Vec<u128> {
    (0..POOL)
        .filter(|n| {
            room.participant(id(*n))
                .is_some_and(|p| p.membership == Membership::Removed)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Seat cap, unique names, one facilitator, roles only for members: after
    /// every step, whatever was asked.
    #[test]
    fn prop_invariants_hold_after_every_step((seat_cap, steps) in script()) {
        let mut world = World::new(seat_cap);
        for (actor, command) in steps {
            let _ = world.step(actor, command);
            prop_assert_eq!(world.server.check_invariants(), Ok(()));
            prop_assert_eq!(world.browser.check_invariants(), Ok(()));
        }
    }

    /// A rejected command changes nothing, and an accepted one changes the
    /// room exactly when it has events (a no-op command has none).
    #[test]
    fn prop_rejections_change_nothing_and_events_always_change_something(
        (seat_cap, steps) in script()
    ) {
        let mut world = World::new(seat_cap);
        for (actor, command) in steps {
            let before = world.server.clone();
            let seq_before = world.seq;
            match world.step(actor, command) {
                Err(_) => {
                    prop_assert_eq!(&world.server, &before);
                    prop_assert_eq!(world.seq, seq_before);
                }
                Ok(events) if events.is_empty() => prop_assert_eq!(&world.server, &before),
                Ok(_) => prop_assert_ne!(&world.server, &before),
            }
        }
    }

    /// Once removed, a person can do nothing: every command they send is
    /// rejected, and the server cannot bring them back.
    #[test]
    fn prop_removed_participants_are_always_refused((seat_cap, steps) in script()) {
        let mut world = World::new(seat_cap);
        for (actor, command) in steps {
            let actor_was_removed = matches!(
                actor,
                Actor::Participant(who) if removed_ids(&world.server)
                    .iter()
                    .any(|n| id(*n) == who)
            );
            let result = world.step(actor, command);
            if actor_was_removed {
                prop_assert!(
                    matches!(result, Err(Rejection::Removed | Rejection::ServerOnly)),
                    "{:?}", result
                );
            }
            for n in removed_ids(&world.server) {
                for command in every_command_of(n) {
                    let result = world.server.apply(Actor::Participant(id(n)), command, NOW);
                    prop_assert!(result.is_err(), "removed {} acted: {:?}", n, result);
                }
                let back = Command::Rejoin { participant: id(n), credential: digest(n), name: None };
                prop_assert_eq!(
                    world.server.apply(Actor::System, back, NOW),
                    Err(Rejection::Removed)
                );
            }
        }
    }

    /// The browser, folding the public events it receives as JSON into the
    /// public opening, holds exactly the server's room as sent to clients.
    #[test]
    fn prop_browser_and_server_agree((seat_cap, steps) in script()) {
        let mut world = World::new(seat_cap);
        prop_assert_eq!(&world.browser, &world.server.for_clients());
        for (actor, command) in steps {
            let _ = world.step(actor, command);
            prop_assert_eq!(&world.browser, &world.server.for_clients());
        }
        // A snapshot is the same room: it survives the wire unchanged.
        let json = serde_json::to_string(&world.server.for_clients()).expect("serialises");
        prop_assert!(!json.contains("digest-"));
        let snapshot: Room = serde_json::from_str(&json).expect("parses");
        prop_assert_eq!(snapshot, world.browser);
    }
}

// --- Presence through the reducer's clock ---

/// The grace period of the presence property: the server's default.
const GRACE: u64 = PRESENCE_GRACE_MILLIS;
/// People in the presence property: 0 facilitates, 1..PEOPLE join.
const PEOPLE: u128 = 5;

/// What the server may tell the room about connections, or a person may do
/// about their own presence.
#[derive(Clone, Debug)]
enum Happening {
    /// Someone's first connection opened (`MarkConnected`).
    Connect(u128),
    /// Someone's last connection closed (`MarkDisconnected`).
    Disconnect(u128),
    /// The server's clock reached a deadline, or any moment.
    Tick,
    /// A connected person shows (`true`) or hides the tab.
    Show(u128, bool),
    /// A person leaves.
    Leave(u128),
    /// The facilitator removes a person.
    Remove(u128),
    /// Someone who left comes back (with a connection).
    Rejoin(u128),
}

fn happening() -> impl Strategy<Value = Happening> {
    let person = || 0..PEOPLE;
    prop_oneof![
        4 => person().prop_map(Happening::Connect),
        4 => person().prop_map(Happening::Disconnect),
        4 => Just(Happening::Tick),
        2 => (person(), any::<bool>()).prop_map(|(n, shown)| Happening::Show(n, shown)),
        1 => person().prop_map(Happening::Leave),
        1 => person().prop_map(Happening::Remove),
        1 => person().prop_map(Happening::Rejoin),
    ]
}

/// How long after the previous step each one happens: often at once, often
/// just around the grace period, so deadlines are hit, missed and straddled.
fn later() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => Just(0u64),
        3 => 1u64..GRACE,
        2 => GRACE - 1..=GRACE + 1,
        1 => GRACE..4 * GRACE,
    ]
}

/// The reference model of one person's presence, kept by hand from what
/// the room accepted.
#[derive(Clone, Copy, Debug, Default)]
struct Person {
    active: bool,
    connected: bool,
    /// When they turn gone, while disconnected and not yet gone.
    deadline: Option<Timestamp>,
    gone: bool,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Connections, disconnections and ticks at random times: nobody
    /// connected is gone; a disconnected person is away until their grace
    /// period ends and gone after the first tick at or after it (a repeated
    /// disconnect never postpones it); the room's next deadline is the
    /// earliest of those; and both copies of the room stay valid and equal.
    #[test]
    fn prop_disconnected_people_turn_gone_after_the_grace_and_connected_never_do(
        steps in prop::collection::vec((happening(), later()), 0..80),
    ) {
        let mut world = World::new(8);
        // Presence alone: no stand-in takes the role from a silent
        // facilitator here (prop_fallback covers that).
        world
            .step(Actor::System, Command::SetFallback { mode: FallbackMode::Off })
            .expect("the server may set it");
        let mut people = [Person::default(); PEOPLE as usize];
        // The facilitator opened the meetup over HTTP: in, but not connected.
        people[0].active = true;
        // "Bo", "Chen", "Dee" and "Eve Long": names that do not collide.
        for (n, index) in (1..PEOPLE).zip([2, 4, 5, 6]) {
            let join = Command::Join { participant: id(n), name: name(index), credential: digest(n) };
            world.step(Actor::System, join).expect("room for everyone");
            people[n as usize] = Person { active: true, connected: true, ..Person::default() };
        }
        let mut now = NOW;
        for (happening, later) in steps {
            now = now.plus_millis(later);
            let (actor, command) = match happening {
                Happening::Connect(n) => (Actor::System, Command::MarkConnected { participant: id(n), reclaim_ms: FACILITATOR_RECLAIM_MILLIS }),
                Happening::Disconnect(n) => (
                    Actor::System,
                    Command::MarkDisconnected { participant: id(n), grace_ms: GRACE , fallback_ms: FACILITATOR_FALLBACK_MILLIS},
                ),
                Happening::Tick => (Actor::System, Command::Tick),
                // Only a connected person can say anything.
                Happening::Show(n, _) | Happening::Leave(n) if !people[n as usize].connected => continue,
                Happening::Show(n, shown) => (
                    Actor::Participant(id(n)),
                    Command::SetPresence {
                        presence: if shown { ReportedPresence::Here } else { ReportedPresence::Away },
                    },
                ),
                Happening::Leave(n) => (Actor::Participant(id(n)), Command::Leave),
                Happening::Remove(n) => (Actor::Participant(id(0)), Command::Remove { participant: id(n) }),
                Happening::Rejoin(n) => (
                    Actor::System,
                    Command::Rejoin { participant: id(n), credential: digest(n), name: None },
                ),
            };
            let accepted = world.step_at(actor, command, now);
            match (&happening, &accepted) {
                (_, Err(_)) => {}
                (Happening::Connect(n), Ok(_)) => {
                    people[*n as usize] = Person { active: true, connected: true, ..Person::default() };
                }
                (Happening::Disconnect(n), Ok(_)) => {
                    let person = &mut people[*n as usize];
                    person.connected = false;
                    if !person.gone && person.deadline.is_none() {
                        person.deadline = Some(now.plus_millis(GRACE));
                    }
                }
                (Happening::Tick, Ok(_)) => {
                    for person in people.iter_mut().filter(|person| person.active) {
                        if person.deadline.is_some_and(|deadline| deadline <= now) {
                            person.deadline = None;
                            person.gone = true;
                        }
                    }
                }
                (Happening::Show(..), Ok(_)) => {}
                (Happening::Leave(n) | Happening::Remove(n), Ok(_)) => {
                    people[*n as usize] = Person { gone: true, ..Person::default() };
                }
                // Someone in the meetup rejoining changes nothing.
                (Happening::Rejoin(n), Ok(events)) if !events.is_empty() => {
                    people[*n as usize] = Person { active: true, connected: true, ..Person::default() };
                }
                (Happening::Rejoin(_), Ok(_)) => {}
            }

            prop_assert_eq!(world.server.check_invariants(), Ok(()));
            prop_assert_eq!(world.browser.check_invariants(), Ok(()));
            prop_assert_eq!(&world.browser, &world.server.for_clients());
            for n in 0..PEOPLE {
                let model = people[n as usize];
                let shown = world.server.participant(id(n)).expect("everyone joined");
                prop_assert_eq!(shown.membership == Membership::Active, model.active, "{}", n);
                if model.connected {
                    prop_assert_ne!(shown.presence, Presence::Gone, "{} is connected", n);
                }
                if model.deadline.is_some() {
                    prop_assert_eq!(shown.presence, Presence::Away, "{} is in their grace period", n);
                }
                prop_assert_eq!(shown.presence == Presence::Gone, model.gone, "{}", n);
                prop_assert_eq!(shown.gone_at, model.deadline, "{}", n);
            }
            if matches!(happening, Happening::Tick) {
                // Nobody is left past their deadline after a tick.
                prop_assert!(world.server.next_deadline().is_none_or(|deadline| deadline > now));
            }
            let earliest = people.iter().filter_map(|person| person.deadline).min();
            prop_assert_eq!(world.server.next_deadline(), earliest);
        }
    }
}
