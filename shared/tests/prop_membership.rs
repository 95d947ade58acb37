//! Properties of the membership reducer over random command sequences:
//! random actors (the server, people in the meetup, people who left or were
//! removed, people who never joined), names from a small pool so collisions
//! happen, and random seat caps so rooms fill up.

mod common;

use common::{NOW, Opening, id};
use moot_shared::protocol::ServerMessage;
use moot_shared::room::{CredentialDigest, Membership, ReportedPresence};
use moot_shared::{Actor, Command, DisplayName, Event, Rejection, Room, Seq};
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
        1 => target().prop_map(|participant| Command::MarkConnected { participant }),
        1 => (target(), 0u64..120_000).prop_map(|(participant, grace_ms)| {
            Command::MarkDisconnected { participant, grace_ms }
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
        Command::MarkConnected { participant: id(n) },
        Command::MarkDisconnected {
            participant: id(n),
            grace_ms: 0,
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
        let events = self.server.apply(actor, command, NOW)?;
        for event in &events {
            self.server.on_event(event);
            self.seq = self.seq.next();
            let frame = serde_json::to_string(&ServerMessage::Event {
                seq: self.seq,
                at: NOW,
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
