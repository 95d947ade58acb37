//! Properties of the timer over random sequences (issue 6): pause, resume,
//! extend, shorten, reset and the passing of time against a simple model
//! that keeps "time left" by hand; every run-out expires exactly once; and
//! topic timeboxes with random votes never open a second vote for one
//! expiry, never extend past the maximum, and record exact time spent.

mod common;

use common::{NOW, id, props_meetup};
use moot_shared::room::board::Column;
use moot_shared::room::timer::TimerRun;
use moot_shared::text::TopicTitle;
use moot_shared::{Actor, Command, Event, Room, Timestamp};
use proptest::prelude::*;

/// Participants 1..=PEOPLE; 1 is the facilitator.
const PEOPLE: u128 = 4;

/// Applies and folds, checking invariants; returns the events (empty when refused).
fn step(room: &mut Room, actor: Actor, command: Command, now: Timestamp) -> Vec<Event> {
    let events = room.apply(actor, command, now).unwrap_or_default();
    for event in &events {
        room.on_event(event);
    }
    room.check_invariants().expect("invariants hold");
    // The browser folds the same events from the JSON it receives.
    let json = serde_json::to_string(&room.timer).expect("serialises");
    assert_eq!(
        serde_json::from_str::<moot_shared::room::Timer>(&json).expect("reads back"),
        room.timer
    );
    events
}

/// The server's loop: whenever time passes, tick at every deadline
/// reached, in order, as the room task does.
fn pass_time(room: &mut Room, now: &mut Timestamp, by: u64, expiries: &mut u32) {
    let until = now.plus_millis(by);
    while let Some(deadline) = room.next_deadline().filter(|deadline| *deadline <= until) {
        *now = deadline.max(*now);
        let events = step(room, Actor::System, Command::Tick, *now);
        let expired = events
            .iter()
            .filter(|event| matches!(event, Event::TimerExpired { .. }))
            .count();
        assert!(expired <= 1, "one tick expired the timer {expired} times");
        *expiries += u32::try_from(expired).unwrap_or(u32::MAX);
        // A tick at the same moment again finds nothing new.
        assert!(step(room, Actor::System, Command::Tick, *now).is_empty());
    }
    *now = until;
}

#[derive(Clone, Debug)]
enum Op {
    Start(u32),
    Pause,
    Resume,
    Adjust(i32),
    Reset,
    Wait(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (10u32..600).prop_map(Op::Start),
        Just(Op::Pause),
        Just(Op::Resume),
        prop_oneof![-600i32..-1, 1i32..600].prop_map(Op::Adjust),
        Just(Op::Reset),
        (0u64..400_000).prop_map(Op::Wait),
    ]
}

/// The model: what is left, by hand.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Model {
    Idle,
    Running { left: u64 },
    Paused { left: u64 },
    Expired,
}

impl Model {
    fn remaining(self) -> Option<u64> {
        match self {
            Model::Idle => None,
            Model::Running { left } | Model::Paused { left } => Some(left),
            Model::Expired => Some(0),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn prop_the_timer_matches_a_hand_kept_model_and_expires_once(ops in proptest::collection::vec(op(), 1..40)) {
        let mut room = props_meetup(PEOPLE).0;
        let mut now = NOW;
        let mut model = Model::Idle;
        let mut expiries = 0u32;
        let mut model_expiries = 0u32;
        let fran = Actor::Participant(id(1));
        for op in ops {
            match op {
                Op::Start(secs) => {
                    step(&mut room, fran, Command::StartTimer { duration_secs: secs }, now);
                    model = Model::Running { left: u64::from(secs) * 1_000 };
                }
                Op::Pause => {
                    step(&mut room, fran, Command::PauseTimer, now);
                    if let Model::Running { left } = model {
                        model = Model::Paused { left };
                    }
                }
                Op::Resume => {
                    step(&mut room, fran, Command::ResumeTimer, now);
                    if let Model::Paused { left } = model {
                        model = Model::Running { left };
                    }
                }
                Op::Adjust(secs) => {
                    step(&mut room, fran, Command::AdjustTimer { delta_secs: secs }, now);
                    let delta = i64::from(secs) * 1_000;
                    let moved = |left: u64| u64::try_from((i64::try_from(left).unwrap_or(0) + delta).max(0)).unwrap_or(0);
                    model = match model {
                        Model::Running { left } => Model::Running { left: moved(left) },
                        // Shortened to nothing, a paused timer runs out now.
                        Model::Paused { left } if moved(left) == 0 => Model::Running { left: 0 },
                        Model::Paused { left } => Model::Paused { left: moved(left) },
                        Model::Expired if delta > 0 => Model::Running { left: moved(0) },
                        other => other,
                    };
                }
                Op::Reset => {
                    step(&mut room, fran, Command::ResetTimer, now);
                    model = Model::Idle;
                }
                Op::Wait(millis) => {
                    pass_time(&mut room, &mut now, millis, &mut expiries);
                    if let Model::Running { left } = model {
                        model = if left <= millis {
                            model_expiries += 1;
                            Model::Expired
                        } else {
                            Model::Running { left: left - millis }
                        };
                    }
                }
            }
            // A deadline reached by a shortening expires at the next tick,
            // which the server applies at once.
            if let Model::Running { left: 0 } = model {
                pass_time(&mut room, &mut now, 0, &mut expiries);
                model = Model::Expired;
                model_expiries += 1;
            }
            prop_assert_eq!(room.timer.remaining_ms(now), model.remaining(), "{:?}", room.timer);
        }
        prop_assert_eq!(expiries, model_expiries);
    }

    #[test]
    fn prop_topic_timeboxes_vote_once_per_expiry_and_stop_extending(
        votes in proptest::collection::vec(proptest::collection::vec(0u8..3, 3), 1..6),
        max_extensions in 0u8..4,
    ) {
        let mut room = props_meetup(PEOPLE).0;
        let fran = Actor::Participant(id(1));
        let mut now = NOW;
        let settings = moot_shared::room::timer::TimerSettings {
            topic_secs: 60,
            first_extension_secs: 40,
            max_extensions,
        };
        step(&mut room, fran, Command::ConfigureTimer { settings }, now);
        step(&mut room, Actor::Participant(id(2)), Command::ProposeTopic {
            title: TopicTitle::parse("Topic").expect("a title"),
            details: None,
        }, now);
        let topic = room.board.topics[0].id;
        let started = now;
        step(&mut room, fran, Command::StartTopic { topic }, now);
        let mut expiries = 0;
        for round in votes {
            if room.board.topic(topic).map(|t| t.column) != Some(Column::Discussing) {
                break;
            }
            let deadline = room.timer.next_deadline().expect("the timebox runs");
            now = deadline;
            let events = step(&mut room, Actor::System, Command::Tick, now);
            expiries += 1;
            let opened = events.iter().filter(|event| matches!(event, Event::PollOpened { .. })).count();
            let extensions = room.timer.extensions;
            prop_assert_eq!(opened, usize::from(extensions < max_extensions));
            prop_assert!(step(&mut room, Actor::System, Command::Tick, now).is_empty());
            let Some(vote) = room.timer.vote else {
                prop_assert_eq!(room.board.topic(topic).map(|t| t.column), Some(Column::Discussed));
                break;
            };
            for (index, choice) in round.iter().enumerate() {
                now = now.plus_millis(1_000);
                step(&mut room, Actor::Participant(id(2 + index as u128)), Command::CastVote {
                    poll: vote, choice: *choice, reason: None,
                }, now);
            }
            let ups = round.iter().filter(|choice| **choice == 0).count();
            if ups * 2 > round.len() {
                prop_assert_eq!(room.timer.extensions, extensions + 1);
                let step_ms = settings.extension_ms(extensions);
                prop_assert_eq!(room.timer.run, TimerRun::Running { deadline: now.plus_millis(step_ms) });
            } else {
                prop_assert_eq!(room.board.topic(topic).map(|t| t.column), Some(Column::Discussed));
            }
        }
        prop_assert!(room.timer.extensions <= max_extensions);
        prop_assert!(expiries <= usize::from(max_extensions) + 1);
        let polls = room.polls.history.len();
        prop_assert!(polls <= usize::from(max_extensions));
        if let Some(done) = room.board.topic(topic).filter(|t| t.column == Column::Discussed) {
            prop_assert_eq!(done.time_spent_ms, now.millis_since(started));
        }
    }
}
