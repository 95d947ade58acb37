//! Words that both the browser and the server's exports use, in English:
//! poll option labels and the one-line readings of poll results. The web
//! app's other texts live in `web/src/i18n.rs`; a second language adds one
//! more set of these.

use crate::room::poll::{PollKind, Reading};

/// The labels of a poll kind's fixed options, in option order (empty for
/// custom polls, whose options are their own).
pub fn option_labels(kind: PollKind) -> &'static [&'static str] {
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
pub fn kind_name(kind: PollKind) -> &'static str {
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
pub fn reading_sentence(reading: &Reading, labels: &[String]) -> String {
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
