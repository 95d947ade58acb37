//! Events: what happened in a room, past tense. The server stores them in
//! order, each with the room's next sequence number, and sends them to every
//! member; folding them in order rebuilds the room.

use std::borrow::Cow;

use crate::json::{FromJson, ToJson, Variants};
use serde::{Deserialize, Serialize};

use super::membership::{CredentialDigest, Presence};
use super::queue::{EntryId, EntryKind, QueueSettings, RoundKind, TurnId};
use crate::ids::{JoinCode, ParticipantId};
use crate::text::{DisplayName, MeetupTitle};
use crate::text::{QueueNote, RoundPrompt};
use crate::time::Timestamp;

/// Something that happened in a room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromJson, ToJson, Variants)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The facilitator ended the meetup; from now on it is a record.
    MeetupEnded {
        /// When (server clock).
        ended_at: crate::time::Timestamp,
    },
    /// The next meetup of the series is open: phones offer to join it, and
    /// the shared screen (the only viewer given its key) moves there.
    NextMeetupOpened {
        /// Its join code.
        code: JoinCode,
        /// Its shared screen's key; sent to the shared screen only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        screen_key: Option<super::ScreenKey>,
    },
    /// A carried action item was reviewed.
    ActionReviewed {
        /// The review item's number.
        item: u32,
        /// What became of it.
        outcome: super::lifecycle::ReviewOutcome,
    },
    /// The meetup was opened; always the first event of a room.
    MeetupOpened {
        /// The join code.
        code: JoinCode,
        /// The title.
        title: MeetupTitle,
        /// The facilitator, who is the first participant.
        facilitator: ParticipantId,
        /// The facilitator's display name.
        facilitator_name: DisplayName,
        /// Seats available.
        seat_cap: u16,
        /// Digest of the facilitator's credential; never sent to browsers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credential: Option<CredentialDigest>,
        /// Whether the meetup opens with a shared screen link (meetups
        /// stored before screen links had their own key open without).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        screen_link: bool,
        /// That link's key; never sent to browsers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        screen_key: Option<super::ScreenKey>,
        /// What the previous meetup of the series hands over, if this
        /// meetup follows one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        follows: Option<Box<super::lifecycle::CarriedOver>>,
    },
    /// Someone joined.
    ParticipantJoined {
        /// Their id.
        participant: ParticipantId,
        /// Their display name.
        name: DisplayName,
        /// Digest of their credential; never sent to browsers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credential: Option<CredentialDigest>,
    },
    /// Someone who had left came back.
    ParticipantRejoined {
        /// Who.
        participant: ParticipantId,
    },
    /// Someone left of their own accord.
    ParticipantLeft {
        /// Who.
        participant: ParticipantId,
    },
    /// Someone's presence changed. Any change ends a grace period that
    /// [`Event::ParticipantDisconnected`] started.
    PresenceChanged {
        /// Whose.
        participant: ParticipantId,
        /// Now.
        presence: Presence,
    },
    /// Someone's last connection closed: they are `away`, and turn `gone`
    /// at `gone_at` unless they connect again first. The deadline is part
    /// of the room, so every copy of it (and a restarted server) knows it;
    /// the `presence_changed` to `gone` comes from the tick that reaches it.
    ParticipantDisconnected {
        /// Who.
        participant: ParticipantId,
        /// When they turn `gone` (server clock).
        gone_at: Timestamp,
    },
    /// Someone changed their display name.
    ParticipantRenamed {
        /// Who.
        participant: ParticipantId,
        /// The new name.
        name: DisplayName,
    },
    /// The meetup was locked or unlocked.
    LockChanged {
        /// Whether it is locked now.
        locked: bool,
    },
    /// The seat cap changed.
    SeatCapChanged {
        /// The new cap.
        seat_cap: u16,
    },
    /// A facilitator removed someone.
    ParticipantRemoved {
        /// Who was removed.
        participant: ParticipantId,
    },
    /// The facilitator role passed from one person to another.
    FacilitatorHandedOver {
        /// The previous facilitator, now a participant.
        from: ParticipantId,
        /// The new facilitator.
        to: ParticipantId,
    },
    /// Who may stand in for a silent facilitator changed.
    FallbackSet {
        /// The new setting.
        mode: super::fallback::FallbackMode,
    },
    /// The facilitator's last connection closed: unless they connect again
    /// first, a stand-in takes the role at `at`.
    FallbackScheduled {
        /// When (server clock).
        at: Timestamp,
    },
    /// `by` stands in for the silent facilitator `absent` and holds the
    /// role; the meetup's owner (the first silent facilitator) becomes a
    /// co-facilitator until they return.
    FacilitatorStoodIn {
        /// Who held the role and went silent.
        absent: ParticipantId,
        /// Who holds it now.
        by: ParticipantId,
    },
    /// The owner of a meetup in fallback connected again: the role goes
    /// back to them at `reclaim_at` if they stay connected.
    FacilitatorReturning {
        /// When (server clock).
        reclaim_at: Timestamp,
    },
    /// The returned owner holds the facilitator role again; the stand-in
    /// `from` goes back to the role they had.
    FacilitatorReclaimed {
        /// Who runs the meetup again.
        owner: ParticipantId,
        /// Who stood in.
        from: ParticipantId,
    },
    /// The shared screen's link was replaced (`active`) or stopped. Screens
    /// opened with the earlier link are closed.
    ScreenLinkChanged {
        /// Whether a link works now.
        active: bool,
        /// The new link's key; never sent to browsers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<super::ScreenKey>,
    },
    /// The agenda was set from a format: these phases replace the ones
    /// still to come.
    AgendaSet {
        /// The format.
        format: super::agenda::Format,
        /// The new phases still to come.
        phases: Vec<super::agenda::Phase>,
    },
    /// The group entered a phase.
    PhaseStarted {
        /// Which.
        phase: super::agenda::PhaseId,
        /// When (the server's clock).
        at: crate::time::Timestamp,
    },
    /// The group left a phase (`done`), or it was jumped over (`skipped`).
    PhaseEnded {
        /// Which.
        phase: super::agenda::PhaseId,
        /// When (the server's clock).
        at: crate::time::Timestamp,
        /// `done` or `skipped`.
        outcome: super::agenda::PhaseState,
    },
    /// A phase's title, prompt or length changed.
    PhaseEdited {
        /// Which.
        phase: super::agenda::PhaseId,
        /// The title.
        title: crate::text::PhaseTitle,
        /// The prompt.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prompt: Option<crate::text::PhasePrompt>,
        /// The planned length in seconds (0: untimed).
        planned_secs: u32,
    },
    /// A phase was added after `after` (absent: first among those to come).
    PhaseInserted {
        /// The phase it follows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<super::agenda::PhaseId>,
        /// The new phase.
        phase: super::agenda::Phase,
    },
    /// A phase still to come was taken out.
    PhaseRemoved {
        /// Which.
        phase: super::agenda::PhaseId,
    },
    /// A phase still to come moved one place.
    PhaseMoved {
        /// Which.
        phase: super::agenda::PhaseId,
        /// Which way.
        direction: super::queue::Direction,
    },
    /// Someone said "I'm done" in the current phase, or took it back.
    ReadyChanged {
        /// The phase.
        phase: super::agenda::PhaseId,
        /// Who.
        participant: ParticipantId,
        /// Done or not.
        ready: bool,
    },
    /// The agenda ended.
    AgendaEnded,
    /// A role changed hands: someone holds it now, or nobody.
    RoleAssigned {
        /// Which role.
        role: super::agenda::AgendaRole,
        /// Who holds it; absent: nobody.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        participant: Option<ParticipantId>,
    },
    /// The case's key question was written down or cleared.
    KeyQuestionSet {
        /// The question; absent: cleared.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        question: Option<crate::text::PhasePrompt>,
    },
    /// Someone became a co-facilitator.
    CoFacilitatorAdded {
        /// Who.
        participant: ParticipantId,
    },
    /// A co-facilitator became a plain participant.
    CoFacilitatorRemoved {
        /// Who.
        participant: ParticipantId,
    },
    /// Someone raised a hand in the speaking queue.
    HandRaised {
        /// The entry's number.
        entry: EntryId,
        /// Whose hand.
        participant: ParticipantId,
        /// What they want to say.
        kind: EntryKind,
        /// Their note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<QueueNote>,
    },
    /// Someone changed their entry's type or note.
    EntryEdited {
        /// Which entry.
        entry: EntryId,
        /// Its type now.
        kind: EntryKind,
        /// Its note now.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<QueueNote>,
    },
    /// An entry left the queue without being called: withdrawn, removed by a
    /// facilitator, or its owner left the meetup.
    EntryWithdrawn {
        /// Which entry.
        entry: EntryId,
    },
    /// A facilitator arranged the entries of one type by hand.
    QueueReordered {
        /// The type.
        kind: EntryKind,
        /// Its entries in their new order.
        order: Vec<EntryId>,
    },
    /// Someone got the floor; a new turn began.
    FloorGiven {
        /// The turn's number.
        turn: TurnId,
        /// Who speaks.
        participant: ParticipantId,
        /// The entry they were called from, which leaves the queue.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entry: Option<EntryId>,
        /// When the turn began (server clock).
        started_at: Timestamp,
    },
    /// A turn ended.
    TurnEnded {
        /// Which turn.
        turn: TurnId,
        /// Whose.
        participant: ParticipantId,
        /// How long they held the floor; added to their airtime.
        millis: u64,
        /// They passed their turn in a round.
        passed: bool,
    },
    /// A round began; its first turn follows.
    RoundStarted {
        /// Check-in, check-out or custom.
        kind: RoundKind,
        /// The question.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prompt: Option<RoundPrompt>,
        /// Everyone's turn in order, the facilitator last.
        order: Vec<ParticipantId>,
    },
    /// The round is over (everyone had their turn, or a facilitator ended it).
    RoundEnded,
    /// The queue settings changed.
    QueueConfigured {
        /// The settings now.
        settings: QueueSettings,
    },
    /// A consensus poll opened for votes.
    PollOpened {
        /// Its number.
        poll: super::poll::PollId,
        /// Question, kind, options, secrecy, auto-reveal, time limit.
        #[serde(flatten)]
        setup: super::poll::PollSetup,
        /// When voting ends by itself, if there is a time limit.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        closes_at: Option<crate::time::Timestamp>,
        /// The poll this is a new round of, when reopened.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        round_of: Option<super::poll::PollId>,
    },
    /// Someone voted or changed their vote. Personal unless the poll is
    /// open: each viewer gets the ballot as they may see it
    /// ([`super::poll::ballot_for_viewer`]).
    VoteCast {
        /// Which poll.
        poll: super::poll::PollId,
        /// The poll's secrecy, so the event can be redacted on its own.
        secrecy: super::poll::Secrecy,
        /// The vote, as this viewer may see it.
        ballot: super::poll::Ballot,
    },
    /// A poll's results were shown; its voting ended.
    PollRevealed {
        /// Which poll.
        poll: super::poll::PollId,
        /// Counts per option and unattributed reasons.
        results: super::poll::PollResults,
        /// Every ballot, for named polls; empty (absent) for anonymous ones.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ballots: Vec<super::poll::Ballot>,
    },
    /// A poll was closed and went into the history.
    PollClosed {
        /// Which poll.
        poll: super::poll::PollId,
    },
    /// A topic was proposed; it joins the end of "to discuss".
    TopicProposed {
        /// Its number.
        topic: super::board::TopicId,
        /// Who proposed it.
        author: ParticipantId,
        /// Its title.
        title: crate::text::TopicTitle,
        /// Its details.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<crate::text::TopicDetails>,
    },
    /// A topic's title or details changed.
    TopicEdited {
        /// Which topic.
        topic: super::board::TopicId,
        /// The title now.
        title: crate::text::TopicTitle,
        /// The details now.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<crate::text::TopicDetails>,
    },
    /// A topic left the board; its dots went back to their owners and its
    /// notes and action items went with it.
    TopicWithdrawn {
        /// Which topic.
        topic: super::board::TopicId,
    },
    /// Someone placed or took back a dot. Personal while votes are hidden:
    /// the owner's copy names the topic and their count on it, everyone
    /// else's only who changed their dots.
    DotsChanged {
        /// Whose dots.
        participant: ParticipantId,
        /// Whether votes were hidden, so the event can be redacted on its own.
        hidden: bool,
        /// The topic, where this viewer may see it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic: Option<super::board::TopicId>,
        /// Their dots on that topic now, where this viewer may see it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        count: Option<u8>,
    },
    /// A facilitator revealed the votes: every stack of dots on the board.
    VotesRevealed {
        /// Each topic with dots, and whose dots they are.
        dots: Vec<super::board::TopicDots>,
    },
    /// Dot voting closed.
    VotingClosed,
    /// Dot voting reopened.
    VotingReopened,
    /// A duplicate topic was merged into another. Each person's dots on
    /// both combine up to the per-topic cap; the rest go back to them.
    TopicsMerged {
        /// The duplicate, now gone.
        from: super::board::TopicId,
        /// The topic that stays.
        into: super::board::TopicId,
    },
    /// "To discuss" was sorted by votes.
    TopicsSorted {
        /// Its topics in their new order.
        order: Vec<super::board::TopicId>,
    },
    /// A topic started being discussed.
    TopicStarted {
        /// Which topic.
        topic: super::board::TopicId,
        /// When (server clock).
        started_at: Timestamp,
    },
    /// The topic being discussed moved to discussed.
    TopicFinished {
        /// Which topic.
        topic: super::board::TopicId,
        /// How long this discussion of it lasted; added to its time spent.
        millis: u64,
    },
    /// A topic was parked.
    TopicParked {
        /// Which topic.
        topic: super::board::TopicId,
        /// How long it had been discussed, if it was; added to its time spent.
        millis: u64,
    },
    /// A parked topic went back to the end of "to discuss".
    TopicUnparked {
        /// Which topic.
        topic: super::board::TopicId,
    },
    /// A note or takeaway was added to a topic.
    NoteAdded {
        /// Its number.
        note: super::board::NoteId,
        /// The topic.
        topic: super::board::TopicId,
        /// Note or takeaway.
        kind: super::board::NoteKind,
        /// Who wrote it.
        author: ParticipantId,
        /// What it says.
        text: crate::text::NoteText,
    },
    /// A note changed.
    NoteEdited {
        /// Which note.
        note: super::board::NoteId,
        /// Note or takeaway.
        kind: super::board::NoteKind,
        /// What it says now.
        text: crate::text::NoteText,
    },
    /// A note was removed.
    NoteRemoved {
        /// Which note.
        note: super::board::NoteId,
    },
    /// An action item was added to a topic.
    ActionItemAdded {
        /// Its number.
        item: super::board::ActionItemId,
        /// The topic.
        topic: super::board::TopicId,
        /// What is to be done.
        text: crate::text::ActionText,
        /// Who does it.
        owner: ParticipantId,
        /// By when.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<super::board::DueDate>,
        /// Who wrote it down.
        author: ParticipantId,
    },
    /// An action item changed.
    ActionItemEdited {
        /// Which item.
        item: super::board::ActionItemId,
        /// What is to be done.
        text: crate::text::ActionText,
        /// Who does it.
        owner: ParticipantId,
        /// By when.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<super::board::DueDate>,
    },
    /// An action item was removed.
    ActionItemRemoved {
        /// Which item.
        item: super::board::ActionItemId,
    },
    /// A goal was set, changed or checked in on: the goal as it now is,
    /// with who may see it. Whoever may not gets `withheld` instead, or
    /// `goal_hidden` if they could see it before.
    GoalSaved {
        /// The goal and its audiences.
        #[serde(flatten)]
        shown: super::goals::GoalShown,
    },
    /// A goal was removed. Whoever could not see it gets `withheld`.
    GoalRemoved {
        /// Which goal.
        goal: super::goals::GoalId,
        /// Who could see it.
        audience: super::goals::Audience,
    },
    /// A goal one could see is no longer one's to see (its owner made it
    /// private, or buddies changed): what `goal_saved` reads as to them.
    GoalHidden {
        /// Which goal to drop.
        goal: super::goals::GoalId,
    },
    /// Buddy pairs changed: the pairs now, and each buddy goal whose
    /// audience that changes. To each viewer: the goals they may now see,
    /// and (`hidden`) those they no longer may.
    BuddiesSet {
        /// Every pair.
        buddies: Vec<(ParticipantId, ParticipantId)>,
        /// The goals whose audience changed, as the viewer may see them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        goals: Vec<super::goals::GoalShown>,
        /// Goals the viewer may no longer see (only in a viewer's copy).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        hidden: Vec<super::goals::GoalId>,
    },
    /// Something happened that this viewer may not see (another's private
    /// goal, say). It keeps the sequence numbers whole and changes nothing.
    Withheld,
    /// A breakout started: its groups (numbered, each with its members),
    /// the seed and rule that chose them, and its first step.
    BreakoutStarted {
        /// The breakout.
        breakout: super::breakout::Breakout,
        /// The round-robin schedule of pair rounds after this one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        circle: Option<super::breakout::Circle>,
    },
    /// Every group moved on to the next step.
    BreakoutStepStarted {
        /// Which breakout.
        breakout: super::breakout::BreakoutId,
        /// The round, from 0.
        round: u8,
        /// The step, from 0.
        step: u8,
        /// When it started.
        at: Timestamp,
        /// When it is planned to end; absent for untimed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ends_at: Option<Timestamp>,
    },
    /// The current step, or the countdown back, got more time or less.
    BreakoutRetimed {
        /// Which breakout.
        breakout: super::breakout::BreakoutId,
        /// When the step ends now.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ends_at: Option<Timestamp>,
        /// When everyone is back now, if they are being called back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        closing_at: Option<Timestamp>,
    },
    /// Everyone is being called back: the breakout ends at `at`.
    BreakoutClosing {
        /// Which breakout.
        breakout: super::breakout::BreakoutId,
        /// When it ends.
        at: Timestamp,
    },
    /// The breakout ended: everyone is back.
    BreakoutEnded {
        /// Which breakout.
        breakout: super::breakout::BreakoutId,
        /// When.
        at: Timestamp,
    },
    /// Someone moved to a group (a new one when the number is the next), or
    /// out of every group. The person moved receives the group's notes
    /// with it; everyone else gets the move without them.
    GroupMemberMoved {
        /// Which breakout.
        breakout: super::breakout::BreakoutId,
        /// Who.
        participant: ParticipantId,
        /// Where; absent for no group.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<super::breakout::GroupNumber>,
        /// The group's notes, for the person moved.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        notes: Vec<super::breakout::GroupNote>,
    },
    /// A group wrote a note. Whoever is not in its audience (the people who
    /// are or were in the group) gets `withheld`.
    GroupNoteAdded {
        /// Which breakout.
        breakout: super::breakout::BreakoutId,
        /// Which group.
        group: super::breakout::GroupNumber,
        /// The note.
        note: super::breakout::GroupNote,
        /// Who may read it.
        audience: Vec<ParticipantId>,
    },
    /// A group took a note off its pad; `withheld` outside its audience.
    GroupNoteRemoved {
        /// Which breakout.
        breakout: super::breakout::BreakoutId,
        /// Which group.
        group: super::breakout::GroupNumber,
        /// Which note.
        note: super::breakout::GroupNoteId,
        /// Who could read it.
        audience: Vec<ParticipantId>,
    },
    /// A group said it is done, or not yet.
    GroupDoneChanged {
        /// Which breakout.
        breakout: super::breakout::BreakoutId,
        /// Which group.
        group: super::breakout::GroupNumber,
        /// Done or not.
        done: bool,
    },
    /// A group shared its notes with everyone, after the breakout.
    GroupNotesShared {
        /// Which breakout.
        breakout: super::breakout::BreakoutId,
        /// Which group.
        group: super::breakout::GroupNumber,
        /// The notes, now everyone's.
        notes: Vec<super::breakout::GroupNote>,
    },
    /// The breakout's video call link changed.
    CallLinkSet {
        /// Which breakout.
        breakout: super::breakout::BreakoutId,
        /// The link, `{n}` for each group's number; absent for none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        link: Option<crate::text::CallLink>,
    },
    /// The dot voting settings changed.
    BoardConfigured {
        /// The settings now.
        settings: super::board::BoardSettings,
    },
    /// The timer started (afresh: extensions and any pending vote cleared).
    TimerStarted {
        /// When it runs out (server clock).
        deadline: Timestamp,
        /// Its length.
        duration_ms: u64,
        /// The topic it is the timebox of, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic: Option<super::board::TopicId>,
    },
    /// The timer was paused.
    TimerPaused {
        /// What it had left, more than zero.
        remaining_ms: u64,
    },
    /// The timer was resumed.
    TimerResumed {
        /// When it runs out now.
        deadline: Timestamp,
    },
    /// A facilitator gave the timer more or less time. A running (or
    /// restarted) timer gets a `deadline`, a paused one its `remaining_ms`.
    TimerAdjusted {
        /// The change actually made, in milliseconds (negative: shortened).
        delta_ms: i64,
        /// When it runs out now, if it runs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deadline: Option<Timestamp>,
        /// What it has left, if it is paused.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        remaining_ms: Option<u64>,
    },
    /// The group voted to continue the topic: its timebox is extended.
    TimerExtended {
        /// Which extension this is: 1 for the first.
        extension: u8,
        /// How much time it adds.
        by_ms: u64,
        /// When it runs out now.
        deadline: Timestamp,
    },
    /// The timer ran out. For a topic's timebox with extensions left, the
    /// "continue?" vote opens in the same command (`vote`).
    TimerExpired {
        /// The deadline that ran out.
        at: Timestamp,
        /// The topic it was the timebox of.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic: Option<super::board::TopicId>,
        /// The "continue?" poll that opens next.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vote: Option<super::poll::PollId>,
    },
    /// The timer was stopped and cleared.
    TimerReset,
    /// The timebox settings changed.
    TimerConfigured {
        /// The settings now.
        settings: super::timer::TimerSettings,
    },
}

impl Event {
    /// The event as browsers may see it: credential digests and screen keys
    /// are stripped. Borrowed when nothing needs stripping, so most events
    /// are not copied.
    pub fn for_clients(&self) -> Cow<'_, Event> {
        let has_secret = match self {
            Event::MeetupOpened {
                credential,
                screen_key,
                follows,
                ..
            } => {
                credential.is_some()
                    || screen_key.is_some()
                    || follows.as_ref().is_some_and(|carried| {
                        carried
                            .goals
                            .iter()
                            .any(|goal| goal.visibility != super::goals::GoalVisibility::Group)
                    })
            }
            Event::ParticipantJoined { credential, .. } => credential.is_some(),
            Event::ScreenLinkChanged { key, .. } => key.is_some(),
            Event::NextMeetupOpened { screen_key, .. } => screen_key.is_some(),
            _ => false,
        };
        if !has_secret {
            return Cow::Borrowed(self);
        }
        let mut public = self.clone();
        match &mut public {
            Event::MeetupOpened {
                credential,
                screen_key,
                follows,
                ..
            } => {
                *credential = None;
                *screen_key = None;
                // Carried buddy and private goals belong to nobody yet:
                // nobody's browser is their audience.
                if let Some(carried) = follows {
                    carried
                        .goals
                        .retain(|goal| goal.visibility == super::goals::GoalVisibility::Group);
                }
            }
            Event::ParticipantJoined { credential, .. } => *credential = None,
            Event::ScreenLinkChanged { key, .. } => *key = None,
            Event::NextMeetupOpened { screen_key, .. } => *screen_key = None,
            _ => {}
        }
        Cow::Owned(public)
    }
}
