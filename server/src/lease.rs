//! Leases on a shared store (see [`crate::store::postgres`] for how they
//! work in the database): this node renews its lease every third of the
//! lease time, and lets go of any meetup another node took over meanwhile
//! (which happens only when this node could not renew for a whole lease:
//! it stalled, or lost the database). Its people are told to reconnect,
//! and the proxy brings them to the new owner.

use std::time::Duration;

use tokio::time::{MissedTickBehavior, interval};

use crate::AppState;
use crate::room_task::ToRoom;
use crate::store::StoreError;

/// Renews this node's lease until the server stops.
pub async fn renew(state: AppState) {
    let Some(settings) = &state.config().shared_store else {
        return;
    };
    let mut every = interval((settings.lease / 3).max(Duration::from_millis(100)));
    every.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if state.stopping().is_stopping() {
            return;
        }
        match state.store().renew().await {
            Ok(lost) => {
                for code in lost {
                    tracing::warn!(%code, "another node took this meetup over");
                    if let Some(room) = state.registry().remove(&code) {
                        let _ = room.send(ToRoom::Release).await;
                    }
                }
            }
            Err(StoreError::Closed) => return,
            // Appends are fenced by the lease, so a
            // missed renewal risks nothing but a takeover; the next tries again.
            Err(error) => tracing::warn!(%error, "renewing leases failed"),
        }
    }
}
