//! The membership reducer through its public API: `Room::opened`,
//! `Room::apply` and `Room::on_event`. One test per rule, success and
//! rejection, with the room's invariants checked after every folded event.

use moot_shared::limits::{FACILITATOR_FALLBACK_MILLIS, FACILITATOR_RECLAIM_MILLIS};
use std::borrow::Cow;

mod common;

use common::{NOW, Opening, id, open, run, run_at, who};
use moot_shared::limits::PRESENCE_GRACE_MILLIS;
use moot_shared::room::{CredentialDigest, Membership, Presence, ReportedPresence, Role};
use moot_shared::{Actor, Command, DisplayName, Event, Rejection, Room, Timestamp};

fn name(text: &str) -> DisplayName {
    DisplayName::parse(text).expect("a valid test name")
}

fn digest(n: u128) -> CredentialDigest {
    CredentialDigest(format!("digest-{n}"))
}

/// The facilitator of every test room.
const ADA: u128 = 1;

/// A meetup called `title` opened by Ada.
fn ada_opens(title: &'static str) -> Opening {
    Opening {
        title,
        facilitator: ADA,
        facilitator_name: "Ada",
        credential: digest(ADA),
        follows: None,
    }
}

/// A room opened by Ada (id 1), as the server folds it.
fn opened() -> Room {
    open(&ada_opens("Platform guild"), [], NOW).0
}

/// Applies a command that must be refused with `expected`, and checks that
/// nothing changed.
fn refused(room: &mut Room, actor: Actor, command: Command, expected: Rejection) {
    let before = room.clone();
    assert_eq!(run(room, actor, command), Err(expected));
    assert_eq!(*room, before);
}

/// Applies a command that must be accepted without events.
fn no_op(room: &mut Room, actor: Actor, command: Command) {
    let before = room.clone();
    assert_eq!(run(room, actor, command), Ok(Vec::new()));
    assert_eq!(*room, before);
}

fn join(room: &mut Room, n: u128, display: &str) -> Result<Vec<Event>, Rejection> {
    run(
        room,
        Actor::System,
        Command::Join {
            participant: id(n),
            name: name(display),
            credential: digest(n),
        },
    )
}

fn admit(room: &mut Room, n: u128, display: &str) {
    join(room, n, display).expect("admitted");
}

fn rejoin(room: &mut Room, n: u128) -> Result<Vec<Event>, Rejection> {
    run(
        room,
        Actor::System,
        Command::Rejoin {
            participant: id(n),
            credential: digest(n),
            name: None,
        },
    )
}

fn role(room: &Room, n: u128) -> Role {
    room.participant(id(n)).expect("listed").role
}

fn membership(room: &Room, n: u128) -> Membership {
    room.participant(id(n)).expect("listed").membership
}

/// Participant `n`'s role, presence and membership, to check all three at once.
fn standing(room: &Room, n: u128) -> (Role, Presence, Membership) {
    let person = room.participant(id(n)).expect("still listed");
    (person.role, person.presence, person.membership)
}

/// Ada (facilitator), Bo and Chen (participants), Dee (co-facilitator).
fn meetup() -> Room {
    let mut room = opened();
    admit(&mut room, 2, "Bo");
    admit(&mut room, 3, "Chen");
    admit(&mut room, 4, "Dee");
    run(
        &mut room,
        who(ADA),
        Command::AddCoFacilitator { participant: id(4) },
    )
    .expect("Ada appoints Dee");
    room
}

// --- Opening ---

#[test]
fn a_meetup_opens_with_its_facilitator_away_and_the_default_seat_cap() {
    let room = opened();
    assert_eq!(room.opened_at, NOW);
    assert_eq!(room.seat_cap, 16);
    assert!(!room.locked);
    let ada = room.facilitator().expect("a facilitator");
    assert_eq!(ada.id, id(ADA));
    assert_eq!(ada.presence, Presence::Away);
    assert_eq!(ada.credential, Some(digest(ADA)));
    room.check_invariants().expect("valid");
}

#[test]
fn only_meetup_opened_opens_a_room() {
    let event = Event::LockChanged { locked: true };
    assert_eq!(Room::opened(&event, NOW), None);
}

// --- Joining ---

#[test]
fn joining_admits_a_participant_who_is_here() {
    let mut room = opened();
    let events = join(&mut room, 2, "Bo").expect("admitted");
    assert_eq!(
        events,
        vec![Event::ParticipantJoined {
            participant: id(2),
            name: name("Bo"),
            credential: Some(digest(2)),
        }]
    );
    assert_eq!(
        standing(&room, 2),
        (Role::Participant, Presence::Here, Membership::Active)
    );
}

#[test]
fn only_the_server_admits_people() {
    let mut room = meetup();
    for actor in [who(ADA), who(2), who(9)] {
        let command = Command::Join {
            participant: id(9),
            name: name("Eve"),
            credential: digest(9),
        };
        refused(&mut room, actor, command, Rejection::ServerOnly);
        let command = Command::Rejoin {
            participant: id(2),
            credential: digest(2),
            name: None,
        };
        refused(&mut room, actor, command, Rejection::ServerOnly);
    }
}

#[test]
fn a_known_id_cannot_join_again() {
    let mut room = meetup();
    assert_eq!(join(&mut room, 2, "Bob"), Err(Rejection::BadCredential));
}

#[test]
fn a_locked_meetup_admits_nobody_new() {
    let mut room = opened();
    run(&mut room, who(ADA), Command::Lock).expect("locked");
    assert_eq!(join(&mut room, 2, "Bo"), Err(Rejection::Locked));
    run(&mut room, who(ADA), Command::Unlock).expect("unlocked");
    admit(&mut room, 2, "Bo");
}

#[test]
fn a_full_meetup_admits_nobody_new() {
    let mut room = opened();
    admit(&mut room, 2, "Bo");
    run(&mut room, who(ADA), Command::SetSeatCap { seat_cap: 2 }).expect("capped");
    assert_eq!(
        join(&mut room, 3, "Chen"),
        Err(Rejection::RoomFull { seat_cap: 2 })
    );
}

#[test]
fn names_are_unique_ignoring_case() {
    let mut room = meetup();
    assert_eq!(join(&mut room, 5, "bo"), Err(Rejection::NameTaken));
    assert_eq!(join(&mut room, 5, "ADA"), Err(Rejection::NameTaken));
    admit(&mut room, 5, "Bo Lindqvist");
}

// Issue "Hardening from an outside attack run", item 8: "Fay" with a
// Cyrillic "а" looks like "Fay", so it is the same name.
#[test]
fn names_that_look_alike_are_taken() {
    let mut room = meetup();
    admit(&mut room, 5, "Fay");
    assert_eq!(join(&mut room, 6, "F\u{0430}y"), Err(Rejection::NameTaken));
    assert_eq!(join(&mut room, 6, "FAY"), Err(Rejection::NameTaken));
    admit(&mut room, 6, "Fey");
}

#[test]
fn the_name_of_someone_who_left_is_free() {
    let mut room = meetup();
    run(&mut room, who(2), Command::Leave).expect("Bo leaves");
    admit(&mut room, 5, "BO");
}

// --- Rejoining ---

#[test]
fn rejoining_while_in_the_meetup_changes_nothing() {
    let mut room = meetup();
    assert_eq!(rejoin(&mut room, 2), Ok(Vec::new()));
    assert_eq!(rejoin(&mut room, ADA), Ok(Vec::new()));
}

#[test]
fn rejoining_needs_the_right_credential() {
    let mut room = meetup();
    let wrong = Command::Rejoin {
        participant: id(2),
        credential: digest(3),
        name: None,
    };
    refused(&mut room, Actor::System, wrong, Rejection::BadCredential);
    let stranger = Command::Rejoin {
        participant: id(9),
        credential: digest(9),
        name: None,
    };
    refused(&mut room, Actor::System, stranger, Rejection::BadCredential);
}

#[test]
fn someone_who_left_can_rejoin_even_when_locked() {
    let mut room = meetup();
    run(&mut room, who(2), Command::Leave).expect("Bo leaves");
    run(&mut room, who(ADA), Command::Lock).expect("locked");
    assert_eq!(
        rejoin(&mut room, 2),
        Ok(vec![Event::ParticipantRejoined { participant: id(2) }])
    );
    assert_eq!(
        standing(&room, 2),
        (Role::Participant, Presence::Here, Membership::Active)
    );
}

#[test]
fn someone_who_left_needs_a_seat_and_their_name_to_rejoin() {
    let mut room = meetup();
    run(&mut room, who(2), Command::Leave).expect("Bo leaves");
    admit(&mut room, 5, "bo");
    assert_eq!(rejoin(&mut room, 2), Err(Rejection::NameTaken));
    run(&mut room, who(5), Command::Rename { name: name("Eve") }).expect("renamed");
    run(&mut room, who(ADA), Command::SetSeatCap { seat_cap: 4 }).expect("capped");
    assert_eq!(
        rejoin(&mut room, 2),
        Err(Rejection::RoomFull { seat_cap: 4 })
    );
    run(&mut room, who(ADA), Command::SetSeatCap { seat_cap: 5 }).expect("a seat more");
    rejoin(&mut room, 2).expect("Bo is back");
}

fn rejoin_as(room: &mut Room, n: u128, display: &str) -> Result<Vec<Event>, Rejection> {
    run(
        room,
        Actor::System,
        Command::Rejoin {
            participant: id(n),
            credential: digest(n),
            name: Some(name(display)),
        },
    )
}

#[test]
fn someone_whose_name_was_taken_comes_back_under_a_new_one() {
    let mut room = meetup();
    run(&mut room, who(2), Command::Leave).expect("Bo leaves");
    admit(&mut room, 5, "Bo");
    assert_eq!(rejoin(&mut room, 2), Err(Rejection::NameTaken));
    // The new name must be free too (ignoring case), and a seat.
    refused(
        &mut room,
        Actor::System,
        Command::Rejoin {
            participant: id(2),
            credential: digest(2),
            name: Some(name("CHEN")),
        },
        Rejection::NameTaken,
    );
    assert_eq!(
        rejoin_as(&mut room, 2, "Bo B."),
        Ok(vec![
            Event::ParticipantRenamed {
                participant: id(2),
                name: name("Bo B."),
            },
            Event::ParticipantRejoined { participant: id(2) },
        ])
    );
    assert_eq!(room.participant(id(2)).expect("listed").name, name("Bo B."));
    assert_eq!(
        standing(&room, 2),
        (Role::Participant, Presence::Here, Membership::Active)
    );
}

#[test]
fn a_new_name_on_rejoin_is_only_for_someone_who_left() {
    let mut room = meetup();
    // Still in the meetup: a reconnect, and the name it carries is ignored.
    no_op(
        &mut room,
        Actor::System,
        Command::Rejoin {
            participant: id(2),
            credential: digest(2),
            name: Some(name("Someone else")),
        },
    );
    // Left, with their own name still free: back as they were, no rename.
    run(&mut room, who(2), Command::Leave).expect("Bo leaves");
    assert_eq!(
        rejoin_as(&mut room, 2, "Bo"),
        Ok(vec![Event::ParticipantRejoined { participant: id(2) }])
    );
    // Removed: no name brings them back.
    run(&mut room, who(ADA), Command::Remove { participant: id(3) }).expect("removed");
    assert_eq!(rejoin_as(&mut room, 3, "Chen 2"), Err(Rejection::Removed));
}

#[test]
fn someone_removed_cannot_rejoin() {
    let mut room = meetup();
    run(&mut room, who(ADA), Command::Remove { participant: id(2) }).expect("removed");
    assert_eq!(rejoin(&mut room, 2), Err(Rejection::Removed));
    assert_eq!(join(&mut room, 2, "Bo"), Err(Rejection::BadCredential));
}

// --- Leaving ---

#[test]
fn a_participant_leaves_and_loses_their_role() {
    let mut room = meetup();
    assert_eq!(
        run(&mut room, who(4), Command::Leave),
        Ok(vec![Event::ParticipantLeft { participant: id(4) }])
    );
    assert_eq!(
        standing(&room, 4),
        (Role::Participant, Presence::Gone, Membership::Left)
    );
}

#[test]
fn the_facilitator_cannot_leave() {
    let mut room = meetup();
    refused(
        &mut room,
        who(ADA),
        Command::Leave,
        Rejection::HandOverFirst,
    );
}

#[test]
fn leaving_needs_someone_in_the_meetup() {
    let mut room = meetup();
    // The server is nobody's member: the same answer as for a stranger.
    refused(
        &mut room,
        Actor::System,
        Command::Leave,
        Rejection::NotInMeetup,
    );
    refused(&mut room, who(9), Command::Leave, Rejection::NotInMeetup);
    run(&mut room, who(2), Command::Leave).expect("Bo leaves");
    refused(&mut room, who(2), Command::Leave, Rejection::NotInMeetup);
}

#[test]
fn someone_who_left_cannot_act() {
    let mut room = meetup();
    run(&mut room, who(4), Command::Leave).expect("Dee leaves");
    for command in [
        Command::Rename { name: name("Dee") },
        Command::SetPresence {
            presence: ReportedPresence::Here,
        },
        Command::Lock,
        Command::Remove { participant: id(2) },
    ] {
        refused(&mut room, who(4), command, Rejection::NotInMeetup);
    }
}

#[test]
fn someone_removed_cannot_act() {
    let mut room = meetup();
    run(&mut room, who(ADA), Command::Remove { participant: id(4) }).expect("removed");
    for command in [
        Command::Leave,
        Command::Rename { name: name("Dee") },
        Command::SetPresence {
            presence: ReportedPresence::Here,
        },
        Command::Lock,
        Command::SetSeatCap { seat_cap: 10 },
        Command::Remove { participant: id(2) },
        Command::HandOver { to: id(2) },
        Command::AddCoFacilitator { participant: id(2) },
        Command::RemoveCoFacilitator { participant: id(2) },
    ] {
        refused(&mut room, who(4), command, Rejection::Removed);
    }
}

// --- Presence ---

#[test]
fn participants_set_their_own_presence() {
    let mut room = meetup();
    let away = Command::SetPresence {
        presence: ReportedPresence::Away,
    };
    assert_eq!(
        run(&mut room, who(2), away.clone()),
        Ok(vec![Event::PresenceChanged {
            participant: id(2),
            presence: Presence::Away,
        }])
    );
    no_op(&mut room, who(2), away);
    let here = Command::SetPresence {
        presence: ReportedPresence::Here,
    };
    run(&mut room, who(2), here).expect("back");
    assert_eq!(
        room.participant(id(2)).expect("listed").presence,
        Presence::Here
    );
}

#[test]
fn only_the_server_marks_connections() {
    let mut room = meetup();
    let connected = Command::MarkConnected {
        participant: id(2),
        reclaim_ms: FACILITATOR_RECLAIM_MILLIS,
    };
    let disconnected = Command::MarkDisconnected {
        participant: id(2),
        grace_ms: GRACE,
        fallback_ms: FACILITATOR_FALLBACK_MILLIS,
    };
    for command in [connected.clone(), disconnected.clone()] {
        refused(&mut room, who(ADA), command.clone(), Rejection::ServerOnly);
        refused(&mut room, who(2), command, Rejection::ServerOnly);
    }
    run(&mut room, Actor::System, disconnected).expect("the server may");
    assert_eq!(presence(&room, 2), Presence::Away);
    run(&mut room, Actor::System, connected).expect("the server may");
    assert_eq!(presence(&room, 2), Presence::Here);
}

#[test]
fn the_server_marks_no_connections_of_people_not_in_the_meetup() {
    let mut room = meetup();
    run(&mut room, who(2), Command::Leave).expect("Bo leaves");
    for whose in [2, 9] {
        for command in [
            Command::MarkConnected {
                participant: id(whose),
                reclaim_ms: FACILITATOR_RECLAIM_MILLIS,
            },
            Command::MarkDisconnected {
                participant: id(whose),
                grace_ms: GRACE,
                fallback_ms: FACILITATOR_FALLBACK_MILLIS,
            },
        ] {
            refused(
                &mut room,
                Actor::System,
                command,
                Rejection::UnknownParticipant,
            );
        }
    }
}

// --- Presence through the reducer's clock ---

/// The server's default grace period.
const GRACE: u64 = PRESENCE_GRACE_MILLIS;

fn presence(room: &Room, n: u128) -> Presence {
    room.participant(id(n)).expect("listed").presence
}

fn gone_at(room: &Room, n: u128) -> Option<Timestamp> {
    room.participant(id(n)).expect("listed").gone_at
}

/// The server saying participant `n`'s last connection closed at `at`.
fn disconnect_at(room: &mut Room, n: u128, at: Timestamp) -> Result<Vec<Event>, Rejection> {
    let command = Command::MarkDisconnected {
        participant: id(n),
        grace_ms: GRACE,
        fallback_ms: FACILITATOR_FALLBACK_MILLIS,
    };
    run_at(room, Actor::System, command, at)
}

fn tick_at(room: &mut Room, at: Timestamp) -> Vec<Event> {
    run_at(room, Actor::System, Command::Tick, at).expect("the server ticks")
}

#[test]
fn a_closed_connection_is_away_at_once_and_gone_at_the_deadline() {
    let mut room = meetup();
    let deadline = NOW.plus_millis(GRACE);
    assert_eq!(
        disconnect_at(&mut room, 2, NOW),
        Ok(vec![Event::ParticipantDisconnected {
            participant: id(2),
            gone_at: deadline,
        }])
    );
    assert_eq!(presence(&room, 2), Presence::Away);
    assert_eq!(gone_at(&room, 2), Some(deadline));
    assert_eq!(room.next_deadline(), Some(deadline));

    // A tick before the deadline (another feature's, say) changes nothing.
    assert_eq!(tick_at(&mut room, NOW.plus_millis(GRACE - 1)), []);
    assert_eq!(presence(&room, 2), Presence::Away);

    assert_eq!(
        tick_at(&mut room, deadline),
        [Event::PresenceChanged {
            participant: id(2),
            presence: Presence::Gone,
        }]
    );
    assert_eq!(presence(&room, 2), Presence::Gone);
    assert_eq!(gone_at(&room, 2), None);
    assert_eq!(room.next_deadline(), None);
    // Gone once: a later tick finds nothing.
    assert_eq!(tick_at(&mut room, deadline.plus_millis(GRACE)), []);
}

#[test]
fn a_late_tick_turns_everyone_past_their_deadline_gone_at_once() {
    let mut room = meetup();
    disconnect_at(&mut room, 2, NOW).expect("Bo disconnects");
    disconnect_at(&mut room, 3, NOW.plus_millis(10_000)).expect("Chen disconnects");
    disconnect_at(&mut room, 4, NOW.plus_millis(20_000)).expect("Dee disconnects");
    assert_eq!(room.next_deadline(), Some(NOW.plus_millis(GRACE)));
    // The server was down, say: its first tick is long after two deadlines.
    let events = tick_at(&mut room, NOW.plus_millis(GRACE + 15_000));
    let gone = |n| Event::PresenceChanged {
        participant: id(n),
        presence: Presence::Gone,
    };
    assert_eq!(events, [gone(2), gone(3)]);
    assert_eq!(presence(&room, 4), Presence::Away);
    assert_eq!(room.next_deadline(), Some(NOW.plus_millis(GRACE + 20_000)));
}

#[test]
fn reconnecting_before_the_deadline_clears_it() {
    let mut room = meetup();
    disconnect_at(&mut room, 2, NOW).expect("Bo disconnects");
    let back = Command::MarkConnected {
        participant: id(2),
        reclaim_ms: FACILITATOR_RECLAIM_MILLIS,
    };
    assert_eq!(
        run_at(&mut room, Actor::System, back, NOW.plus_millis(30_000)),
        Ok(vec![Event::PresenceChanged {
            participant: id(2),
            presence: Presence::Here,
        }])
    );
    assert_eq!(gone_at(&room, 2), None);
    assert_eq!(room.next_deadline(), None);
    assert_eq!(tick_at(&mut room, NOW.plus_millis(GRACE)), []);
    assert_eq!(presence(&room, 2), Presence::Here);
}

#[test]
fn a_repeated_disconnect_keeps_the_first_deadline() {
    let mut room = meetup();
    disconnect_at(&mut room, 2, NOW).expect("Bo disconnects");
    let before = room.clone();
    // A restarted server marks everyone as disconnected again.
    assert_eq!(
        disconnect_at(&mut room, 2, NOW.plus_millis(50_000)),
        Ok(vec![])
    );
    assert_eq!(room, before);
    // Once gone, a disconnect has nothing left to wait for.
    tick_at(&mut room, NOW.plus_millis(GRACE));
    assert_eq!(
        disconnect_at(&mut room, 2, NOW.plus_millis(GRACE)),
        Ok(vec![])
    );
    assert_eq!(presence(&room, 2), Presence::Gone);
    assert_eq!(room.next_deadline(), None);
}

#[test]
fn leaving_or_removal_clears_the_deadline() {
    let mut room = meetup();
    disconnect_at(&mut room, 2, NOW).expect("Bo disconnects");
    disconnect_at(&mut room, 3, NOW).expect("Chen disconnects");
    run(&mut room, who(2), Command::Leave).expect("Bo leaves");
    run(&mut room, who(ADA), Command::Remove { participant: id(3) }).expect("Chen removed");
    for n in [2, 3] {
        assert_eq!(gone_at(&room, n), None);
    }
    assert_eq!(room.next_deadline(), None);
    assert_eq!(tick_at(&mut room, NOW.plus_millis(GRACE)), []);
}

#[test]
fn away_by_choice_never_turns_gone() {
    let mut room = meetup();
    let hidden = Command::SetPresence {
        presence: ReportedPresence::Away,
    };
    run(&mut room, who(2), hidden).expect("Bo hides the tab");
    assert_eq!(gone_at(&room, 2), None);
    assert_eq!(room.next_deadline(), None);
    assert_eq!(tick_at(&mut room, NOW.plus_millis(10 * GRACE)), []);
    assert_eq!(presence(&room, 2), Presence::Away);
    // Away already, then the connection closes: now the grace period runs,
    // though the presence shown stays the same.
    let events = disconnect_at(&mut room, 2, NOW.plus_millis(10 * GRACE)).expect("Bo drops");
    assert_eq!(
        events,
        [Event::ParticipantDisconnected {
            participant: id(2),
            gone_at: NOW.plus_millis(11 * GRACE),
        }]
    );
}

#[test]
fn an_ended_meetup_still_follows_connections() {
    let mut room = meetup();
    run(&mut room, who(ADA), Command::EndMeetup).expect("ended");
    disconnect_at(&mut room, 2, NOW).expect("Bo disconnects");
    assert_eq!(tick_at(&mut room, NOW.plus_millis(GRACE)).len(), 1);
    assert_eq!(presence(&room, 2), Presence::Gone);
    run(
        &mut room,
        Actor::System,
        Command::MarkConnected {
            participant: id(2),
            reclaim_ms: FACILITATOR_RECLAIM_MILLIS,
        },
    )
    .expect("Bo comes back to read the record");
    assert_eq!(presence(&room, 2), Presence::Here);
}

#[test]
fn only_a_disconnected_participant_waits_to_turn_gone() {
    let mut room = meetup();
    assert_eq!(room.check_invariants(), Ok(()));
    let bo = room
        .participants
        .iter_mut()
        .find(|participant| participant.id == id(2))
        .expect("listed");
    // Here, yet on a deadline: no sequence of events leads there.
    bo.gone_at = Some(NOW);
    assert!(room.check_invariants().is_err());
}

// --- Names ---

#[test]
fn participants_rename_themselves() {
    let mut room = meetup();
    assert_eq!(
        run(&mut room, who(2), Command::Rename { name: name("Bo L") }),
        Ok(vec![Event::ParticipantRenamed {
            participant: id(2),
            name: name("Bo L"),
        }])
    );
    no_op(&mut room, who(2), Command::Rename { name: name("Bo L") });
    // Your own name in another case is yours.
    run(&mut room, who(2), Command::Rename { name: name("BO L") }).expect("renamed");
    assert_eq!(room.participant(id(2)).expect("listed").name, name("BO L"));
}

#[test]
fn a_rename_to_a_taken_name_is_refused_ignoring_case() {
    let mut room = meetup();
    refused(
        &mut room,
        who(2),
        Command::Rename { name: name("chen") },
        Rejection::NameTaken,
    );
    refused(
        &mut room,
        who(2),
        Command::Rename { name: name("ADA") },
        Rejection::NameTaken,
    );
}

// --- Lock and seat cap ---

#[test]
fn facilitators_lock_and_unlock() {
    let mut room = meetup();
    refused(
        &mut room,
        who(2),
        Command::Lock,
        Rejection::FacilitatorsOnly,
    );
    assert_eq!(
        run(&mut room, who(4), Command::Lock),
        Ok(vec![Event::LockChanged { locked: true }])
    );
    assert!(room.locked);
    no_op(&mut room, who(ADA), Command::Lock);
    run(&mut room, Actor::System, Command::Unlock).expect("unlocked");
    assert!(!room.locked);
    no_op(&mut room, who(4), Command::Unlock);
}

#[test]
fn facilitators_set_the_seat_cap_within_range() {
    let mut room = meetup();
    refused(
        &mut room,
        who(2),
        Command::SetSeatCap { seat_cap: 8 },
        Rejection::FacilitatorsOnly,
    );
    let out_of_range = Rejection::SeatCapOutOfRange { min: 4, max: 64 };
    for seat_cap in [0, 3, 65, u16::MAX] {
        refused(
            &mut room,
            who(ADA),
            Command::SetSeatCap { seat_cap },
            out_of_range.clone(),
        );
    }
    assert_eq!(
        run(&mut room, who(4), Command::SetSeatCap { seat_cap: 4 }),
        Ok(vec![Event::SeatCapChanged { seat_cap: 4 }])
    );
    no_op(&mut room, who(ADA), Command::SetSeatCap { seat_cap: 4 });
    run(&mut room, who(ADA), Command::SetSeatCap { seat_cap: 64 }).expect("the maximum");
}

#[test]
fn the_seat_cap_is_at_least_one() {
    let mut room = opened();
    refused(
        &mut room,
        who(ADA),
        Command::SetSeatCap { seat_cap: 0 },
        Rejection::SeatCapOutOfRange { min: 1, max: 64 },
    );
    run(&mut room, who(ADA), Command::SetSeatCap { seat_cap: 1 }).expect("one seat");
}

// --- Removal ---

#[test]
fn the_facilitator_removes_participants_and_co_facilitators() {
    let mut room = meetup();
    assert_eq!(
        run(&mut room, who(ADA), Command::Remove { participant: id(2) }),
        Ok(vec![Event::ParticipantRemoved { participant: id(2) }])
    );
    run(&mut room, who(ADA), Command::Remove { participant: id(4) }).expect("removed");
    assert_eq!(
        standing(&room, 4),
        (Role::Participant, Presence::Gone, Membership::Removed)
    );
}

#[test]
fn a_co_facilitator_removes_participants_but_not_co_facilitators() {
    let mut room = meetup();
    run(
        &mut room,
        who(ADA),
        Command::AddCoFacilitator { participant: id(3) },
    )
    .expect("Chen appointed");
    refused(
        &mut room,
        who(4),
        Command::Remove { participant: id(3) },
        Rejection::FacilitatorOnly,
    );
    run(&mut room, who(4), Command::Remove { participant: id(2) }).expect("Bo removed");
    assert_eq!(membership(&room, 2), Membership::Removed);
}

#[test]
fn participants_remove_nobody() {
    let mut room = meetup();
    refused(
        &mut room,
        who(2),
        Command::Remove { participant: id(3) },
        Rejection::FacilitatorsOnly,
    );
}

#[test]
fn nobody_removes_the_facilitator() {
    let mut room = meetup();
    for actor in [who(4), Actor::System] {
        refused(
            &mut room,
            actor,
            Command::Remove {
                participant: id(ADA),
            },
            Rejection::HandOverFirst,
        );
    }
    refused(
        &mut room,
        who(ADA),
        Command::Remove {
            participant: id(ADA),
        },
        Rejection::NotOnYourself,
    );
    refused(
        &mut room,
        who(4),
        Command::Remove { participant: id(4) },
        Rejection::NotOnYourself,
    );
}

#[test]
fn removal_targets_active_participants() {
    let mut room = meetup();
    run(&mut room, who(2), Command::Leave).expect("Bo leaves");
    for target in [2, 9] {
        refused(
            &mut room,
            who(ADA),
            Command::Remove {
                participant: id(target),
            },
            Rejection::UnknownParticipant,
        );
    }
}

#[test]
fn the_server_may_remove_a_co_facilitator() {
    let mut room = meetup();
    run(
        &mut room,
        Actor::System,
        Command::Remove { participant: id(4) },
    )
    .expect("removed");
    assert_eq!(membership(&room, 4), Membership::Removed);
}

// --- Roles ---

#[test]
fn handing_over_moves_the_facilitator_role() {
    let mut room = meetup();
    assert_eq!(
        run(&mut room, who(ADA), Command::HandOver { to: id(2) }),
        Ok(vec![Event::FacilitatorHandedOver {
            from: id(ADA),
            to: id(2),
        }])
    );
    assert_eq!(role(&room, ADA), Role::Participant);
    assert_eq!(role(&room, 2), Role::Facilitator);
    assert_eq!(room.facilitator().map(|p| p.id), Some(id(2)));
    // The previous facilitator is a participant now: they may leave, and may
    // not hand over again.
    refused(
        &mut room,
        who(ADA),
        Command::HandOver { to: id(3) },
        Rejection::FacilitatorOnly,
    );
    run(&mut room, who(ADA), Command::Leave).expect("Ada may leave now");
}

#[test]
fn handing_over_to_a_co_facilitator_makes_them_the_facilitator() {
    let mut room = meetup();
    run(&mut room, who(ADA), Command::HandOver { to: id(4) }).expect("handed over");
    assert_eq!(role(&room, 4), Role::Facilitator);
    assert_eq!(role(&room, ADA), Role::Participant);
}

#[test]
fn only_the_facilitator_hands_over_to_someone_active() {
    let mut room = meetup();
    refused(
        &mut room,
        who(4),
        Command::HandOver { to: id(4) },
        Rejection::FacilitatorOnly,
    );
    refused(
        &mut room,
        who(2),
        Command::HandOver { to: id(2) },
        Rejection::FacilitatorOnly,
    );
    refused(
        &mut room,
        who(ADA),
        Command::HandOver { to: id(ADA) },
        Rejection::NotOnYourself,
    );
    refused(
        &mut room,
        who(ADA),
        Command::HandOver { to: id(9) },
        Rejection::UnknownParticipant,
    );
    run(&mut room, who(3), Command::Leave).expect("Chen leaves");
    refused(
        &mut room,
        who(ADA),
        Command::HandOver { to: id(3) },
        Rejection::UnknownParticipant,
    );
    run(&mut room, Actor::System, Command::HandOver { to: id(2) }).expect("the server may");
    assert_eq!(role(&room, 2), Role::Facilitator);
}

#[test]
fn the_facilitator_appoints_and_revokes_co_facilitators() {
    let mut room = meetup();
    assert_eq!(
        run(
            &mut room,
            who(ADA),
            Command::AddCoFacilitator { participant: id(2) }
        ),
        Ok(vec![Event::CoFacilitatorAdded { participant: id(2) }])
    );
    assert_eq!(role(&room, 2), Role::CoFacilitator);
    assert_eq!(
        run(
            &mut room,
            who(ADA),
            Command::RemoveCoFacilitator { participant: id(2) }
        ),
        Ok(vec![Event::CoFacilitatorRemoved { participant: id(2) }])
    );
    assert_eq!(role(&room, 2), Role::Participant);
}

#[test]
fn co_facilitator_roles_are_the_facilitators_to_give() {
    let mut room = meetup();
    for actor in [who(4), who(2)] {
        refused(
            &mut room,
            actor,
            Command::AddCoFacilitator { participant: id(3) },
            Rejection::FacilitatorOnly,
        );
        refused(
            &mut room,
            actor,
            Command::RemoveCoFacilitator { participant: id(4) },
            Rejection::FacilitatorOnly,
        );
    }
}

#[test]
fn role_changes_need_the_right_starting_role() {
    let mut room = meetup();
    for target in [4, ADA] {
        refused(
            &mut room,
            who(ADA),
            Command::AddCoFacilitator {
                participant: id(target),
            },
            Rejection::AlreadyInRole,
        );
    }
    for target in [2, ADA] {
        refused(
            &mut room,
            who(ADA),
            Command::RemoveCoFacilitator {
                participant: id(target),
            },
            Rejection::AlreadyInRole,
        );
    }
    refused(
        &mut room,
        who(ADA),
        Command::AddCoFacilitator { participant: id(9) },
        Rejection::UnknownParticipant,
    );
}

// --- What browsers see ---

#[test]
fn for_clients_strips_credential_digests() {
    let mut room = meetup();
    assert!(room.participants.iter().all(|p| p.credential.is_some()));
    let public = room.for_clients();
    assert!(public.participants.iter().all(|p| p.credential.is_none()));
    let json = serde_json::to_string(&public).expect("serialises");
    assert!(!json.contains("digest-"), "{json}");

    let joined = join(&mut room, 5, "Eve").expect("admitted").remove(0);
    let Cow::Owned(stripped) = joined.for_clients() else {
        panic!("a joined event with a digest must be copied without it")
    };
    assert_eq!(
        stripped,
        Event::ParticipantJoined {
            participant: id(5),
            name: name("Eve"),
            credential: None,
        }
    );
    let opening = ada_opens("Retro").event();
    let json = serde_json::to_string(opening.for_clients().as_ref()).expect("serialises");
    assert!(!json.contains("credential"), "{json}");
}

#[test]
fn for_clients_borrows_events_without_secrets() {
    let event = Event::ParticipantLeft { participant: id(2) };
    assert!(matches!(event.for_clients(), Cow::Borrowed(_)));
    let stripped = Event::ParticipantJoined {
        participant: id(2),
        name: name("Bo"),
        credential: None,
    };
    assert!(matches!(stripped.for_clients(), Cow::Borrowed(_)));
}

#[test]
fn a_browser_folding_public_events_matches_the_server() {
    let opening = ada_opens("Retro").event();
    let mut server = Room::opened(&opening, NOW).expect("opened");
    let mut browser = Room::opened(&opening.for_clients(), NOW).expect("opened");
    let script = [
        (
            Actor::System,
            Command::Join {
                participant: id(2),
                name: name("Bo"),
                credential: digest(2),
            },
        ),
        (who(ADA), Command::AddCoFacilitator { participant: id(2) }),
        (who(2), Command::Leave),
        (
            Actor::System,
            Command::Rejoin {
                participant: id(2),
                credential: digest(2),
                name: None,
            },
        ),
    ];
    for (actor, command) in script {
        for event in server.apply(actor, command, NOW).expect("accepted") {
            server.on_event(&event);
            browser.on_event(&event.for_clients());
        }
        assert_eq!(browser, server.for_clients());
    }
}
