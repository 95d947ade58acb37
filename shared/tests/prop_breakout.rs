//! Breakouts over random command sequences (issue 14): in a meetup whose
//! agenda is breakout phases of every size, forming and script, whoever
//! runs the meetup starts, moves, times and ends breakouts while people
//! write and remove group notes, join and leave groups, share notes, come,
//! leave, drop their connection and come back, and the server ticks. After
//! every command:
//!
//! - the room's invariants hold, and a refused command changed nothing;
//! - every viewer (each participant, whoever joins later, and the shared
//!   screen), folding the events as the server sends them to that viewer
//!   onto their first snapshot, holds exactly the room as it is for them;
//! - each group's audience is everyone who was ever in it, as worked out
//!   here from the events;
//! - no note's text reaches a viewer outside its group's audience before
//!   the group shares it: not in an event as sent to them, not in their
//!   snapshot.

mod common;

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use common::commands::{Raw, command, raw};
use common::{NOW, id, props_meetup};
use moot_shared::json;
use moot_shared::limits::FACILITATOR_RECLAIM_MILLIS;
use moot_shared::room::agenda::{PhaseId, PhaseKind, PhaseSpec};
use moot_shared::room::breakout::{BreakoutId, BreakoutScript, Forming, GroupNoteId, GroupNumber};
use moot_shared::room::{CredentialDigest, Viewer};
use moot_shared::text::{DisplayName, GroupNoteText};
use moot_shared::{Actor, Command, Event, ParticipantId, Room, Timestamp};
use proptest::prelude::*;

/// Participants 1..=PRESENT are in the meetup from the start (1
/// facilitates); up to LAST may join later.
const PRESENT: u128 = 7;
const LAST: u128 = 9;

/// The agenda: a breakout phase of each kind, then a phase without one.
/// Phase numbers 1..=5 are the breakouts, which is what the random
/// `StartBreakout` of [`common::commands`] names.
fn agenda() -> Vec<PhaseSpec> {
    let breakout = common::breakout_spec;
    vec![
        breakout(2, Forming::Rotate, BreakoutScript::Open, 5),
        breakout(4, Forming::MergePairs, BreakoutScript::Open, 4),
        breakout(3, Forming::Rotate, BreakoutScript::Troika, 30),
        breakout(2, Forming::Keep, BreakoutScript::BuddyTime, 30),
        // Untimed.
        breakout(2, Forming::Random, BreakoutScript::MentoringSwap, 0),
        PhaseSpec {
            kind: PhaseKind::Silent,
            planned_secs: 60,
            ..breakout(2, Forming::Rotate, BreakoutScript::Open, 1)
        },
    ]
}

#[derive(Clone, Debug)]
enum Step {
    /// A random breakout command (74..=85 of [`common::commands`]) by
    /// someone; `target` replaces the participant it names, if any.
    Breakout {
        actor: u128,
        raw: Raw,
        target: u128,
    },
    /// Someone writes a note on their group's pad.
    Note(u128),
    /// Someone takes a note off their group's pad: its n-th, or a number
    /// no note of theirs has.
    RemoveNote(u128, usize, bool),
    /// Whoever runs the meetup starts the current phase's breakout again.
    Restart(u64),
    /// Whoever runs the meetup moves every group on from the step it is at.
    Advance,
    /// Next, from the current phase.
    Next(u64),
    /// Straight to a phase.
    GoTo(u16, u64),
    /// Someone joins, or comes back after leaving.
    Come(u128),
    Leave(u128),
    Remove(u128),
    Disconnect(u128),
    Connect(u128),
    /// The server's tick: at the next deadline, or a while later.
    Tick {
        deadline: bool,
        later_ms: u64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let anyone = 1..=LAST;
    let actor = prop_oneof![2 => Just(1u128), 3 => 1..=LAST];
    prop_oneof![
        8 => (actor, raw(), 74u8..86, anyone.clone()).prop_map(|(actor, mut raw, which, target)| {
            raw.0 = which;
            Step::Breakout { actor, raw, target }
        }),
        5 => anyone.clone().prop_map(Step::Note),
        2 => (anyone.clone(), 0usize..4, prop::bool::weighted(0.75))
            .prop_map(|(who, nth, theirs)| Step::RemoveNote(who, nth, theirs)),
        1 => any::<u64>().prop_map(Step::Restart),
        2 => Just(Step::Advance),
        1 => any::<u64>().prop_map(Step::Next),
        1 => (1u16..=6, any::<u64>()).prop_map(|(phase, seed)| Step::GoTo(phase, seed)),
        2 => (2..=LAST).prop_map(Step::Come),
        1 => (2..=LAST).prop_map(Step::Leave),
        1 => (2..=LAST).prop_map(Step::Remove),
        1 => anyone.clone().prop_map(Step::Disconnect),
        1 => anyone.prop_map(Step::Connect),
        3 => (any::<bool>(), 0u64..180_000)
            .prop_map(|(deadline, later_ms)| Step::Tick { deadline, later_ms }),
    ]
}

/// Who may read a group's notes, by the rules of the issue, worked out
/// from the events: everyone who was ever in the group, and everyone once
/// it shared them.
#[derive(Debug, Default)]
struct Audience {
    groups: BTreeMap<(BreakoutId, GroupNumber), (BTreeSet<ParticipantId>, bool)>,
    /// Each note's text, with its group.
    notes: Vec<(String, BreakoutId, GroupNumber)>,
}

impl Audience {
    fn follow(&mut self, event: &Event) {
        match event {
            Event::BreakoutStarted { breakout, .. } => {
                for group in &breakout.groups {
                    self.groups.insert(
                        (breakout.id, group.number),
                        (group.members.iter().copied().collect(), false),
                    );
                }
            }
            Event::GroupMemberMoved {
                breakout,
                participant,
                group: Some(group),
                ..
            } => {
                self.groups
                    .entry((*breakout, *group))
                    .or_default()
                    .0
                    .insert(*participant);
            }
            Event::GroupNotesShared {
                breakout, group, ..
            } => {
                self.groups.entry((*breakout, *group)).or_default().1 = true;
            }
            Event::GroupNoteAdded {
                breakout,
                group,
                note,
                ..
            } => {
                self.notes.push((note.text.to_string(), *breakout, *group));
            }
            _ => {}
        }
    }

    fn may_read(&self, breakout: BreakoutId, group: GroupNumber, viewer: Viewer) -> bool {
        self.groups
            .get(&(breakout, group))
            .is_some_and(|(audience, shared)| {
                *shared || matches!(viewer, Viewer::Participant(id) if audience.contains(&id))
            })
    }

    /// The texts of the notes `viewer` may not read.
    fn secrets(&self, viewer: Viewer) -> impl Iterator<Item = &str> {
        self.notes
            .iter()
            .filter(move |(_, breakout, group)| !self.may_read(*breakout, *group, viewer))
            .map(|(text, ..)| text.as_str())
    }
}

/// The server's room, each viewer's copy, and the model of who may read
/// what.
struct World {
    room: Room,
    copies: Vec<(Viewer, Room)>,
    audience: Audience,
    now: Timestamp,
    notes_written: usize,
}

impl World {
    fn new() -> World {
        let room = props_meetup(PRESENT).0;
        let copies = (1..=LAST)
            .map(|n| Viewer::Participant(id(n)))
            .chain([Viewer::Screen])
            .map(|viewer| (viewer, room.for_viewer(viewer)))
            .collect();
        let mut world = World {
            room,
            copies,
            audience: Audience::default(),
            now: NOW,
            notes_written: 0,
        };
        let mut after = None;
        for spec in agenda() {
            world
                .apply(
                    Actor::Participant(id(1)),
                    Command::InsertPhase { after, spec },
                )
                .expect("a phase of the agenda");
            after = world.room.agenda.phases.last().map(|phase| phase.id);
        }
        world
            .apply(
                Actor::Participant(id(1)),
                Command::NextPhase {
                    from: None,
                    seed: 1,
                },
            )
            .expect("the first breakout");
        assert!(world.room.breakouts.current().is_some());
        world
    }

    /// Applies a command as the server does and sends each event to every
    /// viewer, checking what they are sent.
    fn apply(&mut self, actor: Actor, command: Command) -> Result<(), TestCaseError> {
        let before = self.room.clone();
        let Ok(events) = self.room.apply(actor, command, self.now) else {
            prop_assert_eq!(&self.room, &before, "a refusal changes nothing");
            return Ok(());
        };
        for event in &events {
            self.room.on_event(event);
            self.audience.follow(event);
            prop_assert_eq!(self.room.check_invariants(), Ok(()), "after {:?}", event);
            for (viewer, copy) in &mut self.copies {
                let seen = event.for_viewer(*viewer);
                let sent = json::to_string(&*seen);
                for secret in self.audience.secrets(*viewer) {
                    prop_assert!(
                        !sent.contains(secret),
                        "{:?} was sent {} holding {:?}",
                        viewer,
                        sent,
                        secret
                    );
                }
                copy.on_event(&seen);
            }
        }
        self.check()
    }

    /// What every viewer holds, and the audiences, after a command.
    fn check(&self) -> Result<(), TestCaseError> {
        for run in &self.room.breakouts.runs {
            for group in &run.groups {
                let audience: BTreeSet<ParticipantId> = group.audience.iter().copied().collect();
                let expected = self
                    .audience
                    .groups
                    .get(&(run.id, group.number))
                    .map(|(audience, _)| audience.clone())
                    .unwrap_or_default();
                prop_assert_eq!(audience, expected, "group {:?}", group.number);
            }
        }
        for (viewer, copy) in &self.copies {
            prop_assert_eq!(copy, &self.room.for_viewer(*viewer), "{:?}", viewer);
        }
        Ok(())
    }

    /// No viewer's snapshot holds a note they may not read. (Checked once
    /// at the end: each copy equals its snapshot after every command and
    /// holds only what the viewer was sent, and an audience never shrinks.)
    fn check_snapshots(&self) -> Result<(), TestCaseError> {
        for (viewer, _) in &self.copies {
            let snapshot = json::to_string(&self.room.for_viewer(*viewer));
            for secret in self.audience.secrets(*viewer) {
                prop_assert!(
                    !snapshot.contains(secret),
                    "{:?}'s snapshot holds {:?}",
                    viewer,
                    secret
                );
            }
        }
        Ok(())
    }

    /// A note by `who`: every text names its note, so a leak is found by
    /// searching for it.
    fn note(&mut self, who: u128) -> Command {
        self.notes_written += 1;
        let text = format!("Note #{}# of {who}", self.notes_written);
        Command::AddGroupNote {
            text: GroupNoteText::parse(&text).expect("a note"),
        }
    }

    /// Participant `n` if they are in the meetup, else someone who is:
    /// most of what people send should come from people who may send it
    /// (`prop_authority` covers everyone else).
    fn member(&self, n: u128) -> u128 {
        let active: Vec<u128> = self
            .room
            .active_participants()
            .map(|person| person.id.0.as_u128())
            .collect();
        if active.contains(&n) || active.is_empty() {
            n
        } else {
            active[usize::try_from(n).unwrap_or(0) % active.len()]
        }
    }

    fn step(&mut self, step: &Step) -> Result<(), TestCaseError> {
        let by = |n: u128| Actor::Participant(id(n));
        let fran = by(1);
        // A second passes between steps, more on a tick.
        self.now = self.now.plus_millis(1_000);
        match *step {
            Step::Breakout {
                actor,
                ref raw,
                target,
            } => {
                let actor = self.member(actor);
                let command = match command(raw.clone()) {
                    Command::MoveToGroup { group, .. } => Command::MoveToGroup {
                        participant: id(target),
                        group,
                    },
                    // The server draws the seed.
                    Command::StartBreakout { phase, .. } => Command::StartBreakout {
                        phase,
                        seed: raw.8.into(),
                    },
                    // Every note's text is its own (see `note`).
                    Command::AddGroupNote { .. } => self.note(actor),
                    other => other,
                };
                self.apply(by(actor), command)
            }
            Step::Note(who) => {
                let who = self.member(who);
                let command = self.note(who);
                self.apply(by(who), command)
            }
            Step::RemoveNote(who, nth, theirs) => {
                let who = self.member(who);
                let notes = self
                    .room
                    .breakouts
                    .group_of(id(who))
                    .map(|(_, group)| group.notes.clone())
                    .unwrap_or_default();
                let note = match notes.len() {
                    len if len > 0 && theirs => notes[nth % len].id,
                    _ => GroupNoteId(u32::try_from(nth).unwrap_or(0)),
                };
                self.apply(by(who), Command::RemoveGroupNote { note })
            }
            Step::Restart(seed) => {
                let Some(phase) = self.room.agenda.current().map(|phase| phase.id) else {
                    return Ok(());
                };
                self.apply(fran, Command::StartBreakout { phase, seed })
            }
            Step::Advance => {
                let Some(at) = self.room.breakouts.current().map(|breakout| breakout.step) else {
                    return Ok(());
                };
                self.apply(
                    fran,
                    Command::NextBreakoutStep {
                        round: at.round,
                        step: at.step,
                    },
                )
            }
            Step::Next(seed) => {
                let from = self.room.agenda.current().map(|phase| phase.id);
                self.apply(fran, Command::NextPhase { from, seed })
            }
            Step::GoTo(phase, seed) => self.apply(
                fran,
                Command::GoToPhase {
                    phase: PhaseId(phase),
                    seed,
                },
            ),
            Step::Come(n) => {
                let credential = CredentialDigest(format!("d{n}"));
                let command = if self.room.participant(id(n)).is_some() {
                    Command::Rejoin {
                        participant: id(n),
                        credential,
                        name: None,
                    }
                } else {
                    Command::Join {
                        participant: id(n),
                        name: DisplayName::parse(&format!("P{n}")).expect("a name"),
                        credential,
                    }
                };
                self.apply(Actor::System, command)
            }
            Step::Leave(n) => self.apply(by(n), Command::Leave),
            Step::Remove(n) => self.apply(fran, Command::Remove { participant: id(n) }),
            Step::Disconnect(n) => self.apply(
                Actor::System,
                Command::MarkDisconnected {
                    participant: id(n),
                    grace_ms: 20_000,
                    fallback_ms: 30_000,
                },
            ),
            Step::Connect(n) => self.apply(
                Actor::System,
                Command::MarkConnected {
                    participant: id(n),
                    reclaim_ms: FACILITATOR_RECLAIM_MILLIS,
                },
            ),
            Step::Tick { deadline, later_ms } => {
                let next = self.room.next_deadline().filter(|_| deadline);
                self.now = match next {
                    Some(at) => at.max(self.now),
                    None => self.now.plus_millis(later_ms),
                };
                self.apply(Actor::System, Command::Tick)
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn prop_every_viewer_holds_their_view_and_no_note_leaves_its_group(
        steps in prop::collection::vec(step(), 1..80),
    ) {
        let mut world = World::new();
        world.check()?;
        for step in &steps {
            world.step(step)?;
        }
        world.check_snapshots()?;
    }
}
