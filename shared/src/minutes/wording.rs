//! The minutes' own wording, one [`MinutesWords`] value per language: the
//! headings, labels and sentences of the Markdown, the way dates and
//! durations read, and the few words the JSON carries ("someone").
//!
//! Every field of every value must be set and every match is exhaustive, so
//! a missing German text, a new poll outcome or a new agenda format fails
//! the build instead of slipping into the German minutes in English. Poll
//! labels, poll kinds and readings are not here: the browser shows them too,
//! so they live in [`crate::words`].

use crate::lang::Lang;
use crate::room::agenda::{AgendaRole, Format};
use crate::room::board::Column;
use crate::room::goals::{GoalKind, GoalProgress};
use crate::room::lifecycle::ReviewOutcome;

/// The minutes' wording in one language. Fixed words are `&'static str`;
/// anything with a number, name or date in it is a function, so that each
/// language orders its sentence and picks its plural itself.
pub(super) struct MinutesWords {
    /// The language, for the shared [`crate::words`].
    pub lang: Lang,
    /// Stands in for a person the room no longer knows.
    pub someone: &'static str,
    /// A calendar date from year, month (1–12) and day.
    pub date: fn(i64, u32, u32) -> String,
    /// A duration from whole hours, minutes and seconds, seconds dropped
    /// once there are hours.
    pub duration: fn(u64, u64, u64) -> String,
    /// A share of the airtime, in whole percent.
    pub percent: fn(u32) -> String,

    /// When the meetup was held: its date, start and end clock (none while
    /// it runs) and time zone.
    pub held: fn(&str, &str, Option<&str>, &str) -> String,
    /// Before the join code in the line under the title.
    pub join_code: &'static str,
    /// The meetup this one followed ("CODE: title").
    pub follows: fn(&str) -> String,
    /// The last line: date, clock and time zone of the export.
    pub exported: fn(&str, &str, &str) -> String,

    /// Heading of the list of participants.
    pub who_took_part: &'static str,
    /// Said after the facilitator's name.
    pub facilitator: &'static str,
    /// Said after a co-facilitator's name.
    pub co_facilitator: &'static str,
    /// Said after the name of someone who left.
    pub left: &'static str,
    /// Said after the name of someone who was removed.
    pub removed: &'static str,

    /// Heading of the review of the previous meetup's action items.
    pub review: &'static str,
    /// What the group decided about a carried action item.
    pub outcome: fn(Option<ReviewOutcome>) -> &'static str,
    /// After an action item, its due date (already in [`Self::date`]'s form).
    pub due: fn(&str) -> String,

    /// Heading of the topics.
    pub topics: &'static str,
    /// In place of the topics when there were none.
    pub no_topics: &'static str,
    /// Where a topic ended up.
    pub column: fn(Column) -> &'static str,
    /// A topic's dots.
    pub dots: fn(u32) -> String,
    /// Before the titles of the topics merged into one.
    pub merged: &'static str,
    /// Heading of a topic's notes.
    pub notes: &'static str,
    /// Heading of a topic's takeaways.
    pub takeaways: &'static str,
    /// Heading of a topic's action items.
    pub action_items: &'static str,

    /// Heading of the polls.
    pub polls: &'static str,
    /// After a poll kind's name, for an anonymous poll.
    pub anonymous: &'static str,
    /// In place of the results of a poll never revealed.
    pub not_revealed: &'static str,
    /// Column of a poll's options.
    pub option: &'static str,
    /// Column of a poll's counts, and before the named votes.
    pub votes: &'static str,
    /// Before the reasons given with votes.
    pub reasons: &'static str,

    /// Heading of the closing feedback (ROTI).
    pub feedback: &'static str,
    /// The ROTI's mean (already a decimal in the language) from its voters.
    pub rated: fn(&str, u32) -> String,
    /// Column of the ROTI's scores.
    pub score: &'static str,
    /// In place of the ROTI when this meetup was not rated.
    pub not_rated: &'static str,
    /// Before the suggestions given with the ROTI.
    pub what_to_change: &'static str,
    /// Before the table of the series' earlier meetups.
    pub earlier_meetups: &'static str,
    /// Column of the series' meetups.
    pub meetup: &'static str,
    /// Column of the series' means.
    pub mean: &'static str,

    /// Heading of the agenda.
    pub agenda: &'static str,
    /// Before the agenda's format.
    pub format: &'static str,
    /// An agenda format's name, as it reads inside a sentence.
    pub format_name: fn(Format) -> &'static str,
    /// A phase without a planned length.
    pub untimed: &'static str,
    /// A phase's planned length.
    pub planned: fn(&str) -> String,
    /// The time a finished phase took.
    pub took: fn(&str) -> String,
    /// The time a phase still running has taken so far.
    pub running: fn(&str) -> String,
    /// A skipped phase.
    pub skipped: &'static str,
    /// A phase the meetup never got to.
    pub not_reached: &'static str,
    /// Before who held the format's roles.
    pub roles: &'static str,
    /// A format role's name.
    pub role_name: fn(AgendaRole) -> &'static str,
    /// Before the case's key question.
    pub key_question: &'static str,

    /// Heading of the goals.
    pub goals: &'static str,
    /// A goal's kind.
    pub goal_kind: fn(GoalKind) -> &'static str,
    /// Where a goal stands.
    pub goal_progress: fn(GoalProgress) -> &'static str,
    /// The line about goals not in the minutes: whose, how many.
    pub goals_not_shown: fn(&str) -> String,
    /// One person's count of such goals.
    pub goals_count: fn(&str, usize) -> String,

    /// Heading of the breakouts.
    pub breakouts: &'static str,
    /// "Group 2".
    pub group: fn(u8) -> String,
    /// In place of the notes of a group that kept them.
    pub notes_kept: &'static str,

    /// Heading of the airtime table.
    pub airtime: &'static str,
    /// The airtime table's columns: person, turns, airtime, share.
    pub airtime_columns: [&'static str; 4],

    /// Heading of one person's action items export: name, meetup title.
    pub my_actions: fn(&str, &str) -> String,
    /// In place of the action items when the person has none.
    pub none: &'static str,
    /// After an action item in the personal export, its topic's title.
    pub of_topic: fn(&str) -> String,
}

impl MinutesWords {
    /// The wording for `lang`.
    pub fn of(lang: Lang) -> &'static MinutesWords {
        match lang {
            Lang::En => &ENGLISH,
            Lang::De => &GERMAN,
        }
    }
}

const ENGLISH: MinutesWords = MinutesWords {
    lang: Lang::En,
    someone: "someone",
    date: |year, month, day| format!("{year:04}-{month:02}-{day:02}"),
    duration: |hours, minutes, seconds| match (hours, minutes, seconds) {
        (0, 0, seconds) => format!("{seconds} s"),
        (0, minutes, 0) => format!("{minutes} min"),
        (0, minutes, seconds) => format!("{minutes} min {seconds} s"),
        (hours, minutes, _) => format!("{hours} h {minutes} min"),
    },
    percent: |share| format!("{share}%"),

    held: |date, from, until, zone| {
        format!(
            "{date}, {from}–{} ({zone})",
            until.unwrap_or("still running")
        )
    },
    join_code: "join code",
    follows: |follows| format!("Follows {follows}."),
    exported: |date, clock, zone| format!("Exported {date} {clock} ({zone}) by moot."),

    who_took_part: "Who took part",
    facilitator: "facilitator",
    co_facilitator: "co-facilitator",
    left: "left",
    removed: "removed",

    review: "Review of carried action items",
    outcome: |outcome| match outcome {
        Some(ReviewOutcome::Done) => "done",
        Some(ReviewOutcome::Kept) => "kept",
        Some(ReviewOutcome::Dropped) => "dropped",
        None => "not reviewed",
    },
    due: |date| format!(", due {date}"),

    topics: "Topics",
    no_topics: "No topics.",
    column: |column| match column {
        Column::Discussed => "discussed",
        Column::Discussing => "being discussed",
        Column::ToDiscuss => "not discussed",
        Column::Parked => "parked",
    },
    dots: |dots| match dots {
        1 => "1 dot".to_owned(),
        dots => format!("{dots} dots"),
    },
    merged: "Merged",
    notes: "Notes",
    takeaways: "Takeaways",
    action_items: "Action items",

    polls: "Polls",
    anonymous: "anonymous",
    not_revealed: "Not revealed.",
    option: "Option",
    votes: "Votes",
    reasons: "Reasons",

    feedback: "Feedback",
    rated: |mean, voters| match voters {
        1 => format!("Return on time invested: **{mean} of 5** from 1 vote (anonymous)."),
        voters => {
            format!("Return on time invested: **{mean} of 5** from {voters} votes (anonymous).")
        }
    },
    score: "Score",
    not_rated: "This meetup was not rated.",
    what_to_change: "What to change:",
    earlier_meetups: "Earlier meetups of the series:",
    meetup: "Meetup",
    mean: "Mean",

    agenda: "Agenda",
    format: "Format",
    format_name: |format| match format {
        Format::LeanCoffee => "Lean Coffee",
        Format::OpenRound => "open round",
        Format::OneOnOne => "1:1 or work-buddy check-in",
        Format::ReverseMentoring => "reverse mentoring",
        Format::CaseConsultation => "case consultation",
        Format::PeerLearning => "peer learning meetup",
        Format::Troika => "troika consulting",
        Format::OneTwoFourAll => "1-2-4-All",
        Format::ImpromptuNetworking => "impromptu networking",
        Format::WorkBuddies => "work buddies",
        Format::Custom => "custom",
    },
    untimed: "untimed",
    planned: |length| format!("planned {length}"),
    took: |length| format!("took {length}"),
    running: |length| format!("running, {length} so far"),
    skipped: "skipped",
    not_reached: "not reached",
    roles: "Roles",
    role_name: |role| match role {
        AgendaRole::CaseGiver => "Case giver",
        AgendaRole::Moderator => "Moderator",
        AgendaRole::Scribe => "Scribe",
    },
    key_question: "Key question",

    goals: "Goals",
    goal_kind: |kind| match kind {
        GoalKind::Achieve => "achieve",
        GoalKind::Learn => "learn",
        GoalKind::Teach => "teach",
    },
    goal_progress: |progress| match progress {
        GoalProgress::Open => "open",
        GoalProgress::Progress => "progress",
        GoalProgress::Stuck => "stuck",
        GoalProgress::Done => "done",
        GoalProgress::Dropped => "dropped",
    },
    goals_not_shown: |list| {
        format!("Goals only their owner or buddy sees are not in the minutes: {list}.")
    },
    goals_count: |name, count| format!("{name} {count}"),

    breakouts: "Breakouts",
    group: |number| format!("Group {number}"),
    notes_kept: "notes kept within the group",

    airtime: "Airtime",
    airtime_columns: ["Person", "Turns", "Airtime", "Share"],

    my_actions: |name, title| format!("Action items for {name} — {title}"),
    none: "None.",
    of_topic: |title| format!(" (topic: {title})"),
};

/// German months, for dates written out ("1. Dezember 2026").
const GERMAN_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// German in the neutral, informal style of a team's own protocol: "Treffen",
/// "Moderation", "Punkte", "Aufgaben". Dates are written out ("1. Dezember
/// 2026"), durations spelled with their plural ("1 Minute", "7 Minuten"),
/// decimals with a comma and percent signs after a space, as German writes
/// them.
const GERMAN: MinutesWords = MinutesWords {
    lang: Lang::De,
    someone: "jemand",
    date: |year, month, day| {
        let month = usize::try_from(month)
            .ok()
            .and_then(|month| month.checked_sub(1))
            .and_then(|index| GERMAN_MONTHS.get(index))
            .copied()
            .unwrap_or("?");
        format!("{day}. {month} {year}")
    },
    duration: |hours, minutes, seconds| {
        let hours_text = match hours {
            1 => "1 Stunde".to_owned(),
            hours => format!("{hours} Stunden"),
        };
        let minutes_text = match minutes {
            1 => "1 Minute".to_owned(),
            minutes => format!("{minutes} Minuten"),
        };
        let seconds_text = match seconds {
            1 => "1 Sekunde".to_owned(),
            seconds => format!("{seconds} Sekunden"),
        };
        match (hours, minutes, seconds) {
            (0, 0, _) => seconds_text,
            (0, _, 0) => minutes_text,
            (0, _, _) => format!("{minutes_text} {seconds_text}"),
            _ => format!("{hours_text} {minutes_text}"),
        }
    },
    percent: |share| format!("{share} %"),

    held: |date, from, until, zone| match until {
        Some(until) => format!("{date}, {from}–{until} ({zone})"),
        None => format!("{date}, ab {from} ({zone}), läuft noch"),
    },
    join_code: "Beitrittscode",
    follows: |follows| format!("Folgt auf {follows}."),
    exported: |date, clock, zone| {
        format!("Protokoll exportiert am {date} um {clock} ({zone}) mit moot.")
    },

    who_took_part: "Teilnehmende",
    facilitator: "Moderation",
    co_facilitator: "Co-Moderation",
    left: "gegangen",
    removed: "entfernt",

    review: "Rückblick auf übernommene Aufgaben",
    outcome: |outcome| match outcome {
        Some(ReviewOutcome::Done) => "erledigt",
        Some(ReviewOutcome::Kept) => "weitergeführt",
        Some(ReviewOutcome::Dropped) => "verworfen",
        None => "nicht besprochen",
    },
    due: |date| format!(", fällig am {date}"),

    topics: "Themen",
    no_topics: "Keine Themen.",
    column: |column| match column {
        Column::Discussed => "besprochen",
        Column::Discussing => "wird besprochen",
        Column::ToDiscuss => "nicht besprochen",
        Column::Parked => "geparkt",
    },
    dots: |dots| match dots {
        1 => "1 Punkt".to_owned(),
        dots => format!("{dots} Punkte"),
    },
    merged: "Zusammengeführt",
    notes: "Notizen",
    takeaways: "Erkenntnisse",
    action_items: "Aufgaben",

    polls: "Abstimmungen",
    anonymous: "anonym",
    not_revealed: "Nicht aufgedeckt.",
    option: "Option",
    votes: "Stimmen",
    reasons: "Gründe",

    feedback: "Rückmeldung",
    rated: |mean, voters| match voters {
        1 => format!("Return on Time Invested: **{mean} von 5** aus 1 Stimme (anonym)."),
        voters => {
            format!("Return on Time Invested: **{mean} von 5** aus {voters} Stimmen (anonym).")
        }
    },
    score: "Wertung",
    not_rated: "Dieses Treffen wurde nicht bewertet.",
    what_to_change: "Was sich ändern soll:",
    earlier_meetups: "Frühere Treffen der Reihe:",
    meetup: "Treffen",
    mean: "Schnitt",

    agenda: "Ablauf",
    format: "Format",
    format_name: |format| match format {
        Format::LeanCoffee => "Lean Coffee",
        Format::OpenRound => "offene Runde",
        Format::OneOnOne => "1:1 oder Check-in unter Work-Buddys",
        Format::ReverseMentoring => "Reverse Mentoring",
        Format::CaseConsultation => "kollegiale Fallberatung",
        Format::PeerLearning => "Peer-Learning-Treffen",
        Format::Troika => "Troika-Beratung",
        Format::OneTwoFourAll => "1-2-4-Alle",
        Format::ImpromptuNetworking => "Speed-Networking",
        Format::WorkBuddies => "Work-Buddys",
        Format::Custom => "eigener Ablauf",
    },
    untimed: "ohne Zeitvorgabe",
    planned: |length| format!("geplant {length}"),
    took: |length| format!("dauerte {length}"),
    running: |length| format!("läuft, bisher {length}"),
    skipped: "übersprungen",
    not_reached: "nicht erreicht",
    roles: "Rollen",
    role_name: |role| match role {
        AgendaRole::CaseGiver => "Fallgebende Person",
        AgendaRole::Moderator => "Moderation",
        AgendaRole::Scribe => "Protokoll",
    },
    key_question: "Schlüsselfrage",

    goals: "Ziele",
    goal_kind: |kind| match kind {
        GoalKind::Achieve => "erreichen",
        GoalKind::Learn => "lernen",
        GoalKind::Teach => "lehren",
    },
    goal_progress: |progress| match progress {
        GoalProgress::Open => "offen",
        GoalProgress::Progress => "voran",
        GoalProgress::Stuck => "hängt",
        GoalProgress::Done => "erreicht",
        GoalProgress::Dropped => "aufgegeben",
    },
    goals_not_shown: |list| {
        format!(
            "Ziele, die nur die Person selbst oder ihr Tandem sieht, stehen nicht im Protokoll: {list}."
        )
    },
    goals_count: |name, count| format!("{name} {count}"),

    breakouts: "Gruppenarbeit",
    group: |number| format!("Gruppe {number}"),
    notes_kept: "Notizen blieben in der Gruppe",

    airtime: "Redezeit",
    airtime_columns: ["Person", "Wortmeldungen", "Redezeit", "Anteil"],

    my_actions: |name, title| format!("Aufgaben für {name} — {title}"),
    none: "Keine.",
    of_topic: |title| format!(" (Thema: {title})"),
};
