//! The room: one meetup's whole state and the pure reducer that changes it.
//!
//! [`Room::apply`] decides: given who acts, what they ask and the time, it
//! returns the events that follow, or a typed [`Rejection`]. It never changes
//! the room. [`Room::on_event`] folds one event into the state; the server
//! calls it after storing the event, and the browser calls it for every event
//! it receives, so both hold the same room.
//!
//! # Layout
//!
//! - [`command`]: what an actor may ask ([`Command`], [`Actor`]).
//! - [`authority`]: who may send which command, checked once for all
//!   ([`Room::authorize`], [`Acting`]), and [`Room::check`] for the browser.
//! - [`event`]: what happened ([`Event`]), past tense.
//! - [`rejection`]: every typed reason a request is refused.
//! - [`membership`]: opening a meetup, joining, leaving, roles and presence.
//! - [`breakout`]: pairs and small groups for a while (troika consulting,
//!   1-2-4-All, buddy time), each group's notes private to it.
//! - [`grouping`]: splitting the people present into pairs and small groups
//!   that meet new people each round (for breakouts).
//! - [`builtin`]: the texts moot writes into a meetup (format phases, the
//!   "continue?" vote), stored as keys so each reader gets their language.
//! - [`fallback`]: a stand-in for a facilitator whose laptop went silent.
//! - [`view`]: what each member may see ([`Viewer`]), for features with secrets.
//! - [`poll`]: consensus polls, secret until the reveal.
//! - [`queue`]: the speaking queue, airtime and rounds.
//! - [`board`]: the topic board: topics, dot voting, columns and outcomes.
//! - [`timer`]: the one timer, topic timeboxes and the "continue?" vote.
//! - [`lifecycle`]: ending a meetup, and the series: what it hands to the next
//!   meetup, and the review of the action items it carried.
//! - [`goals`]: goals each person sets and checks in on across a series,
//!   each seen only by its audience (the group, a buddy, its owner).
//! - [`roti`]: closing feedback ("return on time invested") and its trend
//!   over a series.

pub mod agenda;
pub mod authority;
pub mod board;
pub mod breakout;
pub mod builtin;
pub mod command;
pub mod event;
pub mod fallback;
pub mod goals;
pub mod grouping;
pub mod lifecycle;
pub mod membership;
pub mod poll;
pub mod queue;
pub mod rejection;
pub mod roti;
pub mod screen;
pub mod timer;
pub mod view;

use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

pub use agenda::Agenda;
pub use authority::{Acting, Authority};
pub use board::Board;
pub use breakout::Breakouts;
pub use command::{Actor, Command};
pub use event::Event;
pub use fallback::{Fallback, FallbackMode, StandIn};
pub use goals::Goals;
pub use lifecycle::Series;
pub use membership::{
    CredentialDigest, Membership, OpenMeetup, Participant, Presence, ReportedPresence, Role,
};
pub use poll::Polls;
pub use queue::Queue;
pub use rejection::Rejection;
pub use screen::{ScreenKey, ScreenLink};
pub use timer::Timer;
pub use view::Viewer;

use crate::ids::{JoinCode, ParticipantId};
use crate::text::MeetupTitle;
use crate::time::Timestamp;

/// Which part of the room decided a command, so that [`Room::apply`] knows
/// what follows from its events.
enum Decided {
    /// Membership: departures may complete a poll and take hands with them.
    Membership,
    /// A poll: the last vote may complete it.
    Poll,
    /// The server's tick: whatever ran out.
    Deadlines,
    /// Everything else: only the timer's answer follows.
    Other,
    /// Made of other commands' decisions, their follow-ups included.
    Composed,
}

impl Decided {
    fn other(events: Vec<Event>) -> (Decided, Vec<Event>) {
        (Decided::Other, events)
    }
}

/// One meetup, as every member's screen shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Room {
    /// The code people join with.
    pub code: JoinCode,
    /// The meetup's title.
    pub title: MeetupTitle,
    /// When the meetup was opened (server clock).
    pub opened_at: Timestamp,
    /// A locked meetup admits no new participants.
    pub locked: bool,
    /// The most participants that may be in the meetup at once.
    pub seat_cap: u16,
    /// Everyone who ever joined, in joining order; people who left or were
    /// removed stay listed (the minutes need them) with their membership.
    pub participants: Vec<Participant>,
    /// Consensus polls, oldest first; left out of snapshots until the first.
    #[serde(default, skip_serializing_if = "Polls::is_empty")]
    pub polls: Polls,
    /// The speaking queue; left out of snapshots while nothing has happened in it.
    #[serde(default, skip_serializing_if = "Queue::is_pristine")]
    pub queue: Queue,
    /// The topic board; left out of snapshots while nothing has happened on it.
    #[serde(default, skip_serializing_if = "Board::is_pristine")]
    pub board: Board,
    /// The timer; left out of snapshots while nothing has happened to it.
    #[serde(default, skip_serializing_if = "Timer::is_pristine")]
    pub timer: Timer,
    /// When the facilitator ended the meetup; after that nothing changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Timestamp>,
    /// The meetup this one follows, and the review of what it carried.
    #[serde(default, skip_serializing_if = "Series::is_empty")]
    pub series: Series,
    /// The agenda: the plan, and the phase the group is in.
    #[serde(default, skip_serializing_if = "Agenda::is_pristine")]
    pub agenda: Agenda,
    /// The shared screen's link (its key on the server only).
    #[serde(default, skip_serializing_if = "ScreenLink::is_unused")]
    pub screen: ScreenLink,
    /// Who is connected, and who stands in for a silent facilitator.
    #[serde(default, skip_serializing_if = "Fallback::is_pristine")]
    pub fallback: Fallback,
    /// Everyone's goals and the buddy pairs; each viewer's copy holds only
    /// the goals they may see.
    #[serde(default, skip_serializing_if = "Goals::is_pristine")]
    pub goals: Goals,
    /// The breakouts and who met whom; each viewer's copy holds only the
    /// group notes they may read.
    #[serde(default, skip_serializing_if = "Breakouts::is_pristine")]
    pub breakouts: Breakouts,
}

impl Room {
    /// Decides what `command` by `actor` at `now` leads to, without
    /// changing anything: the events to fold, or why not.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] saying why the command is refused; the room is unchanged.
    pub fn apply(
        &self,
        actor: Actor,
        command: Command,
        now: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let (decided, events) = self.decide(actor, command, now)?;
        // What follows from a command's events, in the same command, is
        // worked out here; it adds events but never refuses the command.
        let events = match decided {
            Decided::Deadlines => self.expire(now),
            // Someone leaving or going away may complete an open poll, and
            // people who go take their hands and the floor with them.
            Decided::Membership => breakout::after_membership(
                self,
                queue::after_departures(self, poll::follow_up(self, events), now),
            ),
            // The last vote may complete the poll (its auto-reveal).
            Decided::Poll => poll::follow_up(self, events),
            Decided::Other => events,
            Decided::Composed => return Ok(events),
        };
        // The timer answers events of other features (a topic starting, its
        // vote revealing).
        Ok(timer::follow_up(self, events, now))
    }

    /// Whether `command` by `actor` at `now` would be applied, and if not,
    /// why: what the browser asks before it offers a control, so a button is
    /// never enabled for a command the reducer would refuse (and its hint
    /// says the reducer's reason). The same decision as [`Room::apply`]
    /// makes, without working out what follows from the command's events
    /// (which never refuses, copies the room, and would bring the poll's
    /// counting and the timer's rules into every phone's download).
    ///
    /// # Errors
    ///
    /// The [`Rejection`] [`Room::apply`] would give.
    pub fn check(&self, actor: Actor, command: &Command, now: Timestamp) -> Result<(), Rejection> {
        self.decide(actor, command.clone(), now).map(drop)
    }

    /// The decision itself: refused, or the command's own events and which
    /// part of the room decided them.
    fn decide(
        &self,
        actor: Actor,
        command: Command,
        now: Timestamp,
    ) -> Result<(Decided, Vec<Event>), Rejection> {
        // An ended meetup is a record: only the server's own bookkeeping
        // (people coming back to read it, presence, deadlines) still applies.
        if self.ended_at.is_some() && !lifecycle::allowed_after_end(actor, &command) {
            return Err(Rejection::MeetupEnded);
        }
        // Who may send it is decided once, here, for every command.
        let authority = command.authority();
        let acting = self.authorize(actor, authority)?;
        match authority {
            Authority::Member => self.decide_member(acting, command, now),
            Authority::Server | Authority::Runner | Authority::Facilitator => {
                self.decide_running(acting, command, now)
            }
        }
    }

    /// [`Room::check`] for a command a member sends for themselves (their
    /// hand, their vote, their dots, notes and topics): the same decision,
    /// through the member's part of each feature only. It is what a phone
    /// asks; a phone never runs the meetup (the participant bundle reloads
    /// as the full app for whoever does), so the code that decides running
    /// the meetup stays out of its download.
    ///
    /// # Errors
    ///
    /// The [`Rejection`] [`Room::apply`] would give; a command that is not
    /// a member's own is refused as `facilitators_only`.
    pub fn check_own(
        &self,
        actor: Actor,
        command: Command,
        now: Timestamp,
    ) -> Result<(), Rejection> {
        if command.authority() != Authority::Member {
            return Err(Rejection::FacilitatorsOnly);
        }
        if self.ended_at.is_some() && !lifecycle::allowed_after_end(actor, &command) {
            return Err(Rejection::MeetupEnded);
        }
        let acting = self.authorize(actor, Authority::Member)?;
        // By value: a phone asks with a command it builds for the question,
        // and copying one would bring every command's copying code along.
        self.decide_member(acting, command, now).map(drop)
    }

    /// A member's own commands, each routed to its feature. Every command
    /// of [`Authority::Member`] must have an arm here (the authorization
    /// property test fails otherwise: see `prop_authority`).
    fn decide_member(
        &self,
        acting: Acting<'_>,
        command: Command,
        now: Timestamp,
    ) -> Result<(Decided, Vec<Event>), Rejection> {
        match command {
            Command::Leave | Command::SetPresence { .. } | Command::Rename { .. } => {
                membership::decide_member(self, acting, command, now)
                    .map(|events| (Decided::Membership, events))
            }
            Command::RaiseHand { .. }
            | Command::EditEntry { .. }
            | Command::WithdrawEntry { .. }
            | Command::FinishTurn { .. }
            | Command::PassTurn { .. } => {
                queue::decide_member(self, acting, command, now).map(Decided::other)
            }
            Command::SetReady { .. } => {
                agenda::decide_member(self, acting, command, now).map(Decided::other)
            }
            Command::CastVote { .. } => poll::decide_member(self, acting, command, now)
                .map(|events| (Decided::Poll, events)),
            Command::ProposeTopic { .. }
            | Command::EditTopic { .. }
            | Command::WithdrawTopic { .. }
            | Command::PlaceDot { .. }
            | Command::TakeBackDot { .. }
            | Command::AddNote { .. }
            | Command::EditNote { .. }
            | Command::RemoveNote { .. }
            | Command::AddActionItem { .. }
            | Command::EditActionItem { .. }
            | Command::RemoveActionItem { .. } => {
                board::decide_member(self, acting, command, now).map(Decided::other)
            }
            Command::SetGoal { .. }
            | Command::EditGoal { .. }
            | Command::CheckInGoal { .. }
            | Command::RemoveGoal { .. } => {
                goals::decide_member(self, acting, command, now).map(Decided::other)
            }
            Command::AddGroupNote { .. }
            | Command::RemoveGroupNote { .. }
            | Command::SetGroupDone { .. }
            | Command::JoinGroup { .. }
            | Command::ShareGroupNotes { .. } => {
                breakout::decide_member(self, acting, command, now).map(Decided::other)
            }
            _ => Err(Rejection::ServerOnly),
        }
    }

    /// What the server and whoever runs the meetup decide, each routed to
    /// its feature. Every command of another authority than
    /// [`Authority::Member`] must have an arm here (`prop_authority` fails
    /// otherwise).
    fn decide_running(
        &self,
        acting: Acting<'_>,
        command: Command,
        now: Timestamp,
    ) -> Result<(Decided, Vec<Event>), Rejection> {
        match command {
            // Entering and leaving a phase runs the tools' own commands,
            // follow-ups included: nothing more follows here.
            Command::SetAgenda { .. }
            | Command::ReuseAgenda
            | Command::NextPhase { .. }
            | Command::GoToPhase { .. }
            | Command::EditPhase { .. }
            | Command::InsertPhase { .. }
            | Command::RemovePhase { .. }
            | Command::MovePhase { .. }
            | Command::AssignRole { .. }
            | Command::SetKeyQuestion { .. }
            | Command::EndAgenda => agenda::decide_running(self, acting, command, now)
                .map(|events| (Decided::Composed, events)),
            Command::NewScreenLink { .. } | Command::StopScreenLink => {
                screen::decide_running(self, acting, command, now).map(Decided::other)
            }
            Command::SetFallback { .. } => {
                fallback::decide_running(self, acting, command).map(Decided::other)
            }
            Command::SetBuddy { .. } => {
                goals::decide_running(self, acting, command).map(Decided::other)
            }
            Command::StartBreakout { .. }
            | Command::MoveToGroup { .. }
            | Command::NextBreakoutStep { .. }
            | Command::ExtendBreakout { .. }
            | Command::EndBreakout { .. }
            | Command::SetCallLink { .. } => {
                breakout::decide_running(self, acting, command, now).map(Decided::other)
            }
            Command::EndMeetup | Command::ReviewAction { .. } | Command::LinkNextMeetup { .. } => {
                lifecycle::decide(self, acting, command, now).map(Decided::other)
            }
            Command::Tick => Ok((Decided::Deadlines, Vec::new())),
            Command::Join { .. }
            | Command::Rejoin { .. }
            | Command::MarkConnected { .. }
            | Command::MarkDisconnected { .. }
            | Command::Lock
            | Command::Unlock
            | Command::SetSeatCap { .. }
            | Command::Remove { .. }
            | Command::HandOver { .. }
            | Command::AddCoFacilitator { .. }
            | Command::RemoveCoFacilitator { .. } => {
                membership::decide_running(self, acting, command, now)
                    .map(|events| (Decided::Membership, events))
            }
            Command::MoveEntry { .. }
            | Command::NextSpeaker { .. }
            | Command::GiveFloor { .. }
            | Command::StartRound { .. }
            | Command::EndRound
            | Command::ConfigureQueue { .. } => {
                queue::decide_running(self, acting, command, now).map(Decided::other)
            }
            Command::OpenPoll { .. }
            | Command::RevealPoll { .. }
            | Command::ClosePoll { .. }
            | Command::ReopenPoll { .. } => poll::decide_running(self, acting, command, now)
                .map(|events| (Decided::Poll, events)),
            Command::RevealVotes
            | Command::CloseVoting
            | Command::ReopenVoting
            | Command::MergeTopics { .. }
            | Command::SortTopics
            | Command::StartTopic { .. }
            | Command::FinishTopic { .. }
            | Command::ParkTopic { .. }
            | Command::UnparkTopic { .. }
            | Command::ConfigureBoard { .. } => {
                board::decide_running(self, acting, command, now).map(Decided::other)
            }
            Command::StartTimer { .. }
            | Command::PauseTimer
            | Command::ResumeTimer
            | Command::AdjustTimer { .. }
            | Command::ResetTimer
            | Command::ConfigureTimer { .. } => {
                timer::decide(self, acting, command, now).map(Decided::other)
            }
            _ => Err(Rejection::ServerOnly),
        }
    }

    /// The next moment something in the room runs out (a timer, a time
    /// limit, a disconnected participant's grace period), if anything is
    /// running. The server applies [`Command::Tick`] at that moment; tests
    /// pass any `now` they like.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        let gone = membership::next_deadline(self);
        let poll = self.polls.next_deadline();
        let timer = self.timer.next_deadline();
        let fallback = fallback::next_deadline(self);
        let breakout = breakout::next_deadline(self);
        gone.into_iter()
            .chain(poll)
            .chain(timer)
            .chain(fallback)
            .chain(breakout)
            .min()
    }

    /// The events of everything that has run out by `now`. Features with
    /// deadlines add theirs here, and to [`Room::next_deadline`].
    fn expire(&self, now: Timestamp) -> Vec<Event> {
        // Turning gone and a poll's time limit do not touch each other's
        // state; someone turning gone leaves their breakout group.
        let mut events = breakout::after_membership(self, membership::expire(self, now));
        events.extend(poll::expire(self, now));
        // A breakout's steps and countdown touch nothing else; a step is
        // decided on the room before anyone turned gone in this tick, which
        // only the groups' members differ in.
        events.extend(breakout::expire(self, now));
        // A stand-in taking over (or the owner taking the role back) changes
        // only roles, which no other deadline depends on.
        events.extend(fallback::expire(self, now));
        if !timer::is_due(self, now) {
            return events;
        }
        // The timer decides on the room after the polls' expiry, so a poll
        // revealed by its time limit in this same tick no longer blocks the
        // "continue?" vote from opening.
        if events.is_empty() {
            return timer::expire(self, now);
        }
        let mut after = self.clone();
        for event in &events {
            after.on_event(event);
        }
        events.extend(timer::expire(&after, now));
        events
    }

    /// Folds one event into the room. Events come from [`Room::apply`] on this
    /// same state, so they are valid here; an event that does not fit (which
    /// would be a bug) is ignored rather than allowed to panic.
    pub fn on_event(&mut self, event: &Event) {
        membership::fold(self, event);
        fallback::fold(self, event);
        poll::fold(self, event);
        queue::fold(self, event);
        board::fold(self, event);
        timer::fold(self, event);
        lifecycle::fold(self, event);
        screen::fold(self, event);
        agenda::fold(self, event);
        goals::fold(self, event);
        breakout::fold(self, event);
    }

    /// The participant with this id, whatever their membership.
    pub fn participant(&self, id: ParticipantId) -> Option<&Participant> {
        self.participants
            .iter()
            .find(|participant| participant.id == id)
    }

    /// Mutable access for folding events.
    fn participant_mut(&mut self, id: ParticipantId) -> Option<&mut Participant> {
        self.participants
            .iter_mut()
            .find(|participant| participant.id == id)
    }

    /// Participants currently in the meetup (not left, not removed).
    pub fn active_participants(&self) -> impl Iterator<Item = &Participant> {
        self.participants
            .iter()
            .filter(|participant| participant.membership == Membership::Active)
    }

    /// The one facilitator.
    pub fn facilitator(&self) -> Option<&Participant> {
        self.active_participants()
            .find(|participant| participant.role == Role::Facilitator)
    }

    /// The room as sent to browsers: the same state without credential digests.
    pub fn for_clients(&self) -> Room {
        let mut room = self.clone();
        for participant in &mut room.participants {
            participant.credential = None;
        }
        room.screen.key = None;
        if let Some(next) = &mut room.series.next {
            next.screen_key = None;
        }
        room
    }

    /// Checks the invariants every reachable room keeps. Used by tests and by
    /// the server after recovery; returns the first broken one.
    ///
    /// # Errors
    ///
    /// A sentence naming the broken invariant.
    pub fn check_invariants(&self) -> Result<(), String> {
        let active: Vec<&Participant> = self.active_participants().collect();
        if active.len() > usize::from(self.seat_cap) {
            return Err(format!(
                "{} active participants exceed the seat cap {}",
                active.len(),
                self.seat_cap
            ));
        }
        let current_phases = self
            .agenda
            .phases
            .iter()
            .filter(|phase| phase.state == agenda::PhaseState::Current)
            .count();
        if current_phases > 1 {
            return Err(format!(
                "{current_phases} current phases, expected at most one"
            ));
        }
        if self.agenda.phases.len() > crate::limits::MAX_PHASES {
            return Err(format!("{} phases on the agenda", self.agenda.phases.len()));
        }
        let mut phase_ids: Vec<u16> = self.agenda.phases.iter().map(|phase| phase.id.0).collect();
        phase_ids.sort_unstable();
        phase_ids.dedup();
        if phase_ids.len() != self.agenda.phases.len() {
            return Err("two phases share a number".to_owned());
        }
        let facilitators = active
            .iter()
            .filter(|participant| participant.role == Role::Facilitator)
            .count();
        if facilitators != 1 {
            return Err(format!("{facilitators} facilitators, expected exactly one"));
        }
        for (index, participant) in active.iter().enumerate() {
            if active[..index]
                .iter()
                .any(|earlier| earlier.name.same_as(&participant.name))
            {
                return Err(format!(
                    "display name {:?} is used twice",
                    participant.name.as_str()
                ));
            }
        }
        for participant in &self.participants {
            if participant.membership != Membership::Active && participant.role != Role::Participant
            {
                return Err(format!(
                    "{} has a role but is not in the meetup",
                    participant.id
                ));
            }
            if participant.membership != Membership::Active
                && participant.presence != Presence::Gone
            {
                return Err(format!(
                    "{} is not in the meetup but shows as present",
                    participant.id
                ));
            }
            // Only someone in the meetup and away (disconnected) waits to turn gone.
            if participant.gone_at.is_some()
                && (participant.membership != Membership::Active
                    || participant.presence != Presence::Away)
            {
                return Err(format!(
                    "{} waits to turn gone but is {:?} and {:?}",
                    participant.id, participant.membership, participant.presence
                ));
            }
        }
        let mut ids: Vec<ParticipantId> = self
            .participants
            .iter()
            .map(|participant| participant.id)
            .collect();
        ids.sort();
        ids.dedup();
        if ids.len() != self.participants.len() {
            return Err("a participant id is listed twice".to_owned());
        }
        fallback::check_invariants(self)?;
        poll::check_invariants(self)?;
        self.queue.check_invariants(self)?;
        board::check_invariants(self)?;
        timer::check_invariants(self)?;
        goals::check_invariants(self)?;
        breakout::check_invariants(self)?;
        Ok(())
    }
}
