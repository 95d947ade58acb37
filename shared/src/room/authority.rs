//! Who may do what, decided in one place. Every command says who may send it
//! with an `#[authority(...)]` attribute beside its variant, read by
//! `#[derive(Authorized)]` into [`Command::authority`] (a command without one
//! does not compile), and [`Room::authorize`] checks the actor against that
//! once, before any feature decides. Features then ask only their own
//! questions (is this your entry? is voting open?), never "is this person in
//! the meetup" or "do they run it".
//!
//! The server's own actor ([`Actor::System`]) is treated the same way for
//! every command: it may do what only the server may (admissions, presence
//! of connections, deadlines) and whatever whoever runs the meetup may (a
//! timebox ends a topic, the "continue?" vote opens and closes by itself),
//! and it is never a member: it cannot raise a hand, vote or propose.

#[cfg(doc)]
use super::Command;
use super::membership::{Membership, Participant, Role};
use super::{Actor, Rejection, Room};
use crate::ids::ParticipantId;

/// Who may send a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authority {
    /// The server alone: admissions, presence of connections, deadlines.
    Server,
    /// Any present member, for themselves or on what is theirs; on what is
    /// someone else's (their topic, their entry), whoever runs the meetup.
    Member,
    /// Whoever runs the meetup: the facilitator and co-facilitators, and the
    /// server.
    Runner,
    /// The facilitator alone, and the server.
    Facilitator,
}

/// An actor who passed [`Room::authorize`] for a command.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Acting<'a> {
    /// The server itself.
    Server,
    /// A present member of the meetup.
    Member(&'a Participant),
}

impl<'a> Acting<'a> {
    /// The acting member's id (`None` for the server).
    pub fn id(self) -> Option<ParticipantId> {
        match self {
            Acting::Server => None,
            Acting::Member(participant) => Some(participant.id),
        }
    }

    /// The acting member. Commands of [`Authority::Member`] always have one.
    ///
    /// # Errors
    ///
    /// [`Rejection::NotInMeetup`] for the server, which is nobody's member.
    pub fn member(self) -> Result<&'a Participant, Rejection> {
        match self {
            Acting::Server => Err(Rejection::NotInMeetup),
            Acting::Member(participant) => Ok(participant),
        }
    }

    /// The actor's role; the server counts as the facilitator.
    pub fn role(self) -> Role {
        match self {
            Acting::Server => Role::Facilitator,
            Acting::Member(participant) => participant.role,
        }
    }

    /// Whether the actor runs the meetup (the server does).
    pub fn runs_meetup(self) -> bool {
        self.role().runs_meetup()
    }

    /// Whether the actor may act on something of `owner`'s: the owner, or
    /// whoever runs the meetup.
    pub fn owns_or_runs(self, owner: ParticipantId) -> bool {
        self.id() == Some(owner) || self.runs_meetup()
    }

    /// Requires [`Acting::owns_or_runs`].
    ///
    /// # Errors
    ///
    /// `not_yours` otherwise.
    pub fn require_owner_or_runner(
        self,
        owner: ParticipantId,
        not_yours: Rejection,
    ) -> Result<(), Rejection> {
        if self.owns_or_runs(owner) {
            Ok(())
        } else {
            Err(not_yours)
        }
    }
}

impl Room {
    /// Checks `actor` against what `authority` asks: the one place that
    /// turns an actor into a present member, or refuses.
    ///
    /// # Errors
    ///
    /// [`Rejection::ServerOnly`] for a participant sending a server-only
    /// command; [`Rejection::NotInMeetup`] for someone who left, was never
    /// here, or for the server acting as a member; [`Rejection::Removed`] for
    /// someone removed; [`Rejection::FacilitatorsOnly`] or
    /// [`Rejection::FacilitatorOnly`] for a role too small.
    pub fn authorize(&self, actor: Actor, authority: Authority) -> Result<Acting<'_>, Rejection> {
        let acting = match actor {
            Actor::System => Acting::Server,
            Actor::Participant(_) if authority == Authority::Server => {
                return Err(Rejection::ServerOnly);
            }
            Actor::Participant(id) => {
                let participant = self.participant(id).ok_or(Rejection::NotInMeetup)?;
                match participant.membership {
                    Membership::Active => Acting::Member(participant),
                    Membership::Left => return Err(Rejection::NotInMeetup),
                    Membership::Removed => return Err(Rejection::Removed),
                }
            }
        };
        match (authority, acting.role()) {
            (Authority::Member, _) => acting.member().map(Acting::Member),
            (Authority::Runner, role) if !role.runs_meetup() => Err(Rejection::FacilitatorsOnly),
            (Authority::Facilitator, role) if role != Role::Facilitator => {
                Err(Rejection::FacilitatorOnly)
            }
            _ => Ok(acting),
        }
    }

    /// The participant holding a credential with this digest, checked in one
    /// place for every way a credential is presented (rejoining, the shared
    /// screen, the HTTP exports).
    ///
    /// # Errors
    ///
    /// [`Rejection::BadCredential`] when nobody here holds it.
    pub fn credential_holder(
        &self,
        participant: ParticipantId,
        digest: &super::CredentialDigest,
    ) -> Result<&Participant, Rejection> {
        self.participant(participant)
            .filter(|holder| holder.credential.as_ref() == Some(digest))
            .ok_or(Rejection::BadCredential)
    }
}
