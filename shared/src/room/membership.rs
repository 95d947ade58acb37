//! Membership: opening a meetup, joining and rejoining, leaving, presence,
//! names, the lock and seat cap, removal, and the facilitator roles.
//!
//! Presence follows connections through the reducer's clock: the server says
//! when someone's last connection closes ([`Command::MarkDisconnected`]) and
//! when they connect ([`Command::MarkConnected`]); the room records when a
//! disconnected person turns `gone` ([`Participant::gone_at`]), offers it as
//! a deadline, and a [`Command::Tick`] at or after it makes them `gone`.
//!
//! Role checks live here, not in the server: the server only authenticates
//! who is acting, and this module decides what that person may do.

use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

use super::{Acting, Command, Event, Rejection, Room};
use crate::ids::{JoinCode, ParticipantId};
use crate::limits::{DEFAULT_SEAT_CAP, MAX_SEAT_CAP};
use crate::text::{DisplayName, MeetupTitle};
use crate::time::Timestamp;

/// A digest of a participant's credential secret (the server makes it; the
/// reducer only compares). Never sent to browsers.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
#[serde(transparent)]
pub struct CredentialDigest(pub String);

// Not derived: even a digest has no business in a log line.
impl std::fmt::Debug for CredentialDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CredentialDigest(..)")
    }
}

/// A person's role in the meetup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the meetup; there is exactly one.
    Facilitator,
    /// Helps run it: everything the facilitator does except handing the role
    /// over and appointing co-facilitators.
    CoFacilitator,
    /// Takes part.
    Participant,
}

impl Role {
    /// Facilitator or co-facilitator.
    pub fn runs_meetup(self) -> bool {
        matches!(self, Role::Facilitator | Role::CoFacilitator)
    }
}

/// Whether a person is following the meetup right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Connected, with the meetup on screen.
    Here,
    /// Connected but the tab is hidden or the phone locked, or briefly disconnected.
    Away,
    /// Disconnected for longer than the grace period.
    Gone,
}

/// Presence a participant may report about themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum ReportedPresence {
    /// The meetup is on screen.
    Here,
    /// The tab is hidden or the phone locked.
    Away,
}

impl From<ReportedPresence> for Presence {
    fn from(reported: ReportedPresence) -> Presence {
        match reported {
            ReportedPresence::Here => Presence::Here,
            ReportedPresence::Away => Presence::Away,
        }
    }
}

/// Whether a person is part of the meetup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    /// In the meetup.
    Active,
    /// Left of their own accord; may come back with their credential.
    Left,
    /// Removed by a facilitator; may not act or come back.
    Removed,
}

/// One person in the meetup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Participant {
    /// Their id.
    pub id: ParticipantId,
    /// Their display name.
    pub name: DisplayName,
    /// Their role.
    pub role: Role,
    /// Whether they are following right now.
    pub presence: Presence,
    /// Whether they are part of the meetup.
    pub membership: Membership,
    /// Digest of their credential; present on the server only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<CredentialDigest>,
    /// When they turn `gone`, while their last connection is closed and the
    /// grace period runs; absent otherwise (see [`Event::ParticipantDisconnected`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gone_at: Option<Timestamp>,
}

/// Everything needed to open a meetup, already validated.
#[derive(Clone, Debug)]
pub struct OpenMeetup {
    /// The join code the server drew.
    pub code: JoinCode,
    /// The title.
    pub title: MeetupTitle,
    /// The facilitator's id (made by the server).
    pub facilitator: ParticipantId,
    /// The facilitator's display name.
    pub facilitator_name: DisplayName,
    /// Digest of the facilitator's credential.
    pub credential: CredentialDigest,
    /// The shared screen's first link (drawn by the server).
    pub screen_key: super::ScreenKey,
}

impl OpenMeetup {
    /// The first event of the new room.
    pub fn into_event(self) -> Event {
        Event::MeetupOpened {
            code: self.code,
            title: self.title,
            facilitator: self.facilitator,
            facilitator_name: self.facilitator_name,
            seat_cap: DEFAULT_SEAT_CAP,
            credential: Some(self.credential),
            screen_link: true,
            screen_key: Some(self.screen_key),
            follows: None,
        }
    }
    /// The first event of a meetup that follows an earlier one of its
    /// series, carrying what that meetup hands over.
    pub fn into_event_following(self, carried: super::lifecycle::CarriedOver) -> Event {
        let mut event = self.into_event();
        if let Event::MeetupOpened { follows, .. } = &mut event {
            *follows = Some(Box::new(carried));
        }
        event
    }
}

impl Room {
    /// The room that a `meetup_opened` event starts. `None` for any other
    /// event: a room's history always begins with its opening.
    pub fn opened(event: &Event, at: Timestamp) -> Option<Room> {
        let Event::MeetupOpened {
            code,
            title,
            facilitator,
            facilitator_name,
            seat_cap,
            credential,
            screen_link,
            screen_key,
            follows,
        } = event
        else {
            return None;
        };
        let mut room = Room {
            code: code.clone(),
            title: title.clone(),
            opened_at: at,
            locked: false,
            seat_cap: *seat_cap,
            participants: vec![Participant {
                id: *facilitator,
                name: facilitator_name.clone(),
                role: Role::Facilitator,
                // The facilitator opened the meetup over HTTP and has not connected yet.
                presence: Presence::Away,
                membership: Membership::Active,
                credential: credential.clone(),
                gone_at: None,
            }],
            polls: super::Polls::default(),
            queue: super::Queue::default(),
            board: super::Board::default(),
            timer: super::Timer::default(),
            ended_at: None,
            series: super::Series::default(),
            agenda: super::Agenda::default(),
            fallback: super::Fallback::default(),
            goals: super::Goals::default(),
            breakouts: super::Breakouts::default(),
            screen: super::ScreenLink {
                changes: 0,
                active: *screen_link,
                key: screen_key.clone(),
            },
        };
        if let Some(carried) = follows {
            super::lifecycle::receive(&mut room, carried, *facilitator);
        }
        Some(room)
    }
}

/// An active participant who is the target of a command.
fn active_target(room: &Room, id: ParticipantId) -> Result<&Participant, Rejection> {
    room.participant(id)
        .filter(|participant| participant.membership == Membership::Active)
        .ok_or(Rejection::UnknownParticipant)
}

/// Whether `name` is free for `claimant` (their own current name is free).
fn name_is_free(room: &Room, name: &DisplayName, claimant: ParticipantId) -> bool {
    !room
        .active_participants()
        .any(|other| other.id != claimant && other.name.same_as(name))
}

/// Whether one more person fits.
fn require_free_seat(room: &Room) -> Result<(), Rejection> {
    if room.active_participants().count() >= usize::from(room.seat_cap) {
        return Err(Rejection::RoomFull {
            seat_cap: room.seat_cap,
        });
    }
    Ok(())
}

/// The event of someone's presence becoming `presence`, if it is news.
fn presence_change(whose: &Participant, presence: Presence) -> Result<Vec<Event>, Rejection> {
    if whose.presence == presence {
        return Ok(Vec::new());
    }
    Ok(vec![Event::PresenceChanged {
        participant: whose.id,
        presence,
    }])
}

/// Decides what a member does about their own membership: leave, presence,
/// name.
pub(super) fn decide_member(
    room: &Room,
    acting: Acting<'_>,
    command: Command,
    _now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    match command {
        Command::Leave => {
            let leaving = acting.member()?;
            if leaving.role == Role::Facilitator {
                return Err(Rejection::HandOverFirst);
            }
            Ok(vec![Event::ParticipantLeft {
                participant: leaving.id,
            }])
        }
        Command::SetPresence { presence } => {
            let whose = acting.member()?;
            presence_change(whose, presence.into())
        }
        Command::Rename { name } => {
            let renaming = acting.member()?;
            if renaming.name == name {
                return Ok(Vec::new());
            }
            if !name_is_free(room, &name, renaming.id) {
                return Err(Rejection::NameTaken);
            }
            Ok(vec![Event::ParticipantRenamed {
                participant: renaming.id,
                name,
            }])
        }
        // Other commands are routed elsewhere by `Room::decide`.
        _ => Ok(Vec::new()),
    }
}

/// Decides what the server and whoever runs the meetup do to membership:
/// admissions, connections, lock, seats, removal and roles.
pub(super) fn decide_running(
    room: &Room,
    acting: Acting<'_>,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    match command {
        Command::Join {
            participant,
            name,
            credential,
        } => {
            if room.participant(participant).is_some() {
                return Err(Rejection::BadCredential);
            }
            if room.locked {
                return Err(Rejection::Locked);
            }
            require_free_seat(room)?;
            if !name_is_free(room, &name, participant) {
                return Err(Rejection::NameTaken);
            }
            Ok(vec![Event::ParticipantJoined {
                participant,
                name,
                credential: Some(credential),
            }])
        }
        Command::Rejoin {
            participant,
            credential,
            name,
        } => {
            let returning = room.credential_holder(participant, &credential)?;
            match returning.membership {
                Membership::Active => Ok(Vec::new()),
                Membership::Removed => Err(Rejection::Removed),
                // Someone who left is known to the group, so a lock does not keep
                // them out; a seat and their name (or the new one they chose,
                // if someone took theirs meanwhile) must still be free.
                Membership::Left => {
                    require_free_seat(room)?;
                    let new_name = name.filter(|name| *name != returning.name);
                    let coming_as = new_name.as_ref().unwrap_or(&returning.name);
                    if !name_is_free(room, coming_as, participant) {
                        return Err(Rejection::NameTaken);
                    }
                    // Renamed while still away, then back: no moment has two
                    // people with one name.
                    let mut events = Vec::with_capacity(2);
                    if let Some(name) = new_name {
                        events.push(Event::ParticipantRenamed { participant, name });
                    }
                    events.push(Event::ParticipantRejoined { participant });
                    Ok(events)
                }
            }
        }
        Command::MarkConnected {
            participant,
            reclaim_ms,
        } => {
            let mut events = presence_change(active_target(room, participant)?, Presence::Here)?;
            events.extend(super::fallback::on_connect(
                room,
                participant,
                reclaim_ms,
                now,
            ));
            Ok(events)
        }
        Command::MarkDisconnected {
            participant,
            grace_ms,
            fallback_ms,
        } => {
            let whose = active_target(room, participant)?;
            // Someone already gone has nothing left to wait for, and someone
            // already on their way keeps the deadline they have: a repeated
            // disconnect (a restarted server marking everyone) never
            // postpones it.
            if whose.presence == Presence::Gone || whose.gone_at.is_some() {
                return Ok(Vec::new());
            }
            let mut events = vec![Event::ParticipantDisconnected {
                participant,
                gone_at: now.plus_millis(grace_ms),
            }];
            events.extend(super::fallback::on_disconnect(
                room,
                participant,
                fallback_ms,
                now,
            ));
            Ok(events)
        }
        Command::Lock | Command::Unlock => {
            let locked = command == Command::Lock;
            if room.locked == locked {
                return Ok(Vec::new());
            }
            Ok(vec![Event::LockChanged { locked }])
        }
        Command::SetSeatCap { seat_cap } => {
            let present = room.active_participants().count();
            let min = u16::try_from(present).unwrap_or(MAX_SEAT_CAP).max(1);
            if !(min..=MAX_SEAT_CAP).contains(&seat_cap) {
                return Err(Rejection::SeatCapOutOfRange {
                    min,
                    max: MAX_SEAT_CAP,
                });
            }
            if room.seat_cap == seat_cap {
                return Ok(Vec::new());
            }
            Ok(vec![Event::SeatCapChanged { seat_cap }])
        }
        Command::Remove { participant } => {
            let target = active_target(room, participant)?;
            if acting.id() == Some(participant) {
                return Err(Rejection::NotOnYourself);
            }
            super::fallback::protect_owner(room, participant)?;
            match target.role {
                Role::Facilitator => return Err(Rejection::HandOverFirst),
                // Co-facilitators remove participants; only the facilitator
                // removes a co-facilitator.
                Role::CoFacilitator if acting.role() != Role::Facilitator => {
                    return Err(Rejection::FacilitatorOnly);
                }
                Role::CoFacilitator | Role::Participant => {}
            }
            Ok(vec![Event::ParticipantRemoved { participant }])
        }
        Command::HandOver { to } => {
            let from = room
                .facilitator()
                .map(|facilitator| facilitator.id)
                .ok_or(Rejection::UnknownParticipant)?;
            active_target(room, to)?;
            if from == to {
                return Err(Rejection::NotOnYourself);
            }
            let mut events = vec![Event::FacilitatorHandedOver { from, to }];
            // Handed to someone not connected now: the fallback waits for
            // them as if their connection had just closed.
            if !room.fallback.is_connected(to) {
                events.extend(super::fallback::schedule(
                    room,
                    crate::limits::FACILITATOR_FALLBACK_MILLIS,
                    now,
                ));
            }
            Ok(events)
        }
        Command::AddCoFacilitator { participant } => {
            if active_target(room, participant)?.role != Role::Participant {
                return Err(Rejection::AlreadyInRole);
            }
            Ok(vec![Event::CoFacilitatorAdded { participant }])
        }
        Command::RemoveCoFacilitator { participant } => {
            if active_target(room, participant)?.role != Role::CoFacilitator {
                return Err(Rejection::AlreadyInRole);
            }
            super::fallback::protect_owner(room, participant)?;
            Ok(vec![Event::CoFacilitatorRemoved { participant }])
        }
        // Other commands are routed elsewhere by `Room::decide`.
        _ => Ok(Vec::new()),
    }
}

/// Folds a membership event into the room.
pub(super) fn fold(room: &mut Room, event: &Event) {
    match event {
        // A room is created from its opening event (`Room::opened`), never folded into.
        Event::MeetupOpened { .. } => {}
        // A join already folded (a replayed event) changes nothing.
        Event::ParticipantJoined {
            participant,
            name,
            credential,
        } if room.participant(*participant).is_none() => {
            room.participants.push(Participant {
                id: *participant,
                name: name.clone(),
                role: Role::Participant,
                presence: Presence::Here,
                membership: Membership::Active,
                credential: credential.clone(),
                gone_at: None,
            });
        }
        Event::ParticipantRejoined { participant } => {
            if let Some(returning) = room.participant_mut(*participant) {
                returning.membership = Membership::Active;
                returning.presence = Presence::Here;
            }
        }
        Event::ParticipantLeft { participant } => step_out(room, *participant, Membership::Left),
        Event::ParticipantRemoved { participant } => {
            step_out(room, *participant, Membership::Removed)
        }
        // Whatever the change (back here, gone at the deadline, or set by
        // the person themselves, who must then be connected), it ends the
        // grace period: only a disconnect starts one.
        Event::PresenceChanged {
            participant,
            presence,
        } => {
            if let Some(changed) = room.participant_mut(*participant) {
                changed.presence = *presence;
                changed.gone_at = None;
            }
        }
        Event::ParticipantDisconnected {
            participant,
            gone_at,
        } => {
            if let Some(disconnected) = room.participant_mut(*participant) {
                disconnected.presence = Presence::Away;
                disconnected.gone_at = Some(*gone_at);
            }
        }
        Event::ParticipantRenamed { participant, name } => {
            if let Some(renamed) = room.participant_mut(*participant) {
                renamed.name = name.clone();
            }
        }
        Event::LockChanged { locked } => room.locked = *locked,
        Event::SeatCapChanged { seat_cap } => room.seat_cap = *seat_cap,
        Event::FacilitatorHandedOver { from, to } => super::fallback::hand_over(room, *from, *to),
        Event::CoFacilitatorAdded { participant } => {
            set_role(room, *participant, Role::CoFacilitator)
        }
        Event::CoFacilitatorRemoved { participant } => {
            set_role(room, *participant, Role::Participant)
        }
        // Other features fold their own events (`Room::on_event` calls each).
        _ => {}
    }
}

/// Someone stops being part of the meetup: no role, not present.
fn step_out(room: &mut Room, id: ParticipantId, membership: Membership) {
    if let Some(leaving) = room.participant_mut(id) {
        leaving.membership = membership;
        leaving.role = Role::Participant;
        leaving.presence = Presence::Gone;
        leaving.gone_at = None;
    }
}

/// The earliest moment a disconnected participant turns `gone`.
pub(super) fn next_deadline(room: &Room) -> Option<Timestamp> {
    room.active_participants()
        .filter_map(|participant| participant.gone_at)
        .min()
}

/// What runs out by `now`: everyone whose grace period has passed turns
/// `gone`. Going from `away` to `gone` changes no poll's voters and takes
/// nobody's hand (only leaving does), so no other feature follows up.
pub(super) fn expire(room: &Room, now: Timestamp) -> Vec<Event> {
    room.active_participants()
        .filter(|participant| participant.gone_at.is_some_and(|at| at <= now))
        .map(|participant| Event::PresenceChanged {
            participant: participant.id,
            presence: Presence::Gone,
        })
        .collect()
}

/// Gives `id` the `role` (folding; the fallback moves roles through it too).
pub(super) fn set_role(room: &mut Room, id: ParticipantId, role: Role) {
    if let Some(participant) = room.participant_mut(id) {
        participant.role = role;
    }
}
