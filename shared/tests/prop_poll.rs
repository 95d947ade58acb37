//! Properties of polls over random vote sequences (issue 5): counts equal
//! the last vote of each voter, no viewer's copy of the room holds another's
//! vote before the reveal, and an anonymous poll never pairs a voter with a
//! choice in anything a viewer receives. A ROTI poll is anonymous whatever
//! secrecy its opener asked for, and keeps the same properties (issue 16). Each viewer folds the events as the
//! server would send them to it, and must end with the server's view of the
//! room for that viewer.

mod common;

use common::{NOW, id, props_meetup, viewers};
use moot_shared::room::Viewer;
use moot_shared::room::poll::{PollId, PollKind, PollSetup, PollStatus, Secrecy};
use moot_shared::text::{PollQuestion, PollReason};
use moot_shared::{Actor, Command, Room};
use proptest::prelude::*;

/// Participants 1..=PEOPLE; 1 is the facilitator.
const PEOPLE: u128 = 6;

#[derive(Clone, Debug)]
enum Step {
    Vote { who: u128, choice: u8, reason: bool },
    Reveal,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => (1..=PEOPLE, 0u8..6, any::<bool>())
            .prop_map(|(who, choice, reason)| Step::Vote { who, choice, reason }),
        1 => Just(Step::Reveal),
    ]
}

fn secrecy() -> impl Strategy<Value = Secrecy> {
    prop_oneof![
        Just(Secrecy::Secret),
        Just(Secrecy::Open),
        Just(Secrecy::Anonymous)
    ]
}

proptest! {
    #[test]
    fn prop_votes_are_counted_and_never_leak(
        secrecy in secrecy(),
        roti in any::<bool>(),
        auto_reveal in any::<bool>(),
        steps in proptest::collection::vec(step(), 0..30),
    ) {
        let (mut room, mut events) = props_meetup(PEOPLE);
        let setup = PollSetup {
            question: PollQuestion::parse("Agree?").expect("a question"),
            kind: if roti { PollKind::Roti } else { PollKind::Proposal },
            options: Vec::new(),
            secrecy,
            auto_reveal,
            time_limit_secs: None,
            question_key: None,
        };
        // What the poll is, as opened: a ROTI is anonymous whatever was asked.
        let secrecy = if roti { Secrecy::Anonymous } else { secrecy };
        let options = if roti { 5 } else { 4 };
        let poll = PollId(1);
        for event in room.apply(Actor::Participant(id(1)), Command::OpenPoll { setup }, NOW).expect("opens") {
            room.on_event(&event);
            events.push(event);
        }
        // The reference model: each voter's last accepted vote.
        let mut last: std::collections::BTreeMap<u128, u8> = Default::default();
        for step in steps {
            let (actor, command, voter) = match step {
                Step::Vote { who, choice, reason } => (
                    Actor::Participant(id(who)),
                    Command::CastVote {
                        poll,
                        choice,
                        reason: reason.then(|| PollReason::parse(&format!("because {who}")).expect("a reason")),
                    },
                    Some((who, choice)),
                ),
                Step::Reveal => (Actor::Participant(id(1)), Command::RevealPoll { poll }, None),
            };
            let was_open = room.polls.get(poll).is_some_and(|poll| poll.is_open());
            if let Ok(new) = room.apply(actor, command, NOW) {
                if let (Some((who, choice)), true) = (voter, was_open) {
                    last.insert(who, choice);
                }
                for event in new {
                    room.on_event(&event);
                    room.check_invariants().map_err(TestCaseError::fail)?;
                    events.push(event);
                }
            }
            // Before the reveal, no viewer's room holds another's choice.
            let current = room.polls.get(poll).expect("the poll");
            if current.is_open() && secrecy != Secrecy::Open {
                for viewer in viewers(PEOPLE) {
                    let seen = room.for_viewer(viewer);
                    for ballot in &seen.polls.get(poll).expect("the poll").ballots {
                        let own = matches!((ballot.voter, viewer), (Some(v), Viewer::Participant(me)) if v == me)
                            || ballot.voter.is_none();
                        prop_assert!(own || ballot.choice.is_none(), "{viewer:?} saw {ballot:?}");
                    }
                }
            }
        }
        // Close: the results count each voter's last vote.
        for event in room.apply(Actor::Participant(id(1)), Command::ClosePoll { poll }, NOW).expect("closes") {
            room.on_event(&event);
            events.push(event);
        }
        let closed = room.polls.get(poll).expect("the poll");
        prop_assert_eq!(closed.status, PollStatus::Closed);
        prop_assert_eq!(closed.setup.secrecy, secrecy);
        let mut expected = vec![0u32; options];
        for choice in last.values() {
            expected[usize::from(*choice)] += 1;
        }
        prop_assert_eq!(&closed.results.as_ref().expect("results").counts, &expected);

        // Each viewer folds what the server sends it and agrees with its view.
        for viewer in viewers(PEOPLE) {
            let mut folded = Room::opened(&events[0].for_viewer(viewer), NOW).expect("opens");
            for event in &events[1..] {
                let sent = event.for_viewer(viewer);
                let text = serde_json::to_string(sent.as_ref()).expect("serialises");
                if secrecy == Secrecy::Anonymous {
                    prop_assert!(
                        !(text.contains("\"voter\"") && text.contains("\"choice\"")),
                        "{viewer:?} received {text}"
                    );
                }
                folded.on_event(&sent);
            }
            prop_assert_eq!(folded, room.for_viewer(viewer));
        }
    }
}
