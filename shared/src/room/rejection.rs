//! Every reason moot refuses a request, as protocol data. The same enum
//! answers a refused command (`rejected`) and a refused handshake
//! (`refused`), so a client handles one list of codes.

use crate::json::{FromJson, ToJson, Variants};
use serde::{Deserialize, Serialize};

use crate::protocol::close_code;

use crate::text::TextProblem;

/// Why a request was refused. Serialised with a `code` tag; the `Display` text
/// is a human sentence clients may show.
#[derive(
    Clone,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    FromJson,
    ToJson,
    Variants,
    thiserror::Error,
)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Rejection {
    // --- The message itself ---
    /// Not JSON, or JSON that is not a moot message.
    #[error("the message is not a valid moot message: {detail}")]
    MalformedMessage {
        /// What the parser said.
        detail: String,
    },
    /// A message or command type this server does not know.
    #[error("unknown message type {found:?}")]
    UnknownMessageType {
        /// The type that was sent.
        found: String,
    },
    /// Larger than the protocol allows.
    #[error("the message is larger than {max_bytes} bytes")]
    MessageTooLarge {
        /// The bound.
        max_bytes: usize,
    },
    /// A field's value is out of bounds.
    #[error("{field} {problem}")]
    InvalidField {
        /// The field, as named in the protocol.
        field: String,
        /// What is wrong with it.
        #[serde(flatten)]
        problem: TextProblem,
    },
    /// The request id is missing, empty, too long or not printable ASCII.
    #[error("the request id must be 1 to 64 printable ASCII characters")]
    InvalidRequestId,
    /// This connection sends commands too fast.
    #[error("too many commands; try again in {retry_after_ms} ms")]
    RateLimited {
        /// When the next command will be accepted.
        retry_after_ms: u64,
    },

    // --- The handshake ---
    /// The client speaks another protocol version.
    #[error("this server speaks protocol version {supported}")]
    UnsupportedProtocolVersion {
        /// The version this server speaks.
        supported: u32,
    },
    /// The first message was not `hello`, or a second `hello` came.
    #[error("the first message must be hello, and only the first")]
    HelloExpected,
    /// No `hello` arrived in time.
    #[error("no hello arrived in time")]
    HandshakeTimeout,
    /// No open meetup has this join code.
    #[error("no meetup has this join code")]
    UnknownJoinCode,
    /// Too many failed join attempts from this address.
    #[error("too many failed attempts; try again in {retry_after_ms} ms")]
    TooManyAttempts {
        /// When the next attempt will be considered.
        retry_after_ms: u64,
    },
    /// The credential does not belong to anyone in this meetup.
    #[error("this link or saved login is not valid for this meetup")]
    BadCredential,
    /// The shared screen's link was replaced or stopped (or the facilitator
    /// handed over): a screen opened with it closes, and the link no longer
    /// opens one.
    #[error(
        "this screen link no longer works; open the shared screen again from the facilitator's page"
    )]
    ScreenLinkStopped,
    /// A web page from another site tried to open a WebSocket (answered
    /// with HTTP 403 before any WebSocket exists).
    #[error("pages from this origin may not connect to this server")]
    OriginNotAllowed,
    /// The server could not store the action, so it did not happen; sending
    /// it again (same request id) may succeed.
    #[error("the server could not save that; please try again")]
    StorageFailed,
    /// The server holds as many meetups as it is allowed to.
    #[error("this server is full; try again later")]
    ServerFull,
    /// Several moot nodes share one database, and another node serves this
    /// meetup (the proxy in front sends each meetup's connections to one
    /// node, so this is rare: while a node joins or leaves).
    #[error("this meetup is served by another node: {node_url}")]
    MeetupElsewhere {
        /// The address of the node that serves it.
        node_url: String,
    },

    // --- The room ---
    /// The meetup has ended; it can be read and exported, not changed.
    #[error("this meetup has ended")]
    MeetupEnded,
    /// No carried action item has this number.
    #[error("there is no such item to review")]
    UnknownReviewItem,
    /// The meetup is locked against new participants.
    #[error("the meetup is locked")]
    Locked,
    /// Every seat is taken.
    #[error("all {seat_cap} seats are taken")]
    RoomFull {
        /// The seat cap.
        seat_cap: u16,
    },
    /// Someone in the meetup already uses this name.
    #[error("someone here is already called that")]
    NameTaken,
    /// The actor was removed from the meetup.
    #[error("you were removed from this meetup")]
    Removed,
    /// The actor left the meetup and has not rejoined.
    #[error("you are not in this meetup")]
    NotInMeetup,
    /// Only a facilitator or co-facilitator may do this.
    #[error("only a facilitator can do that")]
    FacilitatorsOnly,
    /// Only the facilitator (not a co-facilitator) may do this.
    #[error("only the facilitator can do that")]
    FacilitatorOnly,
    /// Only the server may issue this command.
    #[error("that command is not available to participants")]
    ServerOnly,
    /// The target is not (or no longer) in the meetup.
    #[error("that person is not in this meetup")]
    UnknownParticipant,
    /// The facilitator cannot be removed or leave; hand the role over first.
    #[error("hand the facilitator role over first")]
    HandOverFirst,
    /// The target owns the meetup and is away: whoever stands in for them
    /// keeps the role for them and cannot remove or demote them.
    #[error("you stand in for them: they get the role back when they return")]
    StandingInForOwner,
    /// A facilitator cannot target themselves with this command.
    #[error("you cannot do that to yourself")]
    NotOnYourself,
    /// The target already has that role.
    #[error("that person already has that role")]
    AlreadyInRole,
    /// The seat cap is below the people present or above the maximum.
    #[error("the seat cap must be between {min} and {max}")]
    SeatCapOutOfRange {
        /// Smallest allowed now (people present).
        min: u16,
        /// Largest allowed.
        max: u16,
    },

    // --- The speaking queue ---
    /// You already have an open entry of this type.
    #[error("you already have a hand raised of that type")]
    HandAlreadyRaised,
    /// No open entry has this number (it was called, withdrawn or removed).
    #[error("that entry is no longer in the queue")]
    UnknownEntry,
    /// The entry belongs to someone else.
    #[error("that entry is someone else's")]
    NotYourEntry,
    /// Someone else has the floor.
    #[error("it is not your turn")]
    NotYourTurn,
    /// The turn this command refers to is over (someone else ended it first).
    #[error("that turn is already over")]
    StaleTurn,
    /// A round is running; the queue waits until it ends.
    #[error("a round is in progress")]
    RoundInProgress,
    /// No round is running.
    #[error("no round is in progress")]
    NoRound,
    /// A turn limit or round clock is out of bounds.
    #[error("the time must be between {min_secs} and {max_secs} seconds")]
    DurationOutOfRange {
        /// Shortest allowed, in seconds.
        min_secs: u32,
        /// Longest allowed, in seconds.
        max_secs: u32,
    },

    // --- Consensus polls ---
    /// A custom poll needs 2 to 8 options; other kinds take none.
    #[error("this poll needs between {min} and {max} options")]
    PollOptionsOutOfRange {
        /// Fewest options.
        min: u8,
        /// Most options.
        max: u8,
    },
    /// A poll's time limit is too short or too long.
    #[error("a poll's time limit must be between {min_secs} and {max_secs} seconds")]
    PollTimeLimitOutOfRange {
        /// Shortest, in seconds.
        min_secs: u32,
        /// Longest, in seconds.
        max_secs: u32,
    },
    /// Another poll is taking votes; reveal or close it first.
    #[error("poll {poll} is still open")]
    PollAlreadyOpen {
        /// The open poll.
        poll: u32,
    },
    /// No poll has this number.
    #[error("there is no such poll")]
    UnknownPoll,
    /// The poll no longer takes votes (revealed or closed).
    #[error("poll {poll} is not taking votes")]
    PollNotOpen {
        /// The poll.
        poll: u32,
    },
    /// The choice is not one of the poll's options.
    #[error("the poll has {options} options")]
    NoSuchChoice {
        /// How many options the poll has (choices are 0 to options - 1).
        options: u8,
    },
    // --- The agenda ---
    /// `next_phase` from a phase that is no longer current: someone else
    /// advanced first.
    #[error("the agenda has moved on already")]
    StalePhase,
    /// `next_phase` with no phase left to come.
    #[error("there is no next phase")]
    NoNextPhase,
    /// No phase of the agenda has this number.
    #[error("that phase is not on the agenda")]
    UnknownPhase,
    /// A done phase cannot be edited, nor have a phase inserted after it.
    #[error("that phase is done")]
    PhaseDone,
    /// Only a phase still to come can be removed or moved.
    #[error("only a phase still to come can be removed or moved")]
    PhaseNotUpcoming,
    /// "I'm done" is for the current phase.
    #[error("that phase is not the current one")]
    PhaseNotCurrent,
    /// The agenda holds as many phases as it may.
    #[error("an agenda holds at most {max} phases")]
    TooManyPhases {
        /// The bound.
        max: u16,
    },
    /// A phase's length is 0 (untimed) or within these bounds.
    #[error("a phase lasts 0 (untimed) or {min_secs} to {max_secs} seconds")]
    PhaseLengthOutOfRange {
        /// Shortest timed phase.
        min_secs: u32,
        /// Longest phase.
        max_secs: u32,
    },
    /// There is no agenda to end.
    #[error("there is no agenda running")]
    NoAgenda,
    /// `reuse_agenda` in a meetup whose series has no earlier plan.
    #[error("the previous meetup had no agenda to reuse")]
    NoAgendaToReuse,
    /// Roles are picked while a roles phase is current; after it they hold.
    #[error("roles are picked in a roles phase")]
    RolesFrozen,
    /// In this phase whoever holds this role listens and does not speak.
    #[error("you listen in this phase")]
    ListeningRole {
        /// The role that listens.
        role: super::agenda::AgendaRole,
    },
    /// A block, objection or veto needs a reason.
    #[error("say why: this choice needs a reason")]
    ReasonRequired,
    /// The voter gave this same reason in another poll, and one of the two
    /// is anonymous: sent again, the anonymous reason would appear beside
    /// their name (or a named one inside an anonymous poll). Written for one
    /// poll, a reason stays with that poll.
    #[error(
        "you gave this reason in another poll; word it anew so an anonymous reason cannot be traced to you"
    )]
    ReasonFromOtherPoll,
    /// The meetup holds as many polls as it may.
    #[error("this meetup has reached its {max} polls")]
    TooManyPolls {
        /// The bound.
        max: u16,
    },

    // --- The topic board ---
    /// No topic on the board has this number (withdrawn or merged away).
    #[error("that topic is no longer on the board")]
    UnknownTopic,
    /// The topic belongs to someone else.
    #[error("that topic is someone else's")]
    NotYourTopic,
    /// The topic's column does not allow this (e.g. dots on a discussed
    /// topic, withdrawing a topic under discussion).
    #[error("that cannot be done to a topic in its column")]
    TopicInWrongColumn,
    /// A topic cannot be merged into itself.
    #[error("a topic cannot be merged into itself")]
    SameTopic,
    /// No goal has that number (or it is not one's to see).
    #[error("no such goal")]
    UnknownGoal,
    /// The goal is someone else's: only its owner changes it.
    #[error("that goal is someone else's")]
    NotYourGoal,
    /// The meetup holds as many goals as it may.
    #[error("the meetup has reached its {max} goals")]
    TooManyGoals {
        /// The bound.
        max: u16,
    },
    /// The person has as many open goals as they may.
    #[error("you already have {max} open goals; finish or drop one first")]
    TooManyOpenGoals {
        /// The bound.
        max: u8,
    },
    /// Nobody is their own buddy.
    #[error("someone cannot be their own buddy")]
    OwnBuddy,
    /// The phase is not a breakout phase.
    #[error("that phase is not a breakout")]
    NotABreakoutPhase,
    /// A breakout is running already.
    #[error("a breakout is running already")]
    BreakoutOpen,
    /// No breakout is running.
    #[error("no breakout is running")]
    NoBreakout,
    /// The breakout is still running: its notes are shared after it.
    #[error("the breakout is still running")]
    BreakoutStillOpen,
    /// Too few people are present to split into groups.
    #[error("at least {min} people must be present to split into groups")]
    TooFewPeople {
        /// The bound.
        min: u8,
    },
    /// A group size out of bounds.
    #[error("groups must be of {min} to {max} people")]
    GroupSizeOutOfRange {
        /// The smallest size.
        min: u8,
        /// The largest size.
        max: u8,
    },
    /// No group has that number.
    #[error("no such group")]
    UnknownGroup,
    /// The sender is in no group of the breakout.
    #[error("you are not in a group")]
    NotInGroup,
    /// Someone with a partner joins no other group on their own; whoever
    /// runs the meetup moves people.
    #[error("you are not alone in your group")]
    NotAlone,
    /// The group keeps as many notes as it may.
    #[error("your group has reached its {max} notes")]
    TooManyGroupNotes {
        /// The bound.
        max: u8,
    },
    /// The breakout moved on from the step the sender saw.
    #[error("the breakout has moved on to another step")]
    StaleBreakoutStep,
    /// The breakout is at its last step.
    #[error("this is the breakout's last step")]
    NoNextStep,
    /// A countdown longer than allowed.
    #[error("the countdown must be at most {max_secs} seconds")]
    CountdownOutOfRange {
        /// The bound.
        max_secs: u8,
    },
    /// The board holds as many topics as it may.
    #[error("the board has reached its {max} topics")]
    TooManyTopics {
        /// The bound.
        max: u16,
    },
    /// Dot voting is closed.
    #[error("voting is closed")]
    VotingClosed,
    /// Every dot of the budget is on the board.
    #[error("all your {budget} dots are placed; take one back first")]
    NoDotsLeft {
        /// The budget.
        budget: u8,
    },
    /// Stacking is off and the topic has your dot already.
    #[error("one dot per topic in this meetup")]
    NoStacking,
    /// You have no dot on that topic to take back.
    #[error("you have no dot on that topic")]
    NoDotHere,
    /// Sorting by votes before the reveal would give the totals away.
    #[error("reveal the votes before sorting by them")]
    VotesHidden,
    /// Dot settings change only while no dot is on the board.
    #[error("dots are already placed; settings can no longer change")]
    VotingUnderway,
    /// A dot budget out of bounds.
    #[error("the dot budget must be between {min} and {max}")]
    DotBudgetOutOfRange {
        /// Smallest.
        min: u8,
        /// Largest.
        max: u8,
    },
    /// No note has this number.
    #[error("that note is no longer there")]
    UnknownNote,
    /// No action item has this number.
    #[error("that action item is no longer there")]
    UnknownActionItem,
    /// The note or action item belongs to someone else.
    #[error("only its author or a facilitator can change that")]
    NotYourOutcome,
    /// The meetup holds as many notes as it may.
    #[error("this meetup has reached its {max} notes")]
    TooManyNotes {
        /// The bound.
        max: u16,
    },
    /// The meetup holds as many action items as it may.
    #[error("this meetup has reached its {max} action items")]
    TooManyActionItems {
        /// The bound.
        max: u16,
    },
    /// A due date that is not a real `YYYY-MM-DD` day.
    #[error("the due date must be a day written YYYY-MM-DD")]
    InvalidDueDate,
    // --- The timer ---
    /// A timer, timebox or extension step is too short or too long.
    #[error("the time must be between {min_secs} and {max_secs} seconds")]
    TimerOutOfRange {
        /// Shortest, in seconds.
        min_secs: u32,
        /// Longest, in seconds.
        max_secs: u32,
    },
    /// An adjustment of zero, or of more than the bound either way.
    #[error("add or take away between 1 and {max_secs} seconds")]
    AdjustmentOutOfRange {
        /// The most, in seconds.
        max_secs: u32,
    },
    /// More extensions by vote than a topic may have.
    #[error("a topic may be extended at most {max} times")]
    ExtensionsOutOfRange {
        /// The bound.
        max: u8,
    },
    /// The timer is not running (nothing to pause or adjust).
    #[error("the timer is not running")]
    TimerNotRunning,
    /// The timer is not paused (nothing to resume).
    #[error("the timer is not paused")]
    TimerNotPaused,
}

impl Rejection {
    /// The WebSocket close code sent after a refused handshake. Codes in the
    /// 4000 range are moot's own (see `docs/PROTOCOL.md`).
    pub fn close_code(&self) -> u16 {
        match self {
            Rejection::UnsupportedProtocolVersion { .. } => close_code::UNSUPPORTED_PROTOCOL,
            Rejection::MalformedMessage { .. }
            | Rejection::UnknownMessageType { .. }
            | Rejection::MessageTooLarge { .. }
            | Rejection::InvalidField { .. }
            | Rejection::InvalidRequestId
            | Rejection::HelloExpected
            | Rejection::PollOptionsOutOfRange { .. }
            | Rejection::PollTimeLimitOutOfRange { .. }
            | Rejection::DotBudgetOutOfRange { .. }
            | Rejection::PhaseLengthOutOfRange { .. }
            | Rejection::InvalidDueDate
            | Rejection::TimerOutOfRange { .. }
            | Rejection::AdjustmentOutOfRange { .. }
            | Rejection::ExtensionsOutOfRange { .. }
            | Rejection::GroupSizeOutOfRange { .. }
            | Rejection::CountdownOutOfRange { .. } => close_code::BAD_MESSAGE,
            Rejection::HandshakeTimeout => close_code::HANDSHAKE_TIMEOUT,
            Rejection::UnknownJoinCode => close_code::UNKNOWN_JOIN_CODE,
            Rejection::BadCredential
            | Rejection::ScreenLinkStopped
            | Rejection::OriginNotAllowed => close_code::BAD_CREDENTIAL,
            Rejection::TooManyAttempts { .. } | Rejection::RateLimited { .. } => {
                close_code::TOO_MANY
            }
            // Like a cut-off connection: reconnect and try again.
            Rejection::StorageFailed | Rejection::MeetupElsewhere { .. } => close_code::RESUME,
            Rejection::ServerFull => close_code::SERVER_FULL,
            Rejection::Removed => close_code::REMOVED,
            Rejection::MeetupEnded | Rejection::UnknownReviewItem => close_code::REFUSED,
            Rejection::Locked
            | Rejection::RoomFull { .. }
            | Rejection::NameTaken
            | Rejection::NotInMeetup
            | Rejection::FacilitatorsOnly
            | Rejection::FacilitatorOnly
            | Rejection::ServerOnly
            | Rejection::UnknownParticipant
            | Rejection::HandOverFirst
            | Rejection::StandingInForOwner
            | Rejection::NotOnYourself
            | Rejection::AlreadyInRole
            | Rejection::SeatCapOutOfRange { .. }
            | Rejection::HandAlreadyRaised
            | Rejection::UnknownEntry
            | Rejection::NotYourEntry
            | Rejection::NotYourTurn
            | Rejection::StaleTurn
            | Rejection::RoundInProgress
            | Rejection::NoRound
            | Rejection::DurationOutOfRange { .. }
            | Rejection::PollAlreadyOpen { .. }
            | Rejection::UnknownPoll
            | Rejection::PollNotOpen { .. }
            | Rejection::NoSuchChoice { .. }
            | Rejection::ReasonRequired
            | Rejection::StalePhase
            | Rejection::NoNextPhase
            | Rejection::UnknownPhase
            | Rejection::PhaseDone
            | Rejection::PhaseNotUpcoming
            | Rejection::PhaseNotCurrent
            | Rejection::TooManyPhases { .. }
            | Rejection::NoAgenda
            | Rejection::RolesFrozen
            | Rejection::NoAgendaToReuse
            | Rejection::ListeningRole { .. }
            | Rejection::ReasonFromOtherPoll
            | Rejection::TooManyPolls { .. }
            | Rejection::UnknownTopic
            | Rejection::NotYourTopic
            | Rejection::TopicInWrongColumn
            | Rejection::SameTopic
            | Rejection::TooManyTopics { .. }
            | Rejection::UnknownGoal
            | Rejection::NotYourGoal
            | Rejection::TooManyGoals { .. }
            | Rejection::TooManyOpenGoals { .. }
            | Rejection::OwnBuddy
            | Rejection::NotABreakoutPhase
            | Rejection::BreakoutOpen
            | Rejection::NoBreakout
            | Rejection::BreakoutStillOpen
            | Rejection::TooFewPeople { .. }
            | Rejection::UnknownGroup
            | Rejection::NotInGroup
            | Rejection::NotAlone
            | Rejection::TooManyGroupNotes { .. }
            | Rejection::StaleBreakoutStep
            | Rejection::NoNextStep
            | Rejection::VotingClosed
            | Rejection::NoDotsLeft { .. }
            | Rejection::NoStacking
            | Rejection::NoDotHere
            | Rejection::VotesHidden
            | Rejection::VotingUnderway
            | Rejection::UnknownNote
            | Rejection::UnknownActionItem
            | Rejection::NotYourOutcome
            | Rejection::TooManyNotes { .. }
            | Rejection::TooManyActionItems { .. }
            | Rejection::TimerNotRunning
            | Rejection::TimerNotPaused => close_code::REFUSED,
        }
    }
}
