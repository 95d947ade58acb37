//! Property tests of the speaking queue: random sequences of queue and
//! membership commands, by anyone, at random times, against a simple
//! reference model.
//!
//! - **Order.** The queue's order agrees with a reference comparison written
//!   out rule by rule (type, hand-arranged place, airtime when progressive,
//!   arrival), for every pair of entries.
//! - **Airtime.** Each person's airtime equals the time they held the floor,
//!   measured by the test from the room before and after every step.
//! - **Entries.** No entry is lost or doubled: the queue holds exactly the
//!   entries raised and neither withdrawn nor called, each once.
//! - **The floor.** A "next" or "done" advances by at most one turn; two
//!   that race for the same turn advance it exactly once.

use std::collections::{BTreeMap, BTreeSet};

mod common;

use common::{NOW, Opening, id, numbered_joins};
use moot_shared::room::CredentialDigest;
use moot_shared::room::queue::{
    Direction, Entry, EntryId, EntryKind, Queue, QueueSettings, RoundKind,
};
use moot_shared::{Actor, Command, Event, ParticipantId, Rejection, Room, Timestamp};
use proptest::prelude::*;

/// Ada (1) facilitates; 2 to 6 join.
const PEOPLE: u128 = 6;

#[derive(Clone, Debug)]
enum Op {
    Raise(u128, EntryKind),
    Edit(u128, usize, EntryKind),
    Withdraw(u128, usize),
    Move(u128, usize, Direction),
    /// Next by someone; `stale` names an old turn.
    Next(u128, bool),
    Done(u128),
    Pass(u128),
    Give(u128, u128),
    StartRound(u64),
    EndRound,
    Progressive(bool),
    /// The speaker's "done" and the facilitator's "next" at the same moment.
    Race(bool),
    Remove(u128),
    Leave(u128),
}

fn kind() -> impl Strategy<Value = EntryKind> {
    prop::sample::select(EntryKind::ALL.to_vec())
}

fn person() -> impl Strategy<Value = u128> {
    1..=PEOPLE
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (person(), kind()).prop_map(|(n, k)| Op::Raise(n, k)),
        1 => (person(), any::<usize>(), kind()).prop_map(|(n, i, k)| Op::Edit(n, i, k)),
        1 => (person(), any::<usize>()).prop_map(|(n, i)| Op::Withdraw(n, i)),
        1 => (person(), any::<usize>(), prop_oneof![Just(Direction::Up), Just(Direction::Down)])
            .prop_map(|(n, i, d)| Op::Move(n, i, d)),
        4 => (person(), any::<bool>()).prop_map(|(n, stale)| Op::Next(n, stale)),
        3 => person().prop_map(Op::Done),
        1 => person().prop_map(Op::Pass),
        1 => (person(), person()).prop_map(|(n, to)| Op::Give(n, to)),
        1 => any::<u64>().prop_map(Op::StartRound),
        1 => Just(Op::EndRound),
        1 => any::<bool>().prop_map(Op::Progressive),
        2 => any::<bool>().prop_map(Op::Race),
        1 => (2..=PEOPLE).prop_map(Op::Remove),
        1 => (2..=PEOPLE).prop_map(Op::Leave),
    ]
}

fn script() -> impl Strategy<Value = Vec<(Op, u64)>> {
    prop::collection::vec((op(), 0..90_000u64), 1..80)
}

/// The room, the clock and the test's own bookkeeping.
struct World {
    room: Room,
    now: Timestamp,
    /// Entries raised and not yet gone, as the events told it.
    open: BTreeSet<EntryId>,
    /// Every entry number ever raised.
    raised: BTreeSet<EntryId>,
    /// Time each person held the floor, measured from the room's states.
    held: BTreeMap<ParticipantId, u64>,
    /// The same room as a browser folds it: from JSON, events as sent.
    browser: Room,
}

impl World {
    fn new() -> World {
        let opening = Opening {
            credential: CredentialDigest("d1".into()),
            ..Opening::default()
        }
        .event();
        let mut world = World {
            room: Room::opened(&opening, NOW).unwrap(),
            now: NOW,
            open: BTreeSet::new(),
            raised: BTreeSet::new(),
            held: BTreeMap::new(),
            browser: Room::opened(&opening.for_clients(), NOW).unwrap(),
        };
        for join in numbered_joins(PEOPLE) {
            world.step(Actor::System, join).unwrap();
        }
        world
    }

    /// Applies one command at the current time, folds its events and keeps
    /// the bookkeeping.
    fn step(&mut self, actor: Actor, command: Command) -> Result<Vec<Event>, Rejection> {
        let before = self.room.queue.speaker.clone();
        let events = self.room.apply(actor, command, self.now)?;
        for event in &events {
            match event {
                Event::HandRaised { entry, .. } => {
                    assert!(self.raised.insert(*entry), "entry {entry:?} raised twice");
                    self.open.insert(*entry);
                }
                Event::EntryWithdrawn { entry }
                | Event::FloorGiven {
                    entry: Some(entry), ..
                } => {
                    assert!(self.open.remove(entry), "entry {entry:?} gone twice");
                }
                _ => {}
            }
            self.room.on_event(event);
            let sent = serde_json::to_string(&event.for_clients()).unwrap();
            self.browser.on_event(&serde_json::from_str(&sent).unwrap());
            self.room
                .check_invariants()
                .unwrap_or_else(|broken| panic!("{broken} after {event:?}"));
        }
        // Whoever had the floor and no longer has the same turn held it until now.
        if let Some(before) = before {
            let after = self.room.queue.speaker.as_ref().map(|speaker| speaker.turn);
            if after != Some(before.turn) {
                *self.held.entry(before.participant).or_default() +=
                    self.now.millis_since(before.started_at);
            }
        }
        Ok(events)
    }

    fn queue(&self) -> &Queue {
        &self.room.queue
    }

    fn entry_at(&self, index: usize) -> Option<EntryId> {
        let entries = &self.queue().entries;
        (!entries.is_empty()).then(|| entries[index % entries.len()].id)
    }

    fn command(&self, op: &Op) -> Option<(Actor, Command)> {
        let who = |n: u128| Actor::Participant(id(n));
        let turn = self.queue().speaker.as_ref().map(|speaker| speaker.turn);
        Some(match op.clone() {
            Op::Raise(n, kind) => (who(n), Command::RaiseHand { kind, note: None }),
            Op::Edit(n, index, kind) => {
                let entry = self.entry_at(index)?;
                let note = self.queue().entry(entry)?.note.clone();
                (who(n), Command::EditEntry { entry, kind, note })
            }
            Op::Withdraw(n, index) => (
                who(n),
                Command::WithdrawEntry {
                    entry: self.entry_at(index)?,
                },
            ),
            Op::Move(n, index, direction) => (
                who(n),
                Command::MoveEntry {
                    entry: self.entry_at(index)?,
                    direction,
                },
            ),
            Op::Next(n, stale) => {
                let turn = if stale {
                    turn.and_then(|turn| turn.0.checked_sub(1))
                        .map(moot_shared::room::queue::TurnId)
                } else {
                    turn
                };
                (who(n), Command::NextSpeaker { turn })
            }
            Op::Done(n) => (who(n), Command::FinishTurn { turn: turn? }),
            Op::Pass(n) => (who(n), Command::PassTurn { turn: turn? }),
            Op::Give(n, to) => (
                who(n),
                Command::GiveFloor {
                    participant: id(to),
                },
            ),
            Op::StartRound(seed) => (
                who(1),
                Command::StartRound {
                    kind: RoundKind::CheckIn,
                    prompt: None,
                    seed,
                },
            ),
            Op::EndRound => (who(1), Command::EndRound),
            Op::Progressive(progressive) => (
                who(1),
                Command::ConfigureQueue {
                    settings: QueueSettings {
                        progressive,
                        ..self.queue().settings
                    },
                },
            ),
            Op::Remove(n) => (who(1), Command::Remove { participant: id(n) }),
            Op::Leave(n) => (who(n), Command::Leave),
            Op::Race(_) => return None,
        })
    }
}

/// The reference rule, written out: does `a` speak before `b`?
fn goes_before(queue: &Queue, a: &Entry, b: &Entry) -> bool {
    if a.kind != b.kind {
        return a.kind < b.kind;
    }
    match (a.rank, b.rank) {
        (Some(x), Some(y)) if x != y => return x < y,
        (Some(_), None) => return true,
        (None, Some(_)) => return false,
        _ => {}
    }
    if queue.settings.progressive {
        let (x, y) = (
            queue.airtime_of(a.participant),
            queue.airtime_of(b.participant),
        );
        if x != y {
            return x < y;
        }
    }
    a.id < b.id
}

fn check_order(queue: &Queue) {
    let ordered = queue.ordered();
    assert_eq!(ordered.len(), queue.entries.len());
    for (i, earlier) in ordered.iter().enumerate() {
        for later in &ordered[i + 1..] {
            assert!(
                !goes_before(queue, later, earlier),
                "{later:?} should speak before {earlier:?}"
            );
        }
    }
}

fn run_script(script: &[(Op, u64)]) -> World {
    let mut world = World::new();
    for (op, wait) in script {
        world.now = world.now.plus_millis(*wait);
        let last_turn = world.queue().last_turn;
        match op {
            Op::Race(done_first) => {
                let Some(speaker) = world.queue().speaker.clone() else {
                    continue;
                };
                let done = (
                    Actor::Participant(speaker.participant),
                    Command::FinishTurn { turn: speaker.turn },
                );
                let next = (
                    Actor::Participant(id(1)),
                    Command::NextSpeaker {
                        turn: Some(speaker.turn),
                    },
                );
                let (first, second) = if *done_first {
                    (done, next)
                } else {
                    (next, done)
                };
                let first = world.step(first.0, first.1);
                let second = world.step(second.0, second.1);
                // Whichever comes first ends the turn; the other finds it over.
                assert!(first.is_ok(), "{first:?}");
                assert_eq!(second, Err(Rejection::StaleTurn));
                assert!(world.queue().last_turn.0 <= last_turn.0 + 1);
            }
            other => {
                let Some((actor, command)) = world.command(other) else {
                    continue;
                };
                let advancing = matches!(
                    command,
                    Command::NextSpeaker { .. } | Command::FinishTurn { .. }
                );
                let _ = world.step(actor, command);
                if advancing {
                    assert!(world.queue().last_turn.0 <= last_turn.0 + 1);
                }
            }
        }
        check_order(world.queue());
        assert_eq!(
            world.open,
            world.queue().entries.iter().map(|entry| entry.id).collect(),
            "the queue holds exactly the open entries"
        );
    }
    world
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn prop_order_entries_and_airtime_hold_after_every_step(script in script()) {
        let world = run_script(&script);
        for airtime in &world.queue().airtime {
            prop_assert_eq!(
                airtime.millis,
                world.held.get(&airtime.participant).copied().unwrap_or(0),
                "airtime of {}", airtime.participant
            );
        }
        let measured: u64 = world.held.values().sum();
        let recorded: u64 = world.queue().airtime.iter().map(|airtime| airtime.millis).sum();
        prop_assert_eq!(measured, recorded);
    }

    #[test]
    fn prop_browser_and_server_agree(script in script()) {
        // The browser folds the events as sent, and a snapshot taken now
        // reads back as the same room: every screen shows the same queue.
        let world = run_script(&script);
        prop_assert_eq!(&world.browser, &world.room.for_clients());
        let json = serde_json::to_string(&world.room.for_clients()).unwrap();
        let snapshot: Room = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(snapshot.queue.ordered(), world.browser.queue.ordered());
    }
}
