//! The WebSocket protocol: JSON text frames, one connection per participant.
//! `docs/PROTOCOL.md` documents every message with an example, and the golden
//! tests check those examples against these types.
//!
//! A connection starts with the client's [`ClientMessage::Hello`]; the server
//! answers [`ServerMessage::Welcome`] or [`ServerMessage::Refused`] (then
//! closes with [`Rejection::close_code`]). After that, every client command
//! carries a client-made request id and is answered by `ack` (after its
//! events) or `rejected`; every event carries the room's sequence number.

use serde::{Deserialize, Serialize};

use crate::ids::{ParticipantId, RequestId, Seq};
use crate::limits::{MAX_MESSAGE_BYTES, POLL_MAX_OPTIONS, POLL_MIN_OPTIONS};
use crate::room::board::{ActionItemId, BoardSettings, DueDate, NoteId, NoteKind, TopicId};
use crate::room::poll::{PollId, PollKind, PollSetup, Secrecy};
use crate::room::queue::{Direction, EntryId, EntryKind, QueueSettings, RoundKind, TurnId};
use crate::room::timer::{self, TimerSettings};
use crate::room::{Command, Event, Presence, Rejection, Room};
use crate::text::{ActionText, NoteText, TopicDetails, TopicTitle};
use crate::text::{DisplayName, TextProblem};
use crate::text::{PollOptionText, PollQuestion, PollReason};
use crate::text::{QueueNote, RoundPrompt};
use crate::time::Timestamp;

/// The protocol version this code speaks; `hello` must carry it.
pub const PROTOCOL_VERSION: u32 = 1;

/// A message from a client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// The first message on every connection: which meetup, as whom, and
    /// (when resuming) the last sequence number this client has seen.
    Hello {
        /// Must be [`PROTOCOL_VERSION`].
        protocol: u32,
        /// The meetup's join code, as typed (forgiving case and separators).
        join_code: String,
        /// Join as a new participant, rejoin, or watch as the shared screen.
        auth: HelloAuth,
        /// The last event this client folded; the server replays what follows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_seq: Option<Seq>,
    },
    /// A command for the room.
    Command {
        /// Client-made id, unique per participant; a resent id applies once.
        request_id: String,
        /// What to do.
        command: ClientCommand,
    },
    /// Answer to the server's `ping`.
    Pong,
    /// Asks for the server's clock, to measure the clock offset.
    TimeSync {
        /// The client's clock when it sent this (ms since the Unix epoch).
        client_time: u64,
    },
}

/// How a client identifies itself in `hello`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum HelloAuth {
    /// A new participant with this display name.
    Join {
        /// The name they typed.
        name: String,
    },
    /// A participant coming back with the token from their `welcome` (or the
    /// facilitator link).
    Rejoin {
        /// 64 hex digits.
        token: String,
        /// A new display name, for someone who left and whose name another
        /// person took meanwhile (their plain rejoin was refused with
        /// `name_taken`). Ignored for someone still in the meetup.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// The shared screen: sees the room, takes no seat, sends no commands.
    /// Needs a facilitator's or co-facilitator's token.
    Screen {
        /// A facilitator's token.
        token: String,
    },
}

/// Presence a participant may report about themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportedPresence {
    /// The meetup is on screen.
    Here,
    /// The tab is hidden or the phone locked.
    Away,
}

/// A command as it arrives on the wire: raw text, validated by
/// [`ClientCommand::into_command`] before the room sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientCommand {
    /// Leave the meetup.
    Leave,
    /// End the meetup (the facilitator); it stays readable and exportable.
    EndMeetup,
    /// Record what became of an action item carried from the previous
    /// meetup of the series (facilitators).
    ReviewAction {
        /// The review item's number.
        item: u32,
        /// `done`, `kept` or `dropped`.
        outcome: crate::room::series::ReviewOutcome,
    },
    /// Report whether the meetup is on screen.
    SetPresence {
        /// Here or away.
        presence: ReportedPresence,
    },
    /// Change your display name.
    Rename {
        /// The new name.
        name: String,
    },
    /// Lock the meetup (facilitators).
    Lock,
    /// Unlock the meetup (facilitators).
    Unlock,
    /// Change the seat cap (facilitators).
    SetSeatCap {
        /// The new cap.
        seat_cap: u16,
    },
    /// Remove someone (facilitators).
    Remove {
        /// Who.
        participant: ParticipantId,
    },
    /// Hand the facilitator role over (the facilitator).
    HandOver {
        /// To whom.
        to: ParticipantId,
    },
    /// Appoint a co-facilitator (the facilitator).
    AddCoFacilitator {
        /// Who.
        participant: ParticipantId,
    },
    /// Revoke a co-facilitator (the facilitator).
    RemoveCoFacilitator {
        /// Who.
        participant: ParticipantId,
    },
    /// Open a consensus poll (facilitators).
    OpenPoll {
        /// The question, 1–200 characters.
        question: String,
        /// The kind of poll.
        kind: PollKind,
        /// The options of a custom poll: 2 to 8, each 1–60 characters.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        options: Vec<String>,
        /// Who may see what of a vote; secret until the reveal by default.
        #[serde(default)]
        secrecy: Secrecy,
        /// Reveal by itself once everyone present has voted (default on).
        #[serde(default = "default_true")]
        auto_reveal: bool,
        /// End voting this many seconds after opening (10 to 3600).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_limit_secs: Option<u32>,
    },
    /// Vote, or change your vote, in an open poll.
    CastVote {
        /// Which poll.
        poll: PollId,
        /// The option's index.
        choice: u8,
        /// Why, 1–280 characters; required for a block, objection or veto.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Show a poll's results and end its voting (facilitators).
    RevealPoll {
        /// Which poll.
        poll: PollId,
    },
    /// Close a poll (facilitators).
    ClosePoll {
        /// Which poll.
        poll: PollId,
    },
    /// Ask a poll's question again as a new poll (facilitators).
    ReopenPoll {
        /// Which poll.
        poll: PollId,
    },
    /// Raise a hand in the speaking queue; type and note are optional.
    RaiseHand {
        /// What it is; a new point unless said otherwise.
        #[serde(default)]
        kind: EntryKind,
        /// A short note, up to 80 characters; empty means none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Change the type or note of your own entry.
    EditEntry {
        /// Which entry.
        entry: EntryId,
        /// Its type now.
        kind: EntryKind,
        /// Its note now; absent or empty clears it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Withdraw your own entry, or remove anyone's (facilitators).
    WithdrawEntry {
        /// Which entry.
        entry: EntryId,
    },
    /// Move an entry one place up or down within its type (facilitators).
    MoveEntry {
        /// Which entry.
        entry: EntryId,
        /// Which way.
        direction: Direction,
    },
    /// End the current turn and call the next speaker (facilitators).
    NextSpeaker {
        /// The current turn as the caller saw it; absent when nobody had the floor.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        turn: Option<TurnId>,
    },
    /// "Done": end your own turn; the next in line is called.
    FinishTurn {
        /// Your turn.
        turn: TurnId,
    },
    /// Pass your turn in a round.
    PassTurn {
        /// Your turn.
        turn: TurnId,
    },
    /// Give someone the floor directly (facilitators).
    GiveFloor {
        /// Who.
        participant: ParticipantId,
    },
    /// Start a round (facilitators).
    StartRound {
        /// Check-in, check-out or custom.
        kind: RoundKind,
        /// The question, up to 120 characters; required for `custom`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prompt: Option<String>,
    },
    /// End the round early (facilitators).
    EndRound,
    /// Change the queue settings (facilitators).
    ConfigureQueue {
        /// All the settings.
        settings: QueueSettings,
    },
    /// Propose a topic for the board.
    ProposeTopic {
        /// 1–120 characters.
        title: String,
        /// Up to 500 characters; absent or empty means none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<String>,
    },
    /// Change your topic's title and details (facilitators: any topic).
    EditTopic {
        /// Which topic.
        topic: TopicId,
        /// 1–120 characters.
        title: String,
        /// Up to 500 characters; absent or empty clears them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<String>,
    },
    /// Withdraw your topic (facilitators: any waiting topic).
    WithdrawTopic {
        /// Which topic.
        topic: TopicId,
    },
    /// Put one of your dots on a topic.
    PlaceDot {
        /// Which topic.
        topic: TopicId,
    },
    /// Take one of your dots back.
    TakeBackDot {
        /// Which topic.
        topic: TopicId,
    },
    /// Reveal everyone's dots (facilitators).
    RevealVotes,
    /// Close dot voting (facilitators).
    CloseVoting,
    /// Reopen dot voting (facilitators).
    ReopenVoting,
    /// Merge a duplicate topic into another (facilitators).
    MergeTopics {
        /// The duplicate.
        from: TopicId,
        /// The topic that stays.
        into: TopicId,
    },
    /// Sort "to discuss" by votes (facilitators).
    SortTopics,
    /// Start discussing a topic (facilitators).
    StartTopic {
        /// Which topic.
        topic: TopicId,
    },
    /// Finish the topic being discussed (facilitators).
    FinishTopic {
        /// Which topic.
        topic: TopicId,
    },
    /// Park a topic (facilitators).
    ParkTopic {
        /// Which topic.
        topic: TopicId,
    },
    /// Put a parked topic back into "to discuss" (facilitators).
    UnparkTopic {
        /// Which topic.
        topic: TopicId,
    },
    /// Add a note or takeaway to a topic.
    AddNote {
        /// Which topic.
        topic: TopicId,
        /// `note` (default) or `takeaway`.
        #[serde(default)]
        kind: NoteKind,
        /// 1–500 characters.
        text: String,
    },
    /// Change a note (its author, or facilitators).
    EditNote {
        /// Which note.
        note: NoteId,
        /// `note` (default) or `takeaway`.
        #[serde(default)]
        kind: NoteKind,
        /// 1–500 characters.
        text: String,
    },
    /// Remove a note (its author, or facilitators).
    RemoveNote {
        /// Which note.
        note: NoteId,
    },
    /// Add an action item to a topic.
    AddActionItem {
        /// Which topic.
        topic: TopicId,
        /// 1–200 characters.
        text: String,
        /// Who does it.
        owner: ParticipantId,
        /// `YYYY-MM-DD`; absent or empty means none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<String>,
    },
    /// Change an action item (its author, or facilitators).
    EditActionItem {
        /// Which item.
        item: ActionItemId,
        /// 1–200 characters.
        text: String,
        /// Who does it.
        owner: ParticipantId,
        /// `YYYY-MM-DD`; absent or empty means none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<String>,
    },
    /// Remove an action item (its author, or facilitators).
    RemoveActionItem {
        /// Which item.
        item: ActionItemId,
    },
    /// Change the dot voting settings before any dot is placed (facilitators).
    ConfigureBoard {
        /// All the settings.
        settings: BoardSettings,
    },
    /// Start the timer; while a topic is discussed it is that topic's
    /// timebox (facilitators).
    StartTimer {
        /// Its length, 10 to 14400 seconds.
        duration_secs: u32,
    },
    /// Pause the running timer (facilitators).
    PauseTimer,
    /// Resume the paused timer (facilitators).
    ResumeTimer,
    /// Give the timer more time, or less with a negative number; after
    /// zero, more time restarts it (facilitators).
    AdjustTimer {
        /// Seconds, non-zero, at most 14400 either way.
        delta_secs: i32,
    },
    /// Stop and clear the timer (facilitators).
    ResetTimer,
    /// Change how topic timeboxes work (facilitators).
    ConfigureTimer {
        /// All the settings.
        settings: TimerSettings,
    },
}

fn default_true() -> bool {
    true
}

/// Validates optional text: absent or blank is none, anything else must parse.
fn optional_text<T>(
    raw: Option<String>,
    parse: fn(&str) -> Result<T, TextProblem>,
    field: &str,
) -> Result<Option<T>, Rejection> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => parse(text).map(Some).map_err(invalid(field)),
    }
}

/// Validates an optional due date: absent or blank is none.
fn optional_due_date(raw: Option<String>) -> Result<Option<DueDate>, Rejection> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => DueDate::parse(text).map(Some),
    }
}

/// Turns a text problem into a rejection naming the field.
fn invalid(field: &str) -> impl FnOnce(TextProblem) -> Rejection + '_ {
    move |problem| Rejection::InvalidField {
        field: field.to_owned(),
        problem,
    }
}

impl ClientCommand {
    /// Validates the raw command into the room's command.
    ///
    /// # Errors
    ///
    /// [`Rejection::InvalidField`] when text is out of bounds.
    pub fn into_command(self) -> Result<Command, Rejection> {
        Ok(match self {
            ClientCommand::Leave => Command::Leave,
            ClientCommand::EndMeetup => Command::EndMeetup,
            ClientCommand::ReviewAction { item, outcome } => {
                Command::ReviewAction { item, outcome }
            }
            ClientCommand::SetPresence { presence } => Command::SetPresence {
                presence: match presence {
                    ReportedPresence::Here => Presence::Here,
                    ReportedPresence::Away => Presence::Away,
                },
                participant: None,
            },
            ClientCommand::Rename { name } => Command::Rename {
                name: DisplayName::parse(&name).map_err(invalid("name"))?,
            },
            ClientCommand::Lock => Command::SetLocked { locked: true },
            ClientCommand::Unlock => Command::SetLocked { locked: false },
            ClientCommand::SetSeatCap { seat_cap } => Command::SetSeatCap { seat_cap },
            ClientCommand::Remove { participant } => Command::Remove { participant },
            ClientCommand::HandOver { to } => Command::HandOver { to },
            ClientCommand::AddCoFacilitator { participant } => {
                Command::AddCoFacilitator { participant }
            }
            ClientCommand::RemoveCoFacilitator { participant } => {
                Command::RemoveCoFacilitator { participant }
            }
            ClientCommand::OpenPoll {
                question,
                kind,
                options,
                secrecy,
                auto_reveal,
                time_limit_secs,
            } => {
                // Count before parsing, so a huge list is refused cheaply.
                if options.len() > POLL_MAX_OPTIONS {
                    return Err(Rejection::PollOptionsOutOfRange {
                        min: POLL_MIN_OPTIONS as u8,
                        max: POLL_MAX_OPTIONS as u8,
                    });
                }
                let setup = PollSetup {
                    question: PollQuestion::parse(&question).map_err(invalid("question"))?,
                    kind,
                    options: options
                        .iter()
                        .map(|option| PollOptionText::parse(option).map_err(invalid("options")))
                        .collect::<Result<_, _>>()?,
                    secrecy,
                    auto_reveal,
                    time_limit_secs,
                };
                setup.validate()?;
                Command::OpenPoll { setup }
            }
            ClientCommand::CastVote {
                poll,
                choice,
                reason,
            } => Command::CastVote {
                poll,
                choice,
                // An empty reason field is no reason, not an error.
                reason: match reason.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(text) => Some(PollReason::parse(text).map_err(invalid("reason"))?),
                },
            },
            ClientCommand::RevealPoll { poll } => Command::RevealPoll { poll },
            ClientCommand::ClosePoll { poll } => Command::ClosePoll { poll },
            ClientCommand::ReopenPoll { poll } => Command::ReopenPoll { poll },
            ClientCommand::RaiseHand { kind, note } => Command::RaiseHand {
                kind,
                note: optional_text(note, QueueNote::parse, "note")?,
            },
            ClientCommand::EditEntry { entry, kind, note } => Command::EditEntry {
                entry,
                kind,
                note: optional_text(note, QueueNote::parse, "note")?,
            },
            ClientCommand::WithdrawEntry { entry } => Command::WithdrawEntry { entry },
            ClientCommand::MoveEntry { entry, direction } => {
                Command::MoveEntry { entry, direction }
            }
            ClientCommand::NextSpeaker { turn } => Command::NextSpeaker { turn },
            ClientCommand::FinishTurn { turn } => Command::FinishTurn { turn },
            ClientCommand::PassTurn { turn } => Command::PassTurn { turn },
            ClientCommand::GiveFloor { participant } => Command::GiveFloor { participant },
            ClientCommand::StartRound { kind, prompt } => {
                let prompt = optional_text(prompt, RoundPrompt::parse, "prompt")?;
                // A check-in or check-out has its own question; a custom
                // round has nothing to ask without one.
                if kind == RoundKind::Custom && prompt.is_none() {
                    return Err(invalid("prompt")(TextProblem::Empty));
                }
                Command::StartRound {
                    kind,
                    prompt,
                    // Filled in by the server, which alone may draw randomness.
                    seed: 0,
                }
            }
            ClientCommand::EndRound => Command::EndRound,
            ClientCommand::ConfigureQueue { settings } => Command::ConfigureQueue { settings },
            ClientCommand::ProposeTopic { title, details } => Command::ProposeTopic {
                title: TopicTitle::parse(&title).map_err(invalid("title"))?,
                details: optional_text(details, TopicDetails::parse, "details")?,
            },
            ClientCommand::EditTopic {
                topic,
                title,
                details,
            } => Command::EditTopic {
                topic,
                title: TopicTitle::parse(&title).map_err(invalid("title"))?,
                details: optional_text(details, TopicDetails::parse, "details")?,
            },
            ClientCommand::WithdrawTopic { topic } => Command::WithdrawTopic { topic },
            ClientCommand::PlaceDot { topic } => Command::PlaceDot { topic },
            ClientCommand::TakeBackDot { topic } => Command::TakeBackDot { topic },
            ClientCommand::RevealVotes => Command::RevealVotes,
            ClientCommand::CloseVoting => Command::CloseVoting,
            ClientCommand::ReopenVoting => Command::ReopenVoting,
            ClientCommand::MergeTopics { from, into } => Command::MergeTopics { from, into },
            ClientCommand::SortTopics => Command::SortTopics,
            ClientCommand::StartTopic { topic } => Command::StartTopic { topic },
            ClientCommand::FinishTopic { topic } => Command::FinishTopic { topic },
            ClientCommand::ParkTopic { topic } => Command::ParkTopic { topic },
            ClientCommand::UnparkTopic { topic } => Command::UnparkTopic { topic },
            ClientCommand::AddNote { topic, kind, text } => Command::AddNote {
                topic,
                kind,
                text: NoteText::parse(&text).map_err(invalid("text"))?,
            },
            ClientCommand::EditNote { note, kind, text } => Command::EditNote {
                note,
                kind,
                text: NoteText::parse(&text).map_err(invalid("text"))?,
            },
            ClientCommand::RemoveNote { note } => Command::RemoveNote { note },
            ClientCommand::AddActionItem {
                topic,
                text,
                owner,
                due,
            } => Command::AddActionItem {
                topic,
                text: ActionText::parse(&text).map_err(invalid("text"))?,
                owner,
                due: optional_due_date(due)?,
            },
            ClientCommand::EditActionItem {
                item,
                text,
                owner,
                due,
            } => Command::EditActionItem {
                item,
                text: ActionText::parse(&text).map_err(invalid("text"))?,
                owner,
                due: optional_due_date(due)?,
            },
            ClientCommand::RemoveActionItem { item } => Command::RemoveActionItem { item },
            ClientCommand::ConfigureBoard { settings } => {
                settings.validate()?;
                Command::ConfigureBoard { settings }
            }
            ClientCommand::StartTimer { duration_secs } => {
                timer::check_duration(duration_secs)?;
                Command::StartTimer { duration_secs }
            }
            ClientCommand::PauseTimer => Command::PauseTimer,
            ClientCommand::ResumeTimer => Command::ResumeTimer,
            ClientCommand::AdjustTimer { delta_secs } => {
                timer::check_adjustment(delta_secs)?;
                Command::AdjustTimer { delta_secs }
            }
            ClientCommand::ResetTimer => Command::ResetTimer,
            ClientCommand::ConfigureTimer { settings } => {
                settings.validate()?;
                Command::ConfigureTimer { settings }
            }
        })
    }
}

/// Validates a display name typed in `hello`.
///
/// # Errors
///
/// [`Rejection::InvalidField`] for the field `name`.
pub fn parse_display_name(raw: &str) -> Result<DisplayName, Rejection> {
    DisplayName::parse(raw).map_err(invalid("name"))
}

/// Validates a request id.
///
/// # Errors
///
/// [`Rejection::InvalidRequestId`].
pub fn parse_request_id(raw: &str) -> Result<RequestId, Rejection> {
    RequestId::parse(raw).ok_or(Rejection::InvalidRequestId)
}

/// Message types a client may send; used to tell an unknown type from a
/// known one with bad fields.
const CLIENT_MESSAGE_TYPES: &[&str] = &["hello", "command", "pong", "time_sync"];

/// Command types a client may send.
const CLIENT_COMMAND_TYPES: &[&str] = &[
    "leave",
    "end_meetup",
    "review_action",
    "set_presence",
    "rename",
    "lock",
    "unlock",
    "set_seat_cap",
    "remove",
    "hand_over",
    "add_co_facilitator",
    "remove_co_facilitator",
    "open_poll",
    "cast_vote",
    "reveal_poll",
    "close_poll",
    "reopen_poll",
    "raise_hand",
    "edit_entry",
    "withdraw_entry",
    "move_entry",
    "next_speaker",
    "finish_turn",
    "pass_turn",
    "give_floor",
    "start_round",
    "end_round",
    "configure_queue",
    "propose_topic",
    "edit_topic",
    "withdraw_topic",
    "place_dot",
    "take_back_dot",
    "reveal_votes",
    "close_voting",
    "reopen_voting",
    "merge_topics",
    "sort_topics",
    "start_topic",
    "finish_topic",
    "park_topic",
    "unpark_topic",
    "add_note",
    "edit_note",
    "remove_note",
    "add_action_item",
    "edit_action_item",
    "remove_action_item",
    "configure_board",
    "start_timer",
    "pause_timer",
    "resume_timer",
    "adjust_timer",
    "reset_timer",
    "configure_timer",
];

/// Just the type tags of a message, read when the full parse fails.
#[derive(Deserialize)]
struct TypeTags {
    #[serde(rename = "type")]
    message_type: Option<String>,
    command: Option<CommandTypeTag>,
}

#[derive(Deserialize)]
struct CommandTypeTag {
    #[serde(rename = "type")]
    command_type: Option<String>,
}

impl ClientMessage {
    /// Parses one text frame from a client.
    ///
    /// # Errors
    ///
    /// [`Rejection::MessageTooLarge`], [`Rejection::UnknownMessageType`] (for a
    /// message or command type this server does not know) or
    /// [`Rejection::MalformedMessage`].
    pub fn parse(text: &str) -> Result<ClientMessage, Rejection> {
        if text.len() > MAX_MESSAGE_BYTES {
            return Err(Rejection::MessageTooLarge {
                max_bytes: MAX_MESSAGE_BYTES,
            });
        }
        serde_json::from_str(text).map_err(|error| {
            // Only on the error path: look at the tags alone to say which kind of wrong it is.
            if let Ok(tags) = serde_json::from_str::<TypeTags>(text) {
                if let Some(found) = tags
                    .message_type
                    .filter(|found| !CLIENT_MESSAGE_TYPES.contains(&found.as_str()))
                {
                    return Rejection::UnknownMessageType { found };
                }
                if let Some(found) = tags
                    .command
                    .and_then(|command| command.command_type)
                    .filter(|found| !CLIENT_COMMAND_TYPES.contains(&found.as_str()))
                {
                    return Rejection::UnknownMessageType {
                        found: format!("command.{found}"),
                    };
                }
            }
            Rejection::MalformedMessage {
                detail: error.to_string(),
            }
        })
    }
}

/// A message from the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The handshake succeeded. With a `snapshot`, the client replaces its
    /// room with it (it is the room at `seq`); without one, the events after
    /// the client's `last_seq` up to `seq` follow as `event` messages.
    Welcome {
        /// The protocol version the server speaks.
        protocol: u32,
        /// Who this connection acts as (`null` for the shared screen).
        participant: Option<ParticipantId>,
        /// The credential to keep for rejoining; only in answer to `join`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        /// The server's clock now.
        server_time: Timestamp,
        /// The room's latest sequence number.
        seq: Seq,
        /// The whole room at `seq`, when the client cannot be caught up by replay.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot: Option<Box<Room>>,
    },
    /// Something happened in the room.
    Event {
        /// The room's sequence number of this event: 1, 2, 3, … without gaps.
        seq: Seq,
        /// When it happened (server clock).
        at: Timestamp,
        /// What happened.
        event: Event,
    },
    /// A command was applied; its events (up to `seq`) were sent before this.
    Ack {
        /// The command's request id.
        request_id: String,
        /// The room's sequence number after the command.
        seq: Seq,
    },
    /// A command (or message) was refused; nothing changed.
    Rejected {
        /// The command's request id, when it had a readable one.
        request_id: Option<String>,
        /// Why, as a typed code.
        reason: Rejection,
        /// Why, as a sentence for people.
        message: String,
    },
    /// The handshake was refused; the server closes the connection next.
    Refused {
        /// Why, as a typed code.
        reason: Rejection,
        /// Why, as a sentence for people.
        message: String,
    },
    /// Liveness check; the client answers `pong`. Carries the server clock.
    Ping {
        /// The server's clock now.
        server_time: Timestamp,
    },
    /// Answer to `time_sync`.
    TimeSync {
        /// The client's clock from the request, echoed.
        client_time: u64,
        /// The server's clock when it answered.
        server_time: Timestamp,
    },
}

impl ServerMessage {
    /// A `rejected` answer with the human sentence filled in.
    pub fn rejected(request_id: Option<String>, reason: Rejection) -> ServerMessage {
        ServerMessage::Rejected {
            request_id,
            message: reason.to_string(),
            reason,
        }
    }

    /// A `refused` answer with the human sentence filled in.
    pub fn refused(reason: Rejection) -> ServerMessage {
        ServerMessage::Refused {
            message: reason.to_string(),
            reason,
        }
    }
}

/// Estimates how far the server clock is ahead of the client clock, from one
/// `time_sync` round trip: the server read its clock about half-way through.
pub fn clock_offset_millis(client_sent: u64, server_time: Timestamp, client_received: u64) -> i64 {
    let midpoint = (i128::from(client_sent) + i128::from(client_received)) / 2;
    i64::try_from(i128::from(server_time.0) - midpoint).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_message_and_command_types_are_named() {
        assert_eq!(
            ClientMessage::parse(r#"{"type":"dance"}"#),
            Err(Rejection::UnknownMessageType {
                found: "dance".into()
            })
        );
        assert_eq!(
            ClientMessage::parse(
                r#"{"type":"command","request_id":"1","command":{"type":"dance"}}"#
            ),
            Err(Rejection::UnknownMessageType {
                found: "command.dance".into()
            })
        );
    }

    #[test]
    fn malformed_json_is_rejected_not_panicked_on() {
        for text in [
            "",
            "{",
            "null",
            "[]",
            r#"{"type":"hello"}"#,
            r#"{"type":"command","request_id":1}"#,
            "\u{0}",
        ] {
            assert!(
                matches!(
                    ClientMessage::parse(text),
                    Err(Rejection::MalformedMessage { .. })
                ),
                "{text:?}"
            );
        }
    }

    #[test]
    fn oversized_messages_are_rejected_before_parsing() {
        let text = format!(
            r#"{{"type":"pong","pad":"{}"}}"#,
            "x".repeat(MAX_MESSAGE_BYTES)
        );
        assert_eq!(
            ClientMessage::parse(&text),
            Err(Rejection::MessageTooLarge {
                max_bytes: MAX_MESSAGE_BYTES
            })
        );
    }

    #[test]
    fn commands_validate_their_text() {
        let rename = ClientCommand::Rename {
            name: "x".repeat(41),
        };
        assert_eq!(
            rename.into_command(),
            Err(Rejection::InvalidField {
                field: "name".into(),
                problem: TextProblem::TooLong { max_chars: 40 }
            })
        );
    }

    #[test]
    fn clock_offset_uses_the_round_trip_midpoint() {
        assert_eq!(clock_offset_millis(1_000, Timestamp(5_050), 1_100), 4_000);
        assert_eq!(
            clock_offset_millis(10_000, Timestamp(5_000), 10_000),
            -5_000
        );
    }
}
