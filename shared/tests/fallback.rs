//! Facilitator fallback: a stand-in takes the role from a silent
//! facilitator, the owner takes it back when they return, and the setting
//! that governs it. Examples first, then a property over random
//! connections, hand-overs, removals and ticks.

mod common;

use common::{NOW, id, meetup_all_here, run, run_at, who};
use moot_shared::limits::{FACILITATOR_FALLBACK_MILLIS, FACILITATOR_RECLAIM_MILLIS};
use moot_shared::room::{FallbackMode, Membership, Role, StandIn};
use moot_shared::{Actor, Command, Event, ParticipantId, Rejection, Room, Timestamp};
use proptest::prelude::*;

const FALLBACK: u64 = FACILITATOR_FALLBACK_MILLIS;
const RECLAIM: u64 = FACILITATOR_RECLAIM_MILLIS;

fn connect(n: u128) -> Command {
    Command::MarkConnected {
        participant: id(n),
        reclaim_ms: RECLAIM,
    }
}

fn disconnect(n: u128) -> Command {
    Command::MarkDisconnected {
        participant: id(n),
        grace_ms: 60_000,
        fallback_ms: FALLBACK,
    }
}

fn at(millis: u64) -> Timestamp {
    NOW.plus_millis(millis)
}

fn role(room: &Room, n: u128) -> Role {
    room.participant(id(n)).expect("listed").role
}

fn facilitator(room: &Room) -> ParticipantId {
    room.facilitator().expect("someone facilitates").id
}

/// Fran (1) facilitates; P2, P3 and P4 are here; P3 co-facilitates.
fn meetup_with_a_co_facilitator() -> Room {
    let mut room = meetup_all_here("Fallback", 4);
    run(
        &mut room,
        who(1),
        Command::AddCoFacilitator { participant: id(3) },
    )
    .expect("Fran appoints P3");
    room
}

#[test]
fn a_co_facilitator_stands_in_after_the_silence_and_the_owner_takes_the_role_back() {
    let mut room = meetup_with_a_co_facilitator();
    let events = run_at(&mut room, Actor::System, disconnect(1), at(1_000)).expect("closes");
    assert_eq!(
        events.last(),
        Some(&Event::FallbackScheduled {
            at: at(1_000 + FALLBACK)
        })
    );
    assert_eq!(room.next_deadline(), Some(at(1_000 + FALLBACK)));

    // A moment before: nothing yet.
    let early = run_at(&mut room, Actor::System, Command::Tick, at(FALLBACK)).expect("tick");
    assert_eq!(early, []);
    assert_eq!(facilitator(&room), id(1));

    // P2 is a plain participant connected as long as P3: the co-facilitator goes first.
    let events = run_at(
        &mut room,
        Actor::System,
        Command::Tick,
        at(1_000 + FALLBACK),
    )
    .expect("tick");
    assert_eq!(
        events,
        [Event::FacilitatorStoodIn {
            absent: id(1),
            by: id(3)
        }]
    );
    assert_eq!(facilitator(&room), id(3));
    assert_eq!(role(&room, 1), Role::CoFacilitator);
    assert_eq!(
        room.fallback.stand_in,
        Some(StandIn {
            owner: id(1),
            by: id(3),
            by_was: Role::CoFacilitator,
            reclaim_at: None
        })
    );
    // The stand-in runs the meetup: the next topic, a poll, a lock.
    run_at(&mut room, who(3), Command::Lock, at(40_000)).expect("P3 runs the meetup");

    // Fran's laptop comes back, but drops again within the reclaim period:
    // the role stays with P3.
    let back = run_at(&mut room, Actor::System, connect(1), at(50_000)).expect("back");
    assert_eq!(
        back.last(),
        Some(&Event::FacilitatorReturning {
            reclaim_at: at(50_000 + RECLAIM)
        })
    );
    run_at(&mut room, Actor::System, disconnect(1), at(52_000)).expect("gone again");
    assert_eq!(room.fallback.stand_in.as_ref().unwrap().reclaim_at, None);
    assert_eq!(
        run_at(&mut room, Actor::System, Command::Tick, at(60_000)).expect("tick"),
        []
    );
    assert_eq!(facilitator(&room), id(3));

    // Back for good: after the reclaim period the role goes back, once.
    run_at(&mut room, Actor::System, connect(1), at(70_000)).expect("back");
    assert_eq!(room.next_deadline(), Some(at(70_000 + RECLAIM)));
    let events = run_at(
        &mut room,
        Actor::System,
        Command::Tick,
        at(70_000 + RECLAIM),
    )
    .expect("tick");
    assert_eq!(
        events,
        [Event::FacilitatorReclaimed {
            owner: id(1),
            from: id(3)
        }]
    );
    assert_eq!(facilitator(&room), id(1));
    assert_eq!(role(&room, 3), Role::CoFacilitator);
    assert_eq!(room.fallback.stand_in, None);
    assert_eq!(room.next_deadline(), None);
    assert_eq!(
        run_at(&mut room, Actor::System, Command::Tick, at(90_000)).expect("tick"),
        []
    );
}

#[test]
fn without_a_co_facilitator_the_member_connected_longest_stands_in() {
    let mut room = meetup_all_here("Fallback", 4);
    // P2 joined first but reconnected last: P3 has been connected longest.
    run(&mut room, Actor::System, disconnect(2)).expect("P2 drops");
    run(&mut room, Actor::System, connect(2)).expect("P2 is back");
    run_at(&mut room, Actor::System, disconnect(1), at(0)).expect("Fran drops");
    let events = run_at(&mut room, Actor::System, Command::Tick, at(FALLBACK)).expect("tick");
    assert_eq!(
        events,
        [Event::FacilitatorStoodIn {
            absent: id(1),
            by: id(3)
        }]
    );
    assert_eq!(role(&room, 3), Role::Facilitator);
}

#[test]
fn co_facilitators_only_waits_without_one_and_off_never_schedules() {
    let mut room = meetup_all_here("Fallback", 3);
    run(
        &mut room,
        who(1),
        Command::SetFallback {
            mode: FallbackMode::CoFacilitatorsOnly,
        },
    )
    .expect("Fran chooses");
    run(&mut room, Actor::System, disconnect(1)).expect("Fran drops");
    // Due, but nobody may take it: no deadline to wake for, no stand-in.
    assert_eq!(
        room.next_deadline(),
        Some(at(60_000)),
        "only P-gone deadlines"
    );
    assert_eq!(
        run_at(&mut room, Actor::System, Command::Tick, at(FALLBACK)).expect("tick"),
        []
    );
    assert_eq!(facilitator(&room), id(1));

    let mut room = meetup_all_here("Fallback", 3);
    run(
        &mut room,
        who(1),
        Command::SetFallback {
            mode: FallbackMode::Off,
        },
    )
    .expect("Fran chooses");
    let events = run(&mut room, Actor::System, disconnect(1)).expect("Fran drops");
    assert!(
        !events
            .iter()
            .any(|event| matches!(event, Event::FallbackScheduled { .. }))
    );
}

#[test]
fn a_stand_ins_hand_over_keeps_the_owner_and_the_owner_gets_it_back_from_whoever_holds_it() {
    let mut room = meetup_with_a_co_facilitator();
    run(&mut room, Actor::System, disconnect(1)).expect("Fran drops");
    run_at(&mut room, Actor::System, Command::Tick, at(FALLBACK)).expect("P3 stands in");
    run_at(
        &mut room,
        who(3),
        Command::HandOver { to: id(4) },
        at(FALLBACK + 1),
    )
    .expect("P3 hands on");
    assert_eq!(facilitator(&room), id(4));
    assert_eq!(
        role(&room, 3),
        Role::CoFacilitator,
        "back to their own role"
    );
    let stand_in = room.fallback.stand_in.clone().expect("still a fallback");
    assert_eq!((stand_in.owner, stand_in.by), (id(1), id(4)));

    run_at(&mut room, Actor::System, connect(1), at(100_000)).expect("Fran is back");
    run_at(
        &mut room,
        Actor::System,
        Command::Tick,
        at(100_000 + RECLAIM),
    )
    .expect("tick");
    assert_eq!(facilitator(&room), id(1));
    assert_eq!(role(&room, 4), Role::Participant);
    assert_eq!(role(&room, 3), Role::CoFacilitator);
}

#[test]
fn the_owner_cannot_be_removed_or_demoted_by_a_stand_in() {
    let mut room = meetup_with_a_co_facilitator();
    run(&mut room, Actor::System, disconnect(1)).expect("Fran drops");
    run_at(&mut room, Actor::System, Command::Tick, at(FALLBACK)).expect("P3 stands in");
    for command in [
        Command::Remove { participant: id(1) },
        Command::RemoveCoFacilitator { participant: id(1) },
    ] {
        let before = room.clone();
        assert_eq!(
            run(&mut room, who(3), command),
            Err(Rejection::StandingInForOwner)
        );
        assert_eq!(room, before);
    }
}

#[test]
fn only_the_facilitator_sets_the_fallback() {
    let mut room = meetup_with_a_co_facilitator();
    let set = Command::SetFallback {
        mode: FallbackMode::Off,
    };
    assert_eq!(
        run(&mut room, who(2), set.clone()),
        Err(Rejection::FacilitatorOnly)
    );
    assert_eq!(
        run(&mut room, who(3), set.clone()),
        Err(Rejection::FacilitatorOnly)
    );
    assert_eq!(
        run(&mut room, who(1), set.clone()),
        Ok(vec![Event::FallbackSet {
            mode: FallbackMode::Off
        }])
    );
    assert_eq!(run(&mut room, who(1), set), Ok(vec![]));
}

#[test]
fn handing_the_role_to_someone_not_connected_schedules_the_fallback() {
    let mut room = meetup_all_here("Fallback", 3);
    run(&mut room, Actor::System, disconnect(2)).expect("P2 drops");
    let events = run_at(&mut room, who(1), Command::HandOver { to: id(2) }, at(5)).expect("hand");
    assert_eq!(
        events.last(),
        Some(&Event::FallbackScheduled {
            at: at(5 + FALLBACK)
        })
    );
    run_at(&mut room, Actor::System, Command::Tick, at(5 + FALLBACK)).expect("tick");
    // P3, connected longest (since before Fran's laptop connected), takes it.
    assert_eq!(facilitator(&room), id(3));
    assert_eq!(
        room.fallback.stand_in.as_ref().map(|s| s.owner),
        Some(id(2))
    );
}

#[test]
fn an_ended_meetup_falls_back_to_nobody() {
    let mut room = meetup_all_here("Fallback", 3);
    run(&mut room, who(1), Command::EndMeetup).expect("ended");
    let events = run(&mut room, Actor::System, disconnect(1)).expect("closes");
    assert!(
        !events
            .iter()
            .any(|event| matches!(event, Event::FallbackScheduled { .. }))
    );
    run_at(&mut room, Actor::System, Command::Tick, at(FALLBACK)).expect("tick");
    assert_eq!(facilitator(&room), id(1));
}

/// What the property does next.
#[derive(Clone, Debug)]
enum Step {
    Connect(u128),
    Disconnect(u128),
    Tick,
    /// Whoever facilitates hands the role to `n`.
    HandOver(u128),
    /// Whoever facilitates appoints `n` co-facilitator.
    Appoint(u128),
    /// Whoever facilitates removes `n`.
    Remove(u128),
    Mode(FallbackMode),
}

const PEOPLE: u128 = 5;

fn step() -> impl Strategy<Value = Step> {
    let person = || 1..=PEOPLE;
    prop_oneof![
        4 => person().prop_map(Step::Connect),
        4 => person().prop_map(Step::Disconnect),
        4 => Just(Step::Tick),
        1 => person().prop_map(Step::HandOver),
        1 => person().prop_map(Step::Appoint),
        1 => person().prop_map(Step::Remove),
        1 => prop::sample::select(FallbackMode::ALL.to_vec()).prop_map(Step::Mode),
    ]
}

fn later() -> impl Strategy<Value = u64> {
    prop_oneof![
        2 => Just(0u64),
        2 => 1..RECLAIM + 1,
        2 => FALLBACK - 1..=FALLBACK + 1,
        1 => 1..3 * FALLBACK,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Random connections, hand-overs, removals, settings and ticks: the
    /// role only ever goes to someone in the meetup and connected; in
    /// automatic mode a facilitator silent for the fallback period never
    /// stays in the role after a tick while anyone else is connected; an
    /// owner back and connected for the reclaim period has the role after
    /// a tick; and each fallback ends in at most one reclaim.
    #[test]
    fn prop_fallback_keeps_someone_running_the_meetup(
        steps in prop::collection::vec((step(), later()), 0..60),
    ) {
        let mut room = meetup_all_here("Props", PEOPLE);
        let mut now = NOW;
        // When each person's current connection began or ended, as the server told the room.
        let mut connected_since: [Option<Timestamp>; PEOPLE as usize + 1] = [Some(NOW); PEOPLE as usize + 1];
        let mut silent_since: [Option<Timestamp>; PEOPLE as usize + 1] = [None; PEOPLE as usize + 1];
        let mut holder = facilitator(&room);
        let mut holding_since = NOW;
        let mut reclaims_this_fallback = 0;
        for (step, later) in steps {
            now = now.plus_millis(later);
            let running = facilitator(&room);
            let runner = Actor::Participant(running);
            // Commands come over a connection: a silent facilitator sends none.
            let runner_silent = connected_since[running.0.as_u128() as usize].is_none();
            if runner_silent && !matches!(step, Step::Connect(_) | Step::Disconnect(_) | Step::Tick) {
                continue;
            }
            let (actor, command) = match step {
                Step::Connect(n) => (Actor::System, connect(n)),
                Step::Disconnect(n) => (Actor::System, disconnect(n)),
                Step::Tick => (Actor::System, Command::Tick),
                Step::HandOver(n) => (runner, Command::HandOver { to: id(n) }),
                Step::Appoint(n) => (runner, Command::AddCoFacilitator { participant: id(n) }),
                Step::Remove(n) => (runner, Command::Remove { participant: id(n) }),
                Step::Mode(mode) => (runner, Command::SetFallback { mode }),
            };
            let Ok(events) = run_at(&mut room, actor, command, now) else { continue };
            for event in &events {
                match event {
                    Event::PresenceChanged { participant, presence } => {
                        let n = participant.0.as_u128() as usize;
                        if *presence != moot_shared::room::Presence::Gone && connected_since[n].is_none() {
                            connected_since[n] = Some(now);
                            silent_since[n] = None;
                        }
                    }
                    Event::ParticipantDisconnected { participant, .. } => {
                        let n = participant.0.as_u128() as usize;
                        connected_since[n] = None;
                        silent_since[n] = Some(now);
                    }
                    Event::ParticipantRemoved { participant } => {
                        let n = participant.0.as_u128() as usize;
                        connected_since[n] = None;
                        silent_since[n] = None;
                    }
                    Event::FacilitatorStoodIn { by, .. } => {
                        let n = by.0.as_u128() as usize;
                        let person = room.participant(*by).expect("listed");
                        prop_assert_eq!(person.membership, Membership::Active);
                        prop_assert!(connected_since[n].is_some(), "the stand-in is connected");
                        reclaims_this_fallback = 0;
                    }
                    Event::FacilitatorReclaimed { .. } => {
                        reclaims_this_fallback += 1;
                        prop_assert_eq!(reclaims_this_fallback, 1, "one reclaim per fallback");
                    }
                    _ => {}
                }
            }
            if facilitator(&room) != holder {
                holder = facilitator(&room);
                holding_since = now;
            }
            if !matches!(step, Step::Tick) {
                continue;
            }
            // After a tick, nothing that has run out is left pending.
            prop_assert!(room.next_deadline().is_none_or(|next| next > now));
            let n = holder.0.as_u128() as usize;
            let others_connected = (1..=PEOPLE).any(|other| {
                id(other) != holder
                    && connected_since[other as usize].is_some()
                    && room.participant(id(other)).is_some_and(|p| p.membership == Membership::Active)
            });
            if room.fallback.mode == FallbackMode::Automatic
                && others_connected
                && let Some(silent) = silent_since[n]
            {
                let due = silent.max(holding_since).plus_millis(FALLBACK);
                prop_assert!(due > now, "{holder} silent since {silent:?} still holds the role at {now:?}");
            }
            if let Some(stand_in) = &room.fallback.stand_in {
                let owner = stand_in.owner.0.as_u128() as usize;
                if let Some(since) = connected_since[owner] {
                    prop_assert!(since.plus_millis(RECLAIM) > now, "the returned owner waits no longer than the reclaim period");
                }
            }
        }
    }
}
