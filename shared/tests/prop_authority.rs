//! Property tests of the one authorization path (issue 12, item 3): random
//! actors — the server, the facilitator, co-facilitators, participants,
//! people who left or were removed, strangers — send random commands of
//! every kind to rooms in random states, and the answer about *who* may is
//! always the one [`Room::authorize`] gives for the command's
//! [`Command::authority`], the same for every feature:
//!
//! - someone not in the meetup is refused as such (`not_in_meetup`,
//!   `removed`) whatever they send, and nobody but the server sends a
//!   server-only command;
//! - the server is treated alike everywhere: it may do what whoever runs the
//!   meetup may, and it is never a member;
//! - a plain participant never passes a facilitators' command, a
//!   co-facilitator never the facilitator's;
//! - [`Room::check`] says exactly what [`Room::apply`] would, and a refused
//!   command leaves the room as it was.

mod common;

use common::commands::{PEOPLE, Raw, command, raw};
use common::{NOW, id, run_at};
use moot_shared::room::{Authority, Membership, Role};
use moot_shared::{Actor, Command, Rejection, Room};
use proptest::prelude::*;

/// The reasons that say who may act, as opposed to what the room allows.
fn is_about_who(rejection: &Rejection) -> bool {
    matches!(
        rejection,
        Rejection::ServerOnly
            | Rejection::NotInMeetup
            | Rejection::Removed
            | Rejection::FacilitatorsOnly
            | Rejection::FacilitatorOnly
    )
}

/// The answer about who may, worked out from the actor's place in the room
/// (a model written apart from `Room::authorize`).
fn expected(room: &Room, actor: Actor, authority: Authority) -> Result<(), Rejection> {
    let person = match actor {
        Actor::System => {
            return if authority == Authority::Member {
                Err(Rejection::NotInMeetup)
            } else {
                Ok(())
            };
        }
        Actor::Participant(id) => room.participant(id),
    };
    if authority == Authority::Server {
        return Err(Rejection::ServerOnly);
    }
    let Some(person) = person else {
        return Err(Rejection::NotInMeetup);
    };
    match (person.membership, person.role, authority) {
        (Membership::Left, _, _) => Err(Rejection::NotInMeetup),
        (Membership::Removed, _, _) => Err(Rejection::Removed),
        (_, Role::Participant, Authority::Runner) => Err(Rejection::FacilitatorsOnly),
        (_, Role::Participant | Role::CoFacilitator, Authority::Facilitator) => {
            Err(Rejection::FacilitatorOnly)
        }
        _ => Ok(()),
    }
}

/// A room in a random state: people 1..=PEOPLE + 2 joined (1 facilitates),
/// some co-facilitators, someone who left, someone removed, and a few
/// random commands applied on top.
fn room(co: Vec<u128>, leaver: u128, removed: u128, warm_up: Vec<(u128, Raw)>) -> Room {
    let (mut room, _) = common::props_meetup(PEOPLE + 2);
    for n in co {
        let _ = run_at(
            &mut room,
            Actor::Participant(id(1)),
            Command::AddCoFacilitator { participant: id(n) },
            NOW,
        );
    }
    let _ = run_at(
        &mut room,
        Actor::Participant(id(leaver)),
        Command::Leave,
        NOW,
    );
    let _ = run_at(
        &mut room,
        Actor::Participant(id(1)),
        Command::Remove {
            participant: id(removed),
        },
        NOW,
    );
    for (who, raw) in warm_up {
        // An ended meetup refuses everything as ended, before anyone is
        // asked who they are; that is tested apart.
        let command = command(raw);
        if command != Command::EndMeetup {
            let _ = run_at(&mut room, Actor::Participant(id(who)), command, NOW);
        }
    }
    room
}

fn actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        1 => Just(Actor::System),
        // 1..=PEOPLE + 2 are (or were) in the room; the next two never were.
        6 => (1..=PEOPLE + 4).prop_map(|n| Actor::Participant(id(n))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn prop_who_may_act_is_decided_once_for_every_command(
        co in proptest::collection::vec(2..=PEOPLE + 2, 0..3),
        leaver in 2..=PEOPLE + 2,
        removed in 2..=PEOPLE + 2,
        warm_up in proptest::collection::vec((1..=PEOPLE, raw()), 0..12),
        tries in proptest::collection::vec((actor(), raw()), 1..24),
    ) {
        let room = room(co, leaver, removed, warm_up);
        for (actor, raw) in tries {
            let command = command(raw);
            if command == Command::EndMeetup {
                continue;
            }
            let authority = command.authority();
            let before = room.clone();
            let decided = room.apply(actor, command.clone(), NOW);
            // The browser's question has the reducer's answer.
            prop_assert_eq!(
                room.check(actor, &command, NOW),
                decided.as_ref().map(|_| ()).map_err(Clone::clone)
            );
            // A phone asks only about a member's own commands, through the
            // member's part of the reducer: for those, the same answer.
            if authority == Authority::Member {
                prop_assert_eq!(
                    room.check_own(actor, command.clone(), NOW),
                    room.check(actor, &command, NOW),
                    "{:?} sending {:?}", actor, command
                );
            } else {
                prop_assert_eq!(
                    room.check_own(actor, command.clone(), NOW),
                    Err(Rejection::FacilitatorsOnly)
                );
            }
            prop_assert_eq!(&room, &before, "deciding changes nothing");
            let allowed = expected(&room, actor, authority);
            prop_assert_eq!(
                room.authorize(actor, authority).map(|_| ()),
                allowed.clone(),
                "{:?} sending {:?}", actor, command
            );
            match (allowed, &decided) {
                // Refused for who they are: exactly that, whatever the command.
                (Err(reason), _) => prop_assert_eq!(decided, Err(reason)),
                // Allowed in: any refusal is about the room, not about who
                // they are (but for removing a co-facilitator, which is the
                // facilitator's to do).
                (Ok(()), Err(reason)) => prop_assert!(
                    !is_about_who(reason)
                        || (*reason == Rejection::FacilitatorOnly
                            && matches!(command, Command::Remove { .. })),
                    "{:?} sending {:?} got {:?}", actor, command, reason
                ),
                (Ok(()), Ok(events)) => {
                    let mut after = room.clone();
                    for event in events {
                        after.on_event(event);
                    }
                    prop_assert_eq!(after.check_invariants(), Ok(()));
                }
            }
        }
    }

    /// The server's actor is the same everywhere: never a member, always
    /// allowed what whoever runs the meetup is.
    #[test]
    fn prop_the_server_is_treated_alike_by_every_feature(raw in raw()) {
        let room = room(Vec::new(), 2, 3, Vec::new());
        let command = command(raw);
        let decided = room.apply(Actor::System, command.clone(), NOW);
        match command.authority() {
            Authority::Member => prop_assert_eq!(decided, Err(Rejection::NotInMeetup)),
            _ => if let Err(reason) = decided {
                prop_assert!(!is_about_who(&reason), "{:?}: {:?}", command, reason);
            },
        }
    }
}

#[test]
fn what_each_role_may_is_spelled_out_for_a_few_commands() {
    use moot_shared::room::poll::PollId;
    for (command, authority) in [
        (Command::EndMeetup, Authority::Facilitator),
        (Command::HandOver { to: id(2) }, Authority::Facilitator),
        (Command::Lock, Authority::Runner),
        (Command::RevealPoll { poll: PollId(1) }, Authority::Runner),
        (Command::Leave, Authority::Member),
        (Command::Tick, Authority::Server),
    ] {
        assert_eq!(command.authority(), authority, "{command:?}");
    }
}
