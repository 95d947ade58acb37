//! What a screen reader hears when something happens in the room: each
//! event worded from the room as it was just before (so a rename says the
//! old name). A page hands [`announcement`] to the connection as its
//! [`crate::connection::Announcer`], so the connection itself knows nothing
//! of the features' wording.

use moot_shared::room::Membership;
use moot_shared::{Event, ParticipantId, Room};

use crate::i18n::{board_texts, lang, poll_texts, t, timer_texts};
use crate::poll::reading_text;
use crate::timer::clock_text;

/// What to announce for an event, worded from the room before it is folded
/// (so a rename can say the old name).
pub fn announcement(room: &Room, event: &Event, me: Option<ParticipantId>) -> Option<String> {
    let texts = t();
    let name = |id: ParticipantId| {
        room.participant(id)
            .map(|participant| participant.name.to_string())
            .unwrap_or_default()
    };
    Some(match event {
        Event::ParticipantJoined { name, .. } => (texts.joined)(name.as_str()),
        Event::ParticipantRejoined { participant } => {
            let was_gone = room
                .participant(*participant)
                .is_some_and(|participant| participant.membership != Membership::Active);
            if !was_gone || me == Some(*participant) {
                return None;
            }
            (texts.came_back)(&name(*participant))
        }
        Event::ParticipantLeft { participant } if me != Some(*participant) => {
            (texts.left)(&name(*participant))
        }
        Event::ParticipantRemoved { participant } if me == Some(*participant) => {
            texts.you_were_removed.to_owned()
        }
        Event::ParticipantRemoved { participant } => (texts.was_removed)(&name(*participant)),
        Event::ParticipantRenamed {
            participant,
            name: new_name,
        } => (texts.renamed)(&name(*participant), new_name.as_str()),
        Event::FacilitatorHandedOver { to, .. } if me == Some(*to) => {
            texts.you_are_facilitator.to_owned()
        }
        Event::FacilitatorHandedOver { to, .. } => (texts.now_facilitator)(&name(*to)),
        Event::CoFacilitatorAdded { participant } => (texts.now_co)(&name(*participant)),
        Event::FacilitatorStoodIn { absent, by } if me == Some(*by) => {
            let owner = room.fallback.stand_in.as_ref().map_or(*absent, |s| s.owner);
            (texts.you_stand_in)(&name(owner))
        }
        Event::FacilitatorStoodIn { absent, by } => {
            let owner = room.fallback.stand_in.as_ref().map_or(*absent, |s| s.owner);
            (texts.stands_in)(&name(*by), &name(owner))
        }
        Event::FacilitatorReclaimed { owner, .. } => (texts.owner_back)(&name(*owner)),
        Event::CoFacilitatorRemoved { participant } => (texts.no_longer_co)(&name(*participant)),
        Event::LockChanged { locked: true } => texts.meetup_locked.to_owned(),
        Event::LockChanged { locked: false } => texts.meetup_unlocked.to_owned(),
        Event::SeatCapChanged { seat_cap } => (texts.seat_cap_changed)(*seat_cap),
        Event::PollOpened { setup, .. } => (poll_texts().poll_opened)(setup.question_in(lang())),
        // Worded from the revealed poll, so it reads as the screen does.
        Event::PollRevealed { poll, results, .. } => {
            let mut revealed = room.polls.get(*poll)?.clone();
            revealed.results = Some(results.clone());
            (poll_texts().poll_revealed)(&reading_text(&revealed)?)
        }
        Event::VotesRevealed { .. } => board_texts().votes_revealed.to_owned(),
        Event::TimerExtended { by_ms, .. } => (timer_texts().extended)(&clock_text(*by_ms)),
        Event::TopicStarted { topic, .. } => {
            (board_texts().now_discussing)(room.board.topic(*topic)?.title.as_str())
        }
        _ => return None,
    })
}
