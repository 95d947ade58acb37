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
//!   in [`Topic::time_spent_ms`] for the minutes. [`Event::TopicStarted`] is
//!   the hook for timeboxes.
//!
//! # Hidden dots
//!
//! With [`BoardSettings::hidden_until_reveal`] (the default), nobody sees
//! anyone else's dots or any total before the facilitator reveals; this is
//! enforced by what the server sends (see [`super::view`]):
//!
//! - [`Event::DotsChanged`] is personal while votes are hidden: the owner's
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
//! - [`Event::VotesRevealed`] carries every stack. After it, dots are open:
//!   placing and taking back are seen by everyone, as on a paper board.

use serde::{Deserialize, Serialize};

use super::membership::Membership;
use super::{Actor, Command, Event, Rejection, Room, Viewer};
use crate::ids::ParticipantId;
use crate::limits::{
    DEFAULT_DOT_BUDGET, MAX_ACTION_ITEMS_PER_MEETUP, MAX_DOT_BUDGET, MAX_NOTES_PER_MEETUP,
    MAX_TOPICS_PER_MEETUP,
};
use crate::text::{ActionText, NoteText, TopicDetails, TopicTitle};
use crate::time::Timestamp;

/// A topic's number within its meetup, in the order proposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TopicId(pub u32);

/// A note's or takeaway's number within its meetup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NoteId(pub u32);

/// An action item's number within its meetup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActionItemId(pub u32);

/// Where a topic is on the board.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DotStack {
    /// Whose dots.
    pub participant: ParticipantId,
    /// How many.
    pub count: u8,
}

/// Every stack on one topic, as published at the reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicDots {
    /// Which topic.
    pub topic: TopicId,
    /// Its stacks.
    pub dots: Vec<DotStack>,
}

/// A topic on the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Something said or worth remembering.
    #[default]
    Note,
    /// What the group learned or decided.
    Takeaway,
}

/// A note or takeaway on a topic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

fn default_true() -> bool {
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

/// The actor as an active participant.
fn active(room: &Room, actor: Actor) -> Result<ParticipantId, Rejection> {
    let Actor::Participant(id) = actor else {
        return Err(Rejection::ServerOnly);
    };
    let participant = room.participant(id).ok_or(Rejection::NotInMeetup)?;
    match participant.membership {
        Membership::Active => Ok(id),
        Membership::Left => Err(Rejection::NotInMeetup),
        Membership::Removed => Err(Rejection::Removed),
    }
}

/// Whether the actor is the server or a facilitator or co-facilitator.
fn runs_meetup(room: &Room, actor: Actor) -> Result<bool, Rejection> {
    if actor == Actor::System {
        return Ok(true);
    }
    let id = active(room, actor)?;
    Ok(room
        .participant(id)
        .is_some_and(|participant| participant.role.runs_meetup()))
}

/// Requires a facilitator or co-facilitator (the server counts as one, so a
/// later timebox can end a topic by itself).
fn require_runs_meetup(room: &Room, actor: Actor) -> Result<(), Rejection> {
    if runs_meetup(room, actor)? {
        Ok(())
    } else {
        Err(Rejection::FacilitatorsOnly)
    }
}

/// Requires the author of something, or someone who runs the meetup.
fn require_author_or_facilitator(
    room: &Room,
    actor: Actor,
    author: ParticipantId,
    not_yours: Rejection,
) -> Result<(), Rejection> {
    if runs_meetup(room, actor)? || actor == Actor::Participant(author) {
        Ok(())
    } else {
        Err(not_yours)
    }
}

fn named_topic(room: &Room, id: TopicId) -> Result<&Topic, Rejection> {
    room.board.topic(id).ok_or(Rejection::UnknownTopic)
}

fn named_note(room: &Room, id: NoteId) -> Result<&Note, Rejection> {
    room.board
        .notes
        .iter()
        .find(|note| note.id == id)
        .ok_or(Rejection::UnknownNote)
}

fn named_action_item(room: &Room, id: ActionItemId) -> Result<&ActionItem, Rejection> {
    room.board
        .action_items
        .iter()
        .find(|item| item.id == id)
        .ok_or(Rejection::UnknownActionItem)
}

/// An owner must be in the meetup when the item is assigned.
fn require_present(room: &Room, owner: ParticipantId) -> Result<(), Rejection> {
    match room.participant(owner) {
        Some(participant) if participant.membership == Membership::Active => Ok(()),
        _ => Err(Rejection::UnknownParticipant),
    }
}

/// The event that ends the running discussion of `topic` at `now`, if it is
/// running: its exact length goes into the event so every copy adds the same.
pub(super) fn discussion_millis(topic: &Topic, now: Timestamp) -> u64 {
    match (topic.column, topic.started_at) {
        (Column::Discussing, Some(started)) => now.millis_since(started),
        _ => 0,
    }
}

/// Decides a board command.
pub(super) fn decide(
    room: &Room,
    actor: Actor,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let board = &room.board;
    match command {
        Command::ProposeTopic { title, details } => {
            let author = active(room, actor)?;
            if board.topics.len() >= MAX_TOPICS_PER_MEETUP {
                return Err(Rejection::TooManyTopics {
                    max: MAX_TOPICS_PER_MEETUP as u16,
                });
            }
            Ok(vec![Event::TopicProposed {
                topic: TopicId(board.last_topic + 1),
                author,
                title,
                details,
            }])
        }
        Command::EditTopic {
            topic,
            title,
            details,
        } => {
            let target = named_topic(room, topic)?;
            require_author_or_facilitator(room, actor, target.author, Rejection::NotYourTopic)?;
            if target.title == title && target.details == details {
                return Ok(Vec::new());
            }
            Ok(vec![Event::TopicEdited {
                topic,
                title,
                details,
            }])
        }
        Command::WithdrawTopic { topic } => {
            let target = named_topic(room, topic)?;
            require_author_or_facilitator(room, actor, target.author, Rejection::NotYourTopic)?;
            // A topic that was (or is being) discussed is part of the record.
            if !matches!(target.column, Column::ToDiscuss | Column::Parked) {
                return Err(Rejection::TopicInWrongColumn);
            }
            Ok(vec![Event::TopicWithdrawn { topic }])
        }
        Command::PlaceDot { topic } => {
            let voter = active(room, actor)?;
            if !board.voting_open {
                return Err(Rejection::VotingClosed);
            }
            let target = named_topic(room, topic)?;
            if target.column != Column::ToDiscuss {
                return Err(Rejection::TopicInWrongColumn);
            }
            if board.dots_left(voter) == 0 {
                return Err(Rejection::NoDotsLeft {
                    budget: board.settings.dot_budget,
                });
            }
            let mine = target.dots_of(voter);
            if mine >= board.settings.per_topic_cap() {
                return Err(Rejection::NoStacking);
            }
            Ok(vec![Event::DotsChanged {
                participant: voter,
                hidden: board.votes_hidden(),
                topic: Some(topic),
                count: Some(mine + 1),
            }])
        }
        Command::TakeBackDot { topic } => {
            let voter = active(room, actor)?;
            if !board.voting_open {
                return Err(Rejection::VotingClosed);
            }
            let mine = named_topic(room, topic)?.dots_of(voter);
            if mine == 0 {
                return Err(Rejection::NoDotHere);
            }
            Ok(vec![Event::DotsChanged {
                participant: voter,
                hidden: board.votes_hidden(),
                topic: Some(topic),
                count: Some(mine - 1),
            }])
        }
        Command::RevealVotes => {
            require_runs_meetup(room, actor)?;
            if !board.votes_hidden() {
                return Ok(Vec::new());
            }
            Ok(vec![Event::VotesRevealed {
                dots: board
                    .topics
                    .iter()
                    .filter(|topic| !topic.dots.is_empty())
                    .map(|topic| TopicDots {
                        topic: topic.id,
                        dots: topic.dots.clone(),
                    })
                    .collect(),
            }])
        }
        Command::CloseVoting => {
            require_runs_meetup(room, actor)?;
            Ok(if board.voting_open {
                vec![Event::VotingClosed]
            } else {
                Vec::new()
            })
        }
        Command::ReopenVoting => {
            require_runs_meetup(room, actor)?;
            Ok(if board.voting_open {
                Vec::new()
            } else {
                vec![Event::VotingReopened]
            })
        }
        Command::MergeTopics { from, into } => {
            require_runs_meetup(room, actor)?;
            if from == into {
                return Err(Rejection::SameTopic);
            }
            let waiting =
                |topic: &Topic| matches!(topic.column, Column::ToDiscuss | Column::Parked);
            if !waiting(named_topic(room, from)?) || !waiting(named_topic(room, into)?) {
                return Err(Rejection::TopicInWrongColumn);
            }
            Ok(vec![Event::TopicsMerged { from, into }])
        }
        Command::SortTopics => {
            require_runs_meetup(room, actor)?;
            if board.votes_hidden() {
                return Err(Rejection::VotesHidden);
            }
            let order = board.sorted_order();
            let current: Vec<TopicId> = board
                .column(Column::ToDiscuss)
                .map(|topic| topic.id)
                .collect();
            Ok(if order == current {
                Vec::new()
            } else {
                vec![Event::TopicsSorted { order }]
            })
        }
        Command::StartTopic { topic } => {
            require_runs_meetup(room, actor)?;
            let target = named_topic(room, topic)?;
            // Starting the topic already under discussion is a repeated tap.
            if target.column == Column::Discussing {
                return Ok(Vec::new());
            }
            let mut events = Vec::new();
            if let Some(current) = board.discussing() {
                events.push(Event::TopicFinished {
                    topic: current.id,
                    millis: discussion_millis(current, now),
                });
            }
            events.push(Event::TopicStarted {
                topic,
                started_at: now,
            });
            Ok(events)
        }
        Command::FinishTopic { topic } => {
            require_runs_meetup(room, actor)?;
            let target = named_topic(room, topic)?;
            match target.column {
                Column::Discussing => Ok(vec![Event::TopicFinished {
                    topic,
                    millis: discussion_millis(target, now),
                }]),
                // Finished by someone else a moment ago.
                Column::Discussed => Ok(Vec::new()),
                Column::ToDiscuss | Column::Parked => Err(Rejection::TopicInWrongColumn),
            }
        }
        Command::ParkTopic { topic } => {
            require_runs_meetup(room, actor)?;
            let target = named_topic(room, topic)?;
            match target.column {
                Column::ToDiscuss | Column::Discussing => Ok(vec![Event::TopicParked {
                    topic,
                    millis: discussion_millis(target, now),
                }]),
                Column::Parked => Ok(Vec::new()),
                Column::Discussed => Err(Rejection::TopicInWrongColumn),
            }
        }
        Command::UnparkTopic { topic } => {
            require_runs_meetup(room, actor)?;
            match named_topic(room, topic)?.column {
                Column::Parked => Ok(vec![Event::TopicUnparked { topic }]),
                Column::ToDiscuss => Ok(Vec::new()),
                Column::Discussing | Column::Discussed => Err(Rejection::TopicInWrongColumn),
            }
        }
        Command::AddNote { topic, kind, text } => {
            let author = active(room, actor)?;
            named_topic(room, topic)?;
            if board.notes.len() >= MAX_NOTES_PER_MEETUP {
                return Err(Rejection::TooManyNotes {
                    max: MAX_NOTES_PER_MEETUP as u16,
                });
            }
            Ok(vec![Event::NoteAdded {
                note: NoteId(board.last_note + 1),
                topic,
                kind,
                author,
                text,
            }])
        }
        Command::EditNote { note, kind, text } => {
            let target = named_note(room, note)?;
            require_author_or_facilitator(room, actor, target.author, Rejection::NotYourOutcome)?;
            if target.text == text && target.kind == kind {
                return Ok(Vec::new());
            }
            Ok(vec![Event::NoteEdited { note, kind, text }])
        }
        Command::RemoveNote { note } => {
            let target = named_note(room, note)?;
            require_author_or_facilitator(room, actor, target.author, Rejection::NotYourOutcome)?;
            Ok(vec![Event::NoteRemoved { note }])
        }
        Command::AddActionItem {
            topic,
            text,
            owner,
            due,
        } => {
            let author = active(room, actor)?;
            named_topic(room, topic)?;
            require_present(room, owner)?;
            if board.action_items.len() >= MAX_ACTION_ITEMS_PER_MEETUP {
                return Err(Rejection::TooManyActionItems {
                    max: MAX_ACTION_ITEMS_PER_MEETUP as u16,
                });
            }
            Ok(vec![Event::ActionItemAdded {
                item: ActionItemId(board.last_action_item + 1),
                topic,
                text,
                owner,
                due,
                author,
            }])
        }
        Command::EditActionItem {
            item,
            text,
            owner,
            due,
        } => {
            let target = named_action_item(room, item)?;
            require_author_or_facilitator(room, actor, target.author, Rejection::NotYourOutcome)?;
            // Keeping an owner who has since left is fine; a new one must be here.
            if owner != target.owner {
                require_present(room, owner)?;
            }
            if target.text == text && target.owner == owner && target.due == due {
                return Ok(Vec::new());
            }
            Ok(vec![Event::ActionItemEdited {
                item,
                text,
                owner,
                due,
            }])
        }
        Command::RemoveActionItem { item } => {
            let target = named_action_item(room, item)?;
            require_author_or_facilitator(room, actor, target.author, Rejection::NotYourOutcome)?;
            Ok(vec![Event::ActionItemRemoved { item }])
        }
        Command::ConfigureBoard { settings } => {
            require_runs_meetup(room, actor)?;
            settings.validate()?;
            if settings == board.settings {
                return Ok(Vec::new());
            }
            // Changing the rules under dots already placed would break
            // budgets or reveal (or re-hide) them; settle the rules first.
            if board.topics.iter().any(|topic| !topic.dots.is_empty()) {
                return Err(Rejection::VotingUnderway);
            }
            Ok(vec![Event::BoardConfigured { settings }])
        }
        // Other features' commands are routed to them by `Room::apply`.
        _ => Ok(Vec::new()),
    }
}

/// Folds a board event into the room.
pub(super) fn fold(room: &mut Room, event: &Event) {
    let board = &mut room.board;
    match event {
        Event::TopicProposed {
            topic,
            author,
            title,
            details,
        } if board.topic(*topic).is_none() => {
            board.last_topic = board.last_topic.max(topic.0);
            board.topics.push(Topic {
                id: *topic,
                author: *author,
                title: title.clone(),
                details: details.clone(),
                column: Column::ToDiscuss,
                dots: Vec::new(),
                started_at: None,
                time_spent_ms: 0,
                merged: Vec::new(),
            });
        }
        Event::TopicEdited {
            topic,
            title,
            details,
        } => {
            if let Some(target) = board.topic_mut(*topic) {
                target.title = title.clone();
                target.details = details.clone();
            }
        }
        Event::TopicWithdrawn { topic } => {
            // Its dots go back to their owners simply by disappearing; its
            // outcomes go with it.
            board.topics.retain(|target| target.id != *topic);
            board.notes.retain(|note| note.topic != *topic);
            board.action_items.retain(|item| item.topic != *topic);
        }
        Event::DotsChanged {
            participant,
            topic,
            count,
            ..
        } => {
            if !board.voters.contains(participant) {
                board.voters.push(*participant);
            }
            // A redacted copy has neither topic nor count: nothing to show.
            if let (Some(topic), Some(count)) = (topic, count)
                && let Some(target) = board.topic_mut(*topic)
            {
                target.set_dots(*participant, *count);
            }
        }
        Event::VotesRevealed { dots } => {
            board.revealed = true;
            for topic in &mut board.topics {
                topic.dots = dots
                    .iter()
                    .find(|published| published.topic == topic.id)
                    .map(|published| published.dots.clone())
                    .unwrap_or_default();
            }
        }
        Event::VotingClosed => board.voting_open = false,
        Event::VotingReopened => board.voting_open = true,
        Event::TopicsMerged { from, into } => {
            let Some(index) = board.topics.iter().position(|topic| topic.id == *from) else {
                return;
            };
            if board.topic(*into).is_none() {
                return;
            }
            let merged = board.topics.remove(index);
            let cap = board.settings.per_topic_cap();
            if let Some(target) = board.topic_mut(*into) {
                // Each person's dots combine up to the per-topic cap; what is
                // over it is returned (it is simply no longer on the board).
                for stack in &merged.dots {
                    let combined = target
                        .dots_of(stack.participant)
                        .saturating_add(stack.count);
                    target.set_dots(stack.participant, combined.min(cap));
                }
                target.merged.push(merged.title);
                target.merged.extend(merged.merged);
            }
            for note in &mut board.notes {
                if note.topic == *from {
                    note.topic = *into;
                }
            }
            for item in &mut board.action_items {
                if item.topic == *from {
                    item.topic = *into;
                }
            }
        }
        Event::TopicsSorted { order } => {
            // The listed topics first, in the new order, then every other
            // topic in its old order; columns filter, so only "to discuss"
            // visibly changes.
            let mut sorted: Vec<Topic> = order
                .iter()
                .filter_map(|id| board.topic(*id).cloned())
                .collect();
            sorted.extend(
                board
                    .topics
                    .iter()
                    .filter(|topic| !order.contains(&topic.id))
                    .cloned(),
            );
            board.topics = sorted;
        }
        Event::TopicStarted { topic, started_at } => {
            if let Some(target) = board.topic_mut(*topic) {
                target.column = Column::Discussing;
                target.started_at = Some(*started_at);
            }
        }
        Event::TopicFinished { topic, millis } => {
            if let Some(target) = board.topic_mut(*topic) {
                target.column = Column::Discussed;
                target.time_spent_ms = target.time_spent_ms.saturating_add(*millis);
            }
        }
        Event::TopicParked { topic, millis } => {
            if let Some(target) = board.topic_mut(*topic) {
                target.column = Column::Parked;
                target.time_spent_ms = target.time_spent_ms.saturating_add(*millis);
            }
        }
        Event::TopicUnparked { topic } => {
            // Back at the end of "to discuss": it waits behind the others.
            if let Some(index) = board.topics.iter().position(|target| target.id == *topic) {
                let mut target = board.topics.remove(index);
                target.column = Column::ToDiscuss;
                board.topics.push(target);
            }
        }
        Event::NoteAdded {
            note,
            topic,
            kind,
            author,
            text,
        } if !board.notes.iter().any(|existing| existing.id == *note) => {
            board.last_note = board.last_note.max(note.0);
            board.notes.push(Note {
                id: *note,
                topic: *topic,
                kind: *kind,
                author: *author,
                text: text.clone(),
            });
        }
        Event::NoteEdited { note, kind, text } => {
            if let Some(target) = board.notes.iter_mut().find(|target| target.id == *note) {
                target.kind = *kind;
                target.text = text.clone();
            }
        }
        Event::NoteRemoved { note } => board.notes.retain(|target| target.id != *note),
        Event::ActionItemAdded {
            item,
            topic,
            text,
            owner,
            due,
            author,
        } if !board
            .action_items
            .iter()
            .any(|existing| existing.id == *item) =>
        {
            board.last_action_item = board.last_action_item.max(item.0);
            board.action_items.push(ActionItem {
                id: *item,
                topic: *topic,
                text: text.clone(),
                owner: *owner,
                due: due.clone(),
                author: *author,
            });
        }
        Event::ActionItemEdited {
            item,
            text,
            owner,
            due,
        } => {
            if let Some(target) = board
                .action_items
                .iter_mut()
                .find(|target| target.id == *item)
            {
                target.text = text.clone();
                target.owner = *owner;
                target.due = due.clone();
            }
        }
        Event::ActionItemRemoved { item } => {
            board.action_items.retain(|target| target.id != *item);
        }
        Event::BoardConfigured { settings } => board.settings = *settings,
        _ => {}
    }
}

/// The `dots_changed` event as `viewer` may see it: whole for its owner or
/// once votes are visible; otherwise only who changed their dots.
pub(super) fn dots_for_viewer(event: &Event, viewer: Viewer) -> Option<Event> {
    match event {
        Event::DotsChanged {
            participant,
            hidden: true,
            ..
        } if viewer != Viewer::Participant(*participant) => Some(Event::DotsChanged {
            participant: *participant,
            hidden: true,
            topic: None,
            count: None,
        }),
        _ => None,
    }
}

/// The board as `viewer` may see it: while votes are hidden, only the
/// viewer's own dots (none for the shared screen).
pub(super) fn for_viewer(board: &Board, viewer: Viewer) -> Board {
    let mut visible = board.clone();
    if visible.votes_hidden() {
        for topic in &mut visible.topics {
            topic
                .dots
                .retain(|stack| viewer == Viewer::Participant(stack.participant));
        }
    }
    visible
}

/// Checks the board invariants.
pub(super) fn check_invariants(room: &Room) -> Result<(), String> {
    let board = &room.board;
    let discussing = board.column(Column::Discussing).count();
    if discussing > 1 {
        return Err(format!("{discussing} topics are being discussed at once"));
    }
    let mut ids: Vec<TopicId> = board.topics.iter().map(|topic| topic.id).collect();
    ids.sort();
    ids.dedup();
    if ids.len() != board.topics.len() {
        return Err("a topic is listed twice".to_owned());
    }
    if board
        .topics
        .iter()
        .any(|topic| topic.id.0 > board.last_topic)
    {
        return Err("a topic's number is above the last one handed out".to_owned());
    }
    let cap = board.settings.per_topic_cap();
    for topic in &board.topics {
        for stack in &topic.dots {
            if stack.count == 0 || stack.count > cap {
                return Err(format!(
                    "topic {} holds {} dots of one person (cap {cap})",
                    topic.id.0, stack.count
                ));
            }
            if !board.voters.contains(&stack.participant) {
                return Err(format!(
                    "{} has dots but is not listed as a voter",
                    stack.participant
                ));
            }
        }
        let mut owners: Vec<ParticipantId> =
            topic.dots.iter().map(|stack| stack.participant).collect();
        owners.sort();
        owners.dedup();
        if owners.len() != topic.dots.len() {
            return Err(format!("topic {} has two stacks of one person", topic.id.0));
        }
    }
    for voter in &board.voters {
        let used = board.dots_used(*voter);
        if used > u32::from(board.settings.dot_budget) {
            return Err(format!(
                "{voter} has {used} dots, over the budget of {}",
                board.settings.dot_budget
            ));
        }
    }
    if board
        .notes
        .iter()
        .any(|note| board.topic(note.topic).is_none())
        || board
            .action_items
            .iter()
            .any(|item| board.topic(item.topic).is_none())
    {
        return Err("an outcome belongs to no topic".to_owned());
    }
    Ok(())
}
