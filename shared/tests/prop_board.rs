//! Properties of the topic board over random command sequences (issue 4).
//!
//! A reference model keeps each person's dots per topic with the simplest
//! rules (place within budget and cap, take back, withdraw refunds, merge
//! combines up to the cap). After every step the reducer must agree with the
//! model, no budget may be exceeded, at most one topic is being discussed,
//! and every viewer's copy of the room (folded from the events as the server
//! sends them to that viewer) equals the server's view for that viewer and,
//! before the reveal, holds no dot of anyone else.

use std::collections::BTreeMap;

mod common;

use common::{NOW, id, props_meetup, viewers};
use moot_shared::room::Viewer;
use moot_shared::room::board::{BoardSettings, Column, TopicId};
use moot_shared::text::TopicTitle;
use moot_shared::{Actor, Command, Event, ParticipantId, Room};
use proptest::prelude::*;

/// Participants 1..=PEOPLE; 1 is the facilitator.
const PEOPLE: u128 = 5;

#[derive(Clone, Debug)]
enum Step {
    Propose(u128),
    Place(u128, u32),
    TakeBack(u128, u32),
    Withdraw(u128, u32),
    Merge(u32, u32),
    Start(u32),
    Finish(u32),
    Park(u32),
    Unpark(u32),
    Reveal,
    Sort,
    Close,
    Reopen,
}

fn step() -> impl Strategy<Value = Step> {
    let who = 1..=PEOPLE;
    let topic = 1u32..8;
    prop_oneof![
        3 => who.clone().prop_map(Step::Propose),
        8 => (who.clone(), topic.clone()).prop_map(|(w, t)| Step::Place(w, t)),
        3 => (who.clone(), topic.clone()).prop_map(|(w, t)| Step::TakeBack(w, t)),
        1 => (who, topic.clone()).prop_map(|(w, t)| Step::Withdraw(w, t)),
        2 => (topic.clone(), topic.clone()).prop_map(|(a, b)| Step::Merge(a, b)),
        1 => topic.clone().prop_map(Step::Start),
        1 => topic.clone().prop_map(Step::Finish),
        1 => topic.clone().prop_map(Step::Park),
        1 => topic.prop_map(Step::Unpark),
        1 => Just(Step::Reveal),
        1 => Just(Step::Sort),
        1 => Just(Step::Close),
        1 => Just(Step::Reopen),
    ]
}

fn command(step: &Step) -> (Actor, Command) {
    let fran = Actor::Participant(id(1));
    match *step {
        Step::Propose(n) => (
            Actor::Participant(id(n)),
            Command::ProposeTopic {
                title: TopicTitle::parse("A topic").expect("a title"),
                details: None,
            },
        ),
        Step::Place(n, t) => (
            Actor::Participant(id(n)),
            Command::PlaceDot { topic: TopicId(t) },
        ),
        Step::TakeBack(n, t) => (
            Actor::Participant(id(n)),
            Command::TakeBackDot { topic: TopicId(t) },
        ),
        Step::Withdraw(n, t) => (
            Actor::Participant(id(n)),
            Command::WithdrawTopic { topic: TopicId(t) },
        ),
        Step::Merge(a, b) => (
            fran,
            Command::MergeTopics {
                from: TopicId(a),
                into: TopicId(b),
            },
        ),
        Step::Start(t) => (fran, Command::StartTopic { topic: TopicId(t) }),
        Step::Finish(t) => (fran, Command::FinishTopic { topic: TopicId(t) }),
        Step::Park(t) => (fran, Command::ParkTopic { topic: TopicId(t) }),
        Step::Unpark(t) => (fran, Command::UnparkTopic { topic: TopicId(t) }),
        Step::Reveal => (fran, Command::RevealVotes),
        Step::Sort => (fran, Command::SortTopics),
        Step::Close => (fran, Command::CloseVoting),
        Step::Reopen => (fran, Command::ReopenVoting),
    }
}

/// The reference model: dots per (person, topic), and which topics exist.
#[derive(Default)]
struct Model {
    dots: BTreeMap<(ParticipantId, TopicId), u8>,
}

impl Model {
    fn used(&self, who: ParticipantId) -> u32 {
        self.dots
            .iter()
            .filter(|((owner, _), _)| *owner == who)
            .map(|(_, count)| u32::from(*count))
            .sum()
    }

    /// Mirrors the events the reducer accepted.
    fn follow(&mut self, event: &Event, settings: &BoardSettings) {
        match event {
            Event::DotsChanged {
                participant,
                topic: Some(topic),
                count: Some(count),
                ..
            } => {
                let slot = self.dots.entry((*participant, *topic)).or_default();
                // A change is always exactly one dot.
                assert_eq!(slot.abs_diff(*count), 1, "one dot at a time");
                *slot = *count;
            }
            Event::TopicWithdrawn { topic } => self.dots.retain(|(_, t), _| t != topic),
            Event::TopicsMerged { from, into } => {
                let cap = if settings.stacking {
                    settings.dot_budget
                } else {
                    1
                };
                let moved: Vec<(ParticipantId, u8)> = self
                    .dots
                    .iter()
                    .filter(|((_, t), _)| t == from)
                    .map(|((who, _), count)| (*who, *count))
                    .collect();
                self.dots.retain(|(_, t), _| t != from);
                for (who, count) in moved {
                    let slot = self.dots.entry((who, *into)).or_default();
                    *slot = (*slot + count).min(cap);
                }
            }
            _ => {}
        }
        self.dots.retain(|_, count| *count > 0);
    }
}

fn settings() -> impl Strategy<Value = BoardSettings> {
    (1u8..=4, any::<bool>(), prop::bool::weighted(0.8)).prop_map(
        |(dot_budget, stacking, hidden_until_reveal)| BoardSettings {
            dot_budget,
            stacking,
            hidden_until_reveal,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn prop_budgets_hold_and_hidden_dots_stay_with_their_owners(
        settings in settings(),
        steps in prop::collection::vec(step(), 1..80),
    ) {
        let mut room = props_meetup(PEOPLE).0;
        let configured = room
            .apply(Actor::Participant(id(1)), Command::ConfigureBoard { settings }, NOW)
            .expect("configures before any dot");
        for event in &configured {
            room.on_event(event);
        }
        let mut copies: Vec<(Viewer, Room)> =
            viewers(PEOPLE).into_iter().map(|v| (v, room.for_viewer(v))).collect();
        let mut model = Model::default();
        for (index, step) in steps.iter().enumerate() {
            let now = NOW.plus_millis(index as u64 * 1_000);
            let (actor, command) = command(step);
            let before = room.clone();
            let Ok(events) = room.apply(actor, command, now) else {
                prop_assert_eq!(&room, &before);
                continue;
            };
            for event in &events {
                room.on_event(event);
                model.follow(event, &room.board.settings);
                for (viewer, copy) in &mut copies {
                    copy.on_event(&event.for_viewer(*viewer));
                }
            }
            prop_assert_eq!(room.check_invariants(), Ok(()));
            let board = &room.board;
            prop_assert!(board.column(Column::Discussing).count() <= 1);
            for n in 1..=PEOPLE {
                let who = id(n);
                prop_assert!(board.dots_used(who) <= u32::from(settings.dot_budget));
                prop_assert_eq!(board.dots_used(who), model.used(who));
                for topic in &board.topics {
                    prop_assert_eq!(
                        topic.dots_of(who),
                        model.dots.get(&(who, topic.id)).copied().unwrap_or(0)
                    );
                }
            }
            for (viewer, copy) in &copies {
                prop_assert_eq!(copy, &room.for_viewer(*viewer));
                if board.votes_hidden() {
                    for topic in &copy.board.topics {
                        for stack in &topic.dots {
                            prop_assert_eq!(*viewer, Viewer::Participant(stack.participant));
                        }
                    }
                    // What each viewer is sent holds no one else's dots.
                    for event in &events {
                        if let Event::DotsChanged { participant, .. } = event
                            && *viewer != Viewer::Participant(*participant)
                        {
                            let seen = event.for_viewer(*viewer);
                            let redacted = matches!(
                                &*seen,
                                Event::DotsChanged { topic: None, count: None, .. }
                            );
                            prop_assert!(redacted);
                        }
                    }
                }
            }
        }
    }
}
