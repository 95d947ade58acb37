//! Breakouts (issue 14) through the public reducer API: the shipped formats
//! (troika consulting, 1-2-4-All, impromptu networking, work buddies) run by
//! Next and by the server's tick; groups kept and rotated within a meetup
//! and across a series; people coming and going; each group's notes private
//! to it until shared; every bad input refused with its reason; and the
//! same seed and events giving the same room.

mod common;

use std::collections::BTreeSet;

use common::{
    NOW, Opening, breakout_spec, id, join, meetup_all_here, numbered_joins, open, run, run_at, who,
};
use moot_shared::room::agenda::{Format, PhaseId, PhaseKind, PhaseState};
use moot_shared::room::breakout::{
    Breakout, BreakoutScript, Forming, GroupNoteId, GroupNumber, GroupRole, GroupRule,
};
use moot_shared::room::lifecycle::carry_over;
use moot_shared::room::queue::RoundKind;
use moot_shared::room::{CredentialDigest, Viewer};
use moot_shared::text::GroupNoteText;
use moot_shared::{
    Actor, Command, DisplayName, Event, ParticipantId, Rejection, Room, TextProblem, Timestamp,
};

const FRAN: u128 = 1;

/// `minutes` after [`NOW`].
fn at_minute(minutes: u64) -> Timestamp {
    NOW.plus_millis(minutes * 60_000)
}

/// A meetup of `last` people, everyone here, with `format`'s agenda.
fn meetup(format: Format, last: u128) -> Room {
    let mut room = meetup_all_here("Guild", last);
    run(&mut room, who(FRAN), Command::SetAgenda { format }).expect("the agenda is set");
    room
}

/// Next from the current phase at `now`, drawing `seed`.
fn next_at(room: &mut Room, seed: u64, now: Timestamp) -> Vec<Event> {
    let from = room.agenda.current().map(|phase| phase.id);
    run_at(room, who(FRAN), Command::NextPhase { from, seed }, now).expect("moves on")
}

/// Next until the current phase is a breakout, at `now`.
fn next_to_breakout(room: &mut Room, seed: u64, now: Timestamp) -> Vec<Event> {
    loop {
        let events = next_at(room, seed, now);
        if matches!(
            room.agenda.current().map(|phase| phase.spec.kind),
            Some(PhaseKind::Breakout { .. })
        ) {
            return events;
        }
    }
}

/// The server's tick at `now`.
fn tick(room: &mut Room, now: Timestamp) -> Vec<Event> {
    run_at(room, Actor::System, Command::Tick, now).expect("a tick is never refused")
}

/// The breakout running now.
fn current(room: &Room) -> &Breakout {
    room.breakouts.current().expect("a breakout runs")
}

/// The members of each group of the running breakout.
fn groups(room: &Room) -> Vec<Vec<ParticipantId>> {
    current(room)
        .groups
        .iter()
        .map(|group| group.members.clone())
        .collect()
}

/// Every two people who share a group, the smaller id first.
fn pairs_in(groups: &[Vec<ParticipantId>]) -> BTreeSet<(ParticipantId, ParticipantId)> {
    let mut pairs = BTreeSet::new();
    for group in groups {
        for (index, a) in group.iter().enumerate() {
            for b in &group[index + 1..] {
                pairs.insert((*a.min(b), *a.max(b)));
            }
        }
    }
    pairs
}

/// The sizes of the running breakout's non-empty groups, largest first.
fn sizes(room: &Room) -> Vec<usize> {
    let mut sizes: Vec<usize> = groups(room)
        .iter()
        .map(Vec::len)
        .filter(|len| *len > 0)
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes
}

/// The name of participant `participant` in `room`.
fn name_of(room: &Room, participant: ParticipantId) -> DisplayName {
    room.participant(participant)
        .expect("a participant")
        .name
        .clone()
}

/// Groups as sets of names, to compare groups across meetups.
fn by_name(room: &Room, groups: &[Vec<ParticipantId>]) -> BTreeSet<BTreeSet<String>> {
    groups
        .iter()
        .filter(|group| !group.is_empty())
        .map(|group| {
            group
                .iter()
                .map(|member| name_of(room, *member).to_string())
                .collect()
        })
        .collect()
}

/// A meetup of `last` people whose agenda is one breakout phase, entered.
fn in_breakout(last: u128, size: u8, forming: Forming, seed: u64) -> Room {
    let mut room = meetup_all_here("Guild", last);
    run(
        &mut room,
        who(FRAN),
        Command::InsertPhase {
            after: None,
            spec: breakout_spec(size, forming, BreakoutScript::Open, 10),
        },
    )
    .expect("a breakout phase");
    next_at(&mut room, seed, NOW);
    room
}

fn note(text: &str) -> Command {
    Command::AddGroupNote {
        text: GroupNoteText::parse(text).expect("a note"),
    }
}

/// The number of the group `participant` is in now.
fn group_number(room: &Room, participant: u128) -> GroupNumber {
    current(room)
        .group_of(id(participant))
        .expect("in a group")
        .number
}

/// Someone other than `not` in group `group` (by id number).
fn member_of(room: &Room, group: GroupNumber, not: &[u128]) -> u128 {
    current(room)
        .group(group)
        .expect("a group")
        .members
        .iter()
        .map(|member| member.0.as_u128())
        .find(|member| !not.contains(member))
        .expect("someone else in the group")
}

// --- Troika consulting ---

#[test]
fn troika_with_seven_runs_three_rounds_in_a_four_and_a_three_and_calls_everyone_back() {
    let mut room = meetup(Format::Troika, 7);
    // The silent minute, then the troikas.
    next_at(&mut room, 3, NOW);
    assert_eq!(room.agenda.current().unwrap().spec.kind, PhaseKind::Silent);
    let start = at_minute(1);
    let events = next_at(&mut room, 3, start);
    assert!(
        events
            .iter()
            .any(|event| matches!(event, Event::BreakoutStarted { .. })),
        "entering the phase starts the breakout: {events:?}"
    );
    let breakout = current(&room).clone();
    assert_eq!(breakout.script, BreakoutScript::Troika);
    assert_eq!(breakout.planned_secs, 30 * 60);
    assert_eq!(sizes(&room), [4, 3]);
    let everyone: BTreeSet<ParticipantId> = groups(&room).into_iter().flatten().collect();
    assert_eq!(
        everyone,
        (1..=7).map(id).collect(),
        "everyone is in a group"
    );
    assert_eq!((breakout.step.round, breakout.step.step), (0, 0));
    assert_eq!(breakout.step.started_at, start);

    // Liberating Structures' published timings, per round, in minutes.
    let published = [2u64, 2, 5, 1];
    let mut clients: Vec<Vec<ParticipantId>> = vec![Vec::new(); breakout.groups.len()];
    let mut step_start = start;
    for round in 0..3u8 {
        for (step, minutes) in published.iter().enumerate() {
            let step = step as u8;
            let running = current(&room).clone();
            assert_eq!((running.step.round, running.step.step), (round, step));
            assert_eq!(running.step.started_at, step_start);
            let ends_at = step_start.plus_millis(minutes * 60_000);
            assert_eq!(
                running.step.ends_at,
                Some(ends_at),
                "round {round} step {step}"
            );
            assert_eq!(room.next_deadline(), Some(ends_at));

            // Each group has one client a round, who only listens while
            // the consultants advise.
            for (index, group) in running.groups.iter().enumerate() {
                let roles: Vec<Option<GroupRole>> = group
                    .members
                    .iter()
                    .map(|member| running.role_of(*member))
                    .collect();
                let client: Vec<ParticipantId> = group
                    .members
                    .iter()
                    .zip(&roles)
                    .filter(|(_, role)| **role == Some(GroupRole::Client))
                    .map(|(member, _)| *member)
                    .collect();
                assert_eq!(client.len(), 1, "one client in {roles:?}");
                assert!(
                    roles.iter().all(|role| matches!(
                        role,
                        Some(GroupRole::Client | GroupRole::Consultant)
                    ))
                );
                if step == 0 {
                    clients[index].push(client[0]);
                } else {
                    assert_eq!(
                        clients[index].last(),
                        Some(&client[0]),
                        "the client holds for the round"
                    );
                }
                assert_eq!(
                    running.script.listens(step, running.role_of(client[0])),
                    step == 2,
                    "the client listens in the advice step only"
                );
            }

            // A tick a moment early changes nothing; at the step's end it
            // moves every group on at once.
            let early = tick(&mut room, Timestamp(ends_at.0 - 1));
            assert!(
                !early.iter().any(|event| matches!(
                    event,
                    Event::BreakoutStepStarted { .. } | Event::BreakoutClosing { .. }
                )),
                "{early:?}"
            );
            let events = tick(&mut room, ends_at);
            let last = round == 2 && step == 3;
            if last {
                assert!(
                    events.iter().any(|event| matches!(
                        event,
                        Event::BreakoutClosing { at, .. } if *at == ends_at.plus_millis(30_000)
                    )),
                    "after the last step everyone is called back in 30 s: {events:?}"
                );
            } else {
                let (next_round, next_step) = if step == 3 {
                    (round + 1, 0)
                } else {
                    (round, step + 1)
                };
                assert!(
                    events.iter().any(|event| matches!(
                        event,
                        Event::BreakoutStepStarted { round, step, at, .. }
                            if (*round, *step, *at) == (next_round, next_step, ends_at)
                    )),
                    "{events:?}"
                );
            }
            step_start = ends_at;
        }
    }
    // Three rounds, three different clients in each group; in the four,
    // one person consults throughout.
    for (index, clients) in clients.iter().enumerate() {
        let distinct: BTreeSet<_> = clients.iter().collect();
        assert_eq!(distinct.len(), 3, "{clients:?}");
        assert!(
            clients
                .iter()
                .all(|client| breakout.groups[index].members.contains(client))
        );
    }
    assert_eq!(step_start, at_minute(31), "the steps fill the 30 minutes");

    // The countdown back, then the end.
    let closing = step_start.plus_millis(30_000);
    assert_eq!(current(&room).closing_at, Some(closing));
    assert_eq!(room.next_deadline(), Some(closing));
    let early = tick(&mut room, Timestamp(closing.0 - 1));
    assert!(room.breakouts.current().is_some(), "{early:?}");
    let events = tick(&mut room, closing);
    assert!(
        events.iter().any(|event| matches!(
            event,
            Event::BreakoutEnded { breakout: ended, at } if *ended == breakout.id && *at == closing
        )),
        "{events:?}"
    );
    assert!(room.breakouts.current().is_none());
    assert_eq!(room.breakouts.runs[0].ended_at, Some(closing));
    // Who was in a group with whom counts once, by name.
    let met = &room.breakouts.met;
    let together = pairs_in(
        &breakout
            .groups
            .iter()
            .map(|g| g.members.clone())
            .collect::<Vec<_>>(),
    );
    for a in 1..=7u128 {
        for b in a + 1..=7 {
            let expected = u32::from(together.contains(&(id(a), id(b))));
            assert_eq!(
                met.met(&name_of(&room, id(a)), &name_of(&room, id(b))),
                expected,
                "{a} and {b}"
            );
        }
    }
    // The debrief follows; nothing is left to end.
    let events = next_at(&mut room, 3, at_minute(32));
    assert!(
        !events
            .iter()
            .any(|event| matches!(event, Event::BreakoutEnded { .. }))
    );
}

#[test]
fn leaving_the_phase_ends_a_breakout_still_running() {
    let mut room = meetup(Format::Troika, 7);
    next_to_breakout(&mut room, 5, NOW);
    let breakout = current(&room).id;
    // Midway through the first step, Next: everyone comes back at once.
    let now = NOW.plus_millis(50_000);
    let events = next_at(&mut room, 5, now);
    let ended = events
        .iter()
        .position(|event| {
            matches!(event, Event::BreakoutEnded { breakout: b, at } if *b == breakout && *at == now)
        })
        .expect("the breakout ends with its phase");
    let phase_ended = events
        .iter()
        .position(|event| matches!(event, Event::PhaseEnded { .. }))
        .expect("the phase ends");
    assert!(ended < phase_ended, "{events:?}");
    assert!(room.breakouts.current().is_none());
    assert_eq!(room.breakouts.runs.len(), 1);
    assert_ne!(
        room.next_deadline(),
        Some(at_minute(2)),
        "no step to move on"
    );
    let tick_events = tick(&mut room, at_minute(2));
    assert!(
        !tick_events
            .iter()
            .any(|event| matches!(event, Event::BreakoutStepStarted { .. })),
        "{tick_events:?}"
    );
}

// --- 1-2-4-All ---

#[test]
fn one_two_four_all_with_seven_skips_the_fours() {
    let mut room = meetup(Format::OneTwoFourAll, 7);
    next_to_breakout(&mut room, 11, NOW);
    let pairs = current(&room).phase;
    assert_eq!(sizes(&room), [3, 2, 2], "seven in pairs: one trio");
    let fours = room.agenda.next().expect("the fours come next").clone();
    assert!(matches!(
        fours.spec.kind,
        PhaseKind::Breakout {
            size: 4,
            forming: Forming::MergePairs,
            ..
        }
    ));
    let events = next_at(&mut room, 11, at_minute(3));
    assert!(events.iter().any(|event| matches!(
        event,
        Event::PhaseEnded { phase, outcome: PhaseState::Done, .. } if *phase == pairs
    )));
    assert!(
        events.iter().any(|event| matches!(
            event,
            Event::PhaseEnded { phase, outcome: PhaseState::Skipped, .. } if *phase == fours.id
        )),
        "{events:?}"
    );
    assert!(
        !events
            .iter()
            .any(|event| matches!(event, Event::BreakoutStarted { .. }))
    );
    let now = room.agenda.current().expect("all together").clone();
    assert_eq!(
        now.spec.kind,
        PhaseKind::Round {
            round: RoundKind::Custom
        }
    );
    assert_eq!(
        room.agenda.phase(fours.id).unwrap().state,
        PhaseState::Skipped
    );
    assert!(room.breakouts.current().is_none());
    assert_eq!(room.breakouts.runs.len(), 1);
}

#[test]
fn one_two_four_all_with_eight_merges_the_pairs_into_fours() {
    let mut room = meetup(Format::OneTwoFourAll, 8);
    next_to_breakout(&mut room, 12, NOW);
    let pairs = groups(&room);
    assert_eq!(sizes(&room), [2, 2, 2, 2]);
    let events = next_at(&mut room, 12, at_minute(3));
    assert!(
        events
            .iter()
            .any(|event| matches!(event, Event::BreakoutStarted { .. })),
        "{events:?}"
    );
    let fours = groups(&room);
    assert_eq!(sizes(&room), [4, 4]);
    assert_eq!(current(&room).rule, GroupRule::Merged);
    for four in &fours {
        let made_of: Vec<&Vec<ParticipantId>> = pairs
            .iter()
            .filter(|pair| pair.iter().all(|member| four.contains(member)))
            .collect();
        assert_eq!(made_of.len(), 2, "{four:?} is two of {pairs:?}");
    }
}

// --- Impromptu networking ---

#[test]
fn impromptu_networking_with_six_meets_nobody_twice_in_three_rounds() {
    let mut room = meetup(Format::ImpromptuNetworking, 6);
    let mut seen = BTreeSet::new();
    for round in 0..3u64 {
        next_to_breakout(&mut room, 20 + round, at_minute(5 * round));
        assert_eq!(sizes(&room), [2, 2, 2]);
        if round > 0 {
            assert_eq!(current(&room).rule, GroupRule::RoundRobin);
        }
        for pair in pairs_in(&groups(&room)) {
            assert!(seen.insert(pair), "{pair:?} met twice");
        }
    }
    assert_eq!(seen.len(), 9);
}

#[test]
fn five_pair_rounds_of_six_meet_every_pair_exactly_once() {
    let mut room = in_breakout(6, 2, Forming::Rotate, 31);
    let phase = current(&room).phase;
    let mut seen = Vec::new();
    for round in 0..5u64 {
        if round > 0 {
            // The same phase starts its breakout again once it ended.
            run_at(
                &mut room,
                who(FRAN),
                Command::StartBreakout {
                    phase,
                    seed: 31 + round,
                },
                at_minute(2 * round),
            )
            .expect("starts again");
        }
        assert_eq!(sizes(&room), [2, 2, 2]);
        seen.extend(pairs_in(&groups(&room)));
        run_at(
            &mut room,
            who(FRAN),
            Command::EndBreakout { countdown_secs: 0 },
            at_minute(2 * round + 1),
        )
        .expect("ends");
    }
    let distinct: BTreeSet<_> = seen.iter().copied().collect();
    assert_eq!(seen.len(), 15, "{seen:?}");
    assert_eq!(distinct.len(), 15, "every pair once: {seen:?}");
    for a in 1..=6u128 {
        for b in a + 1..=6 {
            assert_eq!(
                room.breakouts
                    .met
                    .met(&name_of(&room, id(a)), &name_of(&room, id(b))),
                1
            );
        }
    }
}

// --- Keeping groups, within a meetup and across a series ---

/// Participants of a meetup following another, by name, in another order
/// and with other ids (20 and up).
fn rejoining(names: &[&str]) -> Vec<Command> {
    names
        .iter()
        .zip(20u128..)
        .map(|(name, n)| join(n, name, CredentialDigest(format!("d{n}"))))
        .collect()
}

#[test]
fn work_buddies_keep_their_pairs_in_the_meetup_and_in_the_next_one() {
    let mut first = meetup(Format::WorkBuddies, 6);
    next_to_breakout(&mut first, 40, NOW);
    let breakout = current(&first).clone();
    assert_eq!(breakout.forming, Forming::Keep);
    assert_eq!(breakout.script, BreakoutScript::BuddyTime);
    let buddies = groups(&first);
    assert_eq!(sizes(&first), [2, 2, 2]);
    // Bring them back, and out again: the same pairs, kept.
    run_at(
        &mut first,
        who(FRAN),
        Command::EndBreakout { countdown_secs: 0 },
        at_minute(10),
    )
    .unwrap();
    run_at(
        &mut first,
        who(FRAN),
        Command::StartBreakout {
            phase: breakout.phase,
            seed: 41,
        },
        at_minute(11),
    )
    .unwrap();
    assert_eq!(current(&first).rule, GroupRule::Kept);
    assert_eq!(pairs_in(&groups(&first)), pairs_in(&buddies));
    let names = by_name(&first, &buddies);
    run_at(&mut first, who(FRAN), Command::EndMeetup, at_minute(40)).unwrap();

    // The next meetup: the same people, joining in another order.
    let carried = carry_over(&first);
    let carried_names: BTreeSet<BTreeSet<String>> = carried
        .groups
        .iter()
        .map(|group| group.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(carried_names, names);
    let opening = Opening {
        facilitator_name: "Fran",
        follows: Some(carried),
        ..Opening::default()
    };
    let (mut second, _) = open(
        &opening,
        rejoining(&["P6", "P4", "P2", "P5", "P3"]),
        at_minute(7 * 24 * 60),
    );
    run(
        &mut second,
        who(FRAN),
        Command::SetAgenda {
            format: Format::WorkBuddies,
        },
    )
    .unwrap();
    next_to_breakout(&mut second, 42, at_minute(7 * 24 * 60 + 5));
    assert_eq!(current(&second).rule, GroupRule::Kept);
    assert_eq!(by_name(&second, &groups(&second)), names);
}

#[test]
fn the_next_meetup_first_pair_round_avoids_last_meetups_pairs() {
    for seed in 0..6u64 {
        let mut first = meetup(Format::ImpromptuNetworking, 6);
        next_to_breakout(&mut first, seed, NOW);
        let last_time = by_name(&first, &groups(&first));
        // Ending the meetup ends the breakout: its pairs count as met.
        let events = run_at(&mut first, who(FRAN), Command::EndMeetup, at_minute(3)).unwrap();
        assert!(
            events
                .iter()
                .any(|event| matches!(event, Event::BreakoutEnded { .. }))
        );
        let carried = carry_over(&first);
        let opening = Opening {
            facilitator_name: "Fran",
            follows: Some(carried.clone()),
            ..Opening::default()
        };
        let (mut second, _) = open(
            &opening,
            rejoining(&["P5", "P3", "P6", "P2", "P4"]),
            at_minute(7 * 24 * 60),
        );
        assert_eq!(second.breakouts.met, carried.met);
        run(
            &mut second,
            who(FRAN),
            Command::SetAgenda {
                format: Format::ImpromptuNetworking,
            },
        )
        .unwrap();
        next_to_breakout(&mut second, seed + 100, at_minute(7 * 24 * 60 + 1));
        assert_eq!(current(&second).rule, GroupRule::FewestRepeats);
        let this_time = by_name(&second, &groups(&second));
        assert!(
            this_time.is_disjoint(&last_time),
            "seed {seed}: {this_time:?} repeats a pair of {last_time:?}"
        );
    }
}

// --- Coming and going ---

#[test]
fn a_late_joiner_is_placed_in_the_smallest_group() {
    let mut room = in_breakout(7, 3, Forming::Rotate, 50);
    assert_eq!(sizes(&room), [4, 3]);
    let smallest = current(&room)
        .groups
        .iter()
        .find(|group| group.members.len() == 3)
        .unwrap()
        .number;
    let events = run_at(
        &mut room,
        Actor::System,
        join(8, "P8", CredentialDigest("d8".into())),
        at_minute(1),
    )
    .unwrap();
    let joined = events
        .iter()
        .position(|event| matches!(event, Event::ParticipantJoined { .. }))
        .expect("joins");
    let moved = events
        .iter()
        .position(|event| {
            matches!(
                event,
                Event::GroupMemberMoved { participant, group, .. }
                    if *participant == id(8) && *group == Some(smallest)
            )
        })
        .expect("placed with the join");
    assert!(joined < moved);
    assert_eq!(sizes(&room), [4, 4]);
    assert_eq!(group_number(&room, 8), smallest);
}

#[test]
fn a_partner_left_alone_may_join_another_group_and_nobody_with_company_may() {
    let mut room = in_breakout(6, 2, Forming::Rotate, 60);
    assert_eq!(sizes(&room), [2, 2, 2]);
    // Someone (not Fran) leaves: their partner is alone.
    let leaver = (2..=6u128)
        .find(|n| member_of(&room, group_number(&room, *n), &[*n]) != FRAN)
        .expect("someone whose partner is not Fran");
    let group = group_number(&room, leaver);
    let partner = member_of(&room, group, &[leaver]);
    let events = run(&mut room, who(leaver), Command::Leave).unwrap();
    assert!(
        events.iter().any(|event| matches!(
            event,
            Event::GroupMemberMoved { participant, group: None, .. } if *participant == id(leaver)
        )),
        "{events:?}"
    );
    assert!(current(&room).group_of(id(leaver)).is_none());
    assert_eq!(
        current(&room).group(group).unwrap().members,
        [id(partner)],
        "the partner is alone"
    );

    // Someone with a partner may not wander off…
    let other = current(&room)
        .groups
        .iter()
        .find(|candidate| candidate.members.len() == 2)
        .unwrap()
        .clone();
    let with_company = other.members[0].0.as_u128();
    let before = room.clone();
    assert_eq!(
        run(&mut room, who(with_company), Command::JoinGroup { group }),
        Err(Rejection::NotAlone)
    );
    assert_eq!(room, before);
    // …nor may anyone join a group that is not there.
    assert_eq!(
        run(
            &mut room,
            who(partner),
            Command::JoinGroup {
                group: GroupNumber(9)
            }
        ),
        Err(Rejection::UnknownGroup)
    );
    // The partner left alone joins another pair.
    let events = run(
        &mut room,
        who(partner),
        Command::JoinGroup {
            group: other.number,
        },
    )
    .unwrap();
    assert!(matches!(
        events[..],
        [Event::GroupMemberMoved { participant, group: Some(number), .. }]
            if participant == id(partner) && number == other.number
    ));
    assert_eq!(current(&room).group(other.number).unwrap().members.len(), 3);
    assert!(current(&room).group(group).unwrap().members.is_empty());
    // Nobody is placed in the empty group: the next arrival joins the
    // smallest group with someone in it.
    run(
        &mut room,
        Actor::System,
        join(9, "P9", CredentialDigest("d9".into())),
    )
    .unwrap();
    let placed = group_number(&room, 9);
    assert_ne!(placed, group);
    assert_eq!(current(&room).group(placed).unwrap().members.len(), 3);
}

#[test]
fn the_next_arrival_joins_a_partner_left_alone() {
    let mut room = in_breakout(6, 2, Forming::Rotate, 61);
    let leaver = 2;
    let group = group_number(&room, leaver);
    run(&mut room, who(leaver), Command::Leave).unwrap();
    run(
        &mut room,
        Actor::System,
        join(9, "P9", CredentialDigest("d9".into())),
    )
    .unwrap();
    assert_eq!(group_number(&room, 9), group);
    assert_eq!(sizes(&room), [2, 2, 2]);
}

// --- Who sees a group's notes ---

#[test]
fn a_groups_notes_reach_its_audience_alone_until_shared_after_the_breakout() {
    let mut room = in_breakout(7, 3, Forming::Rotate, 70);
    let fran_group = group_number(&room, FRAN);
    let other = current(&room)
        .groups
        .iter()
        .find(|group| group.number != fran_group)
        .unwrap()
        .clone();
    let writer = other.members[0].0.as_u128();
    let insider = other.members[1].0.as_u128();
    let outsider = member_of(&room, fran_group, &[FRAN]);

    let secret = "Our secret plan for the budget";
    let events = run(&mut room, who(writer), note(secret)).unwrap();
    let [added @ Event::GroupNoteAdded { .. }] = &events[..] else {
        panic!("{events:?}");
    };
    assert!(added.is_personal());
    let to = |viewer: Viewer| added.for_viewer(viewer).into_owned();
    for viewer in [
        Viewer::Participant(id(writer)),
        Viewer::Participant(id(insider)),
    ] {
        assert_eq!(&to(viewer), added);
    }
    for viewer in [
        Viewer::Participant(id(outsider)),
        Viewer::Participant(id(FRAN)),
        Viewer::Screen,
    ] {
        assert_eq!(to(viewer), Event::Withheld, "{viewer:?}");
        let view = room.for_viewer(viewer);
        let json = moot_shared::json::to_string(&view);
        assert!(!json.contains(secret), "{viewer:?}: {json}");
        assert!(
            view.breakouts.runs[0]
                .group(other.number)
                .unwrap()
                .notes
                .is_empty()
        );
    }
    let seen = room.for_viewer(Viewer::Participant(id(insider)));
    assert_eq!(
        seen.breakouts.runs[0].group(other.number).unwrap().notes[0]
            .text
            .as_str(),
        secret
    );
    // Taking it off the pad is as private.
    let second = run(&mut room, who(insider), note("Second thought")).unwrap();
    let Event::GroupNoteAdded { note: added, .. } = &second[0] else {
        panic!("{second:?}");
    };
    let removed = run(
        &mut room,
        who(writer),
        Command::RemoveGroupNote { note: added.id },
    )
    .unwrap();
    assert!(matches!(removed[..], [Event::GroupNoteRemoved { .. }]));
    assert_eq!(
        removed[0]
            .for_viewer(Viewer::Participant(id(outsider)))
            .into_owned(),
        Event::Withheld
    );
    assert_eq!(
        removed[0].for_viewer(Viewer::Screen).into_owned(),
        Event::Withheld
    );
    assert_eq!(
        removed[0]
            .for_viewer(Viewer::Participant(id(writer)))
            .into_owned(),
        removed[0]
    );

    // Moved into the group, the outsider receives its notes with the move;
    // nobody else does.
    let events = run(
        &mut room,
        who(FRAN),
        Command::MoveToGroup {
            participant: id(outsider),
            group: Some(other.number),
        },
    )
    .unwrap();
    let [moved @ Event::GroupMemberMoved { .. }] = &events[..] else {
        panic!("{events:?}");
    };
    let notes_to = |viewer: Viewer| match moved.for_viewer(viewer).into_owned() {
        Event::GroupMemberMoved { notes, .. } => notes,
        other => panic!("{other:?}"),
    };
    let received = notes_to(Viewer::Participant(id(outsider)));
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].text.as_str(), secret);
    for viewer in [
        Viewer::Participant(id(FRAN)),
        Viewer::Participant(id(writer)),
        Viewer::Screen,
    ] {
        assert!(notes_to(viewer).is_empty(), "{viewer:?}");
        let json = moot_shared::json::to_string(&*moved.for_viewer(viewer));
        assert!(!json.contains(secret), "{viewer:?}: {json}");
    }
    let mover_view = room.for_viewer(Viewer::Participant(id(outsider)));
    assert_eq!(
        mover_view.breakouts.runs[0]
            .group(other.number)
            .unwrap()
            .notes
            .len(),
        1
    );
    assert!(
        !moot_shared::json::to_string(&room.for_viewer(Viewer::Participant(id(FRAN))))
            .contains(secret)
    );

    // Shared only after the breakout.
    let breakout = current(&room).id;
    assert_eq!(
        run(
            &mut room,
            who(writer),
            Command::ShareGroupNotes { breakout }
        ),
        Err(Rejection::BreakoutStillOpen)
    );
    run(
        &mut room,
        who(FRAN),
        Command::EndBreakout { countdown_secs: 0 },
    )
    .unwrap();
    // Someone who was in no group of it has no notes to share.
    run(
        &mut room,
        Actor::System,
        join(9, "P9", CredentialDigest("d9".into())),
    )
    .unwrap();
    assert_eq!(
        run(&mut room, who(9), Command::ShareGroupNotes { breakout }),
        Err(Rejection::NotInGroup)
    );
    let events = run(
        &mut room,
        who(insider),
        Command::ShareGroupNotes { breakout },
    )
    .unwrap();
    assert!(matches!(
        events[..],
        [Event::GroupNotesShared { group, ref notes, .. }] if group == other.number && notes.len() == 1
    ));
    for viewer in common::viewers(7) {
        let view = room.for_viewer(viewer);
        let notes = &view.breakouts.runs[0].group(other.number).unwrap().notes;
        assert_eq!(notes.len(), 1, "{viewer:?}");
        assert_eq!(notes[0].text.as_str(), secret);
        assert_eq!(events[0].for_viewer(viewer).into_owned(), events[0]);
    }
    // Sharing twice changes nothing.
    assert_eq!(
        run(
            &mut room,
            who(writer),
            Command::ShareGroupNotes { breakout }
        ),
        Ok(Vec::new())
    );
}

// --- Bad input ---

#[test]
fn a_breakout_phase_asks_for_groups_of_two_to_four() {
    let mut room = meetup_all_here("Guild", 4);
    for size in [0, 1, 5, 9] {
        let before = room.clone();
        assert_eq!(
            run(
                &mut room,
                who(FRAN),
                Command::InsertPhase {
                    after: None,
                    spec: breakout_spec(size, Forming::Rotate, BreakoutScript::Open, 10),
                }
            ),
            Err(Rejection::GroupSizeOutOfRange { min: 2, max: 4 }),
            "size {size}"
        );
        assert_eq!(room, before);
    }
    for size in 2..=4 {
        run(
            &mut room,
            who(FRAN),
            Command::InsertPhase {
                after: None,
                spec: breakout_spec(size, Forming::Rotate, BreakoutScript::Open, 10),
            },
        )
        .expect("a size in range");
    }
}

#[test]
fn every_bad_breakout_command_is_refused_with_its_reason_and_changes_nothing() {
    let mut room = in_breakout(7, 3, Forming::Rotate, 80);
    let breakout = current(&room).clone();
    let refused = |room: &mut Room, actor: Actor, command: Command, expected: Rejection| {
        let before = room.clone();
        assert_eq!(
            run(room, actor, command.clone()),
            Err(expected),
            "{command:?}"
        );
        assert_eq!(*room, before, "{command:?}");
    };

    // Moving someone who is not here, or to a group that is neither there
    // nor the next.
    refused(
        &mut room,
        who(FRAN),
        Command::MoveToGroup {
            participant: id(42),
            group: Some(GroupNumber(1)),
        },
        Rejection::UnknownParticipant,
    );
    let next_number = GroupNumber(breakout.groups.len() as u8 + 1);
    refused(
        &mut room,
        who(FRAN),
        Command::MoveToGroup {
            participant: id(2),
            group: Some(GroupNumber(next_number.0 + 1)),
        },
        Rejection::UnknownGroup,
    );
    refused(
        &mut room,
        who(FRAN),
        Command::MoveToGroup {
            participant: id(2),
            group: Some(GroupNumber(0)),
        },
        Rejection::UnknownGroup,
    );

    // A participant does not run the breakout.
    let participant = who(3);
    for command in [
        Command::EndBreakout { countdown_secs: 0 },
        Command::NextBreakoutStep { round: 0, step: 0 },
        Command::MoveToGroup {
            participant: id(3),
            group: None,
        },
        Command::StartBreakout {
            phase: breakout.phase,
            seed: 1,
        },
    ] {
        refused(&mut room, participant, command, Rejection::FacilitatorsOnly);
    }
    refused(
        &mut room,
        who(FRAN),
        Command::EndBreakout {
            countdown_secs: 121,
        },
        Rejection::CountdownOutOfRange { max_secs: 120 },
    );
    // The script has one step: there is no next.
    refused(
        &mut room,
        who(FRAN),
        Command::NextBreakoutStep { round: 0, step: 0 },
        Rejection::NoNextStep,
    );
    refused(
        &mut room,
        who(FRAN),
        Command::NextBreakoutStep { round: 0, step: 1 },
        Rejection::StaleBreakoutStep,
    );
    refused(
        &mut room,
        who(FRAN),
        Command::StartBreakout {
            phase: breakout.phase,
            seed: 2,
        },
        Rejection::BreakoutOpen,
    );

    // A note's text is checked where it is read; the pad holds 30.
    assert_eq!(
        GroupNoteText::parse(&"n".repeat(281)),
        Err(TextProblem::TooLong { max_chars: 280 })
    );
    assert!(GroupNoteText::parse(&"n".repeat(280)).is_ok());
    for n in 0..30 {
        run(&mut room, who(2), note(&format!("Note {n}"))).expect("room on the pad");
    }
    refused(
        &mut room,
        who(2),
        note("One too many"),
        Rejection::TooManyGroupNotes { max: 30 },
    );
    refused(
        &mut room,
        who(2),
        Command::RemoveGroupNote {
            note: GroupNoteId(999),
        },
        Rejection::UnknownNote,
    );

    // Someone moved out of every group writes on no pad.
    run(
        &mut room,
        who(FRAN),
        Command::MoveToGroup {
            participant: id(4),
            group: None,
        },
    )
    .unwrap();
    refused(&mut room, who(4), note("Hello?"), Rejection::NotInGroup);
    refused(
        &mut room,
        who(4),
        Command::SetGroupDone { done: true },
        Rejection::NotInGroup,
    );
    // The next number opens a new group.
    let events = run(
        &mut room,
        who(FRAN),
        Command::MoveToGroup {
            participant: id(4),
            group: Some(next_number),
        },
    )
    .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(group_number(&room, 4), next_number);
    assert_eq!(current(&room).groups.len(), breakout.groups.len() + 1);

    // Once the breakout is over, nothing runs.
    run(
        &mut room,
        who(FRAN),
        Command::EndBreakout { countdown_secs: 0 },
    )
    .unwrap();
    refused(
        &mut room,
        who(FRAN),
        Command::EndBreakout { countdown_secs: 0 },
        Rejection::NoBreakout,
    );
    refused(&mut room, who(2), note("Late"), Rejection::NoBreakout);
}

#[test]
fn a_stale_next_step_moves_a_troika_on_once() {
    let mut room = meetup(Format::Troika, 6);
    next_to_breakout(&mut room, 90, NOW);
    let later = NOW.plus_millis(30_000);
    let events = run_at(
        &mut room,
        who(FRAN),
        Command::NextBreakoutStep { round: 0, step: 0 },
        later,
    )
    .unwrap();
    assert!(matches!(
        events[..],
        [Event::BreakoutStepStarted { round: 0, step: 1, at, ends_at: Some(ends_at), .. }]
            if at == later && ends_at == later.plus_millis(120_000)
    ));
    // A co-facilitator pressing the same button a moment later.
    let before = room.clone();
    assert_eq!(
        run_at(
            &mut room,
            who(FRAN),
            Command::NextBreakoutStep { round: 0, step: 0 },
            later
        ),
        Err(Rejection::StaleBreakoutStep)
    );
    assert_eq!(room, before);
}

#[test]
fn a_breakout_needs_two_people() {
    let mut room = meetup_all_here("Guild", 1);
    run(
        &mut room,
        who(FRAN),
        Command::InsertPhase {
            after: None,
            spec: breakout_spec(2, Forming::Rotate, BreakoutScript::Open, 10),
        },
    )
    .unwrap();
    // Entering the phase alone starts no breakout…
    let events = next_at(&mut room, 1, NOW);
    assert!(
        !events
            .iter()
            .any(|event| matches!(event, Event::BreakoutStarted { .. }))
    );
    let phase = room.agenda.current().unwrap().id;
    // …and asking for one says why.
    let before = room.clone();
    assert_eq!(
        run(
            &mut room,
            who(FRAN),
            Command::StartBreakout { phase, seed: 1 }
        ),
        Err(Rejection::TooFewPeople { min: 2 })
    );
    assert_eq!(room, before);
    // Once someone arrives, it starts.
    run(
        &mut room,
        Actor::System,
        join(2, "P2", CredentialDigest("d2".into())),
    )
    .unwrap();
    run(
        &mut room,
        who(FRAN),
        Command::StartBreakout { phase, seed: 1 },
    )
    .unwrap();
    assert_eq!(sizes(&room), [2]);
    assert_eq!(
        run(
            &mut room,
            who(FRAN),
            Command::StartBreakout {
                phase: PhaseId(phase.0 + 5),
                seed: 1
            }
        ),
        Err(Rejection::UnknownPhase)
    );
}

// --- Determinism ---

/// A troika meetup of seven with notes, moves, a late joiner, a step and a
/// countdown, from its opening, at the seed `seed`; and every event.
fn eventful(seed: u64) -> (Room, Vec<Event>) {
    let opening = Opening {
        facilitator_name: "Fran",
        ..Opening::default()
    };
    let (mut room, mut events) = open(&opening, numbered_joins(7), NOW);
    let mut step = |room: &mut Room, actor: Actor, command: Command, now: Timestamp| {
        events.extend(run_at(room, actor, command, now).expect("applies"));
    };
    step(
        &mut room,
        who(FRAN),
        Command::SetAgenda {
            format: Format::Troika,
        },
        NOW,
    );
    for minute in 0..2 {
        let from = room.agenda.current().map(|phase| phase.id);
        step(
            &mut room,
            who(FRAN),
            Command::NextPhase { from, seed },
            at_minute(minute),
        );
    }
    step(&mut room, who(2), note("Two's idea"), at_minute(2));
    step(&mut room, who(5), note("Five's idea"), at_minute(2));
    step(
        &mut room,
        Actor::System,
        join(8, "P8", CredentialDigest("d8".into())),
        at_minute(2),
    );
    step(
        &mut room,
        who(FRAN),
        Command::MoveToGroup {
            participant: id(3),
            group: Some(GroupNumber(1)),
        },
        at_minute(2),
    );
    let ends_at = current(&room).step.ends_at.expect("timed");
    step(&mut room, Actor::System, Command::Tick, ends_at);
    step(
        &mut room,
        who(FRAN),
        Command::EndBreakout { countdown_secs: 20 },
        at_minute(5),
    );
    step(
        &mut room,
        Actor::System,
        Command::Tick,
        at_minute(5).plus_millis(20_000),
    );
    (room, events)
}

#[test]
fn the_same_seed_gives_the_same_groups_and_a_replay_the_same_room() {
    let (room, events) = eventful(7);
    let (again, events_again) = eventful(7);
    assert_eq!(room, again);
    assert_eq!(events, events_again);
    assert!(room.breakouts.current().is_none(), "the countdown ran out");

    // Replaying the stored events from the opening gives the same room.
    let mut replayed = Room::opened(&events[0], NOW).expect("an opening");
    for event in &events[1..] {
        replayed.on_event(event);
    }
    assert_eq!(replayed, room);

    // The seed is what chooses: random forming over a few seeds does not
    // always give the same groups.
    let groupings: BTreeSet<_> = (0..8)
        .map(|seed| {
            let room = in_breakout(7, 2, Forming::Random, seed);
            assert_eq!(current(&room).seed, seed);
            assert_eq!(current(&room).rule, GroupRule::Shuffled);
            pairs_in(&groups(&room))
        })
        .collect();
    assert!(groupings.len() > 1, "{groupings:?}");
}

#[test]
fn notes_are_numbered_across_groups_and_removed_by_their_group_only() {
    let mut room = in_breakout(6, 2, Forming::Rotate, 95);
    let mine = group_number(&room, 2);
    let stranger = (3..=6u128)
        .find(|n| group_number(&room, *n) != mine)
        .unwrap();
    let events = run(&mut room, who(2), note("Ours")).unwrap();
    let Event::GroupNoteAdded { note: ours, .. } = &events[0] else {
        panic!("{events:?}");
    };
    let events = run(&mut room, who(stranger), note("Theirs")).unwrap();
    let Event::GroupNoteAdded { note: theirs, .. } = &events[0] else {
        panic!("{events:?}");
    };
    assert_ne!(ours.id, theirs.id);
    assert_eq!(
        run(
            &mut room,
            who(stranger),
            Command::RemoveGroupNote { note: ours.id }
        ),
        Err(Rejection::UnknownNote),
        "another group's note is not on one's pad"
    );
}

#[test]
fn someone_moved_to_another_group_shares_the_notes_of_the_group_they_ended_in() {
    let mut room = in_breakout(6, 2, Forming::Rotate, 96);
    // Someone of the first pair moves to the second.
    let (first, second) = (GroupNumber(1), GroupNumber(2));
    let mover = member_of(&room, first, &[]);
    let partner = member_of(&room, first, &[mover]);
    run(&mut room, who(mover), note("Written in the first pair")).unwrap();
    run(
        &mut room,
        who(FRAN),
        Command::MoveToGroup {
            participant: id(mover),
            group: Some(second),
        },
    )
    .unwrap();
    run(&mut room, who(mover), note("Written in the second pair")).unwrap();
    let breakout = current(&room).id;
    run(
        &mut room,
        who(FRAN),
        Command::EndBreakout { countdown_secs: 0 },
    )
    .unwrap();
    // The share button is on the pad of the group they are in: that
    // group's notes become everyone's, and the first pair's stay its own.
    let events = run(&mut room, who(mover), Command::ShareGroupNotes { breakout }).unwrap();
    assert!(
        matches!(events[..], [Event::GroupNotesShared { group, .. }] if group == second),
        "{events:?}"
    );
    let screen = moot_shared::json::to_string(&room.for_viewer(Viewer::Screen));
    assert!(screen.contains("Written in the second pair"), "{screen}");
    assert!(!screen.contains("Written in the first pair"), "{screen}");
    // The first pair may still share its own.
    let events = run(
        &mut room,
        who(partner),
        Command::ShareGroupNotes { breakout },
    )
    .unwrap();
    assert!(matches!(events[..], [Event::GroupNotesShared { group, .. }] if group == first));
}

/// Regression (issue 14): note numbers were a running count kept in every
/// snapshot (`last_note`). A phone, sent `withheld` for another group's
/// note, could not keep it, so its room drifted from its snapshot; and the
/// count told every group how many notes the others wrote.
#[test]
fn another_groups_note_leaves_no_trace_in_an_outsiders_room() {
    let mut room = in_breakout(6, 2, Forming::Rotate, 97);
    let writer = 2;
    let outsider = (3..=6u128)
        .find(|n| group_number(&room, *n) != group_number(&room, writer))
        .unwrap();
    let viewer = Viewer::Participant(id(outsider));
    let before = room.for_viewer(viewer);
    let mut phone = before.clone();
    for (seconds, text) in [(5, "Ours alone"), (6, "Still ours")] {
        let events = run_at(
            &mut room,
            who(writer),
            note(text),
            NOW.plus_millis(seconds * 1_000),
        )
        .unwrap();
        for event in &events {
            phone.on_event(&event.for_viewer(viewer));
        }
    }
    assert_eq!(phone, room.for_viewer(viewer));
    assert_eq!(phone, before, "nothing changed that they may see");
}

// --- Minutes ---

#[test]
fn the_minutes_say_who_was_with_whom_and_only_the_notes_a_group_shared() {
    let mut room = in_breakout(4, 2, Forming::Rotate, 7);
    let (first, second) = (GroupNumber(1), GroupNumber(2));
    let sharer = member_of(&room, first, &[]);
    let keeper = member_of(&room, second, &[]);
    run(&mut room, who(sharer), note("Pairs that rotate")).unwrap();
    run(&mut room, who(keeper), note("Kept between us")).unwrap();
    let breakout = current(&room).id;
    let groups: Vec<Vec<String>> = current(&room)
        .groups
        .iter()
        .map(|group| {
            group
                .members
                .iter()
                .map(|member| name_of(&room, *member).to_string())
                .collect()
        })
        .collect();
    run(
        &mut room,
        who(FRAN),
        Command::EndBreakout { countdown_secs: 0 },
    )
    .unwrap();
    run(
        &mut room,
        who(sharer),
        Command::ShareGroupNotes { breakout },
    )
    .unwrap();

    let minutes = moot_shared::minutes::Minutes::of(&room, at_minute(20), moot_shared::Lang::En);
    assert_eq!(minutes.breakouts.len(), 1);
    let kept: Vec<(u8, Vec<String>, Option<Vec<String>>)> = minutes.breakouts[0]
        .groups
        .iter()
        .map(|group| (group.number, group.members.clone(), group.notes.clone()))
        .collect();
    assert_eq!(
        kept,
        vec![
            (
                1,
                groups[0].clone(),
                Some(vec!["Pairs that rotate".to_owned()])
            ),
            (2, groups[1].clone(), None),
        ]
    );
    let markdown = minutes.to_markdown(0, moot_shared::Lang::En);
    assert!(markdown.contains("## Breakouts"), "{markdown}");
    assert!(
        markdown.contains(&format!("- Group 1: {}", groups[0].join(", "))),
        "{markdown}"
    );
    assert!(markdown.contains("  - Pairs that rotate"), "{markdown}");
    assert!(
        markdown.contains("notes kept within the group"),
        "{markdown}"
    );
    assert!(!markdown.contains("Kept between us"), "{markdown}");
    let german = minutes.to_markdown(0, moot_shared::Lang::De);
    assert!(
        german.contains("## Gruppenarbeit") && german.contains("- Gruppe 2: "),
        "{german}"
    );
}
