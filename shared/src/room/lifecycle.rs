//! A meetup's life and its series: ending a meetup, and starting the next
//! one in a series with what is still open.
//!
//! When a facilitator starts the next meetup from an earlier one, the server
//! takes [`carry_over`] of the earlier room and puts it in the new room's
//! opening event: topics that were never discussed go back on the board, and
//! open action items (those of the board, and those kept at the earlier
//! review) come up for review. The group marks each carried action item done,
//! kept or dropped; kept items carry over again next time.

use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

use super::board::{ActionItem, Column, DueDate, Topic, TopicId};
use super::roti::{self, RotiTrend};
use super::{Acting, Actor, Command, Event, Rejection, Room};
use crate::ids::{JoinCode, ParticipantId};
use crate::text::{ActionText, DisplayName, MeetupTitle, TopicDetails, TopicTitle};
use crate::time::Timestamp;

/// A topic carried into the next meetup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct CarriedTopic {
    /// Its title.
    pub title: TopicTitle,
    /// Its details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<TopicDetails>,
    /// Who proposed it, by name (they may not be in the next meetup).
    pub author: DisplayName,
}

/// An open action item carried into the next meetup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct CarriedAction {
    /// What is to be done.
    pub text: ActionText,
    /// Who owns it, by name.
    pub owner: DisplayName,
    /// When it is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DueDate>,
}

/// What a meetup hands to the next one in its series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct CarriedOver {
    /// The earlier meetup's join code.
    pub from_code: JoinCode,
    /// The earlier meetup's title.
    pub from_title: MeetupTitle,
    /// Topics it never discussed.
    pub topics: Vec<CarriedTopic>,
    /// Its open action items.
    pub action_items: Vec<CarriedAction>,
    /// Its agenda's plan, for the next meetup to reuse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda: Option<CarriedAgenda>,
    /// The series' ROTI so far, this meetup's included.
    #[serde(default, skip_serializing_if = "RotiTrend::is_empty")]
    pub roti: RotiTrend,
    /// Its goals still being worked on, with their check-ins, each owned
    /// by nobody until someone of its owner's name joins. Only `group`
    /// ones reach any browser with the opening event (see
    /// [`Event::for_clients`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<super::goals::Goal>,
    /// Who met whom in the breakouts of the series so far, this meetup's
    /// included, by name: the next meetup's groups avoid repeats.
    #[serde(
        default,
        skip_serializing_if = "super::grouping::PairHistory::is_empty"
    )]
    pub met: super::grouping::PairHistory,
    /// The groups of its last breakout, by name, for a breakout that keeps
    /// its pairs (buddies, mentoring pairs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Vec<DisplayName>>,
}

/// An agenda's plan as a meetup hands it on: the format and every phase as
/// described, none of what happened in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct CarriedAgenda {
    /// The format the plan was set from.
    pub format: super::agenda::Format,
    /// The phases, in order (skipped ones too: they were planned).
    pub phases: Vec<super::agenda::PhaseSpec>,
}

/// What the group decided about a carried action item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// It was done.
    Done,
    /// Still open; it carries over again.
    Kept,
    /// No longer wanted.
    Dropped,
}

/// A carried action item under review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct ReviewItem {
    /// Its number in the review, from 1.
    pub id: u32,
    /// The item.
    pub action: CarriedAction,
    /// The group's decision, once made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ReviewOutcome>,
}

/// Where the meetup came from and the review of what it carried.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Series {
    /// The earlier meetup (code and title), if this one follows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<(JoinCode, MeetupTitle)>,
    /// The carried action items to review.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<ReviewItem>,
    /// The earlier meetup's plan, which `reuse_agenda` sets again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_agenda: Option<CarriedAgenda>,
    /// The ROTI of the earlier meetups, and their latest suggestions.
    #[serde(default, skip_serializing_if = "RotiTrend::is_empty")]
    pub roti: RotiTrend,
    /// The meetup that follows this one, once it is open: phones offer to
    /// join it, the shared screen moves to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<NextMeetup>,
}

/// The next meetup of the series, as this one knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct NextMeetup {
    /// Its join code.
    pub code: JoinCode,
    /// Its shared screen's key: on the server and the shared screen only,
    /// so the screen can move there by itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen_key: Option<super::ScreenKey>,
}

impl Series {
    /// Whether the meetup follows no other (left out of snapshots then).
    /// Exactly the default, which a reader fills in for the missing field.
    pub fn is_empty(&self) -> bool {
        *self == Series::default()
    }
}

/// The name of a participant, or a placeholder for an id the room does not know.
fn name_of(room: &Room, id: ParticipantId) -> DisplayName {
    room.participant(id)
        .map(|participant| participant.name.clone())
        .unwrap_or_else(|| DisplayName::parse("someone").expect("a valid placeholder name"))
}

/// What `room` hands to the next meetup of its series: topics still to
/// discuss or parked, the board's action items, review items kept or not
/// yet reviewed, its plan, and the ROTI trend with its own ROTI added.
pub fn carry_over(room: &Room) -> CarriedOver {
    let topics = room
        .board
        .topics
        .iter()
        .filter(|topic| matches!(topic.column, Column::ToDiscuss | Column::Parked))
        .map(|topic| CarriedTopic {
            title: topic.title.clone(),
            details: topic.details.clone(),
            author: topic
                .carried_author
                .clone()
                .unwrap_or_else(|| name_of(room, topic.author)),
        })
        .collect();
    let reviewed = room
        .series
        .review
        .iter()
        .filter(|item| matches!(item.outcome, None | Some(ReviewOutcome::Kept)))
        .map(|item| item.action.clone());
    let from_board = room
        .board
        .action_items
        .iter()
        .map(|item: &ActionItem| CarriedAction {
            text: item.text.clone(),
            owner: name_of(room, item.owner),
            due: item.due.clone(),
        });
    // The plan this meetup ran, or (never set one) the one it could have
    // reused, so a series keeps its shape across a meetup without one.
    let agenda = room
        .agenda
        .format
        .map(|format| CarriedAgenda {
            format,
            phases: room
                .agenda
                .phases
                .iter()
                .map(|phase| phase.spec.clone())
                .collect(),
        })
        .filter(|plan| !plan.phases.is_empty())
        .or_else(|| room.series.last_agenda.clone());
    CarriedOver {
        from_code: room.code.clone(),
        from_title: room.title.clone(),
        topics,
        action_items: reviewed.chain(from_board).collect(),
        agenda,
        roti: roti::trend(room),
        goals: room
            .goals
            .goals
            .iter()
            .filter(|goal| goal.progress().is_open())
            .map(|goal| super::goals::Goal {
                owner: None,
                owner_name: goal
                    .owner
                    .map_or_else(|| goal.owner_name.clone(), |owner| name_of(room, owner)),
                ..goal.clone()
            })
            .collect(),
        met: room.breakouts.met.clone(),
        // The last breakout's groups, or (none here) the ones this meetup
        // was handed, so buddies stay buddies across a meetup without one.
        groups: room.breakouts.runs.last().map_or_else(
            || room.breakouts.carried_groups.clone(),
            |last| {
                last.groups
                    .iter()
                    .map(|group| {
                        group
                            .members
                            .iter()
                            .map(|member| name_of(room, *member))
                            .collect::<Vec<_>>()
                    })
                    .filter(|names| names.len() >= 2)
                    .collect()
            },
        ),
    }
}

/// Fills a new room from what its opening event carried: the topics go on
/// the board (proposed by the facilitator, who opened the meetup), the
/// action items into the review.
pub(super) fn receive(room: &mut Room, carried: &CarriedOver, facilitator: ParticipantId) {
    room.breakouts.met = carried.met.clone();
    room.breakouts.carried_groups = carried.groups.clone();
    room.series.follows = Some((carried.from_code.clone(), carried.from_title.clone()));
    room.series.last_agenda = carried.agenda.clone();
    room.series.roti = carried.roti.clone().bounded();
    let facilitator_name = room
        .participant(facilitator)
        .map(|participant| participant.name.clone());
    for topic in &carried.topics {
        room.board.last_topic += 1;
        // The facilitator holds it until its author arrives (`board::fold`).
        let by_facilitator = facilitator_name
            .as_ref()
            .is_some_and(|name| name.same_as(&topic.author));
        room.board.topics.push(Topic {
            id: TopicId(room.board.last_topic),
            author: facilitator,
            title: topic.title.clone(),
            details: topic.details.clone(),
            column: Column::ToDiscuss,
            dots: Vec::new(),
            started_at: None,
            time_spent_ms: 0,
            merged: Vec::new(),
            carried_author: (!by_facilitator).then(|| topic.author.clone()),
        });
    }
    // Numbered afresh; the facilitator's own are theirs at once, the rest
    // wait for their owner (`goals::fold`).
    for goal in carried
        .goals
        .iter()
        .take(crate::limits::MAX_GOALS_PER_MEETUP)
    {
        let id = room.goals.new_id(room.opened_at);
        let by_facilitator = facilitator_name
            .as_ref()
            .is_some_and(|name| name.same_as(&goal.owner_name));
        room.goals.goals.push(super::goals::Goal {
            id,
            owner: by_facilitator.then_some(facilitator),
            ..goal.clone()
        });
    }
    room.series.review = carried
        .action_items
        .iter()
        .zip(1..)
        .map(|(action, id)| ReviewItem {
            id,
            action: action.clone(),
            outcome: None,
        })
        .collect();
}

/// Decides the lifecycle and review commands.
pub(super) fn decide(
    room: &Room,
    _acting: Acting<'_>,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    match command {
        // A breakout still running ends with the meetup, so its groups
        // count as met for the series.
        Command::EndMeetup => Ok(room
            .breakouts
            .current()
            .map(|breakout| Event::BreakoutEnded {
                breakout: breakout.id,
                at: now,
            })
            .into_iter()
            .chain([Event::MeetupEnded { ended_at: now }])
            .collect()),
        Command::LinkNextMeetup { code, screen_key } => {
            Ok(vec![Event::NextMeetupOpened { code, screen_key }])
        }
        Command::ReviewAction { item, outcome } => {
            let under_review = room
                .series
                .review
                .iter()
                .find(|candidate| candidate.id == item);
            let under_review = under_review.ok_or(Rejection::UnknownReviewItem)?;
            if under_review.outcome == Some(outcome) {
                return Ok(Vec::new());
            }
            Ok(vec![Event::ActionReviewed { item, outcome }])
        }
        _ => Ok(Vec::new()),
    }
}

/// Folds the lifecycle and review events.
pub(super) fn fold(room: &mut Room, event: &Event) {
    match event {
        Event::MeetupEnded { ended_at } => room.ended_at = Some(*ended_at),
        Event::NextMeetupOpened { code, screen_key } => {
            room.series.next = Some(NextMeetup {
                code: code.clone(),
                screen_key: screen_key.clone(),
            });
        }
        Event::ActionReviewed { item, outcome } => {
            if let Some(reviewed) = room
                .series
                .review
                .iter_mut()
                .find(|candidate| candidate.id == *item)
            {
                reviewed.outcome = Some(*outcome);
            }
        }
        _ => {}
    }
}

/// Whether `command` may still be applied once the meetup has ended: only
/// the server's own bookkeeping (people coming back to read, presence,
/// deadlines) — nothing changes the record any more.
pub(super) fn allowed_after_end(actor: Actor, command: &Command) -> bool {
    actor == Actor::System
        && matches!(
            command,
            Command::Rejoin { .. }
                | Command::MarkConnected { .. }
                | Command::MarkDisconnected { .. }
                | Command::LinkNextMeetup { .. }
                | Command::Tick
        )
}
