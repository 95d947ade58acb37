//! Writing JSON exactly as serde_json writes the derives' output: the
//! [`ToJson`] trait, [`ObjectWriter`], and the messages the browser sends.

use super::{Json, Number};
use crate::protocol::{ClientCommand, ClientMessage, HelloAuth};
use crate::room::board::BoardSettings;
use crate::room::queue::QueueSettings;
use crate::room::timer::TimerSettings;

/// A type that writes itself as JSON, byte for byte as `serde_json::to_string`
/// writes its derive's output.
pub trait ToJson {
    /// Appends the value's JSON to `out`.
    fn write_json(&self, out: &mut String);
}

/// The JSON text of a value.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// Writes a string with serde_json's escapes: the two-character forms where
/// JSON has them, `\u00XX` for other control characters, all else as is.
pub(super) fn write_string(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\0'..='\u{1f}' => {
                let code = usize::from(character as u8);
                out.push_str("\\u00");
                out.push(char::from(HEX[code >> 4]));
                out.push(char::from(HEX[code & 0xf]));
            }
            _ => out.push(character),
        }
    }
    out.push('"');
}

/// Writes an object field by field, in the order called.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    /// Opens an object.
    pub fn new(out: &'a mut String) -> ObjectWriter<'a> {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    /// Writes a field.
    pub fn field<T: ToJson + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(name, self.out);
        self.out.push(':');
        value.write_json(self.out);
        self
    }

    /// Writes a `skip_serializing_if = "Option::is_none"` field.
    pub fn optional<T: ToJson>(&mut self, name: &str, value: &Option<T>) -> &mut Self {
        match value {
            Some(value) => self.field(name, value),
            None => self,
        }
    }

    /// Closes the object.
    pub fn finish(&mut self) {
        self.out.push('}');
    }
}

impl ToJson for Json {
    fn write_json(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(value) => value.write_json(out),
            Json::Number(Number::Unsigned(number)) => number.write_json(out),
            Json::Number(Number::Negative(number)) => number.write_json(out),
            Json::Number(Number::Other(text)) => out.push_str(text),
            Json::String(text) => write_string(text, out),
            Json::Array(items) => items.write_json(out),
            Json::Object(fields) => {
                let mut object = ObjectWriter::new(out);
                for (name, value) in fields {
                    object.field(name, value);
                }
                object.finish();
            }
        }
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_string(self, out);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_string(self, out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (index, item) in self.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl ToJson for QueueSettings {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field("progressive", &self.progressive)
            .field("turn_limit_secs", &self.turn_limit_secs)
            .field("round_turn_secs", &self.round_turn_secs)
            .field("airtime_public", &self.airtime_public)
            .finish();
    }
}

impl ToJson for BoardSettings {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field("dot_budget", &self.dot_budget)
            .field("stacking", &self.stacking)
            .field("hidden_until_reveal", &self.hidden_until_reveal)
            .finish();
    }
}

impl ToJson for TimerSettings {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field("topic_secs", &self.topic_secs)
            .field("first_extension_secs", &self.first_extension_secs)
            .field("max_extensions", &self.max_extensions)
            .finish();
    }
}

/// `#[serde(tag = "type")]`.
impl ToJson for ClientMessage {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        match self {
            ClientMessage::Hello {
                protocol,
                join_code,
                auth,
                last_seq,
            } => object
                .field("type", "hello")
                .field("protocol", protocol)
                .field("join_code", join_code)
                .field("auth", auth)
                .optional("last_seq", last_seq),
            ClientMessage::Command {
                request_id,
                command,
            } => object
                .field("type", "command")
                .field("request_id", request_id)
                .field("command", command),
            ClientMessage::Pong => object.field("type", "pong"),
            ClientMessage::TimeSync { client_time } => object
                .field("type", "time_sync")
                .field("client_time", client_time),
        }
        .finish();
    }
}

/// `#[serde(tag = "mode")]`.
impl ToJson for HelloAuth {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        match self {
            HelloAuth::Join { name } => object.field("mode", "join").field("name", name),
            HelloAuth::Rejoin { token, name } => object
                .field("mode", "rejoin")
                .field("token", token)
                .optional("name", name),
            HelloAuth::Screen { token } => object.field("mode", "screen").field("token", token),
        }
        .finish();
    }
}

/// `#[serde(tag = "type")]`, one arm per variant; fields in declaration order.
impl ToJson for ClientCommand {
    fn write_json(&self, out: &mut String) {
        use ClientCommand as C;
        let mut object = ObjectWriter::new(out);
        let o = &mut object;
        match self {
            C::Leave => o.field("type", "leave"),
            C::EndMeetup => o.field("type", "end_meetup"),
            C::ReviewAction { item, outcome } => o
                .field("type", "review_action")
                .field("item", item)
                .field("outcome", outcome),
            C::SetPresence { presence } => {
                o.field("type", "set_presence").field("presence", presence)
            }
            C::Rename { name } => o.field("type", "rename").field("name", name),
            C::Lock => o.field("type", "lock"),
            C::Unlock => o.field("type", "unlock"),
            C::SetSeatCap { seat_cap } => {
                o.field("type", "set_seat_cap").field("seat_cap", seat_cap)
            }
            C::Remove { participant } => {
                o.field("type", "remove").field("participant", participant)
            }
            C::HandOver { to } => o.field("type", "hand_over").field("to", to),
            C::AddCoFacilitator { participant } => o
                .field("type", "add_co_facilitator")
                .field("participant", participant),
            C::RemoveCoFacilitator { participant } => o
                .field("type", "remove_co_facilitator")
                .field("participant", participant),
            C::OpenPoll {
                question,
                kind,
                options,
                secrecy,
                auto_reveal,
                time_limit_secs,
            } => {
                o.field("type", "open_poll")
                    .field("question", question)
                    .field("kind", kind);
                if !options.is_empty() {
                    o.field("options", options);
                }
                o.field("secrecy", secrecy)
                    .field("auto_reveal", auto_reveal)
                    .optional("time_limit_secs", time_limit_secs)
            }
            C::CastVote {
                poll,
                choice,
                reason,
            } => o
                .field("type", "cast_vote")
                .field("poll", poll)
                .field("choice", choice)
                .optional("reason", reason),
            C::RevealPoll { poll } => o.field("type", "reveal_poll").field("poll", poll),
            C::ClosePoll { poll } => o.field("type", "close_poll").field("poll", poll),
            C::ReopenPoll { poll } => o.field("type", "reopen_poll").field("poll", poll),
            C::RaiseHand { kind, note } => o
                .field("type", "raise_hand")
                .field("kind", kind)
                .optional("note", note),
            C::EditEntry { entry, kind, note } => o
                .field("type", "edit_entry")
                .field("entry", entry)
                .field("kind", kind)
                .optional("note", note),
            C::WithdrawEntry { entry } => o.field("type", "withdraw_entry").field("entry", entry),
            C::MoveEntry { entry, direction } => o
                .field("type", "move_entry")
                .field("entry", entry)
                .field("direction", direction),
            C::NextSpeaker { turn } => o.field("type", "next_speaker").optional("turn", turn),
            C::FinishTurn { turn } => o.field("type", "finish_turn").field("turn", turn),
            C::PassTurn { turn } => o.field("type", "pass_turn").field("turn", turn),
            C::GiveFloor { participant } => o
                .field("type", "give_floor")
                .field("participant", participant),
            C::StartRound { kind, prompt } => o
                .field("type", "start_round")
                .field("kind", kind)
                .optional("prompt", prompt),
            C::EndRound => o.field("type", "end_round"),
            C::ConfigureQueue { settings } => o
                .field("type", "configure_queue")
                .field("settings", settings),
            C::ProposeTopic { title, details } => o
                .field("type", "propose_topic")
                .field("title", title)
                .optional("details", details),
            C::EditTopic {
                topic,
                title,
                details,
            } => o
                .field("type", "edit_topic")
                .field("topic", topic)
                .field("title", title)
                .optional("details", details),
            C::WithdrawTopic { topic } => o.field("type", "withdraw_topic").field("topic", topic),
            C::PlaceDot { topic } => o.field("type", "place_dot").field("topic", topic),
            C::TakeBackDot { topic } => o.field("type", "take_back_dot").field("topic", topic),
            C::RevealVotes => o.field("type", "reveal_votes"),
            C::CloseVoting => o.field("type", "close_voting"),
            C::ReopenVoting => o.field("type", "reopen_voting"),
            C::MergeTopics { from, into } => o
                .field("type", "merge_topics")
                .field("from", from)
                .field("into", into),
            C::SortTopics => o.field("type", "sort_topics"),
            C::StartTopic { topic } => o.field("type", "start_topic").field("topic", topic),
            C::FinishTopic { topic } => o.field("type", "finish_topic").field("topic", topic),
            C::ParkTopic { topic } => o.field("type", "park_topic").field("topic", topic),
            C::UnparkTopic { topic } => o.field("type", "unpark_topic").field("topic", topic),
            C::AddNote { topic, kind, text } => o
                .field("type", "add_note")
                .field("topic", topic)
                .field("kind", kind)
                .field("text", text),
            C::EditNote { note, kind, text } => o
                .field("type", "edit_note")
                .field("note", note)
                .field("kind", kind)
                .field("text", text),
            C::RemoveNote { note } => o.field("type", "remove_note").field("note", note),
            C::AddActionItem {
                topic,
                text,
                owner,
                due,
            } => o
                .field("type", "add_action_item")
                .field("topic", topic)
                .field("text", text)
                .field("owner", owner)
                .optional("due", due),
            C::EditActionItem {
                item,
                text,
                owner,
                due,
            } => o
                .field("type", "edit_action_item")
                .field("item", item)
                .field("text", text)
                .field("owner", owner)
                .optional("due", due),
            C::RemoveActionItem { item } => {
                o.field("type", "remove_action_item").field("item", item)
            }
            C::ConfigureBoard { settings } => o
                .field("type", "configure_board")
                .field("settings", settings),
            C::StartTimer { duration_secs } => o
                .field("type", "start_timer")
                .field("duration_secs", duration_secs),
            C::PauseTimer => o.field("type", "pause_timer"),
            C::ResumeTimer => o.field("type", "resume_timer"),
            C::AdjustTimer { delta_secs } => o
                .field("type", "adjust_timer")
                .field("delta_secs", delta_secs),
            C::ResetTimer => o.field("type", "reset_timer"),
            C::ConfigureTimer { settings } => o
                .field("type", "configure_timer")
                .field("settings", settings),
        }
        .finish();
    }
}
