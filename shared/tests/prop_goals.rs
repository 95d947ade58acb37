//! Goals' secrecy over random command sequences (issue 16): people set,
//! edit, check in on and remove goals of every visibility while whoever runs
//! the meetup pairs and unpairs buddies. After every step:
//!
//! - every viewer's copy of the room, folded from the events as the server
//!   sends them to that viewer, equals the server's view for that viewer;
//! - a viewer's view holds a goal only if the viewer may see it, by the
//!   rules worked out here independently of the reducer (group: everyone;
//!   buddy: the owner and the owner's buddy; private: the owner alone; the
//!   shared screen only group goals);
//! - no event as sent to a viewer carries the text of a goal that viewer
//!   may not see.

mod common;

use common::{NOW, id, props_meetup, viewers};
use moot_shared::json;
use moot_shared::room::Viewer;
use moot_shared::room::goals::{Goal, GoalId, GoalKind, GoalProgress, GoalVisibility, Goals};
use moot_shared::text::{GoalNote, GoalText};
use moot_shared::{Actor, Command, Event, ParticipantId, Room};
use proptest::prelude::*;

/// Participants 1..=PEOPLE; 1 is the facilitator.
const PEOPLE: u128 = 5;

#[derive(Clone, Debug)]
enum Step {
    Set(u128, usize),
    Edit(u128, u16, usize),
    CheckIn(u128, u16, usize),
    Remove(u128, u16),
    Buddy(u128, Option<u128>),
}

fn step() -> impl Strategy<Value = Step> {
    let who = 1..=PEOPLE;
    let goal = 1u16..10;
    prop_oneof![
        4 => (who.clone(), 0..3usize).prop_map(|(w, v)| Step::Set(w, v)),
        3 => (who.clone(), goal.clone(), 0..3usize).prop_map(|(w, g, v)| Step::Edit(w, g, v)),
        3 => (who.clone(), goal.clone(), 0..5usize).prop_map(|(w, g, p)| Step::CheckIn(w, g, p)),
        1 => (who.clone(), goal).prop_map(|(w, g)| Step::Remove(w, g)),
        3 => (who.clone(), proptest::option::of(who)).prop_map(|(a, b)| Step::Buddy(a, b)),
    ]
}

/// The command of a step in `room`; every text names the step, so a leak
/// is found by searching for it. A step's goal is the room's n-th (anyone's),
/// or a number no goal has.
fn command(room: &Room, step: &Step, index: usize) -> (Actor, Command) {
    let nth = |n: u16| {
        room.goals
            .goals
            .get(usize::from(n) - 1)
            .map_or(GoalId(u64::from(n)), |goal| goal.id)
    };
    let text = |what: &str| GoalText::parse(&format!("{what} goal [{index}]")).expect("a goal");
    match *step {
        Step::Set(who, visibility) => (
            Actor::Participant(id(who)),
            Command::SetGoal {
                text: text("Secret"),
                kind: GoalKind::Learn,
                visibility: GoalVisibility::ALL[visibility],
                due: None,
            },
        ),
        Step::Edit(who, goal, visibility) => (
            Actor::Participant(id(who)),
            Command::EditGoal {
                goal: nth(goal),
                text: text("Edited"),
                kind: GoalKind::Teach,
                visibility: GoalVisibility::ALL[visibility],
                due: None,
            },
        ),
        Step::CheckIn(who, goal, progress) => (
            Actor::Participant(id(who)),
            Command::CheckInGoal {
                goal: nth(goal),
                progress: GoalProgress::ALL[progress],
                note: GoalNote::parse(&format!("Note {index}")).ok(),
            },
        ),
        Step::Remove(who, goal) => (
            Actor::Participant(id(who)),
            Command::RemoveGoal { goal: nth(goal) },
        ),
        Step::Buddy(first, second) => (
            Actor::Participant(id(1)),
            Command::SetBuddy {
                participant: id(first),
                buddy: second.map(id),
            },
        ),
    }
}

/// `participant`'s buddy, read off the pairs.
fn buddy_of(goals: &Goals, participant: ParticipantId) -> Option<ParticipantId> {
    goals.buddies.iter().find_map(|&(a, b)| {
        (a == participant)
            .then_some(b)
            .or((b == participant).then_some(a))
    })
}

/// Whether `viewer` may see `goal`, by the rules of the issue.
fn may_see(goals: &Goals, goal: &Goal, viewer: Viewer) -> bool {
    let Viewer::Participant(me) = viewer else {
        return goal.visibility == GoalVisibility::Group;
    };
    match goal.visibility {
        GoalVisibility::Group => true,
        GoalVisibility::Buddy => {
            goal.owner == Some(me)
                || goal.owner.and_then(|owner| buddy_of(goals, owner)) == Some(me)
        }
        GoalVisibility::Private => goal.owner == Some(me),
    }
}

/// The texts of the goals in an event as the server makes it.
fn texts_in(event: &Event) -> Vec<(String, Goal)> {
    match event {
        Event::GoalSaved { shown } => vec![(shown.goal.text.to_string(), shown.goal.clone())],
        Event::BuddiesSet { goals, .. } => goals
            .iter()
            .map(|shown| (shown.goal.text.to_string(), shown.goal.clone()))
            .collect(),
        _ => Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn prop_a_goal_reaches_only_who_may_see_it(
        steps in prop::collection::vec(step(), 1..60),
    ) {
        let mut room = props_meetup(PEOPLE).0;
        let mut copies: Vec<(Viewer, Room)> =
            viewers(PEOPLE).into_iter().map(|v| (v, room.for_viewer(v))).collect();
        for (index, step) in steps.iter().enumerate() {
            let now = NOW.plus_millis(index as u64 * 1_000);
            let (actor, command) = command(&room, step, index);
            let before = room.clone();
            let Ok(events) = room.apply(actor, command, now) else {
                prop_assert_eq!(&room, &before);
                continue;
            };
            for event in &events {
                room.on_event(event);
                for (viewer, copy) in &mut copies {
                    let seen = event.for_viewer(*viewer);
                    // The text of a goal the viewer may not see (after this
                    // event) is nowhere in what they are sent.
                    let sent = json::to_string(&*seen);
                    for (text, goal) in texts_in(event) {
                        if !may_see(&room.goals, &goal, *viewer) {
                            prop_assert!(
                                !sent.contains(&text),
                                "{:?} was sent {} ({:?})", viewer, sent, goal.visibility
                            );
                        }
                    }
                    copy.on_event(&seen);
                }
            }
            prop_assert_eq!(room.check_invariants(), Ok(()));
            for (viewer, copy) in &copies {
                let view = room.for_viewer(*viewer);
                prop_assert_eq!(copy, &view);
                for goal in &room.goals.goals {
                    let shown = view.goals.goals.iter().any(|kept| kept.id == goal.id);
                    prop_assert_eq!(
                        shown,
                        may_see(&room.goals, goal, *viewer),
                        "{:?} and goal {:?} ({:?})", viewer, goal.id, goal.visibility
                    );
                }
            }
        }
    }
}
