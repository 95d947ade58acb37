//! Words that both the browser and the server's exports use, in each
//! language moot speaks: poll option labels, poll kinds' names and the
//! one-line readings of poll results. A fixed poll kind's labels are never
//! stored: each reader gets them in their own language. The web app's
//! other texts live in `web/src/i18n/`.

use crate::lang::Lang;
use crate::room::poll::{PollKind, Reading};

/// The labels of a poll kind's fixed options, in option order (empty for
/// custom polls, whose options are their own).
pub fn option_labels(kind: PollKind, lang: Lang) -> &'static [&'static str] {
    if lang == Lang::De {
        return german::option_labels(kind);
    }
    match kind {
        PollKind::Roman => &["👍 Up", "👉 Sideways", "👎 Down"],
        PollKind::FistOfFive => &["0", "1", "2", "3", "4", "5"],
        PollKind::Gradients => &[
            "Whole-hearted endorsement",
            "Agree with a minor point",
            "Support with reservations",
            "Abstain",
            "More discussion needed",
            "Don't like it, but will support",
            "Serious disagreement",
            "Veto",
        ],
        PollKind::Consent => &["Consent", "Concern", "Objection"],
        PollKind::Proposal => &["Agree", "Abstain", "Disagree", "Block"],
        PollKind::YesNo => &["Yes", "No"],
        PollKind::Roti => &[
            "1 · Lost my time",
            "2 · Less than I put in",
            "3 · Worth the time",
            "4 · More than I put in",
            "5 · Far more than I put in",
        ],
        PollKind::Custom => &[],
    }
}

/// The name of a poll kind.
pub fn kind_name(kind: PollKind, lang: Lang) -> &'static str {
    if lang == Lang::De {
        return german::kind_name(kind);
    }
    match kind {
        PollKind::Roman => "Roman vote",
        PollKind::FistOfFive => "Fist of five",
        PollKind::Gradients => "Gradients of agreement",
        PollKind::Consent => "Consent",
        PollKind::Proposal => "Proposal (with block)",
        PollKind::YesNo => "Yes / no",
        PollKind::Roti => "Return on time invested",
        PollKind::Custom => "Custom choices",
    }
}

/// A poll result in one sentence; `labels` are the poll's option labels.
pub fn reading_sentence(reading: &Reading, labels: &[String], lang: Lang) -> String {
    if lang == Lang::De {
        return german::reading_sentence(reading, labels);
    }
    let label = |choice: &u8| {
        labels
            .get(usize::from(*choice))
            .cloned()
            .unwrap_or_default()
    };
    match reading {
        Reading::NoVotes => "Nobody voted.".into(),
        Reading::Carried { count, total } => format!("Carried: {count} of {total} in favour."),
        Reading::Defeated { count, total } => format!("Not carried: {count} of {total} against."),
        Reading::NoMajority { total } => format!("No majority among {total} votes."),
        Reading::Concerns { low, total } => {
            format!("{low} of {total} at 2 or less: talk about concerns.")
        }
        Reading::Supported { lowest, total } => {
            format!("Supported: all {total} at {lowest} or more.")
        }
        Reading::Vetoed { count } => format!("Vetoed ({count}): no agreement."),
        Reading::MoreDiscussion { count, total } => {
            format!("{count} of {total} need more discussion.")
        }
        Reading::Endorsed { support, total } => {
            format!("Everyone can live with it; {support} of {total} support it.")
        }
        Reading::Objected { count } => format!("Objection raised ({count}): not consented."),
        Reading::Consented { concerns: 0, total } => format!("Consented by all {total}."),
        Reading::Consented { concerns, total } => {
            format!("Consented by {total}, with {concerns} concerns to note.")
        }
        Reading::Blocked { count } => format!("Blocked ({count}): the proposal does not pass."),
        Reading::Agreed { agree, total } => format!("No blocks: {agree} of {total} agree."),
        Reading::NotAgreed {
            agree,
            disagree,
            total,
        } => {
            format!("No blocks, but only {agree} agree and {disagree} disagree of {total}.")
        }
        Reading::AllAbstained { total } => format!("All {total} abstained."),
        Reading::Leading {
            choice,
            count,
            total,
        } => format!("{}: {count} of {total}.", label(choice)),
        Reading::Rated { mean_tenths, total } => format!(
            "Worth {} of 5 on average, from {total} {}.",
            crate::room::roti::tenths_text(*mean_tenths),
            if *total == 1 { "vote" } else { "votes" }
        ),
        Reading::Tied { choices, count } => {
            format!(
                "Tie at {count}: {}.",
                choices.iter().map(label).collect::<Vec<_>>().join(", ")
            )
        }
    }
}

/// Tenths of a mean (a ROTI's 35 is 3.5) as the language writes a decimal.
pub fn tenths(tenths: u16, lang: Lang) -> String {
    match lang {
        Lang::En => crate::room::roti::tenths_text(tenths),
        Lang::De => german::decimal(tenths),
    }
}

/// The same words in German. Kept beside the English so a new poll kind or
/// reading fails to build until it has both.
mod german {
    use crate::room::poll::{PollKind, Reading};

    pub(super) fn option_labels(kind: PollKind) -> &'static [&'static str] {
        match kind {
            PollKind::Roman => &["👍 Dafür", "👉 Neutral", "👎 Dagegen"],
            PollKind::FistOfFive => &["0", "1", "2", "3", "4", "5"],
            PollKind::Gradients => &[
                "Volle Zustimmung",
                "Zustimmung mit kleinem Einwand",
                "Unterstützung mit Vorbehalt",
                "Enthaltung",
                "Mehr Diskussion nötig",
                "Gefällt mir nicht, trage es aber mit",
                "Ernsthafte Ablehnung",
                "Veto",
            ],
            PollKind::Consent => &["Zustimmung", "Bedenken", "Einwand"],
            PollKind::Proposal => &["Dafür", "Enthaltung", "Dagegen", "Blockade"],
            PollKind::YesNo => &["Ja", "Nein"],
            PollKind::Roti => &[
                "1 · Verlorene Zeit",
                "2 · Weniger als investiert",
                "3 · Die Zeit wert",
                "4 · Mehr als investiert",
                "5 · Viel mehr als investiert",
            ],
            PollKind::Custom => &[],
        }
    }

    pub(super) fn kind_name(kind: PollKind) -> &'static str {
        match kind {
            PollKind::Roman => "Daumenabstimmung",
            PollKind::FistOfFive => "Faust der Fünf",
            PollKind::Gradients => "Stufen der Zustimmung",
            PollKind::Consent => "Konsent",
            PollKind::Proposal => "Vorschlag (mit Blockade)",
            PollKind::YesNo => "Ja / Nein",
            PollKind::Roti => "Return on Time Invested",
            PollKind::Custom => "Eigene Antworten",
        }
    }

    /// Tenths with a decimal comma, as German writes them: "3,5".
    pub(super) fn decimal(tenths: u16) -> String {
        format!("{},{}", tenths / 10, tenths % 10)
    }

    /// "1 Stimme", "2 Stimmen".
    fn votes(count: u32) -> String {
        match count {
            1 => "1 Stimme".to_owned(),
            _ => format!("{count} Stimmen"),
        }
    }

    pub(super) fn reading_sentence(reading: &Reading, labels: &[String]) -> String {
        let label = |choice: &u8| {
            labels
                .get(usize::from(*choice))
                .cloned()
                .unwrap_or_default()
        };
        match reading {
            Reading::NoVotes => "Niemand hat abgestimmt.".into(),
            Reading::Carried { count, total } => {
                format!("Angenommen: {count} von {total} dafür.")
            }
            Reading::Defeated { count, total } => {
                format!("Nicht angenommen: {count} von {total} dagegen.")
            }
            Reading::NoMajority { total } => {
                format!("Keine Mehrheit bei {}.", votes(*total))
            }
            Reading::Concerns { low, total } => {
                format!("{low} von {total} bei 2 oder weniger: Bedenken besprechen.")
            }
            Reading::Supported { lowest, total } => {
                format!("Getragen: alle {total} bei {lowest} oder mehr.")
            }
            Reading::Vetoed { count } => format!("Veto ({count}): keine Einigung."),
            Reading::MoreDiscussion { count, total } => {
                format!("{count} von {total} brauchen mehr Diskussion.")
            }
            Reading::Endorsed { support, total } => {
                format!("Alle können damit leben; {support} von {total} unterstützen es.")
            }
            Reading::Objected { count } => {
                format!("Einwand erhoben ({count}): kein Konsent.")
            }
            Reading::Consented { concerns: 0, total } => {
                format!("Konsent aller {total}.")
            }
            Reading::Consented { concerns: 1, total } => {
                format!("Konsent aller {total}, mit 1 Bedenken zum Festhalten.")
            }
            Reading::Consented { concerns, total } => {
                format!("Konsent aller {total}, mit {concerns} Bedenken zum Festhalten.")
            }
            Reading::Blocked { count } => {
                format!("Blockiert ({count}): der Vorschlag ist nicht angenommen.")
            }
            Reading::Agreed { agree, total } => {
                format!("Keine Blockade: {agree} von {total} dafür.")
            }
            Reading::NotAgreed {
                agree,
                disagree,
                total,
            } => format!(
                "Keine Blockade, aber von {total} nur {agree} dafür und {disagree} dagegen."
            ),
            Reading::AllAbstained { total: 1 } => "Die eine Stimme ist eine Enthaltung.".into(),
            Reading::AllAbstained { total } => format!("Alle {total} haben sich enthalten."),
            Reading::Leading {
                choice,
                count,
                total,
            } => format!("{}: {count} von {total}.", label(choice)),
            Reading::Rated { mean_tenths, total } => format!(
                "Im Schnitt {} von 5 wert, aus {}.",
                decimal(*mean_tenths),
                votes(*total)
            ),
            Reading::Tied { choices, count } => format!(
                "Gleichstand bei {count}: {}.",
                choices.iter().map(label).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}
