//! Every string a person reads, in one place. A second language is one more
//! `Texts` value (German first) and a line in [`t`] choosing it; no view
//! holds its own wording.

use moot_shared::Rejection;
use moot_shared::TextProblem;
use moot_shared::room::{Presence, Role};

use crate::connection::ConnectionState;

/// The wording of the whole app in one language. Fixed sentences are
/// `&'static str`; sentences with a name or number in them are functions.
pub struct Texts {
    pub app_name: &'static str,
    pub dismiss: &'static str,
    pub back_to_start: &'static str,
    pub not_found_heading: &'static str,
    pub not_found_body: &'static str,

    pub state_connecting: &'static str,
    pub state_live: &'static str,
    pub state_reconnecting: &'static str,
    pub state_offline: &'static str,

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
    pub unknown_code_heading: &'static str,
    pub unknown_code_body: &'static str,
    pub version_heading: &'static str,
    pub version_body: &'static str,
    pub reload: &'static str,

    pub controls_heading: &'static str,
    pub lock: &'static str,
    pub unlock: &'static str,
    pub lock_state: fn(bool) -> &'static str,
    pub seat_cap_label: &'static str,
    pub seat_cap_now: fn(u16) -> String,
    pub seat_cap_submit: &'static str,
    pub seat_cap_invalid: &'static str,
    pub invite_heading: &'static str,
    pub join_link_label: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub open_screen: &'static str,
    pub remove: &'static str,
    pub remove_confirm: fn(&str) -> String,
    pub make_co: &'static str,
    pub unmake_co: &'static str,
    pub hand_over: &'static str,
    pub hand_over_confirm: fn(&str) -> String,
    pub actions_for: fn(&str) -> String,

    pub screen_join_at: &'static str,
    pub screen_code_label: &'static str,
    pub screen_qr_alt: &'static str,
    pub screen_needs_link: &'static str,

    pub joined: fn(&str) -> String,
    pub came_back: fn(&str) -> String,
    pub left: fn(&str) -> String,
    pub was_removed: fn(&str) -> String,
    pub you_were_removed: &'static str,
    pub renamed: fn(&str, &str) -> String,
    pub now_facilitator: fn(&str) -> String,
    pub you_are_facilitator: &'static str,
    pub now_co: fn(&str) -> String,
    pub no_longer_co: fn(&str) -> String,
    pub meetup_locked: &'static str,
    pub meetup_unlocked: &'static str,
    pub seat_cap_changed: fn(u16) -> String,
    pub connection_lost: &'static str,
    pub connection_back: &'static str,

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

/// English rejections.
fn en_rejection(reason: &Rejection) -> Option<String> {
    Some(match reason {
        Rejection::NameTaken => {
            "Someone here already uses that name. Please pick another one.".into()
        }
        Rejection::Locked => "This meetup is locked. Ask the facilitator to unlock it.".into(),
        Rejection::RoomFull { seat_cap } => {
            format!("All {seat_cap} seats are taken. Ask the facilitator for another seat.")
        }
        Rejection::UnknownJoinCode => {
            "No open meetup has this code. Check the code and try again.".into()
        }
        Rejection::InvalidField { field, problem } => {
            let what = match field.as_str() {
                "name" | "facilitator_name" => "The name",
                "title" => "The title",
                _ => "This field",
            };
            format!("{what} {}.", en_text_problem(*problem))
        }
        Rejection::TooManyAttempts { .. } | Rejection::RateLimited { .. } => {
            "Too many attempts. Please wait a moment and try again.".into()
        }
        Rejection::ServerFull => "The server is full right now. Please try again later.".into(),
        Rejection::Removed => EN.you_were_removed.into(),
        Rejection::FacilitatorsOnly | Rejection::FacilitatorOnly => {
            "Only the facilitator can do that.".into()
        }
        Rejection::HandOverFirst => "Hand the facilitator role to someone else first.".into(),
        Rejection::SeatCapOutOfRange { min, max } => {
            format!("The seat cap must be between {min} and {max}.")
        }
        _ => return None,
    })
}

/// English text problems.
fn en_text_problem(problem: TextProblem) -> String {
    match problem {
        TextProblem::Empty => "must not be empty".into(),
        TextProblem::TooLong { max_chars } => {
            format!("can have at most {max_chars} characters")
        }
        TextProblem::ControlCharacter => "must be one line of plain text".into(),
    }
}

/// English.
pub const EN: Texts = Texts {
    app_name: "moot",
    dismiss: "Dismiss",
    back_to_start: "Back to the start",
    not_found_heading: "Page not found",
    not_found_body: "This address is not a moot page. Check the link, or start from the beginning.",

    state_connecting: "Connecting…",
    state_live: "Online",
    state_reconnecting: "Reconnecting…",
    state_offline: "Offline",

    landing_heading: "moot",
    landing_intro: "Run a peer meetup: people join from their phones with a code and just a name.",
    start_heading: "Start a meetup",
    start_title_label: "Title",
    start_name_label: "Your name",
    start_submit: "Start the meetup",
    start_busy: "Starting…",
    start_failed: "The meetup could not be started. Check your connection and try again.",
    join_code_heading: "Join with a code",
    join_code_label: "Join code",
    join_code_hint: "8 characters, for example 7KQ2-M9XD",
    join_code_submit: "Join",
    join_code_invalid: "A join code has 8 letters and digits, like 7KQ2-M9XD.",

    join_heading: "Join the meetup",
    join_intro: |code| format!("Meetup code {code}. Pick the name others will see."),
    join_name_label: "Your name",
    join_submit: "Join",
    join_busy: "Joining…",

    code_label: "Code",
    you_are: "You are",
    you_marker: "(you)",
    people_heading: "People",
    people_count: |count, cap| format!("{count} of {cap} seats"),
    loading_room: "Loading the meetup…",
    rename_label: "Change your name",
    rename_submit: "Rename",
    leave: "Leave the meetup",
    leave_confirm: "Leave this meetup?",
    locked_badge: "Locked",

    removed_heading: "You were removed from this meetup",
    removed_body: "A facilitator removed you. You can no longer take part in this meetup.",
    left_heading: "You left the meetup",
    left_body: "You can come back while the meetup is open.",
    rejoin: "Rejoin",
    unknown_code_heading: "No meetup with this code",
    unknown_code_body: "This meetup does not exist or has ended. Check the code with the facilitator.",
    version_heading: "Please reload",
    version_body: "A newer version of moot is running. Reload the page to continue.",
    reload: "Reload",

    controls_heading: "Facilitation",
    lock: "Lock the meetup",
    unlock: "Unlock the meetup",
    lock_state: |locked| {
        if locked {
            "Locked: nobody new can join."
        } else {
            "Open: anyone with the code can join."
        }
    },
    seat_cap_label: "Seat cap",
    seat_cap_now: |cap| format!("Now {cap} seats."),
    seat_cap_submit: "Set seats",
    seat_cap_invalid: "Enter a number of seats.",
    invite_heading: "Invite",
    join_link_label: "Join link",
    copy: "Copy link",
    copied: "Link copied",
    copy_failed: "Could not copy. Select the link and copy it.",
    open_screen: "Open shared screen",
    remove: "Remove",
    remove_confirm: |name| format!("Remove {name} from the meetup? They cannot come back."),
    make_co: "Make co-facilitator",
    unmake_co: "Remove co-facilitator",
    hand_over: "Hand over",
    hand_over_confirm: |name| {
        format!("Hand the facilitator role to {name}? You become a participant.")
    },
    actions_for: |name| format!("Actions for {name}"),

    screen_join_at: "Join at",
    screen_code_label: "Code",
    screen_qr_alt: "QR code of the join link",
    screen_needs_link: "Open the shared screen with the link from the facilitator's view.",

    joined: |name| format!("{name} joined"),
    came_back: |name| format!("{name} is back"),
    left: |name| format!("{name} left"),
    was_removed: |name| format!("{name} was removed"),
    you_were_removed: "You were removed from this meetup",
    renamed: |old, new| format!("{old} is now called {new}"),
    now_facilitator: |name| format!("{name} is now the facilitator"),
    you_are_facilitator: "You are now the facilitator",
    now_co: |name| format!("{name} is now a co-facilitator"),
    no_longer_co: |name| format!("{name} is no longer a co-facilitator"),
    meetup_locked: "The meetup is locked",
    meetup_unlocked: "The meetup is unlocked",
    seat_cap_changed: |cap| format!("The seat cap is now {cap}"),
    connection_lost: "Connection lost. Reconnecting…",
    connection_back: "Connected again",

    role_facilitator: "Facilitator",
    role_co_facilitator: "Co-facilitator",
    presence_here: "here",
    presence_away: "away",
    presence_gone: "gone",
    rejection_words: en_rejection,
    text_problem_words: en_text_problem,
};

/// The texts for the reader's language. English only for now; German will be
/// chosen here from `navigator.language`.
pub fn t() -> &'static Texts {
    &EN
}
