//! Questions asked over HTTP with a participant's credential (the minutes,
//! one's action items, the carry-over, the screen link, deleting the
//! meetup): who may ask what is decided by the room, as for commands.

use moot_shared::room::{Authority, Membership};
use moot_shared::{Actor, Credential, Rejection, Room};

use super::RoomTask;
use crate::secrets;

/// What an HTTP request asks of a room.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Query {
    /// The minutes: facilitators and co-facilitators while the meetup runs;
    /// once it has ended, anyone who took part and was not removed (each
    /// phone's "download the minutes"). The minutes hold only what the room
    /// showed everyone: anonymous reasons stay anonymous, private notes
    /// never reach the server.
    Minutes,
    /// The asker's own action items: anyone who took part.
    MyActions,
    /// What the next meetup of the series takes over: facilitators.
    CarryOver,
    /// Delete the meetup now: the facilitator only.
    Delete,
    /// The shared screen's link: facilitators and co-facilitators.
    ScreenLink,
}

impl RoomTask {
    /// Checks a credential for a query and answers it.
    pub(super) async fn query(
        &mut self,
        credential: &Credential,
        query: Query,
    ) -> Result<Box<Room>, Rejection> {
        let asker = self
            .room
            .credential_holder(credential.participant, &secrets::digest(credential))?;
        // Who may ask what, as for commands (the room's one authorization
        // path); someone who left may still fetch their own action items.
        // One's own action items, and the minutes once the meetup has
        // ended, are anyone's who took part; never someone removed's.
        let open_to_members = match query {
            Query::MyActions => true,
            Query::Minutes => self.room.ended_at.is_some(),
            Query::CarryOver | Query::ScreenLink | Query::Delete => false,
        };
        if open_to_members && asker.membership == Membership::Removed {
            return Err(Rejection::Removed);
        }
        let needs = match query {
            _ if open_to_members => None,
            Query::MyActions | Query::Minutes | Query::CarryOver | Query::ScreenLink => {
                Some(Authority::Runner)
            }
            Query::Delete => Some(Authority::Facilitator),
        };
        if let Some(authority) = needs {
            self.room
                .authorize(Actor::Participant(asker.id), authority)?;
        }
        if query == Query::Delete {
            if let Err(error) = self.store.delete(&self.code).await {
                tracing::error!(code = %self.code, %error, "deleting a meetup failed");
                return Err(Rejection::StorageFailed);
            }
            self.shut_down();
        }
        Ok(Box::new(self.room.clone()))
    }
}
