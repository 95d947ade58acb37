//! Goals: what each person wants to achieve, learn or teach, set for
//! themselves, checked in on at each meetup and carried over the series
//! like open action items (keyed by the owner's name).
//!
//! # Who sees a goal
//!
//! A goal's visibility decides its [`Audience`]: `group` goals are
//! everyone's (the shared screen and the minutes included); `buddy` goals
//! are their owner's and their owner's buddy's (a pair the facilitator sets
//! with [`Command::SetBuddy`] until breakouts form pairs); `private` goals
//! are their owner's alone. Whoever is outside a goal's audience never
//! receives its text, in a snapshot or in an event:
//!
//! - Every goal event carries the audience it is for, worked out by the
//!   reducer from the room at the time, and [`Event::for_viewer`] gives
//!   anyone outside it [`Event::Withheld`] instead (every member still
//!   receives every sequence number). An event that takes a goal out of
//!   someone's audience (a goal made private, a buddy changed) gives them
//!   only the goal's number to drop.
//! - [`Room::for_viewer`] keeps the goals in the viewer's audience.
//!
//! So a phone folding its own events holds exactly the goals its snapshot
//! would have (a property test checks this for random commands and every
//! viewer). Facilitators see no more than anyone else: a private goal is
//! private from whoever runs the meetup too, and only its owner may change
//! it.
//!
//! A goal carried from an earlier meetup belongs to nobody here until
//! someone of its owner's name joins; until then a buddy or private goal
//! has nobody in its audience.

use serde::{Deserialize, Serialize};

use super::board::DueDate;
use super::{Acting, Command, Event, Rejection, Room, Viewer};
use crate::ids::{ParticipantId, number_newtype};
use crate::json::{FromJson, ToJson};
use crate::limits::{MAX_GOAL_CHECKINS, MAX_GOALS_PER_MEETUP, MAX_OPEN_GOALS_PER_PERSON};
use crate::text::{DisplayName, GoalNote, GoalText};
use crate::time::Timestamp;

number_newtype! {
    /// A goal's number within its meetup: the server time it was set (or
    /// the meetup opened, for a carried one) in milliseconds, counted up
    /// past any goal's number already in use. Not a count: a running count
    /// would tell everyone how many goals they may not see, and a number
    /// taken from the time is never given again to another goal once one
    /// is removed (a phone's queued edit of a removed goal cannot reach a
    /// new one).
    GoalId(u64)
}

/// What kind of goal: reverse mentoring is a two-way street, so someone
/// may set out to teach as well as to learn.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson,
)]
#[serde(rename_all = "snake_case")]
pub enum GoalKind {
    /// Something to get done.
    #[default]
    Achieve,
    /// Something to learn.
    Learn,
    /// Something to teach.
    Teach,
}

/// Who may read a goal.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson,
)]
#[serde(rename_all = "snake_case")]
pub enum GoalVisibility {
    /// Everyone in the meetup, the shared screen and the minutes.
    #[default]
    Group,
    /// Its owner and their buddy.
    Buddy,
    /// Its owner alone.
    Private,
}

/// Where a goal stands, as its owner last said.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson,
)]
#[serde(rename_all = "snake_case")]
pub enum GoalProgress {
    /// Set, not checked in on yet.
    #[default]
    Open,
    /// Moving.
    Progress,
    /// Not moving; the group may help.
    Stuck,
    /// Reached.
    Done,
    /// Given up.
    Dropped,
}

impl GoalVisibility {
    /// Every visibility, widest first.
    pub const ALL: [GoalVisibility; 3] = [
        GoalVisibility::Group,
        GoalVisibility::Buddy,
        GoalVisibility::Private,
    ];
}

impl GoalKind {
    /// Every kind.
    pub const ALL: [GoalKind; 3] = [GoalKind::Achieve, GoalKind::Learn, GoalKind::Teach];
}

impl GoalProgress {
    /// Every state, from set to given up.
    pub const ALL: [GoalProgress; 5] = [
        GoalProgress::Open,
        GoalProgress::Progress,
        GoalProgress::Stuck,
        GoalProgress::Done,
        GoalProgress::Dropped,
    ];

    /// Whether a goal in this state is still being worked on (and carries
    /// over to the next meetup).
    pub fn is_open(self) -> bool {
        !matches!(self, GoalProgress::Done | GoalProgress::Dropped)
    }
}

/// One check-in on a goal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct CheckIn {
    /// When (server clock; carried check-ins keep their earlier meetup's time).
    pub at: Timestamp,
    /// Where the goal stands.
    pub progress: GoalProgress,
    /// What happened, in a line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<GoalNote>,
}

/// A goal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Goal {
    /// Its number.
    pub id: GoalId,
    /// Whose it is; absent for a goal carried from an earlier meetup whose
    /// owner has not joined this one yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<ParticipantId>,
    /// The owner's name when it was set, by which it carries over.
    pub owner_name: DisplayName,
    /// The goal.
    pub text: GoalText,
    /// Achieve, learn or teach.
    pub kind: GoalKind,
    /// Who may read it.
    pub visibility: GoalVisibility,
    /// By when, if its owner said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DueDate>,
    /// Its check-ins, oldest first, the latest [`MAX_GOAL_CHECKINS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checkins: Vec<CheckIn>,
}

impl Goal {
    /// Where it stands now: its latest check-in's progress.
    pub fn progress(&self) -> GoalProgress {
        self.checkins
            .last()
            .map_or(GoalProgress::Open, |checkin| checkin.progress)
    }
}

/// Who may see a goal, as the reducer worked it out when an event was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
#[serde(tag = "kind", content = "participants", rename_all = "snake_case")]
pub enum Audience {
    /// Everyone, the shared screen included.
    Everyone,
    /// These participants only (possibly nobody).
    Only(Vec<ParticipantId>),
}

impl Audience {
    /// Whether `viewer` is in it.
    pub fn includes(&self, viewer: Viewer) -> bool {
        match (self, viewer) {
            (Audience::Everyone, _) => true,
            (Audience::Only(people), Viewer::Participant(id)) => people.contains(&id),
            (Audience::Only(_), Viewer::Screen) => false,
        }
    }
}

/// A goal with the audience it has after an event, and the one it had
/// before (absent for a new goal): what a viewer gains or loses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct GoalShown {
    /// The goal as it now is.
    pub goal: Goal,
    /// Who may see it now.
    pub audience: Audience,
    /// Who could see it before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was: Option<Audience>,
}

/// The meetup's goals and its buddy pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Goals {
    /// Every goal, in the order of their numbers (carried ones first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<Goal>,
    /// Buddy pairs; each person is in at most one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buddies: Vec<(ParticipantId, ParticipantId)>,
}

impl Goals {
    /// Nothing set and nobody paired (left out of snapshots).
    /// Exactly the default, which a reader fills in for the missing field.
    pub fn is_pristine(&self) -> bool {
        *self == Goals::default()
    }

    /// The number for a goal set at `at`: see [`GoalId`].
    pub fn new_id(&self, at: Timestamp) -> GoalId {
        let mut id = at.0;
        while self.goal(GoalId(id)).is_some() {
            id += 1;
        }
        GoalId(id)
    }

    /// The goal with this number.
    pub fn goal(&self, id: GoalId) -> Option<&Goal> {
        self.goals.iter().find(|goal| goal.id == id)
    }

    /// `participant`'s buddy, if they have one.
    pub fn buddy_of(&self, participant: ParticipantId) -> Option<ParticipantId> {
        self.buddies.iter().find_map(|&(first, second)| {
            if first == participant {
                Some(second)
            } else if second == participant {
                Some(first)
            } else {
                None
            }
        })
    }

    /// Who may see `goal` with these buddy pairs.
    pub fn audience(&self, goal: &Goal) -> Audience {
        match goal.visibility {
            GoalVisibility::Group => Audience::Everyone,
            GoalVisibility::Buddy => Audience::Only(
                goal.owner
                    .into_iter()
                    .chain(goal.owner.and_then(|owner| self.buddy_of(owner)))
                    .collect(),
            ),
            GoalVisibility::Private => Audience::Only(goal.owner.into_iter().collect()),
        }
    }

    /// `participant`'s goals still being worked on.
    pub fn open_goals_of(&self, participant: ParticipantId) -> impl Iterator<Item = &Goal> {
        self.goals
            .iter()
            .filter(move |goal| goal.owner == Some(participant) && goal.progress().is_open())
    }
}

/// The goal `id` if `acting` owns it: only a goal's owner changes it.
fn own_goal<'a>(room: &'a Room, acting: Acting<'_>, id: GoalId) -> Result<&'a Goal, Rejection> {
    let me = acting.member()?.id;
    let goal = room.goals.goal(id).ok_or(Rejection::UnknownGoal)?;
    if goal.owner == Some(me) {
        Ok(goal)
    } else {
        Err(Rejection::NotYourGoal)
    }
}

/// The event for `goal` as it will be, whose audience was `was` before.
fn saved(room: &Room, goal: Goal, was: Option<Audience>) -> Event {
    let audience = room.goals.audience(&goal);
    Event::GoalSaved {
        shown: GoalShown {
            goal,
            audience,
            was,
        },
    }
}

/// Decides a member's goal commands: each person sets, edits and checks in
/// on their own goals.
pub(super) fn decide_member(
    room: &Room,
    acting: Acting<'_>,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let me = acting.member()?;
    match command {
        Command::SetGoal {
            text,
            kind,
            visibility,
            due,
        } => {
            if room.goals.goals.len() >= MAX_GOALS_PER_MEETUP {
                return Err(Rejection::TooManyGoals {
                    max: MAX_GOALS_PER_MEETUP as u16,
                });
            }
            if room.goals.open_goals_of(me.id).count() >= MAX_OPEN_GOALS_PER_PERSON {
                return Err(Rejection::TooManyOpenGoals {
                    max: MAX_OPEN_GOALS_PER_PERSON as u8,
                });
            }
            let goal = Goal {
                id: room.goals.new_id(now),
                owner: Some(me.id),
                owner_name: me.name.clone(),
                text,
                kind,
                visibility,
                due,
                checkins: Vec::new(),
            };
            Ok(vec![saved(room, goal, None)])
        }
        Command::EditGoal {
            goal,
            text,
            kind,
            visibility,
            due,
        } => {
            let before = own_goal(room, acting, goal)?;
            let was = room.goals.audience(before);
            let goal = Goal {
                text,
                kind,
                visibility,
                due,
                ..before.clone()
            };
            Ok(vec![saved(room, goal, Some(was))])
        }
        Command::CheckInGoal {
            goal,
            progress,
            note,
        } => {
            let before = own_goal(room, acting, goal)?;
            // Reopening a finished goal counts against the open ones.
            if !before.progress().is_open()
                && progress.is_open()
                && room.goals.open_goals_of(me.id).count() >= MAX_OPEN_GOALS_PER_PERSON
            {
                return Err(Rejection::TooManyOpenGoals {
                    max: MAX_OPEN_GOALS_PER_PERSON as u8,
                });
            }
            let was = room.goals.audience(before);
            let mut goal = before.clone();
            goal.checkins.push(CheckIn {
                at: now,
                progress,
                note,
            });
            let excess = goal.checkins.len().saturating_sub(MAX_GOAL_CHECKINS);
            goal.checkins.drain(..excess);
            Ok(vec![saved(room, goal, Some(was))])
        }
        Command::RemoveGoal { goal } => {
            let before = own_goal(room, acting, goal)?;
            Ok(vec![Event::GoalRemoved {
                goal,
                audience: room.goals.audience(before),
            }])
        }
        _ => Err(Rejection::ServerOnly),
    }
}

/// Decides whoever runs the meetup pairing buddies: `participant` and
/// `buddy` become each other's buddy, leaving the pairs they were in; no
/// buddy leaves `participant` on their own. The event carries every buddy
/// goal whose audience this changes.
pub(super) fn decide_running(
    room: &Room,
    _acting: Acting<'_>,
    command: Command,
) -> Result<Vec<Event>, Rejection> {
    let Command::SetBuddy { participant, buddy } = command else {
        return Err(Rejection::ServerOnly);
    };
    let active = |id: ParticipantId| room.active_participants().any(|person| person.id == id);
    if !active(participant) || buddy.is_some_and(|buddy| !active(buddy)) {
        return Err(Rejection::UnknownParticipant);
    }
    if buddy == Some(participant) {
        return Err(Rejection::OwnBuddy);
    }
    let mut after = room.goals.clone();
    pair(&mut after.buddies, participant, buddy);
    let goals = changed_audiences(&room.goals, &after);
    Ok(vec![Event::BuddiesSet {
        buddies: after.buddies,
        goals,
        hidden: Vec::new(),
    }])
}

/// `buddies` with `participant` paired with `buddy` (or with nobody), each
/// of them taken out of any pair they were in.
fn pair(
    buddies: &mut Vec<(ParticipantId, ParticipantId)>,
    participant: ParticipantId,
    buddy: Option<ParticipantId>,
) {
    buddies.retain(|&(first, second)| {
        ![first, second]
            .iter()
            .any(|&person| person == participant || Some(person) == buddy)
    });
    if let Some(buddy) = buddy {
        buddies.push((participant, buddy));
    }
}

/// The goals whose audience differs between `before` and `after` (which
/// differ only in their buddy pairs), with both audiences.
fn changed_audiences(before: &Goals, after: &Goals) -> Vec<GoalShown> {
    before
        .goals
        .iter()
        .filter_map(|goal| {
            let (was, audience) = (before.audience(goal), after.audience(goal));
            (was != audience).then(|| GoalShown {
                goal: goal.clone(),
                audience,
                was: Some(was),
            })
        })
        .collect()
}

/// Folds a goal event into the room.
pub(super) fn fold(room: &mut Room, event: &Event) {
    let goals = &mut room.goals;
    match event {
        Event::GoalSaved { shown } => upsert(goals, &shown.goal),
        Event::GoalRemoved { goal, .. } => goals.goals.retain(|kept| kept.id != *goal),
        Event::GoalHidden { goal } => goals.goals.retain(|kept| kept.id != *goal),
        Event::BuddiesSet {
            buddies,
            goals: shown,
            hidden,
        } => {
            goals.buddies.clone_from(buddies);
            goals.goals.retain(|kept| !hidden.contains(&kept.id));
            for shown in shown {
                upsert(goals, &shown.goal);
            }
        }
        // Someone of a carried goal's owner's name arrives: it is theirs.
        Event::ParticipantJoined {
            participant, name, ..
        } => {
            for goal in &mut goals.goals {
                if goal.owner.is_none() && goal.owner_name.same_as(name) {
                    goal.owner = Some(*participant);
                }
            }
        }
        _ => {}
    }
}

/// Puts `goal` in place of the goal of its number, or adds it where its
/// number goes: goals are kept in the order of their numbers, so a viewer
/// who gains a goal later holds it where everyone else does.
fn upsert(goals: &mut Goals, goal: &Goal) {
    match goals.goals.binary_search_by_key(&goal.id, |kept| kept.id) {
        Ok(index) => goals.goals[index].clone_from(goal),
        Err(index) => goals.goals.insert(index, goal.clone()),
    }
}

/// A goal event as `viewer` may see it; `None` when it reads the same to
/// them as it is.
pub(super) fn event_for_viewer(event: &Event, viewer: Viewer) -> Option<Event> {
    match event {
        Event::GoalSaved { shown } if !shown.audience.includes(viewer) => Some(
            if shown.was.as_ref().is_some_and(|was| was.includes(viewer)) {
                Event::GoalHidden {
                    goal: shown.goal.id,
                }
            } else {
                Event::Withheld
            },
        ),
        Event::GoalRemoved { audience, .. } if !audience.includes(viewer) => Some(Event::Withheld),
        Event::BuddiesSet { buddies, goals, .. } => {
            let seen: Vec<GoalShown> = goals
                .iter()
                .filter(|shown| shown.audience.includes(viewer))
                .cloned()
                .collect();
            if seen.len() == goals.len() {
                return None;
            }
            let hidden: Vec<GoalId> = goals
                .iter()
                .filter(|shown| {
                    !shown.audience.includes(viewer)
                        && shown.was.as_ref().is_some_and(|was| was.includes(viewer))
                })
                .map(|shown| shown.goal.id)
                .collect();
            Some(Event::BuddiesSet {
                buddies: buddies.clone(),
                goals: seen,
                hidden,
            })
        }
        _ => None,
    }
}

/// Whether a goal event may read differently to different viewers.
pub(super) fn is_personal(event: &Event) -> bool {
    match event {
        Event::GoalSaved { shown } => {
            shown.audience != Audience::Everyone
                || shown
                    .was
                    .as_ref()
                    .is_some_and(|was| *was != Audience::Everyone)
        }
        Event::GoalRemoved { audience, .. } => *audience != Audience::Everyone,
        Event::BuddiesSet { goals, .. } => !goals.is_empty(),
        _ => false,
    }
}

/// The goals as `viewer` may see them.
pub(super) fn for_viewer(goals: &Goals, viewer: Viewer) -> Goals {
    let mut visible = goals.clone();
    visible
        .goals
        .retain(|goal| goals.audience(goal).includes(viewer));
    visible
}

/// Checks the goals' invariants.
pub(super) fn check_invariants(room: &Room) -> Result<(), String> {
    let goals = &room.goals;
    if goals.goals.len() > MAX_GOALS_PER_MEETUP {
        return Err(format!("{} goals", goals.goals.len()));
    }
    for (index, goal) in goals.goals.iter().enumerate() {
        if index > 0 && goals.goals[index - 1].id >= goal.id {
            return Err(format!(
                "goal {} is out of order or listed twice",
                goal.id.0
            ));
        }
        if goal.checkins.len() > MAX_GOAL_CHECKINS {
            return Err(format!("goal {} keeps too many check-ins", goal.id.0));
        }
    }
    let mut paired: Vec<ParticipantId> = goals
        .buddies
        .iter()
        .flat_map(|&(first, second)| [first, second])
        .collect();
    let count = paired.len();
    paired.sort();
    paired.dedup();
    if paired.len() != count {
        return Err("someone is in two buddy pairs, or their own buddy".to_owned());
    }
    Ok(())
}
