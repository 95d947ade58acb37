//! The topic board: the meetup builds its agenda in the room.
//!
//! - **Topics.** Anyone proposes one (a title, optional details); authors
//!   edit or withdraw their own, facilitators any. Facilitators merge
//!   duplicates and park topics. Topics are numbered by the room (1, 2, 3, …)
//!   because the reducer has no randomness and every screen must agree.
//! - **Columns.** To discuss → discussing (one topic at a time) → discussed,
//!   plus parked. [`Board::topics`] is kept in board order: sorting by votes
//!   reorders it, and each column shows its topics in that order.
//! - **Dot voting.** Everyone has a budget of dots ([`BoardSettings`]); with
//!   stacking on, several may go on one topic. Dots can be taken back while
//!   voting is open. Every participant's dots on the board never exceed the
//!   budget: placing checks it, and a merge (which moves dots) caps each
//!   person's stack on the merged topic, returning what is over the cap.
//! - **Outcomes.** Each topic collects notes, takeaways and action items
//!   (text, an owner, an optional due date).
//! - **Time.** When a topic starts being discussed the room records
//!   [`Topic::started_at`]; when it stops (finished, parked, or replaced by
//!   the next topic) the event carries the exact milliseconds, which add up
//!   in [`Topic::time_spent_ms`] for the minutes. [`crate::Event::TopicStarted`] is
//!   the hook for timeboxes.
//!
//! # Hidden dots
//!
//! With [`BoardSettings::hidden_until_reveal`] (the default), nobody sees
//! anyone else's dots or any total before the facilitator reveals; this is
//! enforced by what the server sends (see [`super::view`]):
//!
//! - [`crate::Event::DotsChanged`] is personal while votes are hidden: the owner's
//!   copy names the topic and their new count there, everyone else's copy
//!   only who changed their dots. So others learn that someone took part,
//!   never where or how many.
//! - [`Board::voters`] lists who has placed a dot, and stays listed when they
//!   take it back: removing them at zero would tell everyone that person has
//!   no dots left.
//! - Withdrawals and merges are public events without counts. Each copy of
//!   the room applies the same rule to the stacks it can see (its own while
//!   hidden, all after the reveal), so every copy agrees with the server on
//!   everything it is allowed to know.
//! - Sorting by votes is refused while votes are hidden: the new order would
//!   give the totals away.
//! - [`crate::Event::VotesRevealed`] carries every stack. After it, dots are open:
//!   placing and taking back are seen by everyone, as on a paper board.

use crate::ids::number_newtype;
use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

use crate::text::DisplayName;

mod decide;
mod fold;

pub(super) use decide::{decide_member, decide_running, discussion_millis};
pub(super) use fold::{check_invariants, dots_for_viewer, fold, for_viewer};

use super::Rejection;
use crate::ids::ParticipantId;
use crate::limits::{DEFAULT_DOT_BUDGET, MAX_DOT_BUDGET};
use crate::text::{ActionText, NoteText, TopicDetails, TopicTitle};
use crate::time::Timestamp;

number_newtype! {
    /// A topic's number within its meetup, in the order proposed.
    TopicId(u32)
}

number_newtype! {
    /// A note's or takeaway's number within its meetup.
    NoteId(u32)
}

number_newtype! {
    /// An action item's number within its meetup.
    ActionItemId(u32)
}

/// Where a topic is on the board.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson,
)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// Proposed, waiting for its turn; takes dots.
    #[default]
    ToDiscuss,
    /// Being discussed now; at most one topic at a time.
    Discussing,
    /// Done.
    Discussed,
    /// Set aside by a facilitator.
    Parked,
}

/// How dot voting works in this meetup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct BoardSettings {
    /// Dots each participant may place in all (1 to 10).
    pub dot_budget: u8,
    /// Whether one person may put several dots on one topic.
    pub stacking: bool,
    /// Whether dots stay hidden (own dots only) until a facilitator reveals.
    pub hidden_until_reveal: bool,
}

impl Default for BoardSettings {
    fn default() -> Self {
        BoardSettings {
            dot_budget: DEFAULT_DOT_BUDGET,
            stacking: true,
            hidden_until_reveal: true,
        }
    }
}

impl BoardSettings {
    /// The most dots one person may have on one topic.
    pub fn per_topic_cap(&self) -> u8 {
        if self.stacking { self.dot_budget } else { 1 }
    }

    /// Checks the bounds whatever sent the settings.
    ///
    /// # Errors
    ///
    /// [`Rejection::DotBudgetOutOfRange`] for a budget outside 1 to 10.
    pub fn validate(&self) -> Result<(), Rejection> {
        if (1..=MAX_DOT_BUDGET).contains(&self.dot_budget) {
            Ok(())
        } else {
            Err(Rejection::DotBudgetOutOfRange {
                min: 1,
                max: MAX_DOT_BUDGET,
            })
        }
    }
}

/// One person's dots on one topic; never zero (an empty stack is removed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct DotStack {
    /// Whose dots.
    pub participant: ParticipantId,
    /// How many.
    pub count: u8,
}

/// Every stack on one topic, as published at the reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct TopicDots {
    /// Which topic.
    pub topic: TopicId,
    /// Its stacks.
    pub dots: Vec<DotStack>,
}

/// A topic on the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Topic {
    /// Its number.
    pub id: TopicId,
    /// Who proposed it.
    pub author: ParticipantId,
    /// Its title.
    pub title: TopicTitle,
    /// Optional details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<TopicDetails>,
    /// Its column.
    #[serde(default)]
    pub column: Column,
    /// The dots on it, as this viewer may see them (only their own while
    /// votes are hidden).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dots: Vec<DotStack>,
    /// When its latest discussion began (server clock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Timestamp>,
    /// Total time discussed, in milliseconds, not counting a discussion
    /// still running (clients add `now - started_at` for that).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub time_spent_ms: u64,
    /// Titles of the duplicates merged into it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<TopicTitle>,
    /// Who proposed it at an earlier meetup of the series, while they have
    /// not joined this one: it reads as theirs, and becomes theirs (to edit
    /// or withdraw) when someone of that name joins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_author: Option<DisplayName>,
}

impl Topic {
    /// Whether the group has discussed it at all (now or before).
    pub fn was_discussed(&self) -> bool {
        self.started_at.is_some() || self.time_spent_ms > 0
    }
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

impl Topic {
    /// All dots this copy can see on the topic.
    pub fn total(&self) -> u32 {
        self.dots.iter().map(|stack| u32::from(stack.count)).sum()
    }

    /// `participant`'s dots on the topic.
    pub fn dots_of(&self, participant: ParticipantId) -> u8 {
        self.dots
            .iter()
            .find(|stack| stack.participant == participant)
            .map_or(0, |stack| stack.count)
    }

    /// Sets `participant`'s stack to `count`, removing it at zero.
    fn set_dots(&mut self, participant: ParticipantId, count: u8) {
        match self
            .dots
            .iter_mut()
            .find(|stack| stack.participant == participant)
        {
            Some(stack) if count > 0 => stack.count = count,
            Some(_) => self.dots.retain(|stack| stack.participant != participant),
            None if count > 0 => self.dots.push(DotStack { participant, count }),
            None => {}
        }
    }
}

/// Whether a note is a plain note or a takeaway.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson,
)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Something said or worth remembering.
    #[default]
    Note,
    /// What the group learned or decided.
    Takeaway,
}

/// A note or takeaway on a topic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Note {
    /// Its number.
    pub id: NoteId,
    /// The topic it belongs to.
    pub topic: TopicId,
    /// Note or takeaway.
    pub kind: NoteKind,
    /// Who wrote it.
    pub author: ParticipantId,
    /// What it says.
    pub text: NoteText,
}

/// A due date, `YYYY-MM-DD`, a calendar day without time zone: the
/// meetup's people agree on what "Friday" means.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, FromJson, ToJson,
)]
#[serde(try_from = "String", into = "String")]
pub struct DueDate(String);

impl DueDate {
    /// Validates `YYYY-MM-DD` with a real month and day (leap years included).
    ///
    /// # Errors
    ///
    /// [`Rejection::InvalidDueDate`] for anything else.
    pub fn parse(raw: &str) -> Result<DueDate, Rejection> {
        let raw = raw.trim();
        let bytes = raw.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit());
        if !shape_ok {
            return Err(Rejection::InvalidDueDate);
        }
        // The shape check makes these slices ASCII digits.
        let number = |range: std::ops::Range<usize>| raw[range].parse::<u32>().unwrap_or(0);
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(Rejection::InvalidDueDate),
        };
        if year < 1970 || day == 0 || day > days {
            return Err(Rejection::InvalidDueDate);
        }
        Ok(DueDate(raw.to_owned()))
    }

    /// The date as `YYYY-MM-DD`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DueDate {
    type Error = Rejection;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        DueDate::parse(&value)
    }
}

impl From<DueDate> for String {
    fn from(date: DueDate) -> String {
        date.0
    }
}

/// Something someone will do after the meetup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct ActionItem {
    /// Its number.
    pub id: ActionItemId,
    /// The topic it came from.
    pub topic: TopicId,
    /// What is to be done.
    pub text: ActionText,
    /// Who does it.
    pub owner: ParticipantId,
    /// By when, if anyone said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DueDate>,
    /// Who wrote it down.
    pub author: ParticipantId,
}

/// The whole topic board of a meetup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Board {
    /// How dot voting works.
    #[serde(default)]
    pub settings: BoardSettings,
    /// Whether dots may be placed and taken back.
    #[serde(default = "default_true")]
    pub voting_open: bool,
    /// Whether a facilitator revealed the votes.
    #[serde(default)]
    pub revealed: bool,
    /// Topics in board order.
    #[serde(default)]
    pub topics: Vec<Topic>,
    /// Who has placed a dot, in the order they first did (see the module docs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voters: Vec<ParticipantId>,
    /// Notes and takeaways, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Action items, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub action_items: Vec<ActionItem>,
    /// The highest topic number handed out.
    #[serde(default)]
    pub last_topic: u32,
    /// The highest note number handed out.
    #[serde(default)]
    pub last_note: u32,
    /// The highest action item number handed out.
    #[serde(default)]
    pub last_action_item: u32,
}

/// `true`, for `#[serde(default = "…")]` fields that are on unless said.
pub(crate) fn default_true() -> bool {
    true
}

impl Default for Board {
    fn default() -> Self {
        Board {
            settings: BoardSettings::default(),
            voting_open: true,
            revealed: false,
            topics: Vec::new(),
            voters: Vec::new(),
            notes: Vec::new(),
            action_items: Vec::new(),
            last_topic: 0,
            last_note: 0,
            last_action_item: 0,
        }
    }
}

impl Board {
    /// Nothing happened on the board (it is then left out of snapshots).
    pub fn is_pristine(&self) -> bool {
        *self == Board::default()
    }

    /// Whether others' dots and all totals are hidden now.
    pub fn votes_hidden(&self) -> bool {
        self.settings.hidden_until_reveal && !self.revealed
    }

    /// The topic with this number.
    pub fn topic(&self, id: TopicId) -> Option<&Topic> {
        self.topics.iter().find(|topic| topic.id == id)
    }

    fn topic_mut(&mut self, id: TopicId) -> Option<&mut Topic> {
        self.topics.iter_mut().find(|topic| topic.id == id)
    }

    /// The topic being discussed.
    pub fn discussing(&self) -> Option<&Topic> {
        self.topics
            .iter()
            .find(|topic| topic.column == Column::Discussing)
    }

    /// Topics in `column`, in board order.
    pub fn column(&self, column: Column) -> impl Iterator<Item = &Topic> {
        self.topics
            .iter()
            .filter(move |topic| topic.column == column)
    }

    /// Dots `participant` has on the board (as far as this copy knows).
    pub fn dots_used(&self, participant: ParticipantId) -> u32 {
        self.topics
            .iter()
            .map(|topic| u32::from(topic.dots_of(participant)))
            .sum()
    }

    /// Dots `participant` may still place.
    pub fn dots_left(&self, participant: ParticipantId) -> u32 {
        u32::from(self.settings.dot_budget).saturating_sub(self.dots_used(participant))
    }

    /// The action items owned by `participant`, oldest first.
    pub fn action_items_of(&self, participant: ParticipantId) -> impl Iterator<Item = &ActionItem> {
        self.action_items
            .iter()
            .filter(move |item| item.owner == participant)
    }

    /// The to-discuss topics sorted by votes, most first; ties keep board
    /// order so a sort never shuffles equal topics.
    pub fn sorted_order(&self) -> Vec<TopicId> {
        let mut waiting: Vec<&Topic> = self.column(Column::ToDiscuss).collect();
        waiting.sort_by_key(|topic| std::cmp::Reverse(topic.total()));
        waiting.iter().map(|topic| topic.id).collect()
    }
}
