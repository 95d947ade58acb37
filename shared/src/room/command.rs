//! Commands: what an actor asks the room to do. Imperative names; the
//! reducer answers each with events or a rejection.
//!
//! [`Command`] is also the wire form of a client's command: the `command` of
//! a `command` message decodes straight into it, its text already validated
//! by its types (`TopicTitle`, `QueueNote`, …), so there is no second,
//! raw-string copy of each command. Variants only the server may issue are
//! `#[serde(skip)]`: no client can send them, and the reducer refuses them
//! from a participant anyway.

use crate::json::{FromJson, ToJson, Variants};
use moot_shared_derive::Authorized;
use serde::{Deserialize, Serialize};

use super::membership::{CredentialDigest, ReportedPresence};
use super::queue::{Direction, EntryId, EntryKind, QueueSettings, RoundKind, TurnId};
use crate::ids::ParticipantId;
use crate::text::DisplayName;
use crate::text::{QueueNote, RoundPrompt};

/// Who is acting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "participant", rename_all = "snake_case")]
pub enum Actor {
    /// The server itself: admissions, timers, connection presence.
    System,
    /// A participant, authenticated by their connection.
    Participant(ParticipantId),
}

/// What an actor asks the room to do. Commands that only the server may issue
/// (admissions, presence of a dropped connection, deadlines) are skipped on
/// the wire; the reducer also rejects them from a participant.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, FromJson, ToJson, Variants, Authorized,
)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// End the meetup (the facilitator): it becomes a record to export.
    #[authority(facilitator)]
    EndMeetup,
    /// Record what became of an action item carried from the previous
    /// meetup of the series (facilitators).
    #[authority(runner)]
    ReviewAction {
        /// The review item's number.
        item: u32,
        /// Done, kept or dropped.
        outcome: super::lifecycle::ReviewOutcome,
    },
    /// The next meetup of this one's series was opened (server only): the
    /// group may follow it there.
    #[serde(skip)]
    #[authority(server)]
    LinkNextMeetup {
        /// Its join code.
        code: crate::ids::JoinCode,
        /// Its shared screen's key, for this meetup's screen to move there.
        screen_key: Option<super::ScreenKey>,
    },
    /// The server's clock reached [`crate::Room::next_deadline`]: whatever
    /// ran out (a timer, a poll's time limit, a disconnected participant's
    /// grace period) takes effect (server only).
    #[serde(skip)]
    #[authority(server)]
    Tick,
    /// Admit a new participant (server only: it made the id and the credential).
    #[serde(skip)]
    #[authority(server)]
    Join {
        /// The id the server made for them.
        participant: ParticipantId,
        /// The name they typed.
        name: DisplayName,
        /// Digest of the secret in their credential.
        credential: CredentialDigest,
    },
    /// Bring back a participant who presented their credential (server only).
    /// Someone who left is re-admitted if a seat is free; someone removed is refused.
    #[serde(skip)]
    #[authority(server)]
    Rejoin {
        /// Who is coming back.
        participant: ParticipantId,
        /// Digest of the secret they presented.
        credential: CredentialDigest,
        /// The name to come back under, when the old one was taken meanwhile.
        name: Option<DisplayName>,
    },
    /// Leave the meetup (the facilitator hands over first).
    #[authority(member)]
    Leave,
    /// Say whether you are looking at the meetup (here) or not (away).
    #[authority(member)]
    SetPresence {
        /// Here or away.
        presence: ReportedPresence,
    },
    /// Someone connected (server only): they are `here`, and no longer on
    /// their way to `gone` if their last connection had closed.
    #[serde(skip)]
    #[authority(server)]
    MarkConnected {
        /// Who.
        participant: ParticipantId,
        /// How long a returning owner of a meetup in fallback must stay
        /// connected before the facilitator role goes back to them (the
        /// server's setting; see [`super::fallback`]).
        reclaim_ms: u64,
    },
    /// Someone's last connection closed (server only): they are `away` now
    /// and turn `gone` once `grace_ms` passes without a [`Command::Tick`]
    /// finding them reconnected. The grace is the server's setting, so it
    /// comes with the command; the reducer turns it into a deadline.
    #[serde(skip)]
    #[authority(server)]
    MarkDisconnected {
        /// Who.
        participant: ParticipantId,
        /// How long they stay `away` before turning `gone`.
        grace_ms: u64,
        /// How long until a stand-in takes the facilitator role, if they
        /// hold it: the server's fallback period less the silence the
        /// connection already had when it closed.
        fallback_ms: u64,
    },
    /// Change your own display name.
    #[authority(member)]
    Rename {
        /// The new name.
        name: DisplayName,
    },
    /// Choose who may stand in when the facilitator's laptop goes silent
    /// (the facilitator).
    #[authority(facilitator)]
    SetFallback {
        /// Automatic, co-facilitators only, or off.
        mode: super::fallback::FallbackMode,
    },
    /// Lock the meetup against new participants (facilitators).
    #[authority(runner)]
    Lock,
    /// Unlock the meetup (facilitators).
    #[authority(runner)]
    Unlock,
    /// Change the seat cap (facilitators).
    #[authority(runner)]
    SetSeatCap {
        /// New cap, at least the number of people present.
        seat_cap: u16,
    },
    /// Remove a participant from the meetup (facilitators).
    #[authority(runner)]
    Remove {
        /// Who to remove.
        participant: ParticipantId,
    },
    /// Hand the facilitator role to another participant (the facilitator).
    #[authority(facilitator)]
    HandOver {
        /// The new facilitator.
        to: ParticipantId,
    },
    /// A new link for the shared screen (whoever runs the meetup): screens
    /// opened with the old one close. The server draws the key; a client
    /// sends none.
    #[authority(runner)]
    NewScreenLink {
        /// Drawn by the server.
        #[serde(skip)]
        key: Option<super::ScreenKey>,
    },
    /// Stop the shared screen's link (whoever runs the meetup): open screens
    /// close and nobody can open one until a new link is made.
    #[authority(runner)]
    StopScreenLink,
    /// Set the agenda from a format (whoever runs the meetup): the phases
    /// still to come are replaced; done phases and the current one stay.
    #[authority(runner)]
    SetAgenda {
        /// Which format.
        format: super::agenda::Format,
    },
    /// Set the agenda to the plan the series' previous meetup had (whoever
    /// runs the meetup): the phases still to come are replaced.
    #[authority(runner)]
    ReuseAgenda,
    /// Leave the current phase and enter the next one still to come
    /// (whoever runs the meetup). `from` is the phase it advances from
    /// (absent before the first phase), so two people pressing Next at once
    /// advance once.
    #[authority(runner)]
    NextPhase {
        /// The phase the sender saw as current.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<super::agenda::PhaseId>,
        /// Drawn by the server for a round's order; the wire has none.
        #[serde(skip)]
        seed: u64,
    },
    /// Go to a phase, back or forward (whoever runs the meetup): phases
    /// jumped over are skipped; going back keeps every topic, dot and note.
    #[authority(runner)]
    GoToPhase {
        /// Which phase.
        phase: super::agenda::PhaseId,
        /// Drawn by the server for a round's order; the wire has none.
        #[serde(skip)]
        seed: u64,
    },
    /// Change a phase's title, prompt and length (whoever runs the
    /// meetup); not a done one.
    #[authority(runner)]
    EditPhase {
        /// Which phase.
        phase: super::agenda::PhaseId,
        /// The title.
        title: crate::text::PhaseTitle,
        /// The prompt; blank for none.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        prompt: Option<crate::text::PhasePrompt>,
        /// The planned length: 0 for untimed, else 10 s to 4 h.
        planned_secs: u32,
    },
    /// Add a phase after the current or an upcoming one, or first among
    /// those still to come (whoever runs the meetup).
    #[authority(runner)]
    InsertPhase {
        /// The phase it follows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<super::agenda::PhaseId>,
        /// The new phase.
        #[serde(flatten)]
        spec: super::agenda::PhaseSpec,
    },
    /// Take out a phase still to come (whoever runs the meetup).
    #[authority(runner)]
    RemovePhase {
        /// Which phase.
        phase: super::agenda::PhaseId,
    },
    /// Move a phase still to come one place (whoever runs the meetup).
    #[authority(runner)]
    MovePhase {
        /// Which phase.
        phase: super::agenda::PhaseId,
        /// Which way.
        direction: super::queue::Direction,
    },
    /// End the agenda (whoever runs the meetup): the current phase is done,
    /// the rest skipped.
    #[authority(runner)]
    EndAgenda,
    /// Give a role to someone present, or take it from whoever holds it
    /// (whoever runs the meetup), while a roles phase is current.
    #[authority(runner)]
    AssignRole {
        /// Which role.
        role: super::agenda::AgendaRole,
        /// Who holds it from now on; absent: nobody.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        participant: Option<ParticipantId>,
    },
    /// Write down the case's key question, or clear it (whoever runs the
    /// meetup).
    #[authority(runner)]
    SetKeyQuestion {
        /// The question; absent or blank clears it.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        question: Option<crate::text::PhasePrompt>,
    },
    /// Say "I'm done" in the current phase, or take it back (anyone).
    #[authority(member)]
    SetReady {
        /// The current phase.
        phase: super::agenda::PhaseId,
        /// Done or not.
        ready: bool,
    },
    /// Make a participant a co-facilitator (the facilitator).
    #[authority(facilitator)]
    AddCoFacilitator {
        /// Who.
        participant: ParticipantId,
    },
    /// Make a co-facilitator a plain participant again (the facilitator).
    #[authority(facilitator)]
    RemoveCoFacilitator {
        /// Who.
        participant: ParticipantId,
    },
    /// Raise a hand in the speaking queue (anyone; one open entry per type).
    #[authority(member)]
    RaiseHand {
        /// What it is; a plain raised hand is a new point.
        #[serde(default)]
        kind: EntryKind,
        /// An optional note on what it is about, up to 80 characters; blank
        /// means none.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        note: Option<QueueNote>,
    },
    /// Change the type or note of your own entry.
    #[authority(member)]
    EditEntry {
        /// Which entry.
        entry: EntryId,
        /// Its type now.
        kind: EntryKind,
        /// Its note now; absent or blank clears it.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        note: Option<QueueNote>,
    },
    /// Take an entry out of the queue: your own, or anyone's (facilitators).
    #[authority(member)]
    WithdrawEntry {
        /// Which entry.
        entry: EntryId,
    },
    /// Move an entry one place within its type (facilitators).
    #[authority(runner)]
    MoveEntry {
        /// Which entry.
        entry: EntryId,
        /// Up or down.
        direction: Direction,
    },
    /// End the current turn and call the next speaker (facilitators).
    #[authority(runner)]
    NextSpeaker {
        /// The turn the caller saw as current (`None`: nobody had the
        /// floor); a stale one is refused, so a racing "done" and "next"
        /// advance the queue once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        turn: Option<TurnId>,
    },
    /// "Done": the speaker ends their own turn; the next in line is called.
    #[authority(member)]
    FinishTurn {
        /// The speaker's turn.
        turn: TurnId,
    },
    /// Pass your turn in a round.
    #[authority(member)]
    PassTurn {
        /// The speaker's turn.
        turn: TurnId,
    },
    /// Give the floor to someone directly, queued or not (facilitators).
    #[authority(runner)]
    GiveFloor {
        /// Who speaks now.
        participant: ParticipantId,
    },
    /// Start a round: everyone speaks once, the facilitator last (facilitators).
    #[authority(runner)]
    StartRound {
        /// Check-in, check-out or custom.
        kind: RoundKind,
        /// The question, up to 120 characters; required for a custom round.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        prompt: Option<RoundPrompt>,
        /// Drawn by the server for the round's order; the wire has no seed.
        #[serde(skip)]
        seed: u64,
    },
    /// End the round early (facilitators).
    #[authority(runner)]
    EndRound,
    /// Change the queue settings (facilitators).
    #[authority(runner)]
    ConfigureQueue {
        /// All settings, as they should be.
        settings: QueueSettings,
    },
    /// Open a consensus poll (facilitators); a revealed poll still on stage
    /// is closed first.
    #[authority(runner)]
    OpenPoll {
        /// The question, kind, options, secrecy, auto-reveal and time
        /// limit, as fields of the command itself.
        #[serde(flatten)]
        setup: super::poll::PollSetup,
    },
    /// Vote in the open poll, or change your vote (anyone in the meetup).
    #[authority(member)]
    CastVote {
        /// Which poll.
        poll: super::poll::PollId,
        /// The option's index.
        choice: u8,
        /// Why, up to 280 characters; required for a block, an objection
        /// or a veto. Blank means none.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        reason: Option<crate::text::PollReason>,
    },
    /// Show a poll's results now and end its voting (facilitators).
    #[authority(runner)]
    RevealPoll {
        /// Which poll.
        poll: super::poll::PollId,
    },
    /// Close a poll; an unrevealed one is revealed first (facilitators).
    #[authority(runner)]
    ClosePoll {
        /// Which poll.
        poll: super::poll::PollId,
    },
    /// Ask a poll's question again as a new round (facilitators).
    #[authority(runner)]
    ReopenPoll {
        /// The poll to ask again.
        poll: super::poll::PollId,
    },
    /// Propose a topic for the board (anyone in the meetup).
    #[authority(member)]
    ProposeTopic {
        /// Its title, 1–120 characters.
        title: crate::text::TopicTitle,
        /// Optional details, up to 500 characters; blank means none.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        details: Option<crate::text::TopicDetails>,
    },
    /// Change a topic's title and details (its author, or facilitators).
    #[authority(member)]
    EditTopic {
        /// Which topic.
        topic: super::board::TopicId,
        /// The title now.
        title: crate::text::TopicTitle,
        /// The details now; absent or blank clears them.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        details: Option<crate::text::TopicDetails>,
    },
    /// Take a waiting topic off the board (its author, or facilitators);
    /// its dots go back to their owners.
    #[authority(member)]
    WithdrawTopic {
        /// Which topic.
        topic: super::board::TopicId,
    },
    /// Put one of your dots on a topic waiting to be discussed.
    #[authority(member)]
    PlaceDot {
        /// Which topic.
        topic: super::board::TopicId,
    },
    /// Take one of your dots back from a topic while voting is open.
    #[authority(member)]
    TakeBackDot {
        /// Which topic.
        topic: super::board::TopicId,
    },
    /// Show everyone's dots (facilitators).
    #[authority(runner)]
    RevealVotes,
    /// Stop dots being placed or taken back (facilitators).
    #[authority(runner)]
    CloseVoting,
    /// Let dots be placed and taken back again (facilitators).
    #[authority(runner)]
    ReopenVoting,
    /// Merge a duplicate into another topic; dots combine (facilitators).
    #[authority(runner)]
    MergeTopics {
        /// The duplicate, which leaves the board.
        from: super::board::TopicId,
        /// The topic that stays.
        into: super::board::TopicId,
    },
    /// Sort "to discuss" by votes, most first (facilitators, after the reveal).
    #[authority(runner)]
    SortTopics,
    /// Start discussing a topic; the one being discussed moves to
    /// discussed (facilitators).
    #[authority(runner)]
    StartTopic {
        /// Which topic.
        topic: super::board::TopicId,
    },
    /// Move the topic being discussed to discussed (facilitators).
    #[authority(runner)]
    FinishTopic {
        /// Which topic.
        topic: super::board::TopicId,
    },
    /// Set a topic aside (facilitators).
    #[authority(runner)]
    ParkTopic {
        /// Which topic.
        topic: super::board::TopicId,
    },
    /// Put a parked topic back at the end of "to discuss" (facilitators).
    #[authority(runner)]
    UnparkTopic {
        /// Which topic.
        topic: super::board::TopicId,
    },
    /// Add a note or takeaway to a topic (anyone in the meetup).
    #[authority(member)]
    AddNote {
        /// Which topic.
        topic: super::board::TopicId,
        /// Note (the default) or takeaway.
        #[serde(default)]
        kind: super::board::NoteKind,
        /// What it says.
        text: crate::text::NoteText,
    },
    /// Change a note (its author, or facilitators).
    #[authority(member)]
    EditNote {
        /// Which note.
        note: super::board::NoteId,
        /// Note (the default) or takeaway.
        #[serde(default)]
        kind: super::board::NoteKind,
        /// What it says now.
        text: crate::text::NoteText,
    },
    /// Remove a note (its author, or facilitators).
    #[authority(member)]
    RemoveNote {
        /// Which note.
        note: super::board::NoteId,
    },
    /// Add an action item to a topic (anyone in the meetup).
    #[authority(member)]
    AddActionItem {
        /// Which topic.
        topic: super::board::TopicId,
        /// What is to be done.
        text: crate::text::ActionText,
        /// Who does it; someone in the meetup.
        owner: ParticipantId,
        /// By when, `YYYY-MM-DD`; absent or blank means no date.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        due: Option<super::board::DueDate>,
    },
    /// Change an action item (its author, or facilitators).
    #[authority(member)]
    EditActionItem {
        /// Which item.
        item: super::board::ActionItemId,
        /// What is to be done.
        text: crate::text::ActionText,
        /// Who does it.
        owner: ParticipantId,
        /// By when, `YYYY-MM-DD`; absent or blank means no date.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        due: Option<super::board::DueDate>,
    },
    /// Remove an action item (its author, or facilitators).
    #[authority(member)]
    RemoveActionItem {
        /// Which item.
        item: super::board::ActionItemId,
    },
    /// Set a goal for oneself (anyone; it is theirs).
    #[authority(member)]
    SetGoal {
        /// The goal.
        text: crate::text::GoalText,
        /// Achieve, learn or teach.
        kind: super::goals::GoalKind,
        /// Who may read it: the group, one's buddy, or oneself.
        visibility: super::goals::GoalVisibility,
        /// By when, `YYYY-MM-DD`; absent or blank means no date.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        due: Option<super::board::DueDate>,
    },
    /// Change one's own goal (its owner only, whoever runs the meetup).
    #[authority(member)]
    EditGoal {
        /// Which goal.
        goal: super::goals::GoalId,
        /// The goal.
        text: crate::text::GoalText,
        /// Achieve, learn or teach.
        kind: super::goals::GoalKind,
        /// Who may read it.
        visibility: super::goals::GoalVisibility,
        /// By when.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        due: Option<super::board::DueDate>,
    },
    /// Say where one's own goal stands (its owner only).
    #[authority(member)]
    CheckInGoal {
        /// Which goal.
        goal: super::goals::GoalId,
        /// Open, progress, stuck, done or dropped.
        progress: super::goals::GoalProgress,
        /// What happened, in a line; absent or blank means none.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        note: Option<crate::text::GoalNote>,
    },
    /// Remove one's own goal (its owner only).
    #[authority(member)]
    RemoveGoal {
        /// Which goal.
        goal: super::goals::GoalId,
    },
    /// Pair two people as buddies, who see each other's buddy goals; each
    /// leaves the pair they were in. Without a buddy, `participant` leaves
    /// their pair (facilitators).
    #[authority(runner)]
    SetBuddy {
        /// Who.
        participant: ParticipantId,
        /// Their buddy, someone else in the meetup; absent for nobody.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        buddy: Option<ParticipantId>,
    },
    /// Split the people present into the groups of the current breakout
    /// phase (whoever runs the meetup; entering the phase does it, and
    /// this starts it again once it ended). The server draws the seed.
    #[authority(runner)]
    StartBreakout {
        /// The current phase, a breakout.
        phase: super::agenda::PhaseId,
        /// Drawn by the server for the groups; the wire has none.
        #[serde(skip)]
        seed: u64,
    },
    /// Move someone present to another group, to a new group (the number
    /// after the last), or out of every group (whoever runs the meetup).
    #[authority(runner)]
    MoveToGroup {
        /// Who.
        participant: ParticipantId,
        /// Where; absent for no group.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<super::breakout::GroupNumber>,
    },
    /// Move every group on to the next step now (whoever runs the meetup).
    /// `round` and `step` are where the sender saw the breakout, so two
    /// presses move it on once.
    #[authority(runner)]
    NextBreakoutStep {
        /// The round the sender saw, from 0.
        round: u8,
        /// The step the sender saw, from 0.
        step: u8,
    },
    /// Give the current step more time, or less (whoever runs the meetup);
    /// while everyone is being called back, the countdown.
    #[authority(runner)]
    ExtendBreakout {
        /// Seconds to add (negative: take away), non-zero, at most an hour.
        delta_secs: i32,
    },
    /// Bring everyone back (whoever runs the meetup): after a countdown
    /// every phone shows, or at once.
    #[authority(runner)]
    EndBreakout {
        /// Seconds until the breakout ends, 0 to 120.
        countdown_secs: u8,
    },
    /// Give the breakout's groups a video call link each, `{n}` standing
    /// for the group's number, or none (whoever runs the meetup).
    #[authority(runner)]
    SetCallLink {
        /// The link; absent or blank for none.
        #[serde(
            default,
            with = "crate::text::blank_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        link: Option<crate::text::CallLink>,
    },
    /// Write a note on one's group's pad, seen only by the group (anyone in
    /// a group).
    #[authority(member)]
    AddGroupNote {
        /// What it says.
        text: crate::text::GroupNoteText,
    },
    /// Take a note off one's group's pad (anyone in the group).
    #[authority(member)]
    RemoveGroupNote {
        /// Which note.
        note: super::breakout::GroupNoteId,
    },
    /// Say one's group is done, or not yet (anyone in the group).
    #[authority(member)]
    SetGroupDone {
        /// Done or not.
        done: bool,
    },
    /// Join another group, for someone left alone in theirs or in none.
    #[authority(member)]
    JoinGroup {
        /// Which group.
        group: super::breakout::GroupNumber,
    },
    /// Share one's group's notes with everyone, once the breakout is over
    /// (anyone who was in the group).
    #[authority(member)]
    ShareGroupNotes {
        /// Which breakout.
        breakout: super::breakout::BreakoutId,
    },
    /// Change how dot voting works, before any dot is placed (facilitators).
    #[authority(runner)]
    ConfigureBoard {
        /// All settings, as they should be.
        settings: super::board::BoardSettings,
    },
    /// Start the timer for this long; while a topic is discussed, it is
    /// that topic's timebox (facilitators).
    #[authority(runner)]
    StartTimer {
        /// Its length, 10 s to 4 h.
        duration_secs: u32,
    },
    /// Pause the running timer (facilitators).
    #[authority(runner)]
    PauseTimer,
    /// Resume the paused timer (facilitators).
    #[authority(runner)]
    ResumeTimer,
    /// Give the timer more time (positive) or less (negative); after zero,
    /// more time restarts it (facilitators).
    #[authority(runner)]
    AdjustTimer {
        /// Seconds to add or take away, non-zero, at most 4 h either way.
        delta_secs: i32,
    },
    /// Stop the timer and clear it (facilitators).
    #[authority(runner)]
    ResetTimer,
    /// Change how topic timeboxes work (facilitators).
    #[authority(runner)]
    ConfigureTimer {
        /// All settings, as they should be.
        settings: super::timer::TimerSettings,
    },
}
