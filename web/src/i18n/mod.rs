//! Every string a person reads, in one place per language: the shapes of
//! the texts here, their English in [`en`] and their German in [`de`]. A
//! German text that is missing fails the build (every field of every
//! `*Texts` value must be set, every match is exhaustive), and no view holds
//! its own wording.
//!
//! The reader's language is chosen once, when the page loads
//! ([`choose_language`]): a choice stored by the language switch, then the
//! browser's languages, then English. Switching stores the new choice and
//! loads the page again, which keeps every view free of a language signal;
//! the session resumes from its stored token and outbox, so nothing is lost.

mod de;
mod en;

use std::sync::atomic::{AtomicU8, Ordering};

use moot_shared::Lang;
use moot_shared::Rejection;
use moot_shared::TextProblem;
use moot_shared::room::agenda::AgendaRole;
use moot_shared::room::{Presence, Role};

use crate::status::ConnectionState;

/// The reader's language as its index in [`Lang::ALL`]; set once at start.
static LANGUAGE: AtomicU8 = AtomicU8::new(0);

/// Where the language switch keeps the reader's choice.
const STORED_CHOICE: &str = "moot.lang";

/// The reader's language.
pub fn lang() -> Lang {
    Lang::ALL
        .get(usize::from(LANGUAGE.load(Ordering::Relaxed)))
        .copied()
        .unwrap_or_default()
}

fn use_language(lang: Lang) {
    let index = Lang::ALL
        .iter()
        .position(|known| *known == lang)
        .unwrap_or(0);
    LANGUAGE.store(u8::try_from(index).unwrap_or(0), Ordering::Relaxed);
    if let Some(root) = leptos::prelude::document().document_element() {
        root.set_attribute("lang", lang.code()).ok();
    }
}

/// Picks the reader's language before anything is shown: the stored choice,
/// then the browser's languages in their order, then English. Sets
/// `<html lang>` to match, so screen readers pronounce the page right.
pub fn choose_language() {
    let stored = crate::storage::get_item(STORED_CHOICE).and_then(|tag| Lang::from_tag(&tag));
    let lang = stored.unwrap_or_else(|| {
        let languages = leptos::prelude::window().navigator().languages();
        let tags: Vec<String> = languages.iter().filter_map(|tag| tag.as_string()).collect();
        Lang::first_spoken(tags.iter().map(String::as_str))
    });
    use_language(lang);
}

/// The language switch's action: remember the choice on this device and show
/// the page again in it.
pub fn switch_language(lang: Lang) {
    crate::storage::set_item(STORED_CHOICE, lang.code());
    let _ = leptos::prelude::window().location().reload();
}

/// The value for the reader's language among one value per language.
fn pick<T>(en: &'static T, de: &'static T) -> &'static T {
    match lang() {
        Lang::En => en,
        Lang::De => de,
    }
}

/// The wording of the whole app in one language. Fixed sentences are
/// `&'static str`; sentences with a name or number in them are functions.
pub struct Texts {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub dismiss: &'static str,
    pub back_to_start: &'static str,
    pub not_found_heading: &'static str,
    pub not_found_body: &'static str,

    pub state_connecting: &'static str,
    pub state_live: &'static str,
    pub state_reconnecting: &'static str,
    pub state_offline: &'static str,
    /// After the connection state: how many actions wait to be sent.
    pub waiting_to_send: fn(usize) -> String,

    pub join_heading: &'static str,
    pub join_intro: fn(&str) -> String,
    pub join_name_label: &'static str,
    pub join_submit: &'static str,
    pub join_busy: &'static str,

    pub code_label: &'static str,
    pub you_are: &'static str,
    pub you_marker: &'static str,
    pub people_heading: &'static str,
    pub people_count: fn(usize, u16) -> String,
    pub loading_room: &'static str,
    pub rename_label: &'static str,
    pub rename_submit: &'static str,
    pub leave: &'static str,
    pub leave_confirm: &'static str,
    pub locked_badge: &'static str,

    pub removed_heading: &'static str,
    pub removed_body: &'static str,
    pub left_heading: &'static str,
    pub left_body: &'static str,
    pub rejoin: &'static str,
    pub rejoin_refused_heading: &'static str,
    pub rejoin_name_label: &'static str,
    pub try_again: &'static str,
    pub unknown_code_heading: &'static str,
    pub unknown_code_body: &'static str,
    pub version_heading: &'static str,
    pub version_body: &'static str,
    pub reload: &'static str,

    pub controls_heading: &'static str,
    pub copied: &'static str,
    pub remove: &'static str,

    pub joined: fn(&str) -> String,
    pub came_back: fn(&str) -> String,
    pub left: fn(&str) -> String,
    pub was_removed: fn(&str) -> String,
    pub you_were_removed: &'static str,
    pub renamed: fn(&str, &str) -> String,
    pub now_facilitator: fn(&str) -> String,
    pub you_are_facilitator: &'static str,
    pub now_co: fn(&str) -> String,
    /// Who runs the meetup for whom, while its facilitator is away.
    pub stands_in: fn(&str, &str) -> String,
    pub you_stand_in: fn(&str) -> String,
    pub owner_returning: fn(&str) -> String,
    /// To the facilitator whose stand-in still runs the meetup for the
    /// reclaim period after they came back.
    pub you_return: &'static str,
    pub owner_back: fn(&str) -> String,
    pub no_longer_co: fn(&str) -> String,
    pub meetup_locked: &'static str,
    pub meetup_unlocked: &'static str,
    pub seat_cap_changed: fn(u16) -> String,
    pub connection_lost: &'static str,
    pub connection_back: &'static str,

    /// The phone's section bar ([`crate::phone_nav`]) and its sections.
    pub sections_label: &'static str,
    pub section_now: &'static str,
    pub section_queue: &'static str,
    pub section_topics: &'static str,
    pub section_mine: &'static str,
    /// The bar's hand toggle: short, it shares a row with four sections.
    pub nav_raise_hand: &'static str,
    pub nav_lower_hand: &'static str,

    pub role_facilitator: &'static str,
    pub role_co_facilitator: &'static str,
    pub presence_here: &'static str,
    pub presence_away: &'static str,
    pub presence_gone: &'static str,
    /// Rejections in plain words; `None` falls back to the server's sentence.
    pub rejection_words: fn(&Rejection) -> Option<String>,
    /// What is wrong with a piece of text, to follow "The name".
    pub text_problem_words: fn(TextProblem) -> String,
}

impl Texts {
    /// The label of the connection indicator.
    pub fn connection_state(&self, state: ConnectionState) -> &'static str {
        match state {
            ConnectionState::Connecting => self.state_connecting,
            ConnectionState::Live => self.state_live,
            ConnectionState::Reconnecting => self.state_reconnecting,
            ConnectionState::Offline => self.state_offline,
        }
    }

    /// A role as a badge says it; plain participants get no badge.
    pub fn role(&self, role: Role) -> Option<&'static str> {
        match role {
            Role::Facilitator => Some(self.role_facilitator),
            Role::CoFacilitator => Some(self.role_co_facilitator),
            Role::Participant => None,
        }
    }

    /// Presence in words, so it is never told by colour alone.
    pub fn presence(&self, presence: Presence) -> &'static str {
        match presence {
            Presence::Here => self.presence_here,
            Presence::Away => self.presence_away,
            Presence::Gone => self.presence_gone,
        }
    }

    /// A rejection in plain words for this language; `fallback` is the
    /// server's English sentence for codes this table does not know.
    pub fn rejection(&self, reason: &Rejection, fallback: &str) -> String {
        (self.rejection_words)(reason).unwrap_or_else(|| capitalise(fallback))
    }

    /// What is wrong with a piece of text, to follow "The name".
    pub fn text_problem(&self, problem: TextProblem) -> String {
        (self.text_problem_words)(problem)
    }
}

/// The server's sentences start lower case (they are error messages); shown
/// alone they read better as a sentence.
fn capitalise(sentence: &str) -> String {
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => {
            let mut text: String = first.to_uppercase().chain(chars).collect();
            if !text.ends_with('.') {
                text.push('.');
            }
            text
        }
        None => String::new(),
    }
}

/// The texts for the reader's language.
pub fn t() -> &'static Texts {
    pick(&en::EN, &de::DE)
}

/// The wording of consensus polls ([`crate::poll`]) in one language.
pub struct PollTexts {
    pub heading: &'static str,
    pub new_poll_heading: &'static str,
    pub presets_label: &'static str,
    pub custom_heading: &'static str,
    pub question_label: &'static str,
    pub kind_label: &'static str,
    pub options_label: &'static str,
    pub options_hint: &'static str,
    pub anonymous_label: &'static str,
    pub auto_reveal_label: &'static str,
    pub time_limit_label: &'static str,
    pub open_submit: &'static str,
    pub reveal: &'static str,
    pub close: &'static str,
    pub reopen: &'static str,
    pub reason_label: &'static str,
    /// A ROTI's reason field: what the group should change.
    pub roti_change_label: &'static str,
    /// With fewer than three voters the counts give each score away.
    pub roti_few_voters: &'static str,
    pub reason_required_label: &'static str,
    pub reason_needed: &'static str,
    pub send_with_reason: &'static str,
    pub your_vote: fn(&str) -> String,
    /// The vote shown once voting has ended (it can no longer change).
    pub your_final_vote: fn(&str) -> String,
    pub voted_count: fn(usize, usize) -> String,
    pub waiting_for: fn(&str) -> String,
    pub everyone_voted: &'static str,
    pub secrecy_note: fn(moot_shared::room::poll::Secrecy) -> &'static str,
    pub reasons_heading: &'static str,
    pub results_heading: &'static str,
    pub poll_opened: fn(&str) -> String,
    pub poll_revealed: fn(&str) -> String,
    pub history_heading: &'static str,
    /// Before how long a time-limited poll has left (" · closes in 0:42").
    pub closes_in: &'static str,
    pub kind_name: fn(moot_shared::room::poll::PollKind) -> &'static str,
    /// The labels of a fixed kind's options, in option order.
    pub option_labels: fn(moot_shared::room::poll::PollKind) -> &'static [&'static str],
    /// A one-line reading of results; `labels` are the poll's option labels.
    pub reading: fn(&moot_shared::room::poll::Reading, &[String]) -> String,
}

/// Poll texts for the reader's language.
pub fn poll_texts() -> &'static PollTexts {
    pick(&en::EN_POLL, &de::DE_POLL)
}

/// The wording of the speaking queue ([`crate::queue`]) in one language.
pub struct QueueTexts {
    pub heading: &'static str,
    pub raise_hand: &'static str,
    /// The raise button while one's own hand is up: what it is and what a tap does.
    pub hand_raised_lower: &'static str,
    pub raise_as: &'static str,
    pub kind_name: fn(moot_shared::room::queue::EntryKind) -> &'static str,
    pub kind_short: fn(moot_shared::room::queue::EntryKind) -> &'static str,
    pub empty: &'static str,
    pub nobody_speaking: &'static str,
    pub now_speaking: &'static str,
    pub your_turn: &'static str,
    pub youre_next: &'static str,
    pub your_place: fn(usize) -> String,
    pub over_limit: &'static str,
    pub done: &'static str,
    pub pass: &'static str,
    pub your_hands: &'static str,
    pub type_label: &'static str,
    pub note_label: &'static str,
    pub save: &'static str,
    pub withdraw: &'static str,
    pub next_speaker: &'static str,
    pub give_floor: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub remove_entry: &'static str,
    pub up_next: &'static str,
    pub round_heading: fn(moot_shared::room::queue::RoundKind) -> &'static str,
    pub round_left: fn(usize) -> String,
    pub round_waits: &'static str,
    pub start_check_in: &'static str,
    pub start_check_out: &'static str,
    pub custom_prompt_label: &'static str,
    pub start_custom: &'static str,
    pub end_round: &'static str,
    pub rounds_heading: &'static str,
    pub settings_heading: &'static str,
    pub progressive_label: &'static str,
    pub airtime_public_label: &'static str,
    pub turn_limit_label: &'static str,
    pub round_turn_label: &'static str,
    pub save_settings: &'static str,
    pub airtime_heading: &'static str,
    pub airtime_person: &'static str,
    pub airtime_time: &'static str,
    pub airtime_turns: &'static str,
    pub airtime_share: &'static str,
    pub announce_next: &'static str,
    pub announce_your_turn: &'static str,
    pub announce_over_limit: &'static str,
    pub announce_speaking: fn(&str) -> String,
    pub announce_round: fn(moot_shared::room::queue::RoundKind) -> String,
}

/// The queue texts for the reader's language.
pub fn queue_texts() -> &'static QueueTexts {
    pick(&en::EN_QUEUE, &de::DE_QUEUE)
}

/// The wording of the topic board ([`crate::board`]) in one language.
pub struct BoardTexts {
    pub heading: &'static str,
    pub propose_heading: &'static str,
    pub title_label: &'static str,
    pub details_label: &'static str,
    pub propose_submit: &'static str,
    pub dots_left: fn(u32, u8) -> String,
    pub voters: fn(usize) -> String,
    pub hidden_note: &'static str,
    pub voting_closed_note: &'static str,
    pub place_dot: fn(&str) -> String,
    pub take_back_dot: fn(&str) -> String,
    pub my_dots: fn(u8) -> String,
    pub votes: fn(u32) -> String,
    pub to_discuss: &'static str,
    pub discussing: &'static str,
    pub discussed: &'static str,
    pub parked: &'static str,
    pub nothing_yet: &'static str,
    pub no_current: &'static str,
    pub reveal: &'static str,
    pub close_voting: &'static str,
    pub reopen_voting: &'static str,
    pub sort: &'static str,
    pub start_next: &'static str,
    pub start: &'static str,
    pub finish: &'static str,
    pub park: &'static str,
    pub unpark: &'static str,
    pub withdraw: &'static str,
    pub withdraw_confirm: &'static str,
    pub merge_into: &'static str,
    pub merge_confirm: fn(&str, &str) -> String,
    pub merged_from: fn(&str) -> String,
    pub by: fn(&str) -> String,
    pub time_spent: fn(u64) -> String,
    pub outcomes_heading: &'static str,
    pub finished_heading: &'static str,
    pub notes_heading: &'static str,
    pub note_label: &'static str,
    pub takeaway_label: &'static str,
    pub add_note: &'static str,
    pub add_takeaway: &'static str,
    pub remove: &'static str,
    pub actions_heading: &'static str,
    pub action_label: &'static str,
    pub owner_label: &'static str,
    pub due_label: &'static str,
    pub add_action: &'static str,
    pub action_line: fn(&str, Option<&str>) -> String,
    pub my_actions_heading: &'static str,
    pub votes_revealed: &'static str,
    pub now_discussing: fn(&str) -> String,
}

/// The wording of goals ([`crate::goals`]) in one language.
pub struct GoalTexts {
    pub heading: &'static str,
    pub none_yet: &'static str,
    pub add_heading: &'static str,
    pub text_label: &'static str,
    pub kind_label: &'static str,
    /// Achieve, learn, teach.
    pub kinds: [&'static str; 3],
    pub visibility_label: &'static str,
    /// Who sees it: the group, my buddy, only me.
    pub visibilities: [&'static str; 3],
    /// The same, as a goal's line says it to anyone: group, buddy, private.
    pub visibility_tags: [&'static str; 3],
    pub due_label: &'static str,
    pub add_submit: &'static str,
    /// Open, progress, stuck, done, dropped.
    pub progress: [&'static str; 5],
    pub note_label: &'static str,
    pub check_in_group: fn(&str) -> String,
    pub remove: &'static str,
    pub others_heading: &'static str,
    pub owner_line: fn(&str) -> String,
    pub due_line: fn(&str) -> String,
    pub buddy_label: &'static str,
    pub no_buddy: &'static str,
    /// On the shared screen during a goal review: the speaker's goals.
    pub speaker_goals: fn(&str) -> String,
    /// In place of the speaker's goals when they share none with the group.
    pub speaker_no_goals: &'static str,
}

/// The wording of a phone's group in a breakout ([`crate::breakout`]) in
/// one language. Texts with blanks are templates: [`fill`] puts the values
/// in each `{}` in turn (one function instead of a formatting closure per
/// text keeps the phone's download small).
pub struct BreakoutTexts {
    /// "Group {}".
    pub group: &'static str,
    /// "Group {} · with {}".
    pub with: &'static str,
    /// "Ada and Bo", "Ada, Bo and Chen".
    pub and: &'static str,
    /// "Round {} of {}".
    pub round_of: &'static str,
    /// Troika's four steps.
    pub troika_steps: [&'static str; 4],
    /// Buddy time's four steps.
    pub buddy_steps: [&'static str; 4],
    /// The troika client's cue at each step.
    pub client_cues: [&'static str; 4],
    /// A troika consultant's cue at each step.
    pub consultant_cues: [&'static str; 4],
    pub mentor_cue: &'static str,
    pub mentee_cue: &'static str,
    /// "{} left".
    pub left: &'static str,
    /// "Back to the group in {}".
    pub closing: &'static str,
    pub alone: &'static str,
    pub no_group: &'static str,
    pub waiting: &'static str,
    /// "Join group {} ({})".
    pub join_group: &'static str,
    /// "Join video room {}".
    pub call_link: &'static str,
    pub notes_heading: &'static str,
    pub notes_private: &'static str,
    pub note_label: &'static str,
    pub add_note: &'static str,
    pub remove_note: &'static str,
    pub done: &'static str,
    pub share_heading: &'static str,
    pub share_hint: &'static str,
    pub share: &'static str,
    pub shared: &'static str,
}

/// The breakout texts for the reader's language.
pub fn breakout_texts() -> &'static BreakoutTexts {
    pick(&en::EN_BREAKOUT, &de::DE_BREAKOUT)
}

/// The wording of breakouts for whoever runs the meetup and the shared
/// screen (full app only).
pub struct BreakoutControlTexts {
    pub heading: &'static str,
    pub start: &'static str,
    pub next_step: &'static str,
    pub more_time: &'static str,
    pub bring_back: &'static str,
    pub back_now: &'static str,
    pub copy: &'static str,
    /// "Move {}".
    pub move_label: &'static str,
    pub new_group: &'static str,
    pub out_of_groups: &'static str,
    pub link_label: &'static str,
    pub link_save: &'static str,
    /// How the groups were chosen: round robin, fewest repeats, shuffled,
    /// kept, merged.
    pub rules: [&'static str; 5],
    /// "seed {}".
    pub seed: &'static str,
    pub done_mark: &'static str,
    pub shared_notes_heading: &'static str,
    /// "Client", "Consultant", "Mentor", "Mentee" (the map).
    pub roles: [&'static str; 4],
    /// The breakout's kinds in the agenda's "add a phase": pairs, threes, fours.
    pub kinds: [&'static str; 3],
}

/// The breakout control texts for the reader's language.
pub fn breakout_control_texts() -> &'static BreakoutControlTexts {
    pick(&en::EN_BREAKOUT_CONTROLS, &de::DE_BREAKOUT_CONTROLS)
}

/// `template` with each `{}` replaced by the next of `values`. Scans the
/// bytes itself: a string search would bring the standard library's
/// substring searcher into the phone's download.
pub fn fill(template: &str, values: &[&str]) -> String {
    let bytes = template.as_bytes();
    let mut out = String::with_capacity(template.len() + 16);
    let mut values = values.iter();
    let (mut from, mut at) = (0, 0);
    while at + 1 < bytes.len() {
        if bytes[at] == b'{' && bytes[at + 1] == b'}' {
            out.push_str(&template[from..at]);
            out.push_str(values.next().copied().unwrap_or_default());
            at += 2;
            from = at;
        } else {
            at += 1;
        }
    }
    out.push_str(&template[from..]);
    out
}

/// The goal texts for the reader's language.
pub fn goal_texts() -> &'static GoalTexts {
    pick(&en::EN_GOALS, &de::DE_GOALS)
}

/// The board texts for the reader's language.
pub fn board_texts() -> &'static BoardTexts {
    pick(&en::EN_BOARD, &de::DE_BOARD)
}

/// The wording of the timer ([`crate::timer`]) in one language.
pub struct TimerTexts {
    pub heading: &'static str,
    pub controls_heading: &'static str,
    pub minutes_label: &'static str,
    pub start: &'static str,
    pub pause: &'static str,
    pub resume: &'static str,
    pub plus_minute: &'static str,
    pub minus_minute: &'static str,
    pub reset: &'static str,
    pub paused: &'static str,
    pub time_up: &'static str,
    pub one_minute_left: &'static str,
    pub remaining: fn(&str) -> String,
    pub timebox_of: fn(&str) -> String,
    pub extension_of: fn(u8, u8) -> String,
    pub extended: fn(&str) -> String,
    pub next_topic: fn(&str) -> String,
    pub settings_heading: &'static str,
    pub topic_minutes_label: &'static str,
    pub extension_minutes_label: &'static str,
    pub max_extensions_label: &'static str,
    pub save: &'static str,
    pub invalid_minutes: &'static str,
}

/// The timer texts for the reader's language.
pub fn timer_texts() -> &'static TimerTexts {
    pick(&en::EN_TIMER, &de::DE_TIMER)
}

/// Texts of ending a meetup, exports, the series and its review.
pub struct LifecycleTexts {
    pub heading: &'static str,
    pub minutes_markdown: &'static str,
    pub minutes_json: &'static str,
    pub my_actions: &'static str,
    pub download_failed: &'static str,
    pub end: &'static str,
    pub end_confirm: &'static str,
    pub ended_banner: &'static str,
    pub next_meetup_open: &'static str,
    pub join_next_as: fn(&str) -> String,
    pub ended_announcement: &'static str,
    pub next_heading: &'static str,
    pub next_title_label: &'static str,
    pub next_title_default: fn(&str) -> String,
    pub next_submit: &'static str,
    pub delete: &'static str,
    pub delete_confirm: &'static str,
    pub delete_failed: &'static str,
    pub review_heading: &'static str,
    pub review_from: fn(&str) -> String,
    pub review_owner: fn(&str, Option<&str>) -> String,
    pub outcome_label: fn(Option<moot_shared::room::lifecycle::ReviewOutcome>) -> &'static str,
    pub mark_done: &'static str,
    pub mark_kept: &'static str,
    pub mark_dropped: &'static str,
}

/// The lifecycle texts for the reader's language.
pub fn lifecycle_texts() -> &'static LifecycleTexts {
    pick(&en::EN_LIFECYCLE, &de::DE_LIFECYCLE)
}

/// The wording only the full app shows: the start page, the shared screen
/// and the facilitator's controls. Kept apart from [`Texts`] so the
/// participant bundle phones load does not carry it.
pub struct FacilitationTexts {
    pub agenda_heading: &'static str,
    pub agenda_format_label: &'static str,
    pub agenda_use_format: &'static str,
    pub agenda_lean_coffee: &'static str,
    pub agenda_open_round: &'static str,
    pub agenda_one_on_one: &'static str,
    pub agenda_reverse_mentoring: &'static str,
    pub agenda_custom: &'static str,
    pub agenda_case_consultation: &'static str,
    pub agenda_peer_learning: &'static str,
    pub agenda_reuse: fn(usize) -> String,
    /// Phase kinds in `PhaseKind`'s declaration order.
    pub agenda_kinds: [&'static str; 12],
    /// The breakout formats' names in the picker.
    pub agenda_troika: &'static str,
    pub agenda_one_two_four_all: &'static str,
    /// 1-2-4-All with fewer than eight present: its fours are skipped.
    pub agenda_one_two_all: &'static str,
    pub agenda_impromptu_networking: &'static str,
    pub agenda_work_buddies: &'static str,
    pub roti_trend_heading: &'static str,
    pub roti_chart_label: &'static str,
    pub roti_suggestions_heading: &'static str,
    pub roti_votes: fn(u32) -> String,
    pub agenda_add_heading: &'static str,
    pub agenda_kind_label: &'static str,
    pub agenda_title_label: &'static str,
    pub agenda_minutes_label: &'static str,
    pub agenda_title_needed: &'static str,
    pub agenda_add: &'static str,
    pub agenda_roles_heading: &'static str,
    pub agenda_nobody: &'static str,
    pub agenda_key_question_label: &'static str,
    pub agenda_key_question_save: &'static str,
    pub agenda_next: fn(&str, &str) -> String,
    pub agenda_back: &'static str,
    pub agenda_end: &'static str,
    pub agenda_ahead_heading: &'static str,
    pub agenda_shorter: &'static str,
    pub agenda_longer: &'static str,
    pub agenda_earlier: &'static str,
    pub agenda_later: &'static str,
    pub agenda_remove: &'static str,
    pub landing_heading: &'static str,
    pub landing_intro: &'static str,
    pub start_heading: &'static str,
    pub start_title_label: &'static str,
    pub start_name_label: &'static str,
    pub start_submit: &'static str,
    pub start_busy: &'static str,
    pub start_failed: &'static str,
    pub join_code_heading: &'static str,
    pub join_code_label: &'static str,
    pub join_code_hint: &'static str,
    pub join_code_submit: &'static str,
    pub join_code_invalid: &'static str,
    pub lock: &'static str,
    pub unlock: &'static str,
    pub lock_state: fn(bool) -> &'static str,
    pub seat_cap_label: &'static str,
    pub seat_cap_now: fn(u16) -> String,
    pub seat_cap_submit: &'static str,
    pub seat_cap_invalid: &'static str,
    pub fallback_label: &'static str,
    pub fallback_mode: fn(moot_shared::room::FallbackMode) -> &'static str,
    pub invite_heading: &'static str,
    pub join_link_label: &'static str,
    pub copy: &'static str,
    pub copy_failed: &'static str,
    pub open_screen: &'static str,
    pub screen_heading: &'static str,
    pub screen_link_hint: &'static str,
    pub screen_link_stopped: &'static str,
    pub new_screen_link: &'static str,
    pub make_screen_link: &'static str,
    pub stop_screen_link: &'static str,
    pub stop_screen_confirm: &'static str,
    pub remove_confirm: fn(&str) -> String,
    pub make_co: &'static str,
    pub unmake_co: &'static str,
    pub hand_over: &'static str,
    pub hand_over_confirm: fn(&str) -> String,
    pub actions_for: fn(&str) -> String,
    pub screen_join_at: &'static str,
    pub screen_thanks: &'static str,
    pub screen_outcomes: fn(usize, usize) -> String,
    pub screen_code_label: &'static str,
    pub screen_qr_alt: &'static str,
    pub screen_needs_link: &'static str,
    pub screen_stopped_heading: &'static str,
    pub menus_label: &'static str,
    pub poll_menu: &'static str,
    pub rounds_menu: &'static str,
    pub settings_menu: &'static str,
    pub primary_nothing: &'static str,
    pub primary_reveal: &'static str,
    /// The primary action's verbs; what each acts on (a name, a topic, a
    /// phase) is shown beneath.
    pub primary_next_speaker: &'static str,
    pub primary_start_topic: &'static str,
    pub primary_next_phase: &'static str,
    /// During a breakout: call everyone back (with the countdown).
    pub primary_bring_back: &'static str,
}

/// The full app's own wording in the reader's language.
pub fn facilitation_texts() -> &'static FacilitationTexts {
    pick(&en::EN_FACILITATION, &de::DE_FACILITATION)
}

/// The agenda's wording on every screen.
pub struct AgendaTexts {
    pub phase_of: fn(usize, usize) -> String,
    pub left: fn(&str) -> String,
    pub time_up: &'static str,
    pub ended: &'static str,
    pub not_started: &'static str,
    pub done: &'static str,
    pub not_done: &'static str,
    pub whole_plan: &'static str,
    pub minutes: fn(u32) -> String,
    pub spent: fn(u32) -> String,
    pub skipped: &'static str,
    pub untimed: &'static str,
    pub ready_count: fn(usize, usize) -> String,
    pub done_count: fn(usize, usize) -> String,
    pub role: fn(AgendaRole) -> &'static str,
    pub your_role: fn(&str, bool) -> String,
    pub key_question: &'static str,
    pub jot_label: &'static str,
    pub jot_private: &'static str,
}

/// The agenda's wording in the reader's language.
pub fn agenda_texts() -> &'static AgendaTexts {
    pick(&en::EN_AGENDA, &de::DE_AGENDA)
}
