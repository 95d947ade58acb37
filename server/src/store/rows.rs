//! How stored rows become meetups again, for both engines: a meetup's row
//! and its events after the snapshot are checked and folded into a room
//! ([`assemble`]), and text stored under an earlier, more lenient rule is
//! read as the rules now allow it ([`read_stored`]) instead of leaving a
//! meetup unreadable and the server unable to start. Also the other way: an
//! event as the columns both engines write ([`event_columns`]).

use std::collections::HashMap;

use moot_shared::limits::REMEMBERED_REQUESTS_PER_PARTICIPANT;
use moot_shared::{Event, JoinCode, ParticipantId, RequestId, Room, Seq, Timestamp};

use super::{LoadedMeetup, StoreError, StoredEvent};

/// Reads a stored event or snapshot. Text written under an earlier, more
/// lenient rule for names and other text (characters since refused as
/// invisible) is read as the rule now allows it, with a warning, rather
/// than leave the meetup unreadable and the server unable to start: what
/// is refused now is dropped, and a field left with nothing reads "?".
fn read_stored<T: serde::de::DeserializeOwned>(
    json: &str,
    code: &str,
    seq: u64,
) -> Result<T, StoreError> {
    let error = match serde_json::from_str(json) {
        Ok(read) => return Ok(read),
        Err(error) => error,
    };
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(json) else {
        return Err(unreadable(code, seq, error));
    };
    if !as_now_allowed(&mut value) {
        return Err(unreadable(code, seq, error));
    }
    let read = serde_json::from_value(value).map_err(|_| unreadable(code, seq, error))?;
    tracing::warn!(
        code,
        seq,
        "stored text held characters the rules now refuse; read without them"
    );
    Ok(read)
}

/// Every string in `value` as the text rules now allow it; whether any
/// changed.
fn as_now_allowed(value: &mut serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => match moot_shared::text::as_now_allowed(text) {
            Some(allowed) if allowed.trim().is_empty() => {
                *text = "?".to_owned();
                true
            }
            Some(allowed) => {
                *text = allowed;
                true
            }
            None => false,
        },
        serde_json::Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, item| as_now_allowed(item) | changed),
        serde_json::Value::Object(fields) => fields
            .values_mut()
            .fold(false, |changed, field| as_now_allowed(field) | changed),
        _ => false,
    }
}

fn unreadable(code: &str, seq: u64, detail: impl ToString) -> StoreError {
    StoreError::Unreadable {
        code: code.to_owned(),
        seq,
        detail: detail.to_string(),
    }
}

/// Reads a stored request: who sent it, and its id.
fn request_of(
    code: &str,
    seq: u64,
    participant: String,
    request_id: String,
) -> Result<(ParticipantId, RequestId), StoreError> {
    let participant =
        uuid::Uuid::parse_str(&participant).map_err(|error| unreadable(code, seq, error))?;
    let request_id =
        RequestId::parse(&request_id).ok_or_else(|| unreadable(code, seq, "bad request id"))?;
    Ok((ParticipantId(participant), request_id))
}

/// A meetup's row, as both engines store it.
pub(super) struct MeetupRow {
    pub(super) code: String,
    pub(super) ended_at: Option<i64>,
    pub(super) snapshot_seq: i64,
    pub(super) snapshot: Option<String>,
}

/// An event's row, as both engines store it.
pub(super) struct EventRow {
    pub(super) seq: i64,
    pub(super) at: i64,
    pub(super) participant: Option<String>,
    pub(super) request_id: Option<String>,
    pub(super) event: String,
}

/// Reads one meetup back: its row, the events after its snapshot (oldest
/// first), and, from `answered_before` (asked for at most this many rows),
/// the `(seq, participant, request_id)` of commands answered at or before
/// the snapshot, newest first. Checks that the events follow each other
/// without a gap and that the room's invariants hold.
pub(super) fn assemble(
    row: MeetupRow,
    events: Vec<EventRow>,
    answered_before: impl FnOnce(i64) -> Result<Vec<(i64, String, String)>, StoreError>,
) -> Result<LoadedMeetup, StoreError> {
    let code_text = row.code;
    let code = JoinCode::parse(&code_text).map_err(|error| unreadable(&code_text, 0, error))?;
    let snapshot_seq =
        u64::try_from(row.snapshot_seq).map_err(|error| unreadable(&code_text, 0, error))?;
    let mut room: Option<Room> = match &row.snapshot {
        Some(json) => Some(read_stored(json, &code_text, snapshot_seq)?),
        None => None,
    };
    let mut seq = Seq(snapshot_seq);
    let mut tail = Vec::with_capacity(events.len());
    for stored in events {
        let event_seq = u64::try_from(stored.seq).unwrap_or_default();
        if event_seq != seq.0 + 1 {
            return Err(unreadable(
                &code_text,
                event_seq,
                format!("expected event {}", seq.0 + 1),
            ));
        }
        let event: Event = read_stored(&stored.event, &code_text, event_seq)?;
        let at = Timestamp(u64::try_from(stored.at).unwrap_or_default());
        match &mut room {
            Some(room) => room.on_event(&event),
            None => {
                room = Some(Room::opened(&event, at).ok_or_else(|| {
                    unreadable(
                        &code_text,
                        event_seq,
                        "the first event does not open a meetup",
                    )
                })?)
            }
        }
        let request = match (stored.participant, stored.request_id) {
            (Some(participant), Some(request_id)) => {
                Some(request_of(&code_text, event_seq, participant, request_id)?)
            }
            _ => None,
        };
        seq = Seq(event_seq);
        tail.push(StoredEvent {
            seq,
            at,
            event,
            request,
        });
    }
    let room = room.ok_or_else(|| unreadable(&code_text, 1, "no events"))?;
    room.check_invariants()
        .map_err(|broken| unreadable(&code_text, seq.0, broken))?;
    let since_snapshot = tail.len() as u64;
    // At most the window of everyone who ever joined; fewer per person
    // are kept once read, as the room task keeps them.
    let window = REMEMBERED_REQUESTS_PER_PARTICIPANT * room.participants.len();
    let mut answered = Vec::new();
    let mut per_participant: HashMap<ParticipantId, usize> = HashMap::new();
    for (event_seq, participant, request_id) in
        answered_before(i64::try_from(window).unwrap_or(i64::MAX))?
    {
        let event_seq = u64::try_from(event_seq).unwrap_or_default();
        let (participant, request_id) = request_of(&code_text, event_seq, participant, request_id)?;
        let count = per_participant.entry(participant).or_default();
        if *count < REMEMBERED_REQUESTS_PER_PARTICIPANT {
            *count += 1;
            answered.push((participant, request_id, Seq(event_seq)));
        }
    }
    Ok(LoadedMeetup {
        code,
        room,
        seq,
        tail,
        ended_at: row
            .ended_at
            .map(|at| Timestamp(u64::try_from(at).unwrap_or_default())),
        since_snapshot,
        answered,
    })
}

/// The JSON of a stored event, and its request as two text columns.
pub(super) fn event_columns(
    stored: &StoredEvent,
) -> Result<(String, Option<String>, Option<String>), StoreError> {
    let json = serde_json::to_string(&stored.event)
        .map_err(|error| StoreError::Sqlite(error.to_string()))?;
    Ok(match &stored.request {
        Some((participant, request_id)) => (
            json,
            Some(participant.0.to_string()),
            Some(request_id.as_str().to_owned()),
        ),
        None => (json, None, None),
    })
}
