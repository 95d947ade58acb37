//! Golden tests: the examples in `docs/PROTOCOL.md` are the protocol.
//!
//! Every ```` ```json client ```` block must parse as a [`ClientMessage`] and
//! every ```` ```json server ```` block as a [`ServerMessage`]; serialising the
//! parsed value again must give back the example exactly (pretty-printed, with
//! the same field order). Every variant of every protocol enum must appear at
//! least once, checked through exhaustive matches, so adding a variant without
//! documenting it fails to compile here or fails a test. A few tests below
//! build messages in Rust and pin their exact compact JSON, so the format is
//! pinned in code as well as in the document.

use std::collections::BTreeSet;

use moot_shared::protocol::{
    ClientCommand, ClientMessage, HelloAuth, PROTOCOL_VERSION, ReportedPresence, ServerMessage,
    parse_request_id,
};
use moot_shared::room::{Membership, Participant, Presence, Role};
use moot_shared::{
    Credential, DisplayName, Event, JoinCode, MeetupTitle, ParticipantId, Rejection, Room, Seq,
    TextProblem, Timestamp,
};
use serde::Deserialize;
use uuid::Uuid;

/// The kind of a fenced JSON example, from its info string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Client,
    Server,
    Http,
}

/// One ```` ```json … ```` block of the protocol document.
struct Example {
    kind: Kind,
    /// 1-based line of the opening fence, for failure messages.
    line: usize,
    text: String,
}

fn protocol_doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/PROTOCOL.md");
    std::fs::read_to_string(path).expect("docs/PROTOCOL.md is readable")
}

/// Extracts every JSON block. A `json` fence without `client`, `server` or
/// `http` is an error: each example must say what it is, so it gets checked.
fn examples() -> Vec<Example> {
    let doc = protocol_doc();
    let mut examples = Vec::new();
    let mut open: Option<(Kind, usize, Vec<&str>)> = None;
    for (index, line) in doc.lines().enumerate() {
        let line_number = index + 1;
        if let Some((kind, start, body)) = open.as_mut() {
            if line.trim_end() == "```" {
                examples.push(Example {
                    kind: *kind,
                    line: *start,
                    text: body.join("\n"),
                });
                open = None;
            } else {
                body.push(line);
            }
            continue;
        }
        let Some(info) = line.trim_end().strip_prefix("```") else {
            continue;
        };
        let mut words = info.split_whitespace();
        if words.next() != Some("json") {
            continue;
        }
        let kind = match words.next() {
            Some("client") => Kind::Client,
            Some("server") => Kind::Server,
            Some("http") => Kind::Http,
            other => panic!(
                "PROTOCOL.md line {line_number}: a json block must be marked \
                 `json client`, `json server` or `json http`, found {other:?}"
            ),
        };
        open = Some((kind, line_number, Vec::new()));
    }
    assert!(open.is_none(), "PROTOCOL.md ends inside a code block");
    examples
}

/// Asserts that `value` serialises back to exactly the example's text.
fn assert_round_trips<T: serde::Serialize>(example: &Example, value: &T) {
    let again = serde_json::to_string_pretty(value).expect("protocol types serialise");
    let written: serde_json::Value = serde_json::from_str(&example.text).expect("checked before");
    let again_value: serde_json::Value = serde_json::from_str(&again).expect("just serialised");
    assert_eq!(
        again_value, written,
        "PROTOCOL.md line {}: the example does not survive a round trip; the types give:\n{again}",
        example.line
    );
    assert_eq!(
        again, example.text,
        "PROTOCOL.md line {}: same JSON, but field order or layout differs; write it as:\n{again}",
        example.line
    );
}

/// Variant names seen among the examples, per enum.
#[derive(Default)]
struct Seen {
    client_messages: BTreeSet<&'static str>,
    client_commands: BTreeSet<&'static str>,
    hello_auths: BTreeSet<&'static str>,
    server_messages: BTreeSet<&'static str>,
    events: BTreeSet<&'static str>,
    rejections: BTreeSet<&'static str>,
}

// The name functions below are exhaustive matches without wildcards: a new
// variant does not compile until it is named here, and once named, the
// coverage test fails until PROTOCOL.md has an example of it.

fn client_message_name(message: &ClientMessage) -> &'static str {
    match message {
        ClientMessage::Hello { .. } => "hello",
        ClientMessage::Command { .. } => "command",
        ClientMessage::Pong => "pong",
        ClientMessage::TimeSync { .. } => "time_sync",
    }
}
const CLIENT_MESSAGES: &[&str] = &["hello", "command", "pong", "time_sync"];

fn client_command_name(command: &ClientCommand) -> &'static str {
    match command {
        ClientCommand::Leave => "leave",
        ClientCommand::EndMeetup => "end_meetup",
        ClientCommand::ReviewAction { .. } => "review_action",
        ClientCommand::SetPresence { .. } => "set_presence",
        ClientCommand::Rename { .. } => "rename",
        ClientCommand::Lock => "lock",
        ClientCommand::Unlock => "unlock",
        ClientCommand::SetSeatCap { .. } => "set_seat_cap",
        ClientCommand::Remove { .. } => "remove",
        ClientCommand::HandOver { .. } => "hand_over",
        ClientCommand::AddCoFacilitator { .. } => "add_co_facilitator",
        ClientCommand::RemoveCoFacilitator { .. } => "remove_co_facilitator",
        ClientCommand::RaiseHand { .. } => "raise_hand",
        ClientCommand::EditEntry { .. } => "edit_entry",
        ClientCommand::WithdrawEntry { .. } => "withdraw_entry",
        ClientCommand::MoveEntry { .. } => "move_entry",
        ClientCommand::NextSpeaker { .. } => "next_speaker",
        ClientCommand::FinishTurn { .. } => "finish_turn",
        ClientCommand::PassTurn { .. } => "pass_turn",
        ClientCommand::GiveFloor { .. } => "give_floor",
        ClientCommand::StartRound { .. } => "start_round",
        ClientCommand::EndRound => "end_round",
        ClientCommand::ConfigureQueue { .. } => "configure_queue",
        ClientCommand::OpenPoll { .. } => "open_poll",
        ClientCommand::CastVote { .. } => "cast_vote",
        ClientCommand::RevealPoll { .. } => "reveal_poll",
        ClientCommand::ClosePoll { .. } => "close_poll",
        ClientCommand::ReopenPoll { .. } => "reopen_poll",
        ClientCommand::ProposeTopic { .. } => "propose_topic",
        ClientCommand::EditTopic { .. } => "edit_topic",
        ClientCommand::WithdrawTopic { .. } => "withdraw_topic",
        ClientCommand::PlaceDot { .. } => "place_dot",
        ClientCommand::TakeBackDot { .. } => "take_back_dot",
        ClientCommand::RevealVotes => "reveal_votes",
        ClientCommand::CloseVoting => "close_voting",
        ClientCommand::ReopenVoting => "reopen_voting",
        ClientCommand::MergeTopics { .. } => "merge_topics",
        ClientCommand::SortTopics => "sort_topics",
        ClientCommand::StartTopic { .. } => "start_topic",
        ClientCommand::FinishTopic { .. } => "finish_topic",
        ClientCommand::ParkTopic { .. } => "park_topic",
        ClientCommand::UnparkTopic { .. } => "unpark_topic",
        ClientCommand::AddNote { .. } => "add_note",
        ClientCommand::EditNote { .. } => "edit_note",
        ClientCommand::RemoveNote { .. } => "remove_note",
        ClientCommand::AddActionItem { .. } => "add_action_item",
        ClientCommand::EditActionItem { .. } => "edit_action_item",
        ClientCommand::RemoveActionItem { .. } => "remove_action_item",
        ClientCommand::ConfigureBoard { .. } => "configure_board",
        ClientCommand::StartTimer { .. } => "start_timer",
        ClientCommand::PauseTimer => "pause_timer",
        ClientCommand::ResumeTimer => "resume_timer",
        ClientCommand::AdjustTimer { .. } => "adjust_timer",
        ClientCommand::ResetTimer => "reset_timer",
        ClientCommand::ConfigureTimer { .. } => "configure_timer",
    }
}
const CLIENT_COMMANDS: &[&str] = &[
    "leave",
    "set_presence",
    "rename",
    "lock",
    "unlock",
    "set_seat_cap",
    "remove",
    "hand_over",
    "add_co_facilitator",
    "remove_co_facilitator",
    "raise_hand",
    "edit_entry",
    "withdraw_entry",
    "move_entry",
    "next_speaker",
    "finish_turn",
    "pass_turn",
    "give_floor",
    "start_round",
    "end_round",
    "configure_queue",
    "open_poll",
    "cast_vote",
    "reveal_poll",
    "close_poll",
    "reopen_poll",
    "propose_topic",
    "edit_topic",
    "withdraw_topic",
    "place_dot",
    "take_back_dot",
    "reveal_votes",
    "close_voting",
    "reopen_voting",
    "merge_topics",
    "sort_topics",
    "start_topic",
    "finish_topic",
    "park_topic",
    "unpark_topic",
    "add_note",
    "edit_note",
    "remove_note",
    "add_action_item",
    "edit_action_item",
    "remove_action_item",
    "configure_board",
    "start_timer",
    "pause_timer",
    "resume_timer",
    "adjust_timer",
    "reset_timer",
    "configure_timer",
];

fn hello_auth_name(auth: &HelloAuth) -> &'static str {
    match auth {
        HelloAuth::Join { .. } => "join",
        HelloAuth::Rejoin { .. } => "rejoin",
        HelloAuth::Screen { .. } => "screen",
    }
}
const HELLO_AUTHS: &[&str] = &["join", "rejoin", "screen"];

fn server_message_name(message: &ServerMessage) -> &'static str {
    match message {
        ServerMessage::Welcome { .. } => "welcome",
        ServerMessage::Event { .. } => "event",
        ServerMessage::Ack { .. } => "ack",
        ServerMessage::Rejected { .. } => "rejected",
        ServerMessage::Refused { .. } => "refused",
        ServerMessage::Ping { .. } => "ping",
        ServerMessage::TimeSync { .. } => "time_sync",
    }
}
const SERVER_MESSAGES: &[&str] = &[
    "welcome",
    "event",
    "ack",
    "rejected",
    "refused",
    "ping",
    "time_sync",
];

fn event_name(event: &Event) -> &'static str {
    match event {
        Event::MeetupOpened { .. } => "meetup_opened",
        Event::MeetupEnded { .. } => "meetup_ended",
        Event::ActionReviewed { .. } => "action_reviewed",
        Event::ParticipantJoined { .. } => "participant_joined",
        Event::ParticipantRejoined { .. } => "participant_rejoined",
        Event::ParticipantLeft { .. } => "participant_left",
        Event::PresenceChanged { .. } => "presence_changed",
        Event::ParticipantRenamed { .. } => "participant_renamed",
        Event::LockChanged { .. } => "lock_changed",
        Event::SeatCapChanged { .. } => "seat_cap_changed",
        Event::ParticipantRemoved { .. } => "participant_removed",
        Event::FacilitatorHandedOver { .. } => "facilitator_handed_over",
        Event::CoFacilitatorAdded { .. } => "co_facilitator_added",
        Event::CoFacilitatorRemoved { .. } => "co_facilitator_removed",
        Event::HandRaised { .. } => "hand_raised",
        Event::EntryEdited { .. } => "entry_edited",
        Event::EntryWithdrawn { .. } => "entry_withdrawn",
        Event::QueueReordered { .. } => "queue_reordered",
        Event::FloorGiven { .. } => "floor_given",
        Event::TurnEnded { .. } => "turn_ended",
        Event::RoundStarted { .. } => "round_started",
        Event::RoundEnded => "round_ended",
        Event::QueueConfigured { .. } => "queue_configured",
        Event::PollOpened { .. } => "poll_opened",
        Event::VoteCast { .. } => "vote_cast",
        Event::PollRevealed { .. } => "poll_revealed",
        Event::PollClosed { .. } => "poll_closed",
        Event::TopicProposed { .. } => "topic_proposed",
        Event::TopicEdited { .. } => "topic_edited",
        Event::TopicWithdrawn { .. } => "topic_withdrawn",
        Event::DotsChanged { .. } => "dots_changed",
        Event::VotesRevealed { .. } => "votes_revealed",
        Event::VotingClosed => "voting_closed",
        Event::VotingReopened => "voting_reopened",
        Event::TopicsMerged { .. } => "topics_merged",
        Event::TopicsSorted { .. } => "topics_sorted",
        Event::TopicStarted { .. } => "topic_started",
        Event::TopicFinished { .. } => "topic_finished",
        Event::TopicParked { .. } => "topic_parked",
        Event::TopicUnparked { .. } => "topic_unparked",
        Event::NoteAdded { .. } => "note_added",
        Event::NoteEdited { .. } => "note_edited",
        Event::NoteRemoved { .. } => "note_removed",
        Event::ActionItemAdded { .. } => "action_item_added",
        Event::ActionItemEdited { .. } => "action_item_edited",
        Event::ActionItemRemoved { .. } => "action_item_removed",
        Event::BoardConfigured { .. } => "board_configured",
        Event::TimerStarted { .. } => "timer_started",
        Event::TimerPaused { .. } => "timer_paused",
        Event::TimerResumed { .. } => "timer_resumed",
        Event::TimerAdjusted { .. } => "timer_adjusted",
        Event::TimerExtended { .. } => "timer_extended",
        Event::TimerExpired { .. } => "timer_expired",
        Event::TimerReset => "timer_reset",
        Event::TimerConfigured { .. } => "timer_configured",
    }
}
const EVENTS: &[&str] = &[
    "meetup_opened",
    "participant_joined",
    "participant_rejoined",
    "participant_left",
    "presence_changed",
    "participant_renamed",
    "lock_changed",
    "seat_cap_changed",
    "participant_removed",
    "facilitator_handed_over",
    "co_facilitator_added",
    "co_facilitator_removed",
    "hand_raised",
    "entry_edited",
    "entry_withdrawn",
    "queue_reordered",
    "floor_given",
    "turn_ended",
    "round_started",
    "round_ended",
    "queue_configured",
    "poll_opened",
    "vote_cast",
    "poll_revealed",
    "poll_closed",
    "topic_proposed",
    "topic_edited",
    "topic_withdrawn",
    "dots_changed",
    "votes_revealed",
    "voting_closed",
    "voting_reopened",
    "topics_merged",
    "topics_sorted",
    "topic_started",
    "topic_finished",
    "topic_parked",
    "topic_unparked",
    "note_added",
    "note_edited",
    "note_removed",
    "action_item_added",
    "action_item_edited",
    "action_item_removed",
    "board_configured",
    "timer_started",
    "timer_paused",
    "timer_resumed",
    "timer_adjusted",
    "timer_extended",
    "timer_expired",
    "timer_reset",
    "timer_configured",
];

fn rejection_name(rejection: &Rejection) -> &'static str {
    match rejection {
        Rejection::MalformedMessage { .. } => "malformed_message",
        Rejection::UnknownMessageType { .. } => "unknown_message_type",
        Rejection::MessageTooLarge { .. } => "message_too_large",
        Rejection::InvalidField { .. } => "invalid_field",
        Rejection::InvalidRequestId => "invalid_request_id",
        Rejection::RateLimited { .. } => "rate_limited",
        Rejection::UnsupportedProtocolVersion { .. } => "unsupported_protocol_version",
        Rejection::HelloExpected => "hello_expected",
        Rejection::HandshakeTimeout => "handshake_timeout",
        Rejection::UnknownJoinCode => "unknown_join_code",
        Rejection::TooManyAttempts { .. } => "too_many_attempts",
        Rejection::BadCredential => "bad_credential",
        Rejection::OriginNotAllowed => "origin_not_allowed",
        Rejection::ServerFull => "server_full",
        Rejection::StorageFailed => "storage_failed",
        Rejection::MeetupEnded => "meetup_ended",
        Rejection::UnknownReviewItem => "unknown_review_item",
        Rejection::Locked => "locked",
        Rejection::RoomFull { .. } => "room_full",
        Rejection::NameTaken => "name_taken",
        Rejection::Removed => "removed",
        Rejection::NotInMeetup => "not_in_meetup",
        Rejection::FacilitatorsOnly => "facilitators_only",
        Rejection::FacilitatorOnly => "facilitator_only",
        Rejection::ServerOnly => "server_only",
        Rejection::UnknownParticipant => "unknown_participant",
        Rejection::HandOverFirst => "hand_over_first",
        Rejection::NotOnYourself => "not_on_yourself",
        Rejection::AlreadyInRole => "already_in_role",
        Rejection::SeatCapOutOfRange { .. } => "seat_cap_out_of_range",
        Rejection::HandAlreadyRaised => "hand_already_raised",
        Rejection::UnknownEntry => "unknown_entry",
        Rejection::NotYourEntry => "not_your_entry",
        Rejection::NotYourTurn => "not_your_turn",
        Rejection::StaleTurn => "stale_turn",
        Rejection::RoundInProgress => "round_in_progress",
        Rejection::NoRound => "no_round",
        Rejection::DurationOutOfRange { .. } => "duration_out_of_range",
        Rejection::PollOptionsOutOfRange { .. } => "poll_options_out_of_range",
        Rejection::PollTimeLimitOutOfRange { .. } => "poll_time_limit_out_of_range",
        Rejection::PollAlreadyOpen { .. } => "poll_already_open",
        Rejection::UnknownPoll => "unknown_poll",
        Rejection::PollNotOpen { .. } => "poll_not_open",
        Rejection::NoSuchChoice { .. } => "no_such_choice",
        Rejection::ReasonRequired => "reason_required",
        Rejection::TooManyPolls { .. } => "too_many_polls",
        Rejection::UnknownTopic => "unknown_topic",
        Rejection::NotYourTopic => "not_your_topic",
        Rejection::TopicInWrongColumn => "topic_in_wrong_column",
        Rejection::SameTopic => "same_topic",
        Rejection::TooManyTopics { .. } => "too_many_topics",
        Rejection::VotingClosed => "voting_closed",
        Rejection::NoDotsLeft { .. } => "no_dots_left",
        Rejection::NoStacking => "no_stacking",
        Rejection::NoDotHere => "no_dot_here",
        Rejection::VotesHidden => "votes_hidden",
        Rejection::VotingUnderway => "voting_underway",
        Rejection::DotBudgetOutOfRange { .. } => "dot_budget_out_of_range",
        Rejection::UnknownNote => "unknown_note",
        Rejection::UnknownActionItem => "unknown_action_item",
        Rejection::NotYourOutcome => "not_your_outcome",
        Rejection::TooManyNotes { .. } => "too_many_notes",
        Rejection::TooManyActionItems { .. } => "too_many_action_items",
        Rejection::InvalidDueDate => "invalid_due_date",
        Rejection::TimerOutOfRange { .. } => "timer_out_of_range",
        Rejection::AdjustmentOutOfRange { .. } => "adjustment_out_of_range",
        Rejection::ExtensionsOutOfRange { .. } => "extensions_out_of_range",
        Rejection::TimerNotRunning => "timer_not_running",
        Rejection::TimerNotPaused => "timer_not_paused",
    }
}
const REJECTIONS: &[&str] = &[
    "malformed_message",
    "unknown_message_type",
    "message_too_large",
    "invalid_field",
    "invalid_request_id",
    "rate_limited",
    "unsupported_protocol_version",
    "hello_expected",
    "handshake_timeout",
    "unknown_join_code",
    "too_many_attempts",
    "bad_credential",
    "origin_not_allowed",
    "server_full",
    "locked",
    "room_full",
    "name_taken",
    "removed",
    "not_in_meetup",
    "facilitators_only",
    "facilitator_only",
    "server_only",
    "unknown_participant",
    "hand_over_first",
    "not_on_yourself",
    "already_in_role",
    "seat_cap_out_of_range",
    "hand_already_raised",
    "unknown_entry",
    "not_your_entry",
    "not_your_turn",
    "stale_turn",
    "round_in_progress",
    "no_round",
    "duration_out_of_range",
    "poll_options_out_of_range",
    "poll_time_limit_out_of_range",
    "poll_already_open",
    "unknown_poll",
    "poll_not_open",
    "no_such_choice",
    "reason_required",
    "too_many_polls",
    "unknown_topic",
    "not_your_topic",
    "topic_in_wrong_column",
    "same_topic",
    "too_many_topics",
    "voting_closed",
    "no_dots_left",
    "no_stacking",
    "no_dot_here",
    "votes_hidden",
    "voting_underway",
    "dot_budget_out_of_range",
    "unknown_note",
    "unknown_action_item",
    "not_your_outcome",
    "too_many_notes",
    "too_many_action_items",
    "invalid_due_date",
    "timer_out_of_range",
    "adjustment_out_of_range",
    "extensions_out_of_range",
    "timer_not_running",
    "timer_not_paused",
];

/// The shape of an HTTP error body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HttpError {
    error: Rejection,
    message: String,
}

/// Checks a client example beyond the round trip: what the server would
/// validate next must pass too, so the examples are valid, not just well-typed.
fn check_client(example: &Example, message: &ClientMessage, seen: &mut Seen) {
    seen.client_messages.insert(client_message_name(message));
    match message {
        ClientMessage::Hello {
            protocol,
            join_code,
            auth,
            ..
        } => {
            assert_eq!(*protocol, PROTOCOL_VERSION, "line {}", example.line);
            assert!(JoinCode::parse(join_code).is_ok(), "line {}", example.line);
            seen.hello_auths.insert(hello_auth_name(auth));
            match auth {
                HelloAuth::Join { name } => {
                    assert!(DisplayName::parse(name).is_ok(), "line {}", example.line);
                }
                HelloAuth::Rejoin { token, .. } | HelloAuth::Screen { token } => {
                    assert!(Credential::parse(token).is_some(), "line {}", example.line);
                }
            }
        }
        ClientMessage::Command {
            request_id,
            command,
        } => {
            assert!(
                parse_request_id(request_id).is_ok(),
                "line {}",
                example.line
            );
            seen.client_commands.insert(client_command_name(command));
            assert!(
                command.clone().into_command().is_ok(),
                "line {}",
                example.line
            );
        }
        ClientMessage::Pong | ClientMessage::TimeSync { .. } => {}
    }
}

/// Checks a server example beyond the round trip: sentences match their
/// reasons, tokens belong to the participant, nothing secret is on the wire.
fn check_server(example: &Example, message: &ServerMessage, seen: &mut Seen) {
    seen.server_messages.insert(server_message_name(message));
    assert!(
        !example.text.contains("\"credential\":"),
        "line {}: credential digests never go to clients",
        example.line
    );
    match message {
        ServerMessage::Welcome {
            protocol,
            participant,
            token,
            snapshot,
            ..
        } => {
            assert_eq!(*protocol, PROTOCOL_VERSION, "line {}", example.line);
            if let Some(token) = token {
                let credential = Credential::parse(token).expect("a welcome token parses");
                assert_eq!(Some(credential.participant), *participant);
            }
            if let Some(room) = snapshot {
                assert_eq!(room.check_invariants(), Ok(()), "line {}", example.line);
                if let Some(me) = participant {
                    assert!(room.participant(*me).is_some(), "line {}", example.line);
                }
            }
        }
        ServerMessage::Event { seq, event, .. } => {
            assert!(seq.0 >= 1, "line {}", example.line);
            seen.events.insert(event_name(event));
        }
        ServerMessage::Rejected {
            request_id,
            reason,
            message,
        } => {
            if let Some(request_id) = request_id {
                assert!(
                    parse_request_id(request_id).is_ok(),
                    "line {}",
                    example.line
                );
            }
            seen.rejections.insert(rejection_name(reason));
            assert_eq!(*message, reason.to_string(), "line {}", example.line);
        }
        ServerMessage::Refused { reason, message } => {
            seen.rejections.insert(rejection_name(reason));
            assert_eq!(*message, reason.to_string(), "line {}", example.line);
        }
        ServerMessage::Ack { request_id, .. } => {
            assert!(
                parse_request_id(request_id).is_ok(),
                "line {}",
                example.line
            );
        }
        ServerMessage::Ping { .. } | ServerMessage::TimeSync { .. } => {}
    }
}

/// `POST /api/meetups` request body, as the doc describes it (the server
/// owns the real type; this one pins the documented shape).
#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct CreateMeetup {
    title: String,
    facilitator_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follows: Option<Follows>,
}

/// `follows` in a `POST /api/meetups` body: the earlier meetup of the series.
#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct Follows {
    join_code: JoinCode,
    token: String,
}

/// `POST /api/meetups` answer, as the doc describes it.
#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct MeetupCreated {
    join_code: JoinCode,
    join_url: String,
    facilitator_url: String,
    screen_url: String,
    participant: ParticipantId,
    token: String,
}

fn check_http(example: &Example, seen: &mut Seen) {
    let value: serde_json::Value = serde_json::from_str(&example.text).expect("checked before");
    let line = example.line;
    if value.get("error").is_some() {
        let body: HttpError = serde_json::from_str(&example.text)
            .unwrap_or_else(|error| panic!("line {line}: {error}"));
        seen.rejections.insert(rejection_name(&body.error));
        assert_eq!(body.message, body.error.to_string(), "line {line}");
        let again = serde_json::json!({ "error": body.error, "message": body.message });
        assert_eq!(again, value, "line {line}");
    } else if value.get("token").is_some() {
        let body: MeetupCreated = serde_json::from_str(&example.text)
            .unwrap_or_else(|error| panic!("line {line}: {error}"));
        assert_round_trips(example, &body);
        let credential = Credential::parse(&body.token).expect("the token parses");
        assert_eq!(credential.participant, body.participant, "line {line}");
        let code = body.join_code.as_str();
        assert!(
            body.join_url.ends_with(&format!("/j/{code}")),
            "line {line}"
        );
        let secret = format!("#k={}", body.token);
        // `?facilitate` makes the page load the full app (see web/src/lib.rs).
        let facilitator = format!("/m/{code}?facilitate{secret}");
        assert!(body.facilitator_url.ends_with(&facilitator), "line {line}");
        let screen = format!("/m/{code}/screen{secret}");
        assert!(body.screen_url.ends_with(&screen), "line {line}");
    } else {
        let body: CreateMeetup = serde_json::from_str(&example.text)
            .unwrap_or_else(|error| panic!("line {line}: {error}"));
        assert_round_trips(example, &body);
        assert!(MeetupTitle::parse(&body.title).is_ok(), "line {line}");
        assert!(
            DisplayName::parse(&body.facilitator_name).is_ok(),
            "line {line}"
        );
    }
}

/// Parses and checks every example; returns the variants seen.
fn check_all_examples() -> Seen {
    let mut seen = Seen::default();
    let examples = examples();
    assert!(
        examples.len() > 40,
        "found only {} examples",
        examples.len()
    );
    for example in &examples {
        if let Err(error) = serde_json::from_str::<serde_json::Value>(&example.text) {
            panic!("PROTOCOL.md line {}: not JSON: {error}", example.line);
        }
        match example.kind {
            Kind::Client => {
                let message = ClientMessage::parse(&example.text).unwrap_or_else(|rejection| {
                    panic!("PROTOCOL.md line {}: {rejection:?}", example.line)
                });
                assert_round_trips(example, &message);
                check_client(example, &message, &mut seen);
            }
            Kind::Server => {
                let message: ServerMessage = serde_json::from_str(&example.text)
                    .unwrap_or_else(|error| panic!("PROTOCOL.md line {}: {error}", example.line));
                assert_round_trips(example, &message);
                check_server(example, &message, &mut seen);
            }
            Kind::Http => check_http(example, &mut seen),
        }
    }
    seen
}

#[test]
fn every_example_in_the_protocol_doc_round_trips_exactly() {
    check_all_examples();
}

fn assert_covers(what: &str, seen: &BTreeSet<&'static str>, all: &[&str]) {
    let missing: Vec<&&str> = all.iter().filter(|name| !seen.contains(**name)).collect();
    assert!(
        missing.is_empty(),
        "docs/PROTOCOL.md has no example of these {what}: {missing:?}"
    );
}

#[test]
fn the_protocol_doc_has_an_example_of_every_variant() {
    let seen = check_all_examples();
    assert_covers("client messages", &seen.client_messages, CLIENT_MESSAGES);
    assert_covers("client commands", &seen.client_commands, CLIENT_COMMANDS);
    assert_covers("hello auth modes", &seen.hello_auths, HELLO_AUTHS);
    assert_covers("server messages", &seen.server_messages, SERVER_MESSAGES);
    assert_covers("events", &seen.events, EVENTS);
    assert_covers("rejection codes", &seen.rejections, REJECTIONS);
}

#[test]
fn the_protocol_doc_lists_every_rejection_with_its_close_code() {
    let doc = protocol_doc();
    let samples = [
        Rejection::MalformedMessage { detail: "x".into() },
        Rejection::UnknownMessageType { found: "x".into() },
        Rejection::MessageTooLarge { max_bytes: 1 },
        Rejection::InvalidField {
            field: "name".into(),
            problem: TextProblem::Empty,
        },
        Rejection::InvalidRequestId,
        Rejection::RateLimited { retry_after_ms: 1 },
        Rejection::UnsupportedProtocolVersion { supported: 1 },
        Rejection::HelloExpected,
        Rejection::HandshakeTimeout,
        Rejection::UnknownJoinCode,
        Rejection::TooManyAttempts { retry_after_ms: 1 },
        Rejection::BadCredential,
        Rejection::OriginNotAllowed,
        Rejection::ServerFull,
        Rejection::StorageFailed,
        Rejection::MeetupEnded,
        Rejection::UnknownReviewItem,
        Rejection::Locked,
        Rejection::RoomFull { seat_cap: 1 },
        Rejection::NameTaken,
        Rejection::Removed,
        Rejection::NotInMeetup,
        Rejection::FacilitatorsOnly,
        Rejection::FacilitatorOnly,
        Rejection::ServerOnly,
        Rejection::UnknownParticipant,
        Rejection::HandOverFirst,
        Rejection::NotOnYourself,
        Rejection::AlreadyInRole,
        Rejection::SeatCapOutOfRange { min: 1, max: 2 },
        Rejection::HandAlreadyRaised,
        Rejection::UnknownEntry,
        Rejection::NotYourEntry,
        Rejection::NotYourTurn,
        Rejection::StaleTurn,
        Rejection::RoundInProgress,
        Rejection::NoRound,
        Rejection::DurationOutOfRange {
            min_secs: 1,
            max_secs: 2,
        },
        Rejection::PollOptionsOutOfRange { min: 2, max: 8 },
        Rejection::PollTimeLimitOutOfRange {
            min_secs: 10,
            max_secs: 3_600,
        },
        Rejection::PollAlreadyOpen { poll: 1 },
        Rejection::UnknownPoll,
        Rejection::PollNotOpen { poll: 1 },
        Rejection::NoSuchChoice { options: 3 },
        Rejection::ReasonRequired,
        Rejection::TooManyPolls { max: 200 },
        Rejection::UnknownTopic,
        Rejection::NotYourTopic,
        Rejection::TopicInWrongColumn,
        Rejection::SameTopic,
        Rejection::TooManyTopics { max: 100 },
        Rejection::VotingClosed,
        Rejection::NoDotsLeft { budget: 3 },
        Rejection::NoStacking,
        Rejection::NoDotHere,
        Rejection::VotesHidden,
        Rejection::VotingUnderway,
        Rejection::DotBudgetOutOfRange { min: 1, max: 10 },
        Rejection::UnknownNote,
        Rejection::UnknownActionItem,
        Rejection::NotYourOutcome,
        Rejection::TooManyNotes { max: 500 },
        Rejection::TooManyActionItems { max: 200 },
        Rejection::InvalidDueDate,
        Rejection::TimerOutOfRange {
            min_secs: 10,
            max_secs: 14_400,
        },
        Rejection::AdjustmentOutOfRange { max_secs: 14_400 },
        Rejection::ExtensionsOutOfRange { max: 5 },
        Rejection::TimerNotRunning,
        Rejection::TimerNotPaused,
    ];
    let named: BTreeSet<&str> = samples.iter().map(rejection_name).collect();
    assert_covers("rejections in this test", &named, REJECTIONS);
    for rejection in &samples {
        let code = rejection.close_code();
        // The table row reads "| `code` | fields | close | when |"; the close
        // column may be parenthesised for reasons that never close.
        let row = doc
            .lines()
            .find(|line| line.starts_with(&format!("| `{}` |", rejection_name(rejection))))
            .unwrap_or_else(|| panic!("no table row for {}", rejection_name(rejection)));
        let close = row.split('|').nth(3).expect("the row has a close column");
        assert_eq!(
            close.trim().trim_matches(|c| c == '(' || c == ')'),
            code.to_string(),
            "close code of {}",
            rejection_name(rejection)
        );
    }
}

// --- The format pinned in code ---

fn ada() -> ParticipantId {
    ParticipantId(Uuid::parse_str("0b0e4f6a-5c1d-4e8b-9f3a-2d7c6b1e8a90").expect("a uuid"))
}

fn bo() -> ParticipantId {
    ParticipantId(Uuid::parse_str("5f2c9d1e-3a4b-4c6d-8e7f-901a2b3c4d5e").expect("a uuid"))
}

fn compact<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("protocol types serialise")
}

#[test]
fn an_event_frame_is_pinned() {
    let message = ServerMessage::Event {
        seq: Seq(4),
        at: Timestamp(1_767_801_723_401),
        event: Event::ParticipantJoined {
            participant: bo(),
            name: DisplayName::parse("Bo").expect("a name"),
            credential: None,
        },
    };
    assert_eq!(
        compact(&message),
        r#"{"type":"event","seq":4,"at":1767801723401,"event":{"type":"participant_joined","participant":"5f2c9d1e-3a4b-4c6d-8e7f-901a2b3c4d5e","name":"Bo"}}"#
    );
}

#[test]
fn an_ack_is_pinned() {
    let message = ServerMessage::Ack {
        request_id: "r-7f3a-18".into(),
        seq: Seq(44),
    };
    assert_eq!(
        compact(&message),
        r#"{"type":"ack","request_id":"r-7f3a-18","seq":44}"#
    );
}

#[test]
fn a_rejected_invalid_field_is_pinned() {
    let message = ServerMessage::rejected(
        Some("r-1".into()),
        Rejection::InvalidField {
            field: "name".into(),
            problem: TextProblem::TooLong { max_chars: 40 },
        },
    );
    assert_eq!(
        compact(&message),
        r#"{"type":"rejected","request_id":"r-1","reason":{"code":"invalid_field","field":"name","problem":"too_long","max_chars":40},"message":"name must be at most 40 characters"}"#
    );
    let without_id = ServerMessage::rejected(None, Rejection::InvalidRequestId);
    assert_eq!(
        compact(&without_id),
        r#"{"type":"rejected","request_id":null,"reason":{"code":"invalid_request_id"},"message":"the request id must be 1 to 64 printable ASCII characters"}"#
    );
}

#[test]
fn a_refused_handshake_is_pinned() {
    let message = ServerMessage::refused(Rejection::RoomFull { seat_cap: 8 });
    assert_eq!(
        compact(&message),
        r#"{"type":"refused","reason":{"code":"room_full","seat_cap":8},"message":"all 8 seats are taken"}"#
    );
}

#[test]
fn a_welcome_with_snapshot_is_pinned_and_carries_no_digest() {
    let room = Room {
        code: JoinCode::parse("7KQ2M9XD").expect("a join code"),
        title: MeetupTitle::parse("Retro").expect("a title"),
        opened_at: Timestamp(1_767_801_600_000),
        locked: true,
        seat_cap: 8,
        participants: vec![Participant {
            id: ada(),
            name: DisplayName::parse("Ada").expect("a name"),
            role: Role::Facilitator,
            presence: Presence::Here,
            membership: Membership::Active,
            credential: Some(moot_shared::room::CredentialDigest("secret-digest".into())),
        }],
        queue: Default::default(),
        polls: Default::default(),
        board: Default::default(),
        timer: Default::default(),
        ended_at: None,
        series: Default::default(),
    };
    let message = ServerMessage::Welcome {
        protocol: PROTOCOL_VERSION,
        participant: Some(ada()),
        token: None,
        server_time: Timestamp(1_767_801_723_456),
        seq: Seq(1),
        snapshot: Some(Box::new(room.for_clients())),
    };
    assert_eq!(
        compact(&message),
        r#"{"type":"welcome","protocol":1,"participant":"0b0e4f6a-5c1d-4e8b-9f3a-2d7c6b1e8a90","server_time":1767801723456,"seq":1,"snapshot":{"code":"7KQ2M9XD","title":"Retro","opened_at":1767801600000,"locked":true,"seat_cap":8,"participants":[{"id":"0b0e4f6a-5c1d-4e8b-9f3a-2d7c6b1e8a90","name":"Ada","role":"facilitator","presence":"here","membership":"active"}]}}"#
    );
    // The server's own copy does carry the digest; only for_clients is sent.
    assert!(compact(&room).contains("secret-digest"));
}

#[test]
fn a_screen_welcome_has_a_null_participant() {
    let message = ServerMessage::Welcome {
        protocol: PROTOCOL_VERSION,
        participant: None,
        token: None,
        server_time: Timestamp(5),
        seq: Seq(9),
        snapshot: None,
    };
    assert_eq!(
        compact(&message),
        r#"{"type":"welcome","protocol":1,"participant":null,"server_time":5,"seq":9}"#
    );
}

#[test]
fn client_messages_are_pinned() {
    let hello = ClientMessage::Hello {
        protocol: 1,
        join_code: "7KQ2M9XD".into(),
        auth: HelloAuth::Join { name: "Bo".into() },
        last_seq: None,
    };
    assert_eq!(
        compact(&hello),
        r#"{"type":"hello","protocol":1,"join_code":"7KQ2M9XD","auth":{"mode":"join","name":"Bo"}}"#
    );
    let command = ClientMessage::Command {
        request_id: "r-1".into(),
        command: ClientCommand::SetPresence {
            presence: ReportedPresence::Away,
        },
    };
    assert_eq!(
        compact(&command),
        r#"{"type":"command","request_id":"r-1","command":{"type":"set_presence","presence":"away"}}"#
    );
    assert_eq!(compact(&ClientMessage::Pong), r#"{"type":"pong"}"#);
    assert_eq!(
        ClientMessage::parse(r#"{"type":"time_sync","client_time":12}"#),
        Ok(ClientMessage::TimeSync { client_time: 12 })
    );
}

#[test]
fn server_only_fields_never_reach_the_wire() {
    let joined = Event::ParticipantJoined {
        participant: bo(),
        name: DisplayName::parse("Bo").expect("a name"),
        credential: Some(moot_shared::room::CredentialDigest("digest".into())),
    };
    assert!(compact(&joined).contains("digest"));
    assert!(!compact(joined.for_clients().as_ref()).contains("credential"));
}

#[test]
fn close_codes_are_pinned() {
    let expected = [
        (Rejection::UnsupportedProtocolVersion { supported: 1 }, 4001),
        (Rejection::HelloExpected, 4002),
        (Rejection::HandshakeTimeout, 4003),
        (Rejection::UnknownJoinCode, 4004),
        (Rejection::BadCredential, 4005),
        (Rejection::TooManyAttempts { retry_after_ms: 1 }, 4006),
        (Rejection::ServerFull, 4007),
        (Rejection::StorageFailed, 4008),
        (Rejection::Locked, 4009),
        (Rejection::RoomFull { seat_cap: 1 }, 4009),
        (Rejection::NameTaken, 4009),
        (Rejection::StaleTurn, 4009),
        (Rejection::Removed, 4010),
    ];
    for (rejection, code) in expected {
        assert_eq!(rejection.close_code(), code, "{rejection:?}");
    }
}
