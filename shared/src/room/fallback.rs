//! Facilitator fallback: a meetup survives its facilitator's laptop.
//!
//! When the last connection of whoever holds the facilitator role closes
//! (the server closes a connection that answered nothing for a while, so a
//! dead network counts, and a hidden tab, which still answers, does not),
//! the room schedules a hand-over ([`Event::FallbackScheduled`]) at the end
//! of the server's fallback period, less the silence the connection had
//! already had when it was closed. If the facilitator has not connected
//! again by then, the role passes to a stand-in ([`Event::FacilitatorStoodIn`]):
//! a connected co-facilitator, or else (in [`FallbackMode::Automatic`]) the
//! member who has been connected longest. The person who ran the meetup
//! stays its owner ([`StandIn::owner`]) and becomes a co-facilitator
//! meanwhile. When they connect again and stay connected for the server's
//! reclaim period, the role goes back to them by itself
//! ([`Event::FacilitatorReclaimed`]) and the stand-in returns to the role
//! they had. A stand-in who hands the role on changes who stands in, never
//! who owns the meetup; one who goes silent is replaced the same way.
//!
//! Nothing here touches the timer, the agenda or the polls: they keep
//! running through a fallback, because none of them depends on who holds
//! the role.
//!
//! "Connected longest" needs the order in which people's current
//! connections began, which no timestamp in the events gives: the room keeps
//! it in [`Fallback::arrivals`], folded from the presence events.

use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

use super::membership::{Presence, Role, set_role};
use super::{Acting, Command, Event, Rejection, Room};
use crate::ids::ParticipantId;
use crate::time::Timestamp;

/// Who may take over from a facilitator whose laptop went silent.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson,
)]
#[serde(rename_all = "snake_case")]
pub enum FallbackMode {
    /// A connected co-facilitator, or else the member connected longest.
    #[default]
    Automatic,
    /// A connected co-facilitator only; without one the meetup waits.
    CoFacilitatorsOnly,
    /// Nobody: the meetup waits for its facilitator.
    Off,
}

impl FallbackMode {
    /// Every mode, in the order a settings picker shows them.
    pub const ALL: [FallbackMode; 3] = [
        FallbackMode::Automatic,
        FallbackMode::CoFacilitatorsOnly,
        FallbackMode::Off,
    ];

    fn is_automatic(&self) -> bool {
        *self == FallbackMode::Automatic
    }
}

/// Someone holding the facilitator role for its owner, who went silent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct StandIn {
    /// Who ran the meetup when it fell back; they get the role back when
    /// they return.
    pub owner: ParticipantId,
    /// Who holds the role now.
    pub by: ParticipantId,
    /// The role [`StandIn::by`] had before and goes back to.
    pub by_was: Role,
    /// When the returned owner takes the role back, if they are connected
    /// again and waiting out the reclaim period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reclaim_at: Option<Timestamp>,
}

/// The room's fallback state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Fallback {
    /// Who may take over.
    #[serde(default, skip_serializing_if = "FallbackMode::is_automatic")]
    pub mode: FallbackMode,
    /// When the silent facilitator's role passes on, while their last
    /// connection stays closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<Timestamp>,
    /// Who stands in for whom, during a fallback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stand_in: Option<StandIn>,
    /// Everyone connected now, in the order their current connection began
    /// (longest connected first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arrivals: Vec<ParticipantId>,
}

impl Fallback {
    /// Whether nothing has happened: left out of snapshots then.
    pub fn is_pristine(&self) -> bool {
        *self == Fallback::default()
    }

    /// Whether `id` is connected now (has an open connection).
    pub fn is_connected(&self, id: ParticipantId) -> bool {
        self.arrivals.contains(&id)
    }
}

/// Decides [`Command::SetFallback`] (the facilitator).
pub(super) fn decide_running(
    room: &Room,
    _acting: Acting<'_>,
    command: Command,
) -> Result<Vec<Event>, Rejection> {
    match command {
        Command::SetFallback { mode } if mode != room.fallback.mode => {
            Ok(vec![Event::FallbackSet { mode }])
        }
        _ => Ok(Vec::new()),
    }
}

/// What follows when the server says `participant`'s last connection
/// closed: the hand-over is scheduled `fallback_ms` later if they hold the
/// facilitator role.
pub(super) fn on_disconnect(
    room: &Room,
    participant: ParticipantId,
    fallback_ms: u64,
    now: Timestamp,
) -> Option<Event> {
    let runs_it = room
        .facilitator()
        .is_some_and(|facilitator| facilitator.id == participant);
    runs_it.then(|| schedule(room, fallback_ms, now)).flatten()
}

/// A hand-over from a facilitator who is not connected, `fallback_ms` from
/// `now`, unless the meetup lets nobody take it (or is over). Also asked
/// when the role is handed to someone not connected.
pub(super) fn schedule(room: &Room, fallback_ms: u64, now: Timestamp) -> Option<Event> {
    (room.fallback.mode != FallbackMode::Off && room.ended_at.is_none()).then(|| {
        Event::FallbackScheduled {
            at: now.plus_millis(fallback_ms),
        }
    })
}

/// What follows when `participant` connects again: the owner of a meetup
/// in fallback starts the reclaim period.
pub(super) fn on_connect(
    room: &Room,
    participant: ParticipantId,
    reclaim_ms: u64,
    now: Timestamp,
) -> Option<Event> {
    let stand_in = room.fallback.stand_in.as_ref()?;
    let returning = stand_in.owner == participant
        && stand_in.reclaim_at.is_none()
        && !room.fallback.is_connected(participant)
        && room.ended_at.is_none();
    returning.then(|| Event::FacilitatorReturning {
        reclaim_at: now.plus_millis(reclaim_ms),
    })
}

/// Who would stand in for the facilitator now, best first: the returned
/// owner, then connected co-facilitators, then (automatic mode) every
/// other connected member, each longest connected first. Never the
/// facilitator themselves, and only people in the meetup.
fn candidates(room: &Room) -> impl Iterator<Item = ParticipantId> + '_ {
    let fallback = &room.fallback;
    let facilitator = room.facilitator().map(|facilitator| facilitator.id);
    let owner = fallback.stand_in.as_ref().map(|stand_in| stand_in.owner);
    let connected = move || {
        fallback.arrivals.iter().copied().filter(move |id| {
            Some(*id) != facilitator
                && room
                    .participant(*id)
                    .is_some_and(|person| person.membership == super::Membership::Active)
        })
    };
    let role_of = |id: ParticipantId| room.participant(id).map(|person| person.role);
    let owner_back = connected().filter(move |id| Some(*id) == owner);
    let co_facilitators = connected()
        .filter(move |id| Some(*id) != owner && role_of(*id) == Some(Role::CoFacilitator));
    let others = connected().filter(move |id| {
        fallback.mode == FallbackMode::Automatic
            && Some(*id) != owner
            && role_of(*id) == Some(Role::Participant)
    });
    owner_back.chain(co_facilitators).chain(others)
}

/// The next moment the fallback acts: a due hand-over (only while someone
/// could take it, so a meetup with nobody to stand in does not wake its
/// task in a loop) or a returned owner's reclaim.
pub(super) fn next_deadline(room: &Room) -> Option<Timestamp> {
    if room.ended_at.is_some() {
        return None;
    }
    let due = room
        .fallback
        .due_at
        .filter(|_| candidates(room).next().is_some());
    let reclaim = room
        .fallback
        .stand_in
        .as_ref()
        .and_then(|stand_in| stand_in.reclaim_at);
    due.into_iter().chain(reclaim).min()
}

/// What has run out by `now`: the owner's reclaim, or the hand-over to a stand-in.
pub(super) fn expire(room: &Room, now: Timestamp) -> Option<Event> {
    if room.ended_at.is_some() {
        return None;
    }
    let holder = room.facilitator()?.id;
    if let Some(stand_in) = &room.fallback.stand_in
        && stand_in.reclaim_at.is_some_and(|at| at <= now)
    {
        return Some(Event::FacilitatorReclaimed {
            owner: stand_in.owner,
            from: holder,
        });
    }
    if room.fallback.due_at.is_some_and(|at| at <= now) {
        let by = candidates(room).next()?;
        return Some(Event::FacilitatorStoodIn { absent: holder, by });
    }
    None
}

/// Refuses removing or demoting the owner of a meetup in fallback: a stand-in
/// keeps the role for them, it does not take the meetup over.
pub(super) fn protect_owner(room: &Room, target: ParticipantId) -> Result<(), Rejection> {
    match &room.fallback.stand_in {
        Some(stand_in) if stand_in.owner == target => Err(Rejection::StandingInForOwner),
        _ => Ok(()),
    }
}

/// Folds the fallback's own events, and what presence and departures mean
/// for it (hand-overs: [`hand_over`]).
pub(super) fn fold(room: &mut Room, event: &Event) {
    match event {
        Event::FallbackSet { mode } => room.fallback.mode = *mode,
        Event::FallbackScheduled { at } => room.fallback.due_at = Some(*at),
        Event::FacilitatorStoodIn { absent, by } => stand_in(room, *absent, *by),
        Event::FacilitatorReturning { reclaim_at } => {
            if let Some(stand_in) = &mut room.fallback.stand_in {
                stand_in.reclaim_at = Some(*reclaim_at);
            }
        }
        Event::FacilitatorReclaimed { owner, from } => give_back(room, *owner, *from),
        Event::ParticipantJoined { participant, .. }
        | Event::ParticipantRejoined { participant } => arrive(room, *participant),
        Event::PresenceChanged {
            participant,
            presence,
        } => {
            if *presence == Presence::Gone {
                depart(room, *participant);
            } else {
                // Only a connected person's presence turns here or away.
                arrive(room, *participant);
                if room.facilitator().map(|facilitator| facilitator.id) == Some(*participant) {
                    room.fallback.due_at = None;
                }
            }
        }
        Event::ParticipantDisconnected { participant, .. } => depart(room, *participant),
        Event::ParticipantLeft { participant } | Event::ParticipantRemoved { participant } => {
            depart(room, *participant);
            // An owner who leaves gives the meetup to whoever stands in.
            if room
                .fallback
                .stand_in
                .as_ref()
                .is_some_and(|stand_in| stand_in.owner == *participant)
            {
                room.fallback.stand_in = None;
            }
        }
        _ => {}
    }
}

fn arrive(room: &mut Room, id: ParticipantId) {
    if !room.fallback.arrivals.contains(&id) {
        room.fallback.arrivals.push(id);
    }
}

fn depart(room: &mut Room, id: ParticipantId) {
    room.fallback.arrivals.retain(|connected| *connected != id);
    if let Some(stand_in) = &mut room.fallback.stand_in
        && stand_in.owner == id
    {
        // Gone again before the reclaim period ended: it starts over next time.
        stand_in.reclaim_at = None;
    }
}

fn role_of(room: &Room, id: ParticipantId) -> Role {
    room.participant(id)
        .map_or(Role::Participant, |person| person.role)
}

/// `by` takes the role from the silent `absent`. The first stand-in makes
/// `absent` the owner (a co-facilitator meanwhile); a later one hands the
/// earlier stand-in their own role back and keeps the owner.
fn stand_in(room: &mut Room, absent: ParticipantId, by: ParticipantId) {
    room.fallback.due_at = None;
    let owner = match room.fallback.stand_in.take() {
        Some(earlier) => {
            set_role(room, earlier.by, earlier.by_was);
            earlier.owner
        }
        None => {
            set_role(room, absent, Role::CoFacilitator);
            absent
        }
    };
    if by == owner {
        set_role(room, owner, Role::Facilitator);
        return;
    }
    let by_was = role_of(room, by);
    set_role(room, by, Role::Facilitator);
    room.fallback.stand_in = Some(StandIn {
        owner,
        by,
        by_was,
        reclaim_at: None,
    });
}

/// The returned `owner` takes the role back from `from`, who stood in.
fn give_back(room: &mut Room, owner: ParticipantId, from: ParticipantId) {
    if let Some(stand_in) = room.fallback.stand_in.take() {
        set_role(room, from, stand_in.by_was);
    }
    set_role(room, owner, Role::Facilitator);
    room.fallback.due_at = None;
}

/// Moves the role for a hand-over ([`super::membership::fold`] calls this
/// for every [`Event::FacilitatorHandedOver`]). Outside a fallback the one
/// handing over becomes a participant. A stand-in handing on goes back to
/// their own role instead: to the owner, that ends the fallback; to anyone
/// else, they become the stand-in and the owner stays.
pub(super) fn hand_over(room: &mut Room, from: ParticipantId, to: ParticipantId) {
    room.fallback.due_at = None;
    let to_was = role_of(room, to);
    let from_becomes = match &mut room.fallback.stand_in {
        Some(stand_in) if stand_in.by == from => {
            let from_was = stand_in.by_was;
            if to == stand_in.owner {
                room.fallback.stand_in = None;
            } else {
                stand_in.by = to;
                stand_in.by_was = to_was;
            }
            from_was
        }
        _ => Role::Participant,
    };
    set_role(room, from, from_becomes);
    set_role(room, to, Role::Facilitator);
}

/// The fallback's invariants: a stand-in holds the role and is not its
/// owner, the owner is still in the meetup, and only people in the meetup
/// count as connected, each once.
pub(super) fn check_invariants(room: &Room) -> Result<(), String> {
    let fallback = &room.fallback;
    if let Some(stand_in) = &fallback.stand_in {
        if room.facilitator().map(|facilitator| facilitator.id) != Some(stand_in.by) {
            return Err(format!(
                "{} stands in but is not the facilitator",
                stand_in.by
            ));
        }
        if stand_in.owner == stand_in.by || stand_in.by_was == Role::Facilitator {
            return Err(format!("{} stands in for themselves", stand_in.by));
        }
        let owner_active = room
            .participant(stand_in.owner)
            .is_some_and(|owner| owner.membership == super::Membership::Active);
        if !owner_active {
            return Err(format!("{} owns the meetup but left it", stand_in.owner));
        }
    }
    for (index, id) in fallback.arrivals.iter().enumerate() {
        if fallback.arrivals[..index].contains(id) {
            return Err(format!("{id} arrived twice"));
        }
        let present = room.participant(*id).is_some_and(|person| {
            person.membership == super::Membership::Active
                && person.presence != Presence::Gone
                && person.gone_at.is_none()
        });
        if !present {
            return Err(format!("{id} counts as connected but is not"));
        }
    }
    Ok(())
}
