//! Breakouts: the people present split into numbered groups (pairs, triads,
//! foursomes) for a while, then brought back. Work buddies meet in pairs,
//! troika consulting in triads, 1-2-4-All in pairs and then fours.
//!
//! A breakout belongs to a phase of the agenda of kind
//! [`PhaseKind::Breakout`](super::agenda::PhaseKind::Breakout): entering the
//! phase starts it ([`Command::StartBreakout`]), leaving it ends it. The
//! groups are chosen once, by the server, with [`super::grouping`] (the seed
//! and the rule are in the event, so a replay gives the same groups), and
//! are numbered like a video call's breakout rooms ("Group 1" is "Room 1").
//!
//! # Steps and rounds
//!
//! A breakout runs a [`BreakoutScript`]: rounds of timed steps with the same
//! groups (troika consulting: three rounds of four steps, the client
//! rotating). The phase's planned length is shared out over the steps; each
//! step's end is a deadline of the room, so the server's tick moves every
//! group on at once ([`Event::BreakoutStepStarted`]), and after the last
//! step the breakout closes with a short countdown
//! ([`Event::BreakoutClosing`], then [`Event::BreakoutEnded`]). Whoever runs
//! the meetup may move on a step early, give more time, or bring everyone
//! back at any moment. An untimed phase gives untimed steps.
//!
//! # Who sees a group's notes
//!
//! Each group keeps notes of its own. They are private to the group, as a
//! secret vote is to its voter: the people who are or were in the group
//! (its `audience`) receive them, and nobody else does — not another group,
//! not whoever runs the meetup, not the shared screen — in events, in
//! snapshots or in replays. Note events carry their audience, and
//! [`Event::for_viewer`] gives everyone outside it [`Event::Withheld`]; a
//! person moved into a group receives its notes with the move. After the
//! breakout, any member may share their group's notes with everyone
//! ([`Command::ShareGroupNotes`]): then they are everyone's, for the
//! debrief and the minutes.
//!
//! # Coming and going
//!
//! Someone who joins (or comes back) during a breakout is placed in the
//! smallest group, among those the one whose members they met least.
//! Someone who leaves (or turns gone) leaves their group; a partner left
//! alone may join another group ([`Command::JoinGroup`]) or wait for the
//! next arrival, who is placed with them.
//!
//! - [`script`]: the formats' steps, their timing and the roles in a group;
//! - [`decide`]: the commands, and what follows from people coming and going;
//! - [`fold`]: the events, and what each viewer may see.

mod decide;
mod fold;
pub mod script;

pub use decide::GROUP_SIZES;
pub(in crate::room) use decide::{
    after_membership, check_size, decide_member, decide_running, expire, next_deadline,
};
pub(in crate::room) use fold::{check_invariants, event_for_viewer, fold, for_viewer, is_personal};

use serde::{Deserialize, Serialize};

pub use script::{BreakoutScript, GroupRole};

use super::Viewer;
use super::agenda::PhaseId;
use super::grouping::PairHistory;
use crate::ids::{ParticipantId, number_newtype};
use crate::json::{FromJson, ToJson, Variants};
use crate::text::{CallLink, DisplayName, GroupNoteText};
use crate::time::Timestamp;

number_newtype! {
    /// A breakout's number within its meetup, from 1.
    BreakoutId(u16)
}

number_newtype! {
    /// A group's number within its breakout, from 1 ("Group 2" is the
    /// video call's "Room 2").
    GroupNumber(u8)
}

number_newtype! {
    /// A group note's number within its meetup: the milliseconds from the
    /// meetup's opening to when it was written, counted up past any note's
    /// number in use. Not a count, like [`GoalId`](super::goals::GoalId):
    /// a running count would tell every group how many notes the others
    /// wrote, and a phone, which receives only its own groups' notes, could
    /// not keep it as the server does.
    GroupNoteId(u32)
}

/// How a breakout's groups are formed.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    FromJson,
    ToJson,
    Variants,
)]
#[serde(rename_all = "snake_case")]
pub enum Forming {
    /// With people they met least, in this meetup and in the series (pairs
    /// with unchanged attendance follow the round-robin schedule).
    #[default]
    Rotate,
    /// A seeded shuffle, whoever met whom.
    Random,
    /// The groups of the last breakout (of this meetup, else of the last
    /// meetup of the series): buddies and mentoring pairs stay together.
    Keep,
    /// The last breakout's pairs merged into fours (1-2-4-All).
    MergePairs,
}

/// How the groups were chosen, for the facilitator to see: the seed and
/// the rule explain every group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum GroupRule {
    /// A round of the round-robin schedule for pairs.
    RoundRobin,
    /// The split with the fewest repeat meetings.
    FewestRepeats,
    /// A seeded shuffle.
    Shuffled,
    /// An earlier breakout's groups.
    Kept,
    /// Pairs merged into fours.
    Merged,
}

/// Where a breakout is in its script.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct StepAt {
    /// The round, from 0.
    pub round: u8,
    /// The step within the round, from 0.
    pub step: u8,
    /// When it started (server clock).
    pub started_at: Timestamp,
    /// When it is planned to end; absent for an untimed step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<Timestamp>,
}

/// A note a group keeps for itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct GroupNote {
    /// Its number.
    pub id: GroupNoteId,
    /// Who wrote it.
    pub author: ParticipantId,
    /// What it says.
    pub text: GroupNoteText,
}

/// One group of a breakout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Group {
    /// Its number.
    pub number: GroupNumber,
    /// Who is in it, in the order the script gives roles.
    pub members: Vec<ParticipantId>,
    /// Everyone who is or was in it during the breakout: who may read its
    /// notes.
    pub audience: Vec<ParticipantId>,
    /// Its notes, as its audience sees them (empty for everyone else until
    /// shared).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<GroupNote>,
    /// The group said it is done.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub done: bool,
    /// Its notes were shared with everyone after the breakout.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shared: bool,
}

impl Group {
    /// Whether `viewer` may read this group's notes.
    pub fn shows_notes_to(&self, viewer: Viewer) -> bool {
        self.shared || matches!(viewer, Viewer::Participant(id) if self.audience.contains(&id))
    }
}

/// One breakout of the meetup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Breakout {
    /// Its number.
    pub id: BreakoutId,
    /// The agenda phase it runs in.
    pub phase: PhaseId,
    /// The group size asked for (2 to 4).
    pub size: u8,
    /// How the groups were formed.
    pub forming: Forming,
    /// What the groups do, step by step.
    pub script: BreakoutScript,
    /// The phase's planned length, shared out over the steps; 0 for untimed.
    pub planned_secs: u32,
    /// The seed the groups were drawn with.
    pub seed: u64,
    /// How the groups were chosen.
    pub rule: GroupRule,
    /// The groups.
    pub groups: Vec<Group>,
    /// The step now.
    pub step: StepAt,
    /// When it started.
    pub started_at: Timestamp,
    /// Everyone is being called back: it ends at this moment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_at: Option<Timestamp>,
    /// When it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Timestamp>,
    /// A video call link for each group, with `{n}` for its number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_link: Option<CallLink>,
}

impl Breakout {
    /// Whether it still runs (closing included).
    pub fn is_open(&self) -> bool {
        self.ended_at.is_none()
    }

    /// The group `participant` is in.
    pub fn group_of(&self, participant: ParticipantId) -> Option<&Group> {
        self.groups
            .iter()
            .find(|group| group.members.contains(&participant))
    }

    /// The group with this number.
    pub fn group(&self, number: GroupNumber) -> Option<&Group> {
        self.groups.iter().find(|group| group.number == number)
    }

    /// The role `participant` has in their group at the current step.
    pub fn role_of(&self, participant: ParticipantId) -> Option<GroupRole> {
        let group = self.group_of(participant)?;
        let position = group.members.iter().position(|id| *id == participant)?;
        self.script
            .role(self.step.round, position, group.members.len())
    }

    /// The video call link of a group, if the breakout has one.
    pub fn call_link_of(&self, number: GroupNumber) -> Option<String> {
        // Split by hand: `str::replace` would bring the substring searcher
        // into a phone's download.
        let link = self.call_link.as_ref()?.as_str();
        let number = number.0.to_string();
        let bytes = link.as_bytes();
        let mut out = String::with_capacity(link.len() + 2);
        let (mut from, mut at) = (0, 0);
        while at + 2 < bytes.len() {
            if &bytes[at..at + 3] == b"{n}" {
                out.push_str(&link[from..at]);
                out.push_str(&number);
                at += 3;
                from = at;
            } else {
                at += 1;
            }
        }
        out.push_str(&link[from..]);
        Some(out)
    }
}

/// The members of `groups` by name, as the grouping engine numbers people:
/// everyone's name in one list, and each group as the numbers of its
/// members in that list (the first group's members first).
pub(in crate::room) fn numbered_names<'a>(
    room: &super::Room,
    groups: impl IntoIterator<Item = &'a Group>,
) -> (Vec<DisplayName>, Vec<Vec<usize>>) {
    let mut everyone = Vec::new();
    let numbered = groups
        .into_iter()
        .map(|group| {
            let first = everyone.len();
            everyone.extend(
                group
                    .members
                    .iter()
                    .filter_map(|id| room.participant(*id).map(|person| person.name.clone())),
            );
            (first..everyone.len()).collect()
        })
        .collect();
    (everyone, numbered)
}

/// Every breakout of the meetup, and who met whom across the series.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Breakouts {
    /// The breakouts, oldest first; the last may still run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<Breakout>,
    /// Who was in a group with whom, by name, in this meetup's ended
    /// breakouts and in the earlier meetups of the series.
    #[serde(default, skip_serializing_if = "PairHistory::is_empty")]
    pub met: PairHistory,
    /// The last pair round's people, seated for the round-robin schedule,
    /// and its round: the next pair round with the same people takes the
    /// next round of the schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circle: Option<Circle>,
    /// The groups of the last meetup's last breakout, by name: what `keep`
    /// keeps before this meetup has a breakout of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carried_groups: Vec<Vec<DisplayName>>,
}

/// The round-robin schedule of a meetup's pair rounds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Circle {
    /// The people, in their seats.
    pub seats: Vec<ParticipantId>,
    /// The round the last pair breakout took.
    pub round: u16,
}

impl Breakouts {
    /// Nothing happened (left out of snapshots). Exactly the default, which
    /// a reader fills in for the missing field: a part compared here field by
    /// field once forgot the circle, which a room then lost on the wire and
    /// in its stored snapshot whenever the rest was empty.
    pub fn is_pristine(&self) -> bool {
        *self == Breakouts::default()
    }

    /// The breakout running now, closing included.
    pub fn current(&self) -> Option<&Breakout> {
        self.runs.last().filter(|breakout| breakout.is_open())
    }

    /// The breakout with this number.
    pub fn breakout(&self, id: BreakoutId) -> Option<&Breakout> {
        self.runs.iter().find(|breakout| breakout.id == id)
    }

    /// The group `participant` is in now, with its breakout.
    pub fn group_of(&self, participant: ParticipantId) -> Option<(&Breakout, &Group)> {
        let breakout = self.current()?;
        Some((breakout, breakout.group_of(participant)?))
    }
}
