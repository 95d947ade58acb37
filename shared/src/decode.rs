//! Decoding server messages with little code, for the browser.
//!
//! serde's derive for an internally tagged enum (`#[serde(tag = "type")]`)
//! first buffers the object into its private `Content` tree and then runs a
//! full visitor (map and sequence forms, duplicate and missing field checks)
//! for every variant. For [`Event`] alone that was 113 KB of the browser's
//! wasm. Here the message is parsed once into a [`serde_json::Value`], the
//! tag is read, and each variant's fields are taken out by name through one
//! generic helper per field type, so a variant costs a few calls.
//!
//! The wire format is the derives' (the server uses them, and the golden
//! tests pin them); `tests/decode.rs` checks that this decoder gives the same
//! value for every server example in `docs/PROTOCOL.md`. A new event or
//! server message needs an arm here as well as its variant.

use serde::de::{DeserializeOwned, Error as _};
use std::collections::BTreeMap;

use serde_json::Error;
use serde_json::value::RawValue;

use crate::protocol::ServerMessage;
use crate::{Event, Rejection};

/// Parses one server message, as `serde_json::from_str::<ServerMessage>`
/// would.
///
/// # Errors
///
/// When the text is not JSON, not an object, has an unknown `type`, or a
/// field does not fit its type.
pub fn server_message(text: &str) -> Result<ServerMessage, Error> {
    let mut fields = Fields::new(text)?;
    let tag = fields.tag("type")?;
    Ok(match tag {
        "welcome" => ServerMessage::Welcome {
            protocol: fields.take("protocol")?,
            participant: fields.take("participant")?,
            token: fields.take("token")?,
            server_time: fields.take("server_time")?,
            seq: fields.take("seq")?,
            snapshot: fields.take("snapshot")?,
        },
        "event" => ServerMessage::Event {
            seq: fields.take("seq")?,
            at: fields.take("at")?,
            event: event(fields.text("event")?)?,
        },
        "ack" => ServerMessage::Ack {
            request_id: fields.take("request_id")?,
            seq: fields.take("seq")?,
        },
        "rejected" => ServerMessage::Rejected {
            request_id: fields.take("request_id")?,
            reason: rejection(fields.text("reason")?)?,
            message: fields.take("message")?,
        },
        "refused" => ServerMessage::Refused {
            reason: rejection(fields.text("reason")?)?,
            message: fields.take("message")?,
        },
        "ping" => ServerMessage::Ping {
            server_time: fields.take("server_time")?,
        },
        "time_sync" => ServerMessage::TimeSync {
            client_time: fields.take("client_time")?,
            server_time: fields.take("server_time")?,
        },
        _ => return Err(Error::unknown_variant(tag, &[])),
    })
}

/// Decodes one event from its JSON text, as `Event::deserialize` would.
///
/// # Errors
///
/// When the value is not an object, has an unknown `type`, or a field does
/// not fit its type.
pub fn event(text: &str) -> Result<Event, Error> {
    let mut fields = Fields::new(text)?;
    let tag = fields.tag("type")?;
    Ok(match tag {
        "meetup_ended" => Event::MeetupEnded {
            ended_at: fields.take("ended_at")?,
        },
        "action_reviewed" => Event::ActionReviewed {
            item: fields.take("item")?,
            outcome: fields.take("outcome")?,
        },
        "meetup_opened" => Event::MeetupOpened {
            code: fields.take("code")?,
            title: fields.take("title")?,
            facilitator: fields.take("facilitator")?,
            facilitator_name: fields.take("facilitator_name")?,
            seat_cap: fields.take("seat_cap")?,
            credential: fields.take("credential")?,
            follows: fields.take("follows")?,
        },
        "participant_joined" => Event::ParticipantJoined {
            participant: fields.take("participant")?,
            name: fields.take("name")?,
            credential: fields.take("credential")?,
        },
        "participant_rejoined" => Event::ParticipantRejoined {
            participant: fields.take("participant")?,
        },
        "participant_left" => Event::ParticipantLeft {
            participant: fields.take("participant")?,
        },
        "presence_changed" => Event::PresenceChanged {
            participant: fields.take("participant")?,
            presence: fields.take("presence")?,
        },
        "participant_renamed" => Event::ParticipantRenamed {
            participant: fields.take("participant")?,
            name: fields.take("name")?,
        },
        "lock_changed" => Event::LockChanged {
            locked: fields.take("locked")?,
        },
        "seat_cap_changed" => Event::SeatCapChanged {
            seat_cap: fields.take("seat_cap")?,
        },
        "participant_removed" => Event::ParticipantRemoved {
            participant: fields.take("participant")?,
        },
        "facilitator_handed_over" => Event::FacilitatorHandedOver {
            from: fields.take("from")?,
            to: fields.take("to")?,
        },
        "co_facilitator_added" => Event::CoFacilitatorAdded {
            participant: fields.take("participant")?,
        },
        "co_facilitator_removed" => Event::CoFacilitatorRemoved {
            participant: fields.take("participant")?,
        },
        "hand_raised" => Event::HandRaised {
            entry: fields.take("entry")?,
            participant: fields.take("participant")?,
            kind: fields.take("kind")?,
            note: fields.take("note")?,
        },
        "entry_edited" => Event::EntryEdited {
            entry: fields.take("entry")?,
            kind: fields.take("kind")?,
            note: fields.take("note")?,
        },
        "entry_withdrawn" => Event::EntryWithdrawn {
            entry: fields.take("entry")?,
        },
        "queue_reordered" => Event::QueueReordered {
            kind: fields.take("kind")?,
            order: fields.take("order")?,
        },
        "floor_given" => Event::FloorGiven {
            turn: fields.take("turn")?,
            participant: fields.take("participant")?,
            entry: fields.take("entry")?,
            started_at: fields.take("started_at")?,
        },
        "turn_ended" => Event::TurnEnded {
            turn: fields.take("turn")?,
            participant: fields.take("participant")?,
            millis: fields.take("millis")?,
            passed: fields.take("passed")?,
        },
        "round_started" => Event::RoundStarted {
            kind: fields.take("kind")?,
            prompt: fields.take("prompt")?,
            order: fields.take("order")?,
        },
        "round_ended" => Event::RoundEnded,
        "queue_configured" => Event::QueueConfigured {
            settings: fields.take("settings")?,
        },
        "poll_opened" => {
            let poll = fields.take("poll")?;
            let closes_at = fields.take("closes_at")?;
            let round_of = fields.take("round_of")?;
            Event::PollOpened {
                poll,
                closes_at,
                round_of,
                setup: fields.rest()?,
            }
        }
        "vote_cast" => Event::VoteCast {
            poll: fields.take("poll")?,
            secrecy: fields.take("secrecy")?,
            ballot: fields.take("ballot")?,
        },
        "poll_revealed" => Event::PollRevealed {
            poll: fields.take("poll")?,
            results: fields.take("results")?,
            ballots: fields.take_or_default("ballots")?,
        },
        "poll_closed" => Event::PollClosed {
            poll: fields.take("poll")?,
        },
        "topic_proposed" => Event::TopicProposed {
            topic: fields.take("topic")?,
            author: fields.take("author")?,
            title: fields.take("title")?,
            details: fields.take("details")?,
        },
        "topic_edited" => Event::TopicEdited {
            topic: fields.take("topic")?,
            title: fields.take("title")?,
            details: fields.take("details")?,
        },
        "topic_withdrawn" => Event::TopicWithdrawn {
            topic: fields.take("topic")?,
        },
        "dots_changed" => Event::DotsChanged {
            participant: fields.take("participant")?,
            hidden: fields.take("hidden")?,
            topic: fields.take("topic")?,
            count: fields.take("count")?,
        },
        "votes_revealed" => Event::VotesRevealed {
            dots: fields.take("dots")?,
        },
        "voting_closed" => Event::VotingClosed,
        "voting_reopened" => Event::VotingReopened,
        "topics_merged" => Event::TopicsMerged {
            from: fields.take("from")?,
            into: fields.take("into")?,
        },
        "topics_sorted" => Event::TopicsSorted {
            order: fields.take("order")?,
        },
        "topic_started" => Event::TopicStarted {
            topic: fields.take("topic")?,
            started_at: fields.take("started_at")?,
        },
        "topic_finished" => Event::TopicFinished {
            topic: fields.take("topic")?,
            millis: fields.take("millis")?,
        },
        "topic_parked" => Event::TopicParked {
            topic: fields.take("topic")?,
            millis: fields.take("millis")?,
        },
        "topic_unparked" => Event::TopicUnparked {
            topic: fields.take("topic")?,
        },
        "note_added" => Event::NoteAdded {
            note: fields.take("note")?,
            topic: fields.take("topic")?,
            kind: fields.take("kind")?,
            author: fields.take("author")?,
            text: fields.take("text")?,
        },
        "note_edited" => Event::NoteEdited {
            note: fields.take("note")?,
            kind: fields.take("kind")?,
            text: fields.take("text")?,
        },
        "note_removed" => Event::NoteRemoved {
            note: fields.take("note")?,
        },
        "action_item_added" => Event::ActionItemAdded {
            item: fields.take("item")?,
            topic: fields.take("topic")?,
            text: fields.take("text")?,
            owner: fields.take("owner")?,
            due: fields.take("due")?,
            author: fields.take("author")?,
        },
        "action_item_edited" => Event::ActionItemEdited {
            item: fields.take("item")?,
            text: fields.take("text")?,
            owner: fields.take("owner")?,
            due: fields.take("due")?,
        },
        "action_item_removed" => Event::ActionItemRemoved {
            item: fields.take("item")?,
        },
        "board_configured" => Event::BoardConfigured {
            settings: fields.take("settings")?,
        },
        "timer_started" => Event::TimerStarted {
            deadline: fields.take("deadline")?,
            duration_ms: fields.take("duration_ms")?,
            topic: fields.take("topic")?,
        },
        "timer_paused" => Event::TimerPaused {
            remaining_ms: fields.take("remaining_ms")?,
        },
        "timer_resumed" => Event::TimerResumed {
            deadline: fields.take("deadline")?,
        },
        "timer_adjusted" => Event::TimerAdjusted {
            delta_ms: fields.take("delta_ms")?,
            deadline: fields.take("deadline")?,
            remaining_ms: fields.take("remaining_ms")?,
        },
        "timer_extended" => Event::TimerExtended {
            extension: fields.take("extension")?,
            by_ms: fields.take("by_ms")?,
            deadline: fields.take("deadline")?,
        },
        "timer_expired" => Event::TimerExpired {
            at: fields.take("at")?,
            topic: fields.take("topic")?,
            vote: fields.take("vote")?,
        },
        "timer_reset" => Event::TimerReset,
        "timer_configured" => Event::TimerConfigured {
            settings: fields.take("settings")?,
        },
        _ => return Err(Error::unknown_variant(tag, &[])),
    })
}

/// Decodes a rejection from its JSON text, as `Rejection::deserialize`
/// would (its tag is `code`).
///
/// # Errors
///
/// When the text is not a JSON object, has an unknown `code`, or a field
/// does not fit its type.
pub fn rejection(text: &str) -> Result<Rejection, Error> {
    let mut fields = Fields::new(text)?;
    let tag = fields.tag("code")?;
    Ok(match tag {
        "malformed_message" => Rejection::MalformedMessage {
            detail: fields.take("detail")?,
        },
        "unknown_message_type" => Rejection::UnknownMessageType {
            found: fields.take("found")?,
        },
        "message_too_large" => Rejection::MessageTooLarge {
            max_bytes: fields.take("max_bytes")?,
        },
        "invalid_field" => {
            let field = fields.take("field")?;
            Rejection::InvalidField {
                field,
                problem: fields.rest()?,
            }
        }
        "invalid_request_id" => Rejection::InvalidRequestId,
        "rate_limited" => Rejection::RateLimited {
            retry_after_ms: fields.take("retry_after_ms")?,
        },
        "unsupported_protocol_version" => Rejection::UnsupportedProtocolVersion {
            supported: fields.take("supported")?,
        },
        "hello_expected" => Rejection::HelloExpected,
        "handshake_timeout" => Rejection::HandshakeTimeout,
        "unknown_join_code" => Rejection::UnknownJoinCode,
        "too_many_attempts" => Rejection::TooManyAttempts {
            retry_after_ms: fields.take("retry_after_ms")?,
        },
        "bad_credential" => Rejection::BadCredential,
        "origin_not_allowed" => Rejection::OriginNotAllowed,
        "storage_failed" => Rejection::StorageFailed,
        "server_full" => Rejection::ServerFull,
        "meetup_ended" => Rejection::MeetupEnded,
        "unknown_review_item" => Rejection::UnknownReviewItem,
        "locked" => Rejection::Locked,
        "room_full" => Rejection::RoomFull {
            seat_cap: fields.take("seat_cap")?,
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
            min: fields.take("min")?,
            max: fields.take("max")?,
        },
        "hand_already_raised" => Rejection::HandAlreadyRaised,
        "unknown_entry" => Rejection::UnknownEntry,
        "not_your_entry" => Rejection::NotYourEntry,
        "not_your_turn" => Rejection::NotYourTurn,
        "stale_turn" => Rejection::StaleTurn,
        "round_in_progress" => Rejection::RoundInProgress,
        "no_round" => Rejection::NoRound,
        "duration_out_of_range" => Rejection::DurationOutOfRange {
            min_secs: fields.take("min_secs")?,
            max_secs: fields.take("max_secs")?,
        },
        "poll_options_out_of_range" => Rejection::PollOptionsOutOfRange {
            min: fields.take("min")?,
            max: fields.take("max")?,
        },
        "poll_time_limit_out_of_range" => Rejection::PollTimeLimitOutOfRange {
            min_secs: fields.take("min_secs")?,
            max_secs: fields.take("max_secs")?,
        },
        "poll_already_open" => Rejection::PollAlreadyOpen {
            poll: fields.take("poll")?,
        },
        "unknown_poll" => Rejection::UnknownPoll,
        "poll_not_open" => Rejection::PollNotOpen {
            poll: fields.take("poll")?,
        },
        "no_such_choice" => Rejection::NoSuchChoice {
            options: fields.take("options")?,
        },
        "reason_required" => Rejection::ReasonRequired,
        "too_many_polls" => Rejection::TooManyPolls {
            max: fields.take("max")?,
        },
        "unknown_topic" => Rejection::UnknownTopic,
        "not_your_topic" => Rejection::NotYourTopic,
        "topic_in_wrong_column" => Rejection::TopicInWrongColumn,
        "same_topic" => Rejection::SameTopic,
        "too_many_topics" => Rejection::TooManyTopics {
            max: fields.take("max")?,
        },
        "voting_closed" => Rejection::VotingClosed,
        "no_dots_left" => Rejection::NoDotsLeft {
            budget: fields.take("budget")?,
        },
        "no_stacking" => Rejection::NoStacking,
        "no_dot_here" => Rejection::NoDotHere,
        "votes_hidden" => Rejection::VotesHidden,
        "voting_underway" => Rejection::VotingUnderway,
        "dot_budget_out_of_range" => Rejection::DotBudgetOutOfRange {
            min: fields.take("min")?,
            max: fields.take("max")?,
        },
        "unknown_note" => Rejection::UnknownNote,
        "unknown_action_item" => Rejection::UnknownActionItem,
        "not_your_outcome" => Rejection::NotYourOutcome,
        "too_many_notes" => Rejection::TooManyNotes {
            max: fields.take("max")?,
        },
        "too_many_action_items" => Rejection::TooManyActionItems {
            max: fields.take("max")?,
        },
        "invalid_due_date" => Rejection::InvalidDueDate,
        "timer_out_of_range" => Rejection::TimerOutOfRange {
            min_secs: fields.take("min_secs")?,
            max_secs: fields.take("max_secs")?,
        },
        "adjustment_out_of_range" => Rejection::AdjustmentOutOfRange {
            max_secs: fields.take("max_secs")?,
        },
        "extensions_out_of_range" => Rejection::ExtensionsOutOfRange {
            max: fields.take("max")?,
        },
        "timer_not_running" => Rejection::TimerNotRunning,
        "timer_not_paused" => Rejection::TimerNotPaused,
        _ => return Err(Error::unknown_variant(tag, &[])),
    })
}

/// The fields of one JSON object, each still as its JSON text, taken out one
/// by one.
struct Fields<'a>(BTreeMap<&'a str, &'a RawValue>);

impl<'a> Fields<'a> {
    fn new(text: &'a str) -> Result<Fields<'a>, Error> {
        serde_json::from_str(text).map(Fields)
    }

    /// The tag (`type`, or `code` for rejections), removed so a flattened
    /// rest does not see it.
    fn tag(&mut self, name: &'static str) -> Result<&'a str, Error> {
        let raw = self
            .0
            .remove(name)
            .ok_or_else(|| Error::missing_field(name))?;
        serde_json::from_str(raw.get())
    }

    /// A field; a missing one reads as `null`, which is what an `Option`
    /// field wants and what any other type refuses.
    fn take<T: DeserializeOwned>(&mut self, key: &str) -> Result<T, Error> {
        serde_json::from_str(self.0.remove(key).map_or("null", RawValue::get))
    }

    /// A `#[serde(default)]` field.
    fn take_or_default<T: DeserializeOwned + Default>(&mut self, key: &str) -> Result<T, Error> {
        self.0
            .remove(key)
            .map_or_else(|| Ok(T::default()), |raw| serde_json::from_str(raw.get()))
    }

    /// The raw JSON text of a field, for a nested tagged object.
    fn text(&mut self, key: &'static str) -> Result<&'a str, Error> {
        self.0
            .remove(key)
            .map(RawValue::get)
            .ok_or_else(|| Error::missing_field(key))
    }

    /// The fields not taken yet, for a `#[serde(flatten)]` field.
    fn rest<T: DeserializeOwned>(self) -> Result<T, Error> {
        serde_json::from_str(&serde_json::to_string(&self.0)?)
    }
}
