//! Decoding server messages with little code, for the browser.
//!
//! serde's derive for an internally tagged enum (`#[serde(tag = "type")]`)
//! first buffers the object into its private `Content` tree and then runs a
//! full visitor (map and sequence forms, duplicate and missing field checks)
//! for every variant; for [`Event`] alone that was 113 KB of the browser's
//! wasm, and serde_json's deserializer came on top for every type of the
//! room. Here the message is parsed once into a [`Json`] tree by
//! [`crate::json`], the tag is read, and each variant's fields are taken out
//! by name with one call per field, so a variant costs a few calls. Nothing
//! here uses serde.
//!
//! The wire format is the derives' (the server uses them, and the golden
//! tests pin them); `tests/decode.rs` and `tests/json.rs` check that this
//! decoder gives the same value as serde for every server example in
//! `docs/PROTOCOL.md` and for random rooms and events. A new event or server
//! message needs an arm here as well as its variant.

use crate::json::{self, DecodeError, FromJson, Json};
use crate::protocol::ServerMessage;
use crate::room::poll::PollSetup;
use crate::text::TextProblem;
use crate::{Event, Rejection};

/// Parses one server message, as `serde_json::from_str::<ServerMessage>`
/// would.
///
/// # Errors
///
/// When the text is not JSON, not an object, has an unknown `type`, or a
/// field does not fit its type.
pub fn server_message(text: &str) -> Result<ServerMessage, DecodeError> {
    json::from_str(text)
}

impl FromJson for ServerMessage {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        let fields = value.fields()?;
        let tag = fields.tag("type")?;
        Ok(match tag {
            "welcome" => ServerMessage::Welcome {
                protocol: fields.field("protocol")?,
                participant: fields.field("participant")?,
                token: fields.field("token")?,
                server_time: fields.field("server_time")?,
                seq: fields.field("seq")?,
                snapshot: fields.field("snapshot")?,
            },
            "event" => ServerMessage::Event {
                seq: fields.field("seq")?,
                at: fields.field("at")?,
                event: fields.field("event")?,
            },
            "ack" => ServerMessage::Ack {
                request_id: fields.field("request_id")?,
                seq: fields.field("seq")?,
            },
            "rejected" => ServerMessage::Rejected {
                request_id: fields.field("request_id")?,
                reason: fields.field("reason")?,
                message: fields.field("message")?,
            },
            "refused" => ServerMessage::Refused {
                reason: fields.field("reason")?,
                message: fields.field("message")?,
            },
            "ping" => ServerMessage::Ping {
                server_time: fields.field("server_time")?,
            },
            "time_sync" => ServerMessage::TimeSync {
                client_time: fields.field("client_time")?,
                server_time: fields.field("server_time")?,
            },
            _ => return Err(DecodeError::unknown_variant(tag)),
        })
    }
}

/// Decodes one event from its JSON text, as `Event::deserialize` would.
///
/// # Errors
///
/// When the value is not an object, has an unknown `type`, or a field does
/// not fit its type.
pub fn event(text: &str) -> Result<Event, DecodeError> {
    json::from_str(text)
}

impl FromJson for Event {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        let fields = value.fields()?;
        let tag = fields.tag("type")?;
        Ok(match tag {
            "meetup_ended" => Event::MeetupEnded {
                ended_at: fields.field("ended_at")?,
            },
            "action_reviewed" => Event::ActionReviewed {
                item: fields.field("item")?,
                outcome: fields.field("outcome")?,
            },
            "meetup_opened" => Event::MeetupOpened {
                code: fields.field("code")?,
                title: fields.field("title")?,
                facilitator: fields.field("facilitator")?,
                facilitator_name: fields.field("facilitator_name")?,
                seat_cap: fields.field("seat_cap")?,
                credential: fields.field("credential")?,
                follows: fields.field("follows")?,
            },
            "participant_joined" => Event::ParticipantJoined {
                participant: fields.field("participant")?,
                name: fields.field("name")?,
                credential: fields.field("credential")?,
            },
            "participant_rejoined" => Event::ParticipantRejoined {
                participant: fields.field("participant")?,
            },
            "participant_left" => Event::ParticipantLeft {
                participant: fields.field("participant")?,
            },
            "presence_changed" => Event::PresenceChanged {
                participant: fields.field("participant")?,
                presence: fields.field("presence")?,
            },
            "participant_renamed" => Event::ParticipantRenamed {
                participant: fields.field("participant")?,
                name: fields.field("name")?,
            },
            "lock_changed" => Event::LockChanged {
                locked: fields.field("locked")?,
            },
            "seat_cap_changed" => Event::SeatCapChanged {
                seat_cap: fields.field("seat_cap")?,
            },
            "participant_removed" => Event::ParticipantRemoved {
                participant: fields.field("participant")?,
            },
            "facilitator_handed_over" => Event::FacilitatorHandedOver {
                from: fields.field("from")?,
                to: fields.field("to")?,
            },
            "co_facilitator_added" => Event::CoFacilitatorAdded {
                participant: fields.field("participant")?,
            },
            "co_facilitator_removed" => Event::CoFacilitatorRemoved {
                participant: fields.field("participant")?,
            },
            "hand_raised" => Event::HandRaised {
                entry: fields.field("entry")?,
                participant: fields.field("participant")?,
                kind: fields.field("kind")?,
                note: fields.field("note")?,
            },
            "entry_edited" => Event::EntryEdited {
                entry: fields.field("entry")?,
                kind: fields.field("kind")?,
                note: fields.field("note")?,
            },
            "entry_withdrawn" => Event::EntryWithdrawn {
                entry: fields.field("entry")?,
            },
            "queue_reordered" => Event::QueueReordered {
                kind: fields.field("kind")?,
                order: fields.field("order")?,
            },
            "floor_given" => Event::FloorGiven {
                turn: fields.field("turn")?,
                participant: fields.field("participant")?,
                entry: fields.field("entry")?,
                started_at: fields.field("started_at")?,
            },
            "turn_ended" => Event::TurnEnded {
                turn: fields.field("turn")?,
                participant: fields.field("participant")?,
                millis: fields.field("millis")?,
                passed: fields.field("passed")?,
            },
            "round_started" => Event::RoundStarted {
                kind: fields.field("kind")?,
                prompt: fields.field("prompt")?,
                order: fields.field("order")?,
            },
            "round_ended" => Event::RoundEnded,
            "queue_configured" => Event::QueueConfigured {
                settings: fields.field("settings")?,
            },
            "poll_opened" => {
                let poll = fields.field("poll")?;
                let closes_at = fields.field("closes_at")?;
                let round_of = fields.field("round_of")?;
                Event::PollOpened {
                    poll,
                    closes_at,
                    round_of,
                    setup: PollSetup::from_json(value)?,
                }
            }
            "vote_cast" => Event::VoteCast {
                poll: fields.field("poll")?,
                secrecy: fields.field("secrecy")?,
                ballot: fields.field("ballot")?,
            },
            "poll_revealed" => Event::PollRevealed {
                poll: fields.field("poll")?,
                results: fields.field("results")?,
                ballots: fields.field_or("ballots", Vec::new)?,
            },
            "poll_closed" => Event::PollClosed {
                poll: fields.field("poll")?,
            },
            "topic_proposed" => Event::TopicProposed {
                topic: fields.field("topic")?,
                author: fields.field("author")?,
                title: fields.field("title")?,
                details: fields.field("details")?,
            },
            "topic_edited" => Event::TopicEdited {
                topic: fields.field("topic")?,
                title: fields.field("title")?,
                details: fields.field("details")?,
            },
            "topic_withdrawn" => Event::TopicWithdrawn {
                topic: fields.field("topic")?,
            },
            "dots_changed" => Event::DotsChanged {
                participant: fields.field("participant")?,
                hidden: fields.field("hidden")?,
                topic: fields.field("topic")?,
                count: fields.field("count")?,
            },
            "votes_revealed" => Event::VotesRevealed {
                dots: fields.field("dots")?,
            },
            "voting_closed" => Event::VotingClosed,
            "voting_reopened" => Event::VotingReopened,
            "topics_merged" => Event::TopicsMerged {
                from: fields.field("from")?,
                into: fields.field("into")?,
            },
            "topics_sorted" => Event::TopicsSorted {
                order: fields.field("order")?,
            },
            "topic_started" => Event::TopicStarted {
                topic: fields.field("topic")?,
                started_at: fields.field("started_at")?,
            },
            "topic_finished" => Event::TopicFinished {
                topic: fields.field("topic")?,
                millis: fields.field("millis")?,
            },
            "topic_parked" => Event::TopicParked {
                topic: fields.field("topic")?,
                millis: fields.field("millis")?,
            },
            "topic_unparked" => Event::TopicUnparked {
                topic: fields.field("topic")?,
            },
            "note_added" => Event::NoteAdded {
                note: fields.field("note")?,
                topic: fields.field("topic")?,
                kind: fields.field("kind")?,
                author: fields.field("author")?,
                text: fields.field("text")?,
            },
            "note_edited" => Event::NoteEdited {
                note: fields.field("note")?,
                kind: fields.field("kind")?,
                text: fields.field("text")?,
            },
            "note_removed" => Event::NoteRemoved {
                note: fields.field("note")?,
            },
            "action_item_added" => Event::ActionItemAdded {
                item: fields.field("item")?,
                topic: fields.field("topic")?,
                text: fields.field("text")?,
                owner: fields.field("owner")?,
                due: fields.field("due")?,
                author: fields.field("author")?,
            },
            "action_item_edited" => Event::ActionItemEdited {
                item: fields.field("item")?,
                text: fields.field("text")?,
                owner: fields.field("owner")?,
                due: fields.field("due")?,
            },
            "action_item_removed" => Event::ActionItemRemoved {
                item: fields.field("item")?,
            },
            "board_configured" => Event::BoardConfigured {
                settings: fields.field("settings")?,
            },
            "timer_started" => Event::TimerStarted {
                deadline: fields.field("deadline")?,
                duration_ms: fields.field("duration_ms")?,
                topic: fields.field("topic")?,
            },
            "timer_paused" => Event::TimerPaused {
                remaining_ms: fields.field("remaining_ms")?,
            },
            "timer_resumed" => Event::TimerResumed {
                deadline: fields.field("deadline")?,
            },
            "timer_adjusted" => Event::TimerAdjusted {
                delta_ms: fields.field("delta_ms")?,
                deadline: fields.field("deadline")?,
                remaining_ms: fields.field("remaining_ms")?,
            },
            "timer_extended" => Event::TimerExtended {
                extension: fields.field("extension")?,
                by_ms: fields.field("by_ms")?,
                deadline: fields.field("deadline")?,
            },
            "timer_expired" => Event::TimerExpired {
                at: fields.field("at")?,
                topic: fields.field("topic")?,
                vote: fields.field("vote")?,
            },
            "timer_reset" => Event::TimerReset,
            "timer_configured" => Event::TimerConfigured {
                settings: fields.field("settings")?,
            },
            _ => return Err(DecodeError::unknown_variant(tag)),
        })
    }
}

/// Decodes a rejection from its JSON text, as `Rejection::deserialize`
/// would (its tag is `code`).
///
/// # Errors
///
/// When the text is not a JSON object, has an unknown `code`, or a field
/// does not fit its type.
pub fn rejection(text: &str) -> Result<Rejection, DecodeError> {
    json::from_str(text)
}

impl FromJson for Rejection {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        let fields = value.fields()?;
        let tag = fields.tag("code")?;
        Ok(match tag {
            "malformed_message" => Rejection::MalformedMessage {
                detail: fields.field("detail")?,
            },
            "unknown_message_type" => Rejection::UnknownMessageType {
                found: fields.field("found")?,
            },
            "message_too_large" => Rejection::MessageTooLarge {
                max_bytes: fields.field("max_bytes")?,
            },
            "invalid_field" => {
                let field = fields.field("field")?;
                Rejection::InvalidField {
                    field,
                    problem: TextProblem::from_json(value)?,
                }
            }
            "invalid_request_id" => Rejection::InvalidRequestId,
            "rate_limited" => Rejection::RateLimited {
                retry_after_ms: fields.field("retry_after_ms")?,
            },
            "unsupported_protocol_version" => Rejection::UnsupportedProtocolVersion {
                supported: fields.field("supported")?,
            },
            "hello_expected" => Rejection::HelloExpected,
            "handshake_timeout" => Rejection::HandshakeTimeout,
            "unknown_join_code" => Rejection::UnknownJoinCode,
            "too_many_attempts" => Rejection::TooManyAttempts {
                retry_after_ms: fields.field("retry_after_ms")?,
            },
            "bad_credential" => Rejection::BadCredential,
            "origin_not_allowed" => Rejection::OriginNotAllowed,
            "storage_failed" => Rejection::StorageFailed,
            "server_full" => Rejection::ServerFull,
            "meetup_ended" => Rejection::MeetupEnded,
            "unknown_review_item" => Rejection::UnknownReviewItem,
            "locked" => Rejection::Locked,
            "room_full" => Rejection::RoomFull {
                seat_cap: fields.field("seat_cap")?,
            },
            "name_taken" => Rejection::NameTaken,
            "removed" => Rejection::Removed,
            "not_in_meetup" => Rejection::NotInMeetup,
            "facilitators_only" => Rejection::FacilitatorsOnly,
            "facilitator_only" => Rejection::FacilitatorOnly,
            "server_only" => Rejection::ServerOnly,
            "unknown_participant" => Rejection::UnknownParticipant,
            "hand_over_first" => Rejection::HandOverFirst,
            "not_on_yourself" => Rejection::NotOnYourself,
            "already_in_role" => Rejection::AlreadyInRole,
            "seat_cap_out_of_range" => Rejection::SeatCapOutOfRange {
                min: fields.field("min")?,
                max: fields.field("max")?,
            },
            "hand_already_raised" => Rejection::HandAlreadyRaised,
            "unknown_entry" => Rejection::UnknownEntry,
            "not_your_entry" => Rejection::NotYourEntry,
            "not_your_turn" => Rejection::NotYourTurn,
            "stale_turn" => Rejection::StaleTurn,
            "round_in_progress" => Rejection::RoundInProgress,
            "no_round" => Rejection::NoRound,
            "duration_out_of_range" => Rejection::DurationOutOfRange {
                min_secs: fields.field("min_secs")?,
                max_secs: fields.field("max_secs")?,
            },
            "poll_options_out_of_range" => Rejection::PollOptionsOutOfRange {
                min: fields.field("min")?,
                max: fields.field("max")?,
            },
            "poll_time_limit_out_of_range" => Rejection::PollTimeLimitOutOfRange {
                min_secs: fields.field("min_secs")?,
                max_secs: fields.field("max_secs")?,
            },
            "poll_already_open" => Rejection::PollAlreadyOpen {
                poll: fields.field("poll")?,
            },
            "unknown_poll" => Rejection::UnknownPoll,
            "poll_not_open" => Rejection::PollNotOpen {
                poll: fields.field("poll")?,
            },
            "no_such_choice" => Rejection::NoSuchChoice {
                options: fields.field("options")?,
            },
            "reason_required" => Rejection::ReasonRequired,
            "too_many_polls" => Rejection::TooManyPolls {
                max: fields.field("max")?,
            },
            "unknown_topic" => Rejection::UnknownTopic,
            "not_your_topic" => Rejection::NotYourTopic,
            "topic_in_wrong_column" => Rejection::TopicInWrongColumn,
            "same_topic" => Rejection::SameTopic,
            "too_many_topics" => Rejection::TooManyTopics {
                max: fields.field("max")?,
            },
            "voting_closed" => Rejection::VotingClosed,
            "no_dots_left" => Rejection::NoDotsLeft {
                budget: fields.field("budget")?,
            },
            "no_stacking" => Rejection::NoStacking,
            "no_dot_here" => Rejection::NoDotHere,
            "votes_hidden" => Rejection::VotesHidden,
            "voting_underway" => Rejection::VotingUnderway,
            "dot_budget_out_of_range" => Rejection::DotBudgetOutOfRange {
                min: fields.field("min")?,
                max: fields.field("max")?,
            },
            "unknown_note" => Rejection::UnknownNote,
            "unknown_action_item" => Rejection::UnknownActionItem,
            "not_your_outcome" => Rejection::NotYourOutcome,
            "too_many_notes" => Rejection::TooManyNotes {
                max: fields.field("max")?,
            },
            "too_many_action_items" => Rejection::TooManyActionItems {
                max: fields.field("max")?,
            },
            "invalid_due_date" => Rejection::InvalidDueDate,
            "timer_out_of_range" => Rejection::TimerOutOfRange {
                min_secs: fields.field("min_secs")?,
                max_secs: fields.field("max_secs")?,
            },
            "adjustment_out_of_range" => Rejection::AdjustmentOutOfRange {
                max_secs: fields.field("max_secs")?,
            },
            "extensions_out_of_range" => Rejection::ExtensionsOutOfRange {
                max: fields.field("max")?,
            },
            "timer_not_running" => Rejection::TimerNotRunning,
            "timer_not_paused" => Rejection::TimerNotPaused,
            _ => return Err(DecodeError::unknown_variant(tag)),
        })
    }
}
